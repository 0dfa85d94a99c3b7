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
    /// Lower-cased yes/no phrases, longest first so "no aplica" wins over "no": what
    /// the tests check `flag_index` against.
    #[cfg(test)]
    flags: Vec<(String, bool)>,
    /// The same yes/no phrases and the terms, for lookups by exact text.
    flag_index: Phrases<bool>,
    term_index: Phrases<String>,
    /// The first words (runs of letters and digits, maybe empty) of all those phrases,
    /// each with the length in bytes of the longest phrase it begins: a text can only
    /// start with a phrase whose first word is its own first word, most table cells
    /// start with a word that begins no phrase, and the others need only be lower-cased
    /// as far as that longest phrase.
    first_words: HashMap<Vec<u8>, usize, foldhash::fast::FixedState>,
    /// The first characters of those phrases (sorted), each with the length of the
    /// longest phrase it begins, for text that does not start with a short ASCII word: a
    /// Japanese or Russian cell can only start with a phrase whose first character is its
    /// own, lower-cased. None when some phrase is empty, which any text starts with.
    first_chars: Option<Vec<(char, usize)>>,
    marker_re: Option<LazyRegex>,
    /// A marker word without brackets at the very start of a cell: some translations
    /// drop the parentheses ("Önizle Batch çıkarımı", "預覽即時推斷"), and the
    /// vocabularies list those forms.
    bare_marker_re: Option<LazyRegex>,
    marker_kinds: HashMap<String, String>,
    /// The first letters of the marker words in both cases (sorted), and which ASCII
    /// characters may start one, for `marker_openings`; None when some word has no
    /// first letter to go by.
    marker_starts: Option<(Vec<char>, [bool; 128])>,
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
                // Trimmed, and never empty: `markers` reads the word back as the text
                // between the brackets without the white space around it.
                for w in words.iter().map(|w| w.trim()).filter(|w| !w.is_empty()) {
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
            // Markers are written in parentheses or brackets, full-width in CJK text. The
            // pattern is tried where `marker_openings` points, anchored there.
            Some(LazyRegex::new(format!(r"(?i)^[(（\[]\s*({})\s*[)）\]]", alternatives.join("|"))))
        };
        let flag_index = Phrases::new(&flags);
        let term_index = Phrases::new(&terms);
        let phrases = || flags.iter().map(|(p, _)| p).chain(terms.iter().map(|(p, _)| p));
        let mut first_chars: Option<Vec<(char, usize)>> =
            phrases().map(|p| Some((p.chars().next()?, p.len()))).collect();
        if let Some(chars) = &mut first_chars {
            // Longest first, so `dedup_by_key` keeps each character's longest phrase.
            chars.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
            chars.dedup_by_key(|(c, _)| *c);
        }
        let mut first_words: HashMap<Vec<u8>, usize, foldhash::fast::FixedState> = HashMap::default();
        for p in phrases() {
            let word = p.chars().take_while(|c| c.is_alphanumeric()).collect::<String>().into_bytes();
            let longest = first_words.entry(word).or_default();
            *longest = (*longest).max(p.len());
        }
        let mut starts = Some(Vec::new());
        for word in marker_kinds.keys() {
            match (word.trim_start().chars().next(), &mut starts) {
                (Some(c), Some(starts)) => starts.extend(c.to_lowercase().chain(c.to_uppercase())),
                _ => starts = None,
            }
        }
        let marker_starts = starts.map(|mut starts| {
            starts.sort_unstable();
            starts.dedup();
            let mut ascii = [false; 128];
            for (c, slot) in ascii.iter_mut().enumerate() {
                *slot = may_start(&starts, c as u8 as char);
            }
            (starts, ascii)
        });
        let bare_marker_re = if words.is_empty() {
            None
        } else {
            Some(LazyRegex::new(format!(r"(?i)^(?:\s|&nbsp;|\u{{a0}})*({})", alternatives.join("|"))))
        };
        Vocab {
            languages,
            #[cfg(test)]
            flags,
            flag_index,
            term_index,
            first_words,
            first_chars,
            marker_re,
            bare_marker_re,
            marker_kinds,
            marker_starts,
        }
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

    /// A cell's meaning from its visible text (markers already removed): a yes/no
    /// phrase at its start, else a term that is all of it or starts it, else text. The
    /// longest phrase wins ("no aplica" over "no"), and a phrase must end at a word
    /// boundary ("Japan" is not "Ja").
    pub fn classify(&self, text: &str) -> CellValue {
        let text = text.trim();
        if text.is_empty() {
            return CellValue::Empty;
        }
        let Some(longest) = self.longest_phrase_at_start(text) else { return CellValue::Text };
        let (lower, complete) = lower_prefix(text, longest);
        if let Some(value) = self.flag_index.longest_prefix(&lower, complete) {
            return CellValue::Flag(*value);
        }
        let bare = if complete { lower.trim_end_matches(TRAILING) } else { &lower };
        if let Some(id) = self.term_index.longest_prefix(bare, complete) {
            return CellValue::Term(id.clone());
        }
        CellValue::Text
    }

    /// The length in bytes of the longest phrase a trimmed, non-empty text may start
    /// with, None when it starts with none; told by its first word when that is short
    /// ASCII followed by ASCII or the end (a non-ASCII letter after it would belong to
    /// the word, and other words lower case by rules this does not repeat), else by its
    /// first character.
    fn longest_phrase_at_start(&self, text: &str) -> Option<usize> {
        let bytes = text.as_bytes();
        let len = bytes.iter().position(|b| !b.is_ascii_alphanumeric()).unwrap_or(bytes.len());
        let mut lower = [0u8; 16];
        if len > lower.len() || bytes.get(len).is_some_and(|b| !b.is_ascii()) {
            return self.longest_phrase_by_char(text);
        }
        for (l, b) in lower.iter_mut().zip(bytes) {
            *l = b.to_ascii_lowercase();
        }
        // Looked up as bytes: lower-cased ASCII letters and digits need no UTF-8 check.
        self.first_words.get(&lower[..len]).copied()
    }

    /// `longest_phrase_at_start` told by the text's first character, lower-cased as
    /// `lower_prefix` lowers it (a capital sigma lowers by context, so any phrase may
    /// follow it).
    fn longest_phrase_by_char(&self, text: &str) -> Option<usize> {
        let any = self.flag_index.longest.max(self.term_index.longest);
        let (Some(first_chars), Some(c)) = (&self.first_chars, text.chars().next()) else { return Some(any) };
        if c == 'Σ' {
            return Some(any);
        }
        let lower = if c.is_ascii() { c.to_ascii_lowercase() } else { c.to_lowercase().next().unwrap_or(c) };
        let at = first_chars.binary_search_by_key(&lower, |&(c, _)| c).ok()?;
        Some(first_chars[at].1)
    }

    /// Markers such as `(Preview)` in a piece of text; `base` is the text's offset in the file.
    pub fn markers(&self, text: &str, base: usize) -> Vec<Marker> {
        let Some(bracketed) = self.bracketed(text) else { return Vec::new() };
        // A bare marker word at the start first, then the bracketed ones.
        let mut out: Vec<Marker> = self.bare_marker(text, base).into_iter().collect();
        for (start, end) in bracketed {
            // The word is what lies between the brackets, white space trimmed (the
            // pattern's `\s*` on both sides); a plain search is cheaper than captures.
            let inner = &text[start..end];
            let (Some(open), Some(close)) = (inner.chars().next(), inner.chars().next_back()) else { continue };
            let Some(word) = inner.get(open.len_utf8()..inner.len() - close.len_utf8()) else { continue };
            if let Some(kind) = self.marker_kinds.get(&word.trim().to_lowercase()) {
                out.push(Marker {
                    kind: kind.clone(),
                    text: inner.to_string(),
                    span: crate::finding::Span::new(base + start, base + end),
                });
            }
        }
        out
    }

    /// Where `marker_re` matches in `text` (byte ranges, left to right, as a search
    /// through the whole text would find them); None when the vocabulary has no markers,
    /// or when the pattern is needed and does not compile. Every match starts at an
    /// opening that `marker_openings` finds, and most cells have none, so the pattern is
    /// only tried there, anchored.
    fn bracketed(&self, text: &str) -> Option<Vec<(usize, usize)>> {
        let re = self.marker_re.as_ref()?;
        let mut found = Vec::new();
        let mut from = 0;
        for at in self.marker_openings(text) {
            if at < from {
                continue;
            }
            if let Some(m) = re.get()?.find(&text[at..]) {
                found.push((at, at + m.end()));
                from = at + m.end();
            }
        }
        Some(found)
    }

    /// A marker word that opens a cell without brackets. It must end there, unless it is
    /// written in a script without spaces (預覽即時推斷).
    fn bare_marker(&self, text: &str, base: usize) -> Option<Marker> {
        if !self.may_open_with_marker(text) {
            return None;
        }
        let c = self.bare_marker_re.as_ref()?.get()?.captures(text)?;
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

    /// Removes markers from text (each becomes a space), so `(Preview) Yes` classifies as
    /// a yes.
    pub fn strip_markers<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        let found = self.bracketed(text).unwrap_or_default();
        if found.is_empty() {
            return std::borrow::Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (start, end) in found {
            out.push_str(&text[last..start]);
            out.push(' ');
            last = end;
        }
        out.push_str(&text[last..]);
        std::borrow::Cow::Owned(out)
    }

    /// Where a bracketed marker may start in `text`: an opening bracket, maybe spaces,
    /// then a letter that starts a marker word (`build` writes the regex so); every
    /// bracket when the first letters do not tell. Most cells have no such place, not
    /// even the links (`](../x.md)`), and a scan finds them faster than the regex.
    fn marker_openings<'t>(&'t self, text: &'t str) -> impl Iterator<Item = usize> + 't {
        let bytes = text.as_bytes();
        // `(`, `[`, or the first byte of `（` (EF BC 88), checked in full below; memchr
        // jumps between them many bytes at a time, and most of a cell is neither.
        memchr::memchr3_iter(b'(', b'[', 0xef, bytes).filter(move |&i| {
            let after = match bytes[i] {
                b'(' | b'[' => i + 1,
                0xef if text[i..].starts_with('（') => i + '（'.len_utf8(),
                _ => return false,
            };
            let Some((starts, ascii)) = &self.marker_starts else { return true };
            let is_start = |c: char| if c.is_ascii() { ascii[c as usize] } else { may_start(starts, c) };
            text[after..].trim_start().chars().next().is_some_and(is_start)
        })
    }

    /// Whether `text` may open with a marker word, after the white space and `&nbsp;`
    /// that `bare_marker_re` skips: every cell is asked, and the first letter tells most
    /// of them no without running the regex.
    fn may_open_with_marker(&self, text: &str) -> bool {
        let Some((starts, ascii)) = &self.marker_starts else { return true };
        let mut rest = text.trim_start();
        while rest.len() >= 6 && rest.as_bytes()[..6].eq_ignore_ascii_case(b"&nbsp;") {
            rest = rest[6..].trim_start();
        }
        rest.chars().next().is_some_and(|c| if c.is_ascii() { ascii[c as usize] } else { may_start(starts, c) })
    }
}

/// Whether `c` may begin one of the marker words whose first letters (in both cases,
/// sorted) are `starts`, as the case-insensitive marker regex would match it.
fn may_start(starts: &[char], c: char) -> bool {
    let has = |c: &char| starts.binary_search(c).is_ok();
    // Kana, Hangul and CJK ideographs have no case: the letter itself decides, without
    // the case tables (most cells of Japanese, Chinese and Korean pages start so).
    if CASELESS.iter().any(|r| r.contains(&c)) {
        return has(&c);
    }
    has(&c)
        || c.to_lowercase().any(|l| has(&l))
        || c.to_uppercase().any(|u| has(&u) || u.to_lowercase().any(|l| has(&l)))
}

/// Scripts without case mappings: CJK punctuation, kana, CJK ideographs (and extension
/// A), Hangul syllables. A test checks that no character of them changes case.
const CASELESS: [std::ops::RangeInclusive<char>; 4] =
    ['\u{3000}'..='\u{30ff}', '\u{3400}'..='\u{4dbf}', '\u{4e00}'..='\u{9fff}', '\u{ac00}'..='\u{d7a3}'];

/// A pattern compiled the first time a cell needs it: the marker prechecks turn most
/// cells away, a run over a few files may never need it, and compiling the two marker
/// patterns was most of the start-up of every run. A pattern that does not compile (a
/// vocabulary too large for the regex engine's limits) finds nothing.
#[derive(Debug, Clone)]
struct LazyRegex {
    pattern: String,
    compiled: std::sync::OnceLock<Option<Regex>>,
}

impl LazyRegex {
    fn new(pattern: String) -> LazyRegex {
        LazyRegex { pattern, compiled: std::sync::OnceLock::new() }
    }

    fn get(&self) -> Option<&Regex> {
        self.compiled.get_or_init(|| Regex::new(&self.pattern).ok()).as_ref()
    }
}

/// What a term may be followed by at the end of a cell ("None." is the term "none").
const TRAILING: [char; 4] = ['.', '。', '!', ' '];

/// Phrases by their exact lower-case text. Classifying a cell looks up the few prefixes
/// of its text that end at a word boundary, instead of trying every phrase of every
/// language on every cell of every file.
#[derive(Debug, Clone, Default)]
struct Phrases<T> {
    /// Looked up at every word boundary of every cell's start: hashed with foldhash,
    /// several times cheaper than the default SipHash on short keys, and these keys are
    /// the vocabularies' phrases, not input an attacker could choose to collide.
    by_text: HashMap<String, T, foldhash::fast::FixedState>,
    /// The longest phrase, in bytes.
    longest: usize,
    /// Which byte lengths some phrase has: most prefixes need no lookup at all.
    lengths: Vec<bool>,
}

impl<T: Clone> Phrases<T> {
    /// `sorted` is in priority order; the first value of a phrase wins.
    fn new(sorted: &[(String, T)]) -> Phrases<T> {
        let mut by_text = HashMap::with_hasher(foldhash::fast::FixedState::default());
        for (phrase, value) in sorted {
            by_text.entry(phrase.clone()).or_insert_with(|| value.clone());
        }
        let longest = sorted.iter().map(|(p, _)| p.len()).max().unwrap_or(0);
        let mut lengths = vec![false; longest + 1];
        for (p, _) in sorted {
            lengths[p.len()] = true;
        }
        Phrases { by_text, longest, lengths }
    }

    /// The value of the longest phrase `text` starts with that is followed by the end
    /// of the text or by a character that is not a letter or digit. `complete` says
    /// whether `text` is all of the text, so its end is a boundary.
    fn longest_prefix(&self, text: &str, complete: bool) -> Option<&T> {
        let mut best = None;
        for (at, c) in text.char_indices() {
            if at > self.longest {
                return best;
            }
            if self.lengths[at] && !c.is_alphanumeric() {
                best = self.by_text.get(&text[..at]).or(best);
            }
        }
        if complete && text.len() <= self.longest && self.lengths[text.len()] {
            best = self.by_text.get(text).or(best);
        }
        best
    }
}

/// The lower-case form of the start of `text`, at least `min` bytes of it when there
/// is that much, and whether that is all of it. Where the prefix stops, the next
/// character is not one of `TRAILING`, so trimming them from the whole text could not
/// reach into the prefix. A capital sigma lowers by context; such text is lowered whole.
fn lower_prefix(text: &str, min: usize) -> (String, bool) {
    let mut out = String::with_capacity(text.len().min(min + 8));
    let mut last = ' ';
    for c in text.chars() {
        if c == 'Σ' {
            return (text.to_lowercase(), true);
        }
        if out.len() > min && !TRAILING.contains(&last) {
            return (out, false);
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
        last = c;
    }
    (out, true)
}

/// `text` starts with `phrase` followed by a word boundary (end, space or punctuation).
#[cfg(test)]
fn starts_with_word(text: &str, phrase: &str) -> bool {
    // Most phrases differ from the text in the first byte; checking it first saves a
    // call to memcmp per phrase, and classification tries every phrase on every cell.
    if let (Some(a), Some(b)) = (text.as_bytes().first(), phrase.as_bytes().first()) {
        if a != b {
            return false;
        }
    }
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

    /// The lookup above and its shortcuts (the first word, the first character)
    /// replaced trying every phrase in turn; they must decide the same.
    #[test]
    fn classify_agrees_with_trying_every_phrase() {
        let vocab = Vocab::builtin();
        let slow = |text: &str| {
            let text = text.trim();
            if text.is_empty() {
                return CellValue::Empty;
            }
            let lower = text.to_lowercase();
            for (phrase, value) in &vocab.flags {
                if starts_with_word(&lower, phrase) {
                    return CellValue::Flag(*value);
                }
            }
            let bare = lower.trim_end_matches(TRAILING);
            let mut terms: Vec<(&String, &String)> = vocab.term_index.by_text.iter().collect();
            terms.sort_by(|a, b| b.0.chars().count().cmp(&a.0.chars().count()).then(a.cmp(b)));
            for (phrase, id) in terms {
                if bare == phrase || starts_with_word(bare, phrase) {
                    return CellValue::Term(id.clone());
                }
            }
            CellValue::Text
        };
        let mut phrases: Vec<String> = vocab.flags.iter().map(|(p, _)| p.clone()).collect();
        phrases.extend(vocab.term_index.by_text.keys().cloned());
        phrases.extend(
            [
                "Japan",
                "Σίγουρα ΝΑΙ",
                "ΣΣ",
                "",
                "x",
                "Använd",
                "Azure ML",
                "(x",
                "- Yes",
                "k8s ja",
                "jA",
                "Noé",
                "NOabcdefghijklmnopq",
            ]
            .map(String::from),
        );
        let long = "a".repeat(80);
        for phrase in &phrases {
            for variant in [phrase.clone(), phrase.to_uppercase(), crate_capitalize(phrase)] {
                for suffix in ["", " ", ".", "...", "x", "1", " (web service)", "。", "!", "-x", &format!(" {long}")] {
                    for text in [format!("{variant}{suffix}"), format!("{variant}{}{suffix}", ".".repeat(60))] {
                        assert_eq!(vocab.classify(&text), slow(&text), "{text:?}");
                    }
                }
            }
        }
        // Random cells made of phrases, their capitals, other scripts' letters and the
        // characters whose lower case is special, for the first-character shortcut.
        use proptest::prelude::*;
        let mut pieces: Vec<String> = phrases.iter().step_by(7).cloned().collect();
        pieces.extend(phrases.iter().step_by(11).map(|p| p.to_uppercase()));
        pieces.extend(
            [
                "中", "是", "はい", "Ä", "ä", "İ", "ẞ", "Σ", "ς", "Да", "ДА", " ", ".", "x", "1", "\u{a0}", "。", "(",
                "é",
            ]
            .map(String::from),
        );
        let mut runner = proptest::test_runner::TestRunner::default();
        runner
            .run(&prop::collection::vec(prop::sample::select(pieces), 0..5), |parts| {
                let text = parts.concat();
                prop_assert_eq!(vocab.classify(&text), slow(&text), "{:?}", text);
                Ok(())
            })
            .expect("classify agrees with trying every phrase");
    }

    fn crate_capitalize(s: &str) -> String {
        let mut c = s.chars();
        c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
    }

    #[test]
    fn marker_prefilter_lets_every_marker_through() {
        let vocab = Vocab::builtin();
        for word in vocab.marker_kinds.keys() {
            for text in [format!("x ({word}) y"), format!("[ {}]", word.to_uppercase()), format!("（{word}）")] {
                assert_eq!(vocab.marker_openings(&text).count(), 1, "{text}");
                assert_eq!(vocab.markers(&text, 0).len(), 1, "{text}");
            }
        }
        assert_eq!(vocab.marker_openings("[Local web service](../x.md#a) (deployment)").count(), 0);
        assert_eq!(vocab.marker_openings("(Preview) Batch [Vorschau] (x)").collect::<Vec<_>>(), [0, 16]);
    }

    #[test]
    fn bare_marker_prefilter_lets_every_marker_through() {
        let vocab = Vocab::builtin();
        for word in vocab.marker_kinds.keys() {
            for text in [word.clone(), format!(" &NBSP;\u{a0} {}", word.to_uppercase()), format!("&nbsp;{word} x")] {
                assert!(vocab.may_open_with_marker(&text), "{text}");
                assert!(vocab.bare_marker(&text, 0).is_some(), "{text}");
            }
        }
        assert!(!vocab.may_open_with_marker("Batch inference"));
        assert!(!vocab.may_open_with_marker(" &nbsp; 1 GB"));
        assert!(!vocab.may_open_with_marker(""));
    }

    /// The scripts `may_start` takes as caseless have no character that lower or upper
    /// case changes, so the shortcut decides as the case tables would.
    #[test]
    fn caseless_scripts_have_no_case() {
        for range in CASELESS {
            for c in range {
                assert!(c.to_lowercase().eq([c]) && c.to_uppercase().eq([c]), "{c:?}");
            }
        }
    }

    #[test]
    fn locales_map_to_their_language() {
        let vocab = Vocab::builtin();
        assert_eq!(vocab.language_for("sv-SE").unwrap().language, "sv");
        assert_eq!(vocab.language_for("pt_BR").unwrap().language, "pt");
        assert_eq!(vocab.language_for("zh-tw").unwrap().language, "zh-Hant");
        assert_eq!(vocab.language_for("zh-cn").unwrap().language, "zh-Hans");
    }

    /// The word read back from a match is the regex's group 1, on every marker word
    /// of the built-in vocabularies in brackets of every kind, with and without spaces;
    /// the text around a marker takes none of it, and stripping leaves a space for it.
    #[test]
    fn marker_words_are_read_back_as_the_regex_captures_them() {
        let vocab = Vocab::builtin();
        let re = vocab.marker_re.as_ref().and_then(LazyRegex::get).expect("built-in markers");
        for word in vocab.marker_kinds.keys() {
            for (open, close) in [("(", ")"), ("[", "]"), ("（", "）"), ("( ", " )"), ("(\u{a0}", "\u{3000})")] {
                let marker = format!("{open}{}{close}", word.to_uppercase());
                let text = format!("x {marker} y");
                let expected: Vec<String> = re
                    .captures(&marker)
                    .and_then(|c| vocab.marker_kinds.get(&c[1].to_lowercase()).cloned())
                    .into_iter()
                    .collect();
                let found = vocab.markers(&text, 0);
                let kinds: Vec<&str> = found.iter().map(|m| m.kind.as_str()).collect();
                assert_eq!(kinds, expected, "{text:?}");
                assert!(!found.is_empty(), "{text:?}");
                assert_eq!((found[0].span.start, found[0].text.as_str()), (2, marker.as_str()), "{text:?}");
                assert_eq!(vocab.strip_markers(&format!("{marker}{marker}Yes")), "  Yes");
            }
        }
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
