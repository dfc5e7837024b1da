//! Code frames: the few lines around a finding, cut from the file while its text is in memory
//! so the text itself can be dropped before the report is rendered.
//!
//! A frame has its own coordinates: secrets are masked, very long lines (minified Jamf payloads
//! hold a whole profile on one line) are cropped around the label, and labels that span many
//! lines are shortened to their first line. It implements miette's `SourceCode` and reports the
//! file's real line and column numbers.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::secrets::mask;
use crate::source::{LineIndex, Span, ceil_char_boundary, clamp_to_char_boundary};

/// Lines of context shown above and below a label.
const CONTEXT_LINES: usize = 1;
/// Longest line shown whole; longer lines are cropped around their labels.
const MAX_LINE_CHARS: usize = 120;
/// Characters kept on each side of a label in a cropped line.
const CROP_MARGIN: usize = 40;
/// Longest underline drawn; a longer label (a whole plist on one JSON-escaped line) is cut.
const MAX_LABEL_CHARS: usize = 60;
const ELLIPSIS: char = '…';

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameLabel {
    /// Byte range in the frame's own text.
    pub range: Span,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The excerpt, lines joined with `\n`, masked and cropped.
    pub text: String,
    /// 0-based line in the file of the excerpt's first line.
    pub first_line: usize,
    /// Per excerpt line: add to a column in the excerpt to get the column in the file.
    column_shift: Vec<usize>,
    line_starts: Vec<usize>,
    pub labels: Vec<FrameLabel>,
}

/// Builds frames for one file.
pub struct FrameBuilder<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub masks: &'a [Span],
    /// The file did not parse: show only its structure, never values (see [`mask`]).
    pub structure_only: Option<mask::Notation>,
}

impl FrameBuilder<'_> {
    /// A frame around `labels` (the first is the primary one), or `None` if no label lies in
    /// the text.
    pub fn build(&self, labels: &[(Span, String)]) -> Option<Box<Frame>> {
        let (primary_span, _) = labels.first()?;
        if primary_span.start > self.text.len() {
            return None;
        }
        let primary_line = self.index.line_of(primary_span.start);
        // Each label on one line: a label over many lines is cut to its first.
        let labels: Vec<(usize, Span, &str)> = labels
            .iter()
            .filter(|(span, _)| span.start <= self.text.len())
            .map(|(span, text)| {
                let start = clamp_to_char_boundary(self.text, span.start);
                let line = self.index.line_of(start);
                let end = ceil_char_boundary(
                    self.text,
                    span.end.min(self.index.line_end(self.text, line)),
                );
                let end = end.max(start);
                let span = start..end;
                let end = self.text[span.start..end]
                    .char_indices()
                    .nth(MAX_LABEL_CHARS)
                    .map_or(end, |(i, _)| span.start + i);
                (line, span.start..end, text.as_str())
            })
            .filter(|(line, _, _)| line.abs_diff(primary_line) <= 4)
            .collect();
        let lowest = labels.iter().map(|l| l.0).min().unwrap_or(primary_line);
        let highest = labels.iter().map(|l| l.0).max().unwrap_or(primary_line);
        let first = lowest.saturating_sub(CONTEXT_LINES);
        let last = (highest + CONTEXT_LINES).min(self.index.line_count() - 1);

        let mut frame = Frame {
            text: String::new(),
            first_line: first,
            column_shift: Vec::new(),
            line_starts: Vec::new(),
            labels: Vec::new(),
        };
        for line in first..=last {
            let start = self.index.line_start(line);
            let end = self.index.line_end(self.text, line);
            let whole = &self.text[start..end];
            let on_line: Vec<&(usize, Span, &str)> =
                labels.iter().filter(|l| l.0 == line).collect();
            // Only the shown part of a line is copied: a minified export holds a whole
            // profile on one line, and a report may cut thousands of frames from it.
            let chars_before = |byte: usize| whole[..byte - start].chars().count();
            let length = whole.chars().count();
            let (from, to) = if length <= MAX_LINE_CHARS {
                (0, length)
            } else if on_line.is_empty() {
                (0, MAX_LINE_CHARS)
            } else {
                let lo = on_line
                    .iter()
                    .map(|l| chars_before(l.1.start))
                    .min()
                    .unwrap_or(0);
                let hi = on_line
                    .iter()
                    .map(|l| chars_before(l.1.end))
                    .max()
                    .unwrap_or(lo);
                let from = lo.saturating_sub(CROP_MARGIN);
                let to = (hi + CROP_MARGIN)
                    .min(length)
                    .min(from + MAX_LINE_CHARS.max(hi - from));
                (from, to.max(lo))
            };
            let byte_at = |char_index: usize| {
                whole
                    .char_indices()
                    .nth(char_index)
                    .map_or(whole.len(), |(i, _)| i)
            };
            let (window_from, window_to) = if length <= MAX_LINE_CHARS {
                (0, whole.len())
            } else {
                (byte_at(from), byte_at(to))
            };
            let window = &whole[window_from..window_to];
            let mut masked = mask::apply(window, start + window_from, self.masks);
            if let Some(notation) = self.structure_only {
                masked = mask::structure_only(&masked, notation);
            }

            if !frame.text.is_empty() {
                frame.text.push('\n');
            }
            let local_start = frame.text.len();
            frame.line_starts.push(local_start);
            let prefix = usize::from(from > 0);
            if from > 0 {
                frame.text.push(ELLIPSIS);
            }
            frame.text.extend(masked.chars().map(printable));
            if to < length {
                frame.text.push(ELLIPSIS);
            }
            frame.column_shift.push(from - prefix);

            let local_line = &frame.text[local_start..];
            let to_local = |byte: usize| {
                let in_window = (byte - start).clamp(window_from, window_to);
                let local_char = whole[window_from..in_window].chars().count() + prefix;
                local_start
                    + local_line
                        .char_indices()
                        .nth(local_char)
                        .map_or(local_line.len(), |(i, _)| i)
            };
            for (_, span, text) in on_line {
                frame.labels.push(FrameLabel {
                    range: to_local(span.start)..to_local(span.end),
                    text: (*text).to_owned(),
                });
            }
        }
        Some(Box::new(frame))
    }
}

/// A file's control characters (escape sequences among them) must not reach a terminal; each
/// becomes one visible replacement character, so offsets and columns stay put.
fn printable(c: char) -> char {
    if crate::escape::is_unsafe(c) && c != '\t' {
        '\u{FFFD}'
    } else {
        c
    }
}

impl Frame {
    fn local_line(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|start| *start <= offset)
            .saturating_sub(1)
    }

    fn local_line_end(&self, line: usize) -> usize {
        self.line_starts
            .get(line + 1)
            .map_or(self.text.len(), |next| next - 1)
    }
}

impl Frame {
    /// Masks secrets found only after the file's text was gone (another file's challenge that
    /// this excerpt happens to hold), one `*` per character, keeping every label on its text.
    pub fn scrub(&mut self, scrubber: &crate::secrets::redactor::Scrubber<'_>) {
        for label in &mut self.labels {
            scrubber.string(&mut label.text);
        }
        let spans = scrubber.redactor().file_spans(&self.text);
        if spans.is_empty() {
            return;
        }
        let redacted = mask::apply(&self.text, 0, &spans);
        // Where each character starts, before and after: characters map one to one.
        let old: Vec<usize> = self.text.char_indices().map(|(i, _)| i).collect();
        let new: Vec<usize> = redacted.char_indices().map(|(i, _)| i).collect();
        let (old_len, new_len) = (self.text.len(), redacted.len());
        let map = |offset: usize| -> usize {
            match old.binary_search(&offset) {
                Ok(i) => new.get(i).copied().unwrap_or(new_len),
                Err(i) if i >= old.len() || offset >= old_len => new_len,
                Err(i) => new.get(i).copied().unwrap_or(new_len),
            }
        };
        for label in &mut self.labels {
            label.range = map(label.range.start)..map(label.range.end);
        }
        for start in &mut self.line_starts {
            *start = map(*start);
        }
        self.text = redacted;
    }

    /// The frame as miette reads it, under the file's name. Frames do not keep the name: a
    /// report holds thousands of them, and the diagnostic has it already.
    pub fn named<'a>(&'a self, name: &'a str) -> Named<'a> {
        Named { frame: self, name }
    }
}

pub struct Named<'a> {
    frame: &'a Frame,
    name: &'a str,
}

impl SourceCode for Named<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let start = span.offset();
        let end = start + span.len();
        if end > self.frame.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let start_line = self.frame.local_line(start);
        let end_line = self.frame.local_line(end.saturating_sub(1).max(start));
        if context_lines_before == 0 && context_lines_after == 0 {
            let line_start = self.frame.line_starts[start_line];
            let column = self.frame.text[line_start..start].chars().count()
                + self.frame.column_shift[start_line];
            return Ok(Box::new(MietteSpanContents::new_named(
                self.name.to_owned(),
                &self.frame.text.as_bytes()[start..end],
                *span,
                self.frame.first_line + start_line,
                column,
                end_line - start_line + 1,
            )));
        }
        let first = start_line.saturating_sub(context_lines_before);
        let last = (end_line + context_lines_after).min(self.frame.line_starts.len() - 1);
        let data_start = self.frame.line_starts[first];
        let data_end = self.frame.local_line_end(last);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_owned(),
            &self.frame.text.as_bytes()[data_start..data_end],
            (data_start, data_end - data_start).into(),
            self.frame.first_line + first,
            0,
            last - first + 1,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(text: &str, labels: &[(Span, &str)], masks: &[Span]) -> Frame {
        let index = LineIndex::new(text);
        let builder = FrameBuilder {
            text,
            index: &index,
            masks,
            structure_only: None,
        };
        let labels: Vec<(Span, String)> = labels
            .iter()
            .map(|(s, t)| (s.clone(), t.to_string()))
            .collect();
        *builder.build(&labels).unwrap()
    }

    #[test]
    fn keeps_one_line_of_context_and_maps_labels() {
        let text = "a\nb\n<integer>1024</integer>\nc\nd";
        let at = text.find("1024").unwrap();
        let f = frame(text, &[(at..at + 4, "here")], &[]);
        assert_eq!(f.text, "b\n<integer>1024</integer>\nc");
        assert_eq!(f.first_line, 1);
        assert_eq!(&f.text[f.labels[0].range.clone()], "1024");
        let named = f.named("f");
        let contents = named
            .read_span(&(f.labels[0].range.start, 4).into(), 0, 0)
            .unwrap();
        assert_eq!((contents.line(), contents.column()), (2, 9));
    }

    #[test]
    fn crops_long_lines_around_the_label_and_keeps_real_columns() {
        let text = format!("{}<key>Keysize</key>{}", "x".repeat(500), "y".repeat(500));
        let at = text.find("Keysize").unwrap();
        let f = frame(&text, &[(at..at + 7, "here")], &[]);
        assert!(f.text.starts_with('…') && f.text.ends_with('…'));
        assert!(f.text.chars().count() < 140);
        assert_eq!(&f.text[f.labels[0].range.clone()], "Keysize");
        let named = f.named("f");
        let contents = named
            .read_span(&(f.labels[0].range.start, 7).into(), 0, 0)
            .unwrap();
        assert_eq!(contents.column(), at);
    }

    #[test]
    fn long_labels_are_cut() {
        let text = format!("<a>{}</a>", "v".repeat(300));
        let f = frame(&text, &[(3..303, "value")], &[]);
        assert_eq!(
            f.text[f.labels[0].range.clone()].chars().count(),
            MAX_LABEL_CHARS
        );
    }

    #[test]
    fn masks_secrets_in_the_excerpt() {
        let text = "<key>Challenge</key>\n<string>hunter2</string>\n<key>Keysize</key>";
        let secret = text.find("hunter2").unwrap();
        let at = text.find("Keysize").unwrap();
        let masks: Vec<Span> = std::iter::once(secret..secret + 7).collect();
        let f = frame(text, &[(at..at + 7, "k")], &masks);
        assert!(!f.text.contains("hunter2"));
        assert!(f.text.contains("<string>*******</string>"));
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let text = "<string>\u{1b}[31mred\u{7}</string>";
        let f = frame(text, &[(0..8, "x")], &[]);
        assert!(!f.text.chars().any(|c| c.is_control()), "{:?}", f.text);
    }

    #[test]
    fn multi_line_labels_are_cut_to_their_first_line() {
        let text = "<dict>\n<key>a</key>\n<string>b</string>\n</dict>";
        let f = frame(text, &[(0..text.len(), "profile")], &[]);
        assert_eq!(&f.text[f.labels[0].range.clone()], "<dict>");
        assert_eq!(f.text, "<dict>\n<key>a</key>");
    }
}
