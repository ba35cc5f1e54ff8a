//! Consent (issue 14, item 1): a study of another shape
//! (`tests/fixtures/valid-other/`) with one participant who withdrew and one
//! who may be counted but not quoted. The withdrawn participant is in no
//! byte of the built site, every count and chart leaves them out, the build
//! names them by id only, and a quote of either is refused. Each claim is
//! checked against a control build where the same participant consented,
//! so that the checks are known to see what they look for.

use std::path::{Path, PathBuf};

use scraper::Html;

use crate::site_support::{Site, build, build_ok, select, select_in, text_of, write};
use crate::support::{copy_dir, findings, fixtures_dir, run};

/// The withdrawn participant's id, which no output file may hold.
const WITHDRAWN_ID: &str = "P77";

/// What only the withdrawn participant's record says: a role description
/// worded like a quote, and a free-text attribute value.
const WITHDRAWN_WORDS: [&str; 4] = ["Kestrelmoor", "lighthouse", "lenses", "Saltmarsh-nineteen"];

/// A site address, so that the build writes the sitemap too.
const BASE_URL: &[&str] = &["--base-url", "https://example.org/study"];

/// Two participants added to the study: P77, who withdrew, in a service
/// of their own; and P88, who may be counted but not quoted.
fn added_participants(p77_consent: &str) -> String {
    format!(
        "  - id: P77
    consent: {p77_consent}
    service: south
    role: link-worker
    role_description: Quietly mends lighthouse lenses at Kestrelmoor.
    gender: non-binary
    age_band: under-30
    years_in_post: Saltmarsh-nineteen
  - id: P88
    consent: no-quote
    service: north
    role: coordinator
    role_description: Counts the bicycles at the hub.
    gender: man
    age_band: 30-49
    years_in_post: \"3\"
"
    )
}

/// A service that only P77 belongs to.
const SOUTH: &str = "  - id: south
    name: Southfield Centre
    organisation_type: charity
    model: brief
    description: A drop-in centre by the harbour.
";

/// Figures that count what the site shows without P77: four participants
/// of the fixture and P88; the services north, east and west.
const FIGURES: &str = "figures:
  - id: interviews
    label: Interviews
    value: 5
    counts: participants
  - id: services
    label: Services
    value: 3
    counts: services
";

/// A copy of the other valid study with P77 (of `p77_consent`) and P88.
fn study(p77_consent: &str) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let study = temp.path().join("study");
    copy_dir(&fixtures_dir().join("valid-other"), &study);
    append(&study, "participants.yaml", &added_participants(p77_consent));
    append(&study, "services.yaml", SOUTH);
    append(&study, "study.yaml", FIGURES);
    (temp, study)
}

fn append(study: &Path, relative: &str, text: &str) {
    let before = std::fs::read_to_string(study.join(relative)).unwrap();
    write(study, relative, &format!("{before}{text}"));
}

/// Whether `text` holds `word` as a whole word (not inside a longer one),
/// ignoring case.
fn has_word(text: &str, word: &str) -> bool {
    let text = text.to_lowercase();
    let word = word.to_lowercase();
    let is_word_char = |character: char| character.is_alphanumeric() || character == '_';
    text.match_indices(&word).any(|(start, _)| {
        let before = text[..start].chars().next_back();
        let after = text[start + word.len()..].chars().next();
        !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
    })
}

/// Every file of the site that holds `word` (a whole word, any case),
/// read as bytes and decoded lossily so that no file is skipped.
fn files_with(site: &Site, word: &str) -> Vec<String> {
    site.files
        .iter()
        .filter(|(_, bytes)| has_word(&String::from_utf8_lossy(bytes), word))
        .map(|(name, _)| name.clone())
        .collect()
}

/// The rows of the sample table on `page`.
fn sample_rows(page: &Html) -> Vec<String> {
    select(page, "table.sample tbody tr").into_iter().map(text_of).collect()
}

/// The totals column of the data table behind the chart `id` on `page`,
/// by row heading.
fn chart_totals(page: &Html, id: &str) -> Vec<(String, u32)> {
    let caption = format!("caption#chart-{id}-caption");
    let table = select(page, "table.chart-data")
        .into_iter()
        .find(|table| !select_in(*table, &caption).is_empty())
        .expect("the chart's data table");
    select_in(table, "tbody tr")
        .into_iter()
        .map(|row| {
            let heading = text_of(select_in(row, "th")[0]);
            let total = select_in(row, "td")
                .last()
                .map(|cell| text_of(*cell))
                .unwrap_or_default();
            (heading, total.parse().expect("a number"))
        })
        .collect()
}

#[test]
fn whole_words_are_found_in_any_case_and_only_whole() {
    assert!(has_word("<td>P77</td>", "P77"));
    assert!(has_word("participants/p77.html", "P77"));
    assert!(!has_word("P770 and XP77", "P77"));
}

/// The control: with P77's consent `no-quote`, the same checks find them
/// everywhere they are looked for below.
#[test]
fn a_participant_who_did_not_withdraw_is_found_by_the_same_checks() {
    let (temp, study) = study("no-quote");
    let site = build_ok(&study, &temp.path().join("site"), BASE_URL);
    assert!(site.files.contains_key("participants/P77.html"));
    assert!(has_word(&site.text("sitemap.xml"), WITHDRAWN_ID));
    assert!(!select(&site.page("services/south.html"), "main a[href*='participants/']").is_empty());
    assert!(!files_with(&site, WITHDRAWN_ID).is_empty());
    for word in WITHDRAWN_WORDS {
        assert!(!files_with(&site, word).is_empty(), "{word}");
    }
    assert_eq!(sample_rows(&site.page("approach.html")).len(), 6);
    let totals = chart_totals(&site.page("approach.html"), "sample-by-gender");
    assert_eq!(totals.iter().map(|(_, total)| total).sum::<u32>(), 6);
}

#[test]
fn a_withdrawn_participant_is_in_no_byte_of_the_site() {
    let (temp, study) = study("withdrawn");
    let out = temp.path().join("site");
    let output = build(&study, &out, &[&["--deny-warnings"], BASE_URL].concat());
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let site = Site::read(&out);
    assert!(site.files.contains_key("sitemap.xml"));

    assert_eq!(files_with(&site, WITHDRAWN_ID), Vec::<String>::new());
    for word in WITHDRAWN_WORDS {
        assert_eq!(files_with(&site, word), Vec::<String>::new(), "{word}");
    }
    assert!(!site.files.keys().any(|name| has_word(name, WITHDRAWN_ID)));
}

#[test]
fn every_count_and_chart_leaves_the_withdrawn_out() {
    let (temp, study) = study("withdrawn");
    let site = build_ok(&study, &temp.path().join("site"), &[]);
    let approach = site.page("approach.html");
    // The fixture's four participants and P88.
    let rows = sample_rows(&approach);
    assert_eq!(rows.len(), 5, "{rows:#?}");
    assert_eq!(sample_rows(&site.page("participants/index.html")).len(), 5);
    // P77 was the second non-binary participant, and the only one under 30
    // but for p2: both rows now count one.
    let totals = chart_totals(&approach, "sample-by-gender");
    assert_eq!(totals.iter().map(|(_, total)| total).sum::<u32>(), 5);
    assert!(totals.contains(&("Non-binary".to_owned(), 1)), "{totals:?}");
    // The library's study agrees: P77 is not in it, their id is kept aside.
    let checked = findings::check_study(&study).unwrap();
    let model = checked.study.expect("valid");
    assert_eq!(model.participants.len(), 5);
    assert!(
        model
            .participants
            .iter()
            .all(|participant| participant.id != WITHDRAWN_ID)
    );
    assert_eq!(
        model
            .withdrawn
            .iter()
            .map(|withdrawn| withdrawn.id.as_str())
            .collect::<Vec<_>>(),
        [WITHDRAWN_ID]
    );
    let counts = model.consent_counts();
    assert_eq!((counts.quote, counts.no_quote, counts.withdrawn), (4, 1, 1));
}

/// A service left with no one would still say, by its row and its count of
/// 0, that someone of it took part: it is left out with them.
#[test]
fn a_service_whose_participants_all_withdrew_is_left_out_too() {
    let (temp, study) = study("withdrawn");
    let site = build_ok(&study, &temp.path().join("site"), &[]);
    assert!(!site.files.contains_key("services/south.html"));
    for words in ["Southfield Centre", "by the harbour"] {
        assert_eq!(files_with(&site, words), Vec::<String>::new(), "{words}");
    }
    let model = findings::check_study(&study).unwrap().study.expect("valid");
    assert_eq!(
        model
            .services
            .iter()
            .map(|service| service.id.as_str())
            .collect::<Vec<_>>(),
        ["north", "east", "west"]
    );
    // The control: with P77 counted, their service is published.
    let (control_temp, control) = self::study("no-quote");
    let site = build_ok(&control, &control_temp.path().join("site"), &[]);
    assert!(site.text("services/south.html").contains("Southfield Centre"));
}

#[test]
fn a_no_quote_participant_is_counted_and_has_a_page_without_quotes() {
    let (temp, study) = study("withdrawn");
    let site = build_ok(&study, &temp.path().join("site"), &[]);
    assert!(
        sample_rows(&site.page("approach.html"))
            .iter()
            .any(|row| row.contains("P88"))
    );
    let page = site.text("participants/P88.html");
    assert!(page.contains("Counts the bicycles at the hub."));
    // A quoted participant's page shows their quotes; P88's shows none.
    assert!(!select(&site.page("participants/p1.html"), "figure.quote").is_empty());
    assert!(select(&site.page("participants/P88.html"), "figure.quote, blockquote").is_empty());
}

#[test]
fn the_build_names_the_withdrawn_by_id_and_what_they_were_left_out_of() {
    let (temp, study) = study("withdrawn");
    let built = run(findings()
        .arg("build")
        .arg(&study)
        .arg("-o")
        .arg(temp.path().join("site")));
    assert_eq!(built.code, 0, "{}", built.stderr);
    assert!(
        built.stderr.contains(
            "1 participant withdrawn (P77): left out of the sample table, 1 chart and 1 service page, and has no page\n"
        ),
        "{}",
        built.stderr
    );
    for word in WITHDRAWN_WORDS {
        assert!(!built.stderr.contains(word), "{word}");
    }
    // `check` says it too; a redacted run leaves the id out (it may be a name).
    let checked = run(findings().arg("check").arg(&study));
    assert_eq!(checked.code, 0, "{}", checked.stderr);
    assert!(
        checked.stderr.contains("1 participant withdrawn (P77)"),
        "{}",
        checked.stderr
    );
    let redacted = run(findings().arg("check").arg("--redact").arg(&study));
    assert_eq!(redacted.code, 0, "{}", redacted.stderr);
    assert!(
        redacted
            .stderr
            .contains("1 participant withdrawn (ids left out: redacted): left out of the sample table"),
        "{}",
        redacted.stderr
    );
    assert!(!has_word(&redacted.stderr, WITHDRAWN_ID), "{}", redacted.stderr);
}

#[test]
fn a_figure_that_counts_the_withdrawn_is_a_warning() {
    let (temp, study) = study("withdrawn");
    let text = std::fs::read_to_string(study.join("study.yaml")).unwrap();
    write(&study, "study.yaml", &text.replace("value: 5", "value: 6"));
    let output = build(
        &study,
        &temp.path().join("site"),
        &["--format", "github", "--deny-warnings"],
    );
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("title=W025 figure-count-differs::figure `interviews` states 6 participants, but the study has 5 (1 withdrawn participant not counted)"),
        "{stdout}"
    );
}

#[test]
fn quotes_of_participants_who_did_not_consent_are_refused() {
    let (temp, study) = study("withdrawn");
    append(
        &study,
        "quotes.yaml",
        "  - id: harbour
    participant: P77
    text: |
      The harbour wall is where I think best.
  - id: bicycles
    participant: P88
    text: |
      Forty bicycles, every Tuesday.
",
    );
    let out = temp.path().join("site");
    let output = build(&study, &out, &["--format", "github"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let errors: Vec<&str> = stdout.lines().filter(|line| line.contains("E331")).collect();
    assert_eq!(errors.len(), 2, "{stdout}");
    assert!(
        errors[0].contains("quote `harbour` is of participant `P77`, who withdrew"),
        "{stdout}"
    );
    assert!(errors[1].contains("quote `bicycles` is of participant `P88`, who consented to be counted but not quoted"));
    for word in ["harbour wall", "Forty bicycles"] {
        assert!(!stdout.contains(word), "{word}");
    }
    assert!(!out.exists(), "a study with errors writes no site");
}
