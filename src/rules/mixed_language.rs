//! `mixed-language`: a sentence in the source language inside a translated block.
//!
//! Each sentence of a translated paragraph, note or table cell is classified by whatlang,
//! restricted to the two candidate languages (source and translation), which is far more
//! reliable than open detection on short text. To keep false positives rare, a sentence
//! must also be long enough and use several function words of the source language.

use whatlang::{Detector, Lang};

use crate::align::Pair;
use crate::finding::{Finding, Span};
use crate::rules::{note_pairs, Cx};
use crate::tables::Role;

/// English function words: their presence, not only the classifier, marks English prose.
/// A `match` on the lower-cased bytes, because this runs on every word of every
/// translated sentence and a list search was a tenth of a cold run.
fn is_english_function_word(word: &str) -> bool {
    let bytes = word.as_bytes();
    if !(2..=5).contains(&bytes.len()) {
        return false;
    }
    let mut lower = [0u8; 5];
    for (l, b) in lower.iter_mut().zip(bytes) {
        *l = b.to_ascii_lowercase();
    }
    matches!(
        &lower[..bytes.len()],
        b"the"
            | b"of"
            | b"for"
            | b"that"
            | b"to"
            | b"and"
            | b"with"
            | b"is"
            | b"are"
            | b"use"
            | b"than"
            | b"this"
            | b"you"
            | b"your"
            | b"in"
            | b"on"
            | b"be"
            | b"can"
            | b"an"
            | b"or"
            | b"by"
            | b"from"
            | b"when"
            | b"which"
            | b"it"
            | b"not"
            | b"only"
            | b"less"
            | b"more"
    )
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
    let mut blocks: Vec<(&str, Span, &str)> = Vec::new();
    for p in cx.tr.paragraphs() {
        let src = cx.paragraphs.iter().find(|(_, t)| std::ptr::eq(*t, p)).map_or("", |(s, _)| s.text.as_str());
        blocks.push((&p.text, p.span, src));
    }
    let src_alerts: Vec<_> = cx.src.alerts().collect();
    let tr_alerts: Vec<_> = cx.tr.alerts().collect();
    let pairs = note_pairs(&src_alerts, &tr_alerts);
    for (j, a) in tr_alerts.iter().enumerate() {
        let src = pairs.iter().find_map(|p| match *p {
            Pair::Same(i, jj) | Pair::Changed(i, jj) if jj == j => Some(src_alerts[i].text.as_str()),
            _ => None,
        });
        blocks.push((&a.text, a.span, src.unwrap_or("")));
    }
    for t in &cx.tables {
        for (s_row, t_row) in t.paired_rows() {
            for (col, cell) in t_row.cells.iter().enumerate() {
                if t.role(col) == Role::Text && col > 0 {
                    let src = s_row.cells.get(col).map_or("", |c| c.text.as_str());
                    blocks.push((&cell.text, cell.span, src));
                }
            }
        }
    }
    for (text, span, src) in blocks {
        // A block left wholly in the source language is `untranslated`'s finding.
        if text == src || function_word_bound(text) < 3 {
            continue;
        }
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
                    "mixed-language",
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
/// touches, which is every such word and a few more (`the` in `x-the`). A byte scan,
/// so that most blocks and sentences are ruled out before being split into words.
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
        let before = start.checked_sub(1).map(|k| bytes[k]);
        let touched = before.is_some_and(|b| b.is_ascii_digit()) || bytes.get(i).is_some_and(u8::is_ascii_digit);
        if !touched && is_english_function_word(&text[start..i]) {
            count += 1;
        }
    }
    count
}

/// The whatlang language of a locale (`sv-SE` -> Swedish).
fn lang(locale: &str) -> Option<Lang> {
    let primary = locale.split(['-', '_']).next()?.to_ascii_lowercase();
    let code = match primary.as_str() {
        "en" => "eng",
        "sv" => "swe",
        "nl" => "nld",
        "pt" => "por",
        "de" => "deu",
        "fr" => "fra",
        "es" => "spa",
        "it" => "ita",
        "ja" => "jpn",
        "zh" => "cmn",
        "ko" => "kor",
        "ru" => "rus",
        "pl" => "pol",
        "tr" => "tur",
        "cs" => "ces",
        "hu" => "hun",
        "da" => "dan",
        "fi" => "fin",
        "nb" | "no" => "nob",
        other => other,
    };
    Lang::from_code(code)
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
