//! The site's templates and static files: built into the binary, and
//! overridable from the study's `templates/` and `static/` folders.
//!
//! Input: the study's own templates and files as `load` read them
//! ([`RawSite`]). Output: a compiled [`Templates`] set and the files to
//! publish, or diagnostics. This module reads nothing itself. A template
//! that cannot be parsed is an error, never a warning. Templates are
//! autoescaped: every template that emits markup ends in `.html` (or
//! `.xml`), which `load` checks.

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location, Rule, Severity};
use crate::load::raw::RawSite;
use crate::source::Position;

/// The layout and partials built into `findings`, by name. Each page
/// kind's own template is built in by its row of [`crate::pages`].
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("labels.html", include_str!("../templates/labels.html")),
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
    (
        "partials/themes.html",
        include_str!("../templates/partials/themes.html"),
    ),
    ("partials/pager.html", include_str!("../templates/partials/pager.html")),
];

/// Static files built into `findings`, by output path.
pub const BUILTIN_ASSETS: &[(&str, &[u8])] = &[(
    "assets/findings.css",
    include_bytes!("../templates/assets/findings.css"),
)];

/// Every built-in template, partial and asset, by its path in a study's
/// `templates/` folder (where a file of the same path overrides it), in
/// path order: what `findings templates export` writes.
#[must_use]
pub fn builtin_files() -> Vec<(&'static str, &'static [u8])> {
    let mut files: Vec<(&'static str, &'static [u8])> = BUILTIN_TEMPLATES
        .iter()
        .copied()
        .chain(crate::pages::builtin_templates())
        .map(|(name, text)| (name, text.as_bytes()))
        .chain(BUILTIN_ASSETS.iter().copied())
        .collect();
    files.sort_unstable_by_key(|(name, _)| *name);
    files
}

/// The compiled templates and the static files of a site.
pub struct Templates {
    /// The template engine, with every template added.
    pub tera: tera::Tera,
    /// Static files by output path (built-in, then the study's).
    pub assets: BTreeMap<String, Vec<u8>>,
    /// Templates that come from the study (`templates/NAME`), for messages.
    overridden: Vec<String>,
}

pub const TEMPLATE_ERROR: Rule = Rule {
    id: "E501",
    name: "template-error",
    severity: Severity::Error,
    summary: "A template of the study's `templates/` folder cannot be read, parsed or rendered.",
    why: "A template of the study's `templates/` folder replaces a built-in one for every page that uses it, so one that cannot be read, parsed or rendered would break the site; it is an error, never a warning, and names the template's file and line. Templates must end in `.html` or `.xml`, so that everything they show is escaped.",
};

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
                    location.position = Some(Position::from_line_column(
                        span.start_line,
                        span.start_col.saturating_add(1),
                    ));
                }
                diagnostic
                    .at(location)
                    .help("fix the template; `findings templates export DIR` writes the built-in templates, which show the variables each page receives")
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

pub const OUTPUT_CONFLICT: Rule = Rule {
    id: "E502",
    name: "output-conflict",
    severity: Severity::Error,
    summary: "A file of the study's `static/` folder would replace a generated page, a stylesheet or another file findings publishes, or a folder.",
    why: "The site's pages, its stylesheet and the files of `static/` share one output folder. A static file at the path of a page or of a file findings publishes (`static/assets/findings.css`) would silently replace it, and one at the path of a folder cannot exist beside it; to change a stylesheet or a page, override it in `templates/`. `check` finds the clashes with what findings publishes at fixed paths; those with pages (named from ids) are found by `build`.",
};

/// Compiles the built-in templates with the study's overrides, and gathers
/// the built-in assets with the study's files to publish (a study's file
/// replaces a built-in one of the same path). `None` means at least one
/// template could not be compiled (reported to `diagnostics`).
pub fn compile(site: &RawSite, diagnostics: &mut Diagnostics) -> Option<Templates> {
    let mut templates: BTreeMap<&str, &str> = BUILTIN_TEMPLATES
        .iter()
        .copied()
        .chain(crate::pages::builtin_templates())
        .collect();
    let mut assets: BTreeMap<String, Vec<u8>> = BUILTIN_ASSETS
        .iter()
        .map(|(name, bytes)| ((*name).to_owned(), bytes.to_vec()))
        .collect();
    for (name, text) in &site.templates {
        templates.insert(name, text);
    }
    for (path, bytes) in &site.assets {
        assets.insert(path.clone(), bytes.clone());
    }
    let mut clean = true;
    for (path, bytes) in &site.statics {
        if assets.contains_key(path) {
            clean = false;
            diagnostics.push(
                Diagnostic::new(
                    Code::OutputConflict,
                    format!("`{path}` would replace a file findings publishes at the same path"),
                )
                .at(Location::file(&format!("static/{path}")))
                .help(format!(
                    "to change `{path}`, put your version in `templates/{path}`; otherwise rename or move the static file"
                )),
            );
            continue;
        }
        assets.insert(path.clone(), bytes.clone());
    }
    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    tera.set_escape_fn(escape_html);
    let mut compiled = Templates {
        tera,
        assets,
        overridden: site.templates.iter().map(|(name, _)| name.clone()).collect(),
    };
    match compiled.tera.add_raw_templates(templates) {
        Ok(()) => clean.then_some(compiled),
        Err(error) => {
            diagnostics.push(compiled.diagnostic(&error));
            None
        }
    }
}

/// Escapes text for HTML exactly as Tera's own escaper does (`&`, `<`, `>`,
/// `"` and `'`), but writes each run of text between them at once instead
/// of byte by byte: quote text is most of what a large site prints.
fn escape_html(input: &str, output: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut start = 0;
    for (index, byte) in bytes.iter().enumerate() {
        let entity: &[u8] = match byte {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        output.write_all(&bytes[start..index])?;
        output.write_all(entity)?;
        start = index + 1;
    }
    output.write_all(&bytes[start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_tera_does() {
        for text in [
            "",
            "plain words",
            "<script>alert('x') & \"y\"</script>",
            "&&<<>>\"\"''",
            "Café — naïve “quotes” ’s",
            "ends with &",
            "&starts",
        ] {
            let mut ours = Vec::new();
            let mut teras = Vec::new();
            escape_html(text, &mut ours).expect("writing to a Vec");
            tera::escape_html(text, &mut teras).expect("writing to a Vec");
            assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&teras),
                "{text:?}"
            );
        }
    }

    #[test]
    fn every_template_and_asset_on_disk_is_built_in() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        // The new study's files and serve's script are not the site's.
        let on_disk: Vec<String> = crate::scaffold::files_on_disk("")
            .into_iter()
            .filter(|path| !path.starts_with("new-study/") && !path.starts_with("serve/"))
            .collect();
        let built_in: Vec<&str> = builtin_files().iter().map(|(path, _)| *path).collect();
        assert_eq!(on_disk, built_in);
        for (path, bytes) in builtin_files() {
            assert_eq!(std::fs::read(root.join(path)).unwrap(), bytes, "{path}");
        }
    }

    #[test]
    fn built_in_templates_compile() {
        let mut sink = Diagnostics::new();
        let templates = compile(&RawSite::default(), &mut sink);
        assert!(templates.is_some(), "{:?}", sink.into_sorted());
    }
}
