//! Property tests: invariants of the comparison over generated documents.
//!
//! Documents are generated as a small structure (rows, notes, paragraphs with links,
//! includes) and rendered to Markdown, in English or "translated": yes words, markers
//! and prose swapped for Swedish while links, numbers and structure stay.

use std::collections::BTreeSet;

use locdrift::settings::Settings;
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Row {
    key: String,
    gpu: bool,
    preview: bool,
    gb: u32,
}

#[derive(Debug, Clone)]
struct Note {
    kind: &'static str,
    gb: u32,
}

#[derive(Debug, Clone)]
struct Page {
    rows: Vec<Row>,
    notes: Vec<Note>,
    links: Vec<String>,
    include: Option<String>,
}

fn page() -> impl Strategy<Value = Page> {
    let row = (any::<bool>(), any::<bool>(), 1u32..512);
    let note = (prop::sample::select(vec!["NOTE", "TIP", "IMPORTANT", "WARNING"]), 1u32..64);
    (
        prop::collection::vec(row, 1..8),
        prop::collection::vec(note, 0..4),
        prop::collection::btree_set("[a-z]{3,8}", 0..5),
        prop::option::of("[a-z]{3,10}"),
    )
        .prop_map(|(rows, notes, links, include)| Page {
            rows: rows
                .into_iter()
                .enumerate()
                .map(|(i, (gpu, preview, gb))| Row { key: format!("target-{i}"), gpu, preview, gb })
                .collect(),
            notes: notes.into_iter().map(|(kind, gb)| Note { kind, gb }).collect(),
            links: links.into_iter().collect(),
            include,
        })
}

/// Words of one language, so "translation" changes every prose word.
struct Language {
    yes: &'static str,
    preview: &'static str,
    words: [&'static str; 6],
}

const EN: Language =
    Language { yes: "Yes", preview: "(Preview)", words: ["use", "for", "testing", "see", "the", "guide"] };
const SV: Language =
    Language {
        yes: "Ja", preview: "(Förhandsgranska)", words: ["används", "för", "testning", "se", "den", "guiden"]
    };

fn render(p: &Page, l: &Language) -> String {
    let w = &l.words;
    let mut out = String::from("---\ntitle: x\nms.service: machine-learning\n---\n\n");
    out.push_str("| Compute target | Used for | GPU support | Description |\n| --- | --- | --- | --- |\n");
    for r in &p.rows {
        let marker = if r.preview { format!("{} ", l.preview) } else { String::new() };
        let gpu = if r.gpu { format!("[{}](../gpu.md)", l.yes) } else { "&nbsp;".to_string() };
        out.push_str(&format!(
            "| [{}](../{}.md) | {marker}{} {} | {gpu} | {} {} {} GB. |\n",
            r.key, r.key, w[0], w[2], w[0], w[1], r.gb
        ));
    }
    for n in &p.notes {
        out.push_str(&format!("\n> [!{}]\n> {} {} {} GB.\n", n.kind, w[0], w[1], n.gb));
    }
    out.push('\n');
    for link in &p.links {
        out.push_str(&format!("{} [{} {}](../{link}.md).\n\n", w[3], w[4], w[5]));
    }
    if let Some(inc) = &p.include {
        out.push_str(&format!("[!INCLUDE [{inc}](../includes/{inc}.md)]\n"));
    }
    out
}

/// Rules about structure and facts, which a faithful translation never trips.
fn structural(rule: &str) -> bool {
    !matches!(
        rule,
        "untranslated" | "mixed-language" | "front-matter-mismatch" | "stale-translation" | "locale-mismatch"
    )
}

fn rules(findings: &[locdrift::finding::Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.rule.name()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn a_file_compared_with_itself_has_no_finding(p in page()) {
        let text = render(&p, &EN);
        // Same language, so identical prose is expected, not untranslated.
        let findings = locdrift::lint_pair(&text, &text, "en-gb", &Settings::default());
        prop_assert!(findings.is_empty(), "{:?}", findings);
    }

    #[test]
    fn a_faithful_translation_has_no_structural_finding(p in page()) {
        let findings = locdrift::lint_pair(&render(&p, &EN), &render(&p, &SV), "sv-se", &Settings::default());
        let structural: Vec<_> = findings.iter().filter(|f| structural(f.rule.name())).collect();
        prop_assert!(structural.is_empty(), "{:?}", structural);
    }

    #[test]
    fn removing_one_row_is_one_row_missing(p in page(), pick in any::<prop::sample::Index>()) {
        let mut tr = p.clone();
        tr.rows.remove(pick.index(p.rows.len()));
        let findings = locdrift::lint_pair(&render(&p, &EN), &render(&tr, &SV), "sv-se", &Settings::default());
        let structural: Vec<_> = findings.iter().filter(|f| structural(f.rule.name())).cloned().collect();
        prop_assert_eq!(rules(&structural), vec!["row-missing"]);
    }

    #[test]
    fn removing_one_note_is_one_missing_note(p in page(), pick in any::<prop::sample::Index>()) {
        prop_assume!(!p.notes.is_empty());
        let mut tr = p.clone();
        tr.notes.remove(pick.index(p.notes.len()));
        let findings = locdrift::lint_pair(&render(&p, &EN), &render(&tr, &SV), "sv-se", &Settings::default());
        let structural: Vec<_> = findings.iter().filter(|f| structural(f.rule.name())).cloned().collect();
        prop_assert_eq!(rules(&structural), vec!["missing-note"]);
    }

    #[test]
    fn removing_one_link_is_one_missing_link(p in page(), pick in any::<prop::sample::Index>()) {
        prop_assume!(!p.links.is_empty());
        let mut tr = p.clone();
        tr.links.remove(pick.index(p.links.len()));
        // The sentence stays, without its link.
        let mut text = render(&tr, &SV);
        text.push_str(&format!("{} {} {}.\n", SV.words[3], SV.words[4], SV.words[5]));
        let findings = locdrift::lint_pair(&render(&p, &EN), &text, "sv-se", &Settings::default());
        let structural: Vec<_> = findings.iter().filter(|f| structural(f.rule.name())).cloned().collect();
        prop_assert_eq!(rules(&structural), vec!["missing-link"]);
    }
}

/// The same tree checked with one thread and with two gives the same findings in the
/// same order.
#[test]
fn findings_do_not_depend_on_the_thread_count() {
    let request =
        locdrift::check::Request { paths: vec![crate::root().join("fixtures/azure-ml")], ..Default::default() };
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| locdrift::check::run(&request).unwrap().findings)
    };
    let one = run(1);
    assert!(!one.is_empty());
    for _ in 0..3 {
        assert_eq!(one, run(2));
    }
    let rules: BTreeSet<&str> = one.iter().map(|f| f.rule.name()).collect();
    assert!(rules.contains("stale-link"));
}
