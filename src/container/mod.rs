//! Containers: from a file's bytes to a positioned [`Node`](crate::tree::Node) tree.
//!
//! This layer knows encodings, XML, binary plists, CMS and JSON, and nothing of MDM vendors.
//! Its errors never quote the input: a parse error sits next to a profile's shared secret more
//! often than one would like, so messages describe the problem and the span points at it.

pub mod cms;
pub mod encoding;
pub mod escape;
pub mod hcl;
pub mod json;
pub mod plist_binary;
pub mod syncml;
pub mod xml;
pub mod yaml;

use crate::source::Span;

/// Bounds that keep hostile input from exhausting the stack, memory or time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of dicts and arrays accepted (real profiles stay under 15).
    pub max_depth: usize,
    /// Most values one file may expand to (a binary plist can share objects, so this bounds
    /// the expansion, not only the file size).
    pub max_values: usize,
    /// How many signed envelopes may wrap one another.
    pub max_cms_nesting: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 100,
            max_values: 1_000_000,
            max_cms_nesting: 4,
        }
    }
}

/// Why a container could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    /// Where in the text the problem is, when the input is text.
    pub span: Option<Span>,
}

impl ParseError {
    pub fn new(message: impl Into<String>, span: Option<Span>) -> Self {
        ParseError {
            message: message.into(),
            span,
        }
    }

    pub fn at(message: impl Into<String>, span: Span) -> Self {
        ParseError::new(message, Some(span))
    }
}

/// A comment found in XML, kept for inline suppressions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub text: String,
    pub span: Option<Span>,
}

/// What a file turned out to hold, parsed.
#[derive(Debug, Clone)]
pub enum Document {
    /// An Apple property list (XML or binary).
    Plist {
        root: Node,
        comments: Vec<Comment>,
        /// The `version` attribute of `<plist>`: Jamf Pro writes `"1"` where others write `"1.0"`.
        xml_version: Option<String>,
    },
    /// XML that is not a plist (Jamf Pro's Classic API, or something unrelated).
    Xml {
        root: Node,
        comments: Vec<Comment>,
    },
    Json {
        root: Node,
    },
    /// Windows MDM commands (SyncML), as a bare list or a whole message.
    SyncMl(syncml::SyncMl),
    /// Terraform configuration (HCL).
    Hcl {
        root: Node,
        comments: Vec<Comment>,
    },
    /// YAML (Fleet GitOps, IntuneCD backups).
    Yaml {
        root: Node,
        comments: Vec<Comment>,
    },
    /// A CMS EnvelopedData: encrypted to a device, nothing inside can be read.
    Enveloped,
}

/// How the bytes were wrapped and encoded, for messages and for `docs/formats.md`'s promises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrapping {
    Text(encoding::TextEncoding),
    BinaryPlist,
    /// CMS-signed; the inner kind is binary or XML but positions are lost either way.
    Signed,
}

/// A loaded file: its text when it is text (positions point into it), and what it holds.
#[derive(Debug)]
pub struct Loaded {
    pub text: Option<String>,
    pub wrapping: Option<Wrapping>,
    pub document: Result<Document, ParseError>,
    /// For input that is not text (binary plists, signed profiles): the innermost content read
    /// as text, however broken, only to search it for secrets. Nothing is shown of it.
    pub hidden_text: Option<String>,
    /// A binary plist, innermost, that did not parse: its objects are salvaged only to find
    /// secrets (see [`plist_binary::salvage_values`]).
    pub broken_binary: Option<Vec<u8>>,
}

impl Loaded {
    /// Whether positions in the document point into `text` (false for binary and signed input).
    pub fn has_positions(&self) -> bool {
        self.text.is_some()
    }
}

use crate::tree::Node;

/// What a file's name says about its syntax, where its content alone cannot (HCL and YAML
/// look like nothing in particular).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Syntax {
    /// Found from the content: plists, XML, JSON, binary and signed input.
    #[default]
    Sniffed,
    /// `.tf`
    Hcl,
    /// `.yml`, `.yaml`
    Yaml,
}

impl Syntax {
    pub fn of_path(path: &str) -> Syntax {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".tf") {
            Syntax::Hcl
        } else if lower.ends_with(".yml") || lower.ends_with(".yaml") {
            Syntax::Yaml
        } else {
            Syntax::Sniffed
        }
    }
}

/// Reads any supported container from raw bytes.
pub fn load(bytes: &[u8], limits: &Limits) -> Loaded {
    load_nested(bytes, limits, 0, Syntax::Sniffed)
}

/// Reads a file whose name says its syntax.
pub fn load_as(bytes: &[u8], limits: &Limits, syntax: Syntax) -> Loaded {
    load_nested(bytes, limits, 0, syntax)
}

fn load_nested(bytes: &[u8], limits: &Limits, cms_depth: usize, syntax: Syntax) -> Loaded {
    let binary = |document, wrapping| Loaded {
        text: None,
        wrapping: Some(wrapping),
        document,
        hidden_text: Some(String::from_utf8_lossy(bytes).into_owned()),
        broken_binary: None,
    };
    if bytes.starts_with(b"bplist") {
        let document = plist_binary::parse(bytes, limits).map(|root| Document::Plist {
            root,
            comments: Vec::new(),
            xml_version: None,
        });
        let broken = document.is_err();
        let mut loaded = binary(document, Wrapping::BinaryPlist);
        if broken {
            loaded.broken_binary = Some(bytes.to_vec());
        }
        return loaded;
    }
    if cms::looks_like_cms(bytes) {
        if cms_depth >= limits.max_cms_nesting {
            return binary(
                Err(ParseError::new(
                    format!("more than {} nested signatures", limits.max_cms_nesting),
                    None,
                )),
                Wrapping::Signed,
            );
        }
        let mut hidden_text = None;
        let mut broken_binary = None;
        let document = match cms::unwrap(bytes) {
            Err(e) => Err(e),
            Ok(cms::Cms::Enveloped) => Ok(Document::Enveloped),
            Ok(cms::Cms::Signed(content)) => {
                let inner = load_nested(&content, limits, cms_depth + 1, Syntax::Sniffed);
                broken_binary = inner.broken_binary;
                hidden_text = Some(
                    inner
                        .text
                        .or(inner.hidden_text)
                        .unwrap_or_else(|| String::from_utf8_lossy(&content).into_owned()),
                );
                inner
                    .document
                    .map(|document| match document {
                        Document::Plist { mut root, .. } => {
                            root.clear_spans();
                            Document::Plist {
                                root,
                                comments: Vec::new(),
                                xml_version: None,
                            }
                        }
                        Document::Xml { mut root, .. } => {
                            root.clear_spans();
                            Document::Xml {
                                root,
                                comments: Vec::new(),
                            }
                        }
                        Document::Json { mut root } => {
                            root.clear_spans();
                            Document::Json { root }
                        }
                        Document::Enveloped => Document::Enveloped,
                        // Positions into the signed content are not shown; findings keep
                        // their key paths.
                        other => other,
                    })
                    .map_err(|e| match e.message.starts_with("inside the signature") {
                        // Said once, however deep the signatures go.
                        true => ParseError::new(e.message, None),
                        false => {
                            ParseError::new(format!("inside the signature: {}", e.message), None)
                        }
                    })
            }
        };
        let mut loaded = binary(document, Wrapping::Signed);
        if hidden_text.is_some() {
            loaded.hidden_text = hidden_text;
        }
        loaded.broken_binary = broken_binary;
        return loaded;
    }
    let (text, text_encoding) = match encoding::decode(bytes) {
        Ok((text, enc)) => (text.into_owned(), enc),
        Err(e) => {
            let positioned = e.error.span.is_some();
            return Loaded {
                hidden_text: (!positioned).then(|| e.lossy_text.clone()),
                text: positioned.then_some(e.lossy_text),
                wrapping: None,
                document: Err(e.error),
                broken_binary: None,
            };
        }
    };
    let document = match syntax {
        Syntax::Hcl => hcl::parse(&text, limits).map(|doc| Document::Hcl {
            root: doc.root,
            comments: doc.comments,
        }),
        Syntax::Yaml => yaml::parse(&text, limits).map(|doc| Document::Yaml {
            root: doc.root,
            comments: doc.comments,
        }),
        Syntax::Sniffed => parse_text(&text, limits),
    };
    Loaded {
        text: Some(text),
        wrapping: Some(Wrapping::Text(text_encoding)),
        document,
        hidden_text: None,
        broken_binary: None,
    }
}

/// Parses text that is XML (a plist or not) or JSON.
pub fn parse_text(text: &str, limits: &Limits) -> Result<Document, ParseError> {
    let first = text.find(|c: char| !c.is_whitespace());
    match first.map(|i| (i, text.as_bytes()[i])) {
        Some((_, b'<')) => match xml::root_element_name(text).as_deref() {
            Some(name) if syncml::ROOTS.contains(&name) => {
                syncml::parse(text, limits).map(Document::SyncMl)
            }
            Some("plist") | Some("dict") => {
                xml::parse_plist(text, limits).map(|doc| Document::Plist {
                    root: doc.root,
                    comments: doc.comments,
                    xml_version: doc.plist_version,
                })
            }
            _ => xml::parse_element_tree(text, limits).map(|doc| Document::Xml {
                root: doc.root,
                comments: doc.comments,
            }),
        },
        Some((_, b'{' | b'[')) => json::parse(text, limits).map(|root| Document::Json { root }),
        Some((i, _)) => Err(ParseError::at(
            "not a profile: the file is neither XML, JSON, a binary plist nor a signed profile",
            i..(i + 1).min(text.len()),
        )),
        None => Err(ParseError::new("the file is empty", None)),
    }
}
