//! The whole pipeline on raw bytes (any container, any vendor), then the human report rendered
//! from its code frames, as the CLI would print it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sceplint::render::{self, Format, Report, Style};
use sceplint_fuzz::check;

fuzz_target!(|data: &[u8]| {
    let report = check("fuzz.mobileconfig", data);
    let report = Report::new(vec![report], 0);
    let mut out = Vec::new();
    let style = Style {
        color: false,
        width: 100,
    };
    render::write(Format::Human, &report, style, &mut out).expect("the human report renders");
    render::write(Format::Json, &report, style, &mut out).expect("the JSON report renders");
});
