//! Property tests: whatever the bytes, checking gives findings or a SCEP000, every report format
//! renders, and nothing panics. The fuzz targets in `fuzz/` go deeper and longer; these run in
//! every `cargo test`.

mod common;

use std::path::PathBuf;
use std::sync::LazyLock;

use proptest::prelude::*;
use sceplint::engine::{FileReport, FileStatus, Settings, check_bytes};
use sceplint::render::Format;

use clap::ValueEnum;
use common::shapes::{self, CONTAINERS, Container, ELSEWHERE, ENTRIES, Entry, Shape};

/// One fixture of each input kind, as bytes to mutate.
static SEEDS: LazyLock<Vec<(String, Vec<u8>)>> = LazyLock::new(|| {
    [
        "formats/xml-utf8.mobileconfig",
        "formats/xml-utf16le.mobileconfig",
        "formats/binary.mobileconfig",
        "formats/signed-der.mobileconfig",
        "formats/signed-ber.mobileconfig",
        "formats/jamf-api.xml",
        "formats/jamf-api.json",
        "formats/kandji-api.json",
        "formats/intune-list.json",
        "clean/intune-windows.json",
        "unused-suppression/generic-pass.mobileconfig",
    ]
    .iter()
    .map(|name| {
        let path: PathBuf = common::fixture_dir("").join(name);
        (name.to_string(), std::fs::read(path).unwrap())
    })
    .collect()
});

/// Checks `bytes` and renders the report in every format; panics propagate to proptest.
fn check_and_render(name: &str, bytes: &[u8]) -> (FileReport, Vec<String>) {
    let report = check_bytes(name, bytes, &Settings::default());
    if report.status == FileStatus::Unreadable {
        assert!(
            report.diagnostics.iter().any(|d| d.code == "SCEP000"),
            "an unreadable file says why"
        );
    }
    for d in &report.diagnostics {
        assert!(!d.message.is_empty() && !d.help.is_empty(), "{d:?}");
    }
    let rendered = Format::value_variants()
        .iter()
        .map(|format| common::render(*format, vec![report.clone()]))
        .collect();
    (report, rendered)
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, bit: u8 },
    Delete { at: usize, len: usize },
    Insert { at: usize, bytes: Vec<u8> },
    Duplicate { at: usize, len: usize },
    Truncate { at: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<usize>();
    prop_oneof![
        (at, 0u8..8).prop_map(|(at, bit)| Mutation::Flip { at, bit }),
        (at, 1usize..64).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (
            at,
            prop::collection::vec(
                prop_oneof![
                    any::<u8>(),
                    Just(b'<'),
                    Just(b'>'),
                    Just(b'"'),
                    Just(b'&'),
                    Just(b'\\'),
                    Just(b'{'),
                    Just(b'['),
                    Just(0x80)
                ],
                1..16
            )
        )
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (at, 1usize..256).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
        at.prop_map(|at| Mutation::Truncate { at }),
    ]
}

/// Applies `mutation` outside `keep` (a byte range left intact), if it can.
fn apply(bytes: &mut Vec<u8>, mutation: &Mutation, keep: Option<std::ops::Range<usize>>) {
    if bytes.is_empty() {
        return;
    }
    let spot = |at: usize| at % bytes.len();
    let clear =
        |from: usize, to: usize| keep.as_ref().is_none_or(|k| to <= k.start || from >= k.end);
    match mutation {
        Mutation::Flip { at, bit } => {
            let at = spot(*at);
            if clear(at, at + 1) {
                bytes[at] ^= 1 << bit;
            }
        }
        Mutation::Delete { at, len } => {
            let at = spot(*at);
            let end = (at + len).min(bytes.len());
            if clear(at, end) {
                bytes.drain(at..end);
            }
        }
        Mutation::Insert { at, bytes: new } => {
            let at = spot(*at);
            if clear(at, at) {
                bytes.splice(at..at, new.iter().copied());
            }
        }
        Mutation::Duplicate { at, len } => {
            let at = spot(*at);
            let end = (at + len).min(bytes.len());
            if clear(at, end) {
                let copy = bytes[at..end].to_vec();
                bytes.splice(end..end, copy);
            }
        }
        Mutation::Truncate { at } => {
            let at = spot(*at);
            if clear(at, bytes.len()) {
                bytes.truncate(at);
            }
        }
    }
}

/// A secret of 1 to 200 characters: printable ASCII, weighted towards the characters markup,
/// escapes and variables use, with non-ASCII characters and line breaks.
fn secret() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            6 => prop::char::range('!', '~'),
            3 => prop::sample::select(vec!['<', '>', '&', '"', '\'', '\\', '%', '{', '}', '$', ' ', '`']),
            1 => prop::sample::select(vec!['é', 'ß', 'Ж', '中', '😀', '§', '\u{a0}']),
            1 => Just('\n'),
        ],
        1..=200,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

/// Containers whose text holds the secret as one run of (escaped) characters, so that mutations
/// can be kept off it: mutating the secret itself would make another secret.
const MUTABLE: [Container; 4] = [
    Container::Xml,
    Container::JamfXml,
    Container::JamfJson,
    Container::KandjiJson,
];

/// The byte ranges a mutation must leave alone: every place the secret (each of its lines, in
/// each escaping the containers use) and the challenge key are written.
fn protected(bytes: &[u8], secret: &str, entry: Entry) -> Vec<std::ops::Range<usize>> {
    let mut needles: Vec<String> = Vec::new();
    for part in secret.split('\n').chain([secret]) {
        let xml = shapes::xml_escape(part);
        needles.extend([
            part.to_owned(),
            part.replace("--", "- -"),
            xml.clone(),
            shapes::xml_escape(&xml),
            shapes::json_escape(part),
            shapes::json_escape(&xml),
        ]);
    }
    needles.push(match entry {
        Entry::Misspelt(key) => key.to_owned(),
        _ => "Challenge".to_owned(),
    });
    let mut ranges = Vec::new();
    for needle in needles.iter().filter(|n| !n.is_empty()) {
        let mut from = 0;
        while let Some(at) = find(&bytes[from..], needle.as_bytes()) {
            ranges.push(from + at..from + at + needle.len());
            from += at + 1;
        }
    }
    ranges
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_bytes_give_findings_or_a_parse_error(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check_and_render("any.mobileconfig", &bytes);
    }

    #[test]
    fn bytes_behind_a_real_header_give_findings_or_a_parse_error(
        header in prop_oneof![
            Just(&b"<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>PayloadContent</key><array><dict>"[..]),
            Just(&b"bplist00"[..]),
            Just(&b"\x30\x80\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02\xa0\x80"[..]),
            Just(&b"{\"@odata.type\": \"#microsoft.graph.windows81SCEPCertificateProfile\", "[..]),
            Just(&b"<?xml version=\"1.0\"?><os_x_configuration_profile><general><payloads>"[..]),
            Just(&b"{\"profile\": \"<plist><dict>"[..]),
            Just(&b"\xff\xfe<\x00?\x00x\x00m\x00l\x00"[..]),
        ],
        tail in prop::collection::vec(any::<u8>(), 0..1024),
    ) {
        let bytes = [header, &tail[..]].concat();
        check_and_render("header.mobileconfig", &bytes);
    }

    #[test]
    fn mutated_fixtures_give_findings_or_a_parse_error(
        seed in 0usize..64,
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let (name, original) = &SEEDS[seed % SEEDS.len()];
        let mut bytes = original.clone();
        for m in &mutations {
            apply(&mut bytes, m, None);
        }
        check_and_render(name, &bytes);
    }

    /// A secret planted in any shape (any container, the challenge valid, misspelt, mistyped
    /// or in odd markup, the same text elsewhere), then the file mutated around it or cut
    /// anywhere: no output of any format, nor the baseline, holds a 6-character piece of it.
    #[test]
    fn planted_secrets_never_show(
        secret in secret(),
        container in prop::sample::select(CONTAINERS.to_vec()),
        entry in prop::sample::select(ENTRIES.to_vec()),
        elsewhere in prop::sample::select(ELSEWHERE.to_vec()),
        mutations in prop::collection::vec(mutation(), 0..4),
        cut in prop::option::weighted(0.2, any::<usize>()),
    ) {
        let shape = Shape { container, entry, elsewhere };
        let mut bytes = shape.build(&secret);
        // A secret written as character references or base64 is not one run of text the
        // mutations could be kept off.
        let contiguous = !matches!(entry, Entry::CharacterReferences | Entry::Data);
        if MUTABLE.contains(&container) && contiguous {
            for m in &mutations {
                let keep = protected(&bytes, &secret, entry);
                apply_outside(&mut bytes, m, &keep);
            }
        }
        if let Some(cut) = cut {
            let at = cut % (bytes.len() + 1);
            bytes.truncate(at);
        }
        let outputs = common::outputs(&shape.name(), &bytes, &sceplint::engine::Settings::default());
        for (format, text) in &outputs {
            for part in secret.split('\n').chain([secret.as_str()]) {
                prop_assert!(
                    shapes::piece_in(part, text).is_none(),
                    "{} {}: `{:?}` shows in\n{}",
                    shape.name(),
                    format,
                    shapes::piece_in(part, text),
                    text
                );
            }
        }
    }
}

/// Applies `mutation` unless it would touch one of `keep`.
fn apply_outside(bytes: &mut Vec<u8>, mutation: &Mutation, keep: &[std::ops::Range<usize>]) {
    if bytes.is_empty() {
        return;
    }
    let spot = |at: usize| at % bytes.len();
    let (from, to) = match mutation {
        Mutation::Flip { at, .. } => (spot(*at), spot(*at) + 1),
        Mutation::Delete { at, len } | Mutation::Duplicate { at, len } => {
            (spot(*at), (spot(*at) + len).min(bytes.len()))
        }
        Mutation::Insert { at, .. } => (spot(*at), spot(*at)),
        Mutation::Truncate { at } => (spot(*at), bytes.len()),
    };
    // Touching a kept range, or inserting inside one, would change the secret or its key.
    if keep.iter().any(|k| from < k.end && to > k.start) {
        return;
    }
    apply(bytes, mutation, None);
}

/// Every input the fuzzers found a problem with (`fuzz/regressions/`, see its README) now gives
/// findings or a SCEP000 and renders.
#[test]
fn fuzz_regressions_give_findings_or_a_parse_error() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (report, _) = check_and_render(&name, &std::fs::read(&path).unwrap());
        assert!(!report.diagnostics.is_empty(), "{name}");
        seen += 1;
    }
    assert!(seen >= 1, "no regression inputs in {}", dir.display());
}
