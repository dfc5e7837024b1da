//! Every output format, produced for the fixtures: SARIF validates against the official SARIF
//! 2.1.0 schema and meets GitHub code scanning's demands, GitLab Code Quality and JUnit parse
//! with what their consumers need, GitHub workflow commands are escaped as GitHub requires, and
//! every format works from standard input and with `--output`.
// Test code, not sceplint's output: it may print directly.
#![allow(clippy::disallowed_macros)]

use std::path::Path;
use std::process::Output;

use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::Value;

mod common;

use common::{json, run, run_with_stdin, sceplint};

/// Broken, binary, signed, multi-payload, escaped and suppressed inputs, all at once.
const INPUTS: &[&str] = &[
    "fixtures/formats",
    "fixtures/parse-error",
    "fixtures/unused-suppression",
    "fixtures/key-size",
];

fn report(format: &str) -> Output {
    let mut args = vec!["check", "--format", format];
    args.extend(INPUTS);
    let output = run(&args);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{format}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let sarif = json(&report("sarif"));
    // The official schema sits in the workplace's shared folder, beside the corpus: found
    // where the corpus tests find it, and required unless SCEPLINT_SKIP_CORPUS=1 says the
    // shared folder is absent on purpose.
    let shared = std::env::var_os("SCEPLINT_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"),
        |corpus| Path::new(&corpus).join(".."),
    );
    let schema_path = shared.join("schemas/sarif-schema-2.1.0.json");
    let schema = match std::fs::read_to_string(&schema_path) {
        Ok(schema) => schema,
        Err(_) if std::env::var_os("SCEPLINT_SKIP_CORPUS").is_some_and(|v| v == "1") => {
            eprintln!("note: SCEPLINT_SKIP_CORPUS=1; skipping SARIF schema validation");
            return;
        }
        Err(e) => panic!(
            "the SARIF schema is not at {} ({e}): set SCEPLINT_CORPUS, or SCEPLINT_SKIP_CORPUS=1 to skip",
            schema_path.display()
        ),
    };
    // The schema's own `run.language` pattern has an unescaped `]` that the validator's
    // meta-schema check rejects as a regex; sceplint never writes `language`, so escaping it
    // changes nothing that is validated here.
    let schema = schema.replace(r#"[a-zA-Z]{2}]?$"#, r#"[a-zA-Z]{2}\\]?$"#);
    let schema: Value = serde_json::from_str(&schema).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not validate:\n{}",
        errors.join("\n")
    );
    // The validator does reject what GitHub would: a region before line 1, a result without a
    // message.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!validator.is_valid(&broken));
    let mut broken = sarif;
    broken["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn sarif_meets_github_code_scanning() {
    let sarif = json(&report("sarif"));
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for meta in sceplint::rules::all_meta() {
        let rule = rules
            .iter()
            .find(|r| r["id"] == meta.code)
            .unwrap_or_else(|| panic!("{} missing", meta.code));
        assert_eq!(rule["name"], meta.name);
        for field in ["shortDescription", "fullDescription", "help"] {
            assert!(
                !rule[field]["text"].as_str().unwrap().is_empty(),
                "{}.{field}",
                meta.code
            );
        }
        assert!(
            rule["helpUri"]
                .as_str()
                .unwrap()
                .ends_with(&format!("docs/rules/{}.md", meta.name))
        );
        assert!(rule["defaultConfiguration"]["level"].is_string());
    }
    let results = run["results"].as_array().unwrap();
    assert!(results.len() > 20);
    let mut binary = 0;
    for result in results {
        let rule_id = result["ruleId"].as_str().unwrap();
        assert_eq!(
            rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"],
            rule_id
        );
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            !uri.starts_with("./") && !uri.contains('\\') && !uri.contains(' '),
            "{uri}"
        );
        assert!(
            location["region"]["startLine"].as_u64().unwrap() >= 1,
            "{result}"
        );
        assert!(
            !result["partialFingerprints"]["sceplint/v1"]
                .as_str()
                .unwrap()
                .is_empty()
        );
        if uri.starts_with("fixtures/formats/")
            && (uri.ends_with("binary.mobileconfig") || uri.contains("signed-"))
        {
            binary += 1;
            assert!(
                result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].is_string()
            );
        }
    }
    assert!(binary >= 4, "binary and signed inputs have results too");
    // Fingerprints are the same from one run to the next.
    assert_eq!(report("sarif").stdout, report("sarif").stdout);
}

#[test]
fn gitlab_code_quality_parses_with_unique_fingerprints() {
    let issues = json(&report("gitlab"));
    let issues = issues.as_array().unwrap();
    assert!(issues.len() > 20);
    let mut fingerprints = std::collections::HashSet::new();
    for issue in issues {
        assert!(issue["description"].as_str().is_some_and(|d| !d.is_empty()));
        assert!(issue["check_name"].as_str().unwrap().starts_with("SCEP"));
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&issue["severity"].as_str().unwrap())
        );
        assert!(issue["location"]["path"].is_string());
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        assert!(
            fingerprints.insert(issue["fingerprint"].as_str().unwrap().to_owned()),
            "duplicate fingerprint"
        );
    }
}

#[test]
fn junit_parses_with_a_case_per_profile_and_rule() {
    let output = report("junit");
    let text = String::from_utf8(output.stdout).unwrap();
    let mut reader = Reader::from_str(&text);
    let (mut suites, mut cases, mut failures, mut declared_tests, mut declared_failures) =
        (0, 0, 0, 0, 0);
    let mut depth = 0i32;
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("JUnit is not XML: {e}"))
        {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "testsuites" => {
                let attr = |name: &str| -> usize {
                    e.try_get_attribute(name)
                        .unwrap()
                        .unwrap()
                        .value
                        .parse()
                        .unwrap()
                };
                declared_tests = attr("tests");
                declared_failures = attr("failures");
                depth += 1;
            }
            Event::Start(e) => {
                match e.name().as_ref() {
                    "testsuite" => suites += 1,
                    "testcase" => cases += 1,
                    "failure" => failures += 1,
                    _ => {}
                }
                depth += 1;
            }
            Event::Empty(e) if e.name().as_ref() == "testcase" => cases += 1,
            Event::End(_) => depth -= 1,
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0);
    assert_eq!(cases, declared_tests);
    assert_eq!(failures, declared_failures);
    assert!(
        suites >= 20 && failures >= 10,
        "{suites} suites, {failures} failures"
    );
    // A clean profile: one passing case per rule that ran.
    let clean = String::from_utf8(
        run(&[
            "check",
            "--format",
            "junit",
            "fixtures/clean/intune-macos.json",
        ])
        .stdout,
    )
    .unwrap();
    let rules = sceplint::rules::RULES.len(); // the rules that check one profile
    assert_eq!(clean.matches("<testcase ").count(), rules, "{clean}");
    assert!(!clean.contains("<failure"));
}

#[test]
fn github_commands_are_escaped_as_github_requires() {
    use sceplint::render::github::{escape_data, escape_property};
    let message = "100% of 64: one, two\r\nthree";
    assert_eq!(escape_data(message), "100%25 of 64: one, two%0D%0Athree");
    assert_eq!(
        escape_property(message),
        "100%25 of 64%3A one%2C two%0D%0Athree"
    );

    let output = report("github");
    let text = String::from_utf8(output.stdout).unwrap();
    let commands: Vec<&str> = text.lines().filter(|l| l.starts_with("::")).collect();
    assert!(commands.len() > 20);
    for command in &commands {
        let (head, message) = command[2..].split_once("::").unwrap();
        let (kind, properties) = head.split_once(' ').unwrap();
        assert!(["error", "warning", "notice"].contains(&kind), "{command}");
        for property in properties.split(',') {
            let (key, value) = property.split_once('=').unwrap();
            assert!(
                ["file", "line", "col", "endLine", "endColumn", "title"].contains(&key),
                "{command}"
            );
            assert!(!value.contains(':'), "unescaped `:` in {command}");
        }
        assert!(!message.contains('\n') && !message.contains('\r'));
    }
    // Messages hold `%` (in escaped form) and help after an escaped blank line.
    assert!(
        commands
            .iter()
            .all(|c| c.contains("%0A%0Ahelp%3A") || c.contains("%0A%0Ahelp: "))
    );
    assert!(text.contains("::error file=fixtures/key-size/jamf-fail.xml,line=17,col=683,endLine=17,endColumn=687,title=SCEP003 key-size::"));
}

#[test]
fn concise_is_one_line_per_finding() {
    let output = run(&[
        "check",
        "--format",
        "concise",
        "fixtures/formats/binary.mobileconfig",
        "fixtures/key-size/jamf-fail.xml",
    ]);
    let text = String::from_utf8(output.stdout).unwrap();
    insta::with_settings!({ snapshot_path => "snapshots/outputs", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("concise", text);
    });
    assert!(
        text.contains(
            "fixtures/key-size/jamf-fail.xml:17:683: error[SCEP003] `Keysize` is 1024 bits"
        )
    );
    // A binary file has no lines: `1:1` keeps the form problem matchers read.
    assert!(text.contains("fixtures/formats/binary.mobileconfig:1:1: error[SCEP003] `Keysize` is 1024 bits; Okta requires 2048-bit keys (at PayloadContent[0].PayloadContent.Keysize)"));
    for line in text.lines().filter(|l| l.contains("[SCEP")) {
        let mut parts = line.splitn(4, ':');
        let (_, row, column) = (parts.next(), parts.next(), parts.next());
        assert!(
            row.is_some_and(|r| r.parse::<u32>().is_ok())
                && column.is_some_and(|c| c.parse::<u32>().is_ok()),
            "not `path:line:column:` {line}"
        );
        assert!(!line.contains('\r'));
    }
}

#[test]
fn snapshots_of_each_format_for_one_file() {
    let file = "fixtures/formats/two-payloads.mobileconfig";
    for format in ["sarif", "github", "junit", "gitlab"] {
        let output = run(&["check", "--format", format, file]);
        let mut text = String::from_utf8(output.stdout).unwrap();
        if format == "sarif" {
            // The rule descriptors embed every rule page; the tests above check them, and
            // keeping them out of the snapshot keeps documentation edits from churning it.
            let mut sarif: Value = serde_json::from_str(&text).unwrap();
            let rules = &mut sarif["runs"][0]["tool"]["driver"]["rules"];
            *rules = rules
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].clone())
                .collect();
            sarif["runs"][0]["tool"]["driver"]["version"] = "(version)".into();
            sarif["runs"][0]["tool"]["driver"]["semanticVersion"] = "(version)".into();
            text = serde_json::to_string_pretty(&sarif).unwrap();
        }
        insta::with_settings!({ snapshot_path => "snapshots/outputs", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format, text);
        });
    }
}

#[test]
fn every_format_reads_standard_input_and_writes_to_a_file() {
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/key-size/jamf-fail.xml"),
    )
    .unwrap();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    for format in [
        "human", "concise", "json", "sarif", "github", "junit", "gitlab",
    ] {
        let out_file = dir.join(format!("report.{format}"));
        let output = run_with_stdin(
            sceplint()
                .args([
                    "check",
                    "--format",
                    format,
                    "--stdin-filename",
                    "exports/okta.xml",
                    "--output",
                ])
                .arg(&out_file)
                .arg("-"),
            &bytes,
        );
        assert_eq!(output.status.code(), Some(1), "{format}");
        assert!(
            output.stdout.is_empty(),
            "{format}: the report goes to the file"
        );
        let written = std::fs::read_to_string(&out_file).unwrap();
        assert!(written.contains("exports/okta.xml"), "{format}: {written}");
        assert!(written.contains("SCEP003"), "{format}");
        assert!(!written.contains('\u{1b}'), "{format}: no colour in files");
    }
}
