//! Finding the study without a study argument: in the current folder, in a
//! folder above it up to a repository root, or in `data/`; and a build
//! run inside the study writing its site beside the study, never into it.

use std::fs;
use std::path::Path;

use crate::serve_support::{get, start};
use crate::support::{self, Run, copy_dir, findings, run, transcript};

/// A temporary folder holding a copy of the valid fixture at `my-study`.
fn study_in_temp() -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("a temporary folder");
    copy_dir(&support::valid_fixture(), &temp.path().join("my-study"));
    temp
}

fn assert_run(name: &str, command: &str, run: &Run, temp: &Path) {
    insta::with_settings!({
        description => format!("findings {command}"),
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, transcript(run, Some(temp)));
    });
}

#[test]
fn check_finds_the_study_in_the_current_folder_and_above() {
    let temp = study_in_temp();
    let study = temp.path().join("my-study");
    let here = run(findings().current_dir(&study).arg("check"));
    assert_run("check_in_study_folder", "check (in my-study)", &here, temp.path());
    let below = run(findings().current_dir(study.join("themes")).arg("check"));
    assert_run(
        "check_in_study_subfolder",
        "check (in my-study/themes)",
        &below,
        temp.path(),
    );
    // Diagnostics name the files as found from the current folder.
    fs::write(study.join("themes").join("stray.yaml"), "a: b\n").expect("writable");
    let named = run(findings().current_dir(study.join("themes")).arg("check"));
    assert_run(
        "check_in_study_subfolder_problem",
        "check (in my-study/themes)",
        &named,
        temp.path(),
    );
}

#[test]
fn the_walk_up_stops_at_a_repository_root() {
    let temp = study_in_temp();
    // A repository inside the study: the study above it is not its study.
    let repository = temp.path().join("my-study").join("static").join("tool");
    fs::create_dir_all(repository.join(".git")).expect("a repository");
    fs::create_dir_all(repository.join("src")).expect("a folder");
    let missing = run(findings().current_dir(repository.join("src")).arg("check"));
    assert_run(
        "no_study_in_repository",
        "check (in a repository)",
        &missing,
        temp.path(),
    );
}

#[test]
fn a_build_inside_the_study_writes_beside_it() {
    let temp = study_in_temp();
    let study = temp.path().join("my-study");
    let built = run(findings().current_dir(study.join("themes")).arg("build"));
    // The summary line ends with a timing, so it is compared up to there.
    let stderr = transcript(&built, Some(temp.path()));
    assert!(
        stderr.starts_with("exit: 0\n----- stdout -----\n----- stderr -----\nmy-study: no problems found\nbuilt 13 pages with 3 charts (14 files) into [TEMP]/my-study-site in "),
        "{stderr}"
    );
    assert!(temp.path().join("my-study-site").join("index.html").is_file());
    assert!(!study.join("public").exists() && !study.join("themes").join("public").exists());

    // Asked for explicitly, a folder inside the study stays refused.
    let refused = run(findings().current_dir(&study).args(["build", "-o", "public"]));
    assert_run(
        "build_in_study_into_study",
        "build -o public (in my-study)",
        &refused,
        temp.path(),
    );
    assert!(!study.join("public").exists());
}

#[test]
fn a_build_beside_the_study_writes_public_as_before() {
    let temp = study_in_temp();
    let built = run(findings().current_dir(temp.path()).args(["build", "my-study"]));
    assert_eq!(built.code, 0, "{built:?}");
    assert!(temp.path().join("public").join("index.html").is_file());
}

#[test]
fn serve_finds_the_study_from_a_folder_inside_it() {
    let temp = study_in_temp();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_findings"));
    command
        .current_dir(temp.path().join("my-study").join("themes"))
        .args(["serve", "--port", "0"])
        .env_remove("CI")
        .env("NO_COLOR", "1");
    let (server, line) = start(&mut command);
    assert!(
        line.starts_with("serving .. at http://"),
        "serves the study above: {line}"
    );
    let (status, body) = get(server.port, "/");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Working lives in community services"), "{body}");
}
