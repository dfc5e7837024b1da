//! XML with positions: Apple's plist grammar, and a generic element tree for Jamf Pro's API XML.
//!
//! Both walk quick-xml's events with an explicit stack (no recursion, so nesting depth is a
//! checked limit, never a stack overflow) and take each value's byte range from the reader's
//! position before and after its events. Entities declared in a DTD are never expanded: only
//! the five predefined ones and character references are, so entity bombs cannot grow.

use quick_xml::Reader;
use quick_xml::errors::{Error as XmlError, IllFormedError};
use quick_xml::events::{BytesRef, Event};

use super::{Comment, Limits, ParseError};
use crate::source::Span;
use crate::tree::{Entry, Node, Value};

/// A parsed XML document: its tree and the comments found along the way.
#[derive(Debug, Clone)]
pub struct XmlDocument {
    pub root: Node,
    pub comments: Vec<Comment>,
    /// The `version` attribute of the `<plist>` element, when there is one.
    pub plist_version: Option<String>,
}

fn reader(text: &str) -> Reader<&[u8]> {
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.trim_text(false);
    config.expand_empty_elements = false;
    config.check_end_names = true;
    reader
}

/// The name of the first element, read without parsing the rest (to tell a plist from a Jamf
/// export from an unrelated XML file cheaply).
pub fn root_element_name(text: &str) -> Option<String> {
    let mut reader = reader(text);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                return Some(e.name().as_ref().to_owned());
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

/// Reads events with their byte ranges.
pub(super) struct Events<'a> {
    reader: Reader<&'a [u8]>,
    len: usize,
}

impl<'a> Events<'a> {
    fn new(text: &'a str) -> Self {
        Events {
            reader: reader(text),
            len: text.len(),
        }
    }

    /// Events that do not check that closing tags match (the caller keeps its own stack).
    pub(super) fn tolerant(text: &'a str) -> Self {
        let mut events = Events::new(text);
        events.reader.config_mut().check_end_names = false;
        events
    }

    pub(super) fn next(&mut self) -> Result<(Event<'a>, Span), ParseError> {
        let start = self.position();
        match self.reader.read_event() {
            Ok(event) => Ok((event, start..self.position())),
            Err(error) => {
                let at = (self.reader.error_position() as usize).min(self.len);
                Err(ParseError::at(
                    xml_error_message(&error),
                    at..(at + 1).min(self.len),
                ))
            }
        }
    }

    fn position(&self) -> usize {
        self.reader.buffer_position() as usize
    }
}

/// Our own wording for quick-xml's errors: theirs can quote names from the input.
fn xml_error_message(error: &XmlError) -> String {
    match error {
        XmlError::Syntax(kind) => format!("malformed XML: {kind}"),
        XmlError::IllFormed(kind) => match kind {
            IllFormedError::MissingEndTag(_) => {
                "malformed XML: an element is not closed before the end of the file".into()
            }
            IllFormedError::UnmatchedEndTag(_) => {
                "malformed XML: a closing tag has no matching opening tag".into()
            }
            IllFormedError::MismatchedEndTag { .. } => {
                "malformed XML: a closing tag does not match the element it closes".into()
            }
            IllFormedError::DoubleHyphenInComment => {
                "malformed XML: `--` is not allowed inside a comment".into()
            }
            IllFormedError::UnclosedReference => {
                "malformed XML: `&` must start an entity such as `&amp;`; write `&amp;` for a literal ampersand".into()
            }
            _ => "malformed XML declaration or DOCTYPE".into(),
        },
        XmlError::Escape(_) => "malformed XML: invalid character reference".into(),
        XmlError::Encoding(_) => "the XML text is not valid in its declared encoding".into(),
        _ => "malformed XML".into(),
    }
}

/// The text a predefined entity or character reference stands for. DTD-declared entities are
/// deliberately unknown.
pub fn resolve_reference(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => BytesRef::new(name).resolve_char_ref().ok().flatten(),
    }
}

const UNKNOWN_ENTITY: &str = "unknown entity reference: only `&lt;` `&gt;` `&amp;` `&apos;` `&quot;` and character references are read (DTD entities are never expanded)";

enum Frame {
    Plist {
        value: Option<Node>,
    },
    Dict {
        start: usize,
        entries: Vec<Entry>,
        key: Option<(String, Span)>,
    },
    Array {
        start: usize,
        items: Vec<Node>,
    },
}

enum Delivered {
    Key(String, Span),
    Value(Node),
}

/// Parses Apple's XML property list grammar.
pub fn parse_plist(text: &str, limits: &Limits) -> Result<XmlDocument, ParseError> {
    let mut events = Events::new(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut comments = Vec::new();
    let mut values = 0usize;
    let mut plist_version = None;

    loop {
        let (event, span) = events.next()?;
        let delivered = match event {
            Event::Start(start) => {
                let name = start.name();
                match name.as_ref() {
                    "plist" if stack.is_empty() && root.is_none() => {
                        plist_version = start
                            .try_get_attribute("version")
                            .ok()
                            .flatten()
                            .map(|a| a.value.to_string());
                        stack.push(Frame::Plist { value: None });
                        None
                    }
                    "dict" | "array" => {
                        if stack.len() > limits.max_depth {
                            return Err(ParseError::at(
                                format!(
                                    "nesting is deeper than {} levels; sceplint stops here rather than risk its stack",
                                    limits.max_depth
                                ),
                                span,
                            ));
                        }
                        stack.push(if name.as_ref() == "dict" {
                            Frame::Dict {
                                start: span.start,
                                entries: Vec::new(),
                                key: None,
                            }
                        } else {
                            Frame::Array {
                                start: span.start,
                                items: Vec::new(),
                            }
                        });
                        None
                    }
                    "key" | "string" | "integer" | "real" | "date" | "data" | "true" | "false" => {
                        let tag = name.as_ref().to_owned();
                        let (content, inner, end) = read_scalar(&mut events, &tag, span.clone())?;
                        Some(scalar(&tag, content, span.start..end, inner)?)
                    }
                    _ => return Err(ParseError::at("unexpected element in a plist", span)),
                }
            }
            Event::Empty(start) => {
                let name = start.name();
                let tag = name.as_ref().to_owned();
                match name.as_ref() {
                    "dict" => Some(Delivered::Value(Node::new(
                        Value::Dict(Vec::new()),
                        Some(span),
                    ))),
                    "array" => Some(Delivered::Value(Node::new(
                        Value::Array(Vec::new()),
                        Some(span),
                    ))),
                    "key" | "string" | "date" | "data" | "true" | "false" | "integer" | "real" => {
                        let inner = span.end..span.end;
                        Some(scalar(&tag, String::new(), span, inner)?)
                    }
                    _ => return Err(ParseError::at("unexpected element in a plist", span)),
                }
            }
            Event::End(end) => match stack.pop() {
                Some(Frame::Plist { value }) => {
                    if end.name().as_ref() != "plist" {
                        return Err(ParseError::at("unexpected closing tag", span));
                    }
                    match value {
                        Some(value) => root = Some(value),
                        None => {
                            return Err(ParseError::at("the plist element holds no value", span));
                        }
                    }
                    None
                }
                Some(Frame::Dict {
                    start,
                    entries,
                    key,
                }) => {
                    if let Some((_, key_span)) = key {
                        return Err(ParseError::at("this key has no value", key_span));
                    }
                    Some(Delivered::Value(Node::new(
                        Value::Dict(entries),
                        Some(start..span.end),
                    )))
                }
                Some(Frame::Array { start, items }) => Some(Delivered::Value(Node::new(
                    Value::Array(items),
                    Some(start..span.end),
                ))),
                None => return Err(ParseError::at("unexpected closing tag", span)),
            },
            Event::Text(t) => {
                if t.trim_ascii().is_empty() {
                    None
                } else {
                    return Err(ParseError::at("text outside of a plist value", span));
                }
            }
            Event::CData(_) | Event::GeneralRef(_) => {
                return Err(ParseError::at("text outside of a plist value", span));
            }
            Event::Comment(c) => {
                comments.push(Comment {
                    text: c.to_string(),
                    span: Some(span),
                });
                None
            }
            Event::Decl(_) | Event::PI(_) | Event::DocType(_) => None,
            Event::Eof => break,
        };

        let Some(delivered) = delivered else { continue };
        values += 1;
        if values > limits.max_values {
            return Err(ParseError::new(
                format!(
                    "more than {} values; the file is not a plausible profile",
                    limits.max_values
                ),
                None,
            ));
        }
        match (stack.last_mut(), delivered) {
            (Some(Frame::Dict { key, .. }), Delivered::Key(name, key_span)) => {
                if let Some((_, previous)) = key.replace((name, key_span)) {
                    return Err(ParseError::at("this key has no value", previous));
                }
            }
            (Some(Frame::Dict { key, entries, .. }), Delivered::Value(value)) => {
                let Some((name, key_span)) = key.take() else {
                    return Err(ParseError::new(
                        "a dict value without a key before it",
                        value.span.clone(),
                    ));
                };
                entries.push(Entry {
                    key: name,
                    key_span: Some(key_span),
                    value,
                });
            }
            (Some(Frame::Array { items, .. }), Delivered::Value(value)) => items.push(value),
            (Some(Frame::Plist { value: slot }), Delivered::Value(value)) => {
                if slot.is_some() {
                    return Err(ParseError::new(
                        "the plist element holds more than one value",
                        value.span.clone(),
                    ));
                }
                *slot = Some(value);
            }
            (None, Delivered::Value(value)) => {
                if root.is_some() {
                    return Err(ParseError::new(
                        "more than one top-level value",
                        value.span.clone(),
                    ));
                }
                root = Some(value);
            }
            (_, Delivered::Key(_, key_span)) => {
                return Err(ParseError::at("a key outside of a dict", key_span));
            }
        }
    }

    if !stack.is_empty() {
        return Err(ParseError::at(
            "the file ends before the plist is closed (truncated?)",
            text.len().saturating_sub(1)..text.len(),
        ));
    }
    match root {
        Some(root) => Ok(XmlDocument {
            root,
            comments,
            plist_version,
        }),
        None => Err(ParseError::new("the file holds no plist value", None)),
    }
}

/// Collects a scalar element's text up to its closing tag.
fn read_scalar(
    events: &mut Events<'_>,
    tag: &str,
    start_tag: Span,
) -> Result<(String, Span, usize), ParseError> {
    let content_start = start_tag.end;
    let mut content = String::new();
    loop {
        let (event, span) = events.next()?;
        match event {
            Event::Text(t) => content.push_str(&t.xml10_content()),
            Event::CData(c) => content.push_str(&c),
            Event::GeneralRef(r) => match resolve_reference(&r) {
                Some(c) => content.push(c),
                None => return Err(ParseError::at(UNKNOWN_ENTITY, span)),
            },
            Event::Comment(_) => {}
            Event::End(_) => return Ok((content, content_start..span.start, span.end)),
            Event::Eof => {
                return Err(ParseError::at(
                    format!("the file ends inside this <{tag}> element (truncated?)"),
                    start_tag,
                ));
            }
            _ => {
                return Err(ParseError::at(
                    format!("unexpected markup inside a <{tag}> element"),
                    span,
                ));
            }
        }
    }
}

/// The variable a typed element holds in place of its value (`<integer>$KEY_SIZE</integer>`,
/// `<data>${CERT}</data>`): the whole content, when it is one `$NAME` or `${NAME}`.
fn deferred(tag: &str, content: &str) -> Option<Value> {
    let token = content.trim();
    let name = token
        .strip_prefix("${")
        .and_then(|rest| rest.strip_suffix('}'))
        .or_else(|| token.strip_prefix('$'))?;
    let mut chars = name.chars();
    let first = chars.next()?;
    if !(first.is_ascii_alphabetic() || first == '_')
        || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return None;
    }
    let element = match tag {
        "integer" => "integer",
        "real" => "real",
        "data" => "data",
        "date" => "date",
        "true" => "true",
        "false" => "false",
        _ => return None,
    };
    Some(Value::Deferred {
        element,
        token: token.to_owned(),
    })
}

fn scalar(tag: &str, content: String, span: Span, inner: Span) -> Result<Delivered, ParseError> {
    if let Some(value) = deferred(tag, &content) {
        return Ok(Delivered::Value(
            Node::new(value, Some(span)).with_inner(Some(inner)),
        ));
    }
    let value = match tag {
        "key" => return Ok(Delivered::Key(content, span)),
        "string" => Value::String(content),
        "date" => Value::Date(content.trim().to_owned()),
        "true" | "false" if content.trim().is_empty() => Value::Bool(tag == "true"),
        "true" | "false" => {
            return Err(ParseError::at(format!("<{tag}/> cannot hold text"), span));
        }
        "integer" => match parse_integer(content.trim()) {
            Some(i) => Value::Integer(i),
            None => {
                return Err(ParseError::at(
                    "this <integer> does not hold a whole number",
                    span,
                ));
            }
        },
        "real" => match content.trim().parse::<f64>() {
            Ok(r) => Value::Real(r),
            Err(_) => return Err(ParseError::at("this <real> does not hold a number", span)),
        },
        "data" => match base64_decode(&content) {
            Some((len, head)) => Value::Data { len, head },
            None => return Err(ParseError::at("this <data> is not valid base64", span)),
        },
        _ => return Err(ParseError::at("unexpected element in a plist", span)),
    };
    Ok(Delivered::Value(
        Node::new(value, Some(span)).with_inner(Some(inner)),
    ))
}

/// Decimal, or hexadecimal with `0x`, as Core Foundation reads `<integer>`.
fn parse_integer(text: &str) -> Option<i128> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let magnitude = match digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        Some(hex) => i128::from_str_radix(hex, 16).ok()?,
        None if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
            digits.parse::<i128>().ok()?
        }
        None => return None,
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// The decoded length of base64 text with whitespace, or `None` if it is not base64.
/// The decoded length of base64 text (whitespace ignored) and its first [`DATA_KEPT`] bytes,
/// or `None` when it is not base64.
///
/// [`DATA_KEPT`]: crate::tree::DATA_KEPT
fn base64_decode(text: &str) -> Option<(usize, Box<[u8]>)> {
    let mut symbols = 0usize;
    let mut padding = 0usize;
    let mut head = Vec::new();
    let mut bits = 0u32;
    let mut pending = 0u32;
    for b in text.bytes() {
        let sextet = match b {
            b'A'..=b'Z' if padding == 0 => b - b'A',
            b'a'..=b'z' if padding == 0 => b - b'a' + 26,
            b'0'..=b'9' if padding == 0 => b - b'0' + 52,
            b'+' if padding == 0 => 62,
            b'/' if padding == 0 => 63,
            b'=' => {
                padding += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            _ => return None,
        };
        symbols += 1;
        pending = (pending << 6) | u32::from(sextet);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            if head.len() < crate::tree::DATA_KEPT {
                head.push((pending >> bits) as u8);
            }
            pending &= (1 << bits) - 1;
        }
    }
    if padding > 2 || (symbols + padding) % 4 == 1 {
        return None;
    }
    Some((symbols * 3 / 4, head.into_boxed_slice()))
}

struct ElementFrame {
    name: String,
    name_span: Span,
    start: usize,
    content_start: usize,
    children: Vec<Entry>,
    text: String,
}

/// Reads any XML into a tree: an element with child elements becomes a dict keyed by child
/// names (in order, repeats kept), an element with only text becomes a string. Attributes are
/// not kept. The root becomes a one-entry dict named after the root element.
pub fn parse_element_tree(text: &str, limits: &Limits) -> Result<XmlDocument, ParseError> {
    let mut events = Events::new(text);
    let mut stack: Vec<ElementFrame> = Vec::new();
    let mut top: Vec<Entry> = Vec::new();
    let mut comments = Vec::new();
    let mut values = 0usize;

    loop {
        let (event, span) = events.next()?;
        let finished = match event {
            Event::Start(start) => {
                if stack.len() > limits.max_depth {
                    return Err(ParseError::at(
                        format!("nesting is deeper than {} levels", limits.max_depth),
                        span,
                    ));
                }
                stack.push(ElementFrame {
                    name: start.name().as_ref().to_owned(),
                    name_span: span.clone(),
                    start: span.start,
                    content_start: span.end,
                    children: Vec::new(),
                    text: String::new(),
                });
                None
            }
            Event::Empty(start) => Some(Entry {
                key: start.name().as_ref().to_owned(),
                key_span: Some(span.clone()),
                value: Node::new(Value::String(String::new()), Some(span.clone()))
                    .with_inner(Some(span.end..span.end)),
            }),
            Event::End(_) => {
                let Some(frame) = stack.pop() else {
                    return Err(ParseError::at("unexpected closing tag", span));
                };
                let inner = frame.content_start..span.start;
                let value = if frame.children.is_empty() {
                    Value::String(frame.text)
                } else {
                    Value::Dict(frame.children)
                };
                Some(Entry {
                    key: frame.name,
                    key_span: Some(frame.name_span),
                    value: Node::new(value, Some(frame.start..span.end)).with_inner(Some(inner)),
                })
            }
            Event::Text(t) => {
                if let Some(frame) = stack.last_mut() {
                    frame.text.push_str(&t.xml10_content());
                }
                None
            }
            Event::CData(c) => {
                if let Some(frame) = stack.last_mut() {
                    frame.text.push_str(&c);
                }
                None
            }
            Event::GeneralRef(r) => {
                let Some(c) = resolve_reference(&r) else {
                    return Err(ParseError::at(UNKNOWN_ENTITY, span));
                };
                if let Some(frame) = stack.last_mut() {
                    frame.text.push(c);
                }
                None
            }
            Event::Comment(c) => {
                comments.push(Comment {
                    text: c.to_string(),
                    span: Some(span),
                });
                None
            }
            Event::Decl(_) | Event::PI(_) | Event::DocType(_) => None,
            Event::Eof => break,
        };
        if let Some(entry) = finished {
            values += 1;
            if values > limits.max_values {
                return Err(ParseError::new(
                    format!("more than {} elements", limits.max_values),
                    None,
                ));
            }
            match stack.last_mut() {
                Some(parent) => parent.children.push(entry),
                None => top.push(entry),
            }
        }
    }
    if !stack.is_empty() {
        return Err(ParseError::at(
            "the file ends before the root element is closed (truncated?)",
            text.len().saturating_sub(1)..text.len(),
        ));
    }
    if top.is_empty() {
        return Err(ParseError::new("the file holds no XML element", None));
    }
    let span = top.first().and_then(|e| e.value.span.clone());
    Ok(XmlDocument {
        root: Node::new(Value::Dict(top), span),
        comments,
        plist_version: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plist(text: &str) -> Result<Node, ParseError> {
        parse_plist(text, &Limits::default()).map(|d| d.root)
    }

    #[test]
    fn values_carry_the_span_of_their_element_and_content() {
        let text = "<plist><dict><key>Keysize</key><integer>2048</integer></dict></plist>";
        let root = plist(text).unwrap();
        let entry = root.entry("Keysize").unwrap();
        assert_eq!(&text[entry.key_span.clone().unwrap()], "<key>Keysize</key>");
        assert_eq!(
            &text[entry.value.span.clone().unwrap()],
            "<integer>2048</integer>"
        );
        assert_eq!(&text[entry.value.inner.clone().unwrap()], "2048");
        assert_eq!(entry.value.as_integer(), Some(2048));
    }

    #[test]
    fn predefined_entities_and_char_refs_are_decoded() {
        let root = plist("<plist><string>a&amp;b&#x41;&lt;</string></plist>").unwrap();
        assert_eq!(root.as_str(), Some("a&bA<"));
    }

    #[test]
    fn dtd_entities_are_never_expanded() {
        let text = r#"<?xml version="1.0"?><!DOCTYPE plist [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]><plist><string>&b;</string></plist>"#;
        let err = plist(text).unwrap_err();
        assert!(
            err.message.contains("DTD entities are never expanded"),
            "{err:?}"
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let text = format!(
            "<plist>{}{}</plist>",
            "<array>".repeat(10_000),
            "</array>".repeat(10_000)
        );
        let err = plist(&text).unwrap_err();
        assert!(err.message.contains("deeper than"), "{err:?}");
    }

    #[test]
    fn truncated_files_are_reported() {
        let err = plist("<plist><dict><key>URL</key><string>https://x").unwrap_err();
        assert!(err.message.contains("truncated"), "{err:?}");
    }

    #[test]
    fn a_key_without_a_value_points_at_the_key() {
        let text = "<plist><dict><key>URL</key></dict></plist>";
        let err = plist(text).unwrap_err();
        assert_eq!(&text[err.span.unwrap()], "<key>URL</key>");
    }

    #[test]
    fn integers_accept_hex_and_reject_words() {
        assert_eq!(parse_integer("0x10"), Some(16));
        assert_eq!(parse_integer("-5"), Some(-5));
        assert_eq!(parse_integer("2048 bits"), None);
        assert_eq!(parse_integer(""), None);
    }

    #[test]
    fn base64_length_ignores_whitespace() {
        let (len, head) = base64_decode("aHVudGVy\n\tMg==").unwrap();
        assert_eq!((len, &*head), (7, &b"hunter2"[..]));
        assert_eq!(
            base64_decode("fsiTzhNqZY+4DnsX\n\ttaASCepN46s=").map(|d| d.0),
            Some(20)
        );
        assert_eq!(base64_decode("not base64!"), None);
    }

    #[test]
    fn element_trees_keep_text_and_children() {
        let text =
            "<r><general><level>System</level><payloads>&lt;plist/&gt;</payloads></general></r>";
        let doc = parse_element_tree(text, &Limits::default()).unwrap();
        let general = doc.root.get("r").and_then(|r| r.get("general")).unwrap();
        assert_eq!(general.get_str("level"), Some("System"));
        let payloads = general.get("payloads").unwrap();
        assert_eq!(payloads.as_str(), Some("<plist/>"));
        assert_eq!(&text[payloads.inner.clone().unwrap()], "&lt;plist/&gt;");
    }
}
