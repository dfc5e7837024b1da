//! Keeping secrets out of code frames, while the file's text is in memory.
//!
//! In a file that parsed, a frame hides the spans where secrets were found and every other place
//! their text appears. In a file that did not parse, nobody knows which text is a value, so a
//! frame shows only the markup: tag names and punctuation, never character data.

use super::candidates::{Found, MIN_SEARCHED_CHARS};
use super::redactor::MASK;
use crate::source::Span;

/// Byte ranges of `text` to hide: the located spans of `found`, and every occurrence of its
/// searchable texts. Sorted and disjoint, as [`apply`] needs them.
pub fn secret_spans(text: &str, found: &Found) -> Vec<Span> {
    let mut spans: Vec<Span> = found.spans.clone();
    let searchable = found.searchable();
    if !searchable.is_empty()
        && let Ok(searcher) = aho_corasick::AhoCorasick::new(&searchable)
    {
        spans.extend(
            searcher
                .find_overlapping_iter(text.as_bytes())
                .map(|m| m.range()),
        );
    }
    merged(spans)
}

/// `spans` sorted, with overlapping and touching spans joined: what [`apply`] binary-searches.
fn merged(mut spans: Vec<Span>) -> Vec<Span> {
    spans.retain(|s| !s.is_empty());
    spans.sort_unstable_by_key(|s| (s.start, s.end));
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for span in spans {
        match out.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => out.push(span),
        }
    }
    out
}

/// Replaces every character of `line` (which starts at `line_start` in the file) that falls in
/// one of `spans` (sorted and disjoint, as [`secret_spans`] returns them) with `*`, one per
/// character, so columns stay where they were.
pub fn apply(line: &str, line_start: usize, spans: &[Span]) -> String {
    let line_end = line_start + line.len();
    let first = spans.partition_point(|s| s.end <= line_start);
    let on_line = &spans[first..];
    if on_line.first().is_none_or(|s| s.start >= line_end) {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len());
    let mut next = on_line.iter().take_while(|s| s.start < line_end).peekable();
    for (i, c) in line.char_indices() {
        let at = line_start + i;
        while next.peek().is_some_and(|s| s.end <= at) {
            next.next();
        }
        let hidden = next.peek().is_some_and(|s| s.start <= at && at < s.end);
        out.push(if hidden { MASK } else { c });
    }
    out
}

/// A line of a file that did not parse, with only its structure showing: XML tag names (raw
/// or escaped as `&lt;name`), plist keys and JSON object keys, punctuation and whitespace stay;
/// every other character, which could belong to a value, becomes `*`. One character for one,
/// so columns stay where they were.
pub fn structure_only(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    // Inside the text of a `<key>` element: a plist key, shown.
    let mut in_key = false;
    while i < chars.len() {
        let c = chars[i];
        let tag = if c == '<' {
            Some((i + 1, chars.get(i + 1) == Some(&'/')))
        } else if c == '&' && starts_with(&chars[i..], "&lt;") {
            Some((i + 4, chars.get(i + 4) == Some(&'/')))
        } else {
            None
        };
        if let Some((after, closing)) = tag {
            let name_start =
                after + usize::from(closing || matches!(chars.get(after), Some('?' | '!')));
            let mut j = name_start;
            while chars
                .get(j)
                .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':'))
            {
                j += 1;
            }
            let name: String = chars[name_start..j].iter().collect();
            out.extend(&chars[i..j]);
            i = j;
            in_key = false;
            if name == "key" && !closing {
                // The tag's end, then the key's text.
                if chars.get(i) == Some(&'>') {
                    out.push('>');
                    i += 1;
                    in_key = true;
                } else if starts_with(&chars[i..], "&gt;") {
                    out.push_str("&gt;");
                    i += 4;
                    in_key = true;
                }
            }
            continue;
        }
        if in_key {
            out.push(c);
            i += 1;
            continue;
        }
        if c == '"'
            && let Some(len) = json_key_len(&chars[i..])
        {
            out.extend(&chars[i..i + len]);
            i += len;
            continue;
        }
        if c == '&' {
            // An entity is markup too (`&gt;`, `&quot;`); a character reference could spell
            // anything, so only named ones stay.
            let end = chars[i..].iter().take(8).position(|c| *c == ';');
            if let Some(end) = end
                && chars[i + 1..i + end]
                    .iter()
                    .all(|c| c.is_ascii_alphabetic())
            {
                out.extend(&chars[i..=i + end]);
                i += end + 1;
                continue;
            }
        }
        let keep = c.is_whitespace() || "<>/=\"'{}[]:,;!?&".contains(c);
        out.push(if keep { c } else { MASK });
        i += 1;
    }
    out
}

/// The length of a JSON string at the start of `chars` that is an object key (closed on this
/// line and followed by a colon), quotes included.
fn json_key_len(chars: &[char]) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in chars.iter().enumerate().skip(1) {
        match (escaped, c) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, '"') => {
                let rest = &chars[i + 1..];
                let colon = rest.iter().find(|c| !c.is_whitespace());
                return (colon == Some(&':')).then_some(i + 1);
            }
            _ => {}
        }
    }
    None
}

fn starts_with(chars: &[char], prefix: &str) -> bool {
    prefix
        .chars()
        .enumerate()
        .all(|(i, p)| chars.get(i) == Some(&p))
}

/// Whether a secret is long enough to be searched for by its text (shorter ones are masked
/// only where they stand).
pub fn is_searchable(secret: &str) -> bool {
    secret.chars().count() >= MIN_SEARCHED_CHARS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(spans: &[Span], texts: &[&str]) -> Found {
        Found {
            texts: texts.iter().map(|t| t.to_string()).collect(),
            spans: spans.to_vec(),
        }
    }

    #[test]
    fn spans_are_sorted_disjoint_and_each_secret_found() {
        let text = "abcdef abcdefabcdef xx abcdef";
        let mut secrets = found(&[], &["abcdef", "abcdef", "bcdefa"]);
        secrets.spans.push(2..3);
        let spans = secret_spans(text, &secrets);
        assert_eq!(spans, [0..6, 7..19, 23..29]);
        assert_eq!(apply(text, 0, &spans), "****** ************ xx ******");
        assert_eq!(apply(&text[7..19], 7, &spans), "************");
        assert_eq!(apply(&text[19..23], 19, &spans), " xx ");
    }

    #[test]
    fn short_secrets_are_masked_only_where_they_stand() {
        let text = "<string>abc</string> abc";
        let mut secrets = found(&[], &["abc"]);
        secrets.spans.push(8..11);
        let spans = secret_spans(text, &secrets);
        assert_eq!(apply(text, 0, &spans), "<string>***</string> abc");
    }

    #[test]
    fn multi_byte_secrets_keep_their_column_count() {
        let text = "<string>pässwörd</string>";
        let spans = secret_spans(text, &found(&[], &["pässwörd"]));
        let out = apply(text, 0, &spans);
        assert_eq!(out, "<string>********</string>");
        assert_eq!(out.chars().count(), text.chars().count());
    }

    #[test]
    fn structure_only_shows_markup_not_values() {
        assert_eq!(
            structure_only("<key>Challenge</key><string>s3cr3t</string>"),
            "<key>Challenge</key><string>******</string>"
        );
        assert_eq!(
            structure_only("&lt;key&gt;Chalenge&lt;/key&gt;&lt;string&gt;s3cr3t&lt;/string&gt;"),
            "&lt;key&gt;Chalenge&lt;/key&gt;&lt;string&gt;******&lt;/string&gt;"
        );
        assert_eq!(
            structure_only(r#"{"challenge": "s3cr3t", "n": 12, "x": "a\"b"}"#),
            r#"{"challenge": "******", "n": **, "x": "**"*"}"#
        );
        assert_eq!(
            structure_only("<plist version=\"1.0\">"),
            "<plist *******=\"***\">"
        );
        assert_eq!(
            structure_only("<string>a&#98;c</string>"),
            "<string>*&***;*</string>"
        );
        let line = "<string>pässwörd</string>";
        assert_eq!(structure_only(line).chars().count(), line.chars().count());
    }
}
