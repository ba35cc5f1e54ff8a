//! The deny-list scan (`--deny-list`, `FINDINGS_DENY_LIST`) and the side
//! doors of issue 14: a deny-listed term planted anywhere in a study, in
//! any encoding, fails `check` and `build`, is never printed, and keeps the
//! previous site as it was; files of the study folder other than `static/`
//! never reach the site.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::support::{Run, bundled_study, copy_dir, findings, run, valid_fixture};

/// The test deny-list: line 3 and line 5 hold the terms.
const DENY_LIST: &str =
    "# Real names and places the team replaced (a test list).\n\nMargaret Oduya\n# a place\nLeeds\n";

/// A copy of the valid fixture in `<temp>/study`, and the deny-list at
/// `<temp>/deny.txt`, outside it.
struct Study {
    temp: TempDir,
}

impl Study {
    fn new() -> Self {
        let temp = tempfile::tempdir().expect("a temporary folder");
        copy_dir(&valid_fixture(), &temp.path().join("study"));
        fs::write(temp.path().join("deny.txt"), DENY_LIST).expect("the deny-list can be written");
        Self { temp }
    }

    fn root(&self) -> &Path {
        self.temp.path()
    }

    fn study(&self) -> PathBuf {
        self.root().join("study")
    }

    /// Replaces `from` (which must be there) by `to` in the study file `file`.
    fn plant(&self, file: &str, from: &str, to: &str) {
        let path = self.study().join(file);
        let text = fs::read_to_string(&path).expect("the study file can be read");
        assert!(text.contains(from), "{file} holds `{from}`");
        fs::write(&path, text.replacen(from, to, 1)).expect("the study file can be written");
    }

    /// Runs findings in the temporary folder with `args`.
    fn run(&self, args: &[&str]) -> Run {
        run(findings().current_dir(self.root()).args(args))
    }

    fn check(&self, extra: &[&str]) -> Run {
        let mut args = vec!["check", "study", "--deny-list", "deny.txt", "--color", "never"];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    fn build(&self) -> Run {
        self.run(&["build", "study", "--out", "site", "--deny-list", "deny.txt"])
    }
}

/// Asserts that nothing a run printed holds either term, in any case.
fn names_no_term(run: &Run) {
    let printed = format!("{}{}", run.stdout, run.stderr).to_lowercase();
    for term in ["leeds", "oduya", "margaret"] {
        assert!(!printed.contains(term), "the output holds `{term}`:\n{printed}");
    }
}

/// Asserts that a check found the term of deny-list line `line` in `file`.
fn found_in(run: &Run, file: &str, line: u32) {
    assert_eq!(run.code, 1, "{}", run.stderr);
    let expected = format!("the term on line {line} of the deny-list appears in {file}");
    assert!(run.stderr.contains("E610"), "{}", run.stderr);
    assert!(run.stderr.contains(&expected), "no `{expected}` in:\n{}", run.stderr);
    names_no_term(run);
}

/// Every file of a folder, by relative path, with its bytes.
fn tree(folder: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(folder) {
        let entry = entry.expect("the folder can be walked");
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(folder).expect("inside").to_owned();
            files.insert(relative, fs::read(entry.path()).expect("readable"));
        }
    }
    files
}

#[test]
fn a_term_planted_in_each_part_of_the_study_fails_check_and_build() {
    let places = [
        (
            "sections/02-results.md",
            "grouped into one theme.",
            "grouped into one theme, in Leeds.",
        ),
        (
            "quotes.yaml",
            "a blank piece of paper.",
            "a blank piece of paper in Leeds.",
        ),
        (
            "references.yaml",
            "Using thematic analysis",
            "Using Leeds thematic analysis",
        ),
        (
            "charts.yaml",
            "title: Participants by model",
            "title: Participants in Leeds",
        ),
        (
            "services.yaml",
            "Based within the local authority.",
            "Based within Leeds.",
        ),
    ];
    for (file, from, to) in places {
        let study = Study::new();
        study.plant(file, from, to);
        found_in(&study.check(&[]), file, 5);
        let built = study.build();
        assert_eq!(built.code, 1, "{file}: {}", built.stderr);
        assert!(built.stderr.contains("the site was not written"), "{}", built.stderr);
        assert!(!study.root().join("site").exists(), "{file}: a site was written");
        names_no_term(&built);
    }
}

#[test]
fn a_term_hidden_by_entities_soft_hyphens_full_width_letters_or_a_line_break_is_caught() {
    let hidden = [
        ("&#x4C;&#x65;&#101;ds", 5),
        ("Le\u{ad}eds", 5),
        ("Le\u{200b}eds", 5),
        ("\u{ff2c}\u{ff45}\u{ff45}\u{ff44}\u{ff53}", 5),
        ("Margaret\nOduya", 3),
        ("MARGARET   oduya", 3),
    ];
    for (text, line) in hidden {
        let study = Study::new();
        study.plant(
            "sections/02-results.md",
            "one theme.",
            &format!("one theme, said {text} once."),
        );
        found_in(&study.check(&[]), "sections/02-results.md", line);
    }
}

#[test]
fn a_term_inside_a_longer_word_is_no_hit() {
    let study = Study::new();
    study.plant(
        "sections/02-results.md",
        "one theme.",
        "one theme, from Leedsbury, Margaret Oduyaville and Mr Leedsham.",
    );
    let checked = study.check(&[]);
    assert_eq!(checked.code, 0, "{}", checked.stderr);
    assert!(!checked.stderr.contains("E610"), "{}", checked.stderr);
}

#[test]
fn the_term_is_never_printed_in_any_format_redacted_or_not() {
    let study = Study::new();
    study.plant(
        "quotes.yaml",
        "a blank piece of paper.",
        "a blank piece of paper in Leeds.",
    );
    study.plant(
        "sections/02-results.md",
        "one theme.",
        "one theme, as Margaret Oduya said.",
    );
    for format in ["human", "json", "github"] {
        for redact in [false, true] {
            let mut args = vec!["--format", format];
            if redact {
                args.push("--redact");
            }
            let checked = study.check(&args);
            assert_eq!(checked.code, 1, "{format}: {}", checked.stderr);
            assert!(
                format!("{}{}", checked.stdout, checked.stderr).contains("E610"),
                "{format}: {}{}",
                checked.stdout,
                checked.stderr
            );
            names_no_term(&checked);
        }
        let in_ci = run(findings().current_dir(study.root()).env("CI", "1").args([
            "build",
            "study",
            "--out",
            "site",
            "--deny-list",
            "deny.txt",
            "--format",
            format,
        ]));
        assert_eq!(in_ci.code, 1, "{}", in_ci.stderr);
        names_no_term(&in_ci);
    }
}

/// Other diagnostics quote what they are about (a key, a value, a
/// directive's id, a snippet of the line, a file's name); with a deny-list,
/// none of them may print a term: the report is masked.
#[test]
fn no_other_diagnostic_echoes_a_term() {
    let study = Study::new();
    // An undeclared key and a value (E320, E321), a directive naming an
    // unknown quote (E407), and a file named after a place.
    study.plant(
        "participants.yaml",
        "  - id: 1a\n",
        "  - id: 1a\n    note: Margaret Oduya\n",
    );
    study.plant("participants.yaml", "gender: F", "gender: Leeds");
    study.plant("sections/02-results.md", "one theme.", "one theme.\n\n{{quote leeds}}");
    fs::write(
        study.study().join("sections/08-leeds-pilot.md"),
        "---\nid: leeds-pilot\ntitle: Pilot\n---\nMore.\n",
    )
    .unwrap();
    for format in ["human", "json", "github"] {
        let checked = study.check(&["--format", format]);
        assert_eq!(checked.code, 1, "{format}: {}", checked.stderr);
        let printed = format!("{}{}", checked.stdout, checked.stderr);
        for code in ["E320", "E321", "E407"] {
            assert!(printed.contains(code), "{format}: no {code} in {printed}");
        }
        assert!(printed.contains("[deny-list line 5]"), "{format}: {printed}");
        names_no_term(&checked);
    }
}

#[test]
fn a_build_with_a_hit_leaves_the_previous_site_as_it_was() {
    let study = Study::new();
    let first = study.run(&["build", "study", "--out", "site"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let before = tree(&study.root().join("site"));
    let entries = |root: &Path| -> Vec<_> {
        let mut names: Vec<_> = fs::read_dir(root)
            .expect("listable")
            .map(|entry| entry.expect("an entry").file_name())
            .collect();
        names.sort();
        names
    };
    let beside = entries(study.root());
    // A term that only a built-in template writes: the study's text is
    // clean, the site is not.
    fs::write(study.root().join("deny.txt"), "Page not found\n").expect("writable");
    let built = study.build();
    assert_eq!(built.code, 1, "{}", built.stderr);
    assert!(
        built
            .stderr
            .contains("the site file 404.html holds the term on line 1 of the deny-list"),
        "{}",
        built.stderr
    );
    assert!(
        !built.stderr.to_lowercase().contains("page not found"),
        "{}",
        built.stderr
    );
    assert_eq!(tree(&study.root().join("site")), before, "the previous site changed");
    assert_eq!(entries(study.root()), beside, "the build left files beside the site");
}

/// Asserts that a run refused its deny-list with status 2, saying `why`,
/// and printed no term.
fn refused_saying(run: &Run, why: &str) {
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains(why), "no `{why}` in:\n{}", run.stderr);
    names_no_term(run);
}

#[test]
fn a_deny_list_inside_the_study_or_the_output_folder_is_refused() {
    let study = Study::new();
    fs::write(study.study().join("deny.txt"), DENY_LIST).expect("writable");
    let inside_study = study.run(&["check", "study", "--deny-list", "study/deny.txt"]);
    refused_saying(&inside_study, "inside the study folder");
    let through_env = run(findings()
        .current_dir(study.root())
        .env("FINDINGS_DENY_LIST", "study/../study/deny.txt")
        .args(["build", "study", "--out", "site"]));
    refused_saying(&through_env, "inside the study folder");
    fs::create_dir(study.root().join("site")).expect("a folder");
    fs::write(study.root().join("site").join("deny.txt"), DENY_LIST).expect("writable");
    let inside_output = study.run(&["build", "study", "--out", "site", "--deny-list", "site/deny.txt"]);
    refused_saying(&inside_output, "inside the output folder");
    assert!(
        study.root().join("site").join("deny.txt").is_file(),
        "the list was removed"
    );
}

#[test]
fn an_empty_or_unreadable_deny_list_is_an_error() {
    let study = Study::new();
    fs::write(study.root().join("empty.txt"), "# nothing but a comment\n\n").expect("writable");
    let empty = study.run(&["check", "study", "--deny-list", "empty.txt"]);
    refused_saying(&empty, "has no term");
    let missing = study.run(&["check", "study", "--deny-list", "missing.txt"]);
    refused_saying(&missing, "could not read the deny-list missing.txt");
}

#[test]
fn the_flag_wins_over_the_environment() {
    let study = Study::new();
    study.plant(
        "quotes.yaml",
        "a blank piece of paper.",
        "a blank piece of paper in Leeds.",
    );
    fs::write(study.root().join("other.txt"), "Xylophone Street\n").expect("writable");
    let from_env = run(findings()
        .current_dir(study.root())
        .env("FINDINGS_DENY_LIST", "deny.txt")
        .args(["check", "study"]));
    assert_eq!(from_env.code, 1, "{}", from_env.stderr);
    assert!(from_env.stderr.contains("E610"), "{}", from_env.stderr);
    let flag = run(findings()
        .current_dir(study.root())
        .env("FINDINGS_DENY_LIST", "deny.txt")
        .args(["check", "study", "--deny-list", "other.txt"]));
    assert_eq!(flag.code, 0, "{}", flag.stderr);
}

#[test]
fn the_bundled_study_builds_clean_with_a_list_of_unrelated_terms() {
    let temp = tempfile::tempdir().expect("a temporary folder");
    fs::write(
        temp.path().join("deny.txt"),
        "# unrelated\nZebediah Quux\nXylophone Street\n",
    )
    .expect("writable");
    let built = run(findings()
        .current_dir(temp.path())
        .arg("build")
        .arg(bundled_study())
        .args(["--out", "site", "--deny-list", "deny.txt", "--deny-warnings"]));
    assert_eq!(built.code, 0, "{}", built.stderr);
    assert!(temp.path().join("site").join("index.html").is_file());
}

/// What a team keeps in a study folder beside the data: none of it is
/// published.
const PRIVATE_FILES: &[&str] = &[
    "notes.docx",
    "consent.pdf",
    "transcript.txt",
    ".git/config",
    ".git/objects/ab/cdef",
    "sections/notes.docx",
    "sections/transcript.txt",
    "themes/consent.pdf",
    "themes/.git/HEAD",
    "interviews/transcript.txt",
    "interviews/.git/config",
];

#[test]
fn files_of_the_study_folder_outside_static_never_reach_the_site() {
    let study = Study::new();
    for (index, file) in PRIVATE_FILES.iter().enumerate() {
        let path = study.study().join(file);
        fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
        fs::write(&path, format!("PRIVATE-BYTES-{index} of participant 2\n")).expect("writable");
    }
    let built = study.run(&["build", "study", "--out", "site"]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let site = tree(&study.root().join("site"));
    assert!(site.keys().any(|path| path.ends_with("index.html")), "a site was built");
    for (path, bytes) in &site {
        let name = path.to_string_lossy();
        for file in PRIVATE_FILES {
            let base = Path::new(file).file_name().expect("a name").to_string_lossy();
            assert!(!name.ends_with(base.as_ref()), "{name} was published");
        }
        assert!(!name.contains(".git"), "{name} was published");
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("PRIVATE-BYTES"),
            "{name} holds the bytes of a private file"
        );
    }
}

#[test]
fn check_warns_about_a_document_in_static_and_the_build_still_publishes_it() {
    let study = Study::new();
    fs::create_dir_all(study.study().join("static").join("figures")).expect("a folder");
    fs::write(
        study.study().join("static").join("figures").join("model.png"),
        [0x89, b'P', b'N', b'G'],
    )
    .expect("w");
    fs::write(study.study().join("static").join("Transcript-2.DOCX"), "text").expect("writable");
    let checked = study.run(&["check", "study", "--format", "github"]);
    assert_eq!(checked.code, 0, "{}", checked.stdout);
    let warnings: Vec<&str> = checked.stdout.lines().filter(|line| line.contains("W610")).collect();
    assert_eq!(warnings.len(), 1, "{}", checked.stdout);
    assert!(
        warnings[0].contains("file=study/static/Transcript-2.DOCX"),
        "{}",
        warnings[0]
    );
    let denied = study.run(&["check", "study", "--deny-warnings"]);
    assert_eq!(denied.code, 1, "{}", denied.stderr);
}

#[test]
fn serve_scans_every_rebuild_and_keeps_serving_the_last_clean_site() {
    let study = Study::new();
    let deny = study.root().join("deny.txt");
    let deny = deny.to_str().expect("a UTF-8 path");
    let server = crate::serve_support::serve(&study.study(), &["--deny-list", deny]);
    let (status, before) = crate::serve_support::get(server.port, "/themes/experience.html");
    assert_eq!(status, 200, "{before}");
    study.plant(
        "quotes.yaml",
        "a blank piece of paper.",
        "a blank piece of paper in Leeds.",
    );
    let line = crate::serve_support::wait_for_line(&server.stderr, |line| line.contains("E610"));
    assert!(!line.to_lowercase().contains("leeds"), "{line}");
    let summary = crate::serve_support::wait_for_line(&server.stderr, |line| line.contains(" and 0 warnings"));
    assert!(!summary.to_lowercase().contains("leeds"), "{summary}");
    let (status, after) = crate::serve_support::get(server.port, "/themes/experience.html");
    assert_eq!(status, 200);
    assert!(!after.contains("Leeds"), "the page with the term is served");
    assert!(after.contains("blank piece of paper"), "the last clean page is served");
}
