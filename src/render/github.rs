//! `--format github`: GitHub Actions workflow commands, one annotation per finding.
//!
//! `::error file=…,line=…,endLine=…,col=…,endColumn=…,title=rule::message` (`warning`
//! and `notice` for the other severities). GitHub reads these from a step's output and
//! shows them on the pull request's changed lines. Values are escaped as the Actions
//! toolkit does (`escapeData` / `escapeProperty`): `%`, CR and LF in the message, and
//! also `:` and `,` in properties, which would otherwise end a property early.

use crate::finding::{Finding, Severity};
use crate::render::{show_path, Sources};

pub fn render(findings: &[Finding], sources: &Sources) -> String {
    let mut out = String::new();
    for f in findings {
        let start = sources.position(&f.file, f.span.start);
        let end = sources.position(&f.file, f.span.end);
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let code = f.rule.code();
        let mut message = format!("{} ({code})", f.message);
        if let Some(help) = &f.help {
            message.push('\n');
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{command} file={},line={},endLine={},col={},endColumn={},title={}::{}\n",
            property(&show_path(&f.file)),
            start.line,
            end.line,
            start.column,
            end.column,
            property(f.rule.name()),
            data(&message)
        ));
    }
    out
}

/// Escapes a message (`escapeData` in @actions/core).
pub fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value (`escapeProperty` in @actions/core).
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_actions_toolkit() {
        assert_eq!(data("50% done\r\nnext: a, b"), "50%25 done%0D%0Anext: a, b");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
