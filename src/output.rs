//! Stage 4, write: the only module that writes the output folder.
//!
//! Input: a complete in-memory [`Site`] and the output folder. Output: the
//! folder holds exactly the site. The site is written to a staging folder
//! beside the output folder and swapped in only when complete, so a failed
//! build leaves the previous site untouched. The output folder must be one
//! that findings created (it holds a marker file) or empty; nothing outside
//! it is written or deleted, and no symbolic link is followed.

use std::io;
use std::path::{Component, Path, PathBuf};

use crate::render::Site;

/// The file that marks a folder as written by findings.
pub const MARKER: &str = ".findings-site";

/// Why the site could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The output folder holds files findings did not write.
    #[error(
        "{path} is not empty and was not written by findings; refusing to replace it (choose another folder with -o, empty it yourself, or pass --force to replace it)"
    )]
    NotOurs {
        /// The output folder.
        path: PathBuf,
    },
    /// The output path is a symbolic link or not a folder.
    #[error("{path} is a symbolic link or not a folder; refusing to write there")]
    NotAFolder {
        /// The output path.
        path: PathBuf,
    },
    /// The output path has no parent folder to stage in.
    #[error("{path} cannot be used as the output folder (it has no parent folder)")]
    NoParent {
        /// The output path.
        path: PathBuf,
    },
    /// A path in the site is not a plain relative path (a bug: ids are checked).
    #[error("refusing to write {path}: it is not a plain relative path")]
    UnsafePath {
        /// The path.
        path: String,
    },
    /// A file system operation failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Writes `site` to `out`. With `force`, an output folder that findings did
/// not write is replaced too (it is moved aside first, then deleted only
/// after the new site is in place).
///
/// # Errors
/// [`OutputError`] when the folder may not be replaced or writing fails; the
/// previous contents of `out` are then untouched.
pub fn write_site(site: &Site, out: &Path, force: bool) -> Result<(), OutputError> {
    for path in site.files.keys() {
        if !is_plain_relative(path) {
            return Err(OutputError::UnsafePath { path: path.clone() });
        }
    }
    let existing = match fs_err::symlink_metadata(out) {
        Ok(metadata) => Some(metadata),
        Err(error) if error.kind() == io::ErrorKind::NotFound => None,
        Err(error) => return Err(error.into()),
    };
    if let Some(metadata) = &existing {
        if metadata.file_type().is_symlink() || !metadata.is_dir() {
            return Err(OutputError::NotAFolder {
                path: out.to_path_buf(),
            });
        }
        let ours = out.join(MARKER).is_file();
        let empty = fs_err::read_dir(out)?.next().is_none();
        if !ours && !empty && !force {
            return Err(OutputError::NotOurs {
                path: out.to_path_buf(),
            });
        }
    }
    let name = out
        .file_name()
        .ok_or_else(|| OutputError::NoParent {
            path: out.to_path_buf(),
        })?
        .to_string_lossy()
        .into_owned();
    let parent = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs_err::create_dir_all(&parent)?;
    let staging = parent.join(format!(".{name}.findings-staging-{}", std::process::id()));
    let retired = parent.join(format!(".{name}.findings-previous-{}", std::process::id()));
    remove_if_ours(&staging)?;
    let result = stage(site, &staging).and_then(|()| swap(out, &staging, &retired, existing.is_some()));
    if result.is_err() {
        let _ = fs_err::remove_dir_all(&staging);
    }
    result
}

fn stage(site: &Site, staging: &Path) -> Result<(), OutputError> {
    fs_err::create_dir(staging)?;
    for (path, bytes) in &site.files {
        let target = staging.join(path);
        if let Some(folder) = target.parent() {
            fs_err::create_dir_all(folder)?;
        }
        fs_err::write(&target, bytes)?;
    }
    fs_err::write(
        staging.join(MARKER),
        "This folder was written by findings; `findings build` replaces it.\n",
    )?;
    Ok(())
}

fn swap(out: &Path, staging: &Path, retired: &Path, existed: bool) -> Result<(), OutputError> {
    if existed {
        remove_if_ours(retired)?;
        fs_err::rename(out, retired)?;
        if let Err(error) = fs_err::rename(staging, out) {
            // Put the previous site back before reporting.
            let _ = fs_err::rename(retired, out);
            return Err(error.into());
        }
        fs_err::remove_dir_all(retired)?;
    } else {
        fs_err::rename(staging, out)?;
    }
    Ok(())
}

/// Removes a leftover staging folder of an earlier interrupted run (only a
/// real folder, never through a link).
fn remove_if_ours(path: &Path) -> Result<(), OutputError> {
    match fs_err::symlink_metadata(path) {
        Ok(metadata) if metadata.is_dir() => Ok(fs_err::remove_dir_all(path)?),
        Ok(_) => Ok(fs_err::remove_file(path)?),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(error.into()),
    }
}

/// Whether `path` is relative and made of normal components only.
fn is_plain_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && Path::new(path)
            .components()
            .all(|component| matches!(component, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> Site {
        Site {
            files: files
                .iter()
                .map(|(path, text)| ((*path).to_owned(), text.as_bytes().to_vec()))
                .collect(),
        }
    }

    #[test]
    fn writes_replaces_and_refuses() {
        let temp = tempfile::tempdir().unwrap();
        let out = temp.path().join("public");
        write_site(&site(&[("index.html", "one"), ("a/b.html", "b")]), &out, false).unwrap();
        assert_eq!(fs_err::read_to_string(out.join("a/b.html")).unwrap(), "b");
        write_site(&site(&[("index.html", "two")]), &out, false).unwrap();
        assert_eq!(fs_err::read_to_string(out.join("index.html")).unwrap(), "two");
        assert!(!out.join("a").exists(), "files of the previous site are gone");

        let foreign = temp.path().join("mine");
        fs_err::create_dir(&foreign).unwrap();
        fs_err::write(foreign.join("notes.txt"), "keep").unwrap();
        assert!(matches!(
            write_site(&site(&[("index.html", "x")]), &foreign, false),
            Err(OutputError::NotOurs { .. })
        ));
        assert_eq!(fs_err::read_to_string(foreign.join("notes.txt")).unwrap(), "keep");
        write_site(&site(&[("index.html", "x")]), &foreign, true).unwrap();
        assert!(!foreign.join("notes.txt").exists());
        let leftovers: Vec<_> = fs_err::read_dir(temp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 2, "no staging folder is left behind");
    }

    #[test]
    fn refuses_paths_that_leave_the_folder() {
        for bad in ["../x.html", "/etc/x", "a/../../x", "a\\b", ""] {
            assert!(!is_plain_relative(bad), "{bad}");
        }
        let temp = tempfile::tempdir().unwrap();
        let result = write_site(&site(&[("../escape.html", "x")]), &temp.path().join("out"), false);
        assert!(matches!(result, Err(OutputError::UnsafePath { .. })));
        assert!(!temp.path().join("escape.html").exists());
    }

    #[cfg(unix)]
    #[test]
    fn never_writes_through_a_link() {
        let temp = tempfile::tempdir().unwrap();
        let target = temp.path().join("elsewhere");
        fs_err::create_dir(&target).unwrap();
        let link = temp.path().join("public");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(matches!(
            write_site(&site(&[("index.html", "x")]), &link, true),
            Err(OutputError::NotAFolder { .. })
        ));
        assert!(fs_err::read_dir(&target).unwrap().next().is_none());
    }
}
