//! The study's files as written: one struct per file, mirroring its keys.
//!
//! Input: nothing (these are plain data types). Output: what `load` fills in
//! and `validate` reads. Every struct refuses unknown keys, and every value a
//! diagnostic may point at keeps its [`Position`](crate::source::Position).
//! No cross-reference is resolved here.

use serde::Deserialize;

use crate::source::Sourced;

/// Text with its position.
pub type Text = Sourced<String>;

/// A yes-or-no setting, written as YAML 1.2's core schema writes booleans:
/// `true` or `false`, unquoted. `yes`, `on`, `Y` and `"true"` are text,
/// and refused (the YAML 1.1 spellings surprise people: `NO` is Norway).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flag(pub bool);

/// What a [`Flag`] expects, as serde reports it (see `load::yaml`).
pub const FLAG_EXPECTED: &str = "`true` or `false` (unquoted)";

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FlagVisitor;
        impl serde::de::Visitor<'_> for FlagVisitor {
            type Value = Flag;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str(FLAG_EXPECTED)
            }
            fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<Flag, E> {
                Ok(Flag(value))
            }
        }
        // Not `deserialize_bool`, which would read `"true"` as a boolean: a
        // quoted scalar is text.
        deserializer.deserialize_any(FlagVisitor)
    }
}

/// Every key of the study format: the fields of the structs below (and the
/// variants of [`RawTurn`]), in the order they appear. A key path names a
/// key only if it is one of these, since any other key may be study text
/// (a quote line that lost its indentation is read as a key).
pub const SCHEMA_KEYS: &[&str] = &[
    // study.yaml
    "title",
    "short_title",
    "language",
    "smart_punctuation",
    "authors",
    "journal",
    "manuscript_id",
    "manuscript_type",
    "keywords",
    "summary",
    "attribution",
    "figures",
    "name",
    "affiliation",
    "id",
    "label",
    "value",
    "min",
    "max",
    "mean",
    "unit",
    "note",
    "approximate",
    "counts",
    "privacy",
    "k",
    // typology.yaml, roles.yaml, services.yaml
    "models",
    "headings",
    "description",
    "roles",
    "definition",
    "organisation_types",
    "services",
    "organisation_type",
    "model",
    // participants.yaml
    "attributes",
    "categories",
    "type",
    "sample_table",
    "participant_page",
    "service_page",
    "fields",
    "field",
    "heading",
    "participants",
    "caption",
    "columns",
    "service",
    "role",
    "role_description",
    "consent",
    // quotes.yaml
    "quotes",
    "participant",
    "text",
    "turns",
    "interviewer",
    // references.yaml
    "references",
    "cite_as",
    "year",
    "entry",
    "url",
    // charts.yaml
    "charts",
    "kind",
    "by",
    "stack",
    "per",
    "split",
    "theme",
    "rows",
    // front matter of sections and themes
    "findings",
];

/// `key` as a key of the study format, if it is one (see [`SCHEMA_KEYS`]).
#[must_use]
pub fn schema_key(key: &str) -> Option<&'static str> {
    SCHEMA_KEYS.iter().copied().find(|known| *known == key)
}

/// `study.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStudyFile {
    pub title: Text,
    #[serde(default)]
    pub short_title: Option<Text>,
    #[serde(default)]
    pub language: Option<Text>,
    #[serde(default)]
    pub smart_punctuation: Option<Flag>,
    #[serde(default)]
    pub authors: Vec<RawAuthor>,
    #[serde(default)]
    pub journal: Option<Text>,
    #[serde(default)]
    pub manuscript_id: Option<Text>,
    #[serde(default)]
    pub manuscript_type: Option<Text>,
    #[serde(default)]
    pub keywords: Vec<Text>,
    #[serde(default)]
    pub summary: Option<Text>,
    pub attribution: Text,
    #[serde(default)]
    pub figures: Vec<RawFigure>,
    /// The disclosure-risk threshold; the default applies when absent.
    #[serde(default)]
    pub privacy: Option<RawPrivacy>,
}

/// `privacy:` in `study.yaml`: how many participants must share each
/// combination of values the site publishes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPrivacy {
    pub k: Sourced<u64>,
}

/// An author in `study.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAuthor {
    pub name: Text,
    #[serde(default)]
    pub affiliation: Option<Text>,
}

/// A figure the paper states, in `study.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFigure {
    pub id: Text,
    pub label: Text,
    #[serde(default)]
    pub value: Option<Text>,
    #[serde(default)]
    pub min: Option<Sourced<f64>>,
    #[serde(default)]
    pub max: Option<Sourced<f64>>,
    #[serde(default)]
    pub mean: Option<Sourced<f64>>,
    #[serde(default)]
    pub unit: Option<Text>,
    #[serde(default)]
    pub note: Option<Text>,
    #[serde(default)]
    pub approximate: Flag,
    /// What the figure counts (`participants`, `services`), so that
    /// `validate` can compare its value with the count it computes.
    #[serde(default)]
    pub counts: Option<Text>,
}

/// `typology.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTypologyFile {
    #[serde(default)]
    pub title: Option<Text>,
    #[serde(default)]
    pub headings: Option<RawTypologyHeadings>,
    pub models: Vec<RawModel>,
}

/// The typology table's column headings (each optional).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTypologyHeadings {
    #[serde(default)]
    pub model: Option<Text>,
    #[serde(default)]
    pub description: Option<Text>,
}

/// A model of the typology.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawModel {
    pub id: Text,
    pub name: Text,
    pub description: Text,
}

/// `roles.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRolesFile {
    #[serde(default)]
    pub title: Option<Text>,
    pub roles: Vec<RawRole>,
}

/// A role category.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRole {
    pub id: Text,
    pub name: Text,
    pub definition: Text,
}

/// `services.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawServicesFile {
    pub organisation_types: Vec<RawOrganisationType>,
    pub services: Vec<RawService>,
}

/// A kind of organisation a service belongs to.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOrganisationType {
    pub id: Text,
    pub name: Text,
    #[serde(default)]
    pub description: Option<Text>,
}

/// A service in the sample.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawService {
    pub id: Text,
    #[serde(default)]
    pub name: Option<Text>,
    pub organisation_type: Text,
    pub model: Text,
    pub description: Text,
}

/// `participants.yaml`, or the first file of `participants/` with the
/// participants of the folder's other files appended.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParticipantsFile {
    #[serde(default)]
    pub attributes: Vec<RawAttribute>,
    #[serde(default)]
    pub sample_table: Option<RawSampleTable>,
    #[serde(default)]
    pub participant_page: Option<RawPageFields>,
    #[serde(default)]
    pub service_page: Option<RawPageFields>,
    pub participants: Vec<RawParticipant>,
    /// The study-relative files the participants were read from, in order;
    /// each participant's `file` indexes it. Not a key of the file: the
    /// loader fills it in. The first file holds the sample table.
    #[serde(skip)]
    pub files: Vec<String>,
}

impl RawParticipantsFile {
    /// The file `participant` was read from.
    #[must_use]
    pub fn file_of(&self, participant: &RawParticipant) -> &str {
        self.files
            .get(participant.file)
            .map_or("participants.yaml", String::as_str)
    }

    /// The file that holds the sample table.
    #[must_use]
    pub fn sample_table_file(&self) -> &str {
        self.files.first().map_or("participants.yaml", String::as_str)
    }
}

/// A file of `participants/` after the first: participants only (the
/// sample table is in the first file).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParticipantsPart {
    pub participants: Vec<RawParticipant>,
}

/// An attribute the study records about each participant: a closed list
/// of categories, or free text (`type: text`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAttribute {
    pub id: Text,
    pub label: Text,
    #[serde(default)]
    pub categories: Option<Vec<RawCategory>>,
    #[serde(default, rename = "type")]
    pub kind: Option<Text>,
}

/// A category of an attribute; its label is its id when not given.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCategory {
    pub id: Text,
    #[serde(default)]
    pub label: Option<Text>,
}

/// The caption and columns of the sample table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSampleTable {
    #[serde(default)]
    pub caption: Option<Text>,
    pub columns: Vec<RawColumn>,
}

/// The fields a participant's or a service's page shows.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPageFields {
    pub fields: Vec<RawColumn>,
}

/// A column of a table, or a field of a page: a field's name, or
/// `{field: NAME, heading: "…"}`.
#[derive(Debug)]
pub struct RawColumn {
    pub field: Text,
    pub heading: Option<Text>,
}

/// A column written as a mapping.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawColumnMap {
    pub field: Text,
    #[serde(default)]
    pub heading: Option<Text>,
}

/// What a column is written as.
enum ColumnShape {
    Name(String),
    Map(RawColumnMap),
}

impl<'de> Deserialize<'de> for ColumnShape {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ShapeVisitor;
        impl<'de> serde::de::Visitor<'de> for ShapeVisitor {
            type Value = ColumnShape;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("a field's name, or `field:` and `heading:`")
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<ColumnShape, E> {
                Ok(ColumnShape::Name(value.to_owned()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<ColumnShape, A::Error> {
                RawColumnMap::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(ColumnShape::Map)
            }
        }
        deserializer.deserialize_any(ShapeVisitor)
    }
}

impl<'de> Deserialize<'de> for RawColumn {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let shape = Sourced::<ColumnShape>::deserialize(deserializer)?;
        Ok(match shape.value {
            ColumnShape::Name(name) => Self {
                field: Sourced::new(name, shape.at),
                heading: None,
            },
            ColumnShape::Map(map) => Self {
                field: map.field,
                heading: map.heading,
            },
        })
    }
}

/// A participant: the relation keys, their consent, and a value for each
/// attribute the study declares (any other key), in the order written.
/// Only `id` is required here: `validate` reports a missing `service`,
/// `role`, `role_description` or `consent`, unless an undeclared key is a
/// misspelling of it.
#[derive(Debug)]
pub struct RawParticipant {
    pub id: Text,
    pub service: Option<Text>,
    pub role: Option<Text>,
    pub role_description: Option<Text>,
    /// What the participant consented to (`quote`, `no-quote`, `withdrawn`).
    pub consent: Option<Text>,
    /// Every other key with its value, in the order written: the
    /// participant's attribute values (`validate` checks the keys).
    pub values: Vec<(Text, Text)>,
    /// Which of the file list's files the participant was read from.
    pub file: usize,
}

/// The keys of a participant that are not attributes.
pub const PARTICIPANT_KEYS: &[&str] = &["id", "service", "role", "role_description", "consent"];

impl<'de> Deserialize<'de> for RawParticipant {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ParticipantVisitor;
        impl<'de> serde::de::Visitor<'de> for ParticipantVisitor {
            type Value = RawParticipant;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter
                    .write_str("a participant: `id`, `service`, `role`, `role_description`, `consent` and attributes")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<RawParticipant, A::Error> {
                let (mut id, mut service, mut role, mut role_description, mut consent) = (None, None, None, None, None);
                let mut values = Vec::new();
                while let Some(key) = map.next_key::<Text>()? {
                    let slot = match key.value.as_str() {
                        "id" => &mut id,
                        "service" => &mut service,
                        "role" => &mut role,
                        "role_description" => &mut role_description,
                        "consent" => &mut consent,
                        _ => {
                            values.push((key, map.next_value::<Text>()?));
                            continue;
                        }
                    };
                    *slot = Some(map.next_value::<Text>()?);
                }
                Ok(RawParticipant {
                    id: id.ok_or_else(|| serde::de::Error::missing_field("id"))?,
                    service,
                    role,
                    role_description,
                    consent,
                    values,
                    file: 0,
                })
            }
        }
        deserializer.deserialize_struct("RawParticipant", PARTICIPANT_KEYS, ParticipantVisitor)
    }
}

/// `quotes.yaml`, or the quotes of every file of `quotes/` in order.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuotesFile {
    pub quotes: Vec<RawQuote>,
    /// Where each quote text written as a plain YAML scalar starts, by the
    /// index of its file in `files`. Not a key of the file: the loader,
    /// which sees how each scalar is written, fills it in, and `validate`
    /// refuses such texts (E109).
    #[serde(skip)]
    pub plain_texts: std::collections::BTreeSet<(usize, crate::source::Position)>,
    /// The study-relative files the quotes were read from, in order; each
    /// quote's `file` indexes it. Not a key of the file: the loader fills
    /// it in.
    #[serde(skip)]
    pub files: Vec<String>,
}

impl RawQuotesFile {
    /// The file `quote` was read from.
    #[must_use]
    pub fn file_of(&self, quote: &RawQuote) -> &str {
        self.files.get(quote.file).map_or("quotes.yaml", String::as_str)
    }
}

/// A quote: `text`, or `turns` of an exchange.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuote {
    pub id: Text,
    pub participant: Text,
    /// `text:` with no value, `~` or `null` is read as empty text, so that
    /// it is reported as empty where it is written.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub text: Option<Text>,
    #[serde(default)]
    pub turns: Option<Vec<RawTurn>>,
    /// Which of the file list's files the quote was read from.
    #[serde(skip)]
    pub file: usize,
}

/// A text that may be written as null: null is empty text, at its place.
fn null_as_empty<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Text>, D::Error> {
    let text = Sourced::<Option<String>>::deserialize(deserializer)?;
    Ok(Some(Sourced::new(text.value.unwrap_or_default(), text.at)))
}

/// One turn of an exchange, by its speaker.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum RawTurn {
    Participant(Text),
    Interviewer(Text),
}

impl RawTurn {
    /// The words of the turn.
    #[must_use]
    pub const fn text(&self) -> &Text {
        match self {
            Self::Participant(text) | Self::Interviewer(text) => text,
        }
    }

    /// The words of the turn, to correct their position.
    pub const fn text_mut(&mut self) -> &mut Text {
        match self {
            Self::Participant(text) | Self::Interviewer(text) => text,
        }
    }
}

/// `references.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReferencesFile {
    pub references: Vec<RawReference>,
}

/// An entry of the reference list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReference {
    pub id: Text,
    pub cite_as: Text,
    pub year: Text,
    pub entry: Text,
    #[serde(default)]
    pub url: Option<Text>,
}

/// `charts.yaml` (optional).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChartsFile {
    pub charts: Vec<RawChart>,
}

/// A chart declaration. Which keys apply depends on `kind`; `validate`
/// checks them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChart {
    pub id: Text,
    #[serde(default)]
    pub title: Option<Text>,
    #[serde(default)]
    pub description: Option<Text>,
    pub kind: Text,
    #[serde(default)]
    pub by: Option<Text>,
    #[serde(default)]
    pub stack: Option<Text>,
    #[serde(default)]
    pub per: Option<Text>,
    #[serde(default)]
    pub split: Option<Text>,
    #[serde(default)]
    pub theme: Option<Text>,
    #[serde(default)]
    pub rows: Option<Text>,
    #[serde(default)]
    pub figures: Vec<Text>,
}

/// The YAML front matter of a section or theme file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    pub id: Text,
    pub title: Text,
    #[serde(default)]
    pub findings: Option<Sourced<Flag>>,
}

/// A Markdown file of `sections/` or `themes/`, split into what `validate`
/// needs to check.
#[derive(Debug)]
pub struct RawDocument {
    /// Study-relative path.
    pub file: String,
    /// The front matter.
    pub front: RawFrontMatter,
    /// The Markdown after the front matter.
    pub body: String,
    /// Directive paragraphs (`{{quote ID}}`), in order.
    pub directives: Vec<RawDirective>,
    /// Headings, in order.
    pub headings: Vec<RawHeading>,
    /// Citation keys, in order.
    pub citations: Vec<Text>,
    /// The address of each image, at its `!`, in order.
    pub images: Vec<Text>,
    /// Where each HTML comment starts, in order.
    pub comments: Vec<crate::source::Position>,
    /// Where each `<!--` that is never closed stands in text (Markdown
    /// shows it as text), in order.
    pub open_comments: Vec<crate::source::Position>,
}

/// A `{{name argument}}` paragraph.
#[derive(Debug)]
pub struct RawDirective {
    pub name: Text,
    pub argument: Option<Text>,
    /// Byte range of the paragraph in the body.
    pub range: std::ops::Range<usize>,
}

/// A Markdown heading.
#[derive(Debug)]
pub struct RawHeading {
    pub level: u8,
    pub id: Option<Text>,
    /// The heading's text, as plain text.
    pub title: Text,
    /// Byte range of the heading in the body.
    pub range: std::ops::Range<usize>,
}

/// Everything the loader could read. A file that could not be read or parsed
/// is `None` (its problems are in the diagnostics), so that validation can
/// skip checks that would only repeat them.
#[derive(Debug, Default)]
pub struct RawStudy {
    pub study: Option<RawStudyFile>,
    pub typology: Option<RawTypologyFile>,
    pub roles: Option<RawRolesFile>,
    pub services: Option<RawServicesFile>,
    pub participants: Option<RawParticipantsFile>,
    pub quotes: Option<RawQuotesFile>,
    pub references: Option<RawReferencesFile>,
    /// `charts.yaml`; `None` also when the study has none.
    pub charts: Option<RawChartsFile>,
    pub sections: Vec<RawDocument>,
    pub themes: Vec<RawDocument>,
    /// Whether every section and theme file was read; when not, checks
    /// across the narrative (quotes never placed, references never cited)
    /// are skipped.
    pub narrative_complete: bool,
    /// The study's own templates and files to publish.
    pub site: RawSite,
}

/// What the study adds to the built-in templates and assets.
#[derive(Debug, Default)]
pub struct RawSite {
    /// Template overrides (`templates/NAME`, but not `templates/assets/`),
    /// by `NAME`, as normalised text.
    pub templates: Vec<(String, String)>,
    /// Replacements of built-in assets (`templates/assets/X`), by output
    /// path (`assets/X`).
    pub assets: Vec<(String, Vec<u8>)>,
    /// Files to publish as they are (`static/X`), by output path (`X`).
    pub statics: Vec<(String, Vec<u8>)>,
}

#[cfg(test)]
mod tests {
    use serde::de::{self, Deserialize, Deserializer, Visitor};

    use super::*;

    /// A deserializer that deserialises nothing: it records the field names
    /// (or variant names) the type asks for, then fails.
    struct FieldNames<'a>(&'a mut Vec<&'static str>);

    impl<'de> Deserializer<'de> for FieldNames<'_> {
        type Error = de::value::Error;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("only structs and enums"))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0.extend_from_slice(fields);
            Err(de::Error::custom("names recorded"))
        }

        fn deserialize_enum<V: Visitor<'de>>(
            self,
            _: &'static str,
            variants: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0.extend_from_slice(variants);
            Err(de::Error::custom("names recorded"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
            unit unit_struct newtype_struct seq tuple tuple_struct map identifier ignored_any
        }
    }

    fn keys_of<T: for<'de> Deserialize<'de>>() -> Vec<&'static str> {
        let mut names = Vec::new();
        let _ = T::deserialize(FieldNames(&mut names));
        assert!(!names.is_empty(), "{} has no keys", std::any::type_name::<T>());
        names
    }

    #[test]
    fn every_key_of_the_raw_structs_is_a_schema_key() {
        let keys = [
            keys_of::<RawStudyFile>(),
            keys_of::<RawAuthor>(),
            keys_of::<RawFigure>(),
            keys_of::<RawPrivacy>(),
            keys_of::<RawTypologyFile>(),
            keys_of::<RawModel>(),
            keys_of::<RawRolesFile>(),
            keys_of::<RawRole>(),
            keys_of::<RawServicesFile>(),
            keys_of::<RawOrganisationType>(),
            keys_of::<RawService>(),
            keys_of::<RawParticipantsFile>(),
            keys_of::<RawTypologyHeadings>(),
            keys_of::<RawAttribute>(),
            keys_of::<RawCategory>(),
            keys_of::<RawSampleTable>(),
            keys_of::<RawPageFields>(),
            keys_of::<RawColumnMap>(),
            keys_of::<RawParticipant>(),
            keys_of::<RawQuotesFile>(),
            keys_of::<RawQuote>(),
            keys_of::<RawTurn>(),
            keys_of::<RawReferencesFile>(),
            keys_of::<RawReference>(),
            keys_of::<RawChartsFile>(),
            keys_of::<RawChart>(),
            keys_of::<RawFrontMatter>(),
        ]
        .concat();
        let missing: Vec<_> = keys.iter().filter(|key| schema_key(key).is_none()).collect();
        assert!(missing.is_empty(), "not in SCHEMA_KEYS: {missing:?}");
        // And nothing else: every schema key is a key of some struct.
        let unused: Vec<_> = SCHEMA_KEYS.iter().filter(|key| !keys.contains(key)).collect();
        assert!(unused.is_empty(), "in SCHEMA_KEYS but no struct has it: {unused:?}");
    }

    #[test]
    fn schema_keys_are_unique() {
        let mut keys = SCHEMA_KEYS.to_vec();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), SCHEMA_KEYS.len());
    }
}
