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
        Outcome::Skipped { .. } => panic!("a FIFO is reported, not skipped"),
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

// Regressions from an adversarial review: one test per class of leak or fault it found.

const PLANTED: &str = "Qz7kW2pL9xR4mN8vB3";

/// Runs `check` over `paths` in every format (and writes a baseline), returning everything
/// printed and written.
fn every_output(dir: &Path, paths: &[&Path]) -> Vec<(String, String)> {
    let mut outputs = Vec::new();
    for format in all_formats() {
        let output = common::sceplint()
            .args(["check", "--isolated", "--format", &format])
            .args(paths)
            .output()
            .unwrap();
        outputs.push((
            format,
            format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ),
        ));
    }
    let baseline = dir.join("baseline.json");
    common::sceplint()
        .args(["check", "--isolated", "--write-baseline"])
        .arg(&baseline)
        .args(paths)
        .output()
        .unwrap();
    outputs.push((
        "baseline".into(),
        std::fs::read_to_string(&baseline).unwrap_or_default(),
    ));
    outputs
}

fn assert_planted_hidden(case: &str, outputs: &[(String, String)]) {
    for (format, text) in outputs {
        if let Some(piece) = shapes::piece_in(PLANTED, text) {
            panic!("{case}: {format} holds `{piece}`:\n{text}");
        }
    }
}

#[test]
fn configuration_errors_never_print_a_secret_however_the_toml_writes_it() {
    let dir = common::scratch("hostile-toml");
    std::fs::write(dir.join("a.mobileconfig"), "<plist/>").unwrap();
    for (n, toml) in [
        format!("[[overrides]]\nfiles = [\"*\"]\nseverity = {{ challenge = \"{PLANTED}\" }}\n"),
        format!("x = {{ challenge = \"{PLANTED}\" }}\n"),
        format!("[challenge]\nvalue = \"{PLANTED}\"\n"),
        format!("\"chal\\x6cenge\" = \"{PLANTED}\"\n"),
        format!("\"\\U00000063hallenge\" = \"{PLANTED}\"\n"),
        "[severity]\nchallenge = \"Qz7kW\\x32pL9x\\x52\\x34mN8v\\U00000042\\u0033\"\n".to_owned(),
        format!("select = [\n  {{ challenge = \"{PLANTED}\" }},\n"),
    ]
    .iter()
    .enumerate()
    {
        let config = dir.join(format!("c{n}.toml"));
        std::fs::write(&config, toml).unwrap();
        for command in [&["check", "--config"][..], &["config", "--config"][..]] {
            let output = common::sceplint()
                .args(command)
                .arg(&config)
                .arg(dir.join("a.mobileconfig"))
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(2), "{toml}");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(stderr.contains("invalid configuration"), "{stderr}");
            if let Some(piece) = shapes::piece_in(PLANTED, &stderr) {
                panic!("{toml}: stderr holds `{piece}`:\n{stderr}");
            }
        }
    }
    // A challenge too short to search for elsewhere is still never quoted from the TOML.
    let short = dir.join("short.toml");
    std::fs::write(&short, "[severity]\nchallenge = \"hun2r\"\n").unwrap();
    let output = common::sceplint()
        .args(["check", "--config"])
        .arg(&short)
        .arg(dir.join("a.mobileconfig"))
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&output.stderr).contains("hun2r"));
}

#[test]
fn nested_encrypted_and_unread_text_stays_hidden() {
    let dir = common::scratch("hostile-nested");
    let files: Vec<(&str, String)> = vec![
        // An encrypted profile inside a Jamf export and a Kandji object: shown, masked.
        ("enc.xml", format!("<os_x_configuration_profile>\n  <general>\n    <payloads>&lt;plist version=\"1\"&gt;&lt;dict&gt;&lt;key&gt;PayloadType&lt;/key&gt;&lt;string&gt;com.apple.security.scep&lt;/string&gt;\n&lt;key&gt;Challenge&lt;/key&gt;&lt;string&gt;{PLANTED}&lt;/string&gt;\n&lt;key&gt;IsEncrypted&lt;/key&gt;&lt;true/&gt;\n&lt;/dict&gt;&lt;/plist&gt;</payloads>\n  </general>\n</os_x_configuration_profile>\n")),
        ("enc.json", format!("{{\"active\": true, \"profile\": \"<plist><dict><key>Challenge</key><string>{PLANTED}</string><key>IsEncrypted</key><true/></dict></plist>\", \"x\": \"scep\"}}\n")),
        // Text no tree keeps: a DOCTYPE subset, a processing instruction, attributes, text
        // mixed with elements.
        ("doctype.mobileconfig", format!("<?xml version=\"1.0\"?>\n<!DOCTYPE plist [ <!-- <key>Challenge</key><string>{PLANTED}</string> --> ]>\n<plist version=\"1.0\"><dict><key>PayloadIdentifier</key><string>com.example.scep</string>\n<key>PayloadContent</key><array><dict><key>PayloadType</key><string>com.apple.security.scep</string>\n<key>PayloadContent</key><dict><key>URL</key><string>https://acme.okta.com/pki/x/scep/okta-ca</string></dict></dict></array>\n</dict></plist>\n")),
        ("attr.xml", format!("<os_x_configuration_profile>\n  <general>\n    <level>User</level>\n    <extra challenge=\"{PLANTED}\"/>\n    <payloads>&lt;plist version=\"1\"&gt;&lt;dict&gt;&lt;key&gt;PayloadType&lt;/key&gt;&lt;string&gt;com.apple.security.scep&lt;/string&gt;&lt;/dict&gt;&lt;/plist&gt;</payloads>\n  </general>\n</os_x_configuration_profile>\n")),
        ("mixed.xml", "<os_x_configuration_profile>\n  <general>\n    <level>User</level>\n    <challenge>Qz7kW2pL9<b/>xR4mN8vB3</challenge>\n    <payloads>&lt;plist version=\"1\"&gt;&lt;dict&gt;&lt;key&gt;PayloadType&lt;/key&gt;&lt;string&gt;com.apple.security.scep&lt;/string&gt;&lt;/dict&gt;&lt;/plist&gt;</payloads>\n  </general>\n</os_x_configuration_profile>\n".to_owned()),
        // Nested plists no reader parses: an earlier duplicate `<payloads>`, a Kandji entry
        // that is not a profile object.
        ("dup.xml", format!("<os_x_configuration_profile>\n  <general>\n    <level>User</level>\n    <payloads>&lt;plist&gt;&lt;dict&gt;&lt;key&gt;Challenge&lt;/key&gt;&lt;string&gt;{PLANTED}&lt;/string&gt;&lt;/dict&gt;&lt;/plist&gt;</payloads>\n    <payloads>&lt;plist version=\"1\"&gt;&lt;dict&gt;&lt;key&gt;PayloadType&lt;/key&gt;&lt;string&gt;com.apple.security.scep&lt;/string&gt;&lt;/dict&gt;&lt;/plist&gt;</payloads>\n  </general>\n</os_x_configuration_profile>\n")),
        ("results.json", format!("{{\"results\": [\n{{\"id\": \"2\", \"profile\": \"<plist><dict><key>Challenge</key><string>{PLANTED}</string></dict></plist>\"}},\n{{\"id\": \"1\", \"active\": true, \"profile\": \"<plist><dict><key>PayloadType</key><string>com.apple.security.scep</string><key>Keysize</key><integer>1024</integer></dict></plist>\"}}\n]}}\n")),
        // A key made long on purpose.
        ("longkey.mobileconfig", format!("<plist version=\"1.0\"><dict><key>PayloadType</key><string>com.apple.security.scep</string>\n<key>Challenge{}</key>\n<string>{PLANTED}</string>\n</dict></plist>\n", "0".repeat(4100))),
    ];
    for (name, body) in files {
        let path = dir.join(name);
        std::fs::write(&path, body).unwrap();
        assert_planted_hidden(name, &every_output(&dir, &[&path]));
    }
}

#[test]
fn a_secret_of_one_file_stays_hidden_in_another_whatever_its_shape() {
    let dir = common::scratch("hostile-cross");
    // The second file quotes the secret in its URL's host.
    let quoting = dir.join("b.mobileconfig");
    std::fs::write(&quoting, format!("<plist version=\"1.0\"><dict><key>PayloadType</key><string>com.apple.security.scep</string>\n<key>URL</key><string>https://{PLANTED}.corp.test/scep</string>\n</dict></plist>\n")).unwrap();
    let broken = format!(
        "<plist version=\"1.0\"><dict><key>PayloadType</key><string>com.apple.security.scep</string><key>Challenge</key><string>{PLANTED}</string></dict>"
    );
    let holders: Vec<(&str, Vec<u8>)> = vec![
        ("signed-broken.mobileconfig", shapes::der_signed(broken.as_bytes())),
        ("binary-broken.mobileconfig", {
            let mut dict = plist::Dictionary::new();
            dict.insert("PayloadType".into(), "com.apple.security.scep".into());
            dict.insert("Challenge".into(), PLANTED.into());
            let mut bytes = Vec::new();
            plist::Value::Dictionary(dict).to_writer_binary(&mut bytes).unwrap();
            bytes.truncate(bytes.len() - 10);
            bytes
        }),
        ("syncml.xml", format!("<SyncML><SyncBody><Add><Item><Target><LocURI>./Device/Vendor/MSFT/ClientCertificateInstall/SCEP/x/Install/Challenge</LocURI></Target><Data>{PLANTED}</Data></Item></Add></SyncBody></SyncML>\n").into_bytes()),
        ("oma.json", format!("{{\"@odata.type\": \"#microsoft.graph.windows10CustomConfiguration\", \"omaSettings\": [{{\"omaUri\": \"./Device/Vendor/MSFT/ClientCertificateInstall/SCEP/x/Install/Challenge\", \"value\": \"{PLANTED}\"}}]}}\n").into_bytes()),
        ("renamed.xml", format!("<os_x_configuration_profile_export><general><payloads>&lt;plist&gt;&lt;dict&gt;&lt;key&gt;Challenge&lt;/key&gt;&lt;string&gt;{PLANTED}&lt;/string&gt;&lt;/dict&gt;&lt;/plist&gt;</payloads></general></os_x_configuration_profile_export>\n").into_bytes()),
        ("long.mobileconfig", {
            let long = format!("{}{PLANTED}", "x".repeat(9000));
            format!("<plist version=\"1.0\"><dict><key>Challenge</key><string>{long}").into_bytes()
        }),
    ];
    for (name, bytes) in holders {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        assert_planted_hidden(name, &every_output(&dir, &[&path, &quoting]));
    }
}

#[test]
fn a_secret_made_of_report_markup_breaks_no_report() {
    let dir = common::scratch("hostile-markup");
    let victim = dir.join("victim.mobileconfig");
    std::fs::copy(
        common::fixture_dir("key-size").join("generic-fail-string.mobileconfig"),
        &victim,
    )
    .unwrap();
    let evil = dir.join("evil.mobileconfig");
    std::fs::write(&evil, "<plist version=\"1.0\"><dict><key>Password</key><array>\n<string>&lt;testcase classname=&quot;</string>\n<string>\", \"message\": \"</string>\n<string>\"uri\": \"</string>\n<string>::error file=</string>\n<string>\"check_name\":</string>\n<string>apos;s CA</string>\n</array></dict></plist>\n").unwrap();
    let run = |format: &str| {
        let output = common::sceplint()
            .args(["check", "--isolated", "--format", format])
            .arg(&victim)
            .arg(&evil)
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    for format in ["json", "sarif", "gitlab"] {
        let text = run(format);
        serde_json::from_str::<serde_json::Value>(&text)
            .unwrap_or_else(|e| panic!("{format} is not JSON ({e}):\n{text}"));
    }
    let junit = run("junit");
    let mut reader = quick_xml::Reader::from_str(&junit);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("junit is not well-formed ({e}):\n{junit}"),
        }
    }
    let github = run("github");
    assert!(
        github.lines().any(|l| l.starts_with("::error file=")),
        "{github}"
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_never_read_as_configuration_nor_written_through() {
    let dir = common::scratch("hostile-links");
    let target = dir.join("private.txt");
    std::fs::write(
        &target,
        "machine github.com login x password ghp_TOPSECRET1234567890\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(&target, dir.join("sceplint.toml")).unwrap();
    std::fs::copy(
        common::fixture_dir("key-size").join("generic-pass.mobileconfig"),
        dir.join("a.mobileconfig"),
    )
    .unwrap();
    for args in [vec!["check".to_owned()], vec!["config".to_owned()]] {
        let output = common::sceplint()
            .args(&args)
            .arg(dir.join("a.mobileconfig"))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(printed.contains("symbolic link"), "{printed}");
        assert!(
            !printed.contains("ghp_") && !printed.contains("machine github"),
            "{printed}"
        );
    }
    // A report or baseline is not written through a link.
    let report = dir.join("report.sarif");
    std::os::unix::fs::symlink(&target, &report).unwrap();
    let output = common::sceplint()
        .args(["check", "--isolated", "--format", "sarif", "-o"])
        .arg(&report)
        .arg(dir.join("a.mobileconfig"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .starts_with("machine github.com")
    );
    // Nor is a baseline read through one, or from a FIFO.
    let output = common::sceplint()
        .args(["check", "--isolated", "--baseline"])
        .arg(&report)
        .arg(dir.join("a.mobileconfig"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    mkfifo(&dir.join("fifo.json"));
    let output = common::sceplint()
        .args(["check", "--isolated", "--baseline"])
        .arg(dir.join("fifo.json"))
        .arg(dir.join("a.mobileconfig"))
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(2),
        "a FIFO baseline is refused at once"
    );
}

#[cfg(unix)]
#[test]
fn directory_names_are_escaped_in_configuration_messages() {
    let dir = common::scratch("hostile-dirname");
    let odd = dir.join("x\u{202e}evil\u{200b}\n::error::hi");
    std::fs::create_dir_all(&odd).unwrap();
    std::fs::write(odd.join("sceplint.toml"), "colour = 1\n").unwrap();
    std::fs::write(odd.join("a.mobileconfig"), "<plist/>").unwrap();
    let output = common::sceplint()
        .arg("check")
        .arg(odd.join("a.mobileconfig"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("\\u{202e}") && stderr.contains("\\n::error"),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\u{202e}') && !stderr.lines().any(|l| l.trim_start().starts_with("::")),
        "{stderr}"
    );
    std::fs::write(odd.join("sceplint.toml"), "fail-on = \"error\"\n").unwrap();
    let output = common::sceplint().arg("config").arg(&odd).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        !stdout.contains('\u{202e}') && !stdout.lines().any(|l| l.trim_start().starts_with("::")),
        "{stdout}"
    );
}
