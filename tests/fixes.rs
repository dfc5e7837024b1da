//! `--fix` on every fixable fixture: a snapshot of each fix as a diff, the fixed file re-lints
//! clean for the rule and still parses, the challenge's bytes are untouched, and signed or
//! binary files are never modified.

mod common;

use sceplint::engine::{FileStatus, Settings, check_bytes};
use sceplint::fix;
use sceplint::model::Applicability;

/// The fixture secret (scripts/make_fixtures.py), which no fix may touch.
const SECRET: &str = "kX9#qZ2vT7-pR4Wz8mY1-Lb3Q7nH";

/// Rules whose fixtures are fixed at more than the safe level, with the level.
const FIXABLE: &[(&str, Applicability)] = &[
    ("key-size", Applicability::Safe),
    ("key-usage-signing-only", Applicability::Safe),
    ("key-not-extractable", Applicability::Safe),
    ("all-apps-access", Applicability::Safe),
    ("misplaced-key", Applicability::Safe),
    ("subject-syntax", Applicability::Safe),
    ("san-none", Applicability::Unsafe),
    ("certificate-level", Applicability::Unsafe),
];

/// Every fixture, of every rule: after `--fix` (and, for rules whose fixes are unsafe,
/// `--unsafe-fixes`) the file still reads, no finding with a fix of that kind is left, every
/// finding a fix was offered for is gone, the challenge's bytes are where they were, and the fix
/// is a reviewed diff.
#[test]
fn every_fix_applies_and_relints_clean() {
    let settings = Settings::default();
    let mut fixed = std::collections::BTreeMap::<&str, usize>::new();
    let rules = std::fs::read_dir("fixtures").unwrap();
    let mut folders: Vec<String> = rules
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    for folder in &folders {
        for path in common::fixtures(folder) {
            let display = common::display(&path);
            let bytes = std::fs::read(&path).unwrap();
            let threshold = FIXABLE
                .iter()
                .find(|(rule, ..)| rule == folder)
                .map_or(Applicability::Safe, |(_, threshold)| *threshold);
            let before = check_bytes(&display, &bytes, &settings);
            let result = fix::fix_file(&display, &bytes, &settings, threshold);
            let Some(new_bytes) = &result.bytes else {
                let left: Vec<_> = before
                    .diagnostics
                    .iter()
                    .filter(|d| {
                        d.fix
                            .as_ref()
                            .is_some_and(|f| f.applicability >= threshold && !f.edits.is_empty())
                    })
                    .map(|d| d.code)
                    .collect();
                assert!(
                    left.is_empty(),
                    "{display}: fixes offered but nothing changed: {left:?}"
                );
                continue;
            };
            let after = check_bytes(&display, new_bytes, &settings);
            assert_eq!(
                after.status,
                FileStatus::Checked,
                "{display} no longer reads"
            );
            let offered = |code: &str| {
                before
                    .diagnostics
                    .iter()
                    .filter(|d| {
                        d.code == code
                            && d.fix.as_ref().is_some_and(|f| {
                                f.applicability >= threshold && !f.edits.is_empty()
                            })
                    })
                    .count()
            };
            for diagnostic in &after.diagnostics {
                let open = diagnostic
                    .fix
                    .as_ref()
                    .is_some_and(|f| f.applicability >= threshold && !f.edits.is_empty());
                assert!(
                    !open,
                    "{display}: {} still has a fix after --fix",
                    diagnostic.code
                );
            }
            let codes: std::collections::BTreeSet<&str> =
                before.diagnostics.iter().map(|d| d.code).collect();
            for code in codes {
                let count = |report: &sceplint::engine::FileReport| {
                    report.diagnostics.iter().filter(|d| d.code == code).count()
                };
                assert!(
                    count(&after) <= count(&before) - offered(code),
                    "{display}: {code} findings went from {} ({} fixable) to {}",
                    count(&before),
                    offered(code),
                    count(&after)
                );
            }
            // The challenge is there as often as before, byte for byte.
            let secrets = |b: &[u8]| String::from_utf8_lossy(b).matches(SECRET).count();
            assert_eq!(
                secrets(&bytes),
                secrets(new_bytes),
                "{display}: the challenge changed"
            );
            *fixed.entry(folder.as_str()).or_default() += 1;
            let name = common::file_name(&path);
            insta::with_settings!({ snapshot_path => "snapshots/fixes", prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(
                    format!("{folder}__{name}"),
                    fix::unified_diff(&display, &result.before, &result.after)
                );
            });
        }
    }
    for (rule, ..) in FIXABLE {
        assert!(
            fixed.get(rule).copied().unwrap_or(0) >= 1,
            "no fixture of {rule} was fixed: {fixed:?}"
        );
    }
}

#[test]
fn containers_round_trip_and_signed_files_are_never_touched() {
    let settings = Settings::default();
    for (file, fixable) in [
        ("fixtures/formats/xml-utf16le.mobileconfig", true),
        ("fixtures/formats/xml-utf16be.mobileconfig", true),
        ("fixtures/formats/xml-utf8-bom.mobileconfig", true),
        ("fixtures/formats/xml-crlf.mobileconfig", true),
        ("fixtures/formats/jamf-api.xml", true),
        ("fixtures/formats/kandji-api.json", true),
        ("fixtures/key-size/jamf-fail-tf-heredoc.tf", true),
        ("fixtures/formats/signed-der.mobileconfig", false),
        ("fixtures/formats/signed-ber.mobileconfig", false),
        ("fixtures/formats/binary.mobileconfig", false),
    ] {
        let bytes = std::fs::read(file).unwrap();
        let result = fix::fix_file(file, &bytes, &settings, Applicability::Safe);
        match result.bytes {
            None => assert!(!fixable, "{file}: nothing fixed"),
            Some(fixed) => {
                assert!(fixable, "{file}: a signed or binary file was modified");
                // Same encoding and byte-order mark, same line endings, same length but for the
                // edited values.
                assert_eq!(fixed.get(..2), bytes.get(..2), "{file}: the start changed");
                assert_eq!(
                    fixed.iter().filter(|b| **b == b'\r').count(),
                    bytes.iter().filter(|b| **b == b'\r').count(),
                    "{file}: line endings changed"
                );
                let report = check_bytes(file, &fixed, &settings);
                assert!(
                    report.diagnostics.iter().all(|d| d.code != "SCEP003"),
                    "{file}"
                );
            }
        }
    }
    // A signed file's key-size finding says why --fix leaves it alone.
    let signed = std::fs::read("fixtures/formats/signed-der.mobileconfig").unwrap();
    let report = check_bytes("signed-der.mobileconfig", &signed, &settings);
    let key_size = report
        .diagnostics
        .iter()
        .find(|d| d.code == "SCEP003")
        .unwrap();
    assert!(key_size.help.contains("never edits a signed profile"));
    assert!(key_size.help.contains("--rewrite-binary"));
}

/// `--rewrite-binary` fixes a binary plist by writing it anew: still a binary plist, the
/// finding gone, every other value (the challenge among them) as it was. Signed profiles stay
/// untouched even then.
#[test]
fn a_binary_plist_is_rewritten_only_when_asked() {
    let settings = Settings::default();
    let bytes = std::fs::read("fixtures/formats/binary.mobileconfig").unwrap();
    let fixed = fix::fix_binary_plist(
        "binary.mobileconfig",
        &bytes,
        &settings,
        Applicability::Safe,
    )
    .expect("a binary plist");
    assert!(fixed.binary);
    let new = fixed.bytes.expect("the key size is fixed");
    assert!(new.starts_with(b"bplist00"));
    let report = check_bytes("binary.mobileconfig", &new, &settings);
    assert_eq!(report.status, FileStatus::Checked);
    assert!(report.diagnostics.iter().all(|d| d.code != "SCEP003"));
    let old = plist::Value::from_reader(std::io::Cursor::new(&bytes)).unwrap();
    let mut new = plist::Value::from_reader(std::io::Cursor::new(&new)).unwrap();
    let settings_of = |v: &mut plist::Value| -> plist::Dictionary {
        v.as_dictionary_mut().unwrap()["PayloadContent"]
            .as_array_mut()
            .unwrap()[0]
            .as_dictionary_mut()
            .unwrap()["PayloadContent"]
            .as_dictionary()
            .unwrap()
            .clone()
    };
    let mut expected = old.clone();
    let mut before = settings_of(&mut expected);
    let after = settings_of(&mut new);
    assert_eq!(
        after.get("Challenge").and_then(|c| c.as_string()),
        Some(SECRET)
    );
    assert_eq!(
        after.get("Keysize").and_then(|k| k.as_signed_integer()),
        Some(2048)
    );
    before.insert("Keysize".to_owned(), plist::Value::Integer(2048.into()));
    assert_eq!(before, after, "only the key size changed");
    for signed in [
        "fixtures/formats/signed-der.mobileconfig",
        "fixtures/formats/signed-ber.mobileconfig",
    ] {
        let bytes = std::fs::read(signed).unwrap();
        assert!(fix::fix_binary_plist(signed, &bytes, &settings, Applicability::Safe).is_none());
    }
    // From the command line, only with the flag.
    let dir = common::scratch("fix-binary");
    let path = dir.join("binary.mobileconfig");
    std::fs::copy("fixtures/formats/binary.mobileconfig", &path).unwrap();
    let plain = common::sceplint()
        .args(["check", "--isolated", "--fix-only"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(plain.status.code(), Some(0));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes_of("fixtures/formats/binary.mobileconfig")
    );
    let asked = common::sceplint()
        .args(["check", "--isolated", "--fix-only", "--rewrite-binary"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(asked.status.code(), Some(0));
    assert_ne!(
        std::fs::read(&path).unwrap(),
        bytes_of("fixtures/formats/binary.mobileconfig")
    );
    let alone = common::sceplint()
        .args(["check", "--isolated", "--rewrite-binary"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        alone.status.code(),
        Some(2),
        "--rewrite-binary needs a fix flag"
    );
}

fn bytes_of(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn diff_changes_nothing_and_fix_writes_and_the_summary_says_so() {
    let dir = common::scratch("fix-cli");
    std::fs::copy("fixtures/key-size/jamf-fail.xml", dir.join("jamf.xml")).unwrap();
    let before = std::fs::read(dir.join("jamf.xml")).unwrap();
    let diff = common::sceplint()
        .args(["check", "--isolated", "--diff"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(
        diff.status.code(),
        Some(1),
        "--diff exits 1 when there is something to fix"
    );
    let shown = String::from_utf8_lossy(&diff.stdout);
    assert!(shown.contains("+") && shown.contains("2048"), "{shown}");
    assert!(!shown.contains(SECRET), "the diff shows the secret");
    assert_eq!(
        std::fs::read(dir.join("jamf.xml")).unwrap(),
        before,
        "--diff wrote the file"
    );
    let fixed = common::sceplint()
        .args(["check", "--isolated", "--fix", "--format", "concise"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&fixed.stderr).contains("fixed 1 finding in 1 file"));
    assert!(!String::from_utf8_lossy(&fixed.stdout).contains("SCEP003"));
    assert_ne!(std::fs::read(dir.join("jamf.xml")).unwrap(), before);
    let again = common::sceplint()
        .args(["check", "--isolated", "--diff"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(0), "nothing left to fix");
}

/// A challenge too short for the run's redactor to search for is still masked in `--diff`,
/// which prints the file's own text, even where a fix moves it.
#[test]
fn diff_masks_a_short_challenge_too() {
    let dir = common::scratch("fix-short-secret");
    let path = dir.join("misplaced.mobileconfig");
    let text =
        std::fs::read_to_string("fixtures/misplaced-key/generic-fail-payload-level.mobileconfig")
            .unwrap()
            .replace(SECRET, "Zq9w");
    std::fs::write(&path, &text).unwrap();
    let output = common::sceplint()
        .args(["check", "--isolated", "--diff"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let diff = String::from_utf8(output.stdout).unwrap();
    assert!(diff.contains("+\t\t\t\t<string>****</string>"), "{diff}");
    assert!(!diff.contains("Zq9w"), "{diff}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

/// What a fix must leave to a human: two misplaced copies of one setting (which was meant?), and
/// quotes in a Subject string, where they may group a value.
#[test]
fn ambiguous_findings_get_no_safe_fix() {
    let settings = Settings::default();
    let base =
        std::fs::read_to_string("fixtures/misplaced-key/generic-fail-payload-level.mobileconfig")
            .unwrap();
    let twice = base.replacen(
        "\t\t\t<key>Challenge</key>",
        "\t\t\t<key>Challenge</key>\n\t\t\t<string>another</string>\n\t\t\t<key>Challenge</key>",
        1,
    );
    assert_ne!(twice, base);
    let result = fix::fix_file(
        "twice.mobileconfig",
        twice.as_bytes(),
        &settings,
        Applicability::Safe,
    );
    assert!(result.bytes.is_none(), "{}", result.after);

    let intune = r##"{"@odata.type": "#microsoft.graph.macOSScepCertificateProfile",
  "subjectNameFormat": "custom",
  "subjectNameFormatString": "O=\"Acme, Inc.\",CN={{DeviceId}}\"x",
  "keySize": "size2048", "keyUsage": "digitalSignature", "allowAllAppsAccess": true,
  "renewalThresholdPercentage": 20,
  "scepServerUrls": ["https://acme.okta.com/pki/x/scep/intune"]}"##;
    let report = check_bytes("intune.json", intune.as_bytes(), &settings);
    let quote = report
        .diagnostics
        .iter()
        .find(|d| d.message.contains("stray quote"))
        .expect("the stray quote is found");
    assert!(quote.fix.is_none());
}

/// A file with more fixable findings than the rounds can reach (each round sees at most 100
/// findings of a rule) says so, and a second `--fix` goes on where the first stopped.
#[test]
fn fixes_left_after_the_last_round_are_reported() {
    let payload = |i: usize| {
        format!(
            "<dict><key>PayloadType</key><string>com.apple.security.scep</string>\
             <key>PayloadIdentifier</key><string>p{i}</string><key>PayloadUUID</key><string>u{i}</string>\
             <key>PayloadContent</key><dict><key>URL</key><string>https://acme.okta.com/pki/x/scep/ca</string>\
             <key>Keysize</key><integer>1024</integer></dict></dict>"
        )
    };
    let payloads: String = (0..1_100).map(payload).collect();
    let text = format!(
        "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>PayloadType</key><string>Configuration</string>\
         <key>PayloadIdentifier</key><string>many</string><key>PayloadUUID</key><string>many</string>\
         <key>PayloadContent</key><array>{payloads}</array></dict></plist>"
    );
    let dir = common::scratch("fix-rounds");
    let path = dir.join("many.mobileconfig");
    std::fs::write(&path, &text).unwrap();
    let first = common::sceplint()
        .args(["check", "--isolated", "--fix-only", "--select", "key-size"])
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(
        stderr.contains("still had fixes after 10 rounds"),
        "{stderr}"
    );
    let second = common::sceplint()
        .args(["check", "--isolated", "--fix-only", "--select", "key-size"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&second.stderr).contains("still had fixes"));
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert_eq!(fixed.matches("<integer>2048</integer>").count(), 1_100);
}

/// Intune's key size is a word: a number written there becomes the quoted word, which fixes it.
#[test]
fn an_intune_key_size_written_as_a_number_becomes_its_word() {
    let text = r##"{"@odata.type": "#microsoft.graph.macOSScepCertificateProfile", "keySize": 1024,
  "keyUsage": "digitalSignature", "allowAllAppsAccess": true, "renewalThresholdPercentage": 20,
  "scepServerUrls": ["https://acme.okta.com/pki/x/scep/intune"]}"##;
    let settings = Settings::default();
    let result = fix::fix_file(
        "intune.json",
        text.as_bytes(),
        &settings,
        Applicability::Safe,
    );
    assert!(
        result.after.contains(r#""keySize": "size2048""#),
        "{}",
        result.after
    );
    let report = check_bytes("intune.json", result.after.as_bytes(), &settings);
    assert!(report.diagnostics.iter().all(|d| d.code != "SCEP003"));
}
