//! The progress bar of long runs: on stderr, in a terminal, for the human format, never in CI.
//!
//! A run that ends within a second shows nothing: the bar is created hidden and drawn
//! only once a second has passed, so pre-commit runs on a few files stay silent. The
//! decision whether a bar may appear at all (`allowed`) is made by the command line,
//! which knows the output format.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes on before it gets a bar.
const DELAY: Duration = Duration::from_secs(1);

/// Whether a run may show a bar: the human format (machine formats are read by
/// programs), stderr a terminal (not a log file), and not in CI, whose logs keep every
/// redraw. `ci` is the value of the `CI` variable, which CI services set.
pub fn allowed(human_format: bool, stderr_is_terminal: bool, ci: Option<&std::ffi::OsStr>) -> bool {
    human_format && stderr_is_terminal && ci.is_none_or(|v| v.is_empty() || v == "false" || v == "0")
}

/// `allowed` for this process.
pub fn allowed_here(human_format: bool) -> bool {
    allowed(human_format, std::io::stderr().is_terminal(), std::env::var_os("CI").as_deref())
}

/// Counts linted translations; shared by the worker threads.
pub struct Progress {
    bar: Option<ProgressBar>,
    start: Instant,
    shown: AtomicBool,
}

impl Progress {
    /// A bar for `total` translations, or nothing at all when `enabled` is false.
    pub fn new(total: usize, enabled: bool) -> Progress {
        let bar = enabled.then(|| {
            let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
            bar.set_style(
                ProgressStyle::with_template("{spinner} checking {pos}/{len} translations {wide_bar} {eta}")
                    .expect("a valid template"),
            );
            bar
        });
        Progress { bar, start: Instant::now(), shown: AtomicBool::new(false) }
    }

    /// More translations to count (each root's are known when its turn comes).
    pub fn add(&self, n: usize) {
        if let Some(bar) = &self.bar {
            bar.inc_length(n as u64);
        }
    }

    pub fn inc(&self, n: usize) {
        let Some(bar) = &self.bar else { return };
        bar.inc(n as u64);
        if !self.shown.load(Ordering::Relaxed)
            && self.start.elapsed() >= DELAY
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Removes the bar, so the report starts on a clean line.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_people_at_a_terminal_see_a_bar() {
        assert!(allowed(true, true, None));
        assert!(allowed(true, true, Some("false".as_ref())));
        assert!(!allowed(true, true, Some("true".as_ref())), "CI");
        assert!(!allowed(true, true, Some("1".as_ref())), "CI");
        assert!(!allowed(true, false, None), "stderr redirected");
        assert!(!allowed(false, true, None), "a machine format");
    }

    #[test]
    fn a_short_run_draws_nothing() {
        let progress = Progress::new(10, true);
        progress.inc(10);
        assert!(!progress.shown.load(Ordering::Relaxed));
        assert!(progress.bar.as_ref().is_some_and(|b| b.is_hidden()));
        progress.finish();
        let off = Progress::new(10, false);
        off.inc(3);
        assert!(off.bar.is_none());
    }
}
