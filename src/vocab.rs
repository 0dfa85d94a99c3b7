//! Yes/no words, markers and categorical terms per language, from `rules/vocab/*.yaml`.
//!
//! Normalization uses the union of every language's words: translations often keep an
//! untranslated "Yes" or borrow a neighbour language's form, and no word in the
//! vocabularies means yes in one language and no in another.

use std::collections::{BTreeMap, HashMap};

use regex::Regex;
use serde::Deserialize;

use crate::model::{CellValue, Marker};

/// The embedded vocabulary files, by language code. A tidy test checks this list
/// against the folder.
pub const FILES: &[(&str, &str)] = &[
    ("cs", include_str!("../rules/vocab/cs.yaml")),
    ("de", include_str!("../rules/vocab/de.yaml")),
    ("en", include_str!("../rules/vocab/en.yaml")),
    ("es", include_str!("../rules/vocab/es.yaml")),
    ("fr", include_str!("../rules/vocab/fr.yaml")),
    ("hu", include_str!("../rules/vocab/hu.yaml")),
    ("it", include_str!("../rules/vocab/it.yaml")),
    ("ja", include_str!("../rules/vocab/ja.yaml")),
    ("ko", include_str!("../rules/vocab/ko.yaml")),
    ("nl", include_str!("../rules/vocab/nl.yaml")),
    ("pl", include_str!("../rules/vocab/pl.yaml")),
    ("pt", include_str!("../rules/vocab/pt.yaml")),
    ("ru", include_str!("../rules/vocab/ru.yaml")),
    ("sv", include_str!("../rules/vocab/sv.yaml")),
    ("tr", include_str!("../rules/vocab/tr.yaml")),
    ("zh-Hans", include_str!("../rules/vocab/zh-Hans.yaml")),
    ("zh-Hant", include_str!("../rules/vocab/zh-Hant.yaml")),
];

/// One language's words, as written in a vocabulary file or a config's `vocabulary:`.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LanguageWords {
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub locales: Vec<String>,
    #[serde(default)]
    pub yes: Vec<String>,
    #[serde(default)]
    pub no: Vec<String>,
    #[serde(default)]
    pub markers: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub terms: BTreeMap<String, Vec<String>>,
}

/// All vocabularies merged, with lookups prepared.
#[derive(Debug, Clone)]
pub struct Vocab {
    pub languages: Vec<LanguageWords>,
    /// Lower-cased yes/no phrases, longest first so "no aplica" wins over "no".
    flags: Vec<(String, bool)>,
    terms: Vec<(String, String)>,
    marker_re: Option<Regex>,
    /// A marker word without brackets at the very start of a cell: some translations
    /// drop the parentheses ("Önizle Batch çıkarımı", "預覽即時推斷"), and the
    /// vocabularies list those forms.
    bare_marker_re: Option<Regex>,
    marker_kinds: HashMap<String, String>,
}

impl Vocab {
    /// The built-in vocabularies. They are part of the binary, so a parse error is a bug
    /// caught by the test suite, not a user-facing condition.
    pub fn builtin() -> Vocab {
        Vocab::with_extra(&BTreeMap::new()).expect("built-in vocabularies parse")
    }

    /// The built-in vocabularies plus a config's extra words, keyed by language code.
    pub fn with_extra(extra: &BTreeMap<String, LanguageWords>) -> Result<Vocab, String> {
        let mut languages = Vec::new();
        for (code, text) in FILES {
            let mut words: LanguageWords =
                crate::yaml::from_str(text).map_err(|e| format!("rules/vocab/{code}.yaml: {e}"))?;
            if words.language.is_empty() {
                words.language = code.to_string();
            }
            languages.push(words);
        }
        for (code, more) in extra {
            let index = match languages.iter().position(|l| l.language.eq_ignore_ascii_case(code)) {
                Some(i) => i,
                None => {
                    languages.push(LanguageWords { language: code.clone(), ..LanguageWords::default() });
                    languages.len() - 1
                }
            };
            let lang = &mut languages[index];
            lang.locales.extend(more.locales.iter().cloned());
            lang.yes.extend(more.yes.iter().cloned());
            lang.no.extend(more.no.iter().cloned());
            for (kind, words) in &more.markers {
                lang.markers.entry(kind.clone()).or_default().extend(words.iter().cloned());
            }
            for (id, words) in &more.terms {
                lang.terms.entry(id.clone()).or_default().extend(words.iter().cloned());
            }
        }
        Ok(Vocab::build(languages))
    }

    fn build(languages: Vec<LanguageWords>) -> Vocab {
        let mut flags = Vec::new();
        let mut terms = Vec::new();
        let mut marker_kinds = HashMap::new();
        for lang in &languages {
            flags.extend(lang.yes.iter().map(|w| (w.to_lowercase(), true)));
            flags.extend(lang.no.iter().map(|w| (w.to_lowercase(), false)));
            for (id, words) in &lang.terms {
                terms.extend(words.iter().map(|w| (w.to_lowercase(), id.clone())));
            }
            for (kind, words) in &lang.markers {
                for w in words {
                    marker_kinds.insert(w.to_lowercase(), kind.clone());
                }
            }
        }
        flags.sort_by(|a, b| b.0.chars().count().cmp(&a.0.chars().count()).then(a.cmp(b)));
        flags.dedup();
        terms.sort_by(|a, b| b.0.chars().count().cmp(&a.0.chars().count()).then(a.cmp(b)));
        terms.dedup();
        let mut words: Vec<&String> = marker_kinds.keys().collect();
        words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let alternatives: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
        let marker_re = if words.is_empty() {
            None
        } else {
            // Markers are written in parentheses or brackets, full-width in CJK text.
            let pattern = format!(r"(?i)[(（\[]\s*({})\s*[)）\]]", alternatives.join("|"));
            Regex::new(&pattern).ok()
        };
        let bare_marker_re = if words.is_empty() {
            None
        } else {
            Regex::new(&format!(r"(?i)^(?:\s|&nbsp;|\u{{a0}})*({})", alternatives.join("|"))).ok()
        };
        Vocab { languages, flags, terms, marker_re, bare_marker_re, marker_kinds }
    }

    /// The vocabulary file that covers a locale (`sv-SE` -> `sv`, `zh-TW` -> `zh-Hant`).
    pub fn language_for(&self, locale: &str) -> Option<&LanguageWords> {
        let lower = locale.to_ascii_lowercase().replace('_', "-");
        self.languages
            .iter()
            .find(|l| l.locales.iter().any(|x| x.eq_ignore_ascii_case(&lower)))
            .or_else(|| self.languages.iter().find(|l| l.language.eq_ignore_ascii_case(&lower)))
            .or_else(|| {
                let primary = lower.split('-').next().unwrap_or("");
                self.languages.iter().find(|l| l.language.eq_ignore_ascii_case(primary))
            })
    }

    /// A cell's meaning from its visible text (markers already removed).
    pub fn classify(&self, text: &str) -> CellValue {
        let text = text.trim();
        if text.is_empty() {
            return CellValue::Empty;
        }
        let lower = text.to_lowercase();
        for (phrase, value) in &self.flags {
            if starts_with_word(&lower, phrase) {
                return CellValue::Flag(*value);
            }
        }
        let bare = lower.trim_end_matches(['.', '。', '!', ' ']);
        for (phrase, id) in &self.terms {
            if bare == phrase || starts_with_word(bare, phrase) {
                return CellValue::Term(id.clone());
            }
        }
        CellValue::Text
    }

    /// Markers such as `(Preview)` in a piece of text; `base` is the text's offset in the file.
    pub fn markers(&self, text: &str, base: usize) -> Vec<Marker> {
        let Some(re) = &self.marker_re else { return Vec::new() };
        let mut out: Vec<Marker> = re
            .captures_iter(text)
            .filter_map(|c| {
                let whole = c.get(0)?;
                let word = c.get(1)?.as_str().to_lowercase();
                Some(Marker {
                    kind: self.marker_kinds.get(&word)?.clone(),
                    text: whole.as_str().to_string(),
                    span: crate::finding::Span::new(base + whole.start(), base + whole.end()),
                })
            })
            .collect();
        if let Some(bare) = self.bare_marker(text, base) {
            out.insert(0, bare);
        }
        out
    }

    /// A marker word that opens a cell without brackets. It must end there, unless it is
    /// written in a script without spaces (預覽即時推斷).
    fn bare_marker(&self, text: &str, base: usize) -> Option<Marker> {
        let c = self.bare_marker_re.as_ref()?.captures(text)?;
        let word = c.get(1)?;
        let next = text[word.end()..].chars().next();
        let spaceless = word.as_str().chars().next().is_some_and(|ch| ch >= '\u{2e80}');
        if !spaceless && next.is_some_and(|ch| ch.is_alphanumeric()) {
            return None;
        }
        Some(Marker {
            kind: self.marker_kinds.get(&word.as_str().to_lowercase())?.clone(),
            text: word.as_str().to_string(),
            span: crate::finding::Span::new(base + word.start(), base + word.end()),
        })
    }

    /// Removes markers from text, so `(Preview) Yes` classifies as a yes.
    pub fn strip_markers(&self, text: &str) -> String {
        match &self.marker_re {
            Some(re) => re.replace_all(text, " ").into_owned(),
            None => text.to_string(),
        }
    }

    /// Whether a word or phrase is a yes/no word in any vocabulary.
    pub fn is_flag_word(&self, text: &str) -> bool {
        let lower = text.trim().to_lowercase();
        self.flags.iter().any(|(p, _)| starts_with_word(&lower, p))
    }
}

/// `text` starts with `phrase` followed by a word boundary (end, space or punctuation).
fn starts_with_word(text: &str, phrase: &str) -> bool {
    match text.strip_prefix(phrase) {
        Some(rest) => rest.chars().next().is_none_or(|c| !c.is_alphanumeric()),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_words_of_every_language_are_true() {
        let vocab = Vocab::builtin();
        for word in ["Yes", "Ja", "Sim", "Oui", "Sí", "はい", "是", "예", "Да", "Tak", "Evet", "Ano", "Igen"] {
            assert_eq!(vocab.classify(word), CellValue::Flag(true), "{word}");
        }
        assert_eq!(vocab.classify("Ja (webbtjänst)"), CellValue::Flag(true));
        assert_eq!(vocab.classify("Japan"), CellValue::Text);
        assert_eq!(vocab.classify("\u{a0}"), CellValue::Empty);
    }

    #[test]
    fn locales_map_to_their_language() {
        let vocab = Vocab::builtin();
        assert_eq!(vocab.language_for("sv-SE").unwrap().language, "sv");
        assert_eq!(vocab.language_for("pt_BR").unwrap().language, "pt");
        assert_eq!(vocab.language_for("zh-tw").unwrap().language, "zh-Hant");
        assert_eq!(vocab.language_for("zh-cn").unwrap().language, "zh-Hans");
    }

    #[test]
    fn preview_markers_in_several_languages() {
        let vocab = Vocab::builtin();
        for text in ["(Preview) Batch", "(Förhandsgranska) Slutsatser", "(Versão prévia) Inferência"] {
            let markers = vocab.markers(text, 10);
            assert_eq!(markers.len(), 1, "{text}");
            assert_eq!(markers[0].kind, "preview");
            assert_eq!(markers[0].span.start, 10);
        }
    }
}
