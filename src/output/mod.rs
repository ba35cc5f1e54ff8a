//! Stage 4, write: the only module that writes the output folder.
//!
//! Input: the output folder, the folders to protect, and the site's files,
//! either as a complete in-memory [`Site`] ([`write_site`]) or one by one as
//! they are rendered, from any thread ([`begin`], [`Staging::write`],
//! [`Staging::finish`]), so that the whole site is never held in memory.
//! Output: the output folder holds exactly the site and a manifest of it
//! ([`MARKER`]). Guarantees:
//!
//! * a protected folder is never written (`place`: the study, a folder
//!   holding it or inside it, the current or home folder or one holding
//!   them, a file system root, a repository);
//! * an existing folder is replaced only when it is empty or everything in
//!   it is listed in its manifest (`manifest`), unless `--force`;
//! * the site is written to a staging folder beside the output folder and
//!   swapped in only when complete, so a failed build leaves the previous
//!   site untouched; one build at a time holds the output's lock, and it
//!   removes what killed builds left (`siblings`);
//! * nothing else outside the output folder is written or deleted, and no
//!   symbolic link is followed.

mod manifest;
mod place;
mod siblings;

use std::collections::BTreeSet;
use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

pub use manifest::MARKER;
pub use place::{Protected, Protection, real_path, repository_marker};

use crate::render::{Sink, Site};
use manifest::{Foreign, Manifest, Marker};
use place::Place;
use siblings::{Lock, LockError, Siblings};

/// How many of the files a user added a refusal names.
const NAMED_FOREIGN: usize = 8;

/// Why the site could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The output folder is one no site may replace.
    #[error(
        "refusing to write the site to {}: {reason}. Choose another output folder with -o (--force does not change this)",
        shown(path, real)
    )]
    Protected {
        /// The output folder as given.
        path: PathBuf,
        /// Where it really is.
        real: PathBuf,
        /// The rule that forbids it.
        reason: Protection,
    },
    /// The output folder is not empty and not known to be findings'.
    #[error(
        "{path} {why}; refusing to replace it. Check that it holds nothing you want to keep, then pass --force to replace it, or choose another folder with -o"
    )]
    NotOurs {
        /// The output folder.
        path: PathBuf,
        /// Why findings cannot tell that the folder is its own.
        why: NotOurs,
    },
    /// The output folder holds files findings did not write.
    #[error(
        "{path} holds {added}; refusing to delete {}. Put files the site should publish (such as CNAME) in the study's static/ folder, so that every build writes them; move anything else out of {path}; or pass --force to replace the folder anyway",
        if added.count == 1 { "it" } else { "them" }
    )]
    AddedFiles {
        /// The output folder.
        path: PathBuf,
        /// What findings did not write.
        added: Added,
    },
    /// The output path is a symbolic link or not a folder.
    #[error("{path} is a symbolic link or not a folder; refusing to write there")]
    NotAFolder {
        /// The output path.
        path: PathBuf,
    },
    /// Another build of the same output folder is running.
    #[error(
        "another findings build is writing {path} right now (it holds the lock {lock}); wait for it to finish, then build again"
    )]
    Busy {
        /// The output folder.
        path: PathBuf,
        /// The lock file.
        lock: PathBuf,
    },
    /// Something that is not a file has the lock file's name.
    #[error(
        "{lock} is not a regular file, but findings locks the output folder with a file of that name while it builds; remove it, then build again"
    )]
    LockNotAFile {
        /// The lock file's path.
        lock: PathBuf,
    },
    /// A path in the site is not a plain relative path (a bug: ids are checked).
    #[error("refusing to write {path}: it is not a plain relative path")]
    UnsafePath {
        /// The path.
        path: String,
    },
    /// A path was given twice (a bug: the site's paths are checked).
    #[error("refusing to write {path} twice")]
    WrittenTwice {
        /// The path.
        path: String,
    },
    /// A file system operation failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// A path as given, with where it really is when that differs.
fn shown(path: &Path, real: &Path) -> String {
    if path == real {
        path.display().to_string()
    } else {
        format!("{} ({})", path.display(), real.display())
    }
}

/// Why a non-empty folder is not known to be findings'.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotOurs {
    /// It has no marker.
    NoMarker,
    /// Its marker is a link, a folder or another non-file.
    MarkerNotAFile,
    /// Its marker is the one findings wrote before it kept a manifest.
    OldMarker,
    /// Its marker is a file but not a manifest this version reads.
    UnreadableMarker,
}

impl fmt::Display for NotOurs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NoMarker => "is not empty and was not written by findings (it holds no .findings-site)",
            Self::MarkerNotAFile => {
                "is not empty, and its .findings-site is a symbolic link or not a regular file, so it does not show that findings wrote the folder"
            }
            Self::OldMarker => {
                "was written by an older version of findings, which did not record the files it wrote, so findings cannot tell whether you added any"
            }
            Self::UnreadableMarker => {
                "is not empty, and its .findings-site is not a list of files that this version of findings can read"
            }
        })
    }
}

/// What an output folder holds that findings did not write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Added {
    /// The first few, sorted (an empty folder ends in `/`).
    pub named: Vec<String>,
    /// How many there are in all.
    pub count: usize,
    /// Whether any of them is an (empty) folder.
    pub folders: bool,
    /// Whether findings stopped counting: there are at least `count`.
    pub at_least: bool,
}

impl From<Foreign> for Added {
    fn from(foreign: Foreign) -> Self {
        Self {
            count: foreign.entries.len(),
            folders: foreign.entries.iter().any(|entry| entry.ends_with('/')),
            at_least: foreign.more,
            named: foreign.entries.into_iter().take(NAMED_FOREIGN).collect(),
        }
    }
}

impl fmt::Display for Added {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match (self.count, self.folders) {
            (1, true) => "folder",
            (1, false) => "file",
            (_, true) => "files or folders",
            (_, false) => "files",
        };
        let at_least = if self.at_least { "at least " } else { "" };
        write!(
            f,
            "{at_least}{} {what} that findings did not write: {}",
            self.count,
            self.named.join(", ")
        )?;
        let unnamed = self.count - self.named.len();
        if unnamed > 0 || self.at_least {
            write!(f, " and {at_least}{unnamed} more")?;
        }
        Ok(())
    }
}

/// What a build wrote, and what else it did.
#[derive(Debug, Default)]
pub struct Written {
    /// Staging and previous folders of interrupted builds that it removed.
    pub leftovers: Vec<PathBuf>,
    /// The files of the site (not the manifest), sorted.
    pub files: Vec<String>,
}

impl Written {
    /// How many HTML pages the site has.
    #[must_use]
    pub fn page_count(&self) -> usize {
        self.files.iter().filter(|path| path.ends_with(".html")).count()
    }
}

/// Writes `site` to `out`. With `force`, an output folder that holds files
/// findings did not write is replaced too (moved aside first, then deleted
/// only after the new site is in place); a protected folder never is.
///
/// # Errors
/// [`OutputError`] when the folder may not be replaced or writing fails; the
/// previous contents of `out` are then untouched.
pub fn write_site(site: &Site, out: &Path, protected: &Protected, force: bool) -> Result<Written, OutputError> {
    for path in site.files.keys() {
        if !is_plain_relative(path) || path == MARKER {
            return Err(OutputError::UnsafePath { path: path.clone() });
        }
    }
    let staging = begin(out, protected, force)?;
    for (path, bytes) in &site.files {
        staging.write(path, bytes)?;
    }
    staging.finish()
}

/// A site being written: a new staging folder beside the output folder,
/// which files are written into as they come ([`Staging::write`], from any
/// thread), then put in place of the output folder whole
/// ([`Staging::finish`]). Holds the output's lock until then. Dropped
/// without finishing (a failed build), it removes the staging folder and
/// leaves the output folder untouched.
#[derive(Debug)]
pub struct Staging {
    /// The output folder as given.
    out: PathBuf,
    place: Place,
    force: bool,
    siblings: Siblings,
    /// The staging folder.
    folder: PathBuf,
    leftovers: Vec<PathBuf>,
    /// The files written so far, and the first failure, if any.
    state: Mutex<StagingState>,
    /// Whether the staging folder became the output folder.
    finished: bool,
    /// Released after the staging folder is removed (fields drop after
    /// [`Drop::drop`] runs).
    _lock: Lock,
}

/// What a [`Staging`] has written so far.
#[derive(Debug, Default)]
struct StagingState {
    files: BTreeSet<String>,
    failure: Option<OutputError>,
}

/// Starts writing a site to `out`: refuses a protected folder or one that
/// may not be replaced (one that holds files findings did not write, unless
/// `force`), takes the output's lock,
/// removes what interrupted builds left, and makes the staging folder.
///
/// # Errors
/// [`OutputError`] when the folder may not be replaced or is being
/// written by another build, or the staging folder cannot be made.
pub fn begin(out: &Path, protected: &Protected, force: bool) -> Result<Staging, OutputError> {
    let place = locate(out, protected)?;
    inspect(out, &place, force)?;
    fs_err::create_dir_all(&place.parent)?;
    let siblings = Siblings::new(&place.parent, &place.name);
    let lock = Lock::acquire(&siblings.lock()).map_err(|error| match error {
        LockError::Busy => OutputError::Busy {
            path: out.to_path_buf(),
            lock: siblings.lock(),
        },
        LockError::NotAFile => OutputError::LockNotAFile { lock: siblings.lock() },
        LockError::Io(error) => OutputError::Io(error),
    })?;
    let leftovers = siblings.remove_leftovers(&lock)?;
    let folder = siblings.staging();
    // `create_dir`, not `create_dir_all`: fails if anything has the name.
    fs_err::create_dir(&folder)?;
    Ok(Staging {
        out: out.to_path_buf(),
        place,
        force,
        siblings,
        folder,
        leftovers,
        state: Mutex::new(StagingState::default()),
        finished: false,
        _lock: lock,
    })
}

impl Staging {
    /// Writes one file of the site, at `path` relative to the output
    /// folder. Safe to call from many threads at once.
    ///
    /// # Errors
    /// [`OutputError::UnsafePath`] for a path that is not plain and
    /// relative or is the manifest's, [`OutputError::WrittenTwice`] for one
    /// written already; an I/O error if
    /// writing fails. After a failure the staging folder is only fit to be
    /// dropped, and [`Staging::finish`] gives the first failure.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        if !is_plain_relative(path) || path == MARKER {
            return Err(OutputError::UnsafePath { path: path.to_owned() });
        }
        if !self.state().files.insert(path.to_owned()) {
            return Err(OutputError::WrittenTwice { path: path.to_owned() });
        }
        let target = self.folder.join(path);
        if let Some(folder) = target.parent() {
            fs_err::create_dir_all(folder)?;
        }
        fs_err::write(&target, bytes)?;
        Ok(())
    }

    /// Writes the manifest and puts the staging folder in place of the
    /// output folder (the previous site is deleted only once the new one
    /// is in place).
    ///
    /// # Errors
    /// The first failure of a [`Sink::put`], or [`OutputError`] when the
    /// output folder may no longer be replaced (someone added a file while
    /// the site was written) or the swap fails; the previous contents of
    /// the output folder are then untouched, and the staging folder is
    /// removed.
    pub fn finish(mut self) -> Result<Written, OutputError> {
        let state = std::mem::take(&mut *self.state());
        if let Some(failure) = state.failure {
            return Err(failure);
        }
        let manifest = Manifest::of_files(state.files.iter().map(String::as_str));
        fs_err::write(self.folder.join(MARKER), manifest.to_text())?;
        // Look again, now that no other build can change the folder and just
        // before replacing it, in case someone added a file meanwhile.
        inspect(&self.out, &self.place, self.force)
            .and_then(|existed| swap(&self.place.real, &self.folder, &self.siblings.previous(), existed))?;
        self.finished = true;
        Ok(Written {
            leftovers: std::mem::take(&mut self.leftovers),
            files: state.files.into_iter().collect(),
        })
    }

    fn state(&self) -> MutexGuard<'_, StagingState> {
        // A thread that panicked while holding the lock left the set whole.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Sink for Staging {
    /// Writes the file; the first failure is kept for [`Staging::finish`].
    fn put(&self, path: &str, bytes: Vec<u8>) {
        if self.failed() {
            return;
        }
        if let Err(error) = self.write(path, &bytes) {
            self.state().failure.get_or_insert(error);
        }
    }

    fn failed(&self) -> bool {
        self.state().failure.is_some()
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            remove_real_folder(&self.folder);
        }
    }
}

/// Where `out` really is, unless it is protected.
fn locate(out: &Path, protected: &Protected) -> Result<Place, OutputError> {
    Place::locate(out, protected)?.map_err(|refused| OutputError::Protected {
        path: out.to_path_buf(),
        real: refused.real,
        reason: refused.reason,
    })
}

/// Whether the output folder exists, after checking that it may be
/// replaced: a real folder, no repository, and (unless `force`) empty or
/// holding only what its manifest lists.
fn inspect(out: &Path, place: &Place, force: bool) -> Result<bool, OutputError> {
    let metadata = match fs_err::symlink_metadata(&place.real) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(error) => return Err(error.into()),
    };
    if !metadata.file_type().is_dir() {
        return Err(OutputError::NotAFolder {
            path: out.to_path_buf(),
        });
    }
    if let Some(reason) = place::repository_marker(&place.real)? {
        return Err(OutputError::Protected {
            path: out.to_path_buf(),
            real: place.real.clone(),
            reason,
        });
    }
    if force || fs_err::read_dir(&place.real)?.next().is_none() {
        return Ok(true);
    }
    let not_ours = |why| OutputError::NotOurs {
        path: out.to_path_buf(),
        why,
    };
    match manifest::read_marker(&place.real)? {
        Marker::Manifest(manifest) => {
            let foreign = manifest::foreign_entries(&place.real, &manifest)?;
            if foreign.entries.is_empty() && !foreign.more {
                Ok(true)
            } else {
                Err(OutputError::AddedFiles {
                    path: out.to_path_buf(),
                    added: foreign.into(),
                })
            }
        }
        Marker::Missing => Err(not_ours(NotOurs::NoMarker)),
        Marker::NotAFile => Err(not_ours(NotOurs::MarkerNotAFile)),
        Marker::Old => Err(not_ours(NotOurs::OldMarker)),
        Marker::Unreadable => Err(not_ours(NotOurs::UnreadableMarker)),
    }
}

/// Puts `staging` in place of `out`; the previous site goes to `previous`
/// first and is deleted only once the new one is in place.
fn swap(out: &Path, staging: &Path, previous: &Path, existed: bool) -> Result<(), OutputError> {
    if existed {
        fs_err::rename(out, previous)?;
        if let Err(error) = fs_err::rename(staging, out) {
            // Put the previous site back before reporting.
            let _ = fs_err::rename(previous, out);
            return Err(error.into());
        }
        fs_err::remove_dir_all(previous)?;
    } else {
        fs_err::rename(staging, out)?;
    }
    Ok(())
}

/// Removes `path` if it is a real folder (never through a link), ignoring
/// failure: used only to clean up after another error.
fn remove_real_folder(path: &Path) {
    if fs_err::symlink_metadata(path).is_ok_and(|metadata| metadata.file_type().is_dir()) {
        let _ = fs_err::remove_dir_all(path);
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

    /// A temporary folder with a study and a current folder, both outside
    /// where the tests write.
    fn protected(temp: &tempfile::TempDir) -> Protected {
        let study = temp.path().join("study");
        let work = temp.path().join("work");
        fs_err::create_dir_all(&study).unwrap();
        fs_err::create_dir_all(&work).unwrap();
        Protected::new(&study, &work, None).unwrap()
    }

    fn names(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs_err::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn files_written_from_many_threads_are_swapped_in_with_their_manifest() {
        let temp = tempfile::tempdir().unwrap();
        let protected = protected(&temp);
        let out = temp.path().join("public");
        write_site(&site(&[("index.html", "old")]), &out, &protected, false).unwrap();
        let staging = begin(&out, &protected, false).unwrap();
        let paths: Vec<String> = (0..64)
            .map(|page| format!("folder-{}/page-{page}.html", page % 4))
            .collect();
        std::thread::scope(|scope| {
            for chunk in paths.chunks(16) {
                let staging = &staging;
                scope.spawn(move || {
                    for path in chunk {
                        staging.write(path, path.as_bytes()).unwrap();
                    }
                });
            }
        });
        // Nothing is in place before the end.
        assert_eq!(fs_err::read_to_string(out.join("index.html")).unwrap(), "old");
        assert!(matches!(
            staging.write("folder-0/page-0.html", b"again"),
            Err(OutputError::WrittenTwice { .. })
        ));
        assert!(matches!(
            staging.write("../outside.html", b"x"),
            Err(OutputError::UnsafePath { .. })
        ));
        let written = staging.finish().unwrap();
        let mut sorted = paths.clone();
        sorted.sort();
        assert_eq!(written.files, sorted);
        assert_eq!(written.page_count(), 64);
        assert!(!out.join("index.html").exists());
        assert_eq!(
            fs_err::read_to_string(out.join("folder-3/page-7.html")).unwrap(),
            "folder-3/page-7.html"
        );
        assert_eq!(
            fs_err::read_to_string(out.join(MARKER)).unwrap(),
            Manifest::of_files(paths.iter().map(String::as_str)).to_text()
        );
        assert_eq!(names(temp.path()), ["public", "study", "work"], "nothing beside it");
    }

    #[test]
    fn a_staging_folder_dropped_unfinished_leaves_the_previous_site() {
        let temp = tempfile::tempdir().unwrap();
        let protected = protected(&temp);
        let out = temp.path().join("public");
        write_site(&site(&[("index.html", "old")]), &out, &protected, false).unwrap();
        let staging = begin(&out, &protected, false).unwrap();
        staging.write("index.html", b"new").unwrap();
        // Another build waits for the lock meanwhile.
        assert!(matches!(begin(&out, &protected, false), Err(OutputError::Busy { .. })));
        drop(staging);
        assert_eq!(fs_err::read_to_string(out.join("index.html")).unwrap(), "old");
        assert_eq!(names(temp.path()), ["public", "study", "work"]);
        // The lock is released: the next build goes ahead.
        begin(&out, &protected, false).unwrap().finish().unwrap();
        assert_eq!(names(&out), [MARKER]);
    }

    #[test]
    fn a_failed_write_is_what_finishing_reports() {
        let temp = tempfile::tempdir().unwrap();
        let protected = protected(&temp);
        let out = temp.path().join("public");
        let staging = begin(&out, &protected, false).unwrap();
        staging.put("page.html", b"one".to_vec());
        assert!(!staging.failed());
        // A file cannot also be a folder.
        staging.put("page.html/inner.html", b"two".to_vec());
        assert!(staging.failed());
        assert!(matches!(staging.finish(), Err(OutputError::Io(_))));
        assert!(!out.exists());
        assert_eq!(names(temp.path()), ["study", "work"]);
    }

    #[test]
    fn writes_replaces_and_refuses() {
        let temp = tempfile::tempdir().unwrap();
        let protected = protected(&temp);
        let out = temp.path().join("public");
        write_site(
            &site(&[("index.html", "one"), ("a/b.html", "b")]),
            &out,
            &protected,
            false,
        )
        .unwrap();
        assert_eq!(fs_err::read_to_string(out.join("a/b.html")).unwrap(), "b");
        assert_eq!(
            fs_err::read_to_string(out.join(MARKER)).unwrap(),
            Manifest::of_files(["index.html", "a/b.html"]).to_text()
        );
        write_site(&site(&[("index.html", "two")]), &out, &protected, false).unwrap();
        assert_eq!(fs_err::read_to_string(out.join("index.html")).unwrap(), "two");
        assert!(!out.join("a").exists(), "files of the previous site are gone");

        let foreign = temp.path().join("mine");
        fs_err::create_dir(&foreign).unwrap();
        fs_err::write(foreign.join("notes.txt"), "keep").unwrap();
        assert!(matches!(
            write_site(&site(&[("index.html", "x")]), &foreign, &protected, false),
            Err(OutputError::NotOurs {
                why: NotOurs::NoMarker,
                ..
            })
        ));
        assert_eq!(fs_err::read_to_string(foreign.join("notes.txt")).unwrap(), "keep");
        write_site(&site(&[("index.html", "x")]), &foreign, &protected, true).unwrap();
        assert!(!foreign.join("notes.txt").exists());
        assert_eq!(
            names(temp.path()),
            ["mine", "public", "study", "work"],
            "no staging folder or lock is left behind"
        );
    }

    #[test]
    fn files_a_user_added_are_named_and_kept() {
        let temp = tempfile::tempdir().unwrap();
        let protected = protected(&temp);
        let out = temp.path().join("public");
        let pages = site(&[("index.html", "one"), ("themes/a.html", "a")]);
        write_site(&pages, &out, &protected, false).unwrap();
        fs_err::write(out.join("CNAME"), "example.org").unwrap();
        fs_err::create_dir(out.join("extra")).unwrap();
        fs_err::write(out.join("extra/report.pdf"), "pdf").unwrap();
        let error = write_site(&pages, &out, &protected, false).unwrap_err();
        let OutputError::AddedFiles { added, .. } = &error else {
            panic!("{error:?}");
        };
        assert_eq!(
            added,
            &Added {
                named: vec!["CNAME".to_owned(), "extra/report.pdf".to_owned()],
                count: 2,
                folders: false,
                at_least: false,
            }
        );
        let message = error.to_string();
        assert!(
            message.contains("holds 2 files that findings did not write: CNAME, extra/report.pdf;"),
            "{message}"
        );
        assert!(message.contains("static/"), "{message}");
        assert!(begin(&out, &protected, false).is_err(), "beginning a build agrees");
        assert_eq!(fs_err::read_to_string(out.join("CNAME")).unwrap(), "example.org");
        // With --force a build may begin; dropped unfinished, it leaves the
        // folder as it was.
        drop(begin(&out, &protected, true).unwrap());
        assert_eq!(fs_err::read_to_string(out.join("CNAME")).unwrap(), "example.org");
        write_site(&pages, &out, &protected, true).unwrap();
        assert!(!out.join("CNAME").exists());
    }

    #[test]
    fn long_lists_of_added_files_are_cut() {
        let added = Added {
            named: (1..=NAMED_FOREIGN).map(|index| format!("f{index}")).collect(),
            count: 12,
            folders: false,
            at_least: false,
        };
        assert_eq!(
            added.to_string(),
            "12 files that findings did not write: f1, f2, f3, f4, f5, f6, f7, f8 and 4 more"
        );
        let one_folder = Added {
            named: vec!["extra/".to_owned()],
            count: 1,
            folders: true,
            at_least: false,
        };
        assert_eq!(one_folder.to_string(), "1 folder that findings did not write: extra/");
        let bounded = Added {
            count: 10_000,
            at_least: true,
            ..added
        };
        assert!(bounded.to_string().starts_with("at least 10000 files"), "{bounded}");
        assert!(bounded.to_string().ends_with(" and at least 9992 more"), "{bounded}");
    }

    #[test]
    fn a_second_build_of_the_same_output_is_refused_while_one_runs() {
        let temp = tempfile::tempdir().unwrap();
        let protected = protected(&temp);
        let out = temp.path().join("public");
        let siblings = Siblings::new(temp.path(), std::ffi::OsStr::new("public"));
        let held = Lock::acquire(&siblings.lock()).unwrap();
        let error = write_site(&site(&[("index.html", "x")]), &out, &protected, false).unwrap_err();
        assert!(matches!(error, OutputError::Busy { .. }), "{error:?}");
        assert!(!out.exists());
        drop(held);
        write_site(&site(&[("index.html", "x")]), &out, &protected, false).unwrap();
    }

    #[test]
    fn leftovers_are_removed_and_reported() {
        let temp = tempfile::tempdir().unwrap();
        let protected = protected(&temp);
        let out = temp.path().join("public");
        let staging = temp.path().join(".public.findings-staging-4");
        fs_err::create_dir_all(staging.join("themes")).unwrap();
        fs_err::write(staging.join("themes/a.html"), "half").unwrap();
        let written = write_site(&site(&[("index.html", "x")]), &out, &protected, false).unwrap();
        assert_eq!(written.leftovers, [staging]);
        assert_eq!(names(temp.path()), ["public", "study", "work"]);
    }

    #[test]
    fn protected_folders_are_refused_even_when_forced() {
        let temp = tempfile::tempdir().unwrap();
        let protected = protected(&temp);
        let repository = temp.path().join("repository");
        fs_err::create_dir_all(repository.join(".git")).unwrap();
        for (out, force) in [
            (temp.path().join("study"), true),
            (temp.path().join("study/site"), true),
            (temp.path().to_path_buf(), true),
            (repository.clone(), true),
            (repository, false),
        ] {
            let result = write_site(&site(&[("index.html", "x")]), &out, &protected, force);
            assert!(
                matches!(result, Err(OutputError::Protected { .. })),
                "{out:?}: {result:?}"
            );
        }
        assert_eq!(names(temp.path()), ["repository", "study", "work"]);
        assert!(names(&temp.path().join("study")).is_empty());
    }

    #[test]
    fn refuses_paths_that_leave_the_folder() {
        for bad in ["../x.html", "/etc/x", "a/../../x", "a\\b", ""] {
            assert!(!is_plain_relative(bad), "{bad}");
        }
        let temp = tempfile::tempdir().unwrap();
        let protected = protected(&temp);
        for bad in ["../escape.html", MARKER] {
            let result = write_site(&site(&[(bad, "x")]), &temp.path().join("out"), &protected, false);
            assert!(matches!(result, Err(OutputError::UnsafePath { .. })), "{bad}");
        }
        assert!(!temp.path().join("escape.html").exists());
        assert!(!temp.path().join("out").exists());
    }

    #[cfg(unix)]
    #[test]
    fn never_writes_through_a_link() {
        let temp = tempfile::tempdir().unwrap();
        let protected = protected(&temp);
        let target = temp.path().join("elsewhere");
        fs_err::create_dir(&target).unwrap();
        let link = temp.path().join("public");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let mut with_slash = link.clone().into_os_string();
        with_slash.push("/");
        for out in [link, PathBuf::from(with_slash)] {
            assert!(
                matches!(
                    write_site(&site(&[("index.html", "x")]), &out, &protected, true),
                    Err(OutputError::NotAFolder { .. })
                ),
                "{out:?}"
            );
        }
        assert!(fs_err::read_dir(&target).unwrap().next().is_none());
    }
}
