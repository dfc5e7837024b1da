//! The real files in `../shared/corpus` (public profiles and exports): every one loads without a
//! panic, and the verdicts that `../shared/docs/domain.md` justifies hold. The corpus is found at
//! `$SCEPLINT_CORPUS` or `../shared/corpus`; without it these tests fail, unless
//! `SCEPLINT_SKIP_CORPUS=1` says to skip them (as `.ci/run` does, loudly, on a machine without
//! the corpus).
// Test and tool code, not sceplint's output: it may print directly.
#![allow(clippy::disallowed_macros)]

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use sceplint::engine::{FileStatus, Settings};

fn corpus() -> Option<PathBuf> {
    if std::env::var_os("SCEPLINT_SKIP_CORPUS").is_some_and(|v| v == "1") {
        eprintln!("note: SCEPLINT_SKIP_CORPUS=1; skipping the corpus test");
        return None;
    }
    let dir = std::env::var_os("SCEPLINT_CORPUS").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        PathBuf::from,
    );
    assert!(
        dir.is_dir(),
        "the shared corpus is not at {}: set SCEPLINT_CORPUS to it, or SCEPLINT_SKIP_CORPUS=1 to skip these tests",
        dir.display()
    );
    Some(dir)
}

fn codes(file: &str) -> (FileStatus, BTreeSet<&'static str>) {
    let dir = corpus().expect("checked by the caller");
    let report = common::check(&dir.join(file), &Settings::default());
    (
        report.status,
        report.diagnostics.iter().map(|d| d.code).collect(),
    )
}

/// `file` raises every code in `present` and none in `absent`.
fn verdict(file: &str, present: &[&str], absent: &[&str]) {
    let (status, found) = codes(file);
    assert_eq!(status, FileStatus::Checked, "{file}: {found:?}");
    for code in present {
        assert!(
            found.contains(code),
            "{file}: expected {code}, got {found:?}"
        );
    }
    for code in absent {
        assert!(
            !found.contains(code),
            "{file}: did not expect {code}, got {found:?}"
        );
    }
}

#[test]
fn every_corpus_file_loads() {
    let Some(dir) = corpus() else { return };
    let mut seen = 0;
    for entry in walk(&dir) {
        let name = entry.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".md") || name.ends_with(".yaml") {
            continue;
        }
        let report = common::check(&entry, &Settings::default());
        assert_ne!(
            report.status,
            FileStatus::Unreadable,
            "{name}: {:#?}",
            report.diagnostics
        );
        seen += 1;
    }
    assert!(seen >= 14, "only {seen} corpus files");
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

#[test]
fn jamf_pro_export_fails_the_key_rules() {
    if corpus().is_none() {
        return;
    }
    // Keysize 1024, Key Usage 5, KeyIsExtractable true, AllowAllAppsAccess false; the
    // challenge is a Jamf variable, so it counts as present.
    verdict(
        "jamf/jamf_pro_export_scep_test_profile.mobileconfig",
        &["SCEP003", "SCEP004", "SCEP005", "SCEP006"],
        &["SCEP000", "SCEP007"],
    );
    // The Subject `"O=CompanyName,CN=Foo"` was typed with quotes, which end up in the name;
    // it names no device; it asks for NT principal and DNS SANs; CertificateRenewalTimeInterval
    // only notifies.
    verdict(
        "jamf/jamf_pro_export_scep_test_profile.mobileconfig",
        &["SCEP010", "SCEP011", "SCEP013", "SCEP015"],
        &["SCEP009", "SCEP016"],
    );
}

#[test]
fn jamf_classic_api_response_without_scep_holds_no_profile() {
    if corpus().is_none() {
        return;
    }
    let (status, found) = codes("jamf/jamf_classic_api_osx_profile_response.xml");
    assert_eq!(status, FileStatus::NoScep, "{found:?}");
}

#[test]
fn fleet_examples() {
    if corpus().is_none() {
        return;
    }
    // Static: a published placeholder challenge, and no KeyIsExtractable (exportable).
    verdict(
        "apple/fleet_okta_static_example.mobileconfig",
        &["SCEP005", "SCEP007", "SCEP014"],
        &[
            "SCEP002", "SCEP003", "SCEP004", "SCEP006", "SCEP009", "SCEP015", "SCEP016",
        ],
    );
    // Dynamic: the challenge is a Fleet variable; each RDN fits on its own. Fleet's variables
    // are all known, its proxy URL is a variable, the Subject carries the host's UUID, and its
    // OU the renewal id, so Fleet re-sends the profile before expiry: only the exportable key is
    // left.
    let (_, dynamic) = codes("apple/fleet_okta_dynamic_example.mobileconfig");
    assert_eq!(
        dynamic,
        BTreeSet::from(["SCEP005"]),
        "fleet_okta_dynamic_example"
    );
}

#[test]
fn micromdm_test_profile() {
    if corpus().is_none() {
        return;
    }
    // 1024-bit key, no Key Usage (0), no challenge, nothing about extraction or app access.
    verdict(
        "apple/micromdm_scep_sceptest.mobileconfig",
        &["SCEP003", "SCEP004", "SCEP005", "SCEP006", "SCEP007"],
        &[],
    );
    // `KeyType` for `Key Type`; an http URL on localhost; no Subject at all.
    verdict(
        "apple/micromdm_scep_sceptest.mobileconfig",
        &["SCEP010", "SCEP014", "SCEP015"],
        &["SCEP008", "SCEP011"],
    );
}

#[test]
fn enrollment_profiles() {
    if corpus().is_none() {
        return;
    }
    // Placeholder challenge and Key Usage 5, in XML and in a binary plist alike.
    for file in [
        "apple/nanomdm_enroll.mobileconfig",
        "apple/nanomdm_enroll_binary.mobileconfig",
    ] {
        verdict(file, &["SCEP004", "SCEP007"], &["SCEP003"]);
    }
    assert_eq!(
        codes("apple/nanomdm_enroll.mobileconfig").1,
        codes("apple/nanomdm_enroll_binary.mobileconfig").1
    );
    // An empty challenge string.
    verdict(
        "apple/ddm_infra_enroll.mobileconfig",
        &["SCEP007"],
        &["SCEP003"],
    );
    // A literal challenge counts as present; the key is 1024 bits.
    verdict(
        "apple/mattrax_enroll.mobileconfig",
        &["SCEP003", "SCEP018"],
        &["SCEP007"],
    );
    // `SCEP CA (%ComputerName%)`: 9 characters plus a computer name, typically 20 (up to 63):
    // within X.509's 64 at typical lengths.
    verdict(
        "apple/mattrax_enroll.mobileconfig",
        &["SCEP010"],
        &["SCEP008", "SCEP009"],
    );
    // Placeholder hosts from the projects' examples.
    for file in [
        "apple/nanomdm_enroll.mobileconfig",
        "apple/ddm_infra_enroll.mobileconfig",
    ] {
        verdict(file, &["SCEP014"], &["SCEP015"]);
    }
}

#[test]
fn payfinix_profiles_plain_and_signed() {
    if corpus().is_none() {
        return;
    }
    verdict(
        "apple/payfinix_scepconfig1.mobileconfig",
        &["SCEP003", "SCEP004"],
        &["SCEP007"],
    );
    verdict(
        "apple/payfinix_ngrok_signed_der.mobileconfig",
        &["SCEP003", "SCEP004"],
        &["SCEP000"],
    );
}

#[test]
fn kandji_wifi_example_has_a_bare_scep_payload() {
    if corpus().is_none() {
        return;
    }
    // The SCEP payload holds only a URL: every key takes Apple's default.
    verdict(
        "kandji/kandji_custom_wifi_scep_example.mobileconfig",
        &["SCEP003", "SCEP004", "SCEP005", "SCEP006", "SCEP007"],
        &[],
    );
    // Its URL, `scep.example.com`, is a placeholder without a scheme: one finding, not two.
    let dir = corpus().expect("checked above");
    let report = common::check(
        &dir.join("kandji/kandji_custom_wifi_scep_example.mobileconfig"),
        &Settings::default(),
    );
    let url: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "SCEP014")
        .map(|d| &*d.message)
        .collect();
    assert_eq!(url.len(), 1, "{url:?}");
    assert!(url[0].contains("placeholder"), "{url:?}");
}

#[test]
fn intune_mock_response() {
    if corpus().is_none() {
        return;
    }
    // Renewal 20 and size2048 are right; both key usages and allowAllAppsAccess false are not.
    verdict(
        "intune/intune_macos_scep_mock_response.json",
        &["SCEP004", "SCEP006"],
        &["SCEP001", "SCEP003", "SCEP005", "SCEP007"],
    );
    // The machine store where Okta's guide uses the user's; four SAN types; a two-year validity
    // and the Any Purpose EKU; `{{DeviceName}}` is not unique. Intune has no challenge field.
    verdict(
        "intune/intune_macos_scep_mock_response.json",
        &["SCEP010", "SCEP012", "SCEP013", "SCEP021"],
        &["SCEP009", "SCEP011", "SCEP018", "SCEP019", "SCEP020"],
    );
    for file in [
        "intune/intune_ui_metadata_macscep.json",
        "intune/intune_ui_metadata_windows10scep.json",
    ] {
        assert_eq!(codes(file).0, FileStatus::NoScep, "{file}");
    }
}

#[test]
fn projects_that_copy_one_enrollment_profile_share_its_identifiers() {
    let Some(dir) = corpus() else { return };
    // NanoMDM's enrollment profile, its binary twin and the DDM infrastructure project's copy
    // keep the same PayloadIdentifier and UUIDs: pushed by one MDM, each replaces the others.
    let files = [
        "apple/nanomdm_enroll.mobileconfig",
        "apple/nanomdm_enroll_binary.mobileconfig",
        "apple/ddm_infra_enroll.mobileconfig",
    ];
    let settings = Settings::default();
    let mut reports: Vec<_> = files
        .iter()
        .map(|f| common::check(&dir.join(f), &settings))
        .collect();
    assert!(
        reports
            .iter()
            .all(|r| r.diagnostics.iter().all(|d| d.code != "SCEP022")),
        "one file alone has no duplicate"
    );
    sceplint::engine::cross_file::link(&mut reports);
    for (file, report) in files.iter().zip(&reports) {
        assert!(
            report.diagnostics.iter().any(|d| d.code == "SCEP022"),
            "{file}: {:#?}",
            report.diagnostics
        );
    }
}

#[test]
fn windows_csp_samples() {
    if corpus().is_none() {
        return;
    }
    // Fleet's published Okta sample: placeholder URL, challenge and subject; KeyUsage 160
    // (signing and encryption); the device store; no KeyProtection (software); no Enroll.
    verdict(
        "windows/fleet_okta_attestation_cert_csp.xml",
        &[
            "SCEP004", "SCEP007", "SCEP011", "SCEP012", "SCEP014", "SCEP020", "SCEP023",
        ],
        &["SCEP000", "SCEP003", "SCEP018", "SCEP026"],
    );
    // Microsoft's example: a placeholder inside every LocURI, wrapped in SyncML; 1024 bits,
    // SHA-1, http, a literal challenge, a 32-digit CA thumbprint, KeyUsage 160, software KSP.
    verdict(
        "windows/microsoft_csp_doc_scep_example.xml",
        &[
            "SCEP003", "SCEP004", "SCEP012", "SCEP014", "SCEP018", "SCEP020", "SCEP023",
        ],
        &["SCEP000", "SCEP007", "SCEP021", "SCEP026"],
    );
}

#[test]
fn intune_reference_metadata_is_not_a_profile() {
    if corpus().is_none() {
        return;
    }
    // The portal's field metadata names SCEP settings, but only as values: quiet, not "not
    // checked".
    for file in [
        "intune/intune_ui_metadata_macscep.json",
        "intune/intune_ui_metadata_windows10scep.json",
    ] {
        let (status, found) = codes(file);
        assert_eq!(status, FileStatus::NoScep, "{file}: {found:?}");
    }
}

#[test]
fn profiles_as_code_samples() {
    if corpus().is_none() {
        return;
    }
    // The Intune template resource: 4096 bits, both key usages, the machine store, placeholder
    // SANs and Any Purpose among the EKUs; its URLs are not Okta's.
    verdict(
        "terraform/m365_macos_scep_template_example.tf",
        &["SCEP003", "SCEP004", "SCEP012", "SCEP013", "SCEP021"],
        &["SCEP000", "SCEP026"],
    );
    // The Jamf Pro resources deploy profiles by file() and the Fleet GitOps file by path:, and
    // the corpus keeps none of those profiles: each path is reported where it is written.
    for file in [
        "terraform/jamfpro_macos_profile_plist_example.tf",
        "terraform/jamfpro_mobile_profile_plist_example.tf",
        "fleet/fleet_it_workstations.yml",
    ] {
        let (status, found) = codes(file);
        assert_eq!(status, FileStatus::Deploys, "{file}: {found:?}");
        assert_eq!(found, BTreeSet::from(["SCEP026"]), "{file}");
    }
}
