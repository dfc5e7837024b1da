//! CMS SignedData/EnvelopedData envelopes (BER and DER), then `container::load` on the same
//! bytes, which unwraps nested signatures and loads what is inside.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sceplint::container::{self, cms};
use sceplint_fuzz::LIMITS;

fuzz_target!(|data: &[u8]| {
    let _ = cms::looks_like_cms(data);
    let _ = cms::unwrap(data);
    let loaded = container::load(data, &LIMITS);
    if let (Some(text), Err(e)) = (&loaded.text, &loaded.document) {
        if let Some(span) = &e.span {
            assert!(span.start <= span.end, "inverted error span {span:?}");
            assert!(
                span.start <= text.len(),
                "error span {span:?} past the text ({})",
                text.len()
            );
        }
    }
});
