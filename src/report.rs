//! Drawing diagnostics for people and machines: human text with source
//! snippets, one JSON document, or GitHub Actions workflow commands.
//!
//! Input: sorted diagnostics, the sources they point into, and how to draw
//! them. Output: a string; printing is the caller's job. A redacted report
//! shows ids, keys, file names and positions only: no snippet and no detail,
//! because public CI logs must not carry participants' words.

use std::fmt::Write as _;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::source::{Position, Sources, offset_of};

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
    /// Leave out snippets and details that may contain study text.
    pub redact: bool,
    /// The study folder as the user gave it, prefixed to file names shown.
    pub study_dir: String,
}

impl Style {
    fn path(&self, file: &str) -> String {
        if self.study_dir.is_empty() || self.study_dir == "." {
            file.to_owned()
        } else {
            format!("{}/{file}", self.study_dir.trim_end_matches('/'))
        }
    }
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
    for diagnostic in diagnostics {
        let level = match diagnostic.severity() {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let id = format!("{} {}", diagnostic.code.id(), diagnostic.code.name());
        let path = diagnostic
            .location
            .as_ref()
            .map(|location| style.path(&location.file))
            .unwrap_or_default();
        let title = level.primary_title(diagnostic.message.as_str()).id(id);
        let mut group = Group::with_title(title);
        let mut shown_related = Vec::new();
        if let Some(location) = &diagnostic.location {
            let source = sources.get(&location.file).filter(|_| !style.redact);
            match (source, location.position) {
                (Some(source), Some(position)) => {
                    let text = source.text.as_str();
                    let starts = line_starts.entry(source.path.as_str()).or_insert_with(|| {
                        std::iter::once(0)
                            .chain(text.match_indices('\n').map(|(index, _)| index + 1))
                            .collect()
                    });
                    let primary = token_span(text, starts, position);
                    let related_spans: Vec<_> = diagnostic
                        .related
                        .iter()
                        .filter(|related| related.location.file == location.file)
                        .filter_map(|related| Some((related, token_span(text, starts, related.location.position?)?)))
                        .collect();
                    // From the start of the first annotated line to the end
                    // of the last (the whole file if nothing is annotated).
                    let spans = primary.iter().chain(related_spans.iter().map(|(_, span)| span));
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
                    for (related, span) in &related_spans {
                        snippet =
                            snippet.annotation(AnnotationKind::Context.span(shift(span)).label(related.label.as_str()));
                        shown_related.push(*related);
                    }
                    group = group.element(snippet);
                }
                _ => group = group.element(origin(&path, location)),
            }
        }
        let mut notes: Vec<String> = diagnostic
            .related
            .iter()
            .filter(|related| !shown_related.contains(related))
            .map(|related| format!("{}: {}", related.label, display_location(&related.location, style)))
            .collect();
        if let Some(detail) = diagnostic.detail.as_ref().filter(|_| !style.redact) {
            notes.push(detail.clone());
        }
        for note in &notes {
            group = group.element(Level::NOTE.message(note.as_str()));
        }
        if let Some(help) = &diagnostic.help {
            group = group.element(Level::HELP.message(help.as_str()));
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
pub fn json(diagnostics: &[Diagnostic], style: &Style) -> String {
    let count = |severity| diagnostics.iter().filter(|found| found.severity() == severity).count();
    let report = JsonReport {
        version: 1,
        study: &style.study_dir,
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        diagnostics: diagnostics
            .iter()
            .map(|diagnostic| {
                let location = diagnostic.location.as_ref();
                let position = location.and_then(|location| location.position);
                JsonDiagnostic {
                    code: diagnostic.code.id(),
                    name: diagnostic.code.name(),
                    severity: diagnostic.severity().as_str(),
                    message: &diagnostic.message,
                    file: location.map(|location| location.file.as_str()),
                    path: location.map(|location| style.path(&location.file)),
                    line: position.map(|at| at.line),
                    column: position.map(|at| at.column),
                    help: diagnostic.help.as_deref(),
                    detail: diagnostic.detail.as_deref().filter(|_| !style.redact),
                    related: diagnostic
                        .related
                        .iter()
                        .map(|related| JsonRelated {
                            label: &related.label,
                            file: &related.location.file,
                            line: related.location.position.map(|at| at.line),
                            column: related.location.position.map(|at| at.column),
                        })
                        .collect(),
                }
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}

/// Draws `diagnostics` as GitHub Actions workflow commands, one per line.
/// They never carry snippets or details.
#[must_use]
pub fn github(diagnostics: &[Diagnostic], style: &Style) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let command = match diagnostic.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut properties = Vec::new();
        if let Some(location) = &diagnostic.location {
            properties.push(format!("file={}", escape_property(&style.path(&location.file))));
            if let Some(position) = location.position {
                properties.push(format!("line={}", position.line));
                properties.push(format!("col={}", position.column));
            }
        }
        properties.push(format!(
            "title={}",
            escape_property(&format!("{} {}", diagnostic.code.id(), diagnostic.code.name()))
        ));
        let mut message = diagnostic.message.clone();
        if let Some(help) = &diagnostic.help {
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
    use crate::source::Position;

    fn sample() -> (Vec<Diagnostic>, Sources) {
        let mut sources = Sources::default();
        sources.add("quotes.yaml", "quotes:\n  - id: q1\n    participant: 9z\n");
        let diagnostic = Diagnostic::new(Code::UnknownParticipant, "no participant has the id `9z`")
            .at(Location::at("quotes.yaml", Position::new(3, 18)))
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
        let redacted = human(&diagnostics, &sources, &style(true));
        assert!(redacted.contains("data/quotes.yaml:3:18"), "{redacted}");
        assert!(!redacted.contains("participant: 9z"), "{redacted}");
        assert!(!redacted.contains("secret words"), "{redacted}");
    }

    #[test]
    fn github_escapes_and_never_carries_detail() {
        let (diagnostics, _) = sample();
        let shown = github(&diagnostics, &style(false));
        assert_eq!(
            shown,
            "::error file=data/quotes.yaml,line=3,col=18,title=E401 unknown-participant::no participant has the id `9z`%0Ahelp%3A did you mean `9a`?\n"
                .replace("help%3A", "help:")
        );
    }

    #[test]
    fn json_has_a_stable_shape() {
        let (diagnostics, _) = sample();
        let value: serde_json::Value = serde_json::from_str(&json(&diagnostics, &style(true))).unwrap();
        assert_eq!(value["version"], 1);
        assert_eq!(value["errors"], 1);
        assert_eq!(value["diagnostics"][0]["code"], "E401");
        assert_eq!(value["diagnostics"][0]["line"], 3);
        assert_eq!(value["diagnostics"][0]["detail"], serde_json::Value::Null);
    }
}
