//! The validated study: what every page, table and chart is made from.
//!
//! Input: built only by `validate`, after every cross-reference resolved.
//! Output: read by `render`. Invariants: every index points into its list;
//! every quote has its attribution already derived; all text is NFC. Nothing
//! here knows about files, YAML or positions.
//!
//! Records serialise (for templates) as their own text and flags; indexes
//! into other lists are never serialised, because a template receives
//! resolved values (a participant's role name, not the role's index), which
//! `render` adds beside the record.

use serde::Serialize;

/// A whole study.
#[derive(Clone, Debug)]
pub struct Study {
    /// The paper's title, authors, journal and the other facts of `study.yaml`.
    pub metadata: Metadata,
    /// The numbers the paper states.
    pub figures: Vec<Figure>,
    /// The classification of services.
    pub typology: Typology,
    /// Role categories.
    pub roles: RoleCategories,
    /// Kinds of organisation.
    pub organisation_types: Vec<OrganisationType>,
    /// Services, in file order.
    pub services: Vec<Service>,
    /// The attributes the study records about participants, in display order.
    pub attributes: Vec<Attribute>,
    /// Caption and columns of the sample table.
    pub sample_table: SampleTable,
    /// The fields a participant's page shows, in order.
    pub participant_page: Vec<Column>,
    /// The fields a service's page shows, in order.
    pub service_page: Vec<Column>,
    /// Participants, in sample-table order: those who consented to be
    /// quoted or counted; the withdrawn are left out (see [`Study::withdrawn`]).
    pub participants: Vec<Participant>,
    /// The participants who withdrew, in file order: only their ids and
    /// services, so that a build can say what they were left out of.
    /// Nothing is rendered from them.
    pub withdrawn: Vec<Withdrawn>,
    /// Quotes, in file order.
    pub quotes: Vec<Quote>,
    /// The reference list, in file order.
    pub references: Vec<Reference>,
    /// Charts, in declaration order.
    pub charts: Vec<Chart>,
    /// Narrative sections, in order.
    pub sections: Vec<Section>,
    /// Results themes, in order.
    pub themes: Vec<Theme>,
    /// The fields the attribution format shows, in its order.
    pub attribution_fields: Vec<Field>,
    /// How many participants must share what the site publishes.
    pub privacy: Privacy,
}

/// The study's disclosure-risk threshold (`privacy: { k }` in `study.yaml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Privacy {
    /// Every combination of values a view publishes beside a participant
    /// must be shared by at least `k` participants.
    pub k: usize,
}

impl Privacy {
    /// The threshold when the study states none.
    pub const DEFAULT_K: usize = 2;
}

impl Default for Privacy {
    fn default() -> Self {
        Self { k: Self::DEFAULT_K }
    }
}

/// What the study says about itself: the paper's title and the facts
/// around it, as `study.yaml` states them. Templates receive it whole as
/// `site`.
#[derive(Clone, Debug, Serialize)]
pub struct Metadata {
    /// The paper's title.
    pub title: String,
    /// The title navigation shows: the short title, if given, else the title.
    pub short_title: String,
    /// The language of the study's text, as a BCP 47 tag (`en`, `en-GB`);
    /// `lang` in templates.
    #[serde(rename = "lang")]
    pub language: String,
    /// Whether narrative Markdown prints straight quotes, `--` and `...` as
    /// typographic marks (off to keep a paper's punctuation as printed).
    pub smart_punctuation: bool,
    /// Authors, possibly none (an anonymised manuscript).
    pub authors: Vec<Author>,
    /// The journal, when stated.
    pub journal: Option<String>,
    /// The manuscript id, when stated.
    pub manuscript_id: Option<String>,
    /// The manuscript type, when stated.
    pub manuscript_type: Option<String>,
    /// Keywords, in order.
    pub keywords: Vec<String>,
    /// A Markdown summary.
    pub summary: Option<String>,
}

/// An author.
#[derive(Clone, Debug, Serialize)]
pub struct Author {
    /// Name as printed.
    pub name: String,
    /// Affiliation, if given.
    pub affiliation: Option<String>,
}

/// A number the paper states: a value, or a range with an optional mean.
#[derive(Clone, Debug, Serialize)]
pub struct Figure {
    /// Id.
    pub id: String,
    /// What the number is.
    pub label: String,
    /// The stated value or range.
    #[serde(skip)]
    pub amount: Amount,
    /// Unit, if any.
    pub unit: Option<String>,
    /// A note, if any.
    pub note: Option<String>,
    /// Whether the paper says "about".
    pub approximate: bool,
}

/// A figure's amount.
#[derive(Clone, Debug, PartialEq)]
pub enum Amount {
    /// A single value, as written.
    Value(String),
    /// A range with an optional mean.
    Range {
        /// Lowest.
        min: f64,
        /// Highest.
        max: f64,
        /// Mean, if stated.
        mean: Option<f64>,
    },
}

/// The study's typology of services.
#[derive(Clone, Debug, Serialize)]
pub struct Typology {
    /// Caption of the typology table, if given (else the label templates'
    /// `labels.typology_caption`).
    pub title: Option<String>,
    /// The heading of the table's model column, if the study gives one
    /// (else `labels.typology_model`).
    pub model_heading: Option<String>,
    /// The heading of the table's description column, if the study gives
    /// one (else `labels.typology_description`).
    pub description_heading: Option<String>,
    /// Models, in order.
    pub models: Vec<Model>,
}

/// One model of the typology.
#[derive(Clone, Debug, Serialize)]
pub struct Model {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
}

/// Role categories.
#[derive(Clone, Debug, Serialize)]
pub struct RoleCategories {
    /// Caption, if given (else the label templates' `labels.roles_caption`).
    pub title: Option<String>,
    /// Categories, in order.
    pub roles: Vec<RoleCategory>,
}

/// A role category.
#[derive(Clone, Debug, Serialize)]
pub struct RoleCategory {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Definition.
    pub definition: String,
}

/// A kind of organisation.
#[derive(Clone, Debug)]
pub struct OrganisationType {
    /// Id.
    pub id: String,
    /// Name, as used in attributions.
    pub name: String,
    /// Description, if any.
    pub description: Option<String>,
}

/// A service of the sample.
#[derive(Clone, Debug, Serialize)]
pub struct Service {
    /// Id as published.
    pub id: String,
    /// Its display name, if the study gives one.
    pub name: Option<String>,
    /// Description of the organisation.
    pub description: String,
    /// Index into [`Study::organisation_types`].
    #[serde(skip)]
    pub organisation_type: usize,
    /// Index into [`Typology::models`].
    #[serde(skip)]
    pub model: usize,
}

impl Service {
    /// How tables and attributions name it: its name, or its id.
    #[must_use]
    pub fn short_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }
}

/// An attribute the study records about each participant.
#[derive(Clone, Debug, Serialize)]
pub struct Attribute {
    /// Id: the key participants give it under.
    pub id: String,
    /// What readers see.
    pub label: String,
    /// Categories, or free text.
    #[serde(skip)]
    pub kind: AttributeKind,
}

/// What values an attribute takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AttributeKind {
    /// One of these, in display order.
    Categories(Vec<Category>),
    /// Free text.
    Text,
}

/// A category of an attribute.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Category {
    /// Id, as participants write it.
    pub id: String,
    /// What readers see.
    pub label: String,
}

/// A participant's value of an attribute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AttributeValue {
    /// Index into the attribute's categories.
    Category(usize),
    /// Free text.
    Text(String),
}

/// What a table column, a page field, an attribution placeholder or a
/// chart dimension shows: a relation, or a declared attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// A relation of the participant (or of their service).
    Relation(Relation),
    /// A declared attribute (index into [`Study::attributes`]).
    Attribute(usize),
}

/// What a participant is related to, and the relations' own text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    /// The participant (their id).
    Participant,
    /// Their service.
    Service,
    /// Their service's description.
    ServiceDescription,
    /// Their role category.
    Role,
    /// What they do.
    RoleDescription,
    /// Their service's organisation type.
    OrganisationType,
    /// Their service's typology model.
    Model,
}

impl Relation {
    /// Every relation and its name. The heading it has by default is the
    /// label templates' (`labels.field_heading`), not Rust's.
    pub const ALL: [(Self, &'static str); 7] = [
        (Self::Participant, "participant"),
        (Self::Service, "service"),
        (Self::ServiceDescription, "service_description"),
        (Self::Role, "role"),
        (Self::RoleDescription, "role_description"),
        (Self::OrganisationType, "organisation_type"),
        (Self::Model, "model"),
    ];

    /// The relation a name names.
    #[must_use]
    pub fn named(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(_, known)| *known == name)
            .map(|(relation, _)| *relation)
    }

    /// Its name, as studies write it.
    #[must_use]
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(known, _)| *known == self)
            .map_or("", |(_, name)| name)
    }

    /// Whether it is a fact of the participant's service (a sample table
    /// shows it once for consecutive participants of one service).
    #[must_use]
    pub const fn of_service(self) -> bool {
        matches!(
            self,
            Self::Service | Self::ServiceDescription | Self::OrganisationType | Self::Model
        )
    }

    /// Whether its values are categories to count by (not free text).
    #[must_use]
    pub const fn is_categorical(self) -> bool {
        !matches!(self, Self::ServiceDescription | Self::RoleDescription)
    }
}

/// Caption and columns of the sample table.
#[derive(Clone, Debug)]
pub struct SampleTable {
    /// Caption; empty when the study gives none, for the label templates
    /// to word it (`labels.sample_caption`).
    pub caption: String,
    /// Columns, in order.
    pub columns: Vec<Column>,
}

/// A column of a table or a field of a page, with its heading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// What it shows.
    pub field: Field,
    /// Its heading.
    pub heading: String,
}

/// A participant.
#[derive(Clone, Debug, Serialize)]
pub struct Participant {
    /// Id as published.
    pub id: String,
    /// Index into [`Study::services`].
    #[serde(skip)]
    pub service: usize,
    /// Index into [`RoleCategories::roles`].
    #[serde(skip)]
    pub role: usize,
    /// What the participant does.
    pub role_description: String,
    /// The value of each of [`Study::attributes`], in its order.
    #[serde(skip)]
    pub values: Vec<AttributeValue>,
    /// What they consented to: [`Consent::Quote`] or [`Consent::NoQuote`]
    /// (the withdrawn are not in the study).
    #[serde(skip)]
    pub consent: Consent,
}

/// What a participant consented to, as `consent:` states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Consent {
    /// May be quoted anonymously.
    Quote,
    /// Counted in tables and charts, with a page, but none of their words
    /// are published.
    NoQuote,
    /// Appears nowhere in the output.
    Withdrawn,
}

impl Consent {
    /// Every value: as `consent:` writes it, and what it means.
    pub const ALL: [(Self, &'static str, &'static str); 3] = [
        (Self::Quote, "quote", "may be quoted anonymously"),
        (
            Self::NoQuote,
            "no-quote",
            "counted in tables and charts, but none of their words are published",
        ),
        (
            Self::Withdrawn,
            "withdrawn",
            "left out of every page, table, count and chart",
        ),
    ];

    /// The value `name` names, if any.
    #[must_use]
    pub fn named(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(_, known, _)| *known == name)
            .map(|(consent, _, _)| *consent)
    }

    /// As `consent:` writes it.
    #[must_use]
    pub fn name(self) -> &'static str {
        Self::ALL[self as usize].1
    }

    /// What it means, in a few words.
    #[must_use]
    pub fn meaning(self) -> &'static str {
        Self::ALL[self as usize].2
    }

    /// Whether the participant's words may be published.
    #[must_use]
    pub const fn may_be_quoted(self) -> bool {
        matches!(self, Self::Quote)
    }
}

/// A participant who withdrew: what a build may say of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Withdrawn {
    /// Their id (a pseudonym, which may be printed, never published).
    pub id: String,
    /// The service they belonged to, as its position in `services.yaml`
    /// (a service whose every participant withdrew is not in
    /// [`Study::services`]).
    pub service: usize,
}

/// How many participants gave each consent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ConsentCounts {
    /// May be quoted.
    pub quote: usize,
    /// Counted, never quoted.
    pub no_quote: usize,
    /// Left out.
    pub withdrawn: usize,
}

/// The published views a withdrawal left a participant out of.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WithdrawnViews {
    /// Charts whose numbers count participants, or that show a column per
    /// participant.
    pub charts: usize,
    /// Pages of the services the withdrawn belonged to (which list their
    /// participants).
    pub service_pages: usize,
}

/// A verbatim quote.
#[derive(Clone, Debug, Serialize)]
pub struct Quote {
    /// Id.
    pub id: String,
    /// Index into [`Study::participants`].
    #[serde(skip)]
    pub participant: usize,
    /// What was said; shared, so that copying a study (as `serve` does
    /// between builds) does not copy every quote's words.
    #[serde(skip)]
    pub content: std::sync::Arc<QuoteContent>,
    /// The printed attribution, derived from the study's format.
    pub attribution: String,
    /// Where the narrative places it, if anywhere.
    #[serde(skip)]
    pub placement: Option<Placement>,
}

/// What a quote says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuoteContent {
    /// The participant's words.
    Text(String),
    /// An exchange with the interviewer.
    Turns(Vec<Turn>),
}

/// One turn of an exchange.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Turn {
    /// Who speaks.
    pub speaker: Speaker,
    /// What they say.
    pub text: String,
}

/// Who speaks in a turn (`interviewer` or `participant` in templates).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Speaker {
    /// The interviewer.
    Interviewer,
    /// The quote's participant.
    Participant,
}

/// Where a quote stands in the narrative.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// In a section (index into [`Study::sections`]).
    Section(usize),
    /// In a theme, before its first subtheme or in a subtheme.
    Theme {
        /// Index into [`Study::themes`].
        theme: usize,
        /// Index into [`Theme::subthemes`], if in one.
        subtheme: Option<usize>,
    },
}

/// An entry of the reference list.
#[derive(Clone, Debug, Serialize)]
pub struct Reference {
    /// Id used in citations.
    pub id: String,
    /// Author part of an in-text citation.
    pub cite_as: String,
    /// Year part of an in-text citation.
    pub year: String,
    /// The full entry, inline Markdown.
    pub entry: String,
    /// A link, if given (checked to be http or https).
    pub url: Option<String>,
}

/// A narrative section.
#[derive(Clone, Debug, Serialize)]
pub struct Section {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Whether the themes are presented after this section.
    pub findings: bool,
    /// Its content.
    #[serde(skip)]
    pub blocks: Vec<Block>,
}

/// A results theme.
#[derive(Clone, Debug, Serialize)]
pub struct Theme {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Narrative before the first subtheme.
    #[serde(skip)]
    pub intro: Vec<Block>,
    /// Subthemes, in order.
    #[serde(skip)]
    pub subthemes: Vec<Subtheme>,
}

/// A subtheme of a theme.
#[derive(Clone, Debug, Serialize)]
pub struct Subtheme {
    /// Id (the heading's anchor).
    pub id: String,
    /// Title.
    pub title: String,
    /// Its content.
    #[serde(skip)]
    pub blocks: Vec<Block>,
}

/// A piece of narrative.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// Markdown prose (may contain citations).
    Markdown(String),
    /// A quote (index into [`Study::quotes`]).
    Quote(usize),
    /// A derived table.
    Table(TableKind),
    /// The study's figures.
    Figures,
    /// A chart (index into [`Study::charts`]).
    Chart(usize),
}

/// The tables a narrative can place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableKind {
    /// The typology.
    Typology,
    /// The sample.
    Sample,
    /// The role categories.
    Roles,
}

impl TableKind {
    /// Every table, with the name a directive uses.
    pub const ALL: [(&'static str, Self); 3] = [
        ("typology", Self::Typology),
        ("sample", Self::Sample),
        ("roles", Self::Roles),
    ];

    /// The name a directive uses, and templates receive.
    #[must_use]
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, kind)| *kind == self)
            .map_or("", |(name, _)| name)
    }
}

/// A chart declared by the study.
#[derive(Clone, Debug, Serialize)]
pub struct Chart {
    /// Id.
    pub id: String,
    /// Title, if given (else the label templates' `labels.chart_title`).
    pub title: Option<String>,
    /// A sentence saying what the chart shows, if given.
    pub description: Option<String>,
    /// What it counts.
    #[serde(skip)]
    pub spec: ChartSpec,
}

/// What a chart counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChartSpec {
    /// Participants grouped by a field, optionally stacked by a second.
    Participants {
        /// The grouping.
        by: Field,
        /// The stacking, if any.
        stack: Option<Field>,
    },
    /// Quotes per theme or subtheme, optionally split by a field.
    Quotes {
        /// Themes or subthemes.
        per: Grouping,
        /// Only the subthemes of this theme (index into [`Study::themes`]).
        theme: Option<usize>,
        /// The split, if any.
        split: Option<Field>,
    },
    /// How many quotes each participant contributes to each theme or subtheme.
    Matrix {
        /// Themes or subthemes as rows.
        rows: Grouping,
    },
    /// Figures stated as ranges (indexes into [`Study::figures`]).
    Ranges {
        /// The figures, in order.
        figures: Vec<usize>,
    },
}

/// A kind of chart, as `kind:` names it in `charts.yaml`. [`CHART_KINDS`]
/// is the one table that says, for each, its name, the keys it takes and
/// needs, and what its numbers are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    /// Participants grouped by a field, optionally stacked by a second.
    Participants,
    /// Quotes per theme or subtheme, optionally split by a field.
    Quotes,
    /// Quotes per participant in each theme or subtheme.
    Matrix,
    /// Figures stated as ranges.
    Ranges,
}

/// A key of a chart declaration that only some kinds take (every chart
/// has `id`, `title`, `kind` and may have `description`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKey {
    /// `by`: the field to group participants by.
    By,
    /// `stack`: the field to stack participants by.
    Stack,
    /// `per`: theme or subtheme.
    Per,
    /// `split`: the field to split quotes by.
    Split,
    /// `theme`: only this theme's subthemes.
    Theme,
    /// `rows`: theme or subtheme.
    Rows,
    /// `figures`: the ids of figures stated as ranges.
    Figures,
}

/// What a [`ChartKey`] holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartValue {
    /// A categorical [`Field`]'s name.
    Field,
    /// `theme` or `subtheme` (a [`Grouping`]).
    Grouping,
    /// A theme's id.
    Theme,
    /// A list of figure ids.
    Figures,
}

impl ChartKey {
    /// Every key, in the order a declaration is checked.
    pub const ALL: [Self; 7] = [
        Self::By,
        Self::Stack,
        Self::Per,
        Self::Split,
        Self::Theme,
        Self::Rows,
        Self::Figures,
    ];

    /// The key as `charts.yaml` writes it.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::By => "by",
            Self::Stack => "stack",
            Self::Per => "per",
            Self::Split => "split",
            Self::Theme => "theme",
            Self::Rows => "rows",
            Self::Figures => "figures",
        }
    }

    /// What the key holds.
    #[must_use]
    pub const fn value(self) -> ChartValue {
        match self {
            Self::By | Self::Stack | Self::Split => ChartValue::Field,
            Self::Per | Self::Rows => ChartValue::Grouping,
            Self::Theme => ChartValue::Theme,
            Self::Figures => ChartValue::Figures,
        }
    }
}

/// Whether a kind of chart needs a key or may leave it out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// The chart cannot be drawn without it.
    Required,
    /// It refines the chart.
    Optional,
}

/// One row of [`CHART_KINDS`].
#[derive(Clone, Copy, Debug)]
pub struct ChartKindFacts {
    /// The kind.
    pub kind: ChartKind,
    /// Its name in `charts.yaml`.
    pub name: &'static str,
    /// The keys it takes, in the order messages list them.
    pub keys: &'static [(ChartKey, Need)],
    /// What its numbers count or show, for an axis ("Number of quotes").
    pub counts: &'static str,
}

/// The kinds of chart: the one place that names them and says what each
/// takes. Validation, tabulation and drawing match on [`ChartKind`] (and
/// [`ChartSpec`]), so a new kind is a new row here and a new arm wherever
/// the compiler asks for one.
pub const CHART_KINDS: [ChartKindFacts; 4] = [
    ChartKindFacts {
        kind: ChartKind::Participants,
        name: "participants",
        keys: &[(ChartKey::By, Need::Required), (ChartKey::Stack, Need::Optional)],
        counts: "participants",
    },
    ChartKindFacts {
        kind: ChartKind::Quotes,
        name: "quotes",
        keys: &[
            (ChartKey::Per, Need::Required),
            (ChartKey::Theme, Need::Optional),
            (ChartKey::Split, Need::Optional),
        ],
        counts: "quotes",
    },
    ChartKindFacts {
        kind: ChartKind::Matrix,
        name: "matrix",
        keys: &[(ChartKey::Rows, Need::Required)],
        counts: "quotes",
    },
    ChartKindFacts {
        kind: ChartKind::Ranges,
        name: "ranges",
        keys: &[(ChartKey::Figures, Need::Required)],
        counts: "figures",
    },
];

impl ChartKind {
    /// Its row of [`CHART_KINDS`].
    #[must_use]
    pub const fn facts(self) -> &'static ChartKindFacts {
        &CHART_KINDS[self as usize]
    }

    /// The kind `kind:` names, if any.
    #[must_use]
    pub fn named(name: &str) -> Option<Self> {
        CHART_KINDS
            .iter()
            .find(|facts| facts.name == name)
            .map(|facts| facts.kind)
    }

    /// Its name in `charts.yaml`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        self.facts().name
    }

    /// What its numbers count or show.
    #[must_use]
    pub const fn counts(self) -> &'static str {
        self.facts().counts
    }

    /// Whether it takes `key`, and if so whether it needs it.
    #[must_use]
    pub fn need(self, key: ChartKey) -> Option<Need> {
        self.facts()
            .keys
            .iter()
            .find(|(known, _)| *known == key)
            .map(|(_, need)| *need)
    }
}

/// Themes or subthemes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grouping {
    /// One row or bar per theme.
    Theme,
    /// One row or bar per subtheme.
    Subtheme,
}

impl Study {
    /// The name of `field`: a relation's, or the attribute's id.
    #[must_use]
    pub fn field_name(&self, field: Field) -> &str {
        match field {
            Field::Relation(relation) => relation.name(),
            Field::Attribute(index) => &self.attributes[index].id,
        }
    }

    /// What `field` shows for `participant`, as text: names for relations,
    /// category labels for attributes.
    #[must_use]
    pub fn value_of<'a>(&'a self, participant: &'a Participant, field: Field) -> &'a str {
        let service = &self.services[participant.service];
        match field {
            Field::Relation(Relation::Participant) => &participant.id,
            Field::Relation(Relation::Service) => service.short_name(),
            Field::Relation(Relation::ServiceDescription) => &service.description,
            Field::Relation(Relation::Role) => &self.roles.roles[participant.role].name,
            Field::Relation(Relation::RoleDescription) => &participant.role_description,
            Field::Relation(Relation::OrganisationType) => &self.organisation_types[service.organisation_type].name,
            Field::Relation(Relation::Model) => &self.typology.models[service.model].name,
            Field::Attribute(index) => attribute_text(&self.attributes[index], &participant.values[index]),
        }
    }

    /// How many participants gave each consent (the withdrawn included).
    #[must_use]
    pub fn consent_counts(&self) -> ConsentCounts {
        let given = |consent| {
            self.participants
                .iter()
                .filter(|participant| participant.consent == consent)
                .count()
        };
        ConsentCounts {
            quote: given(Consent::Quote),
            no_quote: given(Consent::NoQuote),
            withdrawn: self.withdrawn.len(),
        }
    }

    /// The services that have at least one participant in the study
    /// (the withdrawn not counted), by index, in order.
    #[must_use]
    pub fn services_with_participants(&self) -> Vec<usize> {
        let mut found = vec![false; self.services.len()];
        for participant in &self.participants {
            found[participant.service] = true;
        }
        (0..self.services.len()).filter(|&service| found[service]).collect()
    }

    /// The views the withdrawn participants would have been in and were
    /// left out of, besides the sample table and their own pages.
    #[must_use]
    pub fn withdrawn_views(&self) -> WithdrawnViews {
        if self.withdrawn.is_empty() {
            return WithdrawnViews::default();
        }
        let charts = self
            .charts
            .iter()
            .filter(|chart| matches!(chart.spec, ChartSpec::Participants { .. } | ChartSpec::Matrix { .. }))
            .count();
        let mut services: Vec<usize> = self.withdrawn.iter().map(|withdrawn| withdrawn.service).collect();
        services.sort_unstable();
        services.dedup();
        WithdrawnViews {
            charts,
            service_pages: services.len(),
        }
    }
}

/// The heading a field has when the study gives none: the attribute's
/// label, or, for a relation, none (empty): the label templates word it
/// (`labels.field_heading`).
#[must_use]
pub fn default_heading(attributes: &[Attribute], field: Field) -> String {
    match field {
        Field::Relation(_) => String::new(),
        Field::Attribute(index) => attributes
            .get(index)
            .map(|attribute| attribute.label.clone())
            .unwrap_or_default(),
    }
}

/// The text of an attribute's value: the category's label, or the text.
#[must_use]
pub fn attribute_text<'a>(attribute: &'a Attribute, value: &'a AttributeValue) -> &'a str {
    match (value, &attribute.kind) {
        (AttributeValue::Text(text), _) => text,
        (AttributeValue::Category(index), AttributeKind::Categories(categories)) => {
            categories.get(*index).map_or("", |category| category.label.as_str())
        }
        (AttributeValue::Category(_), AttributeKind::Text) => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consent_values_are_in_the_order_of_the_enum() {
        for (index, (consent, name, meaning)) in Consent::ALL.iter().enumerate() {
            assert_eq!(*consent as usize, index, "{name}");
            assert_eq!(Consent::named(name), Some(*consent));
            assert_eq!(consent.name(), *name);
            assert_eq!(consent.meaning(), *meaning);
        }
        assert_eq!(Consent::named("yes"), None);
        assert!(Consent::Quote.may_be_quoted());
        assert!(!Consent::NoQuote.may_be_quoted());
        assert!(!Consent::Withdrawn.may_be_quoted());
    }

    /// docs/data-format.md names every consent value.
    #[test]
    fn every_consent_value_is_documented() {
        let documentation = include_str!("../docs/data-format.md");
        for (_, name, _) in Consent::ALL {
            assert!(
                documentation.contains(&format!("`{name}`")),
                "docs/data-format.md does not name consent `{name}`"
            );
        }
    }

    #[test]
    fn the_table_of_chart_kinds_is_in_the_order_of_the_enum() {
        for (index, facts) in CHART_KINDS.iter().enumerate() {
            assert_eq!(facts.kind as usize, index, "{}", facts.name);
            assert_eq!(ChartKind::named(facts.name), Some(facts.kind));
            assert!(
                facts.keys.iter().any(|(_, need)| *need == Need::Required),
                "{}",
                facts.name
            );
        }
        assert_eq!(ChartKind::named("pie"), None);
    }

    /// docs/data-format.md shows every kind with the keys it takes.
    #[test]
    fn every_chart_kind_is_documented() {
        let documentation = include_str!("../docs/data-format.md");
        for facts in &CHART_KINDS {
            assert!(
                documentation.contains(&format!("kind: {}\n", facts.name)),
                "docs/data-format.md shows no `kind: {}`",
                facts.name
            );
            for (key, _) in facts.keys {
                assert!(
                    documentation.contains(&format!("    {}: ", key.name())),
                    "docs/data-format.md shows no `{}:`",
                    key.name()
                );
            }
        }
    }
}
