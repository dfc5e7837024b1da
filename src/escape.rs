//! How text from files is written safely into each kind of output: control characters made
//! visible for terminals and logs, GitHub workflow-command escapes, percent-encoded URIs, and
//! text XML 1.0 can hold. Renderers and the secret redactor (which must find a secret in each of
//! these forms) share them.

use std::borrow::Cow;

/// Whether a character must not reach a terminal or log raw: C0 and C1 controls, DEL, and the
/// invisible characters that reorder or hide text (bidirectional overrides and isolates, zero
/// widths, the byte-order mark).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// `text` with every unsafe character written as an escape (`\n`, `\t`, `\u{1b}`), and
/// backslashes left alone: the text stays on one line and shows what the file holds.
pub fn control(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Escapes a GitHub workflow command's message: `%`, carriage return and newline.
pub fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a GitHub workflow command's property value: as data, plus `:` and `,`, which
/// separate properties.
pub fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// A path as a relative URI reference: unreserved characters and `/` kept, the rest
/// percent-encoded (backslashes become `/` first).
pub fn uri_path(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                encoded.push(byte as char)
            }
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}

/// Text XML 1.0 can hold: characters it forbids (most controls, U+FFFE, U+FFFF) become U+FFFD,
/// then markup characters are escaped.
pub fn xml_text(text: &str) -> Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r')
            || (!c.is_control() && c != '\u{FFFE}' && c != '\u{FFFF}')
            || ('\u{80}'..='\u{9F}').contains(&c)
    };
    let cleaned: Cow<'_, str> = if text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(
            text.chars()
                .map(|c| if allowed(c) { c } else { '\u{FFFD}' })
                .collect(),
        )
    };
    match quick_xml::escape::escape(cleaned.as_ref()) {
        Cow::Borrowed(_) => cleaned,
        Cow::Owned(escaped) => Cow::Owned(escaped),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_visible_escapes() {
        assert_eq!(control("plain"), "plain");
        assert_eq!(control("a\nb\r\tc"), "a\\nb\\r\\tc");
        assert_eq!(control("\u{1b}[31mred\u{7}"), "\\u{1b}[31mred\\u{7}");
        assert_eq!(control("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(control("\u{85}"), "\\u{85}");
    }

    #[test]
    fn github_escapes() {
        let message = "50% of 64: a, b\r\nnext";
        assert_eq!(github_data(message), "50%25 of 64: a, b%0D%0Anext");
        assert_eq!(github_property(message), "50%25 of 64%3A a%2C b%0D%0Anext");
        assert_eq!(github_property("C:\\dir,x"), "C%3A\\dir%2Cx");
    }

    #[test]
    fn xml_text_is_always_well_formed() {
        assert_eq!(xml_text("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
        assert_eq!(xml_text("bell\u{7}esc\u{1b}"), "bell\u{FFFD}esc\u{FFFD}");
        assert_eq!(xml_text("tab\tnl\n"), "tab\tnl\n");
        assert_eq!(xml_text("\u{FFFF}"), "\u{FFFD}");
    }

    #[test]
    fn uri_paths_are_encoded() {
        assert_eq!(
            uri_path("fixtures/key-size/a b#c.xml"),
            "fixtures/key-size/a%20b%23c.xml"
        );
        assert_eq!(uri_path("dir\\x.json"), "dir/x.json");
        assert_eq!(uri_path("café.plist"), "caf%C3%A9.plist");
    }
}
