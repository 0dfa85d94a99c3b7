//! Resolved settings the core runs with: vocabulary, enabled rules and their severities.

use std::collections::HashMap;

use crate::catalog;
use crate::finding::Severity;
use crate::rules::RULES;
use crate::vocab::Vocab;

#[derive(Debug, Clone)]
pub struct Settings {
    pub vocab: Vocab,
    /// Asked for every rule of every pair and every finding: a bit per rule of `RULES`.
    enabled: RuleSet,
    severities: HashMap<&'static str, Severity, foldhash::fast::FixedState>,
    /// Files larger than this many bytes are reported instead of parsed.
    pub max_file_size: u64,
    pub options: RuleOptions,
    /// The source locale (`en-us`): translations in the same language skip the
    /// language rules.
    pub source_language: String,
    /// The site the pages are published on: its URLs, heading ids and URL rules.
    pub site: crate::links::Site,
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
        let enabled = RULES.iter().map(|r| r.name).filter(|n| catalog::known(n).enabled).collect();
        let severities = RULES.iter().map(|r| (r.name, catalog::known(r.name).default_severity())).collect();
        Settings {
            vocab,
            enabled,
            severities,
            max_file_size: crate::config::DEFAULT_MAX_FILE_SIZE,
            options: RuleOptions::default(),
            source_language: "en".to_string(),
            site: crate::links::Site::default(),
        }
    }

    /// Only one rule enabled: what rule fixtures and catalog examples run with.
    pub fn only(rule: &str) -> Settings {
        Settings { enabled: RULES.iter().map(|r| r.name).filter(|n| *n == rule).collect(), ..Settings::default() }
    }

    pub fn is_enabled(&self, rule: &str) -> bool {
        rule_index(rule).is_some_and(|i| self.enabled.0 & (1 << i) != 0)
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
            self.enabled = RuleSet::default();
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
/// The enabled rules, a bit per rule by its place in `RULES` (there are fewer than 64;
/// a test checks it).
#[derive(Debug, Clone, Copy, Default)]
struct RuleSet(u64);

impl RuleSet {
    fn insert(&mut self, rule: &str) {
        if let Some(i) = rule_index(rule) {
            self.0 |= 1 << i;
        }
    }

    fn remove(&mut self, rule: &str) {
        if let Some(i) = rule_index(rule) {
            self.0 &= !(1 << i);
        }
    }
}

impl<'r> Extend<&'r str> for RuleSet {
    fn extend<I: IntoIterator<Item = &'r str>>(&mut self, rules: I) {
        for rule in rules {
            self.insert(rule);
        }
    }
}

impl<'r> FromIterator<&'r str> for RuleSet {
    fn from_iter<I: IntoIterator<Item = &'r str>>(rules: I) -> RuleSet {
        let mut set = RuleSet::default();
        set.extend(rules);
        set
    }
}

/// A rule's place in `RULES`: its name hashed (length and three bytes) into a table
/// filled by linear probing at compile time, then compared, which is several times
/// cheaper than hashing the whole name into a set.
fn rule_index(name: &str) -> Option<usize> {
    let mut slot = name_slot(name.as_bytes());
    loop {
        let i = RULE_SLOTS[slot];
        if i == u8::MAX {
            return None;
        }
        if RULES[usize::from(i)].name == name {
            return Some(usize::from(i));
        }
        slot = (slot + 1) % RULE_SLOTS.len();
    }
}

const fn name_slot(name: &[u8]) -> usize {
    let n = name.len();
    if n == 0 {
        return 0;
    }
    let key = n as u64 | (name[0] as u64) << 8 | (name[n / 2] as u64) << 16 | (name[n - 1] as u64) << 24;
    (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 57) as usize
}

/// `RULES` indices by `name_slot`, `u8::MAX` for an empty slot; 128 slots for fewer
/// than 64 rules, so probing ends.
const RULE_SLOTS: [u8; 128] = {
    assert!(RULES.len() < 64, "the enabled rules are bits of a u64");
    let mut table = [u8::MAX; 128];
    let mut i = 0;
    while i < RULES.len() {
        let mut slot = name_slot(RULES[i].name.as_bytes());
        while table[slot] != u8::MAX {
            slot = (slot + 1) % 128;
        }
        table[slot] = i as u8;
        i += 1;
    }
    table
};

pub fn resolve(selector: &str) -> Result<Vec<&'static str>, String> {
    let s = selector.trim();
    if s.eq_ignore_ascii_case("all") {
        return Ok(RULES.iter().map(|r| r.name).collect());
    }
    let matched: Vec<&'static str> = RULES
        .iter()
        .map(|r| r.name)
        .filter(|n| {
            *n == s || catalog::known(n).code.to_ascii_uppercase().starts_with(&s.to_ascii_uppercase()) && s.len() >= 3
        })
        .collect();
    if matched.is_empty() {
        Err(format!("unknown rule or code `{s}` (see `locdrift rules`)"))
    } else {
        Ok(matched)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every rule is found at its place, and nothing else is found.
    #[test]
    fn rule_names_find_their_place() {
        for (i, rule) in RULES.iter().enumerate() {
            assert_eq!(rule_index(rule.name), Some(i), "{}", rule.name);
            let owned = rule.name.to_string();
            assert_eq!(rule_index(&owned), Some(i), "{owned}");
            for other in [format!("{owned}x"), owned[1..].to_string(), owned.to_uppercase(), format!(" {owned}")] {
                assert_eq!(rule_index(&other), None, "{other}");
            }
        }
        assert_eq!(rule_index(""), None);
    }

    /// Enabling and disabling through the bit set answers as a set of names does.
    #[test]
    fn enabled_rules_agree_with_a_set_of_names() {
        use std::collections::BTreeSet;
        let mut settings = Settings::default();
        let mut model: BTreeSet<&str> = RULES.iter().map(|r| r.name).filter(|n| catalog::doc(n).enabled).collect();
        for (k, rule) in RULES.iter().enumerate() {
            let on = k % 3 != 0;
            settings.set_enabled(rule.name, on);
            if on {
                model.insert(rule.name);
            } else {
                model.remove(rule.name);
            }
            for r in RULES {
                assert_eq!(settings.is_enabled(r.name), model.contains(r.name), "{} after {}", r.name, rule.name);
            }
        }
        assert!(!settings.is_enabled("no-such-rule"));
        let selection = Selection { select: Some(vec!["broken-link".into()]), ..Selection::default() };
        settings.apply(&selection).expect("a known rule");
        let on: Vec<&str> = RULES.iter().map(|r| r.name).filter(|n| settings.is_enabled(n)).collect();
        assert_eq!(on, ["broken-link"]);
    }
}
