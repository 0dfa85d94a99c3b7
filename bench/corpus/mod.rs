//! A generated Microsoft-Docs-like corpus (sibling trees) with known drifts, for benchmarks and recall tests.
//!
//! `generate` writes `OUT/en-us/...` (the sources) and one tree per locale, plus
//! `OUT/expected.jsonl`: one `{"file": .., "rule": ..}` line per injected drift, `file`
//! being the translation's path relative to `OUT`. Every translation without a line there
//! is a faithful one, so a linter run on the corpus can be scored: every expected drift
//! reported with its rule (recall), nothing reported anywhere else (precision).
//!
//! Pages are built as a small model (`page.rs`), rendered once in English and once per
//! locale with that locale's words (`words.rs`), yes/no words and preview marker (read
//! from the built-in vocabularies, so the corpus speaks the linter's languages). A drift
//! (`drifts.rs`) edits the translation's model before it is rendered. Everything derives
//! from the seed: the same options write the same bytes.
//!
//! This file is compiled into two crates with `#[path]`: the `gen-corpus` example and
//! the integration tests (`tests/it/generated.rs`).

mod drifts;
mod page;
mod words;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::path::Path;

pub use drifts::DRIFTS;
pub use words::LOCALES;

use page::{Page, Site, Voice};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Source files (en-us). The corpus has `sources * (1 + locales)` files.
    pub sources: usize,
    /// How many locales, taken in the order of `LOCALES`.
    pub locales: usize,
    pub seed: u64,
    /// The share of translations that get a drift.
    pub drift_rate: f64,
}

impl Default for Options {
    fn default() -> Options {
        Options { sources: 200, locales: 3, seed: 1, drift_rate: 0.05 }
    }
}

/// One injected drift: the translation (relative to the corpus root), the rule that
/// must report it, and what was done (for whoever reads a miss).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Expected {
    pub file: String,
    pub rule: String,
    #[serde(default)]
    pub what: String,
}

#[derive(Debug, Clone, Default)]
pub struct Generated {
    pub files: usize,
    pub bytes: u64,
    pub expected: Vec<Expected>,
}

/// Writes the corpus into `out` (created if needed; existing files are overwritten).
pub fn generate(out: &Path, options: &Options) -> io::Result<Generated> {
    if options.locales > LOCALES.len() {
        return Err(io::Error::other(format!("at most {} locales", LOCALES.len())));
    }
    let site = Site::plan(options.sources, options.seed);
    let source_voice = Voice::english();
    let voices: Vec<Voice> = LOCALES[..options.locales].iter().map(|l| Voice::for_locale(l)).collect();
    let mut generated = Generated::default();
    let mut made_dirs = BTreeSet::new();
    let mut write = |rel: &str, bytes: &[u8], generated: &mut Generated| -> io::Result<()> {
        let path = out.join(rel);
        let dir = path.parent().expect("files live in a locale folder");
        if made_dirs.insert(dir.to_path_buf()) {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, bytes)?;
        generated.files += 1;
        generated.bytes += bytes.len() as u64;
        Ok(())
    };
    // Each drift goes to the kind used least so far among those the page offers, so
    // even a small corpus exercises every kind, and a large one has them in equal parts.
    let mut used = vec![0usize; DRIFTS.len()];
    for index in 0..site.pages.len() {
        let mut rng = Rng::new(options.seed ^ (index as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let page = Page::build(&site, index, &mut rng);
        let mut text_rng = rng.fork();
        write(
            &format!("en-us/{}", site.pages[index].rel),
            page.render(&site, &source_voice, &mut text_rng).as_bytes(),
            &mut generated,
        )?;
        for voice in &voices {
            let mut translation = drifts::Translation::of(&page, &site.pages[index].rel);
            let mut rule = None;
            let mut what = "";
            if rng.chance(options.drift_rate) {
                let fitting = (0..DRIFTS.len()).filter(|&k| (DRIFTS[k].fits)(&page));
                if let Some(k) = fitting.min_by_key(|&k| (used[k], k)) {
                    (DRIFTS[k].apply)(&mut translation, &site, &mut rng);
                    rule = Some(DRIFTS[k].rule);
                    what = DRIFTS[k].what;
                    used[k] += 1;
                }
            }
            let rel = format!("{}/{}", voice.locale, translation.rel);
            let bytes = translation.render(&site, voice, &mut rng);
            write(&rel, &bytes, &mut generated)?;
            if let Some(rule) = rule {
                generated.expected.push(Expected { file: rel, rule: rule.to_string(), what: what.to_string() });
            }
        }
    }
    generated.expected.sort();
    let mut lines = Vec::new();
    for e in &generated.expected {
        serde_json::to_writer(&mut lines, e).map_err(io::Error::other)?;
        lines.push(b'\n');
    }
    let mut file = std::fs::File::create(out.join("expected.jsonl"))?;
    file.write_all(&lines)?;
    Ok(generated)
}

/// Reads `OUT/expected.jsonl`.
pub fn read_expected(out: &Path) -> io::Result<Vec<Expected>> {
    let text = std::fs::read_to_string(out.join("expected.jsonl"))?;
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).map_err(io::Error::other)).collect()
}

/// How a linter's findings compare with the injected drifts.
#[derive(Debug, Default)]
pub struct Verdict {
    /// Injected drifts nobody reported with the expected rule.
    pub missed: Vec<Expected>,
    /// Findings on files without an injected drift, or with another rule than the one
    /// injected there: (file, rule).
    pub unexpected: Vec<(String, String)>,
    /// Per rule: (drifts injected, findings on their files).
    pub by_rule: BTreeMap<String, (usize, usize)>,
}

impl Verdict {
    pub fn is_perfect(&self) -> bool {
        self.missed.is_empty() && self.unexpected.is_empty()
    }
}

/// Scores findings, given as (file relative to the corpus root, rule).
pub fn verify(expected: &[Expected], findings: &[(String, String)]) -> Verdict {
    let mut verdict = Verdict::default();
    let found: BTreeSet<(&str, &str)> = findings.iter().map(|(f, r)| (f.as_str(), r.as_str())).collect();
    let drifted: BTreeMap<&str, &str> = expected.iter().map(|e| (e.file.as_str(), e.rule.as_str())).collect();
    for e in expected {
        let entry = verdict.by_rule.entry(e.rule.clone()).or_default();
        entry.0 += 1;
        if found.contains(&(e.file.as_str(), e.rule.as_str())) {
            entry.1 += 1;
        } else {
            verdict.missed.push(e.clone());
        }
    }
    for (file, rule) in found {
        if drifted.get(file) != Some(&rule) {
            verdict.unexpected.push((file.to_string(), rule.to_string()));
        }
    }
    verdict
}

/// SplitMix64: small, fast and good enough to make varied documents from a seed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// An independent stream, so that drawing more numbers in one place (a longer
    /// source text) does not change what is drawn in another (which drift is injected).
    pub fn fork(&mut self) -> Rng {
        Rng::new(self.next_u64())
    }
}
