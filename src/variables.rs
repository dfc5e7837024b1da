//! MDM and device variables in profile values: `$VAR` and `${VAR}` (Jamf Pro, Kandji/Iru,
//! Fleet), `{{Var}}` (Intune), `%Var%` (macOS device-side substitution), `{Var}` (Workspace ONE).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Syntax {
    /// `$NAME` or `${NAME}`.
    Dollar,
    /// `{{Name}}`.
    DoubleBrace,
    /// `%Name%`.
    Percent,
    /// `{Name}`.
    SingleBrace,
}

/// One variable reference in a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableRef<'a> {
    pub syntax: Syntax,
    /// The name without its delimiters.
    pub name: &'a str,
    /// The whole token, delimiters included.
    pub token: &'a str,
    pub range: Range<usize>,
}

static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\$\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)\}|\$(?P<dollar>[A-Za-z_][A-Za-z0-9_]*)|\{\{\s*(?P<double>[^{}\s]+)\s*\}\}|%(?P<percent>[A-Za-z_][A-Za-z0-9_]*)%|\{(?P<single>[A-Za-z][A-Za-z0-9_]*)\}",
    )
    .expect("the variable pattern is a valid regex")
});

/// Every variable reference in `text`, in order.
pub fn find(text: &str) -> Vec<VariableRef<'_>> {
    if !text.contains(['$', '{', '%']) {
        return Vec::new();
    }
    TOKEN
        .captures_iter(text)
        .filter_map(|caps| {
            let whole = caps.get(0)?;
            let (syntax, name) = [
                ("braced", Syntax::Dollar),
                ("dollar", Syntax::Dollar),
                ("double", Syntax::DoubleBrace),
                ("percent", Syntax::Percent),
                ("single", Syntax::SingleBrace),
            ]
            .into_iter()
            .find_map(|(group, syntax)| caps.name(group).map(|m| (syntax, m.as_str())))?;
            Some(VariableRef {
                syntax,
                name,
                token: whole.as_str(),
                range: whole.range(),
            })
        })
        .collect()
}

pub fn contains_variable(text: &str) -> bool {
    !find(text).is_empty()
}

/// Whether a challenge variable is one an MDM fills with a per-device, short-lived challenge
/// (a dynamic SCEP challenge), rather than a fixed secret: Fleet's NDES and custom-SCEP
/// challenge variables, Jamf Pro's Dynamic-Microsoft CA challenge (`$MSSCEPCHALLENGE`, seen in a
/// real Jamf Pro export), Workspace ONE's `{DynamicScepChallenge}`.
pub fn is_dynamic_challenge(variable: &VariableRef<'_>) -> bool {
    match variable.syntax {
        Syntax::Dollar => {
            variable.name == "FLEET_VAR_NDES_SCEP_CHALLENGE"
                || variable
                    .name
                    .starts_with("FLEET_VAR_CUSTOM_SCEP_CHALLENGE_")
                || variable
                    .name
                    .starts_with("FLEET_VAR_SMALLSTEP_SCEP_CHALLENGE_")
                || variable.name == "MSSCEPCHALLENGE"
        }
        Syntax::SingleBrace => variable.name == "DynamicScepChallenge",
        Syntax::DoubleBrace | Syntax::Percent => false,
    }
}

/// Whether a challenge variable holds a fixed secret the MDM keeps (Fleet's `$FLEET_SECRET_...`).
pub fn is_secret_variable(variable: &VariableRef<'_>) -> bool {
    variable.syntax == Syntax::Dollar && variable.name.starts_with("FLEET_SECRET_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_syntax() {
        let text = "CN=$COMPUTERNAME ${UDID} {{DeviceId}} %HardwareUUID% {DeviceUid} 100%";
        let found: Vec<_> = find(text).iter().map(|v| (v.syntax, v.name)).collect();
        assert_eq!(
            found,
            vec![
                (Syntax::Dollar, "COMPUTERNAME"),
                (Syntax::Dollar, "UDID"),
                (Syntax::DoubleBrace, "DeviceId"),
                (Syntax::Percent, "HardwareUUID"),
                (Syntax::SingleBrace, "DeviceUid"),
            ]
        );
    }

    #[test]
    fn plain_text_has_no_variables() {
        assert!(!contains_variable("managementAttestation 50% off $ 5"));
        assert!(contains_variable("$FLEET_VAR_NDES_SCEP_CHALLENGE"));
    }
}

/// A variable an MDM (or macOS) defines, with what the rules need to know about its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    /// As written in a profile: `$UDID`, `{{DeviceId}}`, `%HardwareUUID%`, `{DeviceUid}`. A
    /// token ending in `_` or `*` stands for every name that starts with it.
    pub token: &'static str,
    /// A realistic worst-case length of the expanded value (configurable per token).
    pub max_len: usize,
    /// The value identifies one device (what Okta recommends a Subject to carry).
    pub device_unique: bool,
    /// The value can contain a comma, which splits a `CN=...,OU=...` string.
    pub may_contain_comma: bool,
}

const fn var(token: &'static str, max_len: usize) -> Known {
    Known {
        token,
        max_len,
        device_unique: false,
        may_contain_comma: false,
    }
}

const fn device(token: &'static str, max_len: usize) -> Known {
    Known {
        token,
        max_len,
        device_unique: true,
        may_contain_comma: false,
    }
}

/// Jamf Pro payload variables (Jamf Pro documentation, "Payload Variables for Configuration
/// Profiles"; domain.md section 4). Computer names are free text: 63 is a budget.
/// `$PROFILE_IDENTIFIER`'s 36 (a UUID) is unconfirmed. `$MSSCEPCHALLENGE` is the challenge of
/// Jamf's Dynamic-Microsoft CA type, seen in a real Jamf Pro export.
pub const JAMF: &[Known] = &[
    var("$COMPUTERNAME", 63),
    device("$UDID", 36),
    device("$SERIALNUMBER", 12),
    var("$USERNAME", 64),
    var("$FULLNAME", 64),
    var("$REALNAME", 64),
    var("$EMAIL", 254),
    var("$PHONE", 24),
    var("$POSITION", 64),
    var("$ROOM", 32),
    var("$DEPARTMENTNAME", 64),
    var("$DEPARTMENTID", 10),
    var("$BUILDINGNAME", 64),
    var("$BUILDINGID", 10),
    var("$SITENAME", 64),
    var("$SITEID", 10),
    device("$MACADDRESS", 17),
    device("$JSSID", 10),
    var("$PROFILEJSSID", 10),
    device("$MANAGEMENTID", 36),
    var("$EXTENSIONATTRIBUTE_", 64),
    var("$PROFILE_IDENTIFIER", 36),
    var("$MSSCEPCHALLENGE", 64),
];

/// Kandji/Iru global variables (kandji-inc/support, "Global Variables"; domain.md section 5).
/// `$MODEL_IDENTIFIER` expands to values such as `MacBookAir10,1`.
pub const KANDJI: &[Known] = &[
    device("$SERIAL_NUMBER", 12),
    var("$DEVICE_NAME", 63),
    var("$ASSET_TAG", 32),
    device("$UDID", 36),
    var("$PROFILE_UUID", 36),
    var("$EMAIL", 254),
    var("$FULL_NAME", 64),
    var("$EMAIL_PREFIX", 64),
    var("$USERNAME", 64),
    var("$USERNAME_PREFIX", 64),
    var("$DEPARTMENT", 64),
    var("$JOB_TITLE", 64),
    device("$DEVICE_ID", 36),
    var("$BLUEPRINT_NAME", 64),
    var("$BLUEPRINT_ID", 36),
    var("$MODEL_NAME", 32),
    Known {
        token: "$MODEL_IDENTIFIER",
        max_len: 20,
        device_unique: false,
        may_contain_comma: true,
    },
];

/// Intune certificate variables (Microsoft Learn, "Create and assign SCEP certificate profiles
/// in Intune"; domain.md section 6). Device ids are GUIDs; a UPN is at most 113 characters.
pub const INTUNE: &[Known] = &[
    device("{{AAD_Device_ID}}", 36),
    device("{{AzureADDeviceId}}", 36),
    device("{{DeviceId}}", 36),
    device("{{Device_Serial}}", 20),
    device("{{SerialNumber}}", 20),
    device("{{SERIALNUMBER}}", 20),
    var("{{DeviceName}}", 63),
    var("{{UserName}}", 64),
    var("{{UserPrincipalName}}", 113),
    var("{{EmailAddress}}", 254),
    Known {
        token: "{{OnPrem_Distinguished_Name}}",
        max_len: 255,
        device_unique: false,
        may_contain_comma: true,
    },
    var("{{OnPremisesSamAccountName}}", 20),
    device("{{IMEI}}", 15),
    device("{{IMEINumber}}", 15),
    device("{{Device_IMEI}}", 15),
    device("{{MEID}}", 14),
    device("{{WiFiMacAddress}}", 17),
    var("{{FullyQualifiedDomainName}}", 255),
    var("{{OnPremisesSecurityIdentifier}}", 184),
];

/// Device-side substitutions macOS makes in profiles (ProfileManifests; domain.md section 2).
pub const MACOS: &[Known] = &[
    var("%ComputerName%", 63),
    device("%HardwareUUID%", 36),
    device("%SerialNumber%", 12),
    var("%HostName%", 63),
    var("%LocalHostName%", 63),
    device("%MACAddress%", 17),
    var("%AD_*", 64),
];

/// Fleet's variables (fleetdm/fleet, articles/fleet-variables.md and server/variables; domain.md
/// section 10), written `$FLEET_VAR_X` or `${FLEET_VAR_X}`. The renewal id expands to `fleet-`
/// and the profile UUID, which starts with `a` (Apple) or `w` (Windows): 43 characters (Fleet's
/// Wi-Fi guide says 36, leaving out the prefix). The Windows certificate id is the profile UUID,
/// 37. Values from the identity provider are unbounded: 64 is a budget, like other user values.
pub const FLEET: &[Known] = &[
    var("$FLEET_VAR_NDES_SCEP_CHALLENGE", 64),
    var("$FLEET_VAR_NDES_SCEP_PROXY_URL", 255),
    var("$FLEET_VAR_CUSTOM_SCEP_CHALLENGE_", 64),
    var("$FLEET_VAR_CUSTOM_SCEP_PROXY_URL_", 255),
    var("$FLEET_VAR_SMALLSTEP_SCEP_CHALLENGE_", 64),
    var("$FLEET_VAR_SMALLSTEP_SCEP_PROXY_URL_", 255),
    var("$FLEET_VAR_DIGICERT_DATA_", 8192),
    var("$FLEET_VAR_DIGICERT_PASSWORD_", 64),
    var("$FLEET_VAR_SCEP_RENEWAL_ID", 43),
    var("$FLEET_VAR_CERTIFICATE_RENEWAL_ID", 43),
    var("$FLEET_VAR_SCEP_WINDOWS_CERTIFICATE_ID", 37),
    device("$FLEET_VAR_HOST_UUID", 36),
    device("$FLEET_VAR_HOST_HARDWARE_SERIAL", 12),
    var("$FLEET_VAR_HOST_PLATFORM", 7),
    var("$FLEET_VAR_HOST_END_USER_IDP_USERNAME", 64),
    var("$FLEET_VAR_HOST_END_USER_IDP_USERNAME_LOCAL_PART", 64),
    var("$FLEET_VAR_HOST_END_USER_IDP_FULL_NAME", 64),
    var("$FLEET_VAR_HOST_END_USER_IDP_DEPARTMENT", 64),
    Known {
        token: "$FLEET_VAR_HOST_END_USER_IDP_GROUPS",
        max_len: 255,
        device_unique: false,
        may_contain_comma: true,
    },
    var("$FLEET_VAR_HOST_END_USER_EMAIL_IDP", 254),
    var("$FLEET_SECRET_", 64),
];

/// Workspace ONE lookup values seen with SCEP payloads (domain.md section 7).
pub const WORKSPACE_ONE: &[Known] = &[
    device("{DeviceUid}", 36),
    device("{DeviceSerialNumber}", 12),
    var("{EnrollmentUser}", 64),
    var("{DynamicScepChallenge}", 64),
];

/// Every table, with the MDM each belongs to, for suggestions across vendors.
pub const TABLES: &[(&str, &[Known])] = &[
    ("Jamf Pro", JAMF),
    ("Kandji/Iru", KANDJI),
    ("Intune", INTUNE),
    ("macOS", MACOS),
    ("Fleet", FLEET),
    ("Workspace ONE", WORKSPACE_ONE),
];

impl VariableRef<'_> {
    /// The token as the tables write it (`${UDID}` becomes `$UDID`; `{{ DeviceId }}`, `{{DeviceId}}`).
    pub fn canonical(&self) -> String {
        match self.syntax {
            Syntax::Dollar => format!("${}", self.name),
            Syntax::DoubleBrace => format!("{{{{{}}}}}", self.name),
            Syntax::Percent => format!("%{}%", self.name),
            Syntax::SingleBrace => format!("{{{}}}", self.name),
        }
    }
}

impl Known {
    /// Whether `canonical` (a token as [`VariableRef::canonical`] writes it) is this variable.
    pub fn matches(&self, canonical: &str) -> bool {
        match self.token.strip_suffix('*') {
            Some(prefix) => canonical.starts_with(prefix) && canonical.len() > prefix.len(),
            None if self.token.ends_with('_') => {
                canonical.starts_with(self.token) && canonical.len() > self.token.len()
            }
            None => canonical == self.token,
        }
    }
}

/// The tables of variables a profile's MDM defines. macOS's device-side substitutions apply to
/// every profile that reaches a Mac. A generic profile's MDM is unknown: only the syntaxes that
/// belong to no MDM in particular are known there.
pub fn tables_for(
    vendor: crate::model::Vendor,
    platform: crate::model::Platform,
) -> Vec<&'static [Known]> {
    use crate::model::{Platform, Vendor};
    let mut tables: Vec<&'static [Known]> = match vendor {
        Vendor::Jamf => vec![JAMF],
        Vendor::Kandji => vec![KANDJI],
        Vendor::Intune => vec![INTUNE],
        Vendor::Fleet => vec![FLEET],
        Vendor::WorkspaceOne => vec![WORKSPACE_ONE],
        Vendor::Generic => vec![FLEET, WORKSPACE_ONE],
    };
    if platform != Platform::Windows {
        tables.push(MACOS);
    }
    tables
}

/// Finds a variable in `tables`.
pub fn lookup<'t>(tables: &[&'t [Known]], canonical: &str) -> Option<&'t Known> {
    tables
        .iter()
        .flat_map(|t| t.iter())
        .find(|k| k.matches(canonical))
}

/// What a variable in a profile from `vendor` stands for. A generic profile's MDM is unknown, so
/// a name no generic table knows is taken to be whichever MDM's defines it: `$UDID` there is most
/// likely Jamf Pro's or Kandji/Iru's UDID, not an unknown value.
pub fn resolve(
    vendor: crate::model::Vendor,
    platform: crate::model::Platform,
    canonical: &str,
) -> Option<&'static Known> {
    lookup(&tables_for(vendor, platform), canonical).or_else(|| {
        (vendor == crate::model::Vendor::Generic)
            .then(|| {
                TABLES
                    .iter()
                    .flat_map(|(_, table)| table.iter())
                    .find(|k| k.matches(canonical))
            })
            .flatten()
    })
}

#[cfg(test)]
mod table_tests {
    use super::*;

    #[test]
    fn tokens_and_prefixes_match() {
        let v = find("$EXTENSIONATTRIBUTE_12 ${UDID} %AD_Department% {{ DeviceId }}");
        let canonical: Vec<String> = v.iter().map(VariableRef::canonical).collect();
        assert_eq!(
            canonical,
            [
                "$EXTENSIONATTRIBUTE_12",
                "$UDID",
                "%AD_Department%",
                "{{DeviceId}}"
            ]
        );
        assert!(lookup(&[JAMF], "$EXTENSIONATTRIBUTE_12").is_some());
        assert!(lookup(&[JAMF], "$EXTENSIONATTRIBUTE_").is_none());
        assert!(lookup(&[MACOS], "%AD_Department%").is_some());
        assert!(lookup(&[INTUNE], "{{DeviceId}}").is_some_and(|k| k.device_unique));
        assert!(lookup(&[KANDJI], "$SERIALNUMBER").is_none());
    }

    #[test]
    fn a_generic_profile_borrows_any_mdm_s_meaning() {
        use crate::model::{Platform, Vendor};
        let udid = resolve(Vendor::Generic, Platform::MacOs, "$UDID");
        assert!(udid.is_some_and(|k| k.device_unique));
        // A known MDM's profile does not: `$UDID` is not Intune's.
        assert!(resolve(Vendor::Intune, Platform::MacOs, "$UDID").is_none());
        assert!(resolve(Vendor::Generic, Platform::MacOs, "$NOT_A_VARIABLE").is_none());
    }

    #[test]
    fn every_table_token_is_found_by_the_token_pattern() {
        for (_, table) in TABLES {
            for known in *table {
                let sample = known.token.replace('*', "X%");
                let sample = if sample.ends_with('_') {
                    format!("{sample}X")
                } else {
                    sample
                };
                let found = find(&sample);
                assert_eq!(found.len(), 1, "{}", known.token);
                assert!(known.matches(&found[0].canonical()), "{}", known.token);
            }
        }
    }
}
