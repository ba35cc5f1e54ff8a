//! The participant attributes a study declares, each participant's values
//! of them, and the fields the study chooses to publish: the sample table's
//! columns and the fields of participant and service pages.
//!
//! Input: `participants.yaml` (or the files of `participants/`) as read.
//! Output: the declared [`Attribute`]s, each participant's
//! [`AttributeValue`]s, the [`SampleTable`] and the pages' [`Column`]s, and
//! diagnostics for undeclared keys, unknown categories, missing values,
//! declarations that are not well formed and fields that name nothing.
//! [`FieldNames`] is the one lookup of field names (relations and declared
//! attributes) that attributions, tables, pages and charts share.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location, Rule, Severity, did_you_mean};
use crate::load::raw::{RawAttribute, RawColumn, RawParticipant, RawParticipantsFile, Text};
use crate::model::{Attribute, AttributeKind, AttributeValue, Category, Column, Field, Relation, SampleTable};
use crate::validate::text::checked;

/// The names a study's fields go by: the relations, then its declared
/// attributes.
#[derive(Clone, Copy, Debug)]
pub struct FieldNames<'a> {
    attributes: &'a [Attribute],
    /// Every declaration as written, also those left out as malformed
    /// (already reported), whose names are then not reported as unknown.
    declared: &'a [RawAttribute],
    /// Whether the attributes are all known (`participants.yaml` was read);
    /// when not, an unknown name is not reported, since it may be one of them.
    pub complete: bool,
}

impl<'a> FieldNames<'a> {
    /// The names of the relations and of `attributes`, which were declared
    /// by `declared` (with the malformed declarations left out).
    #[must_use]
    pub const fn new(attributes: &'a [Attribute], declared: &'a [RawAttribute]) -> Self {
        Self {
            attributes,
            declared,
            complete: true,
        }
    }

    /// The names of the relations only, with the attributes unknown.
    #[must_use]
    pub const fn incomplete() -> Self {
        Self {
            attributes: &[],
            declared: &[],
            complete: false,
        }
    }

    /// The field `name` names.
    #[must_use]
    pub fn resolve(&self, name: &str) -> Option<Field> {
        Relation::named(name).map(Field::Relation).or_else(|| {
            self.attributes
                .iter()
                .position(|attribute| attribute.id == name)
                .map(Field::Attribute)
        })
    }

    /// Whether an unknown `name` is to be reported: the attributes are all
    /// known, and no malformed declaration (already reported) has it.
    #[must_use]
    pub fn reports_unknown(&self, name: &str) -> bool {
        self.complete && !self.declared.iter().any(|declaration| declaration.id.value == name)
    }

    /// Every name, relations first.
    pub fn names(self) -> impl Iterator<Item = &'a str> + Clone {
        Relation::ALL
            .iter()
            .map(|(_, name)| *name)
            .chain(self.attributes.iter().map(|attribute| attribute.id.as_str()))
    }

    /// The attribute at `index`.
    #[must_use]
    pub fn attribute(&self, index: usize) -> Option<&'a Attribute> {
        self.attributes.get(index)
    }

    /// The heading a field has when nothing else gives one: the
    /// attribute's label, or the relation's default.
    #[must_use]
    pub fn default_heading(&self, field: Field) -> String {
        crate::model::default_heading(self.attributes, field)
    }

    /// `help` for an unknown field name: the closest name, or all of them.
    fn help(&self, name: &str) -> String {
        match did_you_mean(name, self.names()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("fields: {}", quoted_list(self.names())),
        }
    }
}

/// `a`, `b`, `c`.
fn quoted_list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
}

pub const RESERVED_ATTRIBUTE_ID: Rule = Rule {
    id: "E323",
    name: "reserved-attribute-id",
    severity: Severity::Error,
    summary: "An attribute whose id is the name of a relation or a participant's own key (`id`, `service`, `role`, `consent`, `model`, …).",
    why: "A participant's attributes are written as keys beside `id`, `service`, `role`, `role_description` and `consent`, and tables, pages, attributions and charts name relations (`participant`, `service`, `service_description`, `role`, `role_description`, `organisation_type`, `model`) and attributes alike: an attribute with one of those names could not be told apart from the relation.",
};

pub const ATTRIBUTE_DECLARATION: Rule = Rule {
    id: "E326",
    name: "attribute-declaration",
    severity: Severity::Error,
    summary: "An attribute that is not declared as either `categories:` or `type: text`, or whose id is not a plain name.",
    why: "Each attribute is either a closed list of categories (which tables show by label and charts count in order) or free text (`type: text`, shown as written and never counted); one that is both, neither, or another type cannot be checked or shown. Its id is the key participants write, so it is letters, digits, `_` and `-`, starting with a letter.",
};

pub const DUPLICATE_ATTRIBUTE: Rule = Rule {
    id: "E327",
    name: "duplicate-attribute",
    severity: Severity::Error,
    summary: "Two attributes with one id, or two categories of one attribute with one id.",
    why: "Participants name an attribute by its id and a category by its id; with two of either, a value would mean two things.",
};

use crate::load::raw::PARTICIPANT_KEYS;

/// Whether `id` may name an attribute: letters, digits, `_` and `-`,
/// starting with a letter.
fn is_attribute_id(id: &str) -> bool {
    id.chars().next().is_some_and(|first| first.is_ascii_alphabetic())
        && id
            .chars()
            .all(|character| character.is_ascii_alphanumeric() || matches!(character, '_' | '-'))
}

/// Whether two ids are the same id: ids are compared ignoring case, as
/// every other id of a study is.
fn same_id(known: &str, id: &str) -> bool {
    known.to_lowercase() == id.to_lowercase()
}

/// The attributes `participants.yaml` declares, in order. A declaration
/// that is not well formed is reported and left out.
pub fn declared(raw: &RawParticipantsFile, diagnostics: &mut Diagnostics) -> Vec<Attribute> {
    let file = raw.sample_table_file();
    let mut attributes: Vec<Attribute> = Vec::new();
    for declaration in &raw.attributes {
        let id = &declaration.id;
        if let Some(known) = attributes.iter().find(|known| same_id(&known.id, &id.value)) {
            let message = if known.id == id.value {
                format!("the attribute `{}` is declared twice", id.value)
            } else {
                format!(
                    "the attribute `{}` is already declared as `{}` (ids are compared ignoring case)",
                    id.value, known.id
                )
            };
            diagnostics.push(
                Diagnostic::new(Code::DuplicateAttribute, message)
                    .at(Location::at(file, id.at))
                    .help("keep one declaration, or give this one another id"),
            );
            continue;
        }
        if Relation::named(&id.value).is_some() || PARTICIPANT_KEYS.contains(&id.value.as_str()) {
            diagnostics.push(
                Diagnostic::new(
                    Code::ReservedAttributeId,
                    format!(
                        "`{}` is a relation or a participant's own key, not an attribute",
                        id.value
                    ),
                )
                .at(Location::at(file, id.at))
                .help("give the attribute another id (for a relation, name it directly where it is shown)"),
            );
            continue;
        }
        if let Some(attribute) = attribute(file, declaration, diagnostics) {
            attributes.push(attribute);
        }
    }
    attributes
}

/// One declaration, if well formed.
fn attribute(file: &str, raw: &RawAttribute, diagnostics: &mut Diagnostics) -> Option<Attribute> {
    let id = &raw.id.value;
    let problem = |message: String, at| {
        Diagnostic::new(Code::AttributeDeclaration, message)
            .at(Location::at(file, at))
            .help("give either `categories:` (a list of `id` and `label`) or `type: text`")
    };
    if !is_attribute_id(id) {
        diagnostics.push(
            Diagnostic::new(
                Code::AttributeDeclaration,
                format!("the attribute id `{id}` is not a plain name"),
            )
            .at(Location::at(file, raw.id.at))
            .help("use letters, digits, `_` and `-`, starting with a letter (`years_in_post`)"),
        );
        return None;
    }
    let label = checked(file, &format!("the label of attribute `{id}`"), &raw.label, diagnostics);
    let kind = match (&raw.categories, &raw.kind) {
        (Some(categories), None) if !categories.is_empty() => {
            AttributeKind::Categories(self::categories(file, id, categories, diagnostics))
        }
        (Some(_), None) => {
            diagnostics.push(problem(format!("the attribute `{id}` lists no categories"), raw.id.at));
            return None;
        }
        (None, Some(kind)) if kind.value == "text" => AttributeKind::Text,
        (None, Some(kind)) => {
            diagnostics.push(problem(format!("the attribute `{id}` has an unknown type"), kind.at));
            return None;
        }
        (Some(_), Some(_)) => {
            diagnostics.push(problem(
                format!("the attribute `{id}` has both `categories` and `type`"),
                raw.id.at,
            ));
            return None;
        }
        (None, None) => {
            diagnostics.push(problem(
                format!("the attribute `{id}` has neither `categories` nor `type`"),
                raw.id.at,
            ));
            return None;
        }
    };
    Some(Attribute {
        id: id.clone(),
        label,
        kind,
    })
}

/// The categories of attribute `id`, without repeats.
fn categories(
    file: &str,
    id: &str,
    raw: &[crate::load::raw::RawCategory],
    diagnostics: &mut Diagnostics,
) -> Vec<Category> {
    let mut categories: Vec<Category> = Vec::new();
    for category in raw {
        if let Some(known) = categories.iter().find(|known| same_id(&known.id, &category.id.value)) {
            let message = if known.id == category.id.value {
                format!("the attribute `{id}` lists the category `{}` twice", category.id.value)
            } else {
                format!(
                    "the attribute `{id}` lists the category `{}` and `{}`, which differ only by case",
                    known.id, category.id.value
                )
            };
            diagnostics.push(
                Diagnostic::new(Code::DuplicateAttribute, message)
                    .at(Location::at(file, category.id.at))
                    .help("keep one of the two (ids are compared ignoring case)"),
            );
            continue;
        }
        let what = format!("a category of attribute `{id}`");
        let category_id = checked(file, &what, &category.id, diagnostics);
        let label = match &category.label {
            Some(label) => checked(file, &format!("the label of {what}"), label, diagnostics),
            None => category_id.clone(),
        };
        categories.push(Category { id: category_id, label });
    }
    categories
}

pub const UNKNOWN_PARTICIPANT_KEY: Rule = Rule {
    id: "E320",
    name: "unknown-participant-key",
    severity: Severity::Error,
    summary: "A participant gives a key that is neither one of theirs (`id`, `service`, `role`, `role_description`, `consent`) nor a declared attribute.",
    why: "A participant's values are checked against the attributes `participants.yaml` declares under `attributes:`; a key that is not declared is most often a misspelling, and would otherwise be silently left out of every table, page and chart.",
};

/// The participant's `service`, `role` and `role_description`, if all
/// are given. Each missing one is reported (E107) at the participant's id,
/// unless an undeclared key of theirs is a misspelling of it (reported by
/// [`values`]).
pub fn relation_keys<'a>(
    file: &str,
    participant: &'a RawParticipant,
    attributes: &[Attribute],
    diagnostics: &mut Diagnostics,
) -> Option<(&'a Text, &'a Text, &'a Text)> {
    let keys = [
        ("service", participant.service.as_ref()),
        ("role", participant.role.as_ref()),
        ("role_description", participant.role_description.as_ref()),
    ];
    for (key, value) in keys {
        if value.is_none() && !misspells_key(participant, attributes, key) {
            diagnostics.push(
                Diagnostic::new(
                    Code::MissingKey,
                    format!("participant `{}` has no `{key}`", participant.id.value),
                )
                .at(Location::at(file, participant.id.at))
                .help(format!("add `{key}:` to the participant")),
            );
        }
    }
    Some((
        participant.service.as_ref()?,
        participant.role.as_ref()?,
        participant.role_description.as_ref()?,
    ))
}

/// Whether an undeclared key of `participant` is a misspelling of their
/// own `key` (reported by [`values`] with a did-you-mean), so that `key`
/// is not reported missing too.
pub fn misspells_key(participant: &RawParticipant, attributes: &[Attribute], key: &str) -> bool {
    participant.values.iter().any(|(written, _)| {
        !attributes.iter().any(|attribute| attribute.id == written.value)
            && did_you_mean(&written.value, PARTICIPANT_KEYS.iter().copied()) == Some(key)
    })
}

pub const UNKNOWN_CATEGORY: Rule = Rule {
    id: "E321",
    name: "unknown-category",
    severity: Severity::Error,
    summary: "A participant's value of an attribute that is not one of the attribute's categories.",
    why: "An attribute with categories is a closed list, so that tables show each value by its label and charts count each category once, in the declared order; a value outside the list (`f` where the list has `F`) would be a category of its own.",
};

pub const MISSING_ATTRIBUTE: Rule = Rule {
    id: "E322",
    name: "missing-attribute",
    severity: Severity::Error,
    summary: "A participant who gives no value for an attribute the study declares.",
    why: "Every declared attribute is a column the sample table can show and a dimension charts can count; a participant without a value would leave a hole in the table and drop out of the count. When a value is unknown, declare a category for that (`not-stated`).",
};

/// The attribute values of `participant`, in the order of `attributes`;
/// `None` after reporting an undeclared key, an unknown category or a
/// missing value.
pub fn values(
    file: &str,
    participant: &RawParticipant,
    attributes: &[Attribute],
    declared: &[RawAttribute],
    diagnostics: &mut Diagnostics,
) -> Option<Vec<AttributeValue>> {
    let mut values: Vec<Option<AttributeValue>> = vec![None; attributes.len()];
    let mut ok = true;
    let person = &participant.id.value;
    for (key, value) in &participant.values {
        let Some(index) = attributes.iter().position(|attribute| attribute.id == key.value) else {
            // A declaration reported as malformed is not reported again here.
            if !declared.iter().any(|declaration| declaration.id.value == key.value) {
                let names = PARTICIPANT_KEYS
                    .iter()
                    .copied()
                    .chain(attributes.iter().map(|attribute| attribute.id.as_str()));
                let help = match did_you_mean(&key.value, names.clone()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None if attributes.is_empty() => {
                        "declare it under `attributes:` at the top of the file, or remove it".to_owned()
                    }
                    None => format!(
                        "declare it under `attributes:`, or use one of {}",
                        quoted_list(attributes.iter().map(|attribute| attribute.id.as_str()))
                    ),
                };
                diagnostics.push(
                    Diagnostic::new(
                        Code::UnknownParticipantKey,
                        format!(
                            "participant `{person}` gives `{}`, which is not a declared attribute",
                            key.value
                        ),
                    )
                    .at(Location::at(file, key.at))
                    .help(help),
                );
            }
            ok = false;
            continue;
        };
        let attribute = &attributes[index];
        values[index] = value_of(file, person, attribute, value, diagnostics);
        ok &= values[index].is_some();
    }
    for (attribute, value) in attributes.iter().zip(&values) {
        let written = participant.values.iter().any(|(key, _)| {
            // Given, or misspelt (reported above with a did-you-mean).
            key.value == attribute.id
                || (!attributes.iter().any(|known| known.id == key.value)
                    && did_you_mean(
                        &key.value,
                        PARTICIPANT_KEYS
                            .iter()
                            .copied()
                            .chain(attributes.iter().map(|known| known.id.as_str())),
                    ) == Some(attribute.id.as_str()))
        });
        if value.is_none() && !written {
            ok = false;
            diagnostics.push(
                Diagnostic::new(
                    Code::MissingAttribute,
                    format!("participant `{person}` gives no `{}`", attribute.id),
                )
                .at(Location::at(file, participant.id.at))
                .help(match &attribute.kind {
                    AttributeKind::Categories(categories) => format!(
                        "add `{}:` with one of {}",
                        attribute.id,
                        quoted_list(categories.iter().map(|category| category.id.as_str()))
                    ),
                    AttributeKind::Text => format!("add `{}:` and its text", attribute.id),
                }),
            );
        }
    }
    ok.then(|| values.into_iter().flatten().collect())
}

/// A participant's value of `attribute`, if it is one.
fn value_of(
    file: &str,
    person: &str,
    attribute: &Attribute,
    value: &Text,
    diagnostics: &mut Diagnostics,
) -> Option<AttributeValue> {
    let what = format!("the {} of participant `{person}`", attribute.id);
    match &attribute.kind {
        AttributeKind::Text => Some(AttributeValue::Text(checked(file, &what, value, diagnostics))),
        AttributeKind::Categories(categories) => {
            let found = categories.iter().position(|category| category.id == value.value);
            if found.is_none() {
                let ids = categories.iter().map(|category| category.id.as_str());
                let allowed = quoted_list(ids.clone());
                let help = match did_you_mean(&value.value, ids) {
                    Some(best) => format!("did you mean `{best}`? (categories: {allowed})"),
                    None => format!("categories: {allowed}"),
                };
                diagnostics.push(
                    Diagnostic::new(
                        Code::UnknownCategory,
                        format!("{what} is not a category of `{}`", attribute.id),
                    )
                    .at(Location::at(file, value.at))
                    .help(help),
                );
            }
            found.map(AttributeValue::Category)
        }
    }
}

pub const UNKNOWN_FIELD: Rule = Rule {
    id: "E324",
    name: "unknown-field",
    severity: Severity::Error,
    summary: "A sample table column or page field that names neither a relation nor a declared attribute, or a service page field that is not a fact of the service.",
    why: "The sample table's columns and the fields of participant and service pages are chosen by name: a relation (`participant`, `service`, `service_description`, `role`, `role_description`, `organisation_type`, `model`) or an attribute declared under `attributes:`. A name that is neither (often a misspelling) has nothing to show, and a service's page can only show what is true of the whole service.",
};

/// Where a list of columns is written, and what it may show.
#[derive(Clone, Copy)]
pub struct ColumnsOf<'a> {
    /// The file.
    pub file: &'a str,
    /// What the list is, for messages ("the sample table").
    pub what: &'a str,
    /// Whether only facts of the service may be shown.
    pub service_only: bool,
}

/// The columns `raw` names, with headings given or else `heading(field)`.
pub fn columns(
    place: ColumnsOf<'_>,
    raw: &[RawColumn],
    names: &FieldNames<'_>,
    heading: impl Fn(Field) -> String,
    diagnostics: &mut Diagnostics,
) -> Vec<Column> {
    let mut columns = Vec::new();
    for column in raw {
        let name = &column.field;
        let Some(field) = names.resolve(&name.value) else {
            if names.reports_unknown(&name.value) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::UnknownField,
                        format!("{} names an unknown field `{}`", place.what, name.value),
                    )
                    .at(Location::at(place.file, name.at))
                    .help(names.help(&name.value)),
                );
            }
            continue;
        };
        if place.service_only && !matches!(field, Field::Relation(relation) if relation.of_service()) {
            diagnostics.push(
                Diagnostic::new(
                    Code::UnknownField,
                    format!(
                        "{} names `{}`, which is not a fact of the service",
                        place.what, name.value
                    ),
                )
                .at(Location::at(place.file, name.at))
                .help("a service's page may show `service`, `service_description`, `organisation_type` and `model`"),
            );
            continue;
        }
        let heading = match &column.heading {
            Some(text) => checked(
                place.file,
                &format!("the heading of `{}`", name.value),
                text,
                diagnostics,
            ),
            None => heading(field),
        };
        columns.push(Column { field, heading });
    }
    columns
}

/// The sample table: the study's columns, or by default the service, the
/// role, each attribute, the organisation type and the model.
pub fn sample_table(raw: &RawParticipantsFile, names: &FieldNames<'_>, diagnostics: &mut Diagnostics) -> SampleTable {
    let file = raw.sample_table_file();
    let Some(table) = &raw.sample_table else {
        let attributes = (0..names.attributes.len()).map(Field::Attribute);
        let fields = [Relation::Service, Relation::Role]
            .map(Field::Relation)
            .into_iter()
            .chain(attributes)
            .chain([Relation::OrganisationType, Relation::Model].map(Field::Relation));
        return SampleTable {
            caption: String::new(),
            columns: fields
                .map(|field| Column {
                    field,
                    heading: names.default_heading(field),
                })
                .collect(),
        };
    };
    let place = ColumnsOf {
        file,
        what: "the sample table",
        service_only: false,
    };
    SampleTable {
        caption: table.caption.as_ref().map_or_else(String::new, |caption| {
            checked(file, "the sample table's caption", caption, diagnostics)
        }),
        columns: columns(
            place,
            &table.columns,
            names,
            |field| names.default_heading(field),
            diagnostics,
        ),
    }
}

/// The fields of participant pages and of service pages. By default a
/// participant's page shows the sample table's columns, and a service's
/// page those of its columns that are facts of the service (but the service
/// itself); a field's heading is by default its column's.
pub fn pages(
    raw: &RawParticipantsFile,
    table: &SampleTable,
    names: &FieldNames<'_>,
    diagnostics: &mut Diagnostics,
) -> (Vec<Column>, Vec<Column>) {
    let file = raw.sample_table_file();
    let heading = |field: Field| {
        table
            .columns
            .iter()
            .find(|column| column.field == field)
            .map_or_else(|| names.default_heading(field), |column| column.heading.clone())
    };
    let mut page = |fields: Option<&crate::load::raw::RawPageFields>, what, service_only| {
        let place = ColumnsOf {
            file,
            what,
            service_only,
        };
        fields.map(|page| columns(place, &page.fields, names, heading, diagnostics))
    };
    let participant =
        page(raw.participant_page.as_ref(), "`participant_page`", false).unwrap_or_else(|| table.columns.clone());
    let service = match page(raw.service_page.as_ref(), "`service_page`", true) {
        Some(fields) => fields,
        None => table
            .columns
            .iter()
            .filter(|column| {
                matches!(column.field, Field::Relation(relation)
                    if relation.of_service() && relation != Relation::Service)
            })
            .cloned()
            .collect(),
    };
    (participant, service)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::source::{Position, Sourced};

    /// A declared attribute: categories `F` and `M`, or free text.
    pub(crate) fn attribute(id: &str, categorical: bool) -> Attribute {
        let category = |id: &str| Category {
            id: id.to_owned(),
            label: id.to_owned(),
        };
        Attribute {
            id: id.to_owned(),
            label: id.to_owned(),
            kind: if categorical {
                AttributeKind::Categories(vec![category("F"), category("M")])
            } else {
                AttributeKind::Text
            },
        }
    }

    fn text(value: &str, line: u32) -> Text {
        Sourced::new(value.to_owned(), Position::new(line, 5))
    }

    fn participant(values: &[(&str, &str)]) -> RawParticipant {
        RawParticipant {
            id: text("1a", 1),
            service: Some(text("1", 2)),
            role: Some(text("manager", 3)),
            role_description: Some(text("Manages.", 4)),
            consent: Some(text("quote", 5)),
            values: values
                .iter()
                .enumerate()
                .map(|(line, (key, value))| (text(key, 10 + line as u32), text(value, 10 + line as u32)))
                .collect(),
            file: 0,
        }
    }

    /// A problem: its code, line and help.
    type Problem = (Code, u32, Option<String>);

    fn check(values: &[(&str, &str)]) -> (Option<Vec<AttributeValue>>, Vec<Problem>) {
        let attributes = [attribute("gender", true), attribute("years", false)];
        let mut sink = Diagnostics::new();
        let found = self::values("p.yaml", &participant(values), &attributes, &[], &mut sink);
        let problems = sink
            .into_sorted()
            .into_iter()
            .map(|found| {
                let line = found.location.and_then(|at| at.position).map_or(0, |at| at.line);
                (found.code, line, found.help)
            })
            .collect();
        (found, problems)
    }

    /// `consent` is a participant's own key, like `role`: no attribute takes it.
    #[test]
    fn consent_is_reserved() {
        let declaration = |id: &str| RawAttribute {
            id: text(id, 2),
            label: text("Label", 3),
            categories: None,
            kind: Some(text("text", 4)),
        };
        let raw = RawParticipantsFile {
            attributes: vec![declaration("consent"), declaration("role"), declaration("region")],
            sample_table: None,
            participant_page: None,
            service_page: None,
            participants: Vec::new(),
            files: Vec::new(),
        };
        let mut sink = Diagnostics::new();
        let declared = declared(&raw, &mut sink);
        let ids: Vec<&str> = declared.iter().map(|attribute| attribute.id.as_str()).collect();
        assert_eq!(ids, ["region"]);
        let codes: Vec<Code> = sink.into_sorted().into_iter().map(|found| found.code).collect();
        assert_eq!(codes, [Code::ReservedAttributeId, Code::ReservedAttributeId]);
    }

    #[test]
    fn values_come_in_the_order_of_the_declarations() {
        let (values, problems) = check(&[("years", "3–5"), ("gender", "M")]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            values,
            Some(vec![
                AttributeValue::Category(1),
                AttributeValue::Text("3–5".to_owned())
            ])
        );
    }

    #[test]
    fn undeclared_keys_unknown_categories_and_missing_values_are_reported() {
        let (values, problems) = check(&[("gendr", "M"), ("years", "2")]);
        assert_eq!(values, None);
        assert_eq!(
            problems,
            vec![(
                Code::UnknownParticipantKey,
                10,
                Some("did you mean `gender`?".to_owned())
            )]
        );
        let (values, problems) = check(&[("years", "2")]);
        assert_eq!(values, None);
        assert_eq!(
            problems,
            vec![(
                Code::MissingAttribute,
                1,
                Some("add `gender:` with one of `F`, `M`".to_owned())
            )]
        );
        let (values, problems) = check(&[("gender", "f"), ("years", "2")]);
        assert_eq!(values, None);
        assert_eq!(
            problems,
            vec![(
                Code::UnknownCategory,
                10,
                Some("did you mean `F`? (categories: `F`, `M`)".to_owned())
            )]
        );
    }

    #[test]
    fn field_names_are_relations_then_attributes() {
        let attributes = [attribute("gender", true)];
        let names = FieldNames::new(&attributes, &[]);
        assert_eq!(names.resolve("model"), Some(Field::Relation(Relation::Model)));
        assert_eq!(names.resolve("gender"), Some(Field::Attribute(0)));
        assert_eq!(names.resolve("contract"), None);
        assert_eq!(names.help("gendre"), "did you mean `gender`?");
        assert!(is_attribute_id("years_in_post") && !is_attribute_id("1st") && !is_attribute_id("a b"));
    }
}
