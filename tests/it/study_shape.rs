//! No required shape: a study that marks no section as its findings gets a
//! generated overview of its themes (`findings.html`) where that section
//! would stand; a theme without subthemes and a subtheme without quotes
//! are normal (no diagnostic) and their pages render well.

use crate::site_support::{build_ok, select, select_one, text_of, valid_copy, write};
use crate::support::{findings, run};

/// The valid fixture with no section marked `findings: true`, a second
/// theme without subthemes and a subtheme without quotes.
fn unshaped_study() -> (tempfile::TempDir, std::path::PathBuf) {
    let (temp, study) = valid_copy();
    let results = std::fs::read_to_string(study.join("sections/02-results.md")).unwrap();
    assert!(results.contains("findings: true\n"));
    write(
        &study,
        "sections/02-results.md",
        &results.replace("findings: true\n", ""),
    );
    write(
        &study,
        "themes/02-context.md",
        "---\nid: context\ntitle: The wider context\n---\nAn introduction, and no subtheme.\n",
    );
    let experience = std::fs::read_to_string(study.join("themes/01-experience.md")).unwrap();
    write(
        &study,
        "themes/01-experience.md",
        &format!("{experience}\n## Quiet times {{#quiet}}\n\nNobody spoke of quiet times.\n"),
    );
    (temp, study)
}

#[test]
fn such_a_study_is_clean() {
    let (_temp, study) = unshaped_study();
    let checked = run(findings().arg("check").arg(&study).arg("--deny-warnings"));
    assert_eq!(checked.code, 0, "{}", checked.stderr);
    assert!(checked.stderr.contains("no problems found"), "{}", checked.stderr);
}

#[test]
fn the_themes_follow_a_generated_overview_after_the_sections() {
    let (temp, study) = unshaped_study();
    let site = build_ok(&study, &temp.path().join("site"), &[]);

    // In the navigation, after the sections, with the themes under it.
    let index = site.page("index.html");
    let nav: Vec<(String, Vec<String>)> = select(&index, ".site-nav > ul > li")
        .into_iter()
        .map(|item| {
            let link = crate::site_support::select_in(item, ":scope > a");
            let children = crate::site_support::select_in(item, ":scope > ul a")
                .into_iter()
                .map(|child| child.value().attr("href").unwrap_or_default().to_owned())
                .collect();
            (link[0].value().attr("href").unwrap_or_default().to_owned(), children)
        })
        .collect();
    let hrefs: Vec<&str> = nav.iter().map(|(href, _)| href.as_str()).collect();
    assert_eq!(
        hrefs,
        [
            "index.html",
            "methods.html",
            "results.html",
            "findings.html",
            "participants/index.html",
            "services/index.html",
            "references.html"
        ]
    );
    assert_eq!(nav[3].1, ["themes/experience.html", "themes/context.html"]);
    // The study at a glance links its count of themes to the overview.
    let themes_count = select(&index, ".glance a")
        .into_iter()
        .find(|link| link.value().attr("href") == Some("findings.html"))
        .map(text_of);
    assert_eq!(themes_count.as_deref(), Some("2"));

    // The overview lists every theme and subtheme with its quotes; the
    // section that is not marked has none.
    let overview = site.page("findings.html");
    assert_eq!(text_of(select_one(&overview, "h1")), "Findings");
    assert_eq!(
        text_of(select_one(&overview, "title")).split(" – ").next(),
        Some("Findings")
    );
    let rows: Vec<(String, String)> = select(&overview, ".theme-overview tbody tr")
        .into_iter()
        .map(|row| {
            let cell = |css: &str| {
                crate::site_support::select_in(row, css)
                    .into_iter()
                    .map(text_of)
                    .collect()
            };
            (cell("th"), cell("td"))
        })
        .collect();
    let expected = [
        ("1. The practitioner's experience", "3"),
        ("Background", "1"),
        ("Workload", "2"),
        ("Quiet times", "0"),
        ("2. The wider context", "0"),
    ];
    assert_eq!(
        rows,
        expected.map(|(theme, quotes)| (theme.to_owned(), quotes.to_owned()))
    );
    assert!(select(&site.page("results.html"), ".theme-overview").is_empty());
    let pager = |path: &str| -> Vec<String> {
        select(&site.page(path), ".pager a")
            .into_iter()
            .map(|link| link.value().attr("href").unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(pager("findings.html"), ["results.html", "themes/experience.html"]);
    assert_eq!(
        pager("themes/context.html"),
        ["../themes/experience.html", "../participants/index.html"]
    );
}

#[test]
fn a_theme_without_subthemes_and_a_subtheme_without_quotes_render_well() {
    let (temp, study) = unshaped_study();
    let site = build_ok(&study, &temp.path().join("site"), &[]);

    let context = site.page("themes/context.html");
    assert_eq!(text_of(select_one(&context, ".kicker")), "Findings · Theme 2 of 2");
    assert_eq!(
        select_one(&context, ".kicker a").value().attr("href"),
        Some("../findings.html")
    );
    assert_eq!(text_of(select_one(&context, "h1")), "The wider context");
    let main = select_one(&context, "main");
    assert!(text_of(main).contains("An introduction, and no subtheme."));
    assert!(
        select(&context, "main section, main h2").is_empty(),
        "no subtheme, no heading"
    );

    let experience = site.page("themes/experience.html");
    let quiet = select_one(&experience, "section[aria-labelledby=\"quiet\"]");
    assert_eq!(text_of(quiet), "Quiet times Nobody spoke of quiet times.");
    assert!(crate::site_support::select_in(quiet, ".quote").is_empty());
    let toc: Vec<String> = select(&experience, ".toc a").into_iter().map(text_of).collect();
    assert_eq!(toc, ["Background", "Workload", "Quiet times"]);
}

#[test]
fn captions_and_chart_titles_a_study_omits_have_the_labels_defaults() {
    let (temp, study) = valid_copy();
    for file in ["typology.yaml", "roles.yaml", "charts.yaml"] {
        let text = std::fs::read_to_string(study.join(file)).unwrap();
        let kept: Vec<&str> = text
            .lines()
            .filter(|line| !line.trim_start().starts_with("title:"))
            .collect();
        assert!(kept.len() < text.lines().count(), "{file} has a title to omit");
        write(&study, file, &(kept.join("\n") + "\n"));
    }
    let checked = run(findings().arg("check").arg(&study).arg("--deny-warnings"));
    assert_eq!(checked.code, 0, "{}", checked.stderr);
    let site = build_ok(&study, &temp.path().join("site"), &[]);
    let methods = site.page("methods.html");
    assert_eq!(
        text_of(select_one(&methods, "#table-typology-caption")),
        "Table 1 – Typology"
    );
    let results = site.page("results.html");
    let chart = select_one(&results, "#chart-quotes-per-subtheme");
    let titles: Vec<String> = [
        "figcaption",
        "#chart-quotes-per-subtheme-title",
        "#chart-quotes-per-subtheme-caption",
    ]
    .into_iter()
    .map(|css| text_of(crate::site_support::select_in(chart, css)[0]))
    .collect();
    assert_eq!(titles, ["Number of quotes"; 3]);
    let described = text_of(select_one(&results, "#chart-quotes-per-subtheme-desc"));
    assert!(
        described.starts_with("Number of quotes. Number of quotes — "),
        "{described}"
    );
    let roles: Vec<String> = site
        .pages()
        .iter()
        .flat_map(|path| {
            select(&site.page(path), "dl.roles")
                .into_iter()
                .map(|list| list.value().attr("aria-label").unwrap_or_default().to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        !roles.is_empty() && roles.iter().all(|label| label == "Role categories"),
        "{roles:?}"
    );
}
