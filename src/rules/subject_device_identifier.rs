//! SCEP010 subject-device-identifier: the Subject carries a value unique to the device (UDID,
//! hardware UUID, device id, serial number), as Okta recommends.

use super::{Context, Finding, Label, Rule, RuleMeta, Severity, per_vendor};
use crate::model::{Platform, ScepPayload};
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
        // Microsoft advises against `{{DeviceId}}` in a Windows subject (sync can fail).
        let intune = if cx.profile.platform == Platform::Windows {
            "add a device identifier to the Subject name format, such as `CN={{AAD_Device_ID}}` (Microsoft advises against `{{DeviceId}}` in a Windows subject)"
        } else {
            "add a device identifier to the Subject name format, such as `CN={{UserPrincipalName}} ma {{DeviceId}}`"
        };
        let help = per_vendor(
            cx.profile.vendor,
            "add the device's UDID to the Subject, as Okta's example does: `CN=$COMPUTERNAME ma $UDID`",
            "add a device identifier to the Subject, such as `CN=$SERIAL_NUMBER` (Kandji/Iru's guide) or `$UDID`",
            intune,
            "add a device identifier to the Subject, such as `%HardwareUUID%` (macOS) or the MDM's UDID variable",
        );
        out.push(Finding::new(
            format!("{text}; Okta recommends a device identifier (UDID, device id or serial number), so a certificate can be traced to its device"),
            help,
            Label::new(origin, "no device identifier"),
        ));
    }
}
