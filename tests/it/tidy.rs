//! Invariants of the code base, checked as tests (rust-analyzer's tidy).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use locdrift::engine;
use locdrift::rules::{RuleId, Scope, Workspace, RULES};
use locdrift::settings::Settings;
use locdrift::{catalog, vocab};

use crate::{read, root};

#[test]
fn every_rule_has_a_file_a_catalog_entry_and_fixtures() {
    for rule in RULES {
        let file = root().join("src/rules").join(format!("{}.rs", rule.name.replace('-', "_")));
        assert!(file.is_file(), "{}: missing {}", rule.name, file.display());
        assert!(catalog::get(rule.name).is_some(), "{}: no entry in rules/catalog.yaml", rule.name);
        for case in ["fires", "clean"] {
            let dir = root().join("fixtures/rules").join(rule.name).join(case);
            assert!(dir.is_dir(), "{}: missing fixture {}", rule.name, dir.display());
        }
    }
}

/// The rule table (`rules!` in src/rules/mod.rs) and rules/catalog.yaml name the same
/// rules, with the same codes, in the same order: the table is the code's, the catalog the
/// documentation's, and neither may drift.
#[test]
fn the_rule_table_and_the_catalog_agree() {
    let table: Vec<(&str, &str)> = RULES.iter().map(|r| (r.name, r.code)).collect();
    let catalog: Vec<(&str, &str)> = catalog::all().iter().map(|d| (d.name.as_str(), d.code.as_str())).collect();
    assert_eq!(table, catalog, "src/rules/mod.rs and rules/catalog.yaml list different rules or codes");
    for (i, rule) in RULES.iter().enumerate() {
        assert_eq!(rule.id as usize, i, "{}: RULES[id] is the rule", rule.name);
        assert_eq!(RuleId::from_name(rule.name), Some(rule.id));
    }
    let enabled = Settings::default();
    for rule in RULES {
        let head = catalog::head(rule.name).expect("checked above");
        assert_eq!(enabled.is_enabled(rule.id), head.enabled, "{}: default on/off is the catalog's", rule.name);
        assert_eq!(enabled.severity(rule.id), head.default_severity(), "{}: default severity", rule.name);
    }
}

#[test]
fn codes_are_unique_and_ordered() {
    let codes: Vec<&str> = catalog::all().iter().map(|d| d.code.as_str()).collect();
    let mut sorted = codes.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(codes, sorted);
}

const SOURCE: &str = "en-us/articles/example.md";
const TRANSLATION: &str = "xx/articles/example.md";

/// The tree of a catalog example: just its two files, no history.
struct ExampleTree;

impl Workspace for ExampleTree {
    fn exists(&self, rel: &str) -> bool {
        rel == SOURCE || rel == TRANSLATION
    }
    fn has_anchor(&self, _: &str, _: &str) -> Option<bool> {
        None
    }
    fn changed_since(&self, _: &str, _: &str) -> Option<bool> {
        None
    }
}

/// ruff's `explain` examples are executable; so are ours.
#[test]
fn catalog_examples_fire_and_fixed_examples_do_not() {
    for doc in catalog::all() {
        let Some(rule) = RULES.iter().find(|r| r.name == doc.name) else { continue };
        let Some(example) = &doc.example else {
            assert_eq!(rule.scope, Scope::Tree, "{}: only file-level rules may lack an example", doc.name);
            continue;
        };
        if rule.scope == Scope::Tree {
            continue;
        }
        let examples =
            std::iter::once((example, doc.fixed.as_deref())).chain(doc.also.iter().map(|e| (e, e.fixed.as_deref())));
        for (example, fixed) in examples {
            let mut settings = Settings::only(rule.id);
            if let Some(name) = &example.dialect {
                settings.dialect = locdrift::dialect::Dialect::get(name)
                    .unwrap_or_else(|| panic!("{}: an example in unknown dialect `{name}`", doc.name));
            }
            let source = example.source.as_deref();
            let run = |translation: &str| {
                let src = source.map(|s| (locdrift::parse::parse(s), s));
                // The example lives in a two-file tree: the source and its translation.
                let input = engine::Input {
                    rel: TRANSLATION,
                    locale: Some(&example.locale),
                    text: Ok(translation),
                    source_rel: Some(SOURCE),
                    source: src.as_ref().map_or(engine::Source::Unread, |(d, t)| engine::Source::Doc(d, t)),
                    workspace: Some(&ExampleTree),
                    on_parse: None,
                };
                engine::lint(&input, &settings).findings
            };
            let which = example.dialect.as_deref().unwrap_or("main");
            let findings = run(&example.translation);
            assert!(
                findings.iter().any(|f| f.rule == rule.id),
                "{} ({which}): the catalog example does not fire",
                doc.name
            );
            if let Some(fixed) = fixed {
                let findings = run(fixed);
                assert!(findings.is_empty(), "{} ({which}): the fixed example still fires: {findings:?}", doc.name);
            }
        }
    }
}

#[test]
fn every_vocabulary_file_is_embedded() {
    let mut on_disk: Vec<String> = std::fs::read_dir(root().join("rules/vocab"))
        .unwrap()
        .map(|e| e.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = vocab::FILES.iter().map(|(c, _)| c.to_string()).collect();
    embedded.sort();
    assert_eq!(on_disk, embedded);
    let v = vocab::Vocab::builtin();
    for lang in &v.languages {
        assert!(!lang.yes.is_empty() && !lang.no.is_empty(), "{}: yes and no words", lang.language);
        assert!(lang.markers.get("preview").is_some_and(|p| !p.is_empty()), "{}: a preview marker", lang.language);
    }
}

#[test]
fn every_source_file_says_what_it_is_for() {
    for path in rust_files(&[root().join("src"), root().join("tests")]) {
        let text = read(&path);
        assert!(text.starts_with("//! "), "{} must start with a `//!` line", path.display());
    }
}

/// Every `.rs` file below these folders.
fn rust_files(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let (mut stack, mut out) = (dirs.to_vec(), Vec::new());
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out
}

#[test]
fn only_parse_knows_pulldown_cmark_and_only_yaml_knows_serde_yaml() {
    for path in rust_files(&[root().join("src")]) {
        let text = read(&path);
        let name = path.strip_prefix(root()).unwrap().to_string_lossy().replace('\\', "/");
        if name != "src/parse.rs" {
            assert!(!text.contains("pulldown_cmark"), "{name} uses pulldown_cmark");
        }
        if name != "src/yaml.rs" {
            assert!(!text.contains("serde_yaml"), "{name} uses serde_yaml");
        }
    }
}

#[test]
fn readme_usage_matches_help() {
    let readme = read(&root().join("README.md"));
    let (help, _, code) = crate::run(&["check", "--help"]);
    assert_eq!(code, 0);
    let start = readme.find("<!-- check-help -->").expect("README has a check-help block");
    let block = &readme[start..];
    let body = block.split("```text\n").nth(1).and_then(|b| b.split("```").next()).expect("fenced help");
    assert_eq!(body.trim_end(), help.trim_end(), "README's `locdrift check --help` block is out of date");
    assert!(readme.contains("cargo run --release -- check fixtures/azure-ml"));
    assert!(Path::new(&root().join(".ci/run")).is_file());
}

#[test]
fn readme_rule_table_matches_the_catalog() {
    let readme = read(&root().join("README.md"));
    let table = readme.split("<!-- rules-table -->").nth(1).expect("README has a rules table");
    let rows: Vec<(String, String, String)> = table
        .lines()
        .skip(3)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells[1].to_string(), cells[2].trim_matches('`').to_string(), cells[3].to_string())
        })
        .collect();
    let expected: Vec<(String, String, String)> = catalog::all()
        .iter()
        .map(|d| (d.code.clone(), d.name.clone(), format!("{}{}", d.severity, if d.enabled { "" } else { " (off)" })))
        .collect();
    assert_eq!(rows, expected, "README's rule table is out of date with rules/catalog.yaml");
}

/// The layers ARCHITECTURE.md's code map states, by module: `- \`name\` (core): …` or
/// `- \`a\`, \`b\` (drivers): …`.
fn stated_layers() -> BTreeMap<String, bool> {
    let map = read(&root().join("ARCHITECTURE.md"));
    let mut core = BTreeMap::new();
    for line in map.lines() {
        let Some(entry) = line.strip_prefix("- `") else { continue };
        let Some((names, rest)) = entry.split_once(" (") else { continue };
        let is_core = match rest.split_once(')').map(|(layer, _)| layer) {
            Some("core") => true,
            Some("driver" | "drivers") => false,
            _ => continue,
        };
        for name in names.split(", ").map(|n| n.trim_matches('`')) {
            core.insert(name.to_string(), is_core);
        }
    }
    core
}

/// Each module of src/ (a file, or a folder with its files; `main` and `lib` aside) and
/// the modules it names as `crate::…` outside its `#[cfg(test)] mod tests`.
fn module_imports() -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in rust_files(&[root().join("src")]) {
        let rel = path.strip_prefix(root().join("src")).unwrap();
        let first = rel.components().next().unwrap().as_os_str().to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "main" || module == "lib" {
            continue;
        }
        let text = read(&path);
        let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
        let imports = out.entry(module.clone()).or_default();
        imports.extend(crate_paths(code).into_iter().filter(|m| *m != module));
    }
    out
}

/// The first segment of every `crate::…` path in `code`, through `crate::{a, b::c}` groups.
fn crate_paths(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Names at depth one, each after `{` or `,`.
            let (mut depth, mut start) = (1, true);
            let mut name = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 1 => break,
                    '}' => depth -= 1,
                    ',' if depth == 1 => start = true,
                    c if start && (c.is_alphanumeric() || c == '_') => name.push(c),
                    _ if !name.is_empty() => {
                        out.insert(std::mem::take(&mut name));
                        start = false;
                    }
                    _ => {}
                }
            }
            if !name.is_empty() {
                out.insert(name);
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            out.insert(name);
        }
    }
    out
}

/// The code map names every module with its layer, and core modules import only core
/// modules: the core does no I/O and knows nothing of how it is driven.
#[test]
fn the_code_map_is_complete_and_the_core_imports_no_driver() {
    let layers = stated_layers();
    let imports = module_imports();
    let modules: BTreeSet<&String> = imports.keys().collect();
    let mapped: BTreeSet<&String> = layers.keys().collect();
    assert_eq!(modules, mapped, "ARCHITECTURE.md's code map and the modules of src/ differ");
    for (module, uses) in imports.iter().filter(|(m, _)| layers[*m]) {
        let drivers: Vec<&String> = uses.iter().filter(|u| layers.get(*u) == Some(&false)).collect();
        assert!(drivers.is_empty(), "core module `{module}` imports driver modules {drivers:?}");
    }
    assert!(imports["engine"].contains("rules") && imports["check"].contains("engine"), "{imports:?}");
}

/// No module imports another that imports it back, directly or through others.
#[test]
fn no_module_imports_in_a_circle() {
    let imports = module_imports();
    // Depth-first; a module met again while on the path closes a circle.
    fn visit<'a>(
        m: &'a str,
        imports: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) {
        if let Some(at) = path.iter().position(|p| *p == m) {
            panic!("modules import each other in a circle: {} -> {m}", path[at..].join(" -> "));
        }
        if !done.insert(m) {
            return;
        }
        path.push(m);
        for next in imports.get(m).into_iter().flatten().filter(|n| imports.contains_key(*n)) {
            visit(next, imports, path, done);
        }
        path.pop();
    }
    let mut done = BTreeSet::new();
    for m in imports.keys() {
        visit(m, &imports, &mut Vec::new(), &mut done);
    }
}
