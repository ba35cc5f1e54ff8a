//! The command line: help and version, usage errors, the output formats,
//! colour, redaction and exit statuses. A run's status, stdout and stderr
//! are snapshotted together ([`assert_run`]).

use std::fs;
use std::path::Path;

use tempfile::TempDir;

use crate::support::{self, Run, copy_dir, findings, run, transcript};

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

/// Asserts that `run` (of `findings <command>`, run in `temp` if it was
/// run in a temporary folder) matches the snapshot `name`: its exit code,
/// stdout and stderr together.
fn assert_run(name: &str, command: &str, run: &Run, temp: Option<&Path>) {
    insta::with_settings!({
        description => format!("findings {command}"),
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, transcript(run, temp));
    });
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
    assert_run(
        "missing_study_folder",
        "check no-such-study",
        &missing,
        Some(temp.path()),
    );
    let absolute = temp.path().join("no-such-study");
    let missing = run(findings().arg("check").arg(&absolute));
    assert_run(
        "missing_study_folder_absolute",
        "check [TEMP]/no-such-study",
        &missing,
        Some(temp.path()),
    );
}

#[test]
fn the_default_study_folder_is_data() {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let missing = run(findings().current_dir(temp.path()).arg("check"));
    assert_run("default_study_folder_missing", "check", &missing, Some(temp.path()));

    let bundled = run(findings().current_dir(support::manifest_dir()).arg("check"));
    assert_run("default_study_folder_bundled", "check", &bundled, None);
}

#[test]
fn a_file_is_not_a_study_folder() {
    let fixture = support::valid_fixture();
    let file = run(findings().current_dir(&fixture).args(["check", "study.yaml"]));
    assert_run("file_as_study_folder", "check study.yaml", &file, None);
}

#[test]
fn unknown_flags_and_values_are_usage_errors() {
    for (name, args) in [
        ("usage_unknown_flag", &["check", "--no-such-flag"][..]),
        ("usage_unknown_format", &["check", "--format", "xml"]),
        ("usage_unknown_color", &["check", "--color", "sometimes"]),
        ("usage_unknown_command", &["no-such-command"]),
        ("usage_no_command", &[]),
    ] {
        let usage = run(findings().current_dir(support::valid_fixture()).args(args));
        assert_run(name, &args.join(" "), &usage, None);
    }
}

#[test]
fn json_has_the_documented_shape() {
    let temp = erroneous_study();
    let json = check_in(temp.path(), &["study", "--format", "json"]);
    assert_run("check_json", "check study --format json", &json, Some(temp.path()));
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
        &serde_json::json!([{"label": "first written here", "file": "participants.yaml", "line": 42, "column": 5}])
    );
}

#[test]
fn redaction_hides_study_text_in_every_format() {
    let temp = erroneous_study();
    let shown = check_in(temp.path(), &["study", "--color", "never"]);
    assert_run("check_human", "check study --color never", &shown, Some(temp.path()));
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
        assert_run(
            &format!("check_{format}_redacted"),
            &format!("check study --redact --color never --format {format}"),
            &by_flag,
            Some(temp.path()),
        );
        assert_eq!(
            transcript(&by_ci, Some(temp.path())),
            transcript(&by_flag, Some(temp.path())),
            "{format}: CI=true redacts as --redact does"
        );
        // Whatever the snapshot says, these hold.
        let everything = format!("{}{}", by_flag.stdout, by_flag.stderr);
        assert!(!everything.contains(QUOTE_PHRASE), "{format}:\n{everything}");
        // No snippet: no source line is drawn.
        assert!(!everything.contains(" | "), "{format}:\n{everything}");
        if format == "json" {
            let report: serde_json::Value = serde_json::from_str(&by_flag.stdout).expect("JSON");
            for diagnostic in report["diagnostics"].as_array().expect("a list") {
                assert!(diagnostic["detail"].is_null(), "{diagnostic}");
            }
        }
    }
    // An empty CI variable is not set.
    let empty_ci = run(findings()
        .current_dir(temp.path())
        .env("CI", "")
        .args(["check", "study", "--color", "never"]));
    assert_eq!(
        transcript(&empty_ci, Some(temp.path())),
        transcript(&shown, Some(temp.path()))
    );
}

#[test]
fn colour_is_off_unless_asked_for() {
    let temp = erroneous_study();
    let escape = "\u{1b}[";
    let never = check_in(temp.path(), &["study", "--color", "never"]);
    assert!(!never.stderr.contains(escape), "{}", never.stderr);
    let plain = transcript(&never, Some(temp.path()));
    // Not a terminal: auto does not colour, with or without NO_COLOR.
    let auto = check_in(temp.path(), &["study"]);
    assert_eq!(transcript(&auto, Some(temp.path())), plain, "--color auto");
    let no_color = run(findings()
        .current_dir(temp.path())
        .env("NO_COLOR", "1")
        .args(["check", "study"]));
    assert_eq!(transcript(&no_color, Some(temp.path())), plain, "NO_COLOR=1");
    let always = check_in(temp.path(), &["study", "--color", "always"]);
    assert!(always.stderr.contains(escape), "{}", always.stderr);
    // The escape character made visible, so the snapshot is text.
    let coloured = transcript(&always, Some(temp.path())).replace('\u{1b}', "\\e");
    insta::with_settings!({
        description => "findings check study --color always  (\\e is the escape character)",
        omit_expression => true,
    }, {
        insta::assert_snapshot!("check_human_colour", coloured);
    });
    // Machine formats are never coloured.
    for format in ["json", "github"] {
        let machine = check_in(temp.path(), &["study", "--color", "always", "--format", format]);
        let uncoloured = check_in(temp.path(), &["study", "--color", "never", "--format", format]);
        assert_eq!(
            transcript(&machine, Some(temp.path())),
            transcript(&uncoloured, Some(temp.path())),
            "{format}"
        );
    }
    // The global flag may come before the command.
    let before = run(findings()
        .current_dir(temp.path())
        .args(["--color", "always", "check", "study"]));
    assert_eq!(
        transcript(&before, Some(temp.path())),
        transcript(&always, Some(temp.path()))
    );
}

#[test]
fn warnings_pass_unless_denied() {
    let temp = study_with(
        "sections/01-methods.md",
        ", classified after @kimberlee2015 [p. 104]",
        "",
    );
    for format in ["human", "json", "github"] {
        let allowed = check_in(temp.path(), &["study", "--color", "never", "--format", format]);
        assert_run(
            &format!("warning_{format}"),
            &format!("check study --color never --format {format}"),
            &allowed,
            Some(temp.path()),
        );
        let denied = check_in(
            temp.path(),
            &["study", "--deny-warnings", "--color", "never", "--format", format],
        );
        // --deny-warnings changes the status only.
        assert_eq!(denied.code, 1, "{format}: {denied:?}");
        assert_eq!(
            (denied.stdout.as_str(), denied.stderr.as_str()),
            (allowed.stdout.as_str(), allowed.stderr.as_str()),
            "{format}"
        );
    }
}

#[test]
fn errors_fail_with_or_without_deny_warnings() {
    let temp = study_with("quotes.yaml", "    participant: 1b\n", "    participant: 1c\n");
    let failed = check_in(temp.path(), &["study", "--color", "never"]);
    assert_run("error_human", "check study --color never", &failed, Some(temp.path()));
    let denied = check_in(temp.path(), &["study", "--deny-warnings", "--color", "never"]);
    assert_eq!(
        transcript(&denied, Some(temp.path())),
        transcript(&failed, Some(temp.path())),
        "--deny-warnings changes nothing when there are errors"
    );
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
