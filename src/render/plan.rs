//! The site plan: every page of the site, and everything a page needs to
//! know about the others, computed once from the validated study before any
//! page is rendered (as mdBook builds the data its chapters share once).
//!
//! Input: a [`Study`] and the [`SiteOptions`]. Output: a [`SitePlan`]:
//! every page in reading order (then the pages outside it) with its kind,
//! path, record (id and title: templates word a page's title from these),
//! template and neighbours; the navigation tree; each page's
//! narrative already turned into safe HTML, with its headings' anchors (a
//! subtheme's as its page uses it), its table of contents and every id it
//! uses; for each reference, the places that cite it, in reading order; and
//! the tables' numbers. Rendering a page needs the plan (and the charts,
//! drawn once before the pages with the templates' words: `page`) and
//! nothing from another page's rendering, so pages render in any order. What a kind of page is comes from the registry in
//! [`crate::pages`]; nothing here names a kind.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::model::{Block, Reference, Study, TableKind};
use crate::pages::{PageKind, Part, Place, Record};
use crate::render::SiteOptions;
use crate::render::context::{DataTable, Layout, NavItem, PageContext, PageLink, TableNumbers};
use crate::render::markdown::{PageMarkdown, TocEntry};
use crate::render::resolve;

/// The plan of a site.
#[derive(Clone, Debug)]
pub struct SitePlan<'a> {
    /// The study the site shows.
    pub study: &'a Study,
    /// The address the site will be published at, if known.
    pub base_url: Option<&'a str>,
    /// Every page: the reading order first, then the pages outside it, by
    /// kind in registry order.
    pub pages: Vec<PlannedPage>,
    /// The navigation tree, with no page marked current.
    pub nav: Vec<NavItem>,
    /// For each reference (by id), where it is cited, in reading order.
    pub cited_in: BTreeMap<String, Vec<PageLink>>,
    /// The tables' numbers.
    pub tables: TableNumbers,
    /// Who belongs to what: each participant's quotes, each service's
    /// participants and quotes.
    pub index: resolve::Index,
}

/// A page of the plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedPage {
    /// Its kind.
    pub kind: PageKind,
    /// The record it shows ([`Record::index`]).
    pub record: usize,
    /// Whether it is the findings section (or the overview of the themes
    /// standing for it), which the themes follow.
    pub findings: bool,
    /// Its path, relative to the site's root.
    pub path: String,
    /// The id of its record (empty for a kind with one page).
    pub id: String,
    /// The title of its record (empty for records without one); templates
    /// word what the page is called from its kind, id and title.
    pub title: String,
    /// The page before it in its sequence.
    pub previous: Option<PageLink>,
    /// The page after it in its sequence.
    pub next: Option<PageLink>,
    /// Its narrative, part by part as [`PageKind::content`] gives them.
    pub parts: Vec<PlannedPart>,
    /// Its level-2 headings.
    pub toc: Vec<TocEntry>,
    /// Every id the page's Markdown and template use.
    pub anchors: BTreeSet<String>,
}

/// A part of a page's narrative, ready to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedPart {
    /// The id of the heading above the part (a subtheme's), unique on the page.
    pub anchor: Option<String>,
    /// Its blocks, Markdown already turned into HTML.
    pub blocks: Vec<PlannedBlock>,
}

/// A block of narrative, as the plan leaves it for the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlannedBlock {
    /// Markdown, as safe HTML.
    Html(String),
    /// A quote (index into [`Study::quotes`]).
    Quote(usize),
    /// A derived table.
    Table(TableKind),
    /// The study's figures.
    Figures,
    /// A chart (index into [`Study::charts`]).
    Chart(usize),
}

/// A chart, drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrawnChart {
    /// Its title: the study's, or the label templates' default.
    pub title: String,
    /// The SVG.
    pub svg: String,
    /// The numbers behind it.
    pub data: DataTable,
}

impl PlannedPart {
    /// The HTML of a part that is one text (the summary, a reference entry).
    #[must_use]
    pub fn html(&self) -> Option<&str> {
        self.blocks.iter().find_map(|block| match block {
            PlannedBlock::Html(html) => Some(html.as_str()),
            _ => None,
        })
    }
}

impl PlannedPage {
    /// Where the page stands in the site (a fact of its kind).
    #[must_use]
    pub const fn place(&self) -> Place {
        self.kind.facts().place
    }

    /// A link to the page.
    #[must_use]
    pub fn link(&self) -> PageLink {
        PageLink {
            kind: self.kind.name(),
            id: self.id.clone(),
            title: self.title.clone(),
            href: self.path.clone(),
        }
    }

    /// The way from the page to the site's root: `../` for each folder.
    #[must_use]
    pub fn root(&self) -> String {
        "../".repeat(self.path.matches('/').count())
    }
}

/// A reference a page cites, with the anchor of the heading above the
/// citation, if any.
type Citation = (String, Option<String>);

/// A page before it is planned: its kind and its record.
struct Slot<'a> {
    kind: PageKind,
    record: Record<'a>,
}

/// Which pages previous and next go through.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sequence {
    Reading,
    Series(PageKind),
}

impl<'a> SitePlan<'a> {
    /// Plans the site of `study`.
    #[must_use]
    pub fn new(study: &'a Study, options: &'a SiteOptions) -> Self {
        let slots = slots(study, options.base_url.is_some());
        let references: BTreeMap<&str, &Reference> = study
            .references
            .iter()
            .map(|reference| (reference.id.as_str(), reference))
            .collect();
        // Each page's Markdown is planned on its own, in parallel; `collect`
        // keeps the reading order, in which citations are then gathered.
        let planned: Vec<(PlannedPage, Vec<Citation>)> = slots
            .par_iter()
            .map(|slot| plan_page(study, &references, slot))
            .collect();
        let mut pages = Vec::with_capacity(planned.len());
        let mut cited_in: BTreeMap<String, Vec<PageLink>> = BTreeMap::new();
        for (page, cited) in planned {
            for (reference, anchor) in cited {
                let href = match anchor {
                    Some(anchor) => format!("{}#{anchor}", page.path),
                    None => page.path.clone(),
                };
                let places = cited_in.entry(reference).or_default();
                if !places.iter().any(|known| known.href == href) {
                    places.push(PageLink { href, ..page.link() });
                }
            }
            pages.push(page);
        }
        link_neighbours(&mut pages);
        Self {
            study,
            base_url: options.base_url.as_deref(),
            nav: nav(&pages),
            tables: table_numbers(&pages),
            pages,
            cited_in,
            index: resolve::Index::new(study),
        }
    }

    /// The pages of a kind, in the order of their records.
    pub fn pages_of(&self, kind: PageKind) -> impl Iterator<Item = &PlannedPage> {
        self.pages.iter().filter(move |page| page.kind == kind)
    }

    /// The findings section's page (or the overview of the themes standing
    /// for it), which the themes follow.
    #[must_use]
    pub fn findings_page(&self) -> Option<&PlannedPage> {
        self.pages.iter().find(|page| page.findings)
    }

    /// Where a reference is cited, in reading order.
    #[must_use]
    pub fn cited_in(&self, reference: &str) -> &[PageLink] {
        self.cited_in.get(reference).map_or(&[], Vec::as_slice)
    }

    /// The layout values of a page: the way to the root, its head, the
    /// navigation with it marked, its neighbours and headings.
    #[must_use]
    pub fn layout<'p>(&self, page: &'p PlannedPage) -> Layout<'p> {
        let canonical = self.base_url.map(|base| {
            let path = page.path.strip_suffix("index.html").unwrap_or(&page.path);
            format!("{base}/{path}")
        });
        Layout {
            root: page.root(),
            page: PageContext {
                kind: page.kind.name(),
                id: page.id.clone(),
                title: page.title.clone(),
                description: None,
                canonical,
            },
            nav: marked(&self.nav, &page.path),
            previous: page.previous.as_ref(),
            next: page.next.as_ref(),
            toc: &page.toc,
        }
    }
}

/// Every page of the site, from the registry: the reading order (each
/// kind's pages in registry order, the pages that follow the findings
/// section right after it), then each series, then the pages apart.
fn slots(study: &Study, published: bool) -> Vec<Slot<'_>> {
    let kinds: Vec<PageKind> = PageKind::ALL
        .into_iter()
        .filter(|kind| published || !kind.facts().needs_base_url)
        .collect();
    let of_place = |place: Place| {
        kinds
            .iter()
            .filter(move |kind| kind.facts().place == place)
            .flat_map(move |kind| {
                kind.records(study)
                    .into_iter()
                    .map(move |record| Slot { kind: *kind, record })
            })
    };
    let mut slots = Vec::new();
    let mut followed = false;
    for slot in of_place(Place::Reading) {
        let findings = slot.record.findings;
        slots.push(slot);
        if findings && !followed {
            slots.extend(of_place(Place::AfterFindings));
            followed = true;
        }
    }
    if !followed {
        // Without a findings page (there is one whenever there are
        // themes), such pages end the reading order.
        slots.extend(of_place(Place::AfterFindings));
    }
    slots.extend(of_place(Place::Series));
    slots.extend(of_place(Place::Apart));
    slots
}

/// Plans one page: its path, title and narrative. Also gives the references
/// its narrative cites, with the anchor of the heading above each citation,
/// if its kind's citations are places the reference list names.
fn plan_page(study: &Study, references: &BTreeMap<&str, &Reference>, slot: &Slot<'_>) -> (PlannedPage, Vec<Citation>) {
    let facts = slot.kind.facts();
    let content = slot.kind.content(study, slot.record.index);
    let mut reserved: Vec<String> = facts.template_ids.iter().map(|id| (*id).to_owned()).collect();
    for block in content.iter().flat_map(|part| match part {
        Part::Blocks { blocks, .. } => blocks.iter(),
        Part::Markdown(_) | Part::Entry(_) => [].iter(),
    }) {
        reserved.extend(block_ids(study, block));
    }
    if slot.record.findings {
        reserved.extend(facts.findings_ids.iter().map(|id| (*id).to_owned()));
    }
    let reserved: Vec<&str> = reserved.iter().map(String::as_str).collect();
    let mut page = PlannedPage {
        kind: slot.kind,
        record: slot.record.index,
        findings: slot.record.findings,
        path: slot.kind.record_path(&slot.record),
        id: slot.record.id.to_owned(),
        title: slot.record.title.to_owned(),
        previous: None,
        next: None,
        parts: Vec::with_capacity(content.len()),
        toc: Vec::new(),
        anchors: BTreeSet::new(),
    };
    let root = page.root();
    let mut markdown = PageMarkdown::new(references, &root, &reserved);
    markdown.smart_punctuation = study.metadata.smart_punctuation;
    for part in content {
        let planned = match part {
            Part::Markdown(text) => PlannedPart {
                anchor: None,
                blocks: vec![PlannedBlock::Html(markdown.block(text))],
            },
            Part::Entry(text) => PlannedPart {
                anchor: None,
                blocks: vec![PlannedBlock::Html(markdown.inline(text))],
            },
            Part::Blocks { heading, blocks } => PlannedPart {
                anchor: heading.map(|heading| markdown.claim_heading(heading.id, heading.title)),
                blocks: blocks.iter().map(|block| planned_block(block, &mut markdown)).collect(),
            },
        };
        page.parts.push(planned);
    }
    let cited = if facts.cites {
        std::mem::take(&mut markdown.cited)
    } else {
        Vec::new()
    };
    page.anchors = markdown.ids().clone();
    page.toc = std::mem::take(&mut markdown.toc);
    (page, cited)
}

/// A block as the plan leaves it: Markdown rendered, the rest as it is.
fn planned_block(block: &Block, markdown: &mut PageMarkdown<'_>) -> PlannedBlock {
    match block {
        Block::Markdown(text) => PlannedBlock::Html(markdown.block(text)),
        Block::Quote(index) => PlannedBlock::Quote(*index),
        Block::Table(kind) => PlannedBlock::Table(*kind),
        Block::Figures => PlannedBlock::Figures,
        Block::Chart(index) => PlannedBlock::Chart(*index),
    }
}

/// The ids a block's partial gives elements: a quote's anchor, a chart's
/// figure, SVG title and description, and table caption.
fn block_ids(study: &Study, block: &Block) -> Vec<String> {
    match block {
        Block::Quote(index) => vec![resolve::quote_anchor(&study.quotes[*index])],
        Block::Chart(index) => {
            let id = &study.charts[*index].id;
            ["", "-title", "-desc", "-caption"]
                .iter()
                .map(|suffix| format!("chart-{id}{suffix}"))
                .collect()
        }
        Block::Markdown(_) | Block::Table(_) | Block::Figures => Vec::new(),
    }
}

/// Sets each page's previous and next: along the reading order, or through
/// the pages of its series; pages apart have none.
fn link_neighbours(pages: &mut [PlannedPage]) {
    let sequence = |page: &PlannedPage| match page.place() {
        Place::Reading | Place::AfterFindings => Some(Sequence::Reading),
        Place::Series => Some(Sequence::Series(page.kind)),
        Place::Apart => None,
    };
    let sequences: Vec<Option<Sequence>> = pages.iter().map(sequence).collect();
    let links: Vec<PageLink> = pages.iter().map(PlannedPage::link).collect();
    for (index, page) in pages.iter_mut().enumerate() {
        let Some(own) = sequences[index] else { continue };
        let same = |other: usize| sequences.get(other).copied().flatten() == Some(own);
        page.previous = index
            .checked_sub(1)
            .filter(|before| same(*before))
            .map(|before| links[before].clone());
        page.next = Some(index + 1)
            .filter(|after| same(*after))
            .map(|after| links[after].clone());
    }
}

/// The navigation tree: the reading order, with the pages that follow the
/// findings section under it.
fn nav(pages: &[PlannedPage]) -> Vec<NavItem> {
    let item = |page: &PlannedPage| NavItem {
        kind: page.kind.name(),
        id: page.id.clone(),
        title: page.title.clone(),
        href: page.path.clone(),
        current: false,
        children: Vec::new(),
    };
    let findings = pages.iter().position(|page| page.findings);
    let mut nav: Vec<NavItem> = Vec::new();
    let mut under_findings = Vec::new();
    let mut findings_item = None;
    for (index, page) in pages.iter().enumerate() {
        match page.place() {
            Place::Reading => {
                if Some(index) == findings {
                    findings_item = Some(nav.len());
                }
                nav.push(item(page));
            }
            Place::AfterFindings => under_findings.push(item(page)),
            Place::Series | Place::Apart => {}
        }
    }
    match findings_item.and_then(|position| nav.get_mut(position)) {
        Some(findings) => findings.children = under_findings,
        None => nav.extend(under_findings),
    }
    nav
}

/// The navigation with the page at `current` marked.
fn marked(nav: &[NavItem], current: &str) -> Vec<NavItem> {
    nav.iter()
        .map(|item| NavItem {
            kind: item.kind,
            id: item.id.clone(),
            title: item.title.clone(),
            href: item.href.clone(),
            current: item.href == current,
            children: marked(&item.children, current),
        })
        .collect()
}

/// Numbers the typology and sample tables in the order a reader meets them.
fn table_numbers(pages: &[PlannedPage]) -> TableNumbers {
    let mut numbers = TableNumbers::default();
    let mut next = 1;
    let reading = pages
        .iter()
        .filter(|page| matches!(page.place(), Place::Reading | Place::AfterFindings));
    for block in reading.flat_map(|page| &page.parts).flat_map(|part| &part.blocks) {
        let slot = match block {
            PlannedBlock::Table(TableKind::Typology) => &mut numbers.typology,
            PlannedBlock::Table(TableKind::Sample) => &mut numbers.sample,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(next);
            next += 1;
        }
    }
    numbers
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// The valid fixture study.
    fn valid_study() -> Study {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
        crate::check_study(&folder).unwrap().study.unwrap()
    }

    fn planned<'a>(study: &'a Study, options: &'a SiteOptions) -> SitePlan<'a> {
        SitePlan::new(study, options)
    }

    fn page<'a>(plan: &'a SitePlan<'_>, path: &str) -> &'a PlannedPage {
        plan.pages.iter().find(|page| page.path == path).unwrap()
    }

    fn href(link: Option<&PageLink>) -> Option<&str> {
        link.map(|link| link.href.as_str())
    }

    #[test]
    fn pages_come_in_reading_order_then_by_kind() {
        let study = valid_study();
        let options = SiteOptions::default();
        let plan = planned(&study, &options);
        let paths: Vec<&str> = plan.pages.iter().map(|page| page.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "index.html",
                "methods.html",
                "results.html",
                "themes/experience.html",
                "participants/index.html",
                "services/index.html",
                "references.html",
                "participants/1a.html",
                "participants/1b.html",
                "participants/2.html",
                "services/1.html",
                "services/2.html",
                "404.html",
            ]
        );
        let published = SiteOptions {
            base_url: Some("https://example.org".to_owned()),
        };
        let plan = planned(&study, &published);
        assert_eq!(plan.pages.last().map(|page| page.path.as_str()), Some("sitemap.xml"));
        // A participant's page has no title of its own: templates word it
        // from its kind and id.
        let participant = page(&plan, "participants/1b.html");
        assert_eq!(
            (
                participant.kind.name(),
                participant.id.as_str(),
                participant.title.as_str()
            ),
            ("participant", "1b", "")
        );
        assert_eq!(
            page(&plan, "themes/experience.html").title,
            "The practitioner's experience"
        );
    }

    #[test]
    fn neighbours_follow_the_reading_order_or_the_series() {
        let study = valid_study();
        let options = SiteOptions::default();
        let plan = planned(&study, &options);
        let neighbours = |path: &str| {
            let page = page(&plan, path);
            (href(page.previous.as_ref()), href(page.next.as_ref()))
        };
        assert_eq!(neighbours("index.html"), (None, Some("methods.html")));
        assert_eq!(
            neighbours("themes/experience.html"),
            (Some("results.html"), Some("participants/index.html"))
        );
        assert_eq!(neighbours("references.html"), (Some("services/index.html"), None));
        assert_eq!(neighbours("participants/1a.html"), (None, Some("participants/1b.html")));
        assert_eq!(neighbours("participants/2.html"), (Some("participants/1b.html"), None));
        assert_eq!(neighbours("services/1.html"), (None, Some("services/2.html")));
        assert_eq!(neighbours("404.html"), (None, None));
    }

    #[test]
    fn themes_stand_under_the_findings_section_in_the_navigation() {
        let study = valid_study();
        let options = SiteOptions::default();
        let plan = planned(&study, &options);
        let tree: Vec<(&str, Vec<&str>)> = plan
            .nav
            .iter()
            .map(|item| {
                let children = item.children.iter().map(|child| child.href.as_str()).collect();
                (item.href.as_str(), children)
            })
            .collect();
        assert_eq!(
            tree,
            [
                ("index.html", vec![]),
                ("methods.html", vec![]),
                ("results.html", vec!["themes/experience.html"]),
                ("participants/index.html", vec![]),
                ("services/index.html", vec![]),
                ("references.html", vec![]),
            ]
        );
        assert_eq!(
            plan.findings_page().map(|page| page.path.as_str()),
            Some("results.html")
        );
        let layout = plan.layout(page(&plan, "themes/experience.html"));
        assert!(layout.nav[2].children[0].current && !layout.nav[2].current);
        assert_eq!(layout.root, "../");
    }

    #[test]
    fn a_subtheme_keeps_the_anchor_its_page_gives_it() {
        let mut study = valid_study();
        // A heading of the intro takes the second subtheme's id first.
        study.themes[0].intro.push(Block::Markdown("### Workload".to_owned()));
        let options = SiteOptions::default();
        let plan = planned(&study, &options);
        let theme = page(&plan, "themes/experience.html");
        let anchors: Vec<Option<&str>> = theme.parts.iter().map(|part| part.anchor.as_deref()).collect();
        assert_eq!(anchors, [None, Some("background"), Some("workload-2")]);
        let toc: Vec<&str> = theme.toc.iter().map(|entry| entry.anchor.as_str()).collect();
        assert_eq!(toc, ["background", "workload-2"]);
        assert!(theme.anchors.contains("workload") && theme.anchors.contains("quote-caseload"));
    }

    #[test]
    fn ids_of_the_template_quotes_and_charts_are_kept_from_headings() {
        let mut study = valid_study();
        study.sections[0].blocks.insert(
            0,
            Block::Markdown(
                "## Main\n\n## Chart {#chart-sample-by-model-title}\n\n## Themes {#themes-heading}".to_owned(),
            ),
        );
        study.sections[1]
            .blocks
            .insert(0, Block::Markdown("## Themes {#themes-heading}".to_owned()));
        let options = SiteOptions::default();
        let plan = planned(&study, &options);
        let toc =
            |path: &str| -> Vec<String> { page(&plan, path).toc.iter().map(|entry| entry.anchor.clone()).collect() };
        // `themes-heading` is the template's on the findings section only.
        assert_eq!(
            toc("methods.html"),
            ["main-2", "chart-sample-by-model-title-2", "themes-heading"]
        );
        assert_eq!(toc("results.html"), ["themes-heading-2"]);
    }

    #[test]
    fn citations_are_listed_once_per_place_in_reading_order() {
        let mut study = valid_study();
        // Read first: the summary. Then the methods (which cite braun2006
        // already), then the theme, twice under one subtheme. A reference
        // entry that cites is no place.
        study.metadata.summary = Some("See @braun2006.".to_owned());
        study.themes[0].subthemes[0]
            .blocks
            .push(Block::Markdown("Twice [@braun2006] and [@braun2006].".to_owned()));
        study.references[1].entry = "After [@braun2006].".to_owned();
        let options = SiteOptions::default();
        let plan = planned(&study, &options);
        let places: Vec<(&str, &str, &str)> = plan
            .cited_in("braun2006")
            .iter()
            .map(|place| (place.kind, place.title.as_str(), place.href.as_str()))
            .collect();
        assert_eq!(
            places,
            [
                ("home", "", "index.html"),
                ("section", "Methods", "methods.html"),
                (
                    "theme",
                    "The practitioner's experience",
                    "themes/experience.html#background"
                ),
            ]
        );
        assert_eq!(plan.cited_in("nobody"), &[]);
    }

    #[test]
    fn tables_are_numbered_in_the_order_a_reader_meets_them() {
        let mut study = valid_study();
        let options = SiteOptions::default();
        assert_eq!(
            planned(&study, &options).tables,
            TableNumbers {
                typology: Some(1),
                sample: Some(2)
            }
        );
        // The typology moves to the theme, which is read after the methods.
        study.sections[0]
            .blocks
            .retain(|block| *block != Block::Table(TableKind::Typology));
        study.themes[0].intro.push(Block::Table(TableKind::Typology));
        assert_eq!(
            planned(&study, &options).tables,
            TableNumbers {
                typology: Some(2),
                sample: Some(1)
            }
        );
    }

    #[test]
    fn the_plan_is_the_same_each_time() {
        let study = valid_study();
        let options = SiteOptions {
            base_url: Some("https://example.org".to_owned()),
        };
        let (first, second) = (planned(&study, &options), planned(&study, &options));
        assert_eq!(first.pages, second.pages);
        assert_eq!(first.cited_in, second.cited_in);
    }
}
