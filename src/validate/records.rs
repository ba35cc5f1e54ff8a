//! The records of the YAML files: typology, roles, organisation types,
//! services, participants, references, and the study's own fields.
//!
//! Input: raw records and the [`Indexes`] of every kind (and, for
//! participants, the declared attributes, whose values `attributes` checks).
//! Output: model records whose references are resolved to indexes, and
//! diagnostics for
//! empty texts, unknown ids, malformed figures and URLs, figures whose
//! numbers are not finite or out of [`FIGURE_RANGE`], participants whose
//! `consent` is missing or unknown, and figures whose stated count differs
//! from the one the study gives.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location, Rule, Severity, did_you_mean};
use crate::load::raw::{
    RawFigure, RawParticipant, RawParticipantsFile, RawReferencesFile, RawRolesFile, RawServicesFile, RawStudyFile,
    RawTypologyFile,
};
use crate::model::{
    Amount, Attribute, Author, Consent, Figure, Metadata, Model, OrganisationType, Participant, Privacy, Reference,
    RoleCategories, RoleCategory, Service, Study, Typology,
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
    why: "`k` is how many participants must share each combination of values the site publishes beside a participant (see docs/privacy.md#disclosure-risk-k-anonymity); a group of 0 participants means nothing, so `k` is 1 (no protection: every participant may be told apart) or more (2 by default).",
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
    check_counts(raw, diagnostics);
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

/// What a figure's `counts` may name, as written.
const COUNTED: [(&str, Counted); 2] = [("participants", Counted::Participants), ("services", Counted::Services)];

/// What a figure counts, which the study can count too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Counted {
    /// The participants (the withdrawn not counted).
    Participants,
    /// The services with at least one participant (the withdrawn not counted).
    Services,
}

impl Counted {
    fn named(name: &str) -> Option<Self> {
        COUNTED
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, counted)| *counted)
    }

    fn name(self) -> &'static str {
        COUNTED
            .iter()
            .find(|(_, known)| *known == self)
            .map_or("", |(name, _)| name)
    }

    /// The count the study gives.
    fn in_study(self, study: &Study) -> usize {
        match self {
            Self::Participants => study.participants.len(),
            Self::Services => study.services_with_participants().len(),
        }
    }
}

/// The whole number a figure's `value` states, if it states one.
fn whole_value(raw: &RawFigure) -> Option<u64> {
    let number = number_in_text(&raw.value.as_ref()?.value)?;
    if number.fract() != 0.0 || !is_figure_number(number) {
        return None;
    }
    // Whole and within FIGURE_RANGE, so the conversion is exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let whole = number as u64;
    Some(whole)
}

pub const FIGURE_COUNTS: Rule = Rule {
    id: "E332",
    name: "figure-counts",
    severity: Severity::Error,
    summary: "A figure's `counts` that is not `participants` or `services`, or on a figure whose `value` is not a whole number.",
    why: "`counts` says what a figure counts, so that its value can be checked against the count the study gives (without withdrawn participants): only `participants` and `services` can be counted, and only a figure with one whole-number `value` can be compared with a count.",
};

/// Reports (E332) a figure's `counts` that names nothing countable, or
/// that stands on a figure without a whole-number value.
fn check_counts(raw: &RawFigure, diagnostics: &mut Diagnostics) {
    let Some(counts) = &raw.counts else { return };
    let id = &raw.id.value;
    if Counted::named(&counts.value).is_none() {
        let names = COUNTED.iter().map(|(name, _)| *name);
        let help = match did_you_mean(&counts.value, names) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "write `counts: participants` or `counts: services`, or remove `counts` if the figure counts something else".to_owned(),
        };
        diagnostics.push(
            Diagnostic::new(
                Code::FigureCounts,
                format!("the `counts` of figure `{id}` is not `participants` or `services`"),
            )
            .at(Location::at(STUDY, counts.at))
            .help(help),
        );
    } else if whole_value(raw).is_none() {
        diagnostics.push(
            Diagnostic::new(
                Code::FigureCounts,
                format!("figure `{id}` has `counts` but no `value` that is a whole number"),
            )
            .at(Location::at(STUDY, counts.at))
            .help("give the count as `value:` (such as `value: 8`), or remove `counts`"),
        );
    }
}

pub const FIGURE_COUNT_DIFFERS: Rule = Rule {
    id: "W025",
    name: "figure-count-differs",
    severity: Severity::Warning,
    summary: "A figure whose value differs from the count of what its `counts` names.",
    why: "A figure the study states by hand (\"8 interviews\") goes stale when a participant withdraws or a record is added: with `counts: participants` or `counts: services` its value is compared with the count the study gives, which every table and chart of the site shows, and which leaves out withdrawn participants.",
};

/// Reports (W025) each figure whose stated count differs from the count
/// `study` gives (its withdrawn participants already left out).
pub fn check_figure_counts(raw: &RawStudyFile, study: &Study, diagnostics: &mut Diagnostics) {
    for figure in &raw.figures {
        let (Some(counts), Some(value)) = (&figure.counts, &figure.value) else {
            continue;
        };
        let (Some(counted), Some(stated)) = (Counted::named(&counts.value), whole_value(figure)) else {
            continue;
        };
        let computed = counted.in_study(study);
        if u64::try_from(computed).ok() == Some(stated) {
            continue;
        }
        let withdrawn = match study.withdrawn.len() {
            0 => String::new(),
            1 => " (1 withdrawn participant not counted)".to_owned(),
            count => format!(" ({count} withdrawn participants not counted)"),
        };
        let found = match counted {
            Counted::Participants => format!("the study has {computed}"),
            Counted::Services => format!("{computed} have participants"),
        };
        diagnostics.push(
            Diagnostic::new(
                Code::FigureCountDiffers,
                format!(
                    "figure `{}` states {stated} {}, but {found}{withdrawn}",
                    figure.id.value,
                    counted.name()
                ),
            )
            .at(Location::at(STUDY, value.at))
            .help(format!(
                "write `value: {computed}`, or remove `counts` if the figure counts something else"
            )),
        );
    }
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

pub fn typology(raw: &RawTypologyFile, diagnostics: &mut Diagnostics) -> Typology {
    let headings = raw.headings.as_ref();
    // Without a heading of the study's, the label templates word it.
    let heading = |text: Option<&Sourced<String>>, diagnostics: &mut Diagnostics| {
        text.map(|text| checked(TYPOLOGY, "a typology table heading", text, diagnostics))
    };
    Typology {
        title: checked_optional(TYPOLOGY, "the typology's title", raw.title.as_ref(), diagnostics),
        model_heading: heading(headings.and_then(|headings| headings.model.as_ref()), diagnostics),
        description_heading: heading(headings.and_then(|headings| headings.description.as_ref()), diagnostics),
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
        title: checked_optional(ROLES, "the roles' title", raw.title.as_ref(), diagnostics),
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

pub const CONSENT_VALUE: Rule = Rule {
    id: "E330",
    name: "consent-value",
    severity: Severity::Error,
    summary: "A participant without `consent`, or whose `consent` is not `quote`, `no-quote` or `withdrawn`.",
    why: "What a participant consented to decides what is published of them: `quote` (they may be quoted anonymously), `no-quote` (they are counted in tables and charts and have a page, but none of their words are published) or `withdrawn` (they appear nowhere in the site). findings never guesses consent, so every participant states it.",
};

/// What each value of `consent` means, for a help line.
fn consent_values() -> String {
    Consent::ALL
        .iter()
        .map(|(_, name, meaning)| format!("`{name}` ({meaning})"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Each participant's consent, in file order; `None` where it is missing
/// or unknown (reported, E330).
pub fn consents(
    raw: &RawParticipantsFile,
    attributes: &[Attribute],
    diagnostics: &mut Diagnostics,
) -> Vec<Option<Consent>> {
    raw.participants
        .iter()
        .map(|participant| consent(raw.file_of(participant), participant, attributes, diagnostics))
        .collect()
}

/// The participant's consent, if stated and known. A missing one is not
/// reported when an undeclared key of theirs misspells `consent` (E320).
fn consent(
    file: &str,
    participant: &RawParticipant,
    attributes: &[Attribute],
    diagnostics: &mut Diagnostics,
) -> Option<Consent> {
    let id = &participant.id.value;
    let Some(written) = &participant.consent else {
        if !attributes::misspells_key(participant, attributes, "consent") {
            diagnostics.push(
                Diagnostic::new(Code::ConsentValue, format!("participant `{id}` states no `consent`"))
                    .at(Location::at(file, participant.id.at))
                    .help(format!("add `consent:` with one of {}", consent_values())),
            );
        }
        return None;
    };
    let consent = Consent::named(&written.value);
    if consent.is_none() {
        let names = Consent::ALL.iter().map(|(_, name, _)| *name);
        let guess =
            did_you_mean(&written.value, names).map_or_else(String::new, |best| format!("did you mean `{best}`? "));
        diagnostics.push(
            Diagnostic::new(
                Code::ConsentValue,
                format!("the `consent` of participant `{id}` is not `quote`, `no-quote` or `withdrawn`"),
            )
            .at(Location::at(file, written.at))
            .help(format!("{guess}write one of {}", consent_values())),
        );
    }
    consent
}

/// The participants, with their values of the declared `attributes` and
/// their `consents` (see [`consents`]), the withdrawn among them.
pub fn participants(
    raw: &RawParticipantsFile,
    attributes: &[Attribute],
    consents: &[Option<Consent>],
    indexes: &Indexes,
    diagnostics: &mut Diagnostics,
) -> Vec<Option<Participant>> {
    raw.participants
        .iter()
        .zip(consents)
        .map(|(participant, consent)| {
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
                consent: (*consent)?,
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
            counts: None,
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

    fn participant(consent: Option<&str>, other_keys: &[&str]) -> RawParticipant {
        let text = |value: &str, line| Sourced::new(value.to_owned(), Position::new(line, 5));
        RawParticipant {
            id: text("P07", 1),
            service: Some(text("1", 2)),
            role: Some(text("manager", 3)),
            role_description: Some(text("Manages.", 4)),
            consent: consent.map(|consent| text(consent, 5)),
            values: other_keys.iter().map(|key| (text(key, 6), text("quote", 6))).collect(),
            file: 0,
        }
    }

    /// The consent of `raw`, and each problem as `(code, line, help)`.
    fn consent_of(raw: &RawParticipant) -> (Option<Consent>, Vec<(Code, u32, String)>) {
        let mut sink = Diagnostics::new();
        let consent = consent("participants.yaml", raw, &[], &mut sink);
        let found = sink
            .into_sorted()
            .into_iter()
            .map(|found| {
                let line = found.location.and_then(|at| at.position).map_or(0, |at| at.line);
                (found.code, line, found.help.unwrap_or_default())
            })
            .collect();
        (consent, found)
    }

    #[test]
    fn each_consent_value_is_read() {
        for (expected, name, _) in Consent::ALL {
            assert_eq!(consent_of(&participant(Some(name), &[])), (Some(expected), Vec::new()));
        }
    }

    #[test]
    fn a_missing_consent_is_e330_at_the_participant_saying_what_each_value_means() {
        let (consent, found) = consent_of(&participant(None, &[]));
        assert_eq!(consent, None);
        assert_eq!(found.len(), 1);
        let (code, line, help) = &found[0];
        assert_eq!((*code, *line), (Code::ConsentValue, 1));
        for (_, name, meaning) in Consent::ALL {
            assert!(help.contains(&format!("`{name}` ({meaning})")), "{help}");
        }
    }

    #[test]
    fn an_unknown_consent_is_e330_at_the_value_with_the_closest_one() {
        let (consent, found) = consent_of(&participant(Some("no quote"), &[]));
        assert_eq!(consent, None);
        assert_eq!(found[0].0, Code::ConsentValue);
        assert_eq!(found[0].1, 5);
        assert!(found[0].2.starts_with("did you mean `no-quote`?"), "{}", found[0].2);
        let (_, found) = consent_of(&participant(Some("yes"), &[]));
        assert!(found[0].2.starts_with("write one of"), "{}", found[0].2);
    }

    /// A misspelt `consent` key is E320 (with a did-you-mean), not also E330.
    #[test]
    fn a_misspelt_consent_key_is_not_reported_missing_too() {
        assert_eq!(consent_of(&participant(None, &["consnet"])), (None, Vec::new()));
    }

    fn counted(value: Option<&str>, counts: &str, range: bool) -> Vec<Code> {
        let mut raw = if range {
            figure_of(Some(1.0), Some(2.0), None, None)
        } else {
            figure_of(None, None, None, value)
        };
        raw.counts = Some(Sourced::new(counts.to_owned(), Position::new(7, 13)));
        let mut sink = Diagnostics::new();
        check_counts(&raw, &mut sink);
        sink.into_sorted().into_iter().map(|found| found.code).collect()
    }

    #[test]
    fn counts_names_participants_or_services_on_a_whole_number() {
        assert!(counted(Some("8"), "participants", false).is_empty());
        assert!(counted(Some("6"), "services", false).is_empty());
        assert_eq!(counted(Some("8"), "interviews", false), [Code::FigureCounts]);
        assert_eq!(counted(Some("about 8"), "participants", false), [Code::FigureCounts]);
        assert_eq!(counted(Some("8.5"), "participants", false), [Code::FigureCounts]);
        assert_eq!(counted(None, "participants", true), [Code::FigureCounts]);
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
