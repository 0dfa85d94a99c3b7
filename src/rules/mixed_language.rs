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

/// A word of up to five bytes as a number, each byte lower-cased by setting bit 5:
/// that makes an ASCII letter lower case, and makes no other byte an ASCII letter, so
/// a packed word equals a packed function word exactly when the word is that function
/// word in any case. The length is part of the number (letters are never zero).
const fn pack(word: &[u8]) -> u64 {
    let mut packed = 0;
    let mut i = 0;
    while i < word.len() {
        packed |= ((word[i] | 0x20) as u64) << (8 * i);
        i += 1;
    }
    packed
}

/// Where a packed word would be in `FUNCTION_TABLE`: a multiplicative hash chosen so
/// that the function words land on different slots (an odd number found by trying
/// random ones; building the table checks it).
const fn slot(packed: u64) -> usize {
    (packed.wrapping_mul(0x9d19_07e2_6d1e_121d) >> 58) as usize
}

/// The packed function words by their slot (zero where there is none, which no packed
/// word of two to five bytes equals): a word is looked up with one multiplication and
/// one comparison. A collision of two words fails the build.
const FUNCTION_TABLE: [u64; 64] = {
    let mut table = [0u64; 64];
    let mut i = 0;
    while i < FUNCTION_WORDS.len() {
        let packed = pack(FUNCTION_WORDS[i]);
        assert!(table[slot(packed)] == 0, "two function words share a slot");
        table[slot(packed)] = packed;
        i += 1;
    }
    table
};

/// This runs on every word of every translated sentence (and, through
/// `function_word_bound`, on every short run of letters of every translated block), so
/// it is a table lookup rather than a list search or a `match` on lower-cased bytes.
/// Kept as a measured fast path: with a list search here and a byte-at-a-time scan in
/// `function_word_bound`, a full check of the 2k corpus took 726 M instructions instead
/// of 601 M (+20.8%; bench/README.md, "Fast paths").
fn is_english_function_word(word: &str) -> bool {
    let bytes = word.as_bytes();
    if !(2..=5).contains(&bytes.len()) {
        return false;
    }
    let packed = pack(bytes);
    FUNCTION_TABLE[slot(packed)] == packed
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
/// touches, which is every such word and a few more (`the` in `x-the`). A scan of eight
/// bytes at a time (`letter_bits`), so that most blocks and sentences are ruled out
/// before being split into words: this reads every byte of every translated block.
/// Kept as a measured fast path, with `is_english_function_word` (+20.8% of a full
/// check without both; bench/README.md, "Fast paths").
fn function_word_bound(text: &str) -> usize {
    let bytes = text.as_bytes();
    let blocks = bytes.len().div_ceil(64);
    let mut count = 0;
    // Bit 63 of the previous block's letters: whether a run of letters comes into this one.
    let mut carried = 0u64;
    let mut letters = block_letters(bytes, 0);
    for b in 0..blocks {
        let next = block_letters(bytes, b + 1);
        // This block's letters followed by the next block's, so that a run reaching the
        // end of this block is measured whole.
        let wide = u128::from(letters) | (u128::from(next) << 64);
        let starts = letters & !((letters << 1) | carried);
        // Bit s of `after(k)` tells whether the byte k after s is a letter: a run that
        // starts at s is n letters long when the n - 1 bytes after s are letters and the
        // n-th is not. One mask per length from two to five, so that each candidate is
        // read with a mask known in advance.
        let after = |k: u32| (wide >> k) as u64;
        let (one, two, three, four, five) = (after(1), after(2), after(3), after(4), after(5));
        let runs = [
            (starts & one & !two, 2),
            (starts & one & two & !three, 3),
            (starts & one & two & three & !four, 4),
            (starts & one & two & three & four & !five, 5),
        ];
        for (mut candidates, len) in runs {
            while candidates != 0 {
                let from = 64 * b + candidates.trailing_zeros() as usize;
                candidates &= candidates - 1;
                // The run's bytes, read eight at a time where the text goes on that far.
                let packed = match bytes.get(from..from + 8) {
                    Some(eight) => {
                        (u64::from_le_bytes(eight.try_into().expect("eight bytes")) | 0x2020_2020_2020_2020)
                            & RUN_MASK[len]
                    }
                    None => pack(&bytes[from..from + len]),
                };
                if FUNCTION_TABLE[slot(packed)] == packed {
                    let touched = from.checked_sub(1).is_some_and(|k| bytes[k].is_ascii_digit())
                        || bytes.get(from + len).is_some_and(u8::is_ascii_digit);
                    count += usize::from(!touched);
                }
            }
        }
        carried = letters >> 63;
        letters = next;
    }
    count
}

/// The low `len` bytes of a `u64`, for the runs of two to five letters.
const RUN_MASK: [u64; 6] = [0, 0xff, 0xffff, 0xff_ffff, 0xffff_ffff, 0xff_ffff_ffff];

/// Bit k is set when byte `64 * block + k` of `bytes` is an ASCII letter; bits past the
/// end are zero, as for any byte that is not a letter. Inlined into the scan, which
/// calls it once per 64 bytes of every translated block.
#[inline(always)]
fn block_letters(bytes: &[u8], block: usize) -> u64 {
    let rest = bytes.get(64 * block..).unwrap_or_default();
    if rest.is_empty() {
        return 0;
    }
    let mut padded = [0u8; 64];
    let full: &[u8] = match rest.get(..64) {
        Some(full) => full,
        None => {
            padded[..rest.len()].copy_from_slice(rest);
            &padded
        }
    };
    // Word k's letter bits moved to bit k of each byte make an 8x8 bit matrix (bit k of
    // byte i: byte 8k + i is a letter), which one transpose puts in place: cheaper than
    // gathering each word's eight bits on its own.
    let mut matrix = 0u64;
    for (k, chunk) in full.chunks_exact(8).enumerate() {
        matrix |= letter_bits(u64::from_le_bytes(chunk.try_into().expect("eight bytes"))) >> (7 - k);
    }
    transpose(matrix)
}

/// The 8x8 bit matrix of a `u64` (row i: byte i, column k: its bit k) transposed, in
/// three rounds of swapping blocks across the diagonal (Hacker's Delight, 7-3).
fn transpose(mut x: u64) -> u64 {
    let mut t = (x ^ (x >> 7)) & 0x00aa_00aa_00aa_00aa;
    x ^= t ^ (t << 7);
    t = (x ^ (x >> 14)) & 0x0000_cccc_0000_cccc;
    x ^= t ^ (t << 14);
    t = (x ^ (x >> 28)) & 0x0000_0000_f0f0_f0f0;
    x ^ t ^ (t << 28)
}

/// The high bit of byte k (little-endian) is set when that byte of `v` is an ASCII
/// letter, and no other bit is: every byte is tested at once in a `u64`. A byte is a letter when it is ASCII and, with bit 5 set, lies in `a..=z`;
/// the additions set a byte's high bit when it is at least `a`, or more than `z`, and
/// cannot carry into the next byte since the high bits were cleared first.
fn letter_bits(v: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x80 * ONES;
    let folded = (v & !HIGH) | (0x20 * ONES);
    let at_least_a = folded + (0x80 - u64::from(b'a')) * ONES;
    let above_z = folded + (0x80 - u64::from(b'z') - 1) * ONES;
    at_least_a & !above_z & !v & HIGH
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

    /// The scan eight bytes at a time counts what a byte-by-byte scan of the runs of
    /// ASCII letters counts, on random text of letters, digits, other ASCII and other
    /// scripts, long enough to cross the 64-byte blocks.
    #[test]
    fn function_word_bound_agrees_with_a_byte_scan() {
        use proptest::prelude::*;
        fn slow(text: &str) -> usize {
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
                let touched =
                    before.is_some_and(|b| b.is_ascii_digit()) || bytes.get(i).is_some_and(u8::is_ascii_digit);
                if !touched && is_english_function_word(&text[start..i]) {
                    count += 1;
                }
            }
            count
        }
        let piece = prop::sample::select(vec![
            "the",
            "The",
            "OF",
            "which",
            "a",
            "x",
            "abcdefghij",
            "thex",
            "2",
            "9",
            " ",
            "-",
            "@",
            "[",
            "`",
            "{",
            "\n",
            "é",
            "för",
            "中文",
            "\u{a0}",
            "Ā",
            "the2",
        ]);
        let mut runner = proptest::test_runner::TestRunner::default();
        runner
            .run(&prop::collection::vec(piece, 0..80), |pieces| {
                let text = pieces.concat();
                prop_assert_eq!(function_word_bound(&text), slow(&text), "{:?}", text);
                Ok(())
            })
            .expect("the scans agree");
        for len in 0..200 {
            for text in ["a".repeat(len), format!("{} the", "x".repeat(len)), format!("{}the", " ".repeat(len))] {
                assert_eq!(function_word_bound(&text), slow(&text), "{text:?}");
            }
        }
    }

    /// Every byte, alone and among letters, is judged as `is_ascii_alphabetic` judges it.
    #[test]
    fn letter_bits_agree_with_the_standard_test() {
        let expected =
            |chunk: [u8; 8]| (0..8).fold(0u64, |m, i| m | u64::from(chunk[i].is_ascii_alphabetic()) << (8 * i + 7));
        for b in 0..=255u8 {
            for k in 0..8 {
                let mut chunk = [b'a'; 8];
                chunk[k] = b;
                assert_eq!(letter_bits(u64::from_le_bytes(chunk)), expected(chunk), "{b:#x} at {k}");
                let mut lone = [0u8; 8];
                lone[k] = b;
                assert_eq!(letter_bits(u64::from_le_bytes(lone)), expected(lone), "{b:#x} alone at {k}");
            }
        }
    }

    /// A block's letter mask has bit k set exactly for the ASCII letters among its bytes,
    /// at every place in full and partial blocks.
    #[test]
    fn block_letters_agree_with_a_byte_scan() {
        let text: Vec<u8> =
            (0..300u32).map(|i| [b'a', b' ', b'Z', 0xc3, b'@', b'['][(i * i % 7 % 6) as usize]).collect();
        for len in 0..=300 {
            let bytes = &text[..len];
            for block in 0..6 {
                let slow = (0..64).fold(0u64, |m, k| {
                    m | u64::from(bytes.get(64 * block + k).is_some_and(u8::is_ascii_alphabetic)) << k
                });
                assert_eq!(block_letters(bytes, block), slow, "{len} {block}");
            }
        }
        for k in 0..64 {
            let mut one = [b' '; 64];
            one[k] = b'q';
            assert_eq!(block_letters(&one, 0), 1 << k, "{k}");
        }
    }

    /// The table lookup decides as the list does, for every word of up to five bytes
    /// made of the letters of the function words in both cases and a few other bytes.
    #[test]
    fn function_word_table_agrees_with_the_list() {
        let slow = |w: &str| FUNCTION_WORDS.iter().any(|f| w.as_bytes().eq_ignore_ascii_case(f));
        let alphabet: Vec<u8> = b"thefoasndwiurcyblmTHEFOASNDWIURCYBLM@[`{0\x00\xc3".to_vec();
        let mut words = vec![Vec::new()];
        for _ in 0..3 {
            words = words
                .iter()
                .flat_map(|w| alphabet.iter().map(move |&b| [w.as_slice(), &[b]].concat()))
                .chain(words.iter().cloned())
                .collect();
        }
        for f in FUNCTION_WORDS {
            words.push(f.to_vec());
            words.push(f.to_ascii_uppercase());
            words.push([f, b"s".as_slice()].concat());
            words.push([b"x".as_slice(), f].concat());
        }
        for w in words {
            let Ok(w) = String::from_utf8(w) else { continue };
            assert_eq!(is_english_function_word(&w), slow(&w), "{w:?}");
        }
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
