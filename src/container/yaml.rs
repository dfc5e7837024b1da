//! YAML (Fleet GitOps files, IntuneCD backups), read with saphyr-parser's event stream into a
//! positioned [`Node`] tree. Building the tree ourselves keeps hostile input bounded: nesting
//! is capped, aliases are never expanded (an alias is [`Value::Deferred`]), and only the first
//! document is read. Plain scalars that YAML 1.2 reads as numbers, booleans or null are those.

use saphyr_parser::{Event, Parser, ScalarStyle};

use super::{Comment, Limits, ParseError};
use crate::source::Span;
use crate::tree::{Entry, Node, Value};

#[derive(Debug)]
pub struct YamlDocument {
    pub root: Node,
    pub comments: Vec<Comment>,
}

/// Byte offsets of line starts, to turn the parser's (line, character column) into offsets.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    /// The byte offset of a 1-based line and 0-based character column.
    fn offset(&self, line: usize, col: usize) -> usize {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        rest.char_indices()
            .nth(col)
            .map_or(self.text.len(), |(i, _)| start + i)
    }

    fn span(&self, span: &saphyr_parser::Span) -> Span {
        let start = self.offset(span.start.line(), span.start.col());
        let end = self.offset(span.end.line(), span.end.col()).max(start);
        start..end
    }
}

enum Frame {
    Mapping {
        start: usize,
        entries: Vec<Entry>,
        key: Option<(String, Span)>,
    },
    Sequence {
        start: usize,
        items: Vec<Node>,
    },
}

pub fn parse(text: &str, limits: &Limits) -> Result<YamlDocument, ParseError> {
    let lines = Lines::new(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut values = 0usize;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|error| {
            let marker = error.marker();
            let at = lines.offset(marker.line(), marker.col());
            ParseError::at(
                format!("malformed YAML at line {}", marker.line()),
                at..(at + 1).min(text.len()).max(at),
            )
        })?;
        let span = lines.span(&span);
        let node = match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if stack.len() >= limits.max_depth {
                    return Err(ParseError::at(
                        format!("nesting is deeper than {} levels", limits.max_depth),
                        span,
                    ));
                }
                stack.push(match event {
                    Event::MappingStart(..) => Frame::Mapping {
                        start: span.start,
                        entries: Vec::new(),
                        key: None,
                    },
                    _ => Frame::Sequence {
                        start: span.start,
                        items: Vec::new(),
                    },
                });
                continue;
            }
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Mapping { start, entries, .. }) => {
                    Node::new(Value::Dict(entries), Some(start..span.end.max(start)))
                }
                _ => return Err(ParseError::at("malformed YAML", span)),
            },
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Sequence { start, items }) => {
                    Node::new(Value::Array(items), Some(start..span.end.max(start)))
                }
                _ => return Err(ParseError::at("malformed YAML", span)),
            },
            Event::Scalar(value, style, _, _) => {
                let inner = match style {
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted if span.len() >= 2 => {
                        span.start + 1..span.end - 1
                    }
                    _ => span.clone(),
                };
                Node::new(scalar(&value, style), Some(span)).with_inner(Some(inner))
            }
            Event::Alias(_) => Node::new(
                Value::Deferred {
                    element: "alias",
                    token: text.get(span.clone()).unwrap_or("*").to_owned(),
                },
                Some(span),
            ),
            Event::DocumentEnd => {
                if root.is_some() {
                    break;
                }
                continue;
            }
            _ => continue,
        };
        values += 1;
        if values > limits.max_values {
            return Err(ParseError::new(
                format!("more than {} values", limits.max_values),
                None,
            ));
        }
        match stack.last_mut() {
            Some(Frame::Mapping { entries, key, .. }) => match key.take() {
                Some((name, key_span)) => entries.push(Entry {
                    key: name,
                    key_span: Some(key_span),
                    value: node,
                }),
                None => {
                    let name = match &node.value {
                        Value::String(s) => s.clone(),
                        Value::Integer(i) => i.to_string(),
                        Value::Bool(b) => b.to_string(),
                        Value::Real(r) => r.to_string(),
                        Value::Null => String::new(),
                        // A key that is a collection or an alias: kept under a name no real key
                        // has, so the entry and its value stay in order.
                        _ => "?".to_owned(),
                    };
                    *key = Some((name, node.span.clone().unwrap_or_default()));
                }
            },
            Some(Frame::Sequence { items, .. }) => items.push(node),
            None => root = Some(node),
        }
    }
    let root = root.ok_or_else(|| ParseError::new("the file holds no YAML document", None))?;
    Ok(YamlDocument {
        root,
        comments: comments(text),
    })
}

/// A scalar as YAML 1.2's core schema reads it: plain `2048` is a number, `true` a boolean,
/// `null` or `~` null; quoted or block scalars are always strings.
fn scalar(value: &str, style: ScalarStyle) -> Value {
    if style != ScalarStyle::Plain {
        return Value::String(value.to_owned());
    }
    match value {
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        "null" | "Null" | "NULL" | "~" | "" => return Value::Null,
        _ => {}
    }
    if let Ok(i) = value.parse::<i128>() {
        return Value::Integer(i);
    }
    if value.contains(['.', 'e', 'E'])
        && value
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '-' || c == '+')
        && let Ok(r) = value.parse::<f64>()
    {
        return Value::Real(r);
    }
    Value::String(value.to_owned())
}

/// `#` comments (at the start of a line or after a space), outside quoted scalars, for
/// `sceplint:` suppressions.
fn comments(text: &str) -> Vec<Comment> {
    let mut comments = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let mut quote: Option<char> = None;
        let mut previous = ' ';
        for (i, c) in content.char_indices() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == '"' || c == '\'' => quote = Some(c),
                None if c == '#' && previous.is_whitespace() => {
                    comments.push(Comment {
                        text: content[i + 1..].to_owned(),
                        span: Some(start + i..start + content.len()),
                    });
                    break;
                }
                None => {}
            }
            previous = c;
        }
    }
    comments
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Node {
        parse(text, &Limits::default()).expect("parses").root
    }

    #[test]
    fn mappings_sequences_scalars_and_spans() {
        let text = "controls:\n  macos_settings:\n    custom_settings:\n      - path: ../lib/okta scep.mobileconfig\n      - path: \"é/b.mobileconfig\"\nsize: 2048\nflag: true\n";
        let root = parse_ok(text);
        let list = root
            .get("controls")
            .and_then(|c| c.get("macos_settings"))
            .and_then(|m| m.get("custom_settings"))
            .and_then(Node::as_array)
            .unwrap();
        let first = list[0].get("path").unwrap();
        assert_eq!(first.as_str(), Some("../lib/okta scep.mobileconfig"));
        assert_eq!(
            &text[first.span.clone().unwrap()],
            "../lib/okta scep.mobileconfig"
        );
        let second = list[1].get("path").unwrap();
        assert_eq!(&text[second.inner.clone().unwrap()], "é/b.mobileconfig");
        assert_eq!(root.get("size").unwrap().value, Value::Integer(2048));
        assert_eq!(root.get("flag").unwrap().value, Value::Bool(true));
    }

    #[test]
    fn aliases_are_not_expanded() {
        let text = "a: &x [1, 2]\nb: *x\n";
        let root = parse_ok(text);
        assert!(matches!(
            root.get("b").unwrap().value,
            Value::Deferred {
                element: "alias",
                ..
            }
        ));
    }

    #[test]
    fn deep_or_broken_yaml_is_an_error() {
        let deep = "[".repeat(500);
        assert!(parse(&deep, &Limits::default()).is_err());
        let error = parse("a: [1, 2\nb: c\n", &Limits::default()).unwrap_err();
        assert!(error.span.is_some());
    }

    #[test]
    fn comments_skip_quotes() {
        let text = "# sceplint: ignore SCEP001\na: \"x # y\" # tail\nb: c#d\n";
        let found: Vec<String> = comments(text).into_iter().map(|c| c.text).collect();
        assert_eq!(found, [" sceplint: ignore SCEP001", " tail"]);
    }
}
