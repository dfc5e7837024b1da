//! SCEP010 subject-device-identifier: the Subject carries a value unique to the device (UDID,
//! hardware UUID, device id, serial number), as Okta recommends.

use super::{Context, Finding, Label, Rule, RuleMeta, Severity};
use crate::model::{Fix, ScepPayload};
use crate::variables;

pub struct SubjectDeviceIdentifier;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP010",
    name: "subject-device-identifier",
    severity: Severity::Warning,
    summary: "The Subject carries a device-unique value (UDID, hardware UUID, device id, serial)",
    docs: include_str!("../../docs/rules/subject-device-identifier.md"),
};

impl Rule for SubjectDeviceIdentifier {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_payload(&self, cx: &Context<'_>, payload: &ScepPayload, out: &mut Vec<Finding>) {
        if payload.subject.is_deferred() {
            return;
        }
        let (text, origin) = match &payload.subject.value {
            Some(subject) => {
                let unique = subject.attributes().any(|a| {
                    variables::find(&a.value).iter().any(|v| {
                        variables::resolve(cx.profile.vendor, cx.profile.platform, &v.canonical())
                            .is_some_and(|k| k.device_unique)
                    })
                });
                if unique {
                    return;
                }
                (
                    format!(
                        "the Subject `{}` carries no value unique to the device",
                        subject.text
                    ),
                    &payload.subject.origin,
                )
            }
            None => (
                "the payload has no Subject, so the certificate names no device".to_owned(),
                &payload.subject.origin,
            ),
        };
        let help = cx.words().fix(Fix::DeviceIdentifier, cx.profile.platform);
        out.push(Finding::new(
            format!("{text}; Okta recommends a device identifier (UDID, device id or serial number), so a certificate can be traced to its device"),
            help,
            Label::new(origin, "no device identifier"),
        ));
    }
}
