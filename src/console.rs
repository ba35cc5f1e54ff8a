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

/// Writes `text` to stderr, ignoring failures (there is nowhere else to say so).
pub fn message(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}
