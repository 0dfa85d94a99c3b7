//! `mixed-language`: a sentence in the source language inside a translated block.
//!
//! Each sentence of a translated paragraph, note or table cell is classified by whatlang,
//! restricted to the two candidate languages (source and translation), which is far more
//! reliable than open detection on short text. To keep false positives rare, a sentence
//! must also be long enough and use several function words of the source language.

use whatlang::{Detector, Lang};

use crate::align::Pair;
use crate::finding::{Finding, Span};
use crate::rules::{Cx, RuleId};
use crate::tables::Role;

/// English function words: their presence, not only the classifier, marks English prose.
const FUNCTION_WORDS: [&[u8]; 29] = [
    b"the", b"of", b"for", b"that", b"to", b"and", b"with", b"is", b"are", b"use", b"than", b"this", b"you", b"your",
    b"in", b"on", b"be", b"can", b"an", b"or", b"by", b"from", b"when", b"which", b"it", b"not", b"only", b"less",
    b"more",
];

/// Whether a word is one of the English function words, in any case.
fn is_english_function_word(word: &str) -> bool {
    FUNCTION_WORDS.iter().any(|f| word.as_bytes().eq_ignore_ascii_case(f))
}

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    if cx.same_language() {
        return;
    }
    let (Some(source), Some(target)) = (lang(&cx.settings.source_language), lang(cx.locale)) else { return };
    if source != Lang::Eng || source == target {
        // Function words are only known for English sources.
        return;
    }
    let detector = Detector::with_allowlist(vec![source, target]);
    let min_words = cx.settings.options.mixed_language_min_words;
    // Blocks that may hold an English sentence. A block left wholly in the source
    // language is `untranslated`'s finding; most have too few English function words.
    let wanted = |text: &str, src: &str| text != src && function_word_bound(text) >= 3;
    let mut blocks: Vec<(&str, Span)> = Vec::new();
    // The paired paragraphs are in the translation's order: one pass finds each source.
    let mut paired = cx.paragraphs.iter().peekable();
    for p in cx.tr.paragraphs() {
        let src = paired.next_if(|(_, t)| std::ptr::eq(*t, p)).map_or("", |(s, _)| s.text.as_str());
        if wanted(&p.text, src) {
            blocks.push((&p.text, p.span));
        }
    }
    let (src_alerts, tr_alerts, pairs) = (&cx.src_alerts, &cx.tr_alerts, &cx.notes);
    for (j, a) in tr_alerts.iter().enumerate() {
        let src = pairs.iter().find_map(|p| match *p {
            Pair::Same(i, jj) | Pair::Changed(i, jj) if jj == j => Some(src_alerts[i].text.as_str()),
            _ => None,
        });
        if wanted(&a.text, src.unwrap_or("")) {
            blocks.push((&a.text, a.span));
        }
    }
    for t in &cx.tables {
        for (s_row, t_row) in t.paired_rows() {
            for (col, cell) in t_row.cells.iter().enumerate().skip(1) {
                let src = s_row.cells.get(col).map_or("", |c| c.text.as_str());
                // The column's role is worked out only for a cell that may need it.
                if wanted(&cell.text, src) && t.role(col) == Role::Text {
                    blocks.push((&cell.text, cell.span));
                }
            }
        }
    }
    for (text, span) in blocks {
        for sentence in sentences(text) {
            if function_word_bound(sentence) < 3 {
                continue;
            }
            // Counted without collecting the words: this runs on every sentence of every
            // translation, and most have too few English function words to go further.
            let (mut words, mut function_words) = (0, 0);
            for w in sentence.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric())) {
                if !w.chars().any(char::is_alphabetic) {
                    continue;
                }
                words += 1;
                if is_english_function_word(w) {
                    function_words += 1;
                }
            }
            if words < min_words || function_words < 3 {
                continue;
            }
            let Some(info) = detector.detect(sentence) else { continue };
            if info.lang() != source || info.confidence() < 0.5 {
                continue;
            }
            let at = locate(cx.tr_text, span, sentence);
            acc.push(
                Finding::new(
                    RuleId::MixedLanguage,
                    at,
                    format!(
                        "this sentence is in English, not {}: \"{}\"",
                        target.eng_name(),
                        crate::text::shorten(sentence, 70)
                    ),
                )
                .with_help("translate the sentence, or remove it if the block already says it in the translation"),
            );
        }
    }
}

/// At least as many as the English function words of `text` (words between white
/// space, trimmed of punctuation): runs of ASCII letters that no ASCII letter or digit
/// touches, which is every such word and a few more (`the` in `x-the`). Most blocks and
/// sentences are ruled out by this before being split into words.
fn function_word_bound(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut count, mut i) = (0, 0);
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        let touched = start.checked_sub(1).is_some_and(|k| bytes[k].is_ascii_digit())
            || bytes.get(i).is_some_and(u8::is_ascii_digit);
        // A run of ASCII letters is whole characters, so `start..i` is a `str` slice.
        if !touched && is_english_function_word(&text[start..i]) {
            count += 1;
        }
    }
    count
}

/// The whatlang language of a locale (`sv-SE` -> Swedish).
fn lang(locale: &str) -> Option<Lang> {
    let primary = locale.split(['-', '_']).next()?;
    // Lower-cased on the stack: locales are short, and this runs twice for every pair.
    let mut buf = [0u8; 8];
    let lower = match buf.get_mut(..primary.len()) {
        Some(to) => {
            to.copy_from_slice(primary.as_bytes());
            to.make_ascii_lowercase();
            std::borrow::Cow::Borrowed(std::str::from_utf8(to).expect("ASCII case changes keep UTF-8"))
        }
        None => std::borrow::Cow::Owned(primary.to_ascii_lowercase()),
    };
    // The locales' own languages directly: `Lang::from_code` allocates and compares
    // its way down a list of codes, twice for every pair.
    let known = match lower.as_ref() {
        "en" => Lang::Eng,
        "sv" => Lang::Swe,
        "nl" => Lang::Nld,
        "pt" => Lang::Por,
        "de" => Lang::Deu,
        "fr" => Lang::Fra,
        "es" => Lang::Spa,
        "it" => Lang::Ita,
        "ja" => Lang::Jpn,
        "zh" => Lang::Cmn,
        "ko" => Lang::Kor,
        "ru" => Lang::Rus,
        "pl" => Lang::Pol,
        "tr" => Lang::Tur,
        "cs" => Lang::Ces,
        "hu" => Lang::Hun,
        "da" => Lang::Dan,
        "fi" => Lang::Fin,
        "nb" | "no" => Lang::Nob,
        other => return Lang::from_code(other),
    };
    Some(known)
}

/// Splits text into sentences at `.`, `!`, `?` (and their CJK forms) followed by a space,
/// the end, or directly by a capital letter: machine translation sometimes glues the
/// source sentence to the translated one ("… 48 GB RAM.Use for …").
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let before = prev.replace(c);
        if !matches!(c, '.' | '!' | '?' | '。' | '！' | '？') {
            continue;
        }
        let boundary = match chars.peek() {
            None => true,
            Some(&(_, n)) => {
                n.is_whitespace()
                    || matches!(c, '。' | '！' | '？')
                    || (n.is_uppercase() && before.is_some_and(|p| p.is_alphabetic()))
            }
        };
        if boundary {
            let end = i + c.len_utf8();
            let s = text[start..end].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = end;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// The sentence's place in the file: searched by its opening words inside the block.
fn locate(text: &str, block: Span, sentence: &str) -> Span {
    let raw = &text[block.start..block.end];
    let probe: String = sentence.chars().take(24).collect();
    match raw.find(probe.as_str()) {
        Some(i) => {
            let tail = &raw[i..];
            let len = tail.find(sentence.chars().last().unwrap_or('.')).map_or(probe.len(), |_| {
                // The sentence may contain markup in the raw text; cover up to its end
                // when it is found verbatim, else its opening words.
                tail.find(sentence).map_or(probe.len(), |_| sentence.len())
            });
            Span::new(block.start + i, block.start + i + len)
        }
        None => block,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each locale names the language its ISO 639-3 code names.
    #[test]
    fn locales_name_their_languages() {
        let codes = [
            ("en", "eng"),
            ("sv", "swe"),
            ("nl", "nld"),
            ("pt", "por"),
            ("de", "deu"),
            ("fr", "fra"),
            ("es", "spa"),
            ("it", "ita"),
            ("ja", "jpn"),
            ("zh", "cmn"),
            ("ko", "kor"),
            ("ru", "rus"),
            ("pl", "pol"),
            ("tr", "tur"),
            ("cs", "ces"),
            ("hu", "hun"),
            ("da", "dan"),
            ("fi", "fin"),
            ("nb", "nob"),
            ("no", "nob"),
            ("ukr", "ukr"),
            ("xx", "xx"),
        ];
        for (primary, code) in codes {
            for locale in [primary.to_string(), format!("{}-XY", primary.to_uppercase()), format!("{primary}_x")] {
                assert_eq!(lang(&locale), Lang::from_code(code), "{locale}");
            }
        }
        assert_eq!(lang("abcdefghij-x"), None);
    }

    #[test]
    fn glued_sentences_split() {
        let s = sentences(
            "Används för arbetsbelastningar som kräver mindre än 48 GB RAM.Use for low-scale CPU-based workloads.",
        );
        assert_eq!(s.len(), 2, "{s:?}");
        assert!(s[1].starts_with("Use for"));
        assert_eq!(sentences("Version 1.5 is out. Next."), vec!["Version 1.5 is out.", "Next."]);
        assert_eq!(sentences("今日は。明日は"), vec!["今日は。", "明日は"]);
        assert_eq!(sentences("Wait... A? b!"), vec!["Wait...", "A?", "b!"]);
    }

    /// The byte scan never counts fewer function words than the word-by-word count.
    #[test]
    fn function_word_bound_is_an_upper_bound() {
        let exact = |t: &str| {
            t.split_whitespace()
                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
                .filter(|w| is_english_function_word(w))
                .count()
        };
        for text in [
            "Use this for the (cheapest) option, «and» ¿which? is-it x-the",
            "Används för arbetsbelastningar som kräver mindre än 48 GB RAM.Use for low-scale CPU-based workloads.",
            "the2 3the é-the theé the_ `to` [in](x.md) ON\u{a0}by",
            "",
        ] {
            assert!(
                function_word_bound(text) >= exact(text),
                "{text}: {} < {}",
                function_word_bound(text),
                exact(text)
            );
        }
        assert_eq!(function_word_bound("Use this for the option"), 4);
        assert_eq!(function_word_bound("Används för RAM"), 0);
    }

    #[test]
    fn function_words_ignore_case_and_nothing_else() {
        for w in ["the", "The", "WITH", "which", "to", "your"] {
            assert!(is_english_function_word(w), "{w}");
        }
        for w in ["", "a", "them", "there", "och", "är", "wĥich", "onlyx", "théé"] {
            assert!(!is_english_function_word(w), "{w}");
        }
    }
}
