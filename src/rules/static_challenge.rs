//! SCEP007 static-challenge: the payload carries the challenge Okta's CA checks.

use super::{Context, Finding, Label, Rule, RuleMeta, Severity, per_vendor};
use crate::model::{Challenge, Provenance, ScepPayload};

pub struct StaticChallenge;

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
        let (what, label) = match (&field.value, &field.provenance) {
            (Challenge::Literal(_) | Challenge::Variable(_) | Challenge::SuppliedByMdm, _) => return,
            (_, Provenance::Misspelt { found }) => (
                format!("`{found}` is not a key the device reads (it reads `Challenge`), so the payload sends no challenge"),
                "misspelt key, ignored",
            ),
            (_, Provenance::Invalid { found }) => (
                format!("`Challenge` holds {found} where a string is expected, so the payload sends no challenge"),
                "not a string",
            ),
            (Challenge::Empty, _) => ("`Challenge` is empty".to_owned(), "empty challenge"),
            (Challenge::Placeholder(_), _) => (
                "`Challenge` holds a placeholder copied from published examples, not Okta's secret key".to_owned(),
                "placeholder",
            ),
            (Challenge::Absent, _) => (
                "the SCEP payload has no `Challenge`".to_owned(),
                "no Challenge in this payload",
            ),
        };
        let help = per_vendor(
            cx.profile.vendor,
            "in Jamf Pro's SCEP payload, set Challenge Type to Static and paste the secret key from Okta's SCEP settings",
            "in the Kandji/Iru SCEP library item, paste the secret key from Okta's SCEP settings into Challenge",
            "Intune supplies the challenge itself; nothing to set",
            "set `Challenge` to the secret key from Okta's SCEP settings, or to the MDM variable that supplies it (for Fleet, `$FLEET_VAR_NDES_SCEP_CHALLENGE` or a `$FLEET_SECRET_...` variable)",
        );
        out.push(Finding::new(
            format!("{what}; Okta's CA refuses to enroll a device without its secret key"),
            help,
            Label::new(&field.origin, label),
        ));
    }
}
