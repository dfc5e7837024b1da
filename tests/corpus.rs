//! The real files in `../shared/corpus` (public profiles and exports): every one loads without a
//! panic, and the verdicts that `../shared/docs/domain.md` justifies hold. Skipped, with a
//! notice, where the corpus is not there.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use sceplint::engine::{FileStatus, Settings};

fn corpus() -> Option<PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("note: ../shared/corpus is absent; skipping the corpus test");
        None
    }
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
        &["SCEP005", "SCEP007"],
        &["SCEP002", "SCEP003", "SCEP004", "SCEP006"],
    );
    // Dynamic: the challenge is a Fleet variable; each RDN fits on its own.
    verdict(
        "apple/fleet_okta_dynamic_example.mobileconfig",
        &["SCEP005"],
        &["SCEP002", "SCEP003", "SCEP004", "SCEP006", "SCEP007"],
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
        &["SCEP003"],
        &["SCEP007"],
    );
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
    for file in [
        "intune/intune_ui_metadata_macscep.json",
        "intune/intune_ui_metadata_windows10scep.json",
    ] {
        assert_eq!(codes(file).0, FileStatus::NoScep, "{file}");
    }
}
