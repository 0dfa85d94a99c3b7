//! `stale-translation`: the translation was made from an older source.
//!
//! Two signals. The `ms.date` Microsoft copies at hand-off (a translation newer than its
//! source means the source checkout is behind). And the sync point (`sync`): the source
//! version the translation was made from, recorded in the front matter (`l10n.sourceCommit`
//! of MDN, `default_lang_commit` of OpenTelemetry, `ms.sourcegitcommit`; the key is
//! configurable) or inferred from git as the newest version of the source whose
//! language-neutral signature the translation matches. The rule fires only when the source
//! changed meaningfully since then, and says how many changes, since when, and where: a
//! typo fix committed to the translation, a bulk commit that touched every translation, or
//! an English edit of emphasis or link spelling changes nothing here.

use crate::finding::{Finding, Span};
use crate::rules::{Cx, RuleId};

/// The key of the finding that says the translation is *newer* than its source: the
/// source checkout is behind, so the translation is not stale (reports tell them apart).
pub const KEY_NEWER: &str = "file:stale:ms.date-newer";
const KEY_OLDER: &str = "file:stale:ms.date-older";

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    let fm_span = cx.tr.front_matter.span().map_or(Span::new(0, 0), |s| crate::rules::first_line(s, cx.tr_text));
    if let (Some(src), Some(tr)) = (cx.src.front_matter.get("ms.date"), cx.tr.front_matter.get("ms.date")) {
        if let (Some(a), Some(b)) = (parse_date(&src.value), parse_date(&tr.value)) {
            if b < a {
                acc.push(
                    Finding::new(
                        RuleId::StaleTranslation,
                        tr.span,
                        format!(
                            "translated from an older source: ms.date {} here, {} in the source",
                            tr.value, src.value
                        ),
                    )
                    .with_source(src.span)
                    .with_key(KEY_OLDER.to_string()),
                );
            } else if b > a {
                acc.push(
                    Finding::new(
                        RuleId::StaleTranslation,
                        tr.span,
                        format!(
                            "the translation is newer than its source: ms.date {} here, {} in the source",
                            tr.value, src.value
                        ),
                    )
                    .with_source(src.span)
                    .with_help("the source checkout may be behind the translation's; update it before comparing")
                    .with_key(KEY_NEWER.to_string()),
                );
            }
        }
    }
    let Some(files) = cx.files else { return };
    // Only the opt-in hand-off check needs to know (dates are read for every pair).
    let date_differs = || {
        let dated = cx.src.front_matter.get("ms.date").zip(cx.tr.front_matter.get("ms.date"));
        dated.is_some_and(|(s, t)| parse_date(&s.value) != parse_date(&t.value))
    };
    let handoff = cx.settings.options.stale_handoff_hash && !date_differs();
    if let (Some(hash), true) = (cx.tr.front_matter.get("ms.openlocfilehash"), handoff) {
        if let Some((current, locales)) = current_hash(
            &files.workspace.peers(files.source),
            cx.src.front_matter.get("ms.date").map(|d| d.value.as_str()),
        ) {
            if hash.value != current {
                acc.push(
                    Finding::new(
                        RuleId::StaleTranslation,
                        hash.span,
                        format!(
                            "translated from another source version: ms.openlocfilehash {} here, {} in {} (handed off with the source's ms.date)",
                            short(&hash.value),
                            short(&current),
                            locales.join(", ")
                        ),
                    )
                    .with_help("ms.openlocfilehash is the same for translations made from the same source version")
                    .with_key("file:stale:handoff-hash".to_string()),
                );
            }
        }
    }
    // Outside a repository there is no sync point to find, stamped or inferred (every
    // question below needs HEAD): the signature is not worth making (2k callgrind: 56 M
    // of 870 M instructions).
    if files.workspace.head_commit().is_none() {
        return;
    }
    // The sync point: the source version this translation was made from.
    let stamp = cx.settings.options.stamp_keys.iter().find_map(|k| cx.tr.front_matter.get(k).map(|e| (k, e)));
    let signature = crate::sync::signature(cx.tr, cx.tr_text);
    // Unchanged since the stamp: nothing more to ask (the commit graph answers this for
    // many stamps at once). A stamp git does not know (Microsoft's `ms.sourcegitcommit`
    // names a commit of another repository) is no sync point: it is inferred instead.
    let changed = stamp.map(|(_, e)| files.workspace.changed_since(files.source, e.value.trim()));
    let stamp = stamp.filter(|_| changed.flatten().is_some());
    let (place, stamp) = match stamp {
        Some((key, entry)) => {
            let commit = entry.value.trim();
            let changed = changed.flatten();
            if changed == Some(false) {
                return;
            }
            let Some(sync) = files.workspace.sync_point(files.source, files.translation, &signature, Some(commit))
            else {
                if changed == Some(true) {
                    acc.push(
                        Finding::new(
                            RuleId::StaleTranslation,
                            entry.span,
                            format!("the source changed after commit {} (recorded in `{key}`)", short(commit)),
                        )
                        .with_key(format!("file:stale:{key}")),
                    );
                }
                return;
            };
            ((entry.span, format!("file:stale:{key}")), Some(sync))
        }
        // A translation whose signature is the source's as it is now matches the newest
        // version: nothing to look up.
        None if *cx.src_signature() == signature => return,
        None => ((fm_span, "file:stale:sync".to_string()), None),
    };
    let sync = match stamp {
        Some(sync) => sync,
        None => match files.workspace.sync_point(files.source, files.translation, &signature, None) {
            Some(sync) => sync,
            None => return,
        },
    };
    let shared = cx.src_shared();
    let changes = sync.changes_from(shared.units(cx.src, cx.src_text), &|text| shared.version_units(text));
    if changes.is_empty() {
        return;
    }
    let (n, date, sections) = (changes.len(), crate::sync::date(sync.time), crate::sync::describe(&changes));
    let how = if sync.stamped { "recorded" } else { "inferred" };
    let mut finding = Finding::new(
        RuleId::StaleTranslation,
        place.0,
        format!(
            "{n} {} since {date} ({}): {sections}",
            if n == 1 { "change" } else { "changes" },
            &sync.commit[..sync.commit.len().min(7)],
        ),
    )
    .with_help(format!(
        "the source changed meaningfully since the version this translation was made from ({how} sync point); \
         `locdrift diff {}` shows what to carry over, and `locdrift stamp` records the new sync point",
        files.translation
    ))
    .with_key(place.1);
    finding.sync = Some(crate::finding::SyncInfo { commit: sync.commit.clone(), date, changes: n, sections });
    acc.push(finding);
}

/// The source version most translations were handed off from: the most common
/// `ms.openlocfilehash` among translations that carry the source's `ms.date`. `None`
/// when there is no such translation or the vote is tied.
fn current_hash(peers: &[crate::rules::Peer], source_date: Option<&str>) -> Option<(String, Vec<String>)> {
    let date = parse_date(source_date?)?;
    let mut votes: Vec<(String, Vec<String>)> = Vec::new();
    for p in peers.iter().filter(|p| p.date.as_deref().and_then(parse_date) == Some(date)) {
        match votes.iter_mut().find(|(h, _)| *h == p.hash) {
            Some((_, locales)) => locales.push(p.locale.clone()),
            None => votes.push((p.hash.clone(), vec![p.locale.clone()])),
        }
    }
    votes.sort_by_key(|v| std::cmp::Reverse(v.1.len()));
    match votes.as_slice() {
        [] => None,
        [(h, l)] => Some((h.clone(), l.clone())),
        [(h, l), (_, next), ..] if l.len() > next.len() => Some((h.clone(), l.clone())),
        _ => None,
    }
}

/// `MM/DD/YYYY` (Microsoft Learn) or `YYYY-MM-DD`, as a comparable (year, month, day).
pub fn parse_date(text: &str) -> Option<(u32, u32, u32)> {
    let t = text.trim().trim_matches('"');
    let nums: Vec<u32> = t.split(['/', '-', 'T', ' ']).take(3).map(|p| p.parse().ok()).collect::<Option<_>>()?;
    match nums.as_slice() {
        [m, d, y] if t.contains('/') && *y > 1900 => Some((*y, *m, *d)),
        [y, m, d] if t.contains('-') && *y > 1900 => Some((*y, *m, *d)),
        _ => None,
    }
}

fn short(commit: &str) -> &str {
    let c = commit.trim();
    &c[..c.len().min(10)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_in_both_orders() {
        assert_eq!(parse_date("02/13/2024"), Some((2024, 2, 13)));
        for bad in ["", "2024", "02/13", "1900-01-01", "2024-xx-01", "13/2024", "2024/02/13"] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
        assert_eq!(parse_date("2024-02-13T10:00"), Some((2024, 2, 13)));
    }
}
