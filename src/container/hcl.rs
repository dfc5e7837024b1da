//! Terraform's HCL (`.tf`), read with hcl-edit, which keeps the byte range of every expression,
//! into a positioned [`Node`] tree:
//!
//! - a body is a dict of its attributes and blocks, in order (repeated blocks kept);
//! - a block is a dict whose `@labels` entry holds its labels, then its body;
//! - objects, arrays, strings, numbers, booleans and null are what they are;
//! - a heredoc without interpolations is a string whose content span is the heredoc's body;
//! - anything Terraform computes (a variable, a reference, a function call, a template with
//!   interpolations, a conditional) is [`Value::Deferred`] holding its source text: unknown
//!   until Terraform runs, never an error.

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{BlockLabel, Body, Structure};

use super::{Comment, Limits, ParseError};
use crate::source::Span;
use crate::tree::{Entry, Node, Value};

/// The key under which a block's labels are kept (no HCL identifier starts with `@`).
pub const LABELS: &str = "@labels";

/// The longest source text kept for a computed expression.
const MAX_TOKEN: usize = 512;

#[derive(Debug)]
pub struct HclDocument {
    pub root: Node,
    pub comments: Vec<Comment>,
}

pub fn parse(text: &str, limits: &Limits) -> Result<HclDocument, ParseError> {
    let body = hcl_edit::parser::parse_body(text).map_err(|error| {
        let at = error.location().offset().min(text.len());
        ParseError::at(
            format!(
                "malformed HCL at line {}, column {}",
                error.location().line(),
                error.location().column()
            ),
            at..(at + 1).min(text.len()),
        )
    })?;
    let mut builder = Builder {
        text,
        values: 0,
        limits,
    };
    let root = builder.body(&body, Some(0..text.len()))?;
    Ok(HclDocument {
        root,
        comments: comments(text),
    })
}

struct Builder<'a> {
    text: &'a str,
    values: usize,
    limits: &'a Limits,
}

impl Builder<'_> {
    fn count(&mut self) -> Result<(), ParseError> {
        self.values += 1;
        if self.values > self.limits.max_values {
            return Err(ParseError::new(
                format!("more than {} values", self.limits.max_values),
                None,
            ));
        }
        Ok(())
    }

    fn body(&mut self, body: &Body, span: Option<Span>) -> Result<Node, ParseError> {
        let mut entries = Vec::new();
        for structure in body.iter() {
            self.count()?;
            match structure {
                Structure::Attribute(attribute) => entries.push(Entry {
                    key: attribute.key.as_str().to_owned(),
                    key_span: attribute.key.span(),
                    value: self.expression(&attribute.value)?,
                }),
                Structure::Block(block) => {
                    let labels = block
                        .labels
                        .iter()
                        .map(|label| {
                            let (text, span) = match label {
                                BlockLabel::Ident(ident) => {
                                    (ident.as_str().to_owned(), ident.span())
                                }
                                BlockLabel::String(string) => {
                                    (string.value().clone(), string.span())
                                }
                            };
                            Node::new(Value::String(text), span.clone())
                                .with_inner(span.map(unquoted))
                        })
                        .collect();
                    let mut inner = self.body(&block.body, block.span())?;
                    if let Value::Dict(body_entries) = &mut inner.value {
                        body_entries.insert(
                            0,
                            // No position of its own: a comment before the block covers the
                            // block, not this entry.
                            Entry {
                                key: LABELS.to_owned(),
                                key_span: None,
                                value: Node::new(Value::Array(labels), None),
                            },
                        );
                    }
                    entries.push(Entry {
                        key: block.ident.as_str().to_owned(),
                        key_span: block.ident.span(),
                        value: inner,
                    });
                }
            }
        }
        Ok(Node::new(Value::Dict(entries), span))
    }

    fn expression(&mut self, expression: &Expression) -> Result<Node, ParseError> {
        self.count()?;
        let span = expression.span();
        let value = match expression {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => {
                let number = n.value();
                match number.as_i64() {
                    Some(i) => Value::Integer(i.into()),
                    None => Value::Real(number.as_f64().unwrap_or(f64::NAN)),
                }
            }
            Expression::String(s) => {
                return Ok(Node::new(Value::String(s.value().clone()), span.clone())
                    .with_inner(span.map(unquoted)));
            }
            Expression::Array(array) => {
                let mut items = Vec::new();
                for item in array.iter() {
                    items.push(self.expression(item)?);
                }
                Value::Array(items)
            }
            Expression::Object(object) => {
                let mut entries = Vec::new();
                for (key, value) in object.iter() {
                    let (name, key_span) = match key {
                        ObjectKey::Ident(ident) => (ident.as_str().to_owned(), ident.span()),
                        ObjectKey::Expression(Expression::String(s)) => {
                            (s.value().clone(), s.span())
                        }
                        ObjectKey::Expression(other) => (self.source(other), other.span()),
                    };
                    entries.push(Entry {
                        key: name,
                        key_span,
                        value: self.expression(value.expr())?,
                    });
                }
                Value::Dict(entries)
            }
            Expression::HeredocTemplate(heredoc) => {
                let literal: Option<String> = heredoc
                    .template
                    .iter()
                    .map(|element| element.as_literal().map(|l| l.as_str()))
                    .collect();
                match literal {
                    Some(text) => {
                        return Ok(Node::new(Value::String(text), span)
                            .with_inner(heredoc.template.span()));
                    }
                    None => self.deferred("template", expression),
                }
            }
            Expression::Parenthesis(inner) => return self.expression(inner.inner()),
            Expression::FuncCall(_) => self.deferred("function", expression),
            Expression::StringTemplate(_) => self.deferred("template", expression),
            _ => self.deferred("expression", expression),
        };
        Ok(Node::new(value, span.clone()).with_inner(span))
    }

    fn deferred(&self, element: &'static str, expression: &Expression) -> Value {
        Value::Deferred {
            element,
            token: self.source(expression),
        }
    }

    /// The expression as written, cut short.
    fn source(&self, expression: &Expression) -> String {
        let raw = expression
            .span()
            .and_then(|span| self.text.get(span))
            .unwrap_or_default();
        let end = crate::source::clamp_to_char_boundary(raw, raw.len().min(MAX_TOKEN));
        raw[..end].to_owned()
    }
}

/// The content of a quoted token's span, without its quotes.
fn unquoted(span: Span) -> Span {
    if span.len() >= 2 {
        span.start + 1..span.end - 1
    } else {
        span
    }
}

/// `#` and `//` comments, for `sceplint:` suppressions: outside strings and heredocs.
fn comments(text: &str) -> Vec<Comment> {
    let mut comments = Vec::new();
    let mut heredoc_end: Option<String> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if let Some(end) = &heredoc_end {
            if content.trim() == end {
                heredoc_end = None;
            }
            continue;
        }
        let mut in_string = false;
        let mut escaped = false;
        let bytes = content.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if in_string {
                match (escaped, b) {
                    (false, b'\\') => escaped = true,
                    (false, b'"') => in_string = false,
                    _ => escaped = false,
                }
            } else if b == b'"' {
                in_string = true;
            } else if b == b'#' || (b == b'/' && bytes.get(i + 1) == Some(&b'/')) {
                let marker = if b == b'#' { 1 } else { 2 };
                comments.push(Comment {
                    text: content[i + marker..].to_owned(),
                    span: Some(start + i..start + content.len()),
                });
                break;
            } else if b == b'<' && content[i..].starts_with("<<") {
                let rest = content[i + 2..].trim_start_matches('-');
                let ident: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !ident.is_empty() {
                    heredoc_end = Some(ident);
                    break;
                }
            }
            i += 1;
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
    fn blocks_attributes_and_spans() {
        let text = "resource \"jamfpro_x\" \"okta\" {\n  name  = \"Okta \\\"SCEP\\\"\"\n  level = \"System\"\n  size  = 2048\n  key   = var.key_size\n}\n";
        let root = parse_ok(text);
        let resource = root.get("resource").unwrap();
        let labels = resource.get(LABELS).unwrap().as_array().unwrap();
        assert_eq!(labels[0].as_str(), Some("jamfpro_x"));
        assert_eq!(labels[1].as_str(), Some("okta"));
        let name = resource.get("name").unwrap();
        assert_eq!(name.as_str(), Some("Okta \"SCEP\""));
        assert_eq!(&text[name.inner.clone().unwrap()], "Okta \\\"SCEP\\\"");
        assert_eq!(
            &text[resource.get("level").unwrap().inner.clone().unwrap()],
            "System"
        );
        assert_eq!(resource.get("size").unwrap().value, Value::Integer(2048));
        assert_eq!(
            resource.get("key").unwrap().value,
            Value::Deferred {
                element: "expression",
                token: "var.key_size".into()
            }
        );
    }

    #[test]
    fn heredocs_keep_their_body_and_calls_their_source() {
        let text = "x = <<-EOT\n    <plist>\n      <dict/>\n    </plist>\n  EOT\ny = file(\"${path.module}/a.mobileconfig\")\nz = \"a${var.b}\"\n";
        let root = parse_ok(text);
        let x = root.get("x").unwrap();
        assert_eq!(x.as_str(), Some("<plist>\n  <dict/>\n</plist>\n"));
        assert!(text[x.inner.clone().unwrap()].contains("    <plist>"));
        assert!(matches!(
            &root.get("y").unwrap().value,
            Value::Deferred { element: "function", token } if token.starts_with("file(")
        ));
        assert!(matches!(
            root.get("z").unwrap().value,
            Value::Deferred {
                element: "template",
                ..
            }
        ));
    }

    #[test]
    fn comments_outside_strings_and_heredocs() {
        let text = "# sceplint: ignore SCEP001\na = \"x # not a comment\" // trailing\nb = <<EOT\n# inside\nEOT\n";
        let found: Vec<String> = comments(text).into_iter().map(|c| c.text).collect();
        assert_eq!(found, [" sceplint: ignore SCEP001", " trailing"]);
    }

    #[test]
    fn broken_hcl_is_an_error_with_a_place() {
        let error = parse("resource \"a\" {\n  x = \n", &Limits::default()).unwrap_err();
        assert!(error.span.is_some());
        assert!(!error.message.contains("resource"));
    }
}
