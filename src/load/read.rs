//! Reading one file of the study folder, bounded.
//!
//! Input: a path the walker found. Output: the file's bytes, or why they
//! were not read. Only regular files are read: a named pipe, socket or
//! device is refused without waiting on it (the file is opened
//! non-blocking and without following a link, then checked through the open
//! handle, so nothing can swap it in between). The size limit is enforced
//! while reading, not after, so a file that grows, or lies about its size,
//! never takes more than [`MAX_FILE_BYTES`] of memory. Every read of the
//! study's files (records, narrative, templates and static files) comes
//! through [`read_bounded`].

use std::fs::{FileType, OpenOptions};
use std::io::{self, Read as _};
use std::path::Path;

use crate::diagnostic::{Code, Diagnostic, Location, Rule, Severity};

/// The largest file findings reads from a study folder (64 MiB).
///
/// Large enough for a `quotes.yaml` of 100,000 quotes of about 500
/// characters; reported as E005 `file-too-large` beyond it.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// [`MAX_FILE_BYTES`] for people: `64 MiB`.
pub const MAX_FILE_SIZE_TEXT: &str = "64 MiB";

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadProblem {
    /// Not a regular file: what it is instead (`a named pipe (FIFO)`, ...).
    NotRegular(&'static str),
    /// Larger than [`MAX_FILE_BYTES`]; at least this many bytes.
    TooLarge(u64),
    /// The operating system refused (permissions, vanished, ...).
    Io(io::Error),
}

impl From<io::Error> for ReadProblem {
    fn from(error: io::Error) -> Self {
        Self::Io(error)
    }
}

pub const READ_FAILED: Rule = Rule {
    id: "E001",
    name: "read-failed",
    severity: Severity::Error,
    summary: "A file or folder of the study could not be read.",
    why: "A study that was not read whole cannot be judged: a problem in the part that could not be read would go unseen. findings still reads and checks the rest, so that one run shows every other problem, and the message gives the system's reason (permissions, a path too long for the system, a disk error). Unlike the other codes it makes the run exit 2, as other I/O problems do, since it says something about the machine rather than the study.",
};

pub const FILE_TOO_LARGE: Rule = Rule {
    id: "E005",
    name: "file-too-large",
    severity: Severity::Error,
    summary: "A study file (or a template or static file) is larger than 64 MiB.",
    why: "findings holds each file in memory while it reads it, so a file without a limit (a runaway export, a file that keeps growing) could exhaust the machine. 64 MiB holds a `quotes.yaml` of 100,000 quotes, and more quotes or participants are split over the files of `quotes/` or `participants/`; the limit is enforced while reading, so a file that grows or lies about its size is refused all the same.",
};

pub const NOT_A_FILE: Rule = Rule {
    id: "E006",
    name: "not-a-file",
    severity: Severity::Error,
    summary: "A folder, named pipe, socket or device stands where a regular file is expected.",
    why: "Opening a named pipe or a device for reading can wait forever for a writer, which would hang `check`, `build` and CI. findings opens each file without blocking and reads only regular files; a folder where a file is expected (`quotes.yaml/`, a `sections` file) is refused the same way.",
};

impl ReadProblem {
    /// The diagnostic for a study file (`relative` to the study folder)
    /// that was not read; `advice` says what to do with a file too large.
    #[must_use]
    pub fn diagnostic(&self, relative: &str, advice: &str) -> Diagnostic {
        let location = Location::file(relative);
        match self {
            Self::NotRegular(kind) => Diagnostic::new(
                Code::NotAFile,
                format!("expected a regular file here, found {kind}; findings does not read it"),
            )
            .at(location)
            .help("replace it with a regular file, or move it out of the study folder"),
            Self::TooLarge(size) => Diagnostic::new(
                Code::FileTooLarge,
                format!("the file is at least {size} bytes; files may be at most {MAX_FILE_SIZE_TEXT}"),
            )
            .at(location)
            .help(advice.to_owned()),
            Self::Io(error) => Diagnostic::new(Code::ReadFailed, format!("could not read the file: {}", error.kind()))
                .at(location)
                .help("check that the file exists and can be read"),
        }
    }
}

/// Reads the regular file at `path`, at most [`MAX_FILE_BYTES`].
///
/// # Errors
/// [`ReadProblem`] when it is not a regular file, is too large, or cannot be
/// read.
pub fn read_bounded(path: &Path) -> Result<Vec<u8>, ReadProblem> {
    read_at_most(path, MAX_FILE_BYTES)
}

fn read_at_most(path: &Path, limit: u64) -> Result<Vec<u8>, ReadProblem> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        // Opening a FIFO for reading blocks until a writer comes, unless
        // non-blocking; a link is refused rather than followed.
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    let file = options.open(path).map_err(|error| match symlink_kind(path) {
        Some(kind) => ReadProblem::NotRegular(kind),
        None => ReadProblem::Io(error),
    })?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(ReadProblem::NotRegular(kind_of(&metadata.file_type())));
    }
    if metadata.len() > limit {
        return Err(ReadProblem::TooLarge(metadata.len()));
    }
    let capacity = usize::try_from(metadata.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > limit {
        return Err(ReadProblem::TooLarge(read));
    }
    Ok(bytes)
}

/// What a path that could not be opened is, when that explains why: a
/// symbolic link (refused by `O_NOFOLLOW`) or a socket (which cannot be
/// opened as a file at all).
fn symlink_kind(path: &Path) -> Option<&'static str> {
    let file_type = fs_err::symlink_metadata(path).ok()?.file_type();
    (!file_type.is_file() && !file_type.is_dir()).then(|| kind_of(&file_type))
}

/// What a file system entry is, in words, for a message.
#[must_use]
pub fn kind_of(file_type: &FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
    }
    if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_dir() {
        "a folder"
    } else if file_type.is_file() {
        "a file"
    } else {
        "not a regular file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_file_within_the_limit() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("a.yaml");
        fs_err::write(&path, "abc").unwrap();
        assert_eq!(read_at_most(&path, 3).unwrap(), b"abc");
        assert!(matches!(read_at_most(&path, 2), Err(ReadProblem::TooLarge(3))));
    }

    #[test]
    fn refuses_folders() {
        let temp = tempfile::tempdir().unwrap();
        assert!(matches!(
            read_bounded(temp.path()),
            Err(ReadProblem::NotRegular("a folder"))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn refuses_links_pipes_and_devices_without_blocking() {
        let temp = tempfile::tempdir().unwrap();
        let target = temp.path().join("target.yaml");
        fs_err::write(&target, "x").unwrap();
        let link = temp.path().join("link.yaml");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(matches!(
            read_bounded(&link),
            Err(ReadProblem::NotRegular("a symbolic link"))
        ));
        let fifo = temp.path().join("pipe.yaml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        assert!(matches!(
            read_bounded(&fifo),
            Err(ReadProblem::NotRegular("a named pipe (FIFO)"))
        ));
        assert!(matches!(
            read_bounded(Path::new("/dev/zero")),
            Err(ReadProblem::NotRegular("a device"))
        ));
    }
}
