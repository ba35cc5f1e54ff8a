//! `findings new`: a small but complete study to start from; and the safe
//! writer of a new folder it shares with `findings templates export`.
//!
//! Input: a folder that does not exist or is empty. Output: the folder holds
//! the example study of `templates/new-study/` (embedded in the binary),
//! which passes `check` without a warning and builds (or, for the export,
//! the files given). Never overwrites or deletes anything: a non-empty
//! folder is refused, and every file is created new.

use std::io;
use std::path::{Path, PathBuf};

/// The files of the new study, by path relative to its folder.
pub const NEW_STUDY: &[(&str, &str)] = &[
    ("README.md", include_str!("../templates/new-study/README.md")),
    ("study.yaml", include_str!("../templates/new-study/study.yaml")),
    ("typology.yaml", include_str!("../templates/new-study/typology.yaml")),
    ("roles.yaml", include_str!("../templates/new-study/roles.yaml")),
    ("services.yaml", include_str!("../templates/new-study/services.yaml")),
    (
        "participants.yaml",
        include_str!("../templates/new-study/participants.yaml"),
    ),
    ("quotes.yaml", include_str!("../templates/new-study/quotes.yaml")),
    (
        "references.yaml",
        include_str!("../templates/new-study/references.yaml"),
    ),
    ("charts.yaml", include_str!("../templates/new-study/charts.yaml")),
    (
        "sections/01-methods.md",
        include_str!("../templates/new-study/sections/01-methods.md"),
    ),
    (
        "sections/02-results.md",
        include_str!("../templates/new-study/sections/02-results.md"),
    ),
    (
        "themes/01-working-lives.md",
        include_str!("../templates/new-study/themes/01-working-lives.md"),
    ),
];

/// Why the study could not be created.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// The folder exists and is not empty.
    #[error("{path} already exists and is not empty; choose a new folder name")]
    NotEmpty {
        /// The folder.
        path: PathBuf,
    },
    /// The path exists and is not a folder.
    #[error("{path} exists and is not a folder; choose a new folder name")]
    NotAFolder {
        /// The path.
        path: PathBuf,
    },
    /// A file system operation failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Writes the new study into `folder`.
///
/// # Errors
/// [`ScaffoldError`] when `folder` is not empty or writing fails.
pub fn new_study(folder: &Path) -> Result<(), ScaffoldError> {
    let files: Vec<(&str, &[u8])> = NEW_STUDY
        .iter()
        .map(|(relative, text)| (*relative, text.as_bytes()))
        .collect();
    write_new_folder(folder, &files)
}

/// Writes `files` (by `/`-separated path relative to `folder`) into
/// `folder`, which must not exist or be empty; creates it if missing.
///
/// # Errors
/// [`ScaffoldError`] when `folder` is not an empty folder, or writing fails
/// (a file that appeared meanwhile is never replaced).
pub fn write_new_folder(folder: &Path, files: &[(&str, &[u8])]) -> Result<(), ScaffoldError> {
    match fs_err::symlink_metadata(folder) {
        Ok(metadata) if !metadata.is_dir() => {
            return Err(ScaffoldError::NotAFolder {
                path: folder.to_path_buf(),
            });
        }
        Ok(_) => {
            if fs_err::read_dir(folder)?.next().is_some() {
                return Err(ScaffoldError::NotEmpty {
                    path: folder.to_path_buf(),
                });
            }
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => fs_err::create_dir_all(folder)?,
        Err(error) => return Err(error.into()),
    }
    for (relative, bytes) in files {
        let path = folder.join(relative);
        if let Some(parent) = path.parent() {
            fs_err::create_dir_all(parent)?;
        }
        // create_new: never replace a file, even one that appeared meanwhile.
        let mut file = fs_err::OpenOptions::new().write(true).create_new(true).open(&path)?;
        io::Write::write_all(&mut file, bytes)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_study_is_clean() {
        let temp = tempfile::tempdir().unwrap();
        let folder = temp.path().join("my-study");
        new_study(&folder).unwrap();
        let checked = crate::check_study(&folder).unwrap();
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
        assert!(checked.study.is_some());
    }

    /// The site keeps a quote's line breaks, so a paragraph wrapped in the
    /// file would show as ragged lines: each paragraph is one line.
    #[test]
    fn the_new_study_writes_each_quote_paragraph_on_one_line() {
        let temp = tempfile::tempdir().unwrap();
        let folder = temp.path().join("my-study");
        new_study(&folder).unwrap();
        let study = crate::check_study(&folder).unwrap().study.unwrap();
        let mut texts = Vec::new();
        for quote in &study.quotes {
            match &*quote.content {
                crate::model::QuoteContent::Text(text) => texts.push(text.as_str()),
                crate::model::QuoteContent::Turns(turns) => texts.extend(turns.iter().map(|turn| turn.text.as_str())),
            }
        }
        assert!(!texts.is_empty());
        for text in texts {
            let wrapped = text.trim_end().split("\n\n").any(|paragraph| paragraph.contains('\n'));
            assert!(!wrapped, "a quote paragraph is wrapped over several lines: {text:?}");
        }
    }

    #[test]
    fn refuses_a_folder_with_files() {
        let temp = tempfile::tempdir().unwrap();
        fs_err::write(temp.path().join("notes.txt"), "mine").unwrap();
        assert!(matches!(new_study(temp.path()), Err(ScaffoldError::NotEmpty { .. })));
        assert_eq!(fs_err::read_to_string(temp.path().join("notes.txt")).unwrap(), "mine");
    }
}

/// The files under the repository's `templates/FOLDER` (`""` for all),
/// by `/`-separated path relative to it, sorted: what must be embedded.
#[cfg(test)]
pub(crate) fn files_on_disk(folder: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates").join(folder);
    let mut on_disk: Vec<String> = walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| crate::load::relative_string(entry.path().strip_prefix(&root).unwrap_or(entry.path())))
        .collect();
    on_disk.sort();
    on_disk
}

#[cfg(test)]
mod completeness_tests {
    use super::{NEW_STUDY, files_on_disk};

    #[test]
    fn every_file_of_the_new_study_is_embedded() {
        let on_disk = files_on_disk("new-study");
        let mut embedded: Vec<String> = NEW_STUDY.iter().map(|(path, _)| (*path).to_owned()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }
}
