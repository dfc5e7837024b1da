//! Secrets in a configuration file. A `sceplint.toml` should hold none, but one that does (or a
//! file passed as `--config` by mistake) must not have its error print one: its secrets are
//! read from the TOML tree (inline tables, table headers and escaped keys included), its frame
//! shows only structure when it does not parse, and the TOML parser's messages, which quote
//! values, are cleaned of them.

use super::candidates::{self, Found};
use crate::tree::{Entry, Node, Value};

/// The secrets of a configuration file: values under secret keys in its TOML tree, when it
/// parses, and whatever the text scan finds.
pub fn secrets(text: &str) -> (Found, Option<toml::Table>) {
    let mut found = Found::default();
    candidates::scan_text(text, 0, &mut found);
    let table = toml::from_str::<toml::Table>(text).ok();
    if let Some(table) = &table {
        let tree = node(&toml::Value::Table(table.clone()));
        candidates::collect_tree(&tree, None, &mut found);
    }
    (found, table)
}

/// A TOML value as sceplint's tree (without positions), to search like any other.
fn node(value: &toml::Value) -> Node {
    // Nesting is bounded by the toml parser; the conversion follows it.
    let value = match value {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::Integer(i128::from(*i)),
        toml::Value::Float(f) => Value::Real(*f),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::Date(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.iter().map(node).collect()),
        toml::Value::Table(table) => Value::Dict(
            table
                .iter()
                .map(|(key, value)| Entry {
                    key: key.clone(),
                    key_span: None,
                    value: node(value),
                })
                .collect(),
        ),
    };
    Node::new(value, None)
}

/// A TOML text with only its structure showing: keys, table headers and punctuation stay;
/// strings, values and comments become `*`, character for character.
pub fn structure_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Inside a multi-line string, carried across lines.
    let mut multi_line: Option<&str> = None;
    for line in text.split_inclusive('\n') {
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        let mut after_equals = false;
        while i < chars.len() {
            let rest: String = chars[i..].iter().take(3).collect();
            if let Some(delimiter) = multi_line {
                if rest == delimiter {
                    out.push_str(delimiter);
                    i += 3;
                    multi_line = None;
                } else {
                    out.push(mask(chars[i]));
                    i += 1;
                }
                continue;
            }
            let c = chars[i];
            match c {
                '"' | '\'' if rest == "\"\"\"" || rest == "'''" => {
                    out.push_str(&rest);
                    i += 3;
                    multi_line = Some(if c == '"' { "\"\"\"" } else { "'''" });
                }
                '"' | '\'' => {
                    out.push(c);
                    i += 1;
                    while i < chars.len() && chars[i] != c && chars[i] != '\n' {
                        if c == '"' && chars[i] == '\\' && i + 1 < chars.len() {
                            out.push('*');
                            i += 1;
                        }
                        out.push(mask(chars[i]));
                        i += 1;
                    }
                    if i < chars.len() && chars[i] == c {
                        out.push(c);
                        i += 1;
                    }
                }
                '#' => {
                    // A comment may hold anything.
                    out.extend(chars[i..].iter().map(|c| mask(*c)));
                    i = chars.len();
                }
                '=' => {
                    out.push(c);
                    after_equals = true;
                    i += 1;
                }
                c if c.is_whitespace() || "[]{},.".contains(c) => {
                    out.push(c);
                    i += 1;
                }
                // A key before `=` (or in a header) is structure; a bare value after it is not.
                c => {
                    out.push(if after_equals { mask(c) } else { c });
                    i += 1;
                }
            }
        }
    }
    out
}

fn mask(c: char) -> char {
    if c.is_whitespace() { c } else { '*' }
}

/// A message of the TOML parser with what it quotes of the file removed, but for the names of
/// sceplint's own settings: a backticked word is kept only when it looks like a setting name or
/// rule code and is no secret; a double-quoted string never is.
pub fn clean_message(message: &str, found: &Found) -> String {
    let secret = |text: &str| {
        found.texts.iter().any(|s| {
            !s.trim().is_empty()
                && (s.trim() == text || text.contains(s.trim()) && s.trim().chars().count() >= 3)
        })
    };
    let keep = |word: &str| {
        let name = word.len() <= 40
            && word.starts_with(|c: char| c.is_ascii_lowercase())
            && word
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        let code = word.len() == 7
            && word.starts_with("SCEP")
            && word[4..].chars().all(|c| c.is_ascii_digit());
        let punctuation = word.chars().count() <= 3 && !word.chars().any(char::is_alphanumeric);
        (name || code || punctuation) && !secret(word)
    };
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find(['`', '"']) {
        let quote = rest[open..].chars().next().unwrap_or('`');
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find(quote) {
            Some(close) => {
                let word = &after[..close];
                out.push(quote);
                out.push_str(if quote == '`' && keep(word) {
                    word
                } else {
                    "…"
                });
                out.push(quote);
                rest = &after[close + 1..];
            }
            None => {
                out.push('…');
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_in_any_toml_notation_are_found() {
        for text in [
            "x = { challenge = \"Qz7kW2pL9x\" }\n",
            "[challenge]\nvalue = \"Qz7kW2pL9x\"\n",
            "\"chal\\x6cenge\" = \"Qz7kW2pL9x\"\n",
            "\"\\U00000063hallenge\" = \"Qz7kW2pL9x\"\n",
            "x = [\n  { challenge = \"Qz7kW2pL9x\" },\n]\n",
            "[severity]\nchallenge = \"Qz7kW\\x32pL9x\"\n",
        ] {
            let (found, _) = secrets(text);
            assert!(
                found.texts.iter().any(|t| t.starts_with("Qz7kW")),
                "{text}: {:?}",
                found.texts
            );
        }
    }

    #[test]
    fn structure_only_keeps_keys_and_punctuation() {
        assert_eq!(
            structure_only(
                "[rules.key-size]\nallowed = [2048, \"x\"] # note\nchallenge = \"\"\"\nab\ncd\"\"\"\n"
            ),
            "[rules.key-size]\nallowed = [****, \"*\"] * ****\nchallenge = \"\"\"\n**\n**\"\"\"\n"
        );
    }

    #[test]
    fn parser_messages_keep_names_and_lose_values() {
        let (found, _) = secrets("[severity]\nchallenge = \"hun2r\"\n");
        assert_eq!(
            clean_message(
                "unknown variant `hun2r`, expected one of `error`, `warning`, `off`",
                &found
            ),
            "unknown variant `…`, expected one of `error`, `warning`, `off`"
        );
        assert_eq!(
            clean_message("invalid type: string \"Qz7kW2pL9x\", expected i64", &found),
            "invalid type: string \"…\", expected i64"
        );
        assert_eq!(
            clean_message(
                "unknown field `Qz7kW2pL9xR4`, expected one of `select`, `fail-on`",
                &found
            ),
            "unknown field `…`, expected one of `select`, `fail-on`"
        );
        assert_eq!(
            clean_message("expected newline, `#`", &found),
            "expected newline, `#`"
        );
    }
}
