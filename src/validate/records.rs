//! The records of the YAML files: typology, roles, organisation types,
//! services, participants, references, and the study's own fields.
//!
//! Input: raw records and the [`Indexes`] of every kind (and, for
//! participants, the declared attributes, whose values `attributes` checks).
//! Output: model records whose references are resolved to indexes, and
//! diagnostics for
//! empty texts, unknown ids, malformed figures and URLs, and figures whose
//! numbers are not finite or out of [`FIGURE_RANGE`].

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location, Rule, Severity};
use crate::load::raw::{
    RawFigure, RawParticipantsFile, RawReferencesFile, RawRolesFile, RawServicesFile, RawStudyFile, RawTypologyFile,
};
use crate::model::{
    Amount, Attribute, Author, Figure, Metadata, Model, OrganisationType, Participant, Privacy, Reference,
    RoleCategories, RoleCategory, Service, Typology,
};
use crate::source::Sourced;
use crate::tabulate::{FIGURE_RANGE, is_figure_number};
use crate::validate::text::{checked, checked_optional};
use crate::validate::{Indexes, attributes};

const STUDY: &str = "study.yaml";
const TYPOLOGY: &str = "typology.yaml";
const ROLES: &str = "roles.yaml";
const SERVICES: &str = "services.yaml";
const REFERENCES: &str = "references.yaml";

/// The study's own fields (everything of `study.yaml` but the attribution):
/// its metadata and its figures.
pub fn study_fields(raw: &RawStudyFile, diagnostics: &mut Diagnostics) -> (Metadata, Vec<Figure>) {
    let optional = |what: &str, text, diagnostics: &mut Diagnostics| checked_optional(STUDY, what, text, diagnostics);
    let title = checked(STUDY, "the study's title", &raw.title, diagnostics);
    let language = language(raw.language.as_ref(), diagnostics);
    let short_title = optional("the short title", raw.short_title.as_ref(), diagnostics);
    let metadata = Metadata {
        short_title: short_title.unwrap_or_else(|| title.clone()),
        title,
        language,
        smart_punctuation: raw.smart_punctuation.is_none_or(|flag| flag.0),
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
    };
    let figures = raw
        .figures
        .iter()
        .filter_map(|figure| self::figure(figure, diagnostics))
        .collect();
    (metadata, figures)
}

pub const PRIVACY_THRESHOLD: Rule = Rule {
    id: "E342",
    name: "privacy-threshold",
    severity: Severity::Error,
    summary: "The study's `privacy: { k }` is not a whole number of at least 1.",
    why: "`k` is how many participants must share each combination of values the site publishes beside a participant (see docs/privacy-disclosure.md); a group of 0 participants means nothing, so `k` is 1 (no protection: every participant may be told apart) or more (2 by default).",
};

/// The study's disclosure-risk threshold: `privacy: { k }`, or the default.
pub fn privacy(raw: &RawStudyFile, diagnostics: &mut Diagnostics) -> Privacy {
    let Some(stated) = &raw.privacy else {
        return Privacy::default();
    };
    match usize::try_from(stated.k.value) {
        Ok(k) if k >= 1 => Privacy { k },
        _ => {
            diagnostics.push(
                Diagnostic::new(
                    Code::PrivacyThreshold,
                    format!("`privacy: {{ k }}` is {}, not a whole number of at least 1", stated.k.value),
                )
                .at(Location::at(STUDY, stated.k.at))
                .help(format!(
                    "write `k: 1` for no threshold, or the smallest group of participants a reader may not tell apart (by default {})",
                    Privacy::DEFAULT_K
                )),
            );
            Privacy::default()
        }
    }
}

pub const INVALID_LANGUAGE_TAG: Rule = Rule {
    id: "E311",
    name: "invalid-language-tag",
    severity: Severity::Error,
    summary: "The study's `language` is not a language tag such as `en`, `en-GB` or `cy`.",
    why: "The language tag goes into every page's `lang` attribute, which screen readers use to choose a voice and browsers to hyphenate and translate; a value that is not a tag (`English`) would mislead them. A tag is two or three letters, then optional parts after `-` (`en`, `en-GB`, `cy`).",
};

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
            Diagnostic::new(Code::InvalidLanguageTag, "the study's `language` is not a language tag")
                .at(Location::at(STUDY, tag.at))
                .help("write a BCP 47 language tag such as `en`, `en-GB` or `cy`"),
        );
    }
    tag.value.clone()
}

pub const BAD_FIGURE: Rule = Rule {
    id: "E304",
    name: "bad-figure",
    severity: Severity::Error,
    summary: "A figure without a value, or with a range that is not min <= mean <= max.",
    why: "A figure of the paper is either one value (`value: 12`) or a range (`min`, `max`, and optionally `mean`), and a range is only a range when min <= mean <= max: a figure that is neither, or both, cannot be shown or charted truthfully.",
};

fn figure(raw: &RawFigure, diagnostics: &mut Diagnostics) -> Option<Figure> {
    let what = format!("figure `{}`", raw.id.value);
    let label = checked(STUDY, &format!("the label of {what}"), &raw.label, diagnostics);
    if !figure_numbers_in_range(raw, diagnostics) {
        return None;
    }
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
            // `+ 0.0` makes a `-0` zero, so that it is printed `0`.
            let (min, max) = (min.value + 0.0, max.value + 0.0);
            let mean = raw.mean.as_ref().map(|mean| mean.value + 0.0);
            let ordered = min <= max && mean.is_none_or(|mean| min <= mean && mean <= max);
            if !ordered {
                diagnostics.push(problem(format!("{what} has a range that is not min <= mean <= max")));
                return None;
            }
            Amount::Range { min, max, mean }
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

pub const NUMBER_OUT_OF_RANGE: Rule = Rule {
    id: "E307",
    name: "number-out-of-range",
    severity: Severity::Error,
    summary: "A figure's number that is not finite or lies outside 0 to 1,000,000,000.",
    why: "Figures are counts, percentages, durations and years, and charts are drawn from them: `min`, `max` and `mean` of a figure, and a `value` that is a number, must be finite and between 0 and 1,000,000,000. `.nan`, `.inf` and `-.inf` are refused, so that every step of drawing a chart stays finite (a huge axis would never finish drawing).",
};

/// Reports (E307) each number of a figure that is not finite or out of
/// [`FIGURE_RANGE`]: `min`, `max`, `mean`, and `value` when it is written as
/// a number. Returns whether all are in range.
fn figure_numbers_in_range(raw: &RawFigure, diagnostics: &mut Diagnostics) -> bool {
    let value = raw
        .value
        .as_ref()
        .and_then(|value| number_in_text(&value.value).map(|number| Sourced::new(number, value.at)));
    let numbers = [
        ("min", raw.min.as_ref()),
        ("max", raw.max.as_ref()),
        ("mean", raw.mean.as_ref()),
        ("value", value.as_ref()),
    ];
    let mut in_range = true;
    for (key, number) in numbers {
        let Some(number) = number.filter(|number| !is_figure_number(number.value)) else {
            continue;
        };
        in_range = false;
        let why = if number.value.is_finite() {
            "is out of range"
        } else {
            "is not a finite number"
        };
        diagnostics.push(
            Diagnostic::new(
                Code::NumberOutOfRange,
                format!(
                    "`{key}` {why}: a figure's numbers are finite, from {} to {}",
                    FIGURE_RANGE.start(),
                    FIGURE_RANGE.end()
                ),
            )
            .at(Location::at(STUDY, number.at))
            .help("write the number as the paper states it (figures are counts, percentages, durations or years); put anything else in `note`"),
        );
    }
    in_range
}

/// The number a figure's `value` states, when it is written as a YAML number
/// (`3`, `-2.5`, `1e12`, `.inf`, `.nan`); `None` for text such as `about 40`.
fn number_in_text(text: &str) -> Option<f64> {
    let text = text.trim();
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return Some(if text.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return Some(f64::NAN);
    }
    let (mantissa, exponent) = unsigned
        .split_once(['e', 'E'])
        .map_or((unsigned, None), |(mantissa, exponent)| (mantissa, Some(exponent)));
    let digits = |part: &str| !part.is_empty() && part.chars().all(|character| character.is_ascii_digit());
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mantissa_ok = (digits(whole) || digits(fraction))
        && (whole.is_empty() || digits(whole))
        && (fraction.is_empty() || digits(fraction));
    let exponent_ok = exponent.is_none_or(|exponent| digits(exponent.strip_prefix(['-', '+']).unwrap_or(exponent)));
    if mantissa_ok && exponent_ok {
        text.parse().ok()
    } else {
        None
    }
}

/// The typology table's model heading when the study gives none.
pub const DEFAULT_MODEL_HEADING: &str = "Model";
/// The typology table's description heading when the study gives none.
pub const DEFAULT_DESCRIPTION_HEADING: &str = "Description";

pub fn typology(raw: &RawTypologyFile, diagnostics: &mut Diagnostics) -> Typology {
    let headings = raw.headings.as_ref();
    let heading = |text: Option<&Sourced<String>>, default: &str, diagnostics: &mut Diagnostics| {
        text.map_or_else(
            || default.to_owned(),
            |text| checked(TYPOLOGY, "a typology table heading", text, diagnostics),
        )
    };
    Typology {
        title: checked(TYPOLOGY, "the typology's title", &raw.title, diagnostics),
        model_heading: heading(
            headings.and_then(|headings| headings.model.as_ref()),
            DEFAULT_MODEL_HEADING,
            diagnostics,
        ),
        description_heading: heading(
            headings.and_then(|headings| headings.description.as_ref()),
            DEFAULT_DESCRIPTION_HEADING,
            diagnostics,
        ),
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

pub const UNKNOWN_MODEL: Rule = Rule {
    id: "E404",
    name: "unknown-model",
    severity: Severity::Error,
    summary: "A service names a typology model that typology.yaml does not list.",
    why: "Each service belongs to a model of the typology, which the sample table, attributions and charts show; a model that `typology.yaml` does not list has no name to show.",
};

pub const UNKNOWN_ORGANISATION_TYPE: Rule = Rule {
    id: "E405",
    name: "unknown-organisation-type",
    severity: Severity::Error,
    summary: "A service names an organisation type that services.yaml does not list.",
    why: "A service's organisation type appears in attributions and the sample table; one that `services.yaml` does not list has no name to show.",
};

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
            let name = checked_optional(
                SERVICES,
                &format!("the name of service `{}`", service.id.value),
                service.name.as_ref(),
                diagnostics,
            );
            Some(Service {
                id: service.id.value.clone(),
                name,
                description,
                organisation_type: organisation_type?,
                model: model?,
            })
        })
        .collect();
    (types, services)
}

pub const UNKNOWN_SERVICE: Rule = Rule {
    id: "E402",
    name: "unknown-service",
    severity: Severity::Error,
    summary: "A participant names a service that services.yaml does not list.",
    why: "A participant's service gives their attribution its organisation type and typology model; a participant in a service that is not listed cannot be attributed or counted in the sample table.",
};

pub const UNKNOWN_ROLE: Rule = Rule {
    id: "E403",
    name: "unknown-role",
    severity: Severity::Error,
    summary: "A participant names a role category that roles.yaml does not list.",
    why: "A participant's role category names them in every attribution and groups them in the sample table and charts; a role that `roles.yaml` does not define would leave both without a name.",
};

/// The participants, with their values of the declared `attributes`.
pub fn participants(
    raw: &RawParticipantsFile,
    attributes: &[Attribute],
    indexes: &Indexes,
    diagnostics: &mut Diagnostics,
) -> Vec<Option<Participant>> {
    raw.participants
        .iter()
        .map(|participant| {
            let id = &participant.id.value;
            let file = raw.file_of(participant);
            let values = attributes::values(file, participant, attributes, &raw.attributes, diagnostics);
            let (service, role, role_description) =
                attributes::relation_keys(file, participant, attributes, diagnostics)?;
            let role_description = checked(
                file,
                &format!("the role description of participant `{id}`"),
                role_description,
                diagnostics,
            );
            let service = indexes
                .services
                .as_ref()
                .and_then(|services| services.resolve(Code::UnknownService, "service", file, service, diagnostics));
            let role = indexes
                .roles
                .as_ref()
                .and_then(|roles| roles.resolve(Code::UnknownRole, "role category", file, role, diagnostics));
            Some(Participant {
                id: id.clone(),
                service: service?,
                role: role?,
                role_description,
                values: values?,
            })
        })
        .collect()
}

pub const INVALID_URL: Rule = Rule {
    id: "E312",
    name: "invalid-url",
    severity: Severity::Error,
    summary: "A reference's `url` that is not an http:// or https:// address.",
    why: "A reference's `url` becomes a link on the references page. An address without `https://` would be read as a path inside the site and lead nowhere, and a `javascript:` or `data:` address would be unsafe to link to, so only complete http and https addresses are kept.",
};

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
                            Code::InvalidUrl,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Position;

    fn figure_of(min: Option<f64>, max: Option<f64>, mean: Option<f64>, value: Option<&str>) -> RawFigure {
        let at = |line| Position::new(line, 10);
        RawFigure {
            id: Sourced::new("length".to_owned(), at(1)),
            label: Sourced::new("Length".to_owned(), at(2)),
            value: value.map(|value| Sourced::new(value.to_owned(), at(3))),
            min: min.map(|min| Sourced::new(min, at(4))),
            max: max.map(|max| Sourced::new(max, at(5))),
            mean: mean.map(|mean| Sourced::new(mean, at(6))),
            unit: None,
            note: None,
            approximate: crate::load::raw::Flag(false),
        }
    }

    fn problems(raw: &RawFigure) -> Vec<(Code, u32)> {
        let mut sink = Diagnostics::new();
        let figure = figure(raw, &mut sink);
        let found: Vec<(Code, u32)> = sink
            .into_sorted()
            .into_iter()
            .map(|found| {
                (
                    found.code,
                    found.location.and_then(|at| at.position).map_or(0, |at| at.line),
                )
            })
            .collect();
        assert_eq!(figure.is_some(), found.is_empty());
        found
    }

    #[test]
    fn figures_in_range_pass() {
        assert!(problems(&figure_of(Some(20.0), Some(40.0), Some(31.0), None)).is_empty());
        assert!(problems(&figure_of(Some(0.0), Some(1e9), None, None)).is_empty());
        for value in ["3", "about 40", "1,234", "0x10", "n/a", "2024"] {
            assert!(
                problems(&figure_of(None, None, None, Some(value))).is_empty(),
                "{value}"
            );
        }
    }

    #[test]
    fn numbers_out_of_range_are_e307_at_each_value() {
        let huge = figure_of(Some(1.0), Some(1.7e308), Some(f64::NAN), None);
        assert_eq!(
            problems(&huge),
            vec![(Code::NumberOutOfRange, 5), (Code::NumberOutOfRange, 6)]
        );
        let negative = figure_of(Some(-1.0), Some(f64::INFINITY), Some(f64::NEG_INFINITY), None);
        assert_eq!(problems(&negative).len(), 3);
        for value in [".inf", "-.inf", ".nan", ".NaN", "+.INF", "1e400", "-3", "1.5e10"] {
            assert_eq!(
                problems(&figure_of(None, None, None, Some(value))),
                vec![(Code::NumberOutOfRange, 3)],
                "{value}"
            );
        }
    }

    #[test]
    fn messages_name_the_key_and_the_range_only() {
        let mut sink = Diagnostics::new();
        figure(&figure_of(Some(1.0), Some(1.7e308), None, None), &mut sink);
        let found = sink.into_sorted();
        assert_eq!(
            found[0].message,
            "`max` is out of range: a figure's numbers are finite, from 0 to 1000000000"
        );
    }

    #[test]
    fn numbers_are_read_as_yaml_writes_them() {
        assert_eq!(number_in_text("3"), Some(3.0));
        assert_eq!(number_in_text(" -2.5 "), Some(-2.5));
        assert_eq!(number_in_text(".5"), Some(0.5));
        assert_eq!(number_in_text("1e3"), Some(1000.0));
        assert_eq!(number_in_text("-.inf"), Some(f64::NEG_INFINITY));
        assert!(number_in_text(".nan").is_some_and(f64::is_nan));
        for text in ["about 40", "e5", ".", "1e", "1.2.3", "inf", "NaN", "3 hours", ""] {
            assert_eq!(number_in_text(text), None, "{text}");
        }
    }
}
