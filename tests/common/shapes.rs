//! Input shapes with a secret planted in them: every container and export sceplint reads, with
//! the challenge valid, misspelt, mistyped or in markup a simple pattern would not expect, and
//! the same text elsewhere in the profile. The secret tests and the property tests share them.

use std::fmt::Write as _;

/// Where, besides the challenge, the secret is also written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Elsewhere {
    Nowhere,
    Subject,
    Url,
    PayloadIdentifier,
    Comment,
    Suppression,
    DisplayName,
}

pub const ELSEWHERE: [Elsewhere; 7] = [
    Elsewhere::Nowhere,
    Elsewhere::Subject,
    Elsewhere::Url,
    Elsewhere::PayloadIdentifier,
    Elsewhere::Comment,
    Elsewhere::Suppression,
    Elsewhere::DisplayName,
];

/// How the challenge entry is written in the plist (the secret escaped for XML as needed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Plain,
    /// A key that is not `Challenge` but means it.
    Misspelt(&'static str),
    /// `<string >`.
    SpacedTag,
    /// A comment between key and value.
    CommentBetween,
    /// Every character of the secret as a character reference.
    CharacterReferences,
    /// A CDATA section that starts with `</string>`.
    Cdata,
    Data,
    Array,
    Dict,
    Date,
    /// A value element the plist grammar does not know (the file does not parse).
    UnknownElement,
}

pub const ENTRIES: [Entry; 14] = [
    Entry::Plain,
    Entry::Misspelt("Chalenge"),
    Entry::Misspelt("Challenges"),
    Entry::Misspelt("ChallengePassword"),
    Entry::Misspelt("challenge"),
    Entry::SpacedTag,
    Entry::CommentBetween,
    Entry::CharacterReferences,
    Entry::Cdata,
    Entry::Data,
    Entry::Array,
    Entry::Dict,
    Entry::Date,
    Entry::UnknownElement,
];

/// The container the profile is delivered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Xml,
    Utf16Le,
    Utf16Be,
    /// Jamf Pro's Classic API XML: the plist XML-escaped in `<payloads>`.
    JamfXml,
    /// The same, with `<` and `>` as numeric references.
    JamfXmlNumeric,
    /// The plist escaped twice (seen when exports are re-wrapped).
    JamfXmlDouble,
    JamfJson,
    /// Kandji/Iru's API JSON: the plist JSON-escaped in `profile`.
    KandjiJson,
    /// The same with every character of the plist as a `\u` escape.
    KandjiJsonUnicode,
    Binary,
    SignedDer,
    SignedBer,
}

pub const CONTAINERS: [Container; 12] = [
    Container::Xml,
    Container::Utf16Le,
    Container::Utf16Be,
    Container::JamfXml,
    Container::JamfXmlNumeric,
    Container::JamfXmlDouble,
    Container::JamfJson,
    Container::KandjiJson,
    Container::KandjiJsonUnicode,
    Container::Binary,
    Container::SignedDer,
    Container::SignedBer,
];

/// One planted input.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub container: Container,
    pub entry: Entry,
    pub elsewhere: Elsewhere,
}

impl Shape {
    pub fn name(&self) -> String {
        format!(
            "{:?}-{:?}-{:?}.mobileconfig",
            self.container, self.entry, self.elsewhere
        )
        .replace(['(', ')', '"'], "")
    }

    pub fn build(&self, secret: &str) -> Vec<u8> {
        if self.container == Container::Binary {
            return binary_plist(secret, self.entry, self.elsewhere);
        }
        let plist = plist_xml(secret, self.entry, self.elsewhere);
        wrap(self.container, &plist)
    }
}

pub fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn json_escape(text: &str) -> String {
    let quoted = serde_json_string(text);
    quoted[1..quoted.len() - 1].to_owned()
}

fn serde_json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn challenge_entry(secret: &str, entry: Entry) -> String {
    let x = xml_escape(secret);
    match entry {
        Entry::Plain => format!("<key>Challenge</key>\n<string>{x}</string>"),
        Entry::Misspelt(key) => format!("<key>{key}</key>\n<string>{x}</string>"),
        Entry::SpacedTag => format!("<key>Challenge</key><string >{x}</string >"),
        Entry::CommentBetween => {
            format!("<key>Challenge</key>\n<!-- the key from Okta -->\n<string>{x}</string>")
        }
        Entry::CharacterReferences => {
            let refs: String = secret.chars().map(|c| format!("&#{};", c as u32)).collect();
            format!("<key>Challenge</key><string>{refs}</string>")
        }
        Entry::Cdata => format!(
            "<key>Challenge</key><string><![CDATA[</string>{}]]></string>",
            secret.replace("]]>", "]]]]><![CDATA[>")
        ),
        Entry::Data => format!(
            "<key>Challenge</key>\n<data>\n{}\n</data>",
            base64(secret.as_bytes())
        ),
        Entry::Array => format!("<key>Challenge</key><array><string>{x}</string></array>"),
        Entry::Dict => {
            format!("<key>Challenge</key><dict><key>value</key><string>{x}</string></dict>")
        }
        Entry::Date => format!("<key>Challenge</key><date>{x}</date>"),
        Entry::UnknownElement => format!("<key>Challenge</key><secret>{x}</secret>"),
    }
}

/// A profile in XML with the challenge written as `entry` and the secret also `elsewhere`.
pub fn plist_xml(secret: &str, entry: Entry, elsewhere: Elsewhere) -> String {
    let x = xml_escape(secret);
    let at = |place: Elsewhere| elsewhere == place;
    let cn = if at(Elsewhere::Subject) {
        format!("CN={x} managementAttestation %HardwareUUID%")
    } else {
        "managementAttestation %HardwareUUID%".to_owned()
    };
    let url = if at(Elsewhere::Url) {
        format!("https://acme.okta.com/pki/{x}/scep/okta-ca")
    } else {
        "https://acme.okta.com/pki/5b1c9e0a7d3f4e2b8c6a1d0e9f8b7a6c5d4e3f21/scep/okta-ca".to_owned()
    };
    let identifier = if at(Elsewhere::PayloadIdentifier) {
        x.clone()
    } else {
        "com.example.okta-scep".to_owned()
    };
    let display = if at(Elsewhere::DisplayName) {
        x.clone()
    } else {
        "Okta SCEP".to_owned()
    };
    // A comment cannot hold `--`.
    let in_comment = secret.replace("--", "- -");
    let comment = match elsewhere {
        Elsewhere::Comment => format!("<!-- old challenge: {in_comment} -->"),
        Elsewhere::Suppression => format!("<!-- sceplint: ignore {in_comment} -->"),
        _ => String::new(),
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
<key>PayloadContent</key>
<array>
<dict>
<key>PayloadContent</key>
<dict>
<key>URL</key>
<string>{url}</string>
<key>Subject</key>
<array><array><array><string>CN</string><string>{cn}</string></array></array></array>
{comment}
{challenge}
<key>Keysize</key>
<integer>1024</integer>
<key>KeySize</key>
<integer>2048</integer>
<key>Key Usage</key>
<integer>5</integer>
</dict>
<key>PayloadDisplayName</key>
<string>{display}</string>
<key>PayloadIdentifier</key>
<string>{identifier}.scep</string>
<key>PayloadType</key>
<string>com.apple.security.scep</string>
<key>PayloadUUID</key>
<string>8FD8C7DB-363F-5395-BEEF-98AA5C9E16BA</string>
<key>PayloadVersion</key>
<integer>1</integer>
</dict>
</array>
<key>PayloadDisplayName</key>
<string>{display}</string>
<key>PayloadIdentifier</key>
<string>{identifier}</string>
<key>PayloadType</key>
<string>Configuration</string>
<key>PayloadUUID</key>
<string>29A17B60-C0FE-5588-A5C8-AFD08707441E</string>
<key>PayloadVersion</key>
<integer>1</integer>
</dict>
</plist>
"#,
        challenge = challenge_entry(secret, entry),
    )
}

fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut out = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        out.extend(if little_endian {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    out
}

/// Wraps a plist's XML in a container.
pub fn wrap(container: Container, plist: &str) -> Vec<u8> {
    match container {
        Container::Xml | Container::Binary => plist.as_bytes().to_vec(),
        Container::Utf16Le => utf16(plist, true),
        Container::Utf16Be => utf16(plist, false),
        Container::JamfXml => jamf_xml(&xml_escape(plist)),
        Container::JamfXmlNumeric => {
            jamf_xml(&xml_escape(plist).replace("&lt;", "&#60;").replace("&gt;", "&#x3e;"))
        }
        Container::JamfXmlDouble => jamf_xml(&xml_escape(&xml_escape(plist))),
        Container::JamfJson => format!(
            r#"{{"os_x_configuration_profile": {{"general": {{"id": 7, "name": "Okta SCEP", "level": "System", "payloads": "{}"}}}}}}"#,
            json_escape(plist)
        )
        .into_bytes(),
        Container::KandjiJson => kandji(&json_escape(plist)),
        Container::KandjiJsonUnicode => {
            let escaped: String = plist
                .encode_utf16()
                .map(|unit| format!("\\u{unit:04x}"))
                .collect();
            kandji(&escaped)
        }
        Container::SignedDer => der_signed(plist.as_bytes()),
        Container::SignedBer => ber_signed(plist.as_bytes()),
    }
}

fn jamf_xml(payloads: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><os_x_configuration_profile><general><id>7</id>\
         <name>Okta SCEP</name><level>System</level><payloads>{payloads}</payloads></general>\
         </os_x_configuration_profile>"
    )
    .into_bytes()
}

fn kandji(profile: &str) -> Vec<u8> {
    format!(
        r#"{{"id": "1", "name": "Okta SCEP", "active": true, "mdm_identifier": "com.kandji.profile.custom.1", "runs_on_mac": true, "profile": "{profile}"}}"#
    )
    .into_bytes()
}

/// DER length octets.
fn der_length(len: usize) -> Vec<u8> {
    if len < 0x80 {
        return vec![len as u8];
    }
    let bytes: Vec<u8> = len
        .to_be_bytes()
        .iter()
        .copied()
        .skip_while(|b| *b == 0)
        .collect();
    let mut out = vec![0x80 | bytes.len() as u8];
    out.extend(bytes);
    out
}

fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    out.extend(der_length(content.len()));
    out.extend(content);
    out
}

const SIGNED_DATA_OID: &[u8] = &[0x06, 0x09, 42, 134, 72, 134, 247, 13, 1, 7, 2];
const DATA_OID: &[u8] = &[0x06, 0x09, 42, 134, 72, 134, 247, 13, 1, 7, 1];

/// A minimal SignedData around `content`, DER with definite lengths.
pub fn der_signed(content: &[u8]) -> Vec<u8> {
    let encap = der(0x30, &[DATA_OID, &der(0xA0, &der(0x04, content))].concat());
    let signed = der(
        0x30,
        &[
            &[0x02, 0x01, 0x01][..],
            &[0x31, 0x00],
            &encap,
            &[0x31, 0x00],
        ]
        .concat(),
    );
    der(0x30, &[SIGNED_DATA_OID, &der(0xA0, &signed)].concat())
}

/// The same in BER with indefinite lengths and the content in segments, as `openssl cms -sign
/// -stream` writes it.
pub fn ber_signed(content: &[u8]) -> Vec<u8> {
    let mut out = vec![0x30, 0x80];
    out.extend(SIGNED_DATA_OID);
    out.extend([
        0xA0, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0x31, 0x00, 0x30, 0x80,
    ]);
    out.extend(DATA_OID);
    out.extend([0xA0, 0x80, 0x24, 0x80]);
    for segment in content.chunks(100) {
        out.extend(der(0x04, segment));
    }
    out.extend([0, 0, 0, 0, 0, 0, 0x31, 0x00, 0, 0, 0, 0, 0, 0]);
    out
}

/// The profile as a binary plist, with the challenge as a string under `entry`'s key (binary
/// plists have no markup variants; mistyped entries become data, arrays and dicts).
fn binary_plist(secret: &str, entry: Entry, elsewhere: Elsewhere) -> Vec<u8> {
    use plist::{Dictionary, Value};
    let text = |s: &str| Value::String(s.to_owned());
    let key = match entry {
        Entry::Misspelt(key) => key,
        _ => "Challenge",
    };
    let value = match entry {
        Entry::Data => Value::Data(secret.as_bytes().to_vec()),
        Entry::Array => Value::Array(vec![text(secret)]),
        Entry::Dict => {
            let mut d = Dictionary::new();
            d.insert("value".into(), text(secret));
            Value::Dictionary(d)
        }
        _ => text(secret),
    };
    let mut settings = Dictionary::new();
    settings.insert(
        "URL".into(),
        text(&if elsewhere == Elsewhere::Url {
            format!("https://acme.okta.com/pki/{secret}/scep/okta-ca")
        } else {
            "https://acme.okta.com/pki/x/scep/okta-ca".to_owned()
        }),
    );
    let cn = if elsewhere == Elsewhere::Subject {
        format!("CN={secret}")
    } else {
        "managementAttestation %HardwareUUID%".to_owned()
    };
    settings.insert(
        "Subject".into(),
        Value::Array(vec![Value::Array(vec![Value::Array(vec![
            text("CN"),
            text(&cn),
        ])])]),
    );
    settings.insert(key.into(), value);
    settings.insert("KeySize".into(), Value::Integer(2048.into()));
    let identifier = if elsewhere == Elsewhere::PayloadIdentifier {
        secret.to_owned()
    } else {
        "com.example.okta-scep".to_owned()
    };
    let mut payload = Dictionary::new();
    payload.insert("PayloadContent".into(), Value::Dictionary(settings));
    payload.insert("PayloadType".into(), text("com.apple.security.scep"));
    payload.insert(
        "PayloadIdentifier".into(),
        text(&format!("{identifier}.scep")),
    );
    payload.insert(
        "PayloadUUID".into(),
        text("8FD8C7DB-363F-5395-BEEF-98AA5C9E16BA"),
    );
    payload.insert("PayloadVersion".into(), Value::Integer(1.into()));
    let mut top = Dictionary::new();
    top.insert(
        "PayloadContent".into(),
        Value::Array(vec![Value::Dictionary(payload)]),
    );
    top.insert("PayloadType".into(), text("Configuration"));
    top.insert("PayloadIdentifier".into(), text(&identifier));
    top.insert(
        "PayloadUUID".into(),
        text("29A17B60-C0FE-5588-A5C8-AFD08707441E"),
    );
    top.insert("PayloadVersion".into(), Value::Integer(1.into()));
    let mut out = Vec::new();
    Value::Dictionary(top)
        .to_writer_binary(&mut out)
        .expect("a binary plist in memory");
    out
}

/// A 6-character piece of `secret` (by characters) that `output` holds, if any.
pub fn piece_in(secret: &str, output: &str) -> Option<String> {
    let chars: Vec<char> = secret.chars().collect();
    let pieces: Vec<String> = chars.windows(6).map(|w| w.iter().collect()).collect();
    if pieces.is_empty() {
        return None;
    }
    let searcher = aho_corasick::AhoCorasick::new(&pieces).expect("small patterns");
    searcher
        .find(output)
        .map(|m| pieces[m.pattern().as_usize()].clone())
}
