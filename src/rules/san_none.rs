//! SCEP013 san-none: the certificate carries no Subject Alternative Name.

use super::{Context, Finding, Label, Rule, RuleMeta, Severity, per_vendor};
use crate::model::ScepPayload;

pub struct SanNone;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP013",
    name: "san-none",
    severity: Severity::Warning,
    summary: "The certificate carries no Subject Alternative Name",
    docs: include_str!("../../docs/rules/san-none.md"),
};

impl Rule for SanNone {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_payload(&self, cx: &Context<'_>, payload: &ScepPayload, out: &mut Vec<Finding>) {
        let san = &payload.san.value;
        if san.is_empty() {
            return;
        }
        let kinds: Vec<&str> = san.iter().map(|s| s.kind.as_str()).collect();
        let help = per_vendor(
            cx.profile.vendor,
            "in Jamf Pro's SCEP payload, set Subject Alternative Name Type to None",
            "in the Kandji/Iru SCEP library item, set Subject Alternative Name Type to None",
            "remove the Subject alternative names from the Intune SCEP certificate profile",
            "remove the `SubjectAltName` dict from the SCEP payload",
        );
        out.push(Finding::new(
            format!(
                "the certificate requests a Subject Alternative Name ({}); Okta's guide for Kandji/Iru sets the type to None",
                kinds.join(", ")
            ),
            help,
            Label::new(&payload.san.origin, "Subject Alternative Name"),
        ));
    }
}
