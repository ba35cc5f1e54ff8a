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
            "  - id: extra-{extra}\n    service: \"{service}\"\n    gender: F\n    contract: PT\n    role: practitioner\n    role_description: Works with clients.\n"
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
