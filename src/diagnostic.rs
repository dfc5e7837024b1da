//! A finding placed in its file: rule, severity, position, and the frame to show it in.

use serde::Serialize;

use crate::frame::Frame;
use crate::rules::Severity;
use crate::source::Position;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub rule: &'static str,
    pub severity: Severity,
    /// The file as given on the command line, or found under a directory given there.
    pub path: String,
    /// 1-based; `None` for binary and signed input, which give `key_path` instead.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    /// Where the value sits in the plist or JSON, for every input kind.
    pub key_path: Option<String>,
    pub message: String,
    pub help: String,
    /// The profile's identifier (or display name) and the SCEP payload's.
    pub profile: Option<String>,
    pub payload: Option<String>,
    /// What the label in the code frame says.
    #[serde(skip)]
    pub label: String,
    #[serde(skip)]
    pub frame: Option<Frame>,
    /// Whether this finding fails the run (its severity reaches its file's `fail-on`).
    #[serde(skip)]
    pub fails: bool,
}

impl Diagnostic {
    pub fn start(&self) -> Option<Position> {
        Some(Position {
            line: self.line?,
            column: self.column?,
        })
    }

    /// The message, followed by the key path when the finding has no line to point at (binary
    /// and signed input), for reports that carry no code frame.
    pub fn message_with_place(&self) -> String {
        match (&self.key_path, self.line) {
            (Some(key_path), None) => format!("{} (at {key_path})", self.message),
            _ => self.message.clone(),
        }
    }

    /// The order reports use: by path, then line, then code (then column, key path and
    /// message, so the order is total).
    pub fn sort_key(&self) -> (&str, usize, &str, usize, Option<&str>, &str) {
        (
            &self.path,
            self.line.unwrap_or(0),
            self.code,
            self.column.unwrap_or(0),
            self.key_path.as_deref(),
            &self.message,
        )
    }
}
