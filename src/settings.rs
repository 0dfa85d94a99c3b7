//! Resolved settings the core runs with: vocabulary, enabled rules and their severities.

use crate::catalog;
use crate::finding::Severity;
use crate::rule_id::RuleId;
use crate::vocab::Vocab;

#[derive(Debug, Clone)]
pub struct Settings {
    pub vocab: Vocab,
    /// Whether each rule runs, by `RuleId`.
    enabled: [bool; RuleId::COUNT],
    /// Each rule's severity, by `RuleId`.
    severities: [Severity; RuleId::COUNT],
    /// Files larger than this many bytes are reported instead of parsed.
    pub max_file_size: u64,
    pub options: RuleOptions,
    /// The source locale (`en-us`): translations in the same language skip the
    /// language rules.
    pub source_language: String,
    /// `per-file-ignores`, in the order of the config file.
    pub(crate) per_file_ignores: Vec<PerFileIgnore>,
    /// The site's Markdown dialect (`dialect:`), which the skeleton is read with.
    pub dialect: &'static crate::dialect::Dialect,
}

/// Files above this size are reported, not parsed: a 50 MB Markdown file is a mistake,
/// and holding it would blow the memory budget of a parallel run.
pub(crate) const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// Rules switched off for the files a glob matches (`per-file-ignores`).
#[derive(Debug, Clone)]
pub(crate) struct PerFileIgnore {
    matcher: globset::GlobMatcher,
    /// A glob without `/` matches the file name wherever the file is (ruff's convention).
    by_name: bool,
    pub rules: Vec<RuleId>,
}

impl PerFileIgnore {
    pub(crate) fn new(glob: &str, matcher: globset::GlobMatcher, rules: Vec<RuleId>) -> PerFileIgnore {
        PerFileIgnore { matcher, by_name: !glob.contains('/'), rules }
    }

    fn matches(&self, rel: &str) -> bool {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        self.matcher.is_match(rel) || self.by_name && self.matcher.is_match(name)
    }
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
    pub(crate) fn with_vocab(vocab: Vocab) -> Settings {
        let (mut enabled, mut severities) = ([false; RuleId::COUNT], [Severity::Warning; RuleId::COUNT]);
        for rule in RuleId::all() {
            let head = catalog::known(rule.name());
            enabled[rule as usize] = head.enabled;
            severities[rule as usize] = head.default_severity();
        }
        Settings {
            vocab,
            enabled,
            severities,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            options: RuleOptions::default(),
            source_language: "en".to_string(),
            per_file_ignores: Vec::new(),
            dialect: crate::dialect::Dialect::auto(),
        }
    }

    /// Only one rule enabled: what rule fixtures and catalog examples run with.
    pub fn only(rule: RuleId) -> Settings {
        Settings { enabled: std::array::from_fn(|i| i == rule as usize), ..Settings::default() }
    }

    pub fn is_enabled(&self, rule: RuleId) -> bool {
        self.enabled[rule as usize]
    }

    pub fn severity(&self, rule: RuleId) -> Severity {
        self.severities[rule as usize]
    }

    pub(crate) fn set_severity(&mut self, rule: RuleId, severity: Severity) {
        self.severities[rule as usize] = severity;
    }

    pub fn set_enabled(&mut self, rule: RuleId, on: bool) {
        self.enabled[rule as usize] = on;
    }

    /// Whether `per-file-ignores` switches `rule` off for a finding about these files
    /// (paths relative to the root, with `/`: the translation and its source).
    pub(crate) fn is_ignored(&self, rule: RuleId, files: &[&str]) -> bool {
        self.per_file_ignores.iter().any(|p| p.rules.contains(&rule) && files.iter().any(|f| p.matches(f)))
    }

    /// Applies a selection; an unknown selector is an error naming it.
    pub fn apply(&mut self, selection: &Selection) -> Result<(), String> {
        if let Some(select) = &selection.select {
            self.enabled = [false; RuleId::COUNT];
            for s in select {
                for r in resolve(s)? {
                    self.set_enabled(r, true);
                }
            }
        }
        for s in &selection.extend_select {
            for r in resolve(s)? {
                self.set_enabled(r, true);
            }
        }
        for s in &selection.ignore {
            for r in resolve(s)? {
                self.set_enabled(r, false);
            }
        }
        Ok(())
    }
}

/// The rules a selector names: a rule name, a code (`LD301`), a code prefix (`LD3`) or `ALL`.
pub(crate) fn resolve(selector: &str) -> Result<Vec<RuleId>, String> {
    let s = selector.trim();
    if s.eq_ignore_ascii_case("all") {
        return Ok(RuleId::all().collect());
    }
    let prefix = s.to_ascii_uppercase();
    let matched: Vec<RuleId> =
        RuleId::all().filter(|r| r.name() == s || s.len() >= 3 && r.code().starts_with(&prefix)).collect();
    if matched.is_empty() {
        Err(format!("unknown rule or code `{s}` (see `locdrift rules`)"))
    } else {
        Ok(matched)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Enabling and disabling answers as a set of rules does, and a selection replaces it.
    #[test]
    fn enabled_rules_agree_with_a_set_of_rules() {
        use std::collections::BTreeSet;
        let mut settings = Settings::default();
        let mut model: BTreeSet<RuleId> = RuleId::all().filter(|r| catalog::doc(r.name()).enabled).collect();
        for (k, rule) in RuleId::all().enumerate() {
            let on = k % 3 != 0;
            settings.set_enabled(rule, on);
            if on {
                model.insert(rule);
            } else {
                model.remove(&rule);
            }
            for r in RuleId::all() {
                assert_eq!(settings.is_enabled(r), model.contains(&r), "{r} after {rule}");
            }
        }
        let selection = Selection { select: Some(vec!["broken-link".into()]), ..Selection::default() };
        settings.apply(&selection).expect("a known rule");
        let on: Vec<RuleId> = RuleId::all().filter(|r| settings.is_enabled(*r)).collect();
        assert_eq!(on, [RuleId::BrokenLink]);
        assert_eq!(resolve("LD30").expect("a prefix").len(), 5);
        assert_eq!(resolve("ld301"), Ok(vec![RuleId::StaleLink]));
        assert!(resolve("LD").is_err() && resolve("no-such-rule").is_err());
    }
}
