//! SCEP018 challenge-in-file: a literal static challenge is stored in the file, and with it in
//! version control. The value is never printed.

use super::{Context, Finding, Label, Rule, RuleMeta, Severity, per_vendor};
use crate::model::{Challenge, ScepPayload};

pub struct ChallengeInFile;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP018",
    name: "challenge-in-file",
    severity: Severity::Info,
    summary: "A literal static challenge is stored in the file; an MDM secret variable keeps it out of version control",
    docs: include_str!("../../docs/rules/challenge-in-file.md"),
};

impl Rule for ChallengeInFile {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_payload(&self, cx: &Context<'_>, payload: &ScepPayload, out: &mut Vec<Finding>) {
        let field = &payload.challenge;
        let Challenge::Literal(_) = &field.value else {
            return;
        };
        let help = per_vendor(
            cx.profile.vendor,
            "a Jamf Pro export always carries the static challenge: keep such exports in a private repository, or out of version control, and add `ignore = [\"challenge-in-file\"]` for them in an `[[overrides]]` entry",
            "a Kandji/Iru export always carries the static challenge: keep such exports in a private repository, or out of version control, and add `ignore = [\"challenge-in-file\"]` for them in an `[[overrides]]` entry",
            "Intune supplies the challenge itself; nothing is stored",
            "keep the secret in the MDM instead of the file: in Fleet, a secret variable such as `$FLEET_SECRET_OKTA_SCEP_CHALLENGE`",
        );
        out.push(Finding::new(
            "the challenge is a literal secret stored in this file (not shown); anyone who can read the repository can enroll devices with Okta's CA",
            help,
            Label::new(&field.origin, "secret stored here"),
        ));
    }
}
