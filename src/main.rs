//! The `locdrift` binary: parse arguments, call the library, render, exit 0/1/2.
//!
//! Exit codes (ripgrep's convention): 0 when nothing is at or above `--fail-on`, 1 when
//! findings are, 2 for usage, config or internal errors. A closed pipe is not an error.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use std::path::PathBuf;

use locdrift::baseline::Baseline;
use locdrift::check::{self, CheckError, Request};
use locdrift::cli::{CheckArgs, Cli, Command, ReportArgs};
use locdrift::finding::Severity;
use locdrift::fix::{self, Applicability};
use locdrift::render::Format;
use locdrift::render::{self, Sources};

/// mimalloc instead of the system allocator: building documents makes many small
/// allocations on every thread, and glibc's malloc spent a sixth of a cold run on them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use locdrift::report::{self, ReportFormat};
use locdrift::{catalog, changed, init, parse, settings::Settings};

fn main() -> ExitCode {
    // mimalloc asks Linux for transparent huge pages, which are zeroed and kept 2 MB at a
    // time: a check of 90k files peaked at 103-105 MB with them and at 84 MB without, in
    // the same time (bench/README.md, "Night session").
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    let cli = Cli::parse();
    let Some(command) = cli.command else { return run_check(cli.check) };
    match command {
        Command::Check(args) => run_check(args),
        Command::Report(args) => run_report(args),
        Command::Init { dir, pin_locales } => run_init(dir.unwrap_or_else(|| ".".into()), pin_locales),
        Command::Rules => {
            let mut out = String::new();
            for doc in catalog::all() {
                let state = if doc.enabled { "" } else { " (off by default)" };
                out.push_str(&format!("{:<6} {:<22} {:<8} {}{state}\n", doc.code, doc.name, doc.severity, doc.summary));
            }
            emit(&out, ExitCode::SUCCESS)
        }
        Command::Explain { rule } => match catalog::get(&rule) {
            Some(doc) => emit(&catalog::explain(doc), ExitCode::SUCCESS),
            None => {
                eprintln!("locdrift: unknown rule `{rule}` (see `locdrift rules`)");
                ExitCode::from(2)
            }
        },
        Command::Schema => emit(&locdrift::config::json_schema(), ExitCode::SUCCESS),
        Command::Diff { translation, config } => run_diff(&translation, config.as_deref()),
        Command::Stamp { translations, force, config } => run_stamp(&translations, config.as_deref(), force),
        Command::Lsp => match locdrift::lsp::run() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("locdrift lsp: {e}");
                ExitCode::FAILURE
            }
        },
        Command::Model { file } => match locdrift::workspace::read_text(&file, u64::MAX) {
            Ok(text) => {
                let settings = match locdrift::config::find(&file).map(|p| locdrift::config::load(&p)) {
                    Some(Ok(config)) => config.settings,
                    _ => Settings::default(),
                };
                let doc = parse::parse(&text);
                // Every cell's value, numbers and markers and every paragraph's numbers,
                // which the model shows.
                for cell in doc.tables().flat_map(|t| t.header.iter().chain(t.rows.iter().flat_map(|r| &r.cells))) {
                    parse::cell_value(cell, &settings.vocab);
                    parse::cell_numbers(cell, &text);
                    parse::cell_markers(cell, &text, &settings.vocab);
                }
                for p in doc.paragraphs() {
                    parse::paragraph_numbers(p, &text);
                }
                let skeleton = locdrift::skeleton::build(&text, settings.dialect);
                let view = locdrift::skeleton::ModelView { doc: &doc, skeleton: skeleton.view(&text) };
                let json = serde_json::to_string_pretty(&view).expect("the model serializes");
                emit(&format!("{json}\n"), ExitCode::SUCCESS)
            }
            Err(why) => {
                eprintln!("locdrift: {}: {why}", file.display());
                ExitCode::from(2)
            }
        },
    }
}

/// `diff`: 0 when the translation is up to date, 1 when the source changed, 2 on errors.
fn run_diff(translation: &std::path::Path, config: Option<&std::path::Path>) -> ExitCode {
    use std::io::IsTerminal;
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match locdrift::staleness::diff(translation, config, color) {
        Ok(d) => emit(&d.text, if d.changes > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }),
        Err(m) => {
            eprintln!("locdrift: {m}");
            ExitCode::from(2)
        }
    }
}

/// `stamp`: 0 when every translation was stamped, 1 when one was refused, 2 on errors.
fn run_stamp(translations: &[PathBuf], config: Option<&std::path::Path>, force: bool) -> ExitCode {
    let mut code = ExitCode::SUCCESS;
    let mut out = String::new();
    for t in translations {
        match locdrift::staleness::stamp(t, config, force) {
            Ok(s) => out.push_str(&format!("{}: {} = {}\n", render::show_path(&s.file), s.key, s.commit)),
            Err(m) => {
                eprintln!("locdrift: {m}");
                code = ExitCode::from(1);
            }
        }
    }
    emit(&out, code)
}

fn run_check(args: CheckArgs) -> ExitCode {
    match check_command(args) {
        Ok(code) => code,
        Err(Stop::Config(e)) => {
            eprintln!("{:?}", miette::Report::new(e));
            ExitCode::from(2)
        }
        Err(Stop::Usage(m)) => {
            eprintln!("locdrift: {m}");
            ExitCode::from(2)
        }
    }
}

/// Why `check` stopped before reporting (exit 2).
enum Stop {
    Config(locdrift::config::ConfigError),
    Usage(String),
}

impl From<CheckError> for Stop {
    fn from(e: CheckError) -> Stop {
        match e {
            CheckError::Config(e) => Stop::Config(e),
            CheckError::Usage(m) => Stop::Usage(m),
        }
    }
}

/// `--fix` re-lints after writing, because one fix can reveal or overlap another; this
/// bounds the loop should two fixes ever undo each other.
const MAX_FIX_PASSES: usize = 10;

fn check_command(args: CheckArgs) -> Result<ExitCode, Stop> {
    let mut request = Request {
        paths: args.paths,
        config: args.config,
        selection: args.rules.selection(),
        shard: args.shard,
        cache: !args.no_cache,
        progress: locdrift::progress::allowed_here(args.format == Format::Human),
        // Only JUnit output and --prune-baseline read the list of every translation checked.
        no_inventory: !((args.format == Format::Junit && !args.statistics) || args.prune_baseline),
        ..Request::default()
    };
    if let Some(rev) = &args.changed_since {
        let rev = if rev.is_empty() { changed::default_rev().map_err(Stop::Usage)? } else { rev.clone() };
        let first = request.paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
        let dir = if first.is_dir() { first } else { first.parent().map(PathBuf::from).unwrap_or_default() };
        let dir = if dir.as_os_str().is_empty() { PathBuf::from(".") } else { dir };
        request.changed = Some(changed::files(&dir, &rev).map_err(Stop::Usage)?);
    }
    let mut baseline = match &args.baseline {
        Some(path) => Some(Baseline::load(path).map_err(Stop::Usage)?),
        None => None,
    };
    let applicability = if args.unsafe_fixes { Applicability::Unsafe } else { Applicability::Safe };
    let read = |p: &std::path::Path| locdrift::workspace::read_text(p, u64::MAX).ok();

    let mut fixed = 0;
    let mut fixed_files = std::collections::BTreeSet::new();
    if args.fix && !args.diff {
        for _ in 0..MAX_FIX_PASSES {
            let outcome = check::run(&request)?;
            let visible = match &baseline {
                Some(b) => b.filter(outcome.findings).findings,
                None => outcome.findings,
            };
            let edits = fix::edits(&visible, applicability, read);
            if edits.is_empty() {
                break;
            }
            fix::write(&edits)
                .map_err(|(file, e)| Stop::Usage(format!("{}: cannot write fix: {e}", file.display())))?;
            fixed += edits.iter().map(|e| e.fixes).sum::<usize>();
            fixed_files.extend(edits.into_iter().map(|e| e.file));
        }
    }

    let outcome = check::run(&request)?;
    if let Some(warning) = outcome.summary.history.warning() {
        eprintln!("locdrift: {warning}");
    }
    let mut findings = outcome.findings;
    let mut summary = outcome.summary;
    for note in &summary.notes {
        eprintln!("locdrift: warning: {note}");
    }
    if let Some(path) = &args.write_baseline {
        let b = Baseline::from_findings(path, &findings);
        b.write().map_err(|e| Stop::Usage(format!("{}: cannot write baseline: {e}", path.display())))?;
        eprintln!("locdrift: recorded {} {} in {}", b.len(), plural(b.len(), "finding", "findings"), path.display());
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(b) = &mut baseline {
        let filtered = b.filter(findings);
        if args.prune_baseline {
            let checked: Vec<PathBuf> = summary
                .pairs
                .iter()
                .flat_map(|p| std::iter::once(p.translation.clone()).chain(p.source.clone()))
                .collect();
            let dropped = b.prune(&filtered, &checked);
            let path = args.baseline.as_deref().expect("--prune-baseline requires --baseline");
            b.write().map_err(|e| Stop::Usage(format!("{}: cannot write baseline: {e}", path.display())))?;
            eprintln!(
                "locdrift: removed {dropped} stale {} from {}",
                plural(dropped, "entry", "entries"),
                path.display()
            );
        }
        summary.baselined = filtered.hidden;
        findings = filtered.findings;
    }
    if args.diff {
        let edits = fix::edits(&findings, applicability, read);
        let n: usize = edits.iter().map(|e| e.fixes).sum();
        eprintln!(
            "locdrift: {n} {} in {} {} would be applied",
            plural(n, "fix", "fixes"),
            edits.len(),
            plural(edits.len(), "file", "files")
        );
        let code = if edits.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) };
        return Ok(emit(&fix::unified_diff(&edits), code));
    }
    if fixed > 0 {
        eprintln!(
            "locdrift: fixed {fixed} {} in {} {}",
            plural(fixed, "finding", "findings"),
            fixed_files.len(),
            plural(fixed_files.len(), "file", "files")
        );
    }
    let fail_on = args.fail_on.or(outcome.fail_on).unwrap_or(Severity::Warning);
    let sources = Sources::new();
    let text = if args.statistics {
        render::statistics::render(&findings, args.format == Format::Json)
    } else {
        render::render_capped(args.format, &findings, &summary, &sources, args.max_per_file)
    };
    let failed = findings.iter().any(|f| f.severity >= fail_on);
    Ok(emit(&text, if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }))
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// `check::run`, with a stopping error printed (exit 2).
fn run_or_report(request: &Request) -> Result<check::Outcome, ExitCode> {
    match check::run(request) {
        Ok(o) => Ok(o),
        Err(CheckError::Config(e)) => {
            eprintln!("{:?}", miette::Report::new(e));
            Err(ExitCode::from(2))
        }
        Err(CheckError::Usage(m)) => {
            eprintln!("locdrift: {m}");
            Err(ExitCode::from(2))
        }
    }
}

/// `report`: exits 0 whatever the findings (it describes, `check` gates), 2 on errors.
fn run_report(args: ReportArgs) -> ExitCode {
    let baseline = match args.baseline.as_deref().map(report::load_baseline).transpose() {
        Ok(b) => b,
        Err(m) => {
            eprintln!("locdrift: {m}");
            return ExitCode::from(2);
        }
    };
    let title = if args.paths.is_empty() {
        ".".to_string()
    } else {
        args.paths.iter().map(|p| render::show_path(p)).collect::<Vec<_>>().join(" ")
    };
    let request =
        Request { paths: args.paths, config: args.config, selection: args.rules.selection(), ..Request::default() };
    let outcome = match run_or_report(&request) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let mut built = report::build(&outcome, &report::Options { top: args.top });
    if let (Some(base), Some(path)) = (&baseline, &args.baseline) {
        built.changes = Some(report::compare(base, &built, &render::show_path(path)));
    }
    let mut note = String::new();
    if let Some(out) = &args.html {
        let dir = out.parent().unwrap_or(std::path::Path::new("."));
        let page = report::html::render(&built, &outcome, dir, &title);
        if let Err(e) = std::fs::write(out, page.as_bytes()) {
            eprintln!("locdrift: cannot write {}: {e}", out.display());
            return ExitCode::from(2);
        }
        let t = &built.totals;
        note = format!(
            "Wrote {} ({} bytes): {}, {}, {} in {}.\n",
            render::show_path(out),
            page.len(),
            count(t.locales, "locale"),
            count(t.translations, "translation"),
            count(t.findings, "finding"),
            count(t.files_with_findings, "file"),
        );
    }
    let text = match (args.format, args.html.is_some()) {
        (Some(ReportFormat::Json), _) => report::to_json(&built),
        (Some(ReportFormat::Markdown), _) | (None, false) => report::markdown::render(&built),
        (None, true) => note.clone(),
    };
    if args.format.is_some() && !note.is_empty() {
        eprint!("{note}");
    }
    emit(&text, ExitCode::SUCCESS)
}

/// `1 file`, `2 files`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn run_init(dir: std::path::PathBuf, pin_locales: bool) -> ExitCode {
    match init::write(&dir, pin_locales) {
        Ok((path, p)) => {
            let locales: Vec<&str> = p.locales.iter().map(|(l, _)| l.as_str()).collect();
            let text = format!(
                "Wrote {}: {}, source locale {}, {} {} ({}), {} source files.\nNext: locdrift check {}\n",
                render::show_path(&path),
                p.layout.describe(),
                p.source_locale,
                locales.len(),
                if locales.len() == 1 { "locale" } else { "locales" },
                locales.join(", "),
                p.sources,
                render::show_path(&dir),
            );
            emit(&text, ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("locdrift: {e}");
            ExitCode::from(2)
        }
    }
}

/// Writes to stdout; a closed pipe (`locdrift … | head`) ends quietly with success.
fn emit(text: &str, code: ExitCode) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|_| stdout.flush()) {
        Ok(()) => code,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("locdrift: cannot write output: {e}");
            ExitCode::from(2)
        }
    }
}
