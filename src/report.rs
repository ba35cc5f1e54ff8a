//! Drawing diagnostics for people and machines: human text with source
//! snippets, one JSON document, or GitHub Actions workflow commands.
//!
//! Input: sorted diagnostics, the sources they point into, and how to draw
//! them. Output: a string; printing is the caller's job.
//!
//! Redaction holds by construction. Each diagnostic becomes a `View`
//! first, and the three renderers draw views, never diagnostics. In a
//! redacted report the view is made from a [`RedactedDiagnostic`], which
//! keeps only the code and the places: the message is the code's fixed
//! summary, the help a fixed sentence, related places carry a fixed label,
//! and there is no detail and no source file to draw a snippet from. So no
//! value of the study (quote text, names, ids, keys) can reach a public CI
//! log, whatever a diagnostic's message says. Places are given as file,
//! line, column and the key path (`quotes[3].participant`), whose keys are
//! only ever the study format's own.

use std::fmt::Write as _;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, Location, Severity};
use crate::source::{Position, SourceFile, Sources, offset_of};

/// The help of every redacted diagnostic (a diagnostic's own help may
/// suggest ids or keys of the study).
pub const REDACTED_HELP: &str =
    "run `findings check` without --redact (and with CI unset) on your own machine to see the details";

/// The label of every related place in a redacted report.
pub const REDACTED_RELATED_LABEL: &str = "related place";

/// How to draw diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Text with source snippets, for people.
    #[default]
    Human,
    /// One JSON document (see README for the schema).
    Json,
    /// GitHub Actions workflow commands (`::error file=...::...`).
    Github,
}

/// Options for drawing.
#[derive(Clone, Debug, Default)]
pub struct Style {
    /// Colour the human format.
    pub color: bool,
    /// Show only what a [`RedactedDiagnostic`] keeps: no message, help,
    /// detail, label or snippet of the diagnostics themselves.
    pub redact: bool,
    /// The study folder as the user gave it, prefixed to file names shown.
    pub study_dir: String,
}

impl Style {
    fn path(&self, file: &str) -> String {
        // An absolute path is outside the study (a deny-list's line).
        if std::path::Path::new(file).is_absolute() {
            return file.to_owned();
        }
        if self.study_dir.is_empty() || self.study_dir == "." {
            file.to_owned()
        } else {
            format!("{}/{file}", self.study_dir.trim_end_matches('/'))
        }
    }
}

/// What a redacted report may show of a diagnostic: its code and its
/// places, and nothing it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedactedDiagnostic<'a> {
    /// What kind of problem.
    pub code: Code,
    /// Where it is.
    pub location: Option<&'a Location>,
    /// The other places that explain it, without their labels.
    pub related: Vec<&'a Location>,
}

impl<'a> RedactedDiagnostic<'a> {
    /// Keeps the code and places of `diagnostic`. Its message, help, detail
    /// and related labels are not read.
    #[must_use]
    pub fn of(diagnostic: &'a Diagnostic) -> Self {
        Self {
            code: diagnostic.code,
            location: diagnostic.location.as_ref(),
            related: diagnostic.related.iter().map(|related| &related.location).collect(),
        }
    }
}

/// One diagnostic as the renderers draw it. [`views`] makes it, with
/// [`View::redacted`] in a redacted report; the renderers see nothing else.
#[derive(Debug)]
struct View<'a> {
    code: Code,
    location: Option<&'a Location>,
    /// The key path at the location (YAML record files only).
    key_path: Option<String>,
    /// Whether the human and GitHub formats name the key path: in a
    /// redacted report, where it stands in for the snippet.
    name_key_path: bool,
    message: &'a str,
    help: Option<&'a str>,
    detail: Option<&'a str>,
    /// Other places, each with its label.
    related: Vec<(&'a str, &'a Location)>,
    /// The file to draw a snippet from; never set in a redacted report.
    source: Option<&'a SourceFile>,
}

impl<'a> View<'a> {
    /// Everything the diagnostic says, and the file it points into.
    fn full(diagnostic: &'a Diagnostic, sources: &'a Sources, key_path: Option<String>) -> Self {
        let location = diagnostic.location.as_ref();
        // A deny-listed term's line would show the term: no snippet, the
        // key path instead.
        let shows_line = diagnostic.code != Code::DenyListedTerm;
        Self {
            code: diagnostic.code,
            location,
            key_path,
            name_key_path: !shows_line,
            message: &diagnostic.message,
            help: diagnostic.help.as_deref(),
            detail: diagnostic.detail.as_deref(),
            related: diagnostic
                .related
                .iter()
                .map(|related| (related.label.as_str(), &related.location))
                .collect(),
            source: location
                .filter(|_| shows_line)
                .and_then(|location| sources.get(&location.file)),
        }
    }

    /// Only the code, its fixed texts and the places.
    fn redacted(diagnostic: RedactedDiagnostic<'a>, key_path: Option<String>) -> Self {
        Self {
            code: diagnostic.code,
            location: diagnostic.location,
            key_path,
            name_key_path: true,
            message: diagnostic.code.summary(),
            help: Some(REDACTED_HELP),
            detail: None,
            related: diagnostic
                .related
                .into_iter()
                .map(|location| (REDACTED_RELATED_LABEL, location))
                .collect(),
            source: None,
        }
    }

    fn severity(&self) -> Severity {
        self.code.severity()
    }

    fn position(&self) -> Option<Position> {
        self.location.and_then(|location| location.position)
    }
}

/// The views of `diagnostics`: redacted ones when `redact`.
fn views<'a>(diagnostics: &'a [Diagnostic], sources: &'a Sources, redact: bool) -> Vec<View<'a>> {
    diagnostics
        .iter()
        .map(|diagnostic| {
            let key_path = diagnostic
                .location
                .as_ref()
                .and_then(|location| sources.get(&location.file)?.key_path(location.position?));
            if redact {
                View::redacted(RedactedDiagnostic::of(diagnostic), key_path)
            } else {
                View::full(diagnostic, sources, key_path)
            }
        })
        .collect()
}

/// Draws `diagnostics` as the human format: one block per diagnostic.
#[must_use]
pub fn human(diagnostics: &[Diagnostic], sources: &Sources, style: &Style) -> String {
    let renderer = if style.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    // The line starts of each file, found once: a snippet is drawn from the
    // lines it annotates only, so that many diagnostics in a large file do
    // not each read the whole file.
    let mut line_starts: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    for view in views(diagnostics, sources, style.redact) {
        let level = match view.severity() {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let id = format!("{} {}", view.code.id(), view.code.name());
        let path = view
            .location
            .map(|location| style.path(&location.file))
            .unwrap_or_default();
        let title = level.primary_title(view.message).id(id);
        let mut group = Group::with_title(title);
        let mut shown_related = Vec::new();
        if let Some(location) = view.location {
            match (view.source, location.position) {
                (Some(source), Some(position)) => {
                    let text = source.text.as_str();
                    let starts = line_starts.entry(source.path.as_str()).or_insert_with(|| {
                        std::iter::once(0)
                            .chain(text.match_indices('\n').map(|(index, _)| index + 1))
                            .collect()
                    });
                    let primary = token_span(text, starts, position);
                    let related_spans: Vec<_> = view
                        .related
                        .iter()
                        .enumerate()
                        .filter(|(_, (_, related))| related.file == location.file)
                        .filter_map(|(index, (label, related))| {
                            Some((index, *label, token_span(text, starts, related.position?)?))
                        })
                        .collect();
                    // From the start of the first annotated line to the end
                    // of the last (the whole file if nothing is annotated).
                    let spans = primary.iter().chain(related_spans.iter().map(|(_, _, span)| span));
                    let first = spans.clone().map(|span| span.start).min().unwrap_or(0);
                    let last = spans.map(|span| span.end).max().unwrap_or(text.len());
                    let line = starts.partition_point(|start| *start <= first);
                    let window_start = starts[line - 1];
                    let window_end = text[last..].find('\n').map_or(text.len(), |end| last + end);
                    let shift = |span: &std::ops::Range<usize>| span.start - window_start..span.end - window_start;
                    let mut snippet = Snippet::source(&text[window_start..window_end])
                        .path(path.as_str())
                        .line_start(line);
                    if let Some(span) = &primary {
                        snippet = snippet.annotation(AnnotationKind::Primary.span(shift(span)));
                    }
                    for (index, label, span) in &related_spans {
                        snippet = snippet.annotation(AnnotationKind::Context.span(shift(span)).label(*label));
                        shown_related.push(*index);
                    }
                    group = group.element(snippet);
                }
                _ => group = group.element(origin(&path, location)),
            }
        }
        let mut notes: Vec<String> = Vec::new();
        if view.name_key_path
            && let Some(key_path) = &view.key_path
        {
            notes.push(format!("key path: {key_path}"));
        }
        notes.extend(
            view.related
                .iter()
                .enumerate()
                .filter(|(index, _)| !shown_related.contains(index))
                .map(|(_, (label, location))| format!("{label}: {}", display_location(location, style))),
        );
        notes.extend(view.detail.map(str::to_owned));
        for note in &notes {
            group = group.element(Level::NOTE.message(note.as_str()));
        }
        if let Some(help) = view.help {
            group = group.element(Level::HELP.message(help));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    out
}

fn origin<'a>(path: &'a str, location: &Location) -> Origin<'a> {
    let mut origin = Origin::path(path);
    if let Some(position) = location.position {
        origin = origin
            .line(position.line as usize)
            .char_column(position.column as usize);
    }
    origin
}

fn display_location(location: &Location, style: &Style) -> String {
    let path = style.path(&location.file);
    match location.position {
        Some(position) => format!("{path}:{position}"),
        None => path,
    }
}

/// The byte range of the token starting at `position`: up to the next
/// whitespace, at least one character, never past the line's end.
/// `line_starts` are the offsets where the lines of `text` start.
fn token_span(text: &str, line_starts: &[usize], position: Position) -> Option<std::ops::Range<usize>> {
    let line = usize::try_from(position.line).ok()?.checked_sub(1)?;
    let line_start = *line_starts.get(line)?;
    let start = line_start + offset_of(&text[line_start..], Position::new(1, position.column))?;
    let line_end = text[start..].find('\n').map_or(text.len(), |end| start + end);
    let token_end = text[start..line_end]
        .find(|character: char| character.is_whitespace() || matches!(character, ']' | ')' | ',' | ';'))
        .map_or(line_end, |end| start + end);
    let end = if token_end > start {
        token_end
    } else {
        text[start..]
            .chars()
            .next()
            .map_or(start, |character| start + character.len_utf8())
    };
    Some(start..end)
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    study: &'a str,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    message: &'a str,
    file: Option<&'a str>,
    path: Option<String>,
    line: Option<u32>,
    column: Option<u32>,
    key_path: Option<String>,
    help: Option<&'a str>,
    detail: Option<&'a str>,
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    label: &'a str,
    file: &'a str,
    line: Option<u32>,
    column: Option<u32>,
}

/// Draws `diagnostics` as one JSON document (schema version 1).
#[must_use]
pub fn json(diagnostics: &[Diagnostic], sources: &Sources, style: &Style) -> String {
    let count = |severity| diagnostics.iter().filter(|found| found.severity() == severity).count();
    let report = JsonReport {
        version: 1,
        study: &style.study_dir,
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        diagnostics: views(diagnostics, sources, style.redact)
            .into_iter()
            .map(|view| JsonDiagnostic {
                code: view.code.id(),
                name: view.code.name(),
                severity: view.severity().as_str(),
                message: view.message,
                file: view.location.map(|location| location.file.as_str()),
                path: view.location.map(|location| style.path(&location.file)),
                line: view.position().map(|at| at.line),
                column: view.position().map(|at| at.column),
                key_path: view.key_path,
                help: view.help,
                detail: view.detail,
                related: view
                    .related
                    .iter()
                    .map(|(label, location)| JsonRelated {
                        label,
                        file: &location.file,
                        line: location.position.map(|at| at.line),
                        column: location.position.map(|at| at.column),
                    })
                    .collect(),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}

/// Draws `diagnostics` as GitHub Actions workflow commands, one per line.
/// They never carry snippets or details; a redacted one names the key path.
#[must_use]
pub fn github(diagnostics: &[Diagnostic], sources: &Sources, style: &Style) -> String {
    let mut out = String::new();
    for view in views(diagnostics, sources, style.redact) {
        let command = match view.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut properties = Vec::new();
        if let Some(location) = view.location {
            properties.push(format!("file={}", escape_property(&style.path(&location.file))));
            if let Some(position) = location.position {
                properties.push(format!("line={}", position.line));
                properties.push(format!("col={}", position.column));
            }
        }
        properties.push(format!(
            "title={}",
            escape_property(&format!("{} {}", view.code.id(), view.code.name()))
        ));
        let mut message = view.message.to_owned();
        if view.name_key_path
            && let Some(key_path) = &view.key_path
        {
            message.push_str("\nkey path: ");
            message.push_str(key_path);
        }
        if let Some(help) = view.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let _ = writeln!(out, "::{command} {}::{}", properties.join(","), escape_data(&message));
    }
    out
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::source::{KeyPaths, Position, Segment};

    /// What no redacted report may show: the participant id, the suggested
    /// id, the detail, the related label and the quote in the snippet.
    const SECRETS: &[&str] = &["9z", "9a", "secret words", "Jane Smith", "spoke of"];

    /// The key paths of `QUOTES`, as the YAML loader records them.
    fn quote_paths() -> KeyPaths {
        let mut paths = KeyPaths::default();
        let root = paths.open(Position::new(1, 1), None, None);
        let quotes = Some(Segment::Key("quotes"));
        let key = paths.open(Position::new(1, 1), Some(root), quotes);
        paths.close(key, Position::new(1, 7));
        let list = paths.open(Position::new(2, 3), Some(root), quotes);
        let quote = paths.open(Position::new(2, 5), Some(list), Some(Segment::Item(0)));
        for (line, key, start, end) in [(2, "id", 9, 11), (3, "participant", 18, 20), (4, "text", 11, 34)] {
            let segment = Some(Segment::Key(key));
            let node = paths.open(Position::new(line, 5), Some(quote), segment);
            paths.close(node, Position::new(line, 5 + u32::try_from(key.len()).unwrap()));
            let node = paths.open(Position::new(line, start), Some(quote), segment);
            paths.close(node, Position::new(line, end));
        }
        paths.close(quote, Position::new(5, 1));
        paths.close(list, Position::new(5, 1));
        paths.close(root, Position::new(5, 1));
        paths
    }

    const QUOTES: &str = "quotes:\n  - id: q1\n    participant: 9z\n    text: 'Jane Smith spoke of it'\n";

    fn sample() -> (Vec<Diagnostic>, Sources) {
        let mut sources = Sources::default();
        sources.add("quotes.yaml", QUOTES);
        sources.add_key_paths("quotes.yaml", quote_paths());
        sources.add("participants.yaml", "participants:\n  - id: 1a\n");
        let diagnostic = Diagnostic::new(Code::UnknownParticipant, "no participant has the id `9z`")
            .at(Location::at("quotes.yaml", Position::new(3, 18)))
            .related(Location::at("quotes.yaml", Position::new(4, 11)), "Jane Smith")
            .related(Location::at("participants.yaml", Position::new(2, 9)), "like 9a")
            .help("did you mean `9a`?")
            .detail("secret words");
        (vec![diagnostic], sources)
    }

    fn style(redact: bool) -> Style {
        Style {
            color: false,
            redact,
            study_dir: "data".to_owned(),
        }
    }

    fn assert_no_secret(format: &str, shown: &str) {
        for secret in SECRETS {
            assert!(!shown.contains(secret), "{format} shows `{secret}`:\n{shown}");
        }
    }

    #[test]
    fn human_shows_the_snippet_unless_redacted() {
        let (diagnostics, sources) = sample();
        let shown = human(&diagnostics, &sources, &style(false));
        assert!(
            shown.contains("error[E401 unknown-participant]: no participant has the id `9z`"),
            "{shown}"
        );
        assert!(shown.contains("data/quotes.yaml:3:18"), "{shown}");
        assert!(shown.contains("participant: 9z"), "{shown}");
        assert!(shown.contains("secret words"), "{shown}");
        assert!(shown.contains("like 9a: data/participants.yaml:2:9"), "{shown}");
        assert!(!shown.contains("key path"), "{shown}");
    }

    #[test]
    fn human_redacted_shows_places_and_codes_only() {
        let (diagnostics, sources) = sample();
        let redacted = human(&diagnostics, &sources, &style(true));
        assert_no_secret("human", &redacted);
        assert!(
            redacted.contains(&format!(
                "error[E401 unknown-participant]: {}",
                Code::UnknownParticipant.summary()
            )),
            "{redacted}"
        );
        assert!(redacted.contains("data/quotes.yaml:3:18"), "{redacted}");
        assert!(redacted.contains("key path: quotes[0].participant"), "{redacted}");
        assert!(redacted.contains("related place: data/quotes.yaml:4:11"), "{redacted}");
        assert!(
            redacted.contains("related place: data/participants.yaml:2:9"),
            "{redacted}"
        );
        assert!(redacted.contains(REDACTED_HELP), "{redacted}");
    }

    #[test]
    fn github_escapes_and_never_carries_detail() {
        let (diagnostics, sources) = sample();
        let shown = github(&diagnostics, &sources, &style(false));
        assert_eq!(
            shown,
            "::error file=data/quotes.yaml,line=3,col=18,title=E401 unknown-participant::no participant has the id `9z`%0Ahelp: did you mean `9a`?\n"
        );
    }

    #[test]
    fn github_redacted_names_the_key_path() {
        let (diagnostics, sources) = sample();
        let redacted = github(&diagnostics, &sources, &style(true));
        assert_no_secret("github", &redacted);
        assert_eq!(
            redacted,
            format!(
                "::error file=data/quotes.yaml,line=3,col=18,title=E401 unknown-participant::{}%0Akey path: quotes[0].participant%0Ahelp: {REDACTED_HELP}\n",
                Code::UnknownParticipant.summary()
            )
        );
    }

    #[test]
    fn json_has_a_stable_shape() {
        let (diagnostics, sources) = sample();
        let value: serde_json::Value = serde_json::from_str(&json(&diagnostics, &sources, &style(false))).unwrap();
        assert_eq!(value["version"], 1);
        assert_eq!(value["errors"], 1);
        let diagnostic = &value["diagnostics"][0];
        assert_eq!(diagnostic["code"], "E401");
        assert_eq!(diagnostic["message"], "no participant has the id `9z`");
        assert_eq!(diagnostic["line"], 3);
        assert_eq!(diagnostic["key_path"], "quotes[0].participant");
        assert_eq!(diagnostic["detail"], "secret words");
        assert_eq!(diagnostic["related"][1]["label"], "like 9a");
    }

    #[test]
    fn json_redacted_keeps_the_shape_and_drops_the_words() {
        let (diagnostics, sources) = sample();
        let text = json(&diagnostics, &sources, &style(true));
        assert_no_secret("json", &text);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let diagnostic = &value["diagnostics"][0];
        assert_eq!(
            diagnostic,
            &serde_json::json!({
                "code": "E401",
                "name": "unknown-participant",
                "severity": "error",
                "message": Code::UnknownParticipant.summary(),
                "file": "quotes.yaml",
                "path": "data/quotes.yaml",
                "line": 3,
                "column": 18,
                "key_path": "quotes[0].participant",
                "help": REDACTED_HELP,
                "detail": null,
                "related": [
                    {"label": REDACTED_RELATED_LABEL, "file": "quotes.yaml", "line": 4, "column": 11},
                    {"label": REDACTED_RELATED_LABEL, "file": "participants.yaml", "line": 2, "column": 9},
                ],
            })
        );
    }

    #[test]
    fn a_redacted_diagnostic_keeps_code_and_places_only() {
        let (diagnostics, _) = sample();
        let redacted = RedactedDiagnostic::of(&diagnostics[0]);
        assert_eq!(redacted.code, Code::UnknownParticipant);
        assert_eq!(redacted.location, diagnostics[0].location.as_ref());
        assert_eq!(
            redacted.related,
            diagnostics[0]
                .related
                .iter()
                .map(|related| &related.location)
                .collect::<Vec<_>>()
        );
        // Its debug form (all it holds) has none of the diagnostic's words.
        assert_no_secret("RedactedDiagnostic", &format!("{redacted:?}"));
    }

    #[test]
    fn markdown_and_whole_file_places_have_no_key_path() {
        let mut sources = Sources::default();
        sources.add("themes/a.md", "---\nid: a\n---\nText [@jane-smith].\n");
        let diagnostics = vec![
            Diagnostic::new(Code::UnknownReference, "no reference `jane-smith`")
                .at(Location::at("themes/a.md", Position::new(4, 7))),
            Diagnostic::new(Code::MissingFile, "the study has no `quotes.yaml`").at(Location::file("quotes.yaml")),
        ];
        let text = json(&diagnostics, &sources, &style(true));
        assert!(!text.contains("jane-smith"), "{text}");
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        for diagnostic in value["diagnostics"].as_array().unwrap() {
            assert_eq!(diagnostic["key_path"], serde_json::Value::Null, "{diagnostic}");
        }
        let annotations = github(&diagnostics, &sources, &style(true));
        assert!(!annotations.contains("key path"), "{annotations}");
        assert!(
            annotations.contains("file=data/themes/a.md,line=4,col=7,title=E406"),
            "{annotations}"
        );
        assert!(
            annotations.contains("file=data/quotes.yaml,title=E002"),
            "{annotations}"
        );
    }
}
