//! Finding the study's files.
//!
//! Input: the study folder. Output: an [`Inventory`] of the files findings
//! reads, and a diagnostic for every entry it will not read but should not
//! silently pass over (symbolic links, data-like files in the wrong place,
//! names that are not UTF-8). The walk is in sorted order and never follows a
//! link. Hidden entries and editor backups are ignored by the rule in
//! `docs/data-format.md`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::{DirEntry, WalkDir};

use super::read::{ReadProblem, kind_of};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location, Rule, Severity, did_you_mean};
use crate::names::{is_safe_name, is_windows_device_name};

/// The YAML files every study has, at the top of its folder.
pub const RECORD_FILES: &[&str] = &[
    "study.yaml",
    "typology.yaml",
    "roles.yaml",
    "services.yaml",
    "participants.yaml",
    "quotes.yaml",
    "references.yaml",
];

/// The YAML files a study may have.
pub const OPTIONAL_RECORD_FILES: &[&str] = &["charts.yaml"];

/// The record files that may instead be split over every `*.yaml` file
/// of a folder (read in sorted order), with the folder each may be split
/// into. A study has the one file or the folder, not both.
pub const SPLIT_RECORD_FILES: &[(&str, &str)] = &[("participants.yaml", "participants"), ("quotes.yaml", "quotes")];

/// What to do with the study file `relative` when it is too large: split
/// the records a study may split (over the `*.yaml` files of their
/// folder), and otherwise keep to what belongs in the study.
#[must_use]
pub fn too_large_advice(relative: &str) -> String {
    let split = SPLIT_RECORD_FILES
        .iter()
        .find(|(file, folder)| relative == *file || relative.starts_with(&format!("{folder}/")));
    match split {
        Some((_, folder)) => format!(
            "split the {folder} over more `*.yaml` files of a `{folder}/` folder (read in order of file name), or remove what does not belong in the study"
        ),
        None => {
            "remove what does not belong in the study (only quotes and participants may be split over several files)"
                .to_owned()
        }
    }
}

#[cfg(test)]
mod advice_tests {
    use super::too_large_advice;

    #[test]
    fn only_split_records_are_told_to_split() {
        assert!(too_large_advice("quotes.yaml").contains("`quotes/` folder"));
        assert!(too_large_advice("quotes/2024.yaml").contains("`quotes/` folder"));
        assert!(too_large_advice("participants/a.yaml").contains("`participants/` folder"));
        for file in ["services.yaml", "themes/01-x.md", "quotes-old.yaml"] {
            assert!(!too_large_advice(file).contains("split the"), "{file}");
        }
    }
}

/// The folders of Markdown narrative.
pub const SECTIONS_DIR: &str = "sections";
/// The folder of results themes.
pub const THEMES_DIR: &str = "themes";
/// The folder of template overrides (`templates/NAME`).
pub const TEMPLATES_DIR: &str = "templates";
/// The folder of files published as they are.
pub const STATIC_DIR: &str = "static";

/// A file to read: its study-relative path and where it is on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundFile {
    /// Study-relative path with `/` separators.
    pub relative: String,
    /// Path on disk.
    pub path: PathBuf,
}

/// The files of a study, by role.
#[derive(Debug, Default)]
pub struct Inventory {
    /// The record files found, by file name.
    pub records: BTreeMap<&'static str, FoundFile>,
    /// Record file names that exist but are not files (already reported).
    pub unusable: Vec<&'static str>,
    /// The files of each split record folder (see [`SPLIT_RECORD_FILES`]),
    /// by the record file they stand for, sorted by name.
    pub record_parts: BTreeMap<&'static str, Vec<FoundFile>>,
    /// `sections/*.md`, sorted by name.
    pub sections: Vec<FoundFile>,
    /// `themes/*.md`, sorted by name.
    pub themes: Vec<FoundFile>,
    /// Whether every narrative entry could be listed.
    pub narrative_complete: bool,
    /// `templates/**`, sorted; `relative` is the study-relative path.
    pub templates: Vec<FoundFile>,
    /// `static/**`, sorted; `relative` is the study-relative path.
    pub statics: Vec<FoundFile>,
}

/// Whether a name is ignored by rule: hidden, or an editor backup.
#[must_use]
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || [".bak", ".swp", ".swo", ".tmp"]
            .iter()
            .any(|suffix| name.to_ascii_lowercase().ends_with(suffix))
}

fn extension(name: &str) -> Option<String> {
    Path::new(name)
        .extension()
        .and_then(|extension| extension.to_str())
        .map(str::to_ascii_lowercase)
}

fn looks_like_data(name: &str) -> bool {
    matches!(extension(name).as_deref(), Some("yaml" | "yml" | "json"))
}

fn is_markdown(name: &str) -> bool {
    extension(name).as_deref() == Some("md")
}

pub const SYMLINK: Rule = Rule {
    id: "E003",
    name: "symlink",
    severity: Severity::Error,
    summary: "A symbolic link inside the study folder.",
    why: "A link can point outside the study folder (to a file that must not be published, or to a different version of the study than the one committed), and what it points to can change between `check` and `build`. findings reads only the files that are in the study folder, and never follows a link.",
};

/// Lists the study's files under `root`.
pub fn inventory(root: &Path, diagnostics: &mut Diagnostics) -> Inventory {
    let mut found = Inventory {
        narrative_complete: true,
        ..Inventory::default()
    };
    let mut walker = entries(root);
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let relative = error
                    .path()
                    .and_then(|path| path.strip_prefix(root).ok())
                    .map_or_else(String::new, relative_string);
                if in_narrative(&relative) {
                    found.narrative_complete = false;
                }
                // The location names the folder; the message says only why
                // (walkdir's own message repeats the path).
                let why = error.io_error().map_or_else(|| error.to_string(), ToString::to_string);
                diagnostics.push(
                    Diagnostic::new(Code::ReadFailed, format!("could not list this folder: {why}"))
                        .at(Location::file(&relative))
                        .help("check the folder's permissions"),
                );
                continue;
            }
        };
        let Ok(relative_path) = entry.path().strip_prefix(root) else {
            continue;
        };
        let relative = relative_string(relative_path);
        // An entry reported and not read leaves the narrative incomplete
        // when it is part of it, and a record file unusable (not missing).
        let skipped = |found: &mut Inventory| {
            if in_narrative(&relative) {
                found.narrative_complete = false;
            }
            if let Some(record) = RECORD_FILES.iter().find(|record| **record == relative) {
                found.unusable.push(record);
            }
        };
        let Some(name) = entry.file_name().to_str() else {
            skipped(&mut found);
            diagnostics.push(
                Diagnostic::new(Code::NotUtf8, "this file name is not valid UTF-8")
                    .at(Location::file(&relative))
                    .help(
                        "rename it using UTF-8 characters; findings makes output names from ids, never from file names",
                    ),
            );
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        };
        if entry.path_is_symlink() {
            skipped(&mut found);
            diagnostics.push(
                Diagnostic::new(Code::Symlink, "symbolic links are not followed in a study folder")
                    .at(Location::file(&relative))
                    .help("replace the link with the file itself"),
            );
            continue;
        }
        let top_level = entry.depth() == 1;
        if top_level && entry.file_type().is_dir() && [TEMPLATES_DIR, STATIC_DIR].contains(&name) {
            continue;
        }
        if let Some(list) = site_list(&mut found, &relative)
            && !top_level
        {
            if entry.file_type().is_dir() {
                continue;
            }
            // Only regular files are opened: a pipe, socket or device is
            // reported here, never read.
            if !entry.file_type().is_file() {
                not_a_file(&relative, entry.file_type(), diagnostics);
            } else if publishable(&relative, diagnostics) {
                if relative.starts_with("static/") {
                    crate::privacy::check_static_file(&relative, diagnostics);
                }
                list.push(FoundFile {
                    relative,
                    path: entry.path().to_path_buf(),
                });
            }
            continue;
        }
        if top_level {
            classify_top_level(&entry, name, &relative, &mut found, diagnostics, &mut walker);
            continue;
        }
        if entry.file_type().is_dir() {
            continue;
        }
        let parent = relative_path.parent().map(relative_string).unwrap_or_default();
        if let Some(record) = split_record_of(&parent)
            && name.ends_with(".yaml")
        {
            if entry.file_type().is_file() {
                found.record_parts.entry(record).or_default().push(FoundFile {
                    relative,
                    path: entry.path().to_path_buf(),
                });
            } else {
                not_a_file(&relative, entry.file_type(), diagnostics);
                found.unusable.push(record);
            }
            continue;
        }
        let narrative = match parent.as_str() {
            SECTIONS_DIR => Some(&mut found.sections),
            THEMES_DIR => Some(&mut found.themes),
            _ => None,
        };
        match narrative {
            Some(list) if is_markdown(name) => {
                if entry.file_type().is_file() {
                    list.push(FoundFile {
                        relative,
                        path: entry.path().to_path_buf(),
                    });
                } else {
                    found.narrative_complete = false;
                    not_a_file(&relative, entry.file_type(), diagnostics);
                }
            }
            _ if looks_like_data(name) || is_markdown(name) => {
                diagnostics.push(unknown_file(&relative, name, &parent));
            }
            _ => {}
        }
    }
    found
}

/// The list of site files (templates or static files) a study-relative
/// path inside `templates/` or `static/` belongs to.
fn site_list<'a>(found: &'a mut Inventory, relative: &str) -> Option<&'a mut Vec<FoundFile>> {
    match relative.split('/').next() {
        Some(TEMPLATES_DIR) => Some(&mut found.templates),
        Some(STATIC_DIR) => Some(&mut found.statics),
        _ => None,
    }
}

/// Whether a file of `templates/` or `static/` has a name that can be
/// published (its output path is its name); reports it otherwise.
fn publishable(relative: &str, diagnostics: &mut Diagnostics) -> bool {
    let inside = relative.split_once('/').map_or("", |(_, inside)| inside);
    if inside.split('/').any(is_windows_device_name) {
        diagnostics.push(
            Diagnostic::new(
                Code::ReservedDeviceName,
                "this file name is one Windows reserves for a device, so the site could not be copied there",
            )
            .at(Location::file(relative))
            .help("rename the file (CON, PRN, AUX, NUL, COM1-9 and LPT1-9 are reserved, in any case and with any extension)"),
        );
        return false;
    }
    if !inside.split('/').all(is_safe_name) {
        diagnostics.push(
            Diagnostic::new(Code::UnsafeFileName, "this file name cannot be published safely")
                .at(Location::file(relative))
                .help("use names made of letters, digits, `.`, `-` and `_`"),
        );
        return false;
    }
    true
}

pub const UNSAFE_FILE_NAME: Rule = Rule {
    id: "E504",
    name: "unsafe-file-name",
    severity: Severity::Error,
    summary: "A file of the study's `static/` or `templates/` folder whose name is not made of letters, digits, `.`, `-` and `_`, so it cannot be published safely.",
    why: "Files of `static/` are published under their own names, which become URLs. Spaces, accents and punctuation are encoded differently by different hosts and tools, and some characters are not allowed on some systems, so a name made of letters, digits, `.`, `-` and `_` is the one that works everywhere.",
};

/// The names, sizes and modification times of every entry the walker
/// lists under `root` (the ignore rule applies), in sorted order: what
/// `serve` compares to tell an edit from a read.
#[must_use]
pub fn fingerprint(root: &Path) -> Vec<(PathBuf, u64, Option<std::time::SystemTime>)> {
    entries(root)
        .filter_map(Result::ok)
        .map(|entry| {
            let metadata = entry.metadata().ok();
            (
                entry.path().to_path_buf(),
                metadata.as_ref().map_or(0, std::fs::Metadata::len),
                metadata.and_then(|metadata| metadata.modified().ok()),
            )
        })
        .collect()
}

/// The one walk of a study folder: sorted, never following a link, and
/// leaving out what the ignore rule ignores ([`is_ignored_name`]).
fn entries(root: &Path) -> walkdir::FilterEntry<walkdir::IntoIter, fn(&DirEntry) -> bool> {
    fn kept(entry: &DirEntry) -> bool {
        !entry.file_name().to_str().is_some_and(is_ignored_name)
    }
    WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .min_depth(1)
        .into_iter()
        .filter_entry(kept as fn(&DirEntry) -> bool)
}

/// The record file a folder of the study stands for, if it is a split
/// record folder (`quotes` for `quotes.yaml`).
fn split_record_of(folder: &str) -> Option<&'static str> {
    SPLIT_RECORD_FILES
        .iter()
        .find(|(_, split)| *split == folder)
        .map(|(record, _)| *record)
}

/// Whether a study-relative path is a narrative folder or inside one.
fn in_narrative(relative: &str) -> bool {
    let first = relative.split('/').next().unwrap_or_default();
    first == SECTIONS_DIR || first == THEMES_DIR
}

fn classify_top_level(
    entry: &DirEntry,
    name: &str,
    relative: &str,
    found: &mut Inventory,
    diagnostics: &mut Diagnostics,
    walker: &mut walkdir::FilterEntry<walkdir::IntoIter, impl FnMut(&DirEntry) -> bool>,
) {
    if let Some(record) = RECORD_FILES
        .iter()
        .chain(OPTIONAL_RECORD_FILES)
        .find(|record| **record == name)
    {
        if entry.file_type().is_file() {
            found.records.insert(
                record,
                FoundFile {
                    relative: relative.to_owned(),
                    path: entry.path().to_path_buf(),
                },
            );
        } else {
            not_a_file(relative, entry.file_type(), diagnostics);
            found.unusable.push(record);
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
        }
        return;
    }
    if entry.file_type().is_dir() {
        // Other folders are walked only to report data-like files in them.
        return;
    }
    if (name == SECTIONS_DIR || name == THEMES_DIR) && !entry.file_type().is_dir() {
        found.narrative_complete = false;
        diagnostics.push(
            Diagnostic::new(Code::NotAFile, format!("`{name}` must be a folder of Markdown files"))
                .at(Location::file(relative))
                .help(format!("make `{name}` a folder and put the .md files in it")),
        );
        return;
    }
    if looks_like_data(name) {
        diagnostics.push(unknown_file(relative, name, ""));
    }
}

fn not_a_file(relative: &str, file_type: std::fs::FileType, diagnostics: &mut Diagnostics) {
    diagnostics.push(ReadProblem::NotRegular(kind_of(&file_type)).diagnostic(relative, ""));
}

pub const UNKNOWN_FILE: Rule = Rule {
    id: "E007",
    name: "unknown-file",
    severity: Severity::Error,
    summary: "A file that looks like study data but is not one findings reads.",
    why: "A YAML or JSON file that findings does not read is most often a record file with a misspelt name (`participant.yaml`) whose records would silently be missing from the site, so it is reported, with the closest name findings reads. Editor backups and hidden files are ignored. Records kept both in their file and in its folder (`quotes.yaml` and `quotes/`, `participants.yaml` and `participants/`) are reported too, and neither is read: which one holds the study's records is not for findings to guess.",
};

fn unknown_file(relative: &str, name: &str, parent: &str) -> Diagnostic {
    let diagnostic =
        Diagnostic::new(Code::UnknownFile, "findings does not read this file").at(Location::file(relative));
    if parent.is_empty() && looks_like_data(name) {
        let stem = |file: &'static str| file.split('.').next().unwrap_or(file);
        let wanted = name.split('.').next().unwrap_or(name);
        let known = || RECORD_FILES.iter().chain(OPTIONAL_RECORD_FILES);
        let best =
            did_you_mean(wanted, known().copied().map(stem)).and_then(|best| known().find(|file| stem(file) == best));
        if let Some(best) = best {
            return diagnostic.help(format!(
                "did you mean `{best}`? Rename the file, or move it out of the study folder"
            ));
        }
        return diagnostic.help(format!(
            "a study's data files are {}; move other files out of the study folder",
            RECORD_FILES.join(", ")
        ));
    }
    if split_record_of(parent).is_some() {
        return diagnostic.help(format!(
            "findings reads only the `*.yaml` files of `{parent}/`; rename or move this one"
        ));
    }
    if is_markdown(name) {
        return diagnostic.help("narrative Markdown belongs directly in `sections/` or `themes/`");
    }
    diagnostic.help("data files belong at the top of the study folder; move or remove this one")
}

/// A path relative to the study, with `/` separators, for messages.
#[must_use]
pub fn relative_string(path: &Path) -> String {
    path.components()
        .map(|component| component.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_hidden_and_backup_names_only() {
        for name in [".git", ".DS_Store", "quotes.yaml~", "x.bak", "x.SWP", "#quotes.yaml#"] {
            assert!(is_ignored_name(name), "{name}");
        }
        for name in ["quotes.yaml", "01-intro.md", "#", "a#b"] {
            assert!(!is_ignored_name(name), "{name}");
        }
    }

    #[test]
    fn recognises_data_like_files_in_any_case() {
        assert!(looks_like_data("x.YAML"));
        assert!(looks_like_data("x.yml"));
        assert!(looks_like_data("x.Json"));
        assert!(!looks_like_data("x.md"));
    }
}
