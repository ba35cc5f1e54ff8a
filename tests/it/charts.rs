//! Charts: the numbers behind the bundled study's charts against counts made
//! by hand from the paper's Table 2 and results, the SVG as XML, the same
//! SVG on a machine with no fonts, and figures whose numbers could not be
//! drawn refused by `check` and `build` alike, without hanging.

use std::collections::BTreeMap;
use std::path::Path;

use findings::tabulate::{ChartTable, tabulate};

use crate::site_support::{build_ok, bundled_study, read_tree, select, valid_copy};
use crate::support::{findings, run};

fn paper_tables() -> BTreeMap<String, ChartTable> {
    let checked = findings::check_study(&bundled_study()).expect("data/ can be read");
    let study = checked.study.expect("data/ is valid");
    study
        .charts
        .iter()
        .map(|chart| (chart.id.clone(), tabulate(&study, &chart.spec)))
        .collect()
}

/// `(category, total)` of a counts table.
fn totals(table: &ChartTable) -> Vec<(String, u32)> {
    let ChartTable::Counts { categories, values, .. } = table else {
        panic!("not a counts table: {table:?}")
    };
    categories
        .iter()
        .zip(values)
        .map(|(category, row)| (category.clone(), row.iter().sum()))
        .collect()
}

fn owned(pairs: &[(&str, u32)]) -> Vec<(String, u32)> {
    pairs
        .iter()
        .map(|(label, count)| ((*label).to_owned(), *count))
        .collect()
}

#[test]
fn sample_charts_match_table_2() {
    let tables = paper_tables();
    // Table 2: services 1 and 4 are SP Medium (1a, 1b, 4a, 4b); 2, 3, 5, 6
    // are SP Holistic. None from Signposting or Light.
    assert_eq!(
        totals(&tables["sample-by-model"]),
        owned(&[
            ("SP Signposting", 0),
            ("SP Light", 0),
            ("SP Medium", 4),
            ("SP Holistic", 4)
        ])
    );
    // Stacked by organisation type: the Medium services are the statutory ones.
    let ChartTable::Counts { series, values, .. } = &tables["sample-by-model"] else {
        panic!()
    };
    assert_eq!(series, &["Statutory".to_owned(), "Community-based".to_owned()]);
    assert_eq!(values, &vec![vec![0, 0], vec![0, 0], vec![4, 0], vec![0, 4]]);
    // Roles: Social Prescriber 1a, 1b, 4b, 5; Senior Practitioner 6;
    // Managerial Social Prescriber 2, 3; Manager 4a.
    assert_eq!(
        totals(&tables["sample-by-role"]),
        owned(&[
            ("Social Prescriber", 4),
            ("Senior Practitioner", 1),
            ("Managerial Social Prescriber", 2),
            ("Manager", 1),
        ])
    );
    // Contracts: FT 1a, 1b, 2, 3, 6; PT 4a, 4b, 5.
    let ChartTable::Counts { series, values, .. } = &tables["sample-by-role"] else {
        panic!()
    };
    assert_eq!(series, &["FT".to_owned(), "PT".to_owned()]);
    assert_eq!(values, &vec![vec![2, 2], vec![1, 0], vec![2, 0], vec![0, 1]]);
}

#[test]
fn quote_charts_match_the_results() {
    let tables = paper_tables();
    // Results: theme 1 has quotes by 4a, 2, 6, 3; theme 2 by 1b, 1a, 3;
    // theme 3 by 3, 6, 2, 2, 3, 4b, 2, 2, 5.
    assert_eq!(
        totals(&tables["quotes-per-theme"]),
        owned(&[
            ("The SP’s experience", 4),
            ("Working with clients", 3),
            ("Working in services", 9)
        ])
    );
    // Statutory participants (1a, 1b, 4a, 4b) give 4a's, 1b's, 1a's and 4b's quotes.
    let ChartTable::Counts { values, .. } = &tables["quotes-per-theme"] else {
        panic!()
    };
    assert_eq!(values, &vec![vec![1, 3], vec![2, 1], vec![1, 8]]);
    let ChartTable::Matrix { rows, columns, values } = &tables["framework-matrix"] else {
        panic!()
    };
    assert_eq!(
        columns,
        &["1a", "1b", "2", "3", "4a", "4b", "5", "6"].map(str::to_owned)
    );
    assert_eq!(rows.len(), 6, "six subthemes");
    let by_participant: Vec<u32> = (0..columns.len())
        .map(|column| values.iter().map(|row| row[column]).sum())
        .collect();
    // 1a 1, 1b 1, 2 five, 3 four, 4a 1, 4b 1, 5 1, 6 two: sixteen in all.
    assert_eq!(by_participant, vec![1, 1, 5, 4, 1, 1, 1, 2]);
    assert_eq!(
        totals(&tables["quotes-working-in-services"]),
        owned(&[
            ("Staffing, support and training", 2),
            ("Managing stress and workload", 4),
            ("Future career progression", 3),
        ])
    );
    let ChartTable::Ranges { rows } = &tables["interview-length"] else {
        panic!()
    };
    assert_eq!((rows[0].min, rows[0].max, rows[0].mean), (21.0, 37.0, Some(29.0)));
}

#[test]
fn every_chart_is_placed_accessible_and_well_formed_xml() {
    let temp = tempfile::tempdir().unwrap();
    let site = build_ok(&bundled_study(), &temp.path().join("out"), &[]);
    let study = findings::check_study(&bundled_study()).unwrap().study.unwrap();
    let mut seen = 0;
    for page in site.pages() {
        let html = site.text(&page);
        for svg in html.split("<svg").skip(1) {
            let svg = format!(
                "<svg{}",
                &svg[..svg.find("</svg>").expect("a closed svg") + "</svg>".len()]
            );
            let document = roxmltree::Document::parse(&svg).unwrap_or_else(|error| panic!("{page}: {error}"));
            let root = document.root_element();
            assert_eq!(root.attribute("role"), Some("img"), "{page}");
            let title = root
                .children()
                .find(|node| node.has_tag_name("title"))
                .expect("a title");
            let desc = root.children().find(|node| node.has_tag_name("desc")).expect("a desc");
            let title = title.text().unwrap_or_default();
            assert!(!title.is_empty(), "{page}");
            assert!(
                desc.text().unwrap_or_default().len() > title.len() + 10,
                "{page}: the description says more than the title"
            );
            let texts: String = document
                .descendants()
                .filter(|node| node.has_tag_name("text"))
                .filter_map(|node| node.text())
                .collect();
            assert!(!texts.trim().is_empty(), "{page}: the chart has text labels");
            seen += 1;
        }
    }
    assert_eq!(seen, study.charts.len(), "each declared chart is drawn once");
    let methods = site.text("methods.html");
    for label in [
        "SP Medium",
        "SP Holistic",
        "Statutory",
        "Community-based",
        "Social Prescriber",
    ] {
        assert!(
            methods.contains(&format!("\n{label}\n</text>")),
            "methods.html chart labels {label}"
        );
    }
    assert!(
        methods.contains("The numbers behind this chart"),
        "each chart has its data table"
    );
}

#[test]
fn charts_are_the_same_without_any_fonts() {
    let temp = tempfile::tempdir().unwrap();
    let normal = temp.path().join("normal");
    build_ok(&bundled_study(), &normal, &[]);
    let empty = temp.path().join("empty-data-home");
    std::fs::create_dir(&empty).unwrap();
    let hidden = temp.path().join("no-fonts");
    let output = crate::site_support::findings()
        .arg("build")
        .arg(bundled_study())
        .arg("-o")
        .arg(&hidden)
        .env("FONTCONFIG_FILE", "/dev/null")
        .env("FONTCONFIG_PATH", &empty)
        .env("XDG_DATA_HOME", &empty)
        .env("HOME", &empty)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        read_tree(&normal),
        read_tree(&hidden),
        "identical with no fonts available"
    );
    assert!(
        read_tree(Path::new(&hidden))
            .values()
            .any(|bytes| String::from_utf8_lossy(bytes).contains("<svg"))
    );
}

/// Sets the `max` of the valid fixture's `interview-length` figure (drawn
/// by its `durations` range chart) in `study`.
fn set_interview_length_max(study: &Path, max: &str) {
    let path = study.join("study.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("    max: 40\n"), "the valid fixture's interview length");
    std::fs::write(&path, text.replace("    max: 40\n", &format!("    max: {max}\n"))).unwrap();
}

/// `max: 1.7e308` once passed `check` and made `build` spin for ever
/// (`max * 1.25` is infinite). Now both refuse it with E307 at the value.
/// Every run is bounded: `support::run` kills the binary after
/// `support::TIMEOUT` and fails the test if it had not finished.
#[test]
fn a_figure_too_large_to_draw_is_refused_without_hanging() {
    for max in ["1.7e308", ".inf", ".nan", "1000000001"] {
        let (temp, study) = valid_copy();
        set_interview_length_max(&study, max);
        let checked = run(findings()
            .current_dir(temp.path())
            .args(["check", "study", "--format", "github"]));
        assert_eq!(checked.code, 1, "{max}: {checked:?}");
        assert!(
            checked
                .stdout
                .starts_with("::error file=study/study.yaml,line=17,col=10,title=E307 number-out-of-range::`max` "),
            "{max}: {}",
            checked.stdout
        );
        assert_eq!(checked.stdout.lines().count(), 1, "{max}: {}", checked.stdout);
        let built = run(findings()
            .current_dir(temp.path())
            .args(["build", "study", "-o", "public", "--format", "github"]));
        assert_eq!((built.code, &built.stdout), (1, &checked.stdout), "{max}");
        assert!(!temp.path().join("public").exists(), "{max}: nothing is written");
    }
}

/// The largest number a figure may take is drawn, on an axis that ends a
/// quarter beyond it.
#[test]
fn a_figure_at_the_top_of_the_range_is_drawn() {
    let (temp, study) = valid_copy();
    set_interview_length_max(&study, "1000000000");
    let site = build_ok(&study, &temp.path().join("public"), &[]);
    let methods = site.page("methods.html");
    let labels: Vec<String> = select(&methods, "svg text")
        .into_iter()
        .map(|text| text.text().collect::<String>().trim().to_owned())
        .collect();
    assert!(
        labels.iter().any(|label| label.starts_with("20–1000000000 minutes")),
        "{labels:?}"
    );
}
