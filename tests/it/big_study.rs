//! Big studies stay readable: above `SAMPLE_TABLE_ROWS` (200) participants
//! the sample table shows one row per service, each linking to the
//! service's page, which lists its participants.

use std::fmt::Write as _;

use crate::site_support::{
    assert_links_resolve, build_ok, collapse, select, select_in, select_one, text_of, valid_copy, write,
};

/// The valid fixture's participants (whom its quotes name), then more, to
/// `count` in all, alternating between its two services.
fn participants(count: usize) -> String {
    let fixture = std::fs::read_to_string(crate::support::valid_fixture().join("participants.yaml")).unwrap();
    let mut text = fixture;
    for extra in 3..count {
        let service = 1 + extra % 2;
        write!(
            text,
            "  - id: extra-{extra}\n    consent: quote\n    service: \"{service}\"\n    gender: F\n    contract: PT\n    role: practitioner\n    role_description: Works with clients.\n"
        )
        .unwrap();
    }
    text
}

#[test]
fn the_sample_table_shows_services_above_two_hundred_participants() {
    let (temp, study) = valid_copy();
    write(&study, "participants.yaml", &participants(201));
    let site = build_ok(&study, &temp.path().join("public"), &[]);
    let page = site.page("participants/index.html");
    let table = select_one(&page, "table.sample");
    let rows = select_in(table, "tbody tr");
    assert_eq!(rows.len(), 2, "one row per service");
    let links: Vec<String> = rows
        .iter()
        .map(|row| {
            select_in(*row, "th a")[0]
                .value()
                .attr("href")
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(links, ["../services/1.html", "../services/2.html"]);
    let counts: Vec<String> = rows.iter().map(|row| text_of(select_in(*row, "td")[0])).collect();
    // The fixture's three participants: 1a and 1b in service 1, 2 in
    // service 2; the 198 others alternate, starting with service 2.
    assert_eq!(counts, ["101", "100"]);
    assert_eq!(
        collapse(&text_of(select_one(&page, "caption"))),
        "Table 2 – The sample: 201 participants, by service"
    );
    // The methods page places the same table; each service's page still
    // lists its participants, so every participant is two links away.
    assert_eq!(select(&site.page("methods.html"), "table.sample tbody tr").len(), 2);
    assert_eq!(
        select(&site.page("services/2.html"), "#participants + ul li").len(),
        100
    );
    assert_links_resolve(&site);
}

#[test]
fn the_sample_table_shows_participants_up_to_two_hundred() {
    let (temp, study) = valid_copy();
    write(&study, "participants.yaml", &participants(200));
    let site = build_ok(&study, &temp.path().join("public"), &[]);
    let page = site.page("participants/index.html");
    assert_eq!(
        select(&page, "table.sample tbody tr").len(),
        200,
        "one row per participant"
    );
    assert!(!text_of(select_one(&page, "caption")).contains("by service"));
}

/// The valid fixture with `extra` more quotes of participant 1a, all
/// placed in its one theme: the fixture's three and half the others
/// under its first subtheme, the rest under its second.
fn study_with_quotes(extra: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let (temp, study) = valid_copy();
    let mut quotes = std::fs::read_to_string(study.join("quotes.yaml")).unwrap();
    let mut first = String::new();
    let mut second = String::new();
    for number in 0..extra {
        write!(
            quotes,
            "  - id: extra-{number}\n    participant: 1a\n    text: \"Quote number {number}.\"\n"
        )
        .unwrap();
        let half = if number < extra / 2 { &mut first } else { &mut second };
        write!(half, "{{{{quote extra-{number}}}}}\n\n").unwrap();
    }
    write(&study, "quotes.yaml", &quotes);
    write(
        &study,
        "themes/01-experience.md",
        &format!(
            "---\nid: experience\ntitle: The practitioner's experience\n---\nParticipants described how they came to the work.\n\n## Background {{#background}}\n\n{{{{quote blank-page}}}}\n\n{first}## Workload {{#workload}}\n\n{{{{quote caseload}}}}\n\n{{{{quote holidays}}}}\n\n{second}"
        ),
    );
    (temp, study)
}

#[test]
fn a_theme_of_more_than_five_hundred_quotes_has_a_page_per_subtheme() {
    let (temp, study) = study_with_quotes(498);
    let site = build_ok(&study, &temp.path().join("public"), &[]);
    let theme = site.page("themes/experience.html");
    assert!(
        select(&theme, "[id^=quote-]").is_empty(),
        "the overview places no quote"
    );
    let links: Vec<(String, String)> = select(&theme, "ol.subthemes a")
        .iter()
        .map(|link| (link.value().attr("href").unwrap_or_default().to_owned(), text_of(*link)))
        .collect();
    assert_eq!(
        links,
        [
            ("../themes/experience/1.html".to_owned(), "Background".to_owned()),
            ("../themes/experience/2.html".to_owned(), "Workload".to_owned())
        ]
    );
    let first = site.page("themes/experience/1.html");
    let second = site.page("themes/experience/2.html");
    assert_eq!(text_of(select_one(&first, "h1")), "Background");
    assert_eq!(select(&first, "#quote-blank-page").len(), 1);
    assert_eq!(select(&first, "[id^=quote-]").len(), 1 + 249);
    assert_eq!(select(&second, "[id^=quote-]").len(), 2 + 249);
    // Everything that links to a quote or a subtheme goes to its page: the
    // findings section's overview, the participant's page, the pager.
    let results = site.page("results.html");
    let overview: Vec<&str> = select(&results, "th.subtheme a")
        .iter()
        .filter_map(|link| link.value().attr("href"))
        .collect();
    assert_eq!(overview, ["themes/experience/1.html", "themes/experience/2.html"]);
    let participant = site.text("participants/1a.html");
    assert!(participant.contains("../themes/experience/2.html#quote-caseload"));
    assert_links_resolve(&site);
}

#[test]
fn a_theme_of_five_hundred_quotes_keeps_its_subthemes_on_its_page() {
    let (temp, study) = study_with_quotes(497);
    let site = build_ok(&study, &temp.path().join("public"), &[]);
    assert_eq!(select(&site.page("themes/experience.html"), "[id^=quote-]").len(), 500);
    assert!(!site.pages().iter().any(|page| page.starts_with("themes/experience/")));
}
