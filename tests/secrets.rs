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
        secrets.contains("kX9#fixture-Static-Secret-4Q"),
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
    let secret = "kX9#fixture-Static-Secret-4Q";
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
