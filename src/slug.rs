//! Heading ids as each site generator makes them from a heading's text: GitHub (and
//! Docusaurus, which uses the same slugger), Hugo's goldmark `github` and `blackfriday`
//! types, and MkDocs' `toc` slugify, each with its suffix for a repeated heading.
//!
//! `broken-anchor` and `heading-mismatch` judge a page's ids in its site's style, so a
//! translated heading whose id the site derives correctly is not reported. Which style a
//! kind of site uses where its config is silent is dialect data (`heading-ids` in
//! `rules/dialects/*.yaml`); this module only implements the styles.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

/// How a site turns heading text into an id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IdStyle {
    /// GitHub's renderer and github-slugger (Docusaurus, VitePress, Starlight): lower
    /// case, punctuation dropped, each space a hyphen; `-1`, `-2` for repeats.
    #[default]
    Github,
    /// Hugo goldmark `autoHeadingIDType = "github"`: letters, digits, `_` and `-` kept
    /// (lower case), spaces to hyphens, the rest dropped; `-1` for repeats.
    Goldmark,
    /// Hugo goldmark `github-ascii`: as `Goldmark`, accents removed and other non-ASCII dropped.
    GoldmarkAscii,
    /// Hugo `blackfriday`: letters and digits kept (lower case), every run of anything
    /// else one hyphen between them; `-1` for repeats.
    Blackfriday,
    /// Python-Markdown `toc` (MkDocs): NFKD to ASCII, `[^\w\s-]` dropped, runs of spaces
    /// and hyphens one hyphen; `_1` for repeats.
    Mkdocs,
}

impl IdStyle {
    /// A style by its name (`name`), or by the names its generator gives it: Hugo's
    /// `autoHeadingIDType` values, Python-Markdown's `toc`. What the dialect data
    /// (`rules/dialects/*.yaml`, `heading-ids`) names; a kind of site's name is resolved
    /// through its dialect by the caller (`config`).
    pub fn parse(name: &str) -> Option<IdStyle> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "github" | "gfm" => IdStyle::Github,
            "goldmark" | "hugo-github" => IdStyle::Goldmark,
            "github-ascii" | "goldmark-ascii" => IdStyle::GoldmarkAscii,
            "blackfriday" => IdStyle::Blackfriday,
            "mkdocs" | "toc" | "python-markdown" => IdStyle::Mkdocs,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            IdStyle::Github => "github",
            IdStyle::Goldmark => "goldmark",
            IdStyle::GoldmarkAscii => "github-ascii",
            IdStyle::Blackfriday => "blackfriday",
            IdStyle::Mkdocs => "mkdocs",
        }
    }

    /// The id of a heading with this text, before any suffix for a repeat.
    pub fn slug(self, text: &str) -> String {
        match self {
            IdStyle::Github => github(text),
            IdStyle::Goldmark => goldmark(text, false),
            IdStyle::GoldmarkAscii => goldmark(text, true),
            IdStyle::Blackfriday => blackfriday(text),
            IdStyle::Mkdocs => mkdocs(text),
        }
    }

    /// What a repeated id gets appended, before its count.
    fn repeat_separator(self) -> char {
        if self == IdStyle::Mkdocs {
            '_'
        } else {
            '-'
        }
    }
}

/// The ids of a page's headings in order, each unique as the site makes it: the second
/// "Example" is `example-1` (`example_1` in MkDocs).
#[derive(Debug, Default)]
pub struct Ids {
    style: IdStyle,
    /// How many times each id was given, for the next repeat's count; empty until a
    /// page's second heading, so most pages hash nothing.
    seen: HashMap<String, usize, foldhash::fast::FixedState>,
    first: Option<String>,
}

impl Ids {
    pub fn new(style: IdStyle) -> Ids {
        Ids { style, ..Ids::default() }
    }

    /// The id of the next heading, whose text is `text` as written: runs of ASCII white
    /// space are one space (a soft break, the gap an inline tag leaves), other spaces
    /// are left to the style (github-slugger drops a no-break space, MkDocs' NFKD makes
    /// it a space).
    pub fn next(&mut self, text: &str) -> String {
        let id = self.style.slug(&collapse_ascii_space(text));
        if let Some(first) = self.first.take() {
            self.seen.insert(first, 0);
        }
        if self.seen.is_empty() {
            self.first = Some(id.clone());
            return id;
        }
        // One lookup for a new id, as most are.
        let id = match self.seen.entry(id) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                let id = slot.key().clone();
                slot.insert(0);
                return id;
            }
            std::collections::hash_map::Entry::Occupied(slot) => slot.key().clone(),
        };
        let sep = self.style.repeat_separator();
        loop {
            let count = self.seen.get_mut(&id).expect("present");
            *count += 1;
            let candidate = format!("{id}{sep}{count}");
            if !self.seen.contains_key(&candidate) {
                self.seen.insert(candidate.clone(), 0);
                return candidate;
            }
        }
    }
}

/// `text` trimmed, with each run of ASCII white space one space; borrowed when it is so.
fn collapse_ascii_space(text: &str) -> std::borrow::Cow<'_, str> {
    let trimmed = text.trim_matches(|c: char| c.is_ascii_whitespace());
    let b = trimmed.as_bytes();
    let plain =
        b.iter().all(|c| *c == b' ' || !c.is_ascii_whitespace()) && !b.windows(2).any(|w| w[0] == b' ' && w[1] == b' ');
    if plain {
        return std::borrow::Cow::Borrowed(trimmed);
    }
    let mut out = String::with_capacity(trimmed.len());
    for word in trimmed.split(|c: char| c.is_ascii_whitespace()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    std::borrow::Cow::Owned(out)
}

/// GitHub-style heading slug: lower case, punctuation dropped, spaces to hyphens.
pub fn github(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    github_each(text, |c| {
        out.push(c);
        true
    });
    out
}

/// Whether `github(text)` is `id`, read only as far as they agree: a translated heading
/// is compared with its source's ids, which it differs from at once.
pub fn github_is(text: &str, id: &str) -> bool {
    let mut want = id.chars();
    github_each(text, |c| want.next() == Some(c)) && want.next().is_none()
}

/// Hands the characters of `github(text)` to `f` in order, stopping (false) when it
/// returns false.
fn github_each(text: &str, mut f: impl FnMut(char) -> bool) -> bool {
    // Other than ASCII, a space is dropped like punctuation: github-slugger strips every
    // separator but ` ` (the no-break space of French `Référence : x` too), as GitHub
    // keeps only word characters, `-` and ` `.
    for c in text.trim().chars() {
        // ASCII, most headings' letters, is judged and lowered without a table lookup.
        let go = if c.is_ascii() {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                f(c.to_ascii_lowercase())
            } else if c.is_ascii_whitespace() || c == '\u{0b}' {
                f('-')
            } else {
                true
            }
        } else if is_caseless_letter(c) {
            f(c)
        } else {
            c.to_lowercase().all(|l| !(l.is_alphanumeric() || l == '-' || l == '_') || f(l))
        };
        if !go {
            return false;
        }
    }
    true
}

/// Kana and the common CJK ideographs: letters without case, which `github` keeps as they
/// are without the two table lookups of the general path (a test checks every one).
fn is_caseless_letter(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3041}'..='\u{3096}' | '\u{30a1}'..='\u{30fa}')
}

/// Hugo's goldmark ids (`markup/goldmark/autoid.go`, `sanitizeAnchorNameWithHook`).
fn goldmark(text: &str, ascii_only: bool) -> String {
    let text = text.trim();
    let plain: String = if ascii_only { text.nfkd().filter(char::is_ascii).collect() } else { text.to_string() };
    let mut out = String::with_capacity(plain.len());
    for c in plain.chars() {
        if c == '-' || c == ' ' {
            out.push('-');
        } else if c == '_' || c.is_alphabetic() || c.is_numeric() {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Blackfriday's `SanitizedAnchorName`, which Hugo keeps for `autoHeadingIDType =
/// "blackfriday"` (Kubernetes' setting).
fn blackfriday(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphabetic() || c.is_numeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

/// Python-Markdown's `toc.slugify` (MkDocs' default).
fn mkdocs(text: &str) -> String {
    let ascii: String = text.nfkd().filter(char::is_ascii).collect();
    let kept: String = ascii
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-') || c.is_ascii_whitespace())
        .collect();
    // `re.sub(r"[-\s]+", "-", value)` on the stripped text.
    let mut out = String::with_capacity(kept.len());
    let mut run = false;
    for c in kept.trim().chars() {
        if c == '-' || c.is_ascii_whitespace() {
            if !run {
                out.push('-');
            }
            run = true;
        } else {
            run = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ids as the generators make them, checked against their own output.
    #[test]
    fn each_style_slugs_as_its_generator_does() {
        let cases: &[(IdStyle, &str, &str)] = &[
            (IdStyle::Github, "Compute targets: GPU (Preview)", "compute-targets-gpu-preview"),
            (IdStyle::Github, "What's new in v1.2?", "whats-new-in-v12"),
            (IdStyle::Github, "日本語のテキスト ひらがな", "日本語のテキスト-ひらがな"),
            (IdStyle::Github, "Référence\u{a0}: Convertir", "référence-convertir"),
            (IdStyle::Github, "全角\u{3000}スペース", "全角スペース"),
            (IdStyle::Goldmark, "What's new in v1.2?", "whats-new-in-v12"),
            (IdStyle::Goldmark, "A  -  B", "a-----b"),
            (IdStyle::GoldmarkAscii, "Übersicht über Pods", "ubersicht-uber-pods"),
            // Blackfriday: runs of anything but letters and digits are one hyphen.
            (IdStyle::Blackfriday, "What's new in v1.2?", "what-s-new-in-v1-2"),
            (IdStyle::Blackfriday, "Install kubectl on Linux", "install-kubectl-on-linux"),
            (IdStyle::Blackfriday, "kubectl のインストール", "kubectl-のインストール"),
            (
                IdStyle::Blackfriday,
                "Habilitar el autocompletado en la shell",
                "habilitar-el-autocompletado-en-la-shell",
            ),
            (IdStyle::Blackfriday, "  (Optional) step_one ", "optional-step-one"),
            (IdStyle::Mkdocs, "Crème Brûlée: a  how-to!", "creme-brulee-a-how-to"),
            (IdStyle::Mkdocs, "日本語", ""),
            (IdStyle::Mkdocs, "snake_case -- ok", "snake_case-ok"),
        ];
        for (style, text, id) in cases {
            assert_eq!(style.slug(text), *id, "{style:?} {text:?}");
        }
    }

    #[test]
    fn repeated_headings_get_the_styles_suffix() {
        let ids = |style: IdStyle, texts: &[&str]| {
            let mut ids = Ids::new(style);
            texts.iter().map(|t| ids.next(t)).collect::<Vec<_>>()
        };
        assert_eq!(
            ids(IdStyle::Blackfriday, &["Example", "Example", "Example-1", "Other"]),
            ["example", "example-1", "example-1-1", "other"]
        );
        assert_eq!(ids(IdStyle::Github, &["A", "B", "A"]), ["a", "b", "a-1"]);
        assert_eq!(ids(IdStyle::Mkdocs, &["Usage", "Usage", "Usage"]), ["usage", "usage_1", "usage_2"]);
        // As written: ASCII gaps are one space, a no-break space is the style's.
        assert_eq!(ids(IdStyle::Github, &[" A b  c\n d ", "Référence\u{a0}: x"]), ["a-b-c-d", "référence-x"]);
        assert_eq!(ids(IdStyle::Mkdocs, &["a\u{a0}b"]), ["a-b"]);
    }

    #[test]
    fn styles_are_named_as_sites_name_them() {
        assert_eq!(IdStyle::parse("blackfriday"), Some(IdStyle::Blackfriday));
        assert_eq!(IdStyle::parse("github"), Some(IdStyle::Github));
        assert_eq!(IdStyle::parse("github-ascii"), Some(IdStyle::GoldmarkAscii));
        assert_eq!(IdStyle::parse("klingon"), None);
        assert_eq!(IdStyle::parse("hugo"), None, "a kind of site is its dialect's business");
        for s in [IdStyle::Github, IdStyle::Goldmark, IdStyle::GoldmarkAscii, IdStyle::Blackfriday, IdStyle::Mkdocs] {
            assert_eq!(IdStyle::parse(s.name()), Some(s));
        }
    }

    /// The ASCII shortcut of `github` judges characters as the general test does.
    #[test]
    fn slugs_of_ascii_agree_with_the_general_rule() {
        let slow = |text: &str| {
            let mut out = String::new();
            for c in text.trim().chars().flat_map(char::to_lowercase) {
                if c.is_alphanumeric() || c == '-' || c == '_' {
                    out.push(c);
                } else if c.is_ascii_whitespace() || c == '\u{0b}' {
                    out.push('-');
                }
            }
            out
        };
        let every_ascii: String = (0u8..128).map(char::from).collect();
        for text in [
            every_ascii.as_str(),
            "Compute targets: GPU (Preview)",
            "Ärende – Översikt",
            "a\u{0b}b\u{0c}c\u{1c}d",
            "a\u{a0}: b",
        ] {
            assert_eq!(github(text), slow(text), "{text:?}");
        }
    }

    #[test]
    fn an_id_is_the_slug_or_not() {
        assert!(github_is("Compute targets: GPU (Preview)", "compute-targets-gpu-preview"));
        assert!(github_is("Ärende – Översikt", "ärende--översikt"));
        assert!(!github_is("Ärende – Översikt", "ärende--översik"));
        assert!(!github_is("Ärende", "ärende-"));
        assert!(github_is(" ", ""));
        assert!(!github_is("Voraussetzungen", "prerequisites"));
    }

    #[test]
    fn caseless_letters_are_letters_without_case() {
        for c in ('\u{3041}'..='\u{3096}').chain('\u{30a1}'..='\u{30fa}').chain('\u{4e00}'..='\u{9fff}') {
            assert!(c.is_alphanumeric() && c.to_lowercase().eq([c]), "{c:?}");
            assert!(is_caseless_letter(c));
        }
        assert_eq!(github("日本語のテキスト ひらがな"), "日本語のテキスト-ひらがな");
    }
}
