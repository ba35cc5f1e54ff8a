//! `findings build` on the bundled study: the site shows the paper's tables
//! and quotes as the paper prints them.
//!
//! The expected values are typed from the paper (the text in
//! shared/seed/000_7e61d2d288dc3b59.txt), not read from `data/`: Table 1,
//! Table 2, and each quote's attribution as Table 2 makes it (role, type of
//! organisation, model and participant id).

use scraper::{ElementRef, Html};

use crate::site_support::{
    Site, build_ok, bundled_study, raw_text_of, resolve, select, select_in, select_one, text_of,
};

/// Table 1 of the paper: model name and description.
const TABLE_1: &[(&str, &str)] = &[
    (
        "SP Signposting",
        "The client is simply pointed in the direction of potentially useful or helpful organisations.",
    ),
    (
        "SP Light",
        "The client is referred to a specific intervention in order to reach or work towards a desired outcome.",
    ),
    (
        "SP Medium",
        "The client is referred to a health facilitator who helps identify their needs and navigate the services available to them.",
    ),
    (
        "SP Holistic",
        "Services that aim to treat the whole person in a holistic manner over a longer period of time, aided by a link worker who helps the client navigate and access suitable services.",
    ),
];

/// Table 2's column headings.
const TABLE_2_HEADINGS: &[&str] = &[
    "Service",
    "Gender",
    "Part time/Full time",
    "Role (Participant Identification Number in parentheses)",
    "Type of organisation",
    "Kimberlee SP Type",
];

const NHS: &str = "Based within the NHS, offering SP to individuals with additional support needs. Targeted at individuals with a specific condition.";
const LOCAL_AUTHORITY: &str =
    "Based within a local authority, SP services are offered to isolated members of the community.";

/// Table 2 of the paper, row by row: each cell's text and row span. Services
/// 1 and 4 have two participants, so their service, organisation and model
/// cells span two rows, and the second row has only gender, contract and role.
fn table_2_rows() -> Vec<Vec<(&'static str, usize)>> {
    vec![
        vec![
            ("1", 2),
            ("M", 1),
            ("FT", 1),
            (
                "Social Prescriber (1a) Working one-to-one with clients to connect them to local groups and activities.",
                1,
            ),
            (NHS, 2),
            ("SP Medium", 2),
        ],
        vec![
            ("F", 1),
            ("FT", 1),
            (
                "Social Prescriber (1b) Working one-to-one with clients to connect them to local groups and activities.",
                1,
            ),
        ],
        vec![
            ("2", 1),
            ("F", 1),
            ("FT", 1),
            (
                "Managerial Social Prescriber (2) One-to-one work with clients over a set time period. Only member of full time social prescribing staff with little additional support.",
                1,
            ),
            (
                "Community organisation based in an area of deprivation. A discrete service offered as part of a community action group.",
                1,
            ),
            ("SP Holistic", 1),
        ],
        vec![
            ("3", 1),
            ("F", 1),
            ("FT", 1),
            (
                "Managerial Social Prescriber (3) One-to-one work with clients over a set time period. Only member of full time social prescribing staff with no additional support.",
                1,
            ),
            (
                "Community organisation based in an area of deprivation. A discrete service offered as part of a community trust.",
                1,
            ),
            ("SP Holistic", 1),
        ],
        vec![
            ("4", 2),
            ("M", 1),
            ("PT", 1),
            (
                "Manager (4a) Manages a team of social prescribers who are working in the community.",
                1,
            ),
            (LOCAL_AUTHORITY, 2),
            ("SP Medium", 2),
        ],
        vec![
            ("F", 1),
            ("PT", 1),
            (
                "Social Prescriber (4b) Working one-to-one with clients in the community to connect them to local groups and activities.",
                1,
            ),
        ],
        vec![
            ("5", 1),
            ("M", 1),
            ("PT", 1),
            (
                "Social Prescriber (5) One-to-one work with clients over a set time period.",
                1,
            ),
            (
                "Based within a voluntary sector organisation, the service offers tailored support over a number of sessions to increase social connections.",
                1,
            ),
            ("SP Holistic", 1),
        ],
        vec![
            ("6", 1),
            ("M", 1),
            ("FT", 1),
            (
                "Senior Practitioner (6) One-to-one work with clients over a set time period. Some managerial duties but does not have sole responsibility and there are others in the team to support.",
                1,
            ),
            (
                "Part of a larger, well established community charity organisation co-located in a GP surgery. Offers tailored support and advice for improving wellbeing.",
                1,
            ),
            ("SP Holistic", 1),
        ],
    ]
}

/// Table 2's grouping: each service with its participants, in order.
const TABLE_2_GROUPS: &[(&str, &[&str])] = &[
    ("1", &["1a", "1b"]),
    ("2", &["2"]),
    ("3", &["3"]),
    ("4", &["4a", "4b"]),
    ("5", &["5"]),
    ("6", &["6"]),
];

/// A quote of the paper, where it stands and how it is attributed.
struct Quote {
    id: &'static str,
    participant: &'static str,
    /// The theme page and the subtheme heading it stands under.
    theme: &'static str,
    subtheme: &'static str,
    /// "Role, Type of organisation Service, Model – participant", from Table 2.
    attribution: &'static str,
    /// The first and last words of what the participant says, as printed.
    starts: &'static str,
    ends: &'static str,
}

/// The 16 quotes of the Results, in the paper's order. Attributions follow
/// Table 2 (the paper prints participant 2's first quote as "Social
/// Prescriber", against Table 2 and its four other quotes; see
/// data/README.md) with an en dash before the participant id.
const QUOTES: &[Quote] = &[
    Quote {
        id: "sales-career-change",
        participant: "4a",
        theme: "sp-experience",
        subtheme: "professional-background",
        attribution: "Manager, Statutory Service, SP Medium – 4a",
        starts: "My professional background is international sales management [...]. To put that in context",
        ends: "but that was fine because I absolutely loved it.",
    },
    Quote {
        id: "love-working-with-people",
        participant: "2",
        theme: "sp-experience",
        subtheme: "reasons-for-working",
        attribution: "Managerial Social Prescriber, Community-based Service, SP Holistic – 2",
        starts: "I just love working with people.",
        ends: "and saying this is possible.",
    },
    Quote {
        id: "magic-wand",
        participant: "6",
        theme: "sp-experience",
        subtheme: "reasons-for-working",
        attribution: "Senior Practitioner, Community-based Service, SP Holistic – 6",
        starts: "We haven't got a magic wand, but you soon see",
        ends: "That is the best thing.",
    },
    Quote {
        id: "blank-piece-of-paper",
        participant: "3",
        theme: "sp-experience",
        subtheme: "reasons-for-working",
        attribution: "Managerial Social Prescriber, Community-based Service, SP Holistic – 3",
        starts: "I love the variety of it, the fact that when I started I was just given a blank piece of paper.",
        ends: "I've managed to completely expand it...",
    },
    Quote {
        id: "supportive-team",
        participant: "1b",
        theme: "working-with-clients",
        subtheme: "caseloads",
        attribution: "Social Prescriber, Statutory Service, SP Medium – 1b",
        starts: "They are very supportive. So, it's like, 'are you ok with this?",
        ends: "Do you have capacity to take someone else?",
    },
    Quote {
        id: "no-formal-process",
        participant: "1a",
        theme: "working-with-clients",
        subtheme: "caseloads",
        attribution: "Social Prescriber, Statutory Service, SP Medium – 1a",
        starts: "I feel like... sometimes it's easier to take stuff",
        ends: "I feel a little bit on the edge of falling behind a bit.",
    },
    Quote {
        id: "mental-health-referrals",
        participant: "3",
        theme: "working-with-clients",
        subtheme: "caseloads",
        attribution: "Managerial Social Prescriber, Community-based Service, SP Holistic – 3",
        starts: "[Mental health services] have no capacity",
        ends: "you need to get the funding from the Clinical Commissioning Group.",
    },
    Quote {
        id: "managing-staff-training",
        participant: "3",
        theme: "working-in-services",
        subtheme: "staffing-support-training",
        attribution: "Managerial Social Prescriber, Community-based Service, SP Holistic – 3",
        starts: "Managing staff can be a nightmare sometimes.",
        ends: "And I have nice bed time books!",
    },
    Quote {
        id: "administrative-support",
        participant: "6",
        theme: "working-in-services",
        subtheme: "staffing-support-training",
        attribution: "Senior Practitioner, Community-based Service, SP Holistic – 6",
        starts: "Having a PA and administrator [would really help], because the phone is going constantly",
        ends: "you've got a pile of messages and stuff to catch up on.",
    },
    Quote {
        id: "things-that-faze-me",
        participant: "2",
        theme: "working-in-services",
        subtheme: "managing-stress-workload",
        attribution: "Managerial Social Prescriber, Community-based Service, SP Holistic – 2",
        starts: "I can hear a lot of things that don't really faze me",
        ends: "because of something that had happened.",
    },
    Quote {
        id: "nowhere-to-go",
        participant: "2",
        theme: "working-in-services",
        subtheme: "managing-stress-workload",
        attribution: "Managerial Social Prescriber, Community-based Service, SP Holistic – 2",
        starts: "So you’ve got nowhere to particularly go with that [the incident]?",
        ends: "And it wouldn’t be appropriate for me to offload in the office, that’s the other thing.",
    },
    Quote {
        id: "no-holidays",
        participant: "3",
        theme: "working-in-services",
        subtheme: "managing-stress-workload",
        attribution: "Managerial Social Prescriber, Community-based Service, SP Holistic – 3",
        starts: "So with the staff I recruit now, I try and recruit people",
        ends: "I don’t really have holidays.",
    },
    Quote {
        id: "good-team-leader",
        participant: "4b",
        theme: "working-in-services",
        subtheme: "managing-stress-workload",
        attribution: "Social Prescriber, Statutory Service, SP Medium – 4b",
        starts: "It’s good to be part of a team, and I’m part of a really good team [...]. [My supervisor] is",
        ends: "he's careful not to increase that pressure",
    },
    Quote {
        id: "peak-of-organisation",
        participant: "2",
        theme: "working-in-services",
        subtheme: "future-career-progression",
        attribution: "Managerial Social Prescriber, Community-based Service, SP Holistic – 2",
        starts: "I had an appraisal in April",
        ends: "If I wanted to go further then I'd have to leave.",
    },
    Quote {
        id: "if-i-go",
        participant: "2",
        theme: "working-in-services",
        subtheme: "future-career-progression",
        attribution: "Managerial Social Prescriber, Community-based Service, SP Holistic – 2",
        starts: "For me the challenge is that I need to get more people.",
        ends: "because at the moment if I go the project will go.",
    },
    Quote {
        id: "knowledge-handed-over",
        participant: "5",
        theme: "working-in-services",
        subtheme: "future-career-progression",
        attribution: "Social Prescriber, Community-based Service, SP Holistic – 5",
        starts: "Knowledge can be written down. It can be passed on, it can be handed over.",
        ends: "but that's the nature of the game.",
    },
];

/// The three exchanges with the interviewer: who speaks in each turn
/// (`true` for the interviewer) and what the interviewer says.
const EXCHANGES: &[(&str, &[bool], &[&str])] = &[
    (
        "managing-staff-training",
        &[false, true, false],
        &["and have you had any training in leadership or management to support you in that?"],
    ),
    (
        "nowhere-to-go",
        &[true, false, true, false],
        &[
            "So you’ve got nowhere to particularly go with that [the incident]?",
            "Yeah, a month is a long time to wait.",
        ],
    ),
    (
        "no-holidays",
        &[false, true, false],
        &["So what do you do now if you need a holiday?"],
    ),
];

fn built_paper() -> (tempfile::TempDir, Site) {
    let temp = tempfile::tempdir().unwrap();
    let site = build_ok(&bundled_study(), &temp.path().join("public"), &[]);
    (temp, site)
}

fn rowspan(cell: ElementRef<'_>) -> usize {
    cell.value().attr("rowspan").map_or(1, |span| {
        span.parse().unwrap_or_else(|_| panic!("bad rowspan {span:?}"))
    })
}

#[test]
fn the_paper_builds_into_a_complete_site() {
    let (_temp, site) = built_paper();
    let pages = site.pages();
    for expected in [
        "index.html",
        "introduction.html",
        "methods.html",
        "results.html",
        "discussion.html",
        "conclusion.html",
        "limitations.html",
        "future-research.html",
        "themes/sp-experience.html",
        "themes/working-with-clients.html",
        "themes/working-in-services.html",
        "participants/index.html",
        "services/index.html",
        "references.html",
        "404.html",
    ] {
        assert!(pages.contains(&expected.to_owned()), "no {expected} in {pages:?}");
    }
    for participant in ["1a", "1b", "2", "3", "4a", "4b", "5", "6"] {
        assert!(pages.contains(&format!("participants/{participant}.html")));
    }
    for service in 1..=6 {
        assert!(pages.contains(&format!("services/{service}.html")));
    }
    assert_eq!(pages.len(), 15 + 8 + 6, "{pages:?}");
    let index = site.page("index.html");
    assert_eq!(
        text_of(select_one(&index, "h1")),
        "Working in social prescribing services: a qualitative study"
    );
}

#[test]
fn table_1_is_the_papers_typology() {
    let (_temp, site) = built_paper();
    let page = site.page("introduction.html");
    let table = select_one(&page, "table.typology");
    assert_eq!(
        text_of(select_in(table, "caption")[0]),
        "Table 1 – Kimberlee’s Four Models of Social Prescribing"
    );
    let rows = select_in(table, "tbody tr");
    assert_eq!(rows.len(), TABLE_1.len(), "Table 1 has 4 rows");
    for (row, (name, description)) in rows.iter().zip(TABLE_1) {
        let cells = select_in(*row, "th, td");
        assert_eq!(cells.len(), 2);
        assert_eq!(cells[0].value().name(), "th", "the model name heads its row");
        assert_eq!(text_of(cells[0]), *name);
        assert_eq!(text_of(cells[1]), *description);
    }
    for page in site.pages() {
        if page != "introduction.html" {
            assert!(
                select(&site.page(&page), "table.typology").is_empty(),
                "{page} has Table 1 too"
            );
        }
    }
}

/// Checks a rendering of Table 2, cell by cell.
fn assert_table_2(page: &Html, page_path: &str) {
    let table = select_one(page, "table.sample");
    assert_eq!(text_of(select_in(table, "caption")[0]), "Table 2 – The sample");
    let headings: Vec<String> = select_in(table, "thead th").into_iter().map(text_of).collect();
    assert_eq!(headings, TABLE_2_HEADINGS);

    let rows = select_in(table, "tbody tr");
    let expected = table_2_rows();
    assert_eq!(rows.len(), expected.len(), "Table 2 has one row per participant");
    for (number, (row, cells)) in rows.iter().zip(&expected).enumerate() {
        let found: Vec<(String, usize)> = select_in(*row, "th, td")
            .into_iter()
            .map(|cell| (text_of(cell), rowspan(cell)))
            .collect();
        let cells: Vec<(String, usize)> = cells.iter().map(|(text, span)| ((*text).to_owned(), *span)).collect();
        assert_eq!(found, cells, "row {} of Table 2", number + 1);
    }

    // Rows are grouped by service: one row group per service, headed by
    // the service's cell, and each participant's role links to their page.
    let groups = select_in(table, "tbody");
    assert_eq!(groups.len(), TABLE_2_GROUPS.len());
    for (group, (service, participants)) in groups.iter().zip(TABLE_2_GROUPS) {
        let rows = select_in(*group, "tr");
        assert_eq!(rows.len(), participants.len(), "service {service}");
        let head = select_in(rows[0], "th")[0];
        assert_eq!(text_of(head), *service);
        assert_eq!(head.value().attr("scope"), Some("rowgroup"));
        for (row, participant) in rows.iter().zip(*participants) {
            let link = select_in(*row, "td a")[0];
            let target = resolve(page_path, link.value().attr("href").unwrap()).unwrap();
            assert_eq!(target.file, format!("participants/{participant}.html"));
            assert!(
                text_of(link).ends_with(&format!("({participant})")),
                "{}",
                text_of(link)
            );
        }
    }
}

#[test]
fn table_2_is_the_papers_sample_with_its_row_spans() {
    let (_temp, site) = built_paper();
    assert_table_2(&site.page("methods.html"), "methods.html");
    assert_table_2(&site.page("participants/index.html"), "participants/index.html");
}

#[test]
fn the_role_categories_are_listed_as_in_the_methods() {
    let (_temp, site) = built_paper();
    let page = site.page("methods.html");
    let roles = select_one(&page, "dl.roles");
    let names: Vec<String> = select_in(roles, "dt").into_iter().map(text_of).collect();
    assert_eq!(
        names,
        [
            "Social Prescriber",
            "Senior Practitioner",
            "Managerial Social Prescriber",
            "Manager"
        ]
    );
    let definitions: Vec<String> = select_in(roles, "dd").into_iter().map(text_of).collect();
    assert_eq!(
        definitions[3],
        "an individual who does not participate in client-facing work and only has supervisory or managerial duties within an SP service"
    );
}

/// The text of a quote figure: its paragraph, or its turns joined.
fn quote_words(figure: ElementRef<'_>) -> String {
    let parts: Vec<String> = select_in(figure, ".verbatim").into_iter().map(text_of).collect();
    parts.join(" ")
}

#[test]
fn every_quote_is_on_its_theme_page_once_with_the_attribution_of_table_2() {
    let (_temp, site) = built_paper();
    assert_eq!(QUOTES.len(), 16);
    let reading_pages: Vec<String> = site
        .pages()
        .into_iter()
        .filter(|page| !page.starts_with("participants/") && !page.starts_with("services/"))
        .collect();
    for quote in QUOTES {
        let anchor = format!("quote-{}", quote.id);
        // Placed exactly once in the whole narrative, on its theme page.
        let mut places = Vec::new();
        for page in &reading_pages {
            let count = select(&site.page(page), &format!("[id=\"{anchor}\"]")).len();
            places.extend(std::iter::repeat_n(page.clone(), count));
        }
        assert_eq!(places, [format!("themes/{}.html", quote.theme)], "{}", quote.id);

        let page = site.page(&places[0]);
        let figure = select_one(&page, &format!("figure#{anchor}"));
        assert!(
            figure
                .value()
                .has_class("quote", scraper::CaseSensitivity::CaseSensitive)
        );
        // Under its subtheme's heading.
        let in_subtheme = select(
            &page,
            &format!("section[aria-labelledby=\"{}\"] figure#{anchor}", quote.subtheme),
        );
        assert_eq!(in_subtheme.len(), 1, "{} is not under #{}", quote.id, quote.subtheme);
        assert_eq!(select(&page, &format!("h2#{}", quote.subtheme)).len(), 1);

        let caption = select_in(figure, "figcaption")[0];
        assert_eq!(text_of(caption), quote.attribution, "{}", quote.id);
        let link = select_in(caption, "a")[0];
        let target = resolve(&places[0], link.value().attr("href").unwrap()).unwrap();
        assert_eq!(target.file, format!("participants/{}.html", quote.participant));

        let words = quote_words(figure);
        assert!(words.starts_with(quote.starts), "{}: {words}", quote.id);
        assert!(words.ends_with(quote.ends), "{}: {words}", quote.id);
        // The outer quotation marks of the paper are not part of the quote.
        assert!(!words.starts_with(['"', '“', '‘']), "{}: {words}", quote.id);
    }
    // Nothing else on the theme pages is a quote.
    let total: usize = reading_pages
        .iter()
        .map(|page| select(&site.page(page), "figure.quote").len())
        .sum();
    assert_eq!(total, 16);
}

#[test]
fn every_participant_page_has_their_quotes_once_linking_back_to_the_findings() {
    let (_temp, site) = built_paper();
    for participant in ["1a", "1b", "2", "3", "4a", "4b", "5", "6"] {
        let path = format!("participants/{participant}.html");
        let page = site.page(&path);
        let expected: Vec<&Quote> = QUOTES.iter().filter(|quote| quote.participant == participant).collect();
        let found: Vec<String> = select(&page, "figure.quote")
            .into_iter()
            .map(|figure| figure.value().id().unwrap().to_owned())
            .collect();
        let wanted: Vec<String> = expected.iter().map(|quote| format!("quote-{}", quote.id)).collect();
        assert_eq!(found, wanted, "the quotes of participant {participant}, in order");
        assert!(!expected.is_empty(), "every participant is quoted");

        for quote in expected {
            let figure = select_one(&page, &format!("figure#quote-{}", quote.id));
            assert!(quote_words(figure).starts_with(quote.starts));
            let caption = select_in(figure, "figcaption")[0];
            let links = select_in(caption, "a");
            assert_eq!(text_of(links[0]), quote.attribution);
            // The way back to the quote's place in the findings.
            let back: Vec<_> = links
                .iter()
                .filter_map(|link| resolve(&path, link.value().attr("href").unwrap()).ok())
                .filter(|target| target.file.starts_with("themes/"))
                .collect();
            assert_eq!(back.len(), 1, "{}: one link back to the findings", quote.id);
            assert_eq!(back[0].file, format!("themes/{}.html", quote.theme));
            assert_eq!(
                back[0].fragment.as_deref(),
                Some(format!("quote-{}", quote.id).as_str())
            );
            let theme_page = site.page(&back[0].file);
            assert_eq!(
                select(&theme_page, &format!("figure#quote-{}", quote.id)).len(),
                1,
                "the link back from {path} lands on the quote"
            );
        }
    }
}

#[test]
fn exchanges_show_the_interviewer_distinctly() {
    let (_temp, site) = built_paper();
    for (id, speakers, interviewer_says) in EXCHANGES {
        let quote = QUOTES.iter().find(|quote| quote.id == *id).unwrap();
        for path in [
            format!("themes/{}.html", quote.theme),
            format!("participants/{}.html", quote.participant),
        ] {
            let page = site.page(&path);
            let figure = select_one(&page, &format!("figure#quote-{id}"));
            let turns = select_in(figure, ".turn");
            let found: Vec<bool> = turns
                .iter()
                .map(|turn| {
                    let interviewer = turn
                        .value()
                        .has_class("turn-interviewer", scraper::CaseSensitivity::CaseSensitive);
                    let participant = turn
                        .value()
                        .has_class("turn-participant", scraper::CaseSensitivity::CaseSensitive);
                    assert!(
                        interviewer != participant,
                        "{id}: a turn is the interviewer's or the participant's"
                    );
                    interviewer
                })
                .collect();
            assert_eq!(found, *speakers, "{id} on {path}");
            let said: Vec<String> = turns
                .iter()
                .filter(|turn| {
                    turn.value()
                        .has_class("turn-interviewer", scraper::CaseSensitivity::CaseSensitive)
                })
                .map(|turn| text_of(select_in(*turn, ".verbatim")[0]))
                .collect();
            assert_eq!(said, *interviewer_says, "{id} on {path}");
            for turn in &turns {
                let speaker = text_of(select_in(*turn, "dt")[0]);
                let interviewer = turn
                    .value()
                    .has_class("turn-interviewer", scraper::CaseSensitivity::CaseSensitive);
                if interviewer {
                    assert_eq!(speaker, "Interviewer");
                } else {
                    assert_eq!(speaker, format!("Participant {}", quote.participant));
                }
                // The speaker is a label, never part of what was said.
                assert!(!raw_text_of(select_in(*turn, ".verbatim")[0]).starts_with("Interviewer"));
            }
        }
    }
    // The other quotes are not exchanges.
    let exchanges: usize = ["sp-experience", "working-with-clients", "working-in-services"]
        .iter()
        .map(|theme| select(&site.page(&format!("themes/{theme}.html")), "figure.quote .exchange").len())
        .sum();
    assert_eq!(exchanges, EXCHANGES.len());
}

#[test]
fn the_narrative_keeps_the_papers_punctuation() {
    let (_temp, site) = built_paper();
    let methods = text_of(select_one(&site.page("methods.html"), "main"));
    assert!(
        methods.contains("1) The social prescriber's experience 2) working with clients"),
        "{methods}"
    );
    let introduction = text_of(select_one(&site.page("introduction.html"), "main"));
    assert!(
        introduction.contains("a link worker or 'navigator' who helps"),
        "{introduction}"
    );
    // Typographic marks stay typographic.
    assert!(
        introduction.contains("‘effectiveness and cost-effectiveness’"),
        "{introduction}"
    );
}
