//! The vendor-neutral description of a SCEP profile that every rule reads.
//!
//! Vendor parsers fill it; rules never see a file, a tree or a vendor's field names. Each
//! setting is a [`Field`]: the value a device would actually use (Apple's default when the key
//! is absent), how that value came about, and where in the file it came from.

use std::fmt;

use crate::source::Span;
use crate::tree::KeyPath;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Vendor {
    Jamf,
    Kandji,
    Intune,
    Generic,
}

impl Vendor {
    pub const ALL: [Vendor; 4] = [
        Vendor::Jamf,
        Vendor::Kandji,
        Vendor::Intune,
        Vendor::Generic,
    ];

    /// The name used in configuration and JSON output.
    pub fn id(self) -> &'static str {
        match self {
            Vendor::Jamf => "jamf",
            Vendor::Kandji => "kandji",
            Vendor::Intune => "intune",
            Vendor::Generic => "generic",
        }
    }

    /// The name used in messages.
    pub fn label(self) -> &'static str {
        match self {
            Vendor::Jamf => "Jamf Pro",
            Vendor::Kandji => "Kandji/Iru",
            Vendor::Intune => "Intune",
            Vendor::Generic => "the MDM",
        }
    }

    pub fn from_id(id: &str) -> Option<Vendor> {
        match id.to_ascii_lowercase().as_str() {
            "jamf" | "jamf-pro" => Some(Vendor::Jamf),
            "kandji" | "iru" => Some(Vendor::Kandji),
            "intune" => Some(Vendor::Intune),
            "generic" | "fleet" | "micromdm" | "nanomdm" => Some(Vendor::Generic),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Platform {
    MacOs,
    Ios,
    Windows,
    /// An Apple configuration profile whose target platform the file does not say. Rules
    /// that only matter on macOS treat it as macOS, since that is where Okta's SCEP is used.
    Apple,
}

impl Platform {
    pub fn is_macos_like(self) -> bool {
        matches!(self, Platform::MacOs | Platform::Apple)
    }

    pub fn label(self) -> &'static str {
        match self {
            Platform::MacOs => "macOS",
            Platform::Ios => "iOS/iPadOS",
            Platform::Windows => "Windows",
            Platform::Apple => "Apple",
        }
    }
}

/// Which keychain or certificate store gets the certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// Jamf "Computer Level", `PayloadScope` System, Intune `machine` store.
    Computer,
    /// Jamf "User Level", `PayloadScope` User, Intune `user` store.
    User,
}

/// Where a value came from: a byte range in the file the user gave (when it is text) and a
/// key path that works for every input, binary included.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Origin {
    pub span: Option<Span>,
    pub key_path: KeyPath,
}

impl Origin {
    pub fn new(span: Option<Span>, key_path: KeyPath) -> Self {
        Origin { span, key_path }
    }
}

/// How the effective value came about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provenance {
    /// The key is there, spelt right, with a usable value.
    Explicit,
    /// The key is absent; the value is the platform's documented default.
    Defaulted,
    /// The key is absent but a misspelling of it is present, which the device ignores; the
    /// value is the default. The origin points at the misspelt key.
    Misspelt { found: String },
    /// The key is present with a value of the wrong type or outside its allowed values, which
    /// the device ignores or rejects; the value is the default (or unknown).
    Invalid { found: String },
    /// Declared for this run (`--redistribution-days`, configuration), not read from the file.
    Declared,
    /// The key is absent and there is no default to fall back on.
    Missing,
}

impl Provenance {
    pub fn is_explicit(&self) -> bool {
        matches!(self, Provenance::Explicit)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field<T> {
    pub value: T,
    pub provenance: Provenance,
    pub origin: Origin,
}

impl<T> Field<T> {
    pub fn explicit(value: T, origin: Origin) -> Self {
        Field {
            value,
            provenance: Provenance::Explicit,
            origin,
        }
    }

    pub fn new(value: T, provenance: Provenance, origin: Origin) -> Self {
        Field {
            value,
            provenance,
            origin,
        }
    }
}

/// A shared secret. It is never printed: `Debug` and `Display` mask it, and the only way to
/// read it is [`Secret::expose`], for rules that check its characters.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(****)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("****")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Challenge {
    /// A static shared secret written into the profile.
    Literal(Secret),
    /// An MDM variable the MDM replaces with the secret or a per-device challenge.
    Variable(String),
    /// A value copied from published documentation, not a real secret.
    Placeholder(Secret),
    /// The key is there with an empty string.
    Empty,
    Absent,
    /// The MDM supplies the challenge itself (Intune): the profile has no such field.
    SuppliedByMdm,
}

impl Challenge {
    /// The secret text, when the profile carries one (literal or placeholder).
    pub fn secret(&self) -> Option<&Secret> {
        match self {
            Challenge::Literal(s) | Challenge::Placeholder(s) => Some(s),
            _ => None,
        }
    }
}

/// One attribute of a relative distinguished name, such as `CN=$COMPUTERNAME`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub kind: String,
    pub value: String,
    /// Where the value is.
    pub origin: Origin,
    /// Where the type (`CN`, `O`, an OID) is.
    pub kind_origin: Origin,
}

/// A problem with the Subject's shape, found while reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectProblem {
    pub message: String,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// RDNs in order; each holds one attribute or, when multi-valued, several.
    pub rdns: Vec<Vec<Attribute>>,
    /// The Subject as the MDM's Subject field shows it, variables unexpanded
    /// (`CN=$COMPUTERNAME ma $UDID,O=Acme`).
    pub text: String,
    pub problems: Vec<SubjectProblem>,
}

impl Subject {
    pub fn attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.rdns.iter().flatten()
    }

    pub fn common_names(&self) -> impl Iterator<Item = &Attribute> {
        self.attributes()
            .filter(|a| a.kind.eq_ignore_ascii_case("CN") || a.kind == "2.5.4.3")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SanEntry {
    /// Apple's key (`rfc822Name`, `dNSName`, `uniformResourceIdentifier`, `ntPrincipalName`)
    /// or Intune's `sanType`.
    pub kind: String,
    pub value: String,
    pub origin: Origin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyUsage {
    pub signing: bool,
    pub encryption: bool,
}

impl KeyUsage {
    /// Apple's bitmask: 1 signing, 4 encryption.
    pub fn from_apple(mask: i128) -> Self {
        KeyUsage {
            signing: mask & 1 != 0,
            encryption: mask & 4 != 0,
        }
    }

    pub fn is_signing_only(self) -> bool {
        self.signing && !self.encryption
    }

    pub fn describe(self) -> &'static str {
        match (self.signing, self.encryption) {
            (true, false) => "signing only",
            (false, true) => "encryption only",
            (true, true) => "signing and encryption",
            (false, false) => "neither signing nor encryption",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redistribution {
    /// Redistribute this many days before the certificate expires (0 means off).
    Days(i64),
    /// Intune renews once this percentage of the validity period remains.
    Threshold {
        percent: i64,
        validity_days: Option<i64>,
    },
    /// The export cannot show it (Kandji/Iru, generic mobileconfigs, Jamf macOS exports
    /// without the field).
    Unknown,
}

/// The keys of an Apple SCEP payload's settings dict, as written (for checks on the keys
/// themselves: spelling, types, keys that belong to other payloads).
#[derive(Debug, Clone, PartialEq)]
pub struct RawKey {
    pub name: String,
    pub value: RawValue,
    pub origin: Origin,
    pub value_origin: Origin,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    String(String),
    Integer(i128),
    Real(f64),
    Bool(bool),
    Data { len: usize },
    Other(&'static str),
}

impl RawValue {
    pub fn type_name(&self) -> &'static str {
        match self {
            RawValue::String(_) => "string",
            RawValue::Integer(_) => "integer",
            RawValue::Real(_) => "real",
            RawValue::Bool(_) => "boolean",
            RawValue::Data { .. } => "data",
            RawValue::Other(name) => name,
        }
    }
}

/// Intune-only settings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IntuneSettings {
    pub key_storage_provider: Option<Field<String>>,
    pub hash_algorithm: Option<Field<String>>,
    pub validity: Option<Field<(i64, String)>>,
    /// `(name, object identifier)` pairs.
    pub extended_key_usages: Option<Field<Vec<(String, String)>>>,
    pub deployment_channel: Option<Field<String>>,
    pub subject_name_format: Option<Field<String>>,
}

/// A payload of an Apple profile, as far as structural checks need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadSummary {
    pub payload_type: Option<Field<String>>,
    pub identifier: Option<Field<String>>,
    pub uuid: Option<Field<String>>,
    pub version: Option<Field<String>>,
    /// `PayloadCertificateUUID`, `IdentityCertificateUUID` and the like: key, UUID, origin.
    pub references: Vec<(String, Field<String>)>,
    pub origin: Origin,
}

/// The top level of an Apple configuration profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileStructure {
    pub top: PayloadSummary,
    pub payloads: Vec<PayloadSummary>,
}

/// One SCEP payload (Apple) or one SCEP certificate profile object (Intune).
#[derive(Debug, Clone, PartialEq)]
pub struct ScepPayload {
    pub identifier: Option<String>,
    pub uuid: Option<String>,
    pub display_name: Option<String>,
    /// The payload as a whole.
    pub origin: Origin,
    /// The dict that holds the SCEP settings: where an absent key would go.
    pub settings_origin: Origin,
    pub urls: Field<Vec<Field<String>>>,
    pub challenge: Field<Challenge>,
    pub subject: Field<Option<Subject>>,
    pub san: Field<Vec<SanEntry>>,
    pub key_size: Field<Option<i128>>,
    pub key_type: Option<Field<String>>,
    pub key_usage: Field<Option<KeyUsage>>,
    /// `None` where the setting does not exist (Intune).
    pub key_extractable: Option<Field<bool>>,
    /// `None` where the setting does not exist (Windows, iOS).
    pub all_apps_access: Option<Field<bool>>,
    pub retries: Option<Field<i128>>,
    pub retry_delay: Option<Field<i128>>,
    /// Every key of an Apple payload's settings, as written.
    pub raw_keys: Vec<RawKey>,
    pub intune: Option<IntuneSettings>,
}

/// One configuration profile (Apple) or Intune object, with its SCEP payloads.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub vendor: Vendor,
    pub platform: Platform,
    pub display_name: Option<String>,
    pub identifier: Option<String>,
    pub uuid: Option<String>,
    pub origin: Origin,
    pub level: Field<Option<Level>>,
    pub redistribution: Field<Redistribution>,
    pub structure: Option<ProfileStructure>,
    /// Also delivered to Windows devices (a Kandji/Iru item with `runs_on_windows`), whatever
    /// `platform` says.
    pub targets_windows: bool,
    pub payloads: Vec<ScepPayload>,
}

impl Profile {
    /// How findings name this profile: its identifier, else its display name.
    pub fn label(&self) -> Option<&str> {
        self.identifier.as_deref().or(self.display_name.as_deref())
    }
}

impl ScepPayload {
    pub fn label(&self) -> Option<&str> {
        self.identifier
            .as_deref()
            .or(self.uuid.as_deref())
            .or(self.display_name.as_deref())
    }
}
