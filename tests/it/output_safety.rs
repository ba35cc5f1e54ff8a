//! The hostile-output corpus: every output folder `findings build` must
//! never replace (with or without `--force`), files a user added to a
//! built site, markers that are not markers, leftovers of killed builds and
//! a build already running. Each case runs the binary in a temporary
//! folder, with the child's `HOME` and current folder set there too, and a
//! refusal must leave every byte under that folder as it was.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::site_support::{assert_same_tree, copy_dir, names_in, read_tree, valid_fixture, write};
use crate::support::{Run, findings, run};

/// A temporary folder laid out like a user's disk:
///
/// ```text
/// ROOT/project/.git/HEAD      a repository...
/// ROOT/project/study/         ...holding the study
/// ROOT/users/me/.profile      HOME
/// ROOT/work/notes.txt         the current folder
/// ```
struct World {
    _temp: tempfile::TempDir,
    root: PathBuf,
    study: PathBuf,
    home: PathBuf,
    work: PathBuf,
}

impl World {
    fn new() -> Self {
        let temp = tempfile::tempdir().unwrap();
        // Canonical, so the paths the tests give are the real ones.
        let root = temp.path().canonicalize().unwrap();
        let study = root.join("project/study");
        copy_dir(&valid_fixture(), &study);
        write(&root, "project/.git/HEAD", "ref: refs/heads/main\n");
        let home = root.join("users/me");
        write(&home, ".profile", "# mine\n");
        let work = root.join("work");
        write(&work, "notes.txt", "my notes\n");
        Self {
            _temp: temp,
            root,
            study,
            home,
            work,
        }
    }

    /// `findings build STUDY -o OUT ARGS...`, run in `cwd` with `HOME` set.
    fn build_in(&self, cwd: &Path, out: impl AsRef<OsStr>, args: &[&str]) -> Run {
        run(findings()
            .current_dir(cwd)
            .env("HOME", &self.home)
            .arg("build")
            .arg(&self.study)
            .arg("-o")
            .arg(out)
            .args(args))
    }

    /// The same, run in `ROOT/work`.
    fn build(&self, out: impl AsRef<OsStr>, args: &[&str]) -> Run {
        self.build_in(&self.work, out, args)
    }

    /// Every file, folder and link under ROOT, with its bytes.
    fn tree(&self) -> BTreeMap<String, Vec<u8>> {
        read_tree(&self.root)
    }

    /// Asserts that building into `out` (from `cwd`) is refused with
    /// exit status 2 and a message holding `reason`, with and without
    /// `--force`, before the study is read.
    #[track_caller]
    fn assert_refused_in(&self, cwd: &Path, out: impl AsRef<OsStr>, reason: &str) {
        let out = out.as_ref();
        for args in [&[][..], &["--force"][..]] {
            let built = self.refused_in(cwd, out, args, reason);
            assert_eq!(
                built.stderr.lines().count(),
                1,
                "-o {out:?} {args:?}: one error and no study report:\n{}",
                built.stderr
            );
        }
    }

    /// Builds into `out` from `cwd` with `args`, and asserts that it is
    /// refused with exit status 2 and a message holding `reason`, and
    /// changes nothing under ROOT.
    #[track_caller]
    fn refused_in(&self, cwd: &Path, out: impl AsRef<OsStr>, args: &[&str], reason: &str) -> Run {
        let out = out.as_ref();
        let before = self.tree();
        let built = self.build_in(cwd, out, args);
        assert_eq!(built.code, 2, "-o {out:?} {args:?}: {built:?}");
        assert!(
            built.stderr.contains(reason),
            "-o {out:?} {args:?}: expected {reason:?} in\n{}",
            built.stderr
        );
        assert_same_tree(&self.tree(), &before);
        built
    }

    /// The same, without `--force`, from `ROOT/work`.
    #[track_caller]
    fn refused(&self, out: impl AsRef<OsStr>, reason: &str) -> Run {
        self.refused_in(&self.work, out, &[], reason)
    }

    #[track_caller]
    fn assert_refused(&self, out: impl AsRef<OsStr>, reason: &str) {
        self.assert_refused_in(&self.work, out, reason);
    }

    /// Builds into `out` and checks that it succeeded.
    #[track_caller]
    fn build_ok(&self, out: impl AsRef<OsStr>, args: &[&str]) -> Run {
        let built = self.build(out, args);
        assert_eq!(built.code, 0, "{built:?}");
        built
    }
}

/// `path` with a `/` after it.
fn with_slash(path: &Path) -> String {
    format!("{}/", path.display())
}

#[test]
fn the_study_folder_is_refused() {
    let world = World::new();
    let reason = "it is the study folder";
    world.assert_refused(&world.study, reason);
    world.assert_refused(with_slash(&world.study), reason);
    world.assert_refused("../project/study", reason);
    world.assert_refused(world.study.join("sections/.."), reason);
    world.assert_refused_in(&world.study, ".", reason);
}

#[test]
fn a_folder_holding_the_study_is_refused() {
    let world = World::new();
    // The study's parent is a repository too; the study rule comes first.
    let reason = "it holds the study folder";
    world.assert_refused(world.root.join("project"), reason);
    world.assert_refused(world.study.join(".."), reason);
    world.assert_refused("../project/study/..", reason);
    world.assert_refused("..", reason);
    world.assert_refused_in(&world.study, "..", reason);
}

#[test]
fn the_current_folder_and_those_holding_it_are_refused() {
    let world = World::new();
    world.assert_refused(&world.work, "it is the current folder");
    for out in [".", "./", "not-yet/.."] {
        world.assert_refused(out, "it is the current folder");
    }
    let inner = world.work.join("inner");
    std::fs::create_dir(&inner).unwrap();
    world.assert_refused_in(&inner, "..", "it holds the current folder");
    world.assert_refused_in(&inner, &world.work, "it holds the current folder");
}

#[test]
fn the_home_folder_and_those_holding_it_are_refused() {
    let world = World::new();
    world.assert_refused(&world.home, "it is the home folder");
    world.assert_refused(with_slash(&world.home), "it is the home folder");
    world.assert_refused(world.root.join("users"), "it holds the home folder");
}

#[test]
fn a_folder_inside_the_study_is_refused() {
    let world = World::new();
    let reason = "it is inside the study folder";
    std::fs::create_dir(world.study.join("static")).unwrap();
    for out in ["site", "static", "new/deeper/", "sections/../site"] {
        world.assert_refused(world.study.join(out), reason);
    }
    world.assert_refused_in(&world.study, "public", reason);
}

#[test]
fn a_file_system_root_is_refused() {
    let world = World::new();
    world.assert_refused("/", "it is the root of a file system");
    world.assert_refused("/..", "it is the root of a file system");
}

#[test]
fn a_repository_is_refused() {
    let world = World::new();
    for marker in [".git", ".hg", ".svn"] {
        let out = world.root.join(format!("site{marker}"));
        write(&out, &format!("{marker}/config"), "[core]\n");
        write(&out, "index.html", "<p>my page</p>");
        world.assert_refused(
            &out,
            &format!("it holds {marker}, so it is a version-control repository"),
        );
    }
    // A Git worktree has a `.git` file.
    let worktree = world.root.join("worktree");
    write(&worktree, ".git", "gitdir: /elsewhere\n");
    world.assert_refused(&worktree, "it holds .git");
    // A site findings built, made a repository afterwards (to publish a
    // branch): its history is never replaced.
    let site = world.root.join("site");
    world.build_ok(&site, &[]);
    write(&site, ".git/HEAD", "ref: refs/heads/gh-pages\n");
    world.assert_refused(&site, "it holds .git");
}

#[cfg(unix)]
#[test]
fn links_do_not_hide_a_protected_folder() {
    let world = World::new();
    std::os::unix::fs::symlink(&world.study, world.work.join("to-study")).unwrap();
    std::os::unix::fs::symlink(world.root.join("project"), world.work.join("to-project")).unwrap();
    world.assert_refused("to-study/site", "it is inside the study folder");
    world.assert_refused("to-project/study", "it is the study folder");
    world.assert_refused("to-study/..", "it holds the study folder");
    // The output path itself a link: refused, never followed, with or
    // without a trailing slash.
    for out in ["to-study", "to-study/", "to-project/"] {
        world.assert_refused(out, "is a symbolic link or not a folder");
    }
}

#[test]
fn files_a_user_added_to_a_site_are_named_and_kept() {
    let world = World::new();
    let site = world.root.join("site");
    world.build_ok(&site, &[]);
    write(&site, "CNAME", "study.example.org\n");
    write(&site, "extra/report.pdf", "%PDF-1.7");
    let built = world.refused(
        &site,
        "holds 2 files that findings did not write: CNAME, extra/report.pdf; refusing to delete them",
    );
    assert!(
        built.stderr.contains("in the study's static/ folder"),
        "{}",
        built.stderr
    );
    assert!(built.stderr.contains("--force"), "{}", built.stderr);

    // --force is the explicit way to replace them.
    world.build_ok(&site, &["--force"]);
    assert!(!site.join("CNAME").exists());
    assert!(!site.join("extra").exists());
    assert!(site.join("index.html").is_file());

    // The hint works: from static/, CNAME is published by every build.
    write(&world.study, "static/CNAME", "study.example.org\n");
    world.build_ok(&site, &[]);
    world.build_ok(&site, &[]);
    assert_eq!(
        std::fs::read_to_string(site.join("CNAME")).unwrap(),
        "study.example.org\n"
    );
}

#[test]
fn many_added_files_are_counted_and_a_few_named() {
    let world = World::new();
    let site = world.root.join("site");
    world.build_ok(&site, &[]);
    for index in 1..=12 {
        write(&site, &format!("mine/{index:02}.txt"), "mine");
    }
    std::fs::create_dir(site.join("themes/empty")).unwrap();
    world.refused(
        &site,
        "holds 13 files or folders that findings did not write: mine/01.txt, mine/02.txt, mine/03.txt, \
         mine/04.txt, mine/05.txt, mine/06.txt, mine/07.txt, mine/08.txt and 5 more;",
    );
}

#[cfg(unix)]
#[test]
fn a_marker_that_is_a_link_or_a_folder_is_no_marker() {
    let world = World::new();
    let real_site = world.root.join("real-site");
    world.build_ok(&real_site, &[]);
    let mine = world.root.join("mine");
    write(&mine, "notes.txt", "my notes");
    std::os::unix::fs::symlink(real_site.join(".findings-site"), mine.join(".findings-site")).unwrap();
    world.refused(&mine, "its .findings-site is a symbolic link or not a regular file");
    // A link pointing nowhere, and a folder, are no markers either.
    std::fs::remove_file(mine.join(".findings-site")).unwrap();
    std::os::unix::fs::symlink("/nowhere", mine.join(".findings-site")).unwrap();
    world.refused(&mine, "is a symbolic link or not a regular file");
    std::fs::remove_file(mine.join(".findings-site")).unwrap();
    std::fs::create_dir(mine.join(".findings-site")).unwrap();
    world.refused(&mine, "is a symbolic link or not a regular file");
    assert_eq!(std::fs::read_to_string(mine.join("notes.txt")).unwrap(), "my notes");
}

#[test]
fn a_site_of_an_older_findings_is_replaced_only_when_forced_once() {
    let world = World::new();
    let site = world.root.join("site");
    write(
        &site,
        ".findings-site",
        "This folder was written by findings; `findings build` replaces it.\n",
    );
    write(&site, "index.html", "<p>old</p>");
    world.refused(&site, "was written by an older version of findings");
    world.build_ok(&site, &["--force"]);
    world.build_ok(&site, &[]);
}

#[test]
fn the_marker_lists_every_folder_and_file_written() {
    let world = World::new();
    let site = world.root.join("site");
    write(&world.study, "static/img/logo.svg", "<svg/>");
    world.build_ok(&site, &[]);
    let marker = std::fs::read_to_string(site.join(".findings-site")).unwrap();
    let mut lines = marker.lines();
    assert_eq!(lines.next(), Some("findings-site 1"));
    let listed: Vec<String> = lines.filter(|line| !line.starts_with('#')).map(str::to_owned).collect();
    let written: Vec<String> = read_tree(&site)
        .into_keys()
        .filter(|path| path != ".findings-site")
        .map(|path| match path.strip_suffix('/') {
            Some(folder) => format!("folder {folder}"),
            None => format!("file {path}"),
        })
        .collect();
    let mut sorted = written.clone();
    sorted.sort_by(|a, b| a.split_once(' ').unwrap().1.cmp(b.split_once(' ').unwrap().1));
    assert_eq!(listed, sorted);
    assert!(listed.contains(&"folder img".to_owned()) && listed.contains(&"file img/logo.svg".to_owned()));
}

#[test]
fn leftovers_of_killed_builds_are_removed_and_reported() {
    let world = World::new();
    let site = world.root.join("site");
    world.build_ok(&site, &[]);
    // What a build killed while staging, or while swapping, leaves.
    write(&world.root, ".site.findings-staging-4242/themes/half.html", "half");
    write(&world.root, ".site.findings-previous-4243/index.html", "old");
    // Not leftovers of this output: another output's, odd names, a file.
    write(&world.root, ".other.findings-staging-1/index.html", "other");
    write(&world.root, ".site.findings-staging-x/index.html", "odd");
    write(&world.root, ".site.findings-previous-5", "a file");
    // A link with a leftover's name, to a folder with files: neither
    // followed nor emptied.
    write(&world.root, "precious/keep.txt", "keep");
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        world.root.join("precious"),
        world.root.join(".site.findings-staging-4244"),
    )
    .unwrap();

    let built = world.build_ok(&site, &[]);
    assert!(
        built.stderr.contains(&format!(
            "removed 2 folders left beside {} by interrupted builds",
            site.display()
        )),
        "{}",
        built.stderr
    );
    let mut expected = vec![
        ".other.findings-staging-1",
        ".site.findings-previous-5",
        ".site.findings-staging-x",
        "precious",
        "project",
        "site",
        "users",
        "work",
    ];
    if cfg!(unix) {
        expected.insert(2, ".site.findings-staging-4244");
        let link = world.root.join(".site.findings-staging-4244");
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    }
    assert_eq!(names_in(&world.root), expected);
    assert_eq!(
        std::fs::read_to_string(world.root.join("precious/keep.txt")).unwrap(),
        "keep"
    );
    // Nothing left to remove: nothing said.
    let built = world.build_ok(&site, &[]);
    assert!(!built.stderr.contains("removed"), "{}", built.stderr);
}

#[test]
fn a_second_build_of_the_same_output_is_refused_while_one_runs() {
    let world = World::new();
    let site = world.root.join("site");
    world.build_ok(&site, &[]);
    // Hold the lock as a running build would.
    let lock_path = world.root.join(".site.findings-lock");
    let lock = std::fs::File::create(&lock_path).unwrap();
    lock.try_lock().unwrap();
    let built = world.refused(&site, "another findings build is writing");
    assert!(built.stderr.contains(".site.findings-lock"), "{}", built.stderr);
    // Once it has finished (or was killed: the lock goes with the
    // process), the next build runs and removes the lock file.
    drop(lock);
    world.build_ok(&site, &[]);
    if cfg!(unix) {
        assert!(!lock_path.exists());
    }
}

#[test]
fn a_refused_output_is_refused_before_the_study_is_read() {
    let world = World::new();
    let quotes = std::fs::read_to_string(world.study.join("quotes.yaml")).unwrap();
    write(
        &world.study,
        "quotes.yaml",
        &quotes.replace("participant: 1b", "participant: nobody"),
    );
    // One line, the refusal: no diagnostic, no summary (checked inside).
    world.assert_refused(&world.study, "it is the study folder");
    let built = world.build(world.root.join("site"), &[]);
    assert_eq!(built.code, 1, "{built:?}");
}
