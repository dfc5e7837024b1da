//! JSON with positions, through jsonc-parser's ranged AST (serde_json keeps no positions).
//! Strict JSON: the exports sceplint reads are machine-written, so leniency would only hide
//! a broken file.

use jsonc_parser::ast::{self, ObjectPropName};
use jsonc_parser::errors::ParseErrorKind;
use jsonc_parser::{CollectOptions, ParseOptions, ParseStringErrorKind};

use super::{Limits, ParseError};
use crate::tree::{Entry, Node, Value};

const STRICT: ParseOptions = ParseOptions {
    allow_comments: false,
    allow_loose_object_property_names: false,
    allow_trailing_commas: false,
    allow_missing_commas: false,
    allow_single_quoted_strings: false,
    allow_hexadecimal_numbers: false,
    allow_unary_plus_numbers: false,
    allow_bare_decimal_point_numbers: false,
    allow_non_finite_numbers: false,
    allow_extended_string_escapes: false,
};

pub fn parse(text: &str, limits: &Limits) -> Result<Node, ParseError> {
    let parsed =
        jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &STRICT).map_err(|e| {
            let range = e.range();
            ParseError::at(message(e.kind()), range.start..range.end.max(range.start))
        })?;
    let Some(value) = parsed.value else {
        return Err(ParseError::new("the file holds no JSON value", None));
    };
    let mut count = 0;
    convert(&value, 0, limits, &mut count)
}

fn message(kind: &ParseErrorKind) -> String {
    let what = match kind {
        ParseErrorKind::NestingDepthExceeded => {
            return "JSON nesting is too deep; sceplint stops here rather than risk its stack"
                .into();
        }
        ParseErrorKind::String(ParseStringErrorKind::UnterminatedStringLiteral) => {
            "a string is not closed (truncated?)"
        }
        ParseErrorKind::String(_) => "a string holds an invalid escape",
        ParseErrorKind::UnterminatedArray => "an array is not closed (truncated?)",
        ParseErrorKind::UnterminatedObject => "an object is not closed (truncated?)",
        ParseErrorKind::CommentsNotAllowed => "comments are not allowed in JSON",
        ParseErrorKind::TrailingCommasNotAllowed => "trailing commas are not allowed in JSON",
        ParseErrorKind::ExpectedComma => "a comma is missing",
        ParseErrorKind::ExpectedColonAfterObjectKey => "a colon is missing after an object key",
        ParseErrorKind::MultipleRootJsonValues => "more than one JSON value at the top level",
        ParseErrorKind::SingleQuotedStringsNotAllowed => "JSON strings use double quotes",
        _ => "unexpected token",
    };
    format!("malformed JSON: {what}")
}

fn convert(
    value: &ast::Value<'_>,
    depth: usize,
    limits: &Limits,
    count: &mut usize,
) -> Result<Node, ParseError> {
    *count += 1;
    if *count > limits.max_values {
        return Err(ParseError::new(
            format!(
                "more than {} values; the file is not a plausible export",
                limits.max_values
            ),
            None,
        ));
    }
    let span = |range: &jsonc_parser::common::Range| range.start..range.end;
    Ok(match value {
        ast::Value::StringLit(s) => {
            let outer = span(&s.range);
            let inner = outer.start + 1..outer.end.saturating_sub(1).max(outer.start + 1);
            Node::new(Value::String(s.value.to_string()), Some(outer)).with_inner(Some(inner))
        }
        ast::Value::NumberLit(n) => {
            let number = match n.value.parse::<i128>() {
                Ok(i) => Value::Integer(i),
                Err(_) => Value::Real(n.value.parse::<f64>().unwrap_or(f64::NAN)),
            };
            Node::new(number, Some(span(&n.range)))
        }
        ast::Value::BooleanLit(b) => Node::new(Value::Bool(b.value), Some(span(&b.range))),
        ast::Value::NullKeyword(n) => Node::new(Value::Null, Some(span(&n.range))),
        ast::Value::Array(array) => {
            check_depth(depth, limits, span(&array.range))?;
            let items = array
                .elements
                .iter()
                .map(|item| convert(item, depth + 1, limits, count))
                .collect::<Result<Vec<_>, _>>()?;
            Node::new(Value::Array(items), Some(span(&array.range)))
        }
        ast::Value::Object(object) => {
            check_depth(depth, limits, span(&object.range))?;
            let mut entries = Vec::with_capacity(object.properties.len());
            for property in &object.properties {
                let (key, key_span) = match &property.name {
                    ObjectPropName::String(s) => (s.value.to_string(), span(&s.range)),
                    ObjectPropName::Word(w) => (w.value.to_string(), span(&w.range)),
                };
                entries.push(Entry {
                    key,
                    key_span: Some(key_span),
                    value: convert(&property.value, depth + 1, limits, count)?,
                });
            }
            Node::new(Value::Dict(entries), Some(span(&object.range)))
        }
    })
}

fn check_depth(depth: usize, limits: &Limits, span: crate::source::Span) -> Result<(), ParseError> {
    if depth >= limits.max_depth {
        return Err(ParseError::at(
            format!(
                "nesting is deeper than {} levels; sceplint stops here rather than risk its stack",
                limits.max_depth
            ),
            span.start..span.start + 1,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_keep_key_and_value_spans_and_duplicates() {
        let text = r#"{"keySize": "size2048", "keySize": 1}"#;
        let node = parse(text, &Limits::default()).unwrap();
        let entries = node.as_dict().unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(&text[entries[0].key_span.clone().unwrap()], r#""keySize""#);
        assert_eq!(&text[entries[0].value.inner.clone().unwrap()], "size2048");
        assert_eq!(node.get("keySize").and_then(Node::as_integer), Some(1));
    }

    #[test]
    fn errors_do_not_quote_the_input() {
        let err = parse(r#"{"a": "\uZZZZsecret"}"#, &Limits::default()).unwrap_err();
        assert!(!err.message.contains("secret"), "{err:?}");
        assert!(err.span.is_some());
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = parse(&text, &Limits::default()).unwrap_err();
        assert!(
            err.message.contains("too deep") || err.message.contains("deeper"),
            "{err:?}"
        );
    }
}
