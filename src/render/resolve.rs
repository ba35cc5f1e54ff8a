//! From the validated study to template values: services and participants
//! with their names resolved, quotes with their places, the sample table's
//! groups, formatted figures, and page paths.

use crate::model::{Amount, Figure, Participant, Placement, Quote, QuoteContent, Service, Speaker, Study};
use crate::render::context::{
    ColumnsContext, FigureContext, ModelContext, PageLink, ParticipantContext, QuoteContext, RoleContext, RolesContext,
    SampleGroup, ServiceContext, TurnContext, TypologyContext,
};

/// The path of a section's page.
#[must_use]
pub fn section_href(study: &Study, section: usize) -> String {
    format!("{}.html", study.sections[section].id)
}

/// The path of a theme's page.
#[must_use]
pub fn theme_href(study: &Study, theme: usize) -> String {
    format!("themes/{}.html", study.themes[theme].id)
}

/// The path of a participant's page.
#[must_use]
pub fn participant_href(participant: &Participant) -> String {
    format!("participants/{}.html", participant.id)
}

/// The path of a service's page.
#[must_use]
pub fn service_href(service: &Service) -> String {
    format!("services/{}.html", service.id)
}

/// The anchor of a quote on the page that places it.
#[must_use]
pub fn quote_anchor(quote: &Quote) -> String {
    format!("quote-{}", quote.id)
}

/// Where a quote is placed, as a link with a readable title.
#[must_use]
pub fn quote_place(study: &Study, quote: &Quote) -> Option<PageLink> {
    let anchor = quote_anchor(quote);
    match quote.placement? {
        Placement::Section(section) => Some(PageLink {
            title: study.sections[section].title.clone(),
            href: format!("{}#{anchor}", section_href(study, section)),
        }),
        Placement::Theme { theme, subtheme } => {
            let theme_title = &study.themes[theme].title;
            let title = match subtheme {
                Some(subtheme) => format!("{theme_title} › {}", study.themes[theme].subthemes[subtheme].title),
                None => theme_title.clone(),
            };
            Some(PageLink {
                title,
                href: format!("{}#{anchor}", theme_href(study, theme)),
            })
        }
    }
}

/// A quote, ready for the quote partial.
#[must_use]
pub fn quote(study: &Study, index: usize) -> QuoteContext {
    let quote = &study.quotes[index];
    let participant = &study.participants[quote.participant];
    let (text, turns) = match &quote.content {
        QuoteContent::Text(text) => (Some(text.trim_end().to_owned()), Vec::new()),
        QuoteContent::Turns(turns) => (
            None,
            turns
                .iter()
                .map(|turn| TurnContext {
                    speaker: match turn.speaker {
                        Speaker::Interviewer => "interviewer",
                        Speaker::Participant => "participant",
                    },
                    text: turn.text.trim_end().to_owned(),
                })
                .collect(),
        ),
    };
    QuoteContext {
        id: quote.id.clone(),
        anchor: quote_anchor(quote),
        participant_id: participant.id.clone(),
        participant_href: participant_href(participant),
        attribution: quote.attribution.clone(),
        text,
        turns,
        place: quote_place(study, quote),
    }
}

/// A participant's row values.
#[must_use]
pub fn participant(study: &Study, index: usize) -> ParticipantContext {
    let participant = &study.participants[index];
    ParticipantContext {
        id: participant.id.clone(),
        href: participant_href(participant),
        gender: participant.gender.clone(),
        contract: participant.contract.clone(),
        role: study.roles.roles[participant.role].name.clone(),
        role_description: participant.role_description.clone(),
        quote_count: study.quotes_of(index).count(),
    }
}

/// A service with its participants.
#[must_use]
pub fn service(study: &Study, index: usize) -> ServiceContext {
    let service = &study.services[index];
    ServiceContext {
        id: service.id.clone(),
        href: service_href(service),
        description: service.description.clone(),
        organisation_type: study.organisation_types[service.organisation_type].name.clone(),
        model: study.typology.models[service.model].name.clone(),
        participants: study
            .participants
            .iter()
            .enumerate()
            .filter(|(_, participant)| participant.service == index)
            .map(|(position, _)| participant(study, position))
            .collect(),
    }
}

/// The sample table's groups: consecutive participants of the same service,
/// in the order of `participants.yaml`.
#[must_use]
pub fn sample(study: &Study) -> Vec<SampleGroup> {
    let mut groups: Vec<SampleGroup> = Vec::new();
    for (index, person) in study.participants.iter().enumerate() {
        let row = participant(study, index);
        match groups.last_mut() {
            Some(group) if group.service.id == study.services[person.service].id => group.participants.push(row),
            _ => groups.push(SampleGroup {
                service: service(study, person.service),
                participants: vec![row],
            }),
        }
    }
    groups
}

/// The sample table's caption and headings.
#[must_use]
pub fn columns(study: &Study) -> ColumnsContext {
    let table = &study.sample_table;
    ColumnsContext {
        caption: table.caption.clone(),
        service: table.service.clone(),
        gender: table.gender.clone(),
        contract: table.contract.clone(),
        role: table.role.clone(),
        organisation: table.organisation.clone(),
        model: table.model.clone(),
    }
}

/// The typology table.
#[must_use]
pub fn typology(study: &Study) -> TypologyContext {
    TypologyContext {
        title: study.typology.title.clone(),
        models: study
            .typology
            .models
            .iter()
            .map(|model| ModelContext {
                id: model.id.clone(),
                name: model.name.clone(),
                description: model.description.clone(),
            })
            .collect(),
    }
}

/// The role categories.
#[must_use]
pub fn roles(study: &Study) -> RolesContext {
    RolesContext {
        title: study.roles.title.clone(),
        roles: study
            .roles
            .roles
            .iter()
            .map(|role| RoleContext {
                id: role.id.clone(),
                name: role.name.clone(),
                definition: role.definition.clone(),
            })
            .collect(),
    }
}

/// A figure as the page shows it: "8", "21–37 minutes (mean 29)", "about 4 months".
#[must_use]
pub fn figure(figure: &Figure) -> FigureContext {
    let unit = figure.unit.as_ref().map(|unit| format!(" {unit}")).unwrap_or_default();
    let about = if figure.approximate { "about " } else { "" };
    let value = match &figure.amount {
        Amount::Value(value) => format!("{about}{value}{unit}"),
        Amount::Range { min, max, mean } => {
            let mean = mean.map(|mean| format!(" (mean {})", number(mean))).unwrap_or_default();
            format!("{about}{}–{}{unit}{mean}", number(*min), number(*max))
        }
    };
    FigureContext {
        id: figure.id.clone(),
        label: figure.label.clone(),
        value,
        note: figure.note.clone(),
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
        } => {
            let mut columns = series.clone();
            columns.push(if series.is_empty() {
                format!("Number of {counted}")
            } else {
                "Total".to_owned()
            });
            DataTable {
                corner: String::new(),
                columns,
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
            }
        }
        ChartTable::Matrix { rows, columns, values } => DataTable {
            corner: "Participant".to_owned(),
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
            corner: String::new(),
            columns: vec![
                "Lowest".to_owned(),
                "Highest".to_owned(),
                "Mean".to_owned(),
                "Unit".to_owned(),
            ],
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
    use super::*;

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
        assert_eq!(figure(&range).value, "21–37 minutes (mean 29)");
        let value = Figure {
            amount: Amount::Value("4".to_owned()),
            unit: Some("months".to_owned()),
            approximate: true,
            ..range
        };
        assert_eq!(figure(&value).value, "about 4 months");
        assert_eq!(number(2.5), "2.5");
    }
}
