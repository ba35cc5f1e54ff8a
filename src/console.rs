//! The one place that prints. Diagnostics and summaries go to stderr; what a
//! command produces for machines (JSON, annotations) goes to stdout. A closed
//! stdout (`findings check --format json | head`) is not an error.

#![allow(clippy::print_stderr, clippy::print_stdout)]

use std::io::{self, IsTerminal, Write};

use crate::cli::ColorChoice;

/// Whether stderr should be coloured, given the user's choice and `NO_COLOR`.
#[must_use]
pub fn stderr_color(choice: ColorChoice, no_color: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => !no_color && io::stderr().is_terminal(),
    }
}

/// Writes `text` to stdout. Returns `false` if stdout was closed early.
pub fn product(text: &str) -> bool {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => true,
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => false,
        Err(_) => false,
    }
}

/// Makes a panic print only where it happened, not its message: a panic
/// is a bug in findings, but its message might quote a value from the study,
/// and a redacted run's log must hold none. Exit status stays 101.
pub fn redact_panics() {
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map_or_else(String::new, |place| format!(" at {}:{}", place.file(), place.line()));
        message(&format!(
            "error: findings stopped on an internal error{place} (a bug; the message is left out because output is redacted); please report it\n"
        ));
    }));
}

/// Writes `text` to stderr, ignoring failures (there is nowhere else to say so).
pub fn message(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}
