//! Kandji/Iru: the custom-profile API JSON (the mobileconfig as a string in `profile`), and
//! mobileconfigs recognised by their `com.kandji.` / `io.kandji.` identifiers. Redistribution is
//! a setting of the Iru library item with no payload key, so an export never shows it.

use super::{Escaping, Read, apple, nested_plist};
use crate::container::Limits;
use crate::model::{
    Console, Field, Fix, Level, Origin, Platform, Profile, Provenance, Redistribution, Setting,
    Vendor, Words,
};
use crate::tree::{KeyPath, Node};

pub fn is_kandji_identifier(identifier: &str) -> bool {
    identifier.starts_with("com.kandji.") || identifier.starts_with("io.kandji.")
}

/// A custom-profile object (`{"id", "name", "profile": "<?xml ...", "mdm_identifier", ...}`) or
/// a list of them under `results`.
pub fn is_kandji_json(root: &Node) -> bool {
    profile_objects(root).next().is_some()
}

fn is_profile_object(node: &Node) -> bool {
    node.get_str("profile")
        .is_some_and(|p| p.trim_start().starts_with('<'))
        && (node.get("mdm_identifier").is_some()
            || node.get("runs_on_mac").is_some()
            || node.get("active").is_some())
}

fn profile_objects(root: &Node) -> impl Iterator<Item = (&Node, KeyPath)> {
    let single = is_profile_object(root).then(|| (root, KeyPath::root()));
    let listed = root
        .get("results")
        .and_then(Node::as_array)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter(|(_, n)| is_profile_object(n))
        .map(|(i, n)| (n, KeyPath::root().key("results").index(i)));
    single.into_iter().chain(listed)
}

pub fn read(root: &Node, text: Option<&str>, limits: &Limits) -> Result<Read, super::Problem> {
    let mut read = Read::default();
    for (object, path) in profile_objects(root) {
        let Some(profile) = object.get("profile") else {
            continue;
        };
        let (plist, comments) = nested_plist(profile, text, Escaping::Json, limits)?;
        let context = apple::Context {
            vendor: Vendor::Kandji,
            words: Words(&KANDJI),
            subject_field: super::subject_field(Vendor::Kandji),
            platform: Some(platform(object)),
            level: None,
            redistribution: Field::new(
                Redistribution::NotInExport,
                Provenance::Missing,
                Origin::default(),
            ),
            path: path.key("profile").nested(),
            display_name: object.get_str("name").map(str::to_owned),
        };
        // The nested plist's secrets first: an encrypted profile is still shown, masked.
        read.keep_nested(&plist, comments, text);
        let profile = match apple::read_profile(&plist, &context) {
            Ok(profile) => profile,
            Err(apple::NotReadable::Encrypted(origin)) => {
                return Err(super::Problem::Encrypted(
                    origin,
                    std::mem::take(&mut read.secrets),
                ));
            }
        };
        let targets_windows = object.get("runs_on_windows").and_then(Node::as_bool) == Some(true);
        read.profiles.extend(profile.map(|p| Profile {
            targets_windows,
            ..p
        }));
    }
    Ok(read)
}

fn platform(object: &Node) -> Platform {
    let runs_on = |key: &str| object.get(key).and_then(Node::as_bool) == Some(true);
    let others = [
        "runs_on_iphone",
        "runs_on_ipad",
        "runs_on_tv",
        "runs_on_vision",
    ];
    if runs_on("runs_on_mac") && !others.iter().any(|k| runs_on(k)) {
        Platform::MacOs
    } else {
        Platform::Apple
    }
}

/// Kandji/Iru's words: the SCEP library item's settings.
#[derive(Debug)]
pub struct KandjiConsole;

pub static KANDJI: KandjiConsole = KandjiConsole;

impl Console for KandjiConsole {
    fn vendor(&self) -> Vendor {
        Vendor::Kandji
    }

    fn key(&self, setting: Setting) -> &'static str {
        apple::apple_key(setting)
    }

    fn fix(&self, fix: Fix<'_>, platform: Platform) -> String {
        match fix {
            Fix::Redistribute { .. } => "in Kandji/Iru, turn on \"Automatic profile redistribution\" for the SCEP library item (Iru's guide uses 30 days)".to_owned(),
            Fix::ShortenSubject { to } => format!(
                "shorten the Subject to {to} characters or fewer to leave room for the profile UUID Kandji/Iru appends; Kandji/Iru's guide uses `CN=$SERIAL_NUMBER`"
            ),
            Fix::KeySize { bits } => format!("in the Kandji/Iru SCEP library item, set Key Size to {bits}"),
            Fix::SigningOnly => "in the Kandji/Iru SCEP library item, set Key Usage to Signing".to_owned(),
            Fix::NotExtractable => "in the Kandji/Iru SCEP library item, select \"Don't allow key to be extracted\"".to_owned(),
            Fix::AllAppsAccess => "in the Kandji/Iru SCEP library item, select \"Allow access to all apps\"".to_owned(),
            Fix::StaticChallenge => "in the Kandji/Iru SCEP library item, paste the secret key from Okta's SCEP settings into Challenge".to_owned(),
            Fix::ChallengeOutOfFile => "a Kandji/Iru export always carries the static challenge: keep such exports in a private repository, or out of version control, and add `ignore = [\"challenge-in-file\"]` for them in an `[[overrides]]` entry".to_owned(),
            Fix::DeviceIdentifier => "add a device identifier to the Subject, such as `CN=$SERIAL_NUMBER` (Kandji/Iru's guide) or `$UDID`".to_owned(),
            Fix::NoSubjectAltName => "in the Kandji/Iru SCEP library item, set Subject Alternative Name Type to None".to_owned(),
            other => apple::apple_fix(other, platform, self.mdm()),
        }
    }

    fn okta_level(&self, _platform: Platform) -> (Level, &'static str) {
        apple::OKTA_MACOS_LEVEL
    }
}
