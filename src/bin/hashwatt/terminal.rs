//! What every command shows on the terminal: progress bars and notes.

use std::io::IsTerminal;
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar over `len` paths labelled `message`, drawn on standard error when
/// it is a terminal and hidden otherwise (logs and pipes stay clean).
pub fn progress_bar(len: u64, message: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    let style =
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} paths, {per_sec}, eta {eta}")
            .map(|s| s.progress_chars("=> "));
    if let Ok(style) = style {
        bar.set_style(style);
    }
    bar.set_message(message.to_string());
    bar
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
