//! The one way out. Every byte sceplint writes (reports on standard output or in `-o` files,
//! messages on standard error, baselines, `sceplint config`) goes through an [`Output`], which
//! knows the run's secrets and, line by line:
//!
//! - masks every secret, in each form a format could escape it into;
//!   Only where values go, by the stream's [`Syntax`]: a "secret" a file declares can hide text
//!   it matches, but never break a JSON, XML or workflow-command report;
//! - keeps a line from being read as a GitHub Actions workflow command: a line whose text
//!   (after the leading whitespace the runner skips) starts with `::` gets a `\` first, unless
//!   the format means to write commands (`--format github`); `##[`, which the runner's older
//!   syntax finds anywhere in a line, is broken with a zero-width space; a bare carriage return,
//!   which the runner takes for a line break, is written `\r`;
//! - lets no control character through raw, but the colour sequences of a coloured report, and
//!   no invisible character that reorders or hides text (bidirectional overrides, zero widths).
//!
//! Renderers escape and redact what they write too (defence in depth); this layer is what a
//! format or message added later cannot forget. Nothing in the library writes to the standard
//! streams another way: clippy's `disallowed-macros` and `disallowed-methods` (clippy.toml)
//! reject `println!`, `eprintln!`, `std::io::stdout` and `std::io::stderr` outside this file.

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::Path;

use crate::secrets::Redactor;

/// The syntax of what a stream carries: secrets are masked only where values go, so a value
/// that looks like the report's own markup (a hostile "secret" of `"message": {`) can never
/// break the report's structure, and only text a file supplied is ever masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Plain text (the human and concise reports, messages): masked anywhere.
    Text,
    /// JSON (json, sarif, gitlab, baselines): masked inside string literals, escapes whole.
    Json,
    /// XML (junit): masked in character data and attribute values, entities whole.
    Xml,
    /// GitHub workflow commands (`::error file=…,line=…::message`): masked in property values
    /// and messages, `%` escapes whole. The one syntax whose lines may start with `::`.
    Commands,
}

/// How a stream is guarded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub syntax: Syntax,
    /// ANSI colour sequences may pass (a coloured human report).
    pub ansi: bool,
}

impl Policy {
    pub const PLAIN: Policy = Policy {
        syntax: Syntax::Text,
        ansi: false,
    };
}

/// The run's way out, with the secrets it knows of.
#[derive(Debug, Default)]
pub struct Output {
    redactor: Redactor,
}

impl Output {
    pub fn new(redactor: Redactor) -> Self {
        Output { redactor }
    }

    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    #[allow(clippy::disallowed_methods)]
    pub fn stdout(&self, policy: Policy) -> Guarded<'_, io::StdoutLock<'static>> {
        Guarded::new(io::stdout().lock(), &self.redactor, policy)
    }

    #[allow(clippy::disallowed_methods)]
    pub fn stderr(&self) -> Guarded<'_, io::StderrLock<'static>> {
        Guarded::new(io::stderr().lock(), &self.redactor, Policy::PLAIN)
    }

    /// A report or baseline file. It is never written through a symbolic link: a link a pull
    /// request commits where the report goes (`sceplint.sarif`) could point anywhere.
    pub fn create(
        &self,
        path: &Path,
        policy: Policy,
    ) -> io::Result<Guarded<'_, io::BufWriter<std::fs::File>>> {
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(io::Error::other(
                "it is a symbolic link, which sceplint does not write through",
            ));
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NOFOLLOW);
        }
        let file = options.open(path)?;
        Ok(Guarded::new(
            io::BufWriter::new(file),
            &self.redactor,
            policy,
        ))
    }

    /// Any writer, guarded like the run's streams (for reports kept in memory).
    pub fn guard<W: Write>(&self, inner: W, policy: Policy) -> Guarded<'_, W> {
        Guarded::new(inner, &self.redactor, policy)
    }

    /// `sceplint: MESSAGE` on standard error.
    pub fn error(&self, message: impl std::fmt::Display) {
        let mut err = self.stderr();
        let _ = writeln!(err, "sceplint: {message}");
        let _ = err.flush();
    }

    /// Text on standard error, as it is (a rendered configuration error, a note).
    pub fn error_text(&self, text: &str) {
        let mut err = self.stderr();
        let _ = err.write_all(text.as_bytes());
        let _ = err.flush();
    }
}

/// A writer that guards each line before it passes on. Lines are held until complete (a
/// secret is never split across two writes) and written at `flush` or drop otherwise.
pub struct Guarded<'a, W: Write> {
    inner: W,
    redactor: &'a Redactor,
    policy: Policy,
    pending: Vec<u8>,
    /// Where an XML stream is between lines.
    xml: XmlState,
}

impl<'a, W: Write> Guarded<'a, W> {
    pub fn new(inner: W, redactor: &'a Redactor, policy: Policy) -> Self {
        Guarded {
            inner,
            redactor,
            policy,
            pending: Vec::new(),
            xml: XmlState::Text,
        }
    }

    /// Masks the secrets in `line` where its syntax puts values, then guards it.
    fn emit(&mut self, line: &[u8]) -> io::Result<()> {
        let found = self.redactor.ranges(line);
        let masked = if found.is_empty() {
            // Keep the XML state right even when nothing is masked.
            if self.policy.syntax == Syntax::Xml {
                value_regions(line, Syntax::Xml, &mut self.xml);
            }
            Cow::Borrowed(line)
        } else {
            let regions = value_regions(line, self.policy.syntax, &mut self.xml);
            Cow::Owned(mask_within(line, &found, &regions))
        };
        let guarded = guard_line(&masked, self.policy);
        self.inner.write_all(&guarded)
    }
}

/// Where an XML stream is: in character data, inside a tag, or inside an attribute value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum XmlState {
    Text,
    Tag,
    Value(u8),
}

/// A region of a line where a value may be masked, and the units inside it that must be masked
/// whole or not at all (an escape, an entity).
struct Region {
    range: std::ops::Range<usize>,
    units: Vec<std::ops::Range<usize>>,
}

/// The regions of `line` that hold values, by syntax.
fn value_regions(line: &[u8], syntax: Syntax, xml: &mut XmlState) -> Vec<Region> {
    match syntax {
        Syntax::Text => vec![Region {
            range: 0..line.len(),
            units: Vec::new(),
        }],
        Syntax::Json => json_strings(line),
        Syntax::Xml => xml_values(line, xml),
        Syntax::Commands => command_values(line),
    }
}

/// The inside of each JSON string value on a line (pretty JSON keeps strings on one line), with
/// its escapes as units; object keys are structure.
fn json_strings(line: &[u8]) -> Vec<Region> {
    let mut regions = Vec::new();
    let mut i = 0;
    while i < line.len() {
        if line[i] != b'"' {
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut units = Vec::new();
        let mut j = start;
        while j < line.len() && line[j] != b'"' {
            if line[j] == b'\\' {
                let len = if line.get(j + 1) == Some(&b'u') { 6 } else { 2 };
                let end = (j + len).min(line.len());
                units.push(j..end);
                j = end;
            } else {
                j += 1;
            }
        }
        // An object key (followed by a colon) is structure, not a value.
        let is_key = line[(j + 1).min(line.len())..]
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            == Some(&b':');
        if !is_key {
            regions.push(Region {
                range: start..j,
                units,
            });
        }
        i = j + 1;
    }
    regions
}

/// Character data and attribute values of XML, carrying the state from line to line, with
/// entities as units.
fn xml_values(line: &[u8], state: &mut XmlState) -> Vec<Region> {
    let mut regions: Vec<Region> = Vec::new();
    let mut open: Option<usize> = None;
    let close = |regions: &mut Vec<Region>, from: usize, to: usize| {
        if to > from {
            let units = entities(&line[from..to])
                .into_iter()
                .map(|r| from + r.start..from + r.end)
                .collect();
            regions.push(Region {
                range: from..to,
                units,
            });
        }
    };
    if matches!(state, XmlState::Text | XmlState::Value(_)) {
        open = Some(0);
    }
    for (i, &b) in line.iter().enumerate() {
        match (*state, b) {
            (XmlState::Text, b'<') => {
                close(&mut regions, open.take().unwrap_or(i), i);
                *state = XmlState::Tag;
            }
            (XmlState::Tag, b'>') => {
                *state = XmlState::Text;
                open = Some(i + 1);
            }
            (XmlState::Tag, b'"' | b'\'') => {
                *state = XmlState::Value(b);
                open = Some(i + 1);
            }
            (XmlState::Value(quote), b) if b == quote => {
                close(&mut regions, open.take().unwrap_or(i), i);
                *state = XmlState::Tag;
            }
            _ => {}
        }
    }
    if let Some(from) = open {
        close(&mut regions, from, line.len());
    }
    regions
}

/// The `&name;` and `&#…;` entities of a piece of XML text.
fn entities(text: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if text[i] == b'&'
            && let Some(len) = text[i..].iter().take(12).position(|b| *b == b';')
        {
            found.push(i..i + len + 1);
            i += len + 1;
        } else {
            i += 1;
        }
    }
    found
}

/// The property values and the message of a workflow command line, with `%XX` escapes as
/// units; a line that is not a command is text.
fn command_values(line: &[u8]) -> Vec<Region> {
    let percent = |from: usize, to: usize| Region {
        range: from..to,
        units: (from..to)
            .filter(|&i| line[i] == b'%')
            .map(|i| i..(i + 3).min(to))
            .collect(),
    };
    let Some(rest) = line.strip_prefix(b"::") else {
        return vec![percent(0, line.len())];
    };
    let Some(separator) = memchr::memmem::find(rest, b"::") else {
        return vec![percent(0, line.len())];
    };
    let properties_end = 2 + separator;
    let mut regions = Vec::new();
    let mut i = 2;
    // `::name key=value,key=value::`: values run from `=` to `,` or the separator.
    while i < properties_end {
        if line[i] == b'=' {
            let end = line[i..properties_end]
                .iter()
                .position(|b| *b == b',')
                .map_or(properties_end, |p| i + p);
            regions.push(percent(i + 1, end));
            i = end;
        }
        i += 1;
    }
    regions.push(percent(properties_end + 2, line.len()));
    regions
}

/// `line` with each character of every found range that lies inside a region masked, ranges
/// widened to whole units (an escape is masked whole or not at all).
fn mask_within(line: &[u8], found: &[std::ops::Range<usize>], regions: &[Region]) -> Vec<u8> {
    let mut hide = vec![false; line.len()];
    for region in regions {
        for range in found {
            let from = range.start.max(region.range.start);
            let to = range.end.min(region.range.end);
            if from >= to {
                continue;
            }
            let (mut from, mut to) = (from, to);
            for unit in &region.units {
                if unit.start < to && unit.end > from {
                    from = from.min(unit.start);
                    to = to.max(unit.end);
                }
            }
            hide[from..to].fill(true);
        }
    }
    let mut out = Vec::with_capacity(line.len());
    let mut i = 0;
    while i < line.len() {
        let len = utf8_len(line[i]).min(line.len() - i);
        if hide[i..i + len].iter().any(|h| *h) {
            out.push(b'*');
        } else {
            out.extend_from_slice(&line[i..i + len]);
        }
        i += len;
    }
    out
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xF7 => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

impl<W: Write> Write for Guarded<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let Some(last_newline) = memchr::memrchr(b'\n', &self.pending) else {
            return Ok(buf.len());
        };
        let complete: Vec<u8> = self.pending.drain(..=last_newline).collect();
        // A secret never spans a line break (file text in reports is escaped), so the lines
        // are masked one by one; when none holds a secret they pass in one write.
        if self.redactor.ranges(&complete).is_empty() && self.policy.syntax != Syntax::Xml {
            let mut guarded = Vec::new();
            let mut changed = false;
            for line in complete.split_inclusive(|b| *b == b'\n') {
                match guard_line(line, self.policy) {
                    Cow::Borrowed(_) if !changed => {}
                    other => {
                        if !changed {
                            changed = true;
                            let done = line.as_ptr() as usize - complete.as_ptr() as usize;
                            guarded.extend_from_slice(&complete[..done]);
                        }
                        guarded.extend_from_slice(&other);
                    }
                }
            }
            return self
                .inner
                .write_all(if changed { &guarded } else { &complete })
                .map(|()| buf.len());
        }
        for line in complete.split_inclusive(|b| *b == b'\n') {
            self.emit(line)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            self.emit(&rest)?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for Guarded<'_, W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// One line (with its `\n`, if it has one) made safe for a terminal and a CI log.
pub fn guard_line(line: &[u8], policy: Policy) -> Cow<'_, [u8]> {
    let needs_work = line.iter().any(|b| {
        (*b < 0x20 && *b != b'\t' && *b != b'\n')
            || *b == 0x7f
            || *b == 0xc2
            || *b == 0xe2
            || *b == 0xef
    }) || memchr::memmem::find(line, b"##").is_some()
        || (policy.syntax != Syntax::Commands && starts_command(line));
    if !needs_work {
        return Cow::Borrowed(line);
    }
    let mut out = Vec::with_capacity(line.len() + 8);
    if policy.syntax != Syntax::Commands && starts_command(line) {
        out.push(b'\\');
    }
    let mut i = 0;
    while i < line.len() {
        let b = line[i];
        match b {
            b'\r' if i + 2 == line.len() && line[i + 1] == b'\n' => out.push(b),
            b'\r' => out.extend_from_slice(b"\\r"),
            0x1b if policy.ansi => out.push(b),
            b'\t' | b'\n' => out.push(b),
            0x00..=0x1f | 0x7f => out.extend_from_slice("\u{FFFD}".as_bytes()),
            0xc2 if line.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)) => {
                out.extend_from_slice("\u{FFFD}".as_bytes());
                i += 1;
            }
            b'#' if line[i..].starts_with(b"##[") || line[i..].starts_with(b"##vso[") => {
                out.extend_from_slice("##\u{200B}".as_bytes());
                i += 1;
            }
            // Invisible characters that reorder or hide text (U+200B to U+200F, U+2028 to
            // U+202E, U+2066 to U+2069, U+FEFF) become U+FFFD, valid in every syntax.
            0xe2 | 0xef if invisible(&line[i..]) => {
                out.extend_from_slice("\u{FFFD}".as_bytes());
                i += 2;
            }
            _ => out.push(b),
        }
        i += 1;
    }
    Cow::Owned(out)
}

/// Whether `bytes` start with the UTF-8 encoding of an invisible character that reorders or
/// hides text (see [`crate::escape::is_unsafe`]).
fn invisible(bytes: &[u8]) -> bool {
    std::str::from_utf8(&bytes[..bytes.len().min(3)])
        .ok()
        .and_then(|s| s.chars().next())
        .is_some_and(|c| c != '\t' && c != '\n' && !c.is_control() && crate::escape::is_unsafe(c))
}

/// Whether the GitHub runner would read `line` as a workflow command: `::` after any leading
/// whitespace (it trims Unicode whitespace too).
fn starts_command(line: &[u8]) -> bool {
    let first = line
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\x0b' | b'\x0c'))
        .unwrap_or(line.len());
    match line.get(first) {
        Some(b':') => line.get(first + 1) == Some(&b':'),
        // Unicode whitespace, which the runner trims too, starts with a non-ASCII byte.
        Some(b) if !b.is_ascii() => String::from_utf8_lossy(line).trim_start().starts_with("::"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guarded(text: &str, policy: Policy) -> String {
        let redactor = Redactor::new(["hunter2-xyz"]);
        let mut out = Vec::new();
        {
            let mut writer = Guarded::new(&mut out, &redactor, policy);
            // Written in pieces that split the secret and the lines.
            for piece in text.as_bytes().chunks(3) {
                writer.write_all(piece).unwrap();
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn secrets_split_across_writes_are_masked() {
        assert_eq!(
            guarded("a hunter2-xyz b\nc hunter2-xyz", Policy::PLAIN),
            "a *********** b\nc ***********"
        );
    }

    #[test]
    fn invisible_characters_become_replacement_characters() {
        assert_eq!(
            guarded("a\u{202e}b\u{200b}c\u{feff}d\n", Policy::PLAIN),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\n"
        );
        assert_eq!(guarded("é ü 中\n", Policy::PLAIN), "é ü 中\n");
    }

    #[test]
    fn forged_workflow_commands_are_neutralised() {
        assert_eq!(
            guarded(
                "::error::x\n \u{2003}::set-output::y\nok ::z\n",
                Policy::PLAIN
            ),
            "\\::error::x\n\\ \u{2003}::set-output::y\nok ::z\n"
        );
        assert_eq!(
            guarded("a ##[error]b ##vso[task]c\n", Policy::PLAIN),
            "a ##\u{200B}[error]b ##\u{200B}vso[task]c\n"
        );
        let github = Policy {
            syntax: Syntax::Commands,
            ansi: false,
        };
        assert_eq!(
            guarded("::error file=a::m\n", github),
            "::error file=a::m\n"
        );
    }

    #[test]
    fn structured_reports_keep_their_structure_whatever_the_secret() {
        let markup = Redactor::new([
            r#"", "message": {"#,
            "<testcase classname=\"",
            "::error file=",
            "apos;s CA",
        ]);
        let guard = |text: &str, syntax| {
            let mut out = Vec::new();
            {
                let mut writer = Guarded::new(
                    &mut out,
                    &markup,
                    Policy {
                        syntax,
                        ansi: false,
                    },
                );
                writer.write_all(text.as_bytes()).unwrap();
            }
            String::from_utf8(out).unwrap()
        };
        let json = "{\"a\": \"x\", \"message\": {\"b\": \"\\\", \\\"message\\\": {\"}}\n";
        let masked = guard(json, Syntax::Json);
        assert!(
            serde_json::from_str::<serde_json::Value>(&masked).is_ok(),
            "{masked}"
        );
        assert!(
            masked.contains("\"message\": {"),
            "structure kept: {masked}"
        );
        let xml =
            "<testcase classname=\"a\">Okta&apos;s CA &lt;testcase classname=&quot;</testcase>\n";
        let masked = guard(xml, Syntax::Xml);
        assert!(masked.starts_with("<testcase classname=\"a\">"), "{masked}");
        assert!(
            !masked.contains("&*") && !masked.contains("*;"),
            "entities whole: {masked}"
        );
        let command = "::error file=x.mobileconfig,line=1::at ::error file=\n";
        assert_eq!(
            guard(command, Syntax::Commands),
            "::error file=x.mobileconfig,line=1::at *************\n"
        );
    }

    #[test]
    fn control_characters_never_pass_raw() {
        assert_eq!(
            guarded("a\u{1b}]0;title\u{7}b\rc\r\n\u{9b}d\n", Policy::PLAIN),
            "a\u{FFFD}]0;title\u{FFFD}b\\rc\r\n\u{FFFD}d\n"
        );
        let colour = Policy {
            syntax: Syntax::Text,
            ansi: true,
        };
        assert_eq!(
            guarded("\u{1b}[31mred\u{1b}[0m\n", colour),
            "\u{1b}[31mred\u{1b}[0m\n"
        );
    }
}
