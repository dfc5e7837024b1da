//! SCEP016 profile-structure: the configuration profile around the SCEP payload is one a device
//! installs: the top-level keys are there and right, identifiers are unique, and every
//! certificate reference points at a payload of the profile.

use std::collections::HashMap;

use super::{Context, Finding, Label, Rule, RuleMeta, Severity};
use crate::model::{Field, Origin, PayloadSummary};

pub struct ProfileStructure;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP016",
    name: "profile-structure",
    severity: Severity::Error,
    summary: "The profile is well formed: Configuration type, version 1, identifier, UUID-shaped UUIDs, unique identifiers, resolvable certificate references",
    docs: include_str!("../../docs/rules/profile-structure.md"),
};

/// `8-4-4-4-12` hexadecimal digits.
pub fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

impl Rule for ProfileStructure {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_profile(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(structure) = &cx.profile.structure else {
            return;
        };
        let top = &structure.top;
        let here = &cx.profile.origin;
        let is_bare_payload = top
            .payload_type
            .as_ref()
            .is_some_and(|t| t.value == crate::schema::SCEP_PAYLOAD_TYPE);
        if is_bare_payload {
            out.push(Finding::new(
                "the file is a bare SCEP payload, not a configuration profile: devices install profiles, whose `PayloadContent` array holds the payloads",
                "wrap the payload in a profile: a dict with `PayloadType` Configuration, `PayloadVersion` 1, `PayloadIdentifier`, `PayloadUUID` and `PayloadContent` [this payload]",
                Label::new(here, "a payload, not a profile"),
            ));
            return;
        }
        match &top.payload_type {
            None => out.push(missing("PayloadType", "Configuration", here)),
            Some(t) if t.value != "Configuration" => out.push(Finding::new(
                format!("the profile's `PayloadType` is `{}`; a configuration profile's is `Configuration`", t.value),
                "set `<key>PayloadType</key><string>Configuration</string>` at the top level",
                Label::new(&t.origin, "not Configuration"),
            )),
            Some(_) => {}
        }
        match &top.version {
            None => out.push(missing("PayloadVersion", "1", here)),
            Some(v) if v.value != "1" => out.push(Finding::new(
                format!(
                    "the profile's `PayloadVersion` is {}; it must be the integer 1",
                    v.value
                ),
                "set `<key>PayloadVersion</key><integer>1</integer>` at the top level",
                Label::new(&v.origin, "not 1"),
            )),
            Some(_) => {}
        }
        if top
            .identifier
            .as_ref()
            .is_none_or(|i| i.value.trim().is_empty())
        {
            out.push(missing(
                "PayloadIdentifier",
                "a reverse-DNS identifier (com.acme.okta.scep)",
                here,
            ));
        }
        check_uuid(top, "profile", here, out);
        for payload in &structure.payloads {
            check_uuid(payload, "payload", &payload.origin, out);
        }

        let all: Vec<&PayloadSummary> = std::iter::once(top).chain(&structure.payloads).collect();
        for (what, pick) in [
            (
                "PayloadIdentifier",
                (|s: &PayloadSummary| s.identifier.as_ref())
                    as fn(&PayloadSummary) -> Option<&Field<String>>,
            ),
            ("PayloadUUID", |s: &PayloadSummary| s.uuid.as_ref()),
        ] {
            let mut seen: HashMap<String, &Field<String>> = HashMap::new();
            for field in all.iter().filter_map(|s| pick(s)) {
                // UUIDs are hex in either case; identifiers are compared as the device does,
                // exactly (so do duplicate-identifier's).
                let key = if what == "PayloadUUID" {
                    field.value.to_ascii_lowercase()
                } else {
                    field.value.clone()
                };
                if key.is_empty() {
                    continue;
                }
                match seen.get(&key) {
                    Some(first) => out.push(Finding::new(
                        format!("{what} `{}` is used twice in this profile; payloads with the same {what} replace each other when the device installs the profile", field.value),
                        format!("give each payload its own {what}"),
                        Label::new(&field.origin, format!("also at {}", first.origin.key_path)),
                    )),
                    None => {
                        seen.insert(key, field);
                    }
                }
            }
        }

        let uuids: Vec<String> = structure
            .payloads
            .iter()
            .filter_map(|p| p.uuid.as_ref())
            .map(|u| u.value.to_ascii_lowercase())
            .collect();
        for payload in &structure.payloads {
            for (key, reference) in &payload.references {
                if !uuids.contains(&reference.value.to_ascii_lowercase()) {
                    out.push(Finding::new(
                        format!("`{key}` points at `{}`, which is not the PayloadUUID of any payload in this profile", reference.value),
                        "point it at the PayloadUUID of the SCEP (or certificate) payload it should use",
                        Label::new(&reference.origin, "no such payload"),
                    ));
                }
            }
        }
    }
}

fn missing(key: &str, value: &str, at: &Origin) -> Finding {
    Finding::new(
        format!("the profile has no `{key}`"),
        format!("add `{key}` at the top level of the profile: {value}"),
        Label::new(at, format!("no {key}")),
    )
}

fn check_uuid(summary: &PayloadSummary, what: &str, at: &Origin, out: &mut Vec<Finding>) {
    match &summary.uuid {
        None => out.push(Finding::new(
            format!("the {what} has no `PayloadUUID`"),
            "add a `PayloadUUID` (a new UUID, such as `uuidgen` prints)",
            Label::new(at, "no PayloadUUID"),
        )),
        Some(uuid) if !is_uuid(&uuid.value) => out.push(Finding::new(
            format!("the {what}'s `PayloadUUID` `{}` is not a UUID", uuid.value),
            "use a UUID, such as `uuidgen` prints (8-4-4-4-12 hexadecimal digits)",
            Label::new(&uuid.origin, "not a UUID"),
        )),
        Some(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_8_4_4_4_12_hex() {
        assert!(is_uuid("579AFA18-2121-49BC-959D-F2B658945A67"));
        assert!(is_uuid("9ded2aaa-39e0-46fe-b5bc-ba5f0f0f3a4d"));
        assert!(!is_uuid("579AFA18-2121-49BC-959D"));
        assert!(!is_uuid("com.example.profile"));
        assert!(!is_uuid("579AFA18-2121-49BC-959D-F2B658945A6Z"));
    }
}
