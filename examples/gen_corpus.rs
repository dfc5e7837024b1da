//! Writes a benchmark corpus: N SCEP profiles of every input kind sceplint reads, good and bad,
//! plus M unrelated files around them, as a repository that keeps its MDM exports next to other
//! code would.
//!
//!     cargo run --release --example gen_corpus -- OUT_DIR [--profiles N] [--unrelated M]
//!
//! The profiles are the project's fixtures (every rule's failing and passing files, every input
//! format: XML in UTF-8 and UTF-16, binary, CMS-signed in DER and BER, Jamf Pro XML and JSON,
//! Kandji/Iru JSON, Intune JSON single and listed, and a few broken files), cycled, each copy
//! with UUIDs of its own so that copies are not duplicates of one another. The unrelated files
//! are source code, text, JSON and plists that hold no SCEP payload. The output is the same for
//! the same arguments.
// Test and tool code, not sceplint's output: it may print directly.
#![allow(clippy::disallowed_macros)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use regex::bytes::Regex;

const USAGE: &str = "usage: gen_corpus OUT_DIR [--profiles N] [--unrelated M]";

struct Args {
    out: PathBuf,
    profiles: usize,
    unrelated: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let mut out = None;
    let mut profiles = 10_000;
    let mut unrelated = 0;
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<usize, String> {
            args.next()
                .and_then(|v| v.replace('_', "").parse().ok())
                .ok_or_else(|| format!("{name} needs a number\n{USAGE}"))
        };
        match arg.as_str() {
            "--profiles" => profiles = number("--profiles")?,
            "--unrelated" => unrelated = number("--unrelated")?,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            _ if out.is_none() && !arg.starts_with('-') => out = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument `{arg}`\n{USAGE}")),
        }
    }
    Ok(Args {
        out: out.ok_or(USAGE)?,
        profiles,
        unrelated,
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match generate(&args) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            ExitCode::FAILURE
        }
    }
}

fn generate(args: &Args) -> std::io::Result<String> {
    if args.out.exists() {
        fs::remove_dir_all(&args.out)?;
    }
    let templates = templates()?;
    let mut random = SplitMix(0x5CE9_u64);
    let mut bytes = 0u64;
    for n in 0..args.profiles {
        let (name, template) = &templates[n % templates.len()];
        let content = with_own_uuids(template, &mut random);
        let dir = args.out.join("profiles").join(format!("{:03}", n / 100));
        fs::create_dir_all(&dir)?;
        bytes += content.len() as u64;
        fs::write(dir.join(format!("{n:05}-{name}")), content)?;
    }
    let mut other_bytes = 0u64;
    for n in 0..args.unrelated {
        let (extension, content) = unrelated_file(n);
        let dir = args
            .out
            .join("src")
            .join(format!("{:02}", n / 10_000))
            .join(format!("{:03}", n / 100 % 100));
        fs::create_dir_all(&dir)?;
        other_bytes += content.len() as u64;
        fs::write(dir.join(format!("file{n:06}.{extension}")), content)?;
    }
    Ok(format!(
        "wrote {} profiles ({:.1} MB, from {} templates) and {} unrelated files ({:.1} MB) under {}",
        args.profiles,
        bytes as f64 / 1e6,
        templates.len(),
        args.unrelated,
        other_bytes as f64 / 1e6,
        args.out.display()
    ))
}

/// Every fixture that holds a profile or export, by a file name that keeps its extension. A
/// few broken files stay in (one in a hundred copies or so), as in any real backup.
fn templates() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut files = Vec::new();
    collect(&root, &mut files)?;
    files.sort();
    let mut templates = Vec::new();
    for path in files {
        let relative = path.strip_prefix(&root).unwrap_or(&path);
        let group = relative
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let keep = matches!(extension, "mobileconfig" | "xml" | "json" | "plist")
            && match group.as_str() {
                "config-errors" | "unused-suppression" => false,
                // One broken file of the many kinds: the rest would crowd the corpus.
                "parse-error" => relative.ends_with("truncated.mobileconfig"),
                _ => true,
            };
        if keep {
            let name = relative.to_string_lossy().replace(['/', '\\'], "-");
            templates.push((name, fs::read(&path)?));
        }
    }
    Ok(templates)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// `template` with every UUID replaced by a fresh one of the same length and case, in ASCII and
/// in UTF-16, so CMS and binary plist lengths stay valid.
fn with_own_uuids(template: &[u8], random: &mut SplitMix) -> Vec<u8> {
    static ASCII: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
        Regex::new(
            r"(?-u)[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}",
        )
        .expect("a valid pattern")
    });
    let utf16 = match template {
        [0xFF, 0xFE, ..] => Some(true),
        [0xFE, 0xFF, ..] => Some(false),
        _ => None,
    };
    let Some(little_endian) = utf16 else {
        return ASCII
            .replace_all(template, |found: &regex::bytes::Captures<'_>| {
                random.uuid_like(&found[0])
            })
            .into_owned();
    };
    // Take every other byte as ASCII (non-ASCII code units become a byte no UUID holds),
    // replace there, and write the new characters back into the same code units.
    let mut out = template.to_vec();
    let low = usize::from(!little_endian);
    let narrow: Vec<u8> = template[2..]
        .chunks_exact(2)
        .map(|unit| if unit[1 - low] == 0 { unit[low] } else { b'?' })
        .collect();
    for found in ASCII.find_iter(&narrow) {
        let fresh = random.uuid_like(found.as_bytes());
        for (k, byte) in fresh.into_iter().enumerate() {
            out[2 + (found.start() + k) * 2 + low] = byte;
        }
    }
    out
}

/// A small, seeded generator: the corpus must be the same on every run.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Random hex digits in the shape (dashes, case) of `like`.
    fn uuid_like(&mut self, like: &[u8]) -> Vec<u8> {
        let lower = like.iter().any(u8::is_ascii_lowercase);
        let digits = if lower {
            b"0123456789abcdef"
        } else {
            b"0123456789ABCDEF"
        };
        let mut bits = 0u64;
        let mut left = 0;
        like.iter()
            .map(|&c| {
                if c == b'-' {
                    return c;
                }
                if left == 0 {
                    bits = self.next();
                    left = 16;
                }
                left -= 1;
                let digit = digits[(bits & 0xF) as usize];
                bits >>= 4;
                digit
            })
            .collect()
    }
}

/// The `n`th unrelated file: its extension and content. Most are skipped by name; the JSON,
/// XML and plist ones are read and sniffed, since only their content says they hold no SCEP.
fn unrelated_file(n: usize) -> (&'static str, Vec<u8>) {
    let body = match n % 10 {
        0..=3 => (
            "rs",
            format!(
                "//! Module {n}.\n\npub fn value_{n}(x: u64) -> u64 {{\n    x.wrapping_mul({n}) ^ 0x5ce9\n}}\n\n#[cfg(test)]\nmod tests {{\n    #[test]\n    fn it_works() {{\n        assert_eq!(super::value_{n}(0), 0x5ce9);\n    }}\n}}\n"
            ),
        ),
        4 | 5 => (
            "py",
            format!(
                "\"\"\"Helper {n}.\"\"\"\n\nimport json\n\n\ndef load_{n}(path):\n    with open(path) as f:\n        return json.load(f)\n"
            ),
        ),
        6 => (
            "md",
            format!("# Note {n}\n\nSee the runbook for how profiles are promoted.\n"),
        ),
        7 => (
            "json",
            format!(
                "{{\n  \"name\": \"package-{n}\",\n  \"version\": \"1.0.{n}\",\n  \"private\": true,\n  \"scripts\": {{ \"test\": \"node test.js\" }}\n}}\n"
            ),
        ),
        8 => (
            "plist",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\">\n<dict>\n\t<key>CFBundleIdentifier</key>\n\t<string>com.example.tool{n}</string>\n\t<key>CFBundleVersion</key>\n\t<string>{n}</string>\n</dict>\n</plist>\n"
            ),
        ),
        _ => (
            "xml",
            format!(
                "<?xml version=\"1.0\"?>\n<project>\n  <modelVersion>4.0.0</modelVersion>\n  <artifactId>module-{n}</artifactId>\n</project>\n"
            ),
        ),
    };
    (body.0, body.1.into_bytes())
}
