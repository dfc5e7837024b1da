//! The Windows ClientCertificateInstall CSP, from any MDM that writes its nodes: SyncML files
//! (Fleet, Workspace ONE custom settings, any Windows MDM) and Intune's custom OMA-URI settings.
//! Each `./{Device|User}/Vendor/MSFT/ClientCertificateInstall/SCEP/<id>/Install/<node>` is one
//! setting of the certificate `<id>`; a node that is absent takes the CSP's default
//! (`KeyProtection` 3, software), or has none (`KeyLength`, `KeyUsage`: required).
//! Source: Microsoft Learn, "ClientCertificateInstall CSP" (domain.md section 9).

use super::{apple, fleet, subject};
use crate::container::syncml::SyncMl;
use crate::model::{
    Challenge, Console, CspFile, CspInstall, CspNode, Field, Fix, Hash, KeyStorage, KeyUsage,
    Level, Origin, Platform, Profile, Provenance, Redistribution, RequestSettings, SanEntry,
    ScepPayload, Setting, Vendor, Words,
};
use crate::similarity::edit_distance;
use crate::source::Span;
use crate::tree::KeyPath;

/// The part of a LocURI after the store that names the SCEP branch.
const SCEP_BRANCH: &str = "/Vendor/MSFT/ClientCertificateInstall/SCEP/";

/// The Install nodes of a SCEP node, with the `<Format>` each takes.
pub const INSTALL_NODES: &[(&str, &str)] = &[
    ("ServerURL", "chr"),
    ("Challenge", "chr"),
    ("EKUMapping", "chr"),
    ("KeyUsage", "int"),
    ("SubjectName", "chr"),
    ("KeyProtection", "int"),
    ("RetryDelay", "int"),
    ("RetryCount", "int"),
    ("TemplateName", "chr"),
    ("KeyLength", "int"),
    ("HashAlgorithm", "chr"),
    ("CAThumbprint", "chr"),
    ("SubjectAlternativeNames", "chr"),
    ("ValidPeriod", "chr"),
    ("ValidPeriodUnits", "int"),
    ("ContainerName", "chr"),
    ("CustomTextToShowInPrompt", "chr"),
    ("AADKeyIdentifierList", "chr"),
    ("AttestPrivateKey", "int"),
];

/// `KeyProtection` when the node is absent: 3, the software key storage provider.
pub const DEFAULT_KEY_PROTECTION: i128 = 3;
pub const DEFAULT_RETRY_COUNT: i128 = 3;
pub const DEFAULT_RETRY_DELAY: i128 = 5;

/// A SyncML command's verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Add,
    Replace,
    Exec,
    Other,
}

/// One CSP setting as a format writes it: a SyncML item, or an Intune OMA-URI setting.
#[derive(Debug, Clone)]
pub struct Written {
    pub verb: Verb,
    pub uri: String,
    pub uri_origin: Origin,
    pub format: Option<(String, Origin)>,
    pub data: Option<(String, Origin)>,
    /// The data is computed where the profile is deployed (a Terraform variable): unknown.
    pub computed: bool,
}

/// Where a LocURI points, when it is under the ClientCertificateInstall SCEP branch.
struct ScepUri<'a> {
    level: Level,
    id: &'a str,
    /// `None` for the node itself; `Some("Enroll")`, `Some("KeyLength")` under `Install/`; or
    /// the rest as written for anything else.
    rest: Option<&'a str>,
}

fn parse_uri(uri: &str) -> Option<ScepUri<'_>> {
    let uri = uri.trim();
    let (level, after_store) = if let Some(rest) = uri.strip_prefix("./User") {
        (Level::User, rest)
    } else if let Some(rest) = uri.strip_prefix("./Device") {
        (Level::Computer, rest)
    } else if uri.starts_with("./Vendor/") {
        // `./Vendor/MSFT/...` is the device's tree.
        (Level::Computer, &uri[1..])
    } else {
        return None;
    };
    let branch = after_store.strip_prefix(SCEP_BRANCH)?;
    // Settings live under `Install/`; anything else keeps its whole path (`Install` itself,
    // or `KeyLength` without `Install/`), which no CSP node matches.
    let (id, rest) = match branch.split_once('/') {
        Some((id, rest)) => (id, Some(rest.strip_prefix("Install/").unwrap_or(rest))),
        None => (branch, None),
    };
    let rest = rest.filter(|r| !r.is_empty() && *r != "Install");
    (!id.is_empty()).then_some(ScepUri { level, id, rest })
}

/// Whether text names a ClientCertificateInstall SCEP node (for telling a Windows SCEP profile
/// from other Windows profiles).
pub fn mentions_scep_node(uri: &str) -> bool {
    parse_uri(uri).is_some()
}

/// The settings of a SyncML file, in file order.
pub fn written_in_syncml(file: &SyncMl) -> Vec<Written> {
    let mut written = Vec::new();
    for command in &file.commands {
        let verb = match command.verb.as_str() {
            "Add" => Verb::Add,
            "Replace" => Verb::Replace,
            "Exec" => Verb::Exec,
            _ => Verb::Other,
        };
        for item in &command.items {
            let Some(target) = &item.target else {
                continue;
            };
            let uri = target.value.trim().to_owned();
            let path = KeyPath::from_prefix(uri.clone());
            let origin = |span: &Span, key: &str| Origin::new(Some(span.clone()), path.key(key));
            written.push(Written {
                verb,
                uri_origin: origin(&trimmed_span(&target.value, &target.span), "LocURI"),
                format: item
                    .format
                    .as_ref()
                    .map(|f| (f.value.trim().to_owned(), origin(&f.span, "Format"))),
                data: item
                    .data
                    .as_ref()
                    .map(|d| (d.value.clone(), origin(&d.span, "Data"))),
                computed: false,
                uri,
            });
        }
    }
    written
}

/// The span of `value` without surrounding whitespace, when it sits in the file as written.
fn trimmed_span(value: &str, span: &Span) -> Span {
    if span.len() != value.len() {
        return span.clone();
    }
    let lead = value.len() - value.trim_start().len();
    span.start + lead..span.start + lead + value.trim().len()
}

/// What the format and the MDM say around the settings.
pub struct Frame {
    pub vendor: Vendor,
    pub words: Words,
    pub origin: Origin,
    pub display_name: Option<String>,
    pub identifier: Option<String>,
    pub file: CspFile,
}

/// A setting of one SCEP node, and what its LocURI names under the node (`None` for the node
/// itself).
type NodeItem<'a> = (&'a Written, Option<&'a str>);

/// The profile the settings make, if any of them is a ClientCertificateInstall SCEP node.
pub fn read(written: &[Written], mut frame: Frame) -> Option<Profile> {
    let mut nodes: Vec<(String, Vec<NodeItem<'_>>)> = Vec::new();
    for item in written {
        let Some(uri) = parse_uri(&item.uri) else {
            frame
                .file
                .other_nodes
                .push((item.uri.clone(), item.uri_origin.clone()));
            continue;
        };
        if !frame.file.scopes.iter().any(|(l, _)| *l == uri.level) {
            frame.file.scopes.push((uri.level, item.uri_origin.clone()));
        }
        match nodes.iter_mut().find(|(id, _)| id == uri.id) {
            Some((_, items)) => items.push((item, uri.rest)),
            None => nodes.push((uri.id.to_owned(), vec![(item, uri.rest)])),
        }
    }
    if nodes.is_empty() {
        return None;
    }
    let fleet_like = frame.words.fills_environment();
    let payloads: Vec<ScepPayload> = nodes
        .iter()
        .map(|(id, items)| read_install(id, items, &frame, fleet_like))
        .collect();
    let first_level = frame.file.scopes.first().cloned();
    let level = match first_level {
        Some((level, origin)) => Field::explicit(Some(level), origin),
        None => Field::new(None, Provenance::Missing, frame.origin.clone()),
    };
    let redistribution = if frame.vendor == Vendor::Fleet {
        let subjects: Vec<_> = payloads.iter().map(|p| &p.subject).collect();
        fleet::redistribution(&subjects, &frame.origin)
    } else {
        Field::new(
            Redistribution::NotInExport,
            Provenance::Missing,
            payloads
                .first()
                .and_then(|p| p.csp.as_ref())
                .map_or_else(|| frame.origin.clone(), |c| c.id_origin.clone()),
        )
    };
    Some(Profile {
        vendor: frame.vendor,
        words: frame.words,
        platform: Platform::Windows,
        display_name: frame.display_name,
        identifier: frame.identifier,
        uuid: None,
        origin: frame.origin,
        level,
        redistribution,
        structure: None,
        targets_windows: true,
        subject_field: None,
        payloads,
        csp: Some(frame.file),
        rejections: Vec::new(),
    })
}

/// One SCEP node's settings: the last value of each node wins, as Windows applies them in order.
fn read_install(
    id: &str,
    items: &[NodeItem<'_>],
    frame: &Frame,
    fills_environment: bool,
) -> ScepPayload {
    let id_origin = items
        .first()
        .map_or_else(|| frame.origin.clone(), |(w, _)| w.uri_origin.clone());
    let mut install = CspInstall {
        id: id.to_owned(),
        id_origin: id_origin.clone(),
        ..CspInstall::default()
    };
    let mut values: Vec<(&str, &Written)> = Vec::new();
    for (item, rest) in items {
        match (item.verb, rest) {
            (Verb::Add | Verb::Replace, None) => {
                install.created.get_or_insert(item.uri_origin.clone());
            }
            (Verb::Exec, Some("Enroll")) => install.enrolls.push(item.uri_origin.clone()),
            (Verb::Add | Verb::Replace, Some(name)) => {
                if !install.enrolls.is_empty() && install.set_after_enroll.is_none() {
                    install.set_after_enroll = Some(item.uri_origin.clone());
                }
                install.nodes.push(CspNode {
                    name: (*name).to_owned(),
                    origin: item.uri_origin.clone(),
                    format: item.format.clone(),
                    has_data: item.data.is_some(),
                    expected_format: INSTALL_NODES
                        .iter()
                        .find(|(known, _)| known == name)
                        .map(|(_, format)| *format),
                    suggestion: suggestion(name),
                });
                values.push((name, item));
            }
            _ => {}
        }
    }
    let node = |name: &str| {
        values
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, w)| *w)
    };
    // A node whose name is a near miss of a CSP node is not that node: say so where the value
    // is read.
    let misspelt = |name: &str| {
        values
            .iter()
            .rev()
            .find(|(n, _)| {
                !INSTALL_NODES.iter().any(|(known, _)| known == n) && suggestion(n) == Some(name)
            })
            .map(|(n, w)| ((*n).to_owned(), *w))
    };
    let node_path = crate::tree::KeyPath::from_prefix(format!(
        "{}{SCEP_BRANCH}{id}/Install",
        items
            .first()
            .map(|(w, _)| if w.uri.trim().starts_with("./User") {
                "./User"
            } else {
                "./Device"
            })
            .unwrap_or("./Device")
    ));
    let at_node = |name: &str| {
        Origin::new(
            id_origin.span.clone(),
            crate::tree::KeyPath::from_prefix(format!("{}/{name}", node_path.as_str())),
        )
    };
    let reader = NodeReader {
        fills_names: frame.words.other_dollar_names_filled(),
        node: &node,
        misspelt: &misspelt,
        at_node: &at_node,
    };

    let urls = reader.text("ServerURL").map_or_else(
        |f| Field::new(Vec::new(), f.provenance, f.origin),
        |(value, origin)| {
            let urls = value
                .split(';')
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .map(|u| Field::explicit(u.to_owned(), origin.clone()))
                .collect();
            Field::explicit(urls, origin)
        },
    );
    let challenge = match reader.text("Challenge") {
        Ok((value, origin)) => {
            let mut challenge = apple::classify_challenge(&value, frame.vendor, Platform::Windows);
            if matches!(challenge, Challenge::Literal(_))
                && fills_environment
                && apple::is_environment_name(&value)
            {
                challenge = Challenge::Variable(value.trim().to_owned());
            }
            Field::explicit(challenge, origin)
        }
        Err(f) => Field::new(Challenge::Absent, f.provenance, f.origin),
    };
    let subject = match reader.text("SubjectName") {
        Ok((value, origin)) => {
            let exact = origin.span.as_ref().is_some_and(|s| s.len() == value.len());
            Field::explicit(
                Some(subject::parse(
                    &value,
                    origin.span.clone(),
                    exact,
                    &origin.key_path,
                )),
                origin,
            )
        }
        Err(f) => Field::new(None, f.provenance, f.origin),
    };
    let san = match reader.text("SubjectAlternativeNames") {
        Ok((value, origin)) => Field::explicit(read_san(&value, &origin), origin),
        Err(f) => Field::new(Vec::new(), Provenance::Defaulted, f.origin),
    };
    let key_size = reader.integer("KeyLength", None, |size| Some(Some(size)));
    let key_usage = reader.integer("KeyUsage", None, |mask| {
        Some(Some(KeyUsage::from_csp(mask)))
    });
    let key_storage = reader.integer("KeyProtection", KeyStorage::Software, key_storage);
    let hash = match reader.text("HashAlgorithm") {
        Ok((value, origin)) => Some(Field::explicit(
            value.split('+').map(|h| hash(h.trim())).collect(),
            origin,
        )),
        Err(f) if f.is_deferred() => Some(Field::new(Vec::new(), f.provenance, f.origin)),
        Err(_) => None,
    };
    let validity = match (reader.text("ValidPeriodUnits"), reader.text("ValidPeriod")) {
        (Ok((units, origin)), period) => {
            let unit = period.map_or_else(
                |_| "days".to_owned(),
                |(p, _)| p.trim().to_ascii_lowercase(),
            );
            Some(match units.trim().parse::<i64>() {
                Ok(amount) => Field::explicit((amount, unit), origin),
                Err(_) => Field::new(
                    (0, unit),
                    Provenance::Invalid {
                        found: "a value that is not a whole number".to_owned(),
                    },
                    origin,
                ),
            })
        }
        (Err(_), _) => None,
    };
    let extended_key_usages = match reader.text("EKUMapping") {
        Ok((value, origin)) => Some(Field::explicit(
            value
                .split('+')
                .map(str::trim)
                .filter(|oid| !oid.is_empty())
                .map(|oid| (String::new(), oid.to_owned()))
                .collect(),
            origin,
        )),
        Err(f) if f.is_deferred() => Some(Field::new(Vec::new(), f.provenance, f.origin)),
        Err(_) => None,
    };
    let ca_thumbprint = reader
        .text("CAThumbprint")
        .ok()
        .map(|(value, origin)| Field::explicit(value.trim().to_owned(), origin));

    ScepPayload {
        identifier: Some(id.to_owned()),
        uuid: None,
        display_name: None,
        origin: id_origin.clone(),
        settings_origin: id_origin.clone(),
        settings_dict: None,
        urls,
        challenge,
        subject,
        san,
        key_size,
        key_type: None,
        key_usage,
        key_extractable: None,
        all_apps_access: None,
        retries: Some(reader.integer("RetryCount", DEFAULT_RETRY_COUNT, Some)),
        retry_delay: Some(reader.integer("RetryDelay", DEFAULT_RETRY_DELAY, Some)),
        raw_keys: Vec::new(),
        request: Some(RequestSettings {
            key_storage: Some(key_storage),
            hash,
            validity,
            extended_key_usages,
            deployment_channel: None,
            subject_name_format: None,
            ca_thumbprint,
        }),
        misplaced: Vec::new(),
        csp: Some(install),
    }
}

/// The CSP node a misspelt name was meant to be: the closest known node, at most two edits
/// away (case differences count as one: LocURIs are case-sensitive).
pub fn suggestion(name: &str) -> Option<&'static str> {
    if INSTALL_NODES.iter().any(|(known, _)| *known == name) || name == "Enroll" {
        return None;
    }
    INSTALL_NODES
        .iter()
        .map(|(known, _)| {
            let distance = if known.eq_ignore_ascii_case(name) {
                1
            } else {
                edit_distance(&name.to_ascii_lowercase(), &known.to_ascii_lowercase())
            };
            (distance, *known)
        })
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, known)| known)
}

/// Reads nodes the way Windows does: the last one written wins, a misspelt name is not the node.
struct NodeReader<'a> {
    /// Whether the MDM fills a `$NAME` before the device sees the profile.
    fills_names: bool,
    node: &'a dyn Fn(&str) -> Option<&'a Written>,
    misspelt: &'a dyn Fn(&str) -> Option<(String, &'a Written)>,
    at_node: &'a dyn Fn(&str) -> Origin,
}

impl NodeReader<'_> {
    /// The node's `<Data>` and where it is; or, when there is none, a field that says why
    /// (absent, misspelt, written without data).
    fn text(&self, name: &str) -> Result<(String, Origin), Field<()>> {
        if let Some(item) = (self.node)(name) {
            return match &item.data {
                Some((value, origin)) if item.computed => Err(Field::new(
                    (),
                    Provenance::Deferred {
                        token: value.clone(),
                    },
                    origin.clone(),
                )),
                Some((value, origin)) => Ok((value.clone(), origin.clone())),
                None => Err(Field::new(
                    (),
                    Provenance::Invalid {
                        found: "no `<Data>`".to_owned(),
                    },
                    item.uri_origin.clone(),
                )),
            };
        }
        if let Some((found, item)) = (self.misspelt)(name) {
            return Err(Field::new(
                (),
                Provenance::Misspelt { found },
                item.uri_origin.clone(),
            ));
        }
        Err(Field::new((), Provenance::Missing, (self.at_node)(name)))
    }

    /// An integer node: its value converted, the default (or a missing value) when absent,
    /// invalid when it is not a number.
    fn integer<T>(&self, name: &str, default: T, convert: impl Fn(i128) -> Option<T>) -> Field<T>
    where
        T: Clone + DefaultIsMissing,
    {
        match self.text(name) {
            Ok((value, origin)) => {
                let trimmed = value.trim();
                if self.fills_names && apple::is_environment_name(trimmed) {
                    return Field::new(
                        default,
                        Provenance::Deferred {
                            token: trimmed.to_owned(),
                        },
                        origin,
                    );
                }
                match trimmed.parse::<i128>().ok().and_then(&convert) {
                    Some(converted) => Field::explicit(converted, origin),
                    None => Field::new(
                        default,
                        Provenance::Invalid {
                            found: "a value that is not a whole number".to_owned(),
                        },
                        origin,
                    ),
                }
            }
            Err(field) => {
                let provenance = match field.provenance {
                    Provenance::Missing if !T::MISSING_WHEN_ABSENT => Provenance::Defaulted,
                    other => other,
                };
                Field::new(default, provenance, field.origin)
            }
        }
    }
}

/// Whether a node read into `Self` has no default (the CSP requires it) when it is absent.
trait DefaultIsMissing {
    const MISSING_WHEN_ABSENT: bool;
}

impl<T> DefaultIsMissing for Option<T> {
    const MISSING_WHEN_ABSENT: bool = true;
}

impl DefaultIsMissing for i128 {
    const MISSING_WHEN_ABSENT: bool = false;
}

impl DefaultIsMissing for KeyStorage {
    const MISSING_WHEN_ABSENT: bool = false;
}

fn key_storage(value: i128) -> Option<KeyStorage> {
    Some(match value {
        1 => KeyStorage::TpmRequired,
        2 => KeyStorage::TpmIfPresent,
        3 => KeyStorage::Software,
        4 => KeyStorage::Passport,
        other => KeyStorage::Other(other.to_string()),
    })
}

/// `SHA-1`, `SHA-2`, `SHA-3` as the CSP writes them; `SHA256` and `SHA2` (seen in published
/// samples) are read as SHA-2.
fn hash(value: &str) -> Hash {
    match value.to_ascii_uppercase().as_str() {
        "SHA-1" | "SHA1" => Hash::Sha1,
        "SHA-2" | "SHA2" | "SHA256" | "SHA-256" => Hash::Sha2,
        "SHA-3" | "SHA3" => Hash::Sha3,
        _ => Hash::Other(value.to_owned()),
    }
}

/// `SubjectAlternativeNames`: `format+name` pairs separated by `;`.
fn read_san(value: &str, origin: &Origin) -> Vec<SanEntry> {
    value
        .split(';')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (kind, name) = part.split_once('+').unwrap_or(("", part));
            SanEntry {
                kind: san_kind(kind.trim()),
                value: name.trim().to_owned(),
                origin: origin.clone(),
            }
        })
        .collect()
}

/// The CSP's SAN format numbers, by the names Apple and Intune use for the same types.
fn san_kind(format: &str) -> String {
    match format {
        "1" => "otherName".to_owned(),
        "2" => "rfc822Name".to_owned(),
        "3" => "dNSName".to_owned(),
        "11" => "userPrincipalName".to_owned(),
        other => format!("format {other}"),
    }
}

/// How findings about a Windows CSP profile talk: node names, and where each MDM keeps the
/// profile.
#[derive(Debug)]
pub struct CspConsole {
    vendor: Vendor,
    /// Where the profile is edited, for the help line: "the Windows profile's XML".
    place: &'static str,
}

pub static GENERIC_CSP: CspConsole = CspConsole {
    vendor: Vendor::Generic,
    place: "the profile's SyncML",
};

pub static FLEET_CSP: CspConsole = CspConsole {
    vendor: Vendor::Fleet,
    place: "the Windows profile (.xml) in the repository",
};

pub static INTUNE_CSP: CspConsole = CspConsole {
    vendor: Vendor::Intune,
    place: "the custom profile's OMA-URI settings",
};

pub static WORKSPACE_ONE_CSP: CspConsole = CspConsole {
    vendor: Vendor::WorkspaceOne,
    place: "the Custom Settings profile's Install XML",
};

/// The words for a Windows profile from `vendor`.
pub fn csp_words(vendor: Vendor) -> Words {
    Words(match vendor {
        Vendor::Fleet => &FLEET_CSP,
        Vendor::Intune => &INTUNE_CSP,
        Vendor::WorkspaceOne => &WORKSPACE_ONE_CSP,
        Vendor::Jamf | Vendor::Kandji | Vendor::Generic => &GENERIC_CSP,
    })
}

impl CspConsole {
    fn set(&self, node: &str, value: &str) -> String {
        format!("in {}, set `Install/{node}` to {value}", self.place)
    }
}

impl Console for CspConsole {
    fn vendor(&self) -> Vendor {
        self.vendor
    }

    fn key(&self, setting: Setting) -> &'static str {
        match setting {
            Setting::Url => "ServerURL",
            Setting::Challenge => "Challenge",
            Setting::Subject => "SubjectName",
            Setting::SubjectAltName => "SubjectAlternativeNames",
            Setting::KeySize => "KeyLength",
            Setting::KeyUsage => "KeyUsage",
            Setting::KeyExtractable => "(not a CSP setting)",
            Setting::AllAppsAccess => "(not a CSP setting)",
            Setting::Redistribution if self.vendor == Vendor::Fleet => {
                "the renewal id in SubjectName"
            }
            Setting::Redistribution => "redistribution (an MDM setting)",
            Setting::Level => "the store (./User or ./Device)",
            Setting::KeyStorage => "KeyProtection",
            Setting::Hash => "HashAlgorithm",
            Setting::Validity => "ValidPeriodUnits",
            Setting::ExtendedKeyUsage => "EKUMapping",
        }
    }

    fn fix(&self, fix: Fix<'_>, _platform: Platform) -> String {
        let fleet = self.vendor == Vendor::Fleet;
        match fix {
            Fix::Redistribute { .. } if fleet => fleet::renewal_help(
                "`<Data>CN=…,OU=$FLEET_VAR_CERTIFICATE_RENEWAL_ID</Data>` in `Install/SubjectName`",
            ),
            Fix::Redistribute { lifetime_days } => format!(
                "have {} re-send the profile before the certificate expires (fewer than {lifetime_days} days after it is installed), since Okta's CA does not renew",
                self.mdm()
            ),
            Fix::ShortenSubject { to } => {
                format!("shorten `Install/SubjectName` to {to} characters or fewer")
            }
            Fix::KeySize { bits } => self.set("KeyLength", &format!("{bits} (`<Format>int</Format>`)")),
            Fix::SigningOnly => self.set(
                "KeyUsage",
                "128 (digital signature only; 160 adds key encipherment)",
            ),
            Fix::NotExtractable | Fix::AllAppsAccess => {
                "the ClientCertificateInstall CSP has no such setting".to_owned()
            }
            Fix::StaticChallenge if fleet => "set `Install/Challenge` to a Fleet secret variable that holds the secret key from Okta's SCEP settings (`$FLEET_SECRET_OKTA_SCEP_CHALLENGE`)".to_owned(),
            Fix::StaticChallenge => self.set("Challenge", "the secret key from Okta's SCEP settings"),
            Fix::DynamicChallenge => self.set(
                "Challenge",
                "the per-device challenge your MDM fetches from Okta's dynamic SCEP URL",
            ),
            Fix::ChallengeOutOfFile if fleet => "keep the secret key in Fleet as a secret variable (`$FLEET_SECRET_OKTA_SCEP_CHALLENGE`) and put the variable in `Install/Challenge`".to_owned(),
            Fix::ChallengeOutOfFile => format!(
                "keep the secret key out of the repository: enter it in {} only, or use a variable your MDM fills in",
                self.mdm()
            ),
            Fix::DeviceIdentifier if fleet => "add a device identifier to `Install/SubjectName`, such as `CN=$FLEET_VAR_HOST_UUID`".to_owned(),
            Fix::DeviceIdentifier => format!(
                "add a device identifier to `Install/SubjectName`, such as {}'s device id variable",
                self.mdm()
            ),
            Fix::NoSubjectAltName => {
                "remove the `Install/SubjectAlternativeNames` item (or leave its `<Data>` empty)".to_owned()
            }
            Fix::Level(Level::User) => "write the nodes under `./User/Vendor/MSFT/ClientCertificateInstall/SCEP/...` (the user store) instead of `./Device/...`".to_owned(),
            Fix::Level(Level::Computer) => "write the nodes under `./Device/Vendor/MSFT/ClientCertificateInstall/SCEP/...` (the machine store) instead of `./User/...`".to_owned(),
            Fix::VariableSyntax if fleet => "Fleet's variables are written `$FLEET_VAR_<NAME>` or `${FLEET_VAR_<NAME>}` (Fleet's \"Fleet variables\" article); any other `$NAME` is filled from the environment by `fleetctl gitops`".to_owned(),
            Fix::VariableSyntax => format!("use the variables {} documents for Windows profiles", self.mdm()),
            Fix::KeyStorageTpm => self.set(
                "KeyProtection",
                "2 (the TPM if present, else software), as Okta's Windows guides do; 1 requires a TPM",
            ),
            Fix::HashSha2 => self.set("HashAlgorithm", "`SHA-2`"),
            Fix::ValidityOneYear => format!(
                "in {}, set `Install/ValidPeriod` to `Years` and `Install/ValidPeriodUnits` to 1",
                self.place
            ),
            Fix::ClientAuthentication => format!(
                "in {}, add 1.3.6.1.5.5.7.3.2 (Client Authentication) to `Install/EKUMapping` (object identifiers joined with `+`)",
                self.place
            ),
        }
    }

    fn okta_level(&self, _platform: Platform) -> (Level, &'static str) {
        (
            Level::User,
            "Okta's Windows guides install the certificate in the user store, and Fleet's Okta guide says a `./Device` certificate leaves the device unmanaged in Okta",
        )
    }

    fn subject_types(&self) -> &'static [&'static str] {
        &[
            "C",
            "L",
            "ST",
            "O",
            "OU",
            "CN",
            "E",
            "DC",
            "STREET",
            "SERIALNUMBER",
        ]
    }

    fn other_dollar_names_filled(&self) -> bool {
        self.vendor == Vendor::Fleet || self.vendor == Vendor::Generic
    }

    fn fills_environment(&self) -> bool {
        self.vendor == Vendor::Fleet
    }

    fn signing_only_usage(&self) -> &'static str {
        "128"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::{Limits, syncml};

    fn profile(text: &str, vendor: Vendor) -> Profile {
        let file = syncml::parse(text, &Limits::default()).expect("parses");
        let written = written_in_syncml(&file);
        read(
            &written,
            Frame {
                vendor,
                words: csp_words(vendor),
                origin: Origin::default(),
                display_name: None,
                identifier: None,
                file: CspFile {
                    has_commands: true,
                    ..CspFile::default()
                },
            },
        )
        .expect("a SCEP node")
    }

    fn add(node: &str, format: &str, data: &str) -> String {
        format!(
            "<Add><Item><Target><LocURI>./User/Vendor/MSFT/ClientCertificateInstall/SCEP/Okta/Install/{node}</LocURI></Target><Meta><Format>{format}</Format></Meta><Data>{data}</Data></Item></Add>\n"
        )
    }

    #[test]
    fn nodes_map_to_the_model_with_csp_defaults() {
        let text = [
            add("KeyLength", "int", "2048"),
            add("KeyUsage", "int", "160"),
            add("HashAlgorithm", "chr", "SHA-1+SHA-2"),
            add("SubjectName", "chr", "CN=a,OU=b"),
            add("ServerURL", "chr", "https://a;https://b"),
            add("EKUMapping", "chr", "1.3.6.1.5.5.7.3.2"),
        ]
        .concat();
        let p = profile(&text, Vendor::Generic);
        let scep = &p.payloads[0];
        assert_eq!(p.level.value, Some(Level::User));
        assert_eq!(scep.key_size.value, Some(2048));
        assert_eq!(scep.key_usage.value, Some(KeyUsage::from_csp(160)));
        assert!(!scep.key_usage.value.unwrap().is_signing_only());
        assert_eq!(scep.urls.value.len(), 2);
        let request = scep.request.as_ref().unwrap();
        let storage = request.key_storage.as_ref().unwrap();
        assert_eq!(storage.value, KeyStorage::Software);
        assert_eq!(storage.provenance, Provenance::Defaulted);
        assert_eq!(
            request.hash.as_ref().unwrap().value,
            [Hash::Sha1, Hash::Sha2]
        );
        assert_eq!(scep.challenge.provenance, Provenance::Missing);
        assert_eq!(scep.subject.value.as_ref().unwrap().rdns.len(), 2);
        let csp = scep.csp.as_ref().unwrap();
        assert!(csp.enrolls.is_empty());
        assert_eq!(csp.nodes.len(), 6);
    }

    #[test]
    fn required_nodes_have_no_default_and_misspellings_do_not_count() {
        let p = profile(&add("KeyLenght", "int", "2048"), Vendor::Generic);
        let scep = &p.payloads[0];
        assert_eq!(scep.key_size.value, None);
        assert!(matches!(
            scep.key_size.provenance,
            Provenance::Misspelt { .. }
        ));
        assert_eq!(scep.key_usage.provenance, Provenance::Missing);
        assert_eq!(suggestion("KeyLenght"), Some("KeyLength"));
        assert_eq!(suggestion("keylength"), Some("KeyLength"));
        assert_eq!(suggestion("Unrelated"), None);
    }

    #[test]
    fn fleet_fills_environment_names_and_reads_renewal_from_the_subject() {
        let text = [
            add("KeyLength", "int", "$KEY_LENGTH"),
            add("Challenge", "chr", "$OKTA_CHALLENGE"),
            add(
                "SubjectName",
                "chr",
                "CN=$FLEET_VAR_HOST_UUID,OU=$FLEET_VAR_CERTIFICATE_RENEWAL_ID",
            ),
        ]
        .concat();
        let p = profile(&text, Vendor::Fleet);
        let scep = &p.payloads[0];
        assert!(scep.key_size.is_deferred());
        assert_eq!(
            scep.challenge.value,
            Challenge::Variable("$OKTA_CHALLENGE".into())
        );
        assert_eq!(
            p.redistribution.value,
            Redistribution::Days(fleet::RENEWAL_DAYS)
        );
    }

    #[test]
    fn uris_under_other_branches_are_not_scep_nodes() {
        assert!(
            parse_uri("./Device/Vendor/MSFT/ClientCertificateInstall/PFXCertInstall/x").is_none()
        );
        assert!(
            parse_uri("./Vendor/MSFT/ClientCertificateInstall/SCEP/x/Install/Enroll").is_some()
        );
        let uri =
            parse_uri(" ./User/Vendor/MSFT/ClientCertificateInstall/SCEP/<Id>/Install/KeyUsage ")
                .unwrap();
        assert_eq!(uri.id, "<Id>");
        assert_eq!(uri.rest, Some("KeyUsage"));
        assert_eq!(uri.level, Level::User);
    }
}
