//! A file's text as its nested escapes decode it: once and twice as XML (Jamf's `<payloads>`,
//! re-wrapped exports), as JSON (Kandji/Iru's `profile`), and as JSON then XML. Each view keeps
//! a map back to the file, so a secret found in a view is masked where it stands in the file,
//! however its characters were escaped (`&lt;`, `&#60;`, `\u003c`, `&amp;lt;`...).
//!
//! The decoders are lenient: what is not a well-formed escape is kept as written, because the
//! text may not parse.

use crate::source::Span;

/// Decoded text, with where its offsets were in the text it was decoded from.
#[derive(Clone)]
pub struct View {
    pub text: String,
    /// `(decoded, source)` at the start and at every escape.
    anchors: Vec<(usize, usize)>,
    /// The source's length, so offsets at the end map to its end.
    source_len: usize,
}

impl View {
    /// Where `offset` of the decoded text is in the source: an offset inside an escape's
    /// output maps to the escape's start.
    pub fn source_offset(&self, offset: usize) -> usize {
        let i = self.anchors.partition_point(|(d, _)| *d <= offset);
        let (d, source) = self.anchors[i.saturating_sub(1)];
        (source + (offset - d)).min(self.source_len)
    }

    /// A decoded range in the source: from the start of the escape that produced its first
    /// character to the end of the escape that produced its last.
    pub fn source_span(&self, span: &Span) -> Span {
        let start = self.source_offset(span.start);
        let end = if span.end > span.start {
            // The end of the last decoded character's escape: the start of whatever follows.
            self.next_source_offset(span.end)
        } else {
            start
        };
        start..end.max(start)
    }

    fn next_source_offset(&self, offset: usize) -> usize {
        let i = self.anchors.partition_point(|(d, _)| *d < offset);
        match self.anchors.get(i) {
            Some((d, source)) if *d == offset => *source,
            _ => self.source_offset(offset),
        }
    }
}

struct Builder {
    text: String,
    anchors: Vec<(usize, usize)>,
}

impl Builder {
    fn new(capacity: usize) -> Self {
        Builder {
            text: String::with_capacity(capacity),
            anchors: vec![(0, 0)],
        }
    }

    /// Appends `decoded`, which stood for `source_len` bytes at `source` (an escape).
    fn escape(&mut self, decoded: char, source: usize, source_len: usize) {
        self.anchors.push((self.text.len(), source));
        self.text.push(decoded);
        self.anchors.push((self.text.len(), source + source_len));
    }

    fn finish(self, source_len: usize) -> View {
        View {
            text: self.text,
            anchors: self.anchors,
            source_len,
        }
    }
}

/// XML entities and character references decoded, or `None` when the text has none.
pub fn xml(text: &str) -> Option<View> {
    if !text.contains('&') {
        return None;
    }
    let mut out = Builder::new(text.len());
    let mut copied = 0;
    let mut changed = false;
    let mut search = 0;
    while let Some(found) = text[search..].find('&') {
        let at = search + found;
        let tail = &text[at..];
        // A reference is short: look no further for its `;` (a text of `&` without one would
        // otherwise be searched to its end from every `&`).
        let decoded = tail.as_bytes()[1..]
            .iter()
            .take(11)
            .position(|b| *b == b';')
            .and_then(|semi| {
                crate::container::xml::resolve_reference(&tail[1..semi + 1]).map(|c| (c, semi + 2))
            });
        match decoded {
            Some((c, len)) => {
                out.text.push_str(&text[copied..at]);
                out.escape(c, at, len);
                copied = at + len;
                search = copied;
                changed = true;
            }
            None => search = at + 1,
        }
    }
    out.text.push_str(&text[copied..]);
    changed.then(|| out.finish(text.len()))
}

/// JSON string escapes decoded (surrogate pairs joined), or `None` when the text has none.
pub fn json(text: &str) -> Option<View> {
    if !text.contains('\\') {
        return None;
    }
    let bytes = text.as_bytes();
    let mut out = Builder::new(text.len());
    let mut copied = 0;
    let mut changed = false;
    let mut i = 0;
    let hex4 = |at: usize| -> Option<u32> {
        let digits = text.get(at..at + 4)?;
        digits
            .bytes()
            .all(|b| b.is_ascii_hexdigit())
            .then(|| u32::from_str_radix(digits, 16).ok())
            .flatten()
    };
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        let simple = match bytes.get(i + 1) {
            Some(b'n') => Some('\n'),
            Some(b'r') => Some('\r'),
            Some(b't') => Some('\t'),
            Some(b'"') => Some('"'),
            Some(b'\\') => Some('\\'),
            Some(b'/') => Some('/'),
            _ => None,
        };
        let decoded = match (simple, bytes.get(i + 1)) {
            (Some(c), _) => Some((c, 2)),
            (None, Some(b'u')) => match hex4(i + 2) {
                Some(high @ 0xD800..=0xDBFF) => {
                    let low = (text.get(i + 6..i + 8) == Some("\\u"))
                        .then(|| hex4(i + 8))
                        .flatten()
                        .filter(|low| (0xDC00..=0xDFFF).contains(low));
                    low.and_then(|low| {
                        char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                    })
                    .map(|c| (c, 12))
                }
                Some(code) => char::from_u32(code).map(|c| (c, 6)),
                None => None,
            },
            _ => None,
        };
        match decoded {
            Some((c, len)) => {
                out.text.push_str(&text[copied..i]);
                out.escape(c, i, len);
                i += len;
                copied = i;
                changed = true;
            }
            None => i += 1,
        }
    }
    out.text.push_str(&text[copied..]);
    changed.then(|| out.finish(text.len()))
}

/// A view of a view, mapped to the original text.
pub struct Nested {
    pub outer: View,
    pub inner: View,
}

impl Nested {
    pub fn source_span(&self, span: &Span) -> Span {
        self.outer.source_span(&self.inner.source_span(span))
    }
}

/// A decoded view's text, and the function from its ranges to the source's.
pub type Decoded = (String, Box<dyn Fn(&Span) -> Span>);

/// Every decoded view worth searching: XML once and twice, JSON, JSON then XML. Each comes with
/// a function from its ranges to the text's.
pub fn all(text: &str) -> Vec<Decoded> {
    let mut views: Vec<Decoded> = Vec::new();
    for (first, second) in [
        (
            xml as fn(&str) -> Option<View>,
            xml as fn(&str) -> Option<View>,
        ),
        (json, xml),
    ] {
        let Some(outer) = first(text) else { continue };
        if let Some(inner) = second(&outer.text) {
            let nested = Nested {
                outer: outer.clone(),
                inner,
            };
            views.push((
                nested.inner.text.clone(),
                Box::new(move |span| nested.source_span(span)),
            ));
        }
        views.push((
            outer.text.clone(),
            Box::new(move |span| outer.source_span(span)),
        ));
    }
    views
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find_in_views(text: &str, needle: &str) -> Vec<Span> {
        all(text)
            .iter()
            .filter_map(|(view, map)| view.find(needle).map(|at| map(&(at..at + needle.len()))))
            .collect()
    }

    #[test]
    fn xml_views_map_back_over_escapes() {
        let text = "x &lt;a&gt;&#38;b&quot; y";
        let spans = find_in_views(text, "<a>&b\"");
        assert_eq!(spans.len(), 1);
        assert_eq!(&text[spans[0].clone()], "&lt;a&gt;&#38;b&quot;");
    }

    #[test]
    fn double_escapes_map_back_too() {
        let text = "[&amp;lt;k&amp;gt;]";
        let spans = find_in_views(text, "<k>");
        assert!(spans.contains(&(1..18)), "{spans:?}");
    }

    #[test]
    fn json_unicode_escapes_map_back() {
        let text = r#""\u003ckey\u003e \ud83d\ude00 \"q\"""#;
        let spans = find_in_views(text, "<key>");
        assert_eq!(&text[spans[0].clone()], r"\u003ckey\u003e");
        let spans = find_in_views(text, "😀 \"q\"");
        assert_eq!(&text[spans[0].clone()], r#"\ud83d\ude00 \"q\""#);
    }

    #[test]
    fn malformed_escapes_are_kept() {
        assert!(xml("a & b &bogus; c").is_none());
        assert!(json(r"a \x b \u12").is_none());
    }
}
