//! `image-mismatch`: image targets differ from the source's.

use crate::rules::RuleId;
use crate::align::{self, Pair};
use crate::finding::{Finding, Span};
use crate::model::Link;
use crate::rules::{same_target, Cx};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    let src: Vec<&Link> = cx.src.images.iter().collect();
    let tr: Vec<&Link> = cx.tr.images.iter().collect();
    let pairs = align::pairs(&src, &tr, |a, b| same_image(&a.target, &b.target), |_, _| 0.75);
    let mut last = Span::new(0, 0);
    for p in pairs {
        match p {
            Pair::Same(_, j) | Pair::Moved(_, j) => last = tr[j].span,
            Pair::Changed(i, j) => {
                last = tr[j].span;
                acc.push(
                    Finding::new(
                        RuleId::ImageMismatch,
                        tr[j].target_span,
                        format!("image is `{}`; the source shows `{}`", tr[j].target, src[i].target),
                    )
                    .with_source(src[i].target_span),
                );
            }
            Pair::Missing(i) => acc.push(
                Finding::new(RuleId::ImageMismatch, last, format!("the source's image `{}` is missing here", src[i].target))
                    .with_source(src[i].span),
            ),
            Pair::Extra(j) => {
                last = tr[j].span;
                acc.push(Finding::new(
                    RuleId::ImageMismatch,
                    tr[j].span,
                    format!("image `{}` has no counterpart in the source", tr[j].target),
                ));
            }
        }
    }
}

/// Localized screenshots live in locale folders (`media/sv-se/x.png`); they are the same image.
fn same_image(a: &str, b: &str) -> bool {
    same_target(a, b) || strip_locale_dir(a) == strip_locale_dir(b)
}

fn strip_locale_dir(path: &str) -> String {
    path.split('/')
        .filter(|seg| !crate::locale::is_locale(seg) || !seg.contains('-'))
        .collect::<Vec<_>>()
        .join("/")
        .to_lowercase()
}
