//! Fleet (fleetdm/fleet): profiles that hold Fleet's variables, or that configuration or a Fleet
//! GitOps file says are Fleet's. Fleet delivers a profile as written, filling in its
//! `$FLEET_VAR_...` variables on the server and `$FLEET_SECRET_...` ones from its secrets;
//! `fleetctl gitops` fills every other `$NAME` from the environment before upload.
//!
//! Redistribution is a matter of the Subject: Fleet re-sends a SCEP profile 30 days before its
//! certificate expires only when the Subject holds the renewal id (domain.md section 10).

use super::apple;
use crate::model::{
    Console, Field, Fix, Level, Origin, Platform, Profile, Provenance, Redistribution, Rejection,
    Setting, Subject, Vendor,
};
use crate::tree::{Node, Value};

/// The variables that mark a Subject for renewal: the current name (Fleet 4.86 and later) and
/// the legacy one, which Fleet still accepts.
pub const RENEWAL_IDS: &[&str] = &[
    "$FLEET_VAR_CERTIFICATE_RENEWAL_ID",
    "$FLEET_VAR_SCEP_RENEWAL_ID",
];

/// Days before expiry that Fleet re-sends a profile marked for renewal (at half the validity
/// when that is 30 days or less).
pub const RENEWAL_DAYS: i64 = 30;

/// Whether any string of a plist names one of Fleet's variables or secrets.
pub fn mentions_fleet(root: &Node) -> bool {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::String(s) if is_fleet_text(s) => return true,
            Value::Dict(entries) => stack.extend(entries.iter().map(|e| &e.value)),
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    false
}

/// Whether text holds a Fleet variable (`$FLEET_VAR_X`, `${FLEET_VAR_X}`) or secret.
pub fn is_fleet_text(text: &str) -> bool {
    text.contains("FLEET_VAR_") || text.contains("FLEET_SECRET_")
}

/// Whether a Subject holds the renewal id, in any attribute (Fleet matches the OU and the CN).
fn renewal_id_in(subject: &Subject) -> bool {
    subject.attributes().any(|a| {
        crate::variables::find(&a.value)
            .iter()
            .any(|v| RENEWAL_IDS.contains(&v.canonical().as_str()))
    })
}

/// What the Subjects of a Fleet profile say about redistribution.
pub fn redistribution(
    subjects: &[&Field<Option<Subject>>],
    fallback: &Origin,
) -> Field<Redistribution> {
    let marked = subjects
        .iter()
        .find(|s| s.value.as_ref().is_some_and(renewal_id_in));
    match marked {
        Some(subject) => Field::new(
            Redistribution::Days(RENEWAL_DAYS),
            Provenance::Inferred(format!(
                "the Subject holds the renewal id, so Fleet re-sends the profile {RENEWAL_DAYS} days before the certificate expires"
            )),
            subject.origin.clone(),
        ),
        None => Field::new(
            Redistribution::Days(0),
            Provenance::Inferred(
                "the Subject holds no `$FLEET_VAR_CERTIFICATE_RENEWAL_ID`, so Fleet never re-sends the profile".to_owned(),
            ),
            subjects
                .first()
                .map_or_else(|| fallback.clone(), |s| s.origin.clone()),
        ),
    }
}

/// The node name Fleet requires for a Windows SCEP node: Fleet puts the profile's id there.
const WINDOWS_ID: &str = "$FLEET_VAR_SCEP_WINDOWS_CERTIFICATE_ID";

/// The Install nodes Fleet requires in a Windows SCEP profile (server/fleet/windows_mdm.go).
const WINDOWS_REQUIRED: &[&str] = &[
    "CAThumbprint",
    "Challenge",
    "EKUMapping",
    "HashAlgorithm",
    "KeyLength",
    "KeyUsage",
    "ServerURL",
    "SubjectName",
];

/// The top-level elements Fleet accepts in a Windows profile.
const WINDOWS_TOP_LEVEL: &[&str] = &["Replace", "Add", "Exec", "Atomic"];

/// Names of Fleet's certificate-authority variables (without `$FLEET_VAR_`), by prefix, and
/// whether Fleet accepts them in Windows profiles.
const CA_PREFIXES: &[(&str, bool)] = &[
    ("NDES_SCEP_", true),
    ("CUSTOM_SCEP_", true),
    ("SMALLSTEP_SCEP_", false),
    ("DIGICERT_", false),
];

/// The certificate-authority variables in `text`, by name without `$FLEET_VAR_`.
fn ca_variables(text: &str) -> Vec<String> {
    crate::variables::find(text)
        .iter()
        .filter_map(|v| v.name.strip_prefix("FLEET_VAR_"))
        .filter(|name| CA_PREFIXES.iter().any(|(p, _)| name.starts_with(p)))
        .map(str::to_owned)
        .collect()
}

fn rejection(
    message: String,
    help: impl Into<String>,
    origin: &Origin,
    label: &'static str,
) -> Rejection {
    Rejection {
        message: format!("Fleet refuses this profile on upload: {message}"),
        help: help.into(),
        origin: origin.clone(),
        label,
    }
}

/// What Fleet's server refuses in a Windows SCEP profile, beyond what makes enrollment fail on
/// the device (which csp-structure reports): Fleet's own checks, as its upload validation
/// makes them (domain.md section 10).
pub fn windows_rejections(profile: &Profile) -> Vec<Rejection> {
    let mut out = Vec::new();
    let Some(file) = &profile.csp else {
        return out;
    };
    if let Some(declaration) = &file.declaration {
        out.push(rejection(
            "Fleet does not accept an XML declaration or other processing instruction in a Windows profile".to_owned(),
            "delete the `<?xml ...?>` line: Fleet's Windows profiles start with the first command",
            declaration,
            "not accepted by Fleet",
        ));
    }
    if let Some((name, origin)) = file
        .top_level
        .iter()
        .find(|(name, _)| !WINDOWS_TOP_LEVEL.contains(&name.as_str()))
    {
        out.push(rejection(
            format!("a Windows profile may only hold `<Replace>`, `<Add>`, `<Exec>` and `<Atomic>` at its top level, and this one has `<{}>`", crate::source::shorten(name, 40)),
            "remove the `<SyncML>` and `<SyncBody>` wrappers (and `<Final/>`): keep the commands themselves, in an `<Atomic>` if you like",
            origin,
            "not accepted by Fleet",
        ));
    } else if file.top_level.first().is_some_and(|(n, _)| n == "Atomic") && file.top_level.len() > 1
    {
        out.push(rejection(
            "an `<Atomic>` must wrap every command of the profile".to_owned(),
            "move the other commands into the `<Atomic>`, or remove the `<Atomic>`",
            &file.top_level[1].1,
            "outside the Atomic",
        ));
    }
    if let Some((_, origin)) = file.other_nodes.first() {
        out.push(rejection(
            "a SCEP profile may only set ClientCertificateInstall/SCEP/ nodes".to_owned(),
            "move the other settings into a profile of their own",
            origin,
            "not a SCEP node",
        ));
    }
    for payload in &profile.payloads {
        let Some(install) = &payload.csp else {
            continue;
        };
        if install.id != WINDOWS_ID && install.id != "${FLEET_VAR_SCEP_WINDOWS_CERTIFICATE_ID}" {
            out.push(rejection(
                format!("the SCEP node must be named `{WINDOWS_ID}`, the id Fleet gives each profile"),
                format!("write every LocURI as `./User/Vendor/MSFT/ClientCertificateInstall/SCEP/{WINDOWS_ID}/...`"),
                &install.id_origin,
                "not Fleet's node name",
            ));
        }
        if install.enrolls.len() > 1 {
            out.push(rejection(
                "a SCEP profile must hold exactly one `<Exec>` of `Install/Enroll`".to_owned(),
                "keep one `<Exec>` of `Install/Enroll`, after the settings",
                &install.enrolls[1],
                "second Enroll",
            ));
        }
        let mut missing: Vec<&str> = WINDOWS_REQUIRED
            .iter()
            .copied()
            .filter(|name| !install.nodes.iter().any(|n| n.name == *name))
            .collect();
        if install.created.is_none() {
            missing.insert(0, "the node itself (an `<Add>` or `<Replace>` of `.../SCEP/<id>` with `<Format>node</Format>`)");
        }
        if !missing.is_empty() {
            let list = missing
                .iter()
                .map(|m| {
                    if m.starts_with("the node") {
                        (*m).to_owned()
                    } else {
                        format!("`Install/{m}`")
                    }
                })
                .collect::<Vec<_>>()
                .join(", ");
            out.push(rejection(
                format!("Fleet requires every SCEP node it lists, and this profile lacks {list}"),
                "add the missing nodes; Fleet's Windows SCEP guide lists each with its format",
                &install.id_origin,
                "incomplete for Fleet",
            ));
        }
        let challenge_text = match &payload.challenge.value {
            crate::model::Challenge::Variable(token) => token.as_str(),
            _ => "",
        };
        let url_text = payload.urls.value.first().map_or("", |u| u.value.as_str());
        for name in ca_variables(challenge_text)
            .iter()
            .chain(&ca_variables(url_text))
        {
            if !CA_PREFIXES
                .iter()
                .any(|(p, windows)| *windows && name.starts_with(p))
            {
                out.push(rejection(
                    format!("`$FLEET_VAR_{name}` is not one of the variables Fleet fills in Windows profiles"),
                    "use an NDES or custom SCEP certificate authority's variables in Windows profiles",
                    &payload.challenge.origin,
                    "not for Windows",
                ));
            }
        }
        let proxied = ca_variables(challenge_text)
            .iter()
            .chain(&ca_variables(url_text))
            .any(|n| n.starts_with("NDES_SCEP_") || n.starts_with("CUSTOM_SCEP_"));
        if proxied {
            let marked = payload.subject.value.as_ref().is_some_and(|s| {
                s.attributes().any(|a| {
                    a.kind.eq_ignore_ascii_case("OU")
                        && crate::variables::find(&a.value)
                            .iter()
                            .any(|v| RENEWAL_IDS.contains(&v.canonical().as_str()))
                })
            });
            if !marked {
                out.push(rejection(
                    "with an NDES or custom SCEP certificate authority, `Install/SubjectName` must hold `$FLEET_VAR_CERTIFICATE_RENEWAL_ID` in its OU".to_owned(),
                    "add `OU=$FLEET_VAR_CERTIFICATE_RENEWAL_ID` to `Install/SubjectName`",
                    &payload.subject.origin,
                    "no renewal id in the OU",
                ));
            }
        }
        out.extend(ca_pairing(
            challenge_text,
            url_text,
            &payload.challenge.origin,
        ));
    }
    out
}

/// A custom SCEP certificate authority's challenge and URL variables must name the same CA.
fn ca_pairing(challenge: &str, url: &str, at: &Origin) -> Option<Rejection> {
    let ca = |text: &str, prefix: &str| {
        ca_variables(text)
            .into_iter()
            .find_map(|n| n.strip_prefix(prefix).map(str::to_owned))
    };
    let challenge_ca = ca(challenge, "CUSTOM_SCEP_CHALLENGE_");
    let url_ca = ca(url, "CUSTOM_SCEP_PROXY_URL_");
    match (challenge_ca, url_ca) {
        (Some(a), Some(b)) if a != b => Some(rejection(
            format!(
                "the challenge is for custom SCEP certificate authority `{}` and the URL for `{}`",
                crate::source::shorten(&a, 40),
                crate::source::shorten(&b, 40)
            ),
            "use the challenge and proxy URL variables of the same certificate authority",
            at,
            "CA names differ",
        )),
        (Some(a), None) => Some(rejection(
            format!(
                "the challenge is a custom SCEP certificate authority's (`{}`), but the URL is not `$FLEET_VAR_CUSTOM_SCEP_PROXY_URL_{}`",
                crate::source::shorten(&a, 40),
                crate::source::shorten(&a, 40)
            ),
            "set the URL to the same certificate authority's proxy URL variable",
            at,
            "URL variable missing",
        )),
        (None, Some(b)) => Some(rejection(
            format!(
                "the URL is a custom SCEP certificate authority's (`{}`), but the challenge is not `$FLEET_VAR_CUSTOM_SCEP_CHALLENGE_{}`",
                crate::source::shorten(&b, 40),
                crate::source::shorten(&b, 40)
            ),
            "set the challenge to the same certificate authority's challenge variable",
            at,
            "challenge variable missing",
        )),
        _ => None,
    }
}

/// What Fleet's server refuses in an Apple profile: more than one SCEP payload, and
/// certificate-authority variables used twice, outside the SCEP payload, or without their
/// partner.
pub fn apple_rejections(root: &Node, profile: &Profile) -> Vec<Rejection> {
    let mut out = Vec::new();
    if profile.payloads.len() > 1 {
        out.push(rejection(
            "a profile may hold only one SCEP payload".to_owned(),
            "split the SCEP payloads into profiles of their own",
            &profile.payloads[1].origin,
            "second SCEP payload",
        ));
    }
    // Every string of the profile, and whether it sits inside a SCEP payload.
    let mut seen: Vec<String> = Vec::new();
    let mut stack: Vec<(&Node, bool, Option<crate::source::Span>)> =
        vec![(root, false, root.span.clone())];
    while let Some((node, in_scep, span)) = stack.pop() {
        match &node.value {
            Value::Dict(entries) => {
                let scep = in_scep
                    || node.get_str("PayloadType") == Some(crate::schema::SCEP_PAYLOAD_TYPE);
                let pkcs12 = node.get_str("PayloadType") == Some("com.apple.security.pkcs12");
                for entry in entries.iter().rev() {
                    stack.push((&entry.value, scep || pkcs12, entry.value.span.clone()));
                }
            }
            Value::Array(items) => {
                for item in items.iter().rev() {
                    stack.push((item, in_scep, item.span.clone()));
                }
            }
            Value::String(text) | Value::Deferred { token: text, .. } => {
                let origin = Origin::new(span, Default::default());
                for name in ca_variables(text) {
                    if !in_scep {
                        out.push(rejection(
                            format!("`$FLEET_VAR_{}` is outside the SCEP payload, the only place Fleet fills it", crate::source::shorten(&name, 40)),
                            "move the variable into the SCEP payload's `Challenge` or `URL`",
                            &origin,
                            "outside the SCEP payload",
                        ));
                    } else if seen.contains(&name) {
                        out.push(rejection(
                            format!(
                                "`$FLEET_VAR_{}` is used more than once",
                                crate::source::shorten(&name, 40)
                            ),
                            "use each certificate authority variable once, in the SCEP payload",
                            &origin,
                            "used again",
                        ));
                    }
                    seen.push(name);
                }
            }
            _ => {}
        }
    }
    for payload in &profile.payloads {
        let challenge = match &payload.challenge.value {
            crate::model::Challenge::Variable(token) => token.as_str(),
            _ => "",
        };
        let url = payload.urls.value.first().map_or("", |u| u.value.as_str());
        out.extend(ca_pairing(challenge, url, &payload.challenge.origin));
    }
    out
}

/// Where Fleet GitOps files list profiles: before Fleet 4.83 under `custom_settings`, from 4.83
/// under `configuration_profiles` (and `apple_settings` for Apple platforms).
const GITOPS_LISTS: &[(&str, &str)] = &[
    ("macos_settings", "custom_settings"),
    ("windows_settings", "custom_settings"),
    ("apple_settings", "configuration_profiles"),
    ("macos_settings", "configuration_profiles"),
    ("windows_settings", "configuration_profiles"),
];

/// The profiles a Fleet GitOps file (`default.yml`, `teams/*.yml`, `fleets/*.yml`) deploys, by
/// `path:` or `paths:` (a glob), relative to the file; `None` when the YAML is not a GitOps file.
pub fn read_gitops(root: &Node) -> Option<super::Read> {
    let controls = root.get("controls")?;
    let mut read = super::Read::default();
    let mut found = false;
    for (settings, list) in GITOPS_LISTS {
        let Some(items) = controls
            .get(settings)
            .and_then(|s| s.get(list))
            .and_then(Node::as_array)
        else {
            continue;
        };
        found = true;
        let list_path = crate::tree::KeyPath::root()
            .key("controls")
            .key(settings)
            .key(list);
        for (i, item) in items.iter().enumerate() {
            for (key, glob) in [("path", false), ("paths", true)] {
                let Some(entry) = item.entry(key) else {
                    continue;
                };
                let paths: Vec<&Node> = match &entry.value.value {
                    Value::Array(items) => items.iter().collect(),
                    _ => vec![&entry.value],
                };
                for path in paths {
                    let Some(written) = path.as_str() else {
                        continue;
                    };
                    read.references.push(crate::model::Reference {
                        path: written.to_owned(),
                        glob,
                        origin: Origin::new(
                            path.inner.clone().or(path.span.clone()),
                            list_path.index(i).key(key),
                        ),
                        vendor: Vendor::Fleet,
                        level: None,
                        redistribution_days: None,
                        redistribution_token: None,
                    });
                }
            }
        }
    }
    found.then_some(read)
}

/// Fleet's words for Apple profiles: Fleet delivers the file as written, so a fix is an edit of
/// the profile in the repository.
#[derive(Debug)]
pub struct FleetConsole;

pub static FLEET: FleetConsole = FleetConsole;

/// The renewal advice, shared with Fleet's Windows profiles.
pub fn renewal_help(subject_example: &str) -> String {
    format!(
        "add `$FLEET_VAR_CERTIFICATE_RENEWAL_ID` to the Subject's OU ({subject_example}): Fleet re-sends a profile whose Subject holds it {RENEWAL_DAYS} days before the certificate expires. For a certificate Fleet does not proxy, such as Okta's static challenge, that needs Fleet 4.86 or later; older versions only renew CAs Fleet proxies (their variable was `$FLEET_VAR_SCEP_RENEWAL_ID`). Fleet's Okta guide redeploys static-challenge profiles by hand: if you do, declare it with `redistribution-days`"
    )
}

impl Console for FleetConsole {
    fn vendor(&self) -> Vendor {
        Vendor::Fleet
    }

    fn key(&self, setting: Setting) -> &'static str {
        match setting {
            Setting::Redistribution => "the renewal id in the Subject",
            other => apple::apple_key(other),
        }
    }

    fn fix(&self, fix: Fix<'_>, platform: Platform) -> String {
        match fix {
            Fix::Redistribute { .. } => renewal_help(
                "an RDN `<array><array><string>OU</string><string>$FLEET_VAR_CERTIFICATE_RENEWAL_ID</string></array></array>`",
            ),
            Fix::StaticChallenge => "set `Challenge` to a Fleet secret variable that holds the secret key from Okta's SCEP settings (`$FLEET_SECRET_OKTA_SCEP_CHALLENGE`), or, for a CA Fleet proxies, its challenge variable (`$FLEET_VAR_CUSTOM_SCEP_CHALLENGE_<CA>`)".to_owned(),
            Fix::DynamicChallenge => "set `Challenge` to `$FLEET_VAR_CUSTOM_SCEP_CHALLENGE_<CA>` and `URL` to `$FLEET_VAR_CUSTOM_SCEP_PROXY_URL_<CA>` for a custom SCEP CA pointing at Okta's dynamic SCEP URL, or set `expected` to match the CA".to_owned(),
            Fix::ChallengeOutOfFile => "keep the secret key in Fleet as a secret variable (`$FLEET_SECRET_OKTA_SCEP_CHALLENGE`) and put the variable in the profile".to_owned(),
            Fix::DeviceIdentifier => "add a device identifier to the Subject, such as `%HardwareUUID%` or `$FLEET_VAR_HOST_UUID`".to_owned(),
            Fix::VariableSyntax => "Fleet's variables are written `$FLEET_VAR_<NAME>` or `${FLEET_VAR_<NAME>}` (Fleet's \"Fleet variables\" article); any other `$NAME` is filled from the environment by `fleetctl gitops`".to_owned(),
            other => apple::apple_fix(other, platform, self.mdm()),
        }
    }

    fn okta_level(&self, _platform: Platform) -> (Level, &'static str) {
        apple::OKTA_MACOS_LEVEL
    }

    fn other_dollar_names_filled(&self) -> bool {
        true
    }

    fn fills_environment(&self) -> bool {
        true
    }
}
