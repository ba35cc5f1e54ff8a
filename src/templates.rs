//! The site's templates and static files: built into the binary, and
//! overridable from the study's `templates/` and `static/` folders.
//!
//! Input: the study folder. Output: a compiled [`Templates`] set and the
//! static files to publish, or diagnostics. A template that cannot be read
//! or parsed is an error, never a warning. Templates are autoescaped: every
//! template that emits markup ends in `.html` (or `.xml`).

use std::collections::BTreeMap;
use std::path::Path;

use walkdir::WalkDir;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::load::read::read_bounded;
use crate::load::{is_ignored_name, relative_string};
use crate::source::{Position, Sources, normalise_text};
use crate::validate::ids::is_windows_device_name;

/// The layout and partials built into `findings`, by name. Each page
/// kind's own template is built in by its row of [`crate::pages`].
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    (
        "partials/blocks.html",
        include_str!("../templates/partials/blocks.html"),
    ),
    ("partials/quote.html", include_str!("../templates/partials/quote.html")),
    (
        "partials/table-typology.html",
        include_str!("../templates/partials/table-typology.html"),
    ),
    (
        "partials/table-sample.html",
        include_str!("../templates/partials/table-sample.html"),
    ),
    (
        "partials/table-roles.html",
        include_str!("../templates/partials/table-roles.html"),
    ),
    (
        "partials/figures.html",
        include_str!("../templates/partials/figures.html"),
    ),
    ("partials/chart.html", include_str!("../templates/partials/chart.html")),
    ("partials/toc.html", include_str!("../templates/partials/toc.html")),
    ("partials/pager.html", include_str!("../templates/partials/pager.html")),
];

/// Static files built into `findings`, by output path.
pub const BUILTIN_ASSETS: &[(&str, &[u8])] = &[(
    "assets/findings.css",
    include_bytes!("../templates/assets/findings.css"),
)];

/// The compiled templates and the static files of a site.
pub struct Templates {
    /// The template engine, with every template added.
    pub tera: tera::Tera,
    /// Static files by output path (built-in, then the study's).
    pub assets: BTreeMap<String, Vec<u8>>,
    /// Templates that come from the study (`templates/NAME`), for messages.
    overridden: Vec<String>,
}

impl Templates {
    /// Where a template comes from, for a message.
    #[must_use]
    pub fn origin(&self, name: &str) -> Location {
        if self.overridden.iter().any(|known| known == name) {
            Location::file(&format!("templates/{name}"))
        } else {
            Location::file(&format!("(built-in) templates/{name}"))
        }
    }

    /// Turns a template engine error into a diagnostic naming the template
    /// file and line.
    #[must_use]
    pub fn diagnostic(&self, error: &tera::Error) -> Diagnostic {
        let report = match error.kind() {
            tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => Some(report),
            _ => None,
        };
        let diagnostic = Diagnostic::new(
            Code::TemplateError,
            report.map_or_else(|| error.to_string(), |report| report.message().to_owned()),
        );
        match report {
            Some(report) => {
                let mut location = self.origin(report.filename());
                let span = report.span();
                if span.start_line > 0 {
                    location.position = Some(Position::new(
                        u32::try_from(span.start_line).unwrap_or(u32::MAX),
                        u32::try_from(span.start_col + 1).unwrap_or(u32::MAX),
                    ));
                }
                diagnostic
                    .at(location)
                    .help("fix the template; see the built-in templates in findings' templates/ folder for the variables each page receives")
            }
            None => {
                // Errors about how templates fit together name the template
                // at fault, if any. Checks of the whole set (unknown
                // includes, filters, functions) come as a drawn report
                // whose first `--> name:line:column` is the place.
                let culprit = match error.kind() {
                    tera::ErrorKind::MissingParent { current, .. } => Some((current.clone(), None)),
                    tera::ErrorKind::CircularExtend { tpl, .. } | tera::ErrorKind::CircularInclude { tpl, .. } => {
                        Some((tpl.clone(), None))
                    }
                    tera::ErrorKind::Msg(text) => {
                        drawn_report(text).map(|(headline, name, position)| (name, Some((headline, position))))
                    }
                    _ => None,
                };
                let diagnostic = match culprit {
                    Some((name, Some((headline, position)))) => {
                        let mut location = self.origin(&name);
                        location.position = Some(position);
                        Diagnostic {
                            message: headline,
                            ..diagnostic
                        }
                        .at(location)
                    }
                    Some((name, None)) => diagnostic.at(self.origin(&name)),
                    None => diagnostic,
                };
                diagnostic
                    .help("check the names used in `{% extends %}` and `{% include %}`, and of filters and functions")
            }
        }
    }
}

/// The first problem of a report Tera drew as text: its headline
/// (`Unknown template ...`, with how many more there are), the template's
/// name and the position.
fn drawn_report(text: &str) -> Option<(String, String, Position)> {
    let mut headlines = text.lines().filter_map(|line| line.trim().strip_prefix("error: "));
    let mut headline = headlines.next()?.to_owned();
    let more = headlines.count();
    if more > 0 {
        headline.push_str(&format!(" (and {more} more like it)"));
    }
    let (name, position) = text.lines().find_map(|line| {
        let place = line.trim().strip_prefix("--> ")?;
        let mut parts = place.rsplitn(3, ':');
        let column = parts.next()?.parse().ok()?;
        let line = parts.next()?.parse().ok()?;
        Some((parts.next()?.to_owned(), Position::new(line, column)))
    })?;
    Some((headline, name, position))
}

/// Loads the built-in templates and the study's overrides. Problems go to
/// `diagnostics` (and override texts to `sources`, for snippets); `None`
/// means at least one template could not be used.
pub fn load_templates(study_dir: &Path, sources: &mut Sources, diagnostics: &mut Diagnostics) -> Option<Templates> {
    let mut templates: BTreeMap<String, String> = BUILTIN_TEMPLATES
        .iter()
        .copied()
        .chain(crate::pages::builtin_templates())
        .map(|(name, text)| (name.to_owned(), text.to_owned()))
        .collect();
    let mut assets: BTreeMap<String, Vec<u8>> = BUILTIN_ASSETS
        .iter()
        .map(|(name, bytes)| ((*name).to_owned(), bytes.to_vec()))
        .collect();
    let mut overridden = Vec::new();
    let errors_before = diagnostics.count(crate::diagnostic::Severity::Error);

    for (relative, bytes) in files_under(study_dir, "templates", diagnostics) {
        let location = Location::file(&format!("templates/{relative}"));
        if relative.starts_with("assets/") {
            assets.insert(relative, bytes);
            continue;
        }
        if !(relative.ends_with(".html") || relative.ends_with(".xml")) {
            diagnostics.push(
                Diagnostic::new(
                    Code::TemplateError,
                    "templates must end in `.html` or `.xml`, so that they are escaped",
                )
                .at(location)
                .help("rename the template, or move a file that is not a template to `static/`"),
            );
            continue;
        }
        match String::from_utf8(bytes) {
            Ok(text) => {
                let text = normalise_text(&text);
                sources.add(&format!("templates/{relative}"), &text);
                overridden.push(relative.clone());
                templates.insert(relative, text);
            }
            Err(_) => diagnostics.push(
                Diagnostic::new(Code::NotUtf8, "the template is not valid UTF-8 text")
                    .at(location)
                    .help("save the file as UTF-8"),
            ),
        }
    }
    for (relative, bytes) in files_under(study_dir, "static", diagnostics) {
        assets.insert(relative, bytes);
    }

    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    let mut compiled = Templates {
        tera,
        assets,
        overridden,
    };
    if let Err(error) = compiled
        .tera
        .add_raw_templates(templates.iter().map(|(name, text)| (name.as_str(), text.as_str())))
    {
        diagnostics.push(compiled.diagnostic(&error));
    }
    (diagnostics.count(crate::diagnostic::Severity::Error) == errors_before).then_some(compiled)
}

/// Every file under `study_dir/folder`, by path relative to that folder, in
/// sorted order. Links, unreadable and oversized files are reported.
fn files_under(study_dir: &Path, folder: &str, diagnostics: &mut Diagnostics) -> Vec<(String, Vec<u8>)> {
    let root = study_dir.join(folder);
    if !root.is_dir() || root.is_symlink() {
        return Vec::new();
    }
    let mut files = Vec::new();
    let walker = WalkDir::new(&root)
        .follow_links(false)
        .sort_by_file_name()
        .min_depth(1)
        .into_iter()
        .filter_entry(|entry| !entry.file_name().to_str().is_some_and(is_ignored_name));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                diagnostics.push(
                    Diagnostic::new(Code::ReadFailed, format!("could not list `{folder}/`: {error}"))
                        .at(Location::file(folder))
                        .help("check the folder's permissions"),
                );
                continue;
            }
        };
        let Ok(relative_path) = entry.path().strip_prefix(&root) else {
            continue;
        };
        let relative = relative_string(relative_path);
        let location = Location::file(&format!("{folder}/{relative}"));
        if entry.path_is_symlink() {
            diagnostics.push(
                Diagnostic::new(Code::Symlink, "symbolic links are not followed in a study folder")
                    .at(location)
                    .help("replace the link with the file itself"),
            );
            continue;
        }
        if entry.file_type().is_dir() {
            continue;
        }
        if relative.split('/').any(is_windows_device_name) {
            diagnostics.push(
                Diagnostic::new(
                    Code::ReservedDeviceName,
                    "this file name is one Windows reserves for a device, so the site could not be copied there",
                )
                .at(location)
                .help("rename the file (CON, PRN, AUX, NUL, COM1-9 and LPT1-9 are reserved, in any case and with any extension)"),
            );
            continue;
        }
        if entry.file_name().to_str().is_none() || relative.split('/').any(|part| !is_safe_name(part)) {
            diagnostics.push(
                Diagnostic::new(Code::OutputConflict, "this file name cannot be published safely")
                    .at(location)
                    .help("use names made of letters, digits, `.`, `-` and `_`"),
            );
            continue;
        }
        match read_bounded(entry.path()) {
            Ok(bytes) => files.push((relative, bytes)),
            Err(problem) => diagnostics.push(problem.diagnostic(
                &format!("{folder}/{relative}"),
                "publish large files elsewhere and link to them",
            )),
        }
    }
    files
}

/// Whether a path component is safe to publish as is (also the rule for the
/// parts of an image's path, which names a file of `static/`).
#[must_use]
pub fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|character| character.is_ascii_alphanumeric() || matches!(character, '.' | '-' | '_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_templates_compile() {
        let mut sink = Diagnostics::new();
        let templates = load_templates(Path::new("/nonexistent-study"), &mut Sources::default(), &mut sink);
        assert!(templates.is_some(), "{:?}", sink.into_sorted());
    }

    #[test]
    fn publishable_names() {
        assert!(is_safe_name("logo-2.png"));
        for bad in ["..", ".", "a b", "a<b", "é.png", ""] {
            assert!(!is_safe_name(bad), "{bad}");
        }
    }
}
