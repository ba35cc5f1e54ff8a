//! Reading a section or theme file: its front matter and the parts of its
//! Markdown that other records refer to.
//!
//! Input: a Markdown file's normalised text. Output: a [`RawDocument`] with
//! the front matter, the body, and the directives, headings, citation keys,
//! images and HTML comments found in the body, each with its position in the
//! file. Nothing is rendered here; the renderer parses the body again, with
//! the same options and the same rules for images and comments (both
//! defined in `crate::markdown`).

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::citation::find_citations;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location, Rule, Severity};
use crate::load::raw::{RawDirective, RawDocument, RawFrontMatter, RawHeading, Text};
use crate::load::yaml;
use crate::markdown::{html_comments, markdown_options, without_html_comments};
use crate::source::{Position, Positions, Sourced};

pub const FRONT_MATTER: Rule = Rule {
    id: "E201",
    name: "front-matter",
    severity: Severity::Error,
    summary: "A Markdown file does not start with YAML front matter between `---` lines.",
    why: "A section's or theme's id and title live in its front matter (between two `---` lines at the top of the file); without them the page has no name, no title and no place in the study's order.",
};

/// Reads one Markdown file. `None` means its front matter was missing or
/// invalid (reported to `diagnostics`).
pub fn read_document(file: &str, text: &str, diagnostics: &mut Diagnostics) -> Option<RawDocument> {
    let Some((front_text, body_start)) = split_front_matter(text) else {
        diagnostics.push(
            Diagnostic::new(Code::FrontMatter, "the file does not start with YAML front matter")
                .at(Location::at(file, Position::new(1, 1)))
                .help("start the file with a line `---`, then `id:` and `title:`, then a line `---`"),
        );
        return None;
    };
    let (front, _) = yaml::parse::<RawFrontMatter>(file, &front_text, diagnostics)?;
    let body = text[body_start..].to_owned();
    let mut document = RawDocument {
        file: file.to_owned(),
        front,
        body,
        directives: Vec::new(),
        headings: Vec::new(),
        citations: Vec::new(),
        images: Vec::new(),
        comments: Vec::new(),
        open_comments: Vec::new(),
    };
    scan_body(&mut document, text, body_start);
    let embedded = embedded(&document.body);
    let mut positions = Positions::new(text);
    document.images = embedded
        .images
        .into_iter()
        .map(|(offset, destination)| Sourced::new(destination, positions.at(body_start + offset)))
        .collect();
    let mut at = |offsets: Vec<usize>| -> Vec<Position> {
        offsets
            .into_iter()
            .map(|offset| positions.at(body_start + offset))
            .collect()
    };
    document.comments = at(embedded.comments);
    document.open_comments = at(embedded.open_comments);
    Some(document)
}

/// What a Markdown text embeds: its images and its HTML comments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Embedded {
    /// Each image: the byte offset of its `!`, and its address (that of its
    /// link reference definition, for `![alt][ref]`).
    pub images: Vec<(usize, String)>,
    /// The byte offset where each HTML comment starts.
    pub comments: Vec<usize>,
    /// The byte offset of each `<!--` in text that is never closed, so that
    /// Markdown reads it as text, not as a comment (`a <!-- b` in a
    /// paragraph).
    pub open_comments: Vec<usize>,
}

/// Finds the images and HTML comments of a Markdown text, as the renderer
/// will meet them (code spans and code blocks hold neither).
#[must_use]
pub fn embedded(markdown: &str) -> Embedded {
    let mut found = Embedded::default();
    // The raw HTML lines of the HTML block being read: a comment may span
    // several, and each line has its own offset (a block inside a block
    // quote or a list loses its `> ` or indentation from every line).
    let mut block: Option<Vec<(usize, String)>> = None;
    // The source range of the run of text being read (outside code blocks):
    // Markdown may split text at a `<`.
    let mut text: Option<Range<usize>> = None;
    let mut in_code_block = false;
    for (event, range) in Parser::new_ext(markdown, markdown_options()).into_offset_iter() {
        if let Event::Text(_) = event {
            if !in_code_block {
                text = Some(text.map_or(range.clone(), |run| run.start..range.end));
            }
            continue;
        }
        if let Some(run) = text.take() {
            found.open_comments.extend(open_comments_in(markdown, run));
        }
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Start(Tag::Image { dest_url, .. }) => found.images.push((range.start, dest_url.into_string())),
            Event::InlineHtml(html) => found.comments.extend(
                html_comments(&html)
                    .into_iter()
                    .map(|comment| range.start + comment.start),
            ),
            Event::Start(Tag::HtmlBlock) => block = Some(Vec::new()),
            Event::Html(html) => {
                if let Some(lines) = block.as_mut() {
                    lines.push((range.start, html.into_string()));
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(lines) = block.take() {
                    found.comments.extend(block_comments(&lines));
                }
            }
            _ => {}
        }
    }
    if let Some(run) = text {
        found.open_comments.extend(open_comments_in(markdown, run));
    }
    found
}

/// The offsets of each `<!--` in a run of text, where Markdown read no
/// comment.
fn open_comments_in(markdown: &str, run: Range<usize>) -> impl Iterator<Item = usize> + '_ {
    markdown[run.clone()]
        .match_indices("<!--")
        .map(move |(at, _)| run.start + at)
}

/// The source offsets where the comments of an HTML block start, from its
/// lines and their offsets.
fn block_comments(lines: &[(usize, String)]) -> Vec<usize> {
    let mut joined = String::new();
    let mut starts = Vec::with_capacity(lines.len());
    for (offset, line) in lines {
        starts.push((joined.len(), *offset));
        joined.push_str(line);
    }
    html_comments(&joined)
        .into_iter()
        .map(|comment| {
            let (line_start, source) = starts
                .iter()
                .rev()
                .find(|(line_start, _)| *line_start <= comment.start)
                .copied()
                .unwrap_or((0, 0));
            source + (comment.start - line_start)
        })
        .collect()
}

/// Finds the front matter. Returns it as YAML text whose line numbers are
/// those of the file (the opening `---` becomes an empty line), and the byte
/// offset where the body starts.
fn split_front_matter(text: &str) -> Option<(String, usize)> {
    let first_line_end = text.find('\n')?;
    if text[..first_line_end].trim_end() != "---" {
        return None;
    }
    let mut offset = first_line_end + 1;
    while offset <= text.len() {
        let line_end = text[offset..].find('\n').map_or(text.len(), |end| offset + end);
        let line = text[offset..line_end].trim_end();
        if line == "---" || line == "..." {
            let yaml = format!("\n{}", &text[first_line_end + 1..offset]);
            return Some((yaml, (line_end + 1).min(text.len())));
        }
        if line_end == text.len() {
            break;
        }
        offset = line_end + 1;
    }
    None
}

/// A paragraph that is exactly `{{name}}` or `{{name argument}}`.
/// A directive's name, the byte range of the name and of its argument.
type DirectiveParts<'a> = (&'a str, Range<usize>, Option<Range<usize>>);

fn directive(source: &str) -> Option<DirectiveParts<'_>> {
    let trimmed = source.trim();
    let inner = trimmed.strip_prefix("{{")?.strip_suffix("}}")?;
    let lead = source.len() - source.trim_start().len() + 2;
    let words: Vec<(usize, &str)> = inner
        .split_whitespace()
        .map(|word| (word.as_ptr() as usize - inner.as_ptr() as usize, word))
        .collect();
    match words.as_slice() {
        [(name_at, name)] => Some((name, lead + name_at..lead + name_at + name.len(), None)),
        [(name_at, name), (argument_at, argument)] => Some((
            name,
            lead + name_at..lead + name_at + name.len(),
            Some(lead + argument_at..lead + argument_at + argument.len()),
        )),
        _ => None,
    }
}

fn scan_body(document: &mut RawDocument, text: &str, body_start: usize) {
    let body = document.body.clone();
    let positions = std::cell::RefCell::new(Positions::new(text));
    let at = |offset: usize| positions.borrow_mut().at(body_start + offset);
    let mut depth = 0usize;
    let mut in_code = false;
    let mut heading: Option<(u8, Option<String>, Range<usize>, String)> = None;
    let mut pending_text: Option<Range<usize>> = None;
    let mut skip_paragraph = false;

    let flush = |pending: &mut Option<Range<usize>>, citations: &mut Vec<Text>| {
        if let Some(range) = pending.take() {
            let source = &body[range.clone()];
            for citation in find_citations(source) {
                for cite in citation.cites {
                    citations.push(Sourced::new(cite.key, at(range.start + cite.key_range.start)));
                }
            }
        }
    };

    for (event, range) in Parser::new_ext(&body, markdown_options()).into_offset_iter() {
        match &event {
            Event::Text(content) if !in_code && !skip_paragraph => {
                if let Some((_, _, _, title)) = heading.as_mut() {
                    title.push_str(content);
                }
                pending_text = Some(match pending_text.take() {
                    Some(previous) => previous.start..range.end,
                    None => range.clone(),
                });
                continue;
            }
            Event::Text(content) => {
                if let Some((_, _, _, title)) = heading.as_mut() {
                    title.push_str(content);
                }
            }
            Event::Code(content) => {
                if let Some((_, _, _, title)) = heading.as_mut() {
                    title.push_str(content);
                }
            }
            // Raw HTML in a heading is shown as text, but never a comment.
            Event::InlineHtml(content) => {
                if let Some((_, _, _, title)) = heading.as_mut() {
                    title.push_str(&without_html_comments(content));
                }
            }
            _ => {}
        }
        flush(&mut pending_text, &mut document.citations);
        match event {
            Event::Start(Tag::Paragraph) => {
                if depth == 0
                    && let Some((name, name_range, argument_range)) = directive(&body[range.clone()])
                {
                    let name_start = range.start + name_range.start;
                    document.directives.push(RawDirective {
                        name: Sourced::new(name.to_owned(), at(name_start)),
                        argument: argument_range.map(|argument| {
                            let start = range.start + argument.start;
                            Sourced::new(body[start..range.start + argument.end].to_owned(), at(start))
                        }),
                        range: range.clone(),
                    });
                    skip_paragraph = true;
                }
                depth += 1;
            }
            Event::End(TagEnd::Paragraph) => {
                depth -= 1;
                skip_paragraph = false;
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((heading_level(level), id.map(|id| id.to_string()), range, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, range, title)) = heading.take() {
                    let id = id.map(|id| {
                        let source = &body[range.clone()];
                        let offset = source.rfind(&format!("#{id}")).map_or(0, |found| found + 1);
                        Sourced::new(id, at(range.start + offset))
                    });
                    let title_offset = body[range.clone()].find(|c: char| c != '#' && c != ' ').unwrap_or(0);
                    document.headings.push(RawHeading {
                        level,
                        id,
                        title: Sourced::new(title.trim().to_owned(), at(range.start + title_offset)),
                        range,
                    });
                }
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(
                Tag::BlockQuote(_) | Tag::List(_) | Tag::Item | Tag::Table(_) | Tag::FootnoteDefinition(_),
            ) => depth += 1,
            Event::End(
                TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item | TagEnd::Table | TagEnd::FootnoteDefinition,
            ) => depth -= 1,
            _ => {}
        }
    }
    flush(&mut pending_text, &mut document.citations);
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "---\nid: one\ntitle: One\n---\nIntro [@a2001].\n\n## Part {#part}\n\n{{quote q1}}\n\n- {{quote q2}}\n\n```\n@notacite\n```\n\nAs @b2002 [p. 4] says.\n";

    fn read(text: &str) -> (Option<RawDocument>, Diagnostics) {
        let mut sink = Diagnostics::new();
        (read_document("themes/one.md", text, &mut sink), sink)
    }

    #[test]
    fn front_matter_positions_are_those_of_the_file() {
        let (document, sink) = read(FILE);
        assert!(!sink.has_errors());
        let document = document.unwrap();
        assert_eq!(document.front.id.value, "one");
        assert_eq!(document.front.title.at, Position::new(3, 8));
    }

    #[test]
    fn finds_top_level_directives_headings_and_citations() {
        let document = read(FILE).0.unwrap();
        let directives: Vec<_> = document
            .directives
            .iter()
            .map(|directive| {
                (
                    directive.name.value.as_str(),
                    directive.argument.as_ref().map(|a| a.value.as_str()),
                    directive.name.at,
                )
            })
            .collect();
        assert_eq!(directives, vec![("quote", Some("q1"), Position::new(9, 3))]);
        assert_eq!(document.headings.len(), 1);
        assert_eq!(document.headings[0].id.as_ref().unwrap().value, "part");
        assert_eq!(document.headings[0].id.as_ref().unwrap().at, Position::new(7, 11));
        assert_eq!(document.headings[0].title.value, "Part");
        let citations: Vec<_> = document.citations.iter().map(|c| (c.value.as_str(), c.at)).collect();
        assert_eq!(
            citations,
            vec![("a2001", Position::new(5, 8)), ("b2002", Position::new(17, 4))]
        );
    }

    #[test]
    fn images_and_comments_are_found_at_their_place_in_the_file() {
        let text = "---\nid: one\ntitle: One\n---\nSee ![a](https://x.example/a.png) <!-- note -->.\n\n## Part <!-- old name --> {#part}\n\n> <!-- over\n> two lines -->\n\n![r][ref] `![code](//x)`\n\n[ref]: //x.example/r.png\n";
        let document = read(text).0.unwrap();
        let images: Vec<_> = document
            .images
            .iter()
            .map(|image| (image.value.as_str(), image.at))
            .collect();
        assert_eq!(
            images,
            vec![
                ("https://x.example/a.png", Position::new(5, 5)),
                ("//x.example/r.png", Position::new(12, 1))
            ]
        );
        assert_eq!(
            document.comments,
            vec![Position::new(5, 35), Position::new(7, 9), Position::new(9, 3)]
        );
        assert_eq!(document.headings[0].title.value, "Part");
        assert!(document.open_comments.is_empty());
    }

    #[test]
    fn a_comment_never_closed_in_text_is_text() {
        let found = embedded("a <!-- open\nstill text &amp; <!--more\n\n```\n<!-- code\n```\n\n`<!-- span`\n");
        assert_eq!(found.open_comments, vec![2, 29]);
        assert!(found.comments.is_empty());
        assert_eq!(
            embedded("<!-- at the start of a line\n\nhides what follows").comments,
            vec![0]
        );
    }

    #[test]
    fn missing_front_matter_is_reported() {
        let (document, sink) = read("# Title\n");
        assert!(document.is_none());
        assert_eq!(sink.into_sorted()[0].code, Code::FrontMatter);
        let (document, sink) = read("---\nid: x\ntitle: y\n");
        assert!(document.is_none());
        assert!(sink.has_errors());
    }
}
