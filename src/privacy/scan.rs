//! The deny-list scan: of the study's source text (every file `load`
//! read), and of every file of the site, either as `render` puts it into
//! a sink ([`ScanningSink`], which keeps a file with a hit out of the
//! inner sink) or in a site held in memory ([`scan_site`], for `serve`).
//!
//! Site files in HTML, SVG or XML are read as markup (tags left out,
//! attribute values kept); other files that are UTF-8 (CSS, JSON, text) as
//! text. Files that are not UTF-8 (images, fonts) are not scanned.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::privacy::deny_list::DenyList;
use crate::privacy::normalise::Kind;
use crate::render::{Sink, Site};
use crate::source::{Position, Positions, Sources};

/// The term's line in the deny-list, as a place a redacted report shows.
fn term_location(list: &DenyList, line: u32) -> Location {
    Location::at(&list.path().display().to_string(), Position::new(line, 1))
}

/// A hit in the study file `file`, at `position`.
fn source_hit(list: &DenyList, file: &str, position: Position, line: u32) -> Diagnostic {
    Diagnostic::new(
        Code::DenyListedTerm,
        format!("the term on line {line} of the deny-list appears in {file}"),
    )
    .at(Location::at(file, position))
    .related(term_location(list, line), "the term, in the deny-list")
    .help("replace the words with a bracketed description such as `[name of town]`; the term itself is never shown")
}

/// A hit in the site file `path`, found `count` times.
fn site_hit(list: &DenyList, path: &str, line: u32, count: usize) -> Diagnostic {
    let times = if count == 1 {
        String::new()
    } else {
        format!(" ({count} times)")
    };
    Diagnostic::new(
        Code::DenyListedTerm,
        format!("the site file {path} holds the term on line {line} of the deny-list{times}"),
    )
    .at(term_location(list, line))
    .help("find where the page takes the words from (the study, or a template) and replace them with a bracketed description; the term itself is never shown")
}

/// Every hit in the study's source text: one diagnostic per place.
#[must_use]
pub fn scan_sources(list: &DenyList, sources: &Sources) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for file in sources.files() {
        // Keeping where each byte came from costs memory: only for a file
        // that has a hit.
        if list.lines_found(&file.text, Kind::Text).is_empty() {
            continue;
        }
        let mut positions = Positions::new(&file.text);
        let mut hits = list.find(&file.text, Kind::Text);
        hits.sort_by_key(|hit| (hit.offset, hit.line));
        for hit in hits {
            found.push(source_hit(list, &file.path, positions.at(hit.offset), hit.line));
        }
    }
    found
}

/// How a site file at `path` is read, or `None` when it is not text.
fn kind_of<'a>(path: &str, bytes: &'a [u8]) -> Option<(Kind, &'a str)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let extension = path.rsplit_once('.').map_or("", |(_, extension)| extension);
    let markup = ["html", "htm", "xhtml", "svg", "xml"]
        .iter()
        .any(|known| extension.eq_ignore_ascii_case(known));
    Some((if markup { Kind::Markup } else { Kind::Text }, text))
}

/// The hits in one site file: one diagnostic per term.
fn scan_file(list: &DenyList, path: &str, bytes: &[u8]) -> Vec<Diagnostic> {
    let Some((kind, text)) = kind_of(path, bytes) else {
        return Vec::new();
    };
    let mut counts = BTreeMap::new();
    for line in list.lines_found(text, kind) {
        *counts.entry(line).or_insert(0) += 1;
    }
    counts
        .into_iter()
        .map(|(line, count)| site_hit(list, path, line, count))
        .collect()
}

/// Every hit in a site held in memory.
#[must_use]
pub fn scan_site(list: &DenyList, site: &Site) -> Vec<Diagnostic> {
    site.files
        .iter()
        .flat_map(|(path, bytes)| scan_file(list, path, bytes))
        .collect()
}

/// A sink that scans each file before passing it on: a file with a hit is
/// kept back, and its hits are kept for [`ScanningSink::into_diagnostics`].
/// Rendering goes on, so every hit of the site is reported; a build with a
/// hit must then not finish its staging folder.
pub struct ScanningSink<'a, S: Sink> {
    inner: &'a S,
    list: &'a DenyList,
    found: Mutex<Vec<Diagnostic>>,
}

impl<'a, S: Sink> ScanningSink<'a, S> {
    /// Scans what goes into `inner` for the terms of `list`.
    pub const fn new(inner: &'a S, list: &'a DenyList) -> Self {
        Self {
            inner,
            list,
            found: Mutex::new(Vec::new()),
        }
    }

    /// The hits found.
    #[must_use]
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.found.into_inner().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<S: Sink> Sink for ScanningSink<'_, S> {
    fn put(&self, path: &str, bytes: Vec<u8>) {
        let hits = scan_file(self.list, path, &bytes);
        if hits.is_empty() {
            self.inner.put(path, bytes);
        } else {
            self.found.lock().unwrap_or_else(PoisonError::into_inner).extend(hits);
        }
    }

    fn failed(&self) -> bool {
        self.inner.failed()
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::render::SiteSink;

    fn list() -> DenyList {
        DenyList::from_text("# test\nLeeds\n", PathBuf::from("/secret/deny.txt")).expect("a list")
    }

    #[test]
    fn a_file_with_a_hit_is_kept_back_and_the_rest_passed_on() {
        let list = list();
        let inner = SiteSink::default();
        let sink = ScanningSink::new(&inner, &list);
        sink.put("a.html", b"<p>From L&#x65;eds.</p>".to_vec());
        sink.put("b.html", b"<p>From [a town].</p>".to_vec());
        sink.put("c.css", b"/* Leeds */".to_vec());
        sink.put("d.png", vec![0xff, 0xfe, b'L', b'e', b'e', b'd', b's']);
        let found = sink.into_diagnostics();
        let site = inner.into_site();
        assert_eq!(site.files.keys().collect::<Vec<_>>(), ["b.html", "d.png"]);
        assert_eq!(found.len(), 2);
        for diagnostic in &found {
            assert_eq!(diagnostic.code, Code::DenyListedTerm);
            assert_eq!(
                diagnostic.location,
                Some(Location::at("/secret/deny.txt", Position::new(2, 1)))
            );
            assert!(
                !format!("{diagnostic:?}").to_lowercase().contains("leeds"),
                "{diagnostic:?}"
            );
        }
    }

    #[test]
    fn a_source_hit_points_at_its_line_and_column() {
        let mut sources = Sources::default();
        sources.add("quotes.yaml", "quotes:\n  - text: |\n      in\n      Leeds now\n");
        let found = scan_sources(&list(), &sources);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].location,
            Some(Location::at("quotes.yaml", Position::new(4, 7)))
        );
        assert_eq!(
            found[0].related[0].location,
            Location::at("/secret/deny.txt", Position::new(2, 1))
        );
    }
}
