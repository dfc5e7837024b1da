//! Jamf Pro Classic API exports, XML (`<os_x_configuration_profile>`, `<configuration_profile>`)
//! and their JSON form. The profile itself is a plist escaped inside `general/payloads`; the
//! `general` block says the level and, for mobile device profiles, the redistribution days.

use super::{Escaping, Read, apple, nested_plist};
use crate::container::Limits;
use crate::model::{
    Console, Field, Fix, Level, Origin, Platform, Provenance, Redistribution, Setting, Vendor,
    Words,
};
use crate::tree::{KeyPath, Node};

const COMPUTER_PROFILE: &str = "os_x_configuration_profile";
const MOBILE_DEVICE_PROFILE: &str = "configuration_profile";

/// The spellings of the redistribution field seen in the wild (domain.md section 4): the API's,
/// an SDK's typo, Terraform's, and the JSON model's.
pub const REDISTRIBUTION_KEYS: &[&str] = &[
    "redeploy_days_before_certificate_expires",
    "redeploy_Dayss_before_certificate_expires",
    "redeploy_days_before_cert_expires",
    "redeployDaysBeforeCertificateExpires",
];

pub fn is_jamf(root: &Node) -> bool {
    root.get(COMPUTER_PROFILE).is_some() || root.get(MOBILE_DEVICE_PROFILE).is_some()
}

pub fn read(
    root: &Node,
    text: Option<&str>,
    escaping: Escaping,
    limits: &Limits,
) -> Result<Read, super::Problem> {
    let (name, platform) = if root.get(COMPUTER_PROFILE).is_some() {
        (COMPUTER_PROFILE, Platform::MacOs)
    } else {
        (MOBILE_DEVICE_PROFILE, Platform::Ios)
    };
    let Some(profile) = root.get(name) else {
        return Ok(Read::default());
    };
    let path = KeyPath::root().key(name);
    let general_path = path.key("general");
    let general = profile.get("general");
    let Some(payloads) = general.and_then(|g| g.entry("payloads")) else {
        return Ok(Read::default());
    };
    if payloads.value.as_str().is_none_or(|s| s.trim().is_empty()) {
        return Ok(Read::default());
    }

    let (plist, comments) = nested_plist(&payloads.value, text, escaping, limits)?;
    let context = apple::Context {
        vendor: Vendor::Jamf,
        words: Words(&JAMF),
        subject_field: super::subject_field(Vendor::Jamf),
        platform: Some(platform),
        level: general.and_then(|g| level(g, &general_path)),
        redistribution: redistribution(general, profile, &general_path, &path),
        path: general_path.key("payloads").nested(),
        display_name: general.and_then(|g| g.get_str("name")).map(str::to_owned),
    };
    let mut read = Read::default();
    // The nested plist's secrets first: an encrypted profile is still shown, masked.
    read.keep_nested(&plist, comments, text);
    match apple::read_profile(&plist, &context) {
        Ok(profile) => read.profiles.extend(profile),
        Err(apple::NotReadable::Encrypted(origin)) => {
            return Err(super::Problem::Encrypted(origin, read.secrets));
        }
    }
    Ok(read)
}

fn level(general: &Node, path: &KeyPath) -> Option<Field<Option<Level>>> {
    let entry = general.entry("level")?;
    let origin = apple::value_origin(entry, path);
    let text = scalar_text(&entry.value)?.to_ascii_lowercase();
    Some(if text.contains("user") {
        Field::explicit(Some(Level::User), origin)
    } else if ["system", "computer", "device"]
        .iter()
        .any(|w| text.contains(w))
    {
        Field::explicit(Some(Level::Computer), origin)
    } else {
        Field::new(
            None,
            Provenance::Invalid {
                found: "an unknown level".into(),
            },
            origin,
        )
    })
}

/// The redistribution days from `general` (or the profile object, for JSON models that keep
/// it at the top), under any of its spellings. Absent means unknown, not off: Jamf's macOS
/// responses were not seen to carry the field at all.
fn redistribution(
    general: Option<&Node>,
    profile: &Node,
    general_path: &KeyPath,
    path: &KeyPath,
) -> Field<Redistribution> {
    let found = [(general, general_path), (Some(profile), path)]
        .into_iter()
        .filter_map(|(node, path)| node.map(|n| (n, path)))
        .find_map(|(node, path)| {
            REDISTRIBUTION_KEYS
                .iter()
                .find_map(|key| node.entry(key))
                .map(|entry| (entry, path))
        });
    let Some((entry, path)) = found else {
        return Field::new(
            Redistribution::NotInExport,
            Provenance::Missing,
            Origin::new(
                general.and_then(|g| g.span.clone()),
                general_path.key(REDISTRIBUTION_KEYS[0]),
            ),
        );
    };
    let origin = apple::value_origin(entry, path);
    match scalar_text(&entry.value).and_then(|t| t.trim().parse::<i64>().ok()) {
        Some(days) => Field::explicit(Redistribution::Days(days), origin),
        None => Field::new(
            Redistribution::Unknown,
            Provenance::Invalid {
                found: "a value that is not a whole number of days".into(),
            },
            origin,
        ),
    }
}

/// Jamf's XML holds every value as text; its JSON holds numbers as numbers.
fn scalar_text(node: &Node) -> Option<std::borrow::Cow<'_, str>> {
    match &node.value {
        crate::tree::Value::String(s) => Some(s.as_str().into()),
        crate::tree::Value::Integer(i) => Some(i.to_string().into()),
        _ => None,
    }
}

/// Jamf Pro's words: its console's settings and its Classic API's field names.
#[derive(Debug)]
pub struct JamfConsole;

pub static JAMF: JamfConsole = JamfConsole;

impl Console for JamfConsole {
    fn vendor(&self) -> Vendor {
        Vendor::Jamf
    }

    fn key(&self, setting: Setting) -> &'static str {
        match setting {
            Setting::Redistribution => REDISTRIBUTION_KEYS[0],
            Setting::Level => "level",
            other => apple::apple_key(other),
        }
    }

    fn fix(&self, fix: Fix<'_>, platform: Platform) -> String {
        match fix {
            Fix::Redistribute { lifetime_days } => format!(
                "in Jamf Pro, set the profile's \"Redistribute Profile\" to a number of days before the certificate expires, fewer than {lifetime_days} (Okta's example is 120); exports show it as `redeploy_days_before_certificate_expires`"
            ),
            Fix::ShortenSubject { to } => format!(
                "shorten the Subject to {to} characters or fewer to leave room for `$PROFILE_IDENTIFIER`; Okta's example `CN=$COMPUTERNAME ma $UDID` fits"
            ),
            Fix::KeySize { bits } => format!(
                "in Jamf Pro's SCEP payload, set Key Size to {bits} (`<key>Keysize</key><integer>{bits}</integer>`)"
            ),
            Fix::SigningOnly => "in Jamf Pro's SCEP payload, select only \"Use as digital signature\" (`<key>Key Usage</key><integer>1</integer>`)".to_owned(),
            Fix::NotExtractable => "in Jamf Pro's SCEP payload, clear \"Allow export from keychain\" (`<key>KeyIsExtractable</key><false/>`)".to_owned(),
            Fix::AllAppsAccess => "in Jamf Pro's SCEP payload, select \"Allow all apps access\" (`<key>AllowAllAppsAccess</key><true/>`)".to_owned(),
            Fix::StaticChallenge => "in Jamf Pro's SCEP payload, set Challenge Type to Static and paste the secret key from Okta's SCEP settings".to_owned(),
            Fix::ChallengeOutOfFile => "a Jamf Pro export always carries the static challenge: keep such exports in a private repository, or out of version control, and add `ignore = [\"challenge-in-file\"]` for them in an `[[overrides]]` entry".to_owned(),
            Fix::DeviceIdentifier => "add the device's UDID to the Subject, as Okta's example does: `CN=$COMPUTERNAME ma $UDID`".to_owned(),
            Fix::NoSubjectAltName => "in Jamf Pro's SCEP payload, set Subject Alternative Name Type to None".to_owned(),
            Fix::Level(Level::Computer) => "in Jamf Pro, create the profile at Computer Level (`<level>System</level>`, `PayloadScope` System)".to_owned(),
            Fix::Level(Level::User) => "in Jamf Pro, create the profile at User Level".to_owned(),
            other => apple::apple_fix(other, platform, self.mdm()),
        }
    }

    fn okta_level(&self, _platform: Platform) -> (Level, &'static str) {
        apple::OKTA_MACOS_LEVEL
    }
}
