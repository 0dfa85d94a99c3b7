//! `report --format markdown`: a short summary fit for a pull-request comment.
//!
//! Counts per locale, findings per rule and locale, the most severe findings and, with
//! `--baseline`, what changed. GitHub renders it; it stays readable as plain text.

use super::{signed, Changes, Report};

/// Above this many locales the rule table lists the most affected locales in one
/// column instead of one column per locale, so the comment stays narrow.
const MAX_LOCALE_COLUMNS: usize = 8;
/// How many stale translations the "Behind their sources" section lists.
const MAX_BEHIND: usize = 20;
/// How many changed files the baseline section lists.
const MAX_CHANGED_FILES: usize = 10;
/// Messages are cut to this many characters in the list of top findings.
const MAX_MESSAGE: usize = 200;

pub fn render(report: &Report) -> String {
    let t = &report.totals;
    let mut out = String::from("## locdrift: translation status\n\n");
    let sev = |s: &str| t.by_severity.get(s).copied().unwrap_or(0);
    let kind = |k: &str| t.by_kind.get(k).copied().unwrap_or(0);
    if t.findings == 0 {
        out.push_str("**No findings.** ");
    } else {
        out.push_str(&format!(
            "**{} {}** ({} {}, {} {}, {} info; {} drift from the source, {} {} in the translation alone) in {} {}. ",
            t.findings,
            plural(t.findings, "finding", "findings"),
            sev("error"),
            plural(sev("error"), "error", "errors"),
            sev("warning"),
            plural(sev("warning"), "warning", "warnings"),
            sev("info"),
            kind("drift"),
            kind("defect"),
            plural(kind("defect"), "defect", "defects"),
            t.files_with_findings,
            plural(t.files_with_findings, "file", "files"),
        ));
    }
    out.push_str(&format!(
        "{} {}, {} {} in {} {}: {} up to date, {} stale, {} missing, {} {}.\n\n",
        t.sources,
        plural(t.sources, "source", "sources"),
        t.translations,
        plural(t.translations, "translation", "translations"),
        t.locales,
        plural(t.locales, "locale", "locales"),
        t.up_to_date,
        t.stale,
        t.missing,
        t.orphans,
        plural(t.orphans, "orphan", "orphans"),
    ));

    out.push_str("| Locale | Up to date | Stale | Missing | Orphans | Files with findings | Findings |\n");
    out.push_str("|:--|--:|--:|--:|--:|--:|--:|\n");
    for l in &report.locales {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            cell(&l.locale),
            l.up_to_date,
            l.stale,
            l.missing,
            l.orphans,
            l.files_with_findings,
            l.findings
        ));
    }

    if !report.rules.is_empty() {
        out.push_str("\n### Findings by rule\n\n");
        let locales: Vec<&str> = report.locales.iter().map(|l| l.locale.as_str()).collect();
        if locales.len() <= MAX_LOCALE_COLUMNS {
            out.push_str("| Rule |");
            for l in &locales {
                out.push_str(&format!(" {} |", cell(l)));
            }
            out.push_str(" Total |\n|:--|");
            out.push_str(&"--:|".repeat(locales.len() + 1));
            out.push('\n');
            for r in &report.rules {
                out.push_str(&format!("| `{}` {} |", r.rule, r.code));
                for l in &locales {
                    out.push_str(&format!(" {} |", r.by_locale.get(*l).copied().unwrap_or(0)));
                }
                out.push_str(&format!(" {} |\n", r.findings));
            }
        } else {
            out.push_str("| Rule | Findings | Most affected locales |\n|:--|--:|:--|\n");
            for r in &report.rules {
                let mut by: Vec<(&String, &usize)> = r.by_locale.iter().collect();
                by.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
                let most: Vec<String> = by.iter().take(3).map(|(l, n)| format!("{} {n}", cell(l))).collect();
                let more = if by.len() > 3 { ", …" } else { "" };
                out.push_str(&format!("| `{}` {} | {} | {}{more} |\n", r.rule, r.code, r.findings, most.join(", ")));
            }
        }
    }

    let behind: Vec<&crate::report::FileStatus> = report.files.iter().filter(|f| f.behind.is_some()).collect();
    if !behind.is_empty() {
        out.push_str("\n### Behind their sources\n\n");
        for f in behind.iter().take(MAX_BEHIND) {
            let b = f.behind.as_ref().expect("filtered");
            out.push_str(&format!("- `{}`: {}: {}\n", f.file, b.describe(), cut(&b.sections, MAX_MESSAGE)));
        }
        if behind.len() > MAX_BEHIND {
            out.push_str(&format!("- and {} more\n", behind.len() - MAX_BEHIND));
        }
    }

    if !report.top_findings.is_empty() {
        let shown = report.top_findings.len();
        let title = if shown < report.totals.findings {
            format!("Top {shown} of {} findings", report.totals.findings)
        } else {
            "Findings".to_string()
        };
        out.push_str(&format!("\n### {title}\n\n"));
        for (i, f) in report.top_findings.iter().enumerate() {
            out.push_str(&format!(
                "{}. **{}** `{}` at `{}:{}:{}`: {}\n",
                i + 1,
                f.severity,
                f.rule,
                f.file,
                f.line,
                f.column,
                cut(&f.message, MAX_MESSAGE)
            ));
        }
    }

    if let Some(changes) = &report.changes {
        out.push_str(&changes_section(changes));
    }
    out
}

fn changes_section(c: &Changes) -> String {
    let mut out = format!(
        "\n### Changes since `{}`\n\nFindings: {} → {} ({}).\n\n",
        c.baseline,
        c.findings.before,
        c.findings.after,
        signed(c.findings.change())
    );
    out.push_str("| Locale | Before | After | Change |\n|:--|--:|--:|--:|\n");
    for l in &c.by_locale {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            cell(&l.name),
            l.value.before,
            l.value.after,
            signed(l.value.change())
        ));
    }
    if !c.by_rule.is_empty() {
        out.push_str("\nBy rule: ");
        let parts: Vec<String> = c
            .by_rule
            .iter()
            .map(|r| format!("`{}` {} → {} ({})", r.name, r.value.before, r.value.after, signed(r.value.change())))
            .collect();
        out.push_str(&parts.join(", "));
        out.push_str(".\n");
    }
    if !c.files.is_empty() {
        out.push_str("\nFiles:\n\n");
        for f in c.files.iter().take(MAX_CHANGED_FILES) {
            let what = match (f.value.before, f.value.after) {
                (0, _) => "new findings",
                (_, 0) => "fixed",
                (b, a) if a > b => "more findings",
                _ => "fewer findings",
            };
            out.push_str(&format!("- `{}`: {} → {} ({what})\n", f.name, f.value.before, f.value.after));
        }
        if c.files.len() > MAX_CHANGED_FILES {
            out.push_str(&format!("- and {} more\n", c.files.len() - MAX_CHANGED_FILES));
        }
    }
    out
}

/// A table cell: pipes would end the cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

fn cut(text: &str, max: usize) -> String {
    let one_line = text.replace('\n', " ");
    match one_line.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}
