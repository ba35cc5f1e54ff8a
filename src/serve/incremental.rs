//! Incremental rebuilds for `findings serve`.
//!
//! Input: the study folder, and what the previous good build kept (the
//! files' fingerprint, the loaded study and its sources, the site, and the
//! facts of its plan). Output: the new site, the same bytes a full build
//! would give, and which pages were rendered to get it.
//!
//! Only an edit to existing Markdown files of `sections/` and `themes/`,
//! after a build that read every file without a problem, is rebuilt
//! incrementally: those files are read again, the narrative is validated
//! against the records checked by the previous build (the record files did
//! not change, so neither did what checking them gave), the study is
//! planned (cheap next to rendering), and the pages rendered are
//! those whose planned entry changed, the pages of the edited documents
//! (and the findings section or overview, which shows every theme), the reference list
//! if citations moved, and the participant and service pages and placing
//! pages of each quote whose place changed, and those of each chart whose
//! numbers changed. A change of any page's path or
//! title (the navigation) or of the tables' numbers renders every page.
//! Anything else (a file added, removed or renamed, a record, template or
//! static file changed) is a full build.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crate::diagnostic::{Diagnostics, Severity};
use crate::load::{self, RawStudy, fingerprint, relative_string};
use crate::model::Placement;
use crate::pages::{self, PageKind};
use crate::render::context::{DataTable, PageLink, TableNumbers};
use crate::render::plan::{PlannedBlock, PlannedPage, SitePlan};
use crate::render::{self, RenderError, Site, SiteOptions, SiteSink};
use crate::source::Sources;
use crate::tabulate::tabulate;
use crate::validate::Records;
use crate::{BuildError, Checked};

/// The names, sizes and times of the study's files.
type Fingerprint = Vec<(PathBuf, u64, Option<SystemTime>)>;

/// How a build was done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every page was rendered from a fresh load of the study.
    Full {
        /// Why the build could not be incremental.
        reason: String,
    },
    /// The edited documents were read again and only some pages rendered.
    Incremental {
        /// The study-relative paths of the edited documents.
        edited: Vec<String>,
        /// The paths of the pages rendered (all of them when the
        /// navigation or the tables' numbers changed).
        rendered: Vec<String>,
    },
}

/// One build of the study.
pub struct Rebuild {
    /// The site, when the study has no errors (shared with the next
    /// rebuild, which updates it in place once the caller dropped it).
    pub site: Option<Arc<Site>>,
    /// The checked study: diagnostics and sources.
    pub checked: Checked,
    /// How it was built.
    pub scope: Scope,
    /// How many pages the site has.
    pub pages: usize,
}

impl Rebuild {
    /// The line `serve` prints after a good build, given how long it took.
    #[must_use]
    pub fn summary(&self, seconds: f64) -> String {
        match &self.scope {
            Scope::Full { reason } => {
                format!(
                    "rebuilt all {} pages in {seconds:.3} s (full rebuild: {reason})",
                    self.pages
                )
            }
            Scope::Incremental { edited, rendered } => format!(
                "rebuilt {} of {} pages in {seconds:.3} s (edit to {})",
                rendered.len(),
                self.pages,
                edited.join(", ")
            ),
        }
    }
}

/// What a plan says that pages other than a page's own entry show.
#[derive(Clone, Debug, PartialEq, Eq)]
struct PlanFacts {
    pages: Vec<PlannedPage>,
    cited_in: BTreeMap<String, Vec<PageLink>>,
    tables: TableNumbers,
    /// Where each quote is placed.
    places: Places,
    /// The numbers of each chart, as its table shows them.
    charts: Vec<DataTable>,
}

impl PlanFacts {
    /// The numbers of each of `plan`'s charts, as its table shows them.
    fn charts(plan: &SitePlan<'_>) -> Vec<DataTable> {
        plan.study
            .charts
            .iter()
            .map(|chart| render::resolve::data_table(&tabulate(plan.study, &chart.spec)))
            .collect()
    }

    /// The facts of `plan`, once it is rendered: its pages and citations
    /// are moved out of it, not copied.
    fn take(plan: &mut SitePlan<'_>, places: Places, charts: Vec<DataTable>) -> Self {
        Self {
            pages: std::mem::take(&mut plan.pages),
            cited_in: std::mem::take(&mut plan.cited_in),
            tables: plan.tables,
            places,
            charts,
        }
    }
}

/// Where a plan places each quote: its placement, and the link of each
/// place a quote can be put (a quote's own link is its place's, with its
/// anchor). Cheaper to make and compare than every quote's link.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Places {
    of_quotes: Vec<Option<Placement>>,
    /// The link of each section.
    sections: Vec<PageLink>,
    /// The link of each theme, then of each of its subthemes.
    themes: Vec<Vec<PageLink>>,
}

impl Places {
    fn of(plan: &SitePlan<'_>) -> Self {
        let study = plan.study;
        let link = |placement| render::resolve::placement_link(study, &plan.index, placement);
        Self {
            of_quotes: study.quotes.iter().map(|quote| quote.placement).collect(),
            sections: (0..study.sections.len())
                .map(|section| link(Placement::Section(section)))
                .collect(),
            themes: study
                .themes
                .iter()
                .enumerate()
                .map(|(theme, subthemes)| {
                    std::iter::once(None)
                        .chain((0..subthemes.subthemes.len()).map(Some))
                        .map(|subtheme| link(Placement::Theme { theme, subtheme }))
                        .collect()
                })
                .collect(),
        }
    }

    /// The link of `placement`'s place, if it has one here.
    fn link(&self, placement: Placement) -> Option<&PageLink> {
        match placement {
            Placement::Section(section) => self.sections.get(section),
            Placement::Theme { theme, subtheme } => {
                self.themes.get(theme)?.get(subtheme.map_or(0, |subtheme| subtheme + 1))
            }
        }
    }

    /// Whether quote `quote` is placed elsewhere, or its place is called
    /// or found differently, in `other`.
    fn moved(&self, other: &Self, quote: usize) -> bool {
        let (mine, theirs) = (self.of_quotes[quote], other.of_quotes[quote]);
        mine != theirs || mine.is_some_and(|placement| self.link(placement) != other.link(placement))
    }
}

/// The study as loaded, and its record files as checked.
struct Loaded {
    raw: RawStudy,
    sources: Sources,
    /// Whether loading found no problem (so none is lost by not loading
    /// the unedited files again).
    clean: bool,
    /// What checking the record files gave, and the problems it found.
    records: Records,
    record_problems: Diagnostics,
}

/// What a good build keeps for the next one.
struct Previous {
    fingerprint: Fingerprint,
    loaded: Loaded,
    site: Arc<Site>,
    facts: PlanFacts,
}

/// The builds of one `serve`: each after the first is incremental where it
/// can be.
pub struct Incremental {
    study_dir: PathBuf,
    options: SiteOptions,
    previous: Option<Previous>,
}

impl Incremental {
    /// No build yet of the study in `study_dir`.
    #[must_use]
    pub const fn new(study_dir: PathBuf, options: SiteOptions) -> Self {
        Self {
            study_dir,
            options,
            previous: None,
        }
    }

    /// Builds the study: incrementally if only existing narrative files
    /// changed since the last good build, in full otherwise.
    ///
    /// # Errors
    /// [`BuildError`] when the study folder cannot be opened, or `findings`
    /// itself fails.
    pub fn rebuild(&mut self) -> Result<Rebuild, BuildError> {
        let now = fingerprint(&self.study_dir);
        let Some(previous) = self.previous.take() else {
            return self.full(now, "first build".to_owned());
        };
        match edited_documents(&self.study_dir, &previous, &now) {
            Ok(edited) => self.incremental(now, previous, edited),
            Err(reason) => self.full(now, reason),
        }
    }

    /// Loads, checks and renders the whole study.
    fn full(&mut self, now: Fingerprint, reason: String) -> Result<Rebuild, BuildError> {
        let mut diagnostics = Diagnostics::new();
        let (raw, sources) = load::load(&self.study_dir, &mut diagnostics)?;
        let clean = diagnostics.count(Severity::Error) + diagnostics.count(Severity::Warning) == 0;
        let mut record_problems = Diagnostics::new();
        let records = Records::check(&raw, &mut record_problems);
        diagnostics.append(record_problems.clone());
        let mut checked = crate::check_narrative(&raw, records.clone(), sources.clone(), diagnostics);
        let (Some(study), Some(templates)) = (&checked.study, &checked.templates) else {
            return Ok(no_site(checked, Scope::Full { reason }));
        };
        let mut plan = render::plan::SitePlan::new(study, &self.options);
        let sink = SiteSink::default();
        let rendered = render::render_planned(&plan, templates, None, &sink);
        let pages = plan.pages.len();
        let places = Places::of(&plan);
        let charts = PlanFacts::charts(&plan);
        let facts = PlanFacts::take(&mut plan, places, charts);
        drop(plan);
        if !rendered_well(rendered, &mut checked)? {
            return Ok(no_site(checked, Scope::Full { reason }));
        }
        let loaded = Loaded {
            raw,
            sources,
            clean,
            records,
            record_problems,
        };
        let kept = Previous {
            fingerprint: now,
            loaded,
            site: Arc::new(sink.into_site()),
            facts,
        };
        Ok(self.keep(kept, checked, Scope::Full { reason }, pages))
    }

    /// Keeps a good build for the next one, and gives it.
    fn keep(&mut self, previous: Previous, checked: Checked, scope: Scope, pages: usize) -> Rebuild {
        let site = Arc::clone(&previous.site);
        self.previous = Some(previous);
        Rebuild {
            site: Some(site),
            checked,
            scope,
            pages,
        }
    }

    /// Reads the `edited` documents again, checks and plans the study, and
    /// renders the pages that depend on what changed.
    fn incremental(
        &mut self,
        now: Fingerprint,
        previous: Previous,
        edited: Vec<String>,
    ) -> Result<Rebuild, BuildError> {
        let mut diagnostics = Diagnostics::new();
        let Previous {
            loaded:
                Loaded {
                    raw,
                    sources,
                    records,
                    record_problems,
                    ..
                },
            site: previous_site,
            facts: previous_facts,
            ..
        } = previous;
        let Some((raw, sources)) = load::reload(&self.study_dir, raw, sources, &edited, &mut diagnostics) else {
            return self.full(now, "an edited file could not be read again".to_owned());
        };
        let clean = diagnostics.count(Severity::Error) + diagnostics.count(Severity::Warning) == 0;
        diagnostics.append(record_problems.clone());
        let mut checked = crate::check_narrative(&raw, records.clone(), sources.clone(), diagnostics);
        let (Some(study), Some(templates)) = (&checked.study, &checked.templates) else {
            return Ok(no_site(
                checked,
                Scope::Incremental {
                    edited,
                    rendered: Vec::new(),
                },
            ));
        };
        let mut plan = render::plan::SitePlan::new(study, &self.options);
        let places = Places::of(&plan);
        let charts = PlanFacts::charts(&plan);
        let chosen = dependent_pages(&raw, &plan, &previous_facts, &places, &charts, &edited);
        let sink = SiteSink::default();
        let rendered_pages = render::render_planned(&plan, templates, chosen.as_deref(), &sink);
        let rendered: Vec<String> = plan
            .pages
            .iter()
            .enumerate()
            .filter(|(position, _)| render::is_chosen(chosen.as_deref(), *position))
            .map(|(_, page)| page.path.clone())
            .collect();
        let pages = plan.pages.len();
        let facts = PlanFacts::take(&mut plan, places, charts);
        drop(plan);
        let scope = Scope::Incremental { edited, rendered };
        if !rendered_well(rendered_pages, &mut checked)? {
            return Ok(no_site(checked, scope));
        }
        let mut site = if chosen.is_some() {
            // The caller has normally dropped its share of the last site by
            // now; if not, the site is copied.
            Arc::try_unwrap(previous_site).unwrap_or_else(|shared| Site::clone(&shared))
        } else {
            Site::default()
        };
        site.files.extend(sink.into_site().files);
        let loaded = Loaded {
            raw,
            sources,
            clean,
            records,
            record_problems,
        };
        Ok(self.keep(
            Previous {
                fingerprint: now,
                loaded,
                site: Arc::new(site),
                facts,
            },
            checked,
            scope,
            pages,
        ))
    }
}

/// A build that gave no site: the next one is a full build.
fn no_site(checked: Checked, scope: Scope) -> Rebuild {
    Rebuild {
        site: None,
        checked,
        scope,
        pages: 0,
    }
}

/// Whether rendering gave the whole site; its problems join the
/// diagnostics.
fn rendered_well(rendered: Result<(), RenderError>, checked: &mut Checked) -> Result<bool, BuildError> {
    match rendered {
        Ok(()) => Ok(true),
        Err(RenderError::Problems(problems)) => {
            checked.diagnostics.extend(problems);
            Ok(false)
        }
        Err(RenderError::Internal(error)) => Err(error.into()),
    }
}

/// The narrative files edited since the previous build, or why the next
/// build must be a full one.
fn edited_documents(study_dir: &Path, previous: &Previous, now: &Fingerprint) -> Result<Vec<String>, String> {
    if !previous.loaded.clean {
        return Err("the last build had problems reading files".to_owned());
    }
    let before: BTreeMap<&PathBuf, (u64, Option<SystemTime>)> = previous
        .fingerprint
        .iter()
        .map(|(path, size, time)| (path, (*size, *time)))
        .collect();
    let after: BTreeMap<&PathBuf, (u64, Option<SystemTime>)> =
        now.iter().map(|(path, size, time)| (path, (*size, *time))).collect();
    if before.keys().ne(after.keys()) {
        return Err("files were added, removed or renamed".to_owned());
    }
    let documents: BTreeSet<&str> = previous
        .loaded
        .raw
        .sections
        .iter()
        .chain(&previous.loaded.raw.themes)
        .map(|document| document.file.as_str())
        .collect();
    let mut edited = Vec::new();
    for (path, stamp) in &after {
        // A folder's time changes when an editor saves by renaming; what
        // it holds is compared file by file.
        if before.get(path) == Some(stamp) || path.is_dir() {
            continue;
        }
        let relative = relative_string(path.strip_prefix(study_dir).unwrap_or(path));
        if !documents.contains(relative.as_str()) {
            return Err(format!("{relative} changed"));
        }
        edited.push(relative);
    }
    if edited.is_empty() {
        return Err("no file's size or time changed".to_owned());
    }
    Ok(edited)
}

/// Which pages of the new plan to render, by position; `None` for all of
/// them (the navigation or the tables' numbers changed).
fn dependent_pages(
    raw: &RawStudy,
    after: &SitePlan<'_>,
    before: &PlanFacts,
    places: &Places,
    charts: &[DataTable],
    edited: &[String],
) -> Option<Vec<bool>> {
    let study = after.study;
    let same_outline = before.pages.len() == after.pages.len()
        && before.pages.iter().zip(&after.pages).all(|(old, new)| {
            (old.kind, old.record, &old.path, &old.title) == (new.kind, new.record, &new.path, &new.title)
        })
        && before.tables == after.tables
        && before.places.of_quotes.len() == places.of_quotes.len()
        && raw.sections.len() == study.sections.len()
        && raw.themes.len() == study.themes.len();
    if !same_outline {
        return None;
    }
    let edited_sections: BTreeSet<usize> = positions(&raw.sections, edited);
    let edited_themes: BTreeSet<usize> = positions(&raw.themes, edited);
    let moved: BTreeSet<usize> = (0..places.of_quotes.len())
        .filter(|quote| before.places.moved(places, *quote))
        .collect();
    let participants: BTreeSet<usize> = moved.iter().map(|quote| study.quotes[*quote].participant).collect();
    let services: BTreeSet<usize> = participants
        .iter()
        .map(|participant| study.participants[*participant].service)
        .collect();
    let citations_moved = before.cited_in != after.cited_in;
    let changed_charts: BTreeSet<usize> = (0..charts.len())
        .filter(|chart| before.charts.get(*chart) != charts.get(*chart))
        .collect();
    let chosen = after
        .pages
        .iter()
        .zip(&before.pages)
        .map(|(page, old)| {
            page != old
                || match page.kind {
                    PageKind::Section => {
                        edited_sections.contains(&page.record) || (page.findings && !edited_themes.is_empty())
                    }
                    PageKind::Findings => !edited_themes.is_empty(),
                    PageKind::Theme => edited_themes.contains(&page.record),
                    PageKind::Subtheme => edited_themes.contains(&pages::subtheme_at(study, page.record).0),
                    PageKind::Participant => participants.contains(&page.record),
                    PageKind::Service => services.contains(&page.record),
                    PageKind::References => citations_moved,
                    _ => false,
                }
                || places_a_moved_quote(page, &moved)
                || places_a_changed_chart(page, &changed_charts)
        })
        .collect();
    Some(chosen)
}

/// The positions of the `edited` documents among `documents`.
fn positions(documents: &[crate::load::raw::RawDocument], edited: &[String]) -> BTreeSet<usize> {
    documents
        .iter()
        .enumerate()
        .filter(|(_, document)| edited.contains(&document.file))
        .map(|(position, _)| position)
        .collect()
}

/// Whether `page` shows one of the charts whose numbers changed (they
/// follow the quotes' places and the themes' subthemes).
fn places_a_changed_chart(page: &PlannedPage, changed: &BTreeSet<usize>) -> bool {
    !changed.is_empty()
        && places(
            page,
            |block| matches!(block, PlannedBlock::Chart(chart) if changed.contains(chart)),
        )
}

/// Whether `page` shows one of the quotes whose place changed.
fn places_a_moved_quote(page: &PlannedPage, moved: &BTreeSet<usize>) -> bool {
    !moved.is_empty()
        && places(
            page,
            |block| matches!(block, PlannedBlock::Quote(quote) if moved.contains(quote)),
        )
}

/// Whether one of `page`'s blocks is `wanted`.
fn places(page: &PlannedPage, wanted: impl Fn(&PlannedBlock) -> bool) -> bool {
    page.parts.iter().flat_map(|part| &part.blocks).any(wanted)
}
