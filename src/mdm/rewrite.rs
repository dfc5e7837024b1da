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
            // The entry's own lines, indented as the dict's entries are.
            let old_indent =
                text.get(with_leading_line_break(text, entry.clone()).start..entry.start)?;
            let moved = if old_indent.is_empty() || indent.is_empty() {
                moved.to_owned()
            } else {
                moved.replace(old_indent, indent)
            };
            let point = at.start + offset;
            Some(vec![(point..point, format!("{indent}{moved}"))])
        }
        Rewrite::Delete => Some(vec![(with_leading_line_break(text, at), String::new())]),
        _ => {
            let content = replacement(words, to, written)?;
            (content != written).then(|| vec![(at, content)])
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
    let mut start = before.trim_end_matches([' ', '\t']).len();
    for line_break in ["\r\n", "\n", "\\r\\n", "\\n", "&#10;", "&#xA;"] {
        if before[..start].ends_with(line_break) {
            start -= line_break.len();
            break;
        }
    }
    // Indentation written as JSON escapes (`\t`) inside a string.
    while before[..start].ends_with("\\t") {
        start -= 2;
    }
    start..at.end
}

/// The text that replaces `written` for the rewrites of one value.
fn replacement(words: &dyn Console, to: &Rewrite, written: &str) -> Option<String> {
    if let Some(element) = Markup::closing(written, "string")
        && let Some(retyped) = element.retyped(written, to, words.signing_only_usage())
    {
        return Some(retyped);
    }
    let trimmed = written.trim();
    let around = |new: &str| Some(written.replacen(trimmed, new, 1));
    match to {
        Rewrite::KeySize(bits) if trimmed.parse::<i128>().is_ok() => Some(bits.to_string()),
        Rewrite::KeySize(bits) if trimmed.starts_with("size") => Some(format!("size{bits}")),
        Rewrite::SigningOnly if trimmed.parse::<i128>().is_ok() => {
            Some(words.signing_only_usage().to_owned())
        }
        Rewrite::SigningOnly if trimmed.starts_with('[') => {
            Some("[\"digitalSignature\"]".to_owned())
        }
        Rewrite::SigningOnly
            if trimmed.contains("digitalSignature") || trimmed.contains("keyEncipherment") =>
        {
            Some("digitalSignature".to_owned())
        }
        Rewrite::Bool(value) => {
            let (from, to) = if *value {
                ("false", "true")
            } else {
                ("true", "false")
            };
            written
                .contains(from)
                .then(|| written.replacen(from, to, 1))
        }
        Rewrite::Rename { from, to } => written
            .contains(from.as_str())
            .then(|| written.replacen(from.as_str(), to, 1)),
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
        let content = written
            .strip_prefix(&self.open("string"))?
            .strip_suffix(&self.close("string"))?;
        let integer = |value: &str| Some(self.element("integer", value));
        match to {
            Rewrite::KeySize(bits) => integer(&bits.to_string()),
            Rewrite::SigningOnly if content.trim().parse::<i128>().is_ok() => integer(signing),
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
}
