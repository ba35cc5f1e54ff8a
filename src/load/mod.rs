//! Stage 1, load: study folder -> [`RawStudy`] + [`Sources`].
//!
//! Lists the study's files, reads each one (size, encoding and I/O problems
//! become diagnostics), parses YAML records and Markdown narrative into raw
//! structs that keep source positions, and keeps every text for snippets.
//! Nothing is cross-checked here; a file with errors is left out of the
//! result so later checks do not repeat its problems.

pub mod markdown;
pub mod raw;
pub mod read;
pub(crate) mod walk;
pub(crate) mod yaml;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location, Rule, Severity};
use crate::source::{Sources, normalise_text, position_of};

pub use raw::RawStudy;
pub use walk::{
    OPTIONAL_RECORD_FILES, RECORD_FILES, SPLIT_RECORD_FILES, fingerprint, is_ignored_name, relative_string,
};

/// Problems that stop the loader before it can read any study file.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The study folder does not exist or cannot be opened.
    #[error("cannot open the study folder {path}: {source}")]
    StudyFolder {
        /// The folder given.
        path: PathBuf,
        /// Why it could not be opened.
        source: std::io::Error,
    },
    /// The study path is not a folder.
    #[error("{path} is not a folder; give the folder that holds study.yaml")]
    NotAFolder {
        /// The path given.
        path: PathBuf,
    },
}

pub const MISSING_FILE: Rule = Rule {
    id: "E002",
    name: "missing-file",
    severity: Severity::Error,
    summary: "A file the study needs does not exist.",
    why: "A study is made of its record files: `study.yaml`, `typology.yaml`, `roles.yaml`, `services.yaml`, `participants.yaml`, `quotes.yaml` and `references.yaml` (`charts.yaml` is optional). Without one, the records that point into it cannot be resolved and no site can be built, so its absence is said once, here, rather than as many unknown ids.",
};

/// Reads the study in `root`. Problems with its files go to `diagnostics`.
///
/// # Errors
/// [`LoadError`] when `root` is not a readable folder.
pub fn load(root: &Path, diagnostics: &mut Diagnostics) -> Result<(RawStudy, Sources), LoadError> {
    let metadata = fs_err::metadata(root).map_err(|source| LoadError::StudyFolder {
        path: root.to_path_buf(),
        source,
    })?;
    if !metadata.is_dir() {
        return Err(LoadError::NotAFolder {
            path: root.to_path_buf(),
        });
    }
    let inventory = walk::inventory(root, diagnostics);
    let mut sources = Sources::default();
    let mut study = RawStudy {
        narrative_complete: inventory.narrative_complete,
        ..RawStudy::default()
    };
    for name in RECORD_FILES {
        if !inventory.records.contains_key(name)
            && !inventory.record_parts.contains_key(name)
            && !inventory.unusable.contains(name)
        {
            diagnostics.push(
                Diagnostic::new(Code::MissingFile, format!("the study has no `{name}`"))
                    .at(Location::file(name))
                    .help(format!("create `{name}` in the study folder (see docs/data-format.md)")),
            );
        }
    }
    let mut reader = Reader {
        sources: &mut sources,
        diagnostics,
    };
    study.study = reader.study(&inventory);
    study.typology = reader.record(&inventory, "typology.yaml");
    study.roles = reader.record(&inventory, "roles.yaml");
    study.services = reader.record(&inventory, "services.yaml");
    study.participants = reader.participants(&inventory);
    study.quotes = reader.quotes(&inventory);
    study.references = reader.record(&inventory, "references.yaml");
    study.charts = reader.record(&inventory, "charts.yaml");
    let sections = reader.documents(&inventory.sections, &mut study.sections);
    let themes = reader.documents(&inventory.themes, &mut study.themes);
    study.narrative_complete &= sections && themes;
    study.site = reader.site(&inventory);
    Ok((study, sources))
}

/// Reads again the Markdown files `edited` (study-relative paths of
/// sections and themes `previous` holds), keeping every other file as
/// `previous` and `sources` have it: what `serve` does after an edit to
/// the narrative alone. Problems with the edited files go to `diagnostics`.
/// Gives `None` when an edited file is not one of `previous`'s documents or
/// can no longer be read, for the caller to load the whole study instead.
#[must_use]
pub fn reload(
    root: &Path,
    mut previous: RawStudy,
    mut sources: Sources,
    edited: &[String],
    diagnostics: &mut Diagnostics,
) -> Option<(RawStudy, Sources)> {
    let mut read = Sources::default();
    for relative in edited {
        let mut reader = Reader {
            sources: &mut read,
            diagnostics,
        };
        let document = reader.document(relative, &root.join(relative))?;
        let slot = previous
            .sections
            .iter_mut()
            .chain(previous.themes.iter_mut())
            .find(|known| &known.file == relative)?;
        *slot = document;
        sources.replace(relative, &read.get(relative)?.text);
    }
    Some((previous, sources))
}

/// What to do with a file of `templates/` or `static/` that is too large.
const PUBLISH_ADVICE: &str = "publish large files elsewhere and link to them";

pub const NOT_UTF8: Rule = Rule {
    id: "E004",
    name: "not-utf8",
    severity: Severity::Error,
    summary: "A study file is not valid UTF-8 text.",
    why: "Study files are text, and findings reads them as UTF-8, the encoding every editor can save. A file in another encoding (Latin-1, UTF-16) would turn accented names and quotes into wrong characters, so it is refused at the first byte that is not UTF-8; a file name that is not UTF-8 is refused too.",
};

/// Appends the quotes of the file at `index` of `all.files`, noting where
/// their texts are plain scalars, and placing an empty text at its key.
fn add_quotes(all: &mut raw::RawQuotesFile, index: usize, mut quotes: Vec<raw::RawQuote>, styles: &yaml::ScalarStyles) {
    for quote in &mut quotes {
        quote.file = index;
        let texts = quote
            .text
            .iter_mut()
            .chain(quote.turns.iter_mut().flatten().map(raw::RawTurn::text_mut));
        for text in texts {
            if styles.is_plain(text.at) {
                all.plain_texts.insert((index, text.at));
            }
            if text.value.trim().is_empty()
                && let Some(key) = styles.key_of(text.at)
            {
                text.at = key;
            }
        }
    }
    all.quotes.append(&mut quotes);
}

/// One file read and parsed on its own, on any thread: its text (and key
/// paths), its problems, and its value. A [`Reader`] takes them in the
/// files' order, so that the result does not depend on which thread
/// finished first.
struct ReadAlone<T> {
    sources: Sources,
    diagnostics: Diagnostics,
    value: Option<T>,
}

impl<T: Send> ReadAlone<T> {
    /// Runs `read` with a reader of its own.
    fn run(read: impl FnOnce(&mut Reader<'_>) -> Option<T>) -> Self {
        let mut sources = Sources::default();
        let mut diagnostics = Diagnostics::new();
        let value = read(&mut Reader {
            sources: &mut sources,
            diagnostics: &mut diagnostics,
        });
        Self {
            sources,
            diagnostics,
            value,
        }
    }
}

/// A YAML file of records, and how its scalars are written.
type Parsed<T> = ReadAlone<(T, yaml::ScalarStyles)>;

impl<T: DeserializeOwned + Send> Parsed<T> {
    fn read(found: &walk::FoundFile) -> Self {
        Self::run(|reader| reader.parse(found))
    }

    /// The files of a split record, parsed in parallel, in their order.
    fn read_all(files: &[walk::FoundFile]) -> Vec<Self> {
        files.par_iter().map(Self::read).collect()
    }
}

struct Reader<'a> {
    sources: &'a mut Sources,
    diagnostics: &'a mut Diagnostics,
}

impl Reader<'_> {
    /// Takes a file parsed on its own into this reader's sources and
    /// diagnostics.
    fn take<T>(&mut self, file: ReadAlone<T>) -> Option<T> {
        self.sources.append(file.sources);
        self.diagnostics.append(file.diagnostics);
        file.value
    }

    /// Sections or themes, read in parallel, in their order; `false` when
    /// one of them could not be read.
    fn documents(&mut self, found: &[walk::FoundFile], documents: &mut Vec<raw::RawDocument>) -> bool {
        let read: Vec<ReadAlone<raw::RawDocument>> = found
            .par_iter()
            .map(|found| ReadAlone::run(|reader| reader.document(&found.relative, &found.path)))
            .collect();
        let mut complete = true;
        for document in read {
            match self.take(document) {
                Some(document) => documents.push(document),
                None => complete = false,
            }
        }
        complete
    }

    fn record<T: DeserializeOwned>(&mut self, inventory: &walk::Inventory, name: &str) -> Option<T> {
        self.record_with_styles(inventory, name).map(|(value, _)| value)
    }

    fn record_with_styles<T: DeserializeOwned>(
        &mut self,
        inventory: &walk::Inventory,
        name: &str,
    ) -> Option<(T, yaml::ScalarStyles)> {
        let found = inventory.records.get(name)?;
        self.parse(found)
    }

    /// Parses one YAML file, keeping its key paths.
    fn parse<T: DeserializeOwned>(&mut self, found: &walk::FoundFile) -> Option<(T, yaml::ScalarStyles)> {
        let text = self.text(&found.relative, &found.path)?;
        let (parsed, key_paths) = yaml::parse_with_key_paths::<T>(&found.relative, &text, self.diagnostics);
        self.sources.add_key_paths(&found.relative, key_paths);
        parsed
    }

    /// `study.yaml`. A quoted attribution format's position moves past its
    /// opening quote, so that a field's position (its offset in the format
    /// added to the format's position) is that of its `{`.
    fn study(&mut self, inventory: &walk::Inventory) -> Option<raw::RawStudyFile> {
        let (mut study, styles) = self.record_with_styles::<raw::RawStudyFile>(inventory, "study.yaml")?;
        if styles.is_quoted(study.attribution.at) {
            study.attribution.at.column += 1;
        }
        Some(study)
    }

    /// The files a split record is read from: its one file, or the
    /// `*.yaml` files of its folder in order of name. Both at once is
    /// reported, and neither is read.
    fn record_files(&mut self, inventory: &walk::Inventory, name: &'static str) -> Option<Vec<walk::FoundFile>> {
        match (inventory.records.get(name), inventory.record_parts.get(name)) {
            (Some(single), Some(parts)) => {
                let folder = parts
                    .first()
                    .and_then(|part| part.relative.split('/').next())
                    .unwrap_or(name);
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::UnknownFile,
                        format!("both `{name}` and the folder `{folder}/` hold records, so neither is read"),
                    )
                    .at(Location::file(&single.relative))
                    .help(format!(
                        "keep the records in one place: in `{name}`, or split over the `*.yaml` files of `{folder}/` (read in order of file name)"
                    )),
                );
                None
            }
            (Some(single), None) => Some(vec![single.clone()]),
            (None, Some(parts)) => Some(parts.clone()),
            (None, None) => None,
        }
    }

    /// `participants.yaml`, or the files of `participants/`: the first
    /// holds the sample table, every file a list of participants.
    fn participants(&mut self, inventory: &walk::Inventory) -> Option<raw::RawParticipantsFile> {
        let files = self.record_files(inventory, "participants.yaml")?;
        let (first, rest) = files.split_first()?;
        let (first, rest) = rayon::join(
            || Parsed::<raw::RawParticipantsFile>::read(first),
            || Parsed::<raw::RawParticipantsPart>::read_all(rest),
        );
        let mut participants = self.take(first).map(|(participants, _)| participants);
        let mut complete = participants.is_some();
        for (index, parsed) in rest.into_iter().enumerate() {
            match (self.take(parsed), &mut participants) {
                (Some((part, _)), Some(participants)) => {
                    let part = part.participants.into_iter().map(|participant| raw::RawParticipant {
                        file: index + 1,
                        ..participant
                    });
                    participants.participants.extend(part);
                }
                (Some(_), None) => {}
                (None, _) => complete = false,
            }
        }
        let mut participants = participants.filter(|_| complete)?;
        participants.files = files.into_iter().map(|found| found.relative).collect();
        Some(participants)
    }

    /// `quotes.yaml` or the files of `quotes/`, with where quote texts are
    /// written as plain scalars (which `validate` refuses, E109). An empty
    /// or null text is placed at its key (`text:`), where the author wrote
    /// it.
    fn quotes(&mut self, inventory: &walk::Inventory) -> Option<raw::RawQuotesFile> {
        let files = self.record_files(inventory, "quotes.yaml")?;
        let mut all = raw::RawQuotesFile::default();
        let mut complete = true;
        let parsed = Parsed::<raw::RawQuotesFile>::read_all(&files);
        for (index, (found, parsed)) in files.iter().zip(parsed).enumerate() {
            match self.take(parsed) {
                Some((part, styles)) => add_quotes(&mut all, index, part.quotes, &styles),
                None => complete = false,
            }
            all.files.push(found.relative.clone());
        }
        complete.then_some(all)
    }

    /// `templates/` and `static/`: templates as text (they must end in
    /// `.html` or `.xml`, so that Tera escapes what they print), every other
    /// file as bytes.
    fn site(&mut self, inventory: &walk::Inventory) -> raw::RawSite {
        let mut site = raw::RawSite::default();
        for found in &inventory.templates {
            let name = found.relative.strip_prefix("templates/").unwrap_or(&found.relative);
            if name.starts_with("assets/") {
                if let Some(bytes) = self.bytes(&found.relative, &found.path, PUBLISH_ADVICE) {
                    site.assets.push((name.to_owned(), bytes));
                }
            } else if !(name.ends_with(".html") || name.ends_with(".xml")) {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::TemplateError,
                        "templates must end in `.html` or `.xml`, so that they are escaped",
                    )
                    .at(Location::file(&found.relative))
                    .help("rename the template, or move a file that is not a template to `static/`"),
                );
            } else if let Some(text) = self.text(&found.relative, &found.path) {
                site.templates.push((name.to_owned(), text));
            }
        }
        for found in &inventory.statics {
            let name = found.relative.strip_prefix("static/").unwrap_or(&found.relative);
            if let Some(bytes) = self.bytes(&found.relative, &found.path, PUBLISH_ADVICE) {
                site.statics.push((name.to_owned(), bytes));
            }
        }
        site
    }

    /// Reads a file as it is, reporting why it could not be.
    fn bytes(&mut self, relative: &str, path: &Path, advice: &str) -> Option<Vec<u8>> {
        read::read_bounded(path)
            .map_err(|problem| self.diagnostics.push(problem.diagnostic(relative, advice)))
            .ok()
    }

    fn document(&mut self, relative: &str, path: &Path) -> Option<raw::RawDocument> {
        let text = self.text(relative, path)?;
        markdown::read_document(relative, &text, self.diagnostics)
    }

    /// Reads a file's text, refusing what is not a regular file, large
    /// files and non-UTF-8 files.
    fn text(&mut self, relative: &str, path: &Path) -> Option<String> {
        let advice = if relative.starts_with("templates/") {
            PUBLISH_ADVICE.to_owned()
        } else {
            walk::too_large_advice(relative)
        };
        let bytes = self.bytes(relative, path, &advice)?;
        match String::from_utf8(bytes) {
            Ok(raw) => {
                let text = normalise_text(&raw);
                self.sources.add(relative, &text);
                Some(text)
            }
            Err(error) => {
                let valid = error.utf8_error().valid_up_to();
                let prefix = String::from_utf8_lossy(&error.as_bytes()[..valid]).into_owned();
                let at = position_of(&normalise_text(&prefix), usize::MAX);
                self.diagnostics.push(
                    Diagnostic::new(Code::NotUtf8, "the file is not valid UTF-8 text")
                        .at(Location::at(relative, at))
                        .help("save the file as UTF-8 in your editor"),
                );
                None
            }
        }
    }
}
