//! Apple configuration profiles: the `com.apple.security.scep` payload and the profile around
//! it, read with Apple's key spellings and defaults (apple/device-management,
//! mdm/profiles/com.apple.security.scep.yaml). Every vendor that ships mobileconfigs goes
//! through here; wrappers (Jamf Pro, Kandji/Iru) supply what the plist cannot say.

use crate::model::{
    Attribute, Challenge, Console, Field, Fix, KeyUsage, Level, MisplacedKey, Origin,
    PayloadSummary, Platform, Profile, ProfileStructure, Provenance, RawKey, RawValue,
    Redistribution, SanEntry, ScepPayload, Secret, Setting, Subject, SubjectField, SubjectProblem,
    Vendor, Words,
};
use crate::tree::{Entry, KeyPath, Node, Value};
use crate::variables;

use crate::schema::{
    DEFAULT_ALLOW_ALL_APPS_ACCESS, DEFAULT_KEY_IS_EXTRACTABLE, DEFAULT_KEY_SIZE, DEFAULT_KEY_USAGE,
    DEFAULT_RETRIES, DEFAULT_RETRY_DELAY, SCEP_KEYS, SCEP_PAYLOAD_TYPE, is_misspelling,
};
use crate::secrets::candidates::PUBLISHED_PLACEHOLDERS;

/// What a wrapper (a Jamf or Kandji export) knows that the plist does not.
#[derive(Debug, Clone)]
pub struct Context {
    pub vendor: Vendor,
    pub words: Words,
    /// The MDM's Subject field and what it appends, where it has one.
    pub subject_field: Option<SubjectField>,
    pub platform: Option<Platform>,
    pub level: Option<Field<Option<Level>>>,
    pub redistribution: Field<Redistribution>,
    /// Prefix for key paths (the path to the string that held this plist, if any).
    pub path: KeyPath,
    pub display_name: Option<String>,
}

impl Context {
    pub fn standalone(vendor: Vendor) -> Self {
        Context {
            vendor,
            words: super::apple_words(vendor),
            subject_field: super::subject_field(vendor),
            platform: None,
            level: None,
            redistribution: Field::new(
                Redistribution::NotInExport,
                Provenance::Missing,
                Origin::default(),
            ),
            path: KeyPath::root(),
            display_name: None,
        }
    }
}

/// Why a plist could not be read as a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotReadable {
    /// `IsEncrypted` / `EncryptedPayloadContent`: the payloads are encrypted to a device.
    Encrypted(Origin),
}

/// The profile in `root`, if it is a configuration profile (or a bare SCEP payload) holding at
/// least one SCEP payload.
pub fn read_profile(root: &Node, context: &Context) -> Result<Option<Profile>, NotReadable> {
    if root.as_dict().is_none() {
        return Ok(None);
    }
    let path = &context.path;
    let is_encrypted = root.get("IsEncrypted").and_then(Node::as_bool) == Some(true);
    if let Some(entry) = root.entry("EncryptedPayloadContent") {
        return Err(NotReadable::Encrypted(key_origin(entry, path)));
    }
    if is_encrypted {
        let entry = root.entry("IsEncrypted");
        return Err(NotReadable::Encrypted(
            entry.map(|e| key_origin(e, path)).unwrap_or_default(),
        ));
    }

    let root_origin = Origin::new(root.span.clone(), path.clone());
    let top = summarize(root, path, root_origin.clone());
    let platform = context.platform.unwrap_or_else(|| target_platform(root));
    let mdm = Mdm {
        vendor: context.vendor,
        platform,
        fills_other_names: context.words.other_dollar_names_filled(),
        fills_environment: context.words.fills_environment(),
    };
    let mut payloads = Vec::new();
    let mut summaries = Vec::new();
    if root.get_str("PayloadType") == Some(SCEP_PAYLOAD_TYPE) {
        payloads.push(read_scep_payload(root, path, &mdm));
    } else if let Some(items) = root.get("PayloadContent").and_then(Node::as_array) {
        let content_path = path.key("PayloadContent");
        for (i, item) in items.iter().enumerate() {
            let item_path = content_path.index(i);
            let origin = Origin::new(item.span.clone(), item_path.clone());
            summaries.push(summarize(item, &item_path, origin));
            if item.get_str("PayloadType") == Some(SCEP_PAYLOAD_TYPE) {
                payloads.push(read_scep_payload(item, &item_path, &mdm));
            }
        }
        if let Some(first) = payloads.first_mut() {
            first.misplaced.extend(misplaced_keys(
                root,
                path,
                "the profile's top level",
                "the SCEP payload's `PayloadContent` dict",
            ));
        }
    }
    if payloads.is_empty() {
        return Ok(None);
    }

    let level = context
        .level
        .clone()
        .unwrap_or_else(|| payload_scope(root, path, root_origin.clone()));
    Ok(Some(Profile {
        vendor: context.vendor,
        words: context.words,
        subject_field: context.subject_field,
        platform,
        display_name: root
            .get_str("PayloadDisplayName")
            .map(str::to_owned)
            .or_else(|| context.display_name.clone()),
        identifier: root.get_str("PayloadIdentifier").map(str::to_owned),
        uuid: root.get_str("PayloadUUID").map(str::to_owned),
        origin: root_origin.clone(),
        level,
        redistribution: {
            let mut redistribution = context.redistribution.clone();
            if redistribution.origin == Origin::default() {
                // A profile-wide setting with no key of its own: point at the profile's identifier.
                redistribution.origin = root
                    .entry("PayloadIdentifier")
                    .map(|entry| value_origin(entry, path))
                    .unwrap_or_else(|| root_origin.clone());
            }
            redistribution
        },
        structure: Some(ProfileStructure {
            top,
            payloads: summaries,
        }),
        targets_windows: false,
        payloads,
        csp: None,
        rejections: Vec::new(),
    }))
}

/// The identifiers a profile carries, for telling vendors apart before reading it fully.
pub fn identifiers(root: &Node) -> impl Iterator<Item = &str> {
    let top = root.get_str("PayloadIdentifier");
    let inner = root
        .get("PayloadContent")
        .and_then(Node::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| p.get_str("PayloadIdentifier"));
    top.into_iter().chain(inner)
}

fn target_platform(root: &Node) -> Platform {
    match root.get("TargetDeviceType").and_then(Node::as_integer) {
        Some(5) => Platform::MacOs,
        Some(1) => Platform::Ios,
        _ => Platform::Apple,
    }
}

fn payload_scope(root: &Node, path: &KeyPath, root_origin: Origin) -> Field<Option<Level>> {
    match root.entry("PayloadScope") {
        None => Field::new(Some(Level::User), Provenance::Defaulted, root_origin),
        Some(entry) => {
            let origin = value_origin(entry, path);
            match entry.value.as_str() {
                Some("System") => Field::explicit(Some(Level::Computer), origin),
                Some("User") => Field::explicit(Some(Level::User), origin),
                _ => Field::new(
                    Some(Level::User),
                    Provenance::Invalid {
                        found: describe_value(&entry.value),
                    },
                    origin,
                ),
            }
        }
    }
}

fn summarize(dict: &Node, path: &KeyPath, origin: Origin) -> PayloadSummary {
    let text = |key: &str| {
        dict.entry(key).map(|entry| {
            let value = match &entry.value.value {
                Value::String(s) => s.clone(),
                Value::Integer(i) => i.to_string(),
                Value::Real(r) => format!("{r:?}"),
                _ => format!("<{}>", entry.value.type_name()),
            };
            Field::explicit(value, value_origin(entry, path))
        })
    };
    let mut references = Vec::new();
    for key in ["PayloadCertificateUUID", "IdentityCertificateUUID"] {
        collect_references(dict, key, path, 0, &mut references);
    }
    PayloadSummary {
        payload_type: text("PayloadType"),
        identifier: text("PayloadIdentifier"),
        uuid: text("PayloadUUID"),
        // Apple's schema makes it an integer; a string `1` is shown as the string it is.
        version: dict.entry("PayloadVersion").map(|entry| {
            let value = match &entry.value.value {
                Value::Integer(i) => i.to_string(),
                Value::String(s) => format!("the string \"{s}\""),
                _ => describe_value(&entry.value),
            };
            Field::explicit(value, value_origin(entry, path))
        }),
        references,
        origin,
    }
}

/// Finds `key` in `dict` and in the dicts nested in it (a Wi-Fi payload keeps its certificate
/// reference inside `EAPClientConfiguration`), but not inside nested payload arrays.
fn collect_references(
    dict: &Node,
    key: &str,
    path: &KeyPath,
    depth: usize,
    out: &mut Vec<(String, Field<String>)>,
) {
    let Some(entries) = dict.as_dict() else {
        return;
    };
    for entry in entries {
        if entry.key == key {
            if let Some(uuid) = entry.value.as_str() {
                out.push((
                    key.to_owned(),
                    Field::explicit(uuid.to_owned(), value_origin(entry, path)),
                ));
            }
        } else if depth < 4 && entry.key != "PayloadContent" && entry.value.as_dict().is_some() {
            collect_references(&entry.value, key, &path.key(&entry.key), depth + 1, out);
        }
    }
}

pub fn key_origin(entry: &Entry, path: &KeyPath) -> Origin {
    Origin::new(entry.key_span.clone(), path.key(&entry.key))
}

/// Where a key's value is: a scalar's content (`2048`, not `<integer>2048</integer>`), the whole
/// element when the content is empty, the key itself when the value has no span.
pub fn value_origin(entry: &Entry, path: &KeyPath) -> Origin {
    Origin::new(
        content_span(&entry.value).or_else(|| entry.key_span.clone()),
        path.key(&entry.key),
    )
}

/// A dict entry's key and value together, when both are in text.
pub fn entry_span(entry: &Entry) -> Option<crate::source::Span> {
    let key = entry.key_span.as_ref()?;
    let value = entry.value.span.as_ref()?;
    (key.start <= value.end).then_some(key.start..value.end)
}

pub fn content_span(node: &Node) -> Option<crate::source::Span> {
    if let Value::Data { .. } = node.value {
        // Base64 is usually wrapped on lines of its own: the element reads better.
        return node.span.clone();
    }
    node.inner
        .clone()
        .filter(|inner| !inner.is_empty())
        .or_else(|| node.span.clone())
}

/// A key looked up the way the device does, noticing near-misses the device ignores.
enum Lookup<'a> {
    Found(&'a Entry),
    Misspelt(&'a Entry),
    Absent,
}

fn lookup<'a>(settings: &'a Node, key: &str) -> Lookup<'a> {
    if let Some(entry) = settings.entry(key) {
        return Lookup::Found(entry);
    }
    let entries = settings.as_dict().unwrap_or_default();
    match entries
        .iter()
        .rev()
        .find(|e| !SCEP_KEYS.contains(&e.key.as_str()) && is_misspelling(&e.key, key))
    {
        Some(entry) => Lookup::Misspelt(entry),
        None => Lookup::Absent,
    }
}

fn describe_value(node: &Node) -> String {
    match &node.value {
        Value::Integer(i) => format!("integer {i}"),
        Value::Bool(b) => format!("boolean {b}"),
        Value::String(_) => "a string".to_owned(),
        other => format!("a {}", Node::new(other.clone(), None).type_name()),
    }
}

struct Reader<'a> {
    settings: &'a Node,
    path: KeyPath,
    settings_origin: Origin,
    /// Whether the MDM fills a `$NAME` it does not define before the device sees the profile.
    fills_other_names: bool,
}

impl Reader<'_> {
    /// Reads a key with Apple's default, recording how the effective value came about.
    fn read<T: Clone>(
        &self,
        key: &str,
        default: T,
        convert: impl Fn(&Node) -> Option<T>,
    ) -> Field<T> {
        match lookup(self.settings, key) {
            Lookup::Found(
                entry @ Entry {
                    value:
                        Node {
                            value: Value::Deferred { token, element },
                            ..
                        },
                    ..
                },
            ) if !self.fills_other_names => Field::new(
                default,
                Provenance::Invalid {
                    found: format!("`{token}` in an <{element}>, a variable nothing fills in"),
                },
                value_origin(entry, &self.path),
            ),
            Lookup::Found(
                entry @ Entry {
                    value:
                        Node {
                            value: Value::Deferred { token, .. },
                            ..
                        },
                    ..
                },
            ) => Field::new(
                default,
                Provenance::Deferred {
                    token: token.clone(),
                },
                value_origin(entry, &self.path),
            ),
            Lookup::Found(entry) => match convert(&entry.value) {
                Some(value) => Field::explicit(value, value_origin(entry, &self.path)),
                // The whole element: its type is what is wrong.
                None => Field::new(
                    default,
                    Provenance::Invalid {
                        found: describe_value(&entry.value),
                    },
                    Origin::new(
                        entry.value.span.clone().or_else(|| entry.key_span.clone()),
                        self.path.key(&entry.key),
                    ),
                ),
            },
            Lookup::Misspelt(entry) => Field::new(
                default,
                Provenance::Misspelt {
                    found: entry.key.clone(),
                },
                key_origin(entry, &self.path),
            ),
            Lookup::Absent => Field::new(
                default,
                Provenance::Defaulted,
                // Point at the dict the key belongs in, under the path the key would have.
                Origin::new(self.settings_origin.span.clone(), self.path.key(key)),
            ),
        }
    }
}

fn integer(node: &Node) -> Option<i128> {
    match node.value {
        Value::Integer(i) => Some(i),
        // Core Foundation hands a whole-valued <real> to the device as a number.
        Value::Real(r) if r.fract() == 0.0 && r.abs() < 1e15 => Some(r as i128),
        _ => None,
    }
}

/// What reading a payload needs to know about the MDM.
struct Mdm {
    vendor: Vendor,
    platform: Platform,
    fills_other_names: bool,
    fills_environment: bool,
}

/// The SCEP settings among `dict`'s keys (a dict that is not where they belong).
fn misplaced_keys(
    dict: &Node,
    path: &KeyPath,
    found_in: &'static str,
    belongs_in: &'static str,
) -> Vec<MisplacedKey> {
    dict.as_dict()
        .unwrap_or_default()
        .iter()
        .filter(|entry| SCEP_KEYS.contains(&entry.key.as_str()))
        .map(|entry| MisplacedKey {
            name: entry.key.clone(),
            origin: key_origin(entry, path),
            entry: entry_span(entry),
            found_in,
            belongs_in,
        })
        .collect()
}

fn read_scep_payload(payload: &Node, path: &KeyPath, mdm: &Mdm) -> ScepPayload {
    let origin = Origin::new(payload.span.clone(), path.clone());
    let (settings, settings_path, settings_origin) = match payload.entry("PayloadContent") {
        Some(entry) if entry.value.as_dict().is_some() => {
            let settings_path = path.key("PayloadContent");
            (
                &entry.value,
                settings_path.clone(),
                Origin::new(
                    entry.key_span.clone().or(entry.value.span.clone()),
                    settings_path,
                ),
            )
        }
        _ => (payload, path.clone(), origin.clone()),
    };
    let reader = Reader {
        settings,
        path: settings_path.clone(),
        settings_origin: settings_origin.clone(),
        fills_other_names: mdm.fills_other_names,
    };
    let misplaced = if settings_path == *path {
        Vec::new()
    } else {
        misplaced_keys(
            payload,
            path,
            "the SCEP payload's own dict",
            "its `PayloadContent` dict",
        )
    };

    let urls = reader.read("URL", Vec::new(), |node| {
        node.as_str().map(|url| {
            vec![Field::explicit(
                url.to_owned(),
                Origin::new(content_span(node), settings_path.key("URL")),
            )]
        })
    });
    let urls = if matches!(urls.provenance, Provenance::Defaulted) {
        Field {
            provenance: Provenance::Missing,
            ..urls
        }
    } else {
        urls
    };

    let challenge = read_challenge(&reader, mdm);
    let subject = reader.read("Subject", None, |node| {
        Some(Some(read_subject(node, &settings_path.key("Subject"))))
    });
    let subject = if matches!(subject.provenance, Provenance::Defaulted) {
        Field {
            provenance: Provenance::Missing,
            ..subject
        }
    } else {
        subject
    };
    let san = reader.read("SubjectAltName", Vec::new(), |node| {
        read_san(node, &settings_path.key("SubjectAltName"))
    });

    let raw_keys = settings
        .as_dict()
        .unwrap_or_default()
        .iter()
        .filter(|entry| !(settings_path == *path && entry.key.starts_with("Payload")))
        .map(|entry| RawKey {
            name: entry.key.clone(),
            value: match &entry.value.value {
                Value::String(s) => RawValue::String(s.clone()),
                Value::Integer(i) => RawValue::Integer(*i),
                Value::Real(r) => RawValue::Real(*r),
                Value::Bool(b) => RawValue::Bool(*b),
                Value::Data { len, .. } => RawValue::Data { len: *len },
                Value::Deferred { .. } => RawValue::Deferred,
                _ => RawValue::Other(entry.value.type_name()),
            },
            origin: key_origin(entry, &settings_path),
            value_origin: value_origin(entry, &settings_path),
            entry: entry_span(entry),
        })
        .collect();

    ScepPayload {
        identifier: payload.get_str("PayloadIdentifier").map(str::to_owned),
        uuid: payload.get_str("PayloadUUID").map(str::to_owned),
        display_name: payload.get_str("PayloadDisplayName").map(str::to_owned),
        origin,
        settings_origin,
        settings_dict: settings.span.clone().filter(|_| settings_path != *path),
        urls,
        challenge,
        subject,
        san,
        key_size: reader.read("Keysize", Some(DEFAULT_KEY_SIZE), |n| integer(n).map(Some)),
        key_type: Some(reader.read("Key Type", "RSA".to_owned(), |n| {
            n.as_str().map(str::to_owned)
        })),
        key_usage: reader.read(
            "Key Usage",
            Some(KeyUsage::from_apple(DEFAULT_KEY_USAGE)),
            |n| integer(n).map(|mask| Some(KeyUsage::from_apple(mask))),
        ),
        key_extractable: Some(reader.read(
            "KeyIsExtractable",
            DEFAULT_KEY_IS_EXTRACTABLE,
            Node::as_bool,
        )),
        all_apps_access: Some(reader.read(
            "AllowAllAppsAccess",
            DEFAULT_ALLOW_ALL_APPS_ACCESS,
            Node::as_bool,
        )),
        retries: Some(reader.read("Retries", DEFAULT_RETRIES, integer)),
        retry_delay: Some(reader.read("RetryDelay", DEFAULT_RETRY_DELAY, integer)),
        raw_keys,
        request: None,
        misplaced,
        csp: None,
    }
}

fn read_challenge(reader: &Reader<'_>, mdm: &Mdm) -> Field<Challenge> {
    let field = reader.read("Challenge", Challenge::Absent, |node| {
        let value = node.as_str()?;
        let challenge = classify_challenge(value, mdm.vendor, mdm.platform);
        Some(match challenge {
            Challenge::Literal(_) if mdm.fills_environment && is_environment_name(value) => {
                Challenge::Variable(value.trim().to_owned())
            }
            other => other,
        })
    });
    if let Provenance::Deferred { token } = &field.provenance {
        // `<data>$NAME</data>`: a value filled in at deploy time, as a string would be.
        return Field::new(
            Challenge::Variable(token.clone()),
            field.provenance.clone(),
            field.origin,
        );
    }
    match field.provenance {
        Provenance::Defaulted => Field {
            provenance: Provenance::Missing,
            ..field
        },
        // A challenge of another type is still a secret: say only what type it is.
        Provenance::Invalid { .. } => {
            let found = match lookup(reader.settings, "Challenge") {
                Lookup::Found(entry) => format!("a value of type {}", entry.value.type_name()),
                _ => "a value of another type".to_owned(),
            };
            Field {
                provenance: Provenance::Invalid { found },
                ..field
            }
        }
        _ => field,
    }
}

/// Sorts a challenge value into what it is, without ever keeping it outside a [`Secret`]. A
/// value shaped like a variable is one only when the profile's MDM (or macOS) defines it:
/// `%SECRET%` or `{{SECRET}}` in a profile whose MDM has no such variable is sent as written,
/// so it is a literal secret.
pub fn classify_challenge(value: &str, vendor: Vendor, platform: Platform) -> Challenge {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        Challenge::Empty
    } else if is_placeholder(trimmed) {
        Challenge::Placeholder(Secret::new(value))
    } else if let [only] = variables::find(trimmed).as_slice()
        && only.range == (0..trimmed.len())
        && variables::resolve(vendor, platform, &only.canonical()).is_some()
    {
        // Only a value that is one variable and nothing else is one: a secret with `$x` or
        // `%x%` inside stays a secret, never quoted as a variable name.
        Challenge::Variable(only.token.to_owned())
    } else {
        Challenge::Literal(Secret::new(value))
    }
}

/// A value that is one `$NAME` or `${NAME}` and nothing else.
pub fn is_environment_name(value: &str) -> bool {
    let token = value.trim();
    let name = token
        .strip_prefix("${")
        .and_then(|rest| rest.strip_suffix('}'))
        .or_else(|| token.strip_prefix('$'))
        .unwrap_or_default();
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_placeholder(value: &str) -> bool {
    if PUBLISHED_PLACEHOLDERS
        .iter()
        .any(|p| p.eq_ignore_ascii_case(value))
    {
        return true;
    }
    let upper = value.to_ascii_uppercase();
    upper.starts_with("YOUR_")
        || upper.starts_with("YOUR-")
        || upper.contains("REPLACE_WITH")
        || upper.contains("REPLACE-WITH")
        || upper == "CHANGEME"
        || upper == "CHANGE_ME"
        || upper == "PLACEHOLDER"
        || (value.starts_with('<') && value.ends_with('>'))
}

/// Reads Apple's array form: an array of RDNs, each an array of `[type, value]` pairs.
pub fn read_subject(node: &Node, path: &KeyPath) -> Subject {
    let mut subject = Subject {
        rdns: Vec::new(),
        text: String::new(),
        problems: Vec::new(),
        dn_string: false,
    };
    let origin = |node: &Node, path: KeyPath| Origin::new(node.span.clone(), path);
    let Some(rdns) = node.as_array() else {
        if let Some(text) = node.as_str() {
            subject.text = text.to_owned();
        }
        subject.problems.push(SubjectProblem {
            message: format!(
                "Subject is {}; it must be an array of RDNs, each an array of [type, value] pairs",
                describe_value(node)
            ),
            origin: origin(node, path.clone()),
        });
        return subject;
    };
    for (i, rdn) in rdns.iter().enumerate() {
        let rdn_path = path.index(i);
        let Some(items) = rdn.as_array() else {
            subject.problems.push(SubjectProblem {
                message: format!(
                    "RDN {} is {}, not an array of [type, value] pairs",
                    i + 1,
                    describe_value(rdn)
                ),
                origin: origin(rdn, rdn_path),
            });
            continue;
        };
        // `[["CN", "x"]]` is right; `["CN", "x"]` (one level missing) is a common slip.
        let pairs: Vec<(&Node, KeyPath)> =
            if items.len() == 2 && items.iter().all(|p| p.as_str().is_some()) {
                subject.problems.push(SubjectProblem {
                    message: format!(
                        "RDN {} is a bare [type, value] pair; wrap it in an array: [[type, value]]",
                        i + 1
                    ),
                    origin: origin(rdn, rdn_path.clone()),
                });
                vec![(rdn, rdn_path.clone())]
            } else {
                items
                    .iter()
                    .enumerate()
                    .map(|(j, p)| (p, rdn_path.index(j)))
                    .collect()
            };
        let mut attributes = Vec::new();
        for (pair, pair_path) in pairs {
            match pair.as_array() {
                Some([kind, value]) if kind.as_str().is_some() && value.as_str().is_some() => {
                    attributes.push(Attribute {
                        kind: kind.as_str().unwrap_or_default().to_owned(),
                        value: value.as_str().unwrap_or_default().to_owned(),
                        origin: Origin::new(content_span(value), pair_path.index(1)),
                        kind_origin: Origin::new(content_span(kind), pair_path.index(0)),
                    });
                }
                _ => subject.problems.push(SubjectProblem {
                    message: format!(
                        "an attribute of RDN {} is not a pair of two strings [type, value]",
                        i + 1
                    ),
                    origin: origin(pair, pair_path),
                }),
            }
        }
        if !attributes.is_empty() {
            subject.rdns.push(attributes);
        }
    }
    subject.text = subject
        .rdns
        .iter()
        .map(|rdn| {
            rdn.iter()
                .map(|a| format!("{}={}", a.kind, a.value))
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect::<Vec<_>>()
        .join(",");
    subject
}

fn read_san(node: &Node, path: &KeyPath) -> Option<Vec<SanEntry>> {
    let entries = node.as_dict()?;
    let mut san = Vec::new();
    for entry in entries {
        let entry_path = path.key(&entry.key);
        match &entry.value.value {
            Value::String(value) => san.push(SanEntry {
                kind: entry.key.clone(),
                value: value.clone(),
                origin: Origin::new(content_span(&entry.value), entry_path),
            }),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if let Some(value) = item.as_str() {
                        san.push(SanEntry {
                            kind: entry.key.clone(),
                            value: value.to_owned(),
                            origin: Origin::new(content_span(item), entry_path.index(i)),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    Some(san)
}

/// The keys of Apple's SCEP payload, as findings about any mobileconfig name them.
pub fn apple_key(setting: Setting) -> &'static str {
    match setting {
        Setting::Url => "URL",
        Setting::Challenge => "Challenge",
        Setting::Subject => "Subject",
        Setting::SubjectAltName => "SubjectAltName",
        Setting::KeySize => "Keysize",
        Setting::KeyUsage => "Key Usage",
        Setting::KeyExtractable => "KeyIsExtractable",
        Setting::AllAppsAccess => "AllowAllAppsAccess",
        Setting::Level => "PayloadScope",
        Setting::Redistribution => "redistribution",
        Setting::KeyStorage | Setting::Hash | Setting::Validity | Setting::ExtendedKeyUsage => {
            "(not in Apple's payload)"
        }
    }
}

/// What to write in a mobileconfig, for MDMs whose console sceplint has no words for (and as
/// the fallback of those it has).
pub fn apple_fix(fix: Fix<'_>, _platform: Platform, mdm: &str) -> String {
    match fix {
        Fix::Redistribute { lifetime_days } => format!(
            "have the MDM reinstall the profile before the certificate expires (fewer than {lifetime_days} days before)"
        ),
        Fix::ShortenSubject { to } => format!("shorten the Subject to {to} characters or fewer"),
        Fix::KeySize { bits } => format!(
            "add `<key>Keysize</key><integer>{bits}</integer>` to the SCEP payload's PayloadContent"
        ),
        Fix::SigningOnly => "set `<key>Key Usage</key><integer>1</integer>` (1 is signing; 4 is encryption; 5 is both)".to_owned(),
        Fix::NotExtractable => "add `<key>KeyIsExtractable</key><false/>` to the SCEP payload's PayloadContent".to_owned(),
        Fix::AllAppsAccess => "add `<key>AllowAllAppsAccess</key><true/>` to the SCEP payload's PayloadContent".to_owned(),
        Fix::StaticChallenge => "set `Challenge` to the secret key from Okta's SCEP settings, or to the MDM variable that supplies it (for Fleet, `$FLEET_VAR_NDES_SCEP_CHALLENGE` or a `$FLEET_SECRET_...` variable)".to_owned(),
        Fix::DynamicChallenge => "use the MDM variable that fetches a per-device challenge from Okta's dynamic SCEP URL (for Fleet, `$FLEET_VAR_CUSTOM_SCEP_CHALLENGE_<CA>`), or set `expected` to match the CA".to_owned(),
        Fix::ChallengeOutOfFile => "keep the secret in the MDM instead of the file: in Fleet, a secret variable such as `$FLEET_SECRET_OKTA_SCEP_CHALLENGE`".to_owned(),
        Fix::DeviceIdentifier => "add a device identifier to the Subject, such as `%HardwareUUID%` (macOS) or the MDM's UDID variable".to_owned(),
        Fix::NoSubjectAltName => "remove the `SubjectAltName` dict from the SCEP payload".to_owned(),
        Fix::Level(Level::Computer) => "install the profile for the device: `<key>PayloadScope</key><string>System</string>`".to_owned(),
        Fix::Level(Level::User) => "install the profile for the user: `<key>PayloadScope</key><string>User</string>`".to_owned(),
        Fix::VariableSyntax => format!("use one of {mdm}'s variables (see its documentation), or set `vendor` in sceplint.toml if this profile comes from another MDM"),
        Fix::KeyStorageTpm | Fix::HashSha2 | Fix::ValidityOneYear | Fix::ClientAuthentication => {
            "Apple's SCEP payload has no such setting".to_owned()
        }
    }
}

/// Okta's macOS guide, written for Jamf Pro: the level every Apple MDM is judged by.
pub const OKTA_MACOS_LEVEL: (Level, &str) = (
    Level::Computer,
    "Okta's macOS guide (written for Jamf Pro) deploys at computer level so every user of the Mac counts as managed; a user-level certificate covers only the user who enrolled, which fails on shared workstations",
);

/// A hand-written mobileconfig, or one from an MDM sceplint has no words for.
#[derive(Debug)]
pub struct GenericConsole;

pub static GENERIC: GenericConsole = GenericConsole;

impl Console for GenericConsole {
    fn vendor(&self) -> Vendor {
        Vendor::Generic
    }

    fn key(&self, setting: Setting) -> &'static str {
        apple_key(setting)
    }

    fn fix(&self, fix: Fix<'_>, platform: Platform) -> String {
        apple_fix(fix, platform, self.mdm())
    }

    fn okta_level(&self, _platform: Platform) -> (Level, &'static str) {
        OKTA_MACOS_LEVEL
    }

    fn other_dollar_names_filled(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::{Limits, xml};

    fn profile(body: &str) -> Profile {
        let text = format!(
            "<plist version=\"1.0\"><dict><key>PayloadType</key><string>Configuration</string>\
             <key>PayloadContent</key><array><dict><key>PayloadType</key><string>com.apple.security.scep</string>\
             <key>PayloadContent</key><dict>{body}</dict></dict></array></dict></plist>"
        );
        let root = xml::parse_plist(&text, &Limits::default()).unwrap().root;
        read_profile(&root, &Context::standalone(Vendor::Generic))
            .unwrap()
            .unwrap()
    }

    #[test]
    fn absent_keys_take_apples_defaults() {
        let p = profile("<key>URL</key><string>https://x</string>");
        let scep = &p.payloads[0];
        assert_eq!(scep.key_size.value, Some(1024));
        assert_eq!(scep.key_size.provenance, Provenance::Defaulted);
        assert!(scep.key_extractable.as_ref().unwrap().value);
        assert!(!scep.all_apps_access.as_ref().unwrap().value);
        assert_eq!(scep.key_usage.value, Some(KeyUsage::from_apple(0)));
        assert_eq!(scep.challenge.value, Challenge::Absent);
    }

    #[test]
    fn misspelt_keys_do_not_count() {
        let p = profile(
            "<key>KeySize</key><integer>2048</integer><key>KeyUsage</key><integer>1</integer>",
        );
        let scep = &p.payloads[0];
        assert_eq!(scep.key_size.value, Some(1024));
        assert_eq!(
            scep.key_size.provenance,
            Provenance::Misspelt {
                found: "KeySize".into()
            }
        );
        assert_eq!(scep.key_usage.value, Some(KeyUsage::from_apple(0)));
    }

    #[test]
    fn wrongly_typed_values_are_invalid_and_default() {
        let p = profile("<key>Keysize</key><string>2048</string>");
        let scep = &p.payloads[0];
        assert_eq!(scep.key_size.value, Some(1024));
        assert!(matches!(
            scep.key_size.provenance,
            Provenance::Invalid { .. }
        ));
    }

    #[test]
    fn subjects_read_into_rdns_and_the_mdm_string_form() {
        let p = profile(
            "<key>Subject</key><array><array><array><string>O</string><string>Acme</string></array></array>\
             <array><array><string>CN</string><string>$COMPUTERNAME ma $UDID</string></array></array></array>",
        );
        let subject = p.payloads[0].subject.value.clone().unwrap();
        assert_eq!(subject.text, "O=Acme,CN=$COMPUTERNAME ma $UDID");
        assert!(subject.problems.is_empty());
    }

    #[test]
    fn challenges_are_classified() {
        let classify = |v| classify_challenge(v, Vendor::Jamf, Platform::MacOs);
        assert_eq!(classify("  "), Challenge::Empty);
        assert!(matches!(
            classify("YOUR_SCEP_SECRET_KEY_FROM_OKTA"),
            Challenge::Placeholder(_)
        ));
        assert!(matches!(
            classify("{{.SCEPChallenge}}"),
            Challenge::Placeholder(_)
        ));
        assert_eq!(
            classify("$MSSCEPCHALLENGE"),
            Challenge::Variable("$MSSCEPCHALLENGE".into())
        );
        assert!(matches!(classify("s3cr3t-value"), Challenge::Literal(_)));
        // Shaped like a variable, but not one Jamf Pro (or macOS) defines: sent as written.
        for undefined in ["%SECRET%", "{{SECRET}}", "$NOT_A_JAMF_VARIABLE"] {
            assert!(
                matches!(classify(undefined), Challenge::Literal(_)),
                "{undefined}"
            );
        }
        assert!(matches!(classify("%HardwareUUID%"), Challenge::Variable(_)));
    }

    #[test]
    fn misspellings_are_near_misses_of_known_keys() {
        assert!(is_misspelling("KeyType", "Key Type"));
        assert!(is_misspelling("keyisextractable", "KeyIsExtractable"));
        assert!(is_misspelling("AllowAllAppAccess", "AllowAllAppsAccess"));
        assert!(!is_misspelling("Retries", "RetryDelay"));
        assert!(!is_misspelling("Name", "URL"));
    }

    #[test]
    fn encrypted_profiles_cannot_be_read() {
        let text =
            "<plist><dict><key>EncryptedPayloadContent</key><data>AAAA</data></dict></plist>";
        let root = xml::parse_plist(text, &Limits::default()).unwrap().root;
        assert!(matches!(
            read_profile(&root, &Context::standalone(Vendor::Generic)),
            Err(NotReadable::Encrypted(_))
        ));
    }
}
