//! The findings cache from the outside: reused when valid, ignored and rebuilt when damaged, foreign or disabled.

use std::path::{Path, PathBuf};

use crate::{locdrift, root, write_file};

/// A copy of the Azure ML fixture tree, which has findings in three locales.
fn fixture_copy() -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            if entry.file_name() == ".locdrift-cache" {
                continue;
            }
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(&root().join("fixtures/azure-ml"), dir.path());
    dir
}

fn check(dir: &Path, extra: &[&str]) -> String {
    let out = locdrift().args(["check", "--format", "json"]).args(extra).arg(dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn cache_file(dir: &Path) -> PathBuf {
    dir.join(".locdrift-cache/findings-v1.bin")
}

/// The cache file with every "link points to" in its findings upper-cased (the same
/// length, so the entries still read), and the header as `header` rewrites it from the
/// format line, the fingerprint line and the line with the checksum and the length of
/// the new body.
fn tamper(dir: &Path, header: impl Fn(&str, &str, &str) -> String) {
    let bytes = std::fs::read(cache_file(dir)).unwrap();
    let mut parts = bytes.splitn(4, |&b| b == b'\n');
    let text = |p: Option<&[u8]>| String::from_utf8(p.unwrap().to_vec()).unwrap();
    let (magic, print, _sum) = (text(parts.next()), text(parts.next()), text(parts.next()));
    let mut body = parts.next().unwrap().to_vec();
    let (from, to) = (b"link points to", b"LINK POINTS TO");
    let mut found = 0;
    for at in 0..body.len().saturating_sub(from.len()) {
        if &body[at..at + from.len()] == from {
            body[at..at + from.len()].copy_from_slice(to);
            found += 1;
        }
    }
    assert!(found > 0, "the fixture has stale links in the cache");
    let sum = format!("{:032x} {}", locdrift::cache::hash(&body), body.len());
    let mut out = format!("{}\n", header(&magic, &print, &sum)).into_bytes();
    out.extend_from_slice(&body);
    std::fs::write(cache_file(dir), out).unwrap();
}

#[test]
fn a_warm_run_reuses_the_cache_and_reports_the_same() {
    let dir = fixture_copy();
    let cold = check(dir.path(), &[]);
    assert!(cache_file(dir.path()).is_file());
    assert!(std::fs::read_to_string(dir.path().join(".locdrift-cache/.gitignore")).unwrap().contains('*'));
    assert_eq!(check(dir.path(), &[]), cold);
    // A consistent cache is believed: a finding edited in it (checksum recomputed)
    // comes out as it is, which shows the second run did not lint again.
    tamper(dir.path(), |m, p, sum| format!("{m}\n{p}\n{sum}"));
    let warm = check(dir.path(), &[]);
    assert!(warm.contains("LINK POINTS TO"), "{warm}");
    assert_eq!(warm.replace("LINK POINTS TO", "link points to"), cold);
}

#[test]
fn a_corrupted_cache_is_ignored_and_rebuilt() {
    let dir = fixture_copy();
    let cold = check(dir.path(), &[]);
    // The body changed behind the checksum's back.
    tamper(dir.path(), |m, p, sum| format!("{m}\n{p}\n{}{}", "0".repeat(32), &sum[32..]));
    assert_eq!(check(dir.path(), &[]), cold);
    let rebuilt = std::fs::read(cache_file(dir.path())).unwrap();
    assert!(!rebuilt.windows(14).any(|w| w == b"LINK POINTS TO"), "rebuilt");
    // Garbage and a truncated file are no better.
    for damage in [b"\x00\xff garbage".to_vec(), std::fs::read(cache_file(dir.path())).unwrap()[..200].to_vec()] {
        std::fs::write(cache_file(dir.path()), damage).unwrap();
        assert_eq!(check(dir.path(), &[]), cold);
    }
    assert!(std::fs::read(cache_file(dir.path())).unwrap().starts_with(b"locdrift-cache 7\n"));
}

/// A file of the previous format (5, a hand-written codec), under this run's
/// fingerprint and with a valid checksum, whose entries say that no translation has a
/// finding: not believed, whether its first line names its own format or this one, and
/// replaced by a file of this format.
#[test]
fn a_cache_of_the_previous_format_is_ignored() {
    let dir = fixture_copy();
    let cold = check(dir.path(), &[]);
    let current = std::fs::read(cache_file(dir.path())).unwrap();
    let mut lines = current.split(|&b| b == b'\n');
    let (magic, print) = (lines.next().unwrap().to_vec(), lines.next().unwrap().to_vec());
    // Format 5: the number of questions (none) and of entries, then each entry's path,
    // both content hashes (16 bytes each), its locale, two absent file stats, no
    // findings and no questions; lengths and counts as one-byte LEB128 here.
    let (mut entries, mut count) = (Vec::new(), 0u8);
    for locale in ["nl-nl", "pt-br", "sv-se"] {
        for name in ["includes/aml-compute-target-deploy.md", "articles/machine-learning/concept-compute-target.md"] {
            let (source, translation) = (dir.path().join("en-us").join(name), dir.path().join(locale).join(name));
            let (Ok(source), Ok(translation)) = (std::fs::read(source), std::fs::read(translation)) else { continue };
            let rel = format!("{locale}/{name}");
            entries.push(rel.len() as u8);
            entries.extend_from_slice(rel.as_bytes());
            entries.extend_from_slice(&locdrift::cache::hash(&source).to_le_bytes());
            entries.extend_from_slice(&locdrift::cache::hash(&translation).to_le_bytes());
            entries.push(locale.len() as u8);
            entries.extend_from_slice(locale.as_bytes());
            entries.extend_from_slice(&[0, 0, 0, 0]);
            count += 1;
        }
    }
    assert!(count >= 3, "the fixture has translations");
    let body = [[0, count].as_slice(), &entries].concat();
    let sum = format!("{:032x} {}", locdrift::cache::hash(&body), body.len());
    for first in [b"locdrift-cache 5".to_vec(), magic.clone()] {
        let header = [first.as_slice(), b"\n", &print, b"\n", sum.as_bytes(), b"\n"].concat();
        std::fs::write(cache_file(dir.path()), [header, body.clone()].concat()).unwrap();
        assert_eq!(check(dir.path(), &[]), cold, "{}", String::from_utf8_lossy(&first));
        assert!(std::fs::read(cache_file(dir.path())).unwrap().starts_with(&magic), "rewritten in this format");
    }
}

#[test]
fn a_cache_of_another_version_or_format_is_ignored() {
    let dir = fixture_copy();
    let cold = check(dir.path(), &[]);
    // Another build, config or tool version writes another fingerprint.
    tamper(dir.path(), |m, _p, sum| format!("{m}\n{}\n{sum}", "f".repeat(32)));
    assert_eq!(check(dir.path(), &[]), cold);
    check(dir.path(), &[]);
    // An older (or newer) file format.
    tamper(dir.path(), |_m, p, sum| format!("locdrift-cache 0\n{p}\n{sum}"));
    assert_eq!(check(dir.path(), &[]), cold);
    // Another selection of rules is another fingerprint too.
    check(dir.path(), &[]);
    tamper(dir.path(), |m, p, sum| format!("{m}\n{p}\n{sum}"));
    let narrower = check(dir.path(), &["--select", "stale-link"]);
    assert!(!narrower.contains("LINK POINTS TO") && narrower.contains("stale-link"), "{narrower}");
}

#[test]
fn no_cache_neither_reads_nor_writes_it() {
    let dir = fixture_copy();
    let cold = check(dir.path(), &["--no-cache"]);
    assert!(!dir.path().join(".locdrift-cache").exists());
    check(dir.path(), &[]);
    tamper(dir.path(), |m, p, sum| format!("{m}\n{p}\n{sum}"));
    assert_eq!(check(dir.path(), &["--no-cache"]), cold);
}

#[test]
fn an_edited_translation_is_linted_again() {
    let dir = fixture_copy();
    let cold = check(dir.path(), &[]);
    let sv = dir.path().join("sv-se/includes/aml-compute-target-deploy.md");
    let text = std::fs::read_to_string(&sv).unwrap();
    assert!(cold.contains("data-box-edge-overview.md"));
    std::fs::write(
        &sv,
        text.replace("databox-online/data-box-edge-overview.md", "databox-online/azure-stack-edge-overview.md"),
    )
    .unwrap();
    let warm = check(dir.path(), &[]);
    assert!(!warm.contains("data-box-edge-overview.md"), "the fixed link is no longer reported");
    assert_eq!(warm, check(dir.path(), &["--no-cache"]));
}

/// A pair's findings can depend on other files: a cached pair whose link target lost
/// its anchor, then disappeared, is linted again although neither of its files changed.
#[test]
fn a_change_elsewhere_in_the_tree_is_seen() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| write_file(&dir.path().join(rel), text);
    write("en-us/a.md", "# A\n\nSee [the intro](b.md#intro).\n");
    write("sv-se/a.md", "# A\n\nSe [introduktionen](b.md#intro).\n");
    write("en-us/b.md", "# B\n\n## <a name=\"intro\"></a>Intro\n\nText.\n");
    write("sv-se/b.md", "# B\n\n## <a name=\"intro\"></a>Introduktion\n\nText.\n");
    let run = || {
        let out = locdrift().args(["check", "--format", "concise"]).arg(dir.path()).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let clean = run();
    assert!(!clean.contains("sv-se/a.md"), "{clean}");
    assert!(cache_file(dir.path()).is_file());
    write("sv-se/b.md", "# B\n\n## Introduktion\n\nText.\n");
    let anchor = run();
    assert!(anchor.contains("sv-se/a.md") && anchor.contains("broken-anchor"), "{anchor}");
    std::fs::remove_file(dir.path().join("sv-se/b.md")).unwrap();
    std::fs::remove_file(dir.path().join("en-us/b.md")).unwrap();
    let link = run();
    assert!(link.contains("sv-se/a.md") && link.contains("broken-link"), "{link}");
}

/// Pages that link to each other with fragments, in a chain longer than a group may pull
/// ahead, round a cycle, to a missing translation (whose source answers) and to anchors
/// translation renamed: whatever order the pages are linted in (one thread or two, the
/// linked page parsed before or after the question), with or without the cache, the
/// same anchors are found missing.
#[test]
fn anchors_are_the_same_in_any_order() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| write_file(&dir.path().join(rel), text);
    let pages = 14;
    for i in 0..pages {
        let links = format!(
            "See [the next page](p{}.md#Keep-{}), [the first](p0.md#section-0) and [a table](p{}.md#nowhere).\n\n\
             | Page | Link |\n|---|---|\n| Next | [next](p{}.md#keep-{}) |\n",
            (i + 1) % (pages + 1),
            (i + 1) % (pages + 1),
            (i + 3) % pages,
            (i + 1) % (pages + 1),
            (i + 1) % (pages + 1),
        );
        write(
            &format!("en-us/p{i}.md"),
            &format!("# Page {i}\n\n## Section {i}\n\n<a name=\"keep-{i}\"></a>\n\n{links}"),
        );
        write(
            &format!("sv-se/p{i}.md"),
            &format!("# Sida {i}\n\n## Avsnitt {i}\n\n<a name=\"keep-{i}\"></a>\n\n{links}"),
        );
    }
    // The last page has no translation: links to it are answered by the source.
    write(&format!("en-us/p{pages}.md"), &format!("# Page {pages}\n\n<a name=\"keep-{pages}\"></a>\n"));
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let run = |threads: &str, extra: &[&str]| {
        let out = locdrift()
            .env("RAYON_NUM_THREADS", threads)
            .args(["check", "--format", "concise"])
            .args(extra)
            .arg(dir.path())
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let expected = run("1", &["--no-cache"]);
    let broken: Vec<&str> = expected.lines().filter(|l| l.contains("broken-anchor")).collect();
    // `#section-0` (a heading translation renamed) and `#nowhere` in every translation.
    assert_eq!(broken.len(), 2 * pages, "{expected}");
    assert!(broken.iter().all(|l| l.contains("sv-se/")), "{expected}");
    assert_eq!(broken.iter().filter(|l| l.contains("`#section-0`")).count(), pages, "{expected}");
    assert_eq!(run("2", &["--no-cache"]), expected, "two threads");
    assert_eq!(run("2", &[]), expected, "cold");
    assert_eq!(run("1", &[]), expected, "warm");
    write("sv-se/p0.md", "# Sida 0\n\n## Section 0\n\n<a name=\"keep-0\"></a>\n");
    let fixed = run("2", &[]);
    assert_eq!(fixed, run("2", &["--no-cache"]), "the linked page gained the anchor");
    assert_eq!(fixed.lines().filter(|l| l.contains("`#section-0`")).count(), 0, "{fixed}");
}

/// On a Docusaurus site, where a page is served depends on other pages' front matter:
/// a cached translation whose link reached a page by its `slug:` is linted again when
/// that page's slug changes (neither file of the pair did), and again when it changes
/// back; each run reports what a run without the cache reports.
#[test]
fn a_slug_changed_elsewhere_is_seen() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| write_file(&dir.path().join(rel), text);
    write(
        "docusaurus.config.js",
        "module.exports = { url: 'https://x.org', i18n: { defaultLocale: 'en', locales: ['en', 'ko'] } };\n",
    );
    let ko = "i18n/ko/docusaurus-plugin-content-docs/current";
    write("docs/a.md", "# A\n\nSee [setup](/docs/start).\n");
    write(&format!("{ko}/a.md"), "# 가\n\n[설정](/ko/docs/start)을 보세요.\n");
    let page = |slug: &str| format!("---\nslug: {slug}\n---\n\n# Setup\n");
    write("docs/guides/setup.md", &page("/start"));
    let run = |extra: &[&str]| {
        let out = locdrift()
            .args(["check", "--format", "concise", "--select", "broken-link"])
            .args(extra)
            .arg(dir.path())
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let clean = run(&[]);
    assert!(!clean.contains("broken-link"), "{clean}");
    assert!(cache_file(dir.path()).is_file());
    assert_eq!(run(&[]), clean, "warm");
    write("docs/guides/setup.md", &page("/begin"));
    let moved = run(&[]);
    assert!(moved.contains(&format!("{ko}/a.md")) && moved.contains("`/ko/docs/start`"), "{moved}");
    assert_eq!(moved, run(&["--no-cache"]));
    write("docs/guides/setup.md", &page("/start"));
    assert_eq!(run(&[]), clean, "the slug is back");
}
