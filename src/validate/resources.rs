//! Images and HTML comments in the study's Markdown: a page loads nothing
//! from outside the site, and a comment is never published unnoticed.
//!
//! Input: the sections and themes (their images and comments, found by
//! `load`) and the Markdown fields of the YAML files (the study's `summary`
//! and each reference's `entry`). Output: E204 for each image that is not a
//! plain path inside `static/`; W007 for each HTML comment (which `render`
//! leaves out) and for each `<!--` in text that is never closed (which
//! Markdown shows as text). Messages never repeat the address or the
//! comment: the address is kept in `detail`, the comment nowhere.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location, Rule, Severity};
use crate::load::RawStudy;
use crate::load::markdown::embedded;
use crate::markdown::{ImageRefusal, static_image_path};
use crate::source::{Position, Sourced};

const STUDY: &str = "study.yaml";
const REFERENCES: &str = "references.yaml";

/// Checks every Markdown text of the study.
pub fn check(raw: &RawStudy, diagnostics: &mut Diagnostics) {
    for document in raw.sections.iter().chain(&raw.themes) {
        for image in &document.images {
            check_image(&document.file, &image.value, image.at, diagnostics);
        }
        for comment in &document.comments {
            report_comment(&document.file, *comment, diagnostics);
        }
        for comment in &document.open_comments {
            report_open_comment(&document.file, *comment, diagnostics);
        }
    }
    if let Some(summary) = raw.study.as_ref().and_then(|study| study.summary.as_ref()) {
        check_field(STUDY, summary, diagnostics);
    }
    for reference in raw.references.iter().flat_map(|references| &references.references) {
        check_field(REFERENCES, &reference.entry, diagnostics);
    }
}

/// Checks a Markdown value of a YAML file.
fn check_field(file: &str, text: &Sourced<String>, diagnostics: &mut Diagnostics) {
    let found = embedded(&text.value);
    for (offset, destination) in &found.images {
        check_image(file, destination, position_in_value(text, *offset), diagnostics);
    }
    for offset in found.comments {
        report_comment(file, position_in_value(text, offset), diagnostics);
    }
    for offset in found.open_comments {
        report_open_comment(file, position_in_value(text, offset), diagnostics);
    }
}

/// The position in its file of byte `offset` of a YAML value. A value that
/// ends with a line break is a block scalar (`|`): its lines stand in the
/// file as they are, below the key and indented, and `at` is where its first
/// line that is not empty starts. Any other value (plain or quoted, where
/// quotes and escapes shift what follows) is pointed at where it starts.
fn position_in_value(text: &Sourced<String>, offset: usize) -> Position {
    let value = &text.value;
    let blank_lines = value.len() - value.trim_start_matches('\n').len();
    if !value.ends_with('\n') || offset < blank_lines || offset > value.len() || !value.is_char_boundary(offset) {
        return text.at;
    }
    let before = &value[blank_lines..offset];
    let count = |characters: usize| u32::try_from(characters).unwrap_or(u32::MAX);
    match before.rfind('\n') {
        None => Position::new(
            text.at.line,
            text.at.column.saturating_add(count(before.chars().count())),
        ),
        Some(last_break) => Position::new(
            text.at.line.saturating_add(count(before.matches('\n').count())),
            text.at
                .column
                .saturating_add(count(before[last_break + 1..].chars().count())),
        ),
    }
}

pub const REMOTE_RESOURCE: Rule = Rule {
    id: "E204",
    name: "remote-resource",
    severity: Severity::Error,
    summary: "An image that would load from outside the site: an address with a scheme (`https:`, `data:`, ...), `//host`, or a path that is not plainly inside `static/`.",
    why: "A page that loads an image from elsewhere tells that server who read it and when (a tracking pixel), and changes when the remote file changes. Pages of the site load nothing from the network: an image shows a file of the study's `static/` folder, by its path there (`![A diagram](figures/model.png)`), from any page; `..`, absolute paths, `//host/...`, `data:` and any scheme are refused, in sections, themes, the summary and reference entries. A link to an image online (`[A diagram](https://...)`) is fine: links navigate, they do not load.",
};

/// E204 for an image whose address is not a file of `static/`.
fn check_image(file: &str, destination: &str, at: Position, diagnostics: &mut Diagnostics) {
    let Err(refusal) = static_image_path(destination) else {
        return;
    };
    let message = match refusal {
        ImageRefusal::Remote => {
            "this image's address leads outside the site (it has a scheme or a host); pages load nothing from outside the site"
        }
        ImageRefusal::Data => {
            "this image is a `data:` address; pages show only images from the study's `static/` folder"
        }
        ImageRefusal::NotInStatic => "this image's path is not a plain path inside the study's `static/` folder",
    };
    diagnostics.push(
        Diagnostic::new(Code::RemoteResource, message)
            .at(Location::at(file, at))
            .help("put the image in the study's `static/` folder and give its path there, e.g. `![A diagram](figures/model.png)` for static/figures/model.png (from any page); to point readers to an image online, link to it instead: `[A diagram](https://...)`")
            .detail(format!("the image's address: {destination}")),
    );
}

pub const HTML_COMMENT: Rule = Rule {
    id: "W007",
    name: "html-comment",
    severity: Severity::Warning,
    summary: "An HTML comment in Markdown: it is left out of the site.",
    why: "Teams leave notes in comments (`<!-- participant 6 is ... -->`). The site never shows them, and the warning names only the place, never the comment; but the comment stays in the study's files and their history. A `<!--` in a paragraph that is never closed is not a comment to Markdown, so the page shows it as text: it is reported too, so that it can be closed.",
};

/// W007 for an HTML comment, by its place only.
fn report_comment(file: &str, at: Position, diagnostics: &mut Diagnostics) {
    diagnostics.push(
        Diagnostic::new(Code::HtmlComment, "an HTML comment: it is left out of the site")
            .at(Location::at(file, at))
            .help("the comment stays in the study's files (and in their history, if the study is kept in Git): remove it if it holds what must not be published, such as a participant's name"),
    );
}

/// W007 for a `<!--` in text that is never closed: Markdown shows it, and
/// what follows it, as text.
fn report_open_comment(file: &str, at: Position, diagnostics: &mut Diagnostics) {
    diagnostics.push(
        Diagnostic::new(
            Code::HtmlComment,
            "an HTML comment that is never closed: the page shows it as text",
        )
        .at(Location::at(file, at))
        .help("end the comment with `-->` to leave it out of the site, or remove it"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnostics_of(file: &str, text: &Sourced<String>) -> Vec<Diagnostic> {
        let mut sink = Diagnostics::new();
        check_field(file, text, &mut sink);
        sink.into_sorted()
    }

    fn places(found: &[Diagnostic]) -> Vec<(Code, Position)> {
        found
            .iter()
            .map(|found| {
                let at = found.location.as_ref().and_then(|location| location.position);
                (found.code, at.unwrap_or_default())
            })
            .collect()
    }

    /// Asserts that no message, help or detail holds any of `words`.
    #[track_caller]
    fn assert_nothing_repeats(found: &[Diagnostic], words: &[&str], in_detail: bool) {
        for found in found {
            let mut shown = format!("{} {:?}", found.message, found.help);
            if in_detail {
                shown.push_str(found.detail.as_deref().unwrap_or_default());
            }
            for word in words {
                assert!(!shown.contains(word), "{word:?} in {shown}");
            }
        }
    }

    #[test]
    fn refuses_every_image_not_in_static_and_keeps_the_address_out_of_the_message() {
        let text = Sourced::new(
            "![t](https://tracker.example/p.gif) ![x](//evil.example/x.png)\n![d](data:image/png;base64,AAAA) ![r][ref] ![up](../secret.png) ![ok](figures/model.png)\n\n[ref]: ftp://files.example/a.png\n".to_owned(),
            Position::new(8, 3),
        );
        let found = diagnostics_of(STUDY, &text);
        assert_eq!(
            places(&found),
            vec![
                (Code::RemoteResource, Position::new(8, 3)),
                (Code::RemoteResource, Position::new(8, 39)),
                (Code::RemoteResource, Position::new(9, 3)),
                (Code::RemoteResource, Position::new(9, 36)),
                (Code::RemoteResource, Position::new(9, 46)),
            ]
        );
        assert_nothing_repeats(&found, &["tracker", "evil", "base64", "files.example", "secret"], false);
    }

    #[test]
    fn comments_are_reported_by_place_only() {
        let text = Sourced::new(
            "\nIntro <!-- participant 6 is Dr Real Name --> text.\n\n<!-- a block\nover two lines -->\n".to_owned(),
            Position::new(4, 5),
        );
        let found = diagnostics_of(REFERENCES, &text);
        assert_eq!(
            places(&found),
            vec![
                (Code::HtmlComment, Position::new(4, 11)),
                (Code::HtmlComment, Position::new(6, 5))
            ]
        );
        assert_nothing_repeats(&found, &["Real Name", "block", "two lines"], true);
    }

    #[test]
    fn a_comment_never_closed_in_text_is_reported_as_shown() {
        let text = Sourced::new(
            "Caseloads rose <!-- ask Tom\nabout it.\n\n`<!-- code`\n".to_owned(),
            Position::new(2, 3),
        );
        let found = diagnostics_of(STUDY, &text);
        assert_eq!(places(&found), vec![(Code::HtmlComment, Position::new(2, 18))]);
        assert!(found[0].message.contains("shows it as text"), "{}", found[0].message);
        assert_nothing_repeats(&found, &["Tom", "about it"], true);
    }

    #[test]
    fn a_value_on_one_line_is_pointed_at_where_it_starts() {
        let quoted = Sourced::new("See ![t](https://x.example/p.gif).".to_owned(), Position::new(3, 12));
        assert_eq!(
            places(&diagnostics_of(REFERENCES, &quoted)),
            vec![(Code::RemoteResource, Position::new(3, 12))]
        );
    }

    #[test]
    fn code_is_neither_an_image_nor_a_comment() {
        let text = Sourced::new(
            "`![t](https://x.example/p.gif)` and `<!-- x -->`\n\n```\n<!-- y -->\n![t](//x)\n```\n".to_owned(),
            Position::new(1, 1),
        );
        assert!(diagnostics_of(STUDY, &text).is_empty());
    }
}
