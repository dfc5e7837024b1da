//! Binary property lists. An odd first byte prepends `bplist00` to the rest, so the fuzzer gets
//! past the magic at once; an even one feeds the rest as it is. Whatever parses also goes
//! through the whole pipeline (the Apple reader without positions).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sceplint::container::plist_binary;
use sceplint_fuzz::{LIMITS, check, split_mode};

fuzz_target!(|data: &[u8]| {
    let Some((mode, rest)) = split_mode(data) else {
        return;
    };
    let bytes: std::borrow::Cow<'_, [u8]> = if mode & 1 == 1 {
        let mut v = b"bplist00".to_vec();
        v.extend_from_slice(rest);
        v.into()
    } else {
        rest.into()
    };
    if plist_binary::parse(&bytes, &LIMITS).is_ok() {
        check("fuzz.mobileconfig", &bytes);
    }
});
