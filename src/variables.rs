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
