//! Applying fixes to files: the edits of the findings a run allows (`--fix`: safe ones;
//! `--unsafe-fixes`: unsafe ones too), re-checked until nothing more changes. Only the edited
//! bytes change: formatting, line endings, the byte-order mark and the encoding (UTF-16 stays
//! UTF-16) are kept. Signed and binary profiles have no text to edit, so they are never
//! modified; nor is anything a fix did not name.

use crate::container::encoding::{self, TextEncoding};
use crate::diagnostic::DiagnosticFix;
use crate::engine::{self, FileReport, Settings};
use crate::model::Applicability;

/// How many rounds of fixing and re-checking one file gets at most.
pub const MAX_ROUNDS: usize = 10;

/// The fixes of `report` at or above `threshold`, in file order, none with an edit that
/// overlaps another's (the rest wait for the next round).
pub fn applicable(report: &FileReport, threshold: Applicability) -> Vec<&DiagnosticFix> {
    let mut fixes: Vec<&DiagnosticFix> = report
        .diagnostics
        .iter()
        .filter_map(|d| d.fix.as_deref())
        .filter(|f| f.applicability >= threshold && !f.edits.is_empty())
        .collect();
    fixes.sort_by_key(|f| f.edits.iter().map(|e| e.start).min());
    let mut kept: Vec<&DiagnosticFix> = Vec::new();
    let overlaps = |a: &crate::diagnostic::Edit, b: &crate::diagnostic::Edit| {
        a.start < b.end && b.start < a.end
            || (a.start == b.start && (a.start == a.end) != (b.start == b.end))
    };
    for fix in fixes {
        let clashes = kept
            .iter()
            .flat_map(|k| &k.edits)
            .any(|taken| fix.edits.iter().any(|edit| overlaps(edit, taken)));
        if !clashes {
            kept.push(fix);
        }
    }
    kept
}

/// `text` with every edit of `fixes` made (they must not overlap).
pub fn apply(text: &str, fixes: &[&DiagnosticFix]) -> Option<String> {
    let mut edits: Vec<_> = fixes.iter().flat_map(|f| &f.edits).collect();
    edits.sort_by_key(|e| e.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in edits {
        if edit.start < at || edit.end > text.len() {
            return None;
        }
        out.push_str(text.get(at..edit.start)?);
        out.push_str(&edit.content);
        at = edit.end;
    }
    out.push_str(text.get(at..)?);
    Some(out)
}

/// `text` encoded as `original` was: the same encoding and byte-order mark. `None` for input
/// that is not text (binary plists, signed profiles).
pub fn encode_like(original: &[u8], text: &str) -> Option<Vec<u8>> {
    let (_, detected) = encoding::decode(original).ok()?;
    let has_bom = original.starts_with(b"\xEF\xBB\xBF")
        || original.starts_with(b"\xFF\xFE")
        || original.starts_with(b"\xFE\xFF");
    Some(match detected {
        TextEncoding::Utf8 => text.as_bytes().to_vec(),
        TextEncoding::Utf8Bom => [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat(),
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
            let little = detected == TextEncoding::Utf16Le;
            let mut bytes = Vec::with_capacity(text.len() * 2 + 2);
            if has_bom {
                bytes.extend(if little { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
            }
            for unit in text.encode_utf16() {
                bytes.extend(if little {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                });
            }
            bytes
        }
    })
}

/// What fixing one file did.
#[derive(Debug, Default)]
pub struct Fixed {
    /// The file's new bytes, when anything changed.
    pub bytes: Option<Vec<u8>>,
    /// Findings fixed.
    pub count: usize,
    /// The file's text before and after, for `--diff`.
    pub before: String,
    pub after: String,
    /// The file's secrets, to hide in what is printed of it: those the run's redactor searches
    /// for, and those too short for it, which `diff` masks itself.
    pub secrets: Vec<String>,
    pub short_secrets: Vec<String>,
    /// Whether `before` and `after` are a binary plist shown as XML.
    pub binary: bool,
    /// Whether fixes were left after [`MAX_ROUNDS`] rounds (run `--fix` again).
    pub unfinished: bool,
}

/// Fixes `bytes` (the file at `path`) as far as the allowed fixes go, re-checking after each
/// round. The challenge and every byte no fix names stay as they were.
pub fn fix_file(path: &str, bytes: &[u8], settings: &Settings, threshold: Applicability) -> Fixed {
    let Ok((text, _)) = encoding::decode(bytes) else {
        return Fixed::default();
    };
    if bytes.starts_with(b"bplist") || crate::container::cms::looks_like_cms(bytes) {
        return Fixed::default();
    }
    let before = text.into_owned();
    let mut current = before.clone();
    let mut count = 0;
    let mut secrets = Vec::new();
    let mut short_secrets = Vec::new();
    // Whether the rounds ran out while fixes were still being made.
    let mut unfinished = false;
    for _ in 0..MAX_ROUNDS {
        unfinished = false;
        let Some(encoded) = encode_like(bytes, &current) else {
            break;
        };
        let report = engine::check_bytes(path, &encoded, settings);
        secrets.extend(report.secrets.iter().cloned());
        short_secrets.extend(report.short_secrets.iter().cloned());
        let fixes = applicable(&report, threshold);
        if fixes.is_empty() {
            break;
        }
        let Some(next) = apply(&current, &fixes) else {
            break;
        };
        if next == current {
            break;
        }
        count += fixes.len();
        current = next;
        unfinished = true;
    }
    if current == before {
        return Fixed {
            before,
            secrets,
            short_secrets,
            ..Fixed::default()
        };
    }
    if unfinished {
        // The last round still fixed something: check once more whether anything is left.
        let more = encode_like(bytes, &current)
            .map(|encoded| engine::check_bytes(path, &encoded, settings))
            .is_some_and(|report| !applicable(&report, threshold).is_empty());
        unfinished = more;
    }
    Fixed {
        bytes: encode_like(bytes, &current),
        count,
        after: current,
        before,
        secrets,
        short_secrets,
        binary: false,
        unfinished,
    }
}

/// Fixes a binary plist (not a signed one) by way of its XML form, then writes it anew as a
/// binary plist: every byte of the file changes, which is why only `--rewrite-binary` asks for
/// it. `None` for input that is not a binary plist sceplint reads in full; `before` and
/// `after` are the XML forms, for `--diff`.
pub fn fix_binary_plist(
    path: &str,
    bytes: &[u8],
    settings: &Settings,
    threshold: Applicability,
) -> Option<Fixed> {
    if !bytes.starts_with(b"bplist") {
        return None;
    }
    // Only a file sceplint's bounded reader took in full: the plist crate's own reader does not
    // bound shared objects, and this one has been shown not to need it.
    if engine::check_bytes(path, bytes, settings).status != engine::FileStatus::Checked {
        return None;
    }
    let value = plist::Value::from_reader(std::io::Cursor::new(bytes)).ok()?;
    let mut xml = Vec::new();
    value.to_writer_xml(&mut xml).ok()?;
    let mut fixed = fix_file(path, &xml, settings, threshold);
    fixed.binary = true;
    if let Some(new_xml) = fixed.bytes.take() {
        let value = plist::Value::from_reader_xml(std::io::Cursor::new(new_xml)).ok()?;
        let mut binary = Vec::new();
        value.to_writer_binary(&mut binary).ok()?;
        fixed.bytes = Some(binary);
    }
    Some(fixed)
}

/// `--diff` for one fixed file: the unified diff, with the secrets too short for the run's
/// redactor masked here, as written and in the escapes a file may hold them in (the output
/// masks the others).
pub fn masked_diff(path: &str, fixed: &Fixed) -> String {
    let mut diff = unified_diff(path, &fixed.before, &fixed.after);
    let xml = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&apos;")
    };
    let json = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    for secret in &fixed.short_secrets {
        for form in [
            secret.clone(),
            xml(secret),
            xml(&xml(secret)),
            json(secret),
            json(&xml(secret)),
        ] {
            if !form.is_empty() && diff.contains(&form) {
                diff = diff.replace(&form, &"*".repeat(form.chars().count()));
            }
        }
    }
    diff
}

/// A unified diff of a file's text before and after fixing, under its path.
pub fn unified_diff(path: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Edit;

    fn fix(start: usize, end: usize, content: &str) -> DiagnosticFix {
        DiagnosticFix {
            applicability: Applicability::Safe,
            title: "t".into(),
            edits: vec![Edit {
                start,
                end,
                content: content.to_owned(),
            }],
            carries_secret: false,
        }
    }

    #[test]
    fn edits_apply_in_order_and_keep_the_rest() {
        let text = "a 1024 b true c";
        let fixes = [fix(2, 6, "2048"), fix(9, 13, "false")];
        let refs: Vec<&DiagnosticFix> = fixes.iter().collect();
        assert_eq!(apply(text, &refs).as_deref(), Some("a 2048 b false c"));
    }

    #[test]
    fn utf16_and_boms_are_kept() {
        let text = "<plist>é</plist>\r\n";
        for original in [
            [
                &b"\xFF\xFE"[..],
                &text
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes)
                    .collect::<Vec<_>>(),
            ]
            .concat(),
            [
                &b"\xFE\xFF"[..],
                &text
                    .encode_utf16()
                    .flat_map(u16::to_be_bytes)
                    .collect::<Vec<_>>(),
            ]
            .concat(),
            [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat(),
            text.as_bytes().to_vec(),
        ] {
            assert_eq!(encode_like(&original, text).as_deref(), Some(&original[..]));
        }
    }
}
