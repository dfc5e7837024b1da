//! Every rule against its fixtures: `fixtures/<rule-name>/<vendor>-<pass|fail>[-case].<ext>`.
//! A `fail` fixture must raise the rule, a `pass` fixture must not; the output of each failing
//! fixture, with only that rule's findings, is snapshotted in both human and JSON form.

mod common;

use sceplint::engine::{FileStatus, Settings};
use sceplint::render::Format;
use sceplint::rules;

fn check_rule(name: &str) {
    let meta = rules::find_meta(name).unwrap_or_else(|| panic!("no rule {name}"));
    let files = common::fixtures(name);
    assert!(
        files.iter().any(|f| common::file_name(f).contains("-fail")),
        "{name} has no failing fixture"
    );
    assert!(
        files.iter().any(|f| common::file_name(f).contains("-pass")),
        "{name} has no passing fixture"
    );
    for path in files {
        let file = common::file_name(&path);
        let settings = Settings {
            redistribution_days: declared_days(&file),
            ..Settings::default()
        };
        let mut report = common::check(&path, &settings);
        report.diagnostics.retain(|d| d.code == meta.code);
        let expect_failure = file.contains("-fail");
        assert!(
            expect_failure || file.contains("-pass"),
            "fixture {file} must say -pass or -fail"
        );
        assert_eq!(
            !report.diagnostics.is_empty(),
            expect_failure,
            "{name}/{file}: expected {}, got {:#?}",
            if expect_failure { "a finding" } else { "none" },
            report.diagnostics
        );
        // A pass proves nothing unless the file was read as a profile.
        assert!(
            expect_failure || (report.status == FileStatus::Checked && report.profiles > 0),
            "{name}/{file}: passes without being read as a profile ({:?})",
            report.status
        );
        if expect_failure {
            insta::with_settings!({ snapshot_path => "snapshots/rules", prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(format!("{name}__{file}"), common::render(Format::Human, vec![report.clone()]));
                insta::assert_snapshot!(format!("{name}__{file}.json"), common::render(Format::Json, vec![report]));
            });
        }
    }
}

/// `-declared-N` in a fixture's name stands for `--redistribution-days N`.
fn declared_days(file: &str) -> Option<i64> {
    let rest = file.split("-declared-").nth(1)?;
    rest.split(['.', '-']).next()?.parse().ok()
}

#[test]
fn parse_error() {
    // Every file here is broken: each must give exactly one SCEP000, and nothing else.
    let settings = Settings::default();
    for path in common::fixtures("parse-error") {
        let file = common::file_name(&path);
        let report = common::check(&path, &settings);
        let codes: Vec<_> = report.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["SCEP000"], "parse-error/{file}");
        insta::with_settings!({ snapshot_path => "snapshots/rules", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("parse-error__{file}"), common::render(Format::Human, vec![report]));
        });
    }
}

#[test]
fn redistribution_enabled() {
    check_rule("redistribution-enabled");
}

#[test]
fn subject_length() {
    check_rule("subject-length");
}

#[test]
fn key_size() {
    check_rule("key-size");
}

#[test]
fn key_usage_signing_only() {
    check_rule("key-usage-signing-only");
}

#[test]
fn key_not_extractable() {
    check_rule("key-not-extractable");
}

#[test]
fn all_apps_access() {
    check_rule("all-apps-access");
}

#[test]
fn static_challenge() {
    check_rule("static-challenge");
}

#[test]
fn subject_expanded_length() {
    check_rule("subject-expanded-length");
}

#[test]
fn unknown_variable() {
    check_rule("unknown-variable");
}

#[test]
fn subject_device_identifier() {
    check_rule("subject-device-identifier");
}

#[test]
fn subject_syntax() {
    check_rule("subject-syntax");
}

#[test]
fn certificate_level() {
    check_rule("certificate-level");
}

#[test]
fn san_none() {
    check_rule("san-none");
}

#[test]
fn scep_url() {
    check_rule("scep-url");
}

#[test]
fn payload_keys() {
    check_rule("payload-keys");
}

#[test]
fn profile_structure() {
    check_rule("profile-structure");
}

#[test]
fn redistribution_window() {
    check_rule("redistribution-window");
}

#[test]
fn challenge_in_file() {
    check_rule("challenge-in-file");
}

#[test]
fn windows_challenge_chars() {
    check_rule("windows-challenge-chars");
}

#[test]
fn windows_key_storage() {
    check_rule("windows-key-storage");
}

#[test]
fn certificate_validity() {
    check_rule("certificate-validity");
}

/// SCEP022 compares files: the folder is checked as one run, the way `sceplint check` does.
#[test]
fn duplicate_identifier() {
    let settings = Settings::default();
    let mut files: Vec<_> = common::fixtures("duplicate-identifier")
        .iter()
        .map(|path| common::check(path, &settings))
        .collect();
    sceplint::engine::cross_file::link(&mut files);
    for file in &mut files {
        file.diagnostics.retain(|d| d.code == "SCEP022");
        let name = file.path.rsplit('/').next().unwrap().to_owned();
        assert_eq!(
            !file.diagnostics.is_empty(),
            name.contains("-fail"),
            "{name}: {:#?}",
            file.diagnostics
        );
    }
    insta::with_settings!({ snapshot_path => "snapshots/rules", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("duplicate-identifier__run", common::render(Format::Human, files.clone()));
        insta::assert_snapshot!("duplicate-identifier__run.json", common::render(Format::Json, files));
    });
}

#[test]
fn a_profile_copied_many_times_names_three_places_and_counts_the_rest() {
    let bytes = std::fs::read(
        common::fixture_dir("duplicate-identifier").join("generic-fail-copy-a.mobileconfig"),
    )
    .unwrap();
    let settings = Settings::default();
    let mut files: Vec<_> = (0..50)
        .map(|n| {
            sceplint::engine::check_bytes(&format!("copies/{n:02}.mobileconfig"), &bytes, &settings)
        })
        .collect();
    sceplint::engine::cross_file::link(&mut files);
    for file in &files {
        let found: Vec<_> = file
            .diagnostics
            .iter()
            .filter(|d| d.code == "SCEP022")
            .collect();
        // The profile's UUID and identifier, and the SCEP payload's UUID.
        assert_eq!(found.len(), 3, "{}", file.path);
        for diagnostic in found {
            assert!(
                diagnostic.message.contains(" and 46 more;"),
                "{}",
                diagnostic.message
            );
            assert!(
                !diagnostic.message.contains(&file.path),
                "{}",
                diagnostic.message
            );
            assert!(
                diagnostic.line.is_some(),
                "a text file's finding has a line"
            );
        }
    }
}

#[test]
fn a_file_with_the_rule_off_still_tells_the_others() {
    let dir = common::fixture_dir("duplicate-identifier");
    let mut off = Settings::default();
    off.rules.disable(&["SCEP022"]);
    let mut files = vec![
        common::check(&dir.join("generic-fail-copy-a.mobileconfig"), &off),
        common::check(
            &dir.join("generic-fail-copy-b.mobileconfig"),
            &Settings::default(),
        ),
    ];
    sceplint::engine::cross_file::link(&mut files);
    let count = |f: &sceplint::engine::FileReport| {
        f.diagnostics.iter().filter(|d| d.code == "SCEP022").count()
    };
    assert_eq!(count(&files[0]), 0);
    assert_eq!(count(&files[1]), 3);
}

#[test]
fn repeats_within_one_file_are_left_to_profile_structure() {
    let file =
        common::fixture_dir("profile-structure").join("kandji-fail-duplicate-identifier.json");
    let mut files = vec![common::check(&file, &Settings::default())];
    sceplint::engine::cross_file::link(&mut files);
    let codes: Vec<_> = files[0].diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"SCEP016"), "{codes:?}");
    assert!(!codes.contains(&"SCEP022"), "{codes:?}");
}

#[test]
fn two_profiles_of_one_kandji_list_are_compared() {
    let one =
        std::fs::read_to_string(common::fixture_dir("formats").join("kandji-api.json")).unwrap();
    let list = format!("{{\"results\": [{one}, {one}]}}");
    let mut files = vec![sceplint::engine::check_bytes(
        "list.json",
        list.as_bytes(),
        &Settings::default(),
    )];
    assert_eq!(files[0].profiles, 2);
    sceplint::engine::cross_file::link(&mut files);
    let found = files[0]
        .diagnostics
        .iter()
        .filter(|d| d.code == "SCEP022")
        .count();
    // Each profile's UUID, identifier and SCEP payload UUID, in both profiles.
    assert_eq!(found, 6, "{:#?}", files[0].diagnostics);
}

#[test]
fn unused_suppression() {
    check_rule("unused-suppression");
    // The suppressions that pass are the ones that silenced their finding.
    let settings = Settings::default();
    for (file, silenced) in [
        ("generic-pass.mobileconfig", "SCEP005"),
        ("generic-pass-file.mobileconfig", "SCEP001"),
        ("jamf-pass-escaped.xml", "SCEP003"),
    ] {
        let report = common::check(
            &common::fixture_dir("unused-suppression").join(file),
            &settings,
        );
        assert!(
            report.diagnostics.iter().all(|d| d.code != silenced),
            "{file}: {:#?}",
            report.diagnostics
        );
        assert_eq!(report.suppressed, 1, "{file}");
    }
    // Turning the rule off silences the report, not the suppressions.
    let mut quiet = Settings::default();
    quiet.rules.disable(&["SCEP100"]);
    let path = common::fixture_dir("unused-suppression").join("generic-fail-unused.mobileconfig");
    assert!(
        common::check(&path, &quiet)
            .diagnostics
            .iter()
            .all(|d| d.code != "SCEP100")
    );
}

#[test]
fn every_rule_has_a_fixture_directory_and_a_test() {
    let source = include_str!("rules.rs");
    for meta in rules::all_meta() {
        assert!(
            common::fixture_dir(meta.name).is_dir(),
            "fixtures/{} is missing",
            meta.name
        );
        let test = format!("fn {}()", meta.name.replace('-', "_"));
        assert!(source.contains(&test), "tests/rules.rs has no `{test}`");
    }
}

#[test]
fn csp_structure() {
    check_rule("csp-structure");
}

#[test]
fn mdm_upload() {
    check_rule("mdm-upload");
}

#[test]
fn misplaced_key() {
    check_rule("misplaced-key");
}

#[test]
fn not_checked() {
    check_rule("not-checked");
}
