//! The language-neutral document model every rule compares: what must not drift in translation.

use std::sync::OnceLock;

use serde::Serialize;

use crate::finding::Span;

/// One parsed Markdown file. Built by `parse`, read by the rules; no I/O here.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Doc {
    pub front_matter: FrontMatter,
    pub blocks: Vec<Block>,
    /// Links outside tables and include directives, in document order.
    pub links: Vec<Link>,
    /// Images anywhere in the document, in document order.
    pub images: Vec<Link>,
    /// Every anchor a `#fragment` may name: heading slugs, `{#id}` and `<a name>`.
    pub anchors: Vec<Anchor>,
    /// HTML comments outside code, in document order: where suppression comments such as
    /// `<!-- locdrift-disable-next-line stale-link -->` are read from.
    pub comments: Vec<Comment>,
}

/// One `<!-- … -->` comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    /// What is between `<!--` and `-->`, trimmed.
    pub text: String,
    /// The whole comment, delimiters included.
    pub span: Span,
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum FrontMatter {
    #[default]
    Absent,
    Valid {
        span: Span,
        entries: Vec<FrontMatterEntry>,
    },
    Invalid {
        span: Span,
        /// Where the YAML error is, as precisely as the YAML parser tells.
        error_span: Span,
        message: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrontMatterEntry {
    /// Nested mappings are flattened with dots: `l10n.sourceCommit`.
    pub key: String,
    pub value: String,
    pub span: Span,
}

impl FrontMatter {
    pub fn get(&self, key: &str) -> Option<&FrontMatterEntry> {
        match self {
            FrontMatter::Valid { entries, .. } => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    pub fn span(&self) -> Option<Span> {
        match self {
            FrontMatter::Absent => None,
            FrontMatter::Valid { span, .. } | FrontMatter::Invalid { span, .. } => Some(*span),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Block {
    Heading(Heading),
    Table(Table),
    Alert(Alert),
    Include(Include),
    Code(CodeBlock),
    Paragraph(Paragraph),
}

impl Block {
    pub fn span(&self) -> Span {
        match self {
            Block::Heading(b) => b.span,
            Block::Table(b) => b.span,
            Block::Alert(b) => b.span,
            Block::Include(b) => b.span,
            Block::Code(b) => b.span,
            Block::Paragraph(b) => b.span,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    /// The GitHub-style slug of the text, which Markdown renderers use as its id.
    pub slug: String,
    /// Explicit anchors: `<a name="x">` inside the heading and `{#x}`.
    pub anchors: Vec<Anchor>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Anchor {
    pub name: String,
    pub span: Span,
    /// False for the implicit slug of a heading, which changes with translation.
    pub explicit: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub header: Vec<Cell>,
    pub rows: Vec<Row>,
    pub span: Span,
}

impl Table {
    pub fn columns(&self) -> usize {
        self.header.len()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub key: RowKey,
    pub span: Span,
}

/// What identifies a row across languages: the things translation does not change.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "kebab-case")]
pub enum RowKey {
    /// The first link target in the first cell.
    Link(String),
    /// A code span in the first cell.
    Code(String),
    /// A number in the first cell.
    Number(String),
    /// The first cell's text, which only matches where it is left untranslated (`NCsv3`).
    Text(String),
    /// Nothing else to go by.
    Position(usize),
}

impl RowKey {
    pub fn describe(&self) -> String {
        match self {
            RowKey::Link(t) => format!("the row linking `{t}`"),
            RowKey::Code(t) => format!("the row `{t}`"),
            RowKey::Number(t) | RowKey::Text(t) => format!("the row \"{t}\""),
            RowKey::Position(i) => format!("row {}", i + 1),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Cell {
    /// The visible text, markup removed, `&nbsp;` turned into spaces, trimmed.
    pub text: String,
    pub span: Span,
    /// The cell as its row bounds it, white space around included: where its numbers and
    /// markers are read from.
    pub raw: Span,
    pub links: Vec<Link>,
    pub code: Vec<String>,
    /// What the cell says that translation must keep, each worked out when a rule first
    /// asks for it (`parse::cell_value`, `cell_numbers`, `cell_markers`): most cells are
    /// never compared, or only with a cell of the same Markdown, whose facts are the
    /// same, and a value is often read where numbers and markers are not (a column's
    /// role; a translated cell whose source cell says neither yes nor no nor a term).
    value: OnceLock<CellValue>,
    numbers: OnceLock<Vec<Number>>,
    markers: OnceLock<Vec<Marker>>,
}

impl Cell {
    /// A cell of visible `text` whose Markdown is `raw` (`span` trimmed of white space).
    pub fn new(text: String, span: Span, raw: Span, links: Vec<Link>, code: Vec<String>) -> Cell {
        Cell {
            text,
            span,
            raw,
            links,
            code,
            value: OnceLock::new(),
            numbers: OnceLock::new(),
            markers: OnceLock::new(),
        }
    }

    /// The cell's value, made by `make` the first time it is asked for
    /// (`parse::cell_value` says how).
    pub fn value_with(&self, make: impl FnOnce() -> CellValue) -> &CellValue {
        self.value.get_or_init(make)
    }

    /// The cell's numbers, made by `make` the first time they are asked for.
    pub fn numbers_with(&self, make: impl FnOnce() -> Vec<Number>) -> &[Number] {
        self.numbers.get_or_init(make)
    }

    /// The cell's markers, made by `make` the first time they are asked for.
    pub fn markers_with(&self, make: impl FnOnce() -> Vec<Marker>) -> &[Marker] {
        self.markers.get_or_init(make)
    }
}

/// The cell's fields in their order, its facts as far as they are worked out (`null`
/// before): what `locdrift model` prints.
impl Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = s.serialize_struct("Cell", 7)?;
        out.serialize_field("text", &self.text)?;
        out.serialize_field("span", &self.span)?;
        out.serialize_field("value", &self.value.get())?;
        out.serialize_field("links", &self.links)?;
        out.serialize_field("code", &self.code)?;
        out.serialize_field("numbers", &self.numbers.get())?;
        out.serialize_field("markers", &self.markers.get())?;
        out.end()
    }
}

/// A cell's meaning, independent of the language it is written in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "kebab-case")]
pub enum CellValue {
    Empty,
    /// The leading word is a yes or no word of some vocabulary.
    Flag(bool),
    /// The text is a categorical term of some vocabulary (`none`, `approval-required`).
    Term(String),
    Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub target: String,
    /// `target` as `rules::normalize_target` compares it, made once when the file is
    /// parsed: a source's links are compared with every translation's, and alignment
    /// compares each link with several.
    #[serde(skip)]
    pub key: String,
    pub text: String,
    /// The whole link, `[text](target)`.
    pub span: Span,
    /// Just the destination, so a fix can replace it alone.
    pub target_span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Number {
    /// As written: `48`, `1,5`, `10 000`.
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Marker {
    /// The marker's id (`preview`), the same in every language.
    pub kind: String,
    /// As written: `(Förhandsgranska)`.
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum AlertKind {
    Note,
    Tip,
    Important,
    Caution,
    Warning,
}

impl AlertKind {
    pub fn parse(word: &str) -> Option<AlertKind> {
        match word.to_ascii_uppercase().as_str() {
            "NOTE" => Some(AlertKind::Note),
            "TIP" => Some(AlertKind::Tip),
            "IMPORTANT" => Some(AlertKind::Important),
            "CAUTION" => Some(AlertKind::Caution),
            "WARNING" => Some(AlertKind::Warning),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::Note => "NOTE",
            AlertKind::Tip => "TIP",
            AlertKind::Important => "IMPORTANT",
            AlertKind::Caution => "CAUTION",
            AlertKind::Warning => "WARNING",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Alert {
    pub kind: AlertKind,
    /// The visible text without the `[!NOTE]` marker.
    pub text: String,
    pub span: Span,
    /// The `[!NOTE]` line, where a kind mismatch is reported.
    pub marker_span: Span,
    pub numbers: Vec<Number>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Include {
    pub name: String,
    pub path: String,
    pub span: Span,
    pub path_span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct CodeBlock {
    pub lang: String,
    pub text: String,
    pub span: Span,
}

/// A paragraph or list-item paragraph outside alerts and tables.
#[derive(Debug, Clone, Serialize)]
pub struct Paragraph {
    pub text: String,
    pub span: Span,
    /// Worked out when a rule first asks (`parse::paragraph_numbers`): many paragraphs
    /// are never compared, or only with a paragraph of the same Markdown.
    #[serde(serialize_with = "once")]
    numbers: OnceLock<Vec<Number>>,
}

impl Paragraph {
    pub fn new(text: String, span: Span) -> Paragraph {
        Paragraph { text, span, numbers: OnceLock::new() }
    }

    /// The paragraph's numbers, made by `make` the first time they are asked for.
    pub fn numbers_with(&self, make: impl FnOnce() -> Vec<Number>) -> &[Number] {
        self.numbers.get_or_init(make)
    }
}

/// What is worked out so far (`null` before): what `locdrift model` prints.
fn once<T: Serialize, S: serde::Serializer>(cell: &OnceLock<T>, s: S) -> Result<S::Ok, S::Error> {
    cell.get().serialize(s)
}

impl Doc {
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
    }

    pub fn alerts(&self) -> impl Iterator<Item = &Alert> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Alert(a) => Some(a),
            _ => None,
        })
    }

    pub fn includes(&self) -> impl Iterator<Item = &Include> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Include(i) => Some(i),
            _ => None,
        })
    }

    pub fn headings(&self) -> impl Iterator<Item = &Heading> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Heading(h) => Some(h),
            _ => None,
        })
    }

    pub fn code_blocks(&self) -> impl Iterator<Item = &CodeBlock> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Code(c) => Some(c),
            _ => None,
        })
    }

    pub fn paragraphs(&self) -> impl Iterator<Item = &Paragraph> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            _ => None,
        })
    }
}
