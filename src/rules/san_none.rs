//! SCEP013 san-none: the certificate carries no Subject Alternative Name.

use super::{Context, Finding, Label, Rule, RuleMeta, Severity};
use crate::model::{Applicability, Fix, Origin, Rewrite, ScepPayload};

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
        let help = cx.words().fix(Fix::NoSubjectAltName, cx.profile.platform);
        let finding = Finding::new(
            format!(
                "the certificate requests a Subject Alternative Name ({}); none of Okta's published configurations asks for one (its Kandji/Iru guide sets the type to None)",
                kinds.join(", ")
            ),
            help,
            Label::new(&payload.san.origin, "Subject Alternative Name"),
        );
        // Whether the certificate still serves whatever asked for the name is for a human to say.
        let entry = payload
            .raw_keys
            .iter()
            .find(|raw| raw.value_origin == payload.san.origin)
            .and_then(|raw| raw.entry.clone());
        out.push(match entry {
            Some(entry) => finding.with_change(
                vec![(
                    Origin::new(Some(entry), payload.san.origin.key_path.clone()),
                    Rewrite::Delete,
                )],
                Applicability::Unsafe,
                "Remove the Subject Alternative Name".to_owned(),
            ),
            None => finding,
        });
    }
}
