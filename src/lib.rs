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
pub mod console;
pub mod diagnostic;
pub mod load;
pub mod model;
pub mod output;
pub mod render;
pub mod report;
pub mod source;
pub mod tabulate;
pub mod templates;
pub mod validate;

use std::path::Path;
use std::process::ExitCode;

use std::time::Instant;

use cli::{BuildArgs, CheckArgs, Cli, Command};
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
        Command::Build(args) => build(args, color, environment),
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
        (Some(study), Some(templates)) => {
            let options = render::SiteOptions {
                language: study.language.clone(),
                ..options.clone()
            };
            match render::render(study, templates, &options) {
                Ok(site) => Some(site),
                Err(problems) => {
                    checked.diagnostics.extend(problems);
                    None
                }
            }
        }
        _ => None,
    };
    Ok((site, checked))
}

fn check(args: &CheckArgs, color: bool, environment: Environment) -> Status {
    match check_study(&args.study_dir) {
        Ok(checked) => report_and_judge(args, &checked, color, environment),
        Err(error) => {
            console::message(&format!("error: {error}\n"));
            Status::Failure
        }
    }
}

fn build(args: &BuildArgs, color: bool, environment: Environment) -> Status {
    let started = Instant::now();
    let base_url = match args.base_url.as_deref().map(render::normalise_base_url) {
        None => None,
        Some(Some(url)) => Some(url),
        Some(None) => {
            console::message(
                "error: --base-url must be an http:// or https:// address with a host and no query or fragment, such as https://example.org/reports/study\n",
            );
            return Status::Failure;
        }
    };
    let options = render::SiteOptions {
        base_url,
        language: String::new(),
    };
    let (site, checked) = match build_site(&args.check.study_dir, &options) {
        Ok(built) => built,
        Err(error) => {
            console::message(&format!("error: {error}\n"));
            return Status::Failure;
        }
    };
    let status = report_and_judge(&args.check, &checked, color, environment);
    if status != Status::Success {
        console::message("the site was not written\n");
        return status;
    }
    let Some(site) = site else {
        console::message("the site was not written\n");
        return Status::StudyErrors;
    };
    if let Err(error) = output::write_site(&site, &args.out, args.force) {
        console::message(&format!("error: {error}\n"));
        return Status::Failure;
    }
    console::message(&format!(
        "built {} pages ({} files) into {} in {:.2} s\n",
        site.page_count(),
        site.files.len(),
        args.out.display(),
        started.elapsed().as_secs_f64()
    ));
    Status::Success
}

/// Prints the diagnostics as asked and decides the status they lead to.
fn report_and_judge(args: &CheckArgs, checked: &Checked, color: bool, environment: Environment) -> Status {
    let study_name = args.study_dir.display().to_string();
    let diagnostics = &checked.diagnostics;
    let style = Style {
        format: args.format,
        color,
        redact: args.redact || environment.ci,
        study_dir: study_name.clone(),
    };
    match args.format {
        Format::Human => console::message(&report::human(diagnostics, &checked.sources, &style)),
        Format::Json => {
            console::product(&report::json(diagnostics, &style));
        }
        Format::Github => {
            console::product(&report::github(diagnostics, &style));
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
