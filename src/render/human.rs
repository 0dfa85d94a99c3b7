//! `--format human` (the default): miette reports, the translation's span labelled and
//! the corresponding place in the source shown beside it; then a summary line.

use std::fmt;
use std::io::IsTerminal;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

use crate::check::Summary;
use crate::finding::{Finding, Severity, Span};
use crate::render::{show_path, Sources};

/// Colour and width. Tests and pipes get no colour and a fixed width, so output is stable.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

impl Style {
    pub const PLAIN: Style = Style { color: false, width: 100 };

    pub fn detect() -> Style {
        let tty = std::io::stdout().is_terminal();
        let color = tty && std::env::var_os("NO_COLOR").is_none();
        Style { color, width: 100 }
    }
}

pub fn render(findings: &[Finding], summary: &Summary, sources: &Sources, style: Style) -> String {
    let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler =
        GraphicalReportHandler::new_themed(theme).with_width(style.width).with_links(false).with_context_lines(0);
    let mut out = String::new();
    for f in findings {
        let report = Report::new(f, sources);
        // Rendering into a String cannot fail short of a formatter bug.
        let _ = handler.render_report(&mut out, &report);
    }
    out.push_str(&summary_line(findings, summary));
    out
}

pub fn summary_line(findings: &[Finding], summary: &Summary) -> String {
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let pairs = format!(
        "{} {} of {} {} checked",
        summary.translations,
        plural(summary.translations, "translation", "translations"),
        summary.sources,
        plural(summary.sources, "source", "sources")
    );
    let baselined = match summary.baselined {
        0 => String::new(),
        n => format!(" ({n} more hidden by the baseline)"),
    };
    if findings.is_empty() {
        return with_history(format!("All checks passed{baselined}: {pairs}.\n"), summary);
    }
    let fixable = findings.iter().filter(|f| f.fix.as_ref().is_some_and(|x| x.safe)).count();
    let mut line = format!(
        "Found {} {}{baselined} ({} {}, {} {}, {} info) in {} {}; {pairs}.\n",
        findings.len(),
        plural(findings.len(), "finding", "findings"),
        count(Severity::Error),
        plural(count(Severity::Error), "error", "errors"),
        count(Severity::Warning),
        plural(count(Severity::Warning), "warning", "warnings"),
        count(Severity::Info),
        files_with_findings(findings),
        plural(files_with_findings(findings), "file", "files"),
    );
    if fixable > 0 {
        line.push_str(&format!("{fixable} fixable with `--fix`.\n"));
    }
    with_history(line, summary)
}

/// The summary line, then the warning of a run without full git history.
fn with_history(mut line: String, summary: &Summary) -> String {
    if let Some(warning) = summary.history.warning() {
        line.push_str(warning);
        line.push('\n');
    }
    line
}

fn files_with_findings(findings: &[Finding]) -> usize {
    let mut files: Vec<_> = findings.iter().map(|f| &f.file).collect();
    files.dedup();
    files.len()
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// One finding as a miette diagnostic, with the source location as a related advice.
struct Report {
    code: String,
    message: String,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<NamedSource<String>>,
    label: Option<LabeledSpan>,
    related: Vec<Report>,
}

impl Report {
    fn new(f: &Finding, sources: &Sources) -> Report {
        let code = match crate::catalog::head(f.rule) {
            Some(head) => format!("{} {}", head.code, f.rule),
            None => f.rule.to_string(),
        };
        let mut help = f.help.clone();
        if let Some(fix) = &f.fix {
            let what = if fix.replacement.is_empty() {
                "delete it".to_string()
            } else {
                format!("`{}`", fix.replacement.trim())
            };
            let fix_line = format!("{} fix: {what}", if fix.safe { "safe" } else { "unsafe" });
            help = Some(match help {
                Some(h) => format!("{h}\n{fix_line}"),
                None => fix_line,
            });
        }
        let text = sources.get(&f.file);
        let (source, label) = match &text {
            Some(text) => (
                Some(NamedSource::new(show_path(&f.file), text.as_str().to_string())),
                Some(LabeledSpan::new_with_span(Some(label_for(f).to_string()), to_miette(f.span, text))),
            ),
            None => (None, None),
        };
        let mut related = Vec::new();
        if let (Some(span), Some(src)) = (f.source_span, &f.source_file) {
            if let Some(src_text) = sources.get(src) {
                related.push(Report {
                    code: String::new(),
                    message: format!("the source, {}", show_path(src)),
                    severity: miette::Severity::Advice,
                    help: None,
                    source: Some(NamedSource::new(show_path(src), src_text.as_str().to_string())),
                    label: Some(LabeledSpan::new_with_span(Some("source".to_string()), to_miette(span, &src_text))),
                    related: Vec::new(),
                });
            }
        }
        let message =
            if source.is_none() { format!("{}: {}", show_path(&f.file), f.message) } else { f.message.clone() };
        Report {
            code,
            message,
            severity: match f.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            },
            help,
            source,
            label,
            related,
        }
    }
}

fn label_for(f: &Finding) -> &'static str {
    match f.rule {
        "stale-link" | "include-mismatch" => "this target",
        "missing-link" | "missing-note" | "row-missing" | "table-missing" => "expected near here",
        _ => "here",
    }
}

/// A miette span must lie on character boundaries and cover at least the position.
fn to_miette(span: Span, text: &str) -> SourceSpan {
    let start = span.start.min(text.len());
    let end = span.end.clamp(start, text.len());
    SourceSpan::new(start.into(), end - start)
}

impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.label.clone().map(|l| Box::new(std::iter::once(l)) as Box<dyn Iterator<Item = LabeledSpan>>)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
}
