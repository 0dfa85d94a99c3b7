//! Each dialect on its own: a small real-looking site per dialect (`fixtures/dialects/NAME/`,
//! with the site's config file so dialect and layout are detected) and its human output; and
//! bad input in every dialect (unbalanced and unterminated admonitions and shortcodes,
//! shortcodes in code fences, admonitions 1,000 deep, a directive with 10,000 arguments),
//! which gives a plain block or a finding, never a panic or a hang.

use std::time::Duration;

use locdrift::dialect::Dialect;
use locdrift::settings::Settings;
use locdrift::skeleton::{self, Kind};

const DIALECTS: &[&str] =
    &["gfm", "docfx", "hugo", "docusaurus", "starlight", "vitepress", "mkdocs", "myst", "mdbook", "tldr"];

/// Bad input in the forms of one dialect: (what it is, the page).
fn bad_inputs(dialect: &str) -> Vec<(&'static str, String)> {
    let deep = |open: &dyn Fn(usize) -> String, close: &dyn Fn(usize) -> String| {
        let mut s = String::new();
        for k in 0..1000 {
            s.push_str(&open(k));
        }
        s.push_str("deep\n\n");
        for k in (0..1000).rev() {
            s.push_str(&close(k));
        }
        s
    };
    let args = |sep: &str| (0..10_000).map(|k| format!("a{k}=\"v{k}\"")).collect::<Vec<_>>().join(sep);
    let mut out: Vec<(&'static str, String)> = vec![
        ("an alert without a body", "# T\n\n> [!NOTE]\n".into()),
        ("alerts 1,000 deep", format!("# T\n\n{}deep\n", "> [!NOTE]\n> ".repeat(1000))),
        ("a quote 1,000 deep", format!("# T\n\n{}deep\n", "> ".repeat(1000))),
    ];
    match dialect {
        "hugo" => out.extend([
            ("an unterminated shortcode", "# T\n\n{{< note >}}\nText.\n\n## Next\n\nMore.\n".into()),
            ("a closing shortcode alone", "# T\n\nText.\n\n{{< /note >}}\n\nMore.\n".into()),
            ("an unclosed shortcode tag", "# T\n\n{{< feature-state state=\"beta\"\n\nText.\n".into()),
            (
                "crossed shortcodes",
                "# T\n\n{{< note >}}\n{{% warning %}}\nText.\n{{< /note >}}\n{{% /warning %}}\n".into(),
            ),
            ("a shortcode in a code fence", "# T\n\n```\n{{< note >}}\nText.\n{{< /note >}}\n```\n".into()),
            ("an escaped shortcode", "# T\n\n{{</* note */>}}\n".into()),
            ("notes 1,000 deep", deep(&|_| "{{< note >}}\n".into(), &|_| "{{< /note >}}\n".into())),
            ("a shortcode with 10,000 arguments", format!("# T\n\n{{{{< feature-state {} >}}}}\n", args(" "))),
        ]),
        "docusaurus" | "starlight" | "vitepress" => out.extend([
            ("an unterminated admonition", "# T\n\n:::note\nText.\n\n## Next\n\nMore.\n".into()),
            ("a closing fence alone", "# T\n\nText.\n\n:::\n\nMore.\n".into()),
            ("an admonition in a code fence", "# T\n\n```md\n:::tip\nText.\n:::\n```\n".into()),
            (
                "admonitions 1,000 deep",
                deep(&|k| format!("{} note\n", ":".repeat(1003 - k)), &|k| format!("{}\n", ":".repeat(1003 - k))),
            ),
            ("the same fence 1,000 deep", deep(&|_| ":::note\n".into(), &|_| ":::\n".into())),
            ("a title of 10,000 words", format!("# T\n\n:::tip[{}]\nText.\n:::\n", args(" "))),
        ]),
        "mkdocs" => out.extend([
            ("an unterminated block", "# T\n\n/// note | Title\n\nText.\n\n## Next\n\nMore.\n".into()),
            ("a closing block alone", "# T\n\nText.\n\n///\n\nMore.\n".into()),
            ("an admonition without a body", "# T\n\n!!! note \"Title\"\n\nText.\n".into()),
            ("a block in a code fence", "# T\n\n```\n/// tip\nText.\n///\n```\n".into()),
            (
                "blocks 1,000 deep",
                deep(&|k| format!("{} note\n", "/".repeat(1003 - k)), &|k| format!("{}\n", "/".repeat(1003 - k))),
            ),
            ("admonitions 1,000 deep", (0..1000).map(|k| format!("{}!!! note\n\n", "    ".repeat(k))).collect()),
            ("an include with 10,000 arguments", format!("# T\n\n{{* ../x.py {} *}}\n", args(" "))),
        ]),
        "myst" => out.extend([
            ("an unterminated directive", "# T\n\n:::{note}\nText.\n\n## Next\n".into()),
            ("a fenced directive left open", "# T\n\n```{note}\nText.\n".into()),
            (
                "directives 1,000 deep",
                deep(&|k| format!("{}{{note}}\n", ":".repeat(1003 - k)), &|k| format!("{}\n", ":".repeat(1003 - k))),
            ),
            ("a directive with 10,000 options", format!("# T\n\n```{{include}} x.md\n{}\n```\n", args("\n:"))),
        ]),
        "mdbook" => out.extend([
            ("an unterminated include", "# T\n\n{{#include x.md\n\nText.\n".into()),
            ("an include in a code fence", "# T\n\n```\n{{#include x.md}}\n```\n".into()),
            ("an include with 10,000 arguments", format!("# T\n\n{{{{#include x.rs:{}}}}}\n", args(":"))),
        ]),
        "tldr" => out.extend([
            ("a placeholder left open", "# t\n\n> Text.\n\n- Do:\n\n`t {{path/to`\n".into()),
            ("a command with 10,000 placeholders", format!("# t\n\n- Do:\n\n`t {}`\n", "{{x}} ".repeat(10_000))),
        ]),
        "docfx" | "gfm" => out.extend([
            ("an include left open", "# T\n\n[!INCLUDE [x](y.md)\n\nText.\n".into()),
            ("an alert in a code fence", "# T\n\n```\n> [!NOTE]\n> Text.\n```\n".into()),
            ("a div with 10,000 classes", format!("# T\n\n> [!div class=\"{}\"]\n", args(" "))),
        ]),
        _ => unreachable!("{dialect}"),
    }
    out
}

fn settings(dialect: &str) -> Settings {
    let mut s = Settings::default();
    s.dialect = Dialect::get(dialect).unwrap();
    s
}

/// Runs `f` on another thread; a hang fails the test instead of stalling the suite.
fn within<T: Send + 'static>(what: String, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let _ = tx.send(f());
        })
        .unwrap();
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(v) => v,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => panic!("{what}: no answer after 60 s"),
        Err(_) => panic!("{what}: panicked"),
    }
}

#[test]
fn bad_input_in_every_dialect_is_a_plain_block_or_a_finding() {
    for &dialect in DIALECTS {
        for (what, page) in bad_inputs(dialect) {
            let label = format!("{dialect}: {what}");
            let (blocks, same, cut) = within(label.clone(), {
                let page = page.clone();
                move || {
                    let d = Dialect::get(dialect).unwrap();
                    let sk = skeleton::build(&page, d);
                    let blocks: Vec<(Kind, usize, usize)> =
                        sk.blocks.iter().map(|b| (b.kind, b.span.start, b.span.end)).collect();
                    let s = settings(dialect);
                    let same = locdrift::lint_pair(&page, &page, "en", &s);
                    // The page with its second half gone: blocks missing, reported.
                    let half = page.floor_char_boundary(page.len() / 2);
                    let cut = locdrift::lint_pair(&page, &page[..half], "xx", &s);
                    (blocks, same, cut)
                }
            });
            for (kind, start, end) in &blocks {
                assert!(start <= end && page.get(*start..*end).is_some(), "{label}: {kind:?} {start}..{end}");
            }
            let pair: Vec<_> = same.iter().filter(|f| f.rule.scope() == locdrift::rules::Scope::Pair).collect();
            assert!(pair.is_empty(), "{label}: compared with itself: {pair:#?}");
            for f in &cut {
                assert!(
                    page[..page.floor_char_boundary(page.len() / 2)].get(f.span.start..f.span.end).is_some(),
                    "{label}: {f:?}"
                );
            }
        }
    }
}

/// A shortcode, admonition or include inside a code fence is code, not a block of its own.
#[test]
fn constructs_in_code_fences_are_code() {
    let cases = [
        ("hugo", "```\n{{< note >}}\nText.\n{{< /note >}}\n```\n"),
        ("docusaurus", "```md\n:::tip\nText.\n:::\n```\n"),
        ("vitepress", "```md\n::: tip\nText.\n:::\n```\n"),
        ("mkdocs", "```\n/// note\nText.\n///\n```\n"),
        ("mdbook", "```\n{{#include x.md}}\n```\n"),
        ("docfx", "```\n> [!NOTE]\n> Text.\n```\n"),
        ("myst", "````\n```{note}\nText.\n```\n````\n"),
    ];
    for (dialect, page) in cases {
        let sk = skeleton::build(page, Dialect::get(dialect).unwrap());
        let kinds: Vec<Kind> = sk.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(kinds, [Kind::Code], "{dialect}: {page}");
    }
}

/// `locdrift check fixtures/dialects/NAME`: the dialect and layout come from the site's
/// config file; each translation has a few drifts in its dialect's constructs.
#[test]
fn each_dialect_fixture_human_output() {
    for &dialect in DIALECTS {
        let dir = format!("fixtures/dialects/{dialect}");
        let (out, err, code) = crate::run(&["check", &dir, "--no-cache"]);
        assert_eq!(code, 1, "{dialect}: drifts are findings: {out}{err}");
        assert!(!err.contains("panicked"), "{dialect}: {err}");
        insta::assert_snapshot!(format!("dialect_{dialect}"), out);
    }
}
