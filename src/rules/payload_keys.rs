//! SCEP015 payload-keys: the SCEP payload uses Apple's keys, with Apple's types and values.

use super::{Context, Finding, Label, Rule, RuleMeta, Severity};
use crate::model::{RawKey, RawValue, ScepPayload};
use crate::schema::{SCEP_KEYS, expected_type, is_misspelling};

pub struct PayloadKeys;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP015",
    name: "payload-keys",
    severity: Severity::Error,
    summary: "The SCEP payload uses Apple's keys with Apple's types and values",
    docs: include_str!("../../docs/rules/payload-keys.md"),
};

/// Keys that belong to other payloads, and which.
const OTHER_PAYLOADS: &[(&str, &str)] = &[
    (
        "ExtendedKeyUsage",
        "the ACME certificate payload (com.apple.security.acme)",
    ),
    (
        "HardwareBound",
        "the ACME certificate payload (com.apple.security.acme)",
    ),
    (
        "Attest",
        "the ACME certificate payload (com.apple.security.acme)",
    ),
    (
        "DirectoryURL",
        "the ACME certificate payload (com.apple.security.acme)",
    ),
    (
        "ClientIdentifier",
        "the ACME certificate payload (com.apple.security.acme)",
    ),
    (
        "Password",
        "the PKCS #12 certificate payload (com.apple.security.pkcs12)",
    ),
    (
        "PayloadCertificateFileName",
        "certificate payloads (com.apple.security.root, pkcs1, pkcs12)",
    ),
];

impl Rule for PayloadKeys {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_payload(&self, _cx: &Context<'_>, payload: &ScepPayload, out: &mut Vec<Finding>) {
        let mut seen = std::collections::HashSet::with_capacity(payload.raw_keys.len());
        for key in &payload.raw_keys {
            let name = key.name.as_str();
            if !seen.insert(name) {
                out.push(Finding::new(
                    format!("`{name}` appears more than once in the SCEP payload; only one of them takes effect, and which is not documented (sceplint reads the last)"),
                    format!("keep one `{name}`"),
                    Label::new(&key.origin, "repeated key"),
                ));
                continue;
            }
            if SCEP_KEYS.contains(&name) {
                check_known(key, out);
            } else if let Some(meant) = SCEP_KEYS.iter().find(|k| is_misspelling(name, k)) {
                out.push(Finding::new(
                    format!("`{name}` is not a key of the SCEP payload; the device ignores it (the key is `{meant}`)"),
                    format!("rename it `{meant}` (Apple's spelling{})", if meant.contains(' ') { ", with the space" } else { "" }),
                    Label::new(&key.origin, format!("did you mean `{meant}`?")),
                ));
            } else if name == "CertificateRenewalTimeInterval" {
                out.push(
                    Finding::new(
                        "`CertificateRenewalTimeInterval` only makes macOS notify the user before the certificate expires; it renews nothing, so it does not replace redistribution",
                        "keep it if the notice helps, but make sure the MDM redistributes the profile (see redistribution-enabled)",
                        Label::new(&key.origin, "notifies only"),
                    )
                    .with_severity(Severity::Info),
                );
            } else {
                let owner = OTHER_PAYLOADS
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, owner)| *owner);
                let message = match owner {
                    Some(owner) => format!(
                        "`{name}` belongs to {owner}, not to the SCEP payload, which ignores it"
                    ),
                    None => {
                        format!("`{name}` is not a key of the SCEP payload; the device ignores it")
                    }
                };
                out.push(Finding::new(
                    message,
                    format!(
                        "remove `{name}`; the SCEP payload's keys are {}",
                        SCEP_KEYS.join(", ")
                    ),
                    Label::new(&key.origin, "not a SCEP key"),
                ));
            }
        }
    }
}

fn check_known(key: &RawKey, out: &mut Vec<Finding>) {
    let name = key.name.as_str();
    let expected = expected_type(name);
    let found = key.value.type_name();
    if key.value == RawValue::Deferred {
        // Its type is known once it is filled in; the rules that need the value say so.
        return;
    }
    if let RawValue::Real(r) = key.value
        && expected == "integer"
        && r.fract() == 0.0
    {
        // Core Foundation hands a whole-valued <real> to the device as a number, so it works
        // (key-size and the others read it so); only the schema is not followed.
        out.push(
            Finding::new(
                format!("`{name}` is a <real> ({r}); Apple's schema makes it an integer"),
                format!("write `{name}` as an integer{}", example(name)),
                Label::new(&key.value_origin, "real, not integer"),
            )
            .with_severity(Severity::Info),
        );
        return;
    }
    if found != expected {
        out.push(Finding::new(
            format!(
                "`{name}` holds {}; Apple's schema makes it {}, so the device ignores it",
                a(found),
                a(expected)
            ),
            format!("write `{name}` as {}{}", a(expected), example(name)),
            Label::new(&key.value_origin, format!("{found}, not {expected}")),
        ));
        return;
    }
    let problem = match (&key.value, name) {
        (RawValue::String(v), "Key Type") if v != "RSA" => Some(format!(
            "`Key Type` is `{v}`; the SCEP payload only makes RSA keys"
        )),
        (RawValue::Integer(v), "Keysize") if ![1024, 2048, 4096].contains(v) => Some(format!(
            "`Keysize` is {v}; Apple accepts 1024, 2048 or 4096"
        )),
        (RawValue::Integer(v), "Key Usage") if ![0, 1, 4, 5].contains(v) => Some(format!(
            "`Key Usage` is {v}; the bitmask is 0, 1 (signing), 4 (encryption) or 5 (both)"
        )),
        (RawValue::Integer(v), "Retries" | "RetryDelay") if *v < 0 => {
            Some(format!("`{name}` is negative ({v})"))
        }
        (RawValue::Data { len: 0 }, "CAFingerprint") => {
            Some("`CAFingerprint` is empty, so the device cannot check the CA".to_owned())
        }
        (RawValue::Data { len }, "CAFingerprint") if ![16, 20].contains(len) => Some(format!(
            "`CAFingerprint` is {len} bytes; a fingerprint of the CA certificate is 20 bytes (SHA-1) or 16 (MD5)"
        )),
        _ => None,
    };
    if let Some(message) = problem {
        out.push(Finding::new(
            message,
            format!(
                "set `{name}` to a value Apple's schema allows{}",
                example(name)
            ),
            Label::new(&key.value_origin, "not an allowed value"),
        ));
    }
}

fn example(key: &str) -> &'static str {
    match key {
        "Keysize" => " (`<integer>2048</integer>`)",
        "Key Usage" => " (`<integer>1</integer>`)",
        "KeyIsExtractable" => " (`<false/>`)",
        "AllowAllAppsAccess" => " (`<true/>`)",
        "Key Type" => " (`<string>RSA</string>`)",
        "CAFingerprint" => " (the CA certificate's SHA-1 fingerprint as <data>)",
        _ => "",
    }
}

/// A type name with its article: "an integer", "a string".
fn a(type_name: &str) -> String {
    let article = if type_name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {type_name}")
}
