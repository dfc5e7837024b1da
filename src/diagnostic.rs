//! A finding placed in its file: rule, severity, position, and the frame to show it in.
//!
//! A run over thousands of files keeps every finding until the report is written, so the text
//! is shared: one `Arc<str>` per file for its path and per profile for its labels, and messages,
//! help lines and key paths interned across the run (the same finding in a thousand exports
//! is one string).

use std::collections::HashSet;
use std::sync::{Arc, LazyLock, Mutex};

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
    pub path: Arc<str>,
    /// 1-based; `None` for binary and signed input, which give `key_path` instead.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    /// Where the value sits in the plist or JSON, for every input kind.
    pub key_path: Option<Arc<str>>,
    pub message: Arc<str>,
    pub help: Arc<str>,
    /// The profile's identifier (or display name) and the SCEP payload's.
    pub profile: Option<Arc<str>>,
    pub payload: Option<Arc<str>>,
    /// The MDM the profile comes from (`jamf`, `kandji`, `intune`, `fleet`, `workspace-one`,
    /// `generic`) and its platform (`macos`, `ios`, `windows`, `apple`); `None` for a file that
    /// was not read as a profile.
    pub vendor: Option<&'static str>,
    pub platform: Option<&'static str>,
    #[serde(skip)]
    pub frame: Option<Box<Frame>>,
    /// How to fix it, as edits of the file's text, where the rule and the format know. Reports
    /// show its applicability and title; the edits, which hold the file's text, only `--fix`
    /// and `--diff` use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Box<DiagnosticFix>>,
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
            _ => self.message.to_string(),
        }
    }

    /// Masks the run's secrets and escapes control characters in every text this finding
    /// shows, whichever format shows it.
    pub fn scrub(&mut self, scrubber: &mut crate::secrets::redactor::Scrubber<'_>) {
        let Diagnostic {
            code: _,
            rule: _,
            severity: _,
            path,
            line: _,
            column: _,
            end_line: _,
            end_column: _,
            key_path,
            message,
            help,
            profile,
            payload,
            vendor: _,
            platform: _,
            frame,
            fails: _,
            fix,
        } = self;
        if let Some(fix) = fix {
            scrubber.shared(&mut fix.title);
        }
        for text in [Some(path), key_path.as_mut(), Some(message), Some(help)]
            .into_iter()
            .flatten()
            .chain(profile.as_mut())
            .chain(payload.as_mut())
        {
            scrubber.shared(text);
        }
        if let Some(frame) = frame {
            frame.scrub(scrubber);
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

static INTERNED: LazyLock<Mutex<HashSet<Arc<str>>>> = LazyLock::new(Default::default);

/// The one shared copy of `text` in this run.
/// A fix: edits of the file's decoded text (byte offsets), all or none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiagnosticFix {
    pub applicability: crate::model::Applicability,
    /// What it does: "Set Keysize to 2048".
    pub title: Arc<str>,
    #[serde(skip)]
    pub edits: Vec<Edit>,
    /// Whether an edit copies a secret (a moved challenge): `--fix` may write it into the file,
    /// the language server never sends it.
    #[serde(skip)]
    pub carries_secret: bool,
}

/// Replace `start..end` of the file's decoded text with `content`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub content: String,
}

pub fn intern(text: &str) -> Arc<str> {
    let mut set = INTERNED.lock().unwrap_or_else(|e| e.into_inner());
    match set.get(text) {
        Some(shared) => Arc::clone(shared),
        None => {
            // Bounded for a long-lived process (the language server): texts no report holds
            // any more are let go.
            if set.len() >= MAX_INTERNED {
                set.retain(|kept| Arc::strong_count(kept) > 1);
                if set.len() >= MAX_INTERNED {
                    set.clear();
                }
            }
            let shared: Arc<str> = Arc::from(text);
            set.insert(Arc::clone(&shared));
            shared
        }
    }
}

/// The most texts the interner keeps before it lets go of those nothing uses.
const MAX_INTERNED: usize = 1 << 16;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interned_text_is_shared() {
        let a = intern("`Keysize` is absent");
        let b = intern(&String::from("`Keysize` is absent"));
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &intern("other")));
    }
}
