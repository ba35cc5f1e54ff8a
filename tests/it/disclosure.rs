//! `findings privacy` and the disclosure-risk gate of `check` and `build`
//! (issue 14, items 2 and 3): the report's numbers for the bundled study,
//! read back from its JSON; a study below its threshold failing `check`
//! and writing no site; the report's exit statuses, and its errors
//! redacted like `check`'s.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{bundled_study, copy_dir, findings, fixtures_dir, run, transcript, valid_fixture};

/// `findings privacy STUDY --format json`, parsed, and its exit code.
fn privacy_json(study: &Path) -> (i32, Value) {
    let ran = run(findings().arg("privacy").arg(study).args(["--format", "json"]));
    let report = serde_json::from_str(&ran.stdout)
        .unwrap_or_else(|error| panic!("not JSON ({error}):\n{}\n{}", ran.stdout, ran.stderr));
    (ran.code, report)
}

/// The view of `kind` (and, for a chart, `chart`) in a parsed report.
fn view<'a>(report: &'a Value, kind: &str) -> &'a Value {
    report["views"]
        .as_array()
        .unwrap()
        .iter()
        .find(|view| view["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} view in {report:#}"))
}

/// The participant ids of each group of a view's `key` (`groups` or `below`).
fn groups(view: &Value, key: &str) -> Vec<Vec<String>> {
    view[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|group| {
            group["participants"]
                .as_array()
                .unwrap()
                .iter()
                .map(|id| id.as_str().unwrap().to_owned())
                .collect()
        })
        .collect()
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item.as_str().unwrap())
        .collect()
}

/// A copy of the valid fixture with the overlay of an invalid case.
fn valid_with(case: &str, temp: &Path) -> PathBuf {
    let study = temp.join("study");
    copy_dir(&valid_fixture(), &study);
    copy_dir(&fixtures_dir().join("invalid").join(case), &temp.join("overlay"));
    for entry in std::fs::read_dir(temp.join("overlay")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() && entry.file_name() != "expected.txt" {
            std::fs::copy(entry.path(), study.join(entry.file_name())).unwrap();
        }
    }
    study
}

#[test]
fn the_bundled_study_has_k_1_in_its_table_and_its_attribution() {
    let (code, report) = privacy_json(&bundled_study());
    assert_eq!(code, 0, "k = 1 is met: {report:#}");
    assert_eq!(report["k_required"], 1);
    assert_eq!(report["meets_threshold"], true);

    let table = view(&report, "sample_table");
    assert_eq!(table["k"], 1);
    assert_eq!(table["participants"], 8);
    let singles = groups(table, "groups");
    assert_eq!(singles.len(), 8, "all 8 participants are unique: {singles:?}");
    assert!(singles.iter().all(|group| group.len() == 1));

    let attribution = view(&report, "attribution");
    assert_eq!(attribution["k"], 1);
    assert_eq!(strings(&attribution["fields"]), ["role", "organisation_type", "model"]);
    assert_eq!(
        groups(attribution, "groups"),
        [vec!["1a", "1b", "4b"], vec!["2", "3"], vec!["4a"], vec!["5"], vec!["6"]]
    );
    assert!(groups(attribution, "below").is_empty(), "nothing is below k = 1");
    assert_eq!(report["consent"]["quote"], 8, "the paper quotes every participant");
    assert_eq!(report["consent"]["no_quote"], 0);
    assert_eq!(report["consent"]["withdrawn"], 0);
    assert!(report["editorial_marks"]["total"]["elisions"].as_u64().unwrap() > 0);
}

#[test]
fn the_human_report_names_each_view_its_fields_and_k() {
    let ran = run(findings().arg("privacy").arg(valid_fixture()));
    insta::assert_snapshot!("privacy_valid_human", transcript(&ran, None));
}

#[test]
fn k_3_over_gender_contract_and_role_fails_check_naming_the_sample_table() {
    let temp = tempfile::tempdir().unwrap();
    let study = valid_with("disclosure-risk", temp.path());

    let checked = run(findings().arg("check").arg(&study).args(["--color", "never"]));
    assert_eq!(checked.code, 1, "{}", checked.stderr);
    assert!(
        checked.stderr.contains(
            "error[E340 disclosure-risk]: the sample table shows `gender`, `contract`, `role`, `role_description` beside each participant; k is 1, the study requires 3"
        ),
        "{}",
        checked.stderr
    );

    let out = temp.path().join("site");
    let built = run(findings().arg("build").arg(&study).arg("-o").arg(&out));
    assert_eq!(built.code, 1, "{}", built.stderr);
    assert!(!out.exists(), "a study below its threshold is not published");

    let (code, report) = privacy_json(&study);
    assert_eq!(code, 1, "a view below k: {report:#}");
    assert_eq!(report["meets_threshold"], false);
    let table = view(&report, "sample_table");
    assert_eq!(
        strings(&table["fields"]),
        ["gender", "contract", "role", "role_description"]
    );
    assert_eq!(groups(table, "below"), [vec!["1a"], vec!["1b"], vec!["2"]]);
}

#[test]
fn a_study_with_errors_gets_them_as_check_prints_them_redacted_under_ci() {
    let temp = tempfile::tempdir().unwrap();
    let study = valid_with("unknown-participant", temp.path());
    let plain = run(findings().arg("privacy").arg(&study).args(["--color", "never"]));
    assert_eq!(plain.code, 1, "{}", plain.stderr);
    assert!(plain.stdout.is_empty(), "no report for a study with errors");
    assert!(plain.stderr.contains("`1c`"), "{}", plain.stderr);
    let redacted = run(findings().arg("privacy").arg(&study).env("CI", "true"));
    assert_eq!(redacted.code, 1, "{}", redacted.stderr);
    assert!(!redacted.stderr.contains("1c"), "{}", redacted.stderr);
    assert!(redacted.stderr.contains("E401"), "{}", redacted.stderr);
}

#[test]
fn usage_errors_exit_2() {
    let ran = run(findings()
        .arg("privacy")
        .arg(valid_fixture())
        .args(["--format", "github"]));
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    let missing = tempfile::tempdir().unwrap();
    let ran = run(findings().arg("privacy").arg(missing.path().join("nowhere")));
    assert_eq!(ran.code, 2, "{}", ran.stderr);
}

#[test]
fn nothing_of_the_report_is_published() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("site");
    let built = run(findings().arg("build").arg(valid_fixture()).arg("-o").arg(&out));
    assert_eq!(built.code, 0, "{}", built.stderr);
    for entry in walk(&out) {
        let bytes = std::fs::read(&entry).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for word in ["Disclosure risk", "k_required", "below k"] {
            assert!(!text.contains(word), "{} holds {word:?}", entry.display());
        }
    }
}

fn walk(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}
