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
pub mod disclosure;
pub mod discover;
pub mod editorial;
pub mod load;
pub mod markdown;
pub mod model;
pub mod names;
pub mod output;
pub mod pages;
pub mod privacy;
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
    let redact_flag = match &cli.command {
        Command::Check(args) => args.redact,
        Command::Build(args) => args.check.redact,
        _ => false,
    };
    if environment.ci || redact_flag {
        console::redact_panics();
    }
    match &cli.command {
        Command::Check(args) => commands::check(args, &session),
        Command::Build(args) => commands::build(args, &session),
        Command::Serve(args) => commands::serve(args, &session),
        Command::New(args) => commands::new(args, &session),
        Command::Templates(cli::TemplatesCommand::Export(args)) => commands::export_templates(args, &session),
        Command::Privacy(args) => commands::privacy(args, &session),
        Command::Completions(args) => commands::completions(args),
    }
}

/// The command line did not parse, or asked for `--help` or `--version`:
/// prints what clap says and gives the status (0 for help and version that
/// were written, 2 otherwise).
#[must_use]
pub fn parse_failed(error: &clap::Error) -> Status {
    commands::parse_failed(error)
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
    let (raw, sources) = load::load(study_dir, &mut diagnostics)?;
    Ok(check_loaded(&raw, sources, diagnostics))
}

/// Validates a loaded study and compiles its templates, adding to the
/// `diagnostics` of its loading: the stages of [`check_study`] after the
/// load, for `serve`, which keeps what it loaded.
#[must_use]
pub fn check_loaded(raw: &load::RawStudy, sources: Sources, mut diagnostics: Diagnostics) -> Checked {
    let records = validate::Records::check(raw, &mut diagnostics);
    check_narrative(raw, records, sources, diagnostics)
}

/// The stages of [`check_loaded`] after the record files are checked
/// (`records`, whose problems `diagnostics` holds): for `serve`, which
/// keeps the checked records while only the narrative changes.
#[must_use]
pub fn check_narrative(
    raw: &load::RawStudy,
    records: validate::Records,
    sources: Sources,
    mut diagnostics: Diagnostics,
) -> Checked {
    let study = validate::validate_narrative(raw, records, &mut diagnostics)
        .and_then(|study| disclosure_gate(study, &view_places(raw), &mut diagnostics));
    let templates = templates::compile(&raw.site, &mut diagnostics);
    Checked {
        study,
        templates,
        diagnostics: diagnostics.into_sorted(),
        sources,
    }
}

/// The study, when every view it publishes meets its disclosure-risk
/// threshold; else `None`, with the views below it in `diagnostics` (a
/// study below its threshold is not built).
fn disclosure_gate(
    study: model::Study,
    places: &disclosure::Places,
    diagnostics: &mut Diagnostics,
) -> Option<model::Study> {
    let found = disclosure::diagnostics(&study, places);
    let clean = found.is_empty();
    for diagnostic in found {
        diagnostics.push(diagnostic);
    }
    clean.then_some(study)
}

/// Where `raw` declares each view that [`disclosure`] checks.
fn view_places(raw: &load::RawStudy) -> disclosure::Places {
    use diagnostic::Location;
    let mut places = disclosure::Places::default();
    if let Some(participants) = &raw.participants {
        let file = participants.sample_table_file();
        let first = |columns: Option<&[load::raw::RawColumn]>| {
            columns
                .and_then(<[_]>::first)
                .map(|column| Location::at(file, column.field.at))
        };
        places.sample_table = first(participants.sample_table.as_ref().map(|table| &table.columns[..]));
        places.participant_page = first(participants.participant_page.as_ref().map(|page| &page.fields[..]));
        places.service_page = first(participants.service_page.as_ref().map(|page| &page.fields[..]));
    }
    places.attribution = raw
        .study
        .as_ref()
        .map(|study| Location::at("study.yaml", study.attribution.at));
    if let Some(charts) = &raw.charts {
        places.charts = charts
            .charts
            .iter()
            .map(|chart| (chart.id.value.clone(), Location::at("charts.yaml", chart.id.at)))
            .collect();
    }
    places
}

/// A failure of `findings` itself, never of the study: a bug to report.
/// It is not a study diagnostic (no code, no place in the study); a command
/// that meets one says so on stderr and exits 2.
#[derive(Debug, thiserror::Error)]
pub enum InternalError {
    /// A chart that `check` accepted could not be drawn.
    #[error(
        "could not draw chart `{chart}`: {message} (this is a bug in findings: please report it with the chart's declaration)"
    )]
    Chart {
        /// The chart's id.
        chart: String,
        /// What the drawing library said.
        message: String,
    },
}

impl InternalError {
    /// What a redacted run says instead: the error may name a chart, or
    /// quote what the drawing library said about its labels.
    pub const REDACTED: &'static str = "findings itself failed (a bug: please report it); run the same command without --redact, and with CI unset, on your own machine to see the details";
}

/// Why a study could not be built, beyond the problems in the study.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The study folder could not be opened.
    #[error(transparent)]
    Load(#[from] load::LoadError),
    /// `findings` failed.
    #[error(transparent)]
    Internal(#[from] InternalError),
}

/// Checks and renders a study in memory.
///
/// # Errors
/// [`BuildError`] when the study folder cannot be opened, or `findings`
/// itself fails. A study with errors gives `Ok` with no site and the
/// diagnostics.
pub fn build_site(
    study_dir: &Path,
    options: &render::SiteOptions,
) -> Result<(Option<render::Site>, Checked), BuildError> {
    let mut checked = check_study(study_dir)?;
    let sink = render::SiteSink::default();
    let rendered = render_checked(&mut checked, options, &sink)?;
    Ok((rendered.then(|| sink.into_site()), checked))
}

/// Renders a checked study into `sink`, page by page as each is rendered,
/// and adds the problems of its templates and static files to its
/// diagnostics. Gives whether the sink was given the whole site: not when
/// the study has errors (nothing is rendered) or rendering found problems
/// (the sink was given part of it).
///
/// # Errors
/// [`InternalError`] when `findings` itself fails.
pub fn render_checked(
    checked: &mut Checked,
    options: &render::SiteOptions,
    sink: &impl render::Sink,
) -> Result<bool, InternalError> {
    let (Some(study), Some(templates)) = (&checked.study, &checked.templates) else {
        return Ok(false);
    };
    match render::render_into(study, templates, options, sink) {
        Ok(()) => Ok(true),
        Err(render::RenderError::Problems(problems)) => {
            checked.diagnostics.extend(problems);
            Ok(false)
        }
        Err(render::RenderError::Internal(error)) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An internal failure reaches the command as itself, saying it is a bug
    /// in findings; commands print every `BuildError` and exit 2.
    #[test]
    fn an_internal_error_says_it_is_a_bug() {
        let error = BuildError::from(InternalError::Chart {
            chart: "sample".to_owned(),
            message: "the backend failed".to_owned(),
        });
        assert_eq!(
            error.to_string(),
            "could not draw chart `sample`: the backend failed (this is a bug in findings: please report it with the chart's declaration)"
        );
    }
}
