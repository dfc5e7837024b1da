//! Replacing every occurrence of a run's secrets in text, in every form an output format could
//! give them: as read, and escaped as JSON, XML, GitHub workflow commands, percent-encoded URIs
//! and sceplint's own escaping of control characters.

use std::borrow::Cow;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::candidates::MIN_SEARCHED_CHARS;

/// Finds and masks a set of secrets. Built once per run from every file's candidates.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    searcher: Option<AhoCorasick>,
}

/// What a masked character becomes.
pub const MASK: char = '*';

impl Redactor {
    /// A redactor for `secrets` (each at least [`MIN_SEARCHED_CHARS`] characters; shorter ones
    /// are ignored) and the forms output formats escape them into. It finds every run of
    /// [`MIN_SEARCHED_CHARS`] characters of a secret, not only the whole secret: a message that
    /// quotes part of a value (one word of it, one attribute) must not show that part either.
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Self {
        let mut patterns: Vec<String> = Vec::new();
        for secret in secrets {
            if secret.chars().count() < MIN_SEARCHED_CHARS {
                continue;
            }
            for variant in variants(secret) {
                let chars: Vec<char> = variant.chars().collect();
                patterns.extend(
                    chars
                        .windows(MIN_SEARCHED_CHARS)
                        .map(|window| window.iter().collect::<String>()),
                );
            }
        }
        patterns.sort_unstable();
        patterns.dedup();
        if patterns.is_empty() {
            return Redactor::default();
        }
        // Every match, overlapping ones included, is masked: with two secrets that overlap in
        // the text, leftmost-first matching would leave the second one's tail showing.
        // Built once per run and run over every line written: a DFA searches fastest, and its
        // size is bounded by the few secrets a run holds.
        let kind = (patterns.len() <= 50_000).then_some(aho_corasick::AhoCorasickKind::DFA);
        let searcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(kind)
            .build(&patterns)
            .ok();
        Redactor { searcher }
    }

    /// A redactor that finds the whole `secrets` only (as written: no escaped forms, no
    /// parts), quick to build once per file. [`Redactor::file_spans`] still finds them however
    /// the file escaped them.
    pub fn whole<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Self {
        let patterns: Vec<&str> = secrets
            .into_iter()
            .filter(|s| s.chars().count() >= MIN_SEARCHED_CHARS)
            .collect();
        if patterns.is_empty() {
            return Redactor::default();
        }
        let searcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
            .build(&patterns)
            .ok();
        Redactor { searcher }
    }

    pub fn is_empty(&self) -> bool {
        self.searcher.is_none()
    }

    /// The byte ranges of `haystack` that hold a secret, sorted and merged.
    pub fn ranges(&self, haystack: &[u8]) -> Vec<std::ops::Range<usize>> {
        let Some(searcher) = &self.searcher else {
            return Vec::new();
        };
        let mut ranges: Vec<std::ops::Range<usize>> = searcher
            .find_overlapping_iter(haystack)
            .map(|m| m.range())
            .collect();
        merge(std::mem::take(&mut ranges))
    }

    /// Where secrets stand in a file's text (or an excerpt of it): as written, and in the text
    /// its escapes decode to (XML entities, JSON escapes, once or nested), mapped back, so a
    /// secret is found however the file escaped it. Sorted and merged.
    pub fn file_spans(&self, text: &str) -> Vec<std::ops::Range<usize>> {
        if self.searcher.is_none() {
            return Vec::new();
        }
        let mut spans = self.ranges(text.as_bytes());
        for (view, to_text) in super::views::all(text) {
            spans.extend(self.ranges(view.as_bytes()).iter().map(to_text));
        }
        merge(spans)
    }

    /// `text` with each character of every secret replaced by `*`.
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let ranges = self.ranges(text.as_bytes());
        if ranges.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for range in ranges {
            let start = crate::source::clamp_to_char_boundary(text, range.start).max(last);
            let end = crate::source::ceil_char_boundary(text, range.end).max(start);
            out.push_str(&text[last..start]);
            out.extend(text[start..end].chars().map(|_| MASK));
            last = end;
        }
        out.push_str(&text[last..]);
        Cow::Owned(out)
    }

    /// `bytes` with each character of every secret replaced by `*` (one per UTF-8 character;
    /// bytes that are not UTF-8 count one each).
    pub fn redact_bytes<'a>(&self, bytes: &'a [u8]) -> Cow<'a, [u8]> {
        let ranges = self.ranges(bytes);
        if ranges.is_empty() {
            return Cow::Borrowed(bytes);
        }
        let mut out = Vec::with_capacity(bytes.len());
        let mut last = 0;
        for range in ranges {
            let mut start = range.start.max(last);
            while start > last && is_continuation(bytes[start]) {
                start -= 1;
            }
            let mut end = range.end.max(start);
            while end < bytes.len() && is_continuation(bytes[end]) {
                end += 1;
            }
            out.extend_from_slice(&bytes[last..start]);
            let chars = bytes[start..end]
                .iter()
                .filter(|b| !is_continuation(**b))
                .count();
            out.extend(std::iter::repeat_n(MASK as u8, chars));
            last = end;
        }
        out.extend_from_slice(&bytes[last..]);
        Cow::Owned(out)
    }
}

/// Makes a run's strings safe to show: secrets masked, then control characters escaped.
/// Interned strings are done once each.
pub struct Scrubber<'a> {
    redactor: &'a Redactor,
    /// By the original's address: the original, kept alive so its address is not reused
    /// while the map is, and its clean copy.
    done: std::collections::HashMap<usize, (std::sync::Arc<str>, std::sync::Arc<str>)>,
}

impl<'a> Scrubber<'a> {
    pub fn new(redactor: &'a Redactor) -> Self {
        Scrubber {
            redactor,
            done: Default::default(),
        }
    }

    pub fn redactor(&self) -> &Redactor {
        self.redactor
    }

    pub fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        match self.redactor.redact(text) {
            Cow::Borrowed(text) => crate::escape::control(text),
            Cow::Owned(text) => Cow::Owned(crate::escape::control(&text).into_owned()),
        }
    }

    pub fn string(&self, text: &mut String) {
        if let Cow::Owned(clean) = self.text(text) {
            *text = clean;
        }
    }

    pub fn shared(&mut self, text: &mut std::sync::Arc<str>) {
        let key = std::sync::Arc::as_ptr(text) as *const u8 as usize;
        if let Some((_, clean)) = self.done.get(&key) {
            *text = std::sync::Arc::clone(clean);
            return;
        }
        let clean: std::sync::Arc<str> = match self.text(text) {
            Cow::Borrowed(_) => std::sync::Arc::clone(text),
            Cow::Owned(clean) => clean.into(),
        };
        let original = std::mem::replace(text, std::sync::Arc::clone(&clean));
        self.done.insert(key, (original, clean));
    }
}

/// Ranges sorted, with overlapping and touching ones joined.
pub fn merge(mut ranges: Vec<std::ops::Range<usize>>) -> Vec<std::ops::Range<usize>> {
    ranges.retain(|r| !r.is_empty());
    ranges.sort_unstable_by_key(|r| (r.start, r.end));
    let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

fn is_continuation(byte: u8) -> bool {
    byte & 0b1100_0000 == 0b1000_0000
}

/// A secret as each output format could write it.
pub fn variants(secret: &str) -> Vec<String> {
    use crate::escape;
    let shown = escape::control(secret).into_owned();
    let mut out = Vec::with_capacity(16);
    for form in [secret, shown.as_str()] {
        out.push(form.to_owned());
        if let Ok(json) = serde_json::to_string(form)
            && let Some(inner) = json.strip_prefix('"').and_then(|j| j.strip_suffix('"'))
        {
            out.push(inner.to_owned());
        }
        out.push(quick_xml::escape::escape(form).into_owned());
        out.push(quick_xml::escape::partial_escape(form).into_owned());
        out.push(escape::github_data(form));
        out.push(escape::github_property(form));
        out.push(escape::uri_path(form));
    }
    out.retain(|v| v.chars().count() >= MIN_SEARCHED_CHARS);
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_each_occurrence_character_for_character() {
        let redactor = Redactor::new(["hunter2-xyz", "pässwörd"]);
        assert_eq!(
            redactor.redact("a hunter2-xyz b pässwörd c"),
            "a *********** b ******** c"
        );
        assert_eq!(redactor.redact("nothing here"), "nothing here");
        assert!(matches!(redactor.redact("nothing"), Cow::Borrowed(_)));
    }

    #[test]
    fn masks_escaped_forms() {
        let redactor = Redactor::new([r#"a"b<c>&d\e%f"#]);
        for text in [
            r#"a"b<c>&d\e%f"#,
            r#"a\"b<c>&d\\e%f"#,
            "a&quot;b&lt;c&gt;&amp;d\\e%f",
            "a\"b&lt;c&gt;&amp;d\\e%f",
            "a\"b<c>&d\\e%25f",
        ] {
            let masked = redactor.redact(text);
            assert!(masked.chars().all(|c| c == '*'), "{text}: {masked}");
        }
    }

    #[test]
    fn overlapping_secrets_are_both_masked() {
        let redactor = Redactor::new(["abcdefgh", "efghijklmnop"]);
        assert_eq!(redactor.redact("xabcdefghijklmnopx"), "x****************x");
    }

    #[test]
    fn parts_of_a_secret_are_masked_too() {
        let redactor = Redactor::new(["Qz7!kW2 pL9#xR4"]);
        assert_eq!(
            redactor.redact("`Qz7!kW2` is not a rule"),
            "`*******` is not a rule"
        );
        assert_eq!(redactor.redact("pL9#x"), "pL9#x");
    }

    #[test]
    fn short_secrets_are_not_searched() {
        let redactor = Redactor::new(["SCEP", "12345"]);
        assert!(redactor.is_empty());
        assert_eq!(redactor.redact("SCEP003 12345"), "SCEP003 12345");
    }

    #[test]
    fn bytes_that_are_not_utf8_are_masked_too() {
        let redactor = Redactor::new(["hunter2-xyz"]);
        let bytes = b"\xff hunter2-xyz \xfe";
        assert_eq!(&*redactor.redact_bytes(bytes), b"\xff *********** \xfe");
        let redactor = Redactor::new(["pässwörd"]);
        assert_eq!(
            &*redactor.redact_bytes("[pässwörd]".as_bytes()),
            b"[********]"
        );
    }
}
