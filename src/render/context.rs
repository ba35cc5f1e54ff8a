//! What templates receive: plain, resolved values, never an id still to
//! look up. Built from the validated study; serialised into Tera contexts.

use serde::Serialize;

use crate::render::markdown::TocEntry;

/// Site-wide values.
#[derive(Clone, Debug, Serialize)]
pub struct SiteContext {
    pub title: String,
    pub short_title: String,
    pub journal: Option<String>,
    pub manuscript_id: Option<String>,
    pub manuscript_type: Option<String>,
    pub lang: String,
}

/// A link in the navigation.
#[derive(Clone, Debug, Serialize)]
pub struct NavItem {
    pub title: String,
    pub href: String,
    pub current: bool,
    pub children: Vec<NavItem>,
}

/// A link to a page.
#[derive(Clone, Debug, Serialize)]
pub struct PageLink {
    pub title: String,
    pub href: String,
}

/// The page being rendered.
#[derive(Clone, Debug, Serialize)]
pub struct PageContext {
    pub title: String,
    pub description: Option<String>,
    pub canonical: Option<String>,
}

/// A quote, ready to show.
#[derive(Clone, Debug, Serialize)]
pub struct QuoteContext {
    pub id: String,
    pub anchor: String,
    pub participant_id: String,
    pub participant_href: String,
    pub attribution: String,
    pub text: Option<String>,
    pub turns: Vec<TurnContext>,
    pub place: Option<PageLink>,
}

/// A turn of an exchange.
#[derive(Clone, Debug, Serialize)]
pub struct TurnContext {
    /// `interviewer` or `participant`.
    pub speaker: &'static str,
    pub text: String,
}

/// A block of narrative.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BlockContext {
    Markdown { html: String },
    Quote { quote: QuoteContext },
    Table { table: &'static str },
    Figures,
    Chart { chart: ChartContext },
}

/// A chart: its SVG and the numbers behind it.
#[derive(Clone, Debug, Serialize)]
pub struct ChartContext {
    pub id: String,
    pub title: String,
    /// The SVG, drawn by plotters with every text escaped.
    pub svg: String,
    pub data: DataTable,
}

/// A table of numbers: column headings and labelled rows.
#[derive(Clone, Debug, Serialize)]
pub struct DataTable {
    /// The heading of the label column.
    pub corner: String,
    pub columns: Vec<String>,
    pub rows: Vec<DataRow>,
}

/// A labelled row of a [`DataTable`].
#[derive(Clone, Debug, Serialize)]
pub struct DataRow {
    pub label: String,
    pub cells: Vec<String>,
}

/// A section page.
#[derive(Clone, Debug, Serialize)]
pub struct SectionContext {
    pub id: String,
    pub title: String,
    pub findings: bool,
    pub blocks: Vec<BlockContext>,
}

/// A theme, for its page and the overview.
#[derive(Clone, Debug, Serialize)]
pub struct ThemeContext {
    pub id: String,
    pub number: usize,
    pub title: String,
    pub href: String,
    pub quote_count: usize,
    pub intro: Vec<BlockContext>,
    pub subthemes: Vec<SubthemeContext>,
}

/// A subtheme.
#[derive(Clone, Debug, Serialize)]
pub struct SubthemeContext {
    pub id: String,
    pub anchor: String,
    pub title: String,
    pub quote_count: usize,
    pub blocks: Vec<BlockContext>,
}

/// A typology model.
#[derive(Clone, Debug, Serialize)]
pub struct ModelContext {
    pub id: String,
    pub name: String,
    pub description: String,
}

/// The typology table.
#[derive(Clone, Debug, Serialize)]
pub struct TypologyContext {
    pub title: String,
    pub models: Vec<ModelContext>,
}

/// A role category.
#[derive(Clone, Debug, Serialize)]
pub struct RoleContext {
    pub id: String,
    pub name: String,
    pub definition: String,
}

/// The role categories.
#[derive(Clone, Debug, Serialize)]
pub struct RolesContext {
    pub title: String,
    pub roles: Vec<RoleContext>,
}

/// A service, resolved.
#[derive(Clone, Debug, Serialize)]
pub struct ServiceContext {
    pub id: String,
    pub href: String,
    pub description: String,
    pub organisation_type: String,
    pub model: String,
    pub participants: Vec<ParticipantContext>,
}

/// A participant, resolved.
#[derive(Clone, Debug, Serialize)]
pub struct ParticipantContext {
    pub id: String,
    pub href: String,
    pub gender: String,
    pub contract: String,
    pub role: String,
    pub role_description: String,
    pub quote_count: usize,
}

/// A participant with their service, for their own page.
#[derive(Clone, Debug, Serialize)]
pub struct ParticipantPageContext {
    pub id: String,
    pub gender: String,
    pub contract: String,
    pub role: String,
    pub role_description: String,
    pub service: ServiceContext,
}

/// A group of the sample table: a service and its participants.
#[derive(Clone, Debug, Serialize)]
pub struct SampleGroup {
    pub service: ServiceContext,
    pub participants: Vec<ParticipantContext>,
}

/// Column headings of the sample table.
#[derive(Clone, Debug, Serialize)]
pub struct ColumnsContext {
    pub caption: String,
    pub service: String,
    pub gender: String,
    pub contract: String,
    pub role: String,
    pub organisation: String,
    pub model: String,
}

/// A figure, formatted.
#[derive(Clone, Debug, Serialize)]
pub struct FigureContext {
    pub id: String,
    pub label: String,
    pub value: String,
    pub note: Option<String>,
}

/// A fact on the home page.
#[derive(Clone, Debug, Serialize)]
pub struct GlanceFact {
    pub label: String,
    pub value: String,
    pub href: Option<String>,
}

/// Table numbers, in reading order of first placement.
#[derive(Clone, Debug, Default, Serialize)]
pub struct TableNumbers {
    pub typology: Option<usize>,
    pub sample: Option<usize>,
}

/// A reference entry.
#[derive(Clone, Debug, Serialize)]
pub struct ReferenceContext {
    pub id: String,
    pub anchor: String,
    pub entry_html: String,
    pub url: Option<String>,
    pub cited_in: Vec<PageLink>,
}

/// Values every page receives, so any narrative block can be rendered.
#[derive(Clone, Debug, Serialize)]
pub struct Shared {
    pub site: SiteContext,
    pub typology: TypologyContext,
    pub roles: RolesContext,
    pub sample: Vec<SampleGroup>,
    pub columns: ColumnsContext,
    pub figures: Vec<FigureContext>,
    pub tables: TableNumbers,
}

/// The per-page values of the layout.
#[derive(Clone, Debug, Serialize)]
pub struct Layout {
    pub root: String,
    pub page: PageContext,
    pub nav: Vec<NavItem>,
    pub previous: Option<PageLink>,
    pub next: Option<PageLink>,
    pub toc: Vec<TocEntry>,
}
