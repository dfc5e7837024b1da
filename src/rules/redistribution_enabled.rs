//! SCEP001 redistribution-enabled: the MDM redistributes the profile before the certificate
//! expires, because Okta's CA does not renew certificates.

use super::{Context, Finding, Label, Rule, RuleMeta, Severity};
use crate::model::{Applicability, Fix, Provenance, Redistribution, Setting};

pub struct RedistributionEnabled;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP001",
    name: "redistribution-enabled",
    severity: Severity::Error,
    summary: "The MDM redistributes the profile before the certificate expires",
    docs: include_str!("../../docs/rules/redistribution-enabled.md"),
};

impl Rule for RedistributionEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_profile(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let profile = cx.profile;
        let field = &profile.redistribution;
        if field.is_deferred() {
            return;
        }
        let lifetime = cx.options.certificate_lifetime_days;
        let words = cx.words();
        let help = words.fix(
            Fix::Redistribute {
                lifetime_days: lifetime,
            },
            profile.platform,
        );
        let declared = if field.provenance == Provenance::Declared {
            " (declared for this run)"
        } else {
            ""
        };
        let finding = match (&field.value, &field.provenance) {
            (Redistribution::Days(days), Provenance::Inferred(how)) if *days <= 0 => Finding::new(
                format!("{how}; Okta's CA does not renew, so every certificate expires after {lifetime} days and the device stops counting as managed"),
                help.clone(),
                Label::new(&field.origin, "never re-sent"),
            ),
            (Redistribution::Days(days), _) if *days <= 0 => Finding::new(
                format!("redistribution before expiry is off{declared}; Okta's CA does not renew, so every certificate expires after {lifetime} days and the device stops counting as managed"),
                help.clone(),
                Label::new(&field.origin, "0 days: off"),
            ),
            (Redistribution::Days(days), _) if *days >= lifetime => Finding::new(
                format!("redistribution is set to {days} days before expiry{declared}, not fewer than the certificate's {lifetime}-day lifetime, so the profile is redistributed as soon as each certificate is issued"),
                help.clone(),
                Label::new(&field.origin, format!("{days} days")),
            ),
            (Redistribution::Days(_), _) => return,
            (Redistribution::Threshold { percent, .. }, _) if (1..=99).contains(percent) => return,
            (Redistribution::Threshold { percent, .. }, _) => Finding::new(
                format!("`{}` is {percent}; {} renews only with a value from 1 to 99, and Okta's CA does not renew on its own", words.key(Setting::Redistribution), words.mdm()),
                help.clone(),
                Label::new(&field.origin, format!("{percent}%")),
            ),
            (Redistribution::Unknown, Provenance::Invalid { found }) => Finding::new(
                format!("the redistribution setting holds {found}, so whether the profile is redistributed before expiry is unknown"),
                help.clone(),
                Label::new(&field.origin, "not a number of days"),
            ),
            (Redistribution::Unknown, _) => Finding::new(
                format!("`{}` is not set; Okta's CA does not renew, so every certificate expires after a year", words.key(Setting::Redistribution)),
                help.clone(),
                Label::new(&field.origin, format!("no {}", words.key(Setting::Redistribution))),
            ),
            (Redistribution::NotInExport, _) => Finding::new(
                format!("this export cannot show whether {} redistributes the profile before the certificate expires; Okta's CA does not renew, so without it every certificate expires after a year", words.mdm()),
                format!(
                    "{}; then record it for these files in sceplint.toml (`redistribution-days = N` in an `[[overrides]]` entry), or pass `--redistribution-days N`",
                    help
                ),
                Label::new(&field.origin, "redistribution not recorded in this export"),
            )
            .with_severity(Severity::Warning),
        };
        // Only the MDM re-sends a profile: the fix is shown, never applied.
        out.push(finding.with_change(Vec::new(), Applicability::DisplayOnly, help));
    }
}
