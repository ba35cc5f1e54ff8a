//! `findings` turns a qualitative interview study, kept as YAML and Markdown,
//! into a website. The library is a pipeline whose stages are modules:
//!
//! 1. [`load`]: study folder -> raw records with source positions;
//! 2. [`validate`]: raw records -> [`model::Study`], or diagnostics;
//! 3. render and write (coming): study -> pages -> output folder.
//!
//! Data flows one way. Every problem is a [`diagnostic::Diagnostic`], drawn
//! by [`report`]; only [`console`] prints, and only [`run`] decides the exit
//! status.

pub mod citation;
pub mod cli;
pub mod console;
pub mod diagnostic;
pub mod load;
pub mod model;
pub mod report;
pub mod source;
pub mod validate;

use std::path::Path;
use std::process::ExitCode;

use cli::{CheckArgs, Cli, Command};
use diagnostic::{Code, Diagnostic, Diagnostics, Severity};
use report::{Format, Style};
use source::Sources;

/// What the process environment says about output, read once by `main`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Environment {
    /// `NO_COLOR` is set to a non-empty value.
    pub no_color: bool,
    /// `CI` is set to a non-empty value: redact diagnostics.
    pub ci: bool,
}

impl Environment {
    /// Reads `NO_COLOR` and `CI`.
    #[must_use]
    pub fn from_process() -> Self {
        let set = |name| std::env::var_os(name).is_some_and(|value| !value.is_empty());
        Self {
            no_color: set("NO_COLOR"),
            ci: set("CI"),
        }
    }
}

/// The exit status of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Clean.
    Success,
    /// The study has errors (or warnings, when they are denied).
    StudyErrors,
    /// Usage, I/O or internal problem.
    Failure,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> Self {
        match status {
            Status::Success => Self::SUCCESS,
            Status::StudyErrors => Self::from(1),
            Status::Failure => Self::from(2),
        }
    }
}

/// Runs a parsed command line.
#[must_use]
pub fn run(cli: &Cli, environment: Environment) -> Status {
    let color = console::stderr_color(cli.color, environment.no_color);
    match &cli.command {
        Command::Check(args) => check(args, color, environment),
    }
}

/// Loads and validates a study, collecting every diagnostic.
///
/// # Errors
/// [`load::LoadError`] when the study folder cannot be opened.
pub fn check_study(study_dir: &Path) -> Result<(Option<model::Study>, Vec<Diagnostic>, Sources), load::LoadError> {
    let mut diagnostics = Diagnostics::new();
    let (raw, sources) = load::load(study_dir, &mut diagnostics)?;
    let study = validate::validate(&raw, &mut diagnostics);
    Ok((study, diagnostics.into_sorted(), sources))
}

fn check(args: &CheckArgs, color: bool, environment: Environment) -> Status {
    let study_name = args.study_dir.display().to_string();
    let (_, diagnostics, sources) = match check_study(&args.study_dir) {
        Ok(checked) => checked,
        Err(error) => {
            console::message(&format!("error: {error}\n"));
            return Status::Failure;
        }
    };
    let style = Style {
        format: args.format,
        color,
        redact: args.redact || environment.ci,
        study_dir: study_name.clone(),
    };
    match args.format {
        Format::Human => console::message(&report::human(&diagnostics, &sources, &style)),
        Format::Json => {
            console::product(&report::json(&diagnostics, &style));
        }
        Format::Github => {
            console::product(&report::github(&diagnostics, &style));
        }
    }
    let errors = diagnostics
        .iter()
        .filter(|found| found.severity() == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    console::message(&summary(&study_name, errors, warnings));
    if diagnostics.iter().any(|found| found.code == Code::ReadFailed) {
        Status::Failure
    } else if errors > 0 || (args.deny_warnings && warnings > 0) {
        Status::StudyErrors
    } else {
        Status::Success
    }
}

fn summary(study: &str, errors: usize, warnings: usize) -> String {
    let plural = |count: usize, word: &str| format!("{count} {word}{}", if count == 1 { "" } else { "s" });
    if errors == 0 && warnings == 0 {
        format!("{study}: no problems found\n")
    } else {
        format!(
            "{study}: {} and {}\n",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    }
}
