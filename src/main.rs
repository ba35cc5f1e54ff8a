//! The `findings` binary: parse the command line, run the library, exit.

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    match findings::cli::Cli::try_parse() {
        Ok(cli) => findings::run(&cli, findings::Environment::from_process()).into(),
        // --help and --version are "errors" that exit 0; usage errors exit 2.
        Err(error) => findings::parse_failed(&error).into(),
    }
}
