//! SCEP024 mdm-upload: the profile's MDM would refuse it on upload, by the MDM's own checks
//! (the MDM's module knows them: Fleet's are the first). Reported before `fleetctl gitops` or
//! a console does, in the pull request, at the line that causes it.

use super::{Context, Finding, Label, Rule, RuleMeta, Severity};

pub struct MdmUpload;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP024",
    name: "mdm-upload",
    severity: Severity::Error,
    summary: "The MDM refuses this profile on upload",
    docs: include_str!("../../docs/rules/mdm-upload.md"),
};

impl Rule for MdmUpload {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_profile(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for rejection in &cx.profile.rejections {
            out.push(Finding::new(
                rejection.message.clone(),
                rejection.help.clone(),
                Label::new(&rejection.origin, rejection.label),
            ));
        }
    }
}
