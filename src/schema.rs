//! Apple's schema for the SCEP payload (`com.apple.security.scep`, apple/device-management,
//! mdm/profiles/com.apple.security.scep.yaml): its keys as Apple spells them, their types and
//! the defaults a device uses when a key is absent. Readers use it to read payloads the way a
//! device does; rules use it to judge the keys themselves.

pub const SCEP_PAYLOAD_TYPE: &str = "com.apple.security.scep";

/// Apple's documented defaults for absent keys.
pub const DEFAULT_KEY_SIZE: i128 = 1024;
pub const DEFAULT_KEY_USAGE: i128 = 0;
pub const DEFAULT_KEY_IS_EXTRACTABLE: bool = true;
pub const DEFAULT_ALLOW_ALL_APPS_ACCESS: bool = false;
pub const DEFAULT_RETRIES: i128 = 3;
pub const DEFAULT_RETRY_DELAY: i128 = 10;

/// The keys of the SCEP payload's settings dict, spelt as Apple spells them.
pub const SCEP_KEYS: &[&str] = &[
    "URL",
    "Name",
    "Subject",
    "Challenge",
    "Keysize",
    "Key Type",
    "Key Usage",
    "CAFingerprint",
    "Retries",
    "RetryDelay",
    "SubjectAltName",
    "KeyIsExtractable",
    "AllowAllAppsAccess",
];

/// The type Apple's schema gives each key of the SCEP payload.
pub fn expected_type(key: &str) -> &'static str {
    match key {
        "Subject" => "array",
        "Keysize" | "Key Usage" | "Retries" | "RetryDelay" => "integer",
        "KeyIsExtractable" | "AllowAllAppsAccess" => "boolean",
        "CAFingerprint" => "data",
        "SubjectAltName" => "dict",
        _ => "string",
    }
}

fn normalize(key: &str) -> String {
    key.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `found` looks like a misspelling of the known key `wanted`: the same letters
/// ignoring case, spaces and underscores, or one edit away for longer keys.
pub fn is_misspelling(found: &str, wanted: &str) -> bool {
    if found == wanted {
        return false;
    }
    let (a, b) = (normalize(found), normalize(wanted));
    // One edit changes the length by at most one character: most keys are ruled out here.
    a == b
        || (b.len() >= 8
            && a.chars().count().abs_diff(b.chars().count()) <= 1
            && crate::similarity::edit_distance(&a, &b) <= 1)
}
