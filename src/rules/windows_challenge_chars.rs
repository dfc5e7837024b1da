//! SCEP019 windows-challenge-chars: a profile that also targets Windows uses only challenge
//! characters Windows SCEP accepts. The value is never printed, only the kinds of characters.

use super::{Context, Finding, Label, Rule, RuleMeta, Severity};
use crate::model::{Challenge, Platform, ScepPayload};

pub struct WindowsChallengeChars;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP019",
    name: "windows-challenge-chars",
    severity: Severity::Error,
    summary: "For profiles that target Windows, the challenge uses only characters Windows SCEP accepts",
    docs: include_str!("../../docs/rules/windows-challenge-chars.md"),
};

/// What Windows SCEP accepts in a challenge: letters, digits, space and `' ( ) + , - . / : = ?`.
fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || " '()+,-./:=?".contains(c)
}

/// The kind of a character Windows rejects. Kinds, never the characters: which punctuation a
/// secret holds is itself a clue to it. Underscores have their own kind because Okta's keys
/// can hold them.
fn describe(c: char) -> &'static str {
    match c {
        '_' => "underscores",
        c if c.is_ascii_punctuation() => "other punctuation",
        c if c.is_control() => "control characters",
        c if c.is_whitespace() => "whitespace other than spaces",
        _ => "non-ASCII characters",
    }
}

impl Rule for WindowsChallengeChars {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_payload(&self, cx: &Context<'_>, payload: &ScepPayload, out: &mut Vec<Finding>) {
        if cx.profile.platform != Platform::Windows && !cx.profile.targets_windows {
            return;
        }
        // A placeholder is static-challenge's to report.
        let Challenge::Literal(secret) = &payload.challenge.value else {
            return;
        };
        let mut kinds: Vec<&str> = secret
            .expose()
            .chars()
            .filter(|c| !allowed(*c))
            .map(describe)
            .collect();
        kinds.sort();
        kinds.dedup();
        if kinds.is_empty() {
            return;
        }
        out.push(Finding::new(
            format!(
                "the challenge (not shown) contains {}, which Windows SCEP rejects; enrollment of Windows devices fails",
                kinds.join(" and ")
            ),
            "generate an Okta secret key with only letters, digits, spaces and ' ( ) + , - . / : = ?, or keep this item to macOS",
            Label::new(&payload.challenge.origin, "characters Windows rejects"),
        ));
    }
}
