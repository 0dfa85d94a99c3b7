//! The page model of the generated corpus and its rendering as Markdown in one voice (language).
//!
//! A page is planned first (path, title, anchors) for the whole site, so links and
//! includes point at files and anchors that exist; then its blocks are drawn. The same
//! model renders the English source and, with another `Voice`, each translation.

use locdrift::model::CellValue;
use locdrift::vocab::Vocab;

use super::words::{self, LocaleWords};
use super::Rng;

/// What every page of the site is called and where, known before any page is written.
pub struct Site {
    pub pages: Vec<PagePlan>,
    /// Indices of the include files, which other pages pull in.
    pub includes: Vec<usize>,
}

pub struct PagePlan {
    /// Path under the locale folder: `articles/storage/how-to-scale.md`, `includes/x.md`.
    pub rel: String,
    pub title: Vec<usize>,
    /// Explicit `<a name>` anchors of its sections.
    pub anchors: Vec<String>,
    pub service: &'static str,
    pub include: bool,
}

impl Site {
    pub fn plan(count: usize, seed: u64) -> Site {
        let mut rng = Rng::new(seed.wrapping_mul(0x2545_f491_4f6c_dd1d) ^ 0x5851_f42d);
        let mut taken = std::collections::HashSet::new();
        let mut pages = Vec::with_capacity(count);
        let mut includes = Vec::new();
        for i in 0..count {
            // One page in five is an include, like the compute-target tables of the seeds.
            let include = i % 5 == 4;
            let service = rng.pick(words::SERVICES);
            let mut name = slug(&mut rng, 2, 4);
            if include {
                name = format!("{}-{name}", &service[..service.find('-').unwrap_or(service.len())]);
            }
            let dir = if include {
                "includes".to_string()
            } else if rng.chance(0.3) {
                format!("articles/{service}/{}", rng.pick(&["how-to", "concepts", "tutorials", "reference"]))
            } else {
                format!("articles/{service}")
            };
            let mut rel = format!("{dir}/{name}.md");
            let mut n = 2;
            while !taken.insert(rel.clone()) {
                rel = format!("{dir}/{name}-{n}.md");
                n += 1;
            }
            let title = (0..rng.between(3, 7)).map(|_| rng.below(1000)).collect();
            // Include files are a table and notes, without headings to anchor to.
            let anchors =
                if include { Vec::new() } else { (0..rng.between(0, 3)).map(|_| slug(&mut rng, 1, 3)).collect() };
            if include {
                includes.push(i);
            }
            pages.push(PagePlan { rel, title, anchors, service, include });
        }
        Site { pages, includes }
    }

    /// A link from one page to another, relative as Microsoft Docs writes them.
    pub fn relative(&self, from: usize, to: usize) -> String {
        relative(&self.pages[from].rel, &self.pages[to].rel)
    }
}

fn slug(rng: &mut Rng, min: usize, max: usize) -> String {
    (0..rng.between(min, max)).map(|_| rng.pick(words::SLUG_WORDS)).collect::<Vec<_>>().join("-")
}

/// `articles/a/x.md` -> `includes/y.md` is `../../includes/y.md`.
pub fn relative(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut out = "../".repeat(from_dirs.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

/// A piece of a sentence. Words are indices into a voice's bank; numbers, code spans and
/// link targets are written the same in every language.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Word(usize),
    Num(&'static str),
    Code(&'static str),
    Link(Link),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub words: Vec<usize>,
    pub target: String,
}

pub type Sentence = Vec<Tok>;

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading { level: usize, anchor: Option<String>, words: Vec<usize> },
    Para(Vec<Sentence>),
    List(Vec<Sentence>),
    Table(Table),
    Note { kind: &'static str, body: Vec<Sentence> },
    Include { name: String, path: String },
    Code { lang: &'static str, text: &'static str },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub header: Vec<Vec<usize>>,
    pub rows: Vec<Vec<Cell>>,
}

/// Column roles of the compute-target table: key, "Used for", GPU, FPGA, description.
pub const KEY: usize = 0;
pub const USED_FOR: usize = 1;
pub const FLAGS: [usize; 2] = [2, 3];

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// The row's key: a link to the page the row is about.
    Key(Link),
    /// Words, with a `(Preview)` marker before (`Some(true)`) or after them.
    Text {
        words: Vec<usize>,
        preview: Option<bool>,
    },
    Yes,
    No,
    /// `[Yes](link) (words)`, as in the GPU column of the seeds.
    YesLink {
        target: String,
        words: Vec<usize>,
    },
    Prose(Sentence),
    Empty,
}

/// One generated page: front matter values and blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub index: usize,
    pub description: Vec<usize>,
    pub author: (&'static str, &'static str),
    pub topic: &'static str,
    pub date: String,
    pub blocks: Vec<Block>,
}

const NUMBERS: &[&str] = &["48 GB", "4", "16", "1 GB", "2", "100", "8 vCPU", "30", "64 GB", "1,000", "3.5", "12"];
const CODES: &[&str] =
    &["az ml", "AmlCompute", "STANDARD_NC6", "ws.compute_targets", "kubectl get pods", "--min-instances"];
const NOTE_KINDS: &[&str] = &["NOTE", "NOTE", "NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"];

impl Page {
    pub fn build(site: &Site, index: usize, rng: &mut Rng) -> Page {
        let plan = &site.pages[index];
        let (m, d, y) = (rng.between(1, 12), rng.between(1, 28), rng.between(2018, 2024));
        let mut page = Page {
            index,
            description: words(rng, 8, 16),
            author: rng.pick(words::AUTHORS),
            topic: if plan.include { "include" } else { rng.pick(&["conceptual", "how-to", "tutorial", "reference"]) },
            date: format!("{m:02}/{d:02}/{y}"),
            blocks: Vec::new(),
        };
        let b = &mut page.blocks;
        if plan.include {
            b.push(Block::Table(table(site, index, rng)));
            for _ in 0..rng.between(0, 2) {
                b.push(note(site, index, rng));
            }
            if rng.chance(0.3) {
                b.push(Block::Para(para(site, index, rng)));
            }
            return page;
        }
        b.push(Block::Heading { level: 1, anchor: None, words: plan.title.clone() });
        b.push(Block::Para(para(site, index, rng)));
        if rng.chance(0.5) {
            b.extend(include(site, index, rng));
        }
        let mut anchors = plan.anchors.iter();
        for _ in 0..rng.between(2, 5) {
            let anchor = if rng.chance(0.6) { anchors.next().cloned() } else { None };
            b.push(Block::Heading { level: rng.between(2, 3), anchor, words: words(rng, 2, 6) });
            for _ in 0..rng.between(1, 4) {
                let block = match rng.below(40) {
                    0..=22 => Block::Para(para(site, index, rng)),
                    23..=27 => Block::List((0..rng.between(2, 5)).map(|_| sentence(site, index, rng)).collect()),
                    28..=29 => Block::Table(table(site, index, rng)),
                    30..=33 => note(site, index, rng),
                    34..=37 => {
                        let (lang, text) = rng.pick(words::LANGUAGES);
                        Block::Code { lang, text }
                    }
                    _ => match include(site, index, rng) {
                        Some(block) => block,
                        None => Block::Para(para(site, index, rng)),
                    },
                };
                b.push(block);
            }
        }
        // Sections whose anchors were not used still get them, so every planned anchor exists.
        for anchor in anchors {
            b.push(Block::Heading { level: 2, anchor: Some(anchor.clone()), words: words(rng, 2, 5) });
            b.push(Block::Para(para(site, index, rng)));
        }
        page
    }

    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
    }

    /// Renders the page in a voice. `rng` varies only the wording (sentence lengths of
    /// the translation), never what must match the source.
    pub fn render(&self, site: &Site, voice: &Voice, rng: &mut Rng) -> String {
        let plan = &site.pages[self.index];
        let mut out = String::with_capacity(4096);
        out.push_str("---\n");
        let title = voice.phrase(&plan.title, rng);
        out.push_str(&format!("title: \"{title}\"\n"));
        out.push_str(&format!("description: \"{}\"\n", voice.phrase(&self.description, rng)));
        out.push_str(&format!("services: {}\nauthor: {}\nms.service: {}\n", plan.service, self.author.0, plan.service));
        out.push_str(&format!(
            "ms.author: {}\nmanager: cgronlund\nms.topic: {}\nms.date: {}\n",
            self.author.1, self.topic, self.date
        ));
        if let Some(l) = voice.words {
            let hash =
                |rng: &mut Rng| format!("{:016x}{:016x}{:08x}", rng.next_u64(), rng.next_u64(), rng.next_u64() as u32);
            out.push_str(&format!("ms.openlocfilehash: {}\nms.sourcegitcommit: {}\n", hash(rng), hash(rng)));
            out.push_str(&format!("ms.translationtype: MT\nms.contentlocale: {}\n", l.content_locale));
            out.push_str(&format!(
                "ms.lasthandoff: {:02}/{:02}/2020\nms.locfileid: \"{}\"\n",
                rng.between(1, 12),
                rng.between(1, 28),
                70_000_000 + rng.below(9_999_999)
            ));
        }
        out.push_str("---\n\n");
        for block in &self.blocks {
            voice.block(block, &mut out, rng);
            out.push('\n');
        }
        out
    }
}

fn words(rng: &mut Rng, min: usize, max: usize) -> Vec<usize> {
    (0..rng.between(min, max)).map(|_| rng.below(1000)).collect()
}

fn link(site: &Site, from: usize, rng: &mut Rng) -> Link {
    let kind = rng.below(10);
    Link { target: target_of_kind(site, from, rng, kind), words: words(rng, 1, 4) }
}

/// A link target of one of four kinds, as drawn by `link`: 0..=5 relative, 6..=7 on the
/// docs site, 8 on Learn, else a pricing page.
pub fn target_of_kind(site: &Site, from: usize, rng: &mut Rng, kind: usize) -> String {
    let to = rng.below(site.pages.len());
    let plan = &site.pages[to];
    match kind {
        0..=5 => {
            let mut t = site.relative(from, to);
            if !plan.anchors.is_empty() && rng.chance(0.4) {
                t.push('#');
                t.push_str(&plan.anchors[rng.below(plan.anchors.len())]);
            }
            t
        }
        6..=7 => format!("/azure/{}/{}", plan.service, slug(rng, 2, 3)),
        8 => format!("https://learn.microsoft.com/en-us/azure/{}/{}", plan.service, slug(rng, 2, 4)),
        _ => format!("https://azure.microsoft.com/pricing/details/{}/", plan.service),
    }
}

/// The kind (`target_of_kind`) of a target.
pub fn kind_of(target: &str) -> usize {
    if target.starts_with("https://learn.") {
        8
    } else if target.starts_with("https://") {
        9
    } else if target.starts_with('/') {
        6
    } else {
        0
    }
}

pub fn sentence(site: &Site, from: usize, rng: &mut Rng) -> Sentence {
    let mut s: Sentence = (0..rng.between(5, 14)).map(|_| Tok::Word(rng.below(1000))).collect();
    let len = s.len();
    if rng.chance(0.35) {
        s.insert(rng.between(1, len - 1), Tok::Link(link(site, from, rng)));
    }
    if rng.chance(0.2) {
        s.insert(rng.between(1, len - 1), Tok::Num(rng.pick(NUMBERS)));
    }
    if rng.chance(0.1) {
        s.insert(rng.between(1, len - 1), Tok::Code(rng.pick(CODES)));
    }
    s
}

fn para(site: &Site, from: usize, rng: &mut Rng) -> Vec<Sentence> {
    (0..rng.between(1, 4)).map(|_| sentence(site, from, rng)).collect()
}

fn note(site: &Site, from: usize, rng: &mut Rng) -> Block {
    Block::Note {
        kind: rng.pick(NOTE_KINDS),
        body: (0..rng.between(1, 2)).map(|_| sentence(site, from, rng)).collect(),
    }
}

/// An `[!INCLUDE]` of one of the site's include files; a site too small to have any has none.
fn include(site: &Site, from: usize, rng: &mut Rng) -> Option<Block> {
    if site.includes.is_empty() {
        return None;
    }
    let to = site.includes[rng.below(site.includes.len())];
    let name = site.pages[to].rel.rsplit('/').next().unwrap_or("").trim_end_matches(".md").to_string();
    Some(Block::Include { name, path: site.relative(from, to) })
}

pub fn table(site: &Site, from: usize, rng: &mut Rng) -> Table {
    let header = (0..5).map(|_| words(rng, 1, 3)).collect();
    let mut rows = Vec::new();
    let mut keys = std::collections::HashSet::new();
    for _ in 0..rng.between(3, 8) {
        if let Some(row) = row(site, from, rng, &mut keys) {
            rows.push(row);
        }
    }
    // Most flag columns have at least one yes, as a GPU column does; a column without
    // one is not recognized as a flag column, which the corpus should exercise too.
    for col in FLAGS {
        let has_yes = rows.iter().any(|r| matches!(r[col], Cell::Yes | Cell::YesLink { .. }));
        if !has_yes && rng.chance(0.8) {
            if let Some(row) = rows.first_mut() {
                row[col] = Cell::Yes;
            }
        }
    }
    Table { header, rows }
}

/// A row whose key links a page not yet keyed in this table (keys are unique, as the
/// services of a compute-target table are).
pub fn row(site: &Site, from: usize, rng: &mut Rng, keys: &mut std::collections::HashSet<String>) -> Option<Vec<Cell>> {
    let mut key = None;
    for _ in 0..8 {
        let to = rng.below(site.pages.len());
        let target = site.relative(from, to);
        if keys.insert(target.clone()) {
            key = Some(Link { words: site.pages[to].title.clone(), target });
            break;
        }
    }
    let key = key?;
    let flag = |rng: &mut Rng| match rng.below(10) {
        0..=5 => Cell::Empty,
        6..=7 => Cell::Yes,
        8 => Cell::YesLink { target: link(site, from, rng).target, words: words(rng, 2, 4) },
        _ => Cell::No,
    };
    let preview = if rng.chance(0.25) { Some(rng.chance(0.7)) } else { None };
    Some(vec![
        Cell::Key(key),
        Cell::Text { words: words(rng, 1, 3), preview },
        flag(rng),
        flag(rng),
        if rng.chance(0.1) { Cell::Empty } else { Cell::Prose(sentence_without_links(rng)) },
    ])
}

fn sentence_without_links(rng: &mut Rng) -> Sentence {
    let mut s: Sentence = (0..rng.between(5, 14)).map(|_| Tok::Word(rng.below(1000))).collect();
    if rng.chance(0.3) {
        let at = rng.between(1, s.len() - 1);
        s.insert(at, Tok::Num(rng.pick(NUMBERS)));
    }
    s
}

/// A language to render in: its words, yes/no words and preview marker.
pub struct Voice {
    pub locale: &'static str,
    /// None for the English source.
    pub words: Option<&'static LocaleWords>,
    bank: Vec<&'static str>,
    spaced: bool,
    full_stop: &'static str,
    yes: String,
    no: String,
    preview: String,
}

impl Voice {
    pub fn english() -> Voice {
        Voice::new("en-us", None, words::ENGLISH, true, ".")
    }

    pub fn for_locale(locale: &'static str) -> Voice {
        let l = words::LOCALE_WORDS.iter().find(|w| w.locale == locale).expect("every locale has words");
        Voice::new(locale, Some(l), l.words, l.spaced, l.full_stop)
    }

    fn new(
        locale: &'static str,
        l: Option<&'static LocaleWords>,
        bank: &[&'static str],
        spaced: bool,
        stop: &'static str,
    ) -> Voice {
        let vocab = Vocab::builtin();
        let lang = vocab.language_for(locale).expect("every corpus locale has a vocabulary");
        // A word that a vocabulary reads as yes, no or a term would change what a cell
        // means when it starts one; a faithful translation never does that.
        let bank = bank
            .iter()
            .copied()
            .filter(|w| {
                vocab.classify(w) == CellValue::Text
                    && vocab.classify(&format!("{w} x")) == CellValue::Text
                    && vocab.markers(&format!("({w})"), 0).is_empty()
            })
            .collect();
        Voice {
            locale,
            words: l,
            bank,
            spaced,
            full_stop: stop,
            yes: lang.yes[0].clone(),
            no: lang.no[0].clone(),
            preview: lang.markers["preview"][0].clone(),
        }
    }

    fn word(&self, i: usize) -> &'static str {
        self.bank[i % self.bank.len()]
    }

    fn join(&self) -> &'static str {
        if self.spaced {
            " "
        } else {
            ""
        }
    }

    /// Words as a phrase; a translation sometimes says it in more or fewer words.
    pub fn phrase(&self, ids: &[usize], rng: &mut Rng) -> String {
        let mut out: Vec<&str> = Vec::with_capacity(ids.len() + 1);
        for &i in ids {
            out.push(self.word(i));
            if self.words.is_some() && rng.chance(0.15) {
                out.push(self.word(i / 7 + 3));
            }
        }
        capitalize(&out.join(self.join()))
    }

    fn sentence(&self, s: &Sentence, rng: &mut Rng) -> String {
        let mut out = String::new();
        for (k, tok) in s.iter().enumerate() {
            if k > 0 && (self.spaced || !matches!(tok, Tok::Word(_))) {
                out.push(' ');
            }
            match tok {
                Tok::Word(i) => out.push_str(self.word(*i)),
                Tok::Num(n) => out.push_str(n),
                Tok::Code(c) => {
                    out.push('`');
                    out.push_str(c);
                    out.push('`');
                }
                Tok::Link(l) => out.push_str(&self.link(l, rng)),
            }
        }
        let mut out = capitalize(&out);
        out.push_str(self.full_stop);
        out
    }

    fn link(&self, l: &Link, rng: &mut Rng) -> String {
        format!("[{}]({})", self.phrase(&l.words, rng), self.target(&l.target))
    }

    /// Localization moves absolute Learn links to the locale's site on purpose.
    fn target(&self, target: &str) -> String {
        target.replace("/en-us/", &format!("/{}/", self.locale))
    }

    fn block(&self, block: &Block, out: &mut String, rng: &mut Rng) {
        match block {
            Block::Heading { level, anchor, words } => {
                out.push_str(&"#".repeat(*level));
                out.push(' ');
                if let Some(a) = anchor {
                    out.push_str(&format!("<a name=\"{a}\"></a>"));
                }
                out.push_str(&self.phrase(words, rng));
                out.push('\n');
            }
            Block::Para(sentences) => {
                let text: Vec<String> = sentences.iter().map(|s| self.sentence(s, rng)).collect();
                out.push_str(&text.join(self.join()));
                out.push('\n');
            }
            Block::List(items) => {
                for s in items {
                    out.push_str("- ");
                    out.push_str(&self.sentence(s, rng));
                    out.push('\n');
                }
            }
            Block::Table(t) => self.table(t, out, rng),
            Block::Note { kind, body } => {
                out.push_str(&format!("> [!{kind}]\n"));
                for (k, s) in body.iter().enumerate() {
                    if k > 0 {
                        out.push_str(">\n");
                    }
                    out.push_str("> ");
                    out.push_str(&self.sentence(s, rng));
                    out.push('\n');
                }
            }
            Block::Include { name, path } => out.push_str(&format!("[!INCLUDE [{name}]({path})]\n")),
            Block::Code { lang, text } => out.push_str(&format!("```{lang}\n{text}```\n")),
        }
    }

    fn table(&self, t: &Table, out: &mut String, rng: &mut Rng) {
        let header: Vec<String> = t.header.iter().map(|w| self.phrase(w, rng)).collect();
        out.push_str(&format!("| {} |\n", header.join(" | ")));
        out.push_str(&format!("|{}\n", " ----- |".repeat(header.len())));
        for row in &t.rows {
            out.push('|');
            for cell in row {
                out.push(' ');
                out.push_str(&self.cell(cell, rng));
                out.push_str(" |");
            }
            // Microsoft tables often leave off the closing pipe (seeds/004_*).
            if rng.chance(0.2) {
                out.pop();
            }
            out.push('\n');
        }
    }

    fn cell(&self, cell: &Cell, rng: &mut Rng) -> String {
        match cell {
            Cell::Key(l) => {
                let text = self.phrase(&l.words, rng);
                let text = if self.spaced && rng.chance(0.3) { text.replace(' ', "&nbsp;") } else { text };
                format!("[{text}]({})", self.target(&l.target))
            }
            Cell::Text { words, preview } => {
                let text = self.phrase(words, rng);
                match preview {
                    Some(true) => format!("({}) {text}", self.preview),
                    Some(false) => format!("{text} ({})", self.preview),
                    None => text,
                }
            }
            Cell::Yes => self.yes.clone(),
            Cell::No => self.no.clone(),
            Cell::YesLink { target, words } => {
                format!("[{}]({}) ({})", self.yes, self.target(target), self.phrase(words, rng).to_lowercase())
            }
            Cell::Prose(s) => self.sentence(s, rng),
            Cell::Empty => "&nbsp;".to_string(),
        }
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
