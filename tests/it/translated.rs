//! A study in another language is published by overriding the label
//! templates and setting `language`: the valid fixture with the French
//! `labels.html` of `tests/fixtures/valid-translated/` shows none of the
//! built-in English words, and says `lang="fr"`. The same search finds
//! every one of those words in the English build, so it can fail.

use std::collections::BTreeSet;

use crate::site_support::{Site, build_ok, copy_dir, select, text_of, valid_copy, write};
use crate::support::fixtures_dir;

/// Phrases the built-in labels write, distinctive enough that no study
/// text of the fixture holds them: searched for in every text and
/// attribute of every page.
const ENGLISH_PHRASES: &[&str] = &[
    "Skip to main content",
    "Previous and next",
    "The study at a glance",
    "Theme 1 of 1",
    "Cited in:",
    "Page not found",
    "This page does not exist",
    "start of the study",
    "The numbers behind this chart",
    "Number of quotes",
    "Themes and subthemes, with the number of quotes in each",
    "Theme or subtheme",
    "participants from",
    "Select a participant",
    "services took part",
    "Select a service",
    "Quotes (",
    "Keywords:",
    "Table 1 – ",
    "Table 2 – ",
    "(mean ",
];

/// Single words the built-in labels write, by the elements (CSS) the
/// templates write them in, where the study's own words are not.
const ENGLISH_WORDS: &[(&str, &[&str])] = &[
    (
        ".site-nav a, .contents a",
        &["Home", "Participants", "Services", "References"],
    ),
    (".pager .direction", &["Previous", "Next"]),
    ("h1, .kicker a", &["Participants", "Services", "References"]),
    (
        "#summary-heading, #glance-heading, #contents-heading, #themes-heading, #participants",
        &["Summary", "Contents", "Themes", "Participants"],
    ),
    (".glance dt", &["Participants", "Services", "Themes", "Quotes"]),
    ("table.typology thead th", &["Model", "Description"]),
    // The fixture's sample table and participant pages keep the default
    // heading of `service`, which the label templates give.
    ("table.sample thead th, .facts dt", &["Service"]),
    (".chart-data thead th", &["Total", "Lowest", "Highest", "Mean", "Unit"]),
    (".theme-overview thead th", &["Quotes"]),
    ("thead th.number", &["Participants"]),
    (".exchange dt", &["Interviewer"]),
];

/// Beginnings the built-in labels give to elements.
const ENGLISH_STARTS: &[(&str, &[&str])] = &[
    (
        "title",
        &[
            "Participants –",
            "Participant ",
            "Services –",
            "Service ",
            "References –",
        ],
    ),
    ("h1, .site-nav a, .pager a, .cited-in a", &["Participant ", "Service "]),
    (".exchange dt", &["Participant "]),
];

/// Every built-in English label the site shows, as `selector: text`.
fn english_labels(site: &Site) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for path in site.pages() {
        let page = site.page(&path);
        for element in select(&page, "*") {
            let texts =
                std::iter::once(text_of(element)).chain(element.value().attrs().map(|(_, value)| value.to_owned()));
            for text in texts {
                for phrase in ENGLISH_PHRASES.iter().filter(|phrase| text.contains(*phrase)) {
                    found.insert(format!("text: {phrase}"));
                }
            }
        }
        for (css, words) in ENGLISH_WORDS {
            for element in select(&page, css) {
                let text = text_of(element);
                if words.contains(&text.as_str()) {
                    found.insert(format!("{css}: {text}"));
                }
            }
        }
        for (css, starts) in ENGLISH_STARTS {
            for element in select(&page, css) {
                let text = text_of(element);
                for start in starts.iter().filter(|start| text.starts_with(*start)) {
                    found.insert(format!("{css}: {start}"));
                }
            }
        }
    }
    found
}

#[test]
fn a_study_in_french_shows_no_english_label() {
    let temp = tempfile::tempdir().unwrap();

    let (_english_temp, english) = valid_copy();
    let english_site = build_ok(&english, &temp.path().join("english"), &[]);
    let in_english = english_labels(&english_site);
    // Every phrase and every kind of element is found in English.
    for phrase in ENGLISH_PHRASES {
        assert!(
            in_english.contains(&format!("text: {phrase}")),
            "the English build shows `{phrase}`: {in_english:#?}"
        );
    }
    for (css, words) in ENGLISH_WORDS.iter().chain(ENGLISH_STARTS) {
        for word in *words {
            assert!(
                in_english.contains(&format!("{css}: {word}")),
                "the English build shows `{word}` in `{css}`: {in_english:#?}"
            );
        }
    }
    let english_index = english_site.page("index.html");
    assert_eq!(select(&english_index, "html[lang=\"en\"]").len(), 1);

    let (_french_temp, french) = valid_copy();
    copy_dir(
        &fixtures_dir().join("valid-translated").join("templates"),
        &french.join("templates"),
    );
    let study = std::fs::read_to_string(french.join("study.yaml")).unwrap();
    write(&french, "study.yaml", &format!("language: fr\n{study}"));
    let french_site = build_ok(&french, &temp.path().join("french"), &[]);
    assert_eq!(french_site.pages(), english_site.pages());
    let in_french = english_labels(&french_site);
    assert!(
        in_french.is_empty(),
        "English labels in the French site: {in_french:#?}"
    );
    for path in french_site.pages() {
        let page = french_site.page(&path);
        assert_eq!(select(&page, "html[lang=\"fr\"]").len(), 1, "{path} says lang=\"fr\"");
    }
    // The French words are there, where the English ones were.
    let index = french_site.page("index.html");
    let nav: Vec<String> = select(&index, ".site-nav a").into_iter().map(text_of).collect();
    assert_eq!(nav.first().map(String::as_str), Some("Accueil"));
    assert!(nav.iter().any(|item| item == "Bibliographie"), "{nav:?}");
    let participant = french_site.page("participants/1a.html");
    assert_eq!(
        select(&participant, "h1").into_iter().map(text_of).collect::<Vec<_>>(),
        ["Personne 1a"]
    );
}
