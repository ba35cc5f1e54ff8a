//! Which study a command works on when none is named, and where `build`
//! writes when no output folder is named.
//!
//! Input: the study folder given on the command line (if any) and the
//! current folder. Output: the study folder to read, or [`NotFound`] naming
//! where `findings` looked. The rule, in order: the folder given; the
//! nearest folder holding `study.yaml`, from the current folder up to a
//! repository root (a folder holding `.git`, `.hg` or `.svn`) or the file
//! system root; `data/` in the current folder, if it holds `study.yaml`.
//! The default output folder is `public/` in the current folder, unless the
//! current folder is the study folder or inside it: then it is
//! `<study>-site/` beside the study folder, so a build never writes into
//! the study. Nothing here writes.

use std::io;
use std::path::{Path, PathBuf};

use crate::output::repository_marker;

/// The file that marks a study folder.
pub const STUDY_FILE: &str = "study.yaml";

/// The study folder `findings` falls back to: the bundled study's.
const FALLBACK: &str = "data";

/// No study folder was given and none was found.
#[derive(Debug, thiserror::Error)]
pub enum NotFound {
    /// No folder on the way held `study.yaml`.
    #[error(
        "no study found: no study.yaml in {} {}, nor in {}; give the study folder (`findings check my-study`), run findings inside it, or start one with `findings new my-study`",
        .start.display(),
        looked_up(.start, .stop.as_deref()),
        Path::new(FALLBACK).join(STUDY_FILE).display()
    )]
    Nowhere {
        /// The current folder.
        start: PathBuf,
        /// The repository root the walk stopped at, if it stopped at one.
        stop: Option<PathBuf>,
    },
    /// The current folder, or a folder above it, could not be read.
    #[error("could not look for study.yaml in {}: {source}", .folder.display())]
    Unreadable {
        /// The folder.
        folder: PathBuf,
        /// What the file system said.
        source: io::Error,
    },
}

/// How far up the walk went, for [`NotFound::Nowhere`].
fn looked_up(start: &Path, stop: Option<&Path>) -> String {
    match stop {
        Some(stop) if stop == start => "(a repository root)".to_owned(),
        Some(stop) => format!("or any folder above it up to the repository root {}", stop.display()),
        None => "or any folder above it".to_owned(),
    }
}

/// The study folder to read: `given` if there is one, otherwise the one
/// found from `current_dir` by the rule of this module. A found folder is
/// written relative to `current_dir` (`.`, `..`, `../..` or `data`), so
/// diagnostics name short paths.
///
/// # Errors
/// [`NotFound`] when nothing was given and no study was found.
pub fn study_folder(given: Option<&Path>, current_dir: &Path) -> Result<PathBuf, NotFound> {
    if let Some(given) = given {
        return Ok(given.to_path_buf());
    }
    let mut stop = None;
    for (depth, folder) in current_dir.ancestors().enumerate() {
        if holds_study(folder)? {
            return Ok(upward(depth));
        }
        let marker = repository_marker(folder).map_err(|source| NotFound::Unreadable {
            folder: folder.to_path_buf(),
            source,
        })?;
        if marker.is_some() {
            stop = Some(folder.to_path_buf());
            break;
        }
    }
    if holds_study(&current_dir.join(FALLBACK))? {
        return Ok(PathBuf::from(FALLBACK));
    }
    Err(NotFound::Nowhere {
        start: current_dir.to_path_buf(),
        stop,
    })
}

/// Whether `folder` holds a `study.yaml` (a file or a link to one).
fn holds_study(folder: &Path) -> Result<bool, NotFound> {
    match std::fs::metadata(folder.join(STUDY_FILE)) {
        Ok(metadata) => Ok(metadata.is_file()),
        Err(error) if matches!(error.kind(), io::ErrorKind::NotFound | io::ErrorKind::NotADirectory) => Ok(false),
        Err(source) => Err(NotFound::Unreadable {
            folder: folder.to_path_buf(),
            source,
        }),
    }
}

/// `.` for depth 0, `..` for 1, `../..` for 2, ...
fn upward(depth: usize) -> PathBuf {
    if depth == 0 {
        return PathBuf::from(".");
    }
    std::iter::repeat_n("..", depth).collect()
}

/// The output folder of a build that was given none: `public` in the
/// current folder, or, when the current folder is `study_dir` or inside
/// it, `<study name>-site` beside the study folder (an absolute path).
/// A study folder with no name (a file system root) keeps `public`, which
/// the output rules then refuse.
///
/// # Errors
/// When the study folder or the current folder cannot be resolved.
pub fn default_output(study_dir: &Path, current_dir: &Path) -> io::Result<PathBuf> {
    let public = PathBuf::from("public");
    let study = std::fs::canonicalize(current_dir.join(study_dir))?;
    let current = std::fs::canonicalize(current_dir)?;
    if !current.starts_with(&study) {
        return Ok(public);
    }
    let (Some(parent), Some(name)) = (study.parent(), study.file_name()) else {
        return Ok(public);
    };
    let mut site = name.to_os_string();
    site.push("-site");
    Ok(parent.join(site))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A canonical temporary folder holding `repo/.git`, `repo/study/study.yaml`
    /// and `repo/study/themes/`.
    fn layout() -> (tempfile::TempDir, PathBuf) {
        let temp = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(temp.path()).unwrap();
        std::fs::create_dir_all(root.join("repo/.git")).unwrap();
        std::fs::create_dir_all(root.join("repo/study/themes")).unwrap();
        std::fs::write(root.join("repo/study/study.yaml"), "title: t\n").unwrap();
        (temp, root)
    }

    #[test]
    fn a_given_folder_wins_and_is_not_looked_into() {
        let (_temp, root) = layout();
        let found = study_folder(Some(Path::new("elsewhere")), &root.join("repo/study")).unwrap();
        assert_eq!(found, PathBuf::from("elsewhere"));
    }

    #[test]
    fn the_study_is_found_in_the_current_folder_and_above() {
        let (_temp, root) = layout();
        assert_eq!(
            study_folder(None, &root.join("repo/study")).unwrap(),
            PathBuf::from(".")
        );
        assert_eq!(
            study_folder(None, &root.join("repo/study/themes")).unwrap(),
            PathBuf::from("..")
        );
        std::fs::create_dir_all(root.join("repo/study/themes/deep")).unwrap();
        assert_eq!(
            study_folder(None, &root.join("repo/study/themes/deep")).unwrap(),
            PathBuf::from("../..")
        );
    }

    #[test]
    fn data_is_the_fallback_and_the_walk_stops_at_a_repository_root() {
        let (_temp, root) = layout();
        // A study above the repository is never picked up.
        std::fs::write(root.join("study.yaml"), "title: t\n").unwrap();
        std::fs::create_dir_all(root.join("repo/data")).unwrap();
        let missing = study_folder(None, &root.join("repo")).unwrap_err();
        let text = missing.to_string();
        assert!(text.contains("(a repository root)"), "{text}");
        assert!(text.contains("findings new my-study"), "{text}");
        std::fs::write(root.join("repo/data/study.yaml"), "title: t\n").unwrap();
        assert_eq!(study_folder(None, &root.join("repo")).unwrap(), PathBuf::from("data"));
    }

    #[test]
    fn the_walk_names_the_repository_root_it_stopped_at() {
        let (_temp, root) = layout();
        std::fs::create_dir_all(root.join("repo/src")).unwrap();
        let text = study_folder(None, &root.join("repo/src")).unwrap_err().to_string();
        let expected = format!(
            "no study.yaml in {} or any folder above it up to the repository root {}, nor in data/study.yaml",
            root.join("repo/src").display(),
            root.join("repo").display()
        );
        assert!(text.contains(&expected), "{text}");
    }

    #[test]
    fn a_build_from_inside_the_study_writes_beside_it() {
        let (_temp, root) = layout();
        let repo = root.join("repo");
        assert_eq!(
            default_output(Path::new("study"), &repo).unwrap(),
            PathBuf::from("public")
        );
        assert_eq!(
            default_output(Path::new("."), &repo.join("study")).unwrap(),
            repo.join("study-site")
        );
        assert_eq!(
            default_output(Path::new(".."), &repo.join("study/themes")).unwrap(),
            repo.join("study-site")
        );
    }
}
