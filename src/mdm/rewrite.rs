//! Spelling a fix in the file: a [`Rewrite`] turned into byte edits of the text where its origin
//! stands, in whatever escaping that text is in (a plist as written, Jamf's `&lt;`-escaped
//! `<payloads>`, a plist inside a JSON string, a SyncML `<Data>`, an HCL or YAML value). Every
//! edit copies the escaping of the text around it, so only the edited bytes change.

use crate::model::{Console, Level, Rewrite};
use crate::source::Span;

/// One replacement in the file's text.
pub type TextEdit = (Span, String);

/// The edits that make `to` at `at` in `text`, or `None` when the text there is not a shape the
/// rewrite knows (then the finding has no fix).
pub fn edits(words: &dyn Console, to: &Rewrite, text: &str, at: Span) -> Option<Vec<TextEdit>> {
    let written = text.get(at.clone())?;
    match to {
        Rewrite::Insert { key, value } if written.starts_with('{') => {
            let (offset, content) = json_member(written, key, value)?;
            let point = at.start + offset;
            Some(vec![(point..point, content)])
        }
        Rewrite::Insert { key, value } => {
            let markup = Markup::closing(written, "dict")?;
            let (offset, indent) = markup.insertion_point(written)?;
            let value = match **value {
                Rewrite::Bool(value) => {
                    format!("{}{value}{}{}", markup.lt, markup.slash, markup.gt)
                }
                Rewrite::KeySize(bits) => markup.element("integer", &bits.to_string()),
                Rewrite::SigningOnly => markup.element("integer", words.signing_only_usage()),
                _ => return None,
            };
            let content = format!(
                "{indent}{lt}key{gt}{key}{lt}{slash}key{gt}{indent}{value}",
                lt = markup.lt,
                gt = markup.gt,
                slash = markup.slash,
            );
            let point = at.start + offset;
            Some(vec![(point..point, content)])
        }
        Rewrite::Append { entry } => {
            let moved = text.get(entry.clone())?;
            let markup = Markup::closing(written, "dict")?;
            let (offset, indent) = markup.insertion_point(written)?;
            // The entry's lines, indented as the dict's entries are: only whitespace between
            // tags changes, never a key's name or a value (the challenge among them).
            let old_indent =
                text.get(with_leading_line_break(text, entry.clone()).start..entry.start)?;
            let moved = markup.reindented(moved, old_indent, indent);
            let point = at.start + offset;
            Some(vec![(point..point, format!("{indent}{moved}"))])
        }
        Rewrite::Delete => Some(vec![(with_leading_line_break(text, at), String::new())]),
        _ => {
            // A part already right needs no edit (the rest of its change may).
            let content = replacement(words, to, written)?;
            Some(if content == written {
                Vec::new()
            } else {
                vec![(at, content)]
            })
        }
    }
}

/// Where a JSON object (`written`) gains the member `key`, and the text that adds it after its
/// last member, indented like its first. Only booleans, and only an object whose first member
/// is a quoted key and a colon: an HCL object (`key = value`) is left alone.
fn json_member(written: &str, key: &str, value: &Rewrite) -> Option<(usize, String)> {
    let Rewrite::Bool(value) = value else {
        return None;
    };
    let body = written.strip_prefix('{')?.strip_suffix('}')?;
    let first = body.find(|c: char| !c.is_whitespace())?;
    let member = &body[first..];
    let quoted = member.strip_prefix('"')?;
    let after_key = &quoted[quoted.find('"')? + 1..];
    if !after_key.trim_start().starts_with(':') {
        return None;
    }
    let indent = &body[..first];
    let last = body.trim_end();
    if last.ends_with(',') {
        return None;
    }
    Some((1 + last.len(), format!(",{indent}\"{key}\": {value}")))
}

/// `at`, widened back over the indentation and line break before it, so deleting an entry
/// deletes its lines.
fn with_leading_line_break(text: &str, at: Span) -> Span {
    let before = &text[..at.start];
    let mut start = at.start;
    loop {
        let trimmed = before[..start].trim_end_matches([' ', '\t']);
        let trimmed = trimmed.strip_suffix("\\t").unwrap_or(trimmed);
        if trimmed.len() == start {
            break;
        }
        start = trimmed.len();
    }
    for line_break in LINE_BREAKS {
        if before[..start].ends_with(line_break) {
            start -= line_break.len();
            break;
        }
    }
    start..at.end
}

/// Line breaks as a file may write them: literal, in a JSON string, as XML character references.
const LINE_BREAKS: [&str; 8] = [
    "\r\n",
    "\n",
    "\\r\\n",
    "\\n",
    "&#13;&#10;",
    "&#xD;&#xA;",
    "&#10;",
    "&#xA;",
];

/// The text that replaces `written` for the rewrites of one value, or `None` when `written` is
/// not exactly a shape the rewrite knows: a number, an Intune enum word, a boolean element or
/// word, a key's name. What surrounds the value in its span (a YAML line break, a heredoc's)
/// is kept.
fn replacement(words: &dyn Console, to: &Rewrite, written: &str) -> Option<String> {
    if let Some(element) = Markup::closing(written, "string")
        && let Some(retyped) = element.retyped(written, to, words.signing_only_usage())
    {
        return Some(retyped);
    }
    let trimmed = written.trim();
    let around = |new: &str| {
        let start = written.len() - written.trim_start().len();
        Some(format!(
            "{}{new}{}",
            &written[..start],
            &written[start + trimmed.len()..]
        ))
    };
    let word = !trimmed.is_empty()
        && trimmed
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ',' || c == ' ');
    match to {
        // Intune's key size is a word: a number there is a wrongly typed value, and a quoted word
        // is what JSON, YAML and HCL all read as one.
        Rewrite::KeySize(bits) if trimmed.parse::<i128>().is_ok() && words.key_size_is_word() => {
            around(&format!("\"size{bits}\""))
        }
        Rewrite::KeySize(bits) if trimmed.parse::<i128>().is_ok() => around(&bits.to_string()),
        Rewrite::KeySize(bits) if word && trimmed.starts_with("size") => {
            around(&format!("size{bits}"))
        }
        Rewrite::SigningOnly if trimmed.parse::<i128>().is_ok() => {
            around(words.signing_only_usage())
        }
        Rewrite::SigningOnly if trimmed.starts_with('[') && trimmed.ends_with(']') => {
            around("[\"digitalSignature\"]")
        }
        Rewrite::SigningOnly
            if word
                && (trimmed.contains("digitalSignature")
                    || trimmed.contains("keyEncipherment")) =>
        {
            around("digitalSignature")
        }
        Rewrite::Bool(value) => {
            // A word, or a word quoted as a string where a boolean belongs (JSON, YAML, HCL).
            let unquoted = trimmed
                .strip_prefix('"')
                .and_then(|t| t.strip_suffix('"'))
                .or_else(|| {
                    trimmed
                        .strip_prefix('\'')
                        .and_then(|t| t.strip_suffix('\''))
                })
                .unwrap_or(trimmed);
            if unquoted == "true" || unquoted == "false" {
                return around(&value.to_string());
            }
            Markup::boolean(trimmed).map(|markup| {
                let element = format!("{}{value}{}{}", markup.lt, markup.slash, markup.gt);
                around(&element).unwrap_or(element)
            })
        }
        Rewrite::Rename { from, to } => {
            // The last occurrence: a LocURI names the node last (`.../SCEP/<id>/Install/KeyLenght`).
            let at = written.rfind(from.as_str())?;
            Some(format!(
                "{}{to}{}",
                &written[..at],
                &written[at + from.len()..]
            ))
        }
        Rewrite::Unquote => {
            let mut out = written.to_owned();
            for quote in ["&amp;quot;", "&quot;", "&#34;", "\\\"", "\""] {
                out = out.replace(quote, "");
            }
            Some(out)
        }
        Rewrite::Level(level) => match (trimmed, level) {
            ("User", Level::Computer) => around("System"),
            ("System", Level::User) => around("User"),
            ("user", Level::Computer) => around("machine"),
            ("machine", Level::User) => around("user"),
            // Intune on macOS: the channel that installs the certificate follows its store.
            ("deviceChannel", Level::User) => around("userChannel"),
            ("userChannel", Level::Computer) => around("deviceChannel"),
            ("deviceChannel", Level::Computer) | ("userChannel", Level::User) => {
                Some(written.to_owned())
            }
            _ => None,
        },
        _ => None,
    }
}

/// How plist markup is written where a value stands: `<`, `/` and `>` as the surrounding text
/// escapes them.
struct Markup<'a> {
    lt: &'a str,
    slash: &'a str,
    gt: &'a str,
}

const LESS_THAN: [&str; 5] = ["&amp;lt;", "&lt;", "\\u003c", "\\u003C", "<"];
const GREATER_THAN: [&str; 5] = ["&amp;gt;", "&gt;", "\\u003e", "\\u003E", ">"];
const SLASH: [&str; 2] = ["\\/", "/"];

impl<'a> Markup<'a> {
    /// The markup of `written` when it is one whole `<name>...</name>` element.
    fn closing(written: &'a str, name: &str) -> Option<Self> {
        let gt = GREATER_THAN.into_iter().find(|gt| written.ends_with(gt))?;
        let before_gt = &written[..written.len() - gt.len()];
        let before_name = before_gt.strip_suffix(name)?;
        let (lt, slash) = LESS_THAN.into_iter().find_map(|lt| {
            SLASH
                .into_iter()
                .find(|slash| before_name.ends_with(&format!("{lt}{slash}")))
                .map(|slash| (lt, slash))
        })?;
        written
            .starts_with(&format!("{lt}{name}{gt}"))
            .then_some(Markup { lt, slash, gt })
    }

    /// The markup of `written` when it is exactly a boolean element: `<true/>`, `<false/>`, or
    /// `<true></true>`, in any escaping.
    fn boolean(written: &'a str) -> Option<Self> {
        for lt in LESS_THAN {
            for gt in GREATER_THAN {
                for slash in SLASH {
                    for word in ["true", "false"] {
                        if written == format!("{lt}{word}{slash}{gt}")
                            || written == format!("{lt}{word}{gt}{lt}{slash}{word}{gt}")
                        {
                            return Some(Markup { lt, slash, gt });
                        }
                    }
                }
            }
        }
        None
    }

    /// `moved` with each run of whitespace between two tags that starts with `old` starting with
    /// `new` instead: text inside elements stays as it is.
    fn reindented(&self, moved: &str, old: &str, new: &str) -> String {
        if old.is_empty() || new.is_empty() || old == new {
            return moved.to_owned();
        }
        let mut out = String::with_capacity(moved.len());
        let mut rest = moved;
        while let Some(at) = rest.find(self.gt) {
            let (head, tail) = rest.split_at(at + self.gt.len());
            out.push_str(head);
            let run = tail.find(self.lt).map_or("", |end| &tail[..end]);
            match run.strip_prefix(old) {
                Some(deeper) if is_whitespace(run) => {
                    out.push_str(new);
                    out.push_str(deeper);
                    rest = &tail[run.len()..];
                }
                _ => rest = tail,
            }
        }
        out.push_str(rest);
        out
    }

    fn open(&self, name: &str) -> String {
        format!("{}{name}{}", self.lt, self.gt)
    }

    fn close(&self, name: &str) -> String {
        format!("{}{}{name}{}", self.lt, self.slash, self.gt)
    }

    fn element(&self, name: &str, content: &str) -> String {
        format!("{}{content}{}", self.open(name), self.close(name))
    }

    /// A `<string>` value retyped as the rewrite's type: `<string>2048</string>` becomes
    /// `<integer>2048</integer>`, `<string>false</string>` becomes `<false/>`.
    fn retyped(&self, written: &str, to: &Rewrite, signing: &str) -> Option<String> {
        written
            .strip_prefix(&self.open("string"))?
            .strip_suffix(&self.close("string"))?;
        let integer = |value: &str| Some(self.element("integer", value));
        match to {
            Rewrite::KeySize(bits) => integer(&bits.to_string()),
            // Whatever the string holds, the device ignores it: signing only is the fix.
            Rewrite::SigningOnly => integer(signing),
            Rewrite::Bool(value) => Some(format!("{}{value}{}{}", self.lt, self.slash, self.gt)),
            _ => None,
        }
    }

    /// Where a new entry goes in the dict `written` (after its last entry, before the closing
    /// tag's indentation) and the indentation its entries have.
    fn insertion_point(&self, written: &'a str) -> Option<(usize, &'a str)> {
        let body = written.strip_prefix(&self.open("dict"))?;
        let closing = written.len() - self.close("dict").len();
        let first = body.find(self.lt).map_or(body.len(), |at| at);
        let indent = &body[..first];
        let indent = if is_whitespace(indent) { indent } else { "" };
        let mut point = closing;
        loop {
            let before = &written[..point];
            let trimmed = before.trim_end_matches([' ', '\t', '\r', '\n']);
            let trimmed = ESCAPED_WHITESPACE
                .into_iter()
                .find_map(|escape| trimmed.strip_suffix(escape))
                .unwrap_or(trimmed);
            if trimmed.len() == point {
                break;
            }
            point = trimmed.len();
        }
        (point >= self.open("dict").len()).then_some((point, indent))
    }
}

/// Whitespace as a JSON string or XML character reference writes it.
const ESCAPED_WHITESPACE: [&str; 7] = ["\\n", "\\t", "\\r", "&#10;", "&#13;", "&#9;", "&#xA;"];

/// Whether `text` is only whitespace, literal or escaped.
fn is_whitespace(text: &str) -> bool {
    let mut rest = text.to_owned();
    for escape in ESCAPED_WHITESPACE {
        rest = rest.replace(escape, "");
    }
    rest.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mdm::apple::GENERIC;

    fn apply(text: &str, at: Span, to: Rewrite) -> Option<String> {
        let mut out = text.to_owned();
        let mut edits = edits(&GENERIC, &to, text, at)?;
        edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
        for (range, content) in edits {
            out.replace_range(range, &content);
        }
        Some(out)
    }

    fn whole(text: &str, needle: &str) -> Span {
        let start = text.find(needle).unwrap();
        start..start + needle.len()
    }

    fn insert_bool(key: &'static str, value: bool) -> Rewrite {
        Rewrite::Insert {
            key,
            value: Box::new(Rewrite::Bool(value)),
        }
    }

    #[test]
    fn inserts_copy_the_dict_s_escaping_and_indentation() {
        let cases = [
            (
                "<dict>\n\t<key>A</key>\n\t<true/>\n</dict>",
                "<dict>\n\t<key>A</key>\n\t<true/>\n\t<key>KeyIsExtractable</key>\n\t<false/>\n</dict>",
            ),
            (
                "&lt;dict&gt;&lt;key&gt;A&lt;/key&gt;&lt;true/&gt;&lt;/dict&gt;",
                "&lt;dict&gt;&lt;key&gt;A&lt;/key&gt;&lt;true/&gt;&lt;key&gt;KeyIsExtractable&lt;/key&gt;&lt;false/&gt;&lt;/dict&gt;",
            ),
            (
                "\\u003cdict\\u003e\\n\\t\\u003ckey\\u003eA\\u003c\\/key\\u003e\\n\\u003c\\/dict\\u003e",
                "\\u003cdict\\u003e\\n\\t\\u003ckey\\u003eA\\u003c\\/key\\u003e\\n\\t\\u003ckey\\u003eKeyIsExtractable\\u003c\\/key\\u003e\\n\\t\\u003cfalse\\/\\u003e\\n\\u003c\\/dict\\u003e",
            ),
        ];
        for (text, expected) in cases {
            let fixed = apply(text, 0..text.len(), insert_bool("KeyIsExtractable", false));
            assert_eq!(fixed.as_deref(), Some(expected), "{text}");
        }
    }

    #[test]
    fn a_json_object_gains_a_member_and_an_hcl_object_does_not() {
        let text = "{\n  \"a\": 1,\n  \"b\": [2]\n}";
        assert_eq!(
            apply(text, 0..text.len(), insert_bool("allowAllAppsAccess", true)).as_deref(),
            Some("{\n  \"a\": 1,\n  \"b\": [2],\n  \"allowAllAppsAccess\": true\n}")
        );
        let hcl = "{\n  a = 1\n}";
        assert_eq!(
            apply(hcl, 0..hcl.len(), insert_bool("allowAllAppsAccess", true)),
            None
        );
    }

    #[test]
    fn a_string_is_retyped_in_its_escaping() {
        let text = "&lt;string&gt;2048&lt;/string&gt;";
        assert_eq!(
            apply(text, 0..text.len(), Rewrite::KeySize(2048)).as_deref(),
            Some("&lt;integer&gt;2048&lt;/integer&gt;")
        );
        let text = "<string>true</string>";
        assert_eq!(
            apply(text, 0..text.len(), Rewrite::Bool(false)).as_deref(),
            Some("<false/>")
        );
        // Not a string element: no retyping, and a real stays unfixed.
        let text = "<real>2048.5</real>";
        assert_eq!(apply(text, 0..text.len(), Rewrite::KeySize(2048)), None);
    }

    #[test]
    fn deleting_an_entry_deletes_its_lines_and_a_move_reindents_it() {
        let text = "<dict>\n\t<key>S</key>\n\t<dict>\n\t\t<key>B</key>\n\t\t<true/>\n\t</dict>\n\t<key>Challenge</key>\n\t<string>x</string>\n</dict>";
        let entry = text.find("<key>Challenge").unwrap()..text.find("</string>").unwrap() + 9;
        let inner = whole(text, "<dict>\n\t\t<key>B</key>\n\t\t<true/>\n\t</dict>");
        let mut edits = edits(&GENERIC, &Rewrite::Delete, text, entry.clone()).unwrap();
        edits.extend(
            super::edits(
                &GENERIC,
                &Rewrite::Append {
                    entry: entry.clone(),
                },
                text,
                inner,
            )
            .unwrap(),
        );
        edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
        let mut out = text.to_owned();
        for (range, content) in edits {
            out.replace_range(range, &content);
        }
        assert_eq!(
            out,
            "<dict>\n\t<key>S</key>\n\t<dict>\n\t\t<key>B</key>\n\t\t<true/>\n\t\t<key>Challenge</key>\n\t\t<string>x</string>\n\t</dict>\n</dict>"
        );
    }

    #[test]
    fn quotes_go_in_every_escaping_and_levels_keep_their_console_s_words() {
        let text = "\\\"O&quot;x\"";
        assert_eq!(
            apply(text, 0..text.len(), Rewrite::Unquote).as_deref(),
            Some("Ox")
        );
        assert_eq!(
            apply(" User ", 0..6, Rewrite::Level(Level::Computer)).as_deref(),
            Some(" System ")
        );
        assert_eq!(
            apply("machine", 0..7, Rewrite::Level(Level::User)).as_deref(),
            Some("user")
        );
        assert_eq!(
            apply("./User/", 0..7, Rewrite::Level(Level::Computer)),
            None
        );
    }

    #[test]
    fn only_exact_shapes_are_rewritten() {
        let cases: [(&str, Rewrite, Option<&str>); 10] = [
            ("<true></true>", Rewrite::Bool(false), Some("<false/>")),
            (
                "&lt;true/&gt;",
                Rewrite::Bool(false),
                Some("&lt;false/&gt;"),
            ),
            (
                "<dict><key>falsehood</key><string>false</string></dict>",
                Rewrite::Bool(true),
                None,
            ),
            ("<data>truetrue</data>", Rewrite::Bool(false), None),
            ("size1024\n", Rewrite::KeySize(2048), Some("size2048\n")),
            (">-\n  size1024", Rewrite::KeySize(2048), None),
            (
                "<string>keyEncipherment</string>",
                Rewrite::SigningOnly,
                Some("<integer>1</integer>"),
            ),
            ("- keyEncipherment\n", Rewrite::SigningOnly, None),
            (
                "./Device/Vendor/MSFT/ClientCertificateInstall/SCEP/KeyLenght/Install/KeyLenght",
                Rewrite::Rename {
                    from: "KeyLenght".into(),
                    to: "KeyLength",
                },
                Some(
                    "./Device/Vendor/MSFT/ClientCertificateInstall/SCEP/KeyLenght/Install/KeyLength",
                ),
            ),
            ("\"false\"", Rewrite::Bool(true), Some("true")),
        ];
        for (text, to, expected) in cases {
            assert_eq!(
                apply(text, 0..text.len(), to).as_deref(),
                expected,
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_move_reindents_between_tags_only() {
        // A one-line entry whose challenge has spaces, and a JSON string indented with escapes.
        let text = "<dict>\n\t<key>C</key>\n\t<dict>\n\t\t<key>U</key>\n\t</dict>\n\t<key>Challenge</key> <string>Kx9 qZ2\n\t7</string>\n</dict>";
        let entry = text.find("<key>Challenge").unwrap()..text.rfind("</string>").unwrap() + 9;
        let inner = text.find("<dict>\n\t\t").unwrap()..text.find("</dict>").unwrap() + 7;
        let mut all = edits(&GENERIC, &Rewrite::Delete, text, entry.clone()).unwrap();
        all.extend(edits(&GENERIC, &Rewrite::Append { entry }, text, inner).unwrap());
        all.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
        let mut out = text.to_owned();
        for (range, content) in all {
            out.replace_range(range, &content);
        }
        assert_eq!(
            out,
            "<dict>\n\t<key>C</key>\n\t<dict>\n\t\t<key>U</key>\n\t\t<key>Challenge</key> <string>Kx9 qZ2\n\t7</string>\n\t</dict>\n</dict>"
        );
        let json = "<dict>\\n\\t<key>A</key>\\n\\t<true/>\\n\\t<key>B</key>\\n\\t<true/>\\n</dict>";
        let entry = json.find("<key>B").unwrap()..json.rfind("<true/>").unwrap() + 7;
        assert_eq!(
            apply(json, entry, Rewrite::Delete).as_deref(),
            Some("<dict>\\n\\t<key>A</key>\\n\\t<true/>\\n</dict>")
        );
    }
}
