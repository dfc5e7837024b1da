//! Jamf Pro API JSON through the whole pipeline. The first byte picks the shape: 0 the rest as
//! it is; 1 the rest as a JSON string in `os_x_configuration_profile.general.payloads`; 2 the
//! same in a mobile device `configuration_profile` with redistribution days. The JSON
//! unescaper and its offset map are also checked on the rest taken as a string literal's inside.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sceplint::container::escape;
use sceplint_fuzz::{assert_offset_map, check, json_string, split_mode};

fuzz_target!(|data: &[u8]| {
    let Some((mode, rest)) = split_mode(data) else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    if let Ok((decoded, map)) = escape::unescape_json(&text, 5) {
        assert_offset_map(&map, &decoded, 5, text.len());
    }
    let bytes = match mode % 3 {
        0 => rest.to_vec(),
        1 => format!(
            r#"{{"os_x_configuration_profile":{{"general":{{"payloads":{}}}}}}}"#,
            json_string(&text)
        )
        .into_bytes(),
        _ => format!(
            "{{\n  \"configuration_profile\": {{\n    \"general\": {{\n      \"name\": \"n\",\n      \"level\": \"Device Level\",\n      \"redeploy_days_before_certificate_expires\": 14,\n      \"payloads\": {}\n    }}\n  }}\n}}\n",
            json_string(&text)
        )
        .into_bytes(),
    };
    check("fuzz.json", &bytes);
});
