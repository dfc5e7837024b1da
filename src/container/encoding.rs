//! Text encodings: UTF-8 with or without a byte order mark, and UTF-16 (LE or BE), which
//! Windows PowerShell 5.1 writes for Intune backups.

use std::borrow::Cow;

use super::ParseError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
}

impl TextEncoding {
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 with BOM",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
        }
    }
}

/// Text that could not be decoded: the error, and the text up to the problem (so the error can
/// still be shown at a line and column).
#[derive(Debug)]
pub struct DecodeError {
    pub error: ParseError,
    pub lossy_text: String,
}

/// Decodes bytes into text, detecting the encoding from a byte order mark or, for UTF-16
/// without one, from the zero bytes of ASCII markup.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, TextEncoding), Box<DecodeError>> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest).map(|t| (t, TextEncoding::Utf8Bom));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes).map(|t| (Cow::Owned(t), TextEncoding::Utf16Le));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes).map(|t| (Cow::Owned(t), TextEncoding::Utf16Be));
    }
    match bytes {
        [a, 0, b, 0, ..] if *a != 0 && *b != 0 && a.is_ascii() && b.is_ascii() => {
            utf16(bytes, u16::from_le_bytes).map(|t| (Cow::Owned(t), TextEncoding::Utf16Le))
        }
        [0, a, 0, b, ..] if *a != 0 && *b != 0 && a.is_ascii() && b.is_ascii() => {
            utf16(bytes, u16::from_be_bytes).map(|t| (Cow::Owned(t), TextEncoding::Utf16Be))
        }
        _ => utf8(bytes).map(|t| (t, TextEncoding::Utf8)),
    }
}

/// Whether bytes that failed to decode are binary data rather than text with a stray byte:
/// a NUL, or many invalid sequences, near the start.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let invalid = String::from_utf8_lossy(head).matches('\u{FFFD}').count();
    head.contains(&0) || invalid * 20 > head.len().max(1)
}

fn utf8(bytes: &[u8]) -> Result<Cow<'_, str>, Box<DecodeError>> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        Err(_) if looks_binary(bytes) => Err(Box::new(DecodeError {
            error: ParseError::new(
                "not a profile: binary data that is neither a binary plist nor a signed (CMS) profile",
                None,
            ),
            lossy_text: String::new(),
        })),
        Err(e) => {
            let valid = e.valid_up_to();
            let lossy_text = String::from_utf8_lossy(bytes).into_owned();
            Err(Box::new(DecodeError {
                error: ParseError::at(
                    format!(
                        "the file is not valid UTF-8 text (invalid byte at offset {valid}); save it as UTF-8 or UTF-16 with a byte order mark"
                    ),
                    valid..(valid + 1).min(lossy_text.len()),
                ),
                lossy_text,
            }))
        }
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, Box<DecodeError>> {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let mut text = String::with_capacity(bytes.len() / 2);
    for decoded in char::decode_utf16(units) {
        match decoded {
            Ok(c) => text.push(c),
            Err(_) => {
                let at = text.len();
                return Err(Box::new(DecodeError {
                    error: ParseError::at(
                        "the file is not valid UTF-16 text (unpaired surrogate)",
                        at..at,
                    ),
                    lossy_text: text,
                }));
            }
        }
    }
    if bytes.len() % 2 == 1 {
        let at = text.len();
        return Err(Box::new(DecodeError {
            error: ParseError::at(
                "the UTF-16 text ends in half a character (truncated?)",
                at..at,
            ),
            lossy_text: text,
        }));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le_with_bom(text: &str) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    }

    #[test]
    fn byte_order_marks_are_honoured_and_stripped() {
        let (text, enc) = decode(b"\xEF\xBB\xBF{}").unwrap();
        assert_eq!((text.as_ref(), enc), ("{}", TextEncoding::Utf8Bom));
        let bytes = utf16le_with_bom("{\"a\": \"é\"}");
        let (text, enc) = decode(&bytes).unwrap();
        assert_eq!(
            (text.as_ref(), enc),
            ("{\"a\": \"é\"}", TextEncoding::Utf16Le)
        );
        let mut be = vec![0xFE, 0xFF];
        be.extend("<p/>".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).unwrap().0, "<p/>");
    }

    #[test]
    fn utf16_without_a_bom_is_recognised_from_ascii_markup() {
        let bytes: Vec<u8> = "<?xml?>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(decode(&bytes).unwrap().1, TextEncoding::Utf16Le);
    }

    #[test]
    fn invalid_utf8_reports_where() {
        let mut bytes = b"<plist>\n<string>caf".to_vec();
        bytes.push(0xE9); // Latin-1 e-acute in a file that claims UTF-8
        bytes.extend_from_slice(b"</string>\n</plist>\n");
        let err = decode(&bytes).unwrap_err();
        assert_eq!(err.error.span, Some(19..20));
        assert!(err.lossy_text.starts_with("<plist>\n<string>caf"));
    }

    #[test]
    fn binary_garbage_is_not_shown_as_text() {
        let garbage: Vec<u8> = (0..200u32).map(|i| ((i * 31 + 7) % 256) as u8).collect();
        let err = decode(&garbage).unwrap_err();
        assert!(err.error.message.contains("binary data"), "{:?}", err.error);
        assert_eq!(err.error.span, None);
    }

    #[test]
    fn odd_utf16_is_truncated() {
        let mut bytes = utf16le_with_bom("{}");
        bytes.push(b'x');
        assert!(
            decode(&bytes)
                .unwrap_err()
                .error
                .message
                .contains("truncated")
        );
    }
}
