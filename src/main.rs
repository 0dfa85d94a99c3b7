//! The `locdrift` binary: parse arguments, call the library, render, exit 0/1/2.
//!
//! Exit codes (ripgrep's convention): 0 when nothing is at or above `--fail-on`, 1 when
//! findings are, 2 for usage, config or internal errors. A closed pipe is not an error.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use locdrift::check::{self, CheckError, Request};
use locdrift::cli::{CheckArgs, Cli, Command};
use locdrift::finding::Severity;
use locdrift::render::{self, Sources};
use locdrift::settings::Selection;
use locdrift::{catalog, parse, settings::Settings};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => run_check(args),
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
        Command::Model { file } => match check::read_text(&file, u64::MAX) {
            Ok(text) => {
                let doc = parse::parse(&text, &Settings::default().vocab);
                let json = serde_json::to_string_pretty(&doc).expect("the model serializes");
                emit(&format!("{json}\n"), ExitCode::SUCCESS)
            }
            Err(why) => {
                eprintln!("locdrift: {}: {why}", file.display());
                ExitCode::from(2)
            }
        },
        Command::Lsp => match locdrift::lsp::run() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("locdrift lsp: {e}");
                ExitCode::FAILURE
            }
        },
    }
}

fn run_check(args: CheckArgs) -> ExitCode {
    let request = Request {
        paths: args.paths,
        config: args.config,
        selection: Selection { select: args.select, extend_select: args.extend_select, ignore: args.ignore },
    };
    let outcome = match check::run(&request) {
        Ok(o) => o,
        Err(CheckError::Config(e)) => {
            eprintln!("{:?}", miette::Report::new(e));
            return ExitCode::from(2);
        }
        Err(CheckError::Usage(m)) => {
            eprintln!("locdrift: {m}");
            return ExitCode::from(2);
        }
    };
    let fail_on = args.fail_on.or(outcome.fail_on).unwrap_or(Severity::Warning);
    let sources = Sources::new();
    let text = render::render(args.format, &outcome.findings, &outcome.summary, &sources);
    let failed = outcome.findings.iter().any(|f| f.severity >= fail_on);
    emit(&text, if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
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
