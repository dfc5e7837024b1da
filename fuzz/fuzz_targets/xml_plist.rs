//! Apple's XML plist grammar, the generic element tree (Jamf's API XML) and the XML unescaper
//! with its offset map, on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sceplint::container::{escape, xml};
use sceplint_fuzz::{LIMITS, assert_offset_map};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = xml::root_element_name(&text);
    let _ = xml::parse_plist(&text, &LIMITS);
    let _ = xml::parse_element_tree(&text, &LIMITS);
    // The same text as if it sat escaped inside Jamf's `<payloads>` at offset 17.
    if let Ok((decoded, map)) = escape::unescape_xml(&text, 17) {
        assert_offset_map(&map, &decoded, 17, text.len());
        if let Err(e) = xml::parse_plist(&decoded, &LIMITS) {
            if let Some(span) = e.span {
                let _ = map.span(&span);
            }
        }
    }
});
