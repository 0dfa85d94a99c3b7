//! Sequence alignment (a keyed diff) for rows, tables, notes, links and includes.
//!
//! First the longest common subsequence of items that are the same (equal keys), then,
//! inside each gap between two matches, the best pairing of the remaining items by
//! similarity: an item that kept its place but changed its key is `Changed`, not a
//! missing + extra pair. Leftovers with equal keys elsewhere are `Moved`.

/// How one source item relates to one translation item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pair {
    Same(usize, usize),
    Changed(usize, usize),
    Moved(usize, usize),
    Missing(usize),
    Extra(usize),
}

/// The largest table the quadratic dynamic programs take; beyond it (a table with
/// thousands of rows that changed throughout) items are paired by position, which is
/// linear and still never panics.
const MAX_CELLS: usize = 4_000_000;

/// Pairs with a similarity under this are not the same item rewritten.
pub const MIN_SCORE: f32 = 0.5;

/// The dynamic programs' tables and the common subsequence, kept by the caller for every
/// gap of one alignment rather than allocated (and zeroed) once per gap.
#[derive(Default)]
struct Tables {
    lcs: Vec<u32>,
    best: Vec<f32>,
    /// Each pair's score, as the fill computed it: the traceback reads it back.
    scores: Vec<f32>,
    matches: Vec<(usize, usize)>,
}

/// Appends the alignment of `src` and `tr` to `out`, with indices into them; a move leaves
/// a `Missing(usize::MAX)` placeholder at the end of what it appended.
fn align_into<S, T>(
    src: &[S],
    tr: &[T],
    same: &impl Fn(&S, &T) -> bool,
    score: &impl Fn(&S, &T) -> f32,
    tables: &mut Tables,
    out: &mut Vec<Pair>,
) {
    let n = src.len();
    let m = tr.len();
    let start = out.len();
    // Common prefix and suffix are cheap and usually most of a table.
    let mut prefix = 0;
    while prefix < n && prefix < m && same(&src[prefix], &tr[prefix]) {
        prefix += 1;
    }
    let mut suffix = 0;
    while suffix < n - prefix && suffix < m - prefix && same(&src[n - 1 - suffix], &tr[m - 1 - suffix]) {
        suffix += 1;
    }
    out.extend((0..prefix).map(|i| Pair::Same(i, i)));
    // Most often every item is the same as its counterpart.
    if prefix == n && prefix == m {
        return;
    }
    let (s0, s1, t0, t1) = (prefix, n - suffix, prefix, m - suffix);
    let mut matches = std::mem::take(&mut tables.matches);
    lcs(s1 - s0, t1 - t0, |i, j| same(&src[s0 + i], &tr[t0 + j]), &mut tables.lcs, &mut matches);
    let mut si = s0;
    let mut ti = t0;
    for (a, b) in matches.iter().map(|&(a, b)| (a + s0, b + t0)).chain(std::iter::once((s1, t1))) {
        pair_gap(si, a, ti, b, src, tr, score, tables, out);
        if a < s1 {
            out.push(Pair::Same(a, b));
        }
        si = a + 1;
        ti = b + 1;
    }
    tables.matches = matches;
    out.extend((0..suffix).map(|k| Pair::Same(s1 + k, t1 + k)));
    find_moves(&mut out[start..], src, tr, same);
}

/// The longest common subsequence of `0..n` and `0..m` under `same`, as index pairs in
/// `out` (cleared first); `table` is the caller's, reused.
fn lcs(n: usize, m: usize, same: impl Fn(usize, usize) -> bool, table: &mut Vec<u32>, out: &mut Vec<(usize, usize)>) {
    out.clear();
    if n == 0 || m == 0 {
        return;
    }
    if n.saturating_mul(m) > MAX_CELLS {
        out.extend((0..n.min(m)).filter(|&i| same(i, i)).map(|i| (i, i)));
        return;
    }
    // table[i][j] = LCS length of src[i..] and tr[j..]. Each row is filled from the one
    // below it; the last row and column (empty suffixes) are 0, and every other cell is
    // written before it is read, so the table is not cleared between gaps.
    let width = m + 1;
    table.resize(table.len().max((n + 1) * width), 0);
    table[n * width..(n + 1) * width].fill(0);
    for i in (0..n).rev() {
        let (upper, lower) = table.split_at_mut((i + 1) * width);
        let (row, below) = (&mut upper[i * width..], &lower[..width]);
        row[m] = 0;
        for j in (0..m).rev() {
            row[j] = if same(i, j) { below[j + 1] + 1 } else { below[j].max(row[j + 1]) };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if same(i, j) {
            out.push((i, j));
            i += 1;
            j += 1;
        } else if table[(i + 1) * width + j] >= table[i * width + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
}

/// Pairs the unmatched items between two matches: a monotone assignment maximizing the
/// total similarity, pairs under `MIN_SCORE` excluded.
#[allow(clippy::too_many_arguments)]
fn pair_gap<S, T>(
    s0: usize,
    s1: usize,
    t0: usize,
    t1: usize,
    src: &[S],
    tr: &[T],
    score: &impl Fn(&S, &T) -> f32,
    tables: &mut Tables,
    out: &mut Vec<Pair>,
) {
    let (n, m) = (s1 - s0, t1 - t0);
    if n == 0 || m == 0 || n.saturating_mul(m) > MAX_CELLS {
        let paired = if n.saturating_mul(m) > MAX_CELLS { n.min(m) } else { 0 };
        for k in 0..paired {
            out.push(Pair::Changed(s0 + k, t0 + k));
        }
        out.extend((s0 + paired..s1).map(Pair::Missing));
        out.extend((t0 + paired..t1).map(Pair::Extra));
        return;
    }
    // best[i][j] = the best total of src[i..] and tr[j..]; filled row by row as in `lcs`,
    // with each pair's score kept for the traceback.
    let width = m + 1;
    let Tables { best, scores, .. } = tables;
    best.resize(best.len().max((n + 1) * width), 0.0);
    best[n * width..(n + 1) * width].fill(0.0);
    scores.resize(scores.len().max(n * m), 0.0);
    for i in (0..n).rev() {
        let (upper, lower) = best.split_at_mut((i + 1) * width);
        let (row, below) = (&mut upper[i * width..], &lower[..width]);
        let row_scores = &mut scores[i * m..(i + 1) * m];
        row[m] = 0.0;
        for j in (0..m).rev() {
            let s = score(&src[s0 + i], &tr[t0 + j]);
            row_scores[j] = s;
            let take = if s >= MIN_SCORE { below[j + 1] + s } else { f32::MIN };
            row[j] = take.max(below[j]).max(row[j + 1]);
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        let s = scores[i * m + j];
        if s >= MIN_SCORE && best[i * width + j] == best[(i + 1) * width + j + 1] + s {
            out.push(Pair::Changed(s0 + i, t0 + j));
            i += 1;
            j += 1;
        } else if best[i * width + j] == best[(i + 1) * width + j] {
            out.push(Pair::Missing(s0 + i));
            i += 1;
        } else {
            out.push(Pair::Extra(t0 + j));
            j += 1;
        }
    }
    out.extend((s0 + i..s1).map(Pair::Missing));
    out.extend((t0 + j..t1).map(Pair::Extra));
}

/// A missing item whose key appears among the extra ones moved; pair them.
fn find_moves<S, T>(out: &mut [Pair], src: &[S], tr: &[T], same: &impl Fn(&S, &T) -> bool) {
    let extras: Vec<usize> =
        out.iter().enumerate().filter(|(_, p)| matches!(p, Pair::Extra(_))).map(|(k, _)| k).collect();
    if extras.is_empty() {
        return;
    }
    let mut used = vec![false; extras.len()];
    for k in 0..out.len() {
        let Pair::Missing(i) = out[k] else { continue };
        for (e, &slot) in extras.iter().enumerate() {
            let Pair::Extra(j) = out[slot] else { continue };
            if !used[e] && same(&src[i], &tr[j]) {
                used[e] = true;
                out[k] = Pair::Moved(i, j);
                out[slot] = Pair::Moved(i, usize::MAX);
                break;
            }
        }
    }
    // The second half of each move was only a marker; the pair is recorded once.
    let mut w = 0;
    for r in 0..out.len() {
        if !matches!(out[r], Pair::Moved(_, usize::MAX)) {
            out[w] = out[r];
            w += 1;
        }
    }
    for p in out.iter_mut().skip(w) {
        *p = Pair::Missing(usize::MAX);
    }
}

/// Aligns two sequences: `Same` where `same` holds, in order; the rest paired by `score`,
/// or `Moved`, `Missing`, `Extra`.
pub fn pairs<S, T>(src: &[S], tr: &[T], same: impl Fn(&S, &T) -> bool, score: impl Fn(&S, &T) -> f32) -> Vec<Pair> {
    let mut out = Vec::with_capacity(src.len().max(tr.len()));
    align_into(src, tr, &same, &score, &mut Tables::default(), &mut out);
    out.retain(|p| !matches!(p, Pair::Missing(usize::MAX)));
    out
}

/// The blocks with equal text, paired in order: `lcs` by text, with the table built only
/// for the source blocks whose text the translation has somewhere (in a translation, few
/// besides code and includes). The traceback passes over a source block that matches
/// nothing without a choice (its row equals the next one), so leaving such rows out of
/// the table pairs exactly the same blocks; above `MAX_CELLS`, `lcs` as it was.
fn text_anchors(src: &[crate::skeleton::Sig], tr: &[crate::skeleton::Sig], tables: &mut Tables) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if src.len().saturating_mul(tr.len()) > MAX_CELLS {
        lcs(src.len(), tr.len(), |i, j| src[i].text == tr[j].text, &mut tables.lcs, &mut out);
        return out;
    }
    // (0 is a translation's block that no source block can equal.)
    let mut texts: Vec<u64> = tr.iter().map(|t| t.text).filter(|&t| t != 0).collect();
    if texts.is_empty() {
        return out;
    }
    texts.sort_unstable();
    let rows: Vec<usize> = (0..src.len()).filter(|&i| texts.binary_search(&src[i].text).is_ok()).collect();
    lcs(rows.len(), tr.len(), |i, j| src[rows[i]].text == tr[j].text, &mut tables.lcs, &mut out);
    for p in &mut out {
        p.0 = rows[p.0];
    }
    out
}

/// Aligns two skeletons: the same block where kind and neutral tokens agree (and, for
/// prose without tokens, the text too); inside each gap, blocks of a kind pair by
/// similarity. A prose block left over beside a pair whose counterpart is about as long as
/// both together was merged into it (or split from it) by the translator, and is dropped
/// from the result rather than reported as missing or extra.
pub fn skeletons(src_sigs: &crate::skeleton::Sigs, tr_sigs: &crate::skeleton::Sigs) -> Vec<Pair> {
    use crate::skeleton::{Kind, Sig};
    let (src, tr) = (&src_sigs.list[..], &tr_sigs.list[..]);
    let prose_len = |v: &[Sig]| v.iter().filter(|s| s.kind.is_prose()).map(|s| s.len).sum::<usize>().max(1);
    // How much longer the translation's prose is: scripts differ in bytes per idea.
    let ratio = prose_len(tr) as f32 / prose_len(src) as f32;
    // An HTML block's tag says little (every `</TabItem>` has it): only its text pairs it
    // outright, as for prose without neutral tokens.
    let same = |a: &Sig, b: &Sig| {
        a.text == b.text
            // A heading under the source's id (`<a name="slug">`) at the same level.
            || a.kind == Kind::Heading && b.kind == Kind::Heading && a.slug == b.slug
            || a.kind == b.kind
                && a.key == b.key
                && match a.kind {
                    Kind::Html => false,
                    // A directive known by its name alone (`{{< tab >}}`) is like a tag.
                    Kind::Directive => a.token_count() > 1,
                    k => !k.is_prose() || a.token_count() > 0,
                }
    };
    let score = |a: &Sig, b: &Sig| -> f32 {
        // A picture kept as `![alt](src)` where the source now has `:::image` (or the other
        // way) is that picture in another syntax, whatever file it shows.
        if a.image && b.image && a.kind != b.kind {
            return 0.6 + if a.parent == b.parent { 0.2 } else { 0.0 };
        }
        if a.kind != b.kind || a.group != b.group {
            return 0.0;
        }
        // Equal text outweighs any similarity.
        if a.text == b.text {
            return 2.0;
        }
        let (at, bt) = (src_sigs.tokens(a), tr_sigs.tokens(b));
        let jaccard = if at.is_empty() && bt.is_empty() {
            0.5
        } else {
            let common = at.iter().filter(|t| bt.binary_search(t).is_ok()).count();
            common as f32 / (at.len() + bt.len() - common).max(1) as f32
        };
        let (x, y) = (a.len as f32 * ratio, b.len as f32);
        let length = x.min(y) / x.max(y).max(1.0);
        let depth = if a.depth == b.depth { 0.1 } else { 0.0 }
            + if a.parent == b.parent { 0.2 } else { 0.0 }
            + if a.next != 0 && a.next == b.next { 0.2 } else { 0.0 };
        if a.kind.is_prose() {
            0.5 + 0.2 * jaccard + 0.2 * length + depth
        } else if a.kind == Kind::Command {
            // Commands pair only with a command of mostly the same words: another example
            // in its place is a missing one and an extra one.
            if jaccard < 0.4 {
                0.0
            } else {
                0.5 + 0.4 * jaccard + depth
            }
        } else {
            0.5 + 0.4 * if a.key == b.key { 1.0 } else { jaccard } + depth
        }
    };
    // Blocks with equal text anchor first (of two `{{< tab >}}`s, the one with the same
    // body is the same tab); the gaps between them align by kind and signature.
    let mut out = Vec::with_capacity(src.len().max(tr.len()));
    let mut tables = Tables::default();
    let anchors = text_anchors(src, tr, &mut tables);
    let (mut si, mut ti) = (0, 0);
    for (a, b) in anchors.into_iter().chain(std::iter::once((src.len(), tr.len()))) {
        // Each gap is aligned in place, then its indices are made the page's.
        let start = out.len();
        align_into(&src[si..a], &tr[ti..b], &same, &score, &mut tables, &mut out);
        for p in &mut out[start..] {
            *p = match *p {
                Pair::Same(i, j) => Pair::Same(i + si, j + ti),
                Pair::Changed(i, j) => Pair::Changed(i + si, j + ti),
                Pair::Moved(i, j) => Pair::Moved(i + si, j + ti),
                Pair::Missing(usize::MAX) => Pair::Missing(usize::MAX),
                Pair::Missing(i) => Pair::Missing(i + si),
                Pair::Extra(j) => Pair::Extra(j + ti),
            };
        }
        if a < src.len() {
            out.push(Pair::Same(a, b));
        }
        si = a + 1;
        ti = b + 1;
    }
    out.retain(|p| *p != Pair::Missing(usize::MAX));
    // A block whose counterpart lies in another gap between text anchors (a section the
    // source moved up or down the page) moved; it is not missing here and extra there.
    // Only what names itself moves across the page: a heading's id, a command, an include,
    // a directive with arguments, prose with two neutral tokens in common. A heading
    // without an id is `same` as any of its level, an alert as any of its kind, which only
    // the order around them can settle.
    let moved = |a: &Sig, b: &Sig| {
        a.text == b.text
            || same(a, b)
                && match a.kind {
                    Kind::Heading => a.slug == b.slug,
                    Kind::Command | Kind::Include | Kind::Directive => true,
                    k => k.is_prose() && a.token_count() >= 2,
                }
    };
    find_moves(&mut out, src, tr, &moved);
    out.retain(|p| *p != Pair::Missing(usize::MAX));
    // What follows pairs or drops the blocks left over, which most translations have none of.
    if !out.iter().any(|p| matches!(p, Pair::Missing(_) | Pair::Extra(_))) {
        return out;
    }
    // A command left over under a paired description is that example's command, changed.
    let paired_before = |out: &[Pair], i: usize, j: usize| {
        i > 0 && j > 0 && out.iter().any(|p| matches!(*p, Pair::Same(a, b) | Pair::Changed(a, b) | Pair::Moved(a, b) if a == i - 1 && b == j - 1))
    };
    let missing: Vec<usize> = out
        .iter()
        .filter_map(|p| match *p {
            Pair::Missing(i) if src[i].kind == Kind::Command => Some(i),
            _ => None,
        })
        .collect();
    for &i in &missing {
        let extra = out
            .iter()
            .position(|p| matches!(*p, Pair::Extra(j) if tr[j].kind == Kind::Command && paired_before(&out, i, j)));
        if let Some(k) = extra {
            let Pair::Extra(j) = out[k] else { continue };
            out[k] = Pair::Changed(i, j);
            out.retain(|p| *p != Pair::Missing(i));
        }
    }
    // Between two pairs, as many examples (a description and its command) missing as
    // extra: the translation's examples in those places, with their commands changed.
    // (Only a page with a command left over has such a run.)
    let mut k = if missing.is_empty() { out.len() } else { 0 };
    while k < out.len() {
        let end = (k..out.len()).find(|&e| !matches!(out[e], Pair::Missing(_) | Pair::Extra(_))).unwrap_or(out.len());
        let run = &out[k..end];
        let cmds = |f: &dyn Fn(&Pair) -> Option<usize>, side: &[Sig]| -> Vec<usize> {
            run.iter().filter_map(f).filter(|&x| side[x].kind == Kind::Command).collect()
        };
        let missing = cmds(&|p| if let Pair::Missing(i) = *p { Some(i) } else { None }, src);
        let extra = cmds(&|p| if let Pair::Extra(j) = *p { Some(j) } else { None }, tr);
        if !missing.is_empty() && missing.len() == extra.len() {
            let mut pairs = Vec::new();
            for (&i, &j) in missing.iter().zip(&extra) {
                pairs.push((i, j));
                let item = |x: usize, side: &[Sig]| x > 0 && side[x - 1].kind == Kind::ListItem;
                if item(i, src)
                    && item(j, tr)
                    && run.contains(&Pair::Missing(i - 1))
                    && run.contains(&Pair::Extra(j - 1))
                {
                    pairs.push((i - 1, j - 1));
                }
            }
            let mut run: Vec<Pair> = run
                .iter()
                .copied()
                .filter(|p| !pairs.iter().any(|&(i, j)| *p == Pair::Missing(i) || *p == Pair::Extra(j)))
                .collect();
            run.extend(pairs.iter().map(|&(i, j)| Pair::Changed(i, j)));
            run.sort_by_key(|p| match *p {
                Pair::Changed(i, _) | Pair::Missing(i) => (i, 0),
                Pair::Extra(j) => (j, 1),
                _ => (0, 0),
            });
            let len = run.len();
            out.splice(k..end, run);
            k += len + 1;
            continue;
        }
        k = end + 1;
    }
    // Prose missing and prose extra under the same heading is the section's prose moved
    // or rewritten (reordered prose is not drift): paired in order, as many as both have.
    let prose_left = |out: &[Pair]| {
        out.iter().any(|p| matches!(*p, Pair::Missing(i) if i != usize::MAX && src[i].kind.is_prose()))
            && out.iter().any(|p| matches!(*p, Pair::Extra(j) if tr[j].kind.is_prose()))
    };
    let mut start = if prose_left(&out) { 0 } else { out.len() };
    while start < out.len() {
        let end = (start + 1..out.len())
            .find(|&e| matches!(out[e], Pair::Same(i, _) | Pair::Changed(i, _) | Pair::Moved(i, _) if src[i].kind == Kind::Heading))
            .unwrap_or(out.len());
        let missing: Vec<usize> = out[start..end]
            .iter()
            .filter_map(|p| if let Pair::Missing(i) = *p { Some(i) } else { None })
            .filter(|&i| src[i].kind.is_prose())
            .collect();
        let extra: Vec<usize> = out[start..end]
            .iter()
            .filter_map(|p| if let Pair::Extra(j) = *p { Some(j) } else { None })
            .filter(|&j| tr[j].kind.is_prose())
            .collect();
        for (&i, &j) in missing.iter().zip(&extra) {
            if let Some(k) = out[start..end].iter().position(|p| *p == Pair::Missing(i)) {
                out[start + k] = Pair::Changed(i, j);
            }
            if let Some(k) = out[start..end].iter().position(|p| *p == Pair::Extra(j)) {
                out[start + k] = Pair::Missing(usize::MAX);
            }
        }
        start = end;
    }
    // The same for a section paired with its counterpart elsewhere on the page (moved,
    // its heading under the same id): its leftover prose on both sides pairs in order.
    // Each leftover prose block with its section and its place in `out`, in order; a
    // block paired here is taken out of its list (its section set to 0).
    let mut missing: Vec<(u32, usize)> = Vec::new();
    let mut extra: Vec<(u32, usize)> = Vec::new();
    if prose_left(&out) {
        for (k, p) in out.iter().enumerate() {
            match *p {
                Pair::Missing(i) if i != usize::MAX && src[i].kind.is_prose() => missing.push((src[i].section, k)),
                Pair::Extra(j) if tr[j].kind.is_prose() => extra.push((tr[j].section, k)),
                _ => {}
            }
        }
    }
    let headings: Vec<(usize, usize)> = if missing.is_empty() || extra.is_empty() {
        Vec::new()
    } else {
        out.iter()
            .filter_map(|p| match *p {
                Pair::Same(i, j) | Pair::Changed(i, j) | Pair::Moved(i, j)
                    if src[i].kind == Kind::Heading && tr[j].kind == Kind::Heading =>
                {
                    Some((i, j))
                }
                _ => None,
            })
            .collect()
    };
    for (hi, hj) in headings {
        let left = missing.iter_mut().filter(|m| m.0 as usize == hi + 1);
        let right = extra.iter_mut().filter(|e| e.0 as usize == hj + 1);
        for (m, e) in left.zip(right) {
            let (Pair::Missing(i), Pair::Extra(j)) = (out[m.1], out[e.1]) else { continue };
            out[m.1] = Pair::Changed(i, j);
            out[e.1] = Pair::Missing(usize::MAX);
            (m.0, e.0) = (0, 0);
        }
    }
    out.retain(|p| *p != Pair::Missing(usize::MAX));
    let fits = |whole: f32, part: f32, both: f32| (whole - both).abs() < (whole - part).abs();
    let mut partners = vec![usize::MAX; src.len() + tr.len()];
    let (partner_of_src, partner_of_tr) = partners.split_at_mut(src.len());
    for p in &out {
        if let Pair::Same(i, j) | Pair::Changed(i, j) | Pair::Moved(i, j) = *p {
            partner_of_src[i] = j;
            partner_of_tr[j] = i;
        }
    }
    // Merges are judged by the length ratio of the prose that did pair: a page's overall
    // ratio moves with what is missing from it.
    let (mut a, mut b) = (0usize, 0usize);
    for (i, &j) in partner_of_src.iter().enumerate() {
        if j != usize::MAX && src[i].kind.is_prose() {
            a += src[i].len;
            b += tr[j].len;
        }
    }
    let ratio = if a > 0 { b as f32 / a as f32 } else { ratio };
    // What a prose block cannot lose in a merge or split: its neutral tokens (code, links).
    let kept = |a: &[u64], b: &[u64]| a.iter().all(|t| b.binary_search(t).is_ok());
    // An HTML block ends at a blank line: a translation that puts one between `</TabItem>`
    // and the next `<TabItem>` splits the source's block in two (or joins two). Its only
    // token is its first tag's name, so the lengths alone judge, between HTML blocks.
    let like = |a: &Sig, neighbour: &Sig, counterpart: &Sig, tokens: &[u64], counterpart_tokens: &[u64]| {
        if a.kind == Kind::Html {
            neighbour.kind == Kind::Html && counterpart.kind == Kind::Html
        } else {
            counterpart.kind.is_prose() && kept(tokens, counterpart_tokens)
        }
    };
    out.retain(|p| match *p {
        // Translators merge and split paragraphs, not list items or quote lines.
        Pair::Missing(i) if matches!(src[i].kind, Kind::Paragraph | Kind::Html) => {
            let merged = |n: usize| {
                let j = partner_of_src[n];
                j != usize::MAX
                    && like(&src[i], &src[n], &tr[j], src_sigs.tokens(&src[i]), tr_sigs.tokens(&tr[j]))
                    && fits(tr[j].len as f32, src[n].len as f32 * ratio, (src[n].len + src[i].len) as f32 * ratio)
            };
            !((i > 0 && merged(i - 1)) || (i + 1 < src.len() && merged(i + 1)))
        }
        Pair::Extra(j) if matches!(tr[j].kind, Kind::Paragraph | Kind::Html) => {
            let split = |n: usize| {
                let i = partner_of_tr[n];
                i != usize::MAX
                    && like(&tr[j], &tr[n], &src[i], tr_sigs.tokens(&tr[j]), src_sigs.tokens(&src[i]))
                    && fits(src[i].len as f32 * ratio, tr[n].len as f32, (tr[n].len + tr[j].len) as f32)
            };
            !((j > 0 && split(j - 1)) || (j + 1 < tr.len() && split(j + 1)))
        }
        _ => true,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(a: &[&str], b: &[&str]) -> Vec<Pair> {
        pairs(a, b, |x, y| x == y, |_, _| 1.0)
    }

    #[test]
    fn deleted_item_is_one_missing() {
        assert_eq!(run(&["a", "b", "c"], &["a", "c"]), vec![Pair::Same(0, 0), Pair::Missing(1), Pair::Same(2, 1)]);
    }

    #[test]
    fn changed_key_in_place_is_changed() {
        assert_eq!(
            run(&["a", "b", "c"], &["a", "x", "c"]),
            vec![Pair::Same(0, 0), Pair::Changed(1, 1), Pair::Same(2, 2)]
        );
    }

    #[test]
    fn duplicates_are_tolerated() {
        let out = run(&["a", "b", "c", "d"], &["x", "x", "c", "d"]);
        assert_eq!(out, vec![Pair::Changed(0, 0), Pair::Changed(1, 1), Pair::Same(2, 2), Pair::Same(3, 3)]);
    }

    #[test]
    fn moved_item_is_one_move() {
        let out = pairs(&["a", "b", "c"], &["b", "c", "a"], |x, y| x == y, |_, _| 0.0);
        assert!(out.contains(&Pair::Moved(0, 2)), "{out:?}");
        assert_eq!(out.len(), 3);
    }
}
