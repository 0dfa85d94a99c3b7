//! Fuzz target: two arbitrary documents compared as source and translation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use locdrift::settings::Settings;

/// Built once: loading the vocabularies per input would dominate the run.
static SETTINGS: std::sync::LazyLock<Settings> = std::sync::LazyLock::new(Settings::default);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // The input holds both documents, split at the first NUL (or the middle).
    let (src, tr) = match text.find('\0') {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => {
            let mut mid = text.len() / 2;
            while !text.is_char_boundary(mid) {
                mid -= 1;
            }
            text.split_at(mid)
        }
    };
    let settings = &*SETTINGS;
    for f in locdrift::lint_pair(src, tr, "sv-se", settings) {
        assert!(tr.get(f.span.start..f.span.end).is_some(), "{f:?}");
        if let Some(s) = f.source_span {
            assert!(src.get(s.start..s.end).is_some(), "{f:?}");
        }
        if let Some(fix) = &f.fix {
            assert!(tr.get(fix.span.start..fix.span.end).is_some(), "{f:?}");
        }
    }
});
