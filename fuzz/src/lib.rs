//! Helpers shared by the fuzz targets: the settings every target uses, the invariants every
//! report must satisfy, and the wrappers that put fuzz input into Jamf and Kandji export shapes.

use std::sync::LazyLock;

use sceplint::container::Limits;
use sceplint::container::escape::OffsetMap;
use sceplint::engine::{self, FileReport, Settings};

pub static SETTINGS: LazyLock<Settings> = LazyLock::new(Settings::default);
pub static LIMITS: LazyLock<Limits> = LazyLock::new(Limits::default);

/// Runs the whole pipeline on `bytes` and checks the invariants of the report.
pub fn check(path: &str, bytes: &[u8]) -> FileReport {
    let report = engine::check_bytes(path, bytes, &SETTINGS);
    assert_invariants(&report);
    report
}

/// Every positioned diagnostic is 1-based, in line and column, at its start and its end.
pub fn assert_invariants(report: &FileReport) {
    for d in &report.diagnostics {
        if let Some(line) = d.line {
            assert!(line >= 1, "line {line} < 1 in {d:?}");
            let column = d.column.expect("a diagnostic with a line has a column");
            assert!(column >= 1, "column {column} < 1 in {d:?}");
        }
        if let Some(end_line) = d.end_line {
            assert!(end_line >= 1, "end_line {end_line} < 1 in {d:?}");
            let end_column = d
                .end_column
                .expect("a diagnostic with an end line has an end column");
            assert!(end_column >= 1, "end_column {end_column} < 1 in {d:?}");
        }
    }
}

/// Every offset of the decoded text maps into the raw text it came from, in order.
pub fn assert_offset_map(map: &OffsetMap, decoded: &str, outer_start: usize, raw_len: usize) {
    let mut previous = outer_start;
    for offset in (0..=decoded.len()).filter(|&o| decoded.is_char_boundary(o)) {
        let outer = map.offset(offset);
        assert!(
            (outer_start..=outer_start + raw_len).contains(&outer),
            "decoded offset {offset} maps to {outer}, outside {outer_start}..={}",
            outer_start + raw_len
        );
        assert!(
            outer >= previous,
            "decoded offset {offset} maps to {outer}, before the previous offset's {previous}"
        );
        previous = outer;
    }
}

/// XML character data for `text`: the three characters that matter escaped.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// The first byte picks how to wrap the rest; returns the selector and the rest.
pub fn split_mode(data: &[u8]) -> Option<(u8, &[u8])> {
    let (&mode, rest) = data.split_first()?;
    Some((mode, rest))
}

/// A JSON string literal holding `text`.
pub fn json_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serialises")
}
