//! Diagnostics: what is wrong with a study, where, and what to do about it.
//!
//! Every stage reports problems as [`Diagnostic`] values into a
//! [`Diagnostics`] sink; nothing prints or exits while a study is read. The
//! `report` module draws them as text, JSON or GitHub annotations. A message
//! names ids, keys and values where that helps; long study text (quotes,
//! descriptions) goes in `detail`. A redacted report reads none of them: it
//! keeps the code and the places only (see `report::RedactedDiagnostic`).

use crate::source::Position;

#[cfg(test)]
mod docs;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The study cannot be published as it is.
    Error,
    /// Probably a mistake; the study can still be built.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
        }
    }
}

/// A rule of the study format: one kind of problem, its stable identity
/// and its documentation. Each rule is a `const` next to the check that
/// reports it (`validate::quotes::UNKNOWN_PARTICIPANT` beside the check of
/// a quote's participant), the way cargo keeps each lint in its own file;
/// [`Code`] lists them, and `docs/diagnostics.md` is made from the rules
/// and the fixture case of each (a test keeps it so).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The short stable code, such as `E105`.
    pub id: &'static str,
    /// The stable name, such as `duplicate-key`.
    pub name: &'static str,
    /// How serious problems of this kind are.
    pub severity: Severity,
    /// One line saying what the rule refuses. It is also the whole message
    /// of a redacted diagnostic, so it never holds study text.
    pub summary: &'static str,
    /// Why the rule exists: what would go wrong without it, and what the
    /// study should say instead.
    pub why: &'static str,
}

macro_rules! codes {
    ($( $variant:ident => $rule:path; )*) => {
        /// The stable identity of each kind of problem: one [`Rule`] each.
        /// Codes never change meaning; `docs/diagnostics.md` describes each.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( #[doc = concat!("The rule `", stringify!($rule), "`.")] $variant, )* }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The rule of this code.
            #[must_use]
            pub const fn rule(self) -> &'static Rule {
                match self { $(Code::$variant => &$rule,)* }
            }
        }
    };
}

impl Code {
    /// The short stable code, such as `E105`.
    #[must_use]
    pub const fn id(self) -> &'static str {
        self.rule().id
    }

    /// The stable name, such as `duplicate-key`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        self.rule().name
    }

    /// How serious problems of this kind are.
    #[must_use]
    pub const fn severity(self) -> Severity {
        self.rule().severity
    }

    /// One line saying what the code means.
    #[must_use]
    pub const fn summary(self) -> &'static str {
        self.rule().summary
    }
}

codes! {
    ReadFailed => crate::load::read::READ_FAILED;
    MissingFile => crate::load::MISSING_FILE;
    Symlink => crate::load::walk::SYMLINK;
    NotUtf8 => crate::load::NOT_UTF8;
    FileTooLarge => crate::load::read::FILE_TOO_LARGE;
    NotAFile => crate::load::read::NOT_A_FILE;
    UnknownFile => crate::load::walk::UNKNOWN_FILE;
    YamlSyntax => crate::load::yaml::YAML_SYNTAX;
    YamlAnchor => crate::load::yaml::YAML_ANCHOR;
    YamlTag => crate::load::yaml::YAML_TAG;
    YamlMergeKey => crate::load::yaml::YAML_MERGE_KEY;
    DuplicateKey => crate::load::yaml::DUPLICATE_KEY;
    UnknownKey => crate::load::yaml::UNKNOWN_KEY;
    MissingKey => crate::load::yaml::MISSING_KEY;
    WrongType => crate::load::yaml::WRONG_TYPE;
    PlainQuoteText => crate::validate::quotes::PLAIN_QUOTE_TEXT;
    YamlTooLarge => crate::load::yaml::YAML_TOO_LARGE;
    FrontMatter => crate::load::markdown::FRONT_MATTER;
    UnknownDirective => crate::validate::narrative::UNKNOWN_DIRECTIVE;
    SubthemeWithoutId => crate::validate::narrative::SUBTHEME_WITHOUT_ID;
    RemoteResource => crate::validate::resources::REMOTE_RESOURCE;
    InvalidId => crate::validate::ids::INVALID_ID;
    DuplicateId => crate::validate::ids::DUPLICATE_ID;
    EmptyField => crate::validate::text::EMPTY_FIELD;
    BadFigure => crate::validate::records::BAD_FIGURE;
    QuoteShape => crate::validate::quotes::QUOTE_SHAPE;
    FindingsSection => crate::validate::narrative::FINDINGS_SECTION;
    NumberOutOfRange => crate::validate::records::NUMBER_OUT_OF_RANGE;
    ReservedDeviceName => crate::validate::ids::RESERVED_DEVICE_NAME;
    InvalidLanguageTag => crate::validate::records::INVALID_LANGUAGE_TAG;
    InvalidUrl => crate::validate::records::INVALID_URL;
    UnknownParticipantKey => crate::validate::attributes::UNKNOWN_PARTICIPANT_KEY;
    UnknownCategory => crate::validate::attributes::UNKNOWN_CATEGORY;
    MissingAttribute => crate::validate::attributes::MISSING_ATTRIBUTE;
    ReservedAttributeId => crate::validate::attributes::RESERVED_ATTRIBUTE_ID;
    UnknownField => crate::validate::attributes::UNKNOWN_FIELD;
    TextAttributeInChart => crate::validate::charts::TEXT_ATTRIBUTE_IN_CHART;
    AttributeDeclaration => crate::validate::attributes::ATTRIBUTE_DECLARATION;
    DuplicateAttribute => crate::validate::attributes::DUPLICATE_ATTRIBUTE;
    ConsentValue => crate::validate::records::CONSENT_VALUE;
    QuoteWithoutConsent => crate::validate::quotes::QUOTE_WITHOUT_CONSENT;
    FigureCounts => crate::validate::records::FIGURE_COUNTS;
    DisclosureRisk => crate::disclosure::DISCLOSURE_RISK;
    SmallChartCell => crate::disclosure::SMALL_CHART_CELL;
    PrivacyThreshold => crate::validate::records::PRIVACY_THRESHOLD;
    UnknownParticipant => crate::validate::quotes::UNKNOWN_PARTICIPANT;
    UnknownService => crate::validate::records::UNKNOWN_SERVICE;
    UnknownRole => crate::validate::records::UNKNOWN_ROLE;
    UnknownModel => crate::validate::records::UNKNOWN_MODEL;
    UnknownOrganisationType => crate::validate::records::UNKNOWN_ORGANISATION_TYPE;
    UnknownReference => crate::validate::narrative::UNKNOWN_REFERENCE;
    UnknownQuote => crate::validate::narrative::UNKNOWN_QUOTE;
    QuotePlacedTwice => crate::validate::narrative::QUOTE_PLACED_TWICE;
    AttributionField => crate::validate::attribution::ATTRIBUTION_FIELD;
    UnknownTable => crate::validate::narrative::UNKNOWN_TABLE;
    TemplateError => crate::templates::TEMPLATE_ERROR;
    OutputConflict => crate::templates::OUTPUT_CONFLICT;
    ReservedId => crate::validate::narrative::RESERVED_ID;
    UnsafeFileName => crate::load::walk::UNSAFE_FILE_NAME;
    ChartDeclaration => crate::validate::charts::CHART_DECLARATION;
    ChartEmpty => crate::validate::charts::CHART_EMPTY;
    UnknownChart => crate::validate::narrative::UNKNOWN_CHART;
    DenyListedTerm => crate::privacy::DENY_LISTED_TERM;
    ReferenceNeverCited => crate::validate::unused::REFERENCE_NEVER_CITED;
    ParticipantNeverQuoted => crate::validate::unused::PARTICIPANT_NEVER_QUOTED;
    QuoteNotPlaced => crate::validate::unused::QUOTE_NOT_PLACED;
    UnbalancedBrackets => crate::validate::quotes::UNBALANCED_BRACKETS;
    SuspiciousCharacter => crate::validate::text::SUSPICIOUS_CHARACTER;
    ChartNotPlaced => crate::validate::unused::CHART_NOT_PLACED;
    HtmlComment => crate::validate::resources::HTML_COMMENT;
    InvisibleCharacter => crate::validate::text::INVISIBLE_CHARACTER;
    FigureCountDiffers => crate::validate::records::FIGURE_COUNT_DIFFERS;
    CommentAfterValue => crate::load::yaml::COMMENT_AFTER_VALUE;
    DocumentInStatic => crate::privacy::DOCUMENT_IN_STATIC;
}

/// Where a diagnostic points: a study-relative file and, when known, a position.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// Path relative to the study folder, with `/` separators.
    pub file: String,
    /// The position in the file; `None` for a problem with the file as a whole.
    pub position: Option<Position>,
}

impl Location {
    /// A whole file.
    #[must_use]
    pub fn file(file: &str) -> Self {
        Self {
            file: file.to_owned(),
            position: None,
        }
    }

    /// A position in a file.
    #[must_use]
    pub fn at(file: &str, position: Position) -> Self {
        Self {
            file: file.to_owned(),
            position: Some(position),
        }
    }
}

/// A second place that explains a diagnostic, such as the first of two
/// duplicate keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    /// The other place.
    pub location: Location,
    /// What is there; never shown redacted.
    pub label: String,
}

/// One problem found in a study.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// What kind of problem.
    pub code: Code,
    /// What is wrong, naming ids, keys and files; never shown redacted.
    pub message: String,
    /// Where it is, if it has a place.
    pub location: Option<Location>,
    /// Other places that explain it.
    pub related: Vec<Related>,
    /// What to do about it (may suggest an id or key); never shown redacted.
    pub help: Option<String>,
    /// More detail that may echo study text; never shown redacted.
    pub detail: Option<String>,
}

impl Diagnostic {
    /// A diagnostic of `code` with `message` and no place yet.
    #[must_use]
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            location: None,
            related: Vec::new(),
            help: None,
            detail: None,
        }
    }

    /// The diagnostic's severity, from its code.
    #[must_use]
    pub const fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// Places the diagnostic.
    #[must_use]
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Adds what to do.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds detail that may echo study text.
    #[must_use]
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// Adds a related place.
    #[must_use]
    pub fn related(mut self, location: Location, label: impl Into<String>) -> Self {
        self.related.push(Related {
            location,
            label: label.into(),
        });
        self
    }

    fn sort_key(&self) -> (Option<&Location>, &'static str, &str) {
        (self.location.as_ref(), self.code.id(), &self.message)
    }
}

/// Where every stage puts the problems it finds.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    found: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty sink.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.found.push(diagnostic);
    }

    /// Takes every diagnostic of `other` (found on another thread).
    pub fn append(&mut self, mut other: Self) {
        self.found.append(&mut other.found);
    }

    /// How many problems of `severity` were found.
    #[must_use]
    pub fn count(&self, severity: Severity) -> usize {
        self.found.iter().filter(|found| found.severity() == severity).count()
    }

    /// Whether any error was found.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// Every problem, sorted by file, line and column, without repeats.
    #[must_use]
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.found.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.found.dedup();
        self.found
    }
}

/// The closest of `candidates` to `wanted`, if one is close enough to be a
/// likely misspelling.
#[must_use]
pub fn did_you_mean<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            let score = strsim::normalized_damerau_levenshtein(&wanted_lower, &candidate.to_lowercase());
            (score, candidate)
        })
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut ids: Vec<_> = Code::ALL.iter().map(|code| code.id()).collect();
        let mut names: Vec<_> = Code::ALL.iter().map(|code| code.name()).collect();
        ids.sort_unstable();
        names.sort_unstable();
        ids.dedup();
        names.dedup();
        assert_eq!(ids.len(), Code::ALL.len());
        assert_eq!(names.len(), Code::ALL.len());
        for code in Code::ALL {
            let expected = if code.severity() == Severity::Error { 'E' } else { 'W' };
            assert!(code.id().starts_with(expected), "{}", code.id());
        }
    }

    /// `Code::ALL` is in the order of the ids (errors, then warnings), and
    /// each variant is wired to its own rule: the variant's name is the
    /// rule's, in kebab case.
    #[test]
    fn each_code_is_wired_to_its_rule() {
        for pair in Code::ALL.windows(2) {
            assert!(pair[0].id() < pair[1].id(), "{} before {}", pair[0].id(), pair[1].id());
        }
        for code in Code::ALL {
            let mut kebab = String::new();
            for (index, character) in format!("{code:?}").chars().enumerate() {
                if character.is_ascii_uppercase() && index > 0 {
                    kebab.push('-');
                }
                kebab.push(character.to_ascii_lowercase());
            }
            let rule = code.rule();
            assert_eq!(rule.name, kebab, "{code:?} is wired to the rule {}", rule.id);
            assert!(rule.summary.ends_with('.'), "{}", rule.id);
            assert!(
                rule.why.ends_with('.') && rule.why.len() > rule.summary.len(),
                "{}",
                rule.id
            );
        }
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            did_you_mean("particpant", ["participant", "service"]),
            Some("participant")
        );
        assert_eq!(did_you_mean("xyz", ["participant", "service"]), None);
    }

    #[test]
    fn sorts_by_place_and_drops_repeats() {
        let mut sink = Diagnostics::new();
        let late = Diagnostic::new(Code::UnknownKey, "b").at(Location::at("a.yaml", Position::new(9, 1)));
        let early = Diagnostic::new(Code::UnknownKey, "a").at(Location::at("a.yaml", Position::new(2, 1)));
        sink.push(late.clone());
        sink.push(early.clone());
        sink.push(late.clone());
        assert_eq!(sink.into_sorted(), vec![early, late]);
    }
}
