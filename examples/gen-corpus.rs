//! `gen-corpus`: writes the benchmark corpus (bench/corpus/), or scores a locdrift JSON report against it.
//!
//! ```text
//! cargo run --release --example gen-corpus -- OUT --files 10000 --locales 8 --seed 1
//! locdrift check OUT --format json > report.json
//! cargo run --release --example gen-corpus -- OUT --verify report.json
//! ```

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "../bench/corpus/mod.rs"]
mod corpus;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

#[derive(Parser)]
#[command(about = "Writes a Microsoft-Docs-like corpus with known drifts (OUT/expected.jsonl)")]
struct Args {
    /// Where to write the corpus (en-us/, one folder per locale, expected.jsonl).
    out: PathBuf,
    /// Source files; the corpus has FILES * (1 + LOCALES) files.
    #[arg(long, default_value_t = 200)]
    files: usize,
    /// Locales besides en-us (at most 15).
    #[arg(long, default_value_t = 3)]
    locales: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Share of translations that get one injected drift.
    #[arg(long, default_value_t = 0.05)]
    drift_rate: f64,
    /// Instead of generating: score this `locdrift check --format json` report of OUT
    /// against OUT/expected.jsonl; exit 1 on any miss or unexpected finding.
    #[arg(long)]
    verify: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let result = match &args.verify {
        Some(report) => verify(&args.out, report),
        None => generate(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("gen-corpus: {e}");
            ExitCode::from(2)
        }
    }
}

fn generate(args: &Args) -> Result<ExitCode, String> {
    let options =
        corpus::Options { sources: args.files, locales: args.locales, seed: args.seed, drift_rate: args.drift_rate };
    let start = std::time::Instant::now();
    let made = corpus::generate(&args.out, &options).map_err(|e| format!("{}: {e}", args.out.display()))?;
    println!(
        "{}: {} files, {:.1} MB, {} injected drifts, in {:.1} s",
        args.out.display(),
        made.files,
        made.bytes as f64 / 1e6,
        made.expected.len(),
        start.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

fn verify(out: &Path, report: &Path) -> Result<ExitCode, String> {
    let expected = corpus::read_expected(out).map_err(|e| format!("{}/expected.jsonl: {e}", out.display()))?;
    let text = std::fs::read_to_string(report).map_err(|e| format!("{}: {e}", report.display()))?;
    let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", report.display()))?;
    let prefix = format!("{}/", out.display().to_string().trim_end_matches('/'));
    let findings: Vec<(String, String)> = doc["findings"]
        .as_array()
        .ok_or("the report has no findings array")?
        .iter()
        .map(|f| {
            let file = f["file"].as_str().unwrap_or("");
            (file.strip_prefix(&prefix).unwrap_or(file).to_string(), f["rule"].as_str().unwrap_or("").to_string())
        })
        .collect();
    let verdict = corpus::verify(&expected, &findings);
    for (rule, (injected, found)) in &verdict.by_rule {
        println!("{rule:<22} {found:>6} / {injected:<6} reported");
    }
    for e in verdict.missed.iter().take(20) {
        println!("missed: {} {} ({})", e.rule, e.file, e.what);
    }
    for (file, rule) in verdict.unexpected.iter().take(20) {
        println!("unexpected: {rule} {file}");
    }
    println!(
        "recall {}/{}, {} unexpected findings",
        expected.len() - verdict.missed.len(),
        expected.len(),
        verdict.unexpected.len()
    );
    Ok(if verdict.is_perfect() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
