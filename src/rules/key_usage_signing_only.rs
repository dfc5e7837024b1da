//! SCEP004 key-usage-signing-only: the key is for signing only, not for encryption.

use super::{Context, Finding, Label, Rule, RuleMeta, Severity, effective, label_text, per_vendor};
use crate::model::{Provenance, ScepPayload, Vendor};

pub struct KeyUsageSigningOnly;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP004",
    name: "key-usage-signing-only",
    severity: Severity::Error,
    summary: "The effective key usage is signing only",
    docs: include_str!("../../docs/rules/key-usage-signing-only.md"),
};

impl Rule for KeyUsageSigningOnly {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_payload(&self, cx: &Context<'_>, payload: &ScepPayload, out: &mut Vec<Finding>) {
        let field = &payload.key_usage;
        if field.value.is_some_and(|usage| usage.is_signing_only()) {
            return;
        }
        let vendor = cx.profile.vendor;
        let (key, shown) = match (vendor, field.value) {
            (_, None) => (
                if vendor == Vendor::Intune {
                    "keyUsage"
                } else {
                    "Key Usage"
                },
                "unknown".to_owned(),
            ),
            (Vendor::Intune, Some(usage)) => ("keyUsage", usage.describe().to_owned()),
            (_, Some(usage)) => {
                let mask = i32::from(usage.signing) | (i32::from(usage.encryption) << 2);
                ("Key Usage", format!("{mask} ({})", usage.describe()))
            }
        };
        let what = match (&field.provenance, field.value) {
            (Provenance::Missing, _) => format!("`{key}` is not set"),
            (Provenance::Invalid { found }, None) => format!("`{key}` holds {found}"),
            (provenance, _) => effective(key, provenance, &shown),
        };
        let help = per_vendor(
            vendor,
            "in Jamf Pro's SCEP payload, select only \"Use as digital signature\" (`<key>Key Usage</key><integer>1</integer>`)",
            "in the Kandji/Iru SCEP library item, set Key Usage to Signing",
            "in the Intune SCEP certificate profile, select only Digital signature under Key usage (`\"keyUsage\": \"digitalSignature\"`)",
            "set `<key>Key Usage</key><integer>1</integer>` (1 is signing; 4 is encryption; 5 is both)",
        );
        out.push(Finding::new(
            format!("{what}; Okta's device certificate must be for signing only, not encryption"),
            help,
            Label::new(
                &field.origin,
                label_text(&field.provenance, key, &shown, &shown),
            ),
        ));
    }
}
