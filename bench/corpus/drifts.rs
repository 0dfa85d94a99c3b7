//! The drifts the generator can inject into a translation, one entry per kind, each naming the rule that must report it.
//!
//! A drift edits the translation's page model (or how it is written: its path, its
//! front matter, its encoding) in one place, so exactly one rule should fire on that
//! file. To cover a new rule, add an entry to `DRIFTS`: a `fits` test (does this page
//! offer something to break?) and an `apply` that breaks it. A test checks that every
//! entry names a rule of `locdrift::rules::RULES`.

use super::page::{self, Block, Cell, Link, Page, Sentence, Site, Tok, Voice};
use super::Rng;

/// A translation about to be written: the source's model plus how it was broken.
pub struct Translation {
    pub page: Page,
    /// Path under the locale folder; a renamed source leaves the translation behind.
    pub rel: String,
    /// A translator dropped the quotes around a title with a colon.
    pub broken_front_matter: bool,
    /// Someone saved the file in Windows-1252.
    pub not_utf8: bool,
}

impl Translation {
    pub fn of(page: &Page, rel: &str) -> Translation {
        Translation { page: page.clone(), rel: rel.to_string(), broken_front_matter: false, not_utf8: false }
    }

    pub fn render(&self, site: &Site, voice: &Voice, rng: &mut Rng) -> Vec<u8> {
        let mut text = self.page.render(site, voice, rng);
        if self.broken_front_matter {
            let start = text.find("title: \"").expect("every page has a title");
            let end = start + text[start..].find('\n').expect("one line");
            let title = text[start + 8..end - 1].to_string();
            text.replace_range(start..end, &format!("title: Azure: {title}"));
        }
        let mut bytes = text.into_bytes();
        if self.not_utf8 {
            // "é" in Windows-1252: a lone 0xE9 byte, somewhere in the body.
            let at = bytes.len() / 2;
            let at = at + bytes[at..].iter().position(|&b| b == b' ').unwrap_or(0);
            bytes.insert(at, 0xE9);
        }
        bytes
    }
}

pub struct Drift {
    /// The rule that must report it (a name in `locdrift::rules::RULES`).
    pub rule: &'static str,
    /// What the translator (or time) did, for reports.
    pub what: &'static str,
    pub fits: fn(&Page) -> bool,
    pub apply: fn(&mut Translation, &Site, &mut Rng),
}

pub const DRIFTS: &[Drift] = &[
    Drift {
        rule: "stale-link",
        what: "a link in the prose retargeted",
        fits: has_prose_link,
        apply: retarget_prose_link,
    },
    Drift { rule: "stale-link", what: "a table row's key link retargeted", fits: has_table, apply: retarget_row_key },
    Drift { rule: "missing-link", what: "a link in the prose unlinked", fits: has_prose_link, apply: unlink },
    Drift { rule: "extra-link", what: "words of a paragraph linked", fits: has_para, apply: add_link },
    Drift { rule: "row-missing", what: "a table row deleted", fits: has_two_rows, apply: delete_row },
    Drift { rule: "row-extra", what: "a table row added", fits: has_table, apply: add_row },
    Drift { rule: "row-order", what: "two table rows swapped", fits: has_two_rows, apply: swap_rows },
    Drift { rule: "flag-mismatch", what: "a yes/no cell flipped", fits: has_flag_cell, apply: flip_flag },
    Drift {
        rule: "marker-mismatch",
        what: "a (Preview) marker dropped or added",
        fits: has_table,
        apply: toggle_marker,
    },
    Drift { rule: "column-count", what: "a table column deleted", fits: has_table, apply: delete_column },
    Drift { rule: "table-missing", what: "a table deleted", fits: has_table_and_more, apply: delete_table },
    Drift { rule: "table-extra", what: "a table added", fits: has_para, apply: add_table },
    Drift { rule: "missing-note", what: "a note deleted", fits: has_plain_note, apply: delete_note },
    Drift { rule: "extra-note", what: "a note added", fits: has_para, apply: add_note },
    Drift {
        rule: "note-kind-mismatch",
        what: "a note turned into another kind",
        fits: has_note,
        apply: change_note_kind,
    },
    Drift {
        rule: "include-mismatch",
        what: "an include pointed at another file",
        fits: has_include,
        apply: change_include,
    },
    Drift { rule: "front-matter-invalid", what: "front matter YAML broken", fits: always, apply: break_front_matter },
    Drift {
        rule: "orphan-translation",
        what: "the source renamed, the translation left behind",
        fits: always,
        apply: orphan,
    },
    Drift { rule: "io-error", what: "the translation saved in Windows-1252", fits: always, apply: not_utf8 },
];

fn always(_: &Page) -> bool {
    true
}

/// Every sentence of the prose (paragraphs, lists, notes), where page links live.
fn prose_mut(page: &mut Page) -> Vec<&mut Sentence> {
    page.blocks
        .iter_mut()
        .flat_map(|b| match b {
            Block::Para(s) | Block::List(s) | Block::Note { body: s, .. } => s.iter_mut().collect::<Vec<_>>(),
            _ => Vec::new(),
        })
        .collect()
}

fn prose_links(page: &Page) -> usize {
    let mut page = page.clone();
    prose_mut(&mut page).iter().map(|s| s.iter().filter(|t| matches!(t, Tok::Link(_))).count()).sum()
}

fn has_prose_link(page: &Page) -> bool {
    prose_links(page) > 0
}

fn has_para(page: &Page) -> bool {
    page.blocks.iter().any(|b| matches!(b, Block::Para(_)))
}

fn has_table(page: &Page) -> bool {
    page.tables().any(|t| !t.rows.is_empty())
}

/// A table and something else: a page whose one block is its table becomes front matter
/// alone without it, a stub (`untranslated-page`), not a page that lost a table.
fn has_table_and_more(page: &Page) -> bool {
    has_table(page) && page.blocks.len() > 1
}

fn has_two_rows(page: &Page) -> bool {
    page.tables().any(|t| t.rows.len() >= 2)
}

fn has_flag_cell(page: &Page) -> bool {
    page.tables().any(|t| !flag_cells(t).is_empty())
}

fn has_note(page: &Page) -> bool {
    page.blocks.iter().any(|b| matches!(b, Block::Note { .. }))
}

/// A note without links: deleting one with links would also delete links.
fn has_plain_note(page: &Page) -> bool {
    page.blocks.iter().any(is_plain_note)
}

fn is_plain_note(b: &Block) -> bool {
    matches!(b, Block::Note { body, .. } if body.iter().flatten().all(|t| !matches!(t, Tok::Link(_))))
}

fn has_include(page: &Page) -> bool {
    page.blocks.iter().any(|b| matches!(b, Block::Include { .. }))
}

/// Some link target of the site that this page does not use anywhere.
fn fresh_target(page: &Page, site: &Site, rng: &mut Rng) -> String {
    let used = format!("{:?}", page.blocks);
    for _ in 0..64 {
        let t = site.relative(page.index, rng.below(site.pages.len()));
        if !used.contains(&format!("\"{t}\"")) {
            return t;
        }
    }
    // A site too small to offer another page: a page that was renamed away.
    "renamed-overview.md".to_string()
}

/// The nth item among those matching, chosen at random.
fn choose<T>(mut items: Vec<T>, rng: &mut Rng) -> T {
    let k = rng.below(items.len());
    items.swap_remove(k)
}

fn retarget_prose_link(tr: &mut Translation, site: &Site, rng: &mut Rng) {
    let used = format!("{:?}", tr.page.blocks);
    let index = tr.page.index;
    let links: Vec<&mut Link> = prose_mut(&mut tr.page)
        .into_iter()
        .flat_map(|s| s.iter_mut())
        .filter_map(|t| match t {
            Tok::Link(l) => Some(l),
            _ => None,
        })
        .collect();
    let link = choose(links, rng);
    // Another page of the same kind (a renamed article, a moved docs page), as links go
    // stale in practice; a relative link does not turn into a pricing page.
    let kind = page::kind_of(&link.target);
    for _ in 0..64 {
        let target = page::target_of_kind(site, index, rng, kind);
        if !used.contains(&format!("\"{target}\"")) {
            link.target = target;
            return;
        }
    }
    link.target = format!("{}-renamed", link.target.trim_end_matches('/'));
}

fn unlink(tr: &mut Translation, _: &Site, rng: &mut Rng) {
    let mut spots = Vec::new();
    for (si, s) in prose_mut(&mut tr.page).into_iter().enumerate() {
        for (ti, t) in s.iter().enumerate() {
            if matches!(t, Tok::Link(_)) {
                spots.push((si, ti));
            }
        }
    }
    let (si, ti) = choose(spots, rng);
    let mut sentences = prose_mut(&mut tr.page);
    let s = &mut sentences[si];
    if let Tok::Link(l) = s.remove(ti) {
        for (k, w) in l.words.into_iter().enumerate() {
            s.insert(ti + k, Tok::Word(w));
        }
    }
}

fn add_link(tr: &mut Translation, site: &Site, rng: &mut Rng) {
    let target = fresh_target(&tr.page, site, rng);
    let paras: Vec<&mut Vec<Sentence>> = tr
        .page
        .blocks
        .iter_mut()
        .filter_map(|b| match b {
            Block::Para(s) => Some(s),
            _ => None,
        })
        .collect();
    let para = choose(paras, rng);
    let k = rng.below(para.len());
    let s = &mut para[k];
    let at = rng.between(1, s.len() - 1);
    if let Tok::Word(w) = s[at] {
        s[at] = Tok::Link(Link { words: vec![w], target });
    } else {
        s.insert(at, Tok::Link(Link { words: vec![rng.below(1000)], target }));
    }
}

fn tables_mut(page: &mut Page) -> Vec<&mut page::Table> {
    page.blocks
        .iter_mut()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect()
}

fn retarget_row_key(tr: &mut Translation, site: &Site, rng: &mut Rng) {
    let target = fresh_target(&tr.page, site, rng);
    let tables: Vec<_> = tables_mut(&mut tr.page).into_iter().filter(|t| !t.rows.is_empty()).collect();
    let table = choose(tables, rng);
    let k = rng.below(table.rows.len());
    if let Cell::Key(l) = &mut table.rows[k][page::KEY] {
        l.target = target;
    }
}

fn delete_row(tr: &mut Translation, _: &Site, rng: &mut Rng) {
    let tables: Vec<_> = tables_mut(&mut tr.page).into_iter().filter(|t| t.rows.len() >= 2).collect();
    let table = choose(tables, rng);
    let k = rng.below(table.rows.len());
    table.rows.remove(k);
}

fn add_row(tr: &mut Translation, site: &Site, rng: &mut Rng) {
    let index = tr.page.index;
    let tables: Vec<_> = tables_mut(&mut tr.page).into_iter().filter(|t| !t.rows.is_empty()).collect();
    let table = choose(tables, rng);
    let mut keys = table
        .rows
        .iter()
        .filter_map(|r| match &r[page::KEY] {
            Cell::Key(l) => Some(l.target.clone()),
            _ => None,
        })
        .collect();
    // A site of one page has nothing new to key a row with; such a corpus is too small
    // to carry drifts anyway.
    if let Some(row) = page::row(site, index, rng, &mut keys) {
        let at = rng.between(0, table.rows.len());
        table.rows.insert(at, row);
    }
}

fn swap_rows(tr: &mut Translation, _: &Site, rng: &mut Rng) {
    let tables: Vec<_> = tables_mut(&mut tr.page).into_iter().filter(|t| t.rows.len() >= 2).collect();
    let table = choose(tables, rng);
    let k = rng.below(table.rows.len() - 1);
    table.rows.swap(k, k + 1);
}

/// (row, column) of plain yes and empty cells in columns that are flag columns in the
/// source (at least one yes), which is where the linter compares flags.
fn flag_cells(t: &page::Table) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for col in page::FLAGS {
        if !t.rows.iter().any(|r| matches!(r[col], Cell::Yes | Cell::YesLink { .. })) {
            continue;
        }
        if t.rows.iter().any(|r| !matches!(r[col], Cell::Yes | Cell::YesLink { .. } | Cell::No | Cell::Empty)) {
            continue;
        }
        for (k, r) in t.rows.iter().enumerate() {
            if matches!(r[col], Cell::Yes | Cell::Empty) {
                out.push((k, col));
            }
        }
    }
    out
}

fn flip_flag(tr: &mut Translation, _: &Site, rng: &mut Rng) {
    let tables: Vec<_> = tables_mut(&mut tr.page).into_iter().filter(|t| !flag_cells(t).is_empty()).collect();
    let table = choose(tables, rng);
    let (k, col) = choose(flag_cells(table), rng);
    let cell = &mut table.rows[k][col];
    *cell = if *cell == Cell::Yes { Cell::No } else { Cell::Yes };
}

fn toggle_marker(tr: &mut Translation, _: &Site, rng: &mut Rng) {
    let tables: Vec<_> = tables_mut(&mut tr.page).into_iter().filter(|t| !t.rows.is_empty()).collect();
    let table = choose(tables, rng);
    let k = rng.below(table.rows.len());
    if let Cell::Text { preview, .. } = &mut table.rows[k][page::USED_FOR] {
        *preview = if preview.is_some() { None } else { Some(true) };
    }
}

fn delete_column(tr: &mut Translation, _: &Site, rng: &mut Rng) {
    let tables: Vec<_> = tables_mut(&mut tr.page).into_iter().filter(|t| !t.rows.is_empty()).collect();
    let table = choose(tables, rng);
    let col = page::FLAGS[1];
    table.header.remove(col);
    for row in &mut table.rows {
        row.remove(col);
    }
}

fn delete_table(tr: &mut Translation, _: &Site, rng: &mut Rng) {
    let at: Vec<usize> = tr
        .page
        .blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| matches!(b, Block::Table(t) if !t.rows.is_empty()))
        .map(|(k, _)| k)
        .collect();
    let k = choose(at, rng);
    tr.page.blocks.remove(k);
}

fn add_table(tr: &mut Translation, site: &Site, rng: &mut Rng) {
    let table = page::table(site, tr.page.index, rng);
    tr.page.blocks.push(Block::Table(table));
}

fn delete_note(tr: &mut Translation, _: &Site, rng: &mut Rng) {
    let at: Vec<usize> = tr.page.blocks.iter().enumerate().filter(|(_, b)| is_plain_note(b)).map(|(k, _)| k).collect();
    let k = choose(at, rng);
    tr.page.blocks.remove(k);
}

fn add_note(tr: &mut Translation, _: &Site, rng: &mut Rng) {
    let at: Vec<usize> =
        tr.page.blocks.iter().enumerate().filter(|(_, b)| matches!(b, Block::Para(_))).map(|(k, _)| k).collect();
    let k = choose(at, rng);
    let body = vec![(0..rng.between(6, 14)).map(|_| Tok::Word(rng.below(1000))).collect()];
    tr.page.blocks.insert(k + 1, Block::Note { kind: "NOTE", body });
}

fn change_note_kind(tr: &mut Translation, _: &Site, rng: &mut Rng) {
    let kinds: Vec<&mut &'static str> = tr
        .page
        .blocks
        .iter_mut()
        .filter_map(|b| match b {
            Block::Note { kind, .. } => Some(kind),
            _ => None,
        })
        .collect();
    let kind = choose(kinds, rng);
    *kind = if *kind == "NOTE" { "IMPORTANT" } else { "NOTE" };
}

fn change_include(tr: &mut Translation, site: &Site, rng: &mut Rng) {
    let index = tr.page.index;
    let paths: Vec<&mut String> = tr
        .page
        .blocks
        .iter_mut()
        .filter_map(|b| match b {
            Block::Include { path, .. } => Some(path),
            _ => None,
        })
        .collect();
    let path = choose(paths, rng);
    for _ in 0..16 {
        let other = site.relative(index, site.includes[rng.below(site.includes.len())]);
        if other != *path {
            *path = other;
            return;
        }
    }
    // A site with a single include: point at a file that is not there (a rename).
    path.insert_str(path.len() - 3, "-v2");
}

fn break_front_matter(tr: &mut Translation, _: &Site, _: &mut Rng) {
    tr.broken_front_matter = true;
}

fn orphan(tr: &mut Translation, _: &Site, _: &mut Rng) {
    let (dir, name) = tr.rel.rsplit_once('/').unwrap_or(("", &tr.rel));
    tr.rel = format!("{dir}/previous-{name}");
}

fn not_utf8(tr: &mut Translation, _: &Site, _: &mut Rng) {
    tr.not_utf8 = true;
}
