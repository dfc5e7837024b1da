//! Keeping secrets out of code frames, while the file's text is in memory.
//!
//! In a file that parsed, a frame hides the spans where secrets were found and every other place
//! their text appears. In a file that did not parse, nobody knows which text is a value, so a
//! frame shows only the markup: tag names and punctuation, never character data.

use super::candidates::Found;
use super::redactor::{MASK, Redactor};
use crate::source::Span;

/// Byte ranges of `text` to hide: the located spans of `found`, and every occurrence of its
/// searchable texts, however the file escaped them. Sorted and disjoint, as [`apply`] needs
/// them.
pub fn secret_spans(text: &str, found: &Found) -> Vec<Span> {
    let mut spans: Vec<Span> = found.spans.clone();
    let searchable = found.searchable();
    if !searchable.is_empty() {
        // The whole texts are enough here (as written, and as the file's escapes decode):
        // parts of a secret are masked in each frame when the report is scrubbed, by the run's
        // redactor. Files of a run mostly share their secrets, so each thread keeps the
        // searcher for the last set it saw.
        thread_local! {
            static LAST: std::cell::RefCell<(Vec<String>, Redactor)> = Default::default();
        }
        LAST.with_borrow_mut(|(secrets, redactor)| {
            if secrets
                .iter()
                .map(String::as_str)
                .ne(searchable.iter().copied())
            {
                *secrets = searchable.iter().map(|s| (*s).to_owned()).collect();
                *redactor = Redactor::whole(searchable.iter().copied());
            }
            spans.extend(redactor.file_spans(text));
        });
    }
    super::redactor::merge(spans)
}

/// Replaces every character of `line` (which starts at `line_start` in the file) that falls in
/// one of `spans` (sorted and disjoint, as [`secret_spans`] returns them) with `*`, one per
/// character, so columns stay where they were.
pub fn apply(line: &str, line_start: usize, spans: &[Span]) -> String {
    let line_end = line_start + line.len();
    let first = spans.partition_point(|s| s.end <= line_start);
    let on_line = &spans[first..];
    if on_line.first().is_none_or(|s| s.start >= line_end) {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len());
    let mut next = on_line.iter().take_while(|s| s.start < line_end).peekable();
    for (i, c) in line.char_indices() {
        let at = line_start + i;
        while next.peek().is_some_and(|s| s.end <= at) {
            next.next();
        }
        let hidden = next.peek().is_some_and(|s| s.start <= at && at < s.end);
        out.push(if hidden { MASK } else { c });
    }
    out
}

/// Names a frame of a file that did not parse may show: the elements and keys of the formats
/// sceplint reads. Anything else that stands where a name does could be part of a secret (a
/// secret may hold `<name` or `"name":`), so it is masked like a value: an allowlist, so that
/// what it does not know, it hides.
const STRUCTURE_NAMES: &[&str] = &[
    // XML and plists
    "?xml",
    "!DOCTYPE",
    "!--",
    "![CDATA",
    "plist",
    "dict",
    "array",
    "key",
    "string",
    "integer",
    "real",
    "true",
    "false",
    "date",
    "data",
    // Apple payload keys
    "PayloadContent",
    "PayloadType",
    "PayloadVersion",
    "PayloadIdentifier",
    "PayloadUUID",
    "PayloadDisplayName",
    "PayloadDescription",
    "PayloadOrganization",
    "PayloadScope",
    "PayloadRemovalDisallowed",
    "PayloadEnabled",
    "PayloadCertificateUUID",
    "TargetDeviceType",
    "IsEncrypted",
    "EncryptedPayloadContent",
    "IdentityCertificateUUID",
    "URL",
    "Name",
    "Subject",
    "Challenge",
    "Keysize",
    "Key Type",
    "Key Usage",
    "CAFingerprint",
    "Retries",
    "RetryDelay",
    "SubjectAltName",
    "KeyIsExtractable",
    "AllowAllAppsAccess",
    "CertificateRenewalTimeInterval",
    "rfc822Name",
    "dNSName",
    "uniformResourceIdentifier",
    "ntPrincipalName",
    // Jamf Pro
    "os_x_configuration_profile",
    "configuration_profile",
    "general",
    "id",
    "name",
    "description",
    "site",
    "category",
    "distribution_method",
    "deployment_method",
    "user_removable",
    "level",
    "uuid",
    "redeploy_on_update",
    "redeploy_days_before_certificate_expires",
    "payloads",
    "scope",
    "self_service",
    // Kandji/Iru
    "active",
    "profile",
    "mdm_identifier",
    "runs_on_mac",
    "runs_on_windows",
    "runs_on_iphone",
    "runs_on_ipad",
    "runs_on_tv",
    "runs_on_vision",
    "created_at",
    "updated_at",
    "results",
    // Intune
    "@odata.type",
    "@odata.context",
    "value",
    "displayName",
    "keySize",
    "keyUsage",
    "hashAlgorithm",
    "renewalThresholdPercentage",
    "subjectNameFormat",
    "subjectNameFormatString",
    "subjectAlternativeNameType",
    "customSubjectAlternativeNames",
    "certificateStore",
    "certificateValidityPeriodValue",
    "certificateValidityPeriodScale",
    "scepServerUrls",
    "extendedKeyUsages",
    "allowAllAppsAccess",
    "deploymentChannel",
    "keyStorageProvider",
    "sanType",
    "objectIdentifier",
    "omaSettings",
    "omaUri",
    // SyncML (Windows CSP)
    "SyncML",
    "SyncHdr",
    "SyncBody",
    "Atomic",
    "Add",
    "Replace",
    "Exec",
    "Delete",
    "Get",
    "Item",
    "Target",
    "Source",
    "LocURI",
    "Meta",
    "Format",
    "Type",
    "Data",
    "CmdID",
    "Final",
];

fn is_structure_name(name: &str) -> bool {
    STRUCTURE_NAMES.contains(&name)
}

/// The notation of a file that did not parse, as its first character suggests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notation {
    /// XML (plists, Jamf Pro exports, SyncML), with tags raw or escaped as `&lt;`.
    Xml,
    /// JSON (Intune, Kandji/Iru, Jamf Pro's JSON).
    Json,
}

impl Notation {
    pub fn of(text: &str) -> Notation {
        match text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .chars()
            .next()
        {
            Some('{' | '[') => Notation::Json,
            _ => Notation::Xml,
        }
    }
}

/// A line of a file that did not parse, with only its structure showing. Whitespace always
/// stays. In XML, tags stay, with their names masked unless sceplint knows them
/// ([`STRUCTURE_NAMES`]) and attribute values masked; everything between tags, punctuation
/// included, is masked, except the text of a `<key>` that sceplint knows. In JSON, the brackets,
/// braces, commas and colons outside strings stay, and a string stays only when it is a key
/// sceplint knows. A line is read as if it starts between tags (or outside a string): text
/// before the first tag is masked. One character for one, so columns stay where they were.
pub fn structure_only(line: &str, notation: Notation) -> String {
    let chars: Vec<char> = line.chars().collect();
    match notation {
        Notation::Xml => xml_structure(&chars),
        Notation::Json => json_structure(&chars),
    }
}

fn mask_into(text: &[char], out: &mut String) {
    out.extend(
        text.iter()
            .map(|c| if c.is_whitespace() { *c } else { MASK }),
    );
}

fn xml_structure(chars: &[char]) -> String {
    let mut out = String::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let (open_len, close): (usize, &str) = if chars[i] == '<' {
            (1, ">")
        } else if starts_with(&chars[i..], "&lt;") {
            (4, "&gt;")
        } else {
            // Text between tags: a value, masked whole.
            let end = (i..chars.len())
                .find(|&k| chars[k] == '<' || starts_with(&chars[k..], "&lt;"))
                .unwrap_or(chars.len());
            mask_into(&chars[i..end], &mut out);
            i = end;
            continue;
        };
        out.extend(&chars[i..i + open_len]);
        i += open_len;
        let closing = chars.get(i) == Some(&'/');
        if closing {
            out.push('/');
            i += 1;
        }
        let name_end = (i..chars.len())
            .find(|&k| {
                !(chars[k].is_ascii_alphanumeric()
                    || matches!(chars[k], '_' | '-' | ':' | '.' | '?' | '!' | '@'))
            })
            .unwrap_or(chars.len());
        let name: String = chars[i..name_end].iter().collect();
        if is_structure_name(&name) {
            out.push_str(&name);
        } else {
            mask_into(&chars[i..name_end], &mut out);
        }
        i = name_end;
        // The rest of the tag: whitespace, `/`, `=` and quotes stay; attribute names and values
        // are masked.
        let tag_end = (i..chars.len())
            .find(|&k| starts_with(&chars[k..], close))
            .unwrap_or(chars.len());
        for c in &chars[i..tag_end] {
            out.push(
                if c.is_whitespace() || matches!(c, '/' | '=' | '"' | '\'' | '?') {
                    *c
                } else {
                    MASK
                },
            );
        }
        i = tag_end;
        if i < chars.len() {
            out.push_str(close);
            i += close.chars().count();
            if name == "key" && !closing {
                // A plist key's text: shown when sceplint knows the key.
                let end = (i..chars.len())
                    .find(|&k| chars[k] == '<' || starts_with(&chars[k..], "&lt;"))
                    .unwrap_or(chars.len());
                let text: String = chars[i..end].iter().collect();
                if is_structure_name(&text) {
                    out.push_str(&text);
                } else {
                    mask_into(&chars[i..end], &mut out);
                }
                i = end;
            }
        }
    }
    out
}

fn json_structure(chars: &[char]) -> String {
    let mut out = String::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            let len = json_string_len(&chars[i..]);
            let inner = &chars[i + 1..i + len.saturating_sub(1).max(1)];
            let name: String = inner.iter().collect();
            let is_key = json_key_len(&chars[i..]).is_some();
            out.push('"');
            if is_key && is_structure_name(&name) {
                out.push_str(&name);
            } else {
                mask_into(inner, &mut out);
            }
            if len >= 2 && chars.get(i + len - 1) == Some(&'"') {
                out.push('"');
            }
            i += len.max(1);
            continue;
        }
        out.push(
            if c.is_whitespace() || matches!(c, '{' | '}' | '[' | ']' | ',' | ':') {
                c
            } else {
                MASK
            },
        );
        i += 1;
    }
    out
}

/// The length of the JSON string at the start of `chars`, quotes included (to the end of the
/// line when it is not closed).
fn json_string_len(chars: &[char]) -> usize {
    let mut escaped = false;
    for (i, c) in chars.iter().enumerate().skip(1) {
        match (escaped, c) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, '"') => return i + 1,
            _ => {}
        }
    }
    chars.len()
}

/// The length of a JSON string at the start of `chars` that is an object key (closed on this
/// line and followed by a colon), quotes included.
fn json_key_len(chars: &[char]) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in chars.iter().enumerate().skip(1) {
        match (escaped, c) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, '"') => {
                let rest = &chars[i + 1..];
                let colon = rest.iter().find(|c| !c.is_whitespace());
                return (colon == Some(&':')).then_some(i + 1);
            }
            _ => {}
        }
    }
    None
}

fn starts_with(chars: &[char], prefix: &str) -> bool {
    prefix
        .chars()
        .enumerate()
        .all(|(i, p)| chars.get(i) == Some(&p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(spans: &[Span], texts: &[&str]) -> Found {
        Found {
            texts: texts.iter().map(|t| t.to_string()).collect(),
            spans: spans.to_vec(),
        }
    }

    #[test]
    fn spans_are_sorted_disjoint_and_each_secret_found() {
        let text = "abcdef abcdefabcdef xx abcdef";
        let mut secrets = found(&[], &["abcdef", "abcdef", "bcdefa"]);
        secrets.spans.push(2..3);
        let spans = secret_spans(text, &secrets);
        assert_eq!(spans, [0..6, 7..19, 23..29]);
        assert_eq!(apply(text, 0, &spans), "****** ************ xx ******");
        assert_eq!(apply(&text[7..19], 7, &spans), "************");
        assert_eq!(apply(&text[19..23], 19, &spans), " xx ");
    }

    #[test]
    fn short_secrets_are_masked_only_where_they_stand() {
        let text = "<string>abc</string> abc";
        let mut secrets = found(&[], &["abc"]);
        secrets.spans.push(8..11);
        let spans = secret_spans(text, &secrets);
        assert_eq!(apply(text, 0, &spans), "<string>***</string> abc");
    }

    #[test]
    fn multi_byte_secrets_keep_their_column_count() {
        let text = "<string>pässwörd</string>";
        let spans = secret_spans(text, &found(&[], &["pässwörd"]));
        let out = apply(text, 0, &spans);
        assert_eq!(out, "<string>********</string>");
        assert_eq!(out.chars().count(), text.chars().count());
    }

    #[test]
    fn structure_only_shows_markup_not_values() {
        let xml = |line| structure_only(line, Notation::Xml);
        let json = |line| structure_only(line, Notation::Json);
        assert_eq!(
            xml("<key>Challenge</key><string>s3cr3t</string>"),
            "<key>Challenge</key><string>******</string>"
        );
        assert_eq!(
            xml("&lt;key&gt;Challenge&lt;/key&gt;&lt;string&gt;s3cr3t&lt;/string&gt;"),
            "&lt;key&gt;Challenge&lt;/key&gt;&lt;string&gt;******&lt;/string&gt;"
        );
        assert_eq!(xml("<plist version=\"1.0\">"), "<plist *******=\"***\">");
        // Text that only looks like structure (inside a value, in a comment) is masked, and so
        // is the punctuation of values.
        assert_eq!(xml("<!-- x <0a0aa -->"), "<!-- * ****** **>");
        assert_eq!(xml("<key>Chalenge</key>"), "<key>********</key>");
        assert_eq!(
            xml("<string>a&#98;c:{'}</string>"),
            "<string>***********</string>"
        );
        assert_eq!(xml("tail</string>"), "****</string>");
        assert_eq!(
            json(r#"{"keySize": "s3cr3t", "n": 12, "x": "a\"b", "s3": [true]}"#),
            r#"{"keySize": "******", "*": **, "*": "****", "**": [****]}"#
        );
        let line = "<string>pässwörd</string>";
        assert_eq!(xml(line).chars().count(), line.chars().count());
    }
}
