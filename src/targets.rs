//! Link targets: when two are the same page, how alike two links are, and how a relative
//! target resolves inside the root (never outside it).

use std::sync::LazyLock;

use regex::Regex;

use crate::model::Link;

static LOCALE_SEGMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)/[a-z]{2,3}(?:-[a-z0-9]{2,4}){1,2}/").expect("valid regex"));

/// Query parameters that choose how Microsoft Learn shows a page (API version moniker,
/// whether to keep it while browsing), not which page it is.
const VIEW_PARAMS: &[&str] = &["view", "preserve-view"];

/// Link targets compare equal when they differ only in case, a trailing slash, the
/// locale segment of a URL (`/en-us/azure/...` vs `/sv-se/azure/...`), `http` versus
/// `https`, the Microsoft Learn host versus a site-relative path, or Learn's `view=` and
/// `preserve-view=` parameters: localization changes all of these on purpose, and none
/// of them changes the page. (Corpus: `azureml.pipeline.steps?view=azure-ml-py&preserve-view=true`
/// in English is `/python/api/azureml-pipeline-steps/azureml.pipeline.steps` in German.)
pub fn normalize_target(target: &str) -> String {
    // Most targets have nothing to trim: no white space, no trailing slash.
    // (`char::is_whitespace`, not `u8::is_ascii_whitespace`, which leaves out U+000B.)
    let kept = |c: &u8| c.is_ascii() && !char::from(*c).is_whitespace();
    let plain_ends = |b: &[u8]| b.first().is_some_and(kept) && b.last().is_some_and(|c| kept(c) && *c != b'/');
    let trimmed = if plain_ends(target.as_bytes()) { target } else { target.trim().trim_end_matches('/') };
    // (Changing one string in place, after a byte-class test for targets no step
    // changes, was worth 1.9% of a full check: removed, bench/README.md "Fast paths".)
    normalize_fully(trimmed)
}

/// Every step of `normalize_target`, on a trimmed target, one after the other, in one
/// buffer: a source's page links all pass through here once each.
fn normalize_fully(trimmed: &str) -> String {
    let mut t = if trimmed.is_ascii() {
        // Room for a `/{locale}/` that replaces a shorter segment.
        let mut t = String::with_capacity(trimmed.len() + 8);
        t.push_str(trimmed);
        t.make_ascii_lowercase();
        t
    } else {
        trimmed.to_lowercase()
    };
    if t.starts_with("http://") {
        t.insert(4, 's');
    }
    strip_docs_host(&mut t);
    drop_view_params(&mut t);
    t.truncate(t.trim_end_matches('/').len());
    replace_locale_segments(&mut t);
    // On the docs site a leading locale is optional: `/en-us/azure/x` is `/azure/x`.
    if t.starts_with("/{locale}/") {
        t.drain(.."/{locale}".len());
    }
    t
}

/// The Microsoft Learn hosts replaced by `/`: `https://docs.microsoft.com/azure/x` and
/// the site-relative `/azure/x` that the localization pipeline rewrites it to are the
/// same page. `t` is lower case and its scheme already `https`.
fn strip_docs_host(t: &mut String) {
    for host in ["https://docs.microsoft.com", "https://learn.microsoft.com"] {
        if let Some(rest) = t.strip_prefix(host) {
            if rest.is_empty() {
                t.replace_range(.., "/");
                return;
            }
            if rest.starts_with('/') {
                t.drain(..host.len());
                return;
            }
        }
    }
}

/// Every `LOCALE_SEGMENT` of a lower-case target replaced by `/{locale}/`. (A reader of
/// ASCII segments by hand was worth 18.9 M of 865 M on the 2k corpus, 2.2%: removed,
/// bench/README.md "Fast paths".)
fn replace_locale_segments(t: &mut String) {
    if let std::borrow::Cow::Owned(replaced) = LOCALE_SEGMENT.replace_all(t, "/{locale}/") {
        *t = replaced;
    }
}

/// Removes `view=` and `preserve-view=` from a site-relative (Microsoft Learn) target.
fn drop_view_params(t: &mut String) {
    let bytes = t.as_bytes();
    let rest = memchr::memchr(b'#', bytes).unwrap_or(bytes.len());
    let Some(q) = memchr::memchr(b'?', &bytes[..rest]) else { return };
    if !t.starts_with('/') {
        return;
    }
    let kept: Vec<&str> = t[q + 1..rest]
        .split('&')
        .filter(|p| !p.is_empty() && !VIEW_PARAMS.contains(&p.split('=').next().unwrap_or("")))
        .collect();
    let query = if kept.is_empty() { String::new() } else { format!("?{}", kept.join("&")) };
    t.replace_range(q..rest, &query);
}

pub fn same_target(a: &str, b: &str) -> bool {
    a == b || normalize_target(a) == normalize_target(b)
}

/// Two links at the same place are the same link retargeted when they are alone in
/// their gap; file name, fragment or visible text in common make it more certain. A link
/// of another kind (a relative article link versus a site path or another host) is only
/// the same link retargeted with such evidence: in a rewritten list, the Python SDK class
/// reference and the studio article next to it are two different links.
pub(super) fn link_similarity(a: &Link, b: &Link) -> f32 {
    let (pa, fa) = split_fragment(&a.key);
    let (pb, fb) = split_fragment(&b.key);
    let mut score: f32 = 0.5;
    if link_kind(pa) != link_kind(pb) {
        score -= 0.25;
    }
    if !fa.is_empty() && fa == fb {
        score += 0.25;
    }
    if page_stem(pa) == page_stem(pb) {
        score += 0.25;
    }
    if a.text == b.text {
        score += 0.1;
    }
    score.min(1.0)
}

/// Where a (normalized) link target points: a relative path, a path on the docs site,
/// or a host.
fn link_kind(target: &str) -> &str {
    if target.starts_with('/') {
        "/"
    } else if let Some((_, rest)) = target.split_once("://") {
        rest.split('/').next().unwrap_or("")
    } else {
        ""
    }
}

/// The page a path names without folder, extension or query: `sizes` for both
/// `../virtual-machines/sizes.md` and `/azure/virtual-machines/linux/sizes`.
pub(super) fn page_stem(path: &str) -> &str {
    let path = path.split('?').next().unwrap_or(path);
    let name = file_name(path);
    name.strip_suffix(".md").unwrap_or(name)
}

pub fn split_fragment(target: &str) -> (&str, &str) {
    match target.split_once('#') {
        Some((p, f)) => (p, f),
        None => (target, ""),
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Resolves a relative link target against the directory of `from` (root-relative),
/// lexically. `None` for URLs, site-absolute paths, pure fragments, and anything that
/// would leave the root: such targets are never looked up.
pub fn resolve_relative(from: &str, target: &str) -> Option<String> {
    Base::of(from).resolve(target)
}

/// What a link target is to the tree (`Base::resolve_into`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// A URL, another scheme, a site-absolute path or a pure fragment: never looked up.
    NotRelative,
    /// A relative path that would leave the root (`../../../etc/passwd`).
    EscapesRoot,
    /// A relative path inside the root, resolved into the buffer.
    Inside,
}

/// The folder of a root-relative file, taken apart once for resolving the many link
/// targets of its page (`resolve_relative`).
#[derive(Debug, Clone, Copy)]
pub struct Base<'a> {
    folder: &'a str,
    /// How many segments `folder` has (a file at the root has none).
    depth: usize,
}

impl<'a> Base<'a> {
    pub fn of(from: &'a str) -> Base<'a> {
        Base {
            folder: &from[..memchr::memrchr(b'/', from.as_bytes()).unwrap_or(0)],
            depth: from.bytes().filter(|&b| b == b'/').count(),
        }
    }

    /// `resolve_relative` from the file this folder holds.
    pub fn resolve(&self, target: &str) -> Option<String> {
        let mut out = String::with_capacity(self.folder.len() + target.len() + 1);
        (self.resolve_into(target, &mut out) == Resolution::Inside).then_some(out)
    }

    /// `resolve`, into a buffer the caller reuses (every link of every pair is resolved),
    /// telling a target that is not a relative path from one that leaves the root. The
    /// buffer holds the resolved path only when the answer is `Inside`.
    pub fn resolve_into(&self, target: &str, out: &mut String) -> Resolution {
        let Some(path) = plain_path(target) else { return Resolution::NotRelative };
        // Built in place: the folder, then each segment of the target; `..` removes the
        // last segment and fails at the root.
        out.clear();
        out.push_str(self.folder);
        let mut depth = self.depth;
        // Most targets are a few `../` and then plain names (`../../x/y.md`): the names
        // are appended at once, without a look at each segment.
        let mut rest = path;
        loop {
            // The leading segment, if it is `..`, `.` or empty, and its length with the
            // slash after it.
            let (len, up) = match rest.as_bytes() {
                [b'.', b'.', b'/', ..] => (3, true),
                [b'.', b'.'] => (2, true),
                [b'.', b'/', ..] => (2, false),
                [b'.'] | [b'/', ..] => (1, false),
                _ => break,
            };
            if up {
                let Some(up) = depth.checked_sub(1) else { return Resolution::EscapesRoot };
                depth = up;
                out.truncate(memchr::memrchr(b'/', out.as_bytes()).unwrap_or(0));
            }
            rest = &rest[len..];
        }
        if rest.is_empty() {
            return Resolution::Inside;
        }
        // The rest needs no more than appending when no segment after its first is
        // empty, `.` or `..`: when no slash is last or followed by `/` or `.`.
        let plain = memchr::memchr_iter(b'/', rest.as_bytes())
            .all(|i| rest.as_bytes().get(i + 1).is_some_and(|&b| b != b'/' && b != b'.'));
        if plain {
            if depth > 0 {
                out.push('/');
            }
            out.push_str(rest);
            return Resolution::Inside;
        }
        let bytes = rest.as_bytes();
        let mut start = 0;
        while start < bytes.len() {
            // Segments are short: a byte loop finds their end sooner than a search call.
            let end = bytes[start..].iter().position(|&b| b == b'/').map_or(bytes.len(), |k| start + k);
            match &bytes[start..end] {
                b"" | b"." => {}
                b".." => {
                    let Some(up) = depth.checked_sub(1) else { return Resolution::EscapesRoot };
                    depth = up;
                    out.truncate(memchr::memrchr(b'/', out.as_bytes()).unwrap_or(0));
                }
                _ => {
                    if depth > 0 {
                        out.push('/');
                    }
                    out.push_str(&rest[start..end]);
                    depth += 1;
                }
            }
            start = end + 1;
        }
        Resolution::Inside
    }
}

/// The path part of a relative link target: `None` for URLs and other schemes, drives
/// (`C:/`), backslash paths, site-absolute paths and pure fragments.
fn plain_path(target: &str) -> Option<&str> {
    // The path ends at the fragment or the query, unless a backslash comes first; a
    // colon before the first slash is a scheme (`mailto:`, `https:`) or a drive letter.
    // Two searches in all: every link of every pair goes through here.
    let bytes = target.as_bytes();
    let end = match memchr::memchr3(b'#', b'?', b'\\', bytes) {
        Some(i) if bytes[i] == b'\\' => return None,
        Some(i) => i,
        None => bytes.len(),
    };
    let path = &bytes[..end];
    if path.is_empty() || path[0] == b'/' || memchr::memchr2(b':', b'/', path).is_some_and(|i| path[i] == b':') {
        return None;
    }
    Some(&target[..end])
}

/// Whether a relative target escapes the root (`../../../etc/passwd`).
pub fn escapes_root(from: &str, target: &str) -> bool {
    Base::of(from).resolve_into(target, &mut String::new()) == Resolution::EscapesRoot
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learn_links_normalize_to_site_paths() {
        let site = "/python/api/azureml-pipeline-steps/azureml.pipeline.steps";
        for t in [
            "https://docs.microsoft.com/python/api/azureml-pipeline-steps/azureml.pipeline.steps?view=azure-ml-py&preserve-view=true",
            "https://learn.microsoft.com/en-us/python/api/azureml-pipeline-steps/azureml.pipeline.steps?view=azure-ml-py",
            "/python/api/azureml-pipeline-steps/azureml.pipeline.steps?preserve-view=true&view=azure-ml-py",
        ] {
            assert_eq!(normalize_target(t), site, "{t}");
        }
        assert!(same_target("http://us.download.nvidia.com/a.exe", "https://us.download.nvidia.com/a.exe"));
        // Other parameters and other hosts still tell pages apart.
        assert!(!same_target(
            "https://go.microsoft.com/fwlink/?linkid=836844",
            "https://go.microsoft.com/fwlink/?linkid=874184"
        ));
        assert!(!same_target("/azure/a?tabs=cli", "/azure/a?tabs=python"));
        assert_eq!(normalize_target("../articles/x.md#aks"), "../articles/x.md#aks");
    }

    /// Resolving in place agrees with resolving a list of segments, and the one-pass
    /// path split with splitting at each delimiter in turn.
    fn slow_path(target: &str) -> Option<&str> {
        let (path, _) = split_fragment(target);
        let path = path.split('?').next().unwrap_or("");
        let scheme = path.split('/').next().is_some_and(|first| first.contains(':'));
        if path.is_empty() || path.starts_with('/') || path.contains('\\') || scheme {
            return None;
        }
        Some(path)
    }

    fn slow(from: &str, target: &str) -> Option<String> {
        let path = slow_path(target)?;
        let mut parts: Vec<&str> = from.split('/').collect();
        parts.pop();
        for seg in path.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    parts.pop()?;
                }
                s => parts.push(s),
            }
        }
        Some(parts.join("/"))
    }

    /// The memchr-based path split and resolution agree with splitting at each
    /// delimiter in turn, and the shortcuts of `normalize_target` (the byte table, the
    /// quick rejection of segments that cannot be locales) with the full steps and the
    /// regex, on random targets made of the pieces that matter to them.
    #[test]
    fn targets_agree_with_the_slow_steps_on_random_text() {
        use proptest::prelude::*;
        let piece = prop::sample::select(vec![
            "/",
            "//",
            ".",
            "..",
            "#",
            "?",
            ":",
            "\\",
            "a",
            "ab",
            "abc",
            "-",
            "12",
            "x1",
            "en",
            "us",
            "zh-hant",
            "-tw",
            "Sv",
            "SE",
            "{",
            "ä",
            "ſ",
            "view=a",
            "&",
            "http",
            "https://",
            ".md",
            " ",
            "/abc-",
            "/AB-",
            "cd/",
            "1234/",
            "http://docs.microsoft.com",
            "HTTPS://Learn.Microsoft.com",
            "preserve-view=true",
            "/{locale}",
            "\u{a0}",
            "\u{b}",
        ]);
        let from = prop::sample::select(vec!["a.md", "sv-se/a.md", "sv-se/x/y/a.md", "sv-se//a.md", "/a.md", ""]);
        let config = proptest::test_runner::Config { cases: 4096, ..Default::default() };
        let mut runner = proptest::test_runner::TestRunner::new(config);
        runner
            .run(&(from, prop::collection::vec(piece, 0..16)), |(from, pieces)| {
                let t = pieces.concat();
                prop_assert_eq!(plain_path(&t), slow_path(&t), "{:?}", t);
                prop_assert_eq!(resolve_relative(from, &t), slow(from, &t), "{:?} {:?}", from, t);
                let escapes = slow_path(&t).is_some() && slow(from, &t).is_none();
                prop_assert_eq!(escapes_root(from, &t), escapes, "{:?} {:?}", from, t);
                let trimmed = t.trim().trim_end_matches('/');
                prop_assert_eq!(normalize_target(&t), normalize_fully(trimmed), "{:?}", t);
                Ok(())
            })
            .expect("the fast steps agree with the slow ones");
    }

    #[test]
    fn relative_targets_resolve_lexically() {
        for from in ["a.md", "sv-se/a.md", "sv-se/x/y/a.md", "sv-se//a.md"] {
            for target in [
                "b.md",
                "./b.md",
                "../b.md",
                "../../b.md",
                "../../../b.md",
                "x/../y/./z.md#f",
                "..",
                "../x/",
                "a//b.md",
                "/abs.md",
                "https://x",
                "#frag",
                "x.md?q=1",
                "x.md?q=a:b",
                "x.md#a:b",
                "x/y:z.md",
                "c:/x.md",
                "mailto:a@b",
                "x\\y.md",
                "x.md#a\\b",
                "?q",
                "ä/ö.md",
            ] {
                assert_eq!(plain_path(target), slow_path(target), "{target}");
                assert_eq!(resolve_relative(from, target), slow(from, target), "{from} {target}");
            }
        }
    }

    /// Targets normalize as their steps say, trimmed first.
    #[test]
    fn targets_normalize_step_by_step() {
        let slow = |t: &str| normalize_fully(t.trim().trim_end_matches('/'));
        for t in [
            "../articles/x.md#aks",
            " ./media/a.png/ ",
            "/azure/machine-learning/how-to",
            "/en-us/azure/x",
            "/sv-se/azure/x/",
            "/azure/ab-cd/x",
            "/azure/abcd-e/x",
            "/how-to-deploy/x",
            "/zh-hant-tw/x",
            "/zh-hant-tw-x/x",
            "/ab-1234/",
            "/ab-12345/x",
            "a/abc-de-fg",
            "/{locale}/x",
            "Concept-Compute.md",
            "https://docs.microsoft.com/azure/x",
            "mailto:x@y.z",
            "/a/b?view=x",
            "x/ÄÖ.md",
            "//",
            "",
        ] {
            assert_eq!(normalize_target(t), slow(t), "{t:?}");
        }
        assert_eq!(normalize_target(" ../Guide/x.md/ "), "../guide/x.md");
        assert_eq!(normalize_target("/sv-se/azure/x/"), "/azure/x");
        // The steps without regexes agree with the regexes they stand for.
        let docs_host = Regex::new(r"^https?://(?:docs|learn)\.microsoft\.com(/|$)").expect("valid regex");
        for t in [
            "https://docs.microsoft.com",
            "https://docs.microsoft.com/",
            "https://docs.microsoft.com/en-us/azure/x",
            "https://learn.microsoft.com/sv-se/azure/x?view=a",
            "https://learn.microsoft.comx/a",
            "https://learn.microsoft.com.evil/a",
            "https://docs.microsoft.com:443/a",
            "/en-us/sv-se/x/",
            "/en-us//sv-se/x",
            "/a/zh-hant-tw/b/",
            "/a/zh-hant-tw-x/b/",
            "/ab-cd/ef-gh/",
            "/fil-ph/x",
            "/FIL-PH/x",
            "/sr-latn-rs/x/",
            "/ab-cdefg/x",
            "/abcd-ef/x",
            "/ab1-cd/x",
            "/ab-c/x",
            "/ab-cd",
            "x/ab-cd-ef/y",
            "/ſv-se/x",
            "",
        ] {
            let mut stripped = t.to_string();
            strip_docs_host(&mut stripped);
            assert_eq!(stripped, docs_host.replace(t, "/"), "{t:?}");
        }
    }
}
