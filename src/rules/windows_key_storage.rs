//! SCEP020 windows-key-storage: a Windows SCEP profile keeps the key in the TPM (as Okta
//! advises), never asks a TPM for a 4096-bit key, and signs with SHA-2 only. Intune's SCEP
//! profiles and the ClientCertificateInstall CSP both say so; Apple payloads have no such
//! setting. (Called intune-windows-key-storage before the CSP was read; the old name still
//! works.)

use super::{Context, Finding, Label, Rule, RuleMeta, Severity, effective};
use crate::model::{Fix, Hash, KeyStorage, Platform, Provenance, ScepPayload, Setting};

pub struct WindowsKeyStorage;

pub static META: RuleMeta = RuleMeta {
    code: "SCEP020",
    name: "windows-key-storage",
    severity: Severity::Warning,
    summary: "Windows: the key is kept in the TPM if present, no 4096-bit key on a TPM, SHA-2 only",
    docs: include_str!("../../docs/rules/windows-key-storage.md"),
};

fn describe(storage: &KeyStorage) -> String {
    match storage {
        KeyStorage::TpmIfPresent => "the TPM if present (else software)".to_owned(),
        KeyStorage::TpmRequired => "the TPM (required)".to_owned(),
        KeyStorage::Passport => "Windows Hello for Business".to_owned(),
        KeyStorage::Software => "the software key storage provider".to_owned(),
        KeyStorage::Other(value) => format!("`{value}`"),
    }
}

fn hash_name(hash: &Hash) -> String {
    match hash {
        Hash::Sha1 => "SHA-1".to_owned(),
        Hash::Sha2 => "SHA-2".to_owned(),
        Hash::Sha3 => "SHA-3".to_owned(),
        Hash::Other(value) => format!("`{value}`"),
    }
}

impl Rule for WindowsKeyStorage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_payload(&self, cx: &Context<'_>, payload: &ScepPayload, out: &mut Vec<Finding>) {
        if cx.profile.platform != Platform::Windows {
            return;
        }
        let Some(request) = &payload.request else {
            return;
        };
        let words = cx.words();
        let platform = cx.profile.platform;
        let key = words.key(Setting::KeyStorage);
        match &request.key_storage {
            None => out.push(Finding::new(
                format!("`{key}` is not set, so where the private key is kept is unknown"),
                words.fix(Fix::KeyStorageTpm, platform),
                Label::new(&payload.origin, format!("no {key}")),
            )),
            Some(field) if matches!(field.provenance, Provenance::Deferred { .. }) => {}
            Some(field) if !field.value.uses_tpm() => {
                let shown = describe(&field.value);
                out.push(Finding::new(
                    format!(
                        "{}: the private key is not kept in the TPM, so it is easier to copy off the device",
                        effective(key, &field.provenance, &shown)
                    ),
                    words.fix(Fix::KeyStorageTpm, platform),
                    Label::new(&field.origin, "not the TPM"),
                ))
            }
            Some(field) if payload.key_size.value == Some(4096) => out.push(
                Finding::new(
                    format!(
                        "a 4096-bit key in {}: TPMs cannot hold 4096-bit keys, so enrollment fails or falls back to software",
                        describe(&field.value)
                    ),
                    words.fix(Fix::KeySize { bits: "2048" }, platform),
                    Label::new(&payload.key_size.origin, "4096 bits on a TPM"),
                )
                .with_severity(Severity::Error),
            ),
            Some(_) => {}
        }
        let key = words.key(Setting::Hash);
        match &request.hash {
            None => out.push(Finding::new(
                format!("`{key}` is not set"),
                words.fix(Fix::HashSha2, platform),
                Label::new(&payload.origin, format!("no {key}")),
            )),
            Some(field) if matches!(field.provenance, Provenance::Deferred { .. }) => {}
            Some(field) if field.value != [Hash::Sha2] => {
                let shown = field
                    .value
                    .iter()
                    .map(hash_name)
                    .collect::<Vec<_>>()
                    .join(" and ");
                let sha1 = if field.value.contains(&Hash::Sha1) {
                    ", and SHA-1 is broken for signatures"
                } else {
                    ""
                };
                out.push(Finding::new(
                    format!("`{key}` allows {shown}; Okta's Windows guide uses SHA-2 only{sha1}"),
                    words.fix(Fix::HashSha2, platform),
                    Label::new(&field.origin, "not SHA-2 only"),
                ));
            }
            Some(_) => {}
        }
    }
}
