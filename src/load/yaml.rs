//! Reading one YAML file into a raw struct, strictly.
//!
//! Input: a file's normalised text. Output: the deserialised value, or
//! diagnostics. This is the only module that names the YAML crate
//! (serde-saphyr and its parser). Before serde sees a file, a scan of its
//! events refuses what study files must not contain (anchors, aliases, tags,
//! merge keys, duplicate keys) and records how each scalar was written, so
//! that quote text written as a plain scalar can be refused.

mod slip;

use std::collections::HashMap;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_saphyr::granit_parser::{Event, Marker, Options as ParserOptions, Parser, ScalarStyle, Span};

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location, Rule, Severity, did_you_mean};
use crate::load::raw;
use crate::source::{KeyPaths, Position, Segment, Sourced};

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sourced<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        Ok(Self::new(spanned.value, saphyr_position(&spanned.referenced)))
    }
}

/// Values by position, as a map would keep them (a later value at a
/// position replaces the earlier one). The scan meets positions in order,
/// so a sorted list that grows at its end is all it needs: cheaper than a
/// tree for the hundreds of thousands of scalars of a large file.
#[derive(Debug)]
struct ByPosition<T>(Vec<(Position, T)>);

impl<T> Default for ByPosition<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<T> ByPosition<T> {
    fn insert(&mut self, at: Position, value: T) {
        match self.0.last_mut() {
            Some((last, _)) if *last < at => self.0.push((at, value)),
            None => self.0.push((at, value)),
            Some((last, old)) if *last == at => *old = value,
            Some(_) => match self.0.binary_search_by(|(position, _)| position.cmp(&at)) {
                Ok(found) => self.0[found].1 = value,
                Err(place) => self.0.insert(place, (at, value)),
            },
        }
    }

    fn get(&self, at: Position) -> Option<&T> {
        self.0
            .binary_search_by(|(position, _)| position.cmp(&at))
            .ok()
            .map(|found| &self.0[found].1)
    }
}

/// How each scalar of a file was written, by the position its value starts at.
#[derive(Debug, Default)]
pub struct ScalarStyles {
    plain: ByPosition<bool>,
    quoted: ByPosition<()>,
    /// The position of the key of each scalar value in a mapping.
    keys: ByPosition<Position>,
}

impl ScalarStyles {
    /// Whether the scalar at `at` was written plain (unquoted, not a block).
    #[must_use]
    pub fn is_plain(&self, at: Position) -> bool {
        self.plain.get(at).copied().unwrap_or(false)
    }

    /// Whether the scalar at `at` was written in single or double quotes
    /// (so that `at` is the opening quote, and the value starts after it).
    #[must_use]
    pub fn is_quoted(&self, at: Position) -> bool {
        self.quoted.get(at).is_some()
    }

    /// The position of the key whose value is the scalar at `at`. An empty
    /// or null value has no text of its own to point at (the parser places
    /// it where the next token starts), so diagnostics about it point here.
    #[must_use]
    pub fn key_of(&self, at: Position) -> Option<Position> {
        self.keys.get(at).copied()
    }
}

/// Parses `text` (the contents of `file`) into `T`. Problems go to
/// `diagnostics`; `None` means the file gave at least one error.
pub fn parse<T: DeserializeOwned>(file: &str, text: &str, diagnostics: &mut Diagnostics) -> Option<(T, ScalarStyles)> {
    parse_with_key_paths(file, text, diagnostics).0
}

/// [`parse`], and the key path of every position of the file, which a
/// report shows instead of the file's text. The key paths cover what was
/// read even when the file has errors.
pub fn parse_with_key_paths<T: DeserializeOwned>(
    file: &str,
    text: &str,
    diagnostics: &mut Diagnostics,
) -> (Option<(T, ScalarStyles)>, KeyPaths) {
    let Scanned {
        styles,
        key_paths,
        clean,
    } = scan(file, text, Budget::STUDY, diagnostics);
    if !clean {
        return (None, key_paths);
    }
    match serde_saphyr::from_str_with_options::<T>(text, options()) {
        Ok(value) => (Some((value, styles)), key_paths),
        Err(error) => {
            diagnostics.push(diagnostic_of(file, text, &error));
            (None, key_paths)
        }
    }
}

/// The most YAML nodes (scalars, lists and mappings) one study file may
/// hold. A `quotes.yaml` of 100,000 quotes holds about 700,000; more is
/// reported as E110 `yaml-too-large`.
pub const MAX_YAML_NODES: usize = 4_000_000;

/// The deepest nesting of lists and mappings in a study file (the study
/// format needs fewer than ten levels).
pub const MAX_YAML_DEPTH: usize = 64;

fn options() -> serde_saphyr::Options {
    let scalar_bytes = usize::try_from(super::read::MAX_FILE_BYTES).unwrap_or(usize::MAX);
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_nodes: MAX_YAML_NODES,
            max_events: MAX_YAML_NODES.saturating_mul(2).saturating_add(16),
            max_depth: MAX_YAML_DEPTH,
            max_total_scalar_bytes: scalar_bytes,
        },
        // YAML 1.2's core schema: only `true` and `false`, never `yes`/`on`.
        strict_booleans: true,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
        merge_keys: serde_saphyr::MergeKeyPolicy::Error,
        with_snippet: false,
    }
}

fn position(span: &Span) -> Position {
    marker_position(span.start)
}

fn marker_position(marker: Marker) -> Position {
    Position::from_line_column(marker.line(), marker.col().saturating_add(1))
}

/// A syntax error, placed on the slip that caused it and told what to
/// type when its line shows a slip a new author makes (see [`slip`]).
fn syntax_error(file: &str, text: &str, error: &serde_saphyr::granit_parser::ScanError) -> Diagnostic {
    let at = marker_position(*error.marker());
    let diagnostic = Diagnostic::new(Code::YamlSyntax, format!("YAML syntax error: {}", error.info()));
    match slip::slip(text, at.line) {
        Some(found) => diagnostic.at(Location::at(file, found.at)).help(found.help),
        None => diagnostic
            .at(Location::at(file, at))
            .help("fix the YAML syntax here; `findings check` reads the rest of the file once it parses"),
    }
}

pub const COMMENT_AFTER_VALUE: Rule = Rule {
    id: "W040",
    name: "comment-after-value",
    severity: Severity::Warning,
    summary: "A ` #` inside an unquoted value starts a comment: the rest of the line is not part of the value.",
    why: "In YAML, a space and `#` start a comment, so `title: Results #1` reads as `Results`, without an error. Text with ` #` in it goes in double quotes. A comment written on purpose goes on a line of its own, or after two or more spaces (`title: Results  # the heading`), which is not reported. Quote text written this way is E109 instead.",
};

/// W040 when the plain scalar at `span` is followed on its line by ` #`:
/// the place of the `#`, and the value as it should be written.
fn comment_after_value(file: &str, text: &str, span: &Span) -> Option<Diagnostic> {
    let start = span.start.byte_offset()?;
    let end = span.end.byte_offset()?;
    let line_end = text.get(end..)?.find('\n').map_or(text.len(), |offset| end + offset);
    let rest = text.get(end..line_end)?;
    let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    // Two or more spaces set off a comment written on purpose (yamllint
    // asks for two); one is how ` #` ends up inside a value by mistake.
    if spaces != 1 || !rest[spaces..].starts_with('#') {
        return None;
    }
    let at = Position::from_line_column(span.end.line(), span.end.col().saturating_add(spaces + 1));
    let diagnostic = Diagnostic::new(
        Code::CommentAfterValue,
        "this ` #` starts a comment: the value ends before it",
    )
    .at(Location::at(file, at));
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |offset| offset + 1);
    let whole = text
        .get(start..line_end)
        .filter(|_| span.start.line() == span.end.line());
    Some(match whole {
        Some(whole) => diagnostic.help(format!(
            "if `#` and what follows belong to the value, put the value in double quotes: {}\"{}\"; a comment goes on a line of its own, or after two spaces",
            text.get(line_start..start).unwrap_or_default().trim_start(),
            whole.trim_end().replace('\\', "\\\\").replace('"', "\\\"")
        )),
        None => diagnostic.help(
            "if `#` and what follows belong to the value, put the whole value in double quotes; a comment goes on a line of its own, or after two spaces",
        ),
    })
}

/// What a mapping reads next.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Next {
    Key,
    /// A collection used as a key is open; its value follows it.
    InKey,
    Value,
}

/// A container open during the scan.
enum Frame {
    Mapping {
        keys: HashMap<String, Position>,
        next: Next,
        /// The mapping's node in the key paths.
        node: usize,
        /// How the mapping reaches the value of the key read last.
        key: Segment,
        /// Where the key read last is.
        last_key: Option<Position>,
    },
    Sequence {
        /// The sequence's node in the key paths.
        node: usize,
        /// How many items came before.
        items: usize,
    },
}

/// How much of a YAML file the scan reads before refusing it.
#[derive(Clone, Copy, Debug)]
struct Budget {
    nodes: usize,
    depth: usize,
}

impl Budget {
    /// The limits of every study file.
    const STUDY: Self = Self {
        nodes: MAX_YAML_NODES,
        depth: MAX_YAML_DEPTH,
    };
}

/// What the scan of a file found.
struct Scanned {
    styles: ScalarStyles,
    key_paths: KeyPaths,
    /// Whether the file is free of errors.
    clean: bool,
}

pub const YAML_SYNTAX: Rule = Rule {
    id: "E101",
    name: "yaml-syntax",
    severity: Severity::Error,
    summary: "The YAML is not well-formed.",
    why: "A file that is not well-formed YAML cannot be read at all, so nothing else in it can be checked until it is fixed; the diagnostic points at where the parser stopped, which is where the mistake is or just after it. For the slips new authors make most, it points at the slip itself and its help says what to type: a tab used for indentation (replace it with spaces), a colon and space inside an unquoted value (put the value in double quotes), a value starting with `[` or `{` (quote it, or write it as a block with `|`), a key without its colon (add one).",
};

pub const YAML_ANCHOR: Rule = Rule {
    id: "E102",
    name: "yaml-anchor",
    severity: Severity::Error,
    summary: "A YAML anchor or alias; study files must spell every value out.",
    why: "An alias (`*name`) repeats a value written elsewhere (`&name`), so a file says something other than what it shows where the alias stands, and aliases of aliases can grow a small file into gigabytes in memory (\"billion laughs\"). Study files spell every value out.",
};

pub const YAML_TAG: Rule = Rule {
    id: "E103",
    name: "yaml-tag",
    severity: Severity::Error,
    summary: "A YAML tag such as `!!str`; study files use untagged values.",
    why: "A tag (`!!str`, `!custom`) changes how a value is read, in ways a reader of the file does not see. Study files need none: a value that must be text and looks like a number is written in quotes.",
};

/// Walks the file's events: refuses what study files must not contain, and
/// records scalar styles and the key path of every node.
fn scan(file: &str, text: &str, budget: Budget, diagnostics: &mut Diagnostics) -> Scanned {
    // Warnings do not stop the file being read; they join the diagnostics
    // once the scan ends, whatever ends it.
    let mut warnings: Vec<Diagnostic> = Vec::new();
    let scanned = scan_events(file, text, budget, &mut warnings, diagnostics);
    for warning in warnings {
        diagnostics.push(warning);
    }
    scanned
}

/// [`scan`], with the warnings it finds kept apart in `warnings`.
fn scan_events(
    file: &str,
    text: &str,
    budget: Budget,
    warnings: &mut Vec<Diagnostic>,
    diagnostics: &mut Diagnostics,
) -> Scanned {
    let mut scanned = Scanned {
        styles: ScalarStyles::default(),
        key_paths: KeyPaths::default(),
        clean: true,
    };
    let mut stack: Vec<Frame> = Vec::new();
    let mut refuse = |diagnostic: Diagnostic, clean: &mut bool| {
        diagnostics.push(diagnostic);
        *clean = false;
    };
    let mut parser_options = ParserOptions::default();
    parser_options.emit_anchor_events = true;
    let mut nodes = 0_usize;
    for event in Parser::new_from_str_with_options(text, parser_options) {
        let (event, span) = match event {
            Ok(pair) => pair,
            Err(error) => {
                refuse(syntax_error(file, text, &error), &mut scanned.clean);
                return scanned;
            }
        };
        let at = position(&span);
        if matches!(
            event,
            Event::Scalar(..) | Event::SequenceStart(..) | Event::MappingStart(..) | Event::Alias(_)
        ) {
            nodes += 1;
            if nodes > budget.nodes || stack.len() >= budget.depth {
                let breach = if nodes > budget.nodes {
                    Breach::Nodes(budget.nodes)
                } else {
                    Breach::Depth(budget.depth)
                };
                refuse(too_large(file, at, breach), &mut scanned.clean);
                return scanned;
            }
        }
        let tagged = match &event {
            Event::Scalar(_, _, _, tag) | Event::SequenceStart(_, _, tag) | Event::MappingStart(_, _, tag) => {
                tag.is_some()
            }
            _ => false,
        };
        if matches!(event, Event::Anchor(..)) {
            refuse(
                Diagnostic::new(Code::YamlAnchor, "YAML anchors are not allowed in study files")
                    .at(Location::at(file, at))
                    .help("remove the `&name` anchor and write the value out in full wherever it is needed"),
                &mut scanned.clean,
            );
        }
        if tagged {
            refuse(
                Diagnostic::new(Code::YamlTag, "YAML tags are not allowed in study files")
                    .at(Location::at(file, tag_position(&span).unwrap_or(at)))
                    .help("remove the `!tag`; write text in quotes if it must not be read as a number"),
                &mut scanned.clean,
            );
        }
        match event {
            Event::Alias(_) | Event::UnresolvedAlias(_) => {
                refuse(
                    Diagnostic::new(Code::YamlAnchor, "YAML aliases are not allowed in study files")
                        .at(Location::at(file, at))
                        .help("replace the `*name` alias with the value itself"),
                    &mut scanned.clean,
                );
                let (node, is_key) = enter(&mut stack, &mut scanned.key_paths, at, Entered::Alias);
                scanned.key_paths.close(node, marker_position(span.end));
                if !is_key {
                    done(&mut stack);
                }
            }
            Event::Scalar(value, style, _, _) => {
                scanned.styles.plain.insert(at, style == ScalarStyle::Plain);
                if matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted) {
                    scanned.styles.quoted.insert(at, ());
                }
                let (node, is_key) = enter(&mut stack, &mut scanned.key_paths, at, Entered::Scalar(&value));
                scanned.key_paths.close(node, marker_position(span.end));
                if let Some(Frame::Mapping { last_key, .. }) = stack.last_mut() {
                    if is_key {
                        *last_key = Some(at);
                    } else if let Some(key) = last_key {
                        scanned.styles.keys.insert(at, *key);
                    }
                }
                if !is_key {
                    let quote_text = matches!(
                        stack.last(),
                        Some(Frame::Mapping {
                            key: Segment::Key("text"),
                            ..
                        })
                    );
                    if style == ScalarStyle::Plain
                        && !quote_text
                        && let Some(warning) = comment_after_value(file, text, &span)
                    {
                        warnings.push(warning);
                    }
                    done(&mut stack);
                    continue;
                }
                if let Some(Frame::Mapping { keys, .. }) = stack.last_mut()
                    && let Some(problem) = check_key(file, keys, value.into_owned(), style, at)
                {
                    refuse(problem, &mut scanned.clean);
                }
            }
            Event::MappingStart(..) => {
                let (node, _) = enter(&mut stack, &mut scanned.key_paths, at, Entered::Collection);
                stack.push(Frame::Mapping {
                    keys: HashMap::new(),
                    next: Next::Key,
                    node,
                    key: Segment::Hidden,
                    last_key: None,
                });
            }
            Event::SequenceStart(..) => {
                let (node, _) = enter(&mut stack, &mut scanned.key_paths, at, Entered::Collection);
                stack.push(Frame::Sequence { node, items: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(Frame::Mapping { node, .. } | Frame::Sequence { node, .. }) = stack.pop() {
                    scanned.key_paths.close(node, at);
                }
                done(&mut stack);
            }
            _ => {}
        }
    }
    scanned
}

pub const YAML_MERGE_KEY: Rule = Rule {
    id: "E104",
    name: "yaml-merge-key",
    severity: Severity::Error,
    summary: "A YAML merge key (`<<`); study files must spell every value out.",
    why: "A merge key (`<<: *defaults`) copies keys from elsewhere into a mapping, so a record holds values that are not written in it. Study files spell every value out.",
};

pub const DUPLICATE_KEY: Rule = Rule {
    id: "E105",
    name: "duplicate-key",
    severity: Severity::Error,
    summary: "The same key twice in one mapping.",
    why: "YAML keeps only one of two values given under the same key in a mapping, silently: a participant with two `gender:` lines shows one of them. Both places are named so that the right one can be kept.",
};

/// Refuses a merge key, or a key that `keys` (those of its mapping so far)
/// already has; otherwise adds it to them.
fn check_key(
    file: &str,
    keys: &mut HashMap<String, Position>,
    key: String,
    style: ScalarStyle,
    at: Position,
) -> Option<Diagnostic> {
    if style == ScalarStyle::Plain && key == "<<" {
        return Some(
            Diagnostic::new(
                Code::YamlMergeKey,
                "YAML merge keys (`<<`) are not allowed in study files",
            )
            .at(Location::at(file, at))
            .help("write the merged keys out in this mapping"),
        );
    }
    if let Some(first) = keys.get(&key) {
        return Some(
            Diagnostic::new(
                Code::DuplicateKey,
                format!("duplicate key `{key}` (first at line {})", first.line),
            )
            .at(Location::at(file, at))
            .related(Location::at(file, *first), "first written here")
            .help("keep one of the two; YAML mappings need unique keys"),
        );
    }
    keys.insert(key, at);
    None
}

/// The kind of node that starts.
enum Entered<'a> {
    Scalar(&'a str),
    Collection,
    Alias,
}

/// A node starts at `at`: records it in `paths` under the open container
/// and returns its index and whether it is a key of that container (a
/// mapping). A key is named in the path only if it is a scalar that is a
/// key of the study format.
fn enter(stack: &mut [Frame], paths: &mut KeyPaths, at: Position, entered: Entered<'_>) -> (usize, bool) {
    match stack.last_mut() {
        None => (paths.open(at, None, None), false),
        Some(Frame::Sequence { node, items }) => {
            let index = paths.open(at, Some(*node), Some(Segment::Item(*items)));
            *items += 1;
            (index, false)
        }
        Some(Frame::Mapping { next, node, key, .. }) => {
            let is_key = *next == Next::Key;
            if is_key {
                *key = match entered {
                    Entered::Scalar(text) => raw::schema_key(text).map_or(Segment::Hidden, Segment::Key),
                    Entered::Collection | Entered::Alias => Segment::Hidden,
                };
                *next = match entered {
                    Entered::Collection => Next::InKey,
                    Entered::Scalar(_) | Entered::Alias => Next::Value,
                };
            }
            (paths.open(at, Some(*node), Some(*key)), is_key)
        }
    }
}

/// A node of the open container is complete: after a value, a mapping
/// expects a key; after a key that was a collection, its value.
fn done(stack: &mut [Frame]) {
    if let Some(Frame::Mapping { next, .. }) = stack.last_mut() {
        *next = match *next {
            Next::InKey => Next::Value,
            Next::Key | Next::Value => Next::Key,
        };
    }
}

fn tag_position(span: &Span) -> Option<Position> {
    span.tag_start().map(marker_position)
}

pub const YAML_TOO_LARGE: Rule = Rule {
    id: "E110",
    name: "yaml-too-large",
    severity: Severity::Error,
    summary: "A YAML file with more values than findings reads in one file, or nested too deeply.",
    why: "Reading YAML takes memory for every value, list and mapping, and time for every level of nesting, so a hostile or broken file could exhaust the machine before any other check runs. The limits are far above what a study needs: 4,000,000 values (100,000 quotes hold about 700,000) and 64 levels (the format needs fewer than ten). More quotes or participants than one file holds are split over the files of `quotes/` or `participants/`.",
};

/// Which limit of a [`Budget`] a file went past, and the limit.
#[derive(Clone, Copy, Debug)]
enum Breach {
    Nodes(usize),
    Depth(usize),
}

/// The diagnostic for a file past its budget, at the value where the limit
/// was reached.
fn too_large(file: &str, at: Position, breach: Breach) -> Diagnostic {
    let (message, help) = match breach {
        Breach::Nodes(limit) => (
            format!(
                "the file holds more than {limit} YAML values, lists and mappings; findings reads at most that many in one file"
            ),
            format!(
                "{} (100,000 quotes hold about 700,000 values); see the limits in README.md",
                super::walk::too_large_advice(file)
            ),
        ),
        Breach::Depth(limit) => (
            format!(
                "lists and mappings are nested more than {limit} levels deep here; study files need fewer than ten"
            ),
            "write this value as the study format describes it (docs/data-format.md); no key holds lists of lists"
                .to_owned(),
        ),
    };
    Diagnostic::new(Code::YamlTooLarge, message)
        .at(Location::at(file, at))
        .help(help)
}

pub const MISSING_KEY: Rule = Rule {
    id: "E107",
    name: "missing-key",
    severity: Severity::Error,
    summary: "A required key is missing.",
    why: "Each kind of record has keys it cannot do without (a participant's `service`, a role's `definition`): the site would have a gap, or an attribution a hole, where the value should be.",
};

/// Turns a serde-saphyr error into a diagnostic, by its variant: the
/// field, variant and expected names come typed, never read from the
/// message. serde's messages may quote the offending value, so they go into
/// `detail`; the message names only keys.
fn diagnostic_of(file: &str, text: &str, error: &serde_saphyr::Error) -> Diagnostic {
    use serde_saphyr::Error;
    let location = error
        .location()
        .filter(|at| at.line() > 0)
        .map_or_else(|| Location::file(file), |at| Location::at(file, saphyr_position(&at)));
    match original(error) {
        Error::Budget { breach, location } => {
            let breach = match breach {
                serde_saphyr::budget::BudgetBreach::Depth { .. } => Breach::Depth(MAX_YAML_DEPTH),
                _ => Breach::Nodes(MAX_YAML_NODES),
            };
            too_large(file, saphyr_position(location), breach)
        }
        Error::SerdeUnknownField { field, expected, .. } => match missing_colon(field, expected, &location, text) {
            Some(help) => unknown_key(field, expected).at(location).help(help),
            None => unknown_key(field, expected).at(location),
        },
        Error::SerdeUnknownVariant { variant, expected, .. } => {
            Diagnostic::new(Code::UnknownKey, format!("unknown key `{variant}`"))
                .at(location)
                .help(format!("expected one of: {}", expected.join(", ")))
        }
        Error::SerdeMissingField { field, .. } => {
            let record = location.position.and_then(|at| record_around(text, at));
            let message = match record.as_ref().and_then(|record| record.id.as_deref()) {
                Some(id) => format!("missing required key `{field}` in record `{id}`"),
                None => format!("missing required key `{field}`"),
            };
            let location = match record {
                Some(record) => Location::at(file, record.start),
                None => location,
            };
            Diagnostic::new(Code::MissingKey, message)
                .at(location)
                .help(format!("add `{field}` to this record (see docs/data-format.md)"))
        }
        // The event scan refuses duplicate keys first; serde-saphyr's own
        // check is a second line.
        Error::DuplicateMappingKey { .. } => Diagnostic::new(Code::DuplicateKey, "duplicate key")
            .at(location)
            .help("keep one of the two; YAML mappings need unique keys"),
        // Only a file that parsed reaches serde (see `parse`), so what
        // serde refuses otherwise is the shape of a value, never the syntax.
        // A value that YAML read as a list or a mapping because of how it is
        // written gets the fix for that, on its line.
        shape => match location.position.and_then(|at| slip::value_slip(text, at.line)) {
            Some(found) => wrong_type(shape).at(Location::at(file, found.at)).help(found.help),
            None => wrong_type(shape).at(location),
        },
    }
}

/// A mapping of a YAML file: where it starts, and its `id`, if it has one.
#[derive(Debug, PartialEq, Eq)]
struct Enclosing {
    start: Position,
    id: Option<String>,
}

/// The innermost mapping of `text` that holds `at`: the record serde was
/// reading when it found a key missing. Reads the file's events again, so
/// it costs nothing unless a key is missing.
fn record_around(text: &str, at: Position) -> Option<Enclosing> {
    /// An open mapping: its record, and what its next scalar is.
    struct Open {
        record: Enclosing,
        key_next: bool,
        id_next: bool,
    }
    let mut stack: Vec<Option<Open>> = Vec::new();
    for event in Parser::new_from_str(text) {
        let (event, span) = event.ok()?;
        let value_read = |stack: &mut Vec<Option<Open>>| {
            if let Some(Some(open)) = stack.last_mut() {
                open.key_next = !open.key_next;
            }
        };
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                value_read(&mut stack);
                let mapping = matches!(event, Event::MappingStart(..));
                stack.push(mapping.then(|| Open {
                    record: Enclosing {
                        start: position(&span),
                        id: None,
                    },
                    key_next: true,
                    id_next: false,
                }));
            }
            Event::Scalar(value, ..) => {
                if let Some(Some(open)) = stack.last_mut() {
                    if open.key_next {
                        open.id_next = value == "id";
                    } else if open.id_next {
                        open.record.id = Some(value.into_owned());
                        open.id_next = false;
                    }
                }
                value_read(&mut stack);
            }
            Event::MappingEnd => {
                if let Some(Some(open)) = stack.pop()
                    && open.record.start <= at
                    && at < position(&span)
                {
                    return Some(open.record);
                }
            }
            Event::SequenceEnd => {
                stack.pop();
            }
            _ => {}
        }
    }
    None
}

/// The error itself, out of the wrappers that add a snippet or the place
/// of an alias.
fn original(mut error: &serde_saphyr::Error) -> &serde_saphyr::Error {
    while let serde_saphyr::Error::WithSnippet { error: inner, .. }
    | serde_saphyr::Error::AliasError { error: inner, .. } = error
    {
        error = inner;
    }
    error
}

fn saphyr_position(location: &serde_saphyr::Location) -> Position {
    Position::from_line_column(location.line(), location.column())
}

pub const UNKNOWN_KEY: Rule = Rule {
    id: "E106",
    name: "unknown-key",
    severity: Severity::Error,
    summary: "A key that this kind of record does not have.",
    why: "A key that a record does not have is most often a misspelt one (`servce:`), whose value would otherwise be ignored, or a quote line that lost its indentation and became a key. It is refused, with the closest key the record has.",
};

/// E106 for a key the record does not have, suggesting the closest of the
/// keys it has.
/// For an unknown key made of a known key and more words
/// (`definition Provides care: washing.`), the fix: the known key lost its
/// colon.
fn missing_colon(key: &str, expected: &[&str], at: &Location, text: &str) -> Option<String> {
    let (first, _) = key.split_once(' ')?;
    if !expected.contains(&first) {
        return None;
    }
    // The value is the rest of the key's line, after the key and its space.
    let line = text
        .lines()
        .nth(usize::try_from(at.position?.line).ok()?.checked_sub(1)?)?;
    let value = line.split_once(&format!("{first} "))?.1.trim();
    let value = format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""));
    Some(format!(
        "add a colon after `{first}`, and put the value in double quotes: {first}: {value}"
    ))
}

fn unknown_key(key: &str, expected: &[&str]) -> Diagnostic {
    let diagnostic = Diagnostic::new(Code::UnknownKey, format!("unknown key `{key}`"));
    match did_you_mean(key, expected.iter().copied()) {
        Some(best) => diagnostic.help(format!("did you mean `{best}`? (keys here: {})", expected.join(", "))),
        None if expected.is_empty() => diagnostic.help("remove this key"),
        None => diagnostic.help(format!("keys here: {}", expected.join(", "))),
    }
}

pub const WRONG_TYPE: Rule = Rule {
    id: "E108",
    name: "wrong-type",
    severity: Severity::Error,
    summary: "A value of the wrong kind (a list where text is expected, say).",
    why: "A value of the wrong shape (a list where one text is expected, `yes` where `true` or `false` is) cannot be read as the study format says. Booleans are YAML 1.2's `true` and `false` only: `yes`, `no`, `on` and `off` are text there, and `NO` is Norway.",
};

/// E108 for a value of the wrong shape. serde's own message may quote the
/// value, so it goes in `detail`; the message says what was expected.
fn wrong_type(error: &serde_saphyr::Error) -> Diagnostic {
    use serde_saphyr::Error;
    let expected = match error {
        Error::SerdeInvalidType { expected, .. }
        | Error::SerdeInvalidValue { expected, .. }
        | Error::SerdeInvalidLength { expected, .. } => Some(expected.as_str()),
        Error::Unexpected { expected, .. } => Some(*expected),
        _ => None,
    };
    let message = match (expected, error) {
        (Some(expected), _) => format!("wrong kind of value: expected {expected}"),
        (None, Error::Eof { .. }) => {
            "wrong kind of value: expected a mapping of keys, found an empty document".to_owned()
        }
        (None, Error::MultipleDocuments { .. }) => {
            "wrong kind of value: expected one YAML document, found several".to_owned()
        }
        (None, Error::NullIntoString { .. }) => "wrong kind of value: expected a value, found none".to_owned(),
        (None, _) => "wrong kind of value".to_owned(),
    };
    let help = if expected == Some(super::raw::FLAG_EXPECTED) {
        "write `true` or `false`, without quotes; `yes`, `no`, `on`, `off` and `Y` are not booleans in YAML 1.2"
    } else {
        "see docs/data-format.md for what this key holds"
    };
    Diagnostic::new(Code::WrongType, message)
        .help(help)
        .detail(serde_text(error))
}

/// serde-saphyr's message for `error`, without its place, control
/// characters escaped as serde-saphyr escapes them.
fn serde_text(error: &serde_saphyr::Error) -> String {
    use serde_saphyr::MessageFormatter as _;
    let mut text = String::new();
    for character in serde_saphyr::DefaultMessageFormatter.format_message(error).chars() {
        if character.is_control() || matches!(character, '\u{2028}' | '\u{2029}') {
            text.extend(character.escape_debug());
        } else {
            text.push(character);
        }
    }
    text
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::diagnostic::Diagnostic;

    #[test]
    fn by_position_keeps_what_a_map_keeps_in_any_order() {
        let inserts = [(3, 1), (5, 2), (5, 3), (1, 4), (4, 5), (1, 6), (9, 7)];
        let mut list = ByPosition::default();
        let mut map = std::collections::BTreeMap::new();
        for (line, value) in inserts {
            list.insert(Position::new(line, 1), value);
            map.insert(Position::new(line, 1), value);
        }
        for line in 0..11 {
            assert_eq!(
                list.get(Position::new(line, 1)),
                map.get(&Position::new(line, 1)),
                "line {line}"
            );
        }
        assert_eq!(list.0, map.into_iter().collect::<Vec<_>>());
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Record {
        pub id: Sourced<String>,
        #[serde(default)]
        pub text: Option<Sourced<String>>,
    }

    fn run(text: &str) -> (Option<Record>, Vec<Diagnostic>) {
        let mut sink = Diagnostics::new();
        let parsed = parse::<Record>("f.yaml", text, &mut sink).map(|(record, _)| record);
        (parsed, sink.into_sorted())
    }

    fn codes(text: &str) -> Vec<(Code, Option<Position>)> {
        run(text)
            .1
            .into_iter()
            .map(|found| (found.code, found.location.and_then(|at| at.position)))
            .collect()
    }

    #[test]
    fn reads_values_with_positions() {
        let (record, found) = run("id: 7\ntext: |\n  hello # not a comment\n");
        assert!(found.is_empty(), "{found:?}");
        let record = record.unwrap();
        assert_eq!(record.id.value, "7");
        assert_eq!(record.id.at, Position::new(1, 5));
        assert_eq!(record.text.unwrap().value, "hello # not a comment\n");
    }

    #[test]
    fn a_comment_after_a_plain_value_is_a_warning_that_keeps_the_file() {
        let (record, found) = run("id: a #1 b\ntext: 'c' # a note\n");
        assert_eq!(record.unwrap().id.value, "a");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].code, Code::CommentAfterValue);
        assert_eq!(found[0].location.as_ref().unwrap().position, Some(Position::new(1, 7)));
        assert_eq!(
            found[0].help.as_deref(),
            Some(
                "if `#` and what follows belong to the value, put the value in double quotes: id: \"a #1 b\"; a comment goes on a line of its own, or after two spaces"
            )
        );
        // Quote text written so is E109's, and a `#` with no space before
        // it is part of the value.
        assert!(codes("id: a\ntext: b #c\n").is_empty());
        assert!(codes("id: a#1\n").is_empty());
        assert!(codes("id: a  # a note\n").is_empty());
    }

    #[test]
    fn a_syntax_error_names_the_fix_on_the_line_of_the_slip() {
        let (_, found) = run("id: a\n\ttext: 'b'\n");
        assert_eq!(found[0].code, Code::YamlSyntax);
        assert_eq!(found[0].location.as_ref().unwrap().position, Some(Position::new(2, 1)));
        assert!(
            found[0]
                .help
                .as_deref()
                .unwrap()
                .starts_with("replace the tab at column 1")
        );
        let (_, found) = run("id: a\ntext: [b] c\n");
        assert_eq!(found[0].location.as_ref().unwrap().position, Some(Position::new(2, 7)));
        assert!(found[0].help.as_deref().unwrap().contains("text: \"[b] c\""));
    }

    #[test]
    fn a_missing_key_points_at_its_record_and_names_its_id() {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Records {
            #[allow(dead_code)]
            records: Vec<Required>,
        }
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Required {
            #[allow(dead_code)]
            id: String,
            #[allow(dead_code)]
            text: String,
        }
        let mut sink = Diagnostics::new();
        let text = "records:\n  - id: a\n    text: x\n  - id: b\n";
        let parsed = parse::<Records>("f.yaml", text, &mut sink);
        assert!(parsed.is_none());
        let found = sink.into_sorted();
        let missing = found.iter().find(|found| found.code == Code::MissingKey).unwrap();
        assert_eq!(missing.message, "missing required key `text` in record `b`");
        assert_eq!(missing.location.as_ref().unwrap().position, Some(Position::new(4, 5)));
        assert_eq!(
            record_around(text, Position::new(3, 5)),
            Some(Enclosing {
                start: Position::new(2, 5),
                id: Some("a".to_owned())
            })
        );
    }

    #[test]
    fn scalar_styles_are_recorded_where_serde_places_values() {
        let mut sink = Diagnostics::new();
        let (record, styles) = parse::<Record>("f.yaml", "id: a\ntext: 'quoted'\n", &mut sink).unwrap();
        assert!(styles.is_plain(record.id.at));
        assert!(!styles.is_plain(record.text.unwrap().at));
    }

    #[test]
    fn refuses_anchors_aliases_tags_and_merge_keys() {
        assert_eq!(
            codes("id: &a x\ntext: *a\n"),
            vec![
                (Code::YamlAnchor, Some(Position::new(1, 5))),
                (Code::YamlAnchor, Some(Position::new(2, 7)))
            ]
        );
        assert_eq!(codes("id: !!str x\n")[0].0, Code::YamlTag);
        assert_eq!(
            codes("<<: {id: x}\n"),
            vec![(Code::YamlMergeKey, Some(Position::new(1, 1)))]
        );
    }

    #[test]
    fn duplicate_keys_name_both_lines() {
        let (_, found) = run("id: a\ntext: 'b'\nid: c\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, Code::DuplicateKey);
        assert_eq!(found[0].location.as_ref().unwrap().position, Some(Position::new(3, 1)));
        assert_eq!(found[0].related[0].location.position, Some(Position::new(1, 1)));
    }

    #[test]
    fn unknown_keys_suggest_the_right_one() {
        let (_, found) = run("id: a\ntxet: 'b'\n");
        assert_eq!(found[0].code, Code::UnknownKey);
        assert_eq!(found[0].message, "unknown key `txet`");
        assert!(found[0].help.as_deref().unwrap().starts_with("did you mean `text`?"));
        assert_eq!(found[0].location.as_ref().unwrap().position, Some(Position::new(2, 1)));
    }

    fn key_paths(text: &str) -> KeyPaths {
        parse_with_key_paths::<serde::de::IgnoredAny>("f.yaml", text, &mut Diagnostics::new()).1
    }

    #[test]
    fn key_paths_follow_keys_and_items() {
        let text = "quotes:\n  - id: q1\n    participant: Jane Smith\n    text: |\n      hello\n  - id: q2\n    turns:\n      - participant: 'hi'\n      - {interviewer: x}\n";
        let paths = key_paths(text);
        let at = |line, column| paths.at(Position::new(line, column));
        assert_eq!(at(1, 1).as_deref(), Some("quotes"));
        assert_eq!(at(2, 9).as_deref(), Some("quotes[0].id"));
        assert_eq!(at(3, 18).as_deref(), Some("quotes[0].participant"));
        assert_eq!(at(3, 22).as_deref(), Some("quotes[0].participant"));
        // Inside a block scalar.
        assert_eq!(at(5, 9).as_deref(), Some("quotes[0].text"));
        assert_eq!(at(8, 24).as_deref(), Some("quotes[1].turns[0].participant"));
        assert_eq!(at(9, 23).as_deref(), Some("quotes[1].turns[1].interviewer"));
    }

    #[test]
    fn keys_outside_the_schema_are_hidden() {
        // A quote line that lost its indentation becomes a key.
        let text = "quotes:\n  - id: q1\n    text: |\n      I said\n    Jane Smith told me: it was hard\n    participant: 1a\n";
        let paths = key_paths(text);
        assert_eq!(paths.at(Position::new(5, 5)).as_deref(), Some("quotes[0].?"));
        assert_eq!(paths.at(Position::new(5, 25)).as_deref(), Some("quotes[0].?"));
        assert_eq!(paths.at(Position::new(6, 18)).as_deref(), Some("quotes[0].participant"));
        // A collection as a key, and the value after it.
        let paths = key_paths("{[a, b]: 1, id: x}\n");
        assert_eq!(paths.all(), ["", "?", "?[0]", "?[1]", "?", "id", "id"]);
    }

    #[test]
    fn key_paths_cover_a_file_with_errors() {
        let mut sink = Diagnostics::new();
        let text = "quotes:\n  - id: q1\n    id: q2\n  - id: [\n";
        let (parsed, paths) = parse_with_key_paths::<serde::de::IgnoredAny>("f.yaml", text, &mut sink);
        assert!(parsed.is_none());
        let found = sink.into_sorted();
        assert_eq!(
            found.iter().map(|found| found.code).collect::<Vec<_>>(),
            [Code::DuplicateKey, Code::YamlSyntax]
        );
        let duplicate = found[0].location.as_ref().and_then(|at| at.position).unwrap();
        assert_eq!(paths.at(duplicate).as_deref(), Some("quotes[0].id"));
    }

    /// Every key the bundled study, the valid fixtures and the scaffold use
    /// is a schema key (or a participant's attribute value), so none of
    /// their other key paths has a `?`.
    #[test]
    fn every_key_in_use_is_a_schema_key() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = 0;
        for folder in [
            "data",
            "tests/fixtures/valid",
            "tests/fixtures/valid-other",
            "templates/new-study",
        ] {
            for entry in walkdir::WalkDir::new(root.join(folder)).sort_by_file_name() {
                let entry = entry.unwrap();
                let path = entry.path();
                let text = std::fs::read_to_string(path).unwrap_or_default();
                let yaml = match path.extension().and_then(|extension| extension.to_str()) {
                    Some("yaml") => text,
                    // The front matter, between the first two `---` lines.
                    Some("md") if text.starts_with("---\n") => {
                        text.split("\n---\n").next().unwrap_or_default().replacen("---", "", 1)
                    }
                    _ => continue,
                };
                files += 1;
                // A participant's attribute values are keys the study
                // declares, not the format's: hidden by design (E320 checks them).
                let attribute_value = |path: &str| {
                    path.strip_prefix("participants[")
                        .and_then(|rest| rest.strip_suffix("].?"))
                        .is_some_and(|index| index.chars().all(|character| character.is_ascii_digit()))
                };
                let hidden: Vec<String> = key_paths(&yaml)
                    .all()
                    .into_iter()
                    .filter(|path| path.contains('?') && !attribute_value(path))
                    .collect();
                assert!(
                    hidden.is_empty(),
                    "{}: keys not in SCHEMA_KEYS: {hidden:?}",
                    path.display()
                );
            }
        }
        assert!(files > 20, "only {files} files read");
    }

    #[test]
    fn refuses_files_beyond_the_node_budget_and_depth() {
        let small = Budget { nodes: 6, depth: 3 };
        let mut sink = Diagnostics::new();
        // A mapping, two keys, a value and a list of one: six nodes.
        assert!(scan("f.yaml", "id: a\ntext: [0]\n", small, &mut sink).clean);
        assert!(!scan("f.yaml", "id: a\ntext: [0, 1]\n", small, &mut sink).clean);
        assert!(!scan("f.yaml", "id: [[[0]]]\n", small, &mut sink).clean);
        let found = sink.into_sorted();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].message.contains("nested more than 3 levels"), "{found:?}");
        assert_eq!(found[0].location.as_ref().unwrap().position, Some(Position::new(1, 7)));
        assert!(found[1].message.starts_with("the file holds more than 6 "), "{found:?}");
        assert_eq!(found[1].location.as_ref().unwrap().position, Some(Position::new(2, 11)));
        // The real budget: serde-saphyr's own limit is the same, so the
        // scan, which runs first, is the one that reports.
        let deep = format!(
            "id: a\ntext: {}{}\n",
            "[".repeat(MAX_YAML_DEPTH),
            "]".repeat(MAX_YAML_DEPTH)
        );
        assert_eq!(codes(&deep)[0].0, Code::YamlTooLarge);
    }

    #[test]
    fn booleans_are_true_or_false_only() {
        #[derive(Debug, Deserialize)]
        struct Setting {
            on: Sourced<crate::load::raw::Flag>,
        }
        for spelling in ["yes", "on", "Y", "\"true\"", "'false'", "1", "~"] {
            let mut sink = Diagnostics::new();
            let parsed = parse::<Setting>("f.yaml", &format!("on: {spelling}\n"), &mut sink);
            assert!(parsed.is_none(), "{spelling}");
            let found = sink.into_sorted();
            assert_eq!(found[0].code, Code::WrongType, "{spelling}");
            assert!(
                found[0].help.as_deref().unwrap().starts_with("write `true` or `false`"),
                "{spelling}"
            );
        }
        for (spelling, value) in [("true", true), ("false", false), ("True", true)] {
            let mut sink = Diagnostics::new();
            let (parsed, _) = parse::<Setting>("f.yaml", &format!("on: {spelling}\n"), &mut sink).unwrap();
            assert_eq!(parsed.on.value.0, value);
            assert_eq!(parsed.on.at, Position::new(1, 5));
        }
    }

    /// Each serde-saphyr error variant gives its diagnostic, worded from
    /// the variant's fields.
    #[test]
    fn serde_errors_are_told_apart_by_their_variant() {
        let messages = |text: &str| -> Vec<(Code, String, Option<String>)> {
            let mut sink = Diagnostics::new();
            assert!(
                parse::<crate::load::raw::RawQuotesFile>("f.yaml", text, &mut sink).is_none(),
                "{text}"
            );
            sink.into_sorted()
                .into_iter()
                .map(|found| (found.code, found.message, found.help))
                .collect()
        };
        let quote = "quotes:\n  - id: q\n    participant: p\n";
        assert_eq!(
            messages(&format!("{quote}    turns:\n      - speaker: |\n          hi\n")),
            [(
                Code::UnknownKey,
                "unknown key `speaker`".to_owned(),
                Some("expected one of: participant, interviewer".to_owned())
            )]
        );
        assert_eq!(
            messages(&format!("{quote}    txet: 'hi'\n")),
            [(
                Code::UnknownKey,
                "unknown key `txet`".to_owned(),
                Some("did you mean `text`? (keys here: id, participant, text, turns)".to_owned())
            )]
        );
        assert_eq!(
            messages("quotes:\n  - id: q\n"),
            [(
                Code::MissingKey,
                "missing required key `participant` in record `q`".to_owned(),
                Some("add `participant` to this record (see docs/data-format.md)".to_owned())
            )]
        );
        let wrong = |text: &str| {
            messages(text)
                .into_iter()
                .map(|(code, message, _)| (code, message))
                .collect::<Vec<_>>()
        };
        let wrong_type = |message: &str| vec![(Code::WrongType, format!("wrong kind of value{message}"))];
        assert_eq!(
            wrong(""),
            wrong_type(": expected a mapping of keys, found an empty document")
        );
        assert_eq!(
            wrong("---\nquotes: []\n---\nquotes: []\n"),
            wrong_type(": expected one YAML document, found several")
        );
        assert_eq!(
            wrong(&format!("{quote}    text: |\n      hi\n    turns: x\n")),
            wrong_type(": expected sequence start")
        );
        assert_eq!(
            wrong("quotes:\n  - id: q\n    participant:\n"),
            wrong_type(": expected a value, found none")
        );
        assert_eq!(
            wrong("quotes:\n  - id: [q]\n    participant: p\n"),
            wrong_type(": expected string scalar")
        );
    }

    /// serde's own words may quote the value: they are the detail, never
    /// the message, and control characters in them are escaped.
    #[test]
    fn serde_words_are_kept_as_detail_only() {
        let mut sink = Diagnostics::new();
        assert!(parse::<Record>("f.yaml", "id: a\ntext: \"x\\u0007y\"\n", &mut sink).is_some());
        #[derive(Debug, Deserialize)]
        struct Setting {
            #[allow(dead_code)]
            on: crate::load::raw::Flag,
        }
        assert!(parse::<Setting>("f.yaml", "on: \"Jane\\u0007Smith\"\n", &mut sink).is_none());
        let found = sink.into_sorted();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(!found[0].message.contains("Jane"), "{}", found[0].message);
        let detail = found[0].detail.as_deref().unwrap_or_default();
        assert!(detail.contains("Jane\\u{7}Smith"), "{detail}");
    }

    #[test]
    fn missing_and_mistyped_values_are_reported() {
        assert_eq!(codes("text: 'b'\n")[0].0, Code::MissingKey);
        assert_eq!(codes("id: [1, 2]\n")[0].0, Code::WrongType);
        assert_eq!(codes("id: 'a\n")[0].0, Code::YamlSyntax);
    }
}
