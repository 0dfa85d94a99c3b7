//! `include-mismatch`: `[!INCLUDE]` directives differ from the source's.

use crate::rules::RuleId;
use crate::align::{self, Pair};
use crate::finding::{Finding, Fix, Span};
use crate::model::Include;
use crate::rules::{same_target, Cx};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    // A stub gets one untranslated-page finding, not one per block.
    if super::untranslated_page::stub(cx).is_some() {
        return;
    }
    let src: Vec<&Include> = cx.src.includes().collect();
    let tr: Vec<&Include> = cx.tr.includes().collect();
    let pairs = align::pairs(&src, &tr, |a, b| same_target(&a.path, &b.path), |_, _| align::MIN_SCORE);
    let mut last: Option<Span> = None;
    for p in pairs {
        match p {
            Pair::Same(_, j) => last = Some(tr[j].span),
            Pair::Changed(i, j) => {
                last = Some(tr[j].span);
                acc.push(
                    Finding::new(
                        RuleId::IncludeMismatch,
                        tr[j].path_span,
                        format!("includes `{}`; the source includes `{}` here", tr[j].path, src[i].path),
                    )
                    .with_source(src[i].path_span)
                    .with_key(format!("include:{}->{}", src[i].path, tr[j].path))
                    .with_fix(Fix {
                        span: tr[j].path_span,
                        replacement: src[i].path.clone(),
                        safe: true,
                    }),
                );
            }
            Pair::Moved(i, j) => {
                last = Some(tr[j].span);
                acc.push(
                    Finding::new(
                        RuleId::IncludeMismatch,
                        tr[j].span,
                        format!("`{}` is included in a different order than in the source", tr[j].path),
                    )
                    .with_source(src[i].span)
                    .with_key(format!("include:{}/order", src[i].path)),
                );
            }
            Pair::Missing(i) => acc.push(
                Finding::new(
                    RuleId::IncludeMismatch,
                    last.unwrap_or_else(|| tr.first().map_or(Span::new(0, 0), |t| t.span)),
                    format!("the source includes `{}`; the translation does not", src[i].path),
                )
                .with_source(src[i].span)
                .with_key(format!("include:{}", src[i].path)),
            ),
            Pair::Extra(j) => {
                last = Some(tr[j].span);
                acc.push(
                    Finding::new(
                        RuleId::IncludeMismatch,
                        tr[j].span,
                        format!("includes `{}`, which the source does not include", tr[j].path),
                    )
                    .with_key(format!("include:+{}", tr[j].path)),
                );
            }
        }
    }
}
