//! What each command does: run the pipeline, print through `console`, and
//! decide the exit status. The only place that knows about `--quiet`,
//! `--verbose` and redaction.

use std::time::Instant;

use clap::CommandFactory as _;

use crate::cli::{BuildArgs, CheckArgs, Cli, CompletionsArgs, NewArgs, ServeArgs};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::report::{self, Format, Style};
use crate::{Checked, Status, build_site, check_study, console, output, render, scaffold, serve as server};

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
    match check_study(&args.study_dir) {
        Ok(checked) => {
            session.step(&format!(
                "read and checked {} files in {:.3} s",
                checked.sources.len(),
                started.elapsed().as_secs_f64()
            ));
            report_and_judge(args, &checked.diagnostics, &checked, session)
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
    // Refuse an output folder before reading the study: a refusal is about
    // the command line, not the study.
    let protected = match output::Protected::from_process(&args.check.study_dir)
        .map_err(output::OutputError::from)
        .and_then(|protected| output::check(&args.out, &protected, args.force).map(|()| protected))
    {
        Ok(protected) => protected,
        Err(error) => {
            console::message(&format!("error: {error}\n"));
            return Status::Failure;
        }
    };
    let options = render::SiteOptions { base_url };
    let (site, checked) = match build_site(&args.check.study_dir, &options) {
        Ok(built) => built,
        Err(error) => {
            console::message(&format!("error: {error}\n"));
            return Status::Failure;
        }
    };
    session.step(&format!(
        "read, checked and rendered {} files in {:.3} s",
        checked.sources.len(),
        started.elapsed().as_secs_f64()
    ));
    let status = report_and_judge(&args.check, &checked.diagnostics, &checked, session);
    let site = match (status, site) {
        (Status::Success, Some(site)) => site,
        (status, _) => {
            console::message("the site was not written\n");
            return if status == Status::Success {
                Status::StudyErrors
            } else {
                status
            };
        }
    };
    let written = match output::write_site(&site, &args.out, &protected, args.force) {
        Ok(written) => written,
        Err(error) => {
            console::message(&format!("error: {error}\n"));
            return Status::Failure;
        }
    };
    report_leftovers(&written, args, session);
    if session.verbose {
        for path in site.files.keys() {
            session.step(&format!("wrote {}/{path}", args.out.display()));
        }
    }
    let charts = checked.study.as_ref().map_or(0, |study| study.charts.len());
    session.summary(&format!(
        "built {} pages with {charts} charts ({} files) into {} in {:.2} s",
        site.page_count(),
        site.files.len(),
        args.out.display(),
        started.elapsed().as_secs_f64()
    ));
    Status::Success
}

/// Says which folders of interrupted builds the build removed.
fn report_leftovers(written: &output::Written, args: &BuildArgs, session: &Session) {
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
        args.out.display()
    ));
}

pub fn serve(args: &ServeArgs, session: &Session) -> Status {
    if !args.study_dir.is_dir() {
        console::message(&format!(
            "error: {} is not a folder; give the folder that holds study.yaml\n",
            args.study_dir.display()
        ));
        return Status::Failure;
    }
    let address = args.bind.unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
    let options = server::ServeOptions {
        study_dir: args.study_dir.clone(),
        address,
        port: args.port,
    };
    let check_args = CheckArgs {
        study_dir: args.study_dir.clone(),
        format: Format::Human,
        redact: false,
        deny_warnings: false,
    };
    let session = *session;
    let build = move || {
        let started = Instant::now();
        let site_options = render::SiteOptions::default();
        match build_site(&check_args.study_dir, &site_options) {
            Ok((site, checked)) => {
                report_and_judge(&check_args, &checked.diagnostics, &checked, &session);
                let errors: Vec<Diagnostic> = checked
                    .diagnostics
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
                        study_dir: check_args.study_dir.display().to_string(),
                    };
                    report::human(&errors, &checked.sources, &style)
                };
                if site.is_some() {
                    session.summary(&format!("rebuilt in {:.3} s", started.elapsed().as_secs_f64()));
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
        args.study_dir.display()
    ));
    if args.open
        && let Err(error) = opener::open(&url)
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

pub fn completions(args: &CompletionsArgs) -> Status {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "findings", &mut script);
    console::product(&String::from_utf8_lossy(&script));
    Status::Success
}

/// Prints the diagnostics as asked and decides the status they lead to.
fn report_and_judge(args: &CheckArgs, diagnostics: &[Diagnostic], checked: &Checked, session: &Session) -> Status {
    let study_name = args.study_dir.display().to_string();
    let style = Style {
        color: session.color,
        redact: args.redact || session.redact,
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
    match args.format {
        Format::Human => console::message(&report::human(&shown, &checked.sources, &style)),
        Format::Json => {
            console::product(&report::json(&shown, &style));
        }
        Format::Github => {
            console::product(&report::github(&shown, &style));
        }
    }
    let errors = diagnostics
        .iter()
        .filter(|found| found.severity() == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    session.summary(&summary(&study_name, errors, warnings));
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
        format!("{study}: no problems found")
    } else {
        format!(
            "{study}: {} and {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    }
}
