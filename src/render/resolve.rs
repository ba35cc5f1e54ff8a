//! From the validated study to template views: quotes with their
//! participant and place, participants and services with their names
//! resolved, the sample table's groups, and formatted numbers. Paths come
//! from the registry of page kinds ([`PageKind::path`]). Who belongs to
//! what (a participant's quotes, a service's participants and quotes) is
//! looked up in an [`Index`] made once per study, never by scanning it.

use std::collections::BTreeMap;

use crate::editorial;
use crate::model::{Amount, Column, Field, Figure, Placement, Quote, QuoteContent, Relation, Study};
use crate::pages::PageKind;
use crate::render::context::{
    ColumnView, Columns, FigureView, PageLink, ParticipantView, QuoteView, SampleGroup, ServiceRow, ServiceView,
    TurnView,
};

/// Who belongs to what, made once per study so that views look records up
/// instead of scanning the study for them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Index {
    /// Each participant's quotes, in the order of the study.
    pub quotes_of_participant: Vec<Vec<usize>>,
    /// Each service's participants, in sample order.
    pub participants_of_service: Vec<Vec<usize>>,
    /// Each service's quotes, in the order of the study.
    pub quotes_of_service: Vec<Vec<usize>>,
    /// Whether each theme is split into a page per subtheme
    /// ([`crate::pages::is_split`]).
    pub split_themes: Vec<bool>,
}

impl Index {
    /// The index of `study`, in one pass over its participants and one over
    /// its quotes.
    #[must_use]
    pub fn new(study: &Study) -> Self {
        let mut index = Self {
            quotes_of_participant: vec![Vec::new(); study.participants.len()],
            participants_of_service: vec![Vec::new(); study.services.len()],
            quotes_of_service: vec![Vec::new(); study.services.len()],
            split_themes: study.themes.iter().map(crate::pages::is_split).collect(),
        };
        for (position, participant) in study.participants.iter().enumerate() {
            index.participants_of_service[participant.service].push(position);
        }
        for (position, quote) in study.quotes.iter().enumerate() {
            index.quotes_of_participant[quote.participant].push(position);
            index.quotes_of_service[study.participants[quote.participant].service].push(position);
        }
        index
    }
}

/// The anchor of a quote on the page that places it.
#[must_use]
pub fn quote_anchor(quote: &Quote) -> String {
    format!("quote-{}", quote.id)
}

/// Where a quote is placed, as a link with a readable title.
#[must_use]
pub fn quote_place(study: &Study, lookup: &Index, quote: &Quote) -> Option<PageLink> {
    let mut link = placement_link(study, lookup, quote.placement?);
    link.href = format!("{}#{}", link.href, quote_anchor(quote));
    Some(link)
}

/// The page (and its part) that `placement` puts a quote on, as a link
/// with a readable title, without the quote's anchor.
#[must_use]
pub fn placement_link(study: &Study, lookup: &Index, placement: Placement) -> PageLink {
    match placement {
        Placement::Section(section) => {
            let section = &study.sections[section];
            PageLink {
                kind: PageKind::Section.name(),
                id: section.id.clone(),
                title: section.title.clone(),
                href: PageKind::Section.path(&section.id),
            }
        }
        Placement::Theme {
            theme: position,
            subtheme,
        } => {
            let theme = &study.themes[position];
            let title = match subtheme {
                Some(subtheme) => format!("{} › {}", theme.title, theme.subthemes[subtheme].title),
                None => theme.title.clone(),
            };
            let href = match subtheme {
                Some(subtheme) if lookup.split_themes[position] => crate::pages::subtheme_path(&theme.id, subtheme + 1),
                _ => PageKind::Theme.path(&theme.id),
            };
            PageLink {
                kind: PageKind::Theme.name(),
                id: theme.id.clone(),
                title,
                href,
            }
        }
    }
}

/// A quote, ready for the quote partial.
#[must_use]
pub fn quote<'a>(study: &'a Study, lookup: &Index, index: usize) -> QuoteView<'a> {
    let quote = &study.quotes[index];
    let participant = &study.participants[quote.participant];
    let (text, segments, turns) = match &*quote.content {
        QuoteContent::Text(text) => (Some(text.trim_end()), editorial::segments(text.trim_end()), Vec::new()),
        QuoteContent::Turns(turns) => (
            None,
            Vec::new(),
            turns
                .iter()
                .map(|turn| TurnView {
                    speaker: turn.speaker,
                    text: turn.text.trim_end(),
                    segments: editorial::segments(turn.text.trim_end()),
                })
                .collect(),
        ),
    };
    QuoteView {
        quote,
        anchor: quote_anchor(quote),
        participant_id: &participant.id,
        participant_href: PageKind::Participant.path(&participant.id),
        text,
        segments,
        turns,
        place: quote_place(study, lookup, quote),
    }
}

/// A participant's row of the sample.
#[must_use]
pub fn participant<'a>(study: &'a Study, lookup: &Index, index: usize) -> ParticipantView<'a> {
    let participant = &study.participants[index];
    ParticipantView {
        participant,
        href: PageKind::Participant.path(&participant.id),
        role: &study.roles.roles[participant.role].name,
        values: (0..study.attributes.len())
            .map(|attribute| {
                let field = Field::Attribute(attribute);
                (study.field_name(field), study.value_of(participant, field))
            })
            .collect(),
        quote_count: lookup.quotes_of_participant[index].len(),
    }
}

/// A service with its participants.
#[must_use]
pub fn service<'a>(study: &'a Study, lookup: &Index, index: usize) -> ServiceView<'a> {
    let service = &study.services[index];
    ServiceView {
        service,
        href: PageKind::Service.path(&service.id),
        short_name: service.short_name(),
        organisation_type: &study.organisation_types[service.organisation_type].name,
        model: &study.typology.models[service.model].name,
        participants: lookup.participants_of_service[index]
            .iter()
            .map(|position| participant(study, lookup, *position))
            .collect(),
    }
}

/// What the study publishes about participants and services: the sample
/// table's columns, the pages' fields, and every field's heading.
#[must_use]
pub fn columns(study: &Study) -> Columns<'_> {
    let view = |column| column_view(study, column);
    let table = &study.sample_table;
    let fields = Relation::ALL
        .iter()
        .map(|(relation, _)| Field::Relation(*relation))
        .chain((0..study.attributes.len()).map(Field::Attribute));
    let headings: BTreeMap<&str, String> = fields
        .map(|field| {
            let heading = table.columns.iter().find(|column| column.field == field).map_or_else(
                || crate::model::default_heading(&study.attributes, field),
                |column| column.heading.clone(),
            );
            (study.field_name(field), heading)
        })
        .collect();
    Columns {
        caption: &table.caption,
        sample: table.columns.iter().map(view).collect(),
        participant_page: study.participant_page.iter().map(view).collect(),
        service_page: study.service_page.iter().map(view).collect(),
        headings,
    }
}

fn column_view<'a>(study: &'a Study, column: &'a Column) -> ColumnView<'a> {
    ColumnView {
        field: study.field_name(column.field),
        heading: &column.heading,
        of_service: matches!(column.field, Field::Relation(relation) if relation.of_service()),
    }
}

/// The sample table's groups: consecutive participants of the same service,
/// in the order of `participants.yaml`.
#[must_use]
pub fn sample<'a>(study: &'a Study, lookup: &Index) -> Vec<SampleGroup<'a>> {
    let mut groups: Vec<SampleGroup<'_>> = Vec::new();
    let mut current = None;
    for (index, person) in study.participants.iter().enumerate() {
        let row = participant(study, lookup, index);
        match groups.last_mut() {
            Some(group) if current == Some(person.service) => group.participants.push(row),
            _ => groups.push(SampleGroup {
                service: service(study, lookup, person.service),
                participants: vec![row],
            }),
        }
        current = Some(person.service);
    }
    groups
}

/// The sample table by service, one row per service in the order of
/// `services.yaml`, when the sample has more than `rows` participants.
#[must_use]
pub fn sample_by_service<'a>(study: &'a Study, lookup: &Index, rows: usize) -> Option<Vec<ServiceRow<'a>>> {
    (study.participants.len() > rows).then(|| {
        study
            .services
            .iter()
            .enumerate()
            .map(|(index, service)| ServiceRow {
                service,
                href: PageKind::Service.path(&service.id),
                short_name: service.short_name(),
                organisation_type: &study.organisation_types[service.organisation_type].name,
                model: &study.typology.models[service.model].name,
                participant_count: lookup.participants_of_service[index].len(),
            })
            .collect()
    })
}

/// A figure's numbers as the page shows them, for the label templates to
/// word ("8", "21–37 minutes (mean 29)", "about 4 months").
#[must_use]
pub fn figure(figure: &Figure) -> FigureView<'_> {
    match &figure.amount {
        Amount::Value(value) => FigureView {
            figure,
            value: Some(value),
            min: None,
            max: None,
            mean: None,
        },
        Amount::Range { min, max, mean } => FigureView {
            figure,
            value: None,
            min: Some(number(*min)),
            max: Some(number(*max)),
            mean: mean.map(number),
        },
    }
}

/// A number without float noise: integers without decimals.
#[must_use]
pub fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

/// The numbers behind a chart, as the table printed with it.
#[must_use]
pub fn data_table(table: &crate::tabulate::ChartTable) -> crate::render::context::DataTable {
    use crate::render::context::{DataRow, DataTable};
    use crate::tabulate::ChartTable;
    match table {
        ChartTable::Counts {
            categories,
            series,
            values,
            counted,
        } => DataTable {
            shape: "counts",
            counted,
            columns: series.clone(),
            rows: categories
                .iter()
                .zip(values)
                .map(|(category, row)| {
                    let mut cells: Vec<String> = if series.is_empty() {
                        Vec::new()
                    } else {
                        row.iter().map(ToString::to_string).collect()
                    };
                    cells.push(crate::tabulate::row_total(row).to_string());
                    DataRow {
                        label: category.clone(),
                        cells,
                    }
                })
                .collect(),
        },
        ChartTable::Matrix { rows, columns, values } => DataTable {
            shape: "matrix",
            counted: "",
            columns: columns.clone(),
            rows: rows
                .iter()
                .zip(values)
                .map(|(row, counts)| DataRow {
                    label: row.clone(),
                    cells: counts.iter().map(ToString::to_string).collect(),
                })
                .collect(),
        },
        ChartTable::Ranges { rows } => DataTable {
            shape: "ranges",
            counted: "",
            columns: Vec::new(),
            rows: rows
                .iter()
                .map(|row| DataRow {
                    label: row.label.clone(),
                    cells: vec![
                        number(row.min),
                        number(row.max),
                        row.mean.map(number).unwrap_or_default(),
                        row.unit.clone().unwrap_or_default(),
                    ],
                })
                .collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn the_index_holds_what_a_scan_of_the_study_finds() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
        let study = crate::check_study(&folder).unwrap().study.unwrap();
        let index = Index::new(&study);
        for participant in 0..study.participants.len() {
            let scanned: Vec<usize> = (0..study.quotes.len())
                .filter(|quote| study.quotes[*quote].participant == participant)
                .collect();
            assert_eq!(index.quotes_of_participant[participant], scanned);
        }
        for service in 0..study.services.len() {
            let members: Vec<usize> = (0..study.participants.len())
                .filter(|participant| study.participants[*participant].service == service)
                .collect();
            let quotes: Vec<usize> = (0..study.quotes.len())
                .filter(|quote| study.participants[study.quotes[*quote].participant].service == service)
                .collect();
            assert_eq!(index.participants_of_service[service], members);
            assert_eq!(index.quotes_of_service[service], quotes);
        }
        assert!(index.quotes_of_participant.iter().any(|quotes| !quotes.is_empty()));
    }

    #[test]
    fn figures_read_naturally() {
        let range = Figure {
            id: "length".to_owned(),
            label: "Interview length".to_owned(),
            amount: Amount::Range {
                min: 21.0,
                max: 37.0,
                mean: Some(29.0),
            },
            unit: Some("minutes".to_owned()),
            note: None,
            approximate: false,
        };
        let view = figure(&range);
        assert_eq!(
            (
                view.value,
                view.min.as_deref(),
                view.max.as_deref(),
                view.mean.as_deref()
            ),
            (None, Some("21"), Some("37"), Some("29"))
        );
        let value = Figure {
            amount: Amount::Value("4".to_owned()),
            unit: Some("months".to_owned()),
            approximate: true,
            ..range
        };
        assert_eq!(figure(&value).value, Some("4"));
        assert_eq!(number(2.5), "2.5");
    }
}
