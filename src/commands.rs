//! What each command does: run the pipeline, print through `console`, and
//! decide the exit status. The only place that knows about `--quiet`,
//! `--verbose` and redaction.
//!
//! A product that cannot be written to stdout ends the command with status
//! 2 and a one-line error; a reader that closed stdout early (`| head`)
//! ends `check` and `completions` quietly with status 0, as ripgrep does.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::CommandFactory as _;

use crate::cli::{
    BuildArgs, CheckArgs, Cli, CompletionsArgs, ExportArgs, NewArgs, PrivacyArgs, PrivacyFormat, ServeArgs,
};
use crate::console::{Delivery, StdoutError};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::model::Study;
use crate::privacy::{self, DenyList};
use crate::report::{self, Format, Style};
use crate::{
    BuildError, Checked, InternalError, Status, check_study, console, discover, output, render, render_checked,
    scaffold, serve as server,
};

/// How this run prints.
#[derive(Clone, Copy, Debug)]
pub struct Session {
    /// Colour the human format.
    pub color: bool,
    /// The CI environment variable is set: always redact.
    pub redact: bool,
    /// `--quiet`: errors only.
    pub quiet: bool,
    /// `--verbose`: also the steps.
    pub verbose: bool,
}

impl Session {
    /// Whether this run prints nothing that came from the study but file
    /// paths: `--redact`, or the CI variable set.
    const fn redacts(&self, args: &CheckArgs) -> bool {
        args.redact || self.redact
    }

    fn step(&self, text: &str) {
        if self.verbose {
            console::message(&format!("{text}\n"));
        }
    }

    fn summary(&self, text: &str) {
        if !self.quiet {
            console::message(&format!("{text}\n"));
        }
    }
}

pub fn check(args: &CheckArgs, session: &Session) -> Status {
    let started = Instant::now();
    let Some(study_dir) = study_folder(args.study_dir.as_deref(), session) else {
        return Status::Failure;
    };
    let deny_list = match open_deny_list(args.deny_list.as_deref(), &study_dir, None) {
        Ok(list) => list,
        Err(status) => return status,
    };
    match check_study(&study_dir) {
        Ok(mut checked) => {
            if let Some(list) = &deny_list {
                privacy::add_hits(&mut checked.diagnostics, privacy::scan_sources(list, &checked.sources));
            }
            session.step(&format!(
                "read and checked {} files in {:.3} s",
                checked.sources.len(),
                started.elapsed().as_secs_f64()
            ));
            let judged = report_and_judge(
                args,
                &study_dir,
                &checked.diagnostics,
                &checked,
                deny_list.as_ref(),
                session,
            );
            if let (
                Ok(Judged {
                    delivery: Delivery::Written,
                    ..
                }),
                Some(line),
            ) = (
                &judged,
                checked
                    .study
                    .as_ref()
                    .and_then(|study| withdrawn_line(study, session.redacts(args))),
            ) {
                session.summary(&line);
            }
            match judged {
                Ok(Judged {
                    delivery: Delivery::Closed,
                    ..
                }) => Status::Success,
                Ok(judged) => judged.status,
                Err(error) => stdout_failed(&error),
            }
        }
        Err(error) => {
            console::message(&format!("error: {error}\n"));
            Status::Failure
        }
    }
}

pub fn build(args: &BuildArgs, session: &Session) -> Status {
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
    let redact = session.redacts(&args.check);
    let Some(study_dir) = study_folder(args.check.study_dir.as_deref(), session) else {
        return Status::Failure;
    };
    let out = match &args.out {
        Some(out) => out.clone(),
        None => match std::env::current_dir().and_then(|current| discover::default_output(&study_dir, &current)) {
            Ok(out) => out,
            Err(error) => {
                console::message(&format!(
                    "error: could not resolve the study folder {}: {error}\n",
                    study_dir.display()
                ));
                return Status::Failure;
            }
        },
    };
    // A misplaced deny-list is refused first: it is a mistake in the
    // command line, and a list inside the output folder makes the folder
    // one findings may not replace either.
    let deny_list = match open_deny_list(args.check.deny_list.as_deref(), &study_dir, Some(&out)) {
        Ok(list) => list,
        Err(status) => return status,
    };
    // Refuse an output folder, and take its lock, before reading the study:
    // a refusal is about the command line, not the study, and a second build
    // of the same folder fails at once. Pages go into the staging folder as
    // they are rendered, so the site is never held whole in memory; it
    // replaces the output folder only once the build has succeeded, and is
    // removed otherwise (when `staging` is dropped).
    let staging = match output::Protected::from_process(&study_dir)
        .map_err(output::OutputError::from)
        .and_then(|protected| output::begin(&out, &protected, args.force))
    {
        Ok(staging) => staging,
        Err(error) => {
            console::message(&format!("error: {}\n", output_error_text(&error, &out, redact)));
            return Status::Failure;
        }
    };
    let options = render::SiteOptions { base_url };
    let mut checked = match check_study(&study_dir) {
        Ok(checked) => checked,
        Err(error) => {
            console::message(&format!(
                "error: {}\n",
                build_error_text(&BuildError::from(error), redact)
            ));
            return Status::Failure;
        }
    };
    let rendered = match &deny_list {
        None => render_checked(&mut checked, &options, &staging),
        Some(list) => render_scanned(&mut checked, &options, &staging, list),
    };
    let rendered = match rendered {
        Ok(rendered) => rendered,
        Err(error) => {
            console::message(&format!(
                "error: {}\n",
                build_error_text(&BuildError::from(error), redact)
            ));
            return Status::Failure;
        }
    };
    session.step(&format!(
        "read, checked and rendered {} files in {:.3} s",
        checked.sources.len(),
        started.elapsed().as_secs_f64()
    ));
    // A closed stdout changes nothing here: the site is the product.
    let status = match report_and_judge(
        &args.check,
        &study_dir,
        &checked.diagnostics,
        &checked,
        deny_list.as_ref(),
        session,
    ) {
        Ok(judged) => judged.status,
        Err(error) => {
            stdout_failed(&error);
            console::message("the site was not written\n");
            return Status::Failure;
        }
    };
    if status != Status::Success || !rendered {
        console::message("the site was not written\n");
        return if status == Status::Success {
            Status::StudyErrors
        } else {
            status
        };
    }
    let written = match staging.finish() {
        Ok(written) => written,
        Err(error) => {
            console::message(&format!("error: {}\n", output_error_text(&error, &out, redact)));
            return Status::Failure;
        }
    };
    report_leftovers(&written, &out, session);
    if session.verbose {
        if redact {
            // Page names come from the study's ids, which may be names.
            session.step(&format!(
                "wrote {} files into {} (names left out: redacted)",
                written.files.len(),
                out.display()
            ));
        } else {
            for path in &written.files {
                session.step(&format!("wrote {}/{path}", out.display()));
            }
        }
    }
    if let Some(line) = checked.study.as_ref().and_then(|study| withdrawn_line(study, redact)) {
        session.summary(&line);
    }
    let charts = checked.study.as_ref().map_or(0, |study| study.charts.len());
    session.summary(&format!(
        "built {} pages with {charts} charts ({} files) into {} in {:.2} s",
        written.page_count(),
        written.files.len(),
        out.display(),
        started.elapsed().as_secs_f64()
    ));
    Status::Success
}

/// Reads the deny-list given by `--deny-list` or `FINDINGS_DENY_LIST`, if
/// any, or says why it cannot be used: status 2.
fn open_deny_list(
    path: Option<&std::path::Path>,
    study_dir: &std::path::Path,
    out: Option<&std::path::Path>,
) -> Result<Option<DenyList>, Status> {
    let Some(path) = path else { return Ok(None) };
    DenyList::open(path, study_dir, out).map(Some).map_err(|error| {
        console::message(&format!("error: {error}\n"));
        Status::Failure
    })
}

/// Scans the study's text for the terms of `list`, then renders it into
/// `staging` through a sink that scans every file; gives whether the whole
/// site was rendered without a hit.
fn render_scanned(
    checked: &mut Checked,
    options: &render::SiteOptions,
    staging: &output::Staging,
    list: &DenyList,
) -> Result<bool, InternalError> {
    privacy::add_hits(&mut checked.diagnostics, privacy::scan_sources(list, &checked.sources));
    let sink = privacy::ScanningSink::new(staging, list);
    let rendered = render_checked(checked, options, &sink)?;
    let hits = sink.into_diagnostics();
    let clean = hits.is_empty();
    privacy::add_hits(&mut checked.diagnostics, hits);
    Ok(rendered && clean)
}

/// Scans a site `serve` rebuilt, and the text it was built from, for the
/// terms of `list`: gives the site to serve (none after a hit) and every
/// diagnostic of the rebuild.
fn scan_served(
    list: Option<&DenyList>,
    site: Option<std::sync::Arc<render::Site>>,
    checked: &Checked,
) -> (Option<std::sync::Arc<render::Site>>, Vec<Diagnostic>) {
    let mut diagnostics = checked.diagnostics.clone();
    let Some(list) = list else {
        return (site, diagnostics);
    };
    let mut hits = privacy::scan_sources(list, &checked.sources);
    if let Some(site) = &site {
        hits.extend(privacy::scan_site(list, site));
    }
    let clean = hits.is_empty();
    privacy::add_hits(&mut diagnostics, hits);
    (site.filter(|_| clean), diagnostics)
}

/// What `check` and `build` say of the participants who withdrew, if any:
/// their ids and the views they were left out of, such as "1 participant
/// withdrawn (P77): left out of the sample table, 2 charts and 1 service
/// page, and has no page". A redacted run leaves the ids out: an id is
/// meant to be a pseudonym, but may be a name.
fn withdrawn_line(study: &Study, redact: bool) -> Option<String> {
    let count = study.withdrawn.len();
    if count == 0 {
        return None;
    }
    let plural = |count: usize, word: &str| format!("{count} {word}{}", if count == 1 { "" } else { "s" });
    let ids = if redact {
        "ids left out: redacted".to_owned()
    } else {
        let ids: Vec<&str> = study.withdrawn.iter().map(|withdrawn| withdrawn.id.as_str()).collect();
        ids.join(", ")
    };
    let views = study.withdrawn_views();
    let mut left_out = vec!["the sample table".to_owned()];
    if views.charts > 0 {
        left_out.push(plural(views.charts, "chart"));
    }
    left_out.push(plural(views.service_pages, "service page"));
    let last = left_out.pop().unwrap_or_default();
    Some(format!(
        "{} withdrawn ({}): left out of {} and {last}, and {} no page",
        plural(count, "participant"),
        ids,
        left_out.join(", "),
        if count == 1 { "has" } else { "have" }
    ))
}

/// What to say when the site could not be written. A redacted run leaves
/// out the path of the file that failed: pages are named from the study's
/// ids, which may be names. The other refusals name only the output folder
/// and files already in it.
fn output_error_text(error: &output::OutputError, out: &std::path::Path, redact: bool) -> String {
    match error {
        output::OutputError::Io(io) if redact => format!(
            "could not write the site into {}: {} (the file's name is left out: output is redacted)",
            out.display(),
            io.kind()
        ),
        output::OutputError::UnsafePath { .. } | output::OutputError::WrittenTwice { .. } if redact => format!(
            "refusing to write a page into {} (its name is left out: output is redacted); this is a bug in findings, please report it",
            out.display()
        ),
        _ => error.to_string(),
    }
}

/// The study folder given, or the one found from the current folder (see
/// [`discover`]); `None`, having said why, when there is none.
fn study_folder(given: Option<&Path>, session: &Session) -> Option<PathBuf> {
    let found = std::env::current_dir()
        .map_err(|source| discover::NotFound::Unreadable {
            folder: PathBuf::from("."),
            source,
        })
        .and_then(|current| discover::study_folder(given, &current));
    match found {
        Ok(study_dir) => {
            if given.is_none() {
                session.step(&format!("found the study in {}", study_dir.display()));
            }
            Some(study_dir)
        }
        Err(error) => {
            console::message(&format!("error: {error}\n"));
            None
        }
    }
}

/// `findings privacy`: the disclosure-risk report of a study that has no
/// error (else its problems, as `check` prints them). Nothing is written
/// but stdout; the status says whether every view meets the threshold.
pub fn privacy(args: &PrivacyArgs, session: &Session) -> Status {
    let Some(study_dir) = study_folder(args.study_dir.as_deref(), session) else {
        return Status::Failure;
    };
    let mut diagnostics = crate::diagnostic::Diagnostics::new();
    let (raw, sources) = match crate::load::load(&study_dir, &mut diagnostics) {
        Ok(loaded) => loaded,
        Err(error) => {
            console::message(&format!("error: {error}\n"));
            return Status::Failure;
        }
    };
    let study = crate::validate::validate(&raw, &mut diagnostics);
    let Some(study) = study.filter(|_| !diagnostics.has_errors()) else {
        let checked = Checked {
            study: None,
            templates: None,
            diagnostics: diagnostics.into_sorted(),
            sources,
        };
        let check_args = CheckArgs {
            study_dir: args.study_dir.clone(),
            format: Format::Human,
            redact: false,
            deny_warnings: false,
            deny_list: None,
        };
        return match report_and_judge(&check_args, &study_dir, &checked.diagnostics, &checked, None, session) {
            Ok(judged) => judged.status,
            Err(error) => stdout_failed(&error),
        };
    };
    let report = crate::disclosure::report(&study);
    let text = match args.format {
        PrivacyFormat::Human => crate::disclosure::human(&report),
        PrivacyFormat::Json => match serde_json::to_string_pretty(&report) {
            Ok(json) => json + "\n",
            Err(error) => {
                console::message(&format!("error: could not write the report as JSON: {error}\n"));
                return Status::Failure;
            }
        },
    };
    match console::product(&text) {
        Ok(Delivery::Closed) => Status::Success,
        Ok(Delivery::Written) if report.meets_threshold => Status::Success,
        Ok(Delivery::Written) => Status::StudyErrors,
        Err(error) => stdout_failed(&error),
    }
}

/// Says which folders of interrupted builds the build removed.
fn report_leftovers(written: &output::Written, out: &Path, session: &Session) {
    let count = written.leftovers.len();
    if count == 0 {
        return;
    }
    for path in &written.leftovers {
        session.step(&format!("removed {}", path.display()));
    }
    session.summary(&format!(
        "removed {count} folder{} left beside {} by interrupted builds",
        if count == 1 { "" } else { "s" },
        out.display()
    ));
}

pub fn serve(args: &ServeArgs, session: &Session) -> Status {
    let Some(study_dir) = study_folder(args.study_dir.as_deref(), session) else {
        return Status::Failure;
    };
    if !study_dir.is_dir() {
        console::message(&format!(
            "error: {} is not a folder; give the folder that holds study.yaml\n",
            study_dir.display()
        ));
        return Status::Failure;
    }
    let deny_list = match open_deny_list(args.deny_list.as_deref(), &study_dir, None) {
        Ok(list) => list,
        Err(status) => return status,
    };
    let address = args.bind.unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
    let options = server::ServeOptions {
        study_dir: study_dir.clone(),
        address,
        port: args.port,
    };
    let check_args = CheckArgs {
        study_dir: Some(study_dir.clone()),
        format: Format::Human,
        redact: false,
        deny_warnings: false,
        deny_list: None,
    };
    let session = *session;
    // Called on a thread of its own for each build, possibly while an older
    // build is still running.
    let state = std::sync::Mutex::new(server::Incremental::new(
        study_dir.clone(),
        render::SiteOptions::default(),
    ));
    let build = move || {
        session.step(&format!("building {}", study_dir.display()));
        let started = Instant::now();
        let rebuilt = match state.try_lock() {
            Ok(mut incremental) => incremental.rebuild(),
            // A build that panicked left its state half-changed: start again.
            Err(std::sync::TryLockError::Poisoned(poisoned)) => {
                let mut incremental = poisoned.into_inner();
                *incremental = server::Incremental::new(study_dir.clone(), render::SiteOptions::default());
                state.clear_poison();
                incremental.rebuild()
            }
            // An older build still holds the state: build this one in full.
            Err(std::sync::TryLockError::WouldBlock) => {
                server::Incremental::new(study_dir.clone(), render::SiteOptions::default()).rebuild()
            }
        };
        match rebuilt.map(|rebuild| {
            let summary = rebuild.summary(started.elapsed().as_secs_f64());
            (rebuild.site, rebuild.checked, summary)
        }) {
            Ok((site, checked, summary)) => {
                let (site, diagnostics) = scan_served(deny_list.as_ref(), site, &checked);
                // The human format prints to stderr only.
                if let Err(error) = report_and_judge(
                    &check_args,
                    &study_dir,
                    &diagnostics,
                    &checked,
                    deny_list.as_ref(),
                    &session,
                ) {
                    stdout_failed(&error);
                }
                let errors: Vec<Diagnostic> = diagnostics
                    .iter()
                    .filter(|found| found.severity() == Severity::Error)
                    .cloned()
                    .collect();
                let problems = if site.is_some() {
                    String::new()
                } else {
                    let style = Style {
                        color: false,
                        redact: false,
                        study_dir: study_dir.display().to_string(),
                    };
                    let problems = report::human(&errors, &checked.sources, &style);
                    match &deny_list {
                        Some(list) => list.mask(&problems).into_owned(),
                        None => problems,
                    }
                };
                if site.is_some() {
                    session.summary(&summary);
                }
                server::Rebuilt { site, problems }
            }
            Err(error) => {
                console::message(&format!("error: {error}\n"));
                server::Rebuilt {
                    site: None,
                    problems: error.to_string(),
                }
            }
        }
    };
    let running = match server::start(&options, build) {
        Ok(running) => running,
        Err(error) => {
            console::message(&format!("error: {error}\n"));
            return Status::Failure;
        }
    };
    let url = format!("http://{}/", running.address());
    if !address.is_loopback() {
        console::message(&format!(
            "warning: listening on {address}: anyone who can reach this machine can read the study\n"
        ));
    }
    // Always printed, even with --quiet: it is how to reach the preview.
    console::message(&format!(
        "serving {} at {url} (Ctrl-C to stop)\n",
        options.study_dir.display()
    ));
    if args.open
        && let Err(error) = open::that_detached(&url)
    {
        console::message(&format!("warning: could not open a browser: {error}\n"));
    }
    running.run();
    Status::Success
}

pub fn new(args: &NewArgs, session: &Session) -> Status {
    match scaffold::new_study(&args.folder) {
        Ok(()) => {
            let folder = args.folder.display();
            session.summary(&format!(
                "created a new study in {folder}; check it with `findings check {folder}` and preview it with `findings serve {folder}`"
            ));
            Status::Success
        }
        Err(error) => {
            console::message(&format!("error: {error}\n"));
            Status::Failure
        }
    }
}

pub fn export_templates(args: &ExportArgs, session: &Session) -> Status {
    let files = crate::templates::builtin_files();
    match scaffold::write_new_folder(&args.folder, &files) {
        Ok(()) => {
            let folder = args.folder.display();
            session.summary(&format!(
                "wrote {} built-in templates and assets into {folder}; copy the ones you change into your study's templates/ folder, at the same paths",
                files.len()
            ));
            Status::Success
        }
        Err(error) => {
            console::message(&format!("error: {error}\n"));
            Status::Failure
        }
    }
}

pub fn completions(args: &CompletionsArgs) -> Status {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "findings", &mut script);
    match console::product(&String::from_utf8_lossy(&script)) {
        Ok(_) => Status::Success,
        Err(error) => stdout_failed(&error),
    }
}

/// The command line did not parse, or asked for `--help` or `--version`:
/// prints what clap says. Help and version exit 0 (or 2 when they cannot
/// be written to stdout); a usage error exits 2.
pub fn parse_failed(error: &clap::Error) -> Status {
    let printed = console::clap_output(error);
    if error.use_stderr() {
        return Status::Failure;
    }
    match printed {
        Ok(_) => Status::Success,
        Err(failed) => stdout_failed(&failed),
    }
}

/// What to say about a build that failed. An internal error may name a
/// chart or quote what the drawing library said about it, so a redacted
/// run says only that it happened.
fn build_error_text(error: &BuildError, redact: bool) -> String {
    match error {
        BuildError::Internal(_) if redact => InternalError::REDACTED.to_owned(),
        _ => error.to_string(),
    }
}

/// Says that the product could not be written: status 2.
fn stdout_failed(error: &StdoutError) -> Status {
    console::message(&format!("error: {error}\n"));
    Status::Failure
}

/// What reporting the diagnostics led to.
struct Judged {
    /// The status the diagnostics lead to.
    status: Status,
    /// Whether the report on stdout (JSON or GitHub) reached its reader.
    delivery: Delivery,
}

/// Prints the diagnostics as asked and decides the status they lead to.
/// After a reader closed stdout, the summary is left out too.
///
/// # Errors
/// [`StdoutError`] when the JSON or GitHub report cannot be written.
fn report_and_judge(
    args: &CheckArgs,
    study_dir: &Path,
    diagnostics: &[Diagnostic],
    checked: &Checked,
    deny_list: Option<&DenyList>,
    session: &Session,
) -> Result<Judged, StdoutError> {
    let study_name = study_dir.display().to_string();
    let style = Style {
        color: session.color,
        redact: session.redacts(args),
        study_dir: study_name.clone(),
    };
    let shown: Vec<Diagnostic> = if session.quiet && args.format == Format::Human {
        diagnostics
            .iter()
            .filter(|found| found.severity() == Severity::Error)
            .cloned()
            .collect()
    } else {
        diagnostics.to_vec()
    };
    // With a deny-list, no diagnostic may echo a term it names (in a
    // snippet, a message quoting a key or an id, a file's name): each is
    // replaced by the term's line in the list.
    let masked = |report: String| match deny_list {
        Some(list) => list.mask(&report).into_owned(),
        None => report,
    };
    let delivery = match args.format {
        Format::Human => {
            console::message(&masked(report::human(&shown, &checked.sources, &style)));
            Delivery::Written
        }
        Format::Json => console::product(&masked(report::json(&shown, &checked.sources, &style)))?,
        Format::Github => console::product(&masked(report::github(&shown, &checked.sources, &style)))?,
    };
    let errors = diagnostics
        .iter()
        .filter(|found| found.severity() == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    if delivery == Delivery::Written {
        session.summary(&summary(&summary_name(study_dir), errors, warnings));
    }
    let status = if diagnostics.iter().any(|found| found.code == Code::ReadFailed) {
        Status::Failure
    } else if errors > 0 || (args.deny_warnings && warnings > 0) {
        Status::StudyErrors
    } else {
        Status::Success
    };
    Ok(Judged { status, delivery })
}

/// The study's name in the summary line: the folder as given, or, for a
/// study found at `.` or `..`, the folder's own name.
fn summary_name(study_dir: &Path) -> String {
    let only_dots = study_dir
        .components()
        .all(|part| matches!(part, std::path::Component::CurDir | std::path::Component::ParentDir));
    let named = if only_dots {
        std::fs::canonicalize(study_dir)
            .ok()
            .and_then(|real| real.file_name().map(ToOwned::to_owned))
    } else {
        None
    };
    named.map_or_else(
        || study_dir.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}

fn summary(study: &str, errors: usize, warnings: usize) -> String {
    let plural = |count: usize, word: &str| format!("{count} {word}{}", if count == 1 { "" } else { "s" });
    if errors == 0 && warnings == 0 {
        format!("{study}: no problems found")
    } else {
        format!(
            "{study}: {} and {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redacted_build_names_nothing_of_an_internal_error() {
        let error = BuildError::from(InternalError::Chart {
            chart: "jane-smith".to_owned(),
            message: "label `Jane Smith` too wide".to_owned(),
        });
        assert!(build_error_text(&error, false).contains("jane-smith"));
        let redacted = build_error_text(&error, true);
        assert!(!redacted.contains("jane") && !redacted.contains("Jane"), "{redacted}");
        assert_eq!(redacted, InternalError::REDACTED);
    }
}
