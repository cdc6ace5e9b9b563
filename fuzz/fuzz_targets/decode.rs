//! Fuzzes manifest decoding: whatever the bytes, `decode_documents` returns objects or a clean
//! error — never a panic, never unbounded time or memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(objects) = model::decode_documents(text) {
            for object in objects {
                // Rendering back must not panic either.
                let _ = object.to_yaml();
            }
        }
    }
});
