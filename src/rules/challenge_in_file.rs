//! SCEP018 challenge-in-file: a literal static challenge is stored in the file, and with it in
//! version control. The value is never printed.

use super::{Context, Finding, Label, Rule, RuleMeta, Severity};
use crate::model::{Challenge, Fix, ScepPayload};

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
        let help = cx.words().fix(Fix::ChallengeOutOfFile, cx.profile.platform);
        out.push(Finding::new(
            "the challenge is a literal secret stored in this file (not shown); anyone who can read the repository can enroll devices with Okta's CA",
            help,
            Label::new(&field.origin, "secret stored here"),
        ));
    }
}
