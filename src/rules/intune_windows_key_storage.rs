//! SCEP020 intune-windows-key-storage: an Intune Windows SCEP profile keeps the key in the TPM
//! (as Okta advises), never asks a TPM for a 4096-bit key, and signs with SHA-2 only.

use super::{Context, Finding, Label, Rule, RuleMeta, Severity};
use crate::model::{Platform, ScepPayload, Vendor};

pub struct IntuneWindowsKeyStorage;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP020",
    name: "intune-windows-key-storage",
    severity: Severity::Warning,
    summary: "Intune Windows: the key storage provider uses the TPM, no 4096-bit key on a TPM, SHA-2 only",
    docs: include_str!("../../docs/rules/intune-windows-key-storage.md"),
};

const TPM_PROVIDERS: &[&str] = &["useTpmKspOtherwiseUseSoftwareKsp", "useTpmKspOtherwiseFail"];

impl Rule for IntuneWindowsKeyStorage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_payload(&self, cx: &Context<'_>, payload: &ScepPayload, out: &mut Vec<Finding>) {
        if cx.profile.vendor != Vendor::Intune || cx.profile.platform != Platform::Windows {
            return;
        }
        let Some(intune) = &payload.intune else {
            return;
        };
        match &intune.key_storage_provider {
            None => out.push(Finding::new(
                "`keyStorageProvider` is not set, so where the private key is kept is unknown",
                "set Key storage provider (KSP) to \"Enroll to Trusted Platform Module (TPM) KSP if present, otherwise Software KSP\" (`useTpmKspOtherwiseUseSoftwareKsp`), as Okta advises",
                Label::new(&payload.origin, "no keyStorageProvider"),
            )),
            Some(provider) if !TPM_PROVIDERS.contains(&provider.value.as_str()) => out.push(Finding::new(
                format!(
                    "`keyStorageProvider` is `{}`: the private key is not kept in the TPM, so it is easier to copy off the device",
                    provider.value
                ),
                "set Key storage provider (KSP) to the TPM KSP, falling back to software (`useTpmKspOtherwiseUseSoftwareKsp`), as Okta advises",
                Label::new(&provider.origin, "not the TPM"),
            )),
            Some(provider) if payload.key_size.value == Some(4096) => out.push(
                Finding::new(
                    format!(
                        "a 4096-bit key with `{}`: TPMs cannot hold 4096-bit keys, so enrollment fails or falls back to software",
                        provider.value
                    ),
                    "use a 2048-bit key (`keySize: size2048`), which Okta requires anyway",
                    Label::new(&payload.key_size.origin, "4096 bits on a TPM"),
                )
                .with_severity(Severity::Error),
            ),
            Some(_) => {}
        }
        match &intune.hash_algorithm {
            None => out.push(Finding::new(
                "`hashAlgorithm` is not set",
                "set Hash algorithm to SHA-2 only (`hashAlgorithm: sha2`)",
                Label::new(&payload.origin, "no hashAlgorithm"),
            )),
            Some(hash) => {
                let flags: Vec<&str> = hash.value.split(',').map(str::trim).collect();
                if flags != ["sha2"] {
                    out.push(Finding::new(
                        format!("`hashAlgorithm` is `{}`; Okta's Windows guide uses SHA-2 only, and SHA-1 is broken for signatures", hash.value),
                        "set Hash algorithm to SHA-2 only (`hashAlgorithm: sha2`)",
                        Label::new(&hash.origin, "not SHA-2 only"),
                    ));
                }
            }
        }
    }
}
