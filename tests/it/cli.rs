//! The command line: help and version, usage errors, the output formats,
//! colour, redaction and exit statuses.

use std::fs;
use std::path::Path;

use tempfile::TempDir;

use crate::support::{self, Run, copy_dir, findings, run};

/// A copy of the valid fixture at `<temp>/study`, with `edit` applied to
/// the file `file` (replacing `old`, which must be there, by `new`).
fn study_with(file: &str, old: &str, new: &str) -> TempDir {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let study = temp.path().join("study");
    copy_dir(&support::valid_fixture(), &study);
    let path = study.join(file);
    let text = fs::read_to_string(&path).expect("the file exists");
    assert!(text.contains(old), "{file} does not contain {old:?}");
    fs::write(&path, text.replacen(old, new, 1)).expect("writable");
    temp
}

/// A study with problems whose snippets show study text: the brackets of
/// quote `blank-page` do not pair up (a warning, whose snippet is the
/// quote), and the typology's title is a list (an error with a detail).
fn erroneous_study() -> TempDir {
    let temp = study_with(
        "quotes.yaml",
        "I love the variety of it [...] I was just given a blank piece of paper.",
        "I love the variety of it [... I was just given a blank piece of paper.",
    );
    let typology = temp.path().join("study").join("typology.yaml");
    let text = fs::read_to_string(&typology).expect("typology.yaml");
    let changed = text.replacen("title: Two models of service\n", "title: [Two, models]\n", 1);
    assert_ne!(text, changed);
    fs::write(&typology, changed).expect("writable");
    temp
}

/// Words of quote `blank-page` that only a snippet of quotes.yaml can show.
const QUOTE_PHRASE: &str = "blank piece of paper";

fn check_in(dir: &Path, args: &[&str]) -> Run {
    run(findings().current_dir(dir).arg("check").args(args))
}

#[test]
fn help_is_stable() {
    let help = run(findings().arg("--help"));
    assert_eq!(help.code, 0, "{help:?}");
    assert_eq!(help.stderr, "");
    insta::assert_snapshot!("help", help.stdout);
}

#[test]
fn check_help_is_stable() {
    let help = run(findings().args(["check", "--help"]));
    assert_eq!(help.code, 0, "{help:?}");
    assert_eq!(help.stderr, "");
    insta::assert_snapshot!("check_help", help.stdout);
}

#[test]
fn version_is_the_crates() {
    let version = run(findings().arg("--version"));
    assert_eq!(version.code, 0, "{version:?}");
    assert_eq!(version.stdout, format!("findings {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn a_missing_study_folder_is_a_usage_error_naming_it() {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let missing = run(findings().current_dir(temp.path()).args(["check", "no-such-study"]));
    assert_eq!(missing.code, 2, "{missing:?}");
    assert_eq!(missing.stdout, "");
    assert!(missing.stderr.contains("no-such-study"), "{}", missing.stderr);
    assert!(missing.stderr.starts_with("error: "), "{}", missing.stderr);
}

#[test]
fn the_default_study_folder_is_data() {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let missing = run(findings().current_dir(temp.path()).arg("check"));
    assert_eq!(missing.code, 2, "{missing:?}");
    assert!(missing.stderr.contains("data"), "{}", missing.stderr);

    let bundled = run(findings().current_dir(support::manifest_dir()).arg("check"));
    assert_eq!(bundled.code, 0, "{bundled:?}");
    assert_eq!(bundled.stderr, "data: no problems found\n");
}

#[test]
fn a_file_is_not_a_study_folder() {
    let fixture = support::valid_fixture();
    let file = run(findings().current_dir(&fixture).args(["check", "study.yaml"]));
    assert_eq!(file.code, 2, "{file:?}");
    assert_eq!(file.stdout, "");
    assert!(file.stderr.contains("study.yaml is not a folder"), "{}", file.stderr);
}

#[test]
fn unknown_flags_and_values_are_usage_errors() {
    for args in [
        &["check", "--no-such-flag"][..],
        &["check", "--format", "xml"],
        &["check", "--color", "sometimes"],
        &["no-such-command"],
        &[],
    ] {
        let usage = run(findings().current_dir(support::valid_fixture()).args(args));
        assert_eq!(usage.code, 2, "{args:?}: {usage:?}");
        assert_eq!(usage.stdout, "", "{args:?}");
        assert!(!usage.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn json_has_the_documented_shape() {
    let temp = erroneous_study();
    let json = check_in(temp.path(), &["study", "--format", "json"]);
    assert_eq!(json.code, 1, "{json:?}");
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("one JSON document");
    let keys = |value: &serde_json::Value| -> Vec<String> {
        let mut keys: Vec<String> = value.as_object().expect("an object").keys().cloned().collect();
        keys.sort();
        keys
    };
    assert_eq!(keys(&report), ["diagnostics", "errors", "study", "version", "warnings"]);
    assert_eq!(report["version"], 1);
    assert_eq!(report["study"], "study");
    assert_eq!(report["errors"], 1);
    assert_eq!(report["warnings"], 1);
    let diagnostics = report["diagnostics"].as_array().expect("a list");
    assert_eq!(diagnostics.len(), 2);
    for diagnostic in diagnostics {
        assert_eq!(
            keys(diagnostic),
            [
                "code", "column", "detail", "file", "help", "key_path", "line", "message", "name", "path", "related",
                "severity"
            ]
        );
        assert!(diagnostic["related"].is_array());
    }
    // Sorted by file: quotes.yaml, then typology.yaml.
    let warning = &diagnostics[0];
    assert_eq!(warning["code"], "W004");
    assert_eq!(warning["name"], "unbalanced-brackets");
    assert_eq!(warning["severity"], "warning");
    assert_eq!(warning["file"], "quotes.yaml");
    assert_eq!(warning["path"], "study/quotes.yaml");
    assert_eq!(warning["line"], 5);
    assert_eq!(warning["column"], 7);
    assert_eq!(warning["key_path"], "quotes[0].text");
    assert!(
        warning["message"]
            .as_str()
            .is_some_and(|message| message.contains("blank-page"))
    );
    assert!(warning["help"].is_string());
    let error = &diagnostics[1];
    assert_eq!(error["code"], "E108");
    assert_eq!(error["severity"], "error");
    assert_eq!(error["file"], "typology.yaml");
    assert_eq!((error["line"].as_u64(), error["column"].as_u64()), (Some(1), Some(8)));
    assert_eq!(error["key_path"], "title");
    assert!(error["detail"].is_string(), "{error}");

    // A related place is {label, file, line, column}.
    let temp = study_with(
        "participants.yaml",
        "    gender: M\n    contract: PT\n",
        "    gender: M\n    contract: PT\n    gender: F\n",
    );
    let json = check_in(temp.path(), &["study", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("one JSON document");
    let related = &report["diagnostics"][0]["related"];
    assert_eq!(
        related,
        &serde_json::json!([{"label": "first written here", "file": "participants.yaml", "line": 19, "column": 5}])
    );
}

#[test]
fn redaction_hides_study_text_in_every_format() {
    let temp = erroneous_study();
    let shown = check_in(temp.path(), &["study", "--color", "never"]);
    assert!(
        shown.stderr.contains(QUOTE_PHRASE),
        "without redaction the snippet shows the quote:\n{}",
        shown.stderr
    );
    let json = check_in(temp.path(), &["study", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert!(report["diagnostics"][1]["detail"].is_string());

    for format in ["human", "json", "github"] {
        let by_flag = check_in(
            temp.path(),
            &["study", "--redact", "--color", "never", "--format", format],
        );
        let by_ci = run(findings()
            .current_dir(temp.path())
            .env("CI", "true")
            .args(["check", "study", "--color", "never", "--format", format]));
        for (how, redacted) in [("--redact", &by_flag), ("CI=true", &by_ci)] {
            assert_eq!(redacted.code, 1, "{format}, {how}: {redacted:?}");
            let everything = format!("{}{}", redacted.stdout, redacted.stderr);
            assert!(!everything.contains(QUOTE_PHRASE), "{format}, {how}:\n{everything}");
            // No snippet: no source line is drawn.
            assert!(!everything.contains(" | "), "{format}, {how}:\n{everything}");
            assert!(
                everything.contains("quotes.yaml"),
                "{format}, {how}: places are still given"
            );
            assert!(everything.contains("W004"), "{format}, {how}: codes are still given");
            if format == "json" {
                let report: serde_json::Value = serde_json::from_str(&redacted.stdout).expect("JSON");
                for diagnostic in report["diagnostics"].as_array().expect("a list") {
                    assert!(diagnostic["detail"].is_null(), "{how}: {diagnostic}");
                }
            }
        }
    }
    // An empty CI variable is not set.
    let empty_ci = run(findings()
        .current_dir(temp.path())
        .env("CI", "")
        .args(["check", "study", "--color", "never"]));
    assert!(empty_ci.stderr.contains(QUOTE_PHRASE), "{}", empty_ci.stderr);
}

#[test]
fn colour_is_off_unless_asked_for() {
    let temp = erroneous_study();
    let escape = "\u{1b}[";
    let never = check_in(temp.path(), &["study", "--color", "never"]);
    assert!(!never.stderr.contains(escape), "{}", never.stderr);
    // Not a terminal: auto does not colour, with or without NO_COLOR.
    let auto = check_in(temp.path(), &["study"]);
    assert!(!auto.stderr.contains(escape), "{}", auto.stderr);
    let no_color = run(findings()
        .current_dir(temp.path())
        .env("NO_COLOR", "1")
        .args(["check", "study"]));
    assert!(!no_color.stderr.contains(escape), "{}", no_color.stderr);
    let always = check_in(temp.path(), &["study", "--color", "always"]);
    assert!(always.stderr.contains(escape), "{}", always.stderr);
    // Machine formats are never coloured.
    for format in ["json", "github"] {
        let machine = check_in(temp.path(), &["study", "--color", "always", "--format", format]);
        assert!(!machine.stdout.contains(escape), "{format}: {}", machine.stdout);
    }
    // The global flag may come before the command.
    let before = run(findings()
        .current_dir(temp.path())
        .args(["--color", "always", "check", "study"]));
    assert!(before.stderr.contains(escape), "{}", before.stderr);
}

#[test]
fn warnings_pass_unless_denied() {
    let temp = study_with(
        "sections/01-methods.md",
        ", classified after @kimberlee2015 [p. 104]",
        "",
    );
    for format in ["human", "json", "github"] {
        let allowed = check_in(temp.path(), &["study", "--format", format]);
        assert_eq!(allowed.code, 0, "{format}: {allowed:?}");
        assert!(
            allowed.stderr.ends_with("study: 0 errors and 1 warning\n"),
            "{}",
            allowed.stderr
        );
        let denied = check_in(temp.path(), &["study", "--deny-warnings", "--format", format]);
        assert_eq!(denied.code, 1, "{format}: {denied:?}");
        assert_eq!(
            denied.stdout, allowed.stdout,
            "{format}: --deny-warnings changes the status only"
        );
    }
}

#[test]
fn errors_fail_with_or_without_deny_warnings() {
    let temp = study_with("quotes.yaml", "    participant: 1b\n", "    participant: 1c\n");
    for extra in [&[][..], &["--deny-warnings"]] {
        let failed = check_in(temp.path(), &[&["study"][..], extra].concat());
        assert_eq!(failed.code, 1, "{failed:?}");
        assert!(
            failed.stderr.ends_with("study: 1 error and 0 warnings\n"),
            "{}",
            failed.stderr
        );
    }
}

/// Many diagnostics in one large file are drawn in about linear time: 20,000
/// quotes that no narrative places, each a warning with a snippet of a 1 MiB
/// quotes.yaml.
#[test]
fn many_diagnostics_are_reported_in_time() {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let study = temp.path().join("study");
    copy_dir(&support::valid_fixture(), &study);
    let quotes = study.join("quotes.yaml");
    let mut text = fs::read_to_string(&quotes).expect("quotes.yaml");
    for index in 0..20_000 {
        text.push_str(&format!("  - id: extra{index}\n    participant: 1a\n    text: \"x\"\n"));
    }
    fs::write(&quotes, text).expect("writable");
    let human = check_in(temp.path(), &["study", "--color", "never"]);
    assert_eq!(human.code, 0, "{}", human.stderr.lines().last().unwrap_or_default());
    assert!(human.stderr.ends_with("study: 0 errors and 20000 warnings\n"));
    assert_eq!(human.stderr.matches("warning[W003 quote-not-placed]").count(), 20_000);
    let github = check_in(temp.path(), &["study", "--format", "github"]);
    assert_eq!(github.stdout.lines().count(), 20_000);
}
