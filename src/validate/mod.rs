//! Stage 2, validate: [`RawStudy`] -> [`Study`] + diagnostics.
//!
//! Checks ids, resolves every cross-reference (quote -> participant,
//! participant -> service and role, service -> model and organisation type,
//! citation -> reference, directive -> quote or table), derives each quote's
//! attribution, and reports records that nothing uses. Returns a `Study`
//! only when no error was found, so later stages never see a dangling id.

mod attribution;
mod charts;
pub mod ids;
mod narrative;
mod quotes;
mod records;
mod resources;
mod text;

use crate::citation::find_citations;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::load::RawStudy;
use crate::model::{Participant, Quote, Service, Study};
use crate::tabulate::tabulate;
use attribution::{AttributionFormat, Field};
use ids::IdIndex;

pub use ids::is_valid_id;

/// The ids of every kind of record; `None` where the file was not read.
pub struct Indexes {
    models: Option<IdIndex>,
    roles: Option<IdIndex>,
    organisation_types: IdIndex,
    services: Option<IdIndex>,
    participants: Option<IdIndex>,
    quotes: Option<IdIndex>,
    references: Option<IdIndex>,
    figures: IdIndex,
    themes: IdIndex,
    charts: Option<IdIndex>,
}

impl Indexes {
    fn build(raw: &RawStudy, diagnostics: &mut Diagnostics) -> Self {
        let indexes = Self {
            models: raw.typology.as_ref().map(|typology| {
                IdIndex::build(
                    "typology model",
                    "typology.yaml",
                    typology.models.iter().map(|model| &model.id),
                    diagnostics,
                )
            }),
            roles: raw.roles.as_ref().map(|roles| {
                IdIndex::build(
                    "role category",
                    "roles.yaml",
                    roles.roles.iter().map(|role| &role.id),
                    diagnostics,
                )
            }),
            organisation_types: raw.services.as_ref().map_or_else(IdIndex::default, |services| {
                IdIndex::build(
                    "organisation type",
                    "services.yaml",
                    services.organisation_types.iter().map(|kind| &kind.id),
                    diagnostics,
                )
            }),
            services: raw.services.as_ref().map(|services| {
                IdIndex::build(
                    "service",
                    "services.yaml",
                    services.services.iter().map(|service| &service.id),
                    diagnostics,
                )
            }),
            participants: raw.participants.as_ref().map(|participants| {
                IdIndex::build(
                    "participant",
                    "participants.yaml",
                    participants.participants.iter().map(|participant| &participant.id),
                    diagnostics,
                )
            }),
            quotes: raw.quotes.as_ref().map(|quotes| {
                IdIndex::build(
                    "quote",
                    "quotes.yaml",
                    quotes.quotes.iter().map(|quote| &quote.id),
                    diagnostics,
                )
            }),
            figures: raw.study.as_ref().map_or_else(IdIndex::default, |study| {
                IdIndex::build(
                    "figure",
                    "study.yaml",
                    study.figures.iter().map(|figure| &figure.id),
                    diagnostics,
                )
            }),
            themes: IdIndex::build_in(
                "theme",
                raw.themes
                    .iter()
                    .map(|document| (document.file.as_str(), &document.front.id)),
                // Theme ids share a namespace with section ids and are checked
                // there ("section or theme"); this index only resolves them.
                &mut Diagnostics::new(),
            ),
            charts: raw.charts.as_ref().map(|charts| {
                IdIndex::build(
                    "chart",
                    "charts.yaml",
                    charts.charts.iter().map(|chart| &chart.id),
                    diagnostics,
                )
            }),
            references: raw.references.as_ref().map(|references| {
                IdIndex::build(
                    "reference",
                    "references.yaml",
                    references.references.iter().map(|reference| &reference.id),
                    diagnostics,
                )
            }),
        };
        let documents = raw
            .sections
            .iter()
            .chain(&raw.themes)
            .map(|document| (document.file.as_str(), &document.front.id));
        IdIndex::build_in("section or theme", documents, diagnostics);
        indexes
    }
}

/// Checks the study. Returns the validated study when no error was found.
pub fn validate(raw: &RawStudy, diagnostics: &mut Diagnostics) -> Option<Study> {
    let indexes = Indexes::build(raw, diagnostics);
    let fields = raw
        .study
        .as_ref()
        .map(|study| records::study_fields(study, diagnostics));
    let format = raw
        .study
        .as_ref()
        .and_then(|study| AttributionFormat::parse("study.yaml", &study.attribution, diagnostics));
    let typology = raw
        .typology
        .as_ref()
        .map(|typology| records::typology(typology, diagnostics));
    let roles = raw.roles.as_ref().map(|roles| records::roles(roles, diagnostics));
    let services = raw
        .services
        .as_ref()
        .map(|services| records::services(services, &indexes, diagnostics));
    let sample_table = raw
        .participants
        .as_ref()
        .map(|participants| records::sample_table(participants, diagnostics));
    let participants = raw
        .participants
        .as_ref()
        .map(|participants| records::participants(participants, &indexes, diagnostics));
    let references = raw
        .references
        .as_ref()
        .map(|references| records::references(references, diagnostics));
    let checked_quotes = raw
        .quotes
        .as_ref()
        .map(|quotes| quotes::quotes(quotes, indexes.participants.as_ref(), diagnostics));
    let quote_count = raw.quotes.as_ref().map_or(0, |quotes| quotes.quotes.len());
    let mut narrative = narrative::narrative(
        &raw.sections,
        &raw.themes,
        indexes.quotes.as_ref(),
        quote_count,
        indexes.references.as_ref(),
        indexes.charts.as_ref(),
        diagnostics,
    );
    narrative::check_findings_section(&raw.sections, &raw.themes, raw.narrative_complete, diagnostics);
    let charts = raw.charts.as_ref().map(|charts| {
        charts::charts(
            charts,
            raw.narrative_complete.then_some(&indexes.themes),
            raw.study
                .as_ref()
                .map(|study| (study.figures.as_slice(), &indexes.figures)),
            diagnostics,
        )
    });
    cite_from_summary(raw, &indexes, &mut narrative.cited, diagnostics);
    resources::check(raw, diagnostics);
    report_unused(raw, &narrative, checked_quotes.as_deref(), diagnostics);

    if diagnostics.has_errors() {
        return None;
    }
    let (metadata, figures) = fields?;
    let format = format?;
    let (organisation_types, services) = services?;
    let services: Vec<Service> = services.into_iter().collect::<Option<_>>()?;
    let participants: Vec<Participant> = participants?.into_iter().collect::<Option<_>>()?;
    let typology = typology?;
    let roles = roles?;
    let quotes =
        raw.quotes
            .as_ref()?
            .quotes
            .iter()
            .zip(checked_quotes?)
            .enumerate()
            .map(|(index, (raw_quote, checked))| {
                let checked = checked?;
                let participant = &participants[checked.participant];
                let service = &services[participant.service];
                let attribution = format.fill(|field| match field {
                    Field::Participant => participant.id.clone(),
                    Field::Role => roles.roles[participant.role].name.clone(),
                    Field::RoleDescription => participant.role_description.clone(),
                    Field::Gender => participant.gender.clone(),
                    Field::Contract => participant.contract.clone(),
                    Field::Service => service.id.clone(),
                    Field::OrganisationType => organisation_types[service.organisation_type].name.clone(),
                    Field::Model => typology.models[service.model].name.clone(),
                });
                Some(Quote {
                    id: raw_quote.id.value.clone(),
                    participant: checked.participant,
                    content: checked.content,
                    attribution,
                    placement: narrative.placements[index].first().map(|(placement, _)| *placement),
                })
            });
    let quotes = quotes.collect::<Option<Vec<_>>>()?;
    let study = Study {
        metadata,
        figures,
        typology,
        roles,
        organisation_types,
        services,
        sample_table: sample_table?,
        participants,
        quotes,
        references: references?,
        charts: match charts {
            Some(charts) => charts.into_iter().collect::<Option<Vec<_>>>()?,
            None => Vec::new(),
        },
        sections: narrative.sections,
        themes: narrative.themes,
    };
    let mut empty = false;
    for (chart, raw_chart) in study
        .charts
        .iter()
        .zip(raw.charts.iter().flat_map(|charts| &charts.charts))
    {
        if tabulate(&study, &chart.spec).is_empty() {
            empty = true;
            diagnostics.push(
                Diagnostic::new(Code::ChartEmpty, format!("chart `{}` would show nothing", chart.id))
                    .at(Location::at("charts.yaml", raw_chart.id.at))
                    .help("check what the chart counts (a theme without quotes, figures without ranges), or remove it"),
            );
        }
    }
    (!empty).then_some(study)
}

/// Citations in the summary of `study.yaml` count like any other.
fn cite_from_summary(
    raw: &RawStudy,
    indexes: &Indexes,
    cited: &mut std::collections::BTreeSet<usize>,
    diagnostics: &mut Diagnostics,
) {
    let (Some(study), Some(references)) = (&raw.study, &indexes.references) else {
        return;
    };
    let Some(summary) = &study.summary else { return };
    for citation in find_citations(&summary.value) {
        for cite in citation.cites {
            let key = crate::source::Sourced::new(cite.key, summary.at);
            if let Some(found) =
                references.resolve(Code::UnknownReference, "reference", "study.yaml", &key, diagnostics)
            {
                cited.insert(found);
            }
        }
    }
}

/// Warns about records nothing uses, and errors on quotes placed twice.
fn report_unused(
    raw: &RawStudy,
    narrative: &narrative::Narrative,
    quotes: Option<&[Option<quotes::CheckedQuote>]>,
    diagnostics: &mut Diagnostics,
) {
    if let Some(raw_quotes) = &raw.quotes {
        for (quote, places) in raw_quotes.quotes.iter().zip(&narrative.placements) {
            for (_, location) in places.iter().skip(1) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::QuotePlacedTwice,
                        format!("quote `{}` is already placed", quote.id.value),
                    )
                    .at(location.clone())
                    .related(places[0].1.clone(), "first placed here")
                    .help("place each quote once; its participant's page links to it"),
                );
            }
            if places.is_empty() && raw.narrative_complete {
                diagnostics.push(
                    Diagnostic::new(
                        Code::QuoteNotPlaced,
                        format!("quote `{}` is not placed in any narrative", quote.id.value),
                    )
                    .at(Location::at("quotes.yaml", quote.id.at))
                    .help(format!(
                        "add `{{{{quote {}}}}}` where it belongs in a theme",
                        quote.id.value
                    )),
                );
            }
        }
    }
    if let (Some(references), true) = (&raw.references, raw.narrative_complete && raw.study.is_some()) {
        for (index, reference) in references.references.iter().enumerate() {
            if !narrative.cited.contains(&index) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::ReferenceNeverCited,
                        format!("reference `{}` is never cited", reference.id.value),
                    )
                    .at(Location::at("references.yaml", reference.id.at))
                    .help(format!(
                        "cite it as `[@{}]` where it is used, or remove it",
                        reference.id.value
                    )),
                );
            }
        }
    }
    if let (Some(charts), true) = (&raw.charts, raw.narrative_complete) {
        for (index, chart) in charts.charts.iter().enumerate() {
            if !narrative.charts_placed.contains(&index) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::ChartNotPlaced,
                        format!("chart `{}` is not placed in any narrative", chart.id.value),
                    )
                    .at(Location::at("charts.yaml", chart.id.at))
                    .help(format!(
                        "add `{{{{chart {}}}}}` where it belongs, or remove the chart",
                        chart.id.value
                    )),
                );
            }
        }
    }
    if let (Some(participants), Some(quotes)) = (&raw.participants, quotes) {
        for (index, participant) in participants.participants.iter().enumerate() {
            let quoted = quotes.iter().flatten().any(|quote| quote.participant == index);
            let unresolved = quotes.iter().any(Option::is_none);
            if !quoted && !unresolved {
                diagnostics.push(
                    Diagnostic::new(
                        Code::ParticipantNeverQuoted,
                        format!("participant `{}` is never quoted", participant.id.value),
                    )
                    .at(Location::at("participants.yaml", participant.id.at))
                    .help("this may be right (not everyone is quoted); it is reported so that a mistyped quote participant is noticed"),
                );
            }
        }
    }
}
