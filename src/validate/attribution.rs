//! The study's attribution format, such as
//! `{role}, {organisation_type} Service, {model} – {participant}`.
//!
//! Input: the format text from `study.yaml` and the study's field names
//! (relations and declared attributes). Output: a parsed
//! [`AttributionFormat`] that fills in a quote's attribution from its
//! participant, or diagnostics naming unknown fields and stray braces.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location, Rule, Severity, did_you_mean};
use crate::model::Field;
use crate::source::{Position, Sourced};
use crate::validate::attributes::FieldNames;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Field(Field),
}

/// A parsed attribution format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttributionFormat {
    pieces: Vec<Piece>,
}

pub const ATTRIBUTION_FIELD: Rule = Rule {
    id: "E409",
    name: "attribution-field",
    severity: Severity::Error,
    summary: "The attribution format names a field that does not exist, or has an unmatched brace.",
    why: "Every quote's attribution is made from the format in `study.yaml` (`{role}, {organisation_type} Service, {model} – {participant}`); a field it names that does not exist, or a brace left open, would print wrongly under every quote of the site.",
};

impl AttributionFormat {
    /// Parses `format` (from `file`). Returns `None` after reporting when the
    /// format names an unknown field or has an unmatched brace.
    pub fn parse(
        file: &str,
        format: &Sourced<String>,
        fields: &FieldNames<'_>,
        diagnostics: &mut Diagnostics,
    ) -> Option<Self> {
        let text = &format.value;
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut ok = true;
        let mut characters = text.char_indices().peekable();
        while let Some((index, character)) = characters.next() {
            match character {
                '{' if characters.peek().is_some_and(|(_, next)| *next == '{') => {
                    characters.next();
                    literal.push('{');
                }
                '}' if characters.peek().is_some_and(|(_, next)| *next == '}') => {
                    characters.next();
                    literal.push('}');
                }
                '{' => {
                    let Some(length) = text[index + 1..].find('}') else {
                        ok = false;
                        diagnostics.push(brace_problem(file, format, "an opening `{` is never closed"));
                        break;
                    };
                    let name = &text[index + 1..index + 1 + length];
                    if let Some(field) = fields.resolve(name) {
                        if !literal.is_empty() {
                            pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                        }
                        pieces.push(Piece::Field(field));
                    } else if fields.reports_unknown(name) {
                        ok = false;
                        let names = fields.names();
                        let help = match did_you_mean(name, names.clone()) {
                            Some(best) => format!("did you mean `{{{best}}}`?"),
                            None => format!(
                                "fields: {}",
                                names.map(|known| format!("{{{known}}}")).collect::<Vec<_>>().join(", ")
                            ),
                        };
                        diagnostics.push(
                            Diagnostic::new(
                                Code::AttributionField,
                                format!("the attribution format names an unknown field `{{{name}}}`"),
                            )
                            .at(Location::at(file, field_position(format, index)))
                            .help(help),
                        );
                    } else {
                        // Unknown only for a reason already reported.
                        ok = false;
                    }
                    for _ in 0..=name.chars().count() {
                        characters.next();
                    }
                }
                '}' => {
                    ok = false;
                    diagnostics.push(brace_problem(file, format, "a closing `}` has no opening `{`"));
                }
                other => literal.push(other),
            }
        }
        if !literal.is_empty() {
            pieces.push(Piece::Literal(literal));
        }
        ok.then_some(Self { pieces })
    }

    /// The fields it shows, in order (a field shown twice, twice).
    #[must_use]
    pub fn fields(&self) -> Vec<Field> {
        self.pieces
            .iter()
            .filter_map(|piece| match piece {
                Piece::Field(field) => Some(*field),
                Piece::Literal(_) => None,
            })
            .collect()
    }

    /// The attribution, filling each field from `value`.
    pub fn fill<'a>(&'a self, value: impl Fn(Field) -> &'a str) -> String {
        self.pieces
            .iter()
            .map(|piece| match piece {
                Piece::Literal(text) => text.as_str(),
                Piece::Field(field) => value(*field),
            })
            .collect()
    }
}

/// Where the field at byte `index` of the format starts, assuming the format
/// is written on one line after its key (quoted or not).
fn field_position(format: &Sourced<String>, index: usize) -> Position {
    let before = format.value[..index].chars().count();
    let column_offset = u32::try_from(before).unwrap_or(0);
    Position::new(format.at.line, format.at.column + column_offset)
}

fn brace_problem(file: &str, format: &Sourced<String>, problem: &str) -> Diagnostic {
    Diagnostic::new(
        Code::AttributionField,
        format!("the attribution format is malformed: {problem}"),
    )
    .at(Location::at(file, format.at))
    .help("write fields as `{role}`; write a literal brace as `{{` or `}}`")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Option<AttributionFormat>, Vec<Diagnostic>) {
        let mut sink = Diagnostics::new();
        let format = Sourced::new(text.to_owned(), Position::new(3, 14));
        let attributes = [crate::validate::attributes::tests::attribute("gender", true)];
        (
            AttributionFormat::parse("study.yaml", &format, &FieldNames::new(&attributes, &[]), &mut sink),
            sink.into_sorted(),
        )
    }

    #[test]
    fn fills_fields_and_literal_braces() {
        let format = parse("{role}, {gender}, {model} – {participant} {{x}}").0.unwrap();
        let filled = format.fill(|field| match field {
            Field::Relation(crate::model::Relation::Role) => "Role",
            Field::Relation(crate::model::Relation::Model) => "Model",
            Field::Relation(crate::model::Relation::Participant) => "P",
            Field::Attribute(0) => "F",
            Field::Relation(_) | Field::Attribute(_) => "?",
        });
        assert_eq!(filled, "Role, F, Model – P {x}");
        assert_eq!(
            format.fields(),
            [
                Field::Relation(crate::model::Relation::Role),
                Field::Attribute(0),
                Field::Relation(crate::model::Relation::Model),
                Field::Relation(crate::model::Relation::Participant),
            ]
        );
    }

    #[test]
    fn undeclared_attributes_are_unknown_fields() {
        let (format, found) = parse("{role}, {contract}");
        assert!(format.is_none());
        assert_eq!(found[0].code, Code::AttributionField);
    }

    #[test]
    fn unknown_fields_are_located_and_suggested() {
        let (format, found) = parse("{role}, {modle}");
        assert!(format.is_none());
        assert_eq!(found[0].code, Code::AttributionField);
        assert_eq!(found[0].location.as_ref().unwrap().position, Some(Position::new(3, 22)));
        assert_eq!(found[0].help.as_deref(), Some("did you mean `{model}`?"));
    }

    #[test]
    fn stray_braces_are_reported() {
        assert!(parse("{role").0.is_none());
        assert!(parse("role}").0.is_none());
    }
}
