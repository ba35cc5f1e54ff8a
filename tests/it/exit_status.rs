//! The exit status when stdout cannot take the product: a failed write
//! (`> /dev/full`) exits 2 with a one-line error, a reader that closed
//! stdout (`| head -c1`) exits 0 and says nothing (ripgrep's rule).

use std::fs;
use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::Instant;

use crate::support::{self, copy_dir};

/// How a run with a given stdout ended.
#[derive(Debug)]
struct Ended {
    code: i32,
    stderr: String,
}

/// Runs `findings args` in `dir` with `stdout`, stderr captured, within
/// [`support::TIMEOUT`].
fn run_with_stdout(dir: &Path, args: &[&str], stdout: impl Into<Stdio>) -> Ended {
    let mut child = Command::new(env!("CARGO_BIN_EXE_findings"))
        .current_dir(dir)
        .args(args)
        .env_remove("CI")
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .expect("findings starts");
    let mut stderr_pipe = child.stderr.take().expect("stderr is piped");
    let reader = thread::spawn(move || {
        let mut stderr = String::new();
        stderr_pipe.read_to_string(&mut stderr).expect("UTF-8 on stderr");
        stderr
    });
    let deadline = Instant::now() + support::TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child can be waited for") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("findings {args:?} did not finish within {:?}", support::TIMEOUT);
        }
        thread::sleep(std::time::Duration::from_millis(10));
    };
    let stderr = reader.join().expect("the stderr reader");
    let code = status
        .code()
        .unwrap_or_else(|| panic!("findings {args:?} was killed by a signal: {status}\n{stderr}"));
    assert_ne!(code, 101, "findings {args:?} panicked:\n{stderr}");
    Ended { code, stderr }
}

/// A pipe whose reader is closed before `findings` starts, so that its
/// first write to stdout fails with a broken pipe, whatever the timing.
fn closed_pipe() -> std::io::PipeWriter {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    writer
}

/// A copy of the valid fixture at `<temp>/study` whose quote names a
/// participant nobody lists: `check` exits 1.
fn study_with_an_error() -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let study = temp.path().join("study");
    copy_dir(&support::valid_fixture(), &study);
    let quotes = study.join("quotes.yaml");
    let text = fs::read_to_string(&quotes).expect("quotes.yaml");
    let changed = text.replacen("participant: 1a", "participant: 9z", 1);
    assert_ne!(text, changed);
    fs::write(&quotes, changed).expect("writable");
    temp
}

/// The one line a failed write to stdout prints.
#[track_caller]
fn assert_one_line_error(ended: &Ended) {
    assert_eq!(ended.code, 2, "{ended:?}");
    let first = ended.stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("error: could not write to standard output: "),
        "{ended:?}"
    );
}

#[cfg(target_os = "linux")]
fn full_disk() -> fs::File {
    fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full exists on Linux")
}

#[cfg(target_os = "linux")]
#[test]
fn a_report_that_cannot_be_written_exits_2() {
    let fixtures = support::fixtures_dir();
    for format in ["json", "github"] {
        // The github report of a clean study is empty: nothing fails to be
        // written. A study with an error has an annotation to write.
        let temp = study_with_an_error();
        let ended = run_with_stdout(temp.path(), &["check", "study", "--format", format], full_disk());
        assert_one_line_error(&ended);
        assert_eq!(ended.stderr.lines().count(), 1, "{ended:?}");
    }
    let clean = run_with_stdout(&fixtures, &["check", "valid", "--format", "json"], full_disk());
    assert_one_line_error(&clean);
    assert_eq!(clean.stderr.lines().count(), 1, "{clean:?}");
}

#[cfg(target_os = "linux")]
#[test]
fn completions_help_and_version_that_cannot_be_written_exit_2() {
    let here = support::manifest_dir();
    for args in [
        &["completions", "bash"][..],
        &["--help"],
        &["--version"],
        &["check", "--help"],
    ] {
        let ended = run_with_stdout(here, args, full_disk());
        assert_one_line_error(&ended);
        assert_eq!(ended.stderr.lines().count(), 1, "{args:?}: {ended:?}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_build_whose_report_cannot_be_written_writes_no_site() {
    let temp = tempfile::tempdir().expect("a temporary folder");
    copy_dir(&support::valid_fixture(), &temp.path().join("study"));
    let ended = run_with_stdout(
        temp.path(),
        &["build", "study", "-o", "site", "--format", "json"],
        full_disk(),
    );
    assert_one_line_error(&ended);
    assert!(ended.stderr.ends_with("the site was not written\n"), "{ended:?}");
    assert!(!temp.path().join("site").exists(), "a site was written");
}

#[test]
fn a_reader_that_closed_stdout_ends_the_run_quietly_with_0() {
    let fixtures = support::fixtures_dir();
    let clean = run_with_stdout(&fixtures, &["check", "valid", "--format", "json"], closed_pipe());
    assert_eq!((clean.code, clean.stderr.as_str()), (0, ""), "{clean:?}");
    // Even when the study has errors: the reader asked for no more.
    let temp = study_with_an_error();
    for format in ["json", "github"] {
        let ended = run_with_stdout(temp.path(), &["check", "study", "--format", format], closed_pipe());
        assert_eq!((ended.code, ended.stderr.as_str()), (0, ""), "{format}: {ended:?}");
    }
    let completions = run_with_stdout(&fixtures, &["completions", "bash"], closed_pipe());
    assert_eq!(
        (completions.code, completions.stderr.as_str()),
        (0, ""),
        "{completions:?}"
    );
}

/// The same runs with a reader that reads: the statuses above come from
/// stdout, not from the study.
#[test]
fn with_a_reader_the_same_runs_report_the_study() {
    let temp = study_with_an_error();
    let ended = run_with_stdout(temp.path(), &["check", "study", "--format", "json"], Stdio::null());
    assert_eq!(ended.code, 1, "{ended:?}");
    assert_eq!(ended.stderr, "study: 1 error and 0 warnings\n");
}
