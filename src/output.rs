//! The one way out. Every byte sceplint writes (reports on standard output or in `-o` files,
//! messages on standard error, baselines, `sceplint config`) goes through an [`Output`], which
//! knows the run's secrets and, line by line:
//!
//! - masks every secret, in each form a format could escape it into;
//! - keeps a line from being read as a GitHub Actions workflow command: a line whose text
//!   (after the leading whitespace the runner skips) starts with `::` gets a `\` first, unless
//!   the format means to write commands (`--format github`); `##[`, which the runner's older
//!   syntax finds anywhere in a line, is broken with a zero-width space; a bare carriage return,
//!   which the runner takes for a line break, is written `\r`;
//! - lets no control character through raw, but the colour sequences of a coloured report.
//!
//! Renderers escape and redact what they write too (defence in depth); this layer is what a
//! format or message added later cannot forget. Nothing in the library writes to the standard
//! streams another way: clippy's `disallowed-macros` and `disallowed-methods` (clippy.toml)
//! reject `println!`, `eprintln!`, `std::io::stdout` and `std::io::stderr` outside this file.

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::Path;

use crate::secrets::Redactor;

/// Whether a stream may carry GitHub Actions workflow commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Commands {
    /// Lines that could be taken for commands are neutralised.
    Neutralise,
    /// The github format: its own lines are commands (file text in them is escaped).
    Allow,
}

/// How a stream is guarded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub commands: Commands,
    /// ANSI colour sequences may pass (a coloured human report).
    pub ansi: bool,
}

impl Policy {
    pub const PLAIN: Policy = Policy {
        commands: Commands::Neutralise,
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

    /// A report or baseline file.
    pub fn create(
        &self,
        path: &Path,
        policy: Policy,
    ) -> io::Result<Guarded<'_, io::BufWriter<std::fs::File>>> {
        let file = std::fs::File::create(path)?;
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
}

impl<'a, W: Write> Guarded<'a, W> {
    pub fn new(inner: W, redactor: &'a Redactor, policy: Policy) -> Self {
        Guarded {
            inner,
            redactor,
            policy,
            pending: Vec::new(),
        }
    }

    fn emit(&mut self, line: &[u8]) -> io::Result<()> {
        let redacted = self.redactor.redact_bytes(line);
        let guarded = guard_line(&redacted, self.policy);
        self.inner.write_all(&guarded)
    }
}

impl<W: Write> Write for Guarded<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let Some(last_newline) = memchr::memrchr(b'\n', &self.pending) else {
            return Ok(buf.len());
        };
        // The complete lines, redacted in one pass (a secret never spans a line break: they are
        // escaped), then guarded line by line.
        let complete = &self.pending[..=last_newline];
        let redacted = self.redactor.redact_bytes(complete);
        let mut guarded = Vec::new();
        let mut changed = false;
        for line in redacted.split_inclusive(|b| *b == b'\n') {
            match guard_line(line, self.policy) {
                Cow::Borrowed(line) if !changed => {
                    let _ = line;
                }
                other => {
                    if !changed {
                        changed = true;
                        let done = line.as_ptr() as usize - redacted.as_ptr() as usize;
                        guarded.extend_from_slice(&redacted[..done]);
                    }
                    guarded.extend_from_slice(&other);
                }
            }
        }
        if changed {
            self.inner.write_all(&guarded)?;
        } else {
            self.inner.write_all(&redacted)?;
        }
        self.pending.drain(..=last_newline);
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
    let needs_work = line
        .iter()
        .any(|b| (*b < 0x20 && *b != b'\t' && *b != b'\n') || *b == 0x7f || *b == 0xc2)
        || memchr::memmem::find(line, b"##").is_some()
        || (policy.commands == Commands::Neutralise && starts_command(line));
    if !needs_work {
        return Cow::Borrowed(line);
    }
    let mut out = Vec::with_capacity(line.len() + 8);
    if policy.commands == Commands::Neutralise && starts_command(line) {
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
            _ => out.push(b),
        }
        i += 1;
    }
    Cow::Owned(out)
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
            commands: Commands::Allow,
            ansi: false,
        };
        assert_eq!(
            guarded("::error file=a::m\n", github),
            "::error file=a::m\n"
        );
    }

    #[test]
    fn control_characters_never_pass_raw() {
        assert_eq!(
            guarded("a\u{1b}]0;title\u{7}b\rc\r\n\u{9b}d\n", Policy::PLAIN),
            "a\u{FFFD}]0;title\u{FFFD}b\\rc\r\n\u{FFFD}d\n"
        );
        let colour = Policy {
            commands: Commands::Neutralise,
            ansi: true,
        };
        assert_eq!(
            guarded("\u{1b}[31mred\u{1b}[0m\n", colour),
            "\u{1b}[31mred\u{1b}[0m\n"
        );
    }
}
