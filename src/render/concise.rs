//! `--format concise`: one line per finding, `file:line:col: rule message`.

use crate::finding::Finding;
use crate::render::{show_path, Sources};

pub fn render(findings: &[Finding], sources: &Sources) -> String {
    let mut out = String::new();
    for f in findings {
        let pos = sources.position(&f.file, f.span.start);
        out.push_str(&format!("{}:{}:{}: {} {}\n", show_path(&f.file), pos.line, pos.column, f.rule, f.message));
    }
    out
}
