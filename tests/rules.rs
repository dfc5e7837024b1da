//! Every rule against its fixtures: `fixtures/<rule-name>/<vendor>-<pass|fail>[-case].<ext>`.
//! A `fail` fixture must raise the rule, a `pass` fixture must not; the output of each failing
//! fixture, with only that rule's findings, is snapshotted in both human and JSON form.

mod common;

use sceplint::engine::Settings;
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
