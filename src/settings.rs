//! Resolved settings the core runs with: vocabulary, enabled rules and their severities.

use std::collections::{HashMap, HashSet};

use crate::catalog;
use crate::finding::Severity;
use crate::rules::RULES;
use crate::vocab::Vocab;

#[derive(Debug, Clone)]
pub struct Settings {
    pub vocab: Vocab,
    /// Asked for every rule of every pair and every finding: hashed with foldhash (the
    /// keys are rule names), where a tree set compared strings all the way down.
    enabled: HashSet<&'static str, foldhash::fast::FixedState>,
    severities: HashMap<&'static str, Severity, foldhash::fast::FixedState>,
    /// Files larger than this many bytes are reported instead of parsed.
    pub max_file_size: u64,
    pub options: RuleOptions,
    /// The source locale (`en-us`): translations in the same language skip the
    /// language rules.
    pub source_language: String,
}

/// Per-rule options from `rules: { NAME: {...} }` in locdrift.yaml; defaults are
/// documented in the catalog entry of each rule.
#[derive(Debug, Clone)]
pub struct RuleOptions {
    /// `front-matter-mismatch`: keys whose values must equal the source's.
    pub front_matter_keys: Vec<String>,
    /// `untranslated`: identical prose shorter than this is not reported.
    pub untranslated_min_chars: usize,
    /// `mixed-language`: sentences with fewer words are not judged.
    pub mixed_language_min_words: usize,
    /// `stale-translation`: also compare `ms.openlocfilehash` across locales. Off by
    /// default: on the Azure ML corpus 11 of its 15 findings were false (translations
    /// from the same source version also differ in this hash).
    pub stale_handoff_hash: bool,
}

impl Default for RuleOptions {
    fn default() -> RuleOptions {
        RuleOptions {
            front_matter_keys: ["ms.service", "ms.topic", "ms.author", "author", "services"].map(String::from).to_vec(),
            untranslated_min_chars: 20,
            mixed_language_min_words: 8,
            stale_handoff_hash: false,
        }
    }
}

impl Default for Settings {
    fn default() -> Settings {
        Settings::with_vocab(Vocab::builtin())
    }
}

/// How a run selects rules: ruff's `select` / `extend-select` / `ignore`.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
}

impl Settings {
    /// Catalog defaults: every rule enabled unless the catalog says otherwise.
    pub fn with_vocab(vocab: Vocab) -> Settings {
        let enabled = RULES.iter().map(|r| r.name).filter(|n| catalog::doc(n).enabled).collect();
        let severities = RULES.iter().map(|r| (r.name, catalog::doc(r.name).default_severity())).collect();
        Settings {
            vocab,
            enabled,
            severities,
            max_file_size: crate::config::DEFAULT_MAX_FILE_SIZE,
            options: RuleOptions::default(),
            source_language: "en".to_string(),
        }
    }

    /// Only one rule enabled: what rule fixtures and catalog examples run with.
    pub fn only(rule: &str) -> Settings {
        Settings { enabled: RULES.iter().map(|r| r.name).filter(|n| *n == rule).collect(), ..Settings::default() }
    }

    pub fn is_enabled(&self, rule: &str) -> bool {
        self.enabled.contains(rule)
    }

    pub fn severity(&self, rule: &str) -> Severity {
        self.severities.get(rule).copied().unwrap_or(Severity::Warning)
    }

    pub fn set_severity(&mut self, rule: &'static str, severity: Severity) {
        self.severities.insert(rule, severity);
    }

    pub fn set_enabled(&mut self, rule: &'static str, on: bool) {
        if on {
            self.enabled.insert(rule);
        } else {
            self.enabled.remove(rule);
        }
    }

    /// Applies a selection; an unknown selector is an error naming it.
    pub fn apply(&mut self, selection: &Selection) -> Result<(), String> {
        if let Some(select) = &selection.select {
            self.enabled.clear();
            for s in select {
                self.enabled.extend(resolve(s)?);
            }
        }
        for s in &selection.extend_select {
            self.enabled.extend(resolve(s)?);
        }
        for s in &selection.ignore {
            for r in resolve(s)? {
                self.enabled.remove(r);
            }
        }
        Ok(())
    }
}

/// A selector is a rule name, a code (`LD301`), a code prefix (`LD3`) or `ALL`.
pub fn resolve(selector: &str) -> Result<Vec<&'static str>, String> {
    let s = selector.trim();
    if s.eq_ignore_ascii_case("all") {
        return Ok(RULES.iter().map(|r| r.name).collect());
    }
    let matched: Vec<&'static str> = RULES
        .iter()
        .map(|r| r.name)
        .filter(|n| {
            *n == s || catalog::doc(n).code.to_ascii_uppercase().starts_with(&s.to_ascii_uppercase()) && s.len() >= 3
        })
        .collect();
    if matched.is_empty() {
        Err(format!("unknown rule or code `{s}` (see `locdrift rules`)"))
    } else {
        Ok(matched)
    }
}
