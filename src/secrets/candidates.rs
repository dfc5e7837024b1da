//! What counts as a secret: the value under any key that names a challenge or a password, in
//! any spelling, case, spacing or escaping, of any type. Found in a parsed tree (every container
//! and export shape ends up as one), and, where a file does not parse or text sits outside the
//! tree (comments), by scanning the text in its raw and decoded forms.
//!
//! The scan looks for a secret-like word in the place of a key (`<key>…</key>`, an element name,
//! a JSON key, `name =` or `name:` at the start of a line, the last segment of a SyncML
//! `LocURI`) and takes the value that follows. It is deliberately liberal: a value taken by
//! mistake only means something more is masked.

use crate::source::Span;
use crate::tree::{Node, Value};

/// Secrets shorter than this (in characters) are not searched for elsewhere in the output:
/// masking every `SCEP` or `2048` would garble the report, and no key Okta issues is that short.
/// Where such a value stands in the file, it is still masked.
pub const MIN_SEARCHED_CHARS: usize = 6;

/// The most the text scan takes after one key.
const MAX_VALUE_BYTES: usize = 1024 * 1024;
const MAX_VALUE_LINES: usize = 100_000;
/// How far after a SyncML `…/Challenge</LocURI>` its `<Data>` may be.
const MAX_LOCURI_DISTANCE: usize = 4096;

/// Challenge values copied from published examples (domain.md sections 7 and 9): public text,
/// not secrets, so they are neither hidden nor searched for.
pub const PUBLISHED_PLACEHOLDERS: &[&str] = &[
    "YOUR_SCEP_SECRET_KEY_FROM_OKTA",
    "[REPLACE_WITH_CHALLENGE]",
    "SCEP-CHALLENGE-HERE",
    "@SCEP_CHALLENGE@",
    "{{.SCEPChallenge}}",
    "yourChallengeHere",
    "{{yourChallenge}}",
];

/// Secrets found in one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// Each secret as text: the value decoded, as written, and each of its lines.
    pub texts: Vec<String>,
    /// Where values sit in the file's text (masked in code frames).
    pub spans: Vec<Span>,
}

impl Found {
    /// Records a value (and each of its lines), unless it is empty or a variable some MDM
    /// defines (a public name, not a secret).
    pub fn add(&mut self, value: &str) {
        let trimmed = value.trim();
        if trimmed.is_empty() || is_public_variable(trimmed) || is_published_placeholder(trimmed) {
            return;
        }
        // As written too: the spaces around a value are part of what a device sends.
        self.texts.push(trimmed.to_owned());
        if trimmed.len() != value.len() {
            self.texts.push(value.to_owned());
        }
        if value.contains(['\n', '\r']) {
            for line in value.split(['\n', '\r']) {
                let part = line.trim();
                if !part.is_empty() && !is_public_variable(part) {
                    self.texts.push(part.to_owned());
                    if part.len() != line.len() {
                        self.texts.push(line.to_owned());
                    }
                }
            }
        }
    }

    pub fn add_bytes(&mut self, bytes: &[u8]) {
        self.add(&String::from_utf8_lossy(bytes));
    }

    pub fn extend(&mut self, other: Found) {
        self.texts.extend(other.texts);
        self.spans.extend(other.spans);
    }

    /// The texts too short to be searched for everywhere (they would match unrelated text),
    /// each once: masked where they stand, and wherever a file's own text is shown whole.
    pub fn short(&self) -> Vec<&str> {
        let mut texts: Vec<&str> = self
            .texts
            .iter()
            .map(String::as_str)
            .filter(|t| !t.is_empty() && t.chars().count() < MIN_SEARCHED_CHARS)
            .collect();
        texts.sort_unstable();
        texts.dedup();
        texts
    }

    /// The texts long enough to be searched for everywhere, each once.
    pub fn searchable(&self) -> Vec<&str> {
        let mut texts: Vec<&str> = self
            .texts
            .iter()
            .map(String::as_str)
            .filter(|t| t.chars().count() >= MIN_SEARCHED_CHARS)
            .collect();
        texts.sort_unstable();
        texts.dedup();
        texts
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty() && self.spans.is_empty()
    }
}

fn is_published_placeholder(value: &str) -> bool {
    PUBLISHED_PLACEHOLDERS
        .iter()
        .any(|p| p.eq_ignore_ascii_case(value))
}

/// A value that is exactly one variable token that some MDM (or macOS) defines: the MDM fills
/// it in, so it is a name anyone can read in the MDM's documentation, not a secret.
fn is_public_variable(value: &str) -> bool {
    match crate::variables::find(value).as_slice() {
        [only] if only.range == (0..value.len()) => {
            let canonical = only.canonical();
            crate::variables::TABLES
                .iter()
                .any(|(_, table)| table.iter().any(|known| known.matches(&canonical)))
        }
        _ => false,
    }
}

/// Whether `key` names a challenge or another secret: `Challenge`, `challenge`, `Chalenge`,
/// `Challenges`, `ChallengePassword`, `Chal lenge`, `chllenge`, `Password`, … Letters and
/// digits are compared, case-insensitively; separators, spacing and escapes (already decoded
/// by the caller) do not matter.
pub fn is_secret_key(key: &str) -> bool {
    // "pass" and "secret" as written, separators kept: `Password`, `enroll_secret`,
    // `Pass Phrase`; but not `setup_assistant`, whose letters only spell "pass" once the
    // separator is gone.
    let has_word = |word: &[u8]| {
        key.as_bytes()
            .windows(word.len())
            .any(|window| window.eq_ignore_ascii_case(word))
    };
    if has_word(b"pass") || has_word(b"secret") {
        return true;
    }
    // Keys are short and mostly ASCII: normalise on the stack, without allocating, since every
    // key of every file passes here.
    let mut buffer = [0u8; 256];
    let mut len = 0;
    let mut fits = true;
    for byte in key.bytes() {
        if byte.is_ascii_alphanumeric() {
            if len == buffer.len() {
                fits = false;
                break;
            }
            buffer[len] = byte.to_ascii_lowercase();
            len += 1;
        } else if !byte.is_ascii() {
            fits = false;
            break;
        }
    }
    if fits {
        return is_secret_normalized(&buffer[..len]);
    }
    // A long or non-ASCII key: the same test, on the heap. It is linear, so no key is too long
    // to test (a key made long on purpose must not pass as harmless).
    let mut normalized = String::with_capacity(key.len());
    for c in key.chars().filter(|c| c.is_alphanumeric()) {
        normalized.extend(c.to_lowercase());
    }
    is_secret_normalized(normalized.as_bytes())
}

fn is_secret_normalized(key: &[u8]) -> bool {
    if key.len() < 5 {
        return false;
    }
    let contains = |word: &[u8]| key.windows(word.len()).any(|window| window == word);
    // "challenge" and its near-spellings anywhere in the key: a substring at most two edits
    // away. Two edits cannot touch all three of "cha", "lle" and "nge", so such a key holds one
    // of them intact: that rules out most keys before any distance is computed (every key of
    // every file passes here).
    (contains(b"cha") || contains(b"lle") || contains(b"nge"))
        && substring_distance(key, b"challenge") <= 2
}

/// The fewest edits that turn `pattern` into some substring of `text` (Sellers' algorithm: an
/// edit distance where the match may start and end anywhere in `text`), in O(len × pattern).
/// Bytes are compared, so a non-ASCII character counts as several edits: it is never one of
/// "challenge"'s letters anyway.
fn substring_distance(text: &[u8], pattern: &[u8; 9]) -> usize {
    // column[i]: the best distance of pattern[..i] to a substring ending at the current byte.
    let mut column: [usize; 10] = std::array::from_fn(|i| i);
    let mut best = column[9];
    for &c in text {
        let mut diagonal = column[0];
        column[0] = 0;
        for i in 1..=9 {
            let above = column[i];
            column[i] = (diagonal + usize::from(pattern[i - 1] != c))
                .min(above + 1)
                .min(column[i - 1] + 1);
            diagonal = above;
        }
        best = best.min(column[9]);
    }
    best
}

/// Collects the values under secret keys anywhere in `root`, with their spans in `text` (the
/// file's text, when the tree has positions in it).
pub fn collect_tree(root: &Node, text: Option<&str>, found: &mut Found) {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Dict(entries) => {
                // An object that names a secret node by path (an Intune OMA setting whose
                // `omaUri` ends `/Install/Challenge`) holds the secret in its value.
                let names_secret = entries.iter().any(|e| {
                    e.value
                        .as_str()
                        .and_then(|s| s.trim().rsplit('/').next())
                        .is_some_and(|last| {
                            last != e.value.as_str().unwrap_or("").trim() && is_secret_key(last)
                        })
                });
                for entry in entries {
                    let value_of_secret_path = names_secret
                        && matches!(entry.key.to_ascii_lowercase().as_str(), "value" | "data");
                    if is_secret_key(&entry.key) || value_of_secret_path {
                        collect_value(&entry.value, text, found);
                    } else {
                        stack.push(&entry.value);
                    }
                }
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
}

/// Every scalar and key inside a secret's value: a challenge may be a string, a number, a date,
/// `<data>`, or a container holding any of them.
pub fn collect_value(value: &Node, text: Option<&str>, found: &mut Found) {
    let mut stack = vec![value];
    while let Some(node) = stack.pop() {
        let written = text
            .zip(node.inner.clone())
            .and_then(|(text, inner)| text.get(inner.clone()).map(|raw| (raw, inner)));
        match &node.value {
            Value::Dict(entries) => {
                for entry in entries {
                    found.add(&entry.key);
                    if let Some(span) = &entry.key_span {
                        found.spans.push(span.clone());
                    }
                    stack.push(&entry.value);
                }
                continue;
            }
            Value::Array(items) => {
                stack.extend(items);
                continue;
            }
            Value::String(s) => found.add(s),
            Value::Integer(i) => found.add(&i.to_string()),
            Value::Real(r) => found.add(&r.to_string()),
            Value::Date(d) => found.add(d),
            Value::Uid(u) => found.add(&u.to_string()),
            Value::Deferred { token, .. } => found.add(token),
            Value::Data { head, .. } => found.add_bytes(head),
            Value::Bool(_) | Value::Null => {}
        }
        if let Some((raw, inner)) = written {
            found.add(raw);
            found.spans.push(inner);
        }
    }
}

/// The secrets of a SyncML file: the `<Data>` of every item whose node is named like a secret
/// (`.../Install/Challenge`), and the node names themselves when they are (a LocURI could be
/// built to carry a secret).
pub fn collect_syncml(file: &crate::container::syncml::SyncMl, found: &mut Found) {
    for item in file.commands.iter().flat_map(|c| &c.items) {
        let Some(target) = &item.target else {
            continue;
        };
        let node = target
            .value
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default();
        if !is_secret_key(node) {
            continue;
        }
        if let Some(data) = &item.data {
            found.add(&data.value);
            found.spans.push(data.span.clone());
        }
    }
}

/// Scans text that has no tree (a file that does not parse, a comment) for values under secret
/// keys, in the text as written and decoded as XML (once and twice, for Jamf's escaped
/// payloads) and as JSON (and JSON then XML, for Kandji/Iru's `profile` string). Spans are
/// offsets from `base` in the file, for the text as written.
pub fn scan_text(text: &str, base: usize, found: &mut Found) {
    scan_view(text, Some(base), found);
    for (view, _) in super::views::all(text) {
        scan_view(&view, None, found);
    }
}

/// Characters a key is made of in the scan: letters, digits and the separators keys use.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' ')
}

fn scan_view(view: &str, base: Option<usize>, found: &mut Found) {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in view.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push(s..view.len());
    }
    for word in words {
        let raw = &view[word.clone()];
        let trimmed_start = word.start + (raw.len() - raw.trim_start().len());
        let trimmed_end = word.end - (raw.len() - raw.trim_end().len());
        if trimmed_start >= trimmed_end || !is_secret_key(&view[trimmed_start..trimmed_end]) {
            continue;
        }
        // A key may be written with spaces (`Challenge Password:`), or be the last of several
        // names (an attribute: `<extra challenge="…"`): the whole run first, then its last name.
        let last = view[trimmed_start..trimmed_end]
            .rfind(' ')
            .map(|i| trimmed_start + i + 1);
        let value = value_after_key(view, trimmed_start, trimmed_end).or_else(|| {
            last.filter(|&s| is_secret_key(&view[s..trimmed_end]))
                .and_then(|s| value_after_key(view, s, trimmed_end))
        });
        if let Some(value) = value {
            take(view, value, base, found);
        }
    }
}

/// Scans a comment: a secret written after a challenge key there is hidden with the whole
/// comment in code frames.
pub fn scan_comment(comment: &crate::container::Comment, found: &mut Found) {
    let mut in_comment = Found::default();
    scan_text(&comment.text, 0, &mut in_comment);
    if in_comment.texts.is_empty() {
        return;
    }
    found.texts.extend(in_comment.texts);
    found.spans.extend(comment.span.clone());
}

/// Where a captured value sits in the view, and how to read it.
struct Captured {
    span: Span,
    kind: Capture,
}

enum Capture {
    /// Character data between XML tags (entities to decode); nested markup is stripped.
    Xml,
    /// A JSON string's content, or a JSON container or scalar.
    Json,
    /// Plain text (YAML, TOML, HCL, a comment).
    Plain,
}

fn take(view: &str, captured: Captured, base: Option<usize>, found: &mut Found) {
    let Some(raw) = view.get(captured.span.clone()) else {
        return;
    };
    if let Some(base) = base {
        found
            .spans
            .push(base + captured.span.start..base + captured.span.end);
    }
    found.add(raw);
    match captured.kind {
        Capture::Xml => {
            for piece in text_between_tags(raw) {
                found.add(&decoded_xml(piece));
            }
        }
        Capture::Json => {
            for piece in json_tokens(raw) {
                found.add(&decoded_json(piece));
            }
        }
        Capture::Plain => {
            let unquoted = raw.trim().trim_matches(['"', '\'']);
            found.add(unquoted);
        }
    }
}

/// The value that follows a secret-like word at `start..end`, if the word stands where a key
/// does.
fn value_after_key(view: &str, start: usize, end: usize) -> Option<Captured> {
    let before = &view[..start];
    let after = &view[end..];
    let before_trimmed = before.trim_end();
    let after_trimmed = after.trim_start();
    let after_at = end + (after.len() - after_trimmed.len());

    // `<key>Challenge</key>` followed by a value element.
    if before_trimmed.ends_with('>') && tag_before(before_trimmed).is_some_and(|t| t == "key") {
        let close = after_trimmed.find('>')?;
        if !after_trimmed.starts_with("</") {
            return None;
        }
        return xml_value(view, after_at + close + 1);
    }
    // An element named like a challenge: `<challenge>value</challenge>`, everything up to its
    // closing tag (text mixed with other elements included).
    if before.ends_with('<') {
        let rest = &view[end..];
        if rest.starts_with("/>") {
            return None;
        }
        let close = rest.find('>')?;
        if rest[..close].ends_with('/') {
            return None;
        }
        let open = end + close + 1;
        let name = &view[start..end];
        let body = &view[open..];
        let limit = body.len().min(MAX_VALUE_BYTES);
        let limit = crate::source::clamp_to_char_boundary(body, limit);
        if let Some(closing) = body[..limit].find(&format!("</{name}")) {
            return Some(Captured {
                span: open..open + closing,
                kind: Capture::Xml,
            });
        }
        return xml_value(view, open);
    }
    // An attribute, or any `name = "value"` (HCL, TOML): the quoted value.
    if let Some(rest) = after_trimmed.strip_prefix('=')
        && let Some(quote) = rest
            .trim_start()
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\''))
    {
        let open = view.len() - rest.trim_start().len() + 1;
        return Some(bounded(
            view,
            open,
            |c| c == quote || c == '\n',
            Capture::Plain,
        ));
    }
    // The last segment of a path in a JSON object (an Intune OMA setting's `omaUri`): the
    // object's `value`.
    if before.ends_with('/') && after.starts_with('"') {
        let window_end = crate::source::clamp_to_char_boundary(
            view,
            (end + MAX_LOCURI_DISTANCE).min(view.len()),
        );
        let window = &view[end..window_end];
        let object_end = window.find('}').unwrap_or(window.len());
        let key = window[..object_end].find("\"value\"")?;
        let colon = window[key..object_end].find(':')?;
        return json_value(view, end + key + colon + 1);
    }
    // The last segment of a SyncML LocURI: the value is the item's `<Data>`.
    if before.ends_with('/') && after.starts_with('<') {
        let window_end = (end + MAX_LOCURI_DISTANCE).min(view.len());
        let window = view.get(end..window_end)?;
        let data = window.find("<Data>").or_else(|| window.find("<Data "))?;
        if window[..data].contains("<LocURI>") {
            return None;
        }
        let open = end + data + window[data..].find('>')? + 1;
        return xml_value_content(view, open);
    }
    // A JSON key: `"challenge": value`.
    if before.ends_with('"') && after.starts_with('"') {
        let colon = after[1..].trim_start();
        if let Some(rest) = colon.strip_prefix(':') {
            let at = view.len() - rest.len();
            return json_value(view, at);
        }
        return None;
    }
    // `challenge = value` or `challenge: value` at the start of a line (TOML, HCL, YAML).
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let leading = &view[line_start..start];
    let plain_key = leading
        .chars()
        .all(|c| c.is_whitespace() || matches!(c, '-' | '"' | '\'' | '#' | '/' | '*'));
    if plain_key {
        let rest = after
            .trim_start_matches(['"', '\''])
            .trim_start_matches([' ', '\t']);
        let operator = rest.strip_prefix('=').or_else(|| {
            rest.strip_prefix(':')
                .filter(|r| !r.starts_with(':') && !r.starts_with('/'))
        })?;
        let at = view.len() - operator.len();
        return Some(plain_value(view, at));
    }
    None
}

/// The name of the tag that `text` ends with (`<key>` gives `key`).
fn tag_before(text: &str) -> Option<&str> {
    let open = text.rfind('<')?;
    let tag = text[open + 1..text.len() - 1].trim();
    let name_end = tag
        .find(|c: char| c.is_whitespace() || c == '/')
        .unwrap_or(tag.len());
    Some(&tag[..name_end]).filter(|n| !n.is_empty())
}

/// The value element that starts at or after `at` (skipping whitespace and comments): its
/// content, or its whole body for a container.
fn xml_value(view: &str, mut at: usize) -> Option<Captured> {
    loop {
        let rest = view.get(at..)?;
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        // Whitespace escaped inside a JSON string that holds the XML (`<key>…</key>\n\t<string>`).
        if let Some(escape) = ["\\n", "\\t", "\\r"]
            .iter()
            .find(|e| trimmed.starts_with(**e))
        {
            at += escape.len();
            continue;
        }
        if let Some(comment) = trimmed.strip_prefix("<!--") {
            at += 4 + comment.find("-->").map_or(comment.len(), |e| e + 3);
            continue;
        }
        break;
    }
    let rest = view.get(at..)?;
    if rest.starts_with("<![CDATA[") {
        return xml_value_content(view, at);
    }
    if !rest.starts_with('<') {
        // Text right after the key: malformed, but it may be the secret.
        return Some(bounded(view, at, |c| c == '<', Capture::Xml));
    }
    let close = rest.find('>')?;
    let tag = &rest[1..close];
    if tag.ends_with('/') || tag.starts_with('/') {
        return None;
    }
    let name = tag.split_whitespace().next().unwrap_or_default();
    let open = at + close + 1;
    if name == "dict" || name == "array" {
        let body = &view[open..];
        let end_tag = format!("</{name}>");
        let len = body
            .find(&end_tag)
            .unwrap_or(body.len())
            .min(MAX_VALUE_BYTES);
        let end = crate::source::clamp_to_char_boundary(view, open + len);
        return Some(Captured {
            span: open..end,
            kind: Capture::Xml,
        });
    }
    xml_value_content(view, open)
}

/// Character data from `open` to the next tag (a CDATA section is read whole, `]]>` included
/// in what it skips; an element that is never closed is read to the end of a bounded region).
fn xml_value_content(view: &str, open: usize) -> Option<Captured> {
    let rest = view.get(open..)?;
    if let Some(cdata) = rest.strip_prefix("<![CDATA[") {
        let inner_start = open + "<![CDATA[".len();
        let len = cdata
            .find("]]>")
            .unwrap_or(cdata.len())
            .min(MAX_VALUE_BYTES);
        let end = crate::source::clamp_to_char_boundary(view, inner_start + len);
        return Some(Captured {
            span: inner_start..end,
            kind: Capture::Plain,
        });
    }
    Some(bounded(view, open, |c| c == '<', Capture::Xml))
}

/// From `at` to the first character `stop` accepts, within the size and line bounds.
fn bounded(view: &str, at: usize, stop: impl Fn(char) -> bool, kind: Capture) -> Captured {
    let mut lines = 0;
    let mut end = view.len();
    for (i, c) in view[at..].char_indices() {
        if stop(c) || i >= MAX_VALUE_BYTES {
            end = at + i;
            break;
        }
        if c == '\n' {
            lines += 1;
            if lines >= MAX_VALUE_LINES {
                end = at + i;
                break;
            }
        }
    }
    Captured {
        span: at..end,
        kind,
    }
}

/// A JSON value after its key's colon: a string's content, or a container or scalar whole.
fn json_value(view: &str, at: usize) -> Option<Captured> {
    let rest = view.get(at..)?;
    let trimmed = rest.trim_start();
    let start = at + (rest.len() - trimmed.len());
    let first = trimmed.chars().next()?;
    match first {
        '"' => {
            let mut escaped = false;
            let content = start + 1;
            let mut end = view.len().min(content + MAX_VALUE_BYTES);
            for (i, c) in view[content..].char_indices() {
                if content + i >= end {
                    break;
                }
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') | (false, '\n') => {
                        end = content + i;
                        break;
                    }
                    _ => {}
                }
            }
            let end = crate::source::clamp_to_char_boundary(view, end);
            Some(Captured {
                span: content..end,
                kind: Capture::Json,
            })
        }
        '{' | '[' => {
            let mut depth = 0usize;
            let mut in_string = false;
            let mut escaped = false;
            let mut end = view.len().min(start + MAX_VALUE_BYTES);
            for (i, c) in view[start..].char_indices() {
                if start + i >= end {
                    break;
                }
                if in_string {
                    match (escaped, c) {
                        (true, _) => escaped = false,
                        (false, '\\') => escaped = true,
                        (false, '"') => in_string = false,
                        _ => {}
                    }
                    continue;
                }
                match c {
                    '"' => in_string = true,
                    '{' | '[' => depth += 1,
                    '}' | ']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            end = start + i + 1;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let end = crate::source::clamp_to_char_boundary(view, end);
            Some(Captured {
                span: start..end,
                kind: Capture::Json,
            })
        }
        _ => Some(bounded(
            view,
            start,
            |c| matches!(c, ',' | '}' | ']' | '\n'),
            Capture::Json,
        )),
    }
}

/// A value after `=` or `:` in YAML, TOML or HCL: the rest of the line, or the lines of a
/// multi-line string (`"""`, `'''`, a heredoc, a YAML block scalar).
fn plain_value(view: &str, at: usize) -> Captured {
    let rest = &view[at..];
    let trimmed = rest.trim_start_matches([' ', '\t']);
    let start = at + (rest.len() - trimmed.len());
    let line_end = trimmed.find('\n').map_or(view.len(), |i| start + i);
    let head = view[start..line_end].trim_end();
    let multi_line = head.starts_with("\"\"\"")
        || head.starts_with("'''")
        || head.starts_with("<<")
        || matches!(
            head.trim_end_matches(|c: char| matches!(c, '-' | '+' | '0'..='9')),
            "|" | ">"
        );
    if multi_line {
        let stop_line = if let Some(marker) = head.strip_prefix("<<") {
            Some(
                marker
                    .trim_start_matches(['-', '~'])
                    .trim_matches('"')
                    .to_owned(),
            )
        } else if head.starts_with("\"\"\"") || head.starts_with("'''") {
            Some(head[..3].to_owned())
        } else {
            None
        };
        let mut end = line_end;
        let mut lines = 0;
        let mut cursor = line_end;
        while cursor < view.len() && lines < MAX_VALUE_LINES && cursor - start < MAX_VALUE_BYTES {
            let next_end = view[cursor + 1..]
                .find('\n')
                .map_or(view.len(), |i| cursor + 1 + i);
            let line = &view[(cursor + 1).min(next_end)..next_end];
            lines += 1;
            let done = match &stop_line {
                Some(marker) if marker.len() == 3 => line.contains(marker.as_str()),
                Some(marker) => line.trim() == marker,
                // A YAML block ends at a line indented no deeper than its key.
                None => !line.trim().is_empty() && !line.starts_with([' ', '\t']),
            };
            if done {
                if stop_line.as_deref().is_some_and(|m| m.len() == 3) {
                    end = next_end;
                }
                break;
            }
            end = next_end;
            cursor = next_end;
        }
        return Captured {
            span: start..end.max(start),
            kind: Capture::Plain,
        };
    }
    Captured {
        span: start..line_end,
        kind: Capture::Plain,
    }
}

/// The pieces of character data between the tags of an XML fragment.
fn text_between_tags(raw: &str) -> impl Iterator<Item = &str> {
    raw.split(['<', '>'])
        .enumerate()
        .filter(|(i, piece)| i % 2 == 0 && !piece.trim().is_empty())
        .map(|(_, piece)| piece)
}

/// The string contents and bare scalars of a JSON fragment (keys included: in a secret's value
/// they may be secret too).
fn json_tokens(raw: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                let mut escaped = false;
                let mut end = raw.len();
                for (j, c) in chars.by_ref() {
                    match (escaped, c) {
                        (true, _) => escaped = false,
                        (false, '\\') => escaped = true,
                        (false, '"') => {
                            end = j;
                            break;
                        }
                        _ => {}
                    }
                }
                tokens.push(&raw[i + 1..end]);
            }
            c if c.is_alphanumeric() || c == '-' => {
                let mut end = raw.len();
                while let Some((j, c)) = chars.peek() {
                    if c.is_alphanumeric() || matches!(c, '-' | '.' | '+') {
                        chars.next();
                    } else {
                        end = *j;
                        break;
                    }
                }
                tokens.push(&raw[i..end]);
            }
            _ => {}
        }
    }
    if tokens.is_empty() {
        tokens.push(raw);
    }
    tokens
}

fn decoded_xml(text: &str) -> String {
    super::views::xml(text).map_or_else(|| text.to_owned(), |v| v.text)
}

fn decoded_json(text: &str) -> String {
    super::views::json(text).map_or_else(|| text.to_owned(), |v| v.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys_in_any_spelling() {
        for key in [
            "Challenge",
            "challenge",
            "CHALLENGE",
            "Chalenge",
            "Challange",
            "Challenges",
            "ChallengePassword",
            "Chal lenge",
            "chllenge",
            "Challnege",
            "Xhallenge",
            "ChaXXlenge",
            "scep_challenge",
            "Password",
            "FLEET_SECRET",
            "enroll_password",
            "passphrase",
            "./Device/Vendor/MSFT/ClientCertificateInstall/SCEP/x/Install/Challenge",
        ] {
            assert!(is_secret_key(key), "{key}");
        }
        for key in [
            "Keysize",
            "Key Usage",
            "PayloadIdentifier",
            "Subject",
            "URL",
            "AllowAllAppsAccess",
            "CAFingerprint",
            "changelog",
            "ChangeLogEntries",
            "PayloadIdentifier",
            "CertificateRenewalTimeInterval",
            "macos_setup_assistant",
            "",
        ] {
            assert!(!is_secret_key(key), "{key}");
        }
    }

    fn scanned(text: &str) -> Vec<String> {
        let mut found = Found::default();
        scan_text(text, 0, &mut found);
        found.texts.sort();
        found.texts.dedup();
        found.texts
    }

    #[test]
    fn scans_keys_in_every_notation() {
        let cases = [
            "<key>Challenge</key>\n<string>hunter2-xyz</string>",
            "<key>Chalenge</key><string >hunter2-xyz</string>",
            "<key>Challenge</key><!-- c --><string>hunter2-xyz</string>",
            "<key>Chall&#101;nge</key><string>hunter2-xyz</string>",
            "&lt;key&gt;Challenge&lt;/key&gt;&lt;string&gt;hunter2-xyz&lt;/string&gt;",
            "&amp;lt;key&amp;gt;Challenge&amp;lt;/key&amp;gt;&amp;lt;string&amp;gt;hunter2-xyz&amp;lt;",
            r"\u003ckey\u003eChallenge\u003c/key\u003e\u003cstring\u003ehunter2-xyz\u003c/string",
            r#"{"profile": "<key>\u0043hallenge</key><string>hunter2-xyz</string>"}"#,
            r#"{"challenge": "hunter2-xyz"}"#,
            "<challenge>hunter2-xyz</challenge>",
            "challenge = \"hunter2-xyz\"",
            "  challenge: hunter2-xyz\n",
            "<key>Challenge</key><string><![CDATA[hunter2-xyz]]></string>",
            "<LocURI>./Device/Vendor/MSFT/ClientCertificateInstall/SCEP/x/Install/Challenge</LocURI></Target><Meta><Format>chr</Format></Meta><Data>hunter2-xyz</Data>",
            "<!DOCTYPE plist [ <!-- <key>Challenge</key><string>hunter2-xyz</string> --> ]>",
            "<extra challenge=\"hunter2-xyz\"/>",
        ];
        for case in cases {
            assert!(
                scanned(case).iter().any(|t| t == "hunter2-xyz"),
                "{case}: {:?}",
                scanned(case)
            );
        }
    }

    #[test]
    fn escaped_whitespace_in_a_json_string_is_not_a_value() {
        let text = r#"{"payloads": "<key>Challenge</key>\n\t<string>hunter2-xyz</string>\n"}"#;
        assert_eq!(scanned(text), ["hunter2-xyz"]);
    }

    #[test]
    fn multi_line_and_unclosed_values_give_each_line() {
        let found = scanned("<key>Challenge</key><string>first-line\nsecond-line");
        assert!(found.contains(&"second-line".to_owned()), "{found:?}");
        let found = scanned("challenge: |\n  first-line\n  second-line\nnext: x");
        assert!(found.contains(&"second-line".to_owned()), "{found:?}");
        assert!(!found.iter().any(|t| t.contains("next")), "{found:?}");
    }

    #[test]
    fn words_that_are_not_keys_take_nothing() {
        assert!(scanned("<string>the challenge is fine</string><key>Keysize</key>").is_empty());
    }

    #[test]
    fn public_variables_are_not_secrets() {
        let mut found = Found::default();
        found.add("$FLEET_VAR_NDES_SCEP_CHALLENGE");
        found.add("%ComputerName%");
        assert!(found.texts.is_empty());
        found.add("%SECRET%");
        found.add("{{SECRET}}");
        assert_eq!(found.texts, ["%SECRET%", "{{SECRET}}"]);
    }
}
