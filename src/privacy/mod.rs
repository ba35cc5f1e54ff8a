//! Privacy gates of a build that do not depend on the participant model: a
//! deny-list of words that must never be published ([`deny_list`]), the
//! scan of the study's source text and of every file of the site for them
//! ([`scan`]), and the warning about documents in `static/`
//! ([`DOCUMENT_IN_STATIC`], reported by `validate::resources`).
//!
//! A hit names the file and line where the term was found and the term's
//! line in the deny-list, never the term itself: the deny-list holds the
//! very words that must not reach a log.

pub mod deny_list;
pub mod normalise;
pub mod scan;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location, Rule, Severity};

pub use deny_list::{DenyList, DenyListError};
pub use scan::{ScanningSink, scan_site, scan_sources};

/// A deny-listed term was found in the study's text or in the site.
pub const DENY_LISTED_TERM: Rule = Rule {
    id: "E610",
    name: "deny-listed-term",
    severity: Severity::Error,
    summary: "A term of the deny-list appears in the study's text or in a file of the site.",
    why: "The deny-list holds the real names, places and employers the team replaced; a hit means one of them would be published. The diagnostic names the file, the line and the term's line in the deny-list, never the term: replace the words with a bracketed description such as `[name of town]`.",
};

/// A file in `static/` looks like a document or data, not a part of the site.
pub const DOCUMENT_IN_STATIC: Rule = Rule {
    id: "W610",
    name: "document-in-static",
    severity: Severity::Warning,
    summary: "A file of `static/` that looks like a document or data (notes, a transcript, a spreadsheet), which would be published.",
    why: "Everything in static/ is copied to the site as it is. Notes, consent forms and transcripts (.docx, .pdf, .txt, .csv, ...) belong elsewhere in the study folder, which is never published; move the file out of static/, or, if it is meant to be published, accept the warning.",
};

/// Adds the hits of a scan to the sorted `diagnostics` of a check, keeping
/// them sorted.
pub fn add_hits(diagnostics: &mut Vec<Diagnostic>, hits: Vec<Diagnostic>) {
    if hits.is_empty() {
        return;
    }
    let mut all = Diagnostics::new();
    for found in std::mem::take(diagnostics).into_iter().chain(hits) {
        all.push(found);
    }
    *diagnostics = all.into_sorted();
}

/// Extensions of files that hold documents, data or recordings rather than
/// a part of a web page: notes, consent forms, transcripts, spreadsheets,
/// interview audio and its subtitles. JSON is not among them: sites use it.
const DOCUMENT_EXTENSIONS: &[&str] = &[
    "doc", "docx", "odt", "rtf", "txt", "md", "pdf", "csv", "tsv", "xls", "xlsx", "ods", "ppt", "pptx", "odp", "eml",
    "msg", "mp3", "m4a", "wav", "ogg", "flac", "vtt", "srt", "yaml", "yml",
];

/// W610 for a file of `static/` (study-relative `relative`) whose
/// extension says it is a document or data.
pub fn check_static_file(relative: &str, diagnostics: &mut Diagnostics) {
    let name = relative.rsplit('/').next().unwrap_or(relative);
    let Some((_, extension)) = name.rsplit_once('.') else {
        return;
    };
    if DOCUMENT_EXTENSIONS
        .iter()
        .any(|known| extension.eq_ignore_ascii_case(known))
    {
        diagnostics.push(
            Diagnostic::new(
                Code::DocumentInStatic,
                format!("this `.{}` file will be published as it is, with the site", extension.to_ascii_lowercase()),
            )
            .at(Location::file(relative))
            .help("notes, consent forms and transcripts belong outside `static/` (the rest of the study folder is never published); if the file is meant to be published, leave it and accept this warning"),
        );
    }
}
