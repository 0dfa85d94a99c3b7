//! Renderers: each owns one output format. They are the only code (with main.rs) that
//! turns byte spans into lines and columns.

pub mod concise;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod statistics;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::check::Summary;
use crate::finding::Finding;
use crate::line_index::{LineIndex, Position};

/// Output formats of `check --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Concise,
    Json,
    // SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    // GitHub Actions annotations.
    Github,
    // JUnit XML, one test case per file pair.
    Junit,
    // GitLab Code Quality.
    Gitlab,
}

/// File texts for rendering, read lazily and once. Findings carry only byte spans, so
/// the renderer reads the (few) files that have findings instead of the driver holding
/// every text of the run in memory.
#[derive(Default)]
pub struct Sources {
    texts: RefCell<HashMap<PathBuf, Option<Rc<String>>>>,
}

impl Sources {
    pub fn new() -> Sources {
        Sources::default()
    }

    /// Provides a text directly (the language server and tests have it in memory).
    pub fn insert(&self, path: &Path, text: String) {
        self.texts.borrow_mut().insert(path.to_path_buf(), Some(Rc::new(text)));
    }

    pub fn get(&self, path: &Path) -> Option<Rc<String>> {
        if let Some(t) = self.texts.borrow().get(path) {
            return t.clone();
        }
        let text = read(path).map(Rc::new);
        self.texts.borrow_mut().insert(path.to_path_buf(), text.clone());
        text
    }

    /// Reads the texts of these files that are not known yet, in parallel: a large run
    /// has findings in thousands of files, which one thread would read one by one.
    pub fn preload<'a>(&self, paths: impl Iterator<Item = &'a Path>) {
        let mut wanted: Vec<&Path> = {
            let known = self.texts.borrow();
            paths.filter(|p| !known.contains_key(*p)).collect()
        };
        // Any order will do to drop repeats; bytes compare faster than components.
        wanted.sort_unstable_by(|a, b| a.as_os_str().as_encoded_bytes().cmp(b.as_os_str().as_encoded_bytes()));
        wanted.dedup();
        let texts: Vec<Option<String>> = {
            use rayon::prelude::*;
            wanted.par_iter().map(|p| read(p)).collect()
        };
        let mut known = self.texts.borrow_mut();
        for (path, text) in wanted.into_iter().zip(texts) {
            known.insert(path.to_path_buf(), text.map(Rc::new));
        }
    }

    pub fn position(&self, path: &Path, offset: usize) -> Position {
        match self.get(path) {
            Some(text) => LineIndex::new(&text).position(offset),
            None => Position { line: 1, column: 1, utf16: 1, byte: 1 },
        }
    }
}

fn read(path: &Path) -> Option<String> {
    std::fs::read(path).ok().and_then(|b| String::from_utf8(b).ok())
}

/// Renders findings in a format to a string.
pub fn render(format: Format, findings: &[Finding], summary: &Summary, sources: &Sources) -> String {
    render_capped(format, findings, summary, sources, human::Style::PLAIN.max_per_file)
}

/// `render`, showing at most `max_per_file` findings of a file in the human format (0: all).
pub fn render_capped(
    format: Format,
    findings: &[Finding],
    summary: &Summary,
    sources: &Sources,
    max_per_file: usize,
) -> String {
    // The formats that show where a finding is in the source read the source too.
    let with_sources = matches!(format, Format::Human | Format::Json | Format::Sarif);
    sources.preload(findings.iter().flat_map(|f| {
        let source = f.source_span.and(f.source_file.as_deref()).filter(|_| with_sources);
        std::iter::once(f.file.as_path()).chain(source)
    }));
    match format {
        Format::Human => {
            human::render(findings, summary, sources, human::Style { max_per_file, ..human::Style::detect() })
        }
        Format::Concise => concise::render(findings, sources),
        Format::Json => json::render(findings, summary, sources),
        Format::Sarif => sarif::render(findings, sources),
        Format::Github => github::render(findings, sources),
        Format::Junit => junit::render(findings, summary, sources),
        Format::Gitlab => gitlab::render(findings, sources),
    }
}

/// The path as shown in every format: forward slashes, so output is the same on Windows.
pub fn show_path(path: &Path) -> String {
    crate::discover::to_slash(path)
}
