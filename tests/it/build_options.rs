//! `--base-url`, and a study's own templates and static files.

use std::collections::BTreeSet;

use crate::site_support::{
    Site, assert_exit, assert_links_resolve, build, build_ok, bundled_study, findings, read_tree, select, text_of,
    urls, valid_copy, valid_fixture, write,
};

const BASE: &str = "https://example.org/reports/sp";

/// The address a page is published at under `BASE`.
fn published(page: &str) -> String {
    format!("{BASE}/{}", page.strip_suffix("index.html").unwrap_or(page))
}

/// The `<loc>` entries of a sitemap.
fn sitemap_locations(sitemap: &str) -> Vec<String> {
    sitemap
        .split("<loc>")
        .skip(1)
        .map(|rest| rest.split_once("</loc>").expect("a closed <loc>").0.to_owned())
        .collect()
}

#[test]
fn a_base_url_adds_canonical_links_and_a_sitemap() {
    let temp = tempfile::tempdir().unwrap();
    let site = build_ok(&bundled_study(), &temp.path().join("public"), &["--base-url", BASE]);
    let mut canonical = BTreeSet::new();
    for page in site.pages() {
        let html = site.page(&page);
        let links: Vec<String> = select(&html, "link[rel=\"canonical\"]")
            .into_iter()
            .map(|link| link.value().attr("href").unwrap().to_owned())
            .collect();
        if page == "404.html" {
            assert!(links.is_empty(), "the 404 page is not a page of the site: {links:?}");
        } else {
            assert_eq!(links, [published(&page)], "{page}");
            canonical.insert(links[0].clone());
        }
    }
    assert!(canonical.contains(&format!("{BASE}/")));
    assert!(canonical.contains(&format!("{BASE}/participants/")));
    assert!(canonical.contains(&format!("{BASE}/themes/sp-experience.html")));

    let sitemap = site.text("sitemap.xml");
    assert!(
        sitemap.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
        "{sitemap}"
    );
    assert!(sitemap.contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    assert!(sitemap.trim_end().ends_with("</urlset>"));
    let locations = sitemap_locations(&sitemap);
    assert_eq!(locations.len(), site.pages().len() - 1, "every page but 404.html");
    assert_eq!(locations.iter().cloned().collect::<BTreeSet<_>>(), canonical);
    for location in &locations {
        assert!(location.starts_with(&format!("{BASE}/")), "{location}");
        assert!(!location["https://".len()..].contains("//"), "{location}");
    }
    assert_links_resolve(&site);
}

#[test]
fn a_trailing_slash_on_the_base_url_makes_no_difference() {
    let temp = tempfile::tempdir().unwrap();
    let plain = temp.path().join("plain");
    let slashed = temp.path().join("slashed");
    build_ok(&valid_fixture(), &plain, &["--base-url", BASE]);
    build_ok(&valid_fixture(), &slashed, &["--base-url", &format!("{BASE}/")]);
    crate::site_support::assert_same_tree(&read_tree(&plain), &read_tree(&slashed));
}

/// Every http(s) address written in the study's files.
fn addresses_in_study(study: &std::path::Path) -> String {
    let mut text = String::new();
    for (name, bytes) in read_tree(study) {
        if name.ends_with(".yaml") || name.ends_with(".md") {
            text.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    text
}

#[test]
fn without_a_base_url_there_is_no_sitemap_and_no_absolute_address_of_the_site() {
    for study in [bundled_study(), valid_fixture()] {
        let temp = tempfile::tempdir().unwrap();
        let site = build_ok(&study, &temp.path().join("public"), &[]);
        assert!(!site.files.contains_key("sitemap.xml"));
        let written = addresses_in_study(&study);
        for page in site.pages() {
            let html = site.page(&page);
            assert!(select(&html, "link[rel=\"canonical\"], base").is_empty(), "{page}");
            for (element, attribute, url) in urls(&html) {
                if url.starts_with("http://") || url.starts_with("https://") {
                    // Only addresses the study itself gives (its references).
                    assert!(written.contains(&url), "{page}: <{element} {attribute}=\"{url}\">");
                } else {
                    assert!(!url.starts_with('/'), "{page}: <{element} {attribute}=\"{url}\">");
                }
            }
        }
        assert_links_resolve(&site);
    }
}

#[test]
fn an_invalid_base_url_is_a_usage_error() {
    let temp = tempfile::tempdir().unwrap();
    for bad in [
        "",
        "example.org/reports/sp",
        "//example.org/reports/sp",
        "/reports/sp",
        "ftp://example.org/reports",
        "file:///var/www",
        "javascript:alert(1)",
        "https://exa mple.org",
        "https://example.org/\"><script>alert(1)</script>",
    ] {
        let out = temp.path().join("public");
        let output = build(&valid_fixture(), &out, &["--base-url", bad]);
        assert_exit(&output, 2);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("--base-url"), "{bad:?}: {stderr}");
        assert!(!out.exists(), "{bad:?}: nothing is written");
    }
}

#[test]
fn a_base_url_without_a_host_or_with_a_query_is_a_usage_error() {
    let temp = tempfile::tempdir().unwrap();
    for bad in [
        "https://",
        "http:///path",
        "https://example.org/?q=1",
        "https://example.org/#top",
    ] {
        let out = temp.path().join("public");
        let output = build(&valid_fixture(), &out, &["--base-url", bad]);
        assert_exit(&output, 2);
        assert!(!out.exists(), "{bad:?}: nothing is written");
    }
}

/// A quote partial of the study's own.
const QUOTE_PARTIAL: &str = r#"<figure class="my-quote" id="{{ quote.anchor }}">
{% if quote.text %}<p class="said">{{ quote.text }}</p>
{% endif %}{% for turn in quote.turns %}<p class="said said-{{ turn.speaker }}">{{ turn.text }}</p>
{% endfor %}<figcaption><a href="{{ root }}{{ quote.participant_href }}">{{ quote.attribution }}</a></figcaption>
</figure>
"#;

#[test]
fn an_overridden_partial_is_used_on_every_page() {
    let (temp, study) = valid_copy();
    write(&study, "templates/partials/quote.html", QUOTE_PARTIAL);
    let site = build_ok(&study, &temp.path().join("public"), &[]);
    let theme = site.page("themes/experience.html");
    assert_eq!(
        select(&theme, "figure.quote").len(),
        0,
        "the built-in partial is not used"
    );
    let mine = select(&theme, "figure.my-quote");
    assert_eq!(mine.len(), 3);
    let holidays = select(&theme, "figure#quote-holidays .said-interviewer");
    assert_eq!(text_of(holidays[0]), "So what do you do now if you need a holiday?");
    for page in ["participants/1b.html", "services/1.html"] {
        assert_eq!(
            select(&site.page(page), "figure.my-quote#quote-holidays").len(),
            1,
            "{page}"
        );
    }
    // The rest of the site is the built-in one.
    assert_eq!(select(&theme, "nav.site-nav").len(), 1);
    assert_links_resolve(&site);
}

#[test]
fn an_overridden_page_template_is_used() {
    let (temp, study) = valid_copy();
    write(
        &study,
        "templates/theme.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1 class=\"my-theme\">{{ theme.title }}</h1>\n{% for subtheme in theme.subthemes %}<h2 id=\"{{ subtheme.anchor }}\">{{ subtheme.title }}</h2>\n{% set blocks = subtheme.blocks %}{% include \"partials/blocks.html\" %}{% endfor %}\n{% endblock content %}\n",
    );
    let site = build_ok(&study, &temp.path().join("public"), &[]);
    let theme = site.page("themes/experience.html");
    assert_eq!(
        text_of(select(&theme, "h1.my-theme")[0]),
        "The practitioner's experience"
    );
    assert_eq!(select(&theme, "figure.quote").len(), 3);
    assert_links_resolve(&site);
}

#[test]
fn static_files_are_copied_as_they_are() {
    let (temp, study) = valid_copy();
    let logo: Vec<u8> = (0..=255u8).chain([0, 0xff, b'\r', b'\n']).collect();
    std::fs::create_dir_all(study.join("static/img")).unwrap();
    std::fs::write(study.join("static/img/logo.png"), &logo).unwrap();
    write(&study, "static/robots.txt", "User-agent: *\r\nDisallow:\r\n");
    write(&study, "static/.hidden", "never published");
    write(&study, "static/notes.txt~", "an editor backup");
    write(&study, "templates/assets/findings.css", "body { color: black; }\n");
    write(&study, "templates/assets/extra.css", "p { margin: 0; }\n");
    let site = build_ok(&study, &temp.path().join("public"), &[]);
    assert_eq!(site.files["img/logo.png"], logo);
    assert_eq!(site.files["robots.txt"], b"User-agent: *\r\nDisallow:\r\n");
    assert_eq!(site.files["assets/findings.css"], b"body { color: black; }\n");
    assert_eq!(site.files["assets/extra.css"], b"p { margin: 0; }\n");
    assert!(
        !site
            .files
            .keys()
            .any(|name| name.contains("hidden") || name.ends_with('~'))
    );
    assert_links_resolve(&site);
}

#[test]
fn a_static_file_may_not_take_the_place_of_a_page_or_a_folder() {
    for clash in [
        "index.html",
        "themes/experience.html",
        "themes",
        "assets",
        "index.html/x.css",
        "participants",
    ] {
        let (temp, study) = valid_copy();
        write(&study, &format!("static/{clash}"), "mine");
        let out = temp.path().join("public");
        let output = findings()
            .args(["build", "--format", "json"])
            .arg(&study)
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap();
        assert_exit(&output, 1);
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let diagnostics = report["diagnostics"].as_array().unwrap();
        assert_eq!(diagnostics.len(), 1, "{clash}: {report:#}");
        assert_eq!(diagnostics[0]["code"], "E502", "{clash}: {report:#}");
        assert_eq!(diagnostics[0]["file"], format!("static/{clash}"), "{clash}: {report:#}");
        assert!(!out.exists(), "{clash}: nothing is written");
        assert_eq!(
            crate::site_support::names_in(temp.path()),
            ["study"],
            "{clash}: no staging folder is left"
        );
    }
}

/// Runs `findings build --format json` on `study` and returns the report.
fn json_build(study: &std::path::Path, out: &std::path::Path) -> (std::process::Output, serde_json::Value) {
    let output = findings()
        .args(["build", "--format", "json"])
        .arg(study)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("not JSON ({error}): {}", String::from_utf8_lossy(&output.stdout)));
    (output, report)
}

/// Asserts that `report` holds exactly one diagnostic, an E501 at
/// `file:line`.
#[track_caller]
fn assert_template_error(report: &serde_json::Value, file: &str, line: Option<u64>) {
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "one problem, reported once: {report:#}");
    let diagnostic = &diagnostics[0];
    assert_eq!(diagnostic["code"], "E501", "{report:#}");
    assert_eq!(diagnostic["severity"], "error");
    assert_eq!(diagnostic["file"], file, "{report:#}");
    match line {
        Some(line) => assert_eq!(diagnostic["line"], line, "{report:#}"),
        None => assert!(diagnostic["line"].is_null(), "{report:#}"),
    }
    assert_eq!(report["errors"], 1);
}

#[test]
fn a_template_syntax_error_names_the_file_and_line() {
    let (temp, study) = valid_copy();
    let out = temp.path().join("public");
    // Line 3 closes a block that was never opened.
    write(
        &study,
        "templates/partials/quote.html",
        "<figure class=\"quote\" id=\"{{ quote.anchor }}\">\n<p>{{ quote.text }}</p>\n{% endif %}\n</figure>\n",
    );
    let (output, report) = json_build(&study, &out);
    assert_exit(&output, 1);
    let diagnostic = &report["diagnostics"][0];
    assert_eq!(diagnostic["code"], "E501", "{report:#}");
    assert_eq!(diagnostic["file"], "templates/partials/quote.html", "{report:#}");
    assert_eq!(diagnostic["line"], 3, "{report:#}");
    assert_eq!(report["diagnostics"].as_array().unwrap().len(), 1, "{report:#}");
    assert!(!out.exists());

    // The human report points at it too, and `check` finds it as well.
    let output = build(&study, &out, &[]);
    assert_exit(&output, 1);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("E501"), "{stderr}");
    assert!(stderr.contains("templates/partials/quote.html:3:"), "{stderr}");
    let output = findings().arg("check").arg(&study).output().unwrap();
    assert_exit(&output, 1);

    // An unclosed block in a page template.
    std::fs::remove_dir_all(study.join("templates")).unwrap();
    write(
        &study,
        "templates/index.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ site.title }}</h1>\n",
    );
    let (output, report) = json_build(&study, &out);
    assert_exit(&output, 1);
    let diagnostic = &report["diagnostics"][0];
    assert_eq!(diagnostic["code"], "E501", "{report:#}");
    assert_eq!(diagnostic["file"], "templates/index.html", "{report:#}");
    assert!(
        diagnostic["line"].as_u64().is_some_and(|line| (2..=4).contains(&line)),
        "{report:#}"
    );
}

#[test]
fn a_template_that_fails_while_rendering_is_reported_once_with_its_line() {
    let (temp, study) = valid_copy();
    let out = temp.path().join("public");
    // Every quote, on every page that shows it, fails on line 2.
    write(
        &study,
        "templates/partials/quote.html",
        "<figure id=\"{{ quote.anchor }}\">\n{{ quote.no_such_field.deeper }}\n</figure>\n",
    );
    let (output, report) = json_build(&study, &out);
    assert_exit(&output, 1);
    assert_template_error(&report, "templates/partials/quote.html", Some(2));
    assert!(!out.exists());
}

#[test]
fn templates_that_do_not_fit_together_name_the_template() {
    let (temp, study) = valid_copy();
    let out = temp.path().join("public");
    for (text, line) in [
        ("{% extends \"no-such-page.html\" %}\n", None),
        ("{% extends \"theme.html\" %}\n", None),
        (
            "{% extends \"base.html\" %}\n{% block content %}\n{% include \"partials/no-such-partial.html\" %}\n{% endblock content %}\n",
            Some(3),
        ),
        (
            "{% extends \"base.html\" %}\n{% block content %}\n{{ theme.title | no_such_filter }}\n{% endblock content %}\n",
            Some(3),
        ),
    ] {
        write(&study, "templates/theme.html", text);
        let (output, report) = json_build(&study, &out);
        assert_exit(&output, 1);
        assert_template_error(&report, "templates/theme.html", line);
    }
}

#[test]
fn a_template_that_is_not_html_is_refused() {
    for name in [
        "partials/quote.txt",
        "theme.htm",
        "notes.md",
        "partials/QUOTE.HTML.bak2",
    ] {
        let (temp, study) = valid_copy();
        let out = temp.path().join("public");
        write(&study, &format!("templates/{name}"), "<p>{{ quote.text | safe }}</p>\n");
        let (output, report) = json_build(&study, &out);
        assert_exit(&output, 1);
        assert_template_error(&report, &format!("templates/{name}"), None);
        assert!(!out.exists());
        let output = findings().arg("check").arg(&study).output().unwrap();
        assert_exit(&output, 1);
    }
    // A template of the sitemap may be XML.
    let (temp, study) = valid_copy();
    write(
        &study,
        "templates/sitemap.xml",
        "<?xml version=\"1.0\"?>\n<urls>{% for url in urls %}<u>{{ url }}</u>{% endfor %}</urls>\n",
    );
    let site: Site = build_ok(&study, &temp.path().join("public"), &["--base-url", BASE]);
    assert!(site.text("sitemap.xml").contains(&format!("<u>{BASE}/</u>")));
}
