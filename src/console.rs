//! The one place that prints. Diagnostics and summaries go to stderr; what a
//! command produces for machines (JSON, annotations, completion scripts)
//! goes to stdout.
//!
//! Writing the product can fail, and the caller is told how: a reader that
//! stopped reading (`findings check --format json | head -c1`) is not an
//! error ([`Delivery::Closed`]), any other failure (a full disk,
//! `> /dev/full`) is a [`StdoutError`]. A failure to write to stderr is
//! ignored: there is nowhere else to say so.

#![allow(clippy::print_stderr, clippy::print_stdout)]

use std::io::{self, IsTerminal, Write};

use crate::cli::ColorChoice;

/// What became of a command's product on stdout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// All of it was written.
    Written,
    /// The reader closed stdout before the end (a broken pipe): it wants no
    /// more, which is not an error.
    Closed,
}

/// The product could not be written to stdout, for another reason than a
/// reader that stopped reading.
#[derive(Debug, thiserror::Error)]
#[error("could not write to standard output: {source}")]
pub struct StdoutError {
    /// Why the write failed.
    source: io::Error,
}

/// Whether stderr should be coloured, given the user's choice and `NO_COLOR`.
#[must_use]
pub fn stderr_color(choice: ColorChoice, no_color: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => !no_color && io::stderr().is_terminal(),
    }
}

/// Writes `text` to stdout, and flushes it.
///
/// # Errors
/// [`StdoutError`] when stdout cannot be written for another reason than
/// a closed reader.
pub fn product(text: &str) -> Result<Delivery, StdoutError> {
    let mut stdout = io::stdout().lock();
    delivered(stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()))
}

/// Prints what clap has for the user: `--help` and `--version` on stdout
/// (the product of those runs), a usage error on stderr.
///
/// # Errors
/// [`StdoutError`] when help or version cannot be written to stdout for
/// another reason than a closed reader.
pub fn clap_output(error: &clap::Error) -> Result<Delivery, StdoutError> {
    let printed = error.print();
    if error.use_stderr() {
        return Ok(Delivery::Written);
    }
    delivered(printed.and_then(|()| io::stdout().lock().flush()))
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

/// Tells a closed reader from a failed write.
fn delivered(written: io::Result<()>) -> Result<Delivery, StdoutError> {
    match written {
        Ok(()) => Ok(Delivery::Written),
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(Delivery::Closed),
        Err(source) => Err(StdoutError { source }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_reader_is_not_an_error_and_other_failures_are() {
        assert_eq!(delivered(Ok(())).ok(), Some(Delivery::Written));
        let closed = io::Error::from(io::ErrorKind::BrokenPipe);
        assert_eq!(delivered(Err(closed)).ok(), Some(Delivery::Closed));
        let full = io::Error::from(io::ErrorKind::StorageFull);
        let error = delivered(Err(full)).expect_err("a full disk is an error");
        assert!(
            error.to_string().starts_with("could not write to standard output: "),
            "{error}"
        );
    }
}
