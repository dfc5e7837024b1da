//! SCEP006 all-apps-access: apps (Okta Verify among them) can use the private key.

use super::{
    Context, Finding, Label, Rule, RuleMeta, Severity, effective, label_text, unknown_until_deploy,
};
use crate::model::{Fix, Rewrite, ScepPayload, Setting};

pub struct AllAppsAccess;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP006",
    name: "all-apps-access",
    severity: Severity::Error,
    summary: "All apps, Okta Verify among them, may use the private key (AllowAllAppsAccess is true)",
    docs: include_str!("../../docs/rules/all-apps-access.md"),
};

impl Rule for AllAppsAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_payload(&self, cx: &Context<'_>, payload: &ScepPayload, out: &mut Vec<Finding>) {
        let Some(field) = &payload.all_apps_access else {
            return;
        };
        if field.is_deferred() {
            out.extend(unknown_until_deploy(
                cx.words().key(Setting::AllAppsAccess),
                field,
                "Okta Verify needs apps to be allowed to use the key",
                cx.words().fix(Fix::AllAppsAccess, cx.profile.platform),
            ));
            return;
        }
        if field.value || !cx.profile.platform.is_macos_like() {
            return;
        }
        let key = cx.words().key(Setting::AllAppsAccess);
        let help = cx.words().fix(Fix::AllAppsAccess, cx.profile.platform);
        let mut finding = Finding::new(
            format!(
                "{}; Okta Verify cannot use the private key, so the device does not count as managed",
                effective(key, &field.provenance, "false")
            ),
            help,
            Label::new(
                &field.origin,
                label_text(
                    &field.provenance,
                    key,
                    "false (apps cannot use the key)",
                    "apps cannot use the key",
                ),
            ),
        );
        finding = finding.with_setting_fix(
            field,
            key,
            payload,
            Rewrite::Bool(true),
            format!("Set {key} to true"),
        );
        out.push(finding);
    }
}
