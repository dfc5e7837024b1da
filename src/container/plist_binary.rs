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
/// One object of a binary plist read in order, without its trailer.
enum Salvaged {
    Text(String),
    Dict {
        keys: Vec<usize>,
        values: Vec<usize>,
    },
    Array(Vec<usize>),
    Other,
}

/// The strings under the keys `is_key` accepts in a binary plist that does not parse
/// (truncated, its trailer lost), found by walking its objects in the order writers lay them
/// out, so that values under secret keys can still be hidden. Best effort: nothing read here
/// is shown or checked.
pub fn salvage_values(bytes: &[u8], is_key: impl Fn(&str) -> bool) -> Vec<String> {
    [1, 2]
        .into_iter()
        .map(|ref_size| salvage_objects(bytes, ref_size))
        .max_by_key(Vec::len)
        .map(|objects| values_under_keys(&objects, is_key))
        .unwrap_or_default()
}

fn salvage_objects(bytes: &[u8], ref_size: usize) -> Vec<Salvaged> {
    let mut objects = Vec::new();
    let mut at = 8;
    while let Some(&marker) = bytes.get(at) {
        let Some((object, next)) = salvage_object(bytes, at, marker, ref_size) else {
            break;
        };
        objects.push(object);
        at = next;
    }
    objects
}

/// The object at `at` and where the next one starts, or `None` where the walk loses its way.
fn salvage_object(
    bytes: &[u8],
    at: usize,
    marker: u8,
    ref_size: usize,
) -> Option<(Salvaged, usize)> {
    let low = usize::from(marker & 0x0f);
    let count = |at: usize| -> Option<(usize, usize)> {
        if low != 0x0f {
            return Some((low, at + 1));
        }
        let int_marker = *bytes.get(at + 1)?;
        if int_marker >> 4 != 1 {
            return None;
        }
        let width = 1usize << (int_marker & 0x0f);
        let raw = bytes.get(at + 2..at + 2 + width)?;
        let value = raw.iter().fold(0usize, |n, b| {
            n.saturating_mul(256).saturating_add(usize::from(*b))
        });
        Some((value, at + 2 + width))
    };
    let refs = |start: usize, n: usize| -> Option<Vec<usize>> {
        let raw = bytes.get(start..start.checked_add(n.checked_mul(ref_size)?)?)?;
        Some(
            raw.chunks(ref_size)
                .map(|c| c.iter().fold(0usize, |n, b| n * 256 + usize::from(*b)))
                .collect(),
        )
    };
    match marker >> 4 {
        0x0 => Some((Salvaged::Other, at + 1)),
        0x1 | 0x2 => Some((Salvaged::Other, at + 1 + (1usize << low.min(4)))),
        0x3 => Some((Salvaged::Other, at + 9)),
        0x4 => {
            let (n, start) = count(at)?;
            Some((Salvaged::Other, start.checked_add(n)?))
        }
        0x5 => {
            let (n, start) = count(at)?;
            let raw = bytes.get(start..start.checked_add(n)?)?;
            Some((
                Salvaged::Text(String::from_utf8_lossy(raw).into_owned()),
                start + n,
            ))
        }
        0x6 => {
            let (n, start) = count(at)?;
            let raw = bytes.get(start..start.checked_add(n.checked_mul(2)?)?)?;
            let units: Vec<u16> = raw
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            Some((
                Salvaged::Text(String::from_utf16_lossy(&units)),
                start + 2 * n,
            ))
        }
        0x8 => Some((Salvaged::Other, at + 2 + low)),
        0xa | 0xc => {
            let (n, start) = count(at)?;
            let items = refs(start, n)?;
            Some((Salvaged::Array(items), start + n * ref_size))
        }
        0xd => {
            let (n, start) = count(at)?;
            let keys = refs(start, n)?;
            let values = refs(start + n * ref_size, n)?;
            Some((Salvaged::Dict { keys, values }, start + 2 * n * ref_size))
        }
        _ => None,
    }
}

/// The most objects the salvage visits when gathering values, whatever the file says.
const SALVAGE_BUDGET: usize = 1 << 20;

fn values_under_keys(objects: &[Salvaged], is_key: impl Fn(&str) -> bool) -> Vec<String> {
    let mut strings = Vec::new();
    let mut budget = SALVAGE_BUDGET;
    for object in objects {
        let Salvaged::Dict { keys, values } = object else {
            continue;
        };
        for (key, value) in keys.iter().zip(values) {
            if let Some(Salvaged::Text(key)) = objects.get(*key)
                && is_key(key)
            {
                strings_under(objects, *value, 0, &mut budget, &mut strings);
            }
        }
    }
    strings
}

fn strings_under(
    objects: &[Salvaged],
    index: usize,
    depth: usize,
    budget: &mut usize,
    out: &mut Vec<String>,
) {
    if depth > 32 || *budget == 0 {
        return;
    }
    *budget -= 1;
    match objects.get(index) {
        Some(Salvaged::Text(text)) => out.push(text.clone()),
        Some(Salvaged::Array(items) | Salvaged::Dict { values: items, .. }) => {
            for item in items {
                strings_under(objects, *item, depth + 1, budget, out);
            }
        }
        _ => {}
    }
}

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
