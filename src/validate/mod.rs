//! Stage 2, validate: [`RawStudy`] -> [`Study`] + diagnostics.
//!
//! Checks ids, resolves every cross-reference (quote -> participant,
//! participant -> service and role, service -> model and organisation type,
//! citation -> reference, directive -> quote or table), derives each quote's
//! attribution, and reports records that nothing uses. Returns a `Study`
//! only when no error was found, so later stages never see a dangling id.
//! Participants who withdrew are left out of the `Study` (only their ids
//! are kept, in [`Study::withdrawn`]), so every page, table, count and
//! chart is made without them.
//!
//! It runs in two steps: [`Records::check`] checks what the record files
//! alone say (ids, records, quotes, attributions), and [`validate_narrative`]
//! checks the narrative against them and assembles the study. `serve` keeps
//! the first step's result, so that an edit to the narrative alone is not
//! followed by checking every quote again.

pub(crate) mod attributes;
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
use crate::model::{Attribute, Consent, Participant, Quote, Service, Study, Withdrawn};
use attributes::FieldNames;
use attribution::AttributionFormat;
use ids::IdIndex;

pub use ids::is_valid_id;

/// The ids of every kind of record; `None` where the file was not read.
#[derive(Clone, Debug)]
pub struct Indexes {
    models: Option<IdIndex>,
    roles: Option<IdIndex>,
    organisation_types: IdIndex,
    services: Option<IdIndex>,
    participants: Option<IdIndex>,
    quotes: Option<IdIndex>,
    references: Option<IdIndex>,
    figures: IdIndex,
    charts: Option<IdIndex>,
}

impl Indexes {
    fn build(raw: &RawStudy, diagnostics: &mut Diagnostics) -> Self {
        Self {
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
        }
    }
}

/// The ids of the themes, which the narrative's files give; their
/// duplicates with each other and with sections are reported here.
fn theme_index(raw: &RawStudy, diagnostics: &mut Diagnostics) -> IdIndex {
    let documents = raw
        .sections
        .iter()
        .chain(&raw.themes)
        .map(|document| (document.file.as_str(), &document.front.id));
    IdIndex::build_in("section or theme", documents, diagnostics);
    IdIndex::build_in(
        "theme",
        raw.themes
            .iter()
            .map(|document| (document.file.as_str(), &document.front.id)),
        // Theme ids share a namespace with section ids and are checked
        // above ("section or theme"); this index only resolves them.
        &mut Diagnostics::new(),
    )
}

/// Checks the study. Returns the validated study when no error was found.
pub fn validate(raw: &RawStudy, diagnostics: &mut Diagnostics) -> Option<Study> {
    let records = Records::check(raw, diagnostics);
    validate_narrative(raw, records, diagnostics)
}

/// What the record files alone give: their ids, the participant
/// attributes they declare, the checked records, and the study's records
/// assembled when they hold no error (a `Study` whose narrative and charts
/// are still empty and whose quotes, with their attributions, are not yet
/// placed). Owned, so that `serve` can keep it for the next build while
/// only narrative files change.
#[derive(Clone, Debug)]
pub struct Records {
    indexes: Indexes,
    /// The attributes `participants.yaml` declares, when it was read.
    attributes: Option<Vec<Attribute>>,
    /// The participant of each quote, where it could be resolved.
    quote_participants: Option<Vec<Option<usize>>>,
    assembled: Option<Study>,
}

impl Records {
    /// Checks the record files of `raw`; the problems go to `diagnostics`.
    pub fn check(raw: &RawStudy, diagnostics: &mut Diagnostics) -> Self {
        let indexes = Indexes::build(raw, diagnostics);
        let attributes = raw
            .participants
            .as_ref()
            .map(|participants| attributes::declared(participants, diagnostics));
        let names = field_names(raw, attributes.as_deref());
        let fields = raw
            .study
            .as_ref()
            .map(|study| records::study_fields(study, diagnostics));
        let privacy = raw.study.as_ref().map(|study| records::privacy(study, diagnostics));
        let format = raw
            .study
            .as_ref()
            .and_then(|study| AttributionFormat::parse("study.yaml", &study.attribution, &names, diagnostics));
        let typology = raw
            .typology
            .as_ref()
            .map(|typology| records::typology(typology, diagnostics));
        let roles = raw.roles.as_ref().map(|roles| records::roles(roles, diagnostics));
        let services = raw
            .services
            .as_ref()
            .map(|services| records::services(services, &indexes, diagnostics));
        let tables = raw.participants.as_ref().map(|participants| {
            let table = attributes::sample_table(participants, &names, diagnostics);
            let pages = attributes::pages(participants, &table, &names, diagnostics);
            (table, pages)
        });
        let consents = raw.participants.as_ref().map(|participants| {
            records::consents(participants, attributes.as_deref().unwrap_or_default(), diagnostics)
        });
        let participants = raw
            .participants
            .as_ref()
            .zip(consents.as_deref())
            .map(|(participants, consents)| {
                records::participants(
                    participants,
                    attributes.as_deref().unwrap_or_default(),
                    consents,
                    &indexes,
                    diagnostics,
                )
            });
        let references = raw
            .references
            .as_ref()
            .map(|references| records::references(references, diagnostics));
        let checked_quotes = raw.quotes.as_ref().map(|quotes| {
            let quotable = indexes
                .participants
                .as_ref()
                .zip(consents.as_deref())
                .map(|(index, consents)| quotes::Quotable { index, consents });
            quotes::quotes(quotes, quotable, diagnostics)
        });
        let quote_participants = checked_quotes.as_ref().map(|checked| {
            checked
                .iter()
                .map(|quote| quote.as_ref().map(|quote| quote.participant))
                .collect()
        });
        let assembled = (|| {
            if diagnostics.has_errors() {
                return None;
            }
            let (metadata, figures) = fields?;
            let format = format?;
            let (organisation_types, services) = services?;
            let services: Vec<Service> = services.into_iter().collect::<Option<_>>()?;
            let participants: Vec<Participant> = participants?.into_iter().collect::<Option<_>>()?;
            let (mut participants, withdrawn, reindexed) = withdraw(participants);
            let services = leave_out_emptied_services(services, &mut participants, &withdrawn);
            let (sample_table, (participant_page, service_page)) = tables?;
            let mut study = Study {
                metadata,
                figures,
                typology: typology?,
                roles: roles?,
                organisation_types,
                services,
                attributes: attributes.clone()?,
                sample_table,
                participant_page,
                service_page,
                participants,
                withdrawn,
                quotes: Vec::new(),
                references: references?,
                charts: Vec::new(),
                sections: Vec::new(),
                themes: Vec::new(),
                attribution_fields: format.fields(),
                privacy: privacy?,
            };
            let quotes = raw
                .quotes
                .as_ref()?
                .quotes
                .iter()
                .zip(checked_quotes?)
                .map(|(raw_quote, checked)| {
                    let checked = checked?;
                    // None only for a withdrawn participant, whose quotes are errors.
                    let index = reindexed[checked.participant]?;
                    let participant = &study.participants[index];
                    Some(Quote {
                        id: raw_quote.id.value.clone(),
                        participant: index,
                        content: std::sync::Arc::new(checked.content),
                        attribution: format.fill(|field| study.value_of(participant, field)),
                        placement: None,
                    })
                })
                .collect::<Option<Vec<_>>>()?;
            study.quotes = quotes;
            records::check_figure_counts(raw.study.as_ref()?, &study, diagnostics);
            Some(study)
        })();
        Self {
            indexes,
            attributes,
            quote_participants,
            assembled,
        }
    }
}

/// Leaves the participants who withdrew out: the others (re-indexed, in
/// order), the withdrawn (ids and services only), and each participant's
/// new index (`None` for the withdrawn).
fn withdraw(participants: Vec<Participant>) -> (Vec<Participant>, Vec<Withdrawn>, Vec<Option<usize>>) {
    let mut kept = Vec::with_capacity(participants.len());
    let mut withdrawn = Vec::new();
    let mut reindexed = Vec::with_capacity(participants.len());
    for participant in participants {
        if participant.consent == Consent::Withdrawn {
            reindexed.push(None);
            withdrawn.push(Withdrawn {
                id: participant.id,
                service: participant.service,
            });
        } else {
            reindexed.push(Some(kept.len()));
            kept.push(participant);
        }
    }
    (kept, withdrawn, reindexed)
}

/// Leaves out the services whose every participant withdrew: a service
/// page or table row with no one left would still say that someone of
/// that service took part, and who. A service that never had participants
/// is kept (that is the study's own choice). The kept participants' service
/// indexes follow; the withdrawn keep theirs (into `services.yaml`).
fn leave_out_emptied_services(
    services: Vec<Service>,
    participants: &mut [Participant],
    withdrawn: &[Withdrawn],
) -> Vec<Service> {
    let mut kept_members = vec![false; services.len()];
    for participant in participants.iter() {
        kept_members[participant.service] = true;
    }
    let mut emptied = vec![false; services.len()];
    for gone in withdrawn {
        emptied[gone.service] = !kept_members[gone.service];
    }
    if !emptied.contains(&true) {
        return services;
    }
    let mut reindexed = Vec::with_capacity(services.len());
    let mut kept = Vec::with_capacity(services.len());
    for (service, emptied) in services.into_iter().zip(emptied) {
        reindexed.push(kept.len());
        if !emptied {
            kept.push(service);
        }
    }
    for participant in participants.iter_mut() {
        participant.service = reindexed[participant.service];
    }
    kept
}

/// The names of the study's fields: the relations and the attributes of
/// `participants.yaml` (all names count as known when it was not read).
fn field_names<'a>(raw: &'a RawStudy, attributes: Option<&'a [Attribute]>) -> FieldNames<'a> {
    match (attributes, &raw.participants) {
        (Some(attributes), Some(participants)) => FieldNames::new(attributes, &participants.attributes),
        _ => FieldNames::incomplete(),
    }
}

/// Checks the narrative of `raw` against its checked `records`, and
/// assembles the study when no error was found (in `diagnostics`, which
/// holds the records' problems too).
pub fn validate_narrative(raw: &RawStudy, records: Records, diagnostics: &mut Diagnostics) -> Option<Study> {
    let Records {
        indexes,
        attributes,
        quote_participants,
        assembled,
    } = records;
    let names = field_names(raw, attributes.as_deref());
    let themes = theme_index(raw, diagnostics);
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
            &names,
            raw.narrative_complete.then_some(&themes),
            raw.study
                .as_ref()
                .map(|study| (study.figures.as_slice(), &indexes.figures)),
            diagnostics,
        )
    });
    cite_from_summary(raw, &indexes, &mut narrative.cited, diagnostics);
    resources::check(raw, diagnostics);
    let duplicates = unused::Duplicates {
        quotes: indexes.quotes.as_ref(),
        charts: indexes.charts.as_ref(),
    };
    unused::report_unused(raw, &narrative, quote_participants.as_deref(), duplicates, diagnostics);

    if diagnostics.has_errors() {
        return None;
    }
    let mut study = assembled?;
    for (quote, places) in study.quotes.iter_mut().zip(&narrative.placements) {
        quote.placement = places.first().map(|(placement, _)| *placement);
    }
    study.charts = match charts {
        Some(charts) => charts.into_iter().collect::<Option<Vec<_>>>()?,
        None => Vec::new(),
    };
    study.sections = narrative.sections;
    study.themes = narrative.themes;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn participant(id: &str, service: usize, consent: Consent) -> Participant {
        Participant {
            id: id.to_owned(),
            service,
            role: 0,
            role_description: String::new(),
            values: Vec::new(),
            consent,
        }
    }

    #[test]
    fn the_withdrawn_are_left_out_and_the_others_re_indexed_in_order() {
        let (kept, withdrawn, reindexed) = withdraw(vec![
            participant("1a", 0, Consent::Quote),
            participant("P77", 1, Consent::Withdrawn),
            participant("2", 1, Consent::NoQuote),
            participant("P78", 0, Consent::Withdrawn),
        ]);
        let ids: Vec<&str> = kept.iter().map(|participant| participant.id.as_str()).collect();
        assert_eq!(ids, ["1a", "2"]);
        assert_eq!(
            withdrawn,
            [
                Withdrawn {
                    id: "P77".to_owned(),
                    service: 1
                },
                Withdrawn {
                    id: "P78".to_owned(),
                    service: 0
                }
            ]
        );
        assert_eq!(reindexed, [Some(0), None, Some(1), None]);
    }
}
