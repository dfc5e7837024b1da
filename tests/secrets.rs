//! A profile's challenge is a shared secret: no output format may print it, whole or in part,
//! not in messages, code frames, parse errors or JSON. The secrets here are found in the files
//! by a pattern of this test's own, not by sceplint's masking code.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use regex::Regex;

/// Challenge values written in `text`, raw or escaped as XML or JSON.
fn challenges_in(text: &str) -> BTreeSet<String> {
    let unescaped = text
        .replace("\\u003c", "<")
        .replace("\\u003e", ">")
        .replace("\\/", "/")
        .replace("\\n", "\n")
        .replace("\\t", "\t")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"");
    let pattern = Regex::new(r"(?is)<key>\s*chall[ae]nge\s*</key>\s*<string>([^<]*)").unwrap();
    pattern
        .captures_iter(&unescaped)
        .map(|c| c[1].replace("&amp;", "&").trim().to_owned())
        .filter(|s| s.len() >= 8 && !s.contains(['$', '%', '{']))
        .collect()
}

fn decoded(bytes: &[u8]) -> String {
    let units = |rest: &[u8], le: bool| {
        rest.chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect::<Vec<_>>()
    };
    match bytes {
        [0xFF, 0xFE, rest @ ..] => String::from_utf16_lossy(&units(rest, true)),
        [0xFE, 0xFF, rest @ ..] => String::from_utf16_lossy(&units(rest, false)),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn no_output_format_prints_a_challenge() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![root.join("fixtures")];
    let corpus = root.join("../shared/corpus");
    if corpus.is_dir() {
        dirs.push(corpus);
    }
    let mut secrets = BTreeSet::new();
    let mut all = Vec::new();
    for dir in &dirs {
        files(dir, &mut all);
    }
    for file in &all {
        secrets.extend(challenges_in(&decoded(&std::fs::read(file).unwrap())));
    }
    assert!(
        secrets.contains("kX9#qZ2vT7-pR4Wz8mY1-Lb3Q7nH"),
        "the fixtures' secret was not found: {secrets:?}"
    );
    assert!(secrets.contains("YOUR_SCEP_SECRET_KEY_FROM_OKTA"));

    for format in ["human", "json"] {
        let output = Command::new(env!("CARGO_BIN_EXE_sceplint"))
            .current_dir(root)
            .args(["check", "--no-ignore", "--format", format])
            .args(&dirs)
            .output()
            .unwrap();
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(printed.len() > 1000, "{format}: suspiciously little output");
        for secret in &secrets {
            assert!(
                !printed.contains(secret.as_str()),
                "{format} output contains a challenge"
            );
            // Parts of it too: a truncated file holds only the secret's beginning. Twelve
            // characters: the placeholder `YOUR_SCEP_SECRET_…` shares eight with the URL
            // placeholder `YOUR_SCEP_PATH`, which is no secret.
            let head: String = secret.chars().take(12).collect();
            assert!(
                !printed.contains(&head),
                "{format} output contains the start of a challenge"
            );
        }
    }
}

/// A secret that happens to hold variable-like text (`$Part`, `%Zed%`) is still a secret: no
/// rule may quote that text as a variable name, in any format.
#[test]
fn a_secret_with_variable_like_text_stays_secret() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/tmp/secret-variable-like");
    std::fs::create_dir_all(&dir).unwrap();
    let original =
        std::fs::read_to_string(root.join("fixtures/key-size/generic-pass.mobileconfig")).unwrap();
    let secret = "kX9#qZ2vT7-pR4Wz8mY1-Lb3Q7nH";
    assert!(original.contains(secret));
    let path = dir.join("okta.mobileconfig");
    std::fs::write(&path, original.replace(secret, "q7$Partial_Leak%Zebra%x9")).unwrap();
    for format in [
        "human", "concise", "json", "sarif", "github", "junit", "gitlab",
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_sceplint"))
            .args(["check", "--isolated", "--format", format])
            .arg(&path)
            .output()
            .unwrap();
        let printed = String::from_utf8_lossy(&output.stdout);
        for part in ["Partial_Leak", "Zebra", "q7$"] {
            assert!(!printed.contains(part), "{format} output contains `{part}`");
        }
        if format == "concise" {
            assert!(printed.contains("SCEP018"), "a literal secret: {printed}");
            assert!(!printed.contains("SCEP009"), "{printed}");
        }
    }
}

mod common;

use common::shapes::{self, CONTAINERS, Container, ELSEWHERE, ENTRIES, Elsewhere, Entry, Shape};
use sceplint::engine::Settings;

/// Secrets with the characters that break naive masking: markup, quotes, escapes, variable
/// syntax, non-ASCII, and a line break.
const SECRETS: [&str; 3] = [
    r#"q7<Ab>&"c'D\e%F{g}$H-xY9"#,
    "Ünïcødé-Sëcret-Kéy-§42",
    "Qx7-fIrst-LnK3y\nWz4-sEcond-LnW9z",
];

fn assert_hidden(shape_name: &str, secret: &str, outputs: &[(String, String)]) {
    for (format, text) in outputs {
        for line in secret.split('\n').chain(std::iter::once(secret)) {
            if let Some(piece) = shapes::piece_in(line, text) {
                panic!("{shape_name}: {format} output holds `{piece}` of the secret:\n{text}");
            }
        }
    }
}

#[test]
fn no_container_entry_or_second_place_shows_the_secret() {
    let mut checked = 0;
    for secret in SECRETS {
        let mut shapes: Vec<Shape> = Vec::new();
        for container in CONTAINERS {
            for entry in ENTRIES {
                shapes.push(Shape {
                    container,
                    entry,
                    elsewhere: Elsewhere::Nowhere,
                });
            }
            for elsewhere in ELSEWHERE {
                shapes.push(Shape {
                    container,
                    entry: Entry::Plain,
                    elsewhere,
                });
            }
        }
        for shape in shapes {
            let name = shape.name();
            let outputs = common::outputs(&name, &shape.build(secret), &Settings::default());
            assert_hidden(&name, secret, &outputs);
            checked += 1;
        }
    }
    assert!(checked > 500, "{checked}");
}

/// The masked report still says what is wrong and where: the misspelt `KeySize` of every shape
/// that parses is reported, at a line (text) or a key path (binary and signed).
#[test]
fn masked_reports_still_say_what_and_where() {
    // A payload escaped twice is no export Jamf Pro writes: it does not parse (SCEP000), and
    // is only here to show its secret stays hidden.
    for container in CONTAINERS
        .into_iter()
        .filter(|c| *c != Container::JamfXmlDouble)
    {
        let shape = Shape {
            container,
            entry: Entry::Plain,
            elsewhere: Elsewhere::Subject,
        };
        let outputs = common::outputs(
            &shape.name(),
            &shape.build(SECRETS[0]),
            &Settings::default(),
        );
        let json = &outputs.iter().find(|(f, _)| f == "Json").unwrap().1;
        let report: serde_json::Value = serde_json::from_str(json).unwrap();
        let key_size = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == "SCEP003")
            .unwrap_or_else(|| panic!("{container:?}: {json}"));
        let binary = matches!(
            container,
            Container::Binary | Container::SignedDer | Container::SignedBer
        );
        if binary {
            assert!(
                key_size["key_path"]
                    .as_str()
                    .unwrap()
                    .to_lowercase()
                    .ends_with("keysize")
            );
        } else {
            assert!(key_size["line"].as_u64().is_some(), "{container:?}");
            assert!(key_size["column"].as_u64().is_some(), "{container:?}");
        }
        // The Subject quoted in a message is masked, not dropped.
        let human = &outputs.iter().find(|(f, _)| f == "Human").unwrap().1;
        assert!(human.contains("SCEP003"), "{human}");
    }
}

/// A secret over several lines, in a file that does not parse: no line of it shows.
#[test]
fn a_multi_line_secret_in_a_broken_file_stays_hidden() {
    let secret = "alpha-Line-One-77\nbravo-Line-Two-88\ncharlie-Line-3-99";
    for container in [Container::Xml, Container::JamfXml, Container::KandjiJson] {
        let plist = shapes::plist_xml(secret, Entry::Plain, Elsewhere::Nowhere);
        // Cut inside the secret's last line: the string and the plist are never closed.
        let cut = plist.find("charlie-Line").unwrap() + 10;
        let bytes = shapes::wrap(container, &plist[..cut]);
        let outputs = common::outputs("broken.mobileconfig", &bytes, &Settings::default());
        assert_hidden("broken", secret, &outputs);
        let human = &outputs.iter().find(|(f, _)| f == "Human").unwrap().1;
        assert!(human.contains("SCEP000"), "{human}");
        assert!(
            !human.contains("bravo") && !human.contains("charlie"),
            "{human}"
        );
    }
}

/// A literal challenge shaped like a variable that the profile's MDM does not define is sent as
/// written: a secret, never quoted as a variable name.
#[test]
fn a_challenge_shaped_like_an_undefined_variable_is_a_secret() {
    for secret in [
        "%QZWVALUE42%",
        "{{QZWVALUE42}}",
        "$QZWVALUE42",
        "{QZWVALUE42}",
    ] {
        for container in [Container::Xml, Container::JamfXml, Container::KandjiJson] {
            let shape = Shape {
                container,
                entry: Entry::Plain,
                elsewhere: Elsewhere::Nowhere,
            };
            let outputs =
                common::outputs(&shape.name(), &shape.build(secret), &Settings::default());
            assert_hidden(secret, secret, &outputs);
            let concise = &outputs.iter().find(|(f, _)| f == "Concise").unwrap().1;
            assert!(
                concise.contains("SCEP018"),
                "{secret}: a literal secret\n{concise}"
            );
        }
    }
}

/// A challenge of another type (a number, a date) is hidden, and messages name only its type.
#[test]
fn challenges_that_are_not_strings_are_hidden() {
    for (element, value) in [
        ("integer", "98765432101234"),
        ("real", "31415926.535"),
        ("date", "2031-07-04T12:34:56Z"),
    ] {
        let plist = shapes::plist_xml("placeholder-x", Entry::Plain, Elsewhere::Nowhere).replace(
            "<string>placeholder-x</string>",
            &format!("<{element}>{value}</{element}>"),
        );
        let outputs = common::outputs("typed.mobileconfig", plist.as_bytes(), &Settings::default());
        assert_hidden(element, value, &outputs);
        let concise = &outputs.iter().find(|(f, _)| f == "Concise").unwrap().1;
        assert!(
            concise.contains(&format!("a value of type {element}")),
            "{concise}"
        );
    }
}
