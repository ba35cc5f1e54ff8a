//! Helpers shared by the integration tests: running the binary in a known
//! environment, and copying studies into temporary folders.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;

/// No run of `findings` may take longer than this: one that does hangs.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// Environment variables that change what `findings` prints. Every run
/// starts without them; a test that wants one sets it.
const OUTPUT_VARIABLES: &[&str] = &[
    "CI",
    "NO_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "COLUMNS",
    "LINES",
    "TERM",
];

/// The crate's folder.
pub fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/`.
pub fn fixtures_dir() -> PathBuf {
    manifest_dir().join("tests").join("fixtures")
}

/// The valid fixture study, `tests/fixtures/valid/`.
pub fn valid_fixture() -> PathBuf {
    fixtures_dir().join("valid")
}

/// The bundled study, `data/`.
pub fn bundled_study() -> PathBuf {
    manifest_dir().join("data")
}

/// A `findings` command with none of [`OUTPUT_VARIABLES`] set, and the
/// [`TIMEOUT`].
pub fn findings() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_findings"));
    for name in OUTPUT_VARIABLES {
        command.env_remove(name);
    }
    command.timeout(TIMEOUT);
    command
}

/// What a finished run printed, and its exit code.
#[derive(Debug)]
pub struct Run {
    /// The exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs `command`, asserting that it finished in time, did not panic (exit
/// code 101) and printed UTF-8.
pub fn run(command: &mut Command) -> Run {
    let description = format!("{command:?}");
    let output = command
        .output()
        .unwrap_or_else(|error| panic!("could not run {description}: {error}"));
    let stderr = String::from_utf8(output.stderr)
        .unwrap_or_else(|error| panic!("{description} printed non-UTF-8 on stderr: {error}"));
    let Some(code) = output.status.code() else {
        panic!(
            "{description} did not finish within {TIMEOUT:?} (or was killed by a signal): {}\nstderr:\n{stderr}",
            output.status
        );
    };
    assert_ne!(code, 101, "{description} panicked:\n{stderr}");
    let stdout = String::from_utf8(output.stdout)
        .unwrap_or_else(|error| panic!("{description} printed non-UTF-8 on stdout: {error}"));
    Run { code, stdout, stderr }
}

/// Copies the folder `from` to `to` (which must not exist), files and
/// folders only.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap_or_else(|error| panic!("cannot create {}: {error}", to.display()));
    let mut entries: Vec<_> = fs::read_dir(from)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", from.display()))
        .map(|entry| entry.expect("a folder entry"))
        .collect();
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        let target = to.join(entry.file_name());
        let kind = entry.file_type().expect("a file type");
        if kind.is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target)
                .unwrap_or_else(|error| panic!("cannot copy {}: {error}", entry.path().display()));
        }
    }
}

/// A finished run as one text for a snapshot: the exit code, then stdout
/// and stderr, each under its own rule. Every place in `temp` (the run's
/// temporary folder, as given or as the file system resolves it) is written
/// `[TEMP]`, so the snapshot does not depend on where the test ran.
pub fn transcript(run: &Run, temp: Option<&Path>) -> String {
    let text = format!(
        "exit: {}\n----- stdout -----\n{}----- stderr -----\n{}",
        run.code,
        whole_lines(&run.stdout),
        whole_lines(&run.stderr)
    );
    let mut places: Vec<PathBuf> = temp.into_iter().map(Path::to_path_buf).collect();
    places.extend(temp.and_then(|temp| temp.canonicalize().ok()));
    // The longer first, so that a place inside another is replaced whole.
    places.sort_by_key(|place| std::cmp::Reverse(place.as_os_str().len()));
    places.iter().fold(text, |text, place| {
        text.replace(place.to_string_lossy().as_ref(), "[TEMP]")
    })
}

/// `output` as whole lines: one that does not end with a line break says so.
fn whole_lines(output: &str) -> String {
    if output.is_empty() || output.ends_with('\n') {
        output.to_owned()
    } else {
        format!("{output}\n(no line break at the end)\n")
    }
}
