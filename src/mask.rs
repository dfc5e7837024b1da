//! Keeping challenges out of code frames.
//!
//! A profile's challenge is a shared secret, and a code frame shows the lines around a finding.
//! Three layers find what to hide, so a frame never shows a secret even when the file could not
//! be parsed: the challenge spans the parsers located; a tolerant pattern for a `Challenge` key
//! followed by a string in plain, XML-escaped or JSON-escaped markup; and every other place the
//! same secret text appears.

use std::sync::LazyLock;

use regex::Regex;

use crate::source::Span;

static CHALLENGE_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    // `<`, `>` and `/` as they appear raw, XML-escaped or JSON-escaped, and whitespace as it
    // appears raw or JSON-escaped.
    let lt = r"(?:<|&lt;|\\u003[cC])";
    let gt = r"(?:>|&gt;|\\u003[eE])";
    let slash = r"(?:/|\\/)";
    let ws = r"(?:\s|\\[nrt])*";
    let pattern = format!(
        r#"{lt}key{gt}{ws}(?i:chall[ae]nge){ws}{lt}{slash}key{gt}{ws}{lt}string{gt}(?:(?P<closed>.*?){lt}{slash}string{gt}|(?P<open>[^\n]*))|"(?i:chall[ae]nge)"\s*:\s*"(?P<json>(?:[^"\\\n]|\\.)*)"#
    );
    Regex::new(&pattern).expect("the challenge pattern is a valid regex")
});

/// Byte ranges of `text` to hide: `known` spans, values that follow a `Challenge` key, and
/// every occurrence of the `secrets` (four characters or more, so masking stays meaningful).
pub fn secret_spans(text: &str, known: &[Span], secrets: &[&str]) -> Vec<Span> {
    let mut spans: Vec<Span> = known.to_vec();
    if memchr::memmem::find(text.as_bytes(), b"hallenge").is_some()
        || memchr::memmem::find(text.as_bytes(), b"hallange").is_some()
        || memchr::memmem::find(text.as_bytes(), b"HALLENGE").is_some()
    {
        for caps in CHALLENGE_VALUE.captures_iter(text) {
            if let Some(m) = caps
                .name("closed")
                .or(caps.name("open"))
                .or(caps.name("json"))
            {
                spans.push(m.range());
            }
        }
    }
    // Each payload of a profile may carry the same secret: search for each text once.
    let mut secrets: Vec<&str> = secrets
        .iter()
        .copied()
        .filter(|s| s.chars().count() >= 4)
        .collect();
    secrets.sort_unstable();
    secrets.dedup();
    for secret in secrets {
        spans.extend(
            memchr::memmem::find_iter(text.as_bytes(), secret.as_bytes())
                .map(|at| at..at + secret.len()),
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

/// Replaces every byte of `line` (which starts at `line_start` in the file) that falls in one
/// of `spans` (sorted and disjoint, as [`secret_spans`] returns them) with `*`. Byte for byte,
/// so offsets stay valid and the result stays UTF-8.
pub fn apply(line: &str, line_start: usize, spans: &[Span]) -> String {
    let line_end = line_start + line.len();
    let mut bytes = line.as_bytes().to_vec();
    let mut masked = false;
    let first = spans.partition_point(|s| s.end <= line_start);
    for span in spans[first..].iter().take_while(|s| s.start < line_end) {
        let from = span.start.max(line_start) - line_start;
        let to = span.end.min(line_end) - line_start;
        bytes[from..to].fill(b'*');
        masked = true;
    }
    if !masked {
        return line.to_owned();
    }
    // A span boundary inside a multi-byte character would leave stray continuation bytes.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_sorted_disjoint_and_each_secret_searched_once() {
        let text = "abcd abcdabcd xx abcd";
        let known: Span = 2..3;
        let spans = secret_spans(
            text,
            std::slice::from_ref(&known),
            &["abcd", "abcd", "bcda"],
        );
        assert_eq!(spans, [0..4, 5..13, 17..21]);
        assert_eq!(apply(text, 0, &spans), "**** ******** xx ****");
        // A line in the middle sees only its own spans.
        assert_eq!(apply(&text[5..13], 5, &spans), "********");
        assert_eq!(apply(&text[13..17], 13, &spans), " xx ");
    }

    fn masked(text: &str) -> String {
        let spans = secret_spans(text, &[], &[]);
        apply(text, 0, &spans)
    }

    #[test]
    fn masks_plain_escaped_and_json_escaped_challenges() {
        assert_eq!(
            masked("<key>Challenge</key>\n\t<string>hunter2</string>"),
            "<key>Challenge</key>\n\t<string>*******</string>"
        );
        assert_eq!(
            masked("&lt;key&gt;Challenge&lt;/key&gt;&lt;string&gt;hunter2&lt;/string&gt;"),
            "&lt;key&gt;Challenge&lt;/key&gt;&lt;string&gt;*******&lt;/string&gt;"
        );
        assert_eq!(
            masked(r#""<key>Challenge<\/key>\n<string>hunter2<\/string>""#),
            r#""<key>Challenge<\/key>\n<string>*******<\/string>""#
        );
        assert_eq!(
            masked(
                r"\u003ckey\u003eChallenge\u003c/key\u003e\u003cstring\u003ehunter2\u003c/string\u003e"
            ),
            r"\u003ckey\u003eChallenge\u003c/key\u003e\u003cstring\u003e*******\u003c/string\u003e"
        );
        assert_eq!(
            masked(r#"{"challenge": "hunter2"}"#),
            r#"{"challenge": "*******"}"#
        );
    }

    #[test]
    fn masks_to_the_end_of_the_line_when_the_string_is_not_closed() {
        assert_eq!(
            masked("<key>Challenge</key><string>hunter2<oops\nnext"),
            "<key>Challenge</key><string>************\nnext"
        );
    }

    #[test]
    fn masks_other_occurrences_of_a_known_secret() {
        let text = "<!-- old secret: hunter2 -->";
        let spans = secret_spans(text, &[], &["hunter2"]);
        assert_eq!(apply(text, 0, &spans), "<!-- old secret: ******* -->");
    }

    #[test]
    fn multi_byte_secrets_stay_valid_utf8() {
        let text = "<key>Challenge</key><string>pässwörd</string>";
        let out = masked(text);
        assert!(out.contains("<string>**********</string>"), "{out}");
    }
}
