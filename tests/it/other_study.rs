//! A study shaped unlike the bundled one (`tests/fixtures/valid-other/`,
//! issue 13): declared attributes (one free text), three organisation
//! types, a non-binary participant, named services, a theme without
//! subthemes and a subtheme without quotes, no section marked as findings
//! (so a generated overview lists its themes), its own table headings and
//! attribution order. Its pages are read as a reader sees them.

use scraper::Html;

use crate::site_support::{Site, build_ok, select, select_in, select_one, text_of};
use crate::support::{findings, fixtures_dir, run};

fn other_study() -> std::path::PathBuf {
    fixtures_dir().join("valid-other")
}

fn built() -> (tempfile::TempDir, Site) {
    let temp = tempfile::tempdir().unwrap();
    let site = build_ok(&other_study(), &temp.path().join("site"), &[]);
    (temp, site)
}

/// The texts of the cells of each row of `table`'s body.
fn rows(table: scraper::ElementRef<'_>) -> Vec<Vec<String>> {
    select_in(table, "tbody tr")
        .into_iter()
        .map(|row| select_in(row, "th, td").into_iter().map(text_of).collect())
        .collect()
}

/// The texts of the elements `css` matches.
fn texts(html: &Html, css: &str) -> Vec<String> {
    select(html, css).into_iter().map(text_of).collect()
}

#[test]
fn it_checks_clean() {
    let checked = run(findings().args(["check", "--deny-warnings"]).arg(other_study()));
    assert_eq!(checked.code, 0, "{}", checked.stderr);
}

#[test]
fn the_sample_table_has_the_declared_columns_in_order() {
    let (_temp, site) = built();
    let page = site.page("approach.html");
    let table = select_one(&page, "table.sample");
    assert_eq!(text_of(select_in(table, "caption")[0]), "Table 2 – Who took part");
    let headings: Vec<String> = select_in(table, "thead th").into_iter().map(text_of).collect();
    assert_eq!(
        headings,
        [
            "Job (participant)",
            "Age",
            "Gender identity",
            "Employer",
            "Service",
            "Years in post"
        ]
    );
    assert_eq!(
        rows(table),
        [
            vec![
                "Link worker (p1) Sees clients referred by their GP.",
                "30–49",
                "Woman",
                "NHS",
                "Northside Wellbeing Hub",
                "2"
            ],
            // The second participant of the same service: its cells span.
            vec![
                "Link worker (p2) Runs the hub's walking group.",
                "Under 30",
                "Non-binary",
                "under 1"
            ],
            vec![
                "Coordinator (p3) Leads a team of four.",
                "50 and over",
                "Man",
                "Local council",
                "east",
                "12"
            ],
            vec![
                "Coordinator (p4) The charity's only paid member of staff.",
                "50 and over",
                "Woman",
                "Charity",
                "Westgate Charity",
                "6"
            ],
        ]
    );
    let service = select_in(table, "th[scope=rowgroup]")[0];
    assert_eq!(service.value().attr("rowspan"), Some("2"));
}

#[test]
fn the_typology_table_has_the_studys_headings() {
    let (_temp, site) = built();
    let page = site.page("approach.html");
    assert_eq!(texts(&page, "table.typology thead th"), ["Approach", "What it means"]);
}

#[test]
fn attributions_follow_the_studys_format() {
    let (_temp, site) = built();
    let belonging = site.page("themes/belonging.html");
    assert_eq!(
        texts(&belonging, "figure.quote figcaption"),
        [
            "p1 (Woman, 30–49), Link worker at Northside Wellbeing Hub",
            "p2 (Non-binary, Under 30), Link worker at Northside Wellbeing Hub"
        ]
    );
    let workload = site.page("themes/workload.html");
    assert_eq!(
        texts(&workload, "figure.quote figcaption"),
        [
            "p3 (Man, 50 and over), Coordinator at east",
            "p4 (Woman, 50 and over), Coordinator at Westgate Charity"
        ]
    );
}

#[test]
fn chart_categories_come_in_declaration_order() {
    let (_temp, site) = built();
    let page = site.page("approach.html");
    let table = select_one(&page, "#chart-sample-by-gender table.chart-data");
    let columns: Vec<String> = select_in(table, "thead th").into_iter().map(text_of).collect();
    assert_eq!(columns, ["", "Under 30", "30–49", "50 and over", "Total"]);
    // Woman, Man, Non-binary as declared, not as first met (p2 is non-binary).
    assert_eq!(
        rows(table),
        [
            ["Woman", "0", "1", "1", "2"],
            ["Man", "0", "0", "1", "1"],
            ["Non-binary", "1", "0", "0", "1"]
        ]
    );
    let findings_page = site.page("what-we-heard.html");
    let split = select_one(&findings_page, "#chart-quotes-by-employer table.chart-data");
    let employers: Vec<String> = select_in(split, "thead th").into_iter().map(text_of).collect();
    assert_eq!(employers, ["", "NHS", "Local council", "Charity", "Total"]);
}

#[test]
fn pages_show_the_fields_the_study_chose() {
    let (_temp, site) = built();
    let participant = site.page("participants/p2.html");
    let facts: Vec<(String, String)> = select(&participant, "dl.facts div")
        .into_iter()
        .map(|fact| (text_of(select_in(fact, "dt")[0]), text_of(select_in(fact, "dd")[0])))
        .collect();
    let expected = [
        ("Job (participant)", "Link worker – Runs the hub's walking group."),
        ("Age", "Under 30"),
        ("Gender identity", "Non-binary"),
        ("Employer", "NHS"),
        ("Service", "Northside Wellbeing Hub"),
        ("Years in post", "under 1"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(term, value)| ((*term).to_owned(), (*value).to_owned()))
        .collect();
    assert_eq!(facts, expected);
    let service = site.page("services/west.html");
    assert_eq!(texts(&service, "h1"), ["Westgate Charity"]);
    assert_eq!(texts(&service, "dl.facts dt"), ["Employer", "Model", "Description"]);
    let unnamed = site.page("services/east.html");
    assert_eq!(texts(&unnamed, "h1"), ["Service east"]);
}

#[test]
fn a_theme_without_subthemes_and_a_subtheme_without_quotes_are_normal() {
    let (_temp, site) = built();
    let belonging = site.page("themes/belonging.html");
    assert!(select(&belonging, "main h2").is_empty());
    assert_eq!(select(&belonging, "figure.quote").len(), 2);
    let workload = site.page("themes/workload.html");
    let subthemes = texts(&workload, "main h2");
    assert!(subthemes.contains(&"Cover".to_owned()), "{subthemes:?}");
}

#[test]
fn without_a_findings_section_its_themes_get_an_overview_page() {
    let (_temp, site) = built();
    let overview = site.page("findings.html");
    let links: Vec<String> = select(&overview, "main a")
        .into_iter()
        .filter_map(|link| link.value().attr("href").map(str::to_owned))
        .filter(|href| href.starts_with("themes/"))
        .collect();
    let themes: Vec<String> = site
        .pages()
        .into_iter()
        .filter(|page| page.starts_with("themes/"))
        .collect();
    assert!(!themes.is_empty());
    for theme in &themes {
        assert!(
            links.iter().any(|link| link.split('#').next() == Some(theme.as_str())),
            "{theme} is not linked from the overview: {links:?}"
        );
    }
}
