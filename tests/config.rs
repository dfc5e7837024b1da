//! Configuration, overrides, severities, `--fail-on`, `--exit-zero` and baselines, through the
//! command line as users run it. The test repository is `fixtures/config`:
//!
//! - `sceplint.toml`: `all-apps-access` is a warning, 4096-bit keys are allowed, files under
//!   `kandji/` are Kandji/Iru with redistribution at 30 days, and `exports/*.json` ignore
//!   `key-usage-signing-only`;
//! - `strict/sceplint.toml`: closer, so it wins below `strict/`: only `key-size` and
//!   `redistribution-enabled` run, and warnings fail the run.

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;

use common::{json, run, scratch};

/// `(file name, code, severity)` of each finding.
fn findings(output: &Output) -> Vec<(String, String, String)> {
    json(output)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_owned(),
                d["code"].as_str().unwrap().to_owned(),
                d["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn has(found: &[(String, String, String)], file: &str, code: &str) -> bool {
    found.iter().any(|(f, c, _)| f == file && c == code)
}

#[test]
fn the_closest_configuration_applies() {
    let output = run(&["check", "--format", "json", "fixtures/config"]);
    let found = findings(&output);
    // Root configuration: 4096 bits allowed, all-apps-access only a warning.
    assert!(!has(&found, "jamf-4096.xml", "SCEP003"), "{found:?}");
    assert!(
        found.contains(&("jamf-4096.xml".into(), "SCEP006".into(), "warning".into())),
        "{found:?}"
    );
    // strict/: its own configuration, not merged with the root one: 4096 fails there, and only
    // the selected rules run (the exportable key is not reported).
    assert!(has(&found, "okta.mobileconfig", "SCEP003"), "{found:?}");
    assert!(!has(&found, "okta.mobileconfig", "SCEP005"), "{found:?}");
}

#[test]
fn overrides_set_vendor_facts_and_rules_for_matching_files() {
    let found = findings(&run(&["check", "--format", "json", "fixtures/config"]));
    // kandji/**: read as Kandji/Iru (its Subject gets the Kandji suffix) with redistribution
    // declared (no "unknown" warning).
    assert!(
        has(&found, "okta-scep.mobileconfig", "SCEP002"),
        "{found:?}"
    );
    assert!(
        !has(&found, "okta-scep.mobileconfig", "SCEP001"),
        "{found:?}"
    );
    // exports/*.json: key usage is ignored.
    assert!(!has(&found, "intune.json", "SCEP004"), "{found:?}");
    let isolated = findings(&run(&[
        "check",
        "--format",
        "json",
        "--isolated",
        "fixtures/config",
    ]));
    assert!(has(&isolated, "intune.json", "SCEP004"), "{isolated:?}");
    assert!(
        has(&isolated, "okta-scep.mobileconfig", "SCEP001"),
        "{isolated:?}"
    );
    assert!(has(&isolated, "jamf-4096.xml", "SCEP003"), "{isolated:?}");
}

#[test]
fn fail_on_and_exit_zero_decide_the_exit_status() {
    // strict/ fails on warnings: its unknown-redistribution warning fails the run.
    let strict = "fixtures/config/strict/okta.mobileconfig";
    assert_eq!(
        run(&["check", "--select", "redistribution-enabled", strict])
            .status
            .code(),
        Some(1)
    );
    // The command line wins over the configuration.
    let output = run(&[
        "check",
        "--select",
        "redistribution-enabled",
        "--fail-on",
        "error",
        strict,
    ]);
    assert_eq!(output.status.code(), Some(0));
    // Without its configuration, the clean Kandji/Iru export has one warning (the export cannot
    // show redistribution) and, but for the ignored rule, one info.
    let warnings_only = "fixtures/clean/kandji-api.json";
    for (fail_on, expected) in [(None, 0), (Some("warning"), 1), (Some("info"), 1)] {
        let mut args = vec![
            "check",
            "--isolated",
            "--ignore",
            "challenge-in-file",
            warnings_only,
        ];
        if let Some(level) = fail_on {
            args.extend(["--fail-on", level]);
        }
        assert_eq!(run(&args).status.code(), Some(expected), "{args:?}");
    }
    let errors = "fixtures/key-size/jamf-fail.xml";
    assert_eq!(
        run(&["check", "--exit-zero", errors]).status.code(),
        Some(0)
    );
    // A configuration error still exits 2 with --exit-zero.
    let broken = run(&[
        "check",
        "--exit-zero",
        "--config",
        "fixtures/config-errors/unknown-key.toml",
        errors,
    ]);
    assert_eq!(broken.status.code(), Some(2));
}

/// The clean Jamf Pro export with a 1024-bit key: its only problems are `key-size` (an error)
/// and `challenge-in-file` (an info), since the export carries the static challenge.
fn weak_key_export(dir: &Path) -> PathBuf {
    let clean = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/clean/jamf-export.xml");
    let text = std::fs::read_to_string(clean).unwrap();
    assert_eq!(text.matches("2048").count(), 1);
    let path = dir.join("export.xml");
    std::fs::write(&path, text.replace("2048", "1024")).unwrap();
    path
}

#[test]
fn severities_can_be_changed_and_rules_turned_off() {
    let dir = scratch("severity");
    let export = weak_key_export(&dir);
    let before = findings(&run(&[
        "check",
        "--format",
        "json",
        export.to_str().unwrap(),
    ]));
    assert_eq!(
        before,
        [
            ("export.xml".into(), "SCEP003".into(), "error".into()),
            ("export.xml".into(), "SCEP018".into(), "info".into())
        ]
    );
    std::fs::write(
        dir.join("sceplint.toml"),
        "[severity]\nkey-size = \"warning\"\nSCEP018 = \"off\"\n",
    )
    .unwrap();
    let output = run(&["check", "--format", "json", dir.to_str().unwrap()]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "the only error became a warning"
    );
    assert_eq!(
        findings(&output),
        [("export.xml".into(), "SCEP003".into(), "warning".into())]
    );
}

#[test]
fn select_and_ignore_on_the_command_line() {
    let export = weak_key_export(&scratch("select"));
    let file = export.to_str().unwrap();
    let only = findings(&run(&[
        "check", "--format", "json", "--select", "SCEP003", file,
    ]));
    assert_eq!(
        only,
        [("export.xml".into(), "SCEP003".into(), "error".into())]
    );
    let without = findings(&run(&[
        "check",
        "--format",
        "json",
        "--ignore",
        "key-size,SCEP018",
        file,
    ]));
    assert!(without.is_empty(), "{without:?}");
    let unknown = run(&["check", "--select", "key-sise", file]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("`key-sise` is not a rule"));
}

#[test]
fn an_explicit_config_applies_to_every_input() {
    let dir = scratch("explicit-config");
    std::fs::write(dir.join("only-key-size.toml"), "select = [\"key-size\"]\n").unwrap();
    let config = dir.join("only-key-size.toml");
    let found = findings(&run(&[
        "check",
        "--format",
        "json",
        "--config",
        config.to_str().unwrap(),
        "fixtures/key-size/jamf-fail.xml",
        "fixtures/static-challenge/jamf-fail-empty.xml",
    ]));
    assert!(
        found.iter().all(|(_, code, _)| code == "SCEP003") && !found.is_empty(),
        "{found:?}"
    );
}

#[test]
fn configuration_errors_point_into_the_toml_and_exit_two() {
    for (file, expected) in [
        ("unknown-key.toml", "unknown field `colour`"),
        ("wrong-type.toml", "invalid type: string \"…\""),
        ("unknown-rule.toml", "did you mean `all-apps-access`"),
        ("bad-severity.toml", "unknown variant `fatal`"),
        ("bad-glob.toml", "invalid glob"),
        ("bad-vendor.toml", "`airwatch` is not a vendor"),
        ("not-toml.toml", "unclosed array"),
    ] {
        let config = format!("fixtures/config-errors/{file}");
        let output = run(&[
            "check",
            "--config",
            &config,
            "fixtures/key-size/jamf-pass.xml",
        ]);
        assert_eq!(output.status.code(), Some(2), "{file}");
        assert!(
            output.stdout.is_empty(),
            "{file}: no report on a configuration error"
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{file}: {stderr}");
        assert!(
            stderr.contains(&format!("╭─[{config}:")),
            "{file}: no frame into the TOML: {stderr}"
        );
        insta::with_settings!({ snapshot_path => "snapshots/config", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(file, stderr);
        });
    }
}

#[test]
fn a_discovered_broken_configuration_stops_the_run() {
    let dir = scratch("broken-discovered");
    std::fs::write(dir.join(".sceplint.toml"), "fail-on = \"sometimes\"\n").unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/key-size/jamf-pass.xml"),
        dir.join("export.xml"),
    )
    .unwrap();
    let output = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains(".sceplint.toml"));
}

#[test]
fn the_config_command_shows_what_applies_and_why() {
    let shown =
        String::from_utf8(run(&["config", "fixtures/config/kandji/okta-scep.mobileconfig"]).stdout)
            .unwrap();
    insta::with_settings!({ snapshot_path => "snapshots/config", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("config-command-kandji", shown);
    });
    assert!(
        shown.contains("# from fixtures/config/sceplint.toml"),
        "{shown}"
    );
    assert!(shown.contains("vendor = \"kandji\""), "{shown}");
    assert!(shown.contains("redistribution-days = 30"), "{shown}");
    let strict = String::from_utf8(run(&["config", "fixtures/config/strict"]).stdout).unwrap();
    assert!(
        strict.contains("# from fixtures/config/strict/sceplint.toml"),
        "{strict}"
    );
    assert!(strict.contains("key-not-extractable = \"off\""), "{strict}");
    let isolated =
        String::from_utf8(run(&["config", "--isolated", "fixtures/config/strict"]).stdout).unwrap();
    assert!(
        isolated.contains("# from no configuration file: defaults"),
        "{isolated}"
    );
}

#[test]
fn a_baseline_reports_only_new_findings_and_survives_moved_lines() {
    let dir = scratch("baseline");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let profile = dir.join("okta.mobileconfig");
    std::fs::copy(
        root.join("fixtures/key-size/generic-fail-string.mobileconfig"),
        &profile,
    )
    .unwrap();
    let before = findings(&run(&[
        "check",
        "--isolated",
        "--format",
        "json",
        profile.to_str().unwrap(),
    ]));
    assert!(before.len() >= 2, "{before:?}");
    let baseline = dir.join("baseline.json");
    let written = run(&[
        "check",
        "--isolated",
        "--write-baseline",
        baseline.to_str().unwrap(),
        profile.to_str().unwrap(),
    ]);
    assert_eq!(written.status.code(), Some(0));
    let recorded: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert_eq!(recorded["version"], 1);
    assert_eq!(
        recorded["findings"].as_array().unwrap().len(),
        before.len(),
        "{recorded}"
    );

    // The same findings, moved down three lines by an edit: still in the baseline.
    let text = std::fs::read_to_string(&profile).unwrap();
    std::fs::write(&profile, text.replacen("<dict>", "<dict>\n\n\n", 1)).unwrap();
    let args = [
        "check",
        "--isolated",
        "--format",
        "json",
        "--baseline",
        baseline.to_str().unwrap(),
        profile.to_str().unwrap(),
    ];
    let output = run(&args);
    assert_eq!(output.status.code(), Some(0));
    let report = json(&output);
    assert_eq!(report["diagnostics"], serde_json::json!([]));
    assert_eq!(report["summary"]["baselined"], before.len());

    // A new problem is reported.
    let text = std::fs::read_to_string(&profile).unwrap();
    std::fs::write(
        &profile,
        text.replace(
            "<key>Key Usage</key>\n\t\t\t\t<integer>1</integer>",
            "<key>Key Usage</key>\n\t\t\t\t<integer>5</integer>",
        ),
    )
    .unwrap();
    let output = run(&args);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        findings(&output)
            .iter()
            .map(|f| f.1.as_str())
            .collect::<Vec<_>>(),
        ["SCEP004"]
    );

    let missing = run(&[
        "check",
        "--baseline",
        "no/such/baseline.json",
        profile.to_str().unwrap(),
    ]);
    assert_eq!(missing.status.code(), Some(2));
}
