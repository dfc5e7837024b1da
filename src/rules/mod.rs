//! Rules: one file per rule, each reading only the [model](crate::model).
//!
//! A rule is a unit struct implementing [`Rule`]; its [`RuleMeta`] carries the stable code, the
//! readable name, the default severity and the documentation page `docs/rules/<name>.md`,
//! which is compiled in (so a rule cannot exist without its page) and printed by
//! `sceplint rule`.

mod all_apps_access;
mod certificate_level;
mod certificate_validity;
mod challenge_in_file;
mod csp_structure;
pub mod duplicate_identifier;
mod key_not_extractable;
mod key_size;
mod key_usage_signing_only;
mod mdm_upload;
mod misplaced_key;
mod not_checked;
mod parse_error;
mod payload_keys;
mod profile_structure;
mod redistribution_enabled;
mod redistribution_window;
mod san_none;
mod scep_url;
mod static_challenge;
mod subject_device_identifier;
mod subject_expanded_length;
mod subject_length;
mod subject_syntax;
mod unknown_variable;
mod unused_suppression;
mod windows_challenge_chars;
mod windows_key_storage;

use serde::{Deserialize, Serialize};

use crate::model::{Applicability, Origin, Profile, Provenance, Rewrite, ScepPayload};

pub use duplicate_identifier::META as DUPLICATE_IDENTIFIER;
pub use not_checked::{HELP as NOT_CHECKED_HELP, META as NOT_CHECKED};
pub use parse_error::{
    ENCRYPTED_HELP, HELP as PARSE_ERROR_HELP, INTERNAL_ERROR_HELP, META as PARSE_ERROR, READ_HELP,
};
pub use unused_suppression::META as UNUSED_SUPPRESSION;

pub use crate::severity::Severity;

/// What identifies and documents a rule.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, such as `SCEP003`.
    pub code: &'static str,
    /// Stable readable name, such as `key-size`.
    pub name: &'static str,
    pub severity: Severity,
    /// One line: what the rule checks.
    pub summary: &'static str,
    /// The rule's documentation page, in Markdown.
    pub docs: &'static str,
}

/// Where a finding points, and what the label there says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub origin: Origin,
    pub text: String,
}

impl Label {
    pub fn new(origin: &Origin, text: impl Into<String>) -> Self {
        Label {
            origin: origin.clone(),
            text: text.into(),
        }
    }
}

/// One problem a rule found, before the engine attaches file, rule and position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// `None` to use the rule's severity; some rules have a softer case (a setting the export
    /// cannot show is a warning, not an error).
    pub severity: Option<Severity>,
    pub message: String,
    pub help: String,
    pub label: Label,
    /// What to change to fix it, where the rule knows.
    pub change: Option<crate::model::Change>,
}

impl Finding {
    pub fn new(message: impl Into<String>, help: impl Into<String>, label: Label) -> Self {
        Finding {
            severity: None,
            message: message.into(),
            help: help.into(),
            label,
            change: None,
        }
    }

    /// Adds the safe fix for a setting: an explicit or wrongly typed value rewritten to `to`, a
    /// misspelt key renamed to `key` (the one the device reads), or, for a key the file leaves
    /// to its default, the key inserted into the payload's settings with the value `to` names.
    pub fn with_setting_fix<T>(
        self,
        field: &crate::model::Field<T>,
        key: &'static str,
        payload: &ScepPayload,
        to: Rewrite,
        title: String,
    ) -> Self {
        // A copy written where the device does not look is moved in by misplaced-key's fix.
        let settings = payload
            .settings_dict
            .as_ref()
            .filter(|_| !payload.misplaced.iter().any(|m| m.name == key));
        match (&field.provenance, &to) {
            (Provenance::Explicit | Provenance::Invalid { .. }, _) => {
                self.with_fix(&field.origin, to, title)
            }
            (Provenance::Misspelt { found }, _) => self.with_fix(
                &field.origin,
                Rewrite::Rename {
                    from: found.clone(),
                    to: key,
                },
                format!("Rename {found} to {key}"),
            ),
            (Provenance::Defaulted, _) => match settings {
                Some(dict) => self.with_fix(
                    &Origin::new(Some(dict.clone()), field.origin.key_path.clone()),
                    Rewrite::Insert {
                        key,
                        value: Box::new(to),
                    },
                    title,
                ),
                None => self,
            },
            _ => self,
        }
    }

    /// Adds a safe fix: the value at `origin`, rewritten.
    pub fn with_fix(self, origin: &Origin, to: Rewrite, title: String) -> Self {
        self.with_change(vec![(origin.clone(), to)], Applicability::Safe, title)
    }

    /// Adds a fix of any applicability, made of rewrites at several places.
    pub fn with_change(
        mut self,
        parts: Vec<(Origin, Rewrite)>,
        applicability: Applicability,
        title: String,
    ) -> Self {
        self.change = Some(crate::model::Change {
            parts,
            applicability,
            title,
        });
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }
}

/// The knobs rules read, as the `[rules.<name>]` tables of `sceplint.toml` set them. Every
/// default is Okta's requirement; each rule owns its options type.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Options {
    /// Lifetime of the certificates the CA issues, in days (Okta's CA issues for one year).
    /// Set at the top level of the configuration (`certificate-lifetime-days`), since several
    /// rules depend on it.
    #[serde(skip)]
    pub certificate_lifetime_days: i64,
    #[serde(rename = "subject-length")]
    pub subject_length: subject_length::SubjectLengthOptions,
    #[serde(rename = "key-size")]
    pub key_size: key_size::KeySizeOptions,
    #[serde(rename = "static-challenge")]
    pub static_challenge: static_challenge::StaticChallengeOptions,
    #[serde(rename = "subject-expanded-length")]
    pub subject_expanded_length: subject_expanded_length::SubjectExpandedLengthOptions,
    #[serde(rename = "certificate-level")]
    pub certificate_level: certificate_level::CertificateLevelOptions,
    #[serde(rename = "scep-url")]
    pub scep_url: scep_url::ScepUrlOptions,
    #[serde(rename = "redistribution-window")]
    pub redistribution_window: redistribution_window::RedistributionWindowOptions,
    #[serde(rename = "certificate-validity", alias = "intune-certificate-validity")]
    pub certificate_validity: certificate_validity::CertificateValidityOptions,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            certificate_lifetime_days: 365,
            subject_length: Default::default(),
            key_size: Default::default(),
            static_challenge: Default::default(),
            subject_expanded_length: Default::default(),
            certificate_level: Default::default(),
            scep_url: Default::default(),
            redistribution_window: Default::default(),
            certificate_validity: Default::default(),
        }
    }
}

/// What a rule sees: the profile and the options.
pub struct Context<'a> {
    pub profile: &'a Profile,
    pub options: &'a Options,
}

impl Context<'_> {
    /// How findings about this profile talk: its format's key names, its MDM's words.
    pub fn words(&self) -> crate::model::Words {
        self.profile.words
    }
}

pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;

    /// Checks what belongs to the profile as a whole (its findings name no payload).
    fn check_profile(&self, _cx: &Context<'_>, _out: &mut Vec<Finding>) {}

    /// Checks one SCEP payload of the profile.
    fn check_payload(&self, _cx: &Context<'_>, _payload: &ScepPayload, _out: &mut Vec<Finding>) {}
}

/// Every rule, in code order. SCEP000 is not here: it is raised by loading, not by a check.
pub static RULES: &[&dyn Rule] = &[
    &redistribution_enabled::RedistributionEnabled,
    &subject_length::SubjectLength,
    &key_size::KeySize,
    &key_usage_signing_only::KeyUsageSigningOnly,
    &key_not_extractable::KeyNotExtractable,
    &all_apps_access::AllAppsAccess,
    &static_challenge::StaticChallenge,
    &subject_expanded_length::SubjectExpandedLength,
    &unknown_variable::UnknownVariable,
    &subject_device_identifier::SubjectDeviceIdentifier,
    &subject_syntax::SubjectSyntax,
    &certificate_level::CertificateLevel,
    &san_none::SanNone,
    &scep_url::ScepUrl,
    &payload_keys::PayloadKeys,
    &profile_structure::ProfileStructure,
    &redistribution_window::RedistributionWindow,
    &challenge_in_file::ChallengeInFile,
    &windows_challenge_chars::WindowsChallengeChars,
    &windows_key_storage::WindowsKeyStorage,
    &certificate_validity::CertificateValidity,
    &csp_structure::CspStructure,
    &mdm_upload::MdmUpload,
    &misplaced_key::MisplacedKey,
];

/// Every rule's metadata in code order: SCEP000, the checks, SCEP022 and SCEP100 (the three
/// the engine raises rather than a check of one profile).
/// Some of the per-profile rules ([`RULES`]), as a bitmask by position: every file's report
/// keeps which rules ran, so it is kept small.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RuleSet(u64);

impl RuleSet {
    pub fn of(enabled: impl Fn(&'static RuleMeta) -> bool) -> Self {
        let mut bits = 0;
        for (index, rule) in RULES.iter().enumerate() {
            if enabled(rule.meta()) {
                bits |= 1 << index;
            }
        }
        RuleSet(bits)
    }

    /// The codes in the set, in code order.
    pub fn codes(self) -> impl Iterator<Item = &'static str> {
        RULES
            .iter()
            .enumerate()
            .filter(move |(index, _)| self.0 & (1 << index) != 0)
            .map(|(_, rule)| rule.meta().code)
    }
}

/// Every rule's metadata, in code order: the checks of [`RULES`] and the rules the engine
/// raises itself (parse-error, duplicate-identifier, not-checked, unused-suppression).
pub fn all_meta() -> impl Iterator<Item = &'static RuleMeta> {
    static SORTED: std::sync::LazyLock<Vec<&'static RuleMeta>> = std::sync::LazyLock::new(|| {
        let mut all: Vec<&'static RuleMeta> = RULES
            .iter()
            .map(|r| r.meta())
            .chain([
                &parse_error::META,
                &duplicate_identifier::META,
                &not_checked::META,
                &unused_suppression::META,
            ])
            .collect();
        all.sort_by_key(|m| m.code);
        all
    });
    SORTED.iter().copied()
}

/// Where the rule pages are published, for SARIF's `helpUri` and other links.
pub const DOCS_URL: &str = "https://github.com/sceplint/sceplint/blob/main/docs/rules/";

pub fn docs_url(meta: &RuleMeta) -> String {
    format!("{DOCS_URL}{}.md", meta.name)
}

/// The first paragraph of a rule page's "What it checks", as plain text (for SARIF's full
/// description).
pub fn description(meta: &RuleMeta) -> String {
    let section = meta
        .docs
        .split("## What it checks")
        .nth(1)
        .unwrap_or(meta.summary);
    let paragraph = section
        .trim_start()
        .split("\n\n")
        .next()
        .unwrap_or(meta.summary);
    paragraph
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['`', '*'], "")
}

/// The rule whose name or code is closest to a misspelt `name` (at most two edits away).
pub fn did_you_mean(name: &str) -> Option<&'static RuleMeta> {
    let name = name.to_ascii_lowercase();
    all_meta()
        .map(|m| {
            let distance = edit_distance(&name, m.name)
                .min(edit_distance(&name, &m.code.to_ascii_lowercase()));
            (distance, m)
        })
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, m)| m)
}

pub use crate::similarity::edit_distance;

/// Names rules had before they were renamed: still accepted wherever a rule is named.
const RENAMED: &[(&str, &str)] = &[
    ("intune-windows-key-storage", "SCEP020"),
    ("intune-certificate-validity", "SCEP021"),
];

/// The rules a command-line or configuration selection names: a code or name (or former name),
/// `ALL`, or a code prefix (`SCEP00` for SCEP000 to SCEP009), case-insensitively. `None` when it
/// names no rule.
pub fn codes_matching(selector: &str) -> Option<Vec<&'static str>> {
    let selector = selector.trim();
    if selector.eq_ignore_ascii_case("ALL") {
        return Some(all_meta().map(|m| m.code).collect());
    }
    if let Some(meta) = find_meta(selector) {
        return Some(vec![meta.code]);
    }
    let upper = selector.to_ascii_uppercase();
    let is_prefix = upper.starts_with("SCEP") && upper[4..].chars().all(|c| c.is_ascii_digit());
    let codes: Vec<&'static str> = all_meta()
        .map(|m| m.code)
        .filter(|code| is_prefix && code.starts_with(&upper))
        .collect();
    (!codes.is_empty()).then_some(codes)
}

/// "; did you mean `key-size`?" for a misspelt rule, or nothing.
pub fn did_you_mean_hint(name: &str) -> String {
    did_you_mean(name)
        .map(|m| format!("; did you mean `{}` ({})?", m.name, m.code))
        .unwrap_or_default()
}

/// Finds a rule by code or name (or former name), case-insensitively.
pub fn find_meta(code_or_name: &str) -> Option<&'static RuleMeta> {
    let code = RENAMED
        .iter()
        .find(|(old, _)| old.eq_ignore_ascii_case(code_or_name))
        .map_or(code_or_name, |(_, code)| *code);
    all_meta().find(|m| m.code.eq_ignore_ascii_case(code) || m.name.eq_ignore_ascii_case(code))
}

/// Explains how a setting's effective value came about, in the words every rule uses:
/// "`Keysize` is absent, so the device uses its default, 1024".
pub fn effective(key: &str, provenance: &Provenance, shown: &str) -> String {
    match provenance {
        Provenance::Explicit => format!("`{key}` is {shown}"),
        Provenance::Defaulted => {
            format!("`{key}` is absent, so the device uses its default, {shown}")
        }
        Provenance::Misspelt { found } => format!(
            "`{found}` is not a key the device reads (it reads `{key}`), so it uses the default, {shown}"
        ),
        Provenance::Invalid { found } => {
            format!(
                "`{key}` holds {found}, which the device ignores, so it uses the default, {shown}"
            )
        }
        Provenance::Declared => format!("{key} is declared as {shown}"),
        Provenance::Inferred(how) => format!("{how} ({shown})"),
        Provenance::Deferred { token } => {
            format!("`{key}` is `{token}`, filled in when the profile is deployed")
        }
        Provenance::Missing => format!("`{key}` is not set"),
    }
}

/// For a setting whose value is a variable filled in at deploy time: a note that sceplint cannot
/// check it and what the deployed value must be, as information (nothing is known to be wrong).
pub fn unknown_until_deploy<T>(
    key: &str,
    field: &crate::model::Field<T>,
    requirement: &str,
    help: String,
) -> Option<Finding> {
    let Provenance::Deferred { token } = &field.provenance else {
        return None;
    };
    Some(
        Finding::new(
            format!(
                "`{key}` is `{token}`, filled in when the profile is deployed, so sceplint cannot check it; {requirement}"
            ),
            format!("when `{token}` is filled in, its value must meet this; to fix the value in the profile instead: {help}"),
            Label::new(&field.origin, "unknown until deploy"),
        )
        .with_severity(Severity::Info),
    )
}

/// The label on a setting: what the file says (`explicit`), or why another value applies.
pub fn label_text(provenance: &Provenance, key: &str, value: &str, explicit: &str) -> String {
    match provenance {
        Provenance::Explicit | Provenance::Declared | Provenance::Inferred(_) => {
            explicit.to_owned()
        }
        Provenance::Deferred { .. } => "filled in at deploy time".to_owned(),
        Provenance::Defaulted => format!("no `{key}` here: defaults to {value}"),
        Provenance::Misspelt { .. } => format!("misspelt, ignored: `{key}` defaults to {value}"),
        Provenance::Invalid { .. } => format!("ignored: `{key}` defaults to {value}"),
        Provenance::Missing => format!("no `{key}` here"),
    }
}

/// The origin of `range` within a value whose origin is `origin`, when the value sits in the
/// file character for character (no escapes in between); the whole value's origin otherwise.
pub fn narrowed(origin: &Origin, value: &str, range: std::ops::Range<usize>) -> Origin {
    match &origin.span {
        Some(span) if span.len() == value.len() && range.end <= value.len() => Origin::new(
            Some(span.start + range.start..span.start + range.end),
            origin.key_path.clone(),
        ),
        _ => origin.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn a_rule_set_holds_every_rule() {
        assert!(RULES.len() <= 64, "RuleSet is a u64");
        assert_eq!(RuleSet::of(|_| true).codes().count(), RULES.len());
        let one: Vec<_> = RuleSet::of(|m| m.code == "SCEP003").codes().collect();
        assert_eq!(one, ["SCEP003"]);
    }

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for (i, meta) in all_meta().enumerate() {
            if meta.code != UNUSED_SUPPRESSION.code {
                assert_eq!(
                    meta.code,
                    format!("SCEP{i:03}"),
                    "codes follow registry order"
                );
            }
            assert!(codes.insert(meta.code));
            assert!(names.insert(meta.name));
            assert!(
                meta.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-')
            );
            assert!(
                meta.docs
                    .starts_with(&format!("# {} ({})", meta.name, meta.code)),
                "{}",
                meta.name
            );
        }
    }

    #[test]
    fn misspelt_rule_names_get_a_suggestion() {
        assert_eq!(
            did_you_mean("all-apps-acess").map(|m| m.code),
            Some("SCEP006")
        );
        assert_eq!(did_you_mean("SCEP03").map(|m| m.code), Some("SCEP003"));
        assert!(did_you_mean("colour").is_none());
    }

    #[test]
    fn rules_are_found_by_code_or_name() {
        assert_eq!(find_meta("scep003").map(|m| m.name), Some("key-size"));
        assert_eq!(find_meta("KEY-SIZE").map(|m| m.code), Some("SCEP003"));
        assert!(find_meta("nope").is_none());
    }
}
