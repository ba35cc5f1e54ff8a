//! Link integrity of built sites: every relative link of every page leads
//! to a file of the site, every fragment to an id of its page, and nothing
//! leads outside the output folder or names a path of the machine.

use crate::site_support::{
    Site, assert_links_resolve, build_ok, bundled_study, copy_dir, ids, is_external, link_problems, resolve, select,
    urls, valid_copy, valid_fixture,
};

/// Checks that no file of the site names the folders it was built from or
/// into.
fn assert_no_machine_paths(site: &Site, folders: &[&std::path::Path]) {
    for (name, bytes) in &site.files {
        let text = String::from_utf8_lossy(bytes);
        for folder in folders {
            let folder = folder.to_str().unwrap();
            assert!(!text.contains(folder), "{name} contains the path {folder}");
        }
    }
}

#[test]
fn every_link_of_the_paper_resolves_inside_the_site() {
    let temp = tempfile::tempdir().unwrap();
    let study = temp.path().join("study");
    copy_dir(&bundled_study(), &study);
    let out = temp.path().join("public");
    let site = build_ok(&study, &out, &[]);
    assert_links_resolve(&site);
    assert_no_machine_paths(&site, &[temp.path()]);

    // The check looked at real links: every page has navigation, and the
    // references page is reached by citations with fragments.
    let mut relative = 0;
    let mut with_fragment = 0;
    for page in site.pages() {
        for (_, _, url) in urls(&site.page(&page)) {
            if !is_external(&url) {
                relative += 1;
                with_fragment += usize::from(url.contains("references.html#ref-"));
            }
        }
    }
    assert!(relative > 500, "only {relative} relative links");
    assert!(with_fragment > 40, "only {with_fragment} citation links");
}

#[test]
fn every_link_of_the_fixture_resolves_with_and_without_a_base_url() {
    let temp = tempfile::tempdir().unwrap();
    for args in [&[][..], &["--base-url", "https://example.org/reports/sp"][..]] {
        let out = temp.path().join(if args.is_empty() { "plain" } else { "based" });
        let site = build_ok(&valid_fixture(), &out, args);
        assert_links_resolve(&site);
        assert_no_machine_paths(&site, &[temp.path(), &valid_fixture()]);
    }
}

#[test]
fn the_paper_with_a_base_url_keeps_relative_links() {
    let temp = tempfile::tempdir().unwrap();
    let site = build_ok(
        &bundled_study(),
        &temp.path().join("public"),
        &["--base-url", "https://example.org/reports/sp"],
    );
    assert_links_resolve(&site);
    // Only the canonical link and the 404 page (served at any depth) use
    // the base URL.
    for page in site.pages() {
        for (element, attribute, url) in urls(&site.page(&page)) {
            if url.starts_with("https://example.org") {
                assert!(
                    page == "404.html" || (element == "link" && attribute == "href"),
                    "{page}: <{element} {attribute}={url}>"
                );
            }
        }
    }
}

#[test]
fn ids_are_unique_on_every_page() {
    let temp = tempfile::tempdir().unwrap();
    let site = build_ok(&bundled_study(), &temp.path().join("public"), &[]);
    for page in site.pages() {
        let html = site.page(&page);
        for (id, count) in ids(&html) {
            assert_eq!(count, 1, "{page}: id {id}");
        }
        // The skip link's target exists on every page.
        assert_eq!(select(&html, "main#main").len(), 1, "{page}");
    }
}

#[test]
fn ids_written_in_the_narrative_never_clash_with_the_pages_own() {
    // Headings and footnotes whose names are ids the templates use (`main`,
    // a quote's anchor, a subtheme's), twice on a page, in two blocks.
    let (temp, study) = valid_copy();
    let append = |file: &str, text: &str| {
        let path = study.join(file);
        let mut content = std::fs::read_to_string(&path).unwrap();
        content.push_str(text);
        std::fs::write(path, content).unwrap();
    };
    append(
        "sections/02-results.md",
        "\nA claim[^main] and another[^1].\n\n[^main]: The note.\n\n[^1]: Another note.\n\n## Main\n\n## Themes heading {#themes-heading}\n\n## Summary\n",
    );
    append(
        "themes/01-experience.md",
        "\nA note[^1] and[^quote-caseload] and[^background].\n\n[^1]: First.\n\n[^quote-caseload]: Second.\n\n[^background]: Third.\n\n### Workload {#workload}\n\n{{quote caseload}}\n\nAgain[^1].\n\n[^1]: Fourth.\n",
    );
    let theme = std::fs::read_to_string(study.join("themes/01-experience.md")).unwrap();
    // The quote is placed once: move it from its first place to the end.
    let theme = theme.replacen("{{quote caseload}}\n", "", 1);
    std::fs::write(study.join("themes/01-experience.md"), theme).unwrap();
    let site = build_ok(&study, &temp.path().join("public"), &[]);
    assert_links_resolve(&site);
    for page in ["results.html", "themes/experience.html"] {
        let html = site.page(page);
        let references = select(&html, ".footnote-reference a");
        assert!(references.len() >= 2, "{page}");
        for reference in references {
            let target = resolve(page, reference.value().attr("href").unwrap()).unwrap();
            let id = target.fragment.unwrap();
            let definitions = select(&html, &format!(".footnote-definition[id=\"{id}\"]"));
            assert_eq!(definitions.len(), 1, "{page}: footnote #{id} leads to its note");
        }
        assert_eq!(select(&html, "main#main").len(), 1);
    }
    let theme = site.page("themes/experience.html");
    assert_eq!(select(&theme, "figure#quote-caseload").len(), 1);
    assert_eq!(
        select(&theme, "section > h2#workload").len(),
        1,
        "the subtheme keeps its anchor"
    );
}

#[test]
fn the_checker_finds_broken_links() {
    // The checker itself: a site with every kind of bad link.
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("site");
    std::fs::create_dir_all(root.join("themes")).unwrap();
    std::fs::write(
        root.join("index.html"),
        r##"<a href="themes/a.html#there">ok</a> <a href="#main">dup</a>
<a href="missing.html">1</a> <a href="themes/a.html#nowhere">2</a> <a href="../outside.html">3</a>
<a href="/etc/passwd">4</a> <img src="file:///etc/x.png"> <a href="themes/">5</a>
<p id="main"></p><p id="main"></p>"##,
    )
    .unwrap();
    std::fs::write(
        root.join("themes/a.html"),
        r#"<h2 id="there">x</h2><a href="../index.html">ok</a>"#,
    )
    .unwrap();
    let site = Site::read(&root);
    let problems = link_problems(&site);
    assert_eq!(problems.len(), 7, "{problems:#?}");
}
