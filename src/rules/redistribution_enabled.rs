//! SCEP001 redistribution-enabled: the MDM redistributes the profile before the certificate
//! expires, because Okta's CA does not renew certificates.

use super::{Context, Finding, Label, Rule, RuleMeta, Severity};
use crate::model::{Provenance, Redistribution, Vendor};

pub struct RedistributionEnabled;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP001",
    name: "redistribution-enabled",
    severity: Severity::Error,
    summary: "The MDM redistributes the profile before the certificate expires",
    docs: include_str!("../../docs/rules/redistribution-enabled.md"),
};

fn help_for(vendor: Vendor, lifetime: i64) -> String {
    match vendor {
        Vendor::Jamf => format!(
            "in Jamf Pro, set the profile's \"Redistribute Profile\" to a number of days before the certificate expires, fewer than {lifetime} (Okta's example is 120); exports show it as `redeploy_days_before_certificate_expires`"
        ),
        Vendor::Kandji => "in Kandji/Iru, turn on \"Automatic profile redistribution\" for the SCEP library item (Iru's guide uses 30 days)".to_owned(),
        Vendor::Intune => "in the Intune SCEP certificate profile, set Renewal threshold (%) between 1 and 99 (Intune recommends 20)".to_owned(),
        Vendor::Generic => format!(
            "have the MDM reinstall the profile before the certificate expires (fewer than {lifetime} days before)"
        ),
    }
}

impl Rule for RedistributionEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_profile(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let profile = cx.profile;
        let field = &profile.redistribution;
        let lifetime = cx.options.certificate_lifetime_days;
        let vendor = profile.vendor;
        let declared = if field.provenance == Provenance::Declared {
            " (declared for this run)"
        } else {
            ""
        };
        let finding = match (&field.value, &field.provenance) {
            (Redistribution::Days(days), _) if *days <= 0 => Finding::new(
                format!("redistribution before expiry is off{declared}; Okta's CA does not renew, so every certificate expires after {lifetime} days and the device stops counting as managed"),
                help_for(vendor, lifetime),
                Label::new(&field.origin, "0 days: off"),
            ),
            (Redistribution::Days(days), _) if *days >= lifetime => Finding::new(
                format!("redistribution is set to {days} days before expiry{declared}, not fewer than the certificate's {lifetime}-day lifetime, so the profile is redistributed as soon as each certificate is issued"),
                help_for(vendor, lifetime),
                Label::new(&field.origin, format!("{days} days")),
            ),
            (Redistribution::Days(_), _) => return,
            (Redistribution::Threshold { percent, .. }, _) if (1..=99).contains(percent) => return,
            (Redistribution::Threshold { percent, .. }, _) => Finding::new(
                format!("`renewalThresholdPercentage` is {percent}; Intune renews only with a value from 1 to 99, and Okta's CA does not renew on its own"),
                help_for(vendor, lifetime),
                Label::new(&field.origin, format!("{percent}%")),
            ),
            (Redistribution::Unknown, Provenance::Invalid { found }) => Finding::new(
                format!("the redistribution setting holds {found}, so whether the profile is redistributed before expiry is unknown"),
                help_for(vendor, lifetime),
                Label::new(&field.origin, "not a number of days"),
            ),
            (Redistribution::Unknown, _) if vendor == Vendor::Intune => Finding::new(
                "`renewalThresholdPercentage` is not set; Okta's CA does not renew, so every certificate expires after a year",
                help_for(vendor, lifetime),
                Label::new(&field.origin, "no renewalThresholdPercentage"),
            ),
            (Redistribution::Unknown, _) => Finding::new(
                format!("this export cannot show whether {} redistributes the profile before the certificate expires; Okta's CA does not renew, so without it every certificate expires after a year", vendor.label()),
                format!(
                    "{}; then record it for these files in sceplint.toml (`redistribution-days = N` in an `[[overrides]]` entry), or pass `--redistribution-days N`",
                    help_for(vendor, lifetime)
                ),
                Label::new(&field.origin, "redistribution not recorded in this export"),
            )
            .with_severity(Severity::Warning),
        };
        out.push(finding);
    }
}
