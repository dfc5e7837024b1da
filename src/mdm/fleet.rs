//! Fleet (fleetdm/fleet): profiles that hold Fleet's variables, or that configuration or a Fleet
//! GitOps file says are Fleet's. Fleet delivers a profile as written, filling in its
//! `$FLEET_VAR_...` variables on the server and `$FLEET_SECRET_...` ones from its secrets;
//! `fleetctl gitops` fills every other `$NAME` from the environment before upload.
//!
//! Redistribution is a matter of the Subject: Fleet re-sends a SCEP profile 30 days before its
//! certificate expires only when the Subject holds the renewal id (domain.md section 10).

use super::apple;
use crate::model::{
    Console, Field, Fix, Level, Origin, Platform, Provenance, Redistribution, Setting, Subject,
    Vendor,
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
}
