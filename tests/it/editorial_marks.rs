//! Editorial marks: bracketed descriptions and elisions in quotes are built
//! into `span.editorial` and `span.editorial.elision`, in the participant's
//! and the interviewer's turns alike; the text of every quote stays exactly
//! its verbatim text, brackets included, and markup inside a mark stays
//! text.

use findings::editorial::quote_marks;
use findings::model::QuoteContent;

use crate::site_support::{
    Site, build_ok, bundled_study, raw_text_of, select, select_in, select_one, valid_copy, write,
};

/// The pages of `site` that show the quote `id`, with its figure's HTML.
fn figures_of(site: &Site, id: &str) -> Vec<(String, String)> {
    let css = format!("figure#quote-{id}");
    site.pages()
        .into_iter()
        .filter_map(|page| {
            let html = site.page(&page);
            let found = select(&html, &css);
            found.first().map(|figure| (page.clone(), figure.html()))
        })
        .collect()
}

/// The texts a quote prints, one per `.verbatim` element.
fn verbatim_texts(content: &QuoteContent) -> Vec<String> {
    match content {
        QuoteContent::Text(text) => vec![text.trim_end().to_owned()],
        QuoteContent::Turns(turns) => turns.iter().map(|turn| turn.text.trim_end().to_owned()).collect(),
    }
}

#[test]
fn every_quote_of_the_bundled_study_keeps_its_words_and_shows_its_marks() {
    let temp = tempfile::tempdir().unwrap();
    let site = build_ok(&bundled_study(), &temp.path().join("site"), &[]);
    let study = findings::check_study(&bundled_study())
        .expect("data/ opens")
        .study
        .expect("the bundled study is valid");
    let mut marks_seen = 0;
    for quote in &study.quotes {
        let figures = figures_of(&site, &quote.id);
        assert!(!figures.is_empty(), "quote {} is on no page", quote.id);
        let marks = quote_marks(&quote.content);
        for (page, figure) in figures {
            let figure = scraper::Html::parse_fragment(&figure);
            let texts: Vec<String> = select(&figure, ".verbatim").into_iter().map(raw_text_of).collect();
            assert_eq!(texts, verbatim_texts(&quote.content), "{page}: quote {}", quote.id);
            let spans = select(&figure, "span.editorial");
            assert_eq!(spans.len(), marks.total(), "{page}: quote {}", quote.id);
            assert_eq!(
                select(&figure, "span.elision").len(),
                marks.elisions,
                "{page}: quote {}",
                quote.id
            );
            for span in spans {
                let text = raw_text_of(span);
                assert!(text.starts_with('[') && text.ends_with(']'), "{page}: a mark `{text}`");
            }
            marks_seen += marks.total();
        }
    }
    assert!(marks_seen > 0, "the bundled study's quotes have marks");

    // A known description and elision, each in its own span.
    let html = site.page("participants/4b.html");
    let figure = select_one(&html, "figure#quote-good-team-leader");
    let descriptions: Vec<String> = select_in(figure, "span.editorial:not(.elision)")
        .into_iter()
        .map(raw_text_of)
        .collect();
    assert_eq!(descriptions, ["[My supervisor]"]);
    let elisions: Vec<String> = select_in(figure, "span.editorial.elision")
        .into_iter()
        .map(raw_text_of)
        .collect();
    assert_eq!(elisions, ["[...]"]);
}

const TEXT: &str = "Mark <b>this</b> [<script>alert(1)</script>] at [the [...] office], walk[ed] on […] [...";

const QUOTES: &str = r#"quotes:
  - id: blank-page
    participant: "2"
    text: |
      Mark <b>this</b> [<script>alert(1)</script>] at [the [...] office], walk[ed] on […] [...
  - id: holidays
    participant: 1b
    turns:
      - interviewer: |
          And [name of manager] said [...]?
      - participant: |
          [...] nothing.
  - id: caseload
    participant: 1a
    text: "No marks ] here."
"#;

#[test]
fn marks_in_text_and_turns_are_spans_and_their_markup_stays_text() {
    let (temp, study) = valid_copy();
    write(&study, "quotes.yaml", QUOTES);
    let site = build_ok(&study, &temp.path().join("site"), &[]);
    let html = site.page("themes/experience.html");

    let figure = select_one(&html, "figure#quote-blank-page");
    assert_eq!(raw_text_of(select_one_in(figure, ".verbatim")), TEXT);
    let marks: Vec<(String, bool)> = select_in(figure, "span.editorial")
        .into_iter()
        .map(|span| {
            (
                raw_text_of(span),
                span.value()
                    .has_class("elision", scraper::CaseSensitivity::CaseSensitive),
            )
        })
        .collect();
    assert_eq!(
        marks,
        [
            ("[<script>alert(1)</script>]".to_owned(), false),
            ("[the [...] office]".to_owned(), false),
            ("[ed]".to_owned(), false),
            ("[…]".to_owned(), true),
        ]
    );
    // Markup in the quote and inside a mark is shown, never run.
    assert!(select_in(figure, "script, b").is_empty());
    let inner = figure.inner_html();
    assert!(inner.contains("[&lt;script&gt;alert(1)&lt;/script&gt;]"), "{inner}");
    // A nested mark is one span; an unclosed bracket is no span.
    assert!(select_in(figure, "span.editorial span").is_empty());
    let verbatim = select_one_in(figure, ".verbatim").inner_html();
    assert!(
        verbatim.ends_with(" on <span class=\"editorial elision\">[…]</span> [..."),
        "{verbatim}"
    );

    let figure = select_one(&html, "figure#quote-holidays");
    let interviewer = select_one_in(figure, ".turn-interviewer .verbatim");
    assert_eq!(raw_text_of(interviewer), "And [name of manager] said [...]?");
    let in_turn: Vec<String> = select_in(interviewer, "span.editorial")
        .into_iter()
        .map(raw_text_of)
        .collect();
    assert_eq!(in_turn, ["[name of manager]", "[...]"]);
    assert_eq!(select_in(interviewer, "span.elision").len(), 1);
    let participant = select_one_in(figure, ".turn-participant .verbatim");
    assert_eq!(
        participant.inner_html(),
        "<span class=\"editorial elision\">[...]</span> nothing."
    );

    // A quote without a pair of brackets prints as it did: no span.
    let figure = select_one(&html, "figure#quote-caseload");
    assert_eq!(select_one_in(figure, ".verbatim").inner_html(), "No marks ] here.");
}

/// The only element under `element` that matches `css`.
#[track_caller]
fn select_one_in<'a>(element: scraper::ElementRef<'a>, css: &str) -> scraper::ElementRef<'a> {
    let found = select_in(element, css);
    assert_eq!(found.len(), 1, "expected exactly one `{css}`, found {}", found.len());
    found[0]
}
