//! Snapshots of the `<main>` element of every page built from the valid
//! fixture, as findings writes it (the page's own bytes, not a
//! re-serialisation). A change to a template or to rendering shows up here
//! as a reviewable diff: `cargo insta review`.

use crate::site_support::{build_ok, select, valid_fixture};

/// The pages of the fixture's site, in path order.
const PAGES: &[&str] = &[
    "404.html",
    "index.html",
    "methods.html",
    "participants/1a.html",
    "participants/1b.html",
    "participants/2.html",
    "participants/index.html",
    "references.html",
    "results.html",
    "services/1.html",
    "services/2.html",
    "services/index.html",
    "themes/experience.html",
];

#[test]
fn the_main_element_of_every_page() {
    let temp = tempfile::tempdir().unwrap();
    let site = build_ok(&valid_fixture(), &temp.path().join("public"), &[]);
    assert_eq!(
        site.pages(),
        PAGES,
        "a page was added or removed: update PAGES and the snapshots"
    );
    for page in PAGES {
        let text = site.text(page);
        assert_eq!(select(&site.page(page), "main").len(), 1, "{page} has one <main>");
        let start = text.find("<main").unwrap();
        let end = text.rfind("</main>").unwrap() + "</main>".len();
        let name = page.trim_end_matches(".html").replace('/', "-");
        insta::with_settings!({ description => format!("<main> of {page}"), omit_expression => true }, {
            insta::assert_snapshot!(name, &text[start..end]);
        });
    }
}
