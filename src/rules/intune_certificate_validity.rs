//! SCEP021 intune-certificate-validity: an Intune SCEP profile asks for at most a year of
//! validity (what Okta's CA issues), and for Client Authentication but not Any Purpose.

use serde::{Deserialize, Serialize};

use super::{Context, Finding, Label, Rule, RuleMeta, Severity};
use crate::mdm::intune::validity_days;
use crate::model::{ScepPayload, Vendor};

pub struct IntuneCertificateValidity;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP021",
    name: "intune-certificate-validity",
    severity: Severity::Warning,
    summary: "Intune: validity of at most a year, Client Authentication and not Any Purpose",
    docs: include_str!("../../docs/rules/intune-certificate-validity.md"),
};

pub const CLIENT_AUTHENTICATION: &str = "1.3.6.1.5.5.7.3.2";
pub const ANY_PURPOSE: &str = "2.5.29.37.0";

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct IntuneCertificateValidityOptions {
    /// The longest validity to ask for, in days (Okta's CA issues for 365).
    pub max_days: i64,
}

impl Default for IntuneCertificateValidityOptions {
    fn default() -> Self {
        IntuneCertificateValidityOptions { max_days: 365 }
    }
}

impl Rule for IntuneCertificateValidity {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_payload(&self, cx: &Context<'_>, payload: &ScepPayload, out: &mut Vec<Finding>) {
        if cx.profile.vendor != Vendor::Intune {
            return;
        }
        let Some(intune) = &payload.intune else {
            return;
        };
        let max = cx.options.intune_certificate_validity.max_days;
        match &intune.validity {
            None => out.push(Finding::new(
                "the certificate validity period is not set",
                "set Certificate validity period to 1 year, what Okta's CA issues",
                Label::new(&payload.origin, "no validity"),
            )),
            Some(validity) => {
                let (amount, scale) = &validity.value;
                match validity_days(&validity.value) {
                    Some(days) if days > max => out.push(Finding::new(
                        format!(
                            "the certificate validity period is {amount} {scale} ({days} days), more than {max} days; Okta's CA issues one-year certificates whatever the profile asks for, so the profile promises devices a lifetime their certificates do not have"
                        ),
                        "set Certificate validity period to 1 year (`certificateValidityPeriodValue: 1`, `certificateValidityPeriodScale: years`)",
                        Label::new(&validity.origin, format!("{days} days")),
                    )),
                    None => out.push(Finding::new(
                        format!("the certificate validity period `{amount} {scale}` is not in days, months or years"),
                        "set Certificate validity period to 1 year",
                        Label::new(&validity.origin, "unknown scale"),
                    )),
                    Some(_) => {}
                }
            }
        }
        let usages = intune.extended_key_usages.as_ref();
        let at = usages.map_or(&payload.origin, |u| &u.origin);
        let list = usages.map(|u| u.value.as_slice()).unwrap_or_default();
        if !list.iter().any(|(_, oid)| oid == CLIENT_AUTHENTICATION) {
            out.push(Finding::new(
                "the extended key usages lack Client Authentication, which a certificate needs to prove the device to Okta",
                format!("add Client Authentication ({CLIENT_AUTHENTICATION}) to Extended key usage"),
                Label::new(at, "no Client Authentication"),
            ));
        }
        if list.iter().any(|(_, oid)| oid == ANY_PURPOSE) {
            out.push(Finding::new(
                format!("the extended key usages include Any Purpose ({ANY_PURPOSE}), which lets the certificate be used for anything, signing code and servers included"),
                "remove Any Purpose; keep Client Authentication",
                Label::new(at, "Any Purpose"),
            ));
        }
    }
}
