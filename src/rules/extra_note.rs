//! `extra-note`: the translation has an alert the source does not.

use crate::rules::RuleId;
use crate::align::Pair;
use crate::finding::Finding;
use crate::rules::Cx;

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    // A stub gets one untranslated-page finding, not one per block.
    if super::untranslated_page::stub(cx).is_some() {
        return;
    }
    let (src, tr) = (&cx.src_alerts, &cx.tr_alerts);
    for &p in &cx.notes {
        let Pair::Extra(j) = p else { continue };
        let note = tr[j];
        let nth = tr[..=j].iter().filter(|n| n.kind == note.kind).count();
        acc.push(
            Finding::new(
                RuleId::ExtraNote,
                note.marker_span,
                format!(
                    "this {} has no counterpart in the source ({} {} there, {} here): \"{}\"",
                    note.kind.as_str(),
                    src.len(),
                    if src.len() == 1 { "alert" } else { "alerts" },
                    tr.len(),
                    crate::text::shorten(&note.text, 70)
                ),
            )
            .with_help("the translation may have been made from a newer source, or the note was added by hand")
            .with_key(format!("note:{}#{nth}", note.kind.as_str())),
        );
    }
}
