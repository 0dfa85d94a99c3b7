//! `front-matter-invalid`: the YAML front matter does not parse or is not a mapping.

use crate::finding::Finding;
use crate::model::FrontMatter;
use crate::rules::{Cx, RuleId};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    if let FrontMatter::Invalid { error_span, message, .. } = &cx.tr.front_matter {
        acc.push(
            Finding::new(RuleId::FrontMatterInvalid, *error_span, format!("front matter is not valid YAML: {message}"))
                .with_help("the page's metadata (title, ms.date, locale) is lost until the YAML parses")
                .with_key("front-matter"),
        );
    }
}
