//! Where the output folder really is, and the folders a site may never
//! replace, whatever the flags.
//!
//! Input: the output path as given, and the folders to protect (the study,
//! the current folder, the home folder). Output: the output folder's real
//! path, or the [`Protection`] that forbids it. Paths are compared as the
//! file system resolves them: every existing folder on the way is
//! canonicalised (so `.`, `..`, trailing slashes and linked parents cannot
//! hide a folder), and the part that does not exist yet is appended as
//! written. Nothing here writes.

use std::ffi::OsString;
use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Version-control folders (or files: a Git worktree has a `.git` file) that
/// mark a folder as someone's repository.
const REPOSITORY_MARKERS: [&str; 3] = [".git", ".hg", ".svn"];

/// The folders no output folder may be, contain, or (for the study) be
/// inside of; all real paths.
#[derive(Clone, Debug)]
pub struct Protected {
    study: PathBuf,
    current_dir: PathBuf,
    home: Option<PathBuf>,
}

impl Protected {
    /// Protects `study_dir`, `current_dir` and, if known, `home`, each
    /// resolved against `current_dir`.
    ///
    /// # Errors
    /// When a folder on one of these paths cannot be read.
    pub fn new(study_dir: &Path, current_dir: &Path, home: Option<&Path>) -> io::Result<Self> {
        let current_dir = real_path(current_dir)?;
        let resolve = |path: &Path| real_path(&current_dir.join(path));
        Ok(Self {
            study: resolve(study_dir)?,
            home: home
                .filter(|home| !home.as_os_str().is_empty())
                .map(resolve)
                .transpose()?,
            current_dir: current_dir.clone(),
        })
    }

    /// Protects `study_dir` and this process's current and home folders.
    ///
    /// # Errors
    /// When the current folder is unknown, or a folder on one of the paths
    /// cannot be read.
    pub fn from_process(study_dir: &Path) -> io::Result<Self> {
        let current_dir = std::env::current_dir()?;
        Self::new(study_dir, &current_dir, std::env::home_dir().as_deref())
    }
}

/// Why a folder may never be the output folder, even with `--force`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Protection {
    /// `/`, or a drive's root.
    FilesystemRoot,
    /// The study folder itself.
    StudyFolder,
    /// A folder that holds the study folder.
    ContainsStudy(PathBuf),
    /// A folder inside the study folder.
    InsideStudy(PathBuf),
    /// The current folder itself.
    CurrentFolder,
    /// A folder that holds the current folder.
    ContainsCurrentFolder(PathBuf),
    /// The home folder itself.
    HomeFolder,
    /// A folder that holds the home folder.
    ContainsHomeFolder(PathBuf),
    /// A folder that holds `.git`, `.hg` or `.svn`.
    Repository(&'static str),
}

impl fmt::Display for Protection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::FilesystemRoot => write!(f, "it is the root of a file system"),
            Self::StudyFolder => write!(f, "it is the study folder"),
            Self::ContainsStudy(study) => write!(f, "it holds the study folder {}", study.display()),
            Self::InsideStudy(study) => write!(
                f,
                "it is inside the study folder {}, and a site there would become part of the study",
                study.display()
            ),
            Self::CurrentFolder => write!(f, "it is the current folder"),
            Self::ContainsCurrentFolder(folder) => {
                write!(f, "it holds the current folder {}", folder.display())
            }
            Self::HomeFolder => write!(f, "it is the home folder"),
            Self::ContainsHomeFolder(home) => write!(f, "it holds the home folder {}", home.display()),
            Self::Repository(name) => write!(
                f,
                "it holds {name}, so it is a version-control repository that a site would replace"
            ),
        }
    }
}

/// A protected output folder: where it really is, and the rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// The real path.
    pub real: PathBuf,
    /// The rule that forbids it.
    pub reason: Protection,
}

/// The output folder as the file system sees it.
#[derive(Clone, Debug)]
pub struct Place {
    /// The real path: every existing folder above it canonicalised; the last
    /// component as written, never followed if it is a link.
    pub real: PathBuf,
    /// The real parent folder, where staging folders and the lock go.
    pub parent: PathBuf,
    /// The output folder's name.
    pub name: OsString,
}

impl Place {
    /// Finds where `out` (relative to `protected`'s current folder) really
    /// is, and refuses it if it is protected. Reads folders, writes nothing.
    ///
    /// # Errors
    /// `Ok(Err(refused))` when the folder is protected; `Err` when a folder
    /// on the way cannot be read.
    pub fn locate(out: &Path, protected: &Protected) -> io::Result<Result<Self, Refused>> {
        let absolute = protected.current_dir.join(out);
        let real = match absolute.components().next_back() {
            // Resolve the folders above the last name, but not the name: a
            // link there is refused later, never followed.
            Some(Component::Normal(name)) => {
                let above = absolute.parent().unwrap_or(&absolute);
                real_path(above)?.join(name)
            }
            // `.`, `..` or a root: nothing to keep unresolved.
            _ => real_path(&absolute)?,
        };
        if let Some(reason) = protection(&real, protected) {
            return Ok(Err(Refused { real, reason }));
        }
        // Only a root has no parent or name, and roots are refused above.
        let (Some(parent), Some(name)) = (real.parent(), real.file_name()) else {
            return Ok(Err(Refused {
                real: real.clone(),
                reason: Protection::FilesystemRoot,
            }));
        };
        Ok(Ok(Self {
            parent: parent.to_path_buf(),
            name: name.to_os_string(),
            real: real.clone(),
        }))
    }
}

/// The rule that forbids `real` as an output folder, if any; all but the
/// repository rule compare paths only.
fn protection(real: &Path, protected: &Protected) -> Option<Protection> {
    let Protected {
        study,
        current_dir,
        home,
    } = protected;
    if real.parent().is_none() {
        Some(Protection::FilesystemRoot)
    } else if real == study {
        Some(Protection::StudyFolder)
    } else if study.starts_with(real) {
        Some(Protection::ContainsStudy(study.clone()))
    } else if real.starts_with(study) {
        Some(Protection::InsideStudy(study.clone()))
    } else if real == current_dir {
        Some(Protection::CurrentFolder)
    } else if current_dir.starts_with(real) {
        Some(Protection::ContainsCurrentFolder(current_dir.clone()))
    } else if home.as_deref() == Some(real) {
        Some(Protection::HomeFolder)
    } else {
        home.as_ref()
            .filter(|home| home.starts_with(real))
            .map(|home| Protection::ContainsHomeFolder(home.clone()))
    }
}

/// The version-control marker `folder` holds, if any (a file, a folder or a
/// link of that name: none is followed).
///
/// # Errors
/// When `folder` cannot be read.
pub fn repository_marker(folder: &Path) -> io::Result<Option<Protection>> {
    for name in REPOSITORY_MARKERS {
        match fs_err::symlink_metadata(folder.join(name)) {
            Ok(_) => return Ok(Some(Protection::Repository(name))),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => return Err(error),
        }
    }
    Ok(None)
}

/// The real path of the absolute `path`: each existing prefix canonicalised
/// (links followed, as the file system would), the rest appended as written,
/// `..` applied to what is resolved so far.
///
/// # Errors
/// When a folder on the way cannot be read (other than not existing).
pub fn real_path(path: &Path) -> io::Result<PathBuf> {
    let mut real = PathBuf::new();
    // How many trailing components of `real` do not exist.
    let mut missing = 0_usize;
    for component in path.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => real.push(component),
            Component::CurDir => {}
            Component::ParentDir => {
                // `real` has no link in it, so its parent is the real one.
                if real.pop() {
                    missing = missing.saturating_sub(1);
                }
            }
            Component::Normal(name) => {
                real.push(name);
                if missing > 0 {
                    missing += 1;
                } else {
                    match fs_err::canonicalize(&real) {
                        Ok(found) => real = found,
                        // Not there yet, or a dangling link: as written.
                        Err(error) if error.kind() == io::ErrorKind::NotFound => missing = 1,
                        Err(error) => return Err(error),
                    }
                }
            }
        }
    }
    Ok(real)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A temporary folder (canonical, since the system's may be a link) with
    /// `study/`, `work/` (the current folder) and `home/me/` (the home).
    struct Layout {
        _temp: tempfile::TempDir,
        root: PathBuf,
        protected: Protected,
    }

    impl Layout {
        fn new() -> Self {
            let temp = tempfile::tempdir().unwrap();
            let root = fs_err::canonicalize(temp.path()).unwrap();
            for folder in ["study/static", "work", "home/me", "other"] {
                fs_err::create_dir_all(root.join(folder)).unwrap();
            }
            let protected =
                Protected::new(Path::new("../study"), &root.join("work"), Some(&root.join("home/me"))).unwrap();
            Self {
                _temp: temp,
                root,
                protected,
            }
        }

        fn locate(&self, out: &str) -> Result<PathBuf, Protection> {
            Place::locate(Path::new(out), &self.protected)
                .unwrap()
                .map(|place| place.real)
                .map_err(|refused| refused.reason)
        }
    }

    #[test]
    fn real_paths_resolve_dots_slashes_and_missing_tails() {
        let layout = Layout::new();
        let root = &layout.root;
        assert_eq!(real_path(&root.join("work/.")).unwrap(), root.join("work"));
        assert_eq!(real_path(&root.join("work/../study/")).unwrap(), root.join("study"));
        assert_eq!(real_path(&root.join("new/deeper")).unwrap(), root.join("new/deeper"));
        // `..` out of a part that does not exist yet lands on real folders
        // again, which are resolved.
        assert_eq!(real_path(&root.join("new/a/../../study")).unwrap(), root.join("study"));
        assert_eq!(real_path(Path::new("/..")).unwrap(), Path::new("/"));
    }

    #[test]
    fn protected_folders_are_refused_however_they_are_written() {
        let layout = Layout::new();
        let root = &layout.root;
        let study = root.join("study");
        let current = root.join("work");
        let cases: &[(&str, Protection)] = &[
            ("/", Protection::FilesystemRoot),
            ("/..", Protection::FilesystemRoot),
            ("../study", Protection::StudyFolder),
            ("../study/", Protection::StudyFolder),
            ("../study/static/..", Protection::StudyFolder),
            ("../study/site", Protection::InsideStudy(study.clone())),
            ("../study/static", Protection::InsideStudy(study.clone())),
            ("../study/new/deeper/", Protection::InsideStudy(study.clone())),
            ("..", Protection::ContainsStudy(study.clone())),
            ("../study/..", Protection::ContainsStudy(study.clone())),
            (".", Protection::CurrentFolder),
            ("./", Protection::CurrentFolder),
            ("", Protection::CurrentFolder),
            ("missing/..", Protection::CurrentFolder),
            ("../home/me", Protection::HomeFolder),
            ("../home", Protection::ContainsHomeFolder(root.join("home/me"))),
        ];
        for (out, expected) in cases {
            assert_eq!(layout.locate(out).as_ref(), Err(expected), "-o {out:?}");
        }
        let absolute = current.to_str().unwrap();
        assert_eq!(layout.locate(absolute), Err(Protection::CurrentFolder));
        assert_eq!(
            layout.locate(&format!("{absolute}/..")),
            Err(Protection::ContainsStudy(study))
        );
        for fine in ["site", "../other", "../other/site/", "public/./x/..", "../homes"] {
            assert!(layout.locate(fine).is_ok(), "-o {fine}");
        }
        assert_eq!(layout.locate("site").unwrap(), current.join("site"));
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_parent_is_resolved_and_a_linked_output_is_not_followed() {
        let layout = Layout::new();
        let root = &layout.root;
        std::os::unix::fs::symlink(root.join("study"), root.join("work/to-study")).unwrap();
        assert_eq!(
            layout.locate("to-study/site"),
            Err(Protection::InsideStudy(root.join("study")))
        );
        assert_eq!(
            layout.locate("to-study/.."),
            Err(Protection::ContainsStudy(root.join("study")))
        );
        // The link itself is the output path: not resolved here (it is
        // refused for being a link), so it is not mistaken for the study.
        assert_eq!(layout.locate("to-study").unwrap(), root.join("work/to-study"));
    }

    #[test]
    fn without_a_home_only_the_other_rules_apply() {
        let layout = Layout::new();
        let protected = Protected::new(&layout.root.join("study"), &layout.root.join("work"), None).unwrap();
        let place = Place::locate(&layout.root.join("home"), &protected).unwrap();
        assert!(place.is_ok());
    }

    #[test]
    fn repositories_are_recognised_by_file_or_folder() {
        let temp = tempfile::tempdir().unwrap();
        assert_eq!(repository_marker(temp.path()).unwrap(), None);
        for name in REPOSITORY_MARKERS {
            let folder = temp.path().join(name.trim_start_matches('.'));
            fs_err::create_dir_all(folder.join(name)).unwrap();
            assert_eq!(repository_marker(&folder).unwrap(), Some(Protection::Repository(name)));
        }
        let worktree = temp.path().join("worktree");
        fs_err::create_dir(&worktree).unwrap();
        fs_err::write(worktree.join(".git"), "gitdir: /elsewhere\n").unwrap();
        assert_eq!(
            repository_marker(&worktree).unwrap(),
            Some(Protection::Repository(".git"))
        );
    }
}
