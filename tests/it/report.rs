//! `locdrift report`: Markdown and JSON summaries, the baseline comparison, and the HTML
//! page rendered by a real headless Chromium (on the Azure ML seeds and a generated tree).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use locdrift::check::{self, Request};
use locdrift::report::{self, html};
use regex::Regex;
use serde_json::Value;

use crate::{locdrift, read, root, run, write_file};

/// The Azure ML seeds: (locale, files with findings, findings, up to date, stale). The
/// Dutch and Portuguese include was translated from another English version than the
/// one beside it, which `stale-translation` reports.
/// nl-nl and pt-br carry a newer ms.date than the English file: the source checkout is
/// behind, which the report does not count as a stale translation.
const AZURE_ML: [(&str, usize, usize, usize, usize); 3] =
    [("nl-nl", 1, 8, 1, 0), ("pt-br", 1, 8, 1, 0), ("sv-se", 2, 4, 1, 0)];

#[test]
fn azure_ml_json_counts_per_locale() {
    let (out, err, code) = run(&["report", "fixtures/azure-ml", "--format", "json"]);
    assert_eq!(code, 0, "a report is not a gate: {err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    for (locale, files, findings, up_to_date, stale) in AZURE_ML {
        let l = doc["locales"].as_array().unwrap().iter().find(|l| l["locale"] == locale).unwrap();
        let count = |key: &str| l[key].as_u64().unwrap() as usize;
        assert_eq!((count("files_with_findings"), count("findings")), (files, findings), "{locale}");
        // Each locale has its one source translated: up to date or stale, none missing.
        assert_eq!((count("up_to_date"), count("stale"), count("missing")), (up_to_date, stale, 0), "{locale}");
    }
    assert_eq!(doc["totals"]["findings"], 20);
    assert_eq!(doc["totals"]["orphans"], 1);
    let stale_links = doc["rules"].as_array().unwrap().iter().find(|r| r["rule"] == "stale-link").unwrap();
    assert_eq!(stale_links["by_locale"], serde_json::json!({"nl-nl": 4, "pt-br": 4, "sv-se": 1}));
    let cells = doc["heatmap"]["cells"].as_array().unwrap();
    let sv_articles = cells.iter().find(|c| c["locale"] == "sv-se" && c["folder"] == "articles").unwrap();
    assert_eq!((sv_articles["files"].as_u64(), sv_articles["with_findings"].as_u64()), (Some(1), Some(1)));
    insta::assert_snapshot!("report_azure_ml_json", out);
}

#[test]
fn azure_ml_markdown() {
    let (out, _, code) = run(&["report", "fixtures/azure-ml", "--format", "markdown", "--top", "3"]);
    assert_eq!(code, 0);
    assert!(out.contains("| nl-nl | 1 | 0 | 0 | 0 | 1 | 8 |"), "{out}");
    assert!(out.contains("| sv-se | 1 | 0 | 0 | 1 | 2 | 4 |"), "{out}");
    assert!(out.contains("| `stale-link` LD301 | 4 | 4 | 1 | 9 |"), "{out}");
    assert!(out.contains("### Top 3 of 20 findings"), "{out}");
    let (default, _, _) = run(&["report", "fixtures/azure-ml"]);
    assert!(default.starts_with("## locdrift: translation status"), "markdown is the default: {default}");
    insta::assert_snapshot!("report_azure_ml_markdown", out);
}

/// A previous `report --format json` is the baseline: what changed by locale, rule, file.
#[test]
fn markdown_compares_with_a_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("before.json");
    let (before, _, code) = run(&["report", "fixtures/azure-ml", "--format", "json", "--ignore", "stale-link"]);
    assert_eq!(code, 0);
    std::fs::write(&baseline, before).unwrap();
    let out =
        locdrift().args(["report", "fixtures/azure-ml", "--top", "0", "--baseline"]).arg(&baseline).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let changes = &text[text.find("### Changes since").expect("a changes section")..];
    assert!(changes.contains("Findings: 11 → 20 (+9)."), "{changes}");
    assert!(changes.contains("| sv-se | 3 | 4 | +1 |"), "{changes}");
    assert!(changes.contains("`stale-link` 0 → 9 (+9)"), "{changes}");
    let masked = changes.replace(&baseline.display().to_string(), "BASELINE");
    insta::assert_snapshot!("report_baseline_markdown", masked);

    // The JSON carries the same comparison.
    let out = locdrift()
        .args(["report", "fixtures/azure-ml", "--format", "json", "--baseline"])
        .arg(&baseline)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["changes"]["findings"], serde_json::json!({"before": 11, "after": 20}));

    // Something else as a baseline is a usage error.
    std::fs::write(&baseline, "{\"version\":1,\"findings\":[]}").unwrap();
    let out = locdrift().args(["report", "fixtures/azure-ml", "--baseline"]).arg(&baseline).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a `locdrift report --format json` output"));
}

/// Where the page and screenshot of a test go (kept after the run, to look at).
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// The embedded data of a page, read back.
fn page_data(page: &str) -> Value {
    let start = page.find(r#"<script type="application/json" id="data">"#).expect("data element") + 42;
    let end = start + page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..end]).expect("the embedded data is JSON")
}

#[test]
fn azure_ml_page_is_self_contained() {
    let out = scratch("azure-ml-data.html");
    let (stdout, _, code) = run(&["report", "fixtures/azure-ml", "--html", out.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("Wrote ") && stdout.contains("20 findings in 4 files"), "{stdout}");
    let page = read(&out);
    let data = page_data(&page);
    // Outside the data, nothing refers to anything: no URL, script or style file, font.
    let data_start = page.find(r#"<script type="application/json""#).unwrap();
    let data_end = data_start + page[data_start..].find("</script>").unwrap();
    let template = format!("{}{}", &page[..data_start], &page[data_end..]);
    for needle in ["http:", "https:", "src=", "<link", "@import", "url("] {
        assert!(!template.contains(needle), "the page refers to something outside it: {needle}");
    }
    // Links lead from the page to the files.
    let base = data["base"].as_str().unwrap();
    for f in data["files"].as_array().unwrap() {
        let target = out.parent().unwrap().join(format!("{base}{}", f[0].as_str().unwrap()));
        assert!(target.is_file(), "link to {} resolves: {}", f[0], target.display());
    }
    let mut data = data;
    data["base"] = Value::String("BASE".into());
    insta::assert_snapshot!("report_azure_ml_page_data", serde_json::to_string_pretty(&data).unwrap());
}

/// The headless browser, or `None` to skip; in CI (CI=true) its absence fails the test.
#[allow(clippy::print_stderr)]
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but no chromium on PATH; .ci/run installs it (apt-get install -y chromium)"
        );
        eprintln!("skipping: no chromium on PATH (apt-get install -y chromium)");
    }
    found
}

/// Runs headless Chromium on a page with `args` (`--dump-dom`, `--screenshot=...`),
/// with a watchdog, and returns what it printed on stdout.
fn browse(browser: &Path, page: &Path, args: &[String]) -> String {
    browse_at(browser, page, "", args)
}

/// `browse` with a fragment (`#locale=sv-se`) after the page's URL.
fn browse_at(browser: &Path, page: &Path, fragment: &str, args: &[String]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let stdout_path = profile.path().join("stdout");
    let stdout = std::fs::File::create(&stdout_path).unwrap();
    let url = format!("file://{}{fragment}", page.canonicalize().unwrap().display());
    let mut child = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"])
        .args(["--disable-background-networking", "--disable-component-update", "--disable-sync"])
        .arg(format!("--user-data-dir={}", profile.path().join("profile").display()))
        .arg("--virtual-time-budget=10000")
        .args(args)
        .arg(&url)
        .stdout(Stdio::from(stdout))
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium failed on {url}: {status}");
            break;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium did not finish within 120 s on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    std::fs::read_to_string(stdout_path).unwrap()
}

/// The cell of class `class` in the row `<tr ... data-locale="locale">` of a table.
fn locale_cell(dom: &str, table: &str, locale: &str, class: &str) -> String {
    let table = &dom[dom.find(&format!(r#"id="{table}""#)).unwrap_or_else(|| panic!("table {table}"))..];
    let row = &table[table.find(&format!(r#"data-locale="{locale}""#)).unwrap_or_else(|| panic!("{locale} row"))..];
    let row = &row[..row.find("</tr>").unwrap()];
    let re = Regex::new(&format!(r#"class="n {class}( zero)?">([^<]*)<"#)).unwrap();
    re.captures(row).unwrap_or_else(|| panic!("{locale}: no {class} cell in {row}"))[2].to_string()
}

#[test]
fn azure_ml_page_renders_in_chromium() {
    let Some(browser) = chromium() else { return };
    let page = scratch("azure-ml.html");
    let (_, _, code) = run(&["report", "fixtures/azure-ml", "--html", page.to_str().unwrap()]);
    assert_eq!(code, 0);
    let shot = scratch("azure-ml.png");
    let _ = std::fs::remove_file(&shot);
    browse(&browser, &page, &[format!("--screenshot={}", shot.display()), "--window-size=1280,2000".into()]);
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000, "a drawn page, not a blank one ({} bytes)", png.len());

    let dom = browse(&browser, &page, &["--dump-dom".into()]);
    assert!(dom.contains(r#"data-ready="true""#), "the script ran to the end");
    for (locale, files, findings, up_to_date, stale) in AZURE_ML {
        assert_eq!(locale_cell(&dom, "locales-table", locale, "findings"), findings.to_string(), "{locale}");
        assert_eq!(locale_cell(&dom, "locales-table", locale, "withfindings"), files.to_string(), "{locale}");
        assert_eq!(locale_cell(&dom, "locales-table", locale, "uptodate"), up_to_date.to_string(), "{locale}");
        assert_eq!(locale_cell(&dom, "locales-table", locale, "stale"), stale.to_string(), "{locale}");
    }
    assert!(dom.contains("Showing 1–4 of 4 files · 20 findings"), "the file table's status");
    // A small report opens every file: the sv-se finding, its place and both lines.
    assert!(
        dom.contains(">fixtures/azure-ml/sv-se/includes/aml-compute-target-deploy.md:28:25</a>"),
        "a finding's place"
    );
    assert!(
        dom.contains("<mark>../articles/databox-online/data-box-edge-overview.md</mark>"),
        "the translation's link"
    );
    assert!(dom.contains("<mark>../articles/databox-online/azure-stack-edge-overview.md</mark>"), "the source's link");
    let heat = Regex::new(r#"data-locale="sv-se" data-folder="articles"[^>]*>100%<"#).unwrap();
    assert!(heat.is_match(&dom), "the heatmap cell of sv-se articles");
    assert!(dom.contains(r#"<option value="2">sv-se</option>"#), "the locale filter lists the locales");

    // The view is in the address: a link to the sv-se files shows those.
    let dom = browse_at(&browser, &page, "#locale=sv-se", &["--dump-dom".into()]);
    assert!(dom.contains("Showing 1–2 of 2 files · 4 findings"), "filtered to sv-se");
    assert!(dom.contains(r#"data-file="fixtures/azure-ml/sv-se/articles/machine-learning/concept-compute-target.md""#));
    assert!(!dom.contains(r#"data-file="fixtures/azure-ml/nl-nl"#), "nl-nl is filtered out");
}

/// The finding counts of the file rows shown, top to bottom.
fn shown_counts(dom: &str) -> Vec<usize> {
    let re = Regex::new(r#"(?s)<tr class="click file".*?class="n findings[^"]*">(\d+)<"#).unwrap();
    re.captures_iter(dom).map(|c| c[1].parse().unwrap()).collect()
}

/// Writes a docs tree of `sources` pages (three locales, 40 folders) whose files all
/// differ, as a real tree's do: each page links its own targets.
fn generate(root: &Path, sources: usize) -> usize {
    let seed = |locale: &str| {
        read(&crate::root().join(format!("fixtures/azure-ml/{locale}/includes/aml-compute-target-deploy.md")))
    };
    let texts: Vec<(&str, String)> = ["en-us", "sv-se", "nl-nl", "pt-br"].iter().map(|l| (*l, seed(l))).collect();
    // As in fixtures/azure-ml: the pages link articles that are not part of the tree.
    std::fs::write(root.join("locdrift.yaml"), "ignore: [broken-link, broken-anchor]\n").unwrap();
    let mut written = 0;
    for i in 0..sources {
        for (locale, text) in &texts {
            // Some locales lag: sv-se misses every 7th page, pt-br every 5th; nl-nl copied
            // every 3rd page from the source, which then has no drift.
            let skip = (*locale == "sv-se" && i % 7 == 0) || (*locale == "pt-br" && i % 5 == 0);
            if skip {
                continue;
            }
            let text = if *locale == "nl-nl" && i % 3 == 0 { &texts[0].1 } else { text };
            let path = root.join(format!("{locale}/area{:02}/sub{}/page{i}.md", i % 40, i % 7));
            write_file(&path, text.replace("machine-learning/", &format!("machine-learning-{i}/")));
            written += 1;
        }
    }
    written
}

#[test]
fn a_generated_tree_gives_a_small_page_that_renders() {
    let tree = tempfile::tempdir().unwrap();
    let files = generate(tree.path(), 700);
    assert!(files > 2_500, "{files} files");
    let page = scratch("generated.html");
    let (stdout, err, code) = run(&["report", tree.path().to_str().unwrap(), "--html", page.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let text = read(&page);
    let data = page_data(&text);
    let findings = data["totals"]["findings"].as_u64().unwrap() as usize;
    let with_findings = data["files"].as_array().unwrap().len();
    assert!(findings > 6_000 && with_findings > 1_500, "{stdout}");
    // Findings are detailed up to the budget, whole files at a time; the rest counted.
    let detailed = data["findings"].as_array().unwrap().len();
    let without = data["without_details"].as_u64().unwrap() as usize;
    assert_eq!(detailed + without, findings);
    assert!(detailed == findings || (detailed <= html::MAX_DETAILED && detailed + 100 > html::MAX_DETAILED));
    // Well under a kilobyte a detailed finding, a few hundred bytes a listed file.
    let bound = 600 * detailed + 300 * with_findings + 100_000;
    assert!(text.len() < bound, "{} bytes for {detailed} detailed findings in {with_findings} files", text.len());

    let Some(browser) = chromium() else { return };
    let dom = browse(&browser, &page, &["--dump-dom".into()]);
    assert!(dom.contains(r#"data-ready="true""#), "the script ran to the end");
    let pages = with_findings.div_ceil(50);
    let status = format!("Showing 1–50 of {} files", fmt(with_findings));
    assert!(dom.contains(&status), "{status}");
    assert!(dom.contains(&format!("Page 1 of {pages}")), "paginated into {pages} pages");
    // Only one page of rows is in the document, however many files there are.
    assert_eq!(dom.matches(r#"<tr class="click file""#).count(), 50);
    // More folders than locales: folders run down the heatmap, one row each.
    assert_eq!(Regex::new(r#"<td><span class="mono">area\d\d</span></td>"#).unwrap().find_iter(&dom).count(), 40);
    // Most findings first by default.
    let counts = shown_counts(&dom);
    assert_eq!(counts.len(), 50);
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "sorted by findings, descending: {counts:?}");

    // Filtered by rule, sorted the other way, third page.
    let rule = data["rules"].as_array().unwrap().iter().position(|r| r["rule"] == "extra-note").unwrap();
    let with_rule = data["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f[9].as_array().unwrap().chunks(2).any(|c| c[0] == rule))
        .count();
    assert!(with_rule > 150, "{with_rule}");
    let dom = browse_at(&browser, &page, "#rule=extra-note&sort=findings&order=asc&page=3", &["--dump-dom".into()]);
    let status = format!("Showing 101–150 of {} files · {} findings", fmt(with_rule), fmt(with_rule));
    assert!(dom.contains(&status), "{status}");
    let counts = shown_counts(&dom);
    assert_eq!(counts.len(), 50);
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "sorted by findings, ascending: {counts:?}");
}

fn fmt(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Past the detail budget, files are listed with their counts and rules only.
#[test]
fn the_page_keeps_details_within_its_budget() {
    let outcome = check::run(&Request { paths: vec![root().join("fixtures/azure-ml")], ..Request::default() }).unwrap();
    let built = report::build(&outcome, &report::Options { top: 5 });
    let dir = tempfile::tempdir().unwrap();
    let page = html::render_with(&built, &outcome, dir.path(), "budget", 8);
    let data = page_data(&page);
    let files = data["files"].as_array().unwrap();
    assert_eq!(files.len(), 4, "every file is listed");
    // The first file has 8 findings and fits; the second (8 more) does not, nor the rest.
    let first: Vec<i64> = files.iter().map(|f| f[7].as_i64().unwrap()).collect();
    assert_eq!(first, vec![0, -1, -1, -1]);
    assert_eq!(data["findings"].as_array().unwrap().len(), 8);
    assert_eq!(data["without_details"], 12);
    // The rules of a file without details are still there for the rule filter: pt-br
    // has block-extra, extra-note, marker-mismatch, 4 stale-link and stale-translation.
    let names: Vec<&str> = data["rules"].as_array().unwrap().iter().map(|r| r["rule"].as_str().unwrap()).collect();
    let at = |name: &str| names.iter().position(|n| *n == name).unwrap();
    let mut expected = [
        (at("block-extra"), 1),
        (at("extra-note"), 1),
        (at("marker-mismatch"), 1),
        (at("stale-link"), 4),
        (at("stale-translation"), 1),
    ];
    expected.sort();
    let expected: Vec<usize> = expected.iter().flat_map(|&(r, n)| [r, n]).collect();
    assert_eq!(files[1][9], serde_json::json!(expected));
}
