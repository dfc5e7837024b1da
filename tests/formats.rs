//! Every input kind is read, and findings land on the right line of the file the user gave (or
//! on a key path for binary and signed input). Each fixture in `fixtures/formats` carries a
//! 1024-bit key; the tests find SCEP003 where it is.

mod common;

use std::path::Path;

use sceplint::diagnostic::Diagnostic;
use sceplint::engine::{FileStatus, Settings};
use sceplint::render::Format;

fn key_size_findings(file: &str) -> Vec<Diagnostic> {
    let report = common::check(
        &common::fixture_dir("formats").join(file),
        &Settings::default(),
    );
    report
        .diagnostics
        .into_iter()
        .filter(|d| d.code == "SCEP003")
        .collect()
}

/// The text at a diagnostic's start, found independently of sceplint's own line index.
fn text_at(file: &str, line: usize, column: usize, len: usize) -> String {
    let bytes = std::fs::read(common::fixture_dir("formats").join(file)).unwrap();
    let text = match bytes.as_slice() {
        [0xFF, 0xFE, rest @ ..] => String::from_utf16(
            &rest
                .chunks(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect::<Vec<_>>(),
        )
        .unwrap(),
        [0xFE, 0xFF, rest @ ..] => String::from_utf16(
            &rest
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect::<Vec<_>>(),
        )
        .unwrap(),
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8(rest.to_vec()).unwrap(),
        _ => String::from_utf8(bytes).unwrap(),
    };
    let line_text = text.split('\n').nth(line - 1).unwrap();
    line_text.chars().skip(column - 1).take(len).collect()
}

#[test]
fn text_inputs_point_at_the_value_in_the_file() {
    for file in [
        "xml-utf8.mobileconfig",
        "xml-utf8-bom.mobileconfig",
        "xml-utf16le.mobileconfig",
        "xml-utf16be.mobileconfig",
        "xml-crlf.mobileconfig",
        "two-payloads.mobileconfig",
        "jamf-api.xml",
        "jamf-api.json",
        "kandji-api.json",
    ] {
        let findings = key_size_findings(file);
        assert_eq!(findings.len(), 1, "{file}: {findings:#?}");
        let d = &findings[0];
        assert_eq!(
            text_at(file, d.line.unwrap(), d.column.unwrap(), 4),
            "1024",
            "{file}"
        );
        assert!(
            d.key_path
                .as_deref()
                .unwrap()
                .ends_with("PayloadContent.Keysize"),
            "{file}"
        );
    }
}

#[test]
fn intune_inputs_point_at_key_size() {
    for file in [
        "intune-list.json",
        "intune-utf16le-bom.json",
        "intune-utf8-bom.json",
        "intune-intunecd_windows81SCEPCertificateProfile.json",
        "intune-ios.json",
    ] {
        let findings = key_size_findings(file);
        assert_eq!(findings.len(), 1, "{file}: {findings:#?}");
        let d = &findings[0];
        assert_eq!(
            text_at(file, d.line.unwrap(), d.column.unwrap(), 8),
            "size1024",
            "{file}"
        );
    }
}

#[test]
fn binary_and_signed_inputs_give_key_paths_not_lines() {
    for file in [
        "binary.mobileconfig",
        "signed-der.mobileconfig",
        "signed-ber.mobileconfig",
        "signed-binary.mobileconfig",
    ] {
        let findings = key_size_findings(file);
        assert_eq!(findings.len(), 1, "{file}");
        let d = &findings[0];
        assert_eq!((d.line, d.column), (None, None), "{file}");
        assert_eq!(
            d.key_path.as_deref(),
            Some("PayloadContent[0].PayloadContent.Keysize"),
            "{file}"
        );
    }
}

#[test]
fn the_ber_fixture_really_is_segmented_and_indefinite() {
    // Guard the fixture itself: `openssl cms -stream` writes indefinite lengths (0x80) and a
    // constructed OCTET STRING (0x24 0x80) whose 4096-byte segments must be joined.
    let bytes =
        std::fs::read(common::fixture_dir("formats").join("signed-ber.mobileconfig")).unwrap();
    assert_eq!(&bytes[..2], &[0x30, 0x80]);
    assert!(bytes.windows(2).any(|w| w == [0x24, 0x80]));
    assert!(
        bytes
            .windows(4)
            .filter(|w| *w == [0x04, 0x82, 0x10, 0x00])
            .count()
            >= 2
    );
}

#[test]
fn several_payloads_are_checked_on_their_own_and_named() {
    let findings = key_size_findings("two-payloads.mobileconfig");
    let payload = findings[0].payload.as_deref().unwrap_or_default();
    assert!(
        payload.starts_with("com.example.fleet.okta-scep.second."),
        "{payload}"
    );
    let human = common::render(
        Format::Human,
        vec![common::check(
            &common::fixture_dir("formats").join("two-payloads.mobileconfig"),
            &Settings::default(),
        )],
    );
    let unwrapped = human.replace("\n  │ ", " ");
    assert!(
        unwrapped.contains(&format!("[payload {payload}]")),
        "{human}"
    );
}

#[test]
fn intune_lists_hold_several_profiles() {
    let report = common::check(
        &common::fixture_dir("formats").join("intune-list.json"),
        &Settings::default(),
    );
    assert_eq!(
        report.profiles, 2,
        "the macOS and Windows SCEP profiles, not the Wi-Fi one"
    );
}

#[test]
fn encrypted_profiles_cannot_be_inspected() {
    let report = common::check(
        &common::fixture_dir("formats").join("encrypted.mobileconfig"),
        &Settings::default(),
    );
    assert_eq!(report.status, FileStatus::Unreadable);
    assert_eq!(report.diagnostics.len(), 1);
    assert_eq!(report.diagnostics[0].code, "SCEP000");
    assert!(report.diagnostics[0].message.contains("cannot inspect"));
}

#[test]
fn files_without_scep_are_recognised() {
    for file in ["no-scep.json", "no-scep-wifi.mobileconfig"] {
        let report = common::check(
            &common::fixture_dir("formats").join(file),
            &Settings::default(),
        );
        assert_eq!(report.status, FileStatus::NoScep, "{file}");
        assert!(report.diagnostics.is_empty(), "{file}");
    }
}

#[test]
fn human_output_for_every_format() {
    for path in common::fixtures("formats") {
        let file = common::file_name(&path);
        let report = common::check(Path::new(&path), &Settings::default());
        insta::with_settings!({ snapshot_path => "snapshots/formats", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(file, common::render(Format::Human, vec![report]));
        });
    }
}
