//! What every command shows on the terminal: progress and notes.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How progress is shown on standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProgressMode {
    /// A bar on a terminal, nothing otherwise.
    Auto,
    /// A bar, redrawn in place.
    Bar,
    /// A line every 10 % or every 10 seconds, for batch logs.
    Plain,
    /// Nothing.
    None,
}

/// Progress over a number of paths, as the chosen mode shows it. Workers
/// call [`Progress::inc`] from any thread.
pub struct Progress {
    bar: Option<ProgressBar>,
    plain: Option<Mutex<PlainLines>>,
}

/// The state of plain progress lines.
struct PlainLines {
    label: String,
    total: u64,
    done: u64,
    started: Instant,
    last_line: Instant,
    last_tenth: u64,
}

/// Lines at least this far apart, unless a tenth of the work is done.
const PLAIN_EVERY: Duration = Duration::from_secs(10);

impl Progress {
    /// Progress over `total` paths labelled `label`.
    pub fn new(mode: ProgressMode, total: u64, label: &str) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        match mode {
            ProgressMode::Bar => Progress::bar(total, label),
            ProgressMode::Auto if terminal => Progress::bar(total, label),
            ProgressMode::Plain => Progress {
                bar: None,
                plain: Some(Mutex::new(PlainLines {
                    label: label.to_string(),
                    total,
                    done: 0,
                    started: Instant::now(),
                    last_line: Instant::now(),
                    last_tenth: 0,
                })),
            },
            ProgressMode::Auto | ProgressMode::None => Progress {
                bar: None,
                plain: None,
            },
        }
    }

    fn bar(total: u64, label: &str) -> Progress {
        let bar = ProgressBar::new(total);
        bar.set_draw_target(ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{msg} [{bar:40}] {pos}/{len} paths, {per_sec}, eta {eta}",
        )
        .map(|s| s.progress_chars("=> "));
        if let Ok(style) = style {
            bar.set_style(style);
        }
        bar.set_message(label.to_string());
        Progress {
            bar: Some(bar),
            plain: None,
        }
    }

    /// `paths` more paths are done.
    pub fn inc(&self, paths: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(paths);
        }
        if let Some(plain) = &self.plain
            && let Ok(mut p) = plain.lock()
        {
            p.advance(paths);
        }
    }

    /// Clears the bar (plain lines stay in the log).
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl PlainLines {
    fn advance(&mut self, paths: u64) {
        self.done = (self.done + paths).min(self.total);
        let tenth = self.done * 10 / self.total.max(1);
        let now = Instant::now();
        if tenth > self.last_tenth || now - self.last_line >= PLAIN_EVERY {
            self.last_tenth = tenth;
            self.last_line = now;
            let elapsed = (now - self.started).as_secs_f64().max(1e-9);
            let rate = self.done as f64 / elapsed;
            let left = (self.total - self.done) as f64 / rate.max(1e-9);
            eprintln!(
                "hashwatt: {}: {}/{} paths ({:.0} %), {rate:.0} paths/s, {left:.0} s left",
                self.label,
                self.done,
                self.total,
                100.0 * self.done as f64 / self.total.max(1) as f64
            );
        }
    }
}

/// Says which staging folders of interrupted runs were removed.
pub fn report_leftovers(removed: &[PathBuf]) {
    for path in removed {
        eprintln!(
            "hashwatt: removed {}, left by an interrupted run",
            path.display()
        );
    }
}
