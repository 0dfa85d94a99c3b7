//! `untranslated`: a paragraph, note or table cell identical to the source text.
//!
//! Product names, code, links and numbers stay in the source language on purpose, so a
//! block counts only when what is left of it (its lower-case words) is long enough.

use crate::rules::RuleId;
use crate::align::Pair;
use crate::finding::{Finding, Span};
use crate::rules::{row_name, Cx};
use crate::tables::Role;

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    // A stub gets one untranslated-page finding, not one per block.
    if super::untranslated_page::stub(cx).is_some() {
        return;
    }
    if cx.same_language() {
        return;
    }
    let min = cx.settings.options.untranslated_min_chars;
    // Whether a block is untranslated, and long enough to tell: most blocks are
    // translated, and a text shorter than `min` bytes has fewer characters of prose.
    let untranslated =
        |s_text: &str, t_text: &str| s_text == t_text && s_text.len() >= min && prose(s_text).chars().count() >= min;
    // `place` names the block only for a finding.
    let mut report = |s_text: &str, t_text: &str, span: Span, source: Span, place: &dyn Fn() -> String| {
        if untranslated(s_text, t_text) {
            let place = place();
            acc.push(
                Finding::new(
                    RuleId::Untranslated,
                    span,
                    format!("{place} is identical to the source: \"{}\"", crate::text::shorten(t_text, 60)),
                )
                .with_source(source),
            );
        }
    };
    for (s, t) in &cx.paragraphs {
        // A line that is only inline code is a command, not prose left in English.
        if crate::skeleton::is_command(&cx.tr_text[t.span.start..t.span.end]) {
            continue;
        }
        report(&s.text, &t.text, t.span, s.span, &|| "this paragraph".into());
    }
    let (src, tr) = (&cx.src_alerts, &cx.tr_alerts);
    for &p in &cx.notes {
        if let Pair::Same(i, j) | Pair::Changed(i, j) = p {
            report(&src[i].text, &tr[j].text, tr[j].marker_span, src[i].marker_span, &|| {
                format!("this {}", tr[j].kind.as_str())
            });
        }
    }
    for t in &cx.tables {
        if !t.same_shape() {
            continue;
        }
        for (s_row, t_row) in t.paired_rows() {
            for (col, (s, c)) in s_row.cells.iter().zip(&t_row.cells).enumerate() {
                // The texts first: the column's role is worked out only when asked.
                if untranslated(&s.text, &c.text) && t.role(col) == Role::Text {
                    report(&s.text, &c.text, c.span, s.span, &|| {
                        format!("\"{}\" of row {}", t.column_name(col), row_name(s_row))
                    });
                }
            }
        }
    }
}

/// The translatable part of a text: its words written entirely in lower-case letters.
/// Capitalized names (Azure, Kubernetes), acronyms, code and numbers drop out.
pub fn prose(text: &str) -> String {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().count() >= 2 && w.chars().all(|c| c.is_alphabetic() && c.is_lowercase()))
        .collect::<Vec<_>>()
        .join(" ")
}
