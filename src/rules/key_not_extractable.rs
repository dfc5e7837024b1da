//! SCEP005 key-not-extractable: the private key cannot be exported from the keychain.

use super::{
    Context, Finding, Label, Rule, RuleMeta, Severity, effective, label_text, unknown_until_deploy,
};
use crate::model::{Fix, Rewrite, ScepPayload, Setting};

pub struct KeyNotExtractable;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP005",
    name: "key-not-extractable",
    severity: Severity::Error,
    summary: "The private key cannot be exported (KeyIsExtractable is false)",
    docs: include_str!("../../docs/rules/key-not-extractable.md"),
};

impl Rule for KeyNotExtractable {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_payload(&self, cx: &Context<'_>, payload: &ScepPayload, out: &mut Vec<Finding>) {
        let Some(field) = &payload.key_extractable else {
            return;
        };
        if field.is_deferred() {
            out.extend(unknown_until_deploy(
                cx.words().key(Setting::KeyExtractable),
                field,
                "the private key must not be exportable",
                cx.words().fix(Fix::NotExtractable, cx.profile.platform),
            ));
            return;
        }
        if !field.value {
            return;
        }
        let help = cx.words().fix(Fix::NotExtractable, cx.profile.platform);
        let mut finding = Finding::new(
            format!(
                "{}; the private key can be exported from the keychain, so the device identity can be copied to another machine",
                effective("KeyIsExtractable", &field.provenance, "true")
            ),
            help,
            Label::new(
                &field.origin,
                label_text(
                    &field.provenance,
                    "KeyIsExtractable",
                    "true (exportable)",
                    "exportable",
                ),
            ),
        );
        finding = finding.with_setting_fix(
            field,
            "KeyIsExtractable",
            payload,
            Rewrite::Bool(false),
            "Set KeyIsExtractable to false".to_owned(),
        );
        out.push(finding);
    }
}
