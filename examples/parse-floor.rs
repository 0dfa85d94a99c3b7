//! `parse-floor`: the benchmark's reference, the least any linter of these files must do.
//!
//! It finds the Markdown files under a root with the same walker as `locdrift check`,
//! then reads every file and runs pulldown-cmark over it (with the options and offsets
//! `src/parse.rs` uses) in parallel with rayon, and builds nothing. `locdrift check`
//! does all of this plus the model, pairing, the rules and the report, so its wall time
//! divided by this one's is the overhead of everything that is not parsing.
//!
//! ```text
//! cargo run --release --example parse-floor -- DIR
//! ```

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;

use locdrift::discover::{self, WalkOptions};
use pulldown_cmark::{Options, Parser};
use rayon::prelude::*;

fn main() -> ExitCode {
    let Some(root) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: parse-floor DIR");
        return ExitCode::from(2);
    };
    let found = discover::walk(&root, &WalkOptions { extensions: &["md".to_string()], exclude: &[] });
    let options = Options::ENABLE_TABLES | Options::ENABLE_HEADING_ATTRIBUTES | Options::ENABLE_STRIKETHROUGH;
    let (bytes, events) = found
        .files
        .par_iter()
        .map(|rel| {
            // Unreadable or non-UTF-8 files are skipped, as the linter skips parsing them.
            let Ok(text) = std::fs::read_to_string(root.join(rel)) else { return (0, 0) };
            let events = Parser::new_ext(&text, options).into_offset_iter().count();
            (text.len(), events)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!("{} files, {:.1} MB, {events} events", found.files.len(), bytes as f64 / 1e6);
    ExitCode::SUCCESS
}
