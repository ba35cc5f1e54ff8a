//! Stage 3, render: [`Study`] + [`Templates`] -> an in-memory [`Site`].
//!
//! First a [`SitePlan`] is made, once: every page in reading order with its
//! path, title and place in the navigation, every anchor, where each
//! reference is cited, the tables' numbers, the charts drawn, and every
//! page's Markdown turned into safe HTML (`plan`, from the registry of page
//! kinds in [`crate::pages`]). Then each page is rendered on its own from
//! the plan with its kind's template (`page`), and the static files are
//! added where no page is planned. No step relies on another having run
//! before it, so pages render in parallel (rayon), each page's bytes
//! depending on the plan alone, whatever the number of threads. Writes
//! nothing: each file goes to a [`Sink`] as soon as it is rendered (the
//! `output` module's staging folder, or an in-memory [`Site`] for `serve`),
//! so the whole site need not be held in memory. Every link is relative, so the site works
//! from `file://` and under a sub-path.

pub mod charts;
pub mod context;
pub mod markdown;
pub mod page;
pub mod plan;
pub mod resolve;

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use crate::InternalError;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::model::Study;
use crate::templates::Templates;
use page::PageRenderer;
use plan::SitePlan;

/// The most participants the sample table shows one row each; above it,
/// it shows one row per service, each linking to the service's page, which
/// lists its participants (docs/data-format.md, "Big studies").
pub const SAMPLE_TABLE_ROWS: usize = 200;

/// How to render.
#[derive(Clone, Debug, Default)]
pub struct SiteOptions {
    /// The address the site will be published at, for canonical links and
    /// the sitemap (`https://example.org/reports/study`), without a trailing `/`.
    pub base_url: Option<String>,
}

/// The published address of a site, without a trailing `/`, if `url` is an
/// http(s) address with a host and no query, fragment, space or quote.
#[must_use]
pub fn normalise_base_url(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split('/').next().unwrap_or_default();
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|character| character.is_ascii_alphanumeric() || matches!(character, '.' | '-' | ':' | '[' | ']'));
    let path_ok = !rest.chars().any(|character| {
        character.is_whitespace()
            || character.is_control()
            || matches!(character, '?' | '#' | '"' | '\'' | '<' | '>' | '\\')
    });
    (host_ok && path_ok).then(|| url.trim_end_matches('/').to_owned())
}

/// The rendered site: file contents by path relative to the output folder.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Site {
    /// Files by `/`-separated relative path.
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Site {
    /// How many HTML pages the site has.
    #[must_use]
    pub fn page_count(&self) -> usize {
        self.files.keys().filter(|path| path.ends_with(".html")).count()
    }
}

/// Where rendered files go, one by one, from any thread, in any order.
pub trait Sink: Sync {
    /// Takes one file of the site, by `/`-separated relative path.
    fn put(&self, path: &str, bytes: Vec<u8>);

    /// Whether the sink has failed, so that rendering may stop early.
    fn failed(&self) -> bool {
        false
    }
}

/// An in-memory sink: the files gathered into a [`Site`].
#[derive(Debug, Default)]
pub struct SiteSink(Mutex<Site>);

impl SiteSink {
    /// The site gathered.
    #[must_use]
    pub fn into_site(self) -> Site {
        self.0.into_inner().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Sink for SiteSink {
    fn put(&self, path: &str, bytes: Vec<u8>) {
        let mut site = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        site.files.insert(path.to_owned(), bytes);
    }
}

/// Renders the study in memory.
///
/// # Errors
/// As [`render_into`].
pub fn render(study: &Study, templates: &Templates, options: &SiteOptions) -> Result<Site, RenderError> {
    let sink = SiteSink::default();
    render_into(study, templates, options, &sink)?;
    Ok(sink.into_site())
}

/// Renders the study into `sink`: the pages in parallel, each given to the
/// sink as soon as it is rendered, then the static files. On an error the
/// sink has been given some of the files, which the caller discards.
///
/// # Errors
/// [`RenderError::Problems`] for templates that fail to render and static
/// files that would replace a generated page; [`RenderError::Internal`]
/// when findings itself fails (a chart `check` accepted cannot be drawn).
pub fn render_into(
    study: &Study,
    templates: &Templates,
    options: &SiteOptions,
    sink: &impl Sink,
) -> Result<(), RenderError> {
    let plan = SitePlan::new(study, options);
    render_planned(&plan, templates, None, sink)
}

/// Whether the page at `position` of a plan is among `chosen` (every page
/// when `None`), as [`render_planned`] reads it.
#[must_use]
pub fn is_chosen(chosen: Option<&[bool]>, position: usize) -> bool {
    chosen.is_none_or(|chosen| chosen.get(position).copied().unwrap_or(false))
}

/// Renders the pages of `plan` into `sink`: every page and then the static
/// files when `chosen` is `None`; otherwise only the pages whose position
/// in [`SitePlan::pages`] `chosen` marks, and no static file (what `serve`
/// re-renders after an edit, taking the rest from the previous site).
///
/// # Errors
/// As [`render_into`].
pub fn render_planned(
    plan: &SitePlan<'_>,
    templates: &Templates,
    chosen: Option<&[bool]>,
    sink: &impl Sink,
) -> Result<(), RenderError> {
    let wanted = |position: usize| is_chosen(chosen, position);
    let mut problems: Vec<Diagnostic> = Vec::new();
    let charts = page::draw_charts(plan.study, templates)?;
    match PageRenderer::new(plan, &charts, templates) {
        Ok(renderer) => {
            // `collect` keeps the pages' order, so the problems come in
            // reading order whatever the threads did.
            let failed: Vec<Diagnostic> = plan
                .pages
                .par_iter()
                .enumerate()
                .filter_map(|(position, page)| {
                    if !wanted(position) || sink.failed() {
                        return None;
                    }
                    match renderer.render_page(page) {
                        Ok((path, bytes)) => {
                            sink.put(&path, bytes);
                            None
                        }
                        Err(problem) => Some(*problem),
                    }
                })
                .collect();
            // A template shared by many pages fails on each: report it once.
            for problem in failed {
                if !problems.contains(&problem) {
                    problems.push(problem);
                }
            }
        }
        Err(problem) => problems.push(*problem),
    }
    if chosen.is_some() {
        return if problems.is_empty() {
            Ok(())
        } else {
            Err(RenderError::Problems(problems))
        };
    }
    let (assets, conflicts) = static_files(plan, templates);
    problems.extend(conflicts);
    if !problems.is_empty() {
        return Err(RenderError::Problems(problems));
    }
    for (path, bytes) in assets {
        sink.put(&path, bytes);
    }
    Ok(())
}

/// Why a study that passed `check` was not rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// Problems of the study's templates or static files, to report.
    #[error("the study's templates or static files have problems")]
    Problems(Vec<Diagnostic>),
    /// A failure of findings itself.
    #[error(transparent)]
    Internal(#[from] InternalError),
}

/// The static files to publish (the built-in stylesheet and the study's
/// `static/` folder), and a diagnostic for each that would replace a
/// planned page or clash with a page or another file over a folder.
fn static_files(plan: &SitePlan<'_>, templates: &Templates) -> (Vec<(String, Vec<u8>)>, Vec<Diagnostic>) {
    let pages: Vec<&str> = plan.pages.iter().map(|page| page.path.as_str()).collect();
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for (path, bytes) in &templates.assets {
        let shown = path
            .strip_prefix("assets/")
            .map_or_else(|| format!("static/{path}"), |_| format!("templates/{path}"));
        if pages.contains(&path.as_str()) {
            problems.push(
                Diagnostic::new(Code::OutputConflict, format!("`{path}` would replace a generated page"))
                    .at(Location::file(&shown))
                    .help("rename or remove the static file; to change a page, override its template instead"),
            );
            continue;
        }
        // A file cannot also be a folder: `x` clashes with `x/...`. A
        // clash between two static files is reported once, at the file
        // that would have to be a folder.
        let inside = |folder: &str, file: &str| file.strip_prefix(folder).is_some_and(|rest| rest.starts_with('/'));
        let clash = pages
            .iter()
            .copied()
            .chain(templates.assets.keys().map(String::as_str))
            .find(|other| inside(path, other))
            .or_else(|| pages.iter().copied().find(|page| inside(page, path)));
        if let Some(other) = clash {
            problems.push(
                Diagnostic::new(
                    Code::OutputConflict,
                    format!("`{path}` and `{other}` cannot both be published: one would have to be a folder"),
                )
                .at(Location::file(&shown))
                .help("rename or move the static file"),
            );
            continue;
        }
        files.push((path.clone(), bytes.clone()));
    }
    (files, problems)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// The bundled study and its templates.
    fn bundled() -> (Study, Templates) {
        let checked = crate::check_study(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data")).unwrap();
        (checked.study.unwrap(), checked.templates.unwrap())
    }

    #[test]
    fn pages_render_the_same_in_any_order() {
        let (study, templates) = bundled();
        let options = SiteOptions {
            base_url: Some("https://example.org/findings".to_owned()),
        };
        let plan = SitePlan::new(&study, &options);
        let charts = page::draw_charts(&study, &templates).unwrap();
        let renderer = PageRenderer::new(&plan, &charts, &templates).unwrap();
        let forward: BTreeMap<String, Vec<u8>> = plan
            .pages
            .iter()
            .map(|page| renderer.render_page(page).unwrap())
            .collect();
        // Backwards, and each page on a renderer of its own: no page needs
        // another to have been rendered first.
        let backward: BTreeMap<String, Vec<u8>> = plan
            .pages
            .iter()
            .rev()
            .map(|page| {
                PageRenderer::new(&plan, &charts, &templates)
                    .unwrap()
                    .render_page(page)
                    .unwrap()
            })
            .collect();
        assert_eq!(forward.len(), plan.pages.len());
        assert_eq!(forward, backward);
        let site = render(&study, &templates, &options).unwrap();
        for (path, bytes) in &forward {
            assert_eq!(site.files.get(path), Some(bytes), "{path}");
        }
        assert!(site.files.contains_key("assets/findings.css"));
    }

    #[test]
    fn the_sitemap_lists_every_page_but_those_apart() {
        let (study, templates) = bundled();
        let options = SiteOptions {
            base_url: Some("https://example.org/findings".to_owned()),
        };
        let site = render(&study, &templates, &options).unwrap();
        let sitemap = String::from_utf8(site.files["sitemap.xml"].clone()).unwrap();
        let listed: Vec<&str> = sitemap
            .split("<loc>")
            .skip(1)
            .filter_map(|rest| rest.split_once("</loc>").map(|(url, _)| url))
            .collect();
        // In path order (the files' keys are sorted).
        let pages: Vec<String> = site
            .files
            .keys()
            .filter(|path| path.ends_with(".html") && path.as_str() != "404.html")
            .map(|path| {
                format!(
                    "https://example.org/findings/{}",
                    path.strip_suffix("index.html").unwrap_or(path)
                )
            })
            .collect();
        assert_eq!(listed, pages);
        assert!(listed.contains(&"https://example.org/findings/"));
        assert!(
            render(&study, &templates, &SiteOptions::default())
                .unwrap()
                .files
                .keys()
                .all(|path| path != "sitemap.xml")
        );
    }

    #[test]
    fn the_docs_give_the_size_above_which_the_sample_table_is_by_service() {
        let format = include_str!("../../docs/data-format.md")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(format.contains(&format!(
            "A sample of more than {SAMPLE_TABLE_ROWS} participants is too long to read as one table"
        )));
        let readme = include_str!("../../README.md");
        assert!(readme.contains(&format!("(by service above {SAMPLE_TABLE_ROWS} participants)")));
    }

    #[test]
    fn base_urls_need_a_host_and_nothing_after_the_path() {
        assert_eq!(
            normalise_base_url("https://example.org/reports/sp/"),
            Some("https://example.org/reports/sp".to_owned())
        );
        assert_eq!(
            normalise_base_url("http://localhost:8080"),
            Some("http://localhost:8080".to_owned())
        );
        for bad in [
            "https://",
            "https:///x",
            "ftp://a.b",
            "https://a.b/?q=1",
            "https://a.b/#x",
            "https://a b",
            "example.org",
            "https://a\"b",
        ] {
            assert_eq!(normalise_base_url(bad), None, "{bad}");
        }
    }
}
