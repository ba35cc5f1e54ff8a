//! Disclosure risk of what the site publishes: k-anonymity of each view.
//!
//! Input: the validated [`Study`] only (so a participant the study leaves
//! out is left out here by construction). Output: a [`Report`] of every
//! view that publishes something beside a participant (the sample table,
//! the attribution, participant pages, service pages, each chart that
//! counts participants by a field), with the smallest group of participants
//! who share the published combination of values (`k`) and the groups
//! smaller than the study's threshold; and the [`Diagnostic`]s of the views
//! below it, which make `check` and `build` fail. Pure: no I/O.
//!
//! The published pseudonymous id is not a quasi-identifier; every other
//! field shown beside a participant is. A view that shows no
//! quasi-identifier cannot single anyone out: its `k` is every participant
//! it shows. Messages name views, field names, declared category labels
//! and participant ids (pseudonyms), never the value of a free-text field.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, Location, Rule, Severity};
use crate::editorial::{Marks, quote_marks};
use crate::model::{ChartSpec, Field, Relation, Study};
use crate::tabulate::{row_of, rows as quote_rows};

pub const DISCLOSURE_RISK: Rule = Rule {
    id: "E340",
    name: "disclosure-risk",
    severity: Severity::Error,
    summary: "A view of the site publishes a combination of participant fields that fewer than `k` participants share.",
    why: "A reader who knows a few facts about someone (their role, their kind of employer, their gender) can tell whether they took part, and which quotes are theirs, when the site shows that combination beside fewer than `privacy: { k }` participants. Coarsen a value (merge categories), drop the column or field from the view, or lower `k` in `study.yaml` with a reason.",
};

pub const SMALL_CHART_CELL: Rule = Rule {
    id: "E341",
    name: "small-chart-cell",
    severity: Severity::Error,
    summary: "A chart has a cell that counts fewer than `k` participants (but at least one).",
    why: "A chart cell that counts one participant (or fewer than `privacy: { k }`) tells a reader the fields of that participant as surely as a table row does. Merge categories, chart by a coarser field, or lower `k` in `study.yaml` with a reason.",
};

/// A group before it is named: a chart cell's labels (none for a table
/// or page) and its participants (indexes).
type Cell = (Vec<String>, Vec<usize>);

/// What kind of published view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ViewKind {
    /// The sample table: one row per participant, with its columns.
    SampleTable,
    /// The attribution under each quote (only quoted participants).
    Attribution,
    /// Each participant's page, with its fields.
    ParticipantPage,
    /// Each service's page: the service, its fields, and the participants
    /// it lists with their role and what they do.
    ServicePage,
    /// A chart: each cell counts participants (or, split by a field, the
    /// participants behind a theme's quotes).
    Chart,
}

/// One group of participants below the threshold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Group {
    /// A chart cell's category labels (declared labels); empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cell: Vec<String>,
    /// The ids of the participants in the group, in sample-table order.
    pub participants: Vec<String>,
}

/// The disclosure risk of one view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct View {
    /// What kind of view.
    pub kind: ViewKind,
    /// The chart's id, for a chart.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chart: Option<String>,
    /// How messages name it ("the sample table", "chart `roles`").
    pub name: String,
    /// The quasi-identifiers it publishes (field names), in order.
    pub fields: Vec<String>,
    /// How many participants it shows.
    pub participants: usize,
    /// The size of the smallest group sharing one published combination.
    pub k: usize,
    /// Every group (for a chart, every cell that counts someone), in the
    /// order of their first participant in the sample table.
    pub groups: Vec<Group>,
    /// The groups smaller than the threshold, in the same order.
    pub below: Vec<Group>,
}

impl View {
    /// Whether every group reaches the threshold.
    #[must_use]
    pub fn meets_threshold(&self) -> bool {
        self.below.is_empty()
    }
}

pub use crate::model::ConsentCounts;

/// The editorial marks of one quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuoteMarks {
    /// The quote's id.
    pub quote: String,
    /// Its marks.
    #[serde(flatten)]
    pub marks: Marks,
}

/// The editorial marks of the study.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EditorialMarks {
    /// Across every quote.
    pub total: Marks,
    /// Each quote that has marks, most marks first (then in file order).
    pub quotes: Vec<QuoteMarks>,
}

/// The disclosure-risk report of a study: what `findings privacy` prints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The threshold the study requires (`privacy: { k }`).
    pub k_required: usize,
    /// Whether every view meets it.
    pub meets_threshold: bool,
    /// Every view that publishes fields beside participants.
    pub views: Vec<View>,
    /// How many participants gave each consent.
    pub consent: ConsentCounts,
    /// How many quotes the study has.
    pub quotes: usize,
    /// The editorial marks.
    pub editorial_marks: EditorialMarks,
}

/// The disclosure-risk report of `study`.
#[must_use]
pub fn report(study: &Study) -> Report {
    let views = views(study);
    Report {
        k_required: study.privacy.k,
        meets_threshold: views.iter().all(View::meets_threshold),
        views,
        consent: study.consent_counts(),
        quotes: study.quotes.len(),
        editorial_marks: editorial_marks(study),
    }
}

/// Where each view is declared: the place its diagnostic points at (the
/// first column or field of a table or page, the attribution format, a
/// chart's id). A view without one points at its file.
#[derive(Clone, Debug, Default)]
pub struct Places {
    /// The sample table's first column.
    pub sample_table: Option<Location>,
    /// The participant page's first field.
    pub participant_page: Option<Location>,
    /// The service page's first field.
    pub service_page: Option<Location>,
    /// The attribution format.
    pub attribution: Option<Location>,
    /// Each chart's id, by id.
    pub charts: Vec<(String, Location)>,
}

impl Places {
    fn of(&self, view: &View) -> Location {
        let declared = match view.kind {
            ViewKind::SampleTable => self.sample_table.as_ref(),
            ViewKind::ParticipantPage => self.participant_page.as_ref().or(self.sample_table.as_ref()),
            ViewKind::ServicePage => self.service_page.as_ref().or(self.sample_table.as_ref()),
            ViewKind::Attribution => self.attribution.as_ref(),
            ViewKind::Chart => self
                .charts
                .iter()
                .find(|(id, _)| Some(id) == view.chart.as_ref())
                .map(|(_, place)| place),
        };
        declared.cloned().unwrap_or_else(|| Location::file(declared_in(view)))
    }
}

/// The diagnostics of the views of `study` below its threshold, placed
/// where `places` says each view is declared.
#[must_use]
pub fn diagnostics(study: &Study, places: &Places) -> Vec<Diagnostic> {
    views(study)
        .iter()
        .filter(|view| !view.meets_threshold())
        .map(|view| diagnostic(view, study.privacy.k).at(places.of(view)))
        .collect()
}

/// Every view of `study` that publishes fields beside participants.
#[must_use]
pub fn views(study: &Study) -> Vec<View> {
    let everyone: Vec<usize> = (0..study.participants.len()).collect();
    // One pass over the quotes, not one per participant.
    let mut has_quote = vec![false; study.participants.len()];
    for quote in &study.quotes {
        has_quote[quote.participant] = true;
    }
    let quoted: Vec<usize> = everyone
        .iter()
        .copied()
        .filter(|participant| has_quote[*participant])
        .collect();
    let columns = |columns: &[crate::model::Column]| columns.iter().map(|column| column.field).collect::<Vec<_>>();
    let mut views = vec![
        table_view(
            study,
            ViewKind::SampleTable,
            "the sample table",
            &shown(&columns(&study.sample_table.columns), ViewKind::SampleTable),
            &everyone,
        ),
        table_view(
            study,
            ViewKind::Attribution,
            "the attribution",
            &shown(&study.attribution_fields, ViewKind::Attribution),
            &quoted,
        ),
        table_view(
            study,
            ViewKind::ParticipantPage,
            "each participant page",
            &shown(&columns(&study.participant_page), ViewKind::ParticipantPage),
            &everyone,
        ),
    ];
    let mut service_fields = vec![Field::Relation(Relation::Service)];
    service_fields.extend(columns(&study.service_page));
    service_fields.push(Field::Relation(Relation::Role));
    views.push(table_view(
        study,
        ViewKind::ServicePage,
        "each service page",
        &shown(&service_fields, ViewKind::ServicePage),
        &everyone,
    ));
    views.extend(study.charts.iter().filter_map(|chart| chart_view(study, chart)));
    views
}

/// The quasi-identifiers a view of `kind` shows for `fields`, as the
/// built-in templates print them: without the participant's id, with the
/// role's description beside the role in tables and pages, and with the
/// organisation type before a service's description on pages; each once.
fn shown(fields: &[Field], kind: ViewKind) -> Vec<Field> {
    let mut shown = Vec::new();
    let mut add = |field: Field| {
        if field != Field::Relation(Relation::Participant) && !shown.contains(&field) {
            shown.push(field);
        }
    };
    for field in fields {
        add(*field);
        match (field, kind) {
            (
                Field::Relation(Relation::Role),
                ViewKind::SampleTable | ViewKind::ParticipantPage | ViewKind::ServicePage,
            ) => add(Field::Relation(Relation::RoleDescription)),
            (Field::Relation(Relation::ServiceDescription), ViewKind::ParticipantPage | ViewKind::ServicePage) => {
                add(Field::Relation(Relation::OrganisationType));
            }
            _ => {}
        }
    }
    shown
}

/// A view that shows `fields` beside each of `population`.
fn table_view(study: &Study, kind: ViewKind, name: &str, fields: &[Field], population: &[usize]) -> View {
    let groups = ordered(
        study,
        group(study, fields, population)
            .into_values()
            .map(|members| (Vec::new(), members)),
    );
    View {
        kind,
        chart: None,
        name: name.to_owned(),
        fields: field_names(study, fields),
        participants: population.len(),
        k: smallest(&groups),
        below: below(&groups, study.privacy.k),
        groups,
    }
}

/// The view of a chart whose cells count participants by a field (a
/// participants chart, or a quotes chart split by a field); `None` for a
/// chart that shows no quasi-identifier.
fn chart_view(study: &Study, chart: &crate::model::Chart) -> Option<View> {
    let (fields, cells): (Vec<Field>, Vec<Cell>) = match &chart.spec {
        ChartSpec::Participants { by, stack } => {
            let fields = shown(
                &[Some(*by), *stack].into_iter().flatten().collect::<Vec<_>>(),
                ViewKind::Chart,
            );
            let everyone: Vec<usize> = (0..study.participants.len()).collect();
            let cells = group(study, &fields, &everyone)
                .into_iter()
                .map(|(labels, members)| (labels.into_iter().map(str::to_owned).collect(), members))
                .collect();
            (fields, cells)
        }
        ChartSpec::Quotes {
            per,
            theme,
            split: Some(split),
        } => {
            let fields = shown(&[*split], ViewKind::Chart);
            let (rows, keys) = quote_rows(study, *per, *theme);
            let mut cells = Vec::new();
            for (row, label) in rows.iter().enumerate() {
                let mut behind: Vec<usize> = study
                    .quotes
                    .iter()
                    .filter(|quote| row_of(&keys, *per, quote.placement) == Some(row))
                    .map(|quote| quote.participant)
                    .collect();
                behind.sort_unstable();
                behind.dedup();
                cells.extend(group(study, &fields, &behind).into_iter().map(|(labels, members)| {
                    let mut cell = vec![label.clone()];
                    cell.extend(labels.into_iter().map(str::to_owned));
                    (cell, members)
                }));
            }
            (fields, cells)
        }
        ChartSpec::Quotes { split: None, .. } | ChartSpec::Matrix { .. } | ChartSpec::Ranges { .. } => return None,
    };
    if fields.is_empty() {
        return None;
    }
    let mut shown_participants: Vec<usize> = cells.iter().flat_map(|(_, members)| members.iter().copied()).collect();
    shown_participants.sort_unstable();
    shown_participants.dedup();
    let groups = ordered(study, cells.into_iter());
    Some(View {
        kind: ViewKind::Chart,
        chart: Some(chart.id.clone()),
        name: format!("chart `{}`", chart.id),
        fields: field_names(study, &fields),
        participants: shown_participants.len(),
        k: smallest(&groups),
        below: below(&groups, study.privacy.k),
        groups,
    })
}

/// The participants of `population` grouped by the values `fields` show
/// for them (one group of everyone when `fields` is empty).
fn group<'a>(study: &'a Study, fields: &[Field], population: &[usize]) -> BTreeMap<Vec<&'a str>, Vec<usize>> {
    let mut groups: BTreeMap<Vec<&str>, Vec<usize>> = BTreeMap::new();
    for participant in population {
        let record = &study.participants[*participant];
        let key = fields.iter().map(|field| study.value_of(record, *field)).collect();
        groups.entry(key).or_default().push(*participant);
    }
    groups
}

/// The groups that count someone (with their cell labels), in the order
/// of their first participant, as ids.
fn ordered(study: &Study, groups: impl Iterator<Item = Cell>) -> Vec<Group> {
    let mut counted: Vec<Cell> = groups.filter(|(_, members)| !members.is_empty()).collect();
    counted.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    counted
        .into_iter()
        .map(|(cell, members)| Group {
            cell,
            participants: members
                .iter()
                .map(|participant| study.participants[*participant].id.clone())
                .collect(),
        })
        .collect()
}

/// The size of the smallest group; 0 when there is none.
fn smallest(groups: &[Group]) -> usize {
    groups.iter().map(|group| group.participants.len()).min().unwrap_or(0)
}

/// The groups smaller than `k`.
fn below(groups: &[Group], k: usize) -> Vec<Group> {
    groups
        .iter()
        .filter(|group| group.participants.len() < k)
        .cloned()
        .collect()
}

fn field_names(study: &Study, fields: &[Field]) -> Vec<String> {
    fields.iter().map(|field| study.field_name(*field).to_owned()).collect()
}

/// The file where a view is declared, for the diagnostic's place.
fn declared_in(view: &View) -> &'static str {
    match view.kind {
        ViewKind::SampleTable | ViewKind::ParticipantPage | ViewKind::ServicePage => "participants.yaml",
        ViewKind::Attribution => "study.yaml",
        ViewKind::Chart => "charts.yaml",
    }
}

/// The diagnostic of a view below the threshold `k`, not yet placed.
fn diagnostic(view: &View, k: usize) -> Diagnostic {
    let fields = view
        .fields
        .iter()
        .map(|field| format!("`{field}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let groups = groups_text(&view.below);
    let (code, message, help) = if view.kind == ViewKind::Chart {
        (
            Code::SmallChartCell,
            format!(
                "{} (by {fields}) has cells counting fewer than {k} participants (smallest: {}): {groups}",
                view.name, view.k
            ),
            "merge categories, chart by a coarser field, or lower `privacy: { k }` in study.yaml and say why in the paper's methods",
        )
    } else {
        (
            Code::DisclosureRisk,
            format!(
                "{} shows {fields} beside each participant; k is {}, the study requires {k}; groups of fewer than {k}: {groups}",
                view.name, view.k
            ),
            "coarsen a value (merge categories), drop a column or field from the view, or lower `privacy: { k }` in study.yaml and say why in the paper's methods",
        )
    };
    Diagnostic::new(code, message).help(help)
}

/// Groups as text: `{1a, 1b} {2}`, or for chart cells `Statutory × FT {1a, 1b}; …`.
fn groups_text(groups: &[Group]) -> String {
    let texts: Vec<String> = groups
        .iter()
        .map(|group| {
            let ids = group.participants.join(", ");
            if group.cell.is_empty() {
                format!("{{{ids}}}")
            } else {
                format!("{} {{{ids}}}", group.cell.join(" × "))
            }
        })
        .collect();
    let separator = if groups.iter().any(|group| !group.cell.is_empty()) {
        "; "
    } else {
        " "
    };
    texts.join(separator)
}

/// The editorial marks of every quote.
fn editorial_marks(study: &Study) -> EditorialMarks {
    let mut total = Marks::default();
    let mut quotes: Vec<QuoteMarks> = Vec::new();
    for quote in &study.quotes {
        let marks = quote_marks(&quote.content);
        total += marks;
        if marks.total() > 0 {
            quotes.push(QuoteMarks {
                quote: quote.id.clone(),
                marks,
            });
        }
    }
    quotes.sort_by_key(|quote| std::cmp::Reverse(quote.marks.total()));
    EditorialMarks { total, quotes }
}

/// The report as text for a terminal.
#[must_use]
pub fn human(report: &Report) -> String {
    let mut text = format!(
        "Disclosure risk, for the research team only (do not publish this report).\nThreshold: k = {} (privacy: {{ k }} in study.yaml): each combination of values a view shows beside participants must be shared by at least k of them.\n\n",
        report.k_required
    );
    for view in &report.views {
        let fields = if view.fields.is_empty() {
            "no participant field".to_owned()
        } else {
            view.fields.join(", ")
        };
        let verdict = if view.meets_threshold() { "ok" } else { "BELOW k" };
        text.push_str(&format!(
            "{}\n  fields: {fields}\n  k = {} ({} participants shown) {verdict}\n",
            view.name, view.k, view.participants
        ));
        let label = if view.kind == ViewKind::Chart {
            "cells"
        } else {
            "groups"
        };
        text.push_str(&format!("  {label}: {}\n", groups_text(&view.groups)));
        if !view.below.is_empty() {
            text.push_str(&format!(
                "  below k = {}: {}\n",
                report.k_required,
                groups_text(&view.below)
            ));
        }
        text.push('\n');
    }
    let consent = report.consent;
    text.push_str(&format!(
        "Consent: {} may be quoted, {} not quoted, {} withdrawn\n",
        consent.quote, consent.no_quote, consent.withdrawn
    ));
    let marks = &report.editorial_marks;
    text.push_str(&format!(
        "Editorial marks: {} in {} of {} quotes (descriptions: {}, elisions: {})\n",
        marks.total.total(),
        marks.quotes.len(),
        report.quotes,
        marks.total.descriptions,
        marks.total.elisions,
    ));
    for quote in &marks.quotes {
        text.push_str(&format!(
            "  {}: {} (descriptions: {}, elisions: {})\n",
            quote.quote,
            quote.marks.total(),
            quote.marks.descriptions,
            quote.marks.elisions
        ));
    }
    let verdict = if report.meets_threshold {
        "Every view meets k.".to_owned()
    } else {
        let below = report.views.iter().filter(|view| !view.meets_threshold()).count();
        let views = if below == 1 { "view" } else { "views" };
        format!("{below} {views} below k.")
    };
    text.push_str(&format!("\n{verdict}\n"));
    text
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::model::{AttributeValue, Column};

    /// The valid fixture: 1a (practitioner, F, FT) and 1b (manager, M, PT)
    /// in service 1, 2 (practitioner, F, FT) in service 2; each quoted once.
    fn valid_study() -> Study {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
        crate::check_study(&folder).unwrap().study.unwrap()
    }

    fn view(views: &[View], kind: ViewKind) -> &View {
        views.iter().find(|view| view.kind == kind).unwrap()
    }

    fn ids(groups: &[Group]) -> Vec<Vec<&str>> {
        groups
            .iter()
            .map(|group| group.participants.iter().map(String::as_str).collect())
            .collect()
    }

    fn only(study: &mut Study, fields: &[Field]) {
        study.sample_table.columns = fields
            .iter()
            .map(|field| Column {
                field: *field,
                heading: String::new(),
            })
            .collect();
    }

    const GENDER: Field = Field::Attribute(0);
    const CONTRACT: Field = Field::Attribute(1);

    #[test]
    fn k_is_the_smallest_group_sharing_what_a_view_shows() {
        let mut study = valid_study();
        only(&mut study, &[GENDER, CONTRACT]);
        let views = views(&study);
        let table = view(&views, ViewKind::SampleTable);
        assert_eq!(table.fields, ["gender", "contract"]);
        assert_eq!(ids(&table.groups), [vec!["1a", "2"], vec!["1b"]]);
        assert_eq!((table.k, table.participants), (1, 3));
        assert!(table.below.is_empty(), "k = 1 in the fixture");
    }

    #[test]
    fn groups_below_the_threshold_are_named_by_id_in_sample_order() {
        let mut study = valid_study();
        only(&mut study, &[Field::Relation(Relation::Participant), GENDER]);
        study.privacy.k = 2;
        let table = view(&views(&study), ViewKind::SampleTable).clone();
        assert_eq!(table.fields, ["gender"], "the id is no quasi-identifier");
        assert_eq!(ids(&table.below), [vec!["1b"]]);
        // Ties: two groups of the smallest size are both below.
        study.participants[0].values[0] = AttributeValue::Category(1);
        study.privacy.k = 3;
        let tied = view(&views(&study), ViewKind::SampleTable).clone();
        assert_eq!(tied.k, 1);
        assert_eq!(ids(&tied.groups), [vec!["1a", "1b"], vec!["2"]]);
        assert_eq!(ids(&tied.below), [vec!["1a", "1b"], vec!["2"]]);
    }

    #[test]
    fn a_view_without_quasi_identifiers_hides_everyone_among_everyone() {
        let mut study = valid_study();
        only(&mut study, &[Field::Relation(Relation::Participant)]);
        study.privacy.k = 3;
        let table = view(&views(&study), ViewKind::SampleTable).clone();
        assert!(table.fields.is_empty());
        assert_eq!(table.k, 3);
        assert!(table.meets_threshold());
    }

    #[test]
    fn tables_and_pages_show_the_role_description_beside_the_role() {
        let study = valid_study();
        let views = views(&study);
        let table = view(&views, ViewKind::SampleTable);
        assert!(table.fields.contains(&"role_description".to_owned()));
        let attribution = view(&views, ViewKind::Attribution);
        assert_eq!(attribution.fields, ["role", "organisation_type", "model"]);
        let service_page = view(&views, ViewKind::ServicePage);
        assert_eq!(&service_page.fields[..1], ["service"]);
        assert!(
            service_page
                .fields
                .ends_with(&["role".to_owned(), "role_description".to_owned()])
        );
    }

    #[test]
    fn the_attribution_counts_only_quoted_participants() {
        let mut study = valid_study();
        study
            .quotes
            .retain(|quote| study.participants[quote.participant].id != "2");
        let attribution = view(&views(&study), ViewKind::Attribution).clone();
        assert_eq!(attribution.participants, 2);
        assert_eq!(ids(&attribution.groups), [vec!["1a"], vec!["1b"]]);
    }

    #[test]
    fn chart_cells_below_k_are_reported_with_their_labels() {
        let mut study = valid_study();
        study.privacy.k = 2;
        let views = views(&study);
        let by_model = views
            .iter()
            .find(|view| view.chart.as_deref() == Some("sample-by-model"))
            .unwrap();
        assert_eq!(by_model.fields, ["model", "organisation_type"]);
        assert_eq!(by_model.k, 1);
        assert_eq!(by_model.below.len(), 1);
        assert_eq!(by_model.below[0].participants, ["2"]);
        assert_eq!(by_model.below[0].cell.len(), 2, "{:?}", by_model.below[0].cell);
        // A quotes chart split by a field counts the participants behind
        // each theme's quotes; a chart of ranges shows no participant.
        let per_subtheme = views
            .iter()
            .find(|view| view.chart.as_deref() == Some("quotes-per-subtheme"))
            .unwrap();
        assert_eq!(per_subtheme.fields, ["role"]);
        assert!(per_subtheme.groups.iter().all(|group| group.cell.len() == 2));
        assert!(!views.iter().any(|view| view.chart.as_deref() == Some("durations")));
    }

    #[test]
    fn diagnostics_name_views_fields_and_ids_never_free_text() {
        let mut study = valid_study();
        study.privacy.k = 2;
        let found = diagnostics(&study, &Places::default());
        let codes: Vec<Code> = found.iter().map(|diagnostic| diagnostic.code).collect();
        assert!(codes.contains(&Code::DisclosureRisk) && codes.contains(&Code::SmallChartCell));
        let table = found
            .iter()
            .find(|diagnostic| diagnostic.message.starts_with("the sample table"))
            .unwrap();
        assert!(table.message.contains("`gender`") && table.message.contains("{1a} {1b} {2}"));
        assert!(table.message.contains("k is 1, the study requires 2"));
        assert_eq!(table.location, Some(Location::file("participants.yaml")));
        for diagnostic in &found {
            for participant in &study.participants {
                assert!(
                    !diagnostic.message.contains(&participant.role_description),
                    "{}",
                    diagnostic.message
                );
            }
        }
        study.privacy.k = 1;
        assert!(diagnostics(&study, &Places::default()).is_empty());
    }

    #[test]
    fn editorial_marks_are_counted_most_first() {
        let study = valid_study();
        let marks = editorial_marks(&study);
        assert_eq!(marks.total.total(), 2);
        let quotes: Vec<&str> = marks.quotes.iter().map(|quote| quote.quote.as_str()).collect();
        assert_eq!(quotes, ["blank-page", "caseload"]);
    }

    #[test]
    fn the_report_says_whether_every_view_meets_k() {
        let mut study = valid_study();
        assert!(report(&study).meets_threshold);
        study.privacy.k = 2;
        let report = report(&study);
        assert!(!report.meets_threshold);
        // The valid fixture's three participants all consented to be quoted.
        let consent = report.consent;
        assert_eq!((consent.quote, consent.no_quote, consent.withdrawn), (3, 0, 0));
        let text = human(&report);
        assert!(text.contains("below k = 2"), "{text}");
        assert!(text.ends_with("views below k.\n"), "{text}");
    }
}
