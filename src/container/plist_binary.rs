//! Binary property lists (`bplist00`), read through the plist crate's event stream so that depth,
//! value count and the expansion of shared objects stay bounded: a binary plist may reference
//! one object many times, so a small file can describe an exponentially large tree.

use std::io::Cursor;

use plist::stream::{BinaryReader, Event};

use super::{Limits, ParseError};
use crate::tree::{Entry, Node, Value};

enum Frame {
    Dict {
        entries: Vec<Entry>,
        key: Option<String>,
    },
    Array(Vec<Node>),
}

pub fn parse(bytes: &[u8], limits: &Limits) -> Result<Node, ParseError> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut values = 0usize;
    let mut expanded_bytes = 0usize;
    let byte_budget = bytes.len().saturating_mul(64).saturating_add(1 << 20);

    for event in BinaryReader::new(Cursor::new(bytes)) {
        let event = event.map_err(|e| {
            ParseError::new(format!("malformed binary plist: {}", describe(&e)), None)
        })?;
        values += 1;
        if values > limits.max_values {
            return Err(ParseError::new(
                format!(
                    "the binary plist expands to more than {} values (shared objects?)",
                    limits.max_values
                ),
                None,
            ));
        }
        let value = match event {
            Event::StartDictionary(_) | Event::StartArray(_) => {
                if stack.len() >= limits.max_depth {
                    return Err(ParseError::new(
                        format!(
                            "nesting is deeper than {} levels; sceplint stops here rather than risk its stack",
                            limits.max_depth
                        ),
                        None,
                    ));
                }
                stack.push(match event {
                    Event::StartDictionary(_) => Frame::Dict {
                        entries: Vec::new(),
                        key: None,
                    },
                    _ => Frame::Array(Vec::new()),
                });
                continue;
            }
            Event::EndCollection => match stack.pop() {
                Some(Frame::Dict { entries, key: None }) => Value::Dict(entries),
                Some(Frame::Array(items)) => Value::Array(items),
                _ => {
                    return Err(ParseError::new(
                        "malformed binary plist: unbalanced collection",
                        None,
                    ));
                }
            },
            Event::Boolean(b) => Value::Bool(b),
            Event::Data(d) => {
                expanded_bytes += d.len();
                Value::Data {
                    len: d.len(),
                    head: d[..d.len().min(crate::tree::DATA_KEPT)].into(),
                }
            }
            Event::Date(d) => Value::Date(d.to_xml_format()),
            Event::Integer(i) => match (i.as_signed(), i.as_unsigned()) {
                (Some(s), _) => Value::Integer(i128::from(s)),
                (None, Some(u)) => Value::Integer(i128::from(u)),
                (None, None) => {
                    return Err(ParseError::new("malformed binary plist: integer", None));
                }
            },
            Event::Real(r) => Value::Real(r),
            Event::String(s) => {
                expanded_bytes += s.len();
                Value::String(s.into_owned())
            }
            Event::Uid(u) => Value::Uid(u.get()),
            _ => {
                return Err(ParseError::new(
                    "malformed binary plist: unknown value",
                    None,
                ));
            }
        };
        if expanded_bytes > byte_budget {
            return Err(ParseError::new(
                "the binary plist expands to far more text than the file holds (shared objects?)",
                None,
            ));
        }
        let node = Node::new(value, None);
        match stack.last_mut() {
            Some(Frame::Dict { entries, key }) => match key.take() {
                Some(name) => entries.push(Entry {
                    key: name,
                    key_span: None,
                    value: node,
                }),
                None => match node.value {
                    Value::String(name) => *key = Some(name),
                    _ => {
                        return Err(ParseError::new(
                            "malformed binary plist: a dict key is not a string",
                            None,
                        ));
                    }
                },
            },
            Some(Frame::Array(items)) => items.push(node),
            None => {
                if root.replace(node).is_some() {
                    return Err(ParseError::new(
                        "malformed binary plist: two root values",
                        None,
                    ));
                }
            }
        }
    }
    if !stack.is_empty() {
        return Err(ParseError::new("malformed binary plist: truncated", None));
    }
    root.ok_or_else(|| ParseError::new("malformed binary plist: no root value", None))
}

/// The plist crate's error text names the problem (a CamelCase kind) and a byte offset, never
/// file content; the kind is spelt out in words.
fn describe(error: &plist::Error) -> String {
    let text = error.to_string();
    let (kind, rest) = text.split_at(
        text.find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(text.len()),
    );
    let mut words = String::new();
    for c in kind.chars() {
        if c.is_ascii_uppercase() && !words.is_empty() {
            words.push(' ');
        }
        words.push(c.to_ascii_lowercase());
    }
    format!("{words}{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binary(value: &plist::Value) -> Vec<u8> {
        let mut out = Vec::new();
        value.to_writer_binary(&mut out).unwrap();
        out
    }

    #[test]
    fn reads_dicts_arrays_and_scalars() {
        let mut dict = plist::Dictionary::new();
        dict.insert("Keysize".into(), plist::Value::Integer(2048.into()));
        dict.insert("URL".into(), plist::Value::String("https://x".into()));
        dict.insert("KeyIsExtractable".into(), plist::Value::Boolean(false));
        let bytes = binary(&plist::Value::Array(vec![plist::Value::Dictionary(dict)]));
        let node = parse(&bytes, &Limits::default()).unwrap();
        let payload = &node.as_array().unwrap()[0];
        assert_eq!(
            payload.get("Keysize").and_then(Node::as_integer),
            Some(2048)
        );
        assert_eq!(payload.get_str("URL"), Some("https://x"));
        assert_eq!(
            payload.get("KeyIsExtractable").and_then(Node::as_bool),
            Some(false)
        );
    }

    #[test]
    fn garbage_and_truncation_are_errors() {
        assert!(parse(b"bplist00garbage", &Limits::default()).is_err());
        let mut bytes = binary(&plist::Value::String("x".into()));
        bytes.truncate(bytes.len() - 5);
        assert!(parse(&bytes, &Limits::default()).is_err());
    }

    #[test]
    fn error_kinds_are_spelt_out() {
        let mut bytes = binary(&plist::Value::String("x".into()));
        bytes.truncate(bytes.len() - 5);
        let err = parse(&bytes, &Limits::default()).unwrap_err();
        assert!(
            err.message.starts_with("malformed binary plist: ") && err.message.contains(' '),
            "{err:?}"
        );
        assert!(!err.message.contains("Invalid"), "{err:?}");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut value = plist::Value::Array(vec![]);
        for _ in 0..500 {
            value = plist::Value::Array(vec![value]);
        }
        let bytes = binary(&value);
        let err = parse(&bytes, &Limits::default()).unwrap_err();
        assert!(err.message.contains("deeper"), "{err:?}");
    }
}
