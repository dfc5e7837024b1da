//! Faults around the files rather than in them: files that cannot be read, that vanish, that
//! loop, that have names no string can hold, a reader that goes away, a tree with many broken
//! files, and inputs built to exhaust a parser. Each gives a finding or a quiet exit, never a
//! panic, a hang or an aborted run.
// Test and tool code, not sceplint's output: it may print directly.
#![allow(clippy::disallowed_macros)]

use std::io::Read;
use std::path::Path;
use std::process::{Output, Stdio};

mod common;

use common::{json, run, sceplint, scratch};

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(path),
    )
    .unwrap()
}

/// `(path, code, message)` of each diagnostic.
fn diagnostics(report: &serde_json::Value) -> Vec<(String, String, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn assert_no_panic(output: &Output) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(output.status.code(), Some(101), "{stderr}");
}

/// A clean profile with UUIDs of its own, so copies are not duplicates of one another.
fn clean_copy(n: usize) -> Vec<u8> {
    let text = String::from_utf8(fixture("clean/generic-fleet.mobileconfig")).unwrap();
    let uuid =
        regex::Regex::new(r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}").unwrap();
    let mut k = 0;
    uuid.replace_all(&text, |_: &regex::Captures<'_>| {
        k += 1;
        format!("{n:08X}-0000-4000-8000-{k:012X}")
    })
    .into_owned()
    .into_bytes()
}

#[test]
fn a_thousand_files_of_which_a_hundred_are_broken() {
    let dir = scratch("thousand");
    let truncated = fixture("parse-error/truncated.mobileconfig");
    for n in 0..1000 {
        let content = if n % 10 == 3 {
            truncated.clone()
        } else {
            clean_copy(n)
        };
        std::fs::write(dir.join(format!("{n:04}.mobileconfig")), content).unwrap();
    }
    let output = run(&[
        "check",
        "--isolated",
        "--redistribution-days",
        "30",
        "--format",
        "json",
        dir.to_str().unwrap(),
    ]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    assert_eq!(report["summary"]["files"], 1000);
    assert_eq!(report["summary"]["profiles"], 900);
    let found = diagnostics(&report);
    let broken: std::collections::BTreeSet<&str> = found
        .iter()
        .filter(|(_, code, _)| code == "SCEP000")
        .map(|(path, _, _)| path.as_str())
        .collect();
    assert_eq!(broken.len(), 100);
    assert!(broken.iter().all(|path| path.ends_with("3.mobileconfig")));
    // The 900 good ones are linted, and clean.
    assert!(
        found.iter().all(|(_, code, _)| code == "SCEP000"),
        "{found:?}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_that_cannot_be_read_is_a_finding() {
    // /proc/self/mem refuses reads at offset 0 (EIO), even to root, which permissions do not.
    let dir = scratch("unreadable");
    std::fs::write(dir.join("good.mobileconfig"), clean_copy(1)).unwrap();
    let output = run(&[
        "check",
        "--isolated",
        "--format",
        "json",
        "/proc/self/mem",
        dir.to_str().unwrap(),
    ]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    assert_eq!(report["summary"]["profiles"], 1, "the other file is linted");
    let found = diagnostics(&report);
    assert!(
        found
            .iter()
            .any(|(path, code, message)| path == "/proc/self/mem"
                && code == "SCEP000"
                && message.contains("cannot read")),
        "{found:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_file_without_read_permission_is_a_finding() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("no-permission");
    let locked = dir.join("locked.mobileconfig");
    std::fs::write(&locked, clean_copy(2)).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        // Root reads it anyway; the /proc/self/mem test covers this case there.
        eprintln!("note: running as root, permissions do not stop reads; skipped");
        return;
    }
    let output = run(&[
        "check",
        "--isolated",
        "--format",
        "json",
        dir.to_str().unwrap(),
    ]);
    assert_no_panic(&output);
    let found = diagnostics(&json(&output));
    assert!(
        found
            .iter()
            .any(|(_, code, message)| code == "SCEP000" && message.contains("permission")),
        "{found:?}"
    );
}

#[test]
fn a_file_that_vanishes_between_the_walk_and_the_read() {
    let dir = scratch("vanishing");
    for n in 0..3 {
        std::fs::write(dir.join(format!("{n}.mobileconfig")), clean_copy(n)).unwrap();
    }
    let (inputs, errors) = sceplint::walk::discover(
        std::slice::from_ref(&dir),
        sceplint::walk::WalkOptions::default(),
    );
    assert!(errors.is_empty());
    assert_eq!(inputs.len(), 3);
    std::fs::remove_file(dir.join("1.mobileconfig")).unwrap();
    let settings = sceplint::engine::Settings::default();
    let reports: Vec<_> = inputs
        .iter()
        .map(|input| sceplint::engine::check_input(input, &settings))
        .collect();
    let mut gone = 0;
    for (input, outcome) in inputs.iter().zip(reports) {
        let sceplint::engine::Outcome::Report(report) = outcome else {
            panic!("{}: skipped", input.display);
        };
        if input.display.ends_with("1.mobileconfig") {
            gone += 1;
            assert_eq!(report.status, sceplint::engine::FileStatus::Unreadable);
            assert_eq!(report.diagnostics[0].code, "SCEP000");
            assert!(
                report.diagnostics[0].message.contains("cannot read"),
                "{:?}",
                report.diagnostics[0].message
            );
        } else {
            assert_eq!(report.status, sceplint::engine::FileStatus::Checked);
        }
    }
    assert_eq!(gone, 1);
}

#[cfg(unix)]
#[test]
fn symbolic_link_loops_end() {
    let dir = scratch("loops");
    std::fs::write(dir.join("good.mobileconfig"), clean_copy(4)).unwrap();
    std::os::unix::fs::symlink("self.mobileconfig", dir.join("self.mobileconfig")).unwrap();
    std::os::unix::fs::symlink(".", dir.join("again")).unwrap();
    // Walked: links are not followed.
    let walked = run(&[
        "check",
        "--isolated",
        "--format",
        "json",
        dir.to_str().unwrap(),
    ]);
    assert_no_panic(&walked);
    assert_eq!(json(&walked)["summary"]["files"], 1);
    // Named: the loop cannot be read, which is a finding.
    let named = dir.join("self.mobileconfig");
    let output = run(&[
        "check",
        "--isolated",
        "--format",
        "json",
        named.to_str().unwrap(),
    ]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(1));
    let found = diagnostics(&json(&output));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, "SCEP000");
}

#[cfg(target_os = "linux")]
#[test]
fn file_names_that_are_not_utf8_are_linted_and_shown() {
    use std::os::unix::ffi::OsStrExt;
    let dir = scratch("non-utf8");
    let name = std::ffi::OsStr::from_bytes(b"okta-\xff\xfe.mobileconfig");
    std::fs::write(dir.join(name), fixture("key-size/jamf-fail.xml")).unwrap();
    for format in ["human", "json", "sarif", "junit"] {
        let output = run(&[
            "check",
            "--isolated",
            "--format",
            format,
            dir.to_str().unwrap(),
        ]);
        assert_no_panic(&output);
        assert_eq!(output.status.code(), Some(1), "{format}");
        let text = String::from_utf8(output.stdout).expect("reports are UTF-8");
        // Shown with replacement characters (percent-encoded in SARIF's URIs).
        let shown = if format == "sarif" {
            "okta-%EF%BF%BD%EF%BF%BD.mobileconfig"
        } else {
            "okta-\u{fffd}\u{fffd}.mobileconfig"
        };
        assert!(text.contains(shown), "{format}: {text}");
    }
}

#[test]
fn a_closed_standard_output_ends_the_run_quietly() {
    let mut child = sceplint()
        .args(["check", "--isolated", "fixtures"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away before sceplint writes its report (as `sceplint ... | head` does).
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(stderr.is_empty(), "{stderr}");
    // Findings exist, so 1; not 101 (a panic) or 2 (a failure of sceplint's own).
    assert_eq!(status.code(), Some(1));
}

#[test]
fn inputs_built_to_exhaust_a_parser_get_a_finding() {
    let dir = scratch("exhausting");
    let depth = 10_000;
    let deep_xml = format!(
        "<?xml version=\"1.0\"?><plist version=\"1.0\">{}{}</plist>",
        "<array>".repeat(depth),
        "</array>".repeat(depth)
    );
    std::fs::write(dir.join("deep.mobileconfig"), deep_xml).unwrap();
    let deep_json = format!(
        "{{\"@odata.type\": \"#microsoft.graph.macOSScepCertificateProfile\", \"x\": {}{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    std::fs::write(dir.join("deep.json"), deep_json).unwrap();
    let laughs = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE plist [<!ENTITY a \"lol\">{}]><plist><dict><key>Challenge</key><string>&j;</string></dict></plist>",
        (b'b'..=b'j')
            .map(|c| format!(
                "<!ENTITY {} \"{}\">",
                c as char,
                format!("&{};", (c - 1) as char).repeat(10)
            ))
            .collect::<String>()
    );
    std::fs::write(dir.join("laughs.mobileconfig"), laughs).unwrap();
    // A signed profile wrapped in signatures again and again.
    let mut nested = fixture("formats/signed-der.mobileconfig");
    for _ in 0..64 {
        nested = der_signed_data(&nested);
    }
    std::fs::write(dir.join("nested-cms.mobileconfig"), nested).unwrap();
    std::fs::write(dir.join("big.mobileconfig"), vec![b' '; 300_000]).unwrap();

    let output = run(&[
        "check",
        "--isolated",
        "--max-file-size",
        "200000",
        "--format",
        "json",
        dir.to_str().unwrap(),
    ]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(1));
    let found = diagnostics(&json(&output));
    let message_for = |file: &str| {
        found
            .iter()
            .find(|(path, code, _)| path.ends_with(file) && code == "SCEP000")
            .map(|(_, _, message)| message.clone())
            .unwrap_or_else(|| panic!("{file}: no SCEP000 in {found:?}"))
    };
    assert!(
        message_for("deep.mobileconfig").contains("nest"),
        "{found:?}"
    );
    assert!(message_for("deep.json").contains("nest"), "{found:?}");
    assert!(
        message_for("laughs.mobileconfig").contains("entit"),
        "{found:?}"
    );
    assert!(
        message_for("nested-cms.mobileconfig")
            == "inside the signature: more than 4 nested signatures",
        "{found:?}"
    );
    assert!(
        message_for("big.mobileconfig").contains("limit is 200000 bytes"),
        "{found:?}"
    );
}

/// `content` as the content of a minimal DER SignedData (no signers): enough for a reader that
/// unwraps, as sceplint does, and verifies nothing.
fn der_signed_data(content: &[u8]) -> Vec<u8> {
    fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let len = body.len();
        if len < 0x80 {
            out.push(len as u8);
        } else {
            let bytes: Vec<u8> = len
                .to_be_bytes()
                .into_iter()
                .skip_while(|b| *b == 0)
                .collect();
            out.push(0x80 | bytes.len() as u8);
            out.extend(bytes);
        }
        out.extend_from_slice(body);
        out
    }
    const SIGNED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
    const DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
    let encap = tlv(
        0x30,
        &[tlv(0x06, DATA), tlv(0xa0, &tlv(0x04, content))].concat(),
    );
    let signed = tlv(
        0x30,
        &[tlv(0x02, &[1]), tlv(0x31, &[]), encap, tlv(0x31, &[])].concat(),
    );
    tlv(0x30, &[tlv(0x06, SIGNED_DATA), tlv(0xa0, &signed)].concat())
}
