//! The command line as users run it: exit codes, standard input, directories, output formats.

use std::path::Path;
use std::process::Output;

mod common;

use common::{json, run, run_with_stdin, sceplint, scratch};

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn copy_fixture(from: &str, to: &Path) {
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(from);
    std::fs::copy(source, to).unwrap();
}

#[test]
fn a_clean_profile_exits_zero() {
    let output = run(&["check", "fixtures/clean/intune-macos.json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("No problems found (1 file read, 1 SCEP profile checked)."));
}

#[test]
fn an_error_exits_one() {
    let output = run(&["check", "fixtures/key-size/jamf-fail.xml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("SCEP003 key-size"));
}

#[test]
fn warnings_alone_exit_zero() {
    // A clean profile but for redistribution, which the export cannot show.
    let output = run(&[
        "check",
        "--isolated",
        "--ignore",
        "challenge-in-file",
        "fixtures/clean/kandji-api.json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("Found 1 warning"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn usage_errors_exit_two() {
    assert_eq!(run(&["check", "--format", "yaml"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(run(&[]).status.code(), Some(2));
    assert_eq!(run(&["rule", "no-such-rule"]).status.code(), Some(2));
}

#[test]
fn help_and_version_exit_zero() {
    assert_eq!(run(&["--help"]).status.code(), Some(0));
    assert_eq!(run(&["--version"]).status.code(), Some(0));
    assert!(stdout(&run(&["check", "--help"])).contains("--stdin-filename"));
}

#[test]
fn a_broken_file_is_a_finding_and_the_others_are_still_linted() {
    let dir = scratch("mixed");
    copy_fixture("clean/intune-windows.json", &dir.join("good.json"));
    copy_fixture("key-size/jamf-fail.xml", &dir.join("bad.xml"));
    copy_fixture(
        "parse-error/truncated.mobileconfig",
        &dir.join("broken.mobileconfig"),
    );
    std::fs::write(dir.join("package.json"), r#"{"name": "unrelated"}"#).unwrap();
    std::fs::write(dir.join("notes.txt"), "not a profile").unwrap();

    let output = run(&["check", "--format", "json", dir.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    let codes: Vec<(String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let path = d["path"].as_str().unwrap();
            (
                path.rsplit('/').next().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        codes.contains(&("bad.xml".into(), "SCEP003".into())),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("broken.mobileconfig".into(), "SCEP000".into())),
        "{codes:?}"
    );
    assert!(
        !codes
            .iter()
            .any(|(file, _)| file == "good.json" || file == "package.json"),
        "{codes:?}"
    );
    // The unrelated JSON and the text file are skipped without a word.
    assert_eq!(report["summary"]["files"], 3);
    assert_eq!(
        report["summary"]["files_without_scep"],
        serde_json::json!([])
    );
}

#[test]
fn output_is_sorted_by_path_line_and_code() {
    let output = run(&[
        "check",
        "--format",
        "json",
        "fixtures/formats",
        "fixtures/key-size",
    ]);
    let report = json(&output);
    let keys: Vec<(String, u64, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap_or(0),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    // And the same run gives the same bytes.
    assert_eq!(
        output.stdout,
        run(&[
            "check",
            "--format",
            "json",
            "fixtures/formats",
            "fixtures/key-size"
        ])
        .stdout
    );
}

#[test]
fn standard_input_is_read_and_named() {
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/key-size/jamf-fail.xml"),
    )
    .unwrap();
    let output = run_with_stdin(
        sceplint().args([
            "check",
            "--format",
            "json",
            "--stdin-filename",
            "exports/okta.xml",
            "-",
        ]),
        &bytes,
    );
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert!(diagnostics.iter().all(|d| d["path"] == "exports/okta.xml"));
    let key_size = diagnostics.iter().find(|d| d["code"] == "SCEP003").unwrap();
    assert_eq!(key_size["line"], 17);
}

#[test]
fn standard_input_without_a_name_is_dash() {
    let output = run_with_stdin(
        sceplint().args(["check", "--format", "json", "-"]),
        b"{\"truncated\": ",
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(json(&output)["diagnostics"][0]["path"], "-");
}

#[test]
fn a_named_file_without_scep_is_reported_in_the_summary() {
    let output = run(&["check", "fixtures/formats/no-scep.json"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("note: fixtures/formats/no-scep.json holds no SCEP profile"));
    let report = json(&run(&[
        "check",
        "--format",
        "json",
        "fixtures/formats/no-scep.json",
    ]));
    assert_eq!(
        report["summary"]["files_without_scep"],
        serde_json::json!(["fixtures/formats/no-scep.json"])
    );
}

#[test]
fn a_missing_path_is_reported_not_fatal() {
    let output = run(&[
        "check",
        "--format",
        "json",
        "no/such/file.mobileconfig",
        "fixtures/clean/intune-macos.json",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    let missing = &report["diagnostics"][0];
    assert_eq!(missing["path"], "no/such/file.mobileconfig");
    assert_eq!(missing["code"], "SCEP000");
    assert!(
        missing["message"]
            .as_str()
            .unwrap()
            .contains("no such file")
    );
    assert_eq!(report["summary"]["profiles"], 1);
}

#[test]
fn json_diagnostics_carry_the_contract_fields() {
    let report = json(&run(&[
        "check",
        "--format",
        "json",
        "fixtures/formats/binary.mobileconfig",
        "fixtures/key-size/jamf-fail.xml",
    ]));
    for d in report["diagnostics"].as_array().unwrap() {
        for field in [
            "code", "rule", "severity", "path", "line", "column", "key_path", "message", "help",
            "profile", "payload",
        ] {
            assert!(d.get(field).is_some(), "{field} missing from {d}");
        }
        let binary = d["path"].as_str().unwrap().ends_with("binary.mobileconfig");
        assert_eq!(d["line"].is_null(), binary, "{d}");
        assert!(!d["key_path"].is_null(), "{d}");
    }
    for field in ["files", "profiles", "errors", "warnings", "infos"] {
        assert!(report["summary"][field].is_u64(), "summary.{field}");
    }
}

#[test]
fn redistribution_can_be_declared_for_the_run() {
    let file = "fixtures/redistribution-enabled/kandji-fail-unknown.json";
    let before = json(&run(&["check", "--format", "json", file]));
    assert_eq!(before["diagnostics"][0]["code"], "SCEP001");
    let declared = json(&run(&[
        "check",
        "--format",
        "json",
        "--select",
        "SCEP001",
        "--redistribution-days",
        "30",
        file,
    ]));
    assert_eq!(declared["diagnostics"], serde_json::json!([]));
    let off = run(&[
        "check",
        "--format",
        "json",
        "--redistribution-days",
        "0",
        file,
    ]);
    assert_eq!(off.status.code(), Some(1));
    assert!(
        json(&off)["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("declared for this run")
    );
}

#[test]
fn colour_only_when_asked_and_never_with_no_color() {
    let plain = run(&["check", "fixtures/key-size/jamf-fail.xml"]);
    assert!(
        !plain.stdout.contains(&0x1b),
        "no colour when stdout is not a terminal"
    );
    let forced = run(&[
        "check",
        "--color",
        "always",
        "fixtures/key-size/jamf-fail.xml",
    ]);
    assert!(forced.stdout.contains(&0x1b), "--color always colours");
    let no_color = sceplint()
        .args([
            "check",
            "--color",
            "auto",
            "fixtures/key-size/jamf-fail.xml",
        ])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!no_color.stdout.contains(&0x1b));
}

#[test]
fn rule_prints_documentation_by_code_or_name() {
    let by_code = run(&["rule", "SCEP005"]);
    assert_eq!(by_code.status.code(), Some(0));
    assert!(stdout(&by_code).starts_with("# key-not-extractable (SCEP005)"));
    assert_eq!(by_code.stdout, run(&["rule", "key-not-extractable"]).stdout);
    let all = stdout(&run(&["rule", "--all"]));
    for code in ["SCEP000", "SCEP001", "SCEP007"] {
        assert!(all.contains(code), "{all}");
    }
}

#[test]
fn walks_skip_gitignored_and_hidden_files_unless_asked() {
    let dir = scratch("ignored");
    std::fs::create_dir_all(dir.join("build")).unwrap();
    std::fs::create_dir_all(dir.join(".cache")).unwrap();
    std::fs::write(dir.join(".gitignore"), "build/\n").unwrap();
    copy_fixture("key-size/jamf-fail.xml", &dir.join("build/bad.xml"));
    copy_fixture("key-size/jamf-fail.xml", &dir.join(".cache/bad.xml"));
    let walked = run(&["check", "--format", "json", dir.to_str().unwrap()]);
    assert_eq!(walked.status.code(), Some(0));
    assert_eq!(json(&walked)["summary"]["files"], 0);
    let everything = run(&[
        "check",
        "--format",
        "json",
        "--no-ignore",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(json(&everything)["summary"]["files"], 2);
}

#[test]
fn the_bundled_examples_run() {
    // The README's first command.
    let output = run(&["check", "fixtures/"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("Found "), "{text}");
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn each_file_is_read_once_however_it_is_named() {
    let dir = scratch("named-twice");
    copy_fixture(
        "clean/generic-fleet.mobileconfig",
        &dir.join("okta.mobileconfig"),
    );
    let file = dir.join("okta.mobileconfig");
    let dotted = dir.join(".").join("okta.mobileconfig");
    let output = run(&[
        "check",
        "--isolated",
        "--format",
        "json",
        file.to_str().unwrap(),
        dotted.to_str().unwrap(),
        dir.to_str().unwrap(),
    ]);
    let report = json(&output);
    assert_eq!(report["summary"]["files"], 1, "{report}");
    // Read once, it cannot share its identifiers with itself.
    let codes: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect();
    assert!(!codes.contains(&"SCEP022".to_owned()), "{codes:?}");
}

#[cfg(unix)]
#[test]
fn walks_do_not_follow_symbolic_links() {
    let dir = scratch("symlinks");
    std::fs::create_dir_all(dir.join("profiles")).unwrap();
    copy_fixture(
        "clean/generic-fleet.mobileconfig",
        &dir.join("profiles/okta.mobileconfig"),
    );
    std::os::unix::fs::symlink("okta.mobileconfig", dir.join("profiles/alias.mobileconfig"))
        .unwrap();
    std::os::unix::fs::symlink("..", dir.join("profiles/loop")).unwrap();
    let output = run(&[
        "check",
        "--isolated",
        "--format",
        "json",
        dir.to_str().unwrap(),
    ]);
    let report = json(&output);
    assert_eq!(report["summary"]["files"], 1, "{report}");
    assert_eq!(output.status.code(), Some(0), "{report}");
}
