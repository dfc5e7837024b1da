//! SCEP007 static-challenge: the payload carries the challenge Okta's CA checks.

use serde::{Deserialize, Serialize};

use super::{Context, Finding, Label, Rule, RuleMeta, Severity};
use crate::model::{Challenge, Fix, Provenance, ScepPayload};
use crate::variables;

pub struct StaticChallenge;

/// Which kind of challenge the Okta CA is set up for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum ChallengeKind {
    /// Either: a secret in the profile or a variable the MDM fills.
    #[default]
    Any,
    /// Okta's static SCEP URL: one shared secret, in the profile or in an MDM secret variable.
    Static,
    /// Okta's dynamic SCEP URL: a per-device challenge the MDM fetches and fills in.
    Dynamic,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct StaticChallengeOptions {
    pub expected: ChallengeKind,
}

pub static META: RuleMeta = RuleMeta {
    code: "SCEP007",
    name: "static-challenge",
    severity: Severity::Error,
    summary: "A challenge is present, non-empty and not a published placeholder",
    docs: include_str!("../../docs/rules/static-challenge.md"),
};

impl Rule for StaticChallenge {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_payload(&self, cx: &Context<'_>, payload: &ScepPayload, out: &mut Vec<Finding>) {
        let field = &payload.challenge;
        if field.is_deferred() {
            return;
        }
        let expected = cx.options.static_challenge.expected;
        let refused = "Okta's CA refuses to enroll a device without its secret key";
        let (message, label) = match (&field.value, &field.provenance) {
            (Challenge::Variable(token), _) => match wrong_kind(expected, token) {
                Some(found) => found,
                None => return,
            },
            (Challenge::Literal(_), _) if expected == ChallengeKind::Dynamic => (
                "the profile carries a static secret, but Okta's CA is set up for a per-device dynamic challenge (`expected = \"dynamic\"`), so it rejects the enrollment".to_owned(),
                "a static secret",
            ),
            (Challenge::Literal(_) | Challenge::SuppliedByMdm, _) => return,
            (_, Provenance::Misspelt { found }) => (
                format!("`{found}` is not a key the device reads (it reads `Challenge`), so the payload sends no challenge; {refused}"),
                "misspelt key, ignored",
            ),
            (_, Provenance::Invalid { found }) => (
                format!("`Challenge` holds {found} where a string is expected, so the payload sends no challenge; {refused}"),
                "not a string",
            ),
            (Challenge::Empty, _) => (format!("`Challenge` is empty; {refused}"), "empty challenge"),
            (Challenge::Placeholder(_), _) => (
                format!("`Challenge` holds a placeholder copied from published examples, not Okta's secret key; {refused}"),
                "placeholder",
            ),
            (Challenge::Absent, _) => (
                format!("the SCEP payload has no `Challenge`; {refused}"),
                "no Challenge in this payload",
            ),
        };
        let fix = match expected {
            ChallengeKind::Dynamic => Fix::DynamicChallenge,
            _ => Fix::StaticChallenge,
        };
        let help = cx.words().fix(fix, cx.profile.platform);
        out.push(Finding::new(
            message,
            help,
            Label::new(&field.origin, label),
        ));
    }
}

/// What is wrong with a challenge variable for the kind of challenge expected, if anything.
fn wrong_kind(expected: ChallengeKind, token: &str) -> Option<(String, &'static str)> {
    let variable = variables::find(token).into_iter().next()?;
    match expected {
        ChallengeKind::Static if variables::is_dynamic_challenge(&variable) => Some((
            format!(
                "`{token}` is a per-device dynamic challenge, but Okta's CA is set up for a static secret (`expected = \"static\"`), so it rejects the enrollment"
            ),
            "dynamic challenge variable",
        )),
        ChallengeKind::Dynamic if variables::is_secret_variable(&variable) => Some((
            format!(
                "`{token}` holds a fixed secret, but Okta's CA is set up for a per-device dynamic challenge (`expected = \"dynamic\"`), so it rejects the enrollment"
            ),
            "fixed secret variable",
        )),
        _ => None,
    }
}
