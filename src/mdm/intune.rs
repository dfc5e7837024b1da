//! Microsoft Intune SCEP certificate profiles, as Microsoft Graph returns them
//! (`deviceManagement/deviceConfigurations`): one object, or a `{"value": [...]}` list, from
//! Graph itself, IntuneBackupAndRestore or IntuneCD. Intune generates the challenge itself, so
//! these profiles have no challenge field.

use super::{Hints, Read, apple, subject, windows};
use crate::model::{
    Challenge, Console, Field, Fix, Hash, KeyStorage, KeyUsage, Level, Origin, Platform, Profile,
    Provenance, Redistribution, RequestSettings, SanEntry, ScepPayload, Setting, Subject, Vendor,
    Words, validity_days,
};
use crate::tree::{Entry, KeyPath, Node, Value};

/// The `@odata.type` of each SCEP profile kind, and its platform. Graph names Windows 10/11
/// SCEP profiles `windows81SCEPCertificateProfile`.
const ODATA_TYPES: &[(&str, Platform)] = &[
    (
        "#microsoft.graph.macOSScepCertificateProfile",
        Platform::MacOs,
    ),
    (
        "#microsoft.graph.windows81SCEPCertificateProfile",
        Platform::Windows,
    ),
    (
        "#microsoft.graph.windows10ScepCertificateProfile",
        Platform::Windows,
    ),
    ("#microsoft.graph.iosScepCertificateProfile", Platform::Ios),
];

/// Intune's preset subject formats and the subject each stands for (Graph's
/// `appleSubjectNameFormat`; the expansions follow Intune's documentation of the presets).
const SUBJECT_PRESETS: &[(&str, &str)] = &[
    ("commonName", "CN={{UserName}}"),
    (
        "commonNameIncludingEmail",
        "CN={{UserName}},E={{EmailAddress}}",
    ),
    ("commonNameAsEmail", "CN={{EmailAddress}}"),
    ("commonNameAsIMEI", "CN={{IMEI}}"),
    ("commonNameAsSerialNumber", "CN={{SerialNumber}}"),
];

/// The Intune SCEP profiles in `root`, or `None` when it is not an Intune export.
pub fn read(root: &Node, hints: Hints) -> Option<Read> {
    let forced = hints.vendor == Some(Vendor::Intune);
    let mut profiles = Vec::new();
    let mut recognised = false;
    // Graph answers a list as `{"value": [...]}`; Microsoft's generated docs print a single
    // object as `{"value": {...}}`; exports keep the object itself.
    let objects: Vec<(&Node, KeyPath)> = match root.get("value") {
        Some(value) if value.as_array().is_some() => value
            .as_array()
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(i, item)| (item, KeyPath::root().key("value").index(i)))
            .collect(),
        Some(value) if value.as_dict().is_some() => vec![(value, KeyPath::root().key("value"))],
        _ => vec![(root, KeyPath::root())],
    };
    for (object, path) in objects {
        recognised |= object.get("@odata.type").is_some();
        if let Some(platform) = platform(object, forced) {
            profiles.push(read_object(object, platform, &path));
        } else if let Some(profile) = read_custom_windows(object, &path) {
            profiles.push(profile);
        }
    }
    (recognised || !profiles.is_empty()).then_some(Read {
        profiles,
        ..Read::default()
    })
}

/// Graph's data type of an OMA-URI setting, as a SyncML `<Format>`.
fn oma_format(odata_type: &str) -> &'static str {
    match odata_type.trim_start_matches("#microsoft.graph.") {
        "omaSettingInteger" => "int",
        "omaSettingBoolean" => "bool",
        "omaSettingBase64" => "b64",
        "omaSettingFloatingPoint" => "float",
        "omaSettingStringXml" => "xml",
        _ => "chr",
    }
}

/// A Windows custom profile (`windows10CustomConfiguration`) whose OMA-URI settings write
/// ClientCertificateInstall SCEP nodes.
fn read_custom_windows(object: &Node, path: &KeyPath) -> Option<Profile> {
    let settings = object.get("omaSettings")?.as_array()?;
    let list_path = path.key("omaSettings");
    let mut written = Vec::new();
    let mut encrypted_challenge = None;
    for (i, setting) in settings.iter().enumerate() {
        let item_path = list_path.index(i);
        let Some(uri_entry) = setting.entry("omaUri") else {
            continue;
        };
        let Some(uri) = uri_entry.value.as_str() else {
            continue;
        };
        let value = setting
            .entry("value")
            .filter(|e| e.value.value != Value::Null);
        let data = value.and_then(|entry| {
            let text = match &entry.value.value {
                Value::String(s) => s.clone(),
                Value::Integer(n) => n.to_string(),
                Value::Real(r) => r.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Deferred { token, .. } => token.clone(),
                _ => return None,
            };
            Some((text, origin_of(entry, &item_path)))
        });
        let computed = value.is_some_and(is_deferred);
        let encrypted = setting.get("isEncrypted").and_then(Node::as_bool) == Some(true);
        let data = match data {
            // Intune keeps the value encrypted and the export does not hold it: set, unknown.
            None if encrypted => {
                let origin = origin_of(uri_entry, &item_path);
                if uri.trim_end().ends_with("/Install/Challenge") {
                    encrypted_challenge = Some(origin.clone());
                }
                Some((String::new(), origin))
            }
            data => data,
        };
        written.push(windows::Written {
            verb: windows::Verb::Replace,
            uri: uri.trim().to_owned(),
            uri_origin: origin_of(uri_entry, &item_path),
            computed,
            format: setting.entry("@odata.type").and_then(|e| {
                Some((
                    oma_format(e.value.as_str()?).to_owned(),
                    origin_of(e, &item_path),
                ))
            }),
            data,
        });
    }
    let frame = windows::Frame {
        vendor: Vendor::Intune,
        words: windows::csp_words(Vendor::Intune),
        origin: Origin::new(object.span.clone(), path.clone()),
        display_name: object.get_str("displayName").map(str::to_owned),
        identifier: object.get_str("id").map(str::to_owned),
        file: crate::model::CspFile {
            has_commands: false,
            ..Default::default()
        },
    };
    let mut profile = windows::read(&written, frame)?;
    if let Some(origin) = encrypted_challenge {
        for payload in &mut profile.payloads {
            if matches!(
                payload.challenge.value,
                Challenge::Empty | Challenge::Absent
            ) {
                payload.challenge = Field::explicit(Challenge::SuppliedByMdm, origin.clone());
            }
        }
    }
    Some(profile)
}

/// The platform of a SCEP profile object: from `@odata.type`, or, when an export tool dropped
/// it, from fields only one platform has.
fn platform(object: &Node, forced: bool) -> Option<Platform> {
    if let Some(kind) = object.get_str("@odata.type") {
        return ODATA_TYPES
            .iter()
            .find(|(t, _)| t.eq_ignore_ascii_case(kind))
            .map(|(_, p)| *p);
    }
    if object.get("scepServerUrls").is_none() && !forced {
        return None;
    }
    if object.get("keyStorageProvider").is_some() || object.get("hashAlgorithm").is_some() {
        Some(Platform::Windows)
    } else if object.get("allowAllAppsAccess").is_some()
        || object.get("deploymentChannel").is_some()
    {
        Some(Platform::MacOs)
    } else {
        None
    }
}

fn origin_of(entry: &Entry, path: &KeyPath) -> Origin {
    apple::value_origin(entry, path)
}

/// A present, non-null field.
fn field<'a>(object: &'a Node, key: &str) -> Option<&'a Entry> {
    object.entry(key).filter(|e| e.value.value != Value::Null)
}

/// A field that is absent or null: at the null when there is one, else at the object, under
/// the key's path either way.
fn missing<T>(value: T, object: &Node, key: &str, path: &KeyPath) -> Field<T> {
    let span = match object.entry(key) {
        Some(entry) => apple::content_span(&entry.value),
        None => object.span.clone(),
    };
    Field::new(value, Provenance::Missing, Origin::new(span, path.key(key)))
}

/// Whether a field holds a value Terraform computes (`var.key_size`): unknown until it runs.
fn is_deferred(entry: &Entry) -> bool {
    matches!(entry.value.value, Value::Deferred { .. })
}

/// A field whose value is computed elsewhere: `value` stands in, marked as unknown.
fn deferred<T>(value: T, entry: &Entry, path: &KeyPath) -> Field<T> {
    let token = match &entry.value.value {
        Value::Deferred { token, .. } => token.clone(),
        _ => String::new(),
    };
    Field::new(
        value,
        Provenance::Deferred { token },
        origin_of(entry, path),
    )
}

fn string_field(object: &Node, key: &str, path: &KeyPath) -> Option<Field<String>> {
    let entry = field(object, key)?;
    if is_deferred(entry) {
        return Some(deferred(String::new(), entry, path));
    }
    Some(Field::explicit(
        entry.value.as_str()?.to_owned(),
        origin_of(entry, path),
    ))
}

fn read_object(object: &Node, platform: Platform, path: &KeyPath) -> Profile {
    let origin = Origin::new(object.span.clone(), path.clone());

    let urls = match field(object, "scepServerUrls") {
        Some(entry) if is_deferred(entry) => deferred(Vec::new(), entry, path),
        Some(entry) => {
            let list_path = path.key("scepServerUrls");
            let urls = entry
                .value
                .as_array()
                .unwrap_or_default()
                .iter()
                .enumerate()
                .filter_map(|(i, url)| {
                    Some(Field::explicit(
                        url.as_str()?.to_owned(),
                        Origin::new(apple::content_span(url), list_path.index(i)),
                    ))
                })
                .collect();
            Field::explicit(urls, origin_of(entry, path))
        }
        None => missing(Vec::new(), object, "scepServerUrls", path),
    };

    let key_size = match field(object, "keySize") {
        Some(entry) if is_deferred(entry) => deferred(None, entry, path),
        Some(entry) => {
            let size = entry
                .value
                .as_str()
                .and_then(|s| s.strip_prefix("size"))
                .and_then(|s| s.parse::<i128>().ok());
            match size {
                Some(size) => Field::explicit(Some(size), origin_of(entry, path)),
                None => Field::new(
                    None,
                    Provenance::Invalid {
                        found: "a value other than size1024, size2048 or size4096".into(),
                    },
                    origin_of(entry, path),
                ),
            }
        }
        None => missing(None, object, "keySize", path),
    };

    let key_usage = match field(object, "keyUsage") {
        Some(entry) if is_deferred(entry) => deferred(None, entry, path),
        Some(entry) => match key_usage_text(&entry.value)
            .as_deref()
            .and_then(parse_key_usage)
        {
            Some(usage) => Field::explicit(Some(usage), origin_of(entry, path)),
            None => Field::new(
                None,
                Provenance::Invalid {
                    found: "a value other than digitalSignature and keyEncipherment flags".into(),
                },
                origin_of(entry, path),
            ),
        },
        None => missing(None, object, "keyUsage", path),
    };

    let all_apps_access =
        (platform == Platform::MacOs).then(|| match field(object, "allowAllAppsAccess") {
            Some(entry) if is_deferred(entry) => deferred(true, entry, path),
            Some(entry) => match entry.value.as_bool() {
                Some(b) => Field::explicit(b, origin_of(entry, path)),
                // The whole value, quotes and all: its type is what is wrong.
                None => Field::new(
                    false,
                    Provenance::Invalid {
                        found: format!("a {}", entry.value.type_name()),
                    },
                    Origin::new(
                        entry.value.span.clone().or_else(|| entry.key_span.clone()),
                        path.key(&entry.key),
                    ),
                ),
            },
            None => Field::new(
                false,
                Provenance::Defaulted,
                Origin::new(object.span.clone(), path.key("allowAllAppsAccess")),
            ),
        });

    let level = match field(object, "certificateStore") {
        Some(entry) if is_deferred(entry) => deferred(None, entry, path),
        Some(entry) => {
            let level = match entry.value.as_str() {
                Some(s) if s.eq_ignore_ascii_case("user") => Some(Level::User),
                Some(s) if s.eq_ignore_ascii_case("machine") => Some(Level::Computer),
                _ => None,
            };
            let provenance = if level.is_some() {
                Provenance::Explicit
            } else {
                Provenance::Invalid {
                    found: "a store other than user or machine".into(),
                }
            };
            Field::new(level, provenance, origin_of(entry, path))
        }
        None => missing(None, object, "certificateStore", path),
    };

    let validity = validity(object, path).or_else(|| {
        Some(missing(
            (0, String::new()),
            object,
            "certificateValidityPeriodValue",
            path,
        ))
    });
    let redistribution = match field(object, "renewalThresholdPercentage") {
        Some(entry) if is_deferred(entry) => deferred(Redistribution::Unknown, entry, path),
        Some(entry) => match entry.value.as_integer().and_then(|p| i64::try_from(p).ok()) {
            Some(percent) => Field::explicit(
                Redistribution::Threshold {
                    percent,
                    validity_days: validity.as_ref().and_then(|v| validity_days(&v.value)),
                },
                origin_of(entry, path),
            ),
            None => Field::new(
                Redistribution::Unknown,
                Provenance::Invalid {
                    found: format!("a {}", entry.value.type_name()),
                },
                origin_of(entry, path),
            ),
        },
        None => missing(
            Redistribution::Unknown,
            object,
            "renewalThresholdPercentage",
            path,
        ),
    };

    let subject_format = string_field(object, "subjectNameFormat", path);
    let subject = read_subject(object, path, subject_format.as_ref());
    let san = read_san(object, path, &origin);

    let extended_key_usages = field(object, "extendedKeyUsages").map(|entry| {
        if is_deferred(entry) {
            return deferred(Vec::new(), entry, path);
        }
        let usages = entry
            .value
            .as_array()
            .unwrap_or_default()
            .iter()
            .map(|eku| {
                (
                    eku.get_str("name").unwrap_or_default().to_owned(),
                    eku.get_str("objectIdentifier")
                        .unwrap_or_default()
                        .to_owned(),
                )
            })
            .collect();
        Field::explicit(usages, origin_of(entry, path))
    });

    let payload = ScepPayload {
        misplaced: Vec::new(),
        csp: None,
        identifier: object.get_str("id").map(str::to_owned),
        uuid: None,
        display_name: object.get_str("displayName").map(str::to_owned),
        origin: origin.clone(),
        settings_origin: origin.clone(),
        settings_dict: object.span.clone(),
        urls,
        challenge: Field::new(
            Challenge::SuppliedByMdm,
            Provenance::Explicit,
            origin.clone(),
        ),
        subject,
        san,
        key_size,
        key_type: None,
        key_usage,
        key_extractable: None,
        all_apps_access,
        retries: None,
        retry_delay: None,
        raw_keys: Vec::new(),
        request: Some(RequestSettings {
            key_storage: string_field(object, "keyStorageProvider", path)
                .map(|f| Field::new(key_storage(&f.value), f.provenance, f.origin)),
            hash: string_field(object, "hashAlgorithm", path)
                .map(|f| Field::new(hashes(&f.value), f.provenance, f.origin)),
            validity,
            extended_key_usages,
            deployment_channel: string_field(object, "deploymentChannel", path),
            subject_name_format: subject_format,
            ca_thumbprint: None,
        }),
    };

    Profile {
        vendor: Vendor::Intune,
        words: Words(&INTUNE),
        subject_field: None,
        platform,
        display_name: object.get_str("displayName").map(str::to_owned),
        identifier: object.get_str("id").map(str::to_owned),
        uuid: None,
        origin,
        level,
        redistribution,
        structure: None,
        targets_windows: platform == Platform::Windows,
        payloads: vec![payload],
        csp: None,
        rejections: Vec::new(),
    }
}

/// Key usage flags as Graph writes them (`"digitalSignature,keyEncipherment"`), or as a list
/// (Terraform's provider: `["digitalSignature"]`).
fn key_usage_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => items
            .iter()
            .map(|item| item.as_str())
            .collect::<Option<Vec<&str>>>()
            .map(|flags| flags.join(",")),
        _ => None,
    }
}

/// The Intune profile a Graph object (from anywhere: a Terraform resource, an IntuneCD backup)
/// describes, if it is a SCEP profile or a Windows custom profile carrying SCEP nodes.
pub fn read_graph_object(object: &Node, path: &KeyPath, hints: Hints) -> Option<Profile> {
    let forced = hints.vendor == Some(Vendor::Intune);
    match platform(object, forced) {
        Some(platform) => Some(read_object(object, platform, path)),
        None => read_custom_windows(object, path),
    }
}

/// `digitalSignature,keyEncipherment` in any order.
fn parse_key_usage(flags: &str) -> Option<KeyUsage> {
    let mut usage = KeyUsage::flags(false, false);
    for flag in flags.split(',').map(str::trim).filter(|f| !f.is_empty()) {
        match flag {
            "digitalSignature" => usage.signing = true,
            "keyEncipherment" => usage.encryption = true,
            _ => return None,
        }
    }
    Some(usage)
}

fn validity(object: &Node, path: &KeyPath) -> Option<Field<(i64, String)>> {
    let value = field(object, "certificateValidityPeriodValue")?;
    if let Some(computed) = [Some(value), field(object, "certificateValidityPeriodScale")]
        .into_iter()
        .flatten()
        .find(|e| is_deferred(e))
    {
        return Some(deferred((0, String::new()), computed, path));
    }
    let scale = object
        .get_str("certificateValidityPeriodScale")
        .unwrap_or("years");
    let amount = i64::try_from(value.value.as_integer()?).ok()?;
    Some(Field::explicit(
        (amount, scale.to_owned()),
        origin_of(value, path),
    ))
}

/// Graph's `keyStorageProvider`.
fn key_storage(value: &str) -> KeyStorage {
    match value {
        "useTpmKspOtherwiseUseSoftwareKsp" => KeyStorage::TpmIfPresent,
        "useTpmKspOtherwiseFail" => KeyStorage::TpmRequired,
        "usePassportForWorkKspOtherwiseFail" => KeyStorage::Passport,
        "useSoftwareKsp" => KeyStorage::Software,
        other => KeyStorage::Other(other.to_owned()),
    }
}

/// Graph's `hashAlgorithm` flags, comma-joined.
fn hashes(value: &str) -> Vec<Hash> {
    value
        .split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(|flag| match flag {
            "sha1" => Hash::Sha1,
            "sha2" => Hash::Sha2,
            other => Hash::Other(other.to_owned()),
        })
        .collect()
}

fn read_subject(
    object: &Node,
    path: &KeyPath,
    format: Option<&Field<String>>,
) -> Field<Option<Subject>> {
    let custom = format.is_none_or(|f| f.value == "custom");
    if custom {
        return match field(object, "subjectNameFormatString") {
            Some(entry) if is_deferred(entry) => deferred(None, entry, path),
            Some(entry) => {
                let text = entry.value.as_str().unwrap_or_default();
                let entry_origin = origin_of(entry, path);
                let exact = entry_origin
                    .span
                    .as_ref()
                    .is_some_and(|s| s.len() == text.len());
                let subject = subject::parse(
                    text,
                    entry_origin.span.clone(),
                    exact,
                    &path.key("subjectNameFormatString"),
                );
                Field::explicit(Some(subject), entry_origin)
            }
            None => missing(None, object, "subjectNameFormatString", path),
        };
    }
    let Some(format) = format else {
        return missing(None, object, "subjectNameFormat", path);
    };
    match SUBJECT_PRESETS
        .iter()
        .find(|(name, _)| *name == format.value)
    {
        Some((_, text)) => {
            let subject = subject::parse(
                text,
                format.origin.span.clone(),
                false,
                &format.origin.key_path,
            );
            Field::new(Some(subject), Provenance::Defaulted, format.origin.clone())
        }
        None => Field::new(
            None,
            Provenance::Invalid {
                found: "an unknown subject name format".into(),
            },
            format.origin.clone(),
        ),
    }
}

fn read_san(object: &Node, path: &KeyPath, origin: &Origin) -> Field<Vec<SanEntry>> {
    let Some(entry) = field(object, "customSubjectAlternativeNames") else {
        // The older flag field only names attribute types, without values.
        return match field(object, "subjectAlternativeNameType") {
            Some(flags) => {
                let flags_origin = origin_of(flags, path);
                let san = flags
                    .value
                    .as_str()
                    .unwrap_or_default()
                    .split(',')
                    .map(str::trim)
                    .filter(|f| !f.is_empty() && *f != "none")
                    .map(|kind| SanEntry {
                        kind: kind.to_owned(),
                        value: String::new(),
                        origin: flags_origin.clone(),
                    })
                    .collect();
                Field::explicit(san, flags_origin)
            }
            None => Field::new(Vec::new(), Provenance::Defaulted, origin.clone()),
        };
    };
    let list_path = path.key("customSubjectAlternativeNames");
    let san = entry
        .value
        .as_array()
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, item)| SanEntry {
            kind: item.get_str("sanType").unwrap_or_default().to_owned(),
            value: item.get_str("name").unwrap_or_default().to_owned(),
            origin: Origin::new(item.span.clone(), list_path.index(i)),
        })
        .collect();
    Field::explicit(san, origin_of(entry, path))
}

/// Intune's words: the SCEP certificate profile's settings and Graph's field names.
#[derive(Debug)]
pub struct IntuneConsole;

pub static INTUNE: IntuneConsole = IntuneConsole;

impl Console for IntuneConsole {
    fn vendor(&self) -> Vendor {
        Vendor::Intune
    }

    fn key_size_is_word(&self) -> bool {
        true
    }

    fn key(&self, setting: Setting) -> &'static str {
        match setting {
            Setting::Url => "scepServerUrls",
            Setting::Challenge => "(supplied by Intune)",
            Setting::Subject => "subjectNameFormatString",
            Setting::SubjectAltName => "customSubjectAlternativeNames",
            Setting::KeySize => "keySize",
            Setting::KeyUsage => "keyUsage",
            Setting::KeyExtractable => "(not an Intune setting)",
            Setting::AllAppsAccess => "allowAllAppsAccess",
            Setting::Redistribution => "renewalThresholdPercentage",
            Setting::Level => "certificateStore",
            Setting::KeyStorage => "keyStorageProvider",
            Setting::Hash => "hashAlgorithm",
            Setting::Validity => "certificateValidityPeriodValue",
            Setting::ExtendedKeyUsage => "extendedKeyUsages",
        }
    }

    fn fix(&self, fix: Fix<'_>, platform: Platform) -> String {
        match fix {
            Fix::Redistribute { .. } => "in the Intune SCEP certificate profile, set Renewal threshold (%) between 1 and 99 (Intune recommends 20)".to_owned(),
            Fix::ShortenSubject { to } => format!("shorten the subject name format to {to} characters or fewer"),
            Fix::KeySize { bits } => format!(
                "in the Intune SCEP certificate profile, set Key size (bits) to {bits} (`\"keySize\": \"size{bits}\"`)"
            ),
            Fix::SigningOnly => "in the Intune SCEP certificate profile, select only Digital signature under Key usage (`\"keyUsage\": \"digitalSignature\"`)".to_owned(),
            Fix::NotExtractable => "Intune has no such setting".to_owned(),
            Fix::AllAppsAccess => "in the Intune macOS SCEP certificate profile, enable \"Allow all apps access to private key\" (`\"allowAllAppsAccess\": true`)".to_owned(),
            Fix::StaticChallenge | Fix::DynamicChallenge => "Intune supplies the challenge itself; nothing to set".to_owned(),
            Fix::ChallengeOutOfFile => "Intune supplies the challenge itself; nothing is stored".to_owned(),
            // Microsoft advises against `{{DeviceId}}` in a Windows subject (sync can fail).
            Fix::DeviceIdentifier if platform == Platform::Windows => "add a device identifier to the Subject name format, such as `CN={{AAD_Device_ID}}` (Microsoft advises against `{{DeviceId}}` in a Windows subject)".to_owned(),
            Fix::DeviceIdentifier => "add a device identifier to the Subject name format, such as `CN={{UserPrincipalName}} ma {{DeviceId}}`".to_owned(),
            Fix::NoSubjectAltName => "remove the Subject alternative names from the Intune SCEP certificate profile".to_owned(),
            Fix::Level(Level::User) => "set Certificate type to User (`certificateStore: user`, with the user deployment channel on macOS)".to_owned(),
            Fix::Level(Level::Computer) => "set Certificate type to Device (`certificateStore: machine`)".to_owned(),
            Fix::VariableSyntax => "Intune variables are written `{{Name}}`; see Intune's list of supported certificate variables".to_owned(),
            Fix::KeyStorageTpm => "set Key storage provider (KSP) to \"Enroll to Trusted Platform Module (TPM) KSP if present, otherwise Software KSP\" (`useTpmKspOtherwiseUseSoftwareKsp`), as Okta advises".to_owned(),
            Fix::HashSha2 => "set Hash algorithm to SHA-2 only (`hashAlgorithm: sha2`)".to_owned(),
            Fix::ValidityOneYear => "set Certificate validity period to 1 year (`certificateValidityPeriodValue: 1`, `certificateValidityPeriodScale: years`)".to_owned(),
            Fix::ClientAuthentication => "add Client Authentication (1.3.6.1.5.5.7.3.2) to Extended key usage".to_owned(),
        }
    }

    fn okta_level(&self, _platform: Platform) -> (Level, &'static str) {
        (
            Level::User,
            "Okta's Intune guides use the user certificate store, which Okta Verify looks in first",
        )
    }

    fn subject_types(&self) -> &'static [&'static str] {
        // Intune's subject name attributes (Microsoft Learn, SCEP certificate profiles).
        &["C", "L", "ST", "O", "OU", "CN", "E"]
    }

    fn subject_escapes_break(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::{Limits, json};

    fn read_json(text: &str) -> Vec<Profile> {
        let root = json::parse(text, &Limits::default()).unwrap();
        read(&root, Hints::default()).unwrap().profiles
    }

    #[test]
    fn reads_a_macos_object() {
        let profiles = read_json(
            r##"{"@odata.type": "#microsoft.graph.macOSScepCertificateProfile", "keySize": "size2048",
                "keyUsage": "keyEncipherment,digitalSignature", "renewalThresholdPercentage": 20,
                "certificateValidityPeriodValue": 1, "certificateValidityPeriodScale": "years",
                "subjectNameFormat": "custom", "subjectNameFormatString": "CN={{DeviceId}}",
                "scepServerUrls": ["https://a"], "allowAllAppsAccess": true, "certificateStore": "user"}"##,
        );
        let p = &profiles[0];
        let scep = &p.payloads[0];
        assert_eq!(p.platform, Platform::MacOs);
        assert_eq!(scep.key_size.value, Some(2048));
        assert_eq!(scep.key_usage.value, Some(KeyUsage::flags(true, true)));
        assert_eq!(
            p.redistribution.value,
            Redistribution::Threshold {
                percent: 20,
                validity_days: Some(365)
            }
        );
        assert_eq!(p.level.value, Some(Level::User));
        assert_eq!(scep.challenge.value, Challenge::SuppliedByMdm);
        assert!(scep.key_extractable.is_none());
        assert_eq!(scep.subject.value.as_ref().unwrap().text, "CN={{DeviceId}}");
    }

    #[test]
    fn reads_value_lists_and_skips_other_types() {
        let profiles = read_json(
            r##"{"value": [{"@odata.type": "#microsoft.graph.windows81SCEPCertificateProfile", "keySize": "size4096"},
                          {"@odata.type": "#microsoft.graph.macOSWiFiConfiguration"}]}"##,
        );
        assert_eq!(profiles.len(), 1);
        assert_eq!(profiles[0].platform, Platform::Windows);
        assert!(profiles[0].payloads[0].all_apps_access.is_none());
    }

    #[test]
    fn key_usage_flags_in_any_order() {
        assert_eq!(
            parse_key_usage("digitalSignature"),
            Some(KeyUsage::flags(true, false))
        );
        assert_eq!(parse_key_usage("bogus"), None);
    }
}
