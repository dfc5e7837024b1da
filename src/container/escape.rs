//! Text nested in a string of another file (the plist inside Jamf's `<payloads>`, inside the
//! `profile` of a Kandji/Iru JSON export): decode the escapes and keep a map from every decoded
//! offset back to the outer file, so a finding inside the nested plist lands on the right line
//! and column of the file the user gave.

use super::ParseError;
use super::xml::resolve_reference;
use crate::source::Span;

/// Maps offsets in decoded text to offsets in the outer file.
#[derive(Debug, Clone)]
pub struct OffsetMap {
    /// `(decoded, outer)` pairs at each point where an escape breaks the one-to-one run.
    anchors: Vec<(usize, usize)>,
}

impl OffsetMap {
    fn new(outer_start: usize) -> Self {
        OffsetMap {
            anchors: vec![(0, outer_start)],
        }
    }

    fn anchor(&mut self, decoded: usize, outer: usize) {
        self.anchors.push((decoded, outer));
    }

    pub fn offset(&self, decoded: usize) -> usize {
        let i = self.anchors.partition_point(|(d, _)| *d <= decoded);
        let (d, outer) = self.anchors[i.saturating_sub(1)];
        outer + (decoded - d)
    }

    pub fn span(&self, span: &Span) -> Span {
        self.offset(span.start)..self.offset(span.end)
    }
}

/// Appends the text before an escape, then what the escape at `at` (`consumed` bytes long)
/// stands for, anchoring both ends of it.
fn push_escape(
    decoded: &mut String,
    map: &mut OffsetMap,
    before: &str,
    c: char,
    at: usize,
    consumed: usize,
) {
    decoded.push_str(before);
    map.anchor(decoded.len(), at);
    decoded.push(c);
    map.anchor(decoded.len(), at + consumed);
}

/// Decodes XML character data (entities, character references, CDATA sections, comments)
/// found at `outer_start` in the outer file.
pub fn unescape_xml(raw: &str, outer_start: usize) -> Result<(String, OffsetMap), ParseError> {
    let mut decoded = String::with_capacity(raw.len());
    let mut map = OffsetMap::new(outer_start);
    let bytes = raw.as_bytes();
    let mut i = 0;
    let mut run_start = 0;
    while i < bytes.len() {
        let at = outer_start + i;
        let (replacement, consumed): (Option<&str>, usize) = match bytes[i] {
            b'&' => {
                let Some(len) = raw[i..].find(';') else {
                    return Err(ParseError::at("`&` without a closing `;`", at..at + 1));
                };
                let name = &raw[i + 1..i + len];
                let Some(c) = resolve_reference(name) else {
                    return Err(ParseError::at(
                        "unknown entity reference in escaped text",
                        at..at + len + 1,
                    ));
                };
                decoded.push_str(&raw[run_start..i]);
                let before = decoded.len();
                decoded.push(c);
                map.anchor(before, at);
                map.anchor(decoded.len(), at + len + 1);
                i += len + 1;
                run_start = i;
                continue;
            }
            b'<' if raw[i..].starts_with("<![CDATA[") => {
                let Some(end) = raw[i + 9..].find("]]>") else {
                    return Err(ParseError::at("unclosed CDATA section", at..at + 9));
                };
                decoded.push_str(&raw[run_start..i]);
                map.anchor(decoded.len(), at + 9);
                decoded.push_str(&raw[i + 9..i + 9 + end]);
                map.anchor(decoded.len(), at + 9 + end + 3);
                i += 9 + end + 3;
                run_start = i;
                continue;
            }
            b'<' if raw[i..].starts_with("<!--") => match raw[i + 4..].find("-->") {
                Some(end) => (Some(""), 4 + end + 3),
                None => return Err(ParseError::at("unclosed comment", at..at + 4)),
            },
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => (Some("\n"), 2),
            _ => (None, 1),
        };
        match replacement {
            Some(text) => {
                decoded.push_str(&raw[run_start..i]);
                map.anchor(decoded.len(), at);
                decoded.push_str(text);
                map.anchor(decoded.len(), at + consumed);
                i += consumed;
                run_start = i;
            }
            None => i += consumed,
        }
    }
    decoded.push_str(&raw[run_start..]);
    Ok((decoded, map))
}

/// Decodes the inside of a JSON string literal (without its quotes) found at `outer_start`.
pub fn unescape_json(raw: &str, outer_start: usize) -> Result<(String, OffsetMap), ParseError> {
    let mut decoded = String::with_capacity(raw.len());
    let mut map = OffsetMap::new(outer_start);
    let bytes = raw.as_bytes();
    let mut i = 0;
    let mut run_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        let at = outer_start + i;
        let bad = || ParseError::at("invalid escape in a JSON string", at..at + 2);
        let (c, consumed) = match bytes.get(i + 1) {
            Some(b'"') => ('"', 2),
            Some(b'\\') => ('\\', 2),
            Some(b'/') => ('/', 2),
            Some(b'b') => ('\u{8}', 2),
            Some(b'f') => ('\u{c}', 2),
            Some(b'n') => ('\n', 2),
            Some(b'r') => ('\r', 2),
            Some(b't') => ('\t', 2),
            Some(b'u') => {
                let unit = |at: usize| {
                    raw.get(at..at + 4)
                        .and_then(|hex| u16::from_str_radix(hex, 16).ok())
                };
                let first = unit(i + 2).ok_or_else(bad)?;
                if (0xD800..0xDC00).contains(&first) && raw[i + 6..].starts_with("\\u") {
                    let second = unit(i + 8).ok_or_else(bad)?;
                    let c = char::decode_utf16([first, second])
                        .next()
                        .and_then(Result::ok)
                        .ok_or_else(bad)?;
                    (c, 12)
                } else {
                    (char::from_u32(u32::from(first)).ok_or_else(bad)?, 6)
                }
            }
            _ => return Err(bad()),
        };
        push_escape(&mut decoded, &mut map, &raw[run_start..i], c, at, consumed);
        i += consumed;
        run_start = i;
    }
    decoded.push_str(&raw[run_start..]);
    Ok((decoded, map))
}

/// Decodes the inside of an HCL quoted string (without its quotes) found at `outer_start`:
/// `\"`, `\\`, `\n`, `\r`, `\t`, `\uXXXX`, `\UXXXXXXXX`, and the template escapes `$${`
/// and `%%{`.
pub fn unescape_hcl(raw: &str, outer_start: usize) -> Result<(String, OffsetMap), ParseError> {
    let mut decoded = String::with_capacity(raw.len());
    let mut map = OffsetMap::new(outer_start);
    let bytes = raw.as_bytes();
    let mut i = 0;
    let mut run_start = 0;
    while i < bytes.len() {
        let at = outer_start + i;
        let (c, consumed) = match (bytes[i], bytes.get(i + 1)) {
            (b'\\', next) => {
                let bad = || ParseError::at("invalid escape in an HCL string", at..at + 2);
                let hex = |len: usize| {
                    raw.get(i + 2..i + 2 + len)
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .and_then(char::from_u32)
                };
                match next {
                    Some(b'"') => ('"', 2),
                    Some(b'\\') => ('\\', 2),
                    Some(b'n') => ('\n', 2),
                    Some(b'r') => ('\r', 2),
                    Some(b't') => ('\t', 2),
                    Some(b'u') => (hex(4).ok_or_else(bad)?, 6),
                    Some(b'U') => (hex(8).ok_or_else(bad)?, 10),
                    _ => return Err(bad()),
                }
            }
            (b'$' | b'%', Some(b'$' | b'%'))
                if bytes[i + 1] == bytes[i] && bytes.get(i + 2) == Some(&b'{') =>
            {
                (char::from(bytes[i]), 2)
            }
            _ => {
                i += 1;
                continue;
            }
        };
        push_escape(&mut decoded, &mut map, &raw[run_start..i], c, at, consumed);
        i += consumed;
        run_start = i;
    }
    decoded.push_str(&raw[run_start..]);
    Ok((decoded, map))
}

/// Decodes an HCL heredoc's body found at `outer_start`: with `<<-`, the common leading
/// whitespace of its lines is removed (as Terraform does); `$${` and `%%{` are unescaped.
pub fn unescape_heredoc(raw: &str, outer_start: usize, dedent: bool) -> (String, OffsetMap) {
    let indent = if dedent {
        raw.lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| line.len() - line.trim_start_matches([' ', '\t']).len())
            .min()
            .unwrap_or(0)
    } else {
        0
    };
    let mut decoded = String::with_capacity(raw.len());
    let mut map = OffsetMap::new(outer_start);
    let mut offset = 0;
    for line in raw.split_inclusive('\n') {
        let blank = line.len() - line.trim_start_matches([' ', '\t']).len();
        let skip = blank.min(indent);
        let mut i = skip;
        map.anchor(decoded.len(), outer_start + offset + i);
        let bytes = line.as_bytes();
        let mut run_start = i;
        while i < bytes.len() {
            if (bytes[i] == b'$' || bytes[i] == b'%')
                && bytes.get(i + 1) == Some(&bytes[i])
                && bytes.get(i + 2) == Some(&b'{')
            {
                decoded.push_str(&line[run_start..i]);
                map.anchor(decoded.len(), outer_start + offset + i);
                decoded.push(char::from(bytes[i]));
                map.anchor(decoded.len(), outer_start + offset + i + 2);
                i += 2;
                run_start = i;
                continue;
            }
            i += 1;
        }
        decoded.push_str(&line[run_start..]);
        offset += line.len();
    }
    (decoded, map)
}

#[cfg(test)]
mod tests {

    #[test]
    fn hcl_strings_and_heredocs_map_back_to_the_file() {
        let raw = r#"a\"b$${c}\u00e9"#;
        let (decoded, map) = unescape_hcl(raw, 10).unwrap();
        assert_eq!(decoded, "a\"b${c}é");
        assert_eq!(map.offset(decoded.find('b').unwrap()), 13);
        let body = "    <plist>\n      <dict/>\n    </plist>\n";
        let (decoded, map) = unescape_heredoc(body, 100, true);
        assert_eq!(decoded, "<plist>\n  <dict/>\n</plist>\n");
        let dict = decoded.find("<dict/>").unwrap();
        assert_eq!(&body[map.offset(dict) - 100..][..7], "<dict/>");
        let (kept, _) = unescape_heredoc(body, 0, false);
        assert_eq!(kept, body);
    }
    use super::*;

    #[test]
    fn xml_escapes_map_back_to_the_outer_text() {
        let outer = "<payloads>&lt;key&gt;Keysize&lt;/key&gt;</payloads>";
        let start = "<payloads>".len();
        let end = outer.len() - "</payloads>".len();
        let (decoded, map) = unescape_xml(&outer[start..end], start).unwrap();
        assert_eq!(decoded, "<key>Keysize</key>");
        let keysize = decoded.find("Keysize").unwrap();
        let span = map.span(&(keysize..keysize + 7));
        assert_eq!(&outer[span], "Keysize");
        let whole = map.span(&(0..decoded.len()));
        assert_eq!(&outer[whole], &outer[start..end]);
    }

    #[test]
    fn newlines_in_escaped_text_keep_lines_right() {
        let raw = "a\r\n&amp;\nb";
        let (decoded, map) = unescape_xml(raw, 100).unwrap();
        assert_eq!(decoded, "a\n&\nb");
        assert_eq!(
            map.offset(decoded.find('b').unwrap()),
            100 + raw.find('b').unwrap()
        );
    }

    #[test]
    fn cdata_is_copied_verbatim() {
        let raw = "x<![CDATA[<plist>&amp;</plist>]]>y";
        let (decoded, map) = unescape_xml(raw, 0).unwrap();
        assert_eq!(decoded, "x<plist>&amp;</plist>y");
        assert_eq!(
            map.offset(decoded.find('y').unwrap()),
            raw.find('y').unwrap()
        );
        assert_eq!(map.offset(1), raw.find("<plist>").unwrap());
    }

    #[test]
    fn json_escapes_map_back_including_surrogates() {
        let raw = r#"<key>\u003cA\n😀\ud83d\ude00Z"#;
        let (decoded, map) = unescape_json(raw, 10).unwrap();
        assert_eq!(decoded, "<key><A\n😀😀Z");
        assert_eq!(
            map.offset(decoded.find('Z').unwrap()),
            10 + raw.find('Z').unwrap()
        );
        assert_eq!(
            map.offset(decoded.find('A').unwrap()),
            10 + raw.find('A').unwrap()
        );
    }

    #[test]
    fn bad_escapes_are_errors_with_a_place() {
        assert_eq!(unescape_json(r"ab\x", 5).unwrap_err().span, Some(7..9));
        assert!(unescape_xml("a &bogus; b", 0).is_err());
        assert!(unescape_json(r"\u12", 0).is_err());
    }
}
