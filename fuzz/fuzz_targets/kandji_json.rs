//! Kandji/Iru custom-profile JSON through the whole pipeline. The first byte picks the shape:
//! 0 the rest as it is; 1 the rest as the JSON string `profile` of one custom-profile object;
//! 2 the same object inside a `results` list.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sceplint_fuzz::{check, json_string, split_mode};

fuzz_target!(|data: &[u8]| {
    let Some((mode, rest)) = split_mode(data) else {
        return;
    };
    let object = || {
        format!(
            r#"{{"id":"x","name":"n","active":true,"mdm_identifier":"com.kandji.profile.custom.x","runs_on_mac":true,"profile":{}}}"#,
            json_string(&String::from_utf8_lossy(rest))
        )
    };
    let bytes = match mode % 3 {
        0 => rest.to_vec(),
        1 => object().into_bytes(),
        _ => format!("{{\"count\": 1, \"results\": [\n{}\n]}}", object()).into_bytes(),
    };
    check("fuzz.json", &bytes);
});
