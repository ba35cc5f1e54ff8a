//! Redaction: with `CI` set, or `--redact`, no value that came from the
//! study reaches any output format, however a diagnostic's message is
//! worded; places (file, line, column, key path) and codes still do.
//!
//! Each case plants names or quote words where a diagnostic used to echo
//! them, and first checks that an unredacted run does show them, so that a
//! plant that stops reaching a diagnostic fails here instead of passing in
//! silence.

use std::fs;
use std::path::Path;

use tempfile::TempDir;

use crate::support::{self, Run, copy_dir, findings, run};

/// One planted value, and the diagnostic it must give.
struct Plant {
    /// The study file changed.
    file: &'static str,
    /// Text of the valid fixture's file, replaced (first occurrence) by `new`.
    old: &'static str,
    new: &'static str,
    /// What no redacted output may contain (compared ignoring case).
    words: &'static [&'static str],
    /// The code of the diagnostic the plant gives.
    code: &'static str,
    /// Text in the changed file where the diagnostic points (its first
    /// occurrence in `new`).
    at: &'static str,
    /// The key path the diagnostic names; `None` in Markdown.
    key_path: Option<&'static str>,
}

/// A study with some plants: the valid fixture, changed. The plants of one
/// study must not hide each other (a file with a YAML error is not checked
/// further, and an unknown participant turns off "never quoted").
struct Planted {
    plants: &'static [Plant],
    /// The exit status of `check`, redacted or not.
    exit: i32,
}

const NAMES_AND_KEYS: Planted = Planted {
    plants: &[
        Plant {
            file: "quotes.yaml",
            old: "participant: 1b",
            new: "participant: Jane Smith",
            words: &["Jane Smith", "Smith"],
            code: "E401",
            at: "Jane Smith",
            key_path: Some("quotes[1].participant"),
        },
        Plant {
            file: "charts.yaml",
            old: "kind: quotes",
            new: "kind: Thistlewood",
            words: &["Thistlewood"],
            code: "E601",
            at: "Thistlewood",
            key_path: Some("charts[1].kind"),
        },
        Plant {
            file: "sections/01-methods.md",
            old: "[p. 104]:",
            new: "[p. 104], as one review put it [@Harrowgate2019]:",
            words: &["Harrowgate"],
            code: "E406",
            at: "@Harrowgate2019",
            key_path: None,
        },
        Plant {
            file: "study.yaml",
            old: "{role}",
            new: "{Pemberton}",
            words: &["Pemberton"],
            code: "E409",
            at: "{Pemberton}",
            key_path: Some("attribution"),
        },
        Plant {
            file: "study.yaml",
            old: "  - id: interviews\n",
            new: "  - id: Anika Rahman\n    label: Interviews held\n    value: 2\n  - id: interviews\n",
            words: &["Anika", "Rahman"],
            code: "E301",
            at: "Anika Rahman",
            key_path: Some("figures[0].id"),
        },
        Plant {
            file: "roles.yaml",
            old: "roles:\n",
            new: "roles:\n  - id: Bartholomew\n    name: Lead\n    definition: Leads.\n  - id: bartholomew\n    name: Lead again\n    definition: Leads again.\n",
            words: &["Bartholomew"],
            code: "E302",
            at: "bartholomew",
            key_path: Some("roles[1].id"),
        },
    ],
    exit: 1,
};

/// A participant whose id is a name and who is never quoted: a warning only.
const NEVER_QUOTED: Planted = Planted {
    plants: &[Plant {
        file: "participants.yaml",
        old: "    role_description: The only member of staff.\n",
        new: "    role_description: The only member of staff.\n  - id: Margaret-Okafor\n    consent: quote\n    service: \"2\"\n    gender: F\n    contract: PT\n    role: practitioner\n    role_description: Covers holidays.\n",
        words: &["Okafor"],
        code: "W002",
        at: "Margaret-Okafor",
        key_path: Some("participants[3].id"),
    }],
    exit: 0,
};

/// A quote line that lost its indentation, so that a sentence of the quote
/// became a key.
const QUOTE_AS_KEY: Planted = Planted {
    plants: &[Plant {
        file: "quotes.yaml",
        old: "a blank piece of paper.\n",
        new: "a blank piece of paper.\n    My supervisor Rosalind said: nobody reads the notes anyway.\n",
        words: &["Rosalind", "nobody reads the notes"],
        code: "E106",
        at: "My supervisor",
        key_path: Some("quotes[0].?"),
    }],
    exit: 1,
};

/// A quote line that lost all its indentation: a YAML syntax error.
const QUOTE_AS_SYNTAX_ERROR: Planted = Planted {
    plants: &[Plant {
        file: "quotes.yaml",
        old: "a blank piece of paper.\n",
        new: "a blank piece of paper.\nand nobody at Ashworth House reads the notes anyway.\n",
        words: &["Ashworth"],
        code: "E101",
        at: "and nobody",
        key_path: Some("quotes[0]"),
    }],
    exit: 1,
};

/// A participant's key that is not a declared attribute, and a value that
/// is not a category: both the participant's words, never shown redacted
/// (an attribute's key path is `participants[N].?`).
const ATTRIBUTE_VALUES: Planted = Planted {
    plants: &[
        Plant {
            file: "participants.yaml",
            old: "    role_description: Works one-to-one with clients.\n",
            new: "    role_description: Works one-to-one with clients.\n    Winterbourne: yes\n",
            words: &["Winterbourne"],
            code: "E320",
            at: "Winterbourne",
            key_path: Some("participants[0].?"),
        },
        Plant {
            file: "participants.yaml",
            old: "    gender: M\n",
            new: "    gender: Priyanka\n",
            words: &["Priyanka"],
            code: "E321",
            at: "Priyanka",
            key_path: Some("participants[1].?"),
        },
    ],
    exit: 1,
};

const STUDIES: &[&Planted] = &[
    &NAMES_AND_KEYS,
    &NEVER_QUOTED,
    &QUOTE_AS_KEY,
    &QUOTE_AS_SYNTAX_ERROR,
    &ATTRIBUTE_VALUES,
];

/// `<temp>/study`: the valid fixture with the plants of `planted`.
fn plant(planted: &Planted) -> TempDir {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let study = temp.path().join("study");
    copy_dir(&support::valid_fixture(), &study);
    for plant in planted.plants {
        let path = study.join(plant.file);
        let text = fs::read_to_string(&path).expect("a fixture file");
        assert!(text.contains(plant.old), "{} has no `{}`", plant.file, plant.old);
        fs::write(&path, text.replacen(plant.old, plant.new, 1)).expect("writable");
    }
    temp
}

/// Where `plant` points: 1-based line and column (in characters) of the
/// first `at` inside its planted text.
fn place(root: &Path, plant: &Plant) -> (usize, usize) {
    let text = fs::read_to_string(root.join("study").join(plant.file)).expect("a planted file");
    let planted = text.find(plant.new).expect("the planted text");
    let offset = planted + plant.new.find(plant.at).expect("`at` is in the planted text");
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

fn check(root: &Path, ci: bool, args: &[&str]) -> Run {
    let mut command = findings();
    command
        .current_dir(root)
        .args(["check", "study", "--color", "never"])
        .args(args);
    if ci {
        command.env("CI", "1");
    }
    run(&mut command)
}

fn everything(run: &Run) -> String {
    format!("{}{}", run.stdout, run.stderr)
}

fn assert_no_word(planted: &Planted, what: &str, shown: &str) {
    let lower = shown.to_lowercase();
    for plant in planted.plants {
        for word in plant.words {
            assert!(
                !lower.contains(&word.to_lowercase()),
                "{what} shows `{word}` (planted in {} for {}):\n{shown}",
                plant.file,
                plant.code
            );
        }
    }
}

/// Without redaction, each plant gives its diagnostic where expected, and
/// its words show (in a message, a help or a snippet).
#[test]
fn unredacted_runs_show_the_planted_words() {
    for planted in STUDIES {
        let temp = plant(planted);
        let github = check(temp.path(), false, &["--format", "github"]);
        assert_eq!(github.code, planted.exit, "{github:?}");
        let mut shown = everything(&github);
        for format in ["human", "json"] {
            let other = check(temp.path(), false, &["--format", format]);
            assert_eq!(other.code, planted.exit, "{format}: {other:?}");
            shown.push_str(&everything(&other));
        }
        for plant in planted.plants {
            let (line, column) = place(temp.path(), plant);
            let annotation = format!(
                "file=study/{},line={line},col={column},title={} ",
                plant.file, plant.code
            );
            assert!(
                github.stdout.contains(&annotation),
                "no `{annotation}` in:\n{}",
                github.stdout
            );
            for word in plant.words {
                assert!(shown.contains(word), "`{word}` ({}) is not shown:\n{shown}", plant.code);
            }
        }
    }
}

/// With `CI=1`, and with `--redact` and CI unset, no planted word appears in
/// any format, while each diagnostic's code, file, line, column and key path
/// do.
#[test]
fn redacted_runs_show_places_and_codes_but_no_planted_word() {
    for planted in STUDIES {
        let temp = plant(planted);
        for format in ["human", "json", "github"] {
            let by_ci = check(temp.path(), true, &["--verbose", "--format", format]);
            let by_flag = check(temp.path(), false, &["--verbose", "--redact", "--format", format]);
            for (how, redacted) in [("CI=1", by_ci), ("--redact", by_flag)] {
                let what = format!("{format}, {how}");
                assert_eq!(redacted.code, planted.exit, "{what}: {redacted:?}");
                assert_no_word(planted, &what, &everything(&redacted));
                for plant in planted.plants {
                    let (line, column) = place(temp.path(), plant);
                    assert_places(format, &redacted, plant, (line, column));
                }
            }
        }
    }
}

/// Asserts that `redacted` (of `format`) names `plant`'s code, place and
/// key path.
fn assert_places(format: &str, redacted: &Run, plant: &Plant, (line, column): (usize, usize)) {
    let file = format!("study/{}", plant.file);
    match format {
        "human" => {
            let block = redacted
                .stderr
                .split("\n\n")
                .find(|block| block.contains(&format!("[{} ", plant.code)))
                .unwrap_or_else(|| panic!("no {} in:\n{}", plant.code, redacted.stderr));
            assert!(block.contains(&format!("{file}:{line}:{column}")), "{block}");
            match plant.key_path {
                Some(key_path) => assert!(block.contains(&format!("key path: {key_path}\n")), "{block}"),
                None => assert!(!block.contains("key path"), "{block}"),
            }
        }
        "github" => {
            let annotation = redacted
                .stdout
                .lines()
                .find(|annotation| annotation.contains(&format!("title={} ", plant.code)))
                .unwrap_or_else(|| panic!("no {} in:\n{}", plant.code, redacted.stdout));
            assert!(
                annotation.contains(&format!("file={file},line={line},col={column},")),
                "{annotation}"
            );
            match plant.key_path {
                Some(key_path) => assert!(
                    annotation.contains(&format!("%0Akey path: {key_path}%0A")),
                    "{annotation}"
                ),
                None => assert!(!annotation.contains("key path"), "{annotation}"),
            }
        }
        _ => {
            let report: serde_json::Value = serde_json::from_str(&redacted.stdout).expect("one JSON document");
            let diagnostics = report["diagnostics"].as_array().expect("a list");
            let diagnostic = diagnostics
                .iter()
                .find(|diagnostic| diagnostic["code"] == plant.code)
                .unwrap_or_else(|| panic!("no {} in:\n{}", plant.code, redacted.stdout));
            assert_eq!(diagnostic["file"], plant.file, "{diagnostic}");
            assert_eq!(diagnostic["path"], file, "{diagnostic}");
            assert_eq!(diagnostic["line"].as_u64(), u64::try_from(line).ok(), "{diagnostic}");
            assert_eq!(
                diagnostic["column"].as_u64(),
                u64::try_from(column).ok(),
                "{diagnostic}"
            );
            assert_eq!(diagnostic["key_path"].as_str(), plant.key_path, "{diagnostic}");
            assert!(diagnostic["detail"].is_null(), "{diagnostic}");
        }
    }
}

/// `build --verbose` lists the files it wrote, whose names come from the
/// study's ids; redacted, it gives their number only.
#[test]
fn verbose_build_names_no_page_when_redacted() {
    let temp = plant(&NEVER_QUOTED);
    let build = |ci: bool, redact: bool, out: &str| {
        let mut command = findings();
        command
            .current_dir(temp.path())
            .args(["--verbose", "build", "study", "--color", "never", "-o", out]);
        if redact {
            command.arg("--redact");
        }
        if ci {
            command.env("CI", "1");
        }
        run(&mut command)
    };
    let shown = build(false, false, "shown");
    assert_eq!(shown.code, 0, "{shown:?}");
    assert!(
        shown.stderr.contains("wrote shown/participants/Margaret-Okafor.html"),
        "{}",
        shown.stderr
    );
    let listed = shown
        .stderr
        .lines()
        .filter(|line| line.starts_with("wrote shown/"))
        .count();
    for (how, out, redacted) in [
        ("CI=1", "by-ci", build(true, false, "by-ci")),
        ("--redact", "by-flag", build(false, true, "by-flag")),
    ] {
        assert_eq!(redacted.code, 0, "{how}: {redacted:?}");
        assert_no_word(&NEVER_QUOTED, how, &everything(&redacted));
        assert!(
            temp.path()
                .join(out)
                .join("participants")
                .join("Margaret-Okafor.html")
                .is_file()
        );
        let counted = format!("wrote {listed} files into {out} (names left out: redacted)\n");
        assert!(
            redacted.stderr.contains(&counted),
            "{how}: no `{counted}` in:\n{}",
            redacted.stderr
        );
        assert!(
            redacted.stderr.contains("study/participants.yaml:"),
            "{how}: {}",
            redacted.stderr
        );
    }
}
