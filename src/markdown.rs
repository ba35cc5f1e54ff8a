//! The Markdown dialect of a study, shared by `load` (which checks the
//! narrative) and `render` (which publishes it), so that both read the same
//! text the same way.
//!
//! It says which extensions are on, where the HTML comments of raw HTML are
//! (they are never published), and which image addresses a page may show
//! (files of the study's `static/` folder, and nothing else). Nothing here
//! parses a whole document: `load::markdown` finds what the narrative refers
//! to, `render::markdown` turns it into safe HTML.

use std::ops::Range;

use pulldown_cmark::Options;

use crate::names::is_safe_name;

/// The Markdown extensions findings uses, for the loader and the renderer
/// alike. Smart punctuation only changes how text is printed, so the
/// renderer adds it when the study asks for it (see `smart_punctuation`).
#[must_use]
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_STRIKETHROUGH
}

/// The byte ranges of the comments in raw HTML from Markdown: from `<!--`
/// to the next `-->`, or to the end of the HTML when the comment is never
/// closed (a browser would hide all of it too). `<!-->` and `<!--->` are
/// whole (empty) comments, as CommonMark and HTML read them.
#[must_use]
pub fn html_comments(html: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut cursor = 0;
    while let Some(start) = html[cursor..].find("<!--").map(|at| cursor + at) {
        let inside = start + "<!--".len();
        let rest = &html[inside..];
        let end = if rest.starts_with('>') {
            inside + 1
        } else if rest.starts_with("->") {
            inside + 2
        } else {
            rest.find("-->").map_or(html.len(), |at| inside + at + "-->".len())
        };
        found.push(start..end);
        cursor = end;
    }
    found
}

/// Raw HTML from Markdown without its comments.
#[must_use]
pub fn without_html_comments(html: &str) -> String {
    let mut kept = String::with_capacity(html.len());
    let mut cursor = 0;
    for comment in html_comments(html) {
        kept.push_str(&html[cursor..comment.start]);
        cursor = comment.end;
    }
    kept.push_str(&html[cursor..]);
    kept
}

/// Why an image's address cannot be published.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageRefusal {
    /// An address with a scheme (`https:`, `file:`, `javascript:`, ...) or a
    /// host (`//host/...`): the reader's browser would fetch it from
    /// another site, or from the reader's own computer.
    Remote,
    /// A `data:` address: content written into the page, unseen in review.
    Data,
    /// A path that is empty, absolute, climbs with `..`, or holds characters
    /// a file of `static/` cannot have (so it cannot name one).
    NotInStatic,
}

/// The path of a file of the study's `static/` folder that an image may
/// show: `figures/model.png` shows `static/figures/model.png`, from any page.
/// Every part is a name of letters, digits, `.`, `-` and `_` (as files of
/// `static/` are), so a path can neither leave the site nor carry a
/// scheme, a host, a query or an escape.
///
/// # Errors
/// [`ImageRefusal`], saying why the address may not be used.
pub fn static_image_path(destination: &str) -> Result<&str, ImageRefusal> {
    if !destination.is_empty() && destination.split('/').all(is_safe_name) {
        return Ok(destination);
    }
    let cleaned: String = destination
        .chars()
        .filter(|character| !character.is_whitespace() && !character.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme = cleaned.split_once(':').map(|(scheme, _)| scheme).filter(|scheme| {
        scheme.starts_with(|first: char| first.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|character| character.is_ascii_alphanumeric() || matches!(character, '+' | '-' | '.'))
    });
    let host = ["//", "\\\\", "/\\", "\\/"]
        .iter()
        .any(|prefix| cleaned.starts_with(prefix));
    Err(match scheme {
        Some("data") => ImageRefusal::Data,
        Some(_) => ImageRefusal::Remote,
        None if host => ImageRefusal::Remote,
        None => ImageRefusal::NotInStatic,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_run_to_their_end_or_the_end_of_the_html() {
        assert_eq!(html_comments("a <!-- b --> c <!-- d"), vec![2..12, 15..21]);
        assert_eq!(html_comments("<!--> x <!---> y"), vec![0..5, 8..14]);
        assert_eq!(html_comments("<!-- a -- b -->"), vec![0..15]);
        assert!(html_comments("no comment <!- here").is_empty());
        assert_eq!(without_html_comments("<div>\n<!-- x\ny -->\n</div>"), "<div>\n\n</div>");
        assert_eq!(without_html_comments("a <!-- never closed\nb"), "a ");
    }

    #[test]
    fn images_may_only_name_files_of_static() {
        for good in ["logo.svg", "figures/model.png", "a-b_c.2.jpg"] {
            assert_eq!(static_image_path(good), Ok(good));
        }
        for (bad, why) in [
            ("https://tracker.example/p.gif", ImageRefusal::Remote),
            ("HTTP://x/y.png", ImageRefusal::Remote),
            ("//evil.example/x.png", ImageRefusal::Remote),
            (" //evil.example/x.png", ImageRefusal::Remote),
            ("\\\\evil\\x.png", ImageRefusal::Remote),
            ("/\\evil/x.png", ImageRefusal::Remote),
            ("ftp://a/b.png", ImageRefusal::Remote),
            ("file:///etc/passwd", ImageRefusal::Remote),
            ("java\tscript:alert(1)", ImageRefusal::Remote),
            ("C:/x.png", ImageRefusal::Remote),
            ("data:image/png;base64,AAAA", ImageRefusal::Data),
            (" DATA:image/png,x", ImageRefusal::Data),
            ("", ImageRefusal::NotInStatic),
            ("../x.png", ImageRefusal::NotInStatic),
            ("./x.png", ImageRefusal::NotInStatic),
            ("/x.png", ImageRefusal::NotInStatic),
            ("a//b.png", ImageRefusal::NotInStatic),
            ("x.png?track=1", ImageRefusal::NotInStatic),
            ("x.png#y", ImageRefusal::NotInStatic),
            ("%2e%2e/x.png", ImageRefusal::NotInStatic),
            ("caf\u{e9}.png", ImageRefusal::NotInStatic),
        ] {
            assert_eq!(static_image_path(bad), Err(why), "{bad:?}");
        }
    }
}
