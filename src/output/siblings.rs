//! The entries findings keeps beside an output folder `NAME` while it
//! builds: the lock `.NAME.findings-lock`, the staging folder
//! `.NAME.findings-staging-PID` and the previous site
//! `.NAME.findings-previous-PID`.
//!
//! Input: the output folder's parent and name. Output: those paths, the
//! lock (held for a whole build, so two builds of one output never write at
//! once), and the removal of staging and previous folders that a killed
//! build left behind. Only the holder of the lock removes anything, only
//! real folders named exactly by this output's pattern, never through a
//! link.

use std::ffi::{OsStr, OsString};
use std::fs::TryLockError;
use std::io;
use std::path::{Path, PathBuf};

/// How often [`Lock::acquire`] tries again when the lock file it locked
/// was removed meanwhile by a build that just finished.
const LOCK_ATTEMPTS: usize = 8;

/// The two kinds of folder a build leaves beside the output when killed.
const LEFTOVER_KINDS: [&str; 2] = ["staging", "previous"];

/// The names beside one output folder.
#[derive(Clone, Debug)]
pub struct Siblings {
    parent: PathBuf,
    name: OsString,
}

impl Siblings {
    /// The siblings of the output folder `name` in `parent`.
    pub fn new(parent: &Path, name: &OsStr) -> Self {
        Self {
            parent: parent.to_path_buf(),
            name: name.to_os_string(),
        }
    }

    /// `.NAME.findings-SUFFIX` beside the output folder.
    fn path(&self, suffix: &str) -> PathBuf {
        let mut name = OsString::from(".");
        name.push(&self.name);
        name.push(".findings-");
        name.push(suffix);
        self.parent.join(name)
    }

    /// Where this process stages the new site.
    pub fn staging(&self) -> PathBuf {
        self.path(&format!("staging-{}", std::process::id()))
    }

    /// Where this process moves the previous site until the new one is in
    /// place.
    pub fn previous(&self) -> PathBuf {
        self.path(&format!("previous-{}", std::process::id()))
    }

    /// The lock file.
    pub fn lock(&self) -> PathBuf {
        self.path("lock")
    }

    /// Whether `entry` is named like a staging or previous folder of this
    /// output folder, by any process.
    fn is_leftover_name(&self, entry: &OsStr) -> bool {
        let entry = entry.as_encoded_bytes();
        let name = self.name.as_encoded_bytes();
        let Some(rest) = entry
            .strip_prefix(b".")
            .and_then(|rest| rest.strip_prefix(name))
            .and_then(|rest| rest.strip_prefix(b".findings-"))
        else {
            return false;
        };
        LEFTOVER_KINDS.iter().any(|kind| {
            rest.strip_prefix(kind.as_bytes())
                .and_then(|rest| rest.strip_prefix(b"-"))
                .is_some_and(|pid| !pid.is_empty() && pid.iter().all(u8::is_ascii_digit))
        })
    }

    /// Removes the staging and previous folders of this output folder that
    /// earlier, interrupted builds left, and returns their paths. Entries
    /// with such a name that are links or files are left alone.
    ///
    /// # Errors
    /// When the parent folder cannot be listed or a leftover removed.
    pub fn remove_leftovers(&self, _held: &Lock) -> io::Result<Vec<PathBuf>> {
        let mut removed = Vec::new();
        let mut entries = fs_err::read_dir(&self.parent)?.collect::<io::Result<Vec<_>>>()?;
        entries.sort_by_key(fs_err::DirEntry::file_name);
        for entry in entries {
            if !self.is_leftover_name(&entry.file_name()) {
                continue;
            }
            let path = entry.path();
            // `symlink_metadata`: a link named like a leftover is not one.
            if fs_err::symlink_metadata(&path)?.file_type().is_dir() {
                // `remove_dir_all` does not follow links inside the folder.
                fs_err::remove_dir_all(&path)?;
                removed.push(path);
            }
        }
        Ok(removed)
    }
}

/// Why the lock could not be taken.
#[derive(Debug)]
pub enum LockError {
    /// Another build holds it.
    Busy,
    /// Something that is not a regular file has the lock's name.
    NotAFile,
    /// The file system failed.
    Io(io::Error),
}

impl From<io::Error> for LockError {
    fn from(error: io::Error) -> Self {
        Self::Io(error)
    }
}

/// The exclusive lock on one output folder, held until dropped. The lock
/// file is removed when the lock is dropped (on Unix; elsewhere the empty
/// file stays, since findings cannot tell there that the name still leads
/// to the file it locked).
#[derive(Debug)]
pub struct Lock {
    file: fs_err::File,
    path: PathBuf,
}

impl Lock {
    /// Takes the lock at `path` without waiting.
    ///
    /// # Errors
    /// [`LockError::Busy`] when another process holds it.
    pub fn acquire(path: &Path) -> Result<Self, LockError> {
        for _ in 0..LOCK_ATTEMPTS {
            match fs_err::symlink_metadata(path) {
                Ok(metadata) if !metadata.file_type().is_file() => return Err(LockError::NotAFile),
                Ok(_) => {}
                Err(error) if error.kind() == io::ErrorKind::NotFound => {}
                Err(error) => return Err(error.into()),
            }
            // Never truncated or written: opened only to be locked.
            let file = fs_err::OpenOptions::new().append(true).create(true).open(path)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => return Err(LockError::Busy),
                Err(TryLockError::Error(error)) => return Err(error.into()),
            }
            // A build that just finished may have removed the file between
            // our open and lock: then the lock guards nothing; try again.
            if names_file(path, &file)? {
                return Ok(Self {
                    file,
                    path: path.to_path_buf(),
                });
            }
        }
        Err(LockError::Busy)
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held, so no other build can have locked the
        // file under this name; the lock itself ends when the file closes.
        if cfg!(unix) && names_file(&self.path, &self.file).unwrap_or(false) {
            let _ = fs_err::remove_file(&self.path);
        }
    }
}

/// Whether `path` (not followed if a link) is the file `file` has open.
#[cfg(unix)]
fn names_file(path: &Path, file: &fs_err::File) -> io::Result<bool> {
    use std::os::unix::fs::MetadataExt as _;
    let open = file.metadata()?;
    match fs_err::symlink_metadata(path) {
        Ok(named) => Ok(named.dev() == open.dev() && named.ino() == open.ino()),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(error) => Err(error),
    }
}

/// Elsewhere the lock file is never removed, so the name always leads to
/// the file that was opened.
#[cfg(not(unix))]
fn names_file(_path: &Path, _file: &fs_err::File) -> io::Result<bool> {
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_are_recognised_by_this_output_s_pattern_only() {
        let siblings = Siblings::new(Path::new("/x"), OsStr::new("public"));
        for name in [".public.findings-staging-1", ".public.findings-previous-123456"] {
            assert!(siblings.is_leftover_name(OsStr::new(name)), "{name}");
        }
        for name in [
            "public",
            ".public.findings-lock",
            ".public.findings-staging-",
            ".public.findings-staging-12a",
            ".public.findings-staging-1.findings-staging-2",
            ".public.findings-other-1",
            ".site.findings-staging-1",
            ".publicx.findings-staging-1",
            "public.findings-staging-1",
            ".public.findings-staging-1 ",
        ] {
            assert!(!siblings.is_leftover_name(OsStr::new(name)), "{name}");
        }
        let own = siblings.staging();
        assert!(siblings.is_leftover_name(own.file_name().unwrap()));
        assert!(siblings.is_leftover_name(siblings.previous().file_name().unwrap()));
        assert!(!siblings.is_leftover_name(siblings.lock().file_name().unwrap()));
    }

    #[test]
    fn only_real_folders_of_the_pattern_are_removed() {
        let temp = tempfile::tempdir().unwrap();
        let parent = temp.path();
        let siblings = Siblings::new(parent, OsStr::new("public"));
        for folder in [
            ".public.findings-staging-11/a",
            ".public.findings-previous-12",
            ".site.findings-staging-13",
        ] {
            fs_err::create_dir_all(parent.join(folder)).unwrap();
        }
        fs_err::write(parent.join(".public.findings-staging-11/a/page.html"), "x").unwrap();
        fs_err::write(parent.join(".public.findings-staging-14"), "a file").unwrap();
        let lock = Lock::acquire(&siblings.lock()).unwrap();
        let removed = siblings.remove_leftovers(&lock).unwrap();
        assert_eq!(
            removed,
            [
                parent.join(".public.findings-previous-12"),
                parent.join(".public.findings-staging-11")
            ]
        );
        drop(lock);
        let mut left: Vec<_> = fs_err::read_dir(parent)
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        left.sort();
        assert_eq!(left, [".public.findings-staging-14", ".site.findings-staging-13"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_named_like_a_leftover_is_not_followed() {
        let temp = tempfile::tempdir().unwrap();
        let precious = temp.path().join("precious");
        fs_err::create_dir(&precious).unwrap();
        fs_err::write(precious.join("keep.txt"), "keep").unwrap();
        let parent = temp.path().join("parent");
        fs_err::create_dir(&parent).unwrap();
        let link = parent.join(".public.findings-staging-7");
        std::os::unix::fs::symlink(&precious, &link).unwrap();
        let siblings = Siblings::new(&parent, OsStr::new("public"));
        let lock = Lock::acquire(&siblings.lock()).unwrap();
        assert_eq!(siblings.remove_leftovers(&lock).unwrap(), Vec::<PathBuf>::new());
        assert!(fs_err::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(fs_err::read_to_string(precious.join("keep.txt")).unwrap(), "keep");
    }

    #[test]
    fn a_held_lock_is_not_taken_twice_and_goes_away_when_dropped() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join(".public.findings-lock");
        let held = Lock::acquire(&path).unwrap();
        assert!(matches!(Lock::acquire(&path), Err(LockError::Busy)));
        drop(held);
        if cfg!(unix) {
            assert!(!path.exists(), "the lock file is removed");
        }
        let again = Lock::acquire(&path).unwrap();
        drop(again);
    }

    #[test]
    fn a_lock_file_that_is_not_a_file_is_refused() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join(".public.findings-lock");
        fs_err::create_dir(&path).unwrap();
        assert!(matches!(Lock::acquire(&path), Err(LockError::NotAFile)));
        assert!(path.is_dir());
    }

    #[cfg(unix)]
    #[test]
    fn a_lock_left_by_a_killed_build_is_taken_over() {
        // The kernel drops a killed process's lock; its file stays.
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join(".public.findings-lock");
        fs_err::write(&path, "").unwrap();
        let lock = Lock::acquire(&path).unwrap();
        drop(lock);
        assert!(!path.exists());
    }
}
