//! Signed profiles: a CMS `SignedData` wrapping the plist. Real files come in DER (definite
//! lengths) and in BER with indefinite lengths whose content is a constructed OCTET STRING made
//! of segments; bcder reads both in BER mode. The signature is not verified: sceplint lints what
//! the profile says, and a device verifies who signed it.

use bcder::decode::{Constructed, DecodeError, Source};
use bcder::{Mode, OctetString, Oid, Tag};

use super::ParseError;

/// 1.2.840.113549.1.7.2
const SIGNED_DATA: Oid<&[u8]> = Oid(&[42, 134, 72, 134, 247, 13, 1, 7, 2]);
/// 1.2.840.113549.1.7.3
const ENVELOPED_DATA: Oid<&[u8]> = Oid(&[42, 134, 72, 134, 247, 13, 1, 7, 3]);
/// The prefix of every PKCS #7 content type, 1.2.840.113549.1.7.
const PKCS7_PREFIX: &[u8] = &[6, 9, 42, 134, 72, 134, 247, 13, 1, 7];

#[derive(Debug)]
pub enum Cms {
    /// The signed content, segments joined.
    Signed(Vec<u8>),
    /// Encrypted to a device's key: nothing inside can be read.
    Enveloped,
}

/// A cheap look at the first bytes: a SEQUENCE whose first element is a PKCS #7 content type.
pub fn looks_like_cms(bytes: &[u8]) -> bool {
    bytes.first() == Some(&0x30)
        && bytes
            .get(..24)
            .unwrap_or(bytes)
            .windows(PKCS7_PREFIX.len())
            .any(|w| w == PKCS7_PREFIX)
}

pub fn unwrap(bytes: &[u8]) -> Result<Cms, ParseError> {
    Constructed::decode(bytes, Mode::Ber, |cons| {
        cons.take_sequence(|cons| {
            let content_type = Oid::take_from(cons)?;
            if content_type == ENVELOPED_DATA {
                skip_rest(cons)?;
                return Ok(Cms::Enveloped);
            }
            if content_type != SIGNED_DATA {
                return Err(cons.content_err("not a SignedData structure"));
            }
            cons.take_constructed_if(Tag::CTX_0, |cons| {
                cons.take_sequence(|cons| {
                    cons.skip_one()?; // version
                    cons.skip_one()?; // digestAlgorithms
                    let content = cons.take_sequence(|cons| {
                        Oid::take_from(cons)?;
                        cons.take_opt_constructed_if(Tag::CTX_0, OctetString::take_from)
                    })?;
                    skip_rest(cons)?; // certificates, CRLs, signer infos
                    match content {
                        Some(content) => Ok(Cms::Signed(content.to_bytes().to_vec())),
                        None => Err(cons.content_err("the signature is detached: no content")),
                    }
                })
            })
        })
    })
    .map_err(|e: DecodeError<_>| {
        ParseError::new(format!("malformed CMS signature envelope: {e}"), None)
    })
}

/// Skips to the end of a constructed value. bcder's own `skip_all` mistakes the end-of-contents
/// marker of an indefinite-length value for a missing value; `skip_opt` reads it correctly.
fn skip_rest<S: Source>(cons: &mut Constructed<'_, S>) -> Result<(), DecodeError<S::Error>> {
    while cons.skip_opt(|_, _, _| Ok(()))?.is_some() {}
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a minimal SignedData around `content`, in BER with indefinite lengths and the
    /// content split into two OCTET STRING segments, as `openssl cms -sign -stream` writes it.
    pub(crate) fn ber_signed(content: &[u8]) -> Vec<u8> {
        let (a, b) = content.split_at(content.len() / 2);
        let mut out = vec![0x30, 0x80, 0x06, 0x09];
        out.extend([42, 134, 72, 134, 247, 13, 1, 7, 2]);
        out.extend([0xA0, 0x80, 0x30, 0x80]);
        out.extend([0x02, 0x01, 0x01]); // version
        out.extend([0x31, 0x00]); // digestAlgorithms
        out.extend([0x30, 0x80, 0x06, 0x09]);
        out.extend([42, 134, 72, 134, 247, 13, 1, 7, 1]);
        out.extend([0xA0, 0x80, 0x24, 0x80]);
        for segment in [a, b] {
            out.push(0x04);
            out.push(segment.len() as u8);
            out.extend(segment);
        }
        out.extend([0, 0, 0, 0]); // end of OCTET STRING, end of [0]
        out.extend([0, 0]); // end of encapContentInfo
        out.extend([0x31, 0x00]); // signerInfos
        out.extend([0, 0, 0, 0, 0, 0]); // end of SignedData, [0], ContentInfo
        out
    }

    #[test]
    fn ber_indefinite_lengths_and_segments_are_joined() {
        let signed = ber_signed(b"<plist><string>hi</string></plist>");
        assert!(looks_like_cms(&signed));
        match unwrap(&signed).unwrap() {
            Cms::Signed(content) => assert_eq!(content, b"<plist><string>hi</string></plist>"),
            Cms::Enveloped => panic!("expected signed content"),
        }
    }

    #[test]
    fn truncated_envelopes_are_errors() {
        let signed = ber_signed(b"<plist/>");
        assert!(unwrap(&signed[..signed.len() - 3]).is_err());
        assert!(unwrap(&[0x30, 0x03, 0x02, 0x01]).is_err());
    }
}
