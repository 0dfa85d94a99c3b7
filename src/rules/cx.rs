//! The comparison context every rule reads: both documents, and the alignments of their
//! tables, rows, links, notes and paragraphs, computed once per pair.

use crate::align::{self, Pair};
use crate::model::{Alert, Block, Cell, CellValue, Doc, Link, Marker, Number, Paragraph, Row, RowKey, Table};
use crate::settings::Settings;
use crate::suppress::Suppressions;
use crate::tables::Role;
use crate::vocab::Vocab;

use super::key;
use crate::targets::{link_similarity, page_stem, split_fragment};

/// A source table, its translation and how their rows pair up.
pub struct TablePair<'a> {
    /// The source table's position among the source's tables (0-based): the stable part
    /// of a structural key, since the source does not move when the translation is edited.
    pub index: usize,
    pub src: &'a Table,
    pub tr: &'a Table,
    pub rows: Vec<Pair>,
    /// Per source column: key, flag, term or text (from a table schema, else inferred),
    /// worked out when first asked (`role`): rules ask only about cells that could
    /// make a finding, which most tables have none of.
    roles: std::cell::OnceCell<Vec<Role>>,
    /// `changed_cells`, found when first asked.
    changed: std::cell::OnceCell<Vec<(usize, usize, usize)>>,
    /// What the cells' values, numbers and markers are read from (`CellView`).
    src_text: &'a str,
    tr_text: &'a str,
    vocab: &'a Vocab,
}

/// A cell with its page's text and the vocabulary, which its value, numbers and markers
/// are worked out from when first asked; the cell's own fields through `Deref`.
#[derive(Clone, Copy)]
pub struct CellView<'a> {
    pub cell: &'a Cell,
    text: &'a str,
    vocab: &'a Vocab,
}

impl<'a> CellView<'a> {
    pub fn value(&self) -> &'a CellValue {
        crate::parse::cell_value(self.cell, self.vocab)
    }

    pub fn numbers(&self) -> &'a [Number] {
        crate::parse::cell_numbers(self.cell, self.text)
    }

    pub fn markers(&self) -> &'a [Marker] {
        crate::parse::cell_markers(self.cell, self.text, self.vocab)
    }
}

impl std::ops::Deref for CellView<'_> {
    type Target = Cell;

    fn deref(&self) -> &Cell {
        self.cell
    }
}

impl<'a> TablePair<'a> {
    /// Rows present on both sides, as (source row, translation row).
    pub fn paired_rows(&self) -> impl Iterator<Item = (&'a Row, &'a Row)> + '_ {
        let (src, tr) = (self.src, self.tr);
        self.rows.iter().filter_map(move |p| match *p {
            Pair::Same(i, j) | Pair::Changed(i, j) | Pair::Moved(i, j) => Some((&src.rows[i], &tr.rows[j])),
            _ => None,
        })
    }

    /// Cells of the rows present on both sides whose Markdown or visible text differ,
    /// column by column, as (source row, column, source cell, translation cell); none
    /// when the column counts differ, since cells then cannot be matched by position.
    /// Cells alike in both have the same value, numbers and markers: the rules comparing
    /// those skip them unread.
    pub fn changed_cells(&self) -> impl Iterator<Item = (&'a Row, usize, CellView<'a>, CellView<'a>)> + '_ {
        self.changed.get_or_init(|| self.find_changed()).iter().map(move |&(i, j, col)| {
            let s_row = &self.src.rows[i];
            (
                s_row,
                col,
                self.view(&s_row.cells[col], self.src_text),
                self.view(&self.tr.rows[j].cells[col], self.tr_text),
            )
        })
    }

    /// For `changed_cells`, once for all the rules that read them: (source row,
    /// translation row, column).
    fn find_changed(&self) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        if !self.same_shape() {
            return out;
        }
        for p in &self.rows {
            let (Pair::Same(i, j) | Pair::Changed(i, j) | Pair::Moved(i, j)) = *p else { continue };
            for (col, (s, t)) in self.src.rows[i].cells.iter().zip(&self.tr.rows[j].cells).enumerate() {
                if s.text != t.text || self.src_text[s.span.start..s.span.end] != self.tr_text[t.span.start..t.span.end]
                {
                    out.push((i, j, col));
                }
            }
        }
        out
    }

    /// A cell of this pair with the page text it is read from (`src_text` or `tr_text`).
    fn view<'c>(&self, cell: &'c Cell, text: &'c str) -> CellView<'c>
    where
        'a: 'c,
    {
        CellView { cell, text, vocab: self.vocab }
    }

    /// The last translation row aligned before step `upto` of `rows`: where something the
    /// translation lacks at that step belongs.
    pub fn tr_row_before(&self, upto: usize) -> Option<usize> {
        self.rows[..upto].iter().rev().find_map(|p| match *p {
            Pair::Same(_, j) | Pair::Changed(_, j) | Pair::Extra(j) => Some(j),
            Pair::Moved(..) | Pair::Missing(_) => None,
        })
    }

    /// Cells can only be compared column by column when the columns agree.
    pub fn same_shape(&self) -> bool {
        self.src.columns() == self.tr.columns()
    }

    pub fn role(&self, col: usize) -> Role {
        self.roles.get_or_init(|| crate::tables::roles(self.src, self.vocab)).get(col).copied().unwrap_or(Role::Text)
    }

    /// The source header of a column, which names it in messages ("GPU support").
    pub fn column_name(&self, col: usize) -> String {
        self.src
            .header
            .get(col)
            .map(|c| c.text.clone())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| format!("column {}", col + 1))
    }
}

/// Links of one scope (the prose of the page, or one table cell) on both sides.
pub struct LinkGroup<'a> {
    /// The cell of a cell's group (table index, row key, column), `None` for the prose;
    /// its structural key is only spelled out for a finding (`key`).
    pub cell: Option<(usize, &'a RowKey, usize)>,
    pub src: &'a [Link],
    pub tr: &'a [Link],
    pub pairs: Vec<Pair>,
    /// The translation cell a cell's group belongs to, where a link missing from it is
    /// reported when the cell has no link of its own; `None` for the page's prose.
    pub place: Option<crate::finding::Span>,
}

/// What a rule sees: both documents, their texts, the settings and shared alignments.
pub struct Cx<'a> {
    pub src: &'a Doc,
    pub tr: &'a Doc,
    pub src_text: &'a str,
    pub tr_text: &'a str,
    pub locale: &'a str,
    pub settings: &'a Settings,
    /// How source tables pair with translation tables, by order.
    pub table_order: Vec<Pair>,
    pub tables: Vec<TablePair<'a>>,
    /// The link groups (the prose, then each cell with links) where some link does not
    /// pair with its counterpart in place: a group whose links all do, as most cells',
    /// has nothing for the link rules, and is left out.
    pub links: Vec<LinkGroup<'a>>,
    /// The translation's suppression comments; `engine::lint` records which were used.
    pub suppressions: Suppressions,
    /// Paragraphs paired by section and position (only where a section has as many
    /// paragraphs on both sides, so the pairing is certain).
    pub paragraphs: Vec<(&'a Paragraph, &'a Paragraph)>,
    /// Where the files are, when linting a tree; `None` for pure text-in/findings-out runs.
    pub files: Option<&'a Files<'a>>,
    /// The alerts of both documents, in order, and how they pair (`note_pairs`): six
    /// rules read them.
    pub src_alerts: Vec<&'a Alert>,
    pub tr_alerts: Vec<&'a Alert>,
    pub notes: Vec<Pair>,
    /// Both pages' skeletons and their block alignment, built when a rule first asks
    /// (`blocks`).
    blocks: std::cell::OnceCell<crate::skeleton::Alignment<'a>>,
    /// The source's skeleton, shared by the source's translations (`engine::Source`).
    src_side: &'a crate::skeleton::Shared,
    /// untranslated-page's verdict, which every per-block rule asks first
    /// (`untranslated_page::stub`): judged once per pair, not once per rule.
    pub(crate) stub: std::cell::OnceCell<Option<(usize, usize)>>,
}

/// Root-relative paths of the pair and what can be asked about the tree around them.
pub struct Files<'a> {
    pub workspace: &'a dyn Workspace,
    /// Root-relative path of the source, with `/`.
    pub source: &'a str,
    /// Root-relative path of the translation, with `/`.
    pub translation: &'a str,
}

/// Questions rules may ask about the tree. The driver answers them from the file system
/// and git; rules never do I/O themselves, and never see anything outside the root.
pub trait Workspace: Sync {
    /// Whether a root-relative path names an existing file inside the root.
    fn exists(&self, rel: &str) -> bool;
    /// Whether a root-relative Markdown file has an anchor (a heading slug or an explicit
    /// anchor, as `parse::anchors` names them) equal to `fragment` ignoring ASCII case;
    /// `None` when the file cannot be read. What `broken-anchor` asks of a linked page:
    /// one answer, so the tree can keep pages' anchors compactly and the cache record a
    /// flag rather than a list.
    fn has_anchor(&self, rel: &str, fragment: &str) -> Option<bool>;
    /// The page a folder of the site's routes (`links::Route`, `dir` root-relative with
    /// the part of the path above the site's root) serves at `path`, the URL path below
    /// the route's base without slashes at either end (empty for the base itself); `None`
    /// when no page of the folder is served there. The answer takes every page of the
    /// folder into account, as the site builds its routes: Docusaurus drops numbered
    /// prefixes and moves a page to its front matter's `slug:` or `id:`, Starlight to its
    /// `slug:`; so a page's file path is not its URL once another says otherwise. A tree
    /// that knows no routes serves nothing.
    fn served(&self, _dir: &str, _path: &str) -> Option<String> {
        None
    }
    /// Whether a file changed in commits after `commit` (`None` when unknown).
    fn changed_since(&self, rel: &str, commit: &str) -> Option<bool>;
    /// The checkout's HEAD commit, which every `changed_since` answer depends on: the
    /// cache trusts a recorded answer without asking again while HEAD stays.
    fn head_commit(&self) -> Option<&str> {
        None
    }
    /// What every translation of a source records about the source version it was made
    /// from (Microsoft's `ms.openlocfilehash`), to tell which ones are behind.
    fn peers(&self, _source: &str) -> Vec<Peer> {
        Vec::new()
    }
    /// The source version the translation was made from (`sync::SyncPoint`): the one a
    /// recorded `stamp` names, else the newest version of the source since the
    /// translation appeared whose signature the translation's `signature` matches (or
    /// comes closest to). `None` without history to tell.
    fn sync_point(
        &self,
        _source: &str,
        _translation: &str,
        _signature: &crate::sync::Signature,
        _stamp: Option<&str>,
    ) -> Option<crate::sync::SyncPoint> {
        None
    }
}

/// One translation of a source, as its front matter records its hand-off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    pub locale: String,
    /// `ms.openlocfilehash`: equal for translations made from the same source version.
    pub hash: String,
    pub date: Option<String>,
}

impl<'a> Cx<'a> {
    pub fn new(
        src: &'a Doc,
        tr: &'a Doc,
        src_text: &'a str,
        tr_text: &'a str,
        locale: &'a str,
        settings: &'a Settings,
        src_side: &'a crate::skeleton::Shared,
    ) -> Cx<'a> {
        let src_tables: Vec<&Table> = src.tables().collect();
        let tr_tables: Vec<&Table> = tr.tables().collect();
        let table_order = if src_tables.len() == tr_tables.len() {
            (0..src_tables.len()).map(|i| Pair::Changed(i, i)).collect()
        } else {
            let (src_sections, tr_sections) = (table_sections(src), table_sections(tr));
            let src_items: Vec<(&Table, &[String])> =
                src_tables.iter().copied().zip(src_sections.iter().map(Vec::as_slice)).collect();
            let tr_items: Vec<(&Table, &[String])> =
                tr_tables.iter().copied().zip(tr_sections.iter().map(Vec::as_slice)).collect();
            align::pairs(
                &src_items,
                &tr_items,
                |_, _| false,
                |(a, sa), (b, sb)| {
                    // Tables under the same heading (its slug or an explicit anchor the
                    // translation kept) are the same table, whatever their rows say.
                    let section = if sa.iter().any(|x| sb.contains(x)) { 0.5 } else { 0.0 };
                    table_similarity(a, b) + section
                },
            )
        };
        let tables: Vec<TablePair> = table_order
            .iter()
            .filter_map(|p| match *p {
                Pair::Changed(i, j) | Pair::Same(i, j) | Pair::Moved(i, j) => Some((i, src_tables[i], tr_tables[j])),
                _ => None,
            })
            .map(|(index, s, t)| {
                let mut table = TablePair {
                    index,
                    src: s,
                    tr: t,
                    rows: Vec::new(),
                    roles: std::cell::OnceCell::new(),
                    changed: std::cell::OnceCell::new(),
                    src_text,
                    tr_text,
                    vocab: &settings.vocab,
                };
                let mut rows = align::pairs(&s.rows, &t.rows, same_row, |a, b| row_similarity(&table, a, b));
                pair_lone_text_rows(s, t, &mut rows);
                rows.retain(|p| *p != Pair::Missing(usize::MAX));
                table.rows = rows;
                table
            })
            .collect();
        let spelling = Spelling {
            site: &settings.site,
            locale,
            source_language: &settings.source_language,
            src,
            tr,
            fragments: std::cell::OnceCell::new(),
        };
        let mut links: Vec<LinkGroup> = link_group(&spelling, None, &src.links, &tr.links, None).into_iter().collect();
        for t in &tables {
            // Where columns were added or removed, only the key column is known to
            // correspond; its links are still compared.
            let columns = if t.same_shape() { usize::MAX } else { 1 };
            for (s_row, t_row) in t.paired_rows() {
                for (col, (s_cell, t_cell)) in s_row.cells.iter().zip(&t_row.cells).enumerate().take(columns) {
                    if !s_cell.links.is_empty() || !t_cell.links.is_empty() {
                        let cell = Some((t.index, &s_row.key, col));
                        links.extend(link_group(&spelling, cell, &s_cell.links, &t_cell.links, Some(t_cell.span)));
                    }
                }
            }
        }
        let paragraphs = pair_paragraphs(src, tr);
        // Two links of the prose that share nothing (no fragment, page name or text) and
        // are not alone in their gap pair only where their places are certain; elsewhere
        // (an outdated paragraph, a rewritten list) they are a link missing and another
        // extra, not one link retargeted. A cell's links are placed by the row alignment.
        for group in links.iter_mut().filter(|g| g.cell.is_none()) {
            let mut k = 0;
            while k < group.pairs.len() {
                if let Pair::Changed(i, j) = group.pairs[k] {
                    // Alone between links that pair as they are, it is the link there.
                    let anchored = |p: Option<&Pair>| matches!(p, None | Some(Pair::Same(..) | Pair::Moved(..)));
                    let alone =
                        anchored(k.checked_sub(1).and_then(|b| group.pairs.get(b))) && anchored(group.pairs.get(k + 1));
                    let evidence = alone || same_link_evidence(&group.src[i], &group.tr[j]);
                    if !evidence && !certain_pairing(&tables, &paragraphs, (src_text, tr_text), group, i, j) {
                        group.pairs[k] = Pair::Extra(j);
                        group.pairs.insert(k + 1, Pair::Missing(i));
                        k += 1;
                    }
                }
                k += 1;
            }
        }
        let (src_alerts, tr_alerts): (Vec<&Alert>, Vec<&Alert>) = (src.alerts().collect(), tr.alerts().collect());
        let notes = note_pairs(&src_alerts, &tr_alerts);
        let suppressions = Suppressions::new(&tr.comments, tr_text);
        Cx {
            src,
            tr,
            src_text,
            tr_text,
            locale,
            settings,
            table_order,
            tables,
            links,
            suppressions,
            paragraphs,
            files: None,
            src_alerts,
            tr_alerts,
            notes,
            blocks: std::cell::OnceCell::new(),
            src_side,
            stub: std::cell::OnceCell::new(),
        }
    }

    /// The skeleton alignment every block rule reads (one per pair).
    pub fn blocks(&self) -> &crate::skeleton::Alignment<'a> {
        self.blocks.get_or_init(|| {
            let dialect = self.settings.dialect;
            crate::skeleton::Alignment::new(self.src_side.get(self.src_text, dialect), self.tr_text, dialect)
        })
    }

    /// The source's sync signature (`sync::signature`), made once for all its translations.
    /// What is made once of the source for all its translations (skeleton, signature,
    /// sync units).
    pub fn src_shared(&self) -> &'a crate::skeleton::Shared {
        self.src_side
    }

    pub fn src_signature(&self) -> &'a crate::sync::Signature {
        self.src_side.signature(self.src, self.src_text)
    }

    /// Whether the translation is in the source's language (en-gb of en-us), where
    /// identical text is expected rather than a sign of a missing translation.
    pub fn same_language(&self) -> bool {
        // Compared in place: several rules ask, for every pair.
        fn lang(l: &str) -> &str {
            l.split(['-', '_']).next().unwrap_or("")
        }
        lang(self.locale).eq_ignore_ascii_case(lang(&self.settings.source_language))
    }
}

/// How the links of a pair are spelled for comparison: as the page they reach
/// (`links::Site::page_key`), an in-page fragment as the heading it names
/// (`rules::Fragments`, made when a group first has one).
struct Spelling<'s> {
    site: &'s crate::links::Site,
    locale: &'s str,
    source_language: &'s str,
    src: &'s Doc,
    tr: &'s Doc,
    fragments: std::cell::OnceCell<crate::rules::Fragments>,
}

impl Spelling<'_> {
    fn key(&self, link: &Link, translation: bool) -> String {
        if link.key.starts_with('#') {
            let fragments = self.fragments.get_or_init(|| crate::rules::Fragments::new(self.src, self.tr));
            if let Some(key) = fragments.heading_key(&link.key, translation) {
                return key;
            }
        }
        let key = self.site.page_key(&link.key, translation.then_some(self.locale));
        // A locale as a folder of a path (`content/zh-cn/docs` in a repository URL where
        // the source has `content/en/docs`) is the same file in that locale.
        let language = if translation { self.locale } else { self.source_language };
        crate::links::locale_folders_aside(&key, language)
    }
}

fn link_group<'a>(
    spelling: &Spelling,
    cell: Option<(usize, &'a RowKey, usize)>,
    src: &'a [Link],
    tr: &'a [Link],
    place: Option<crate::finding::Span>,
) -> Option<LinkGroup<'a>> {
    // Links that are all the same as their counterparts, in order, pair as they stand
    // (`align` would find every pair `Same`): no group, no alignment, no allocation.
    if src.len() == tr.len() && src.iter().zip(tr).all(|(a, b)| a.key == b.key) {
        return None;
    }
    // The alignment compares every source link with every translated one, by the
    // targets normalized once at parse time (`Link::key`) and spelled as the page they
    // reach once per group, which keeps a 2,000-line page with hundreds of links within
    // an editor's keystroke budget.
    let src_pages: Vec<String> = src.iter().map(|l| spelling.key(l, false)).collect();
    let tr_pages: Vec<String> = tr.iter().map(|l| spelling.key(l, true)).collect();
    let (si, ti): (Vec<usize>, Vec<usize>) = ((0..src.len()).collect(), (0..tr.len()).collect());
    let pairs = align::pairs(
        &si,
        &ti,
        |&i, &j| src[i].key == tr[j].key || src_pages[i] == tr_pages[j],
        |&i, &j| link_similarity(&src[i], &tr[j]),
    );
    Some(LinkGroup { cell, src, tr, pairs, place })
}

/// How alike two rows paired by likeness must be for their cells' links to pair for sure.
const CERTAIN_ROW: f32 = 0.75;

/// Whether the pairing of source link `i` with translation link `j` of a group is
/// certain: both in blocks paired for sure (paragraphs of sections that agree, or one
/// cell of rows with the same key, or closely alike, in tables of the same shape), at the same place among
/// that block's links, with as many links on both sides. A guess must not be applied
/// unseen, nor reported as one link retargeted without evidence.
pub fn certain_pairing(
    tables: &[TablePair],
    paragraphs: &[(&Paragraph, &Paragraph)],
    texts: (&str, &str),
    group: &LinkGroup,
    i: usize,
    j: usize,
) -> bool {
    let (s, t) = (&group.src[i], &group.tr[j]);
    match group.cell {
        Some((table, row_key, _)) => {
            let keyed = tables.iter().find(|tp| tp.index == table).is_some_and(|tp| {
                // Every row paired in order, none missing, extra or moved: the table is
                // not mispaired, and a row paired by likeness is its counterpart.
                let in_order = tp.rows.iter().all(|p| matches!(p, Pair::Same(..) | Pair::Changed(..)));
                tp.same_shape()
                    && tp.rows.iter().any(|p| match *p {
                        Pair::Same(a, _) | Pair::Moved(a, _) => tp.src.rows[a].key == *row_key,
                        // A row whose key link was retargeted pairs by what else it holds;
                        // in a table paired in order, or by a close likeness, that is certain.
                        Pair::Changed(a, b) => {
                            tp.src.rows[a].key == *row_key
                                && (in_order || row_similarity(tp, &tp.src.rows[a], &tp.tr.rows[b]) >= CERTAIN_ROW)
                        }
                        _ => false,
                    })
            });
            keyed && i == j && group.src.len() == group.tr.len()
        }
        None => {
            let Some((ps, pt)) = paragraphs.iter().find(|(a, b)| a.span.contains(s.span) && b.span.contains(t.span))
            else {
                return false;
            };
            // Paragraphs pair by their count in a section; a list item paired with a
            // paragraph is a sign the section was rewritten.
            let item = |text: &str, at: usize| {
                let rest = text.get(at..).unwrap_or("").trim_start();
                rest.starts_with(['*', '-', '+'])
                    || rest
                        .split_once(['.', ')'])
                        .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            };
            if item(texts.0, ps.span.start) != item(texts.1, pt.span.start) {
                return false;
            }
            let place = |links: &[Link], span: crate::finding::Span, of: usize| {
                let inside: Vec<usize> =
                    links.iter().enumerate().filter(|(_, l)| span.contains(l.span)).map(|(k, _)| k).collect();
                (inside.iter().position(|&k| k == of), inside.len())
            };
            let (at_s, n_s) = place(group.src, ps.span, i);
            let (at_t, n_t) = place(group.tr, pt.span, j);
            at_s.is_some() && at_s == at_t && n_s == n_t
        }
    }
}

impl LinkGroup<'_> {
    /// The structural key of a link of this group: `link:{what}` after the cell's key.
    pub fn key(&self, what: &str) -> String {
        let scope = self.cell.map(|(table, row, col)| key::cell(table, row, col)).unwrap_or_default();
        key::under(&scope, &format!("link:{what}"))
    }
}

/// How alike a source row and a translation row of `table` are, judged only on what
/// does not depend on language: flags, terms, emptiness, numbers and link targets of the
/// cells after the key.
pub fn row_similarity(table: &TablePair, a: &Row, b: &Row) -> f32 {
    let mut agree: f32 = 0.0;
    let mut total: f32 = 0.0;
    for (x, y) in a.cells.iter().zip(&b.cells).skip(1) {
        let (x, y) = (table.view(x, table.src_text), table.view(y, table.tr_text));
        match (x.value(), y.value()) {
            (CellValue::Text, CellValue::Text) => {
                let (nx, ny) = (numbers_of(x.numbers()), numbers_of(y.numbers()));
                if !nx.is_empty() || !ny.is_empty() {
                    total += 1.0;
                    if nx == ny {
                        agree += 1.0;
                    }
                }
            }
            (vx, vy) => {
                total += 1.0;
                if vx == vy {
                    agree += 1.0;
                }
            }
        }
        if !x.links.is_empty() || !y.links.is_empty() {
            total += 1.0;
            if x.links.iter().any(|l| y.links.iter().any(|m| l.key == m.key)) {
                agree += 1.0;
            }
        }
    }
    if a.cells.len() != b.cells.len() {
        total += 1.0;
    }
    // The key links differ (else the rows would be the same row), but a moved article
    // usually keeps its fragment, its file name or its (product) name:
    // `how-to-set-up-training-targets.md#vm` became `how-to-attach-compute-targets.md#vm`.
    // That is enough to pair the rows even where the other cells cannot be compared (a
    // column was added); without it, rows whose flags agree pair with their neighbours
    // when a row is missing.
    let evidence = match (key_link(a), key_link(b)) {
        (Some(x), Some(y)) => Some(same_link_evidence(x, y)),
        _ => None,
    };
    match (evidence, total == 0.0) {
        (Some(true), true) => 1.0,
        (Some(true), false) => ((agree + 1.0) / (total + 1.0)).max(align::MIN_SCORE),
        // Nothing language-neutral to compare: neither for nor against.
        (_, true) => align::MIN_SCORE,
        (Some(false), false) => agree / (total + 1.0),
        (None, false) => agree / total,
    }
}

fn key_link(row: &Row) -> Option<&Link> {
    row.cells.first().and_then(|c| c.links.first())
}

/// Whether two different link targets still name the same thing: the same fragment, or
/// the same page name where the fragments do not disagree, or the same visible text.
fn same_link_evidence(x: &Link, y: &Link) -> bool {
    let ((px, fx), (py, fy)) = (split_fragment(&x.key), split_fragment(&y.key));
    let fragments_differ = !fx.is_empty() && !fy.is_empty() && fx != fy;
    (!fx.is_empty() && fx == fy)
        || (!fragments_differ && page_stem(px) == page_stem(py))
        || (!x.text.is_empty() && x.text == y.text)
}

/// Rows are the same row when their keys are equal, or when one side links a name the
/// other writes as plain text (`[Dv2](../virtual-machines/dv2-dsv2-series.md)` and `Dv2`:
/// the English VM-series table started linking its series).
fn same_row(a: &Row, b: &Row) -> bool {
    if a.key == b.key {
        return true;
    }
    let text = |r: &Row| r.cells.first().map_or("", |c| c.text.as_str()).to_string();
    matches!((&a.key, &b.key), (RowKey::Link(_), RowKey::Text(_)) | (RowKey::Text(_), RowKey::Link(_)))
        && !text(a).is_empty()
        && text(a) == text(b)
}

/// Pairs a lone missing row with a lone extra row at the same place when neither has a
/// key that survives translation (a link, code or a number): a one-row table whose
/// distribution list was updated is that row changed, not one row missing and another
/// extra.
fn pair_lone_text_rows(src: &Table, tr: &Table, pairs: &mut [Pair]) {
    let weak = |k: &RowKey| matches!(k, RowKey::Text(_) | RowKey::Position(_));
    let mut start = 0;
    while start < pairs.len() {
        let mut end = start;
        while end < pairs.len() && matches!(pairs[end], Pair::Missing(_) | Pair::Extra(_)) {
            end += 1;
        }
        if end > start {
            let run = &pairs[start..end];
            let missing: Vec<usize> =
                run.iter().filter_map(|p| if let Pair::Missing(i) = p { Some(*i) } else { None }).collect();
            let extra: Vec<usize> =
                run.iter().filter_map(|p| if let Pair::Extra(j) = p { Some(*j) } else { None }).collect();
            if let ([i], [j]) = (missing.as_slice(), extra.as_slice()) {
                if weak(&src.rows[*i].key) && weak(&tr.rows[*j].key) {
                    pairs[start] = Pair::Changed(*i, *j);
                    pairs[start + 1] = Pair::Missing(usize::MAX);
                }
            }
            start = end;
        } else {
            start += 1;
        }
    }
}

fn numbers_of(numbers: &[Number]) -> Vec<String> {
    numbers.iter().map(|n| crate::text::normalize_number(&n.text)).collect()
}

fn table_similarity(a: &Table, b: &Table) -> f32 {
    let cols = if a.columns() == b.columns() { 0.5 } else { 0.0 };
    let shared = a.rows.iter().filter(|r| b.rows.iter().any(|s| same_row(r, s))).count();
    let total = a.rows.len().max(b.rows.len()).max(1);
    cols + 0.5 * shared as f32 / total as f32
}

/// For every table of a document, in order, the names of the heading it sits under: the
/// heading's explicit anchors and its slug. A translated heading keeps the source's slug
/// only as an explicit anchor (`### <a name="nvidia-grid-drivers"></a>NVIDIA GRID-Treiber`).
fn table_sections(doc: &Doc) -> Vec<Vec<String>> {
    let mut current: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for b in &doc.blocks {
        match b {
            Block::Heading(h) => {
                current = h.anchors.iter().map(|a| a.name.clone()).collect();
                current.push(h.slug.clone());
            }
            Block::Table(_) => out.push(current.clone()),
            _ => {}
        }
    }
    out
}

/// Alerts pair by kind and the numbers they state, in document order, so removing one of
/// two NOTEs pairs the other with its own counterpart. In a gap, notes of the same kind
/// pair best with the one sharing most numbers (an extra note in the middle must not
/// shift the pairing of the ones after it), and notes of different kinds pair as a kind
/// change only when their numbers agree: a DSVM TIP and an unrelated NOTE about driver
/// links are a missing and an extra note.
pub fn note_pairs(src: &[&Alert], tr: &[&Alert]) -> Vec<Pair> {
    // Most translations keep every note in its place, of its kind and with its numbers
    // written as the source writes them: each is then the same as its counterpart, as
    // the alignment would find, and no number needs normalizing.
    let written_alike = |a: &Alert, b: &Alert| {
        a.kind == b.kind
            && a.numbers.len() == b.numbers.len()
            && a.numbers.iter().zip(&b.numbers).all(|(x, y)| x.text == y.text)
    };
    if src.len() == tr.len() && src.iter().zip(tr).all(|(a, b)| written_alike(a, b)) {
        return (0..src.len()).map(|i| Pair::Same(i, i)).collect();
    }
    aligned_note_pairs(src, tr)
}

/// `note_pairs` by alignment alone.
fn aligned_note_pairs(src: &[&Alert], tr: &[&Alert]) -> Vec<Pair> {
    // Each alert's numbers, normalized and sorted once: the alignment compares every
    // source alert with several translated ones.
    let numbers = |a: &&'_ Alert| {
        let mut n: Vec<String> = a.numbers.iter().map(|n| crate::text::normalize_number(&n.text)).collect();
        n.sort();
        n
    };
    let (src_numbers, tr_numbers): (Vec<Vec<String>>, Vec<Vec<String>>) =
        (src.iter().map(numbers).collect(), tr.iter().map(numbers).collect());
    let (si, ti): (Vec<usize>, Vec<usize>) = ((0..src.len()).collect(), (0..tr.len()).collect());
    align::pairs(
        &si,
        &ti,
        |&i, &j| src[i].kind == tr[j].kind && src_numbers[i] == tr_numbers[j],
        |&i, &j| {
            let (a, b) = (src[i], tr[j]);
            let (x, y) = (&src_numbers[i], &tr_numbers[j]);
            let shared = x.iter().filter(|n| y.contains(n)).count();
            let overlap = if x.is_empty() && y.is_empty() { 1.0 } else { shared as f32 / x.len().max(y.len()) as f32 };
            if a.kind == b.kind {
                0.75 + 0.25 * overlap
            } else if x == y {
                align::MIN_SCORE
            } else {
                0.0
            }
        },
    )
}

/// Pairs paragraphs section by section (a section is what follows a heading): where the
/// headings and a section's paragraph counts agree, the n-th paragraph of each side is
/// the same paragraph translated.
fn pair_paragraphs<'a>(src: &'a Doc, tr: &'a Doc) -> Vec<(&'a Paragraph, &'a Paragraph)> {
    // Both documents are walked section by section (a section per heading, and one
    // before the first), with nothing collected but the pairs: this runs for every pair.
    let paragraphs = |blocks: &'a [Block]| {
        blocks.iter().filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            _ => None,
        })
    };
    let next_heading = |blocks: &[Block]| blocks.iter().position(|b| matches!(b, Block::Heading(_)));
    let (mut a, mut b) = (src.blocks.as_slice(), tr.blocks.as_slice());
    // Room for every pair at once (there are fewer pairs than blocks on either side).
    let mut out = Vec::with_capacity(a.len().min(b.len()));
    loop {
        let (end_a, end_b) = (next_heading(a), next_heading(b));
        let (x, y) = (&a[..end_a.unwrap_or(a.len())], &b[..end_b.unwrap_or(b.len())]);
        if paragraphs(x).count() == paragraphs(y).count() {
            out.extend(paragraphs(x).zip(paragraphs(y)));
        }
        match (end_a, end_b) {
            (Some(i), Some(j)) => (a, b) = (&a[i + 1..], &b[j + 1..]),
            (None, None) => return out,
            // As many headings on both sides or the sections cannot be told apart.
            _ => return Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Notes written alike pair as the alignment pairs them, on random documents of
    /// notes of two kinds with numbers written in two ways.
    #[test]
    fn notes_written_alike_pair_as_aligned() {
        use proptest::prelude::*;
        let note = prop::sample::select(vec![
            "> [!NOTE]\n> Use 4 GB.\n\n",
            "> [!NOTE]\n> Use 1.5 GB.\n\n",
            "> [!NOTE]\n> Use 1,5 GB.\n\n",
            "> [!NOTE]\n> No numbers.\n\n",
            "> [!TIP]\n> Use 4 GB.\n\n",
            "> [!TIP]\n> Tip.\n\n",
            "Text.\n\n",
        ]);
        let doc = prop::collection::vec(note, 0..6);
        let mut runner = proptest::test_runner::TestRunner::default();
        runner
            .run(&(doc.clone(), doc), |(a, b)| {
                let (a, b) = (crate::parse::parse(&a.concat()), crate::parse::parse(&b.concat()));
                let (a, b): (Vec<&Alert>, Vec<&Alert>) = (a.alerts().collect(), b.alerts().collect());
                prop_assert_eq!(note_pairs(&a, &b), aligned_note_pairs(&a, &b));
                Ok(())
            })
            .expect("the pairings agree");
    }

    /// Pairing by section offsets agrees with collecting each section's paragraphs, on
    /// random documents of headings, paragraphs and other blocks.
    #[test]
    fn paragraphs_pair_as_sections_of_vectors_do() {
        use proptest::prelude::*;
        fn slow<'a>(src: &'a Doc, tr: &'a Doc) -> Vec<(&'a Paragraph, &'a Paragraph)> {
            let sections = |d: &'a Doc| {
                let mut out: Vec<Vec<&'a Paragraph>> = vec![Vec::new()];
                for b in &d.blocks {
                    match b {
                        Block::Heading(_) => out.push(Vec::new()),
                        Block::Paragraph(p) => out.last_mut().expect("starts non-empty").push(p),
                        _ => {}
                    }
                }
                out
            };
            let (a, b) = (sections(src), sections(tr));
            if a.len() != b.len() {
                return Vec::new();
            }
            a.into_iter().zip(b).filter(|(x, y)| x.len() == y.len()).flat_map(|(x, y)| x.into_iter().zip(y)).collect()
        }
        let block = prop::sample::select(vec![
            "# H\n\n",
            "Text.\n\n",
            "Other text.\n\n",
            "> [!NOTE]\n> N\n\n",
            "```\nc\n```\n\n",
        ]);
        let doc = prop::collection::vec(block, 0..10);
        let mut runner = proptest::test_runner::TestRunner::default();
        runner
            .run(&(doc.clone(), doc), |(a, b)| {
                let (a, b) = (crate::parse::parse(&a.concat()), crate::parse::parse(&b.concat()));
                let spans = |v: Vec<(&Paragraph, &Paragraph)>| -> Vec<_> {
                    v.into_iter().map(|(x, y)| (x.span, y.span)).collect()
                };
                prop_assert_eq!(spans(pair_paragraphs(&a, &b)), spans(slow(&a, &b)));
                Ok(())
            })
            .expect("the pairings agree");
    }
}
