//! `findings` turns a qualitative interview study, kept as YAML and Markdown,
//! into a website. The library is a pipeline whose stages are modules:
//!
//! 1. [`load`]: study folder -> raw records with source positions;
//! 2. [`validate`]: raw records -> [`model::Study`], or diagnostics;
//! 3. [`render`]: study + [`templates`] -> an in-memory site;
//! 4. [`output`]: site -> output folder, swapped in only when complete.
//!
//! Data flows one way. Every problem is a [`diagnostic::Diagnostic`], drawn
//! by [`report`]; only [`console`] prints, and only [`run`] decides the exit
//! status.

pub mod citation;
pub mod cli;
mod commands;
pub mod console;
pub mod diagnostic;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pages;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod serve;
pub mod source;
pub mod tabulate;
pub mod templates;
pub mod validate;

use std::path::Path;
use std::process::ExitCode;

use cli::{Cli, Command};
use diagnostic::{Diagnostic, Diagnostics};
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
    let session = commands::Session {
        color: console::stderr_color(cli.color, environment.no_color),
        redact: environment.ci,
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    match &cli.command {
        Command::Check(args) => commands::check(args, &session),
        Command::Build(args) => commands::build(args, &session),
        Command::Serve(args) => commands::serve(args, &session),
        Command::New(args) => commands::new(args, &session),
        Command::Completions(args) => commands::completions(args),
    }
}

/// A checked study: the validated model (when it has no error), its
/// templates, every diagnostic, and the sources they point into.
pub struct Checked {
    /// The study, when it has no error.
    pub study: Option<model::Study>,
    /// The compiled templates, when they have no error.
    pub templates: Option<templates::Templates>,
    /// Every problem found, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// The files read.
    pub sources: Sources,
}

/// Loads and validates a study and its templates, collecting every diagnostic.
///
/// # Errors
/// [`load::LoadError`] when the study folder cannot be opened.
pub fn check_study(study_dir: &Path) -> Result<Checked, load::LoadError> {
    let mut diagnostics = Diagnostics::new();
    let (raw, mut sources) = load::load(study_dir, &mut diagnostics)?;
    let study = validate::validate(&raw, &mut diagnostics);
    let templates = templates::load_templates(study_dir, &mut sources, &mut diagnostics);
    Ok(Checked {
        study,
        templates,
        diagnostics: diagnostics.into_sorted(),
        sources,
    })
}

/// Checks and renders a study in memory.
///
/// # Errors
/// [`load::LoadError`] when the study folder cannot be opened. A study with
/// errors gives `Ok` with no site and the diagnostics.
pub fn build_site(
    study_dir: &Path,
    options: &render::SiteOptions,
) -> Result<(Option<render::Site>, Checked), load::LoadError> {
    let mut checked = check_study(study_dir)?;
    let site = match (&checked.study, &checked.templates) {
        (Some(study), Some(templates)) => match render::render(study, templates, options) {
            Ok(site) => Some(site),
            Err(problems) => {
                checked.diagnostics.extend(problems);
                None
            }
        },
        _ => None,
    };
    Ok((site, checked))
}
