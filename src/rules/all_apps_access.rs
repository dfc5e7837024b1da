//! SCEP006 all-apps-access: apps (Okta Verify among them) can use the private key.

use super::{Context, Finding, Label, Rule, RuleMeta, Severity, effective, label_text, per_vendor};
use crate::model::{ScepPayload, Vendor};

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
        if field.value || !cx.profile.platform.is_macos_like() {
            return;
        }
        let key = if cx.profile.vendor == Vendor::Intune {
            "allowAllAppsAccess"
        } else {
            "AllowAllAppsAccess"
        };
        let help = per_vendor(
            cx.profile.vendor,
            "in Jamf Pro's SCEP payload, select \"Allow all apps access\" (`<key>AllowAllAppsAccess</key><true/>`)",
            "in the Kandji/Iru SCEP library item, select \"Allow access to all apps\"",
            "in the Intune macOS SCEP certificate profile, enable \"Allow all apps access to private key\" (`\"allowAllAppsAccess\": true`)",
            "add `<key>AllowAllAppsAccess</key><true/>` to the SCEP payload's PayloadContent",
        );
        out.push(Finding::new(
            format!(
                "{}; Okta Verify cannot use the private key, so the device does not count as managed",
                effective(key, &field.provenance, "false")
            ),
            help,
            Label::new(
                &field.origin,
                label_text(&field.provenance, key, "false (apps cannot use the key)", "apps cannot use the key"),
            ),
        ));
    }
}
