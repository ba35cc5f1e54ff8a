//! `docs/diagnostics.md` is made from the rules and the fixture corpus: for
//! every code, its table row, why it exists (the rule's `why`) and an
//! example, the input line of a case of `tests/fixtures/invalid/` and the
//! diagnostic that case's `expected.txt` says `check` gives there. The test
//! fails when the file is not what they make, and prints what it should be;
//! `FINDINGS_BLESS=1` writes it.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use super::{Code, Severity};

/// Where the made part of the file starts; what is above it is written by
/// hand.
const MADE_BELOW: &str = "<!-- Everything below this line is made by `cargo test` from the rules (the `Rule` next to each check in src/) and the cases of tests/fixtures/invalid/; edit those, then run `FINDINGS_BLESS=1 cargo test --lib diagnostic::docs` to write it. -->";

/// The longest part of a path or message shown in an example: a case that
/// makes a very long path shows its start and end.
const LONGEST_WORD: usize = 40;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn documentation_path() -> PathBuf {
    root().join("docs").join("diagnostics.md")
}

/// One case of the corpus.
struct Case {
    name: String,
    dir: PathBuf,
    expected: String,
}

fn cases() -> Vec<Case> {
    let invalid = root().join("tests").join("fixtures").join("invalid");
    let mut cases: Vec<Case> = fs::read_dir(&invalid)
        .expect("tests/fixtures/invalid can be listed")
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|dir| dir.is_dir())
        .map(|dir| Case {
            name: dir
                .file_name()
                .and_then(|name| name.to_str())
                .expect("case names are UTF-8")
                .to_owned(),
            expected: fs::read_to_string(dir.join("expected.txt")).unwrap_or_default(),
            dir,
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

/// A line of `--format github` output, read back.
struct Annotation {
    file: Option<String>,
    line: Option<u32>,
    column: Option<u32>,
    /// The message and the help, one a line.
    text: String,
}

/// Undoes the escaping of GitHub workflow commands.
fn unescape(text: &str) -> String {
    text.replace("%0A", "\n")
        .replace("%0D", "\r")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

fn annotation(line: &str) -> Option<Annotation> {
    let rest = line.strip_prefix("::")?;
    let (command, rest) = rest.split_once(' ')?;
    if command != "error" && command != "warning" {
        return None;
    }
    let (properties, message) = rest.split_once("::")?;
    let mut found = Annotation {
        file: None,
        line: None,
        column: None,
        text: unescape(message),
    };
    for property in properties.split(',') {
        match property.split_once('=')? {
            ("file", file) => {
                let file = unescape(file);
                found.file = Some(file.strip_prefix("study/").unwrap_or(&file).to_owned());
            }
            ("line", line) => found.line = line.parse().ok(),
            ("col", column) => found.column = column.parse().ok(),
            _ => {}
        }
    }
    Some(found)
}

/// The case that shows `code`: the one named like the rule, else the first
/// whose expected output has the code, and the first annotation of it.
fn example(code: Code, cases: &[Case]) -> Option<(&Case, Annotation)> {
    let title = format!("title={} {}::", code.id(), code.name());
    let has = |case: &&Case| case.expected.lines().any(|line| line.contains(&title));
    let case = cases
        .iter()
        .filter(has)
        .find(|case| case.name == code.name())
        .or_else(|| cases.iter().find(has))?;
    let line = case.expected.lines().find(|line| line.contains(&title))?;
    Some((case, annotation(line)?))
}

/// Line `number` of `file` in the case's study: the case's own copy, or
/// the valid fixture's.
fn input_line(case: &Case, file: &str, number: u32) -> Option<String> {
    let own = case.dir.join(file);
    let path = if own.is_file() {
        own
    } else {
        root().join("tests").join("fixtures").join("valid").join(file)
    };
    let bytes = fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let line = text.lines().nth(usize::try_from(number).ok()?.checked_sub(1)?)?;
    Some(line.trim_end_matches('\r').to_owned())
}

/// `text` as the documentation shows it: each run of more than
/// [`LONGEST_WORD`] characters without a space or `/` shortened to its
/// start and end, and every invisible or control character (but the tab)
/// written as `\u{...}`, so that the file shows what it says.
fn shortened(text: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let characters: Vec<char> = word.chars().collect();
        if characters.len() > LONGEST_WORD {
            out.extend(&characters[..8]);
            out.push('…');
            out.extend(&characters[characters.len() - 8..]);
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for character in text.chars() {
        if character == ' ' || character == '/' || character == '\n' {
            flush(&mut word, &mut out);
            out.push(character);
        } else if (character.is_control() && character != '\t')
            || crate::validate::text::is_bidi_control(character)
            || crate::validate::text::is_invisible_format(character)
        {
            let _ = write!(word, "\\u{{{:04X}}}", u32::from(character));
        } else {
            word.push(character);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// A study-relative path as the documentation shows it: a path of more
/// than four parts keeps its first and last.
fn shown_path(file: &str) -> String {
    let parts: Vec<&str> = file.split('/').collect();
    match parts.as_slice() {
        [first, .., last] if parts.len() > 4 => shortened(&format!("{first}/…/{last}")),
        _ => shortened(file),
    }
}

fn fence(file: &str) -> &'static str {
    if file.ends_with(".yaml") {
        "yaml"
    } else if file.ends_with(".md") {
        "markdown"
    } else if file.ends_with(".html") {
        "html"
    } else {
        "text"
    }
}

/// What the case changes, when no input line shows it: that the test
/// harness makes it, the file it removes, or the file the diagnostic is
/// about.
fn what_the_case_does(case: &Case, file: Option<&str>) -> String {
    if case.dir.join("note.md").is_file() {
        return " (an input the test harness makes; its `note.md` says how)".to_owned();
    }
    let removed = fs::read_to_string(case.dir.join("remove.txt")).unwrap_or_default();
    match file {
        Some(file) if removed.lines().any(|line| line.trim() == file) => format!(" (without `{file}`)"),
        Some(file) => format!(", the file `{}`", shown_path(file)),
        None => String::new(),
    }
}

/// The section of one code.
fn section(code: Code, cases: &[Case], out: &mut String) {
    let rule = code.rule();
    let severity = match rule.severity {
        Severity::Error => "Error",
        Severity::Warning => "Warning",
    };
    let _ = write!(
        out,
        "\n## {} `{}`\n\n{severity}. {}\n\n{}\n",
        rule.id, rule.name, rule.summary, rule.why
    );
    let Some((case, found)) = example(code, cases) else {
        out.push_str("\nNo case of tests/fixtures/invalid/ shows it yet.\n");
        return;
    };
    let link = format!("[`{}`](../tests/fixtures/invalid/{}/)", case.name, case.name);
    let input = match (&found.file, found.line) {
        (Some(file), Some(number)) if !case.dir.join("note.md").is_file() => {
            input_line(case, file, number).map(|line| (file, number, line))
        }
        _ => None,
    };
    match input {
        Some((file, number, line)) => {
            let _ = write!(
                out,
                "\nFor example, in the case {link}, line {number} of `{file}`:\n\n```{}\n{}\n```\n",
                fence(file),
                shortened(&line)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "\nFor example, in the case {link}{}:",
                what_the_case_does(case, found.file.as_deref())
            );
        }
    }
    let place = match (&found.file, found.line, found.column) {
        (Some(file), Some(line), Some(column)) => format!("\n --> {}:{line}:{column}", shown_path(file)),
        (Some(file), _, _) => format!("\n --> {}", shown_path(file)),
        _ => String::new(),
    };
    let text = shortened(&found.text);
    let mut lines = text.lines();
    let message = lines.next().unwrap_or_default();
    let notes: String = lines.map(|line| format!("\n  = {line}")).collect();
    let _ = write!(
        out,
        "\n`findings check` says:\n\n```text\n{}[{} {}]: {message}{place}{notes}\n```\n",
        rule.severity.as_str(),
        rule.id,
        rule.name,
    );
}

/// The made part of docs/diagnostics.md.
fn made() -> String {
    let cases = cases();
    let mut out = format!("{MADE_BELOW}\n\n| code | name | severity | what it means |\n|---|---|---|---|\n");
    for code in Code::ALL {
        let rule = code.rule();
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} |",
            rule.id,
            rule.name,
            rule.severity.as_str(),
            rule.summary
        );
    }
    for code in Code::ALL {
        section(*code, &cases, &mut out);
    }
    out
}

#[test]
fn the_documentation_is_made_from_the_rules_and_the_fixtures() {
    let path = documentation_path();
    let written = fs::read_to_string(&path).expect("docs/diagnostics.md");
    let by_hand = written
        .split_once(MADE_BELOW)
        .map_or(written.as_str(), |(above, _)| above);
    let wanted = format!("{by_hand}{}", made());
    if written == wanted {
        return;
    }
    if std::env::var_os("FINDINGS_BLESS").is_some_and(|value| !value.is_empty()) {
        fs::write(&path, &wanted).expect("docs/diagnostics.md can be written");
        return;
    }
    let first_difference = written
        .lines()
        .zip(wanted.lines())
        .position(|(written, wanted)| written != wanted)
        .unwrap_or_else(|| written.lines().count().min(wanted.lines().count()));
    panic!(
        "docs/diagnostics.md is not what the rules and tests/fixtures/invalid/ make; \
         the first difference is at line {}. Run `FINDINGS_BLESS=1 cargo test --lib diagnostic::docs` \
         to write it, and review it with `git diff`. It should read, below its hand-written part:\n\n{}",
        first_difference + 1,
        made()
    );
}

#[test]
fn every_code_has_an_example() {
    let cases = cases();
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|code| example(**code, &cases).is_none())
        .map(|code| code.id())
        .collect();
    assert!(missing.is_empty(), "no example for {}", missing.join(", "));
}

#[test]
fn annotations_are_read_back() {
    let found = annotation(
        "::error file=study/static/a%2Cb.svg,line=3,col=18,title=E401 unknown-participant::no `9z`%0Ahelp: 100%25",
    )
    .expect("an annotation");
    assert_eq!(found.file.as_deref(), Some("static/a,b.svg"));
    assert_eq!((found.line, found.column), (Some(3), Some(18)));
    assert_eq!(found.text, "no `9z`\nhelp: 100%");
    assert!(annotation("exit: 1").is_none());
    assert_eq!(
        shortened(&format!("notes/{}/x", "n".repeat(255))),
        "notes/nnnnnnnn…nnnnnnnn/x"
    );
    assert_eq!(shown_path("notes/a/b/c/d/e"), "notes/…/e");
    assert_eq!(shortened("a\u{202E}b\tc\u{200B}"), "a\\u{202E}b\tc\\u{200B}");
}
