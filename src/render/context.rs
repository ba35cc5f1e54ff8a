//! What templates receive besides each page kind's own values (which
//! `page.rs` defines beside the kind's render function): the layout every
//! page has, the values every page shares, and views of the model's records.
//!
//! A view holds the model's record itself, serialised as it is (its text
//! and flags, never an index), next to the values `render` resolves for it:
//! names for indexes, paths, anchors, formatted numbers and narrative as
//! HTML. Views borrow from the study and the site plan; nothing here copies
//! a record field by field.

use serde::Serialize;

use std::collections::BTreeMap;

use crate::editorial::Segment;
use crate::model::{
    Chart, Figure, Metadata, Participant, Quote, Reference, RoleCategories, Section, Service, Speaker, Subtheme, Theme,
    Typology,
};
use crate::render::markdown::TocEntry;

/// A link in the navigation. Templates word its title from its page's
/// kind, id and title (`labels.page_title`).
#[derive(Clone, Debug, Serialize)]
pub struct NavItem {
    /// The kind of the page ([`crate::pages::Facts::name`]).
    pub kind: &'static str,
    /// The id of the page's record (empty for a kind with one page).
    pub id: String,
    /// The title of the page's record (empty for records without one).
    pub title: String,
    /// The page's path.
    pub href: String,
    /// Whether it is the page being rendered.
    pub current: bool,
    /// The pages under it.
    pub children: Vec<NavItem>,
}

/// A link to a page, or to a place on it. Templates word its title from
/// its page's kind, id and title (`labels.page_title`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PageLink {
    /// The kind of the page ([`crate::pages::Facts::name`]).
    pub kind: &'static str,
    /// The id of the page's record (empty for a kind with one page).
    pub id: String,
    /// The title of the page's record (with the subtheme's, for a place in
    /// one; empty for records without one).
    pub title: String,
    /// The path, with `#anchor` for a place on the page.
    pub href: String,
}

/// The page being rendered, for the document's head.
#[derive(Clone, Debug, Serialize)]
pub struct PageContext {
    /// The kind of the page ([`crate::pages::Facts::name`]).
    pub kind: &'static str,
    /// The id of the page's record (empty for a kind with one page).
    pub id: String,
    /// The title of the page's record (empty for records without one).
    pub title: String,
    /// A description for search engines, if any.
    pub description: Option<String>,
    /// The page's published address, when the site's is known.
    pub canonical: Option<String>,
}

/// The per-page values of the layout (`base.html`).
#[derive(Clone, Debug, Serialize)]
pub struct Layout<'a> {
    /// The way from this page to the site's root (`../`, or a full address
    /// on the page served for missing paths).
    pub root: String,
    /// The page's head.
    pub page: PageContext,
    /// The navigation, with the current page marked.
    pub nav: Vec<NavItem>,
    /// The page before this one.
    pub previous: Option<&'a PageLink>,
    /// The page after this one.
    pub next: Option<&'a PageLink>,
    /// The page's level-2 headings.
    pub toc: &'a [TocEntry],
}

/// Values every page receives, so that any narrative block can be rendered
/// on any page.
#[derive(Clone, Debug, Serialize)]
pub struct Shared<'a> {
    /// The study's metadata.
    pub site: &'a Metadata,
    /// The typology table.
    pub typology: &'a Typology,
    /// The role categories.
    pub roles: &'a RoleCategories,
    /// The sample table's groups.
    pub sample: Vec<SampleGroup<'a>>,
    /// Above [`SAMPLE_TABLE_ROWS`](crate::render::SAMPLE_TABLE_ROWS)
    /// participants, the sample table shows one row per service instead
    /// of one per participant: these rows (`None` below it).
    pub sample_services: Option<Vec<ServiceRow<'a>>>,
    /// How many participants the sample has.
    pub sample_participant_count: usize,
    /// The sample table's caption and columns, the fields of participant
    /// and service pages, and every field's heading.
    pub columns: Columns<'a>,
    /// The study's figures, formatted.
    pub figures: Vec<FigureView<'a>>,
    /// The tables' numbers.
    pub tables: TableNumbers,
}

/// What the study chose to publish about participants and services.
#[derive(Clone, Debug, Serialize)]
pub struct Columns<'a> {
    /// The sample table's caption.
    pub caption: &'a str,
    /// The sample table's columns, in order.
    pub sample: Vec<ColumnView<'a>>,
    /// The fields of a participant's page, in order.
    pub participant_page: Vec<ColumnView<'a>>,
    /// The fields of a service's page, in order.
    pub service_page: Vec<ColumnView<'a>>,
    /// Every field's heading by its name: its sample table column's, or
    /// else the attribute's label or the relation's default.
    pub headings: BTreeMap<&'a str, String>,
}

/// A column of a table or a field of a page.
#[derive(Clone, Debug, Serialize)]
pub struct ColumnView<'a> {
    /// The field's name: a relation's (`service`, `role`, …), or an
    /// attribute's id (a key of a participant's `values`).
    pub field: &'a str,
    /// Its heading.
    pub heading: &'a str,
    /// Whether it is a fact of the service (one cell for the
    /// consecutive participants of a service in the sample table).
    pub of_service: bool,
}

/// Table numbers, in reading order of first placement.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TableNumbers {
    /// The typology table's number, if it is placed.
    pub typology: Option<usize>,
    /// The sample table's number, if it is placed.
    pub sample: Option<usize>,
}

/// A quote, ready for the quote partial.
#[derive(Clone, Debug, Serialize)]
pub struct QuoteView<'a> {
    /// The quote (its id and attribution).
    #[serde(flatten)]
    pub quote: &'a Quote,
    /// Its anchor on the page that places it.
    pub anchor: String,
    /// The id of its participant.
    pub participant_id: &'a str,
    /// The path of its participant's page.
    pub participant_href: String,
    /// The participant's words, for a quote of one voice.
    pub text: Option<&'a str>,
    /// The same words split at editorial marks (empty for an exchange).
    pub segments: Vec<Segment<'a>>,
    /// The turns, for an exchange.
    pub turns: Vec<TurnView<'a>>,
    /// Where the narrative places it, if anywhere.
    pub place: Option<PageLink>,
}

/// A turn of an exchange.
#[derive(Clone, Debug, Serialize)]
pub struct TurnView<'a> {
    /// Who speaks.
    pub speaker: Speaker,
    /// What they say.
    pub text: &'a str,
    /// The same words split at editorial marks.
    pub segments: Vec<Segment<'a>>,
}

/// A participant's row of the sample.
#[derive(Clone, Debug, Serialize)]
pub struct ParticipantView<'a> {
    /// The participant.
    #[serde(flatten)]
    pub participant: &'a Participant,
    /// The path of their page.
    pub href: String,
    /// The name of their role category.
    pub role: &'a str,
    /// Their value of each attribute, as shown (a category's label), by
    /// the attribute's id.
    pub values: BTreeMap<&'a str, &'a str>,
    /// How many quotes are theirs.
    pub quote_count: usize,
}

/// A service with its participants.
#[derive(Clone, Debug, Serialize)]
pub struct ServiceView<'a> {
    /// The service.
    #[serde(flatten)]
    pub service: &'a Service,
    /// The path of its page.
    pub href: String,
    /// Its name, or its id (as tables and attributions name it).
    pub short_name: &'a str,
    /// The name of its organisation type.
    pub organisation_type: &'a str,
    /// The name of its typology model.
    pub model: &'a str,
    /// Its participants, in sample order.
    pub participants: Vec<ParticipantView<'a>>,
}

/// A service's row of the sample table by service.
#[derive(Clone, Debug, Serialize)]
pub struct ServiceRow<'a> {
    /// The service.
    #[serde(flatten)]
    pub service: &'a Service,
    /// The path of its page, which lists its participants.
    pub href: String,
    /// Its name, or its id.
    pub short_name: &'a str,
    /// The name of its organisation type.
    pub organisation_type: &'a str,
    /// The name of its typology model.
    pub model: &'a str,
    /// How many participants it has.
    pub participant_count: usize,
}

/// A group of the sample table: a service and its consecutive participants.
#[derive(Clone, Debug, Serialize)]
pub struct SampleGroup<'a> {
    /// The service.
    pub service: ServiceView<'a>,
    /// The participants of the group.
    pub participants: Vec<ParticipantView<'a>>,
}

/// A figure, formatted.
#[derive(Clone, Debug, Serialize)]
pub struct FigureView<'a> {
    /// The figure.
    #[serde(flatten)]
    pub figure: &'a Figure,
    /// Its value as written, for a single value; the label templates word
    /// the figure (`labels.figure_value`: `about 4 months`).
    pub value: Option<&'a str>,
    /// Its lowest, formatted, for a range (`21–37 minutes (mean 29)`).
    pub min: Option<String>,
    /// Its highest, formatted, for a range.
    pub max: Option<String>,
    /// Its mean, formatted, for a range that states one.
    pub mean: Option<String>,
}

/// A block of narrative.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BlockView<'a> {
    /// Markdown, as safe HTML.
    Markdown {
        /// The HTML.
        html: &'a str,
    },
    /// A quote.
    Quote {
        /// The quote.
        quote: QuoteView<'a>,
    },
    /// A derived table.
    Table {
        /// Its name (`typology`, `sample`, `roles`).
        table: &'static str,
    },
    /// The study's figures.
    Figures,
    /// A chart.
    Chart {
        /// The chart.
        chart: ChartView<'a>,
    },
}

/// A chart: its SVG and the numbers behind it.
#[derive(Clone, Debug, Serialize)]
pub struct ChartView<'a> {
    /// The chart (its id, title and description, as the study gives them).
    #[serde(flatten)]
    pub chart: &'a Chart,
    /// Its title as shown: the study's, or the label templates' default.
    pub caption: &'a str,
    /// The SVG, drawn by plotters with every text escaped.
    pub svg: &'a str,
    /// The numbers behind it.
    pub data: &'a DataTable,
}

/// A table of numbers: column headings and labelled rows. The headings
/// that are words, not the study's names, are the template's: it words
/// them from the table's shape.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DataTable {
    /// Its shape: `counts` (a count per row, after a column per series, if
    /// any), `matrix` (a count per participant) or `ranges` (lowest,
    /// highest, mean and unit per row).
    pub shape: &'static str,
    /// What a table of counts counts (`participants` or `quotes`; empty
    /// for other shapes).
    pub counted: &'static str,
    /// The headings of the columns the study names (series, participants),
    /// before those the template words.
    pub columns: Vec<String>,
    /// The rows.
    pub rows: Vec<DataRow>,
}

/// A labelled row of a [`DataTable`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DataRow {
    /// The row's label.
    pub label: String,
    /// Its numbers, formatted.
    pub cells: Vec<String>,
}

/// A section with its narrative.
#[derive(Clone, Debug, Serialize)]
pub struct SectionView<'a> {
    /// The section (its id, title and whether it is the findings section).
    #[serde(flatten)]
    pub section: &'a Section,
    /// Its narrative.
    pub blocks: Vec<BlockView<'a>>,
}

/// A theme, for its page (with its narrative) and the overview (without).
#[derive(Clone, Debug, Serialize)]
pub struct ThemeView<'a> {
    /// The theme (its id and title).
    #[serde(flatten)]
    pub theme: &'a Theme,
    /// Its number, from 1.
    pub number: usize,
    /// The path of its page.
    pub href: &'a str,
    /// How many quotes it places.
    pub quote_count: usize,
    /// Whether its subthemes have pages of their own (it places more than
    /// [`THEME_PAGE_QUOTES`](crate::pages::THEME_PAGE_QUOTES) quotes).
    pub split: bool,
    /// The narrative before its first subtheme.
    pub intro: Vec<BlockView<'a>>,
    /// Its subthemes.
    pub subthemes: Vec<SubthemeView<'a>>,
}

/// A subtheme.
#[derive(Clone, Debug, Serialize)]
pub struct SubthemeView<'a> {
    /// The subtheme (its id and title).
    #[serde(flatten)]
    pub subtheme: &'a Subtheme,
    /// Its heading's id on the theme's page.
    pub anchor: Option<&'a str>,
    /// The path of its own page, when its theme is split.
    pub href: Option<String>,
    /// How many quotes it places.
    pub quote_count: usize,
    /// Its narrative.
    pub blocks: Vec<BlockView<'a>>,
}

/// An entry of the reference list.
#[derive(Clone, Debug, Serialize)]
pub struct ReferenceView<'a> {
    /// The reference.
    #[serde(flatten)]
    pub reference: &'a Reference,
    /// Its anchor on the references page.
    pub anchor: String,
    /// The entry, as HTML.
    pub entry_html: Option<&'a str>,
    /// Where it is cited, in reading order.
    pub cited_in: &'a [PageLink],
}
