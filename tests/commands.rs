//! The commands around `check`: `init`, `schema`, `completions`, `man`, and the command-line
//! options that shape a run (`--quiet`, `--statistics`, `--select` prefixes, did-you-mean).

mod common;

use serde_json::Value;

fn text(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn the_shipped_schema_is_the_generated_one() {
    let output = common::run(&["schema"]);
    assert_eq!(output.status.code(), Some(0));
    let shipped = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sceplint.schema.json"),
    )
    .expect("sceplint.schema.json is shipped in the repository");
    assert_eq!(
        text(&output),
        shipped,
        "run `sceplint schema > sceplint.schema.json`"
    );
}

/// sceplint.toml as JSON, for the schema validator.
fn toml_as_json(text: &str) -> Value {
    let value: toml::Value = toml::from_str(text).expect("valid TOML");
    serde_json::to_value(value).unwrap()
}

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&text(&common::run(&["schema"]))).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

#[test]
fn init_writes_what_check_accepts_and_the_schema_validates() {
    let dir = common::scratch("init");
    for (from, to) in [
        ("fixtures/clean/jamf-export.xml", "jamf/okta.xml"),
        ("fixtures/clean/kandji-api.json", "kandji/okta.json"),
        ("fixtures/clean/intune-windows.json", "okta-windows.json"),
    ] {
        let target = dir.join(to);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(from),
            &target,
        )
        .unwrap();
    }
    let output = common::sceplint().arg("init").arg(&dir).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let written = std::fs::read_to_string(dir.join("sceplint.toml")).unwrap();
    assert!(written.starts_with("#:schema "), "{written}");
    assert!(
        written.contains("files = [\"jamf/**\"]") && written.contains("vendor = \"jamf\""),
        "{written}"
    );
    assert!(
        written.contains("files = [\"kandji/**\"]")
            && written.contains("# redistribution-days = 30"),
        "{written}"
    );
    assert!(
        written.contains("files = [\"okta-windows.json\"]"),
        "{written}"
    );
    assert!(text(&output).contains("wrote "), "init says what it wrote");
    let errors: Vec<String> = validator()
        .iter_errors(&toml_as_json(&written))
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    // check reads it (exit 0 or 1, never a configuration error)
    let check = common::sceplint().arg("check").arg(&dir).output().unwrap();
    assert_ne!(
        check.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    // and init does not overwrite without --force
    let again = common::sceplint().arg("init").arg(&dir).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn the_schema_rejects_what_check_rejects() {
    let bad = toml_as_json(
        "fail-on = \"sometimes\"\n[[overrides]]\nfiles = [\"a\"]\nvendor = \"jamfpro\"\n",
    );
    assert!(validator().iter_errors(&bad).count() >= 2);
    let good = toml_as_json(
        "select = [\"SCEP00\", \"key-size\"]\n[rules.key-size]\nallowed = [2048]\n[[overrides]]\nfiles = [\"a/**\"]\nvendor = \"jamf-pro\"\nredistribution-days = 120\n",
    );
    let errors: Vec<String> = validator()
        .iter_errors(&good)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn completions_and_the_manual_page_are_generated() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = common::run(&["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        assert!(text(&output).contains("sceplint"), "{shell}");
    }
    let man = common::run(&["man"]);
    assert_eq!(man.status.code(), Some(0));
    assert!(text(&man).contains(".TH sceplint 1"));
}

#[test]
fn quiet_prints_findings_only_and_statistics_counts_them() {
    let quiet = common::run(&[
        "check",
        "--isolated",
        "-q",
        "--format",
        "concise",
        "fixtures/key-size/jamf-fail.xml",
    ]);
    let out = text(&quiet);
    assert!(out.contains("SCEP003") && !out.contains("Found "), "{out}");
    let clean = common::run(&["check", "-q", "fixtures/clean"]);
    assert_eq!(text(&clean), "");
    let stats = common::run(&[
        "check",
        "--isolated",
        "--statistics",
        "fixtures/key-size/jamf-fail.xml",
        "fixtures/key-size/jamf-fail.xml",
    ]);
    let out = text(&stats);
    assert!(
        out.lines().any(|l| l
            .trim_start()
            .starts_with("1  SCEP003  key-size (fails the run)")),
        "{out}"
    );
    assert!(
        !out.contains("Keysize"),
        "statistics replace the findings: {out}"
    );
    let json = common::run(&[
        "check",
        "--statistics",
        "--format",
        "json",
        "fixtures/clean",
    ]);
    assert_eq!(json.status.code(), Some(2));
    let alias = common::run(&[
        "check",
        "--isolated",
        "--output-format",
        "json",
        "fixtures/clean",
    ]);
    assert!(serde_json::from_slice::<Value>(&alias.stdout).is_ok());
}

#[test]
fn select_takes_prefixes_and_keeps_per_file_ignores() {
    let dir = common::scratch("select-overrides");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/key-size/jamf-fail.xml"),
        dir.join("jamf.xml"),
    )
    .unwrap();
    std::fs::write(
        dir.join("sceplint.toml"),
        "[[overrides]]\nfiles = [\"jamf.xml\"]\nignore = [\"key-size\"]\n",
    )
    .unwrap();
    let run = |select: &str| {
        let output = common::sceplint()
            .args(["check", "--format", "concise", "--select", select])
            .arg(dir.join("jamf.xml"))
            .output()
            .unwrap();
        text(&output)
    };
    // SCEP00 selects SCEP000 to SCEP009, but the file's override still ignores key-size.
    let out = run("SCEP00");
    assert!(
        out.contains("SCEP001") && !out.contains("SCEP003") && !out.contains("SCEP018"),
        "{out}"
    );
    let bad = common::run(&["check", "--select", "key-siz", "fixtures/clean"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("did you mean `key-size` (SCEP003)?"));
}

#[test]
fn a_misspelt_rule_in_a_suppression_gets_a_suggestion() {
    let dir = common::scratch("suppression-typo");
    let profile = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/clean/generic-fleet.mobileconfig"),
    )
    .unwrap()
    .replacen("<dict>", "<!-- sceplint: ignore key-siz -->\n<dict>", 1);
    std::fs::write(dir.join("p.mobileconfig"), profile).unwrap();
    let output = common::sceplint()
        .args(["check", "--isolated", "--format", "concise"])
        .arg(dir.join("p.mobileconfig"))
        .output()
        .unwrap();
    let out = text(&output);
    assert!(out.contains("did you mean `key-size` (SCEP003)?"), "{out}");
}

#[test]
fn oktas_documented_configurations_are_clean_once_redistribution_is_declared() {
    // Jamf Pro static and dynamic, Kandji/Iru, Intune macOS and Windows, Workspace ONE Windows
    // through the CSP, Fleet: fixtures/clean, with its sceplint.toml declaring what exports
    // cannot show.
    let output = common::run(&["check", "--format", "json", "fixtures/clean"]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let summary = &report["summary"];
    assert_eq!(summary["errors"], 0, "{report:#}");
    assert_eq!(summary["warnings"], 0, "{report:#}");
    let vendors: std::collections::BTreeSet<String> = std::fs::read_dir("fixtures/clean")
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "sceplint.toml")
        .collect();
    assert_eq!(
        summary["profiles"],
        vendors.len(),
        "every file is read as a profile"
    );
    assert_eq!(output.status.code(), Some(0));
}
