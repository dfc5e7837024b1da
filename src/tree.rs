//! The positioned tree every container parser produces: plists (XML and binary), JSON, and the
//! XML of Jamf Pro's API all become a `Node`, so vendor parsers read one shape whatever the file.

use crate::source::Span;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    /// The whole value in the source text (an element with its tags, a JSON literal with its
    /// quotes). `None` for binary input, which has no text positions.
    pub span: Option<Span>,
    /// The content of a scalar without its delimiters (the text between `<string>` and
    /// `</string>`, a JSON string without quotes). Equal to `span` for containers.
    pub inner: Option<Span>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Entries in file order; duplicate keys are kept so a rule can see them.
    Dict(Vec<Entry>),
    Array(Vec<Node>),
    String(String),
    Integer(i128),
    Real(f64),
    Bool(bool),
    /// The decoded length, and at most [`DATA_KEPT`] of the bytes: no rule needs them, but a
    /// challenge written as `<data>` is a secret to hide (and keeping more would let a file make
    /// us hold large blobs).
    Data {
        len: usize,
        head: Box<[u8]>,
    },
    Date(String),
    Uid(u64),
    /// A typed element (`<integer>`, `<real>`, `<data>`, `<date>`, `<true/>`) holding a
    /// variable instead of its value: `$KEY_SIZE`, filled in before the device sees the profile
    /// (Fleet's GitOps fills it from the environment). Readers decide whether the profile's MDM
    /// fills such names.
    Deferred {
        element: &'static str,
        token: String,
    },
    Null,
}

/// How many bytes of a `<data>` value the tree keeps.
pub const DATA_KEPT: usize = 4096;

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Option<Span>,
    pub value: Node,
}

impl Node {
    pub fn new(value: Value, span: Option<Span>) -> Self {
        Node {
            value,
            inner: span.clone(),
            span,
        }
    }

    pub fn with_inner(mut self, inner: Option<Span>) -> Self {
        self.inner = inner;
        self
    }

    pub fn as_dict(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Dict(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_integer(&self) -> Option<i128> {
        match self.value {
            Value::Integer(i) => Some(i),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The entry for `key` in a dict. When a key repeats, the last one wins, as it does when
    /// macOS reads a plist into a dictionary.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_dict()?.iter().rev().find(|e| e.key == key)
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_str)
    }

    /// The name a message uses for this value's type, in plist vocabulary.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Dict(_) => "dict",
            Value::Array(_) => "array",
            Value::String(_) => "string",
            Value::Integer(_) => "integer",
            Value::Real(_) => "real",
            Value::Bool(_) => "boolean",
            Value::Data { .. } => "data",
            Value::Date(_) => "date",
            Value::Uid(_) => "uid",
            Value::Deferred { element, .. } => element,
            Value::Null => "null",
        }
    }

    /// Moves every span through `map` (used when a tree was parsed from text nested inside
    /// another file, to point back into the outer file).
    pub fn map_spans(&mut self, map: &impl Fn(&Span) -> Span) {
        let mut stack = vec![self];
        while let Some(node) = stack.pop() {
            node.span = node.span.as_ref().map(map);
            node.inner = node.inner.as_ref().map(map);
            match &mut node.value {
                Value::Dict(entries) => {
                    for entry in entries {
                        entry.key_span = entry.key_span.as_ref().map(map);
                        stack.push(&mut entry.value);
                    }
                }
                Value::Array(items) => stack.extend(items.iter_mut()),
                _ => {}
            }
        }
    }

    /// The byte range of every dict entry, from its key to the end of its value, sorted by
    /// start (for suppression comments, which apply to the entry that follows them).
    pub fn entry_ranges(&self) -> Vec<Span> {
        let mut ranges = Vec::new();
        let mut stack = vec![self];
        while let Some(node) = stack.pop() {
            match &node.value {
                Value::Dict(entries) => {
                    for entry in entries {
                        if let (Some(key), Some(value)) = (&entry.key_span, &entry.value.span) {
                            ranges.push(key.start..value.end.max(key.end));
                        }
                        stack.push(&entry.value);
                    }
                }
                Value::Array(items) => stack.extend(items.iter()),
                _ => {}
            }
        }
        ranges.sort_by_key(|r| (r.start, r.end));
        ranges
    }

    /// Forgets every position (for text that is not the user's file, such as the plist inside
    /// a signed profile).
    pub fn clear_spans(&mut self) {
        let mut stack = vec![self];
        while let Some(node) = stack.pop() {
            node.span = None;
            node.inner = None;
            match &mut node.value {
                Value::Dict(entries) => {
                    for entry in entries {
                        entry.key_span = None;
                        stack.push(&mut entry.value);
                    }
                }
                Value::Array(items) => stack.extend(items.iter_mut()),
                _ => {}
            }
        }
    }
}

/// A path to a value, written the way admins read plists: `PayloadContent[0].PayloadContent.Keysize`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyPath(String);

impl KeyPath {
    pub fn root() -> Self {
        KeyPath(String::new())
    }

    pub fn from_prefix(prefix: impl Into<String>) -> Self {
        KeyPath(prefix.into())
    }

    pub fn key(&self, key: &str) -> Self {
        if self.0.is_empty() || self.0.ends_with(':') {
            KeyPath(format!("{}{key}", self.0))
        } else {
            KeyPath(format!("{}.{key}", self.0))
        }
    }

    pub fn index(&self, index: usize) -> Self {
        KeyPath(format!("{}[{index}]", self.0))
    }

    /// A path into text nested in a string value, such as the plist inside Jamf's `payloads`.
    pub fn nested(&self) -> Self {
        KeyPath(format!("{}:", self.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for KeyPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_paths_read_like_plist_paths() {
        let path = KeyPath::root()
            .key("PayloadContent")
            .index(0)
            .key("Key Usage");
        assert_eq!(path.as_str(), "PayloadContent[0].Key Usage");
        let nested = KeyPath::root().key("general").key("payloads").nested();
        assert_eq!(
            nested.key("PayloadType").as_str(),
            "general.payloads:PayloadType"
        );
    }

    #[test]
    fn the_last_duplicate_key_wins() {
        let entry = |key: &str, v: i128| Entry {
            key: key.into(),
            key_span: None,
            value: Node::new(Value::Integer(v), None),
        };
        let dict = Node::new(
            Value::Dict(vec![entry("Keysize", 1024), entry("Keysize", 2048)]),
            None,
        );
        assert_eq!(dict.get("Keysize").and_then(Node::as_integer), Some(2048));
    }
}
