//! SCEP012 certificate-level: the certificate goes to the keychain or store that was meant
//! (computer or user), and never a user certificate through a device channel.
//!
//! Okta's guidance pulls two ways: its Jamf Pro guide deploys at computer level, so every user
//! of a Mac counts as managed (a user-level certificate covers only the user who enrolled, which
//! fails on shared workstations); its Intune guides use the user certificate store, which Okta
//! Verify tries first. The default (`okta`) follows the guide for the profile's MDM.

use serde::{Deserialize, Serialize};

use super::{Context, Finding, Label, Rule, RuleMeta, Severity};
use crate::model::{Applicability, Fix, Level, Platform, Provenance, Rewrite};

pub struct CertificateLevel;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP012",
    name: "certificate-level",
    severity: Severity::Warning,
    summary: "The certificate installs at the expected level (computer or user), and no user certificate goes through a device channel",
    docs: include_str!("../../docs/rules/certificate-level.md"),
};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum ExpectedLevel {
    /// Okta's guide for the MDM: computer level for Apple MDMs, the user store for Intune.
    #[default]
    Okta,
    Computer,
    User,
    Any,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct CertificateLevelOptions {
    pub expected: ExpectedLevel,
}

fn name(level: Level) -> &'static str {
    match level {
        Level::Computer => "computer (system)",
        Level::User => "user",
    }
}

impl Rule for CertificateLevel {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_profile(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let profile = cx.profile;
        let field = &profile.level;
        let Some(level) = field.value else { return };

        // A user certificate through a device channel (Intune on macOS) lands in the System
        // keychain.
        if profile.platform == Platform::MacOs && level == Level::User {
            let channel = profile
                .payloads
                .iter()
                .find_map(|p| p.request.as_ref()?.deployment_channel.as_ref());
            // Only an explicit device channel: what Intune does without the key is not known.
            if let Some(channel) = channel.filter(|c| c.value == "deviceChannel") {
                let at = &channel.origin;
                out.push(
                    Finding::new(
                        "a user certificate (`certificateStore: user`) is deployed through the device channel, which installs into the System keychain, not a user's",
                        "set `deploymentChannel` to `userChannel`, or the certificate store to `machine`",
                        Label::new(at, "device channel"),
                    )
                    .with_severity(Severity::Error)
                    .with_change(
                        vec![(at.clone(), Rewrite::Level(Level::User))],
                        Applicability::Unsafe,
                        "Deploy through the user channel".to_owned(),
                    ),
                );
                return;
            }
        }

        // Without PayloadScope, the channel the MDM installs through decides; nothing to judge.
        if field.provenance == Provenance::Defaulted || profile.platform == Platform::Ios {
            return;
        }
        let (expected, why) = match cx.options.certificate_level.expected {
            ExpectedLevel::Any => return,
            ExpectedLevel::Computer => (
                Level::Computer,
                "the configuration expects computer-level certificates (`expected = \"computer\"`)",
            ),
            ExpectedLevel::User => (
                Level::User,
                "the configuration expects user-level certificates (`expected = \"user\"`)",
            ),
            ExpectedLevel::Okta => cx.words().okta_level(profile.platform),
        };
        if level == expected {
            return;
        }
        let help = cx.words().fix(Fix::Level(expected), profile.platform);
        let finding = Finding::new(
            format!("the certificate installs at {} level; {why}", name(level)),
            format!("{help}; or set [rules.certificate-level] expected to match your fleet"),
            Label::new(&field.origin, format!("{} level", name(level))),
        );
        // Moving the certificate to another keychain or store changes who can use it. A user
        // certificate needs the user channel where the profile names one (Intune on macOS).
        let channel = profile
            .payloads
            .iter()
            .filter_map(|p| p.request.as_ref()?.deployment_channel.as_ref())
            .find(|c| c.provenance == Provenance::Explicit);
        let mut parts = vec![(field.origin.clone(), Rewrite::Level(expected))];
        if let Some(channel) = channel {
            parts.push((channel.origin.clone(), Rewrite::Level(expected)));
        }
        out.push(if field.provenance == Provenance::Explicit {
            finding.with_change(
                parts,
                Applicability::Unsafe,
                format!("Install the certificate at {} level", name(expected)),
            )
        } else {
            finding
        });
    }
}
