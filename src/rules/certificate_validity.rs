//! SCEP021 certificate-validity: a profile that says how long its certificate lasts and what it
//! is for (Intune's SCEP profiles, the Windows CSP) asks for at most a year of validity (what
//! Okta's CA issues), and for Client Authentication but not Any Purpose. (Called
//! intune-certificate-validity before the CSP was read; the old name still works.)

use serde::{Deserialize, Serialize};

use super::{Context, Finding, Label, Rule, RuleMeta, Severity};
use crate::model::{Field, Fix, Provenance, ScepPayload, Setting, validity_days};

pub struct CertificateValidity;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP021",
    name: "certificate-validity",
    severity: Severity::Warning,
    summary: "Validity of at most a year, Client Authentication and not Any Purpose (Intune, Windows CSP)",
    docs: include_str!("../../docs/rules/certificate-validity.md"),
};

pub const CLIENT_AUTHENTICATION: &str = "1.3.6.1.5.5.7.3.2";
pub const ANY_PURPOSE: &str = "2.5.29.37.0";

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct CertificateValidityOptions {
    /// The longest validity to ask for, in days (Okta's CA issues for 365).
    pub max_days: i64,
}

impl Default for CertificateValidityOptions {
    fn default() -> Self {
        CertificateValidityOptions { max_days: 365 }
    }
}

impl Rule for CertificateValidity {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_payload(&self, cx: &Context<'_>, payload: &ScepPayload, out: &mut Vec<Finding>) {
        let Some(request) = &payload.request else {
            return;
        };
        let words = cx.words();
        let platform = cx.profile.platform;
        let help = words.fix(Fix::ValidityOneYear, platform);
        let max = cx.options.certificate_validity.max_days;
        match &request.validity {
            Some(validity) if validity.provenance == Provenance::Missing => out.push(Finding::new(
                "the certificate validity period is not set",
                help,
                Label::new(&payload.origin, "no validity"),
            )),
            Some(validity) if matches!(validity.provenance, Provenance::Deferred { .. }) => {}
            Some(Field {
                provenance: Provenance::Invalid { found },
                origin,
                ..
            }) => out.push(Finding::new(
                format!(
                    "`{}` holds {found}, so the validity period the profile asks for is unknown",
                    words.key(Setting::Validity)
                ),
                help,
                Label::new(origin, "not a number"),
            )),
            Some(validity) => {
                let (amount, scale) = &validity.value;
                match validity_days(&validity.value) {
                    Some(days) if days > max => out.push(Finding::new(
                        format!(
                            "the certificate validity period is {amount} {scale} ({days} days), more than {max} days; Okta's CA issues one-year certificates whatever the profile asks for, so the profile promises devices a lifetime their certificates do not have"
                        ),
                        help,
                        Label::new(&validity.origin, format!("{days} days")),
                    )),
                    None => out.push(Finding::new(
                        format!("the certificate validity period `{amount} {scale}` is not in days, months or years"),
                        help,
                        Label::new(&validity.origin, "unknown scale"),
                    )),
                    Some(_) => {}
                }
            }
            None => {}
        }
        let usages = request.extended_key_usages.as_ref();
        if usages.is_some_and(|u| matches!(u.provenance, Provenance::Deferred { .. })) {
            return;
        }
        let at = usages.map_or(&payload.origin, |u| &u.origin);
        let list = usages.map(|u| u.value.as_slice()).unwrap_or_default();
        let key = words.key(Setting::ExtendedKeyUsage);
        if !list.iter().any(|(_, oid)| oid == CLIENT_AUTHENTICATION) {
            out.push(Finding::new(
                format!("the extended key usages (`{key}`) lack Client Authentication, which a certificate needs to prove the device to Okta"),
                words.fix(Fix::ClientAuthentication, platform),
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
