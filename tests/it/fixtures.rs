//! The fixture corpus of `findings check`.
//!
//! `tests/fixtures/valid/` is a small complete study that checks clean.
//! Each folder of `tests/fixtures/invalid/` is one bad input, written as an
//! overlay: the files that differ from `valid/`, plus
//!
//! * `expected.txt`: the exact stdout of `findings check study --format
//!   github`, run in a temporary folder where `valid/` was copied to `study/`
//!   and the overlay applied, then a last line `exit: N`;
//! * `remove.txt` (optional): study-relative paths to delete, one a line;
//! * `note.md`: for the cases the harness makes in code (see
//!   [`MADE_IN_CODE`]), what it makes.
//!
//! The human output of every case (`--color never`) is an insta snapshot.
//! No run may panic or outlast [`support::TIMEOUT`].
//!
//! To accept new expected output after reading it, run the tests with
//! `FINDINGS_BLESS=1` (expected.txt) and `INSTA_UPDATE=always` (snapshots),
//! then review the changes with `git diff`.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use findings::diagnostic::Code;
use findings::model::{Amount, Block, QuoteContent, TableKind};
use tempfile::TempDir;

use crate::support::{self, Run, copy_dir, findings, line_diff, run};

/// Files of a case folder that describe the case rather than overlay the study.
const CASE_FILES: &[&str] = &["expected.txt", "remove.txt", "note.md"];

/// Cases whose input cannot be committed as files, so the harness makes it
/// (see [`make`]). Each still has a folder with `expected.txt` and `note.md`.
const MADE_IN_CODE: &[&str] = &[
    "directory-instead-of-file",
    "fifo",
    "file-too-large",
    "large-narrative",
    "not-utf8-bytes",
    "not-utf8-name",
    "read-failed",
    "symlink",
];

/// One folder of `tests/fixtures/invalid/`.
struct Case {
    name: String,
    dir: PathBuf,
}

impl Case {
    fn expected_path(&self) -> PathBuf {
        self.dir.join("expected.txt")
    }

    fn expected(&self) -> String {
        fs::read_to_string(self.expected_path())
            .unwrap_or_else(|error| panic!("case `{}` has no readable expected.txt: {error}", self.name))
    }
}

fn invalid_dir() -> PathBuf {
    support::fixtures_dir().join("invalid")
}

/// Every case, by name.
fn cases() -> Vec<Case> {
    let mut cases: Vec<Case> = fs::read_dir(invalid_dir())
        .expect("tests/fixtures/invalid exists")
        .map(|entry| entry.expect("a folder entry"))
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
        .map(|entry| Case {
            name: entry.file_name().into_string().expect("case names are UTF-8"),
            dir: entry.path(),
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

/// The overlay files of a case, as paths relative to its folder.
fn overlay_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, found: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = fs::read_dir(dir)
            .expect("a case folder can be listed")
            .map(|entry| entry.expect("a folder entry"))
            .collect();
        entries.sort_by_key(fs::DirEntry::file_name);
        for entry in entries {
            let path = entry.path();
            if entry.file_type().expect("a file type").is_dir() {
                walk(root, &path, found);
            } else {
                let relative = path.strip_prefix(root).expect("inside the case").to_path_buf();
                if !(relative.parent() == Some(Path::new(""))
                    && CASE_FILES.iter().any(|name| relative == Path::new(name)))
                {
                    found.push(relative);
                }
            }
        }
    }
    let mut found = Vec::new();
    walk(dir, dir, &mut found);
    found
}

/// A case's study, ready to check: `<temp>/study`.
struct Prepared {
    temp: TempDir,
}

impl Prepared {
    fn root(&self) -> &Path {
        self.temp.path()
    }
}

/// Copies `valid/` to `<temp>/study`, applies the case's overlay and
/// `remove.txt`, and makes what the harness makes in code. `None` when this
/// platform cannot make the case's input.
fn prepare(case: &Case) -> Option<Prepared> {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let study = temp.path().join("study");
    copy_dir(&support::valid_fixture(), &study);
    for relative in overlay_files(&case.dir) {
        let target = study.join(&relative);
        fs::create_dir_all(target.parent().expect("a parent")).expect("overlay folders can be made");
        fs::copy(case.dir.join(&relative), &target)
            .unwrap_or_else(|error| panic!("case `{}`: cannot copy {}: {error}", case.name, relative.display()));
    }
    if let Ok(list) = fs::read_to_string(case.dir.join("remove.txt")) {
        for line in list.lines().map(str::trim).filter(|line| !line.is_empty()) {
            let target = study.join(line);
            let removed = if target.is_dir() {
                fs::remove_dir_all(&target)
            } else {
                fs::remove_file(&target)
            };
            removed.unwrap_or_else(|error| panic!("case `{}`: cannot remove `{line}`: {error}", case.name));
        }
    }
    if MADE_IN_CODE.contains(&case.name.as_str()) {
        match make(&case.name, &study) {
            Ok(true) => {}
            Ok(false) => return None,
            Err(error) => panic!("case `{}`: cannot make its input: {error}", case.name),
        }
    }
    Some(Prepared { temp })
}

/// Makes the input of a case of [`MADE_IN_CODE`] in `study`. `Ok(false)`
/// when this platform cannot make it.
fn make(case: &str, study: &Path) -> io::Result<bool> {
    match case {
        // A folder named quotes.yaml (holding a quotes.yaml of its own).
        "directory-instead-of-file" => {
            let quotes = study.join("quotes.yaml");
            let text = fs::read(&quotes)?;
            fs::remove_file(&quotes)?;
            fs::create_dir(&quotes)?;
            fs::write(quotes.join("quotes.yaml"), text)?;
        }
        // quotes.yaml one byte over the limit: extended sparse, so the test
        // writes almost nothing.
        "file-too-large" => {
            let file = fs::OpenOptions::new().write(true).open(study.join("quotes.yaml"))?;
            file.set_len(findings::load::read::MAX_FILE_BYTES + 1)?;
        }
        // Named pipes where findings reads files: a section, a template and
        // a static file. Opening one for reading would wait for a writer
        // forever.
        #[cfg(unix)]
        "fifo" => {
            fs::create_dir_all(study.join("templates").join("partials"))?;
            fs::create_dir_all(study.join("static"))?;
            for path in ["sections/03-pipe.md", "templates/partials/pipe.html", "static/feed.txt"] {
                let made = std::process::Command::new("mkfifo").arg(study.join(path)).status()?;
                if !made.success() {
                    return Err(io::Error::other(format!("mkfifo {path} failed")));
                }
            }
        }
        // A 3 MiB section that is slow to read if anything in reading it is
        // quadratic: 1 MiB of `[` in one paragraph (each could open a
        // citation), then 50,000 lines of citations and elisions.
        "large-narrative" => {
            let mut text = String::from("---\nid: notes\ntitle: Notes\n---\n");
            text.push_str(&"[".repeat(1024 * 1024));
            text.push_str("\n\n");
            text.push_str(&"See [@braun2006], @kimberlee2015 [p. 3] and [...].\n".repeat(50_000));
            fs::write(study.join("sections").join("03-notes.md"), text)?;
        }
        // quotes.yaml with one Latin-1 byte (é) in the text of quote `caseload`.
        "not-utf8-bytes" => {
            let quotes = study.join("quotes.yaml");
            let text = fs::read_to_string(&quotes)?;
            let (before, after) = text.split_once("thirty people").expect("the caseload quote");
            let mut bytes = before.as_bytes().to_vec();
            bytes.extend_from_slice(b"thirty caf\xe9 regulars");
            bytes.extend_from_slice(after.as_bytes());
            fs::write(&quotes, bytes)?;
        }
        // A section whose file name is Latin-1, not UTF-8: sections/03-caf\xe9.md.
        #[cfg(target_os = "linux")]
        "not-utf8-name" => {
            use std::ffi::OsStr;
            use std::os::unix::ffi::OsStrExt;
            let name = OsStr::from_bytes(b"03-caf\xe9.md");
            let section = "---\nid: cafe\ntitle: Caf\u{e9}\n---\nA section nobody can name.\n";
            fs::write(study.join("sections").join(name), section)?;
        }
        // A folder so deep that its path is longer than the system allows
        // (PATH_MAX, 4096 bytes on Linux), so it cannot be listed: notes/
        // then 16 folders named with 255 `n`s. It is made with short names,
        // then renamed from the bottom up, so that no path the test uses is
        // too long.
        #[cfg(target_os = "linux")]
        "read-failed" => {
            let notes = study.join("notes");
            let mut path = notes.clone();
            for _ in 0..16 {
                path.push("a");
                fs::create_dir_all(&path)?;
            }
            // Bottom-up, the folders above the one renamed still have short
            // names.
            let long = "n".repeat(255);
            for level in (0..16).rev() {
                let parent = (0..level).fold(notes.clone(), |path, _| path.join("a"));
                fs::rename(parent.join("a"), parent.join(&long))?;
            }
        }
        // quotes.yaml and sections/01-methods.md replaced by links to their
        // contents (quotes.txt and sections/methods.txt).
        #[cfg(unix)]
        "symlink" => {
            use std::os::unix::fs::symlink;
            fs::rename(study.join("quotes.yaml"), study.join("quotes.txt"))?;
            symlink("quotes.txt", study.join("quotes.yaml"))?;
            let sections = study.join("sections");
            fs::rename(sections.join("01-methods.md"), sections.join("methods.txt"))?;
            symlink("methods.txt", sections.join("01-methods.md"))?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// Runs `findings check study <args>` in the prepared folder.
fn check(prepared: &Prepared, args: &[&str]) -> Run {
    run(findings()
        .current_dir(prepared.root())
        .arg("check")
        .arg("study")
        .args(args))
}

/// What expected.txt holds for a run: stdout, then `exit: N`.
fn as_expected(run: &Run) -> String {
    format!("{}exit: {}\n", run.stdout, run.code)
}

/// What the snapshot holds for a run of the human format.
fn as_snapshot(run: &Run) -> String {
    assert!(
        run.stdout.is_empty(),
        "the human format prints nothing on stdout:\n{}",
        run.stdout
    );
    format!("{}exit: {}\n", run.stderr, run.code)
}

#[test]
fn the_valid_fixture_checks_clean() {
    let fixtures = support::fixtures_dir();
    let github =
        run(findings()
            .current_dir(&fixtures)
            .args(["check", "valid", "--deny-warnings", "--format", "github"]));
    assert_eq!((github.code, github.stdout.as_str()), (0, ""), "{github:?}");
    assert_eq!(github.stderr, "valid: no problems found\n");
    let human = run(findings()
        .current_dir(&fixtures)
        .args(["check", "valid", "--deny-warnings", "--color", "never"]));
    assert_eq!((human.code, human.stdout.as_str()), (0, ""), "{human:?}");
    assert_eq!(human.stderr, "valid: no problems found\n");
    let json = run(findings()
        .current_dir(&fixtures)
        .args(["check", "valid", "--deny-warnings", "--format", "json"]));
    assert_eq!(json.code, 0, "{json:?}");
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(report["errors"], 0);
    assert_eq!(report["warnings"], 0);
    assert_eq!(report["diagnostics"], serde_json::json!([]));
}

/// The valid fixture has what the invalid cases change: keeps it from
/// drifting into a study that no longer exercises them.
#[test]
fn the_valid_fixture_has_every_kind_of_record() {
    let checked = findings::check_study(&support::valid_fixture()).expect("the fixture folder opens");
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    let study = checked.study.expect("a valid study");
    assert_eq!(study.typology.models.len(), 2);
    assert_eq!(study.organisation_types.len(), 2);
    assert_eq!(study.services.len(), 2);
    assert_eq!(study.participants.len(), 3);
    assert!(study.roles.roles.len() >= 2);
    assert_eq!(study.references.len(), 2);
    assert_eq!(study.quotes.len(), 3);
    let with_turns = study
        .quotes
        .iter()
        .filter(|quote| matches!(quote.content, QuoteContent::Turns(_)))
        .count();
    assert_eq!(with_turns, 1);
    assert!(study.quotes.iter().all(|quote| quote.placement.is_some()));
    assert!(
        study
            .figures
            .iter()
            .any(|figure| matches!(figure.amount, Amount::Value(_)))
    );
    assert!(
        study
            .figures
            .iter()
            .any(|figure| matches!(figure.amount, Amount::Range { .. }))
    );
    assert_eq!(study.sections.iter().filter(|section| section.findings).count(), 1);
    let methods = study
        .sections
        .iter()
        .find(|section| section.id == "methods")
        .expect("a methods section");
    for wanted in [
        Block::Table(TableKind::Typology),
        Block::Table(TableKind::Sample),
        Block::Table(TableKind::Roles),
        Block::Figures,
    ] {
        assert!(methods.blocks.contains(&wanted), "methods places {wanted:?}");
    }
    assert_eq!(study.themes.len(), 1);
    assert_eq!(study.themes[0].subthemes.len(), 2);
}

/// Runs every case: stdout and exit status of the github format must be
/// exactly expected.txt, and the human format must match its snapshot.
#[test]
fn every_invalid_case_gives_its_expected_output() {
    let bless = std::env::var_os("FINDINGS_BLESS").is_some_and(|value| !value.is_empty());
    let mut failures = Vec::new();
    let mut skipped = Vec::new();
    let cases = cases();
    assert!(cases.len() >= 30, "the corpus has {} cases", cases.len());
    for case in &cases {
        let Some(prepared) = prepare(case) else {
            skipped.push(case.name.clone());
            continue;
        };
        let github = check(&prepared, &["--format", "github"]);
        let actual = as_expected(&github);
        if bless {
            fs::write(case.expected_path(), &actual).expect("expected.txt can be written");
        } else {
            let expected = case.expected();
            if expected != actual {
                failures.push(format!(
                    "case `{}`: `findings check study --format github` printed something else than {}\n\
                     (- expected, + actual):\n{}",
                    case.name,
                    case.expected_path().display(),
                    line_diff(&expected, &actual)
                ));
            }
        }
        let human = check(&prepared, &["--color", "never"]);
        assert_eq!(
            human.code, github.code,
            "case `{}`: the exit status does not depend on the format",
            case.name
        );
        let snapshot = as_snapshot(&human);
        let name = case.name.clone();
        let snapshotted = catch_unwind(AssertUnwindSafe(|| {
            insta::with_settings!({
                description => format!("findings check study --color never  (case tests/fixtures/invalid/{name})"),
                omit_expression => true,
            }, {
                insta::assert_snapshot!(name.as_str(), snapshot);
            });
        }));
        if snapshotted.is_err() {
            failures.push(format!(
                "case `{}`: the human output differs from its snapshot (see above)",
                case.name
            ));
        }
    }
    // Say what did not run, rather than pass in silence.
    #[allow(clippy::print_stderr)]
    if !skipped.is_empty() {
        eprintln!("cases this platform cannot make, skipped: {}", skipped.join(", "));
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Every diagnostic code has a case whose expected output contains it.
#[test]
fn every_code_has_a_case() {
    let expected: Vec<String> = cases().iter().map(Case::expected).collect();
    let missing: Vec<&str> = Code::ALL
        .iter()
        .map(|code| code.id())
        .filter(|id| !expected.iter().any(|text| text.contains(&format!("title={id} "))))
        .collect();
    assert!(
        missing.is_empty(),
        "no case of tests/fixtures/invalid/ gives {}",
        missing.join(", ")
    );
}

/// Each case folder is well formed: expected.txt ends with `exit: N`, the
/// case changes something, and a `note.md` goes with making it in code.
#[test]
fn every_case_folder_is_well_formed() {
    let cases = cases();
    let names: BTreeSet<&str> = cases.iter().map(|case| case.name.as_str()).collect();
    for made in MADE_IN_CODE {
        assert!(names.contains(made), "no folder for the case `{made}` made in code");
    }
    for case in &cases {
        let expected = case.expected();
        let last = expected.lines().last().unwrap_or_default();
        let code = last.strip_prefix("exit: ").and_then(|code| code.parse::<i32>().ok());
        assert!(
            expected.ends_with('\n') && code.is_some(),
            "case `{}`: expected.txt must end with a line `exit: N`",
            case.name
        );
        let made_in_code = MADE_IN_CODE.contains(&case.name.as_str());
        assert_eq!(
            case.dir.join("note.md").is_file(),
            made_in_code,
            "case `{}`: a note.md says what the harness makes, for the cases made in code only",
            case.name
        );
        let changes = !overlay_files(&case.dir).is_empty() || case.dir.join("remove.txt").is_file() || made_in_code;
        assert!(changes, "case `{}` changes nothing", case.name);
    }
}

/// Git must not normalise the line endings or drop the byte-order marks of
/// the BOM and CRLF cases (tests/fixtures/.gitattributes says `-text`).
#[test]
fn the_bom_crlf_cases_have_boms_and_crlf() {
    for name in ["bom-crlf", "bom-crlf-positions"] {
        let case = invalid_dir().join(name);
        let files = overlay_files(&case);
        assert!(files.len() >= 2, "{name}: {files:?}");
        for relative in files {
            let bytes = fs::read(case.join(&relative)).expect("readable");
            let file = relative.display();
            assert!(bytes.starts_with("\u{feff}".as_bytes()), "{name}: {file} has no BOM");
            let lines = bytes.iter().filter(|byte| **byte == b'\n').count();
            let crlf = bytes.windows(2).filter(|pair| pair == b"\r\n").count();
            assert!(lines > 0 && crlf == lines, "{name}: {file} is not all CRLF");
        }
    }
}

/// The ignored files of `hidden-and-backup-files-ignored` are really there
/// (a global gitignore could drop editor backups from a checkout).
#[test]
fn the_ignored_files_case_has_its_files() {
    let case = invalid_dir().join("hidden-and-backup-files-ignored");
    let files: BTreeSet<String> = overlay_files(&case)
        .iter()
        .map(|path| path.to_string_lossy().replace('\\', "/"))
        .collect();
    for wanted in [
        ".notes.yaml",
        ".drafts/quotes.yaml",
        "quotes.yaml~",
        "#quotes.yaml#",
        "quotes.yaml.bak",
        "study.yaml.swp",
        "study.yaml.SWO",
        "participants.tmp",
        "sections/.03-hidden.md",
        "sections/03-draft.md~",
        "themes/#02-draft.md#",
    ] {
        assert!(files.contains(wanted), "{wanted} is missing from {}", case.display());
    }
}
