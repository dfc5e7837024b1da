//! The vendor-neutral description of a SCEP profile that every rule reads.
//!
//! Vendor parsers fill it; rules never see a file, a tree or a vendor's field names. Each
//! setting is a [`Field`]: the value a device would actually use (Apple's default when the key
//! is absent), how that value came about, and where in the file it came from.

use std::fmt;

use crate::source::Span;
use crate::tree::KeyPath;

/// The MDM a profile comes from, as far as the file (or configuration) says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Vendor {
    Jamf,
    Kandji,
    Intune,
    Fleet,
    WorkspaceOne,
    /// Not known: a hand-written profile, or one from an MDM sceplint has no words for.
    Generic,
}

impl Vendor {
    pub const ALL: [Vendor; 6] = [
        Vendor::Jamf,
        Vendor::Kandji,
        Vendor::Intune,
        Vendor::Fleet,
        Vendor::WorkspaceOne,
        Vendor::Generic,
    ];

    /// The name used in configuration and JSON output.
    pub fn id(self) -> &'static str {
        match self {
            Vendor::Jamf => "jamf",
            Vendor::Kandji => "kandji",
            Vendor::Intune => "intune",
            Vendor::Fleet => "fleet",
            Vendor::WorkspaceOne => "workspace-one",
            Vendor::Generic => "generic",
        }
    }

    /// The name used in messages.
    pub fn label(self) -> &'static str {
        match self {
            Vendor::Jamf => "Jamf Pro",
            Vendor::Kandji => "Kandji/Iru",
            Vendor::Intune => "Intune",
            Vendor::Fleet => "Fleet",
            Vendor::WorkspaceOne => "Workspace ONE",
            Vendor::Generic => "the MDM",
        }
    }

    pub fn from_id(id: &str) -> Option<Vendor> {
        match id.to_ascii_lowercase().as_str() {
            "jamf" | "jamf-pro" => Some(Vendor::Jamf),
            "kandji" | "iru" => Some(Vendor::Kandji),
            "intune" => Some(Vendor::Intune),
            "fleet" => Some(Vendor::Fleet),
            "workspace-one" | "ws1" => Some(Vendor::WorkspaceOne),
            "generic" | "micromdm" | "nanomdm" => Some(Vendor::Generic),
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
    /// The name used in JSON output.
    pub fn id(self) -> &'static str {
        match self {
            Platform::MacOs => "macos",
            Platform::Ios => "ios",
            Platform::Windows => "windows",
            Platform::Apple => "apple",
        }
    }

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
    /// Worked out from other settings (Fleet's redistribution from the renewal id in the
    /// Subject), as this says.
    Inferred(String),
    /// The file holds a variable that is filled in when the profile is deployed (a Fleet GitOps
    /// `$NAME`): the value is not known until then.
    Deferred { token: String },
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
    /// Whether the value is a variable filled in at deploy time: unknown until then.
    pub fn is_deferred(&self) -> bool {
        matches!(self.provenance, Provenance::Deferred { .. })
    }

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
    /// Written as a distinguished-name string (Intune, the Windows CSP), where a value may be
    /// quoted, rather than Apple's array of RDNs.
    pub dn_string: bool,
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
    /// The number the file writes, for formats that write one (Apple's bitmask, the CSP's).
    pub mask: Option<i128>,
}

impl KeyUsage {
    /// Apple's bitmask: 1 signing, 4 encryption.
    pub fn from_apple(mask: i128) -> Self {
        KeyUsage {
            signing: mask & 1 != 0,
            encryption: mask & 4 != 0,
            mask: Some(mask),
        }
    }

    /// The ClientCertificateInstall CSP's `KeyUsage`, X509KeyUsageFlags: 0x80 (128)
    /// digitalSignature, 0x20 (32) keyEncipherment.
    pub fn from_csp(mask: i128) -> Self {
        KeyUsage {
            signing: mask & 0x80 != 0,
            encryption: mask & 0x20 != 0,
            mask: Some(mask),
        }
    }

    /// Flags without a number (Intune's `digitalSignature,keyEncipherment`).
    pub fn flags(signing: bool, encryption: bool) -> Self {
        KeyUsage {
            signing,
            encryption,
            mask: None,
        }
    }

    /// How a finding shows it: the number as written and what it means, or the meaning alone.
    pub fn shown(self) -> String {
        match self.mask {
            Some(mask) => format!("{mask} ({})", self.describe()),
            None => self.describe().to_owned(),
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
    /// The export can hold the setting and does not, or holds something unreadable.
    Unknown,
    /// The export cannot show it (Kandji/Iru, generic mobileconfigs, Jamf macOS exports, the
    /// Windows CSP): it lives in the MDM, and must be declared.
    NotInExport,
}

/// The keys of an Apple SCEP payload's settings dict, as written (for checks on the keys
/// themselves: spelling, types, keys that belong to other payloads).
#[derive(Debug, Clone, PartialEq)]
pub struct RawKey {
    pub name: String,
    pub value: RawValue,
    pub origin: Origin,
    pub value_origin: Origin,
    /// The key and its value together, in text.
    pub entry: Option<Span>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    String(String),
    Integer(i128),
    Real(f64),
    Bool(bool),
    Data {
        len: usize,
    },
    /// A variable filled in before the device sees the profile, in a typed element.
    Deferred,
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
            RawValue::Deferred => "variable",
            RawValue::Other(name) => name,
        }
    }
}

/// Where a Windows certificate's private key is created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyStorage {
    /// The TPM if the device has one, else software (Intune `useTpmKspOtherwiseUseSoftwareKsp`,
    /// CSP `KeyProtection` 2).
    TpmIfPresent,
    /// The TPM, or enrollment fails (Intune `useTpmKspOtherwiseFail`, CSP 1).
    TpmRequired,
    /// Windows Hello for Business (Intune `usePassportForWorkKspOtherwiseFail`, CSP 4).
    Passport,
    /// The software key storage provider (Intune `useSoftwareKsp`, CSP 3, the CSP's default).
    Software,
    /// A value the format does not define, as written.
    Other(String),
}

impl KeyStorage {
    pub fn uses_tpm(&self) -> bool {
        matches!(self, KeyStorage::TpmIfPresent | KeyStorage::TpmRequired)
    }
}

/// A hash algorithm a certificate request may use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hash {
    Sha1,
    Sha2,
    Sha3,
    Other(String),
}

/// How the certificate request is made, for formats that say more than Apple's payload does
/// (Intune's SCEP profiles, the Windows ClientCertificateInstall CSP).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RequestSettings {
    pub key_storage: Option<Field<KeyStorage>>,
    pub hash: Option<Field<Vec<Hash>>>,
    /// `(amount, unit)` with unit `days`, `months` or `years` (anything else as written).
    pub validity: Option<Field<(i64, String)>>,
    /// `(name, object identifier)` pairs.
    pub extended_key_usages: Option<Field<Vec<(String, String)>>>,
    /// Intune on macOS: `deviceChannel` or `userChannel`.
    pub deployment_channel: Option<Field<String>>,
    pub subject_name_format: Option<Field<String>>,
    /// The CSP's `CAThumbprint`: the SHA-1 of the root CA, as 40 hex digits.
    pub ca_thumbprint: Option<Field<String>>,
}

/// A validity period in days (a month counted as 30 days, a year as 365).
pub fn validity_days((amount, scale): &(i64, String)) -> Option<i64> {
    let per = match scale.to_ascii_lowercase().as_str() {
        "days" => 1,
        "months" => 30,
        "years" => 365,
        _ => return None,
    };
    amount.checked_mul(per)
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
    /// That dict's own text (`<dict>...</dict>`), where a fix inserts a key; `None` where the
    /// settings are not a dict in text.
    pub settings_dict: Option<Span>,
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
    /// What Intune and the Windows CSP say about the request beyond Apple's payload.
    pub request: Option<RequestSettings>,
    /// SCEP settings written at a level the device does not read them from.
    pub misplaced: Vec<MisplacedKey>,
    /// How the Windows CSP node that holds this certificate's settings is written.
    pub csp: Option<CspInstall>,
}

/// One ClientCertificateInstall SCEP node (`.../SCEP/<id>`) as a Windows profile writes it, for
/// the checks that make enrollment fail.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CspInstall {
    /// The node's name as written: `OktaVerify`, `$FLEET_VAR_SCEP_WINDOWS_CERTIFICATE_ID`.
    pub id: String,
    /// The first LocURI that names it.
    pub id_origin: Origin,
    /// Where the node itself is created (an Add or Replace of `.../SCEP/<id>`).
    pub created: Option<Origin>,
    /// Each `Exec` of `Install/Enroll`, in file order.
    pub enrolls: Vec<Origin>,
    /// The first setting written after the node's `Install/Enroll` (Windows enrolls with what
    /// it has when Enroll runs).
    pub set_after_enroll: Option<Origin>,
    /// Install nodes as written, in order, with where each is: every one, known or not.
    pub nodes: Vec<CspNode>,
}

/// One `.../Install/<name>` a Windows profile writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CspNode {
    pub name: String,
    /// The LocURI.
    pub origin: Origin,
    /// The `<Format>` as written (`int`, `chr`), where the format says one.
    pub format: Option<(String, Origin)>,
    /// Whether the item carries `<Data>`.
    pub has_data: bool,
    /// The format the CSP defines for the node, or `None` when the CSP has no such node.
    pub expected_format: Option<&'static str>,
    /// For a node the CSP does not have: the one meant, when the name is a near miss.
    pub suggestion: Option<&'static str>,
}

/// What a Windows CSP profile as a whole is made of.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CspFile {
    /// The stores its ClientCertificateInstall nodes are under, each where it is first used.
    pub scopes: Vec<(Level, Origin)>,
    /// Whether the format can carry commands (`Exec`): SyncML can, Intune's OMA-URI settings
    /// cannot.
    pub has_commands: bool,
    /// Top-level elements of a SyncML file, in order.
    pub top_level: Vec<(String, Origin)>,
    /// An XML declaration or processing instruction.
    pub declaration: Option<Origin>,
    /// LocURIs that are not ClientCertificateInstall SCEP nodes.
    pub other_nodes: Vec<(String, Origin)>,
}

/// What a file that deploys a profile (a Terraform resource, a Fleet GitOps entry) says about
/// it: its MDM, and the settings an export of the profile cannot carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    pub vendor: Vendor,
    pub level: Option<Level>,
    /// Days before expiry the MDM redeploys the profile (0: never), where the resource says.
    pub redistribution_days: Option<i64>,
    /// The redeploy setting, when it is computed at deploy time (`var.redeploy_days`).
    pub redistribution_token: Option<String>,
    /// The deploying file, for messages.
    pub source: String,
}

/// A profile another file deploys by path: a Terraform `file()`, a Fleet GitOps `path:` or
/// `paths:` glob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The path as written, relative to the referencing file's folder.
    pub path: String,
    /// Whether `path` is a glob (`paths:`).
    pub glob: bool,
    pub origin: Origin,
    pub vendor: Vendor,
    pub level: Option<Level>,
    pub redistribution_days: Option<i64>,
    /// The redeploy setting, when Terraform computes it (`var.redeploy_days`).
    pub redistribution_token: Option<String>,
}

/// Why the MDM would refuse a profile when it is uploaded, as its own checks say (the MDM
/// module knows them; the mdm-upload rule reports them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub message: String,
    pub help: String,
    pub origin: Origin,
    pub label: &'static str,
}

/// A SCEP setting written where the device does not look for it (an Apple payload's own dict
/// instead of its `PayloadContent`, the profile's top level).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MisplacedKey {
    pub name: String,
    pub origin: Origin,
    /// The key and its value together, in text.
    pub entry: Option<Span>,
    /// Where it is, in the format's words: "the SCEP payload's dict".
    pub found_in: &'static str,
    /// Where it belongs: "the payload's `PayloadContent` dict".
    pub belongs_in: &'static str,
}

/// An MDM's Subject field, where the MDM has one with a documented limit (Jamf Pro, Kandji/Iru),
/// and the identifier it appends to the Subject when it redistributes the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubjectField {
    pub limit: usize,
    /// The variable that stands for the appended identifier (`$PROFILE_IDENTIFIER`).
    pub appended: &'static str,
}

/// One configuration profile (Apple), Intune object or Windows CSP profile, with its SCEP
/// payloads.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub vendor: Vendor,
    /// How findings about this profile talk: its MDM's key names and console words.
    pub words: Words,
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
    /// The MDM's Subject field and what it appends, where it has one.
    pub subject_field: Option<SubjectField>,
    pub payloads: Vec<ScepPayload>,
    /// For a Windows CSP profile: how the file is made.
    pub csp: Option<CspFile>,
    /// What the MDM would refuse on upload.
    pub rejections: Vec<Rejection>,
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

/// A setting findings name: each format spells its key its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    Url,
    Challenge,
    Subject,
    SubjectAltName,
    KeySize,
    KeyUsage,
    KeyExtractable,
    AllAppsAccess,
    Redistribution,
    Level,
    KeyStorage,
    Hash,
    Validity,
    ExtendedKeyUsage,
}

/// What a finding asks to change, for the MDM's words to say where and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fix<'a> {
    /// Redistribute the profile before its certificates expire.
    Redistribute {
        lifetime_days: i64,
    },
    /// Shorten the Subject to this many characters, leaving room for what the MDM appends.
    ShortenSubject {
        to: usize,
    },
    KeySize {
        bits: &'a str,
    },
    SigningOnly,
    NotExtractable,
    AllAppsAccess,
    /// Put Okta's static secret key in the challenge.
    StaticChallenge,
    /// Use the MDM's per-device challenge for Okta's dynamic SCEP URL.
    DynamicChallenge,
    /// Keep the static secret out of the file.
    ChallengeOutOfFile,
    DeviceIdentifier,
    NoSubjectAltName,
    Level(Level),
    /// Write variables the way this MDM spells them.
    VariableSyntax,
    KeyStorageTpm,
    HashSha2,
    ValidityOneYear,
    ClientAuthentication,
}

/// How safe a fix is to apply without a human looking (ruff's applicability).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Only the MDM can change it (shown, never applied).
    DisplayOnly,
    /// Changes with consequences a human should confirm (`--unsafe-fixes`).
    Unsafe,
    /// Mechanical: applied by `--fix`.
    Safe,
}

/// What a fix does at one place, in model terms: the format's MDM module spells it where the
/// file has it (`2048`, `size2048`, `<false/>`, `&lt;false/&gt;`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rewrite {
    /// The value at the origin becomes this key size, as an integer.
    KeySize(i128),
    /// Key usage for signing only.
    SigningOnly,
    Bool(bool),
    /// A misspelt key or node, renamed to the one the device reads.
    Rename {
        from: String,
        to: &'static str,
    },
    /// The dict at the origin gains `key`, which it lacks, with the value `value` writes
    /// (a boolean, a key size or signing-only usage).
    Insert {
        key: &'static str,
        value: Box<Rewrite>,
    },
    /// The entry at the origin, its key through its value, taken out.
    Delete,
    /// The entry written at `entry` (key through value) added to the dict at the origin; with
    /// [`Rewrite::Delete`] at `entry`, a move that copies the bytes as they are.
    Append {
        entry: Span,
    },
    /// Double quotes taken out of the text at the origin.
    Unquote,
    /// The certificate store or keychain.
    Level(Level),
}

/// What a rule would change to fix a finding: each origin's text, rewritten.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub parts: Vec<(Origin, Rewrite)>,
    pub applicability: Applicability,
    /// What the fix does, for editors' code actions: "Set Keysize to 2048".
    pub title: String,
}

/// How findings about a profile talk: the key names of its format and the words of its MDM's
/// console. Each MDM module (src/mdm/) implements it; rules only ask.
pub trait Console: Sync + fmt::Debug {
    fn vendor(&self) -> Vendor;

    /// How messages name the MDM: "Jamf Pro", or "the MDM" when it is not known.
    fn mdm(&self) -> &'static str {
        self.vendor().label()
    }

    /// The key or field that holds `setting`, as this format spells it.
    fn key(&self, setting: Setting) -> &'static str;

    /// What to change in this MDM, and where (the help of a finding).
    fn fix(&self, fix: Fix<'_>, platform: Platform) -> String;

    /// The level Okta's guide for this MDM installs the certificate at on `platform`, and why.
    fn okta_level(&self, platform: Platform) -> (Level, &'static str);

    /// The Subject attribute types this format accepts, in the notation findings show.
    fn subject_types(&self) -> &'static [&'static str] {
        &["C", "L", "ST", "O", "OU", "CN"]
    }

    /// Whether backslash escapes in the Subject (`\,` `\+`) break the enrollment (Intune
    /// documents that they break challenge validation).
    fn subject_escapes_break(&self) -> bool {
        false
    }

    /// Whether a `$NAME` that is none of this MDM's variables may still be filled in before the
    /// device sees it (Fleet's GitOps fills it from the environment), or cannot be judged
    /// because the MDM is not known.
    fn other_dollar_names_filled(&self) -> bool {
        false
    }

    /// Whether this MDM's tooling fills every `$NAME` from its environment before upload
    /// (Fleet's `fleetctl gitops`), so a value that is one such name is a deploy-time value, not
    /// a literal: a challenge written `$OKTA_CHALLENGE` is kept out of the file.
    fn fills_environment(&self) -> bool {
        false
    }

    /// The key usage that means signing only, as this format writes it (Apple `1`, the CSP
    /// `128`).
    fn signing_only_usage(&self) -> &'static str {
        "1"
    }

    /// Whether key sizes are words (Intune's `"size2048"`), so a bare number is rewritten as one.
    fn key_size_is_word(&self) -> bool {
        false
    }
}

/// A profile's [`Console`], shared: compared by MDM and format, shown by name.
#[derive(Clone, Copy)]
pub struct Words(pub &'static dyn Console);

impl std::ops::Deref for Words {
    type Target = dyn Console;

    fn deref(&self) -> &Self::Target {
        self.0
    }
}

impl fmt::Debug for Words {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Words({:?})", self.0)
    }
}

impl PartialEq for Words {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(
            self.0 as *const dyn Console as *const (),
            other.0 as *const dyn Console as *const (),
        )
    }
}
