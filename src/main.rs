//! The `findings` binary: parse the command line, run the library, exit.

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    match findings::cli::Cli::try_parse() {
        Ok(cli) => findings::run(&cli, findings::Environment::from_process()).into(),
        Err(error) => {
            // --help and --version are "errors" that exit 0; usage errors exit 2.
            let _ = error.print();
            if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}
