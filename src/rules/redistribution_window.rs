//! SCEP017 redistribution-window: the redistribution lead time leaves room for devices that are
//! offline for a while, without redistributing so early that every certificate is replaced soon
//! after it is issued.

use serde::{Deserialize, Serialize};

use super::{Context, Finding, Label, Rule, RuleMeta, Severity};
use crate::model::{Provenance, Redistribution};

pub struct RedistributionWindow;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP017",
    name: "redistribution-window",
    severity: Severity::Warning,
    summary: "The redistribution lead time leaves room for offline devices and is not so early that certificates are replaced right after issue",
    docs: include_str!("../../docs/rules/redistribution-window.md"),
};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RedistributionWindowOptions {
    /// The shortest lead time, in days, that still reaches a device back from two weeks away.
    pub min_days: i64,
    /// The longest lead time, in days; by default the certificate lifetime less `min-days`.
    /// At or past the lifetime, redistribution-enabled reports it as an error instead.
    pub max_days: Option<i64>,
}

impl Default for RedistributionWindowOptions {
    fn default() -> Self {
        RedistributionWindowOptions {
            min_days: 14,
            max_days: None,
        }
    }
}

impl Rule for RedistributionWindow {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_profile(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let field = &cx.profile.redistribution;
        if field.is_deferred() {
            return;
        }
        let lifetime = cx.options.certificate_lifetime_days;
        let options = &cx.options.redistribution_window;
        let max = options.max_days.unwrap_or(lifetime - options.min_days);
        let declared = if field.provenance == Provenance::Declared {
            " (declared for this run)"
        } else {
            ""
        };
        let (days, described) = match &field.value {
            // Off, or not shorter than the lifetime: redistribution-enabled's errors.
            Redistribution::Days(days) if *days <= 0 || *days >= lifetime => return,
            Redistribution::Days(days) => (*days, format!("{days} days before expiry{declared}")),
            Redistribution::Threshold {
                percent,
                validity_days,
            } if (1..=99).contains(percent) => {
                // Intune renews at a share of the issued certificate's life, which the CA
                // decides: never longer than the CA's lifetime, whatever the profile asks for.
                let life = validity_days.map_or(lifetime, |asked| asked.min(lifetime));
                let days = life * percent / 100;
                (
                    days,
                    format!("{days} days before expiry ({percent}% of a {life}-day certificate)"),
                )
            }
            _ => return,
        };
        let finding = if days < options.min_days {
            Finding::new(
                format!(
                    "the profile is redistributed only {described}: a device offline for longer (a vacation, a repair) misses it and its certificate expires"
                ),
                format!(
                    "redistribute at least {} days before expiry (Okta's Jamf example is 120, Kandji/Iru's 30, Intune's recommended 20% of a year is 73)",
                    options.min_days
                ),
                Label::new(&field.origin, format!("{days} days")),
            )
        } else if days > max {
            Finding::new(
                format!(
                    "the profile is redistributed {described}, leaving {} of the certificate's {lifetime} days before the next one is requested: every certificate is replaced soon after it is issued",
                    lifetime - days
                ),
                format!(
                    "redistribute {max} days or fewer before expiry (Okta's Jamf example is 120)"
                ),
                Label::new(&field.origin, format!("{days} days")),
            )
        } else {
            return;
        };
        out.push(finding);
    }
}
