//! Renders one page of the plan: each kind of page's own template values,
//! and the function that makes them; and draws the study's charts, once,
//! before any page, with the words the label templates give them.
//!
//! Input: the [`SitePlan`], one of its pages, the drawn charts and the
//! compiled templates.
//! Output: the page's path and bytes, or a diagnostic naming the template
//! that failed. A page is rendered from the plan, the study and the values
//! every page shares, never from another page's rendering, and nothing is
//! written anywhere: pages render in any order, and could render in
//! parallel.

use serde::Serialize;

use crate::InternalError;
use crate::diagnostic::Diagnostic;
use crate::model::{Author, Block, Chart, Study};
use crate::pages::{self, PageKind};
use crate::render::context::{
    BlockView, ChartView, FigureView, Layout, PageLink, ParticipantView, QuoteView, ReferenceView, SectionView,
    ServiceView, Shared, SubthemeView, ThemeView,
};
use crate::render::markdown::reference_anchor;
use crate::render::plan::{DrawnChart, PlannedBlock, PlannedPage, PlannedPart, SitePlan};
use crate::render::{RenderError, charts, resolve};
use crate::tabulate::tabulate;
use crate::templates::Templates;

/// The label that words a chart's description, when the study gives none
/// (`title` and `data`, the numbers behind the chart, in its context).
const CHART_DESCRIPTION: &str = "{{ <labels.chart_description title={title} data={data}/> }}";
/// The label that words a chart's title, when the study gives none (`data`
/// in its context).
const CHART_TITLE: &str = "{{ <labels.chart_title data={data}/> }}";
/// The label that words what a bar chart's numbers count.
const CHART_COUNT: &str = "{{ <labels.chart_count counted={data.counted}/> }}";
/// The label of a matrix's columns.
const CHART_PARTICIPANT: &str = "{{ <labels.chart_participant/> }}";

/// Draws every chart of the study once, with the words the label templates
/// give it (its axis, and its title and description when the study gives
/// none).
///
/// # Errors
/// [`RenderError::Problems`] when a label template fails to render;
/// [`RenderError::Internal`] when a chart `check` accepted cannot be drawn.
pub fn draw_charts(study: &Study, templates: &Templates) -> Result<Vec<DrawnChart>, RenderError> {
    study
        .charts
        .iter()
        .map(|chart| draw_chart(study, chart, templates))
        .collect()
}

fn draw_chart(study: &Study, chart: &Chart, templates: &Templates) -> Result<DrawnChart, RenderError> {
    let table = tabulate(study, &chart.spec);
    let data = resolve::data_table(&table);
    let mut context = tera::Context::new();
    context.insert("data", &data);
    // Not escaped here: the SVG escapes every text it is given, and the
    // page's template the title.
    let words = |label: &str, context: &tera::Context| {
        templates
            .tera
            .render_str(label, context, false)
            .map_err(|error| RenderError::Problems(vec![templates.diagnostic(&error)]))
    };
    let title = match &chart.title {
        Some(title) => title.clone(),
        None => words(CHART_TITLE, &context)?,
    };
    context.insert("title", &title);
    let words = |label: &str| words(label, &context);
    let description = match &chart.description {
        Some(description) => description.clone(),
        None => words(CHART_DESCRIPTION)?,
    };
    let axis = match data.shape {
        "counts" => words(CHART_COUNT)?,
        "matrix" => words(CHART_PARTICIPANT)?,
        _ => String::new(),
    };
    let svg = charts::draw(&chart.id, &title, &description, &axis, &table).map_err(|error| InternalError::Chart {
        chart: chart.id.clone(),
        message: error.to_string(),
    })?;
    Ok(DrawnChart { title, svg, data })
}

/// Renders pages: the plan, the templates, and the values every page
/// shares, made into a template context once.
pub struct PageRenderer<'a> {
    plan: &'a SitePlan<'a>,
    charts: &'a [DrawnChart],
    templates: &'a Templates,
    shared: tera::Context,
}

impl<'a> PageRenderer<'a> {
    /// A renderer of the plan's pages.
    ///
    /// # Errors
    /// A diagnostic if the shared values cannot be made a template context.
    pub fn new(
        plan: &'a SitePlan<'a>,
        charts: &'a [DrawnChart],
        templates: &'a Templates,
    ) -> Result<Self, Box<Diagnostic>> {
        let study = plan.study;
        let shared = Shared {
            site: &study.metadata,
            typology: &study.typology,
            roles: &study.roles,
            sample: resolve::sample(study, &plan.index),
            sample_services: resolve::sample_by_service(study, &plan.index, super::SAMPLE_TABLE_ROWS),
            sample_participant_count: study.participants.len(),
            columns: resolve::columns(study),
            figures: study.figures.iter().map(resolve::figure).collect(),
            tables: plan.tables,
        };
        let shared = tera::Context::from_serialize(&shared).map_err(|error| Box::new(templates.diagnostic(&error)))?;
        Ok(Self {
            plan,
            charts,
            templates,
            shared,
        })
    }

    /// Renders one page with its kind's template.
    ///
    /// # Errors
    /// A diagnostic naming the template, if it fails to render.
    pub fn render_page(&self, page: &PlannedPage) -> Result<(String, Vec<u8>), Box<Diagnostic>> {
        let plan = self.plan;
        let mut layout = plan.layout(page);
        let values = match page.kind {
            PageKind::Home => home(plan, page),
            PageKind::Section => section(plan, self.charts, page),
            PageKind::Findings => findings(plan, self.charts),
            PageKind::Theme => theme(plan, self.charts, page),
            PageKind::Subtheme => subtheme(plan, self.charts, page),
            PageKind::Participants => participants(plan),
            PageKind::Participant => participant(plan, page),
            PageKind::Services => services(plan),
            PageKind::Service => service(plan, page),
            PageKind::References => references(plan, page),
            PageKind::NotFound => not_found(plan, &mut layout),
            PageKind::Sitemap => sitemap(plan),
        };
        let mut context = self.shared.clone();
        let rendered = tera::Context::from_serialize(&layout)
            .and_then(|layout| {
                context.extend(layout);
                values
            })
            .and_then(|values| {
                context.extend(values);
                self.templates.tera.render(page.kind.facts().template, &context)
            });
        match rendered {
            Ok(html) => Ok((page.path.clone(), html.into_bytes())),
            Err(error) => Err(Box::new(self.templates.diagnostic(&error))),
        }
    }
}

type Values = tera::TeraResult<tera::Context>;

/// The home page's values.
#[derive(Serialize)]
struct HomePage<'a> {
    summary_html: Option<&'a str>,
    glance: Vec<GlanceFact<'a>>,
    keywords: &'a [String],
    authors: &'a [Author],
}

/// A fact of the study at a glance: one of the study's figures, or a
/// count the template words from its kind.
#[derive(Serialize)]
struct GlanceFact<'a> {
    /// `figure`, or what is counted: `participants`, `services`, `themes`,
    /// `quotes`.
    kind: &'static str,
    /// The figure's label (empty for a count).
    label: String,
    /// The count (empty for a figure).
    value: String,
    /// The figure, which the template words.
    figure: Option<FigureView<'a>>,
    href: Option<String>,
}

fn home(plan: &SitePlan<'_>, page: &PlannedPage) -> Values {
    let study = plan.study;
    let count = |kind: &'static str, value: usize, href: Option<String>| GlanceFact {
        kind,
        label: String::new(),
        value: value.to_string(),
        figure: None,
        href,
    };
    let mut glance: Vec<GlanceFact> = study
        .figures
        .iter()
        .map(|figure| GlanceFact {
            kind: "figure",
            label: figure.label.clone(),
            value: String::new(),
            figure: Some(resolve::figure(figure)),
            href: None,
        })
        .collect();
    glance.extend([
        count(
            "participants",
            study.participants.len(),
            Some(PageKind::Participants.path("")),
        ),
        count("services", study.services.len(), Some(PageKind::Services.path(""))),
        count(
            "themes",
            study.themes.len(),
            plan.findings_page().map(|findings| findings.path.clone()),
        ),
        count("quotes", study.quotes.len(), None),
    ]);
    tera::Context::from_serialize(&HomePage {
        summary_html: page.parts.first().and_then(PlannedPart::html),
        glance,
        keywords: &study.metadata.keywords,
        authors: &study.metadata.authors,
    })
}

/// A section page's values.
#[derive(Serialize)]
struct SectionPage<'a> {
    section: SectionView<'a>,
    /// The overview of the themes, on the findings section.
    themes: Vec<ThemeView<'a>>,
}

fn section(plan: &SitePlan<'_>, charts: &[DrawnChart], page: &PlannedPage) -> Values {
    let study = plan.study;
    let themes = if page.findings {
        themes(plan, charts)
    } else {
        Vec::new()
    };
    tera::Context::from_serialize(&SectionPage {
        section: SectionView {
            section: &study.sections[page.record],
            blocks: page
                .parts
                .first()
                .map(|part| blocks(plan, charts, part))
                .unwrap_or_default(),
        },
        themes,
    })
}

/// The overview of the themes, without their narrative.
fn themes<'a>(plan: &'a SitePlan<'a>, charts: &'a [DrawnChart]) -> Vec<ThemeView<'a>> {
    plan.pages_of(PageKind::Theme)
        .map(|theme| theme_view(plan, charts, theme, false))
        .collect()
}

/// The findings overview's values.
#[derive(Serialize)]
struct FindingsPage<'a> {
    themes: Vec<ThemeView<'a>>,
}

fn findings(plan: &SitePlan<'_>, charts: &[DrawnChart]) -> Values {
    tera::Context::from_serialize(&FindingsPage {
        themes: themes(plan, charts),
    })
}

/// A theme page's values.
#[derive(Serialize)]
struct ThemePage<'a> {
    theme: ThemeView<'a>,
    theme_count: usize,
    /// The page the themes follow.
    findings: Option<PageLink>,
}

fn theme(plan: &SitePlan<'_>, charts: &[DrawnChart], page: &PlannedPage) -> Values {
    tera::Context::from_serialize(&ThemePage {
        theme: theme_view(plan, charts, page, true),
        theme_count: plan.study.themes.len(),
        findings: plan.findings_page().map(PlannedPage::link),
    })
}

/// A theme, from its page of the plan: the intro is its first part, each
/// subtheme one of the others (as [`PageKind::content`] gives them). The
/// overview of the themes has no narrative.
fn theme_view<'a>(
    plan: &'a SitePlan<'a>,
    charts: &'a [DrawnChart],
    page: &'a PlannedPage,
    with_narrative: bool,
) -> ThemeView<'a> {
    let theme = &plan.study.themes[page.record];
    let split = plan.index.split_themes[page.record];
    let narrative = |part: Option<&'a PlannedPart>| match part {
        Some(part) if with_narrative => blocks(plan, charts, part),
        _ => Vec::new(),
    };
    let subthemes: Vec<SubthemeView<'a>> = theme
        .subthemes
        .iter()
        .enumerate()
        .map(|(index, subtheme)| {
            let part = page.parts.get(index + 1);
            SubthemeView {
                subtheme,
                anchor: part.and_then(|part| part.anchor.as_deref()),
                href: split.then(|| pages::subtheme_path(&theme.id, index + 1)),
                quote_count: quote_count(&subtheme.blocks),
                blocks: narrative(part),
            }
        })
        .collect();
    ThemeView {
        theme,
        number: page.record + 1,
        href: &page.path,
        quote_count: quote_count(&theme.intro) + subthemes.iter().map(|subtheme| subtheme.quote_count).sum::<usize>(),
        split,
        intro: narrative(page.parts.first()),
        subthemes,
    }
}

/// A subtheme page's values.
#[derive(Serialize)]
struct SubthemePage<'a> {
    theme: ThemeView<'a>,
    subtheme: SubthemeView<'a>,
    subtheme_number: usize,
}

fn subtheme(plan: &SitePlan<'_>, charts: &[DrawnChart], page: &PlannedPage) -> Values {
    let (theme, index) = pages::subtheme_at(plan.study, page.record);
    let theme_page = plan
        .pages_of(PageKind::Theme)
        .find(|candidate| candidate.record == theme);
    let subtheme = &plan.study.themes[theme].subthemes[index];
    tera::Context::from_serialize(&SubthemePage {
        theme: match theme_page {
            Some(theme_page) => theme_view(plan, charts, theme_page, false),
            None => return Err(tera::Error::message("a subtheme page without its theme's page")),
        },
        subtheme: SubthemeView {
            subtheme,
            anchor: None,
            href: Some(page.path.clone()),
            quote_count: quote_count(&subtheme.blocks),
            blocks: page
                .parts
                .first()
                .map(|part| blocks(plan, charts, part))
                .unwrap_or_default(),
        },
        subtheme_number: index + 1,
    })
}

/// The participants page's values.
#[derive(Serialize)]
struct ParticipantsPage {
    participant_count: usize,
    service_count: usize,
}

fn participants(plan: &SitePlan<'_>) -> Values {
    tera::Context::from_serialize(&ParticipantsPage {
        participant_count: plan.study.participants.len(),
        service_count: plan.study.services.len(),
    })
}

/// A participant page's values.
#[derive(Serialize)]
struct ParticipantPage<'a> {
    participant: ParticipantWithService<'a>,
    quotes: Vec<QuoteView<'a>>,
}

/// A participant with their service.
#[derive(Serialize)]
struct ParticipantWithService<'a> {
    #[serde(flatten)]
    row: ParticipantView<'a>,
    service: ServiceView<'a>,
}

fn participant(plan: &SitePlan<'_>, page: &PlannedPage) -> Values {
    let study = plan.study;
    tera::Context::from_serialize(&ParticipantPage {
        participant: ParticipantWithService {
            row: resolve::participant(study, &plan.index, page.record),
            service: resolve::service(study, &plan.index, study.participants[page.record].service),
        },
        quotes: plan.index.quotes_of_participant[page.record]
            .iter()
            .map(|quote| resolve::quote(study, &plan.index, *quote))
            .collect(),
    })
}

/// The services page's values.
#[derive(Serialize)]
struct ServicesPage<'a> {
    services: Vec<ServiceView<'a>>,
    service_count: usize,
}

fn services(plan: &SitePlan<'_>) -> Values {
    let study = plan.study;
    tera::Context::from_serialize(&ServicesPage {
        services: (0..study.services.len())
            .map(|index| resolve::service(study, &plan.index, index))
            .collect(),
        service_count: study.services.len(),
    })
}

/// A service page's values.
#[derive(Serialize)]
struct ServicePage<'a> {
    service: ServiceView<'a>,
    quotes: Vec<QuoteView<'a>>,
}

fn service(plan: &SitePlan<'_>, page: &PlannedPage) -> Values {
    let study = plan.study;
    tera::Context::from_serialize(&ServicePage {
        service: resolve::service(study, &plan.index, page.record),
        quotes: plan.index.quotes_of_service[page.record]
            .iter()
            .map(|quote| resolve::quote(study, &plan.index, *quote))
            .collect(),
    })
}

/// The references page's values.
#[derive(Serialize)]
struct ReferencesPage<'a> {
    references: Vec<ReferenceView<'a>>,
}

fn references(plan: &SitePlan<'_>, page: &PlannedPage) -> Values {
    tera::Context::from_serialize(&ReferencesPage {
        references: plan
            .study
            .references
            .iter()
            .zip(&page.parts)
            .map(|(reference, part)| ReferenceView {
                reference,
                anchor: reference_anchor(&reference.id),
                entry_html: part.html(),
                cited_in: plan.cited_in(&reference.id),
            })
            .collect(),
    })
}

fn not_found(plan: &SitePlan<'_>, layout: &mut Layout<'_>) -> Values {
    if let Some(base) = plan.base_url {
        // Served for any missing path, so links must not be relative.
        layout.root = format!("{base}/");
    }
    layout.page.canonical = None;
    Ok(tera::Context::new())
}

/// The sitemap's values.
#[derive(Serialize)]
struct SitemapPage {
    urls: Vec<String>,
}

/// Every page the sitemap lists, by address, in path order.
fn sitemap(plan: &SitePlan<'_>) -> Values {
    let base = plan.base_url.unwrap_or_default();
    let mut paths: Vec<&str> = plan
        .pages
        .iter()
        .filter(|page| page.place().in_sitemap() && page.path.ends_with(".html"))
        .map(|page| page.path.as_str())
        .collect();
    paths.sort_unstable();
    tera::Context::from_serialize(&SitemapPage {
        urls: paths
            .into_iter()
            .map(|path| format!("{base}/{}", path.strip_suffix("index.html").unwrap_or(path)))
            .collect(),
    })
}

/// A part's blocks, ready for the blocks partial.
fn blocks<'a>(plan: &'a SitePlan<'a>, charts: &'a [DrawnChart], part: &'a PlannedPart) -> Vec<BlockView<'a>> {
    part.blocks
        .iter()
        .map(|block| match block {
            PlannedBlock::Html(html) => BlockView::Markdown { html },
            PlannedBlock::Quote(index) => BlockView::Quote {
                quote: resolve::quote(plan.study, &plan.index, *index),
            },
            PlannedBlock::Table(kind) => BlockView::Table { table: kind.name() },
            PlannedBlock::Figures => BlockView::Figures,
            PlannedBlock::Chart(index) => BlockView::Chart {
                chart: ChartView {
                    chart: &plan.study.charts[*index],
                    caption: &charts[*index].title,
                    svg: &charts[*index].svg,
                    data: &charts[*index].data,
                },
            },
        })
        .collect()
}

/// How many quotes blocks place.
fn quote_count(blocks: &[Block]) -> usize {
    blocks.iter().filter(|block| matches!(block, Block::Quote(_))).count()
}
