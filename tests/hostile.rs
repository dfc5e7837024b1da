//! Hostile inputs at the command line: the report files, baselines and error messages of a run
//! hide its secrets; nothing a file holds or is named reaches a terminal or CI log raw or forges
//! a workflow command; JUnit stays well-formed; FIFOs never block; a panic in one file's check
//! spares the others; a file with tens of thousands of findings is reported in linear time.

mod common;

use std::path::Path;

use clap::ValueEnum;
use common::shapes::{self, Container, Elsewhere, Entry, Shape};
use sceplint::render::Format;

const SECRET: &str = "Wq8#hT2-kP5vL9!xZ3-mN7";

fn planted(dir: &Path, name: &str) -> std::path::PathBuf {
    let shape = Shape {
        container: Container::Xml,
        entry: Entry::Misspelt("Chalenge"),
        elsewhere: Elsewhere::Subject,
    };
    let path = dir.join(name);
    std::fs::write(&path, shape.build(SECRET)).unwrap();
    path
}

fn all_formats() -> Vec<String> {
    Format::value_variants()
        .iter()
        .map(|f| f.to_possible_value().unwrap().get_name().to_owned())
        .collect()
}

fn assert_hidden(what: &str, text: &str) {
    if let Some(piece) = shapes::piece_in(SECRET, text) {
        panic!("{what} holds `{piece}` of the secret:\n{text}");
    }
}

#[test]
fn report_files_and_baselines_hide_the_secret() {
    let dir = common::scratch("hostile-files");
    let profile = planted(&dir, "okta.mobileconfig");
    for format in all_formats() {
        let report = dir.join(format!("report.{format}"));
        let output = common::run(&[
            "check",
            "--isolated",
            "--format",
            &format,
            "-o",
            report.to_str().unwrap(),
            profile.to_str().unwrap(),
        ]);
        assert_eq!(output.status.code(), Some(1), "{format}");
        let written = std::fs::read_to_string(&report).unwrap();
        assert!(written.contains("SCEP00"), "{format}: {written}");
        assert_hidden(&format!("-o {format}"), &written);
        assert_hidden("stderr", &String::from_utf8_lossy(&output.stderr));
    }
    let baseline = dir.join("baseline.json");
    let output = common::run(&[
        "check",
        "--isolated",
        "--write-baseline",
        baseline.to_str().unwrap(),
        profile.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let written = std::fs::read_to_string(&baseline).unwrap();
    assert!(written.contains("SCEP003"), "{written}");
    assert_hidden("the baseline", &written);
}

#[test]
fn a_profile_passed_as_the_configuration_shows_no_line() {
    let dir = common::scratch("hostile-config");
    let profile = planted(&dir, "okta.mobileconfig");
    let output = common::run(&[
        "check",
        "--config",
        profile.to_str().unwrap(),
        "fixtures/clean",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("TOML file"), "{stderr}");
    assert_hidden("stderr", &stderr);
    assert!(!stderr.contains("<key>"), "{stderr}");

    // A TOML file that holds a challenge by mistake: its error frame masks the value.
    let toml = dir.join("sceplint.toml");
    std::fs::write(
        &toml,
        format!("fail-on = \"error\"\nchallenge = \"{SECRET}\"\n"),
    )
    .unwrap();
    let output = common::run(&[
        "check",
        "--config",
        toml.to_str().unwrap(),
        "fixtures/clean",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("challenge"),
        "the key is still named: {stderr}"
    );
    assert_hidden("stderr", &stderr);
}

/// A name and content full of escape sequences, line breaks and forged workflow commands.
const HOSTILE_NAME: &str =
    "a\u{1b}]0;pwned\u{7}\n::error file=x::forged\r::warning::b ##[error]c.mobileconfig";

#[cfg(unix)]
#[test]
fn control_characters_and_forged_commands_never_pass() {
    let dir = common::scratch("hostile-names");
    let hostile = shapes::plist_xml("Zp3-Qr7", Entry::Plain, Elsewhere::Nowhere).replace(
        "<key>Keysize</key>",
        "<key>\u{1b}[2J\u{9b}31m::set-output name=x::y</key><string>v</string>\n<key>Keysize</key>",
    );
    std::fs::write(dir.join(HOSTILE_NAME), hostile).unwrap();
    for format in all_formats() {
        let output = common::sceplint()
            .args([
                "check",
                "--isolated",
                "--color",
                "never",
                "--format",
                &format,
            ])
            .arg(&dir)
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(stdout.contains("SCEP0"), "{format}: {stdout}");
        for c in stdout.chars() {
            assert!(
                !c.is_control() || c == '\n' || (c == '\t' && format == "human"),
                "{format}: a raw {c:?} in:\n{stdout}"
            );
        }
        for line in stdout.lines() {
            let trimmed = line.trim_start();
            if format == "github" && !line.starts_with(char::is_alphabetic) {
                assert!(
                    ["::error ", "::warning ", "::notice "]
                        .iter()
                        .any(|c| line.starts_with(c)),
                    "{format}: {line}"
                );
            } else {
                assert!(
                    !trimmed.starts_with("::"),
                    "{format}: a forged command: {line}"
                );
            }
            assert!(!line.contains("##["), "{format}: a legacy command: {line}");
        }
    }
}

#[cfg(unix)]
#[test]
fn junit_is_well_formed_whatever_the_names_and_values() {
    let dir = common::scratch("hostile-junit");
    let body = shapes::plist_xml("Zp3-Qr7", Entry::Plain, Elsewhere::Nowhere).replace(
        "Okta SCEP",
        "\u{1}\u{8}\u{b}\u{c}\u{1f}\u{7f}&lt;&amp;&gt;\"'\u{fffe}",
    );
    std::fs::write(dir.join(HOSTILE_NAME), &body).unwrap();
    std::fs::write(
        dir.join("broken\u{2}.mobileconfig"),
        &body[..body.len() / 2],
    )
    .unwrap();
    let output = common::sceplint()
        .args(["check", "--isolated", "--format", "junit"])
        .arg(&dir)
        .output()
        .unwrap();
    let xml = String::from_utf8(output.stdout).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    reader.config_mut().check_end_names = true;
    let mut cases = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e))
                if e.name().as_ref() == "testcase" =>
            {
                cases += 1
            }
            Ok(quick_xml::events::Event::Text(t)) => {
                let text = t.xml10_content();
                assert!(
                    text.chars()
                        .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r')),
                    "{text:?}"
                );
            }
            Ok(_) => {}
            Err(e) => panic!("not well-formed XML: {e}\n{xml}"),
        }
    }
    assert!(cases > 10, "{xml}");
    assert!(!xml.contains('\u{1}') && !xml.contains('\u{fffe}'), "{xml}");
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn a_fifo_never_blocks() {
    use sceplint::engine::{Outcome, Settings, check_input};
    let dir = common::scratch("hostile-fifo");
    let fifo = dir.join("pipe.mobileconfig");
    mkfifo(&fifo);
    // Named on the command line: a finding, at once.
    let output = common::run(&[
        "check",
        "--isolated",
        "--format",
        "concise",
        fifo.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("not a regular file (a FIFO)"), "{stdout}");
    // Swapped in for a file a walk found: the read refuses it too.
    let input = sceplint::walk::Input {
        display: "pipe.mobileconfig".into(),
        path: fifo.clone(),
        explicit: false,
        identity: fifo.clone(),
    };
    match check_input(&input, &Settings::default()) {
        Outcome::Report(report) => {
            assert_eq!(report.diagnostics[0].code, "SCEP000");
            assert!(report.diagnostics[0].message.contains("FIFO"));
        }
        Outcome::Skipped => panic!("a FIFO is reported, not skipped"),
    }
    // As the configuration: an error, at once.
    let output = common::run(&[
        "check",
        "--config",
        fifo.to_str().unwrap(),
        "fixtures/clean",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("FIFO"));
}

#[test]
fn a_panic_in_one_file_spares_the_others_and_exits_two() {
    let dir = common::scratch("hostile-panic");
    std::fs::copy(
        common::fixture_dir("key-size").join("generic-fail-string.mobileconfig"),
        dir.join("a-fails.mobileconfig"),
    )
    .unwrap();
    std::fs::copy(
        common::fixture_dir("key-size").join("generic-pass.mobileconfig"),
        dir.join("b-panics.mobileconfig"),
    )
    .unwrap();
    let output = common::sceplint()
        .env("SCEPLINT_TEST_PANIC", "b-panics")
        .args(["check", "--isolated", "--format", "json"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let report = common::json(&output);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert!(
        diagnostics.iter().any(|d| d["code"] == "SCEP003"
            && d["path"]
                .as_str()
                .unwrap()
                .ends_with("a-fails.mobileconfig")),
        "the other file is still checked: {report}"
    );
    let internal = diagnostics
        .iter()
        .find(|d| {
            d["path"]
                .as_str()
                .unwrap()
                .ends_with("b-panics.mobileconfig")
        })
        .unwrap();
    assert!(
        internal["message"]
            .as_str()
            .unwrap()
            .starts_with("internal error")
    );
    assert!(!String::from_utf8_lossy(&output.stderr).contains("injected"));
}

#[test]
fn forty_thousand_findings_in_one_file_are_summed_up() {
    let dir = common::scratch("hostile-many");
    let keys: String = (0..40_000)
        .map(|i| format!("<key>Unknown{i}</key><string>v</string>\n"))
        .collect();
    let body = shapes::plist_xml("Zp3-Qr7", Entry::Plain, Elsewhere::Nowhere)
        .replace("<key>Keysize</key>", &format!("{keys}<key>Keysize</key>"));
    let path = dir.join("many.mobileconfig");
    std::fs::write(&path, body).unwrap();
    let output = common::run(&[
        "check",
        "--isolated",
        "--format",
        "json",
        path.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let report = common::json(&output);
    let unknown: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "SCEP015")
        .collect();
    assert_eq!(unknown.len(), sceplint::engine::MAX_FINDINGS_PER_RULE + 1);
    let summary = unknown
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("more"))
        .unwrap();
    assert!(
        summary["message"]
            .as_str()
            .unwrap()
            .starts_with("39901 more SCEP015 findings"),
        "{summary}"
    );
}
