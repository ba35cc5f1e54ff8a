//! Injection: markup, script and dangerous link targets in every field of a
//! study that reaches a page are shown as text, never run. Verbatim quotes
//! stay exactly what was said. No built file loads anything from outside
//! the site (images from elsewhere are refused), and no HTML comment of the
//! study reaches a built file or a redacted log.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use scraper::Html;

use crate::site_support::{
    Site, build_ok, bundled_study, copy_dir, findings, raw_text_of, resolve, select, select_in, select_one, text_of,
    urls, valid_copy, write,
};
use crate::support::{self, Run, run};

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

![pic](figures/pic.png "a title\" onerror=\"alert(1)") ![pic2](pic-2.png)

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
privacy: {{ k: 1 }}
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
            "attributes:
  - id: gender
    label: Gender
    categories:
      - id: F
      - id: M
      - id: injected
        label: {}
  - id: contract
    label: Part time/Full time
    categories:
      - id: FT
      - id: PT
      - id: injected
        label: {}
sample_table:
  caption: {}
  columns:
    - field: service
      heading: {}
    - gender
    - contract
    - field: role
      heading: Role
    - field: service_description
      heading: Type of organisation
    - model
participant_page:
  fields: [role, service, service_description, model, gender, contract]
participants:
  - id: 1a
    consent: quote
    service: \"1\"
    gender: injected
    contract: injected
    role: practitioner
    role_description: {}
  - id: 1b
    consent: quote
    service: \"1\"
    gender: M
    contract: PT
    role: manager
    role_description: Manages the team.
  - id: \"2\"
    consent: quote
    service: \"2\"
    gender: F
    contract: FT
    role: practitioner
    role_description: The only member of staff.
",
            yaml("gender"),
            yaml("contract"),
            yaml("sample-caption"),
            yaml("service-column"),
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

/// The images of [`markdown`], in the study's `static/` folder.
fn add_payload_images(study: &Path) {
    write(study, "static/figures/pic.png", "not really a PNG");
    write(study, "static/pic-2.png", "not really a PNG either");
}

fn built_payload_study() -> (tempfile::TempDir, Site) {
    let (temp, study) = valid_copy();
    inject(&study);
    add_payload_images(&study);
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
    add_payload_images(&study);
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
        // Images show files of `static/`, by a path relative to the page,
        // and a title stays one attribute. (An image from anywhere else is
        // refused: see `images_from_outside_the_site_are_refused`.)
        let root = "../".repeat(page.matches('/').count());
        let images: Vec<(String, Option<&str>)> = select_in(area, "img")
            .into_iter()
            .map(|image| {
                let source = image.value().attr("src").unwrap_or_default();
                (source.to_owned(), image.value().attr("title"))
            })
            .collect();
        assert_eq!(
            images,
            vec![
                (format!("{root}figures/pic.png"), Some("a title\" onerror=\"alert(1)")),
                (format!("{root}pic-2.png"), None),
            ],
            "{page}"
        );
        // The HTML comment is left out, not shown.
        assert!(!text.contains("alert(3)") && !text.contains("<!--"), "{page}: {text}");
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

/// `tests/fixtures/invalid/<case>`.
fn case_dir(case: &str) -> PathBuf {
    support::fixtures_dir().join("invalid").join(case)
}

/// A copy of the valid fixture with the overlay of a fixture case applied,
/// as `ROOT/study`.
fn case_copy(case: &str) -> (tempfile::TempDir, PathBuf) {
    let (temp, study) = valid_copy();
    copy_dir(&case_dir(case), &study);
    std::fs::remove_file(study.join("expected.txt")).expect("the case has an expected.txt");
    (temp, study)
}

/// Runs `findings ARGS...` in `folder`, with `CI` set when `ci`.
fn run_in(folder: &Path, ci: bool, args: &[&str]) -> Run {
    let mut command = findings();
    command.current_dir(folder).args(args);
    if ci {
        command.env("CI", "1");
    }
    run(&mut command)
}

/// Every image of the case `remote-resource` is refused by `build`, which
/// writes nothing, with the same diagnostics as `check` (exactly the
/// case's expected.txt); no report, redacted or not, repeats an address.
#[test]
fn images_from_outside_the_site_are_refused() {
    let (temp, _study) = case_copy("remote-resource");
    let built = run_in(
        temp.path(),
        false,
        &["build", "study", "-o", "public", "--format", "github"],
    );
    let expected = std::fs::read_to_string(case_dir("remote-resource").join("expected.txt")).unwrap();
    assert_eq!(format!("{}exit: {}\n", built.stdout, built.code), expected);
    assert_eq!(built.stdout.matches("title=E204 ").count(), 14, "{}", built.stdout);
    assert!(!temp.path().join("public").exists(), "a refused build writes nothing");
    let addresses = [
        "tracker.example",
        "evil.example",
        "iVBORw0KGgo",
        "badge.example",
        "cdn.example",
        "journal.example",
        "etc/passwd",
        "alert(1)",
        "outside.png",
        "logo.png",
        "share",
        "files.example",
    ];
    for (ci, format) in [(true, "human"), (true, "json"), (true, "github"), (false, "github")] {
        let checked = run_in(temp.path(), ci, &["check", "study", "--format", format]);
        assert_eq!(checked.code, 1);
        for address in addresses {
            assert!(
                !checked.stdout.contains(address) && !checked.stderr.contains(address),
                "CI={ci} --format {format} repeats {address}:\n{}{}",
                checked.stdout,
                checked.stderr
            );
        }
    }
}

/// The text of every HTML comment in the files of a fixture case, as runs of
/// letters, digits and spaces at least 8 long: they survive HTML escaping
/// and typographic quotes, so a comment published in any form is found.
fn comment_words(case: &str) -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    let files = [
        "themes/01-experience.md",
        "sections/02-results.md",
        "study.yaml",
        "references.yaml",
    ];
    for file in files {
        let text = std::fs::read_to_string(case_dir(case).join(file)).unwrap();
        for (_, after) in text.match_indices("<!--").map(|(at, _)| text.split_at(at + 4)) {
            let body = after.split("-->").next().unwrap_or(after);
            let runs = body.split(|character: char| !(character.is_ascii_alphanumeric() || character == ' '));
            words.extend(runs.map(str::trim).filter(|run| run.len() >= 8).map(str::to_owned));
        }
    }
    words
}

/// The comments of the case `html-comment` (inline, in a block over two
/// lines, in a heading, a list, a block quote, raw HTML, one never closed,
/// in the summary and a reference entry) reach no built file; `check`
/// warns about each by its place only, in every format, with `CI` set or not.
#[test]
fn html_comments_reach_no_built_file_and_no_report() {
    let words = comment_words("html-comment");
    for name in [
        "participant 6 is Dr Real Name",
        "ask Jane Smith",
        "from the Riverside team meeting",
        "recruited through Dr Patel",
    ] {
        assert!(words.contains(name), "{name} is not among {words:?}");
    }
    let (temp, study) = case_copy("html-comment");
    let site = build_ok(&study, &temp.path().join("public"), &[]);
    for (path, bytes) in &site.files {
        let text = String::from_utf8_lossy(bytes);
        for word in &words {
            assert!(!text.contains(word.as_str()), "{path} shows the comment text {word:?}");
        }
        for opening in ["<!--", "&lt;!--"] {
            assert!(!text.contains(opening), "{path} holds {opening}");
        }
    }
    for (ci, format) in [
        (true, "human"),
        (true, "json"),
        (true, "github"),
        (false, "github"),
        (false, "json"),
    ] {
        let checked = run_in(temp.path(), ci, &["check", "study", "--format", format]);
        assert_eq!(checked.code, 0, "comments are warnings: {checked:?}");
        let shown = format!("{}{}", checked.stdout, checked.stderr);
        assert_eq!(shown.matches("W007").count(), 9, "CI={ci} --format {format}:\n{shown}");
        for word in &words {
            assert!(
                !shown.contains(word.as_str()),
                "CI={ci} --format {format} shows {word:?}"
            );
        }
    }
}

/// Elements that make a browser fetch what their attributes name.
const LOADING_ELEMENTS: &[&str] = &[
    "link", "script", "img", "source", "video", "audio", "track", "iframe", "frame", "object", "embed", "image", "use",
    "feimage", "input", "portal",
];

/// The attributes that name what they load.
const LOADING_ATTRIBUTES: &[&str] = &["src", "srcset", "href", "xlink:href", "data", "poster", "background"];

/// The addresses CSS loads: every `url(...)` and `@import "..."`.
fn css_addresses(css: &str) -> Vec<String> {
    let lower = css.to_ascii_lowercase();
    let mut found = Vec::new();
    for (at, _) in lower.match_indices("url(") {
        let rest = &css[at + 4..];
        let inside = rest.split(')').next().unwrap_or(rest);
        found.push(inside.trim().trim_matches(['"', '\'']).to_owned());
    }
    for (at, _) in lower.match_indices("@import") {
        let rest = css[at + 7..].trim_start();
        if let Some(quote) = rest.chars().next().filter(|first| matches!(first, '"' | '\'')) {
            found.push(rest[1..].split(quote).next().unwrap_or_default().to_owned());
        }
    }
    found
}

/// Every address a built file makes a browser load: (where, address).
fn loaded_addresses(path: &str, bytes: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(bytes);
    if path.ends_with(".css") {
        return css_addresses(&text)
            .into_iter()
            .map(|url| ("CSS".to_owned(), url))
            .collect();
    }
    if !(path.ends_with(".html") || path.ends_with(".svg")) {
        return Vec::new();
    }
    let html = Html::parse_document(&text);
    let mut found = Vec::new();
    for element in html.root_element().descendent_elements() {
        let name = element.value().name().to_ascii_lowercase();
        for (attribute, value) in element.value().attrs() {
            let attribute = attribute.to_ascii_lowercase();
            if attribute == "style" {
                found.extend(
                    css_addresses(value)
                        .into_iter()
                        .map(|url| (format!("<{name} style>"), url)),
                );
            }
            if !LOADING_ELEMENTS.contains(&name.as_str()) || !LOADING_ATTRIBUTES.contains(&attribute.as_str()) {
                continue;
            }
            let place = format!("<{name} {attribute}>");
            if attribute == "srcset" {
                let candidates = value
                    .split(',')
                    .filter_map(|candidate| candidate.split_whitespace().next());
                found.extend(candidates.map(|url| (place.clone(), url.to_owned())));
            } else {
                found.push((place, value.to_owned()));
            }
        }
        if name == "style" {
            let css: String = element.text().collect();
            found.extend(css_addresses(&css).into_iter().map(|url| ("<style>".to_owned(), url)));
        }
    }
    found
}

/// Asserts that everything every file of `site` loads is a relative path
/// to a file of the site. Returns how many addresses were checked.
#[track_caller]
fn assert_loads_only_from_the_site(name: &str, site: &Site) -> usize {
    let mut checked = 0;
    for (path, bytes) in &site.files {
        for (place, url) in loaded_addresses(path, bytes) {
            let target = resolve(path, &url).unwrap_or_else(|why| panic!("{name}: {path}: {place} {url:?} {why}"));
            assert!(
                site.files.contains_key(&target.file),
                "{name}: {path}: {place} {url:?} is not a file of the site"
            );
            checked += 1;
        }
    }
    checked
}

/// A study whose summary, sections, themes and reference entries show
/// images of its `static/` folder.
fn study_with_static_images(study: &Path) {
    write(study, "static/figures/model.png", "a diagram");
    write(study, "static/photo.jpg", "a photo");
    let add = |file: &str, from: &str, to: &str| {
        let path = study.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    add(
        "themes/01-experience.md",
        "Participants came from many professions.",
        "Participants came from many professions. ![The model](figures/model.png)",
    );
    add(
        "sections/01-methods.md",
        "{{table roles}}",
        "{{table roles}}\n\n![A photo](photo.jpg \"The team\")",
    );
    add(
        "study.yaml",
        "three link workers in two services.",
        "three link workers in two services.\n  ![The model](figures/model.png)",
    );
    add("references.yaml", "3(2), 77-101.", "3(2), 77-101. ![cover](photo.jpg)");
}

/// Nothing any built file loads (images, stylesheets, scripts, frames,
/// media, SVG references, CSS `url()` and `@import`) comes from outside the
/// site: checked on every file of the bundled study, the injection payload,
/// the case of HTML comments and a study that shows images of `static/`.
#[test]
fn no_built_file_loads_anything_from_outside_the_site() {
    let temp = tempfile::tempdir().unwrap();
    let bundled = build_ok(&bundled_study(), &temp.path().join("bundled"), &[]);
    assert!(
        assert_loads_only_from_the_site("bundled", &bundled) >= bundled.pages().len(),
        "each page loads its stylesheet"
    );

    let (_payload_temp, payload) = built_payload_study();
    assert_loads_only_from_the_site("payload", &payload);

    let (comments_temp, comments_study) = case_copy("html-comment");
    let comments = build_ok(&comments_study, &comments_temp.path().join("public"), &[]);
    assert_loads_only_from_the_site("html-comment", &comments);

    let (images_temp, images_study) = valid_copy();
    study_with_static_images(&images_study);
    let images = build_ok(&images_study, &images_temp.path().join("public"), &[]);
    assert_loads_only_from_the_site("static images", &images);
    let shown: BTreeSet<(String, String)> = images
        .pages()
        .into_iter()
        .flat_map(|page| {
            let html = images.page(&page);
            select(&html, "main img")
                .into_iter()
                .map(|image| (page.clone(), image.value().attr("src").unwrap_or_default().to_owned()))
                .collect::<Vec<_>>()
        })
        .collect();
    let expected: BTreeSet<(String, String)> = [
        ("themes/experience.html", "../figures/model.png"),
        ("methods.html", "photo.jpg"),
        ("index.html", "figures/model.png"),
        ("references.html", "photo.jpg"),
    ]
    .into_iter()
    .map(|(page, src)| (page.to_owned(), src.to_owned()))
    .collect();
    assert_eq!(shown, expected);
}

#[test]
fn the_scan_finds_what_would_load_from_elsewhere() {
    let page = r#"<html><head><link rel="stylesheet" href="https://cdn.example/x.css"><style>@import "//evil.example/a.css"; body { background: url('data:image/png;base64,AA') }</style></head>
<body><img src="a.png" srcset="b.png 1x, https://x.example/c.png 2x"><svg><image href="../up.png"></image></svg><div style="background:url(/abs.png)"></div><a href="https://fine.example/">a link loads nothing</a></body></html>"#;
    let found: BTreeSet<String> = loaded_addresses("index.html", page.as_bytes())
        .into_iter()
        .map(|(_, url)| url)
        .collect();
    assert_eq!(
        found,
        BTreeSet::from(
            [
                "https://cdn.example/x.css",
                "data:image/png;base64,AA",
                "//evil.example/a.css",
                "a.png",
                "b.png",
                "https://x.example/c.png",
                "../up.png",
                "/abs.png",
            ]
            .map(str::to_owned)
        )
    );
    let outside: Vec<&String> = found.iter().filter(|url| resolve("index.html", url).is_err()).collect();
    assert_eq!(outside.len(), 6, "{outside:?}");
    assert_eq!(
        css_addresses("a { b: URL( \"x.png\" ) } @import 'y.css';"),
        ["x.png", "y.css"]
    );
}
