//! Markdown to HTML, safely.
//!
//! Input: Markdown from the study (narrative, summary, reference entries)
//! and the reference list. Output: HTML in which raw HTML from the study is
//! shown as text and HTML comments are left out, links only use http(s),
//! mailto or relative addresses, images only show files of `static/` (so a
//! page loads nothing from outside the site), headings have unique ids, and
//! citations are links to the reference list. Everything is emitted as
//! pulldown-cmark events, so all text and attributes are escaped by
//! pulldown-cmark's HTML writer.

use std::collections::{BTreeMap, BTreeSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Parser, Tag, TagEnd, html};

use crate::citation::{Citation, CitationForm, find_citations};
use crate::markdown::{markdown_options, static_image_path, without_html_comments};
use crate::model::Reference;

/// A heading of a page, for its table of contents.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TocEntry {
    /// The heading's id.
    pub anchor: String,
    /// The heading's text.
    pub title: String,
}

/// Renders Markdown for one page, keeping its heading ids unique and
/// recording which references it cites.
pub struct PageMarkdown<'a> {
    references: &'a BTreeMap<&'a str, &'a Reference>,
    /// Relative path from this page to the site root.
    root: &'a str,
    /// Ids already used on the page.
    used_ids: BTreeSet<String>,
    /// Level-2 headings, in order.
    pub toc: Vec<TocEntry>,
    /// References cited on the page, with the anchor of the heading above.
    pub cited: Vec<(String, Option<String>)>,
    current_anchor: Option<String>,
    /// Print straight quotes, `--` and `...` as typographic marks.
    pub smart_punctuation: bool,
}

impl<'a> PageMarkdown<'a> {
    /// A renderer for a page `root` away from the site root; `reserved` are
    /// ids the page's template uses.
    #[must_use]
    pub fn new(references: &'a BTreeMap<&'a str, &'a Reference>, root: &'a str, reserved: &[&str]) -> Self {
        Self {
            references,
            root,
            used_ids: reserved.iter().map(|id| (*id).to_owned()).collect(),
            toc: Vec::new(),
            cited: Vec::new(),
            current_anchor: None,
            smart_punctuation: true,
        }
    }

    /// Claims an id for the template (a subtheme heading), recording it in
    /// the table of contents. Returns the unique id.
    pub fn claim_heading(&mut self, wanted: &str, title: &str) -> String {
        let anchor = self.unique_id(wanted);
        self.toc.push(TocEntry {
            anchor: anchor.clone(),
            title: title.to_owned(),
        });
        self.current_anchor = Some(anchor.clone());
        anchor
    }

    /// Every id the page uses so far: those reserved for its template, and
    /// those of its headings and footnotes.
    #[must_use]
    pub const fn ids(&self) -> &BTreeSet<String> {
        &self.used_ids
    }

    fn unique_id(&mut self, wanted: &str) -> String {
        let base = if wanted.is_empty() {
            "section".to_owned()
        } else {
            wanted.to_owned()
        };
        let mut candidate = base.clone();
        let mut counter = 1;
        while self.used_ids.contains(&candidate) {
            counter += 1;
            candidate = format!("{base}-{counter}");
        }
        self.used_ids.insert(candidate.clone());
        candidate
    }

    /// Renders a block of Markdown.
    pub fn block(&mut self, markdown: &str) -> String {
        let events = self.events(markdown);
        let mut out = String::new();
        html::push_html(&mut out, events.into_iter());
        out
    }

    /// Renders one line of inline Markdown (a reference entry), without the
    /// paragraph around it.
    pub fn inline(&mut self, markdown: &str) -> String {
        let events: Vec<_> = self
            .events(markdown)
            .into_iter()
            .filter(|event| !matches!(event, Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)))
            .collect();
        let mut out = String::new();
        html::push_html(&mut out, events.into_iter());
        out.trim_end().to_owned()
    }

    fn events(&mut self, markdown: &str) -> Vec<Event<'static>> {
        let mut options = markdown_options();
        if self.smart_punctuation {
            options |= pulldown_cmark::Options::ENABLE_SMART_PUNCTUATION;
        }
        let parsed: Vec<Event<'_>> = Parser::new_ext(markdown, options).collect();
        let mut out: Vec<Event<'static>> = Vec::new();
        let mut dropped_links: Vec<bool> = Vec::new();
        // For each image open, whether it is kept (a refused one shows its
        // alt text only).
        let mut images: Vec<bool> = Vec::new();
        // The raw HTML of the HTML block being read, shown as text once its
        // comments are taken out (a comment may span several lines).
        let mut html_block: Option<String> = None;
        let mut text = String::new();
        let mut in_code_block = false;
        let mut heading: Option<(HeadingLevel, Option<String>, Vec<String>, usize)> = None;
        // Footnote labels become ids unique on the page (`fn-LABEL`), the
        // same for a block's references and its definition.
        let mut footnotes: BTreeMap<String, String> = BTreeMap::new();
        for event in parsed {
            if let Event::Text(content) = &event {
                text.push_str(content);
                continue;
            }
            self.flush_text(&mut text, in_code_block || !dropped_links.is_empty(), &mut out);
            match event {
                Event::Start(Tag::HtmlBlock) => {
                    html_block = Some(String::new());
                    out.push(Event::Start(Tag::HtmlBlock));
                }
                Event::Html(raw) => match html_block.as_mut() {
                    Some(block) => block.push_str(&raw),
                    None => push_shown_html(&raw, &mut out),
                },
                Event::End(TagEnd::HtmlBlock) => {
                    push_shown_html(&html_block.take().unwrap_or_default(), &mut out);
                    out.push(Event::End(TagEnd::HtmlBlock));
                }
                Event::InlineHtml(raw) => push_shown_html(&raw, &mut out),
                Event::FootnoteReference(label) => {
                    let id = self.footnote_id(&mut footnotes, &label);
                    out.push(Event::FootnoteReference(CowStr::from(id)));
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let id = self.footnote_id(&mut footnotes, &label);
                    out.push(Event::Start(Tag::FootnoteDefinition(CowStr::from(id))));
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    in_code_block = true;
                    out.push(Event::Start(Tag::CodeBlock(static_kind(kind))));
                }
                Event::End(TagEnd::CodeBlock) => {
                    in_code_block = false;
                    out.push(Event::End(TagEnd::CodeBlock));
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let safe = is_safe_url(&dest_url);
                    dropped_links.push(!safe);
                    if safe {
                        out.push(Event::Start(Tag::Link {
                            link_type,
                            dest_url: owned(dest_url),
                            title: owned(title),
                            id: owned(id),
                        }));
                    }
                }
                Event::End(TagEnd::Link) => {
                    if dropped_links.pop() == Some(false) {
                        out.push(Event::End(TagEnd::Link));
                    }
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    // `validate` refuses any other image (E204); this keeps
                    // one from loading even if it got here.
                    let path = static_image_path(&dest_url).ok();
                    images.push(path.is_some());
                    if let Some(path) = path {
                        out.push(Event::Start(Tag::Image {
                            link_type,
                            dest_url: CowStr::from(format!("{}{path}", self.root)),
                            title: owned(title),
                            id: owned(id),
                        }));
                    }
                }
                Event::End(TagEnd::Image) => {
                    if images.pop() == Some(true) {
                        out.push(Event::End(TagEnd::Image));
                    }
                }
                Event::Start(Tag::Heading { level, id, classes, .. }) => {
                    heading = Some((
                        level,
                        id.map(|id| id.into_string()),
                        classes.into_iter().map(|class| class.into_string()).collect(),
                        out.len(),
                    ));
                    out.push(Event::Start(Tag::Paragraph)); // placeholder, replaced at the end
                }
                Event::End(TagEnd::Heading(level)) => {
                    if let Some((level_start, id, classes, start)) = heading.take() {
                        let title = plain_text(&out[start + 1..]);
                        let wanted = id.unwrap_or_else(|| slug(&title));
                        let anchor = self.unique_id(&wanted);
                        if level_start == HeadingLevel::H2 {
                            self.toc.push(TocEntry {
                                anchor: anchor.clone(),
                                title,
                            });
                            self.current_anchor = Some(anchor.clone());
                        }
                        out[start] = Event::Start(Tag::Heading {
                            level: level_start,
                            id: Some(CowStr::from(anchor)),
                            classes: classes.into_iter().map(CowStr::from).collect(),
                            attrs: Vec::new(),
                        });
                    }
                    out.push(Event::End(TagEnd::Heading(level)));
                }
                other => out.push(other.into_static()),
            }
        }
        self.flush_text(&mut text, in_code_block, &mut out);
        out
    }

    /// The page-unique id of a footnote label of the block being rendered.
    fn footnote_id(&mut self, footnotes: &mut BTreeMap<String, String>, label: &str) -> String {
        if let Some(id) = footnotes.get(label) {
            return id.clone();
        }
        let wanted = format!("fn-{}", slug(label));
        let id = self.unique_id(wanted.trim_end_matches('-'));
        footnotes.insert(label.to_owned(), id.clone());
        id
    }

    /// Emits collected text, turning citations into links unless `plain`.
    fn flush_text(&mut self, text: &mut String, plain: bool, out: &mut Vec<Event<'static>>) {
        if text.is_empty() {
            return;
        }
        let content = std::mem::take(text);
        if plain {
            out.push(Event::Text(CowStr::from(content)));
            return;
        }
        let mut cursor = 0;
        for citation in find_citations(&content) {
            if citation
                .cites
                .iter()
                .any(|cite| !self.references.contains_key(cite.key.as_str()))
            {
                continue;
            }
            if citation.range.start > cursor {
                out.push(Event::Text(CowStr::from(
                    content[cursor..citation.range.start].to_owned(),
                )));
            }
            self.citation(&citation, out);
            cursor = citation.range.end;
        }
        if cursor < content.len() {
            out.push(Event::Text(CowStr::from(content[cursor..].to_owned())));
        }
    }

    fn citation(&mut self, citation: &Citation, out: &mut Vec<Event<'static>>) {
        let text = |value: String| Event::Text(CowStr::from(value));
        if citation.form == CitationForm::Parenthetical {
            out.push(text("(".to_owned()));
        }
        for (index, cite) in citation.cites.iter().enumerate() {
            let Some(reference) = self.references.get(cite.key.as_str()) else {
                continue;
            };
            self.cited.push((reference.id.clone(), self.current_anchor.clone()));
            if index > 0 {
                out.push(text("; ".to_owned()));
            }
            if let Some(prefix) = &cite.prefix {
                out.push(text(format!("{prefix} ")));
            }
            let label = match (&citation.form, cite.suppress_author) {
                (CitationForm::Narrative, _) => reference.cite_as.clone(),
                (CitationForm::Parenthetical, true) => reference.year.clone(),
                (CitationForm::Parenthetical, false) => format!("{}, {}", reference.cite_as, reference.year),
            };
            out.push(Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url: CowStr::from(format!(
                    "{}references.html#{}",
                    self.root,
                    reference_anchor(&reference.id)
                )),
                title: CowStr::from(""),
                id: CowStr::from(""),
            }));
            out.push(text(label));
            out.push(Event::End(TagEnd::Link));
            let locator = cite
                .locator
                .as_ref()
                .map(|locator| format!(", {locator}"))
                .unwrap_or_default();
            if citation.form == CitationForm::Narrative {
                out.push(text(format!(" ({}{locator})", reference.year)));
            } else {
                out.push(text(locator));
            }
        }
        if citation.form == CitationForm::Parenthetical {
            out.push(text(")".to_owned()));
        }
    }
}

/// Raw HTML from the study, shown as text without its comments.
fn push_shown_html(raw: &str, out: &mut Vec<Event<'static>>) {
    let shown = without_html_comments(raw);
    if !shown.trim().is_empty() {
        out.push(Event::Text(CowStr::from(shown)));
    }
}

/// The anchor of a reference on the references page.
#[must_use]
pub fn reference_anchor(id: &str) -> String {
    format!("ref-{id}")
}

fn owned(value: CowStr<'_>) -> CowStr<'static> {
    CowStr::from(value.into_string())
}

fn static_kind(kind: pulldown_cmark::CodeBlockKind<'_>) -> pulldown_cmark::CodeBlockKind<'static> {
    match kind {
        pulldown_cmark::CodeBlockKind::Indented => pulldown_cmark::CodeBlockKind::Indented,
        pulldown_cmark::CodeBlockKind::Fenced(info) => pulldown_cmark::CodeBlockKind::Fenced(owned(info)),
    }
}

/// Whether a link target from the study may be used: http(s), mailto, a
/// fragment, or a relative path. `javascript:`, `data:` and any other scheme
/// are refused, however they are spelt.
#[must_use]
pub fn is_safe_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|character| !character.is_whitespace() && !character.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    match cleaned.find(':') {
        None => true,
        Some(colon) => {
            let scheme = &cleaned[..colon];
            // A colon after a path separator is part of a relative path.
            if scheme.contains(['/', '?', '#']) {
                return true;
            }
            matches!(scheme, "http" | "https" | "mailto")
        }
    }
}

fn plain_text(events: &[Event<'_>]) -> String {
    events
        .iter()
        .filter_map(|event| match event {
            Event::Text(text) | Event::Code(text) => Some(text.as_ref()),
            _ => None,
        })
        .collect()
}

/// A heading id made from its text: lowercase ASCII letters and digits
/// joined by `-`.
#[must_use]
pub fn slug(title: &str) -> String {
    let mut slug = String::new();
    for character in title.chars() {
        if character.is_ascii_alphanumeric() {
            slug.push(character.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference() -> Reference {
        Reference {
            id: "smith2001".to_owned(),
            cite_as: "Smith & Jones".to_owned(),
            year: "2001".to_owned(),
            entry: String::new(),
            url: None,
        }
    }

    fn render(markdown: &str) -> String {
        let reference = reference();
        let references: BTreeMap<&str, &Reference> = [("smith2001", &reference)].into_iter().collect();
        PageMarkdown::new(&references, "../", &[]).block(markdown)
    }

    #[test]
    fn citations_become_links() {
        assert_eq!(
            render("As shown [see @smith2001, p. 3]."),
            "<p>As shown (see <a href=\"../references.html#ref-smith2001\">Smith &amp; Jones, 2001</a>, p. 3).</p>\n"
        );
        assert_eq!(
            render("@smith2001 [p. 4] says"),
            "<p><a href=\"../references.html#ref-smith2001\">Smith &amp; Jones</a> (2001, p. 4) says</p>\n"
        );
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = render("<script>alert(1)</script>\n\nHi <b onclick=x>there</b>");
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<b "), "{html}");
    }

    #[test]
    fn unsafe_links_lose_their_target() {
        let html = render(
            "[a](javascript:alert(1)) [b](JaVaScRiPt&#58;x) [c]( data:text/html,x) [d](https://ok.example/) [e](page.html#x)",
        );
        assert!(!html.to_lowercase().contains("javascript"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(html.contains("href=\"https://ok.example/\""), "{html}");
        assert!(html.contains("href=\"page.html#x\""), "{html}");
    }

    #[test]
    fn images_show_files_of_static_only() {
        let reference = reference();
        let references: BTreeMap<&str, &Reference> = [("smith2001", &reference)].into_iter().collect();
        let markdown = "![Model](figures/model.png \"The model\") ![t](https://tracker.example/p.gif) ![h](//evil.example/x.png) ![d](data:image/png;base64,AAAA) ![r][ref] ![up](../x.png) ![abs](/etc/x.png) [![in a link](https://x.example/b.svg)](https://x.example/)\n\n[ref]: https://tracker.example/r.gif";
        for root in ["", "../"] {
            let html = PageMarkdown::new(&references, root, &[]).block(markdown);
            assert_eq!(html.matches("<img").count(), 1, "{html}");
            assert!(
                html.contains(&format!(
                    "<img src=\"{root}figures/model.png\" alt=\"Model\" title=\"The model\" />"
                )),
                "{html}"
            );
            for gone in ["tracker", "evil", "data:", "x.png", "b.svg"] {
                assert!(!html.contains(gone), "{gone} in {html}");
            }
            // A refused image leaves its alt text; a link around it stays.
            for alt in [" t ", " h ", " d ", " r ", " up ", " abs "] {
                assert!(html.contains(alt), "{alt:?} in {html}");
            }
            assert!(html.contains("<a href=\"https://x.example/\">in a link</a>"), "{html}");
        }
    }

    #[test]
    fn html_comments_are_left_out() {
        let html = render(
            "Before <!-- participant 6 is Dr Real Name --> after.\n\n<!-- a note\nover lines -->\n\n<div>\n<!-- inside\nraw html -->\n</div>\n\n> <!-- quoted -->\n\n<!-- never closed\n\nstill hidden",
        );
        for hidden in [
            "Real Name",
            "a note",
            "over lines",
            "inside",
            "raw html",
            "quoted",
            "never closed",
            "still hidden",
            "&lt;!--",
        ] {
            assert!(!html.contains(hidden), "{hidden:?} in {html}");
        }
        assert!(html.contains("<p>Before  after.</p>"), "{html}");
        assert!(
            html.contains("&lt;div&gt;\n\n&lt;/div&gt;"),
            "raw HTML stays text: {html}"
        );
        // Within a paragraph, `<!--` never closed is text to Markdown
        // (`check` warns about it), typographic dash and all.
        assert_eq!(render("a <!-- b"), "<p>a &lt;!\u{2013} b</p>\n");
        // In code, a comment is what the text shows.
        assert!(render("`<!-- x -->`").contains("<code>&lt;!-- x --&gt;</code>"));
    }

    #[test]
    fn headings_get_unique_ids_and_a_toc() {
        let reference = reference();
        let references: BTreeMap<&str, &Reference> = [("smith2001", &reference)].into_iter().collect();
        let mut page = PageMarkdown::new(&references, "", &["main"]);
        let html = page.block("## Main\n\n## Main\n\n### Deeper {#own}");
        assert!(html.contains("<h2 id=\"main-2\">Main</h2>"), "{html}");
        assert!(html.contains("<h2 id=\"main-3\">Main</h2>"), "{html}");
        assert!(html.contains("<h3 id=\"own\">Deeper</h3>"), "{html}");
        assert_eq!(page.toc.len(), 2);
    }

    #[test]
    fn footnote_ids_are_unique_on_the_page() {
        let reference = reference();
        let references: BTreeMap<&str, &Reference> = [("smith2001", &reference)].into_iter().collect();
        let mut page = PageMarkdown::new(&references, "", &["main"]);
        let first = page.block("A[^main] and B[^1].\n\n[^main]: One.\n\n[^1]: Two.");
        let second = page.block("C[^1].\n\n[^1]: Three.");
        assert!(
            first.contains("href=\"#fn-main\"") && first.contains("id=\"fn-main\""),
            "{first}"
        );
        assert!(
            first.contains("href=\"#fn-1\"") && first.contains("id=\"fn-1\""),
            "{first}"
        );
        assert!(
            second.contains("href=\"#fn-1-2\"") && second.contains("id=\"fn-1-2\""),
            "{second}"
        );
        assert!(!first.contains("id=\"main\""), "{first}");
        let undefined = page.block("D[^nowhere].");
        assert!(!undefined.contains("href"), "{undefined}");
    }

    #[test]
    fn urls_are_checked_whatever_their_spelling() {
        for bad in [
            "javascript:x",
            " JAVASCRIPT:x",
            "java\tscript:x",
            "data:x",
            "vbscript:x",
            "file:///etc",
        ] {
            assert!(!is_safe_url(bad), "{bad}");
        }
        for good in ["https://a.b", "http://a", "mailto:a@b", "#x", "a/b.html", "./a:b"] {
            assert!(is_safe_url(good), "{good}");
        }
    }
}
