//! The rule table (one line per rule) and the comparison context every rule reads.
//!
//! A rule is a plain function `fn check(cx: &Cx, acc: &mut Vec<Finding>)`: context first,
//! accumulator last, no I/O. What several rules need (table, row and link alignment) is
//! computed once in `Cx::new`.

use std::sync::LazyLock;

use regex::Regex;

use crate::align::{self, Pair};
use crate::finding::Finding;
use crate::model::{Block, Cell, CellValue, Doc, Link, Paragraph, Row, RowKey, Table};
use crate::settings::Settings;
use crate::suppress::Suppressions;
use crate::tables::Role;

mod broken_anchor;
mod broken_link;
mod code_mismatch;
mod column_count;
mod extra_link;
mod extra_note;
mod flag_mismatch;
mod front_matter_invalid;
mod front_matter_mismatch;
mod heading_mismatch;
mod image_mismatch;
mod include_mismatch;
pub mod io_error;
mod locale_mismatch;
mod marker_mismatch;
mod missing_link;
mod missing_note;
pub mod missing_translation;
mod mixed_language;
mod note_kind_mismatch;
mod number_mismatch;
pub mod orphan_translation;
mod row_extra;
mod row_missing;
mod row_order;
mod stale_link;
mod stale_translation;
mod table_extra;
mod table_missing;
mod unknown_vocabulary;
mod untranslated;
pub mod unused_suppression;
mod value_mismatch;

/// Which documents a rule needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Compares a translation with its source.
    Pair,
    /// Looks at the translation alone; also runs on orphans.
    Translation,
    /// Reported by the driver about files, not documents (I/O, pairing).
    Tree,
    /// Judges the translation's suppression comments; runs after the others, once
    /// `lint_docs` has applied the suppressions to their findings.
    Suppressions,
}

pub struct Rule {
    pub name: &'static str,
    pub scope: Scope,
    pub check: Option<fn(&Cx, &mut Vec<Finding>)>,
}

const fn rule(name: &'static str, scope: Scope, check: fn(&Cx, &mut Vec<Finding>)) -> Rule {
    Rule { name, scope, check: Some(check) }
}

const fn tree(name: &'static str) -> Rule {
    Rule { name, scope: Scope::Tree, check: None }
}

/// Every rule, in catalog order.
pub const RULES: &[Rule] = &[
    tree(missing_translation::NAME),
    tree(orphan_translation::NAME),
    rule("locale-mismatch", Scope::Translation, locale_mismatch::check),
    rule("table-missing", Scope::Pair, table_missing::check),
    rule("table-extra", Scope::Pair, table_extra::check),
    rule("column-count", Scope::Pair, column_count::check),
    rule("row-missing", Scope::Pair, row_missing::check),
    rule("row-extra", Scope::Pair, row_extra::check),
    rule("row-order", Scope::Pair, row_order::check),
    rule("flag-mismatch", Scope::Pair, flag_mismatch::check),
    rule("value-mismatch", Scope::Pair, value_mismatch::check),
    rule("number-mismatch", Scope::Pair, number_mismatch::check),
    rule("marker-mismatch", Scope::Pair, marker_mismatch::check),
    rule("unknown-vocabulary", Scope::Pair, unknown_vocabulary::check),
    rule("missing-note", Scope::Pair, missing_note::check),
    rule("extra-note", Scope::Pair, extra_note::check),
    rule("note-kind-mismatch", Scope::Pair, note_kind_mismatch::check),
    rule("stale-link", Scope::Pair, stale_link::check),
    rule("missing-link", Scope::Pair, missing_link::check),
    rule("extra-link", Scope::Pair, extra_link::check),
    rule("broken-link", Scope::Translation, broken_link::check),
    rule("broken-anchor", Scope::Translation, broken_anchor::check),
    rule("include-mismatch", Scope::Pair, include_mismatch::check),
    rule("heading-mismatch", Scope::Pair, heading_mismatch::check),
    rule("code-mismatch", Scope::Pair, code_mismatch::check),
    rule("image-mismatch", Scope::Pair, image_mismatch::check),
    rule("stale-translation", Scope::Pair, stale_translation::check),
    rule("untranslated", Scope::Pair, untranslated::check),
    rule("mixed-language", Scope::Translation, mixed_language::check),
    rule("front-matter-mismatch", Scope::Pair, front_matter_mismatch::check),
    rule("front-matter-invalid", Scope::Translation, front_matter_invalid::check),
    tree(io_error::NAME),
    rule(unused_suppression::NAME, Scope::Suppressions, unused_suppression::check),
];

pub fn get(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name)
}

/// A source table, its translation and how their rows pair up.
pub struct TablePair<'a> {
    /// The source table's position among the source's tables (0-based): the stable part
    /// of a structural key, since the source does not move when the translation is edited.
    pub index: usize,
    pub src: &'a Table,
    pub tr: &'a Table,
    pub rows: Vec<Pair>,
    /// Per source column: key, flag, term or text (from a table schema, else inferred).
    pub roles: Vec<Role>,
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

    /// Cells can only be compared column by column when the columns agree.
    pub fn same_shape(&self) -> bool {
        self.src.columns() == self.tr.columns()
    }

    pub fn role(&self, col: usize) -> Role {
        self.roles.get(col).copied().unwrap_or(Role::Text)
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
    /// The structural key of the scope: empty for the prose, the cell's key for a cell.
    pub scope: String,
    pub src: Vec<&'a Link>,
    pub tr: Vec<&'a Link>,
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
    pub links: Vec<LinkGroup<'a>>,
    /// The translation's suppression comments; `lint_docs` records which were used.
    pub suppressions: Suppressions,
    /// Paragraphs paired by section and position (only where a section has as many
    /// paragraphs on both sides, so the pairing is certain).
    pub paragraphs: Vec<(&'a Paragraph, &'a Paragraph)>,
    /// Where the files are, when linting a tree; `None` for pure text-in/findings-out runs.
    pub files: Option<&'a Files<'a>>,
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
    /// Anchor names (heading slugs, explicit anchors) of a root-relative Markdown file.
    fn anchors(&self, rel: &str) -> Option<Vec<String>>;
    /// Unix time of the last commit that touched a file, when the root is a git checkout.
    fn last_commit_time(&self, rel: &str) -> Option<i64>;
    /// Whether a file changed in commits after `commit` (`None` when unknown).
    fn changed_since(&self, rel: &str, commit: &str) -> Option<bool>;
    /// What every translation of a source records about the source version it was made
    /// from (Microsoft's `ms.openlocfilehash`), to tell which ones are behind.
    fn peers(&self, _source: &str) -> Vec<Peer> {
        Vec::new()
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
                let mut rows = align::pairs(&s.rows, &t.rows, same_row, row_similarity);
                pair_lone_text_rows(s, t, &mut rows);
                rows.retain(|p| *p != Pair::Missing(usize::MAX));
                TablePair { index, src: s, tr: t, rows, roles: crate::tables::roles(s) }
            })
            .collect();
        let mut links = vec![link_group(String::new(), src.links.iter().collect(), tr.links.iter().collect(), None)];
        for t in &tables {
            // Where columns were added or removed, only the key column is known to
            // correspond; its links are still compared.
            let columns = if t.same_shape() { usize::MAX } else { 1 };
            for (s_row, t_row) in t.paired_rows() {
                for (col, (s_cell, t_cell)) in s_row.cells.iter().zip(&t_row.cells).enumerate().take(columns) {
                    if !s_cell.links.is_empty() || !t_cell.links.is_empty() {
                        links.push(link_group(
                            key::cell(t.index, &s_row.key, col),
                            s_cell.links.iter().collect(),
                            t_cell.links.iter().collect(),
                            Some(t_cell.span),
                        ));
                    }
                }
            }
        }
        let paragraphs = pair_paragraphs(src, tr);
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
        }
    }

    /// Whether the translation is in the source's language (en-gb of en-us), where
    /// identical text is expected rather than a sign of a missing translation.
    pub fn same_language(&self) -> bool {
        let lang = |l: &str| l.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        let source = self.settings.source_language.as_str();
        lang(self.locale) == lang(source)
    }
}

fn link_group<'a>(
    scope: String,
    src: Vec<&'a Link>,
    tr: Vec<&'a Link>,
    place: Option<crate::finding::Span>,
) -> LinkGroup<'a> {
    // The alignment compares every source link with every translated one; normalizing
    // each target once (not once per comparison, as `same_target` would) keeps a
    // 2,000-line page with hundreds of links within an editor's keystroke budget.
    let src_keys: Vec<String> = src.iter().map(|l| normalize_target(&l.target)).collect();
    let tr_keys: Vec<String> = tr.iter().map(|l| normalize_target(&l.target)).collect();
    let (si, ti): (Vec<usize>, Vec<usize>) = ((0..src.len()).collect(), (0..tr.len()).collect());
    let pairs = align::pairs(&si, &ti, |&i, &j| src_keys[i] == tr_keys[j], |&i, &j| link_similarity(src[i], tr[j]));
    LinkGroup { scope, src, tr, pairs, place }
}

impl LinkGroup<'_> {
    /// The structural key of a link of this group: `link:{what}` after the cell's key.
    pub fn key(&self, what: &str) -> String {
        key::under(&self.scope, &format!("link:{what}"))
    }
}

/// Builders for `Finding::key`, the structural identity of a finding (see its docs).
///
/// Tables are numbered from 1 in the source; rows are named by their `RowKey`, which is
/// what alignment matches them by; columns are numbered from 1.
pub mod key {
    use crate::model::RowKey;

    pub fn table(index: usize) -> String {
        format!("table:{}", index + 1)
    }

    pub fn row(table: usize, row: &RowKey) -> String {
        let row = match row {
            RowKey::Link(t) => format!("link:{t}"),
            RowKey::Code(t) => format!("code:{t}"),
            RowKey::Number(t) => format!("number:{t}"),
            RowKey::Text(t) => format!("text:{t}"),
            RowKey::Position(i) => format!("position:{}", i + 1),
        };
        format!("{}/row:{row}", self::table(table))
    }

    pub fn cell(table: usize, row: &RowKey, col: usize) -> String {
        format!("{}/col:{}", self::row(table, row), col + 1)
    }

    /// `tail` inside `scope` (which may be empty, for the page itself).
    pub fn under(scope: &str, tail: &str) -> String {
        if scope.is_empty() {
            tail.to_string()
        } else {
            format!("{scope}/{tail}")
        }
    }
}

static LOCALE_SEGMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)/[a-z]{2,3}(?:-[a-z0-9]{2,4}){1,2}/").expect("valid regex"));

/// The Microsoft Learn hosts: `https://docs.microsoft.com/azure/x` and the site-relative
/// `/azure/x` that the localization pipeline rewrites it to are the same page.
static DOCS_HOST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^https?://(?:docs|learn)\.microsoft\.com(/|$)").expect("valid regex"));

/// Query parameters that choose how Microsoft Learn shows a page (API version moniker,
/// whether to keep it while browsing), not which page it is.
const VIEW_PARAMS: &[&str] = &["view", "preserve-view"];

/// Link targets compare equal when they differ only in case, a trailing slash, the
/// locale segment of a URL (`/en-us/azure/...` vs `/sv-se/azure/...`), `http` versus
/// `https`, the Microsoft Learn host versus a site-relative path, or Learn's `view=` and
/// `preserve-view=` parameters: localization changes all of these on purpose, and none
/// of them changes the page. (Corpus: `azureml.pipeline.steps?view=azure-ml-py&preserve-view=true`
/// in English is `/python/api/azureml-pipeline-steps/azureml.pipeline.steps` in German.)
pub fn normalize_target(target: &str) -> String {
    let t = target.trim().trim_end_matches('/').to_lowercase();
    let t = match t.strip_prefix("http://") {
        Some(rest) => format!("https://{rest}"),
        None => t,
    };
    let t = DOCS_HOST.replace(&t, "/").into_owned();
    let t = drop_view_params(&t);
    let t = LOCALE_SEGMENT.replace_all(t.trim_end_matches('/'), "/{locale}/").into_owned();
    // On the docs site a leading locale is optional: `/en-us/azure/x` is `/azure/x`.
    match t.strip_prefix("/{locale}/") {
        Some(rest) => format!("/{rest}"),
        None => t,
    }
}

/// Removes `view=` and `preserve-view=` from a site-relative (Microsoft Learn) target.
fn drop_view_params(target: &str) -> String {
    let (rest, fragment) = match target.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (target, None),
    };
    let Some((path, query)) = rest.split_once('?') else { return target.to_string() };
    if !path.starts_with('/') {
        return target.to_string();
    }
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !VIEW_PARAMS.contains(&p.split('=').next().unwrap_or("")))
        .collect();
    let mut out = path.to_string();
    if !kept.is_empty() {
        out.push('?');
        out.push_str(&kept.join("&"));
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

pub fn same_target(a: &str, b: &str) -> bool {
    a == b || normalize_target(a) == normalize_target(b)
}

/// Two links at the same place are the same link retargeted when they are alone in
/// their gap; file name, fragment or visible text in common make it more certain. A link
/// of another kind (a relative article link versus a site path or another host) is only
/// the same link retargeted with such evidence: in a rewritten list, the Python SDK class
/// reference and the studio article next to it are two different links.
fn link_similarity(a: &Link, b: &Link) -> f32 {
    let (na, nb) = (normalize_target(&a.target), normalize_target(&b.target));
    let (pa, fa) = split_fragment(&na);
    let (pb, fb) = split_fragment(&nb);
    let mut score: f32 = 0.5;
    if link_kind(pa) != link_kind(pb) {
        score -= 0.25;
    }
    if !fa.is_empty() && fa == fb {
        score += 0.25;
    }
    if page_stem(pa) == page_stem(pb) {
        score += 0.25;
    }
    if a.text == b.text {
        score += 0.1;
    }
    score.min(1.0)
}

/// Where a (normalized) link target points: a relative path, a path on the docs site,
/// or a host.
fn link_kind(target: &str) -> &str {
    if target.starts_with('/') {
        "/"
    } else if let Some((_, rest)) = target.split_once("://") {
        rest.split('/').next().unwrap_or("")
    } else {
        ""
    }
}

/// The page a path names without folder, extension or query: `sizes` for both
/// `../virtual-machines/sizes.md` and `/azure/virtual-machines/linux/sizes`.
fn page_stem(path: &str) -> &str {
    let path = path.split('?').next().unwrap_or(path);
    let name = file_name(path);
    name.strip_suffix(".md").unwrap_or(name)
}

pub fn split_fragment(target: &str) -> (&str, &str) {
    match target.split_once('#') {
        Some((p, f)) => (p, f),
        None => (target, ""),
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// How alike two rows are, judged only on what does not depend on language: flags,
/// terms, emptiness, numbers and link targets of the cells after the key.
pub fn row_similarity(a: &Row, b: &Row) -> f32 {
    let mut agree: f32 = 0.0;
    let mut total: f32 = 0.0;
    for (x, y) in a.cells.iter().zip(&b.cells).skip(1) {
        match (&x.value, &y.value) {
            (CellValue::Text, CellValue::Text) => {
                let (nx, ny) = (numbers_of(x), numbers_of(y));
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
            if x.links.iter().any(|l| y.links.iter().any(|m| same_target(&l.target, &m.target))) {
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
    let (nx, ny) = (normalize_target(&x.target), normalize_target(&y.target));
    let ((px, fx), (py, fy)) = (split_fragment(&nx), split_fragment(&ny));
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

fn numbers_of(cell: &Cell) -> Vec<String> {
    cell.numbers.iter().map(|n| crate::text::normalize_number(&n.text)).collect()
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

/// Where to point when something is absent from the translation: the translation row
/// that precedes the place, else the table's first line.
pub fn insertion_point(t: &TablePair, upto: usize, text: &str) -> crate::finding::Span {
    let mut last = None;
    for p in &t.rows[..upto] {
        if let Pair::Same(_, j) | Pair::Changed(_, j) | Pair::Extra(j) = *p {
            last = Some(j);
        }
    }
    match last {
        Some(j) => t.tr.rows[j].span,
        None => first_line(t.tr.span, text),
    }
}

/// The offset where the line holding `at` starts.
pub fn line_start(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1)
}

/// The offset where the line holding `at` ends, before its `\n` or `\r\n`.
pub fn line_end(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    if end > at && text.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// The offset where the line after the one holding `at` starts (the text's end if none).
pub fn next_line_start(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

/// The first line of a span, which is what a label should cover for multi-line blocks.
pub fn first_line(span: crate::finding::Span, text: &str) -> crate::finding::Span {
    let raw = text.get(span.start..span.end).unwrap_or("");
    let end = raw.find(['\r', '\n']).unwrap_or(raw.len());
    crate::finding::Span::new(span.start, span.start + end)
}

/// A short quote of a source row for messages: its first cell's text.
pub fn row_name(row: &Row) -> String {
    let text = row.cells.first().map(|c| c.text.as_str()).unwrap_or("");
    if text.is_empty() {
        row.key.describe()
    } else {
        format!("\"{}\"", crate::text::shorten(text, 60))
    }
}

/// Alerts pair by kind and the numbers they state, in document order, so removing one of
/// two NOTEs pairs the other with its own counterpart. In a gap, notes of the same kind
/// pair best with the one sharing most numbers (an extra note in the middle must not
/// shift the pairing of the ones after it), and notes of different kinds pair as a kind
/// change only when their numbers agree: a DSVM TIP and an unrelated NOTE about driver
/// links are a missing and an extra note.
pub fn note_pairs(src: &[&crate::model::Alert], tr: &[&crate::model::Alert]) -> Vec<Pair> {
    let numbers = |a: &crate::model::Alert| {
        let mut n: Vec<String> = a.numbers.iter().map(|n| crate::text::normalize_number(&n.text)).collect();
        n.sort();
        n
    };
    align::pairs(
        src,
        tr,
        |a, b| a.kind == b.kind && numbers(a) == numbers(b),
        |a, b| {
            let (x, y) = (numbers(a), numbers(b));
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

/// Resolves a relative link target against the directory of `from` (root-relative),
/// lexically. `None` for URLs, site-absolute paths, pure fragments, and anything that
/// would leave the root: such targets are never looked up.
pub fn resolve_relative(from: &str, target: &str) -> Option<String> {
    let path = plain_path(target)?;
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The path part of a relative link target: `None` for URLs and other schemes, drives
/// (`C:/`), backslash paths, site-absolute paths and pure fragments.
fn plain_path(target: &str) -> Option<&str> {
    let (path, _) = split_fragment(target);
    let path = path.split('?').next().unwrap_or("");
    // A colon in the first segment is a scheme (`mailto:`, `https:`) or a drive letter.
    let scheme = path.split('/').next().is_some_and(|first| first.contains(':'));
    if path.is_empty() || path.starts_with('/') || path.contains('\\') || scheme {
        return None;
    }
    Some(path)
}

/// Whether a relative target escapes the root (`../../../etc/passwd`).
pub fn escapes_root(from: &str, target: &str) -> bool {
    plain_path(target).is_some() && resolve_relative(from, target).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learn_links_normalize_to_site_paths() {
        let site = "/python/api/azureml-pipeline-steps/azureml.pipeline.steps";
        for t in [
            "https://docs.microsoft.com/python/api/azureml-pipeline-steps/azureml.pipeline.steps?view=azure-ml-py&preserve-view=true",
            "https://learn.microsoft.com/en-us/python/api/azureml-pipeline-steps/azureml.pipeline.steps?view=azure-ml-py",
            "/python/api/azureml-pipeline-steps/azureml.pipeline.steps?preserve-view=true&view=azure-ml-py",
        ] {
            assert_eq!(normalize_target(t), site, "{t}");
        }
        assert!(same_target("http://us.download.nvidia.com/a.exe", "https://us.download.nvidia.com/a.exe"));
        // Other parameters and other hosts still tell pages apart.
        assert!(!same_target(
            "https://go.microsoft.com/fwlink/?linkid=836844",
            "https://go.microsoft.com/fwlink/?linkid=874184"
        ));
        assert!(!same_target("/azure/a?tabs=cli", "/azure/a?tabs=python"));
        assert_eq!(normalize_target("../articles/x.md#aks"), "../articles/x.md#aks");
    }
}
