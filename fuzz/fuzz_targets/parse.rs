//! Fuzz target: any bytes through the parser and model builder, then a self-comparison.
#![no_main]

use libfuzzer_sys::fuzz_target;
use locdrift::settings::Settings;

/// Built once: loading the vocabularies per input would dominate the run.
static SETTINGS: std::sync::LazyLock<Settings> = std::sync::LazyLock::new(Settings::default);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let settings = &*SETTINGS;
    let doc = locdrift::parse::parse(text, &settings.vocab);
    // Every span the model holds must lie on character boundaries of the text.
    for block in &doc.blocks {
        let span = block.span();
        assert!(text.get(span.start..span.end).is_some(), "block span {span:?} is not a slice");
    }
    for link in doc.links.iter().chain(&doc.images) {
        assert!(text.get(link.target_span.start..link.target_span.end).is_some());
    }
    // A document compared with itself has no drift: only the rules that judge the
    // translation alone (broken front matter, a locale stated for another tree) may fire.
    let findings = locdrift::lint_pair(text, text, "en-gb", settings);
    for f in &findings {
        let scope = Some(f.rule.scope());
        assert_ne!(scope, Some(locdrift::rules::Scope::Pair), "{f:?}");
    }
});
