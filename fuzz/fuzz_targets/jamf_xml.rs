//! Jamf Pro Classic API XML through the whole pipeline. The first byte picks the shape:
//! 0 the rest as it is; 1 the rest XML-escaped inside a computer profile's `<payloads>`;
//! 2 the same inside a CDATA section; 3 the rest unescaped inside `<payloads>` (the fuzzer
//! writes its own escapes); 4 escaped inside a mobile device profile with redistribution days.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sceplint_fuzz::{check, split_mode, xml_escape};

fuzz_target!(|data: &[u8]| {
    let Some((mode, rest)) = split_mode(data) else {
        return;
    };
    let text = || String::from_utf8_lossy(rest);
    let computer = |payloads: &str| {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><os_x_configuration_profile><general><name>n</name><level>System</level><payloads>{payloads}</payloads></general></os_x_configuration_profile>"
        )
    };
    let bytes = match mode % 5 {
        0 => rest.to_vec(),
        1 => computer(&xml_escape(&text())).into_bytes(),
        2 => computer(&format!("<![CDATA[{}]]>", text())).into_bytes(),
        3 => computer(&text()).into_bytes(),
        _ => format!(
            "<configuration_profile>\n  <general>\n    <level>User</level>\n    <redeploy_days_before_certificate_expires>30</redeploy_days_before_certificate_expires>\n    <payloads>{}</payloads>\n  </general>\n</configuration_profile>\n",
            xml_escape(&text())
        )
        .into_bytes(),
    };
    check("fuzz.xml", &bytes);
});
