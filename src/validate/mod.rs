//! Stage 2, validate: [`RawStudy`] -> [`Study`] + diagnostics.
//!
//! Checks ids, resolves every cross-reference (quote -> participant,
//! participant -> service and role, service -> model and organisation type,
//! citation -> reference, directive -> quote or table), derives each quote's
//! attribution, and reports records that nothing uses. Returns a `Study`
//! only when no error was found, so later stages never see a dangling id.

pub(crate) mod attribution;
pub(crate) mod charts;
pub(crate) mod ids;
pub(crate) mod narrative;
pub(crate) mod quotes;
pub(crate) mod records;
pub(crate) mod resources;
pub(crate) mod text;
pub(crate) mod unused;

use crate::citation::find_citations;
use crate::diagnostic::{Code, Diagnostics};
use crate::load::RawStudy;
use crate::model::{Participant, Quote, Service, Study};
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
                IdIndex::build_in(
                    "participant",
                    participants
                        .participants
                        .iter()
                        .map(|participant| (participants.file_of(participant), &participant.id)),
                    diagnostics,
                )
            }),
            quotes: raw.quotes.as_ref().map(|quotes| {
                IdIndex::build_in(
                    "quote",
                    quotes.quotes.iter().map(|quote| (quotes.file_of(quote), &quote.id)),
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
    narrative::check_findings_section(&raw.sections, diagnostics);
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
    unused::report_unused(raw, &narrative, checked_quotes.as_deref(), diagnostics);

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
    charts::none_empty(&study, raw.charts.as_ref(), diagnostics).then_some(study)
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
