//! `parse-floor`: the benchmark's reference, the least any linter of these files must do.
//!
//! It finds the Markdown files under a root with the same walker as `locdrift check`,
//! then reads every file and runs pulldown-cmark over it (with the options and offsets
//! `src/parse.rs` uses) in parallel with rayon, and builds nothing. `locdrift check`
//! does all of this plus the model, pairing, the rules and the report, so its wall time
//! divided by this one's is the overhead of everything that is not parsing.
//!
//! With `--model` it also builds each file's model (`locdrift::parse::parse`) and drops
//! it: the floor plus the model, without pairing, rules or report (nor the facts the
//! model works out only when a rule asks, such as a cell's value). The benchmark runs both, so the distance
//! between the floor and `check` splits into the model, the pipeline around it and the
//! rules.
//!
//! ```text
//! cargo run --release --example parse-floor -- [--model] DIR
//! ```

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;

use locdrift::discover::{self, WalkOptions};
use pulldown_cmark::{Options, Parser};
use rayon::prelude::*;

/// The allocator `locdrift` uses, so that both sides of the comparison allocate alike.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // The same pages as `locdrift` (see its `main`): no transparent huge pages.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    let mut args: Vec<_> = std::env::args_os().skip(1).collect();
    let model = args.first().is_some_and(|a| a == "--model");
    if model {
        args.remove(0);
    }
    let root = match args.as_slice() {
        [dir] => PathBuf::from(dir),
        _ => {
            eprintln!("usage: parse-floor [--model] DIR");
            return ExitCode::from(2);
        }
    };
    let found = discover::walk(&root, &WalkOptions { extensions: &["md".to_string()], exclude: &[] });
    let options = Options::ENABLE_TABLES | Options::ENABLE_HEADING_ATTRIBUTES | Options::ENABLE_STRIKETHROUGH;
    let (bytes, events) = found
        .files
        .par_iter()
        .map(|rel| {
            // Unreadable or non-UTF-8 files are skipped, as the linter skips parsing them.
            let Ok(text) = std::fs::read_to_string(root.join(rel)) else { return (0, 0) };
            if model {
                // What the model holds is counted so that building it cannot be optimized away.
                let doc = locdrift::parse::parse(&text);
                return (text.len(), doc.blocks.len() + doc.links.len() + doc.anchors.len());
            }
            let events = Parser::new_ext(&text, options).into_offset_iter().count();
            (text.len(), events)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    let what = if model { "blocks, links and anchors" } else { "events" };
    println!("{} files, {:.1} MB, {events} {what}", found.files.len(), bytes as f64 / 1e6);
    ExitCode::SUCCESS
}
