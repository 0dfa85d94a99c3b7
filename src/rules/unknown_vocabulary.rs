//! `unknown-vocabulary`: a cell in a flag column starts with a word no vocabulary knows.

use crate::finding::Finding;
use crate::model::CellValue;
use crate::rules::{key, row_name, Cx, RuleId};
use crate::tables::Role;

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    // Named only for a finding: most pairs have none.
    let file = || match cx.settings.vocab.language_for(cx.locale) {
        Some(l) => format!("rules/vocab/{}.yaml", l.language),
        None => format!("a `vocabulary:` entry for `{}` in locdrift.yaml", cx.locale),
    };
    for t in &cx.tables {
        for (s_row, col, s, tr) in t.changed_cells() {
            // Only a translation problem when the source cell is a known yes/no word
            // or empty; an unknown word in the source itself is not the translator's.
            let source_known = matches!(s.value(), CellValue::Flag(_) | CellValue::Empty);
            if !source_known || *tr.value() != CellValue::Text || t.role(col) != Role::Flag {
                continue;
            }
            let word = first_word(&cx.settings.vocab.strip_markers(&tr.text));
            acc.push(
                Finding::new(
                    RuleId::UnknownVocabulary,
                    tr.span,
                    format!(
                        "\"{word}\" in \"{}\" of row {} is not a yes/no word of any vocabulary",
                        t.column_name(col),
                        row_name(s_row)
                    ),
                )
                .with_source(s.span)
                .with_help(format!("if \"{word}\" means yes or no, add it to `yes:` or `no:` in {}", file()))
                .with_key(key::cell(t.index, &s_row.key, col)),
            );
        }
    }
}

fn first_word(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '(' || c == ',' || c == '、' || c == '（')
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_string()
}
