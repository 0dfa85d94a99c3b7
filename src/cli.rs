//! Command-line definitions (clap derive). `main.rs` maps them onto the library.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::check::Shard;
use crate::finding::Severity;
use crate::render::Format;
use crate::report::ReportFormat;

#[derive(Debug, Parser)]
#[command(
    name = "locdrift",
    version,
    about = "Reports where translations of documentation drifted from their source.",
    // `locdrift PATH` is `locdrift check PATH`: a subcommand's name wins over a path.
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Without a subcommand, the arguments of `check`.
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check translations against their sources (the default job).
    Check(CheckArgs),
    /// List every rule with its code, default severity and summary.
    Rules,
    /// Explain one rule: why it exists, which dialects it covers, examples and its options.
    Explain {
        /// Rule name (`stale-link`) or code (`LD301`).
        rule: String,
    },
    /// Print the language-neutral model of one Markdown file as JSON.
    Model { file: PathBuf },
    /// Summarize translation status: an HTML page, a pull-request comment or JSON.
    Report(ReportArgs),
    /// Detect the layout of a docs tree and write a commented locdrift.yaml there.
    Init {
        /// The root of the docs tree; the config is written here. Defaults to the current directory.
        dir: Option<PathBuf>,
        /// Write the locales found today as `locales:`; without it every locale found
        /// at each run is checked, a new one included.
        #[arg(long)]
        pin_locales: bool,
    },
    /// Run the language server on stdin/stdout (for editors; see the README's "Editors").
    Lsp,
    /// Print the JSON Schema of locdrift.yaml (checked in as locdrift.schema.json).
    Schema,
    /// Show what changed meaningfully in a translation's source since its sync point, as a
    /// unified diff of the source; exit 1 when there is something to carry over.
    Diff {
        translation: PathBuf,
        /// Use this config file instead of the nearest locdrift.yaml.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Record the source's current commit as each translation's sync point, in its front
    /// matter (`l10n.sourceCommit` or the configured `stamp-key`).
    Stamp {
        #[arg(required = true)]
        translations: Vec<PathBuf>,
        /// Stamp even a translation whose structure differs from its source's.
        #[arg(long)]
        force: bool,
        /// Use this config file instead of the nearest locdrift.yaml.
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or directories to check; a source file pulls in its translations, a
    /// translation its source. Defaults to the current directory.
    pub paths: Vec<PathBuf>,
    /// Use this config file instead of the nearest locdrift.yaml.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Exit 1 only for findings at or above this severity [default: warning].
    #[arg(long, value_parser = parse_severity)]
    pub fail_on: Option<Severity>,
    /// Print the number of findings per rule and per locale instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// Human output: show at most N findings per file (0: all of them).
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub max_per_file: usize,
    /// Hide the findings recorded in this baseline file; fail only on new ones.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file and exit 0.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// With --baseline: remove the entries that no longer match from the baseline file.
    #[arg(long, requires = "baseline")]
    pub prune_baseline: bool,
    /// Only the pairs touching files changed since the merge base with REV (default: origin/$GITHUB_BASE_REF).
    #[arg(long, value_name = "REV", num_args = 0..=1, default_missing_value = "")]
    pub changed_since: Option<String>,
    /// Only shard K of N (1-based): pairs are split by a stable hash of their paths.
    #[arg(long, value_name = "K/N", value_parser = Shard::parse)]
    pub shard: Option<Shard>,
    /// Apply the safe fixes to the translations, then report what is left.
    #[arg(long)]
    pub fix: bool,
    /// Let --fix and --diff also apply unsafe fixes (untranslated placeholders).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff instead of applying them; exit 1 if there are any.
    #[arg(long)]
    pub diff: bool,
    /// Do not read or write the findings cache (.locdrift-cache/ under the root).
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Files or directories to report on, as for `check`. Defaults to the current directory.
    pub paths: Vec<PathBuf>,
    /// Use this config file instead of the nearest locdrift.yaml.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Write a self-contained HTML page (heatmap, locales, findings) to this file.
    #[arg(long, value_name = "OUT.html")]
    pub html: Option<PathBuf>,
    /// Print the summary in this format [default: markdown, unless --html is given].
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Compare with a previous `locdrift report --format json` output.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// How many findings the summary lists, most severe first.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    #[command(flatten)]
    pub rules: RuleArgs,
}

/// Rule selection, shared by `check` and `report` (ruff's select / extend-select / ignore).
#[derive(Debug, clap::Args)]
pub struct RuleArgs {
    /// Only these rules (names, codes or code prefixes, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Add these rules to the selection.
    #[arg(long, value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Skip these rules.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
}

impl RuleArgs {
    pub fn selection(self) -> crate::settings::Selection {
        crate::settings::Selection { select: self.select, extend_select: self.extend_select, ignore: self.ignore }
    }
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s).ok_or_else(|| format!("expected error, warning or info, not `{s}`"))
}
