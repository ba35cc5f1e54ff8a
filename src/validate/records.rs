//! The records of the YAML files: typology, roles, organisation types,
//! services, participants, references, and the study's own fields.
//!
//! Input: raw records and the [`Indexes`] of every kind. Output: model
//! records whose references are resolved to indexes, and diagnostics for
//! empty texts, unknown ids and malformed figures and URLs.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::load::raw::{
    RawFigure, RawParticipantsFile, RawReferencesFile, RawRolesFile, RawServicesFile, RawStudyFile, RawTypologyFile,
};
use crate::model::{
    Amount, Author, Figure, Model, OrganisationType, Participant, Reference, RoleCategories, RoleCategory, SampleTable,
    Service, Typology,
};
use crate::validate::Indexes;
use crate::validate::text::{checked, checked_optional};

const STUDY: &str = "study.yaml";
const TYPOLOGY: &str = "typology.yaml";
const ROLES: &str = "roles.yaml";
const SERVICES: &str = "services.yaml";
const PARTICIPANTS: &str = "participants.yaml";
const REFERENCES: &str = "references.yaml";

/// The study's own fields (everything of `study.yaml` but the attribution).
pub struct StudyFields {
    pub title: String,
    pub language: String,
    pub smart_punctuation: bool,
    pub short_title: Option<String>,
    pub authors: Vec<Author>,
    pub journal: Option<String>,
    pub manuscript_id: Option<String>,
    pub manuscript_type: Option<String>,
    pub keywords: Vec<String>,
    pub summary: Option<String>,
    pub figures: Vec<Figure>,
}

pub fn study_fields(raw: &RawStudyFile, diagnostics: &mut Diagnostics) -> StudyFields {
    let optional = |what: &str, text, diagnostics: &mut Diagnostics| checked_optional(STUDY, what, text, diagnostics);
    StudyFields {
        title: checked(STUDY, "the study's title", &raw.title, diagnostics),
        language: language(raw.language.as_ref(), diagnostics),
        smart_punctuation: raw.smart_punctuation.is_none_or(|flag| flag.0),
        short_title: optional("the short title", raw.short_title.as_ref(), diagnostics),
        authors: raw
            .authors
            .iter()
            .map(|author| Author {
                name: checked(STUDY, "an author's name", &author.name, diagnostics),
                affiliation: checked_optional(
                    STUDY,
                    "an author's affiliation",
                    author.affiliation.as_ref(),
                    diagnostics,
                ),
            })
            .collect(),
        journal: optional("the journal", raw.journal.as_ref(), diagnostics),
        manuscript_id: optional("the manuscript id", raw.manuscript_id.as_ref(), diagnostics),
        manuscript_type: optional("the manuscript type", raw.manuscript_type.as_ref(), diagnostics),
        keywords: raw
            .keywords
            .iter()
            .map(|keyword| checked(STUDY, "a keyword", keyword, diagnostics))
            .collect(),
        summary: optional("the summary", raw.summary.as_ref(), diagnostics),
        figures: raw
            .figures
            .iter()
            .filter_map(|figure| self::figure(figure, diagnostics))
            .collect(),
    }
}

/// The study's language tag: letters, digits and `-`, starting with 2 or 3
/// letters (`en`, `en-GB`, `cy`). `en` when not given.
fn language(raw: Option<&crate::source::Sourced<String>>, diagnostics: &mut Diagnostics) -> String {
    let Some(tag) = raw else { return "en".to_owned() };
    let mut parts = tag.value.split('-');
    let primary = parts.next().unwrap_or_default();
    let valid = (2..=3).contains(&primary.len())
        && primary.chars().all(|character| character.is_ascii_alphabetic())
        && parts.all(|part| {
            (1..=8).contains(&part.len()) && part.chars().all(|character| character.is_ascii_alphanumeric())
        });
    if !valid {
        diagnostics.push(
            Diagnostic::new(Code::WrongType, "the study's `language` is not a language tag")
                .at(Location::at(STUDY, tag.at))
                .help("write a BCP 47 language tag such as `en`, `en-GB` or `cy`"),
        );
    }
    tag.value.clone()
}

fn figure(raw: &RawFigure, diagnostics: &mut Diagnostics) -> Option<Figure> {
    let what = format!("figure `{}`", raw.id.value);
    let label = checked(STUDY, &format!("the label of {what}"), &raw.label, diagnostics);
    let problem = |message: String| {
        Diagnostic::new(Code::BadFigure, message)
            .at(Location::at(STUDY, raw.id.at))
            .help("give either `value`, or `min` and `max` (and optionally `mean`) with min <= mean <= max")
    };
    let amount = match (&raw.value, &raw.min, &raw.max) {
        (Some(value), None, None) if raw.mean.is_none() => {
            Amount::Value(checked(STUDY, &format!("the value of {what}"), value, diagnostics))
        }
        (None, Some(min), Some(max)) => {
            let mean = raw.mean.as_ref().map(|mean| mean.value);
            let ordered = min.value <= max.value && mean.is_none_or(|mean| min.value <= mean && mean <= max.value);
            let finite = [Some(min.value), Some(max.value), mean]
                .into_iter()
                .flatten()
                .all(f64::is_finite);
            if !ordered || !finite {
                diagnostics.push(problem(format!("{what} has a range that is not min <= mean <= max")));
                return None;
            }
            Amount::Range {
                min: min.value,
                max: max.value,
                mean,
            }
        }
        _ => {
            diagnostics.push(problem(format!(
                "{what} needs either a `value` or a `min` and `max`, not both"
            )));
            return None;
        }
    };
    Some(Figure {
        id: raw.id.value.clone(),
        label,
        amount,
        unit: checked_optional(STUDY, &format!("the unit of {what}"), raw.unit.as_ref(), diagnostics),
        note: checked_optional(STUDY, &format!("the note of {what}"), raw.note.as_ref(), diagnostics),
        approximate: raw.approximate.0,
    })
}

pub fn typology(raw: &RawTypologyFile, diagnostics: &mut Diagnostics) -> Typology {
    Typology {
        title: checked(TYPOLOGY, "the typology's title", &raw.title, diagnostics),
        models: raw
            .models
            .iter()
            .map(|model| Model {
                id: model.id.value.clone(),
                name: checked(
                    TYPOLOGY,
                    &format!("the name of model `{}`", model.id.value),
                    &model.name,
                    diagnostics,
                ),
                description: checked(
                    TYPOLOGY,
                    &format!("the description of model `{}`", model.id.value),
                    &model.description,
                    diagnostics,
                ),
            })
            .collect(),
    }
}

pub fn roles(raw: &RawRolesFile, diagnostics: &mut Diagnostics) -> RoleCategories {
    RoleCategories {
        title: checked(ROLES, "the roles' title", &raw.title, diagnostics),
        roles: raw
            .roles
            .iter()
            .map(|role| RoleCategory {
                id: role.id.value.clone(),
                name: checked(
                    ROLES,
                    &format!("the name of role `{}`", role.id.value),
                    &role.name,
                    diagnostics,
                ),
                definition: checked(
                    ROLES,
                    &format!("the definition of role `{}`", role.id.value),
                    &role.definition,
                    diagnostics,
                ),
            })
            .collect(),
    }
}

/// Organisation types and services; `None` entries are services with an
/// unresolved reference (already reported).
pub fn services(
    raw: &RawServicesFile,
    indexes: &Indexes,
    diagnostics: &mut Diagnostics,
) -> (Vec<OrganisationType>, Vec<Option<Service>>) {
    let types = raw
        .organisation_types
        .iter()
        .map(|kind| OrganisationType {
            id: kind.id.value.clone(),
            name: checked(
                SERVICES,
                &format!("the name of organisation type `{}`", kind.id.value),
                &kind.name,
                diagnostics,
            ),
            description: checked_optional(
                SERVICES,
                "an organisation type's description",
                kind.description.as_ref(),
                diagnostics,
            ),
        })
        .collect();
    let services = raw
        .services
        .iter()
        .map(|service| {
            let description = checked(
                SERVICES,
                &format!("the description of service `{}`", service.id.value),
                &service.description,
                diagnostics,
            );
            let organisation_type = indexes.organisation_types.resolve(
                Code::UnknownOrganisationType,
                "organisation type",
                SERVICES,
                &service.organisation_type,
                diagnostics,
            );
            let model = indexes.models.as_ref().and_then(|models| {
                models.resolve(
                    Code::UnknownModel,
                    "typology model",
                    SERVICES,
                    &service.model,
                    diagnostics,
                )
            });
            Some(Service {
                id: service.id.value.clone(),
                description,
                organisation_type: organisation_type?,
                model: model?,
            })
        })
        .collect();
    (types, services)
}

pub fn sample_table(raw: &RawParticipantsFile, diagnostics: &mut Diagnostics) -> SampleTable {
    let table = &raw.sample_table;
    let heading =
        |text, diagnostics: &mut Diagnostics| checked(PARTICIPANTS, "a sample table heading", text, diagnostics);
    SampleTable {
        caption: checked(PARTICIPANTS, "the sample table's caption", &table.caption, diagnostics),
        service: heading(&table.columns.service, diagnostics),
        gender: heading(&table.columns.gender, diagnostics),
        contract: heading(&table.columns.contract, diagnostics),
        role: heading(&table.columns.role, diagnostics),
        organisation: heading(&table.columns.organisation, diagnostics),
        model: heading(&table.columns.model, diagnostics),
    }
}

pub fn participants(
    raw: &RawParticipantsFile,
    indexes: &Indexes,
    diagnostics: &mut Diagnostics,
) -> Vec<Option<Participant>> {
    raw.participants
        .iter()
        .map(|participant| {
            let id = &participant.id.value;
            let gender = checked(
                PARTICIPANTS,
                &format!("the gender of participant `{id}`"),
                &participant.gender,
                diagnostics,
            );
            let contract = checked(
                PARTICIPANTS,
                &format!("the contract of participant `{id}`"),
                &participant.contract,
                diagnostics,
            );
            let role_description = checked(
                PARTICIPANTS,
                &format!("the role description of participant `{id}`"),
                &participant.role_description,
                diagnostics,
            );
            let service = indexes.services.as_ref().and_then(|services| {
                services.resolve(
                    Code::UnknownService,
                    "service",
                    PARTICIPANTS,
                    &participant.service,
                    diagnostics,
                )
            });
            let role = indexes.roles.as_ref().and_then(|roles| {
                roles.resolve(
                    Code::UnknownRole,
                    "role category",
                    PARTICIPANTS,
                    &participant.role,
                    diagnostics,
                )
            });
            Some(Participant {
                id: id.clone(),
                service: service?,
                gender,
                contract,
                role: role?,
                role_description,
            })
        })
        .collect()
}

pub fn references(raw: &RawReferencesFile, diagnostics: &mut Diagnostics) -> Vec<Reference> {
    raw.references
        .iter()
        .map(|reference| {
            let id = &reference.id.value;
            let url = reference.url.as_ref().and_then(|url| {
                let value = url.value.trim();
                let safe = (value.starts_with("https://") || value.starts_with("http://"))
                    && !value
                        .chars()
                        .any(|character| character.is_whitespace() || character.is_control());
                if safe {
                    Some(value.to_owned())
                } else {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::WrongType,
                            format!("the url of reference `{id}` is not an http or https address"),
                        )
                        .at(Location::at(REFERENCES, url.at))
                        .help("write a full address starting with https:// (or remove `url`)"),
                    );
                    None
                }
            });
            Reference {
                id: id.clone(),
                cite_as: checked(
                    REFERENCES,
                    &format!("the `cite_as` of reference `{id}`"),
                    &reference.cite_as,
                    diagnostics,
                ),
                year: checked(
                    REFERENCES,
                    &format!("the year of reference `{id}`"),
                    &reference.year,
                    diagnostics,
                ),
                entry: checked(
                    REFERENCES,
                    &format!("the entry of reference `{id}`"),
                    &reference.entry,
                    diagnostics,
                ),
                url,
            }
        })
        .collect()
}
