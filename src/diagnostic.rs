//! Diagnostics: what is wrong with a study, where, and what to do about it.
//!
//! Every stage reports problems as [`Diagnostic`] values into a
//! [`Diagnostics`] sink; nothing prints or exits while a study is read. The
//! `report` module draws them as text, JSON or GitHub annotations. A message
//! never contains study text (quotes, descriptions): anything that might is
//! kept in `detail`, which a redacted report leaves out.

use crate::source::Position;

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

macro_rules! codes {
    ($( $variant:ident = $id:literal, $name:literal, $severity:ident, $summary:literal; )*) => {
        /// The stable identity of each kind of problem. Codes never change
        /// meaning; `docs/diagnostics.md` describes each one.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( #[doc = $summary] $variant, )* }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The short stable code, such as `E105`.
            #[must_use]
            pub const fn id(self) -> &'static str {
                match self { $(Code::$variant => $id,)* }
            }

            /// The stable name, such as `duplicate-key`.
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// How serious problems of this kind are.
            #[must_use]
            pub const fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// One line saying what the code means.
            #[must_use]
            pub const fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }
        }
    };
}

codes! {
    ReadFailed = "E001", "read-failed", Error, "A file or folder of the study could not be read.";
    MissingFile = "E002", "missing-file", Error, "A file the study needs does not exist.";
    Symlink = "E003", "symlink", Error, "A symbolic link inside the study folder.";
    NotUtf8 = "E004", "not-utf8", Error, "A study file is not valid UTF-8 text.";
    FileTooLarge = "E005", "file-too-large", Error, "A study file (or a template or static file) is larger than 64 MiB.";
    NotAFile = "E006", "not-a-file", Error, "A folder, named pipe, socket or device stands where a regular file is expected.";
    UnknownFile = "E007", "unknown-file", Error, "A file that looks like study data but is not one findings reads.";
    YamlSyntax = "E101", "yaml-syntax", Error, "The YAML is not well-formed.";
    YamlAnchor = "E102", "yaml-anchor", Error, "A YAML anchor or alias; study files must spell every value out.";
    YamlTag = "E103", "yaml-tag", Error, "A YAML tag such as `!!str`; study files use untagged values.";
    YamlMergeKey = "E104", "yaml-merge-key", Error, "A YAML merge key (`<<`); study files must spell every value out.";
    DuplicateKey = "E105", "duplicate-key", Error, "The same key twice in one mapping.";
    UnknownKey = "E106", "unknown-key", Error, "A key that this kind of record does not have.";
    MissingKey = "E107", "missing-key", Error, "A required key is missing.";
    WrongType = "E108", "wrong-type", Error, "A value of the wrong kind (a list where text is expected, say).";
    PlainQuoteText = "E109", "plain-quote-text", Error, "Quote text written as a plain YAML scalar instead of a block literal or a quoted string.";
    YamlTooLarge = "E110", "yaml-too-large", Error, "A YAML file with more values than findings reads in one file, or nested too deeply.";
    FrontMatter = "E201", "front-matter", Error, "A Markdown file does not start with YAML front matter between `---` lines.";
    UnknownDirective = "E202", "unknown-directive", Error, "A `{{...}}` directive that findings does not know.";
    SubthemeWithoutId = "E203", "subtheme-without-id", Error, "A subtheme heading without an explicit `{#id}`.";
    RemoteResource = "E204", "remote-resource", Error, "An image that would load from outside the site: an address with a scheme (`https:`, `data:`, ...), `//host`, or a path that is not plainly inside `static/`.";
    InvalidId = "E301", "invalid-id", Error, "An id that is not 1-64 letters, digits, `-` or `_` starting with a letter or digit.";
    DuplicateId = "E302", "duplicate-id", Error, "Two records of one kind share an id (ignoring case).";
    EmptyField = "E303", "empty-field", Error, "A required text is empty.";
    BadFigure = "E304", "bad-figure", Error, "A figure without a value, or with a range that is not min <= mean <= max.";
    QuoteShape = "E305", "quote-shape", Error, "A quote needs exactly one of `text` or `turns`, and turns by the participant.";
    FindingsSection = "E306", "findings-section", Error, "Themes need exactly one section marked `findings: true`.";
    NumberOutOfRange = "E307", "number-out-of-range", Error, "A figure's number that is not finite or lies outside 0 to 1,000,000,000.";
    ReservedDeviceName = "E308", "reserved-device-name", Error, "An id or static file name that Windows reserves for a device (CON, PRN, AUX, NUL, COM1-9, LPT1-9).";
    UnknownParticipant = "E401", "unknown-participant", Error, "A quote names a participant that participants.yaml does not list.";
    UnknownService = "E402", "unknown-service", Error, "A participant names a service that services.yaml does not list.";
    UnknownRole = "E403", "unknown-role", Error, "A participant names a role category that roles.yaml does not list.";
    UnknownModel = "E404", "unknown-model", Error, "A service names a typology model that typology.yaml does not list.";
    UnknownOrganisationType = "E405", "unknown-organisation-type", Error, "A service names an organisation type that services.yaml does not list.";
    UnknownReference = "E406", "unknown-reference", Error, "A citation names a reference that references.yaml does not list.";
    UnknownQuote = "E407", "unknown-quote", Error, "A `{{quote ID}}` directive names a quote that quotes.yaml does not list.";
    QuotePlacedTwice = "E408", "quote-placed-twice", Error, "A quote is placed in the narrative more than once.";
    AttributionField = "E409", "attribution-field", Error, "The attribution format names a field that does not exist, or has an unmatched brace.";
    UnknownTable = "E410", "unknown-table", Error, "A `{{table NAME}}` directive names a table that does not exist.";
    TemplateError = "E501", "template-error", Error, "A template of the study's `templates/` folder cannot be read, parsed or rendered.";
    OutputConflict = "E502", "output-conflict", Error, "A file of the study's `static/` folder would replace a generated page or folder, or has a name that cannot be published safely.";
    ReservedId = "E503", "reserved-id", Error, "A section id that is the name of a generated page or folder, such as `references` or `themes`.";
    ChartDeclaration = "E601", "chart-declaration", Error, "A chart in charts.yaml has an unknown kind, field, theme or figure, or lacks what its kind needs.";
    ChartEmpty = "E602", "chart-empty", Error, "A chart that would show nothing (no quotes, no participants, no ranges).";
    UnknownChart = "E603", "unknown-chart", Error, "A `{{chart ID}}` directive names a chart that charts.yaml does not list.";
    ReferenceNeverCited = "W001", "reference-never-cited", Warning, "A reference that no page cites.";
    ParticipantNeverQuoted = "W002", "participant-never-quoted", Warning, "A participant whom no quote is attributed to.";
    QuoteNotPlaced = "W003", "quote-not-placed", Warning, "A quote that no narrative places, so it appears only on its participant's page.";
    UnbalancedBrackets = "W004", "unbalanced-brackets", Warning, "Quote text whose brackets `[` `]` do not pair up.";
    SuspiciousCharacter = "W005", "suspicious-character", Warning, "Text with a control or bidirectional-override character.";
    ChartNotPlaced = "W006", "chart-not-placed", Warning, "A chart that no narrative places with `{{chart ID}}`.";
    HtmlComment = "W007", "html-comment", Warning, "An HTML comment in Markdown: it is left out of the site.";
    InvisibleCharacter = "W008", "invisible-character", Warning, "Text with a zero-width or other invisible formatting character (U+200B, U+FEFF, U+00AD, ...).";
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
    /// What is there.
    pub label: String,
}

/// One problem found in a study.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// What kind of problem.
    pub code: Code,
    /// What is wrong, naming ids, keys and files but never study text.
    pub message: String,
    /// Where it is, if it has a place.
    pub location: Option<Location>,
    /// Other places that explain it.
    pub related: Vec<Related>,
    /// What to do about it (may suggest an id or key, never quote text).
    pub help: Option<String>,
    /// More detail that may echo study text; left out of redacted reports.
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

#[cfg(test)]
mod documentation_tests {
    use super::Code;

    #[test]
    fn every_code_is_documented() {
        let documentation = include_str!("../docs/diagnostics.md");
        for code in Code::ALL {
            let row = format!("| {} | `{}` |", code.id(), code.name());
            assert!(documentation.contains(&row), "docs/diagnostics.md has no row for {row}");
        }
    }
}
