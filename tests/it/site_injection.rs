//! Injection: markup, script and dangerous link targets in every field of a
//! study that reaches a page are shown as text, never run. Verbatim quotes
//! stay exactly what was said.

use std::path::Path;

use scraper::Html;

use crate::site_support::{
    Site, build_ok, raw_text_of, select, select_in, select_one, text_of, urls, valid_copy, write,
};

/// The payload of a plain-text field: markup that would run if it were not
/// escaped, after a marker naming the field.
fn payload(field: &str) -> String {
    format!("{field} <script>alert(1)</script>\"><img src=x onerror=alert(1)>")
}

/// `payload` as a single-quoted YAML scalar.
fn yaml(field: &str) -> String {
    format!("'{}'", payload(field))
}

/// Markdown with raw HTML, event handlers and links to every dangerous
/// scheme, however spelt.
fn markdown(field: &str) -> String {
    format!(
        r#"{field} <script>alert(1)</script> and "><img src=x onerror=alert(1)> inline <b onmouseover=alert(1)>bold</b>.

<script>alert(2)</script>

<div onclick="alert(1)">
raw *block* <iframe src="javascript:alert(1)"></iframe>
</div>

<!-- comment <script>alert(3)</script> -->

<style>body {{ display: none }}</style>

[js](javascript:alert(1)) [JS](  JaVaScRiPt:alert(1)) [ent](&#106;avascript:alert(1)) [tab](java&#9;script:alert(1)) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [vb](VBScript:msgbox(1)) [ref][evil] <javascript:alert(1)> [fine](https://example.org/fine "a title\" onmouseover=\"alert(1)")

![pic](javascript:alert(1)) ![pic2](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)

[evil]: javascript:alert(1)

| a | b |
|---|---|
| <script>alert(4)</script> | [cell](javascript:alert(1)) |

```html
<script>alert(5)</script>
```
"#
    )
}

/// Indents every line of `text` by `spaces`, for a YAML block scalar.
fn indent(text: &str, spaces: usize) -> String {
    let pad = " ".repeat(spaces);
    text.lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!("{pad}{line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a verbatim quote holds: a stage direction in angle brackets, a line
/// that Markdown would make a list item, an e-mail address, a web address,
/// Markdown emphasis, heading and quote marks, and an elision.
const VERBATIM: &str = "<laughs> I said *no* [...] and then
2. then the second point
write to me at jo@example.org or see https://example.org/x
# not a heading
> not a block quote
  indented <b>line</b> &amp; more";

/// Writes the payload study into `study` (a copy of the valid fixture).
fn inject(study: &Path) {
    write(
        study,
        "study.yaml",
        &format!(
            "title: {title}
short_title: {short}
authors:
  - name: {author}
    affiliation: {affiliation}
journal: {journal}
manuscript_id: {manuscript_id}
manuscript_type: {manuscript_type}
keywords: [{keyword_1}, {keyword_2}]
summary: |
{summary}
attribution: \"{{role}}, {{organisation_type}} Service, {{model}} – {{participant}} <script>alert(1)</script>\"
figures:
  - id: interviews
    label: {figure_label}
    value: {figure_value}
    note: {figure_note}
  - id: interview-length
    label: Interview length
    min: 20
    max: 40
    unit: {figure_unit}
",
            title = yaml("title"),
            short = yaml("short-title"),
            author = yaml("author"),
            affiliation = yaml("affiliation"),
            journal = yaml("journal"),
            manuscript_id = yaml("manuscript-id"),
            manuscript_type = yaml("manuscript-type"),
            keyword_1 = yaml("keyword-1"),
            keyword_2 = yaml("keyword-2"),
            summary = indent(&markdown("summary"), 2),
            figure_label = yaml("figure-label"),
            figure_value = yaml("figure-value"),
            figure_note = yaml("figure-note"),
            figure_unit = yaml("figure-unit"),
        ),
    );
    write(
        study,
        "typology.yaml",
        &format!(
            "title: {}
models:
  - id: signposting
    name: {}
    description: {}
  - id: holistic
    name: Holistic
    description: A link worker supports the whole person over time.
",
            yaml("typology-title"),
            yaml("model-name"),
            yaml("model-description")
        ),
    );
    write(
        study,
        "roles.yaml",
        &format!(
            "title: {}
roles:
  - id: practitioner
    name: {}
    definition: {}
  - id: manager
    name: Manager
    definition: No client-facing work.
",
            yaml("roles-title"),
            yaml("role-name"),
            yaml("role-definition")
        ),
    );
    write(
        study,
        "services.yaml",
        &format!(
            "organisation_types:
  - id: statutory
    name: {}
  - id: community
    name: Community-based
services:
  - id: \"1\"
    organisation_type: statutory
    model: holistic
    description: Based within the local authority.
  - id: \"2\"
    organisation_type: community
    model: signposting
    description: {}
",
            yaml("organisation-type"),
            yaml("service-description")
        ),
    );
    write(
        study,
        "participants.yaml",
        &format!(
            "sample_table:
  caption: {}
  columns:
    service: {}
    gender: Gender
    contract: Part time/Full time
    role: Role
    organisation: Type of organisation
    model: Model
participants:
  - id: 1a
    service: \"1\"
    gender: {}
    contract: {}
    role: practitioner
    role_description: {}
  - id: 1b
    service: \"1\"
    gender: M
    contract: PT
    role: manager
    role_description: Manages the team.
  - id: \"2\"
    service: \"2\"
    gender: F
    contract: FT
    role: practitioner
    role_description: The only member of staff.
",
            yaml("sample-caption"),
            yaml("service-column"),
            yaml("gender"),
            yaml("contract"),
            yaml("role-description")
        ),
    );
    write(
        study,
        "quotes.yaml",
        &format!(
            "quotes:
  - id: blank-page
    participant: \"2\"
    text: {}
  - id: holidays
    participant: 1b
    turns:
      - participant: {}
      - interviewer: {}
      - participant: |
{}
  - id: caseload
    participant: 1a
    text: |
{}
",
            yaml("quote-text"),
            yaml("turn-participant"),
            yaml("turn-interviewer"),
            indent(VERBATIM, 10),
            indent(VERBATIM, 6)
        ),
    );
    write(
        study,
        "references.yaml",
        &format!(
            "references:
  - id: braun2006
    cite_as: {}
    year: \"2006\"
    entry: {}
    url: 'https://example.org/ref?a=1&b=\"><script>alert(1)</script>'
  - id: kimberlee2015
    cite_as: Kimberlee
    year: \"2015\"
    entry: 'Kimberlee, R. (2015). <script>alert(1)</script> [j](javascript:alert(1)) <img src=x onerror=alert(1)> *Journal*.'
",
            yaml("cite-as"),
            yaml("reference-entry")
        ),
    );
    write(
        study,
        "charts.yaml",
        &format!(
            "charts:
  - id: sample-by-model
    title: {}
    description: {}
    kind: participants
    by: model
    stack: organisation_type
  - id: quotes-per-subtheme
    title: Quotes per subtheme
    kind: quotes
    per: subtheme
    split: role
  - id: matrix
    title: Quotes per participant
    kind: matrix
    rows: theme
  - id: durations
    title: Interview length
    kind: ranges
    figures: [interview-length]
",
            yaml("chart-title"),
            yaml("chart-description")
        ),
    );
    write(
        study,
        "sections/01-methods.md",
        &format!(
            "---
id: methods
title: {}
---
We cite @kimberlee2015 and [@braun2006].

{}

{{{{table typology}}}}

{{{{table sample}}}}

{{{{table roles}}}}

{{{{figures}}}}

{{{{chart sample-by-model}}}}

{{{{chart quotes-per-subtheme}}}}

{{{{chart matrix}}}}

{{{{chart durations}}}}
",
            yaml("section-title"),
            markdown("narrative")
        ),
    );
    write(
        study,
        "themes/01-experience.md",
        &format!(
            "---
id: experience
title: {}
---
{}

## Background <script>alert(1)</script> {{#background}}

{{{{quote blank-page}}}}

## Workload \"><img src=x onerror=alert(1)> {{#workload}}

{{{{quote caseload}}}}

{{{{quote holidays}}}}
",
            yaml("theme-title"),
            markdown("theme-narrative")
        ),
    );
}

fn built_payload_study() -> (tempfile::TempDir, Site) {
    let (temp, study) = valid_copy();
    inject(&study);
    let site = build_ok(&study, &temp.path().join("public"), &[]);
    (temp, site)
}

/// Elements that must never come out of study text. (Charts are SVG that
/// findings draws itself; what they may hold is checked like any markup.)
const FORBIDDEN_ELEMENTS: &[&str] = &[
    "script",
    "iframe",
    "object",
    "embed",
    "form",
    "base",
    "style",
    "frame",
    "frameset",
    "math",
    "applet",
    "foreignobject",
    "use",
    "animate",
    "set",
];

/// Whether an address uses a scheme that runs code or smuggles content.
fn is_dangerous(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|character| !character.is_whitespace() && !character.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "data:", "vbscript:"]
        .iter()
        .any(|scheme| cleaned.starts_with(scheme))
}

/// The page-wide guarantees: no element, attribute or address that could
/// run code.
fn assert_inert(page: &str, html: &Html) {
    for element in html.root_element().descendent_elements() {
        let name = element.value().name();
        assert!(
            !FORBIDDEN_ELEMENTS.contains(&name.to_ascii_lowercase().as_str()),
            "{page}: a <{name}> element"
        );
        for (attribute, value) in element.value().attrs() {
            assert!(
                !attribute.to_ascii_lowercase().starts_with("on"),
                "{page}: <{name} {attribute}=\"{value}\">"
            );
            assert_ne!(
                attribute.to_ascii_lowercase(),
                "style",
                "{page}: <{name} style=\"{value}\">"
            );
        }
        if name == "meta" {
            assert!(
                element.value().attr("http-equiv").is_none(),
                "{page}: a <meta http-equiv>"
            );
        }
        if name == "img" {
            assert_ne!(
                element.value().attr("src"),
                Some("x"),
                "{page}: the payload's <img> became markup"
            );
        }
    }
    for (element, attribute, url) in urls(html) {
        assert!(!is_dangerous(&url), "{page}: <{element} {attribute}=\"{url}\">");
    }
}

#[test]
fn no_page_runs_anything_from_the_study() {
    let (_temp, site) = built_payload_study();
    let pages = site.pages();
    assert!(pages.len() >= 10, "{pages:?}");
    for page in &pages {
        assert_inert(page, &site.page(page));
    }
    // The sitemap is not built without a base URL; the stylesheet is ours.
    assert!(!site.files.contains_key("sitemap.xml"));
}

#[test]
fn the_sitemap_and_canonical_links_stay_inert_too() {
    let (temp, study) = valid_copy();
    inject(&study);
    let site = build_ok(
        &study,
        &temp.path().join("public"),
        &["--base-url", "https://example.org/reports/sp"],
    );
    for page in site.pages() {
        assert_inert(&page, &site.page(&page));
    }
    let sitemap = site.text("sitemap.xml");
    assert!(!sitemap.contains("<script"), "{sitemap}");
}

/// Asserts that the element matching `css` on `page` shows `expected` as
/// its text (whitespace collapsed).
#[track_caller]
fn assert_shows(site: &Site, page: &str, css: &str, expected: &str) {
    let html = site.page(page);
    let found: Vec<String> = select(&html, css).into_iter().map(text_of).collect();
    assert!(
        found.iter().any(|text| text == expected),
        "{page}: no `{css}` shows {expected:?}; found {found:#?}"
    );
}

/// Asserts that the element matching `css` on `page` contains `expected`
/// in its text.
#[track_caller]
fn assert_shows_within(site: &Site, page: &str, css: &str, expected: &str) {
    let html = site.page(page);
    let found: Vec<String> = select(&html, css).into_iter().map(text_of).collect();
    assert!(
        found.iter().any(|text| text.contains(expected)),
        "{page}: no `{css}` contains {expected:?}; found {found:#?}"
    );
}

#[test]
fn plain_fields_show_their_markup_as_text() {
    let (_temp, site) = built_payload_study();
    // study.yaml
    assert_shows(&site, "index.html", "h1", &payload("title"));
    assert_shows_within(&site, "index.html", "title", &payload("title"));
    assert_shows_within(&site, "methods.html", "title", &payload("title"));
    assert_shows(&site, "index.html", ".site-title a", &payload("short-title"));
    assert_shows_within(&site, "index.html", "footer", &payload("title"));
    assert_shows_within(&site, "index.html", ".authors", &payload("author"));
    assert_shows_within(&site, "index.html", ".authors", &payload("affiliation"));
    assert_shows_within(&site, "index.html", ".publication", &payload("journal"));
    assert_shows_within(&site, "index.html", ".publication", &payload("manuscript-type"));
    assert_shows_within(&site, "index.html", ".publication", &payload("manuscript-id"));
    assert_shows_within(&site, "index.html", ".keywords", &payload("keyword-1"));
    assert_shows_within(&site, "index.html", ".keywords", &payload("keyword-2"));
    assert_shows(&site, "index.html", ".glance dt", &payload("figure-label"));
    assert_shows_within(&site, "index.html", ".glance dd", &payload("figure-value"));
    assert_shows(&site, "methods.html", ".glance dt", &payload("figure-label"));
    assert_shows_within(&site, "methods.html", ".glance dd", &payload("figure-note"));
    assert_shows_within(&site, "methods.html", ".glance dd", &payload("figure-unit"));
    // typology.yaml, roles.yaml
    assert_shows_within(
        &site,
        "methods.html",
        "table.typology caption",
        &payload("typology-title"),
    );
    assert_shows(&site, "methods.html", "table.typology tbody th", &payload("model-name"));
    assert_shows(
        &site,
        "methods.html",
        "table.typology tbody td",
        &payload("model-description"),
    );
    assert_shows(&site, "methods.html", "dl.roles dt", &payload("role-name"));
    assert_shows(&site, "methods.html", "dl.roles dd", &payload("role-definition"));
    let methods = site.page("methods.html");
    assert_eq!(
        select_one(&methods, "dl.roles").value().attr("aria-label"),
        Some(payload("roles-title").as_str()),
        "an attribute value holds the text, quotes and all"
    );
    // services.yaml, participants.yaml: the sample table and the pages.
    assert_shows_within(
        &site,
        "methods.html",
        "table.sample caption",
        &payload("sample-caption"),
    );
    assert_shows(
        &site,
        "methods.html",
        "table.sample thead th",
        &payload("service-column"),
    );
    assert_shows(&site, "methods.html", "table.sample td", &payload("gender"));
    assert_shows(&site, "methods.html", "table.sample td", &payload("contract"));
    assert_shows(
        &site,
        "methods.html",
        "table.sample td a",
        &format!("{} (1a)", payload("role-name")),
    );
    assert_shows_within(&site, "methods.html", "table.sample td", &payload("role-description"));
    assert_shows(
        &site,
        "methods.html",
        "table.sample td",
        &payload("service-description"),
    );
    assert_shows(&site, "methods.html", "table.sample td", &payload("model-name"));
    assert_shows_within(
        &site,
        "participants/1a.html",
        "dl.facts dd",
        &payload("role-description"),
    );
    assert_shows_within(
        &site,
        "participants/1a.html",
        "dl.facts dd",
        &payload("organisation-type"),
    );
    assert_shows_within(&site, "participants/1a.html", "dl.facts dd", &payload("gender"));
    assert_shows(
        &site,
        "services/index.html",
        "td",
        &format!("{}. Based within the local authority.", payload("organisation-type")),
    );
    assert_shows_within(&site, "services/2.html", "dl.facts dd", &payload("service-description"));
    assert_shows(&site, "services/2.html", "dl.facts dd", &payload("model-name"));
    // Section and theme titles, in headings, navigation and the pager.
    assert_shows(&site, "methods.html", "h1", &payload("section-title"));
    assert_shows(&site, "index.html", "nav.site-nav a", &payload("section-title"));
    assert_shows(&site, "index.html", "nav.site-nav a", &payload("theme-title"));
    assert_shows(&site, "themes/experience.html", "h1", &payload("theme-title"));
    assert_shows_within(&site, "results.html", "table.theme-overview a", &payload("theme-title"));
    assert_shows_within(&site, "results.html", "nav.pager a", &payload("section-title"));
    // Charts: SVG drawn by findings, with the study's words as text.
    assert_shows(&site, "methods.html", "svg title", &payload("chart-title"));
    assert_shows(&site, "methods.html", "svg desc", &payload("chart-description"));
    assert_shows_within(
        &site,
        "methods.html",
        "figure.chart-figure figcaption",
        &payload("chart-title"),
    );
    assert_shows(
        &site,
        "methods.html",
        "table.chart-data tbody th",
        &payload("model-name"),
    );
    let methods = site.page("methods.html");
    let drawn: String = select(&methods, "svg text")
        .into_iter()
        .map(text_of)
        .collect::<Vec<_>>()
        .join("|");
    assert!(
        drawn.contains("<script>alert(1)</script>"),
        "the chart labels show the markup: {drawn}"
    );
    // Quotes, their turns, and their derived attribution.
    assert_shows(
        &site,
        "themes/experience.html",
        "#quote-blank-page .verbatim",
        &payload("quote-text"),
    );
    assert_shows(
        &site,
        "themes/experience.html",
        ".turn-participant .verbatim",
        &payload("turn-participant"),
    );
    assert_shows(
        &site,
        "themes/experience.html",
        ".turn-interviewer .verbatim",
        &payload("turn-interviewer"),
    );
    assert_shows_within(
        &site,
        "themes/experience.html",
        "#quote-blank-page figcaption",
        &format!("{} – 2 <script>alert(1)</script>", payload("model-name")),
    );
    // References: the citation label, the entry and the URL.
    assert_shows(
        &site,
        "methods.html",
        "a[href=\"references.html#ref-braun2006\"]",
        &format!("{}, 2006", payload("cite-as")),
    );
    // The entry is Markdown: its raw HTML is shown as text.
    assert_shows_within(
        &site,
        "references.html",
        "li#ref-braun2006",
        "reference-entry <script>alert(1)</script>",
    );
    assert_shows_within(
        &site,
        "references.html",
        "li#ref-braun2006",
        "<img src=x onerror=alert(1)>",
    );
    assert_shows_within(
        &site,
        "references.html",
        "li#ref-kimberlee2015",
        "Kimberlee, R. (2015). <script>alert(1)</script> j <img src=x onerror=alert(1)> Journal.",
    );
    let references = site.page("references.html");
    let url = select_one(&references, "li#ref-braun2006 a.url");
    assert_eq!(
        url.value().attr("href"),
        Some("https://example.org/ref?a=1&b=\"><script>alert(1)</script>")
    );
    assert_eq!(
        text_of(url),
        "https://example.org/ref?a=1&b=\"><script>alert(1)</script>"
    );
}

#[test]
fn markdown_shows_raw_html_as_text_and_drops_dangerous_links() {
    let (_temp, site) = built_payload_study();
    for (page, container, field) in [
        ("methods.html", "main", "narrative"),
        ("themes/experience.html", "main", "theme-narrative"),
        ("index.html", "section[aria-labelledby=\"summary-heading\"]", "summary"),
    ] {
        let html = site.page(page);
        let area = select_one(&html, container);
        let text = text_of(area);
        for shown in [
            format!("{field} <script>alert(1)</script> and"),
            "<img src=x onerror=alert(1)> inline <b onmouseover=alert(1)>bold</b>.".to_owned(),
            "<script>alert(2)</script>".to_owned(),
            "<div onclick=\"alert(1)\">".to_owned(),
            "<iframe src=\"javascript:alert(1)\"></iframe>".to_owned(),
            "<style>body { display: none }</style>".to_owned(),
            "<script>alert(4)</script>".to_owned(),
            "<script>alert(5)</script>".to_owned(),
        ] {
            assert!(text.contains(&shown), "{page}: {shown:?} is not shown in\n{text}");
        }
        // The text of a dropped link stays; the link does not.
        let links: Vec<(String, Option<String>)> = select_in(area, "a")
            .into_iter()
            .map(|link| (text_of(link), link.value().attr("href").map(str::to_owned)))
            .collect();
        for label in ["js", "JS", "ent", "tab", "data", "vb", "ref", "cell"] {
            assert!(
                text.contains(&format!(" {label} ")) || text.contains(&format!("{label} ")),
                "{page}: the text {label:?} is gone"
            );
            assert!(
                !links.iter().any(|(text, _)| text == label),
                "{page}: {label:?} is still a link: {links:?}"
            );
        }
        let fine: Vec<_> = select_in(area, "a[href=\"https://example.org/fine\"]");
        assert_eq!(fine.len(), 1, "{page}: the safe link stays");
        assert_eq!(
            fine[0].value().attr("title"),
            Some("a title\" onmouseover=\"alert(1)"),
            "{page}: its title stays one attribute"
        );
        // Images keep their alt text but lose a dangerous source.
        for image in select_in(area, "img") {
            let source = image.value().attr("src").unwrap_or("");
            assert!(!is_dangerous(source), "{page}: <img src=\"{source}\">");
        }
    }
}

#[test]
fn verbatim_quotes_stay_text() {
    let (_temp, site) = built_payload_study();
    for page in ["themes/experience.html", "participants/1a.html", "services/1.html"] {
        let html = site.page(page);
        let figure = select_one(&html, "figure#quote-caseload");
        let verbatim = select_in(figure, ".verbatim");
        assert_eq!(verbatim.len(), 1);
        // Exactly the words, with their line breaks, as text.
        assert_eq!(raw_text_of(verbatim[0]), VERBATIM, "{page}");
        let inner = verbatim[0].inner_html();
        assert!(inner.contains("&lt;laughs&gt;"), "{page}: {inner}");
        assert!(inner.contains('\n'), "{page}: the line breaks are kept");
        // Markdown does not touch what was said.
        for element in ["ol", "ul", "li", "h1", "em", "strong", "a", "b", "p blockquote", "code"] {
            assert!(
                select_in(figure, &format!("blockquote {element}")).is_empty(),
                "{page}: a <{element}> in the quote"
            );
        }
        assert!(!inner.contains("mailto:"), "{page}: {inner}");
    }
    // The same inside an exchange.
    let html = site.page("themes/experience.html");
    let figure = select_one(&html, "figure#quote-holidays");
    let turns = select_in(figure, ".turn-participant .verbatim");
    assert_eq!(raw_text_of(turns[1]), VERBATIM);
    assert!(select_in(figure, "blockquote ol, blockquote a, blockquote h1").is_empty());
}

/// Subtheme headings are Markdown headings: raw HTML in them is shown as
/// text, as it is in any other heading of the narrative.
#[test]
fn subtheme_headings_show_their_markup_as_text() {
    let (_temp, site) = built_payload_study();
    assert_shows(
        &site,
        "themes/experience.html",
        "h2#background",
        "Background <script>alert(1)</script>",
    );
    assert_shows_within(
        &site,
        "themes/experience.html",
        "h2#workload",
        "<img src=x onerror=alert(1)>",
    );
    // Quote `blank-page`, by participant 2, stands in the Background subtheme.
    assert_shows_within(
        &site,
        "participants/2.html",
        "figcaption",
        "Background <script>alert(1)</script>",
    );
}
