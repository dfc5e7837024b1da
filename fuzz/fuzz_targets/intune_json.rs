//! Microsoft Graph (Intune) JSON through the whole pipeline, bytes as they are.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sceplint_fuzz::check;

fuzz_target!(|data: &[u8]| {
    check("fuzz.json", data);
});
