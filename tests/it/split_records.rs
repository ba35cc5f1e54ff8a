//! Quotes and participants split over the `*.yaml` files of `quotes/` and
//! `participants/`: the same site as the single files, and diagnostics that
//! name the file each record was read from.

use std::path::Path;

use crate::site_support::{assert_same_tree, build_ok, read_tree, valid_copy, write};
use crate::support::{findings, run};

/// Moves `NAME.yaml` of `study` into `NAME/a.yaml` and `NAME/b.yaml`, the
/// second starting at the record whose first line is `second`. `head` is
/// what the second file starts with (its list's key).
fn split(study: &Path, name: &str, second: &str, head: &str) {
    let single = study.join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&single).unwrap();
    let at = text
        .find(second)
        .unwrap_or_else(|| panic!("`{second}` is not in {name}.yaml"));
    write(study, &format!("{name}/a.yaml"), &text[..at]);
    write(study, &format!("{name}/b.yaml"), &format!("{head}{}", &text[at..]));
    std::fs::remove_file(single).unwrap();
}

fn split_study() -> (tempfile::TempDir, std::path::PathBuf) {
    let (temp, study) = valid_copy();
    split(&study, "quotes", "  - id: holidays\n", "quotes:\n");
    split(&study, "participants", "  - id: 1b\n", "participants:\n");
    (temp, study)
}

#[test]
fn a_split_study_builds_the_same_site_as_its_single_files() {
    let (temp, single) = valid_copy();
    let (_split_temp, split) = split_study();
    assert!(split.join("quotes/b.yaml").is_file() && !split.join("quotes.yaml").exists());
    let single_site = temp.path().join("single-site");
    let split_site = temp.path().join("split-site");
    build_ok(&single, &single_site, &[]);
    build_ok(&split, &split_site, &[]);
    assert_same_tree(&read_tree(&split_site), &read_tree(&single_site));
}

#[test]
fn diagnostics_name_the_file_each_record_was_read_from() {
    let (_temp, study) = split_study();
    let quotes = std::fs::read_to_string(study.join("quotes/b.yaml")).unwrap();
    write(
        &study,
        "quotes/b.yaml",
        &quotes.replace("participant: 1a", "participant: 1c"),
    );
    let participants = std::fs::read_to_string(study.join("participants/b.yaml")).unwrap();
    write(
        &study,
        "participants/b.yaml",
        &participants.replace("service: \"2\"", "service: \"3\""),
    );
    let output = run(findings()
        .arg("check")
        .arg("study")
        .args(["--format", "github"])
        .current_dir(study.parent().unwrap()));
    assert_eq!(output.code, 1, "{}", output.stderr);
    let lines: Vec<&str> = output.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "::error file=study/participants/b.yaml,line=11,col=14,title=E402 unknown-service::no service has the id `3`%0Ahelp: known service ids: `1`, `2`",
            "::error file=study/quotes/b.yaml,line=12,col=18,title=E401 unknown-participant::no participant has the id `1c`%0Ahelp: known participant ids: `1a`, `1b`, `2`",
        ],
        "{}",
        output.stdout
    );
}
