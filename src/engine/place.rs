//! Placing findings in their file: lines and columns, code frames cut while the text is in
//! memory, with its secrets masked.

use std::sync::Arc;

use super::check::Located;
use super::settings::Settings;
use crate::diagnostic::Diagnostic;
use crate::frame::FrameBuilder;
use crate::model::Profile;
use crate::model::{Applicability, Origin};
use crate::rules::{Finding, Label, RuleMeta};
use crate::secrets::{self, Found};
use crate::source::{LineIndex, Position, Span};

/// A finding about a whole file, with no position in it (`None` when its rule is off).
pub(super) fn file_level(
    path: &str,
    meta: &'static RuleMeta,
    message: String,
    help: &str,
    settings: &Settings,
) -> Option<Diagnostic> {
    settings.rules.is_on(meta.code).then(|| Diagnostic {
        code: meta.code,
        rule: meta.name,
        severity: settings.rules.severity(meta.code, meta.severity),
        path: path.into(),
        line: None,
        column: None,
        end_line: None,
        end_column: None,
        key_path: None,
        message: message.into(),
        help: crate::diagnostic::intern(help),
        profile: None,
        payload: None,
        vendor: None,
        platform: None,
        frame: None,
        fix: None,
        fails: false,
    })
}

/// Turns findings into diagnostics with positions and frames, building the line index and the
/// secret masks only once and only if needed.
pub(super) struct Placer<'a> {
    /// The path, and the profile and payload labels, shared by the file's diagnostics.
    path: Arc<str>,
    labels: Vec<Arc<str>>,
    text: Option<&'a str>,
    pub(super) settings: &'a Settings,
    found: &'a Found,
    index: Option<LineIndex>,
    masks: Option<Vec<Span>>,
}

impl<'a> Placer<'a> {
    pub(super) fn new(
        path: &'a str,
        text: Option<&'a str>,
        settings: &'a Settings,
        found: &'a Found,
    ) -> Self {
        Placer {
            path: path.into(),
            labels: Vec::new(),
            text,
            settings,
            found,
            index: None,
            masks: None,
        }
    }

    pub(super) fn place(&mut self, located: Located<'_>) -> Diagnostic {
        self.place_raw(
            located.meta,
            located.finding,
            located.profile,
            located.payload,
        )
    }

    pub(super) fn place_raw(
        &mut self,
        meta: &'static RuleMeta,
        finding: Finding,
        profile: Option<&Profile>,
        payload: Option<&str>,
    ) -> Diagnostic {
        let own = finding.severity.unwrap_or(meta.severity);
        let mut diagnostic = Diagnostic {
            code: meta.code,
            rule: meta.name,
            severity: self.settings.rules.severity(meta.code, own),
            path: Arc::clone(&self.path),
            line: None,
            column: None,
            end_line: None,
            end_column: None,
            key_path: key_path(finding.label.origin.key_path.as_str()),
            message: crate::diagnostic::intern(&finding.message),
            help: crate::diagnostic::intern(&finding.help),
            profile: profile
                .and_then(Profile::label)
                .map(|label| self.label(label)),
            payload: payload.map(|label| self.label(label)),
            vendor: profile.map(|p| p.vendor.id()),
            platform: profile.map(|p| p.platform.id()),
            frame: None,
            fails: false,
            fix: None,
        };
        self.position(&mut diagnostic, &finding.label);
        if finding.change.as_ref().is_some_and(|c| !c.parts.is_empty()) && self.text.is_none() {
            diagnostic.help = crate::diagnostic::intern(&format!(
                "{}; `--fix` never edits a signed profile (its signature would break), and rewrites a binary plist only with `--rewrite-binary`: fix the source it was built from, or ask for that",
                finding.help
            ));
        }
        if let Some(change) = &finding.change {
            let edits = match (profile, self.text) {
                (Some(profile), Some(text)) => fix_edits(change, profile, text),
                _ => None,
            };
            let fix = match edits {
                Some(edits) => Some((change.applicability, edits)),
                // Shown, never applied: what only the MDM can change, and any fix of a file that
                // has no text to edit.
                None if change.parts.is_empty() || self.text.is_none() => {
                    Some((Applicability::DisplayOnly, Vec::new()))
                }
                None => None,
            };
            let copies = change
                .parts
                .iter()
                .any(|(_, to)| matches!(to, crate::model::Rewrite::Append { .. }));
            let carries_secret = copies
                && self.text.is_some_and(|text| {
                    let found = self.found;
                    let masks = self
                        .masks
                        .get_or_insert_with(|| secrets::mask::secret_spans(text, found));
                    moves_text_of(change, masks)
                });
            diagnostic.fix = fix.map(|(applicability, edits)| {
                Box::new(crate::diagnostic::DiagnosticFix {
                    applicability,
                    title: change.title.as_str().into(),
                    edits,
                    carries_secret,
                })
            });
        }
        diagnostic
    }

    /// The file's one copy of a profile or payload label.
    pub(super) fn label(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.labels.iter().find(|l| ***l == *text) {
            return Arc::clone(shared);
        }
        let shared: Arc<str> = text.into();
        self.labels.push(Arc::clone(&shared));
        shared
    }

    /// Where an origin starts and ends in the file, when the file is text.
    pub(super) fn locate(&mut self, origin: &Origin) -> (Option<Position>, Option<Position>) {
        let (Some(text), Some(span)) = (self.text, &origin.span) else {
            return (None, None);
        };
        let index = self.index.get_or_insert_with(|| LineIndex::new(text));
        (
            Some(index.position(text, span.start)),
            Some(index.position(text, span.end)),
        )
    }

    pub(super) fn position(&mut self, diagnostic: &mut Diagnostic, label: &Label) {
        let (Some(start), Some(end)) = self.locate(&label.origin) else {
            return;
        };
        diagnostic.line = Some(start.line);
        diagnostic.column = Some(start.column);
        diagnostic.end_line = Some(end.line);
        diagnostic.end_column = Some(end.column);
        let (Some(text), Some(span), Some(index)) =
            (self.text, label.origin.span.clone(), self.index.as_ref())
        else {
            return;
        };
        if self.settings.frames {
            let found = self.found;
            let masks = self
                .masks
                .get_or_insert_with(|| secrets::mask::secret_spans(text, found));
            let builder = FrameBuilder {
                text,
                index,
                masks,
                structure_only: None,
            };
            diagnostic.frame = builder.build(&[(span, label.text.clone())]);
        }
    }
}

/// Whether `change` copies text that holds a secret (a moved `Challenge`): the edit would carry
/// the secret, so the language server never sends it.
fn moves_text_of(change: &crate::model::Change, secrets: &[Span]) -> bool {
    change.parts.iter().any(|(_, to)| match to {
        crate::model::Rewrite::Append { entry } => secrets
            .iter()
            .any(|secret| secret.start < entry.end && entry.start < secret.end),
        _ => false,
    })
}

/// The byte edits that make `change` in `text`, in file order; `None` when a part cannot be
/// spelt there or two parts would overlap.
fn fix_edits(
    change: &crate::model::Change,
    profile: &Profile,
    text: &str,
) -> Option<Vec<crate::diagnostic::Edit>> {
    let mut edits = Vec::new();
    for (origin, to) in &change.parts {
        let span = origin.span.clone()?;
        for (range, content) in crate::mdm::rewrite::edits(profile.words.0, to, text, span)? {
            edits.push(crate::diagnostic::Edit {
                start: range.start,
                end: range.end,
                content,
            });
        }
    }
    edits.sort_by_key(|e| (e.start, e.end));
    let apart = edits.windows(2).all(|pair| pair[0].end <= pair[1].start);
    (apart && !edits.is_empty()).then_some(edits)
}

/// The key path as reports show it; the document root has an empty path.
fn key_path(s: &str) -> Option<Arc<str>> {
    Some(crate::diagnostic::intern(if s.is_empty() {
        "(root)"
    } else {
        s
    }))
}
