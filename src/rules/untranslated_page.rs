//! `untranslated-page`: the translation is a stub (front matter only, or a small share of the
//! source's blocks); one finding instead of one per missing block, link and heading.

use crate::rules::RuleId;
use crate::finding::{Finding, Span};
use crate::rules::Cx;
use crate::parse::front_matter_end;

/// A translation with fewer blocks than this share of the source's is a stub.
const STUB_SHARE: f32 = 0.25;
/// Sources with fewer blocks than this are too short to judge by share.
const MIN_SOURCE_BLOCKS: usize = 8;

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    let Some((kept, total)) = stub(cx) else { return };
    let body = front_matter_end(cx.tr_text);
    let span = if body >= cx.tr_text.trim_end().len() {
        cx.tr
            .front_matter
            .span()
            .map_or(Span::new(0, 0), |s| Span::new(s.start, s.start + cx.tr_text[s.start..].find('\n').unwrap_or(0)))
    } else {
        let e = cx.tr_text[body..].find('\n').map_or(cx.tr_text.len(), |k| body + k);
        Span::new(body, e)
    };
    let what = if kept == 0 {
        "has no content beyond its front matter".to_string()
    } else {
        format!("keeps {kept} of the source's {total} blocks")
    };
    acc.push(
        Finding::new(RuleId::UntranslatedPage, span, format!("this translation is a stub: it {what}"))
            .with_key("page")
            .with_help(
            "translate the page, or remove it so readers get the source (per-block findings are left out for a stub)",
        ),
    );
}

/// (translation blocks, source blocks) when the translation is a stub. Rules that report
/// per block ask it first, so a stub gets one finding, not hundreds.
pub fn stub(cx: &Cx) -> Option<(usize, usize)> {
    *cx.stub.get_or_init(|| judge(cx))
}

fn judge(cx: &Cx) -> Option<(usize, usize)> {
    let src_body = cx.src_text[front_matter_end(cx.src_text)..].trim();
    if src_body.is_empty() {
        return None;
    }
    let tr_body = cx.tr_text[front_matter_end(cx.tr_text)..].trim();
    if tr_body.is_empty() {
        return Some((0, 1));
    }
    // A stub is short too: a full-length page whose Markdown a tool mangled (lists escaped,
    // fences glued) keeps few blocks, but it is translated, and its blocks are findings.
    // Asked first, since every per-block rule asks and most pages are not short.
    if (tr_body.len() as f32) >= src_body.len() as f32 * STUB_SHARE {
        return None;
    }
    let al = cx.blocks();
    let (s, t) = (al.src.blocks.len(), al.tr.blocks.len());
    (s >= MIN_SOURCE_BLOCKS && (t as f32) < s as f32 * STUB_SHARE).then_some((t, s))
}
