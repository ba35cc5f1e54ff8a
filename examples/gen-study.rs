//! Writes a deterministic synthetic study, for the benchmark (`bench/run.sh`).
//!
//! ```text
//! cargo run --release --example gen-study -- N DIR            # a findings study
//! cargo run --release --example gen-study -- --hugo N DIR     # the same content as a Hugo site
//! cargo run --release --example gen-study -- --quotes-per-file K N DIR
//! ```
//!
//! The study has N quotes and N/20 participants (at least 3, at most N), four
//! participants per service, a handful of organisation types, typology models
//! and roles, 20 themes of 4 subthemes each (fewer themes below 160 quotes),
//! about 5 % of quotes as exchanges with the interviewer (`turns:`), every
//! quote placed once in its theme's Markdown, five references cited in the
//! sections and two charts. Quote lengths (40 to 120 words) and placement
//! come from a fixed-seed xorshift generator, so the same N always gives
//! byte-identical files. DIR must not exist or be empty: nothing is ever
//! overwritten.
//!
//! With `--hugo`, the same study is written as a Hugo site (content and
//! minimal layouts) for the benchmark's comparison: one page per theme with
//! its quotes as blockquotes with their attribution, one per participant and
//! one per service with their quotes, and the sections.
//!
//! All quotes go to one `quotes.yaml`, or with `--quotes-per-file K` to the
//! files `quotes/0001.yaml`, `quotes/0002.yaml`, … of K quotes each (in the
//! order of their ids), the way a large study splits them
//! ([`quote_files`] is the one place that decides).

// An example program: its only output channel is the terminal.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The generator's fixed seed: the same N gives the same study.
const SEED: u64 = 0x5EED_F1D1_4650_2026;
/// Participants per quote: N/20 participants.
const QUOTES_PER_PARTICIPANT: usize = 20;
/// Participants per service.
const PARTICIPANTS_PER_SERVICE: usize = 4;
/// Themes at full size, and subthemes per theme.
const THEMES: usize = 20;
const SUBTHEMES: usize = 4;
/// One quote in this many is an exchange with the interviewer (5 %).
const EXCHANGE_ONE_IN: u64 = 20;
/// A narrative paragraph between every this many quotes of a subtheme.
const QUOTES_PER_PARAGRAPH: usize = 10;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse_args(&args).and_then(|options| generate(&options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("gen-study: {message}");
            eprintln!(
                "usage: gen-study [--hugo] [--quotes-per-file K] N DIR   (N quotes, at least 1; DIR new or empty)"
            );
            ExitCode::from(2)
        }
    }
}

/// What to write: a findings study or the same content as a Hugo site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Findings,
    Hugo,
}

/// What the command line asks for.
struct Options {
    format: Format,
    /// Quotes per file of `quotes/`; `None`: one `quotes.yaml`.
    quotes_per_file: Option<usize>,
    quotes: usize,
    dir: PathBuf,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut format = Format::Findings;
    let mut quotes_per_file = None;
    let mut rest = args;
    loop {
        match rest.first().map(String::as_str) {
            Some("--hugo") => {
                format = Format::Hugo;
                rest = &rest[1..];
            }
            Some("--quotes-per-file") => {
                let value = rest.get(1).ok_or("--quotes-per-file needs a number")?;
                quotes_per_file = Some(whole_number("K", value)?);
                rest = &rest[2..];
            }
            _ => break,
        }
    }
    let [quotes, dir] = rest else {
        return Err("expected two arguments, N and DIR".to_owned());
    };
    Ok(Options {
        format,
        quotes_per_file,
        quotes: whole_number("N", quotes)?,
        dir: PathBuf::from(dir),
    })
}

/// A whole number of at least 1 (`_` may group digits).
fn whole_number(name: &str, value: &str) -> Result<usize, String> {
    match value.replace('_', "").parse::<usize>() {
        Ok(0) => Err(format!("{name} must be at least 1")),
        Ok(number) => Ok(number),
        Err(_) => Err(format!("{name} must be a whole number, not `{value}`")),
    }
}

fn generate(options: &Options) -> Result<(), String> {
    let study = Study::new(options.quotes);
    let files = match options.format {
        Format::Findings => findings_files(&study, options.quotes_per_file),
        Format::Hugo => hugo_files(&study),
    };
    let dir = &options.dir;
    write_files(dir, &files).map_err(|error| format!("{}: {error}", dir.display()))?;
    println!(
        "wrote {} files to {} ({} quotes, {} participants, {} services, {} themes)",
        files.len(),
        dir.display(),
        study.quotes.len(),
        study.participants.len(),
        study.services.len(),
        study.themes.len()
    );
    Ok(())
}

/// Writes each file under `dir`, which must be new or empty.
fn write_files(dir: &Path, files: &[(PathBuf, String)]) -> io::Result<()> {
    if dir.exists() && fs::read_dir(dir)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "the folder is not empty; give a new or empty folder",
        ));
    }
    for (path, text) in files {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, text)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The study, in memory

/// xorshift64*: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..bound` (`bound` > 0).
    fn below(&mut self, bound: usize) -> usize {
        // The bound is small, so the modulo bias is negligible for a benchmark.
        usize::try_from(self.next() % bound as u64).unwrap_or(0)
    }

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.below(words.len())]
    }
}

const ORGANISATION_TYPES: [(&str, &str); 3] = [
    ("statutory", "Statutory"),
    ("community", "Community-based"),
    ("voluntary", "Voluntary sector"),
];
const MODELS: [(&str, &str, &str); 4] = [
    ("light", "Light", "The client is pointed towards useful organisations."),
    ("medium", "Medium", "A link worker meets the client once or twice."),
    (
        "holistic",
        "Holistic",
        "A link worker supports the whole person over time.",
    ),
    ("group", "Group", "Clients meet in groups run by the service."),
];
const ROLES: [(&str, &str, &str); 3] = [
    (
        "practitioner",
        "Practitioner",
        "Mostly client-facing work, little or no managerial duty.",
    ),
    (
        "coordinator",
        "Coordinator",
        "Client-facing work and the coordination of a team.",
    ),
    (
        "manager",
        "Manager",
        "No client-facing work; supervisory or managerial duties only.",
    ),
];
const REFERENCES: [(&str, &str, &str, &str); 5] = [
    (
        "braun2006",
        "Braun and Clarke",
        "2006",
        "Braun, V., & Clarke, V. (2006). Using thematic analysis in psychology. *Qualitative research in psychology*, 3(2), 77-101.",
    ),
    (
        "kimberlee2015",
        "Kimberlee",
        "2015",
        "Kimberlee, R. (2015). What is social prescribing? *Advances in Social Sciences Research Journal*, 2(1), 102-110.",
    ),
    (
        "guest2006",
        "Guest et al.",
        "2006",
        "Guest, G., Bunce, A., & Johnson, L. (2006). How many interviews are enough? *Field Methods*, 18(1), 59-82.",
    ),
    (
        "nowell2017",
        "Nowell et al.",
        "2017",
        "Nowell, L. S., Norris, J. M., White, D. E., & Moules, N. J. (2017). Thematic analysis: striving to meet the trustworthiness criteria. *International Journal of Qualitative Methods*, 16(1).",
    ),
    (
        "tong2007",
        "Tong et al.",
        "2007",
        "Tong, A., Sainsbury, P., & Craig, J. (2007). Consolidated criteria for reporting qualitative research (COREQ). *International Journal for Quality in Health Care*, 19(6), 349-357.",
    ),
];
const GENDERS: [&str; 2] = ["F", "M"];
const CONTRACTS: [&str; 2] = ["FT", "PT"];

/// The words quotes and narrative are made of.
const OPENERS: [&str; 12] = [
    "I think",
    "To be honest",
    "Well",
    "You know",
    "For me",
    "Sometimes",
    "Most days",
    "In the beginning",
    "What I find is",
    "I suppose",
    "Really",
    "At the end of the day",
];
const SUBJECTS: [&str; 12] = [
    "the clients",
    "my manager",
    "the team",
    "the doctors",
    "our volunteers",
    "the funding",
    "the caseload",
    "the training",
    "the people I see",
    "the referrals",
    "the local groups",
    "the paperwork",
];
const VERBS: [&str; 12] = [
    "need",
    "change",
    "depend on",
    "take up",
    "shape",
    "support",
    "worry about",
    "come back to",
    "ask for",
    "rely on",
    "make the most of",
    "struggle with",
];
const OBJECTS: [&str; 16] = [
    "a lot of time",
    "the whole person",
    "what is out there",
    "their confidence",
    "the next appointment",
    "a bit of flexibility",
    "the bigger picture",
    "proper supervision",
    "somebody to talk to",
    "the right service",
    "a week or two",
    "the same questions",
    "all sorts of things",
    "the community",
    "their housing",
    "the small wins",
];
const TAILS: [&str; 10] = [
    "and that is hard",
    "which I love",
    "if I am honest",
    "every single week",
    "more than people think",
    "[...] it just works",
    "in a good way",
    "and nobody tells you that",
    "[at the service]",
    "most of the time",
];
const THEME_WORDS: [&str; 20] = [
    "Background",
    "Motivation",
    "Workload",
    "Supervision",
    "Training",
    "Referrals",
    "Boundaries",
    "Funding",
    "Partnerships",
    "Volunteers",
    "Wellbeing",
    "Caseloads",
    "Recording",
    "Outcomes",
    "Isolation",
    "Recognition",
    "Career paths",
    "Community",
    "Time",
    "The future",
];
const SUBTHEME_WORDS: [&str; 4] = ["Beginnings", "Day to day", "Difficulties", "What helps"];

struct Service {
    id: String,
    organisation_type: usize,
    model: usize,
    description: String,
}

struct Participant {
    id: String,
    service: usize,
    gender: &'static str,
    contract: &'static str,
    role: usize,
    role_description: String,
}

enum Words {
    Text(String),
    /// (true: the participant; false: the interviewer, text).
    Turns(Vec<(bool, String)>),
}

struct Quote {
    id: String,
    participant: usize,
    words: Words,
}

struct Subtheme {
    id: String,
    title: String,
    /// Indexes into `Study::quotes`, in the order the narrative places them.
    quotes: Vec<usize>,
}

struct Theme {
    id: String,
    title: String,
    subthemes: Vec<Subtheme>,
}

struct Study {
    services: Vec<Service>,
    participants: Vec<Participant>,
    quotes: Vec<Quote>,
    themes: Vec<Theme>,
}

impl Study {
    fn new(quote_count: usize) -> Self {
        let mut rng = Rng(SEED);
        let participant_count = (quote_count / QUOTES_PER_PARTICIPANT).max(3).min(quote_count);
        let service_count = (participant_count / PARTICIPANTS_PER_SERVICE).max(1);
        let services = (0..service_count).map(|index| make_service(index, &mut rng)).collect();
        let participants = (0..participant_count)
            .map(|index| make_participant(index, index * service_count / participant_count, &mut rng))
            .collect();
        let quotes: Vec<Quote> = (0..quote_count)
            .map(|index| make_quote(index, index % participant_count, &mut rng))
            .collect();
        let themes = place_quotes(quote_count, &mut rng);
        Study {
            services,
            participants,
            quotes,
            themes,
        }
    }

    /// The attribution findings derives for a quote, written out for Hugo.
    fn attribution(&self, quote: &Quote) -> String {
        let participant = &self.participants[quote.participant];
        let service = &self.services[participant.service];
        format!(
            "{}, {} Service, {} – {}",
            ROLES[participant.role].1,
            ORGANISATION_TYPES[service.organisation_type].1,
            MODELS[service.model].1,
            participant.id
        )
    }
}

fn make_service(index: usize, rng: &mut Rng) -> Service {
    Service {
        id: format!("s{:04}", index + 1),
        organisation_type: rng.below(ORGANISATION_TYPES.len()),
        model: rng.below(MODELS.len()),
        description: capitalise(&sentence(rng)),
    }
}

fn make_participant(index: usize, service: usize, rng: &mut Rng) -> Participant {
    Participant {
        id: format!("p{:05}", index + 1),
        service,
        gender: GENDERS[rng.below(GENDERS.len())],
        contract: CONTRACTS[rng.below(CONTRACTS.len())],
        role: rng.below(ROLES.len()),
        role_description: capitalise(&sentence(rng)),
    }
}

fn make_quote(index: usize, participant: usize, rng: &mut Rng) -> Quote {
    let words = if rng.next().is_multiple_of(EXCHANGE_ONE_IN) {
        let mut turns = vec![(true, speech(rng, 20, 50))];
        turns.push((
            false,
            capitalise(&format!("{} {}?", rng.pick(&VERBS), rng.pick(&OBJECTS))),
        ));
        turns.push((true, speech(rng, 20, 50)));
        Words::Turns(turns)
    } else {
        Words::Text(speech(rng, 40, 120))
    };
    Quote {
        id: format!("q{:06}", index + 1),
        participant,
        words,
    }
}

/// Sentences of `min` to `max` words in all.
fn speech(rng: &mut Rng, min: usize, max: usize) -> String {
    let target = min + rng.below(max - min + 1);
    let mut text = String::new();
    let mut words = 0;
    while words < target {
        let next = capitalise(&sentence(rng));
        words += next.split_whitespace().count();
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&next);
    }
    text
}

fn sentence(rng: &mut Rng) -> String {
    format!(
        "{}, {} {} {} {}.",
        rng.pick(&OPENERS),
        rng.pick(&SUBJECTS),
        rng.pick(&VERBS),
        rng.pick(&OBJECTS),
        rng.pick(&TAILS)
    )
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// Themes and subthemes, with each quote placed in one subtheme chosen at
/// random.
fn place_quotes(quote_count: usize, rng: &mut Rng) -> Vec<Theme> {
    let theme_count = (quote_count / (2 * SUBTHEMES)).clamp(1, THEMES);
    let mut themes: Vec<Theme> = (0..theme_count)
        .map(|index| Theme {
            id: format!("theme-{:02}", index + 1),
            title: THEME_WORDS[index].to_owned(),
            subthemes: (0..SUBTHEMES)
                .map(|sub| Subtheme {
                    id: format!("theme-{:02}-{}", index + 1, sub + 1),
                    title: SUBTHEME_WORDS[sub].to_owned(),
                    quotes: Vec::new(),
                })
                .collect(),
        })
        .collect();
    for quote in 0..quote_count {
        let slot = rng.below(theme_count * SUBTHEMES);
        themes[slot / SUBTHEMES].subthemes[slot % SUBTHEMES].quotes.push(quote);
    }
    themes
}

// ---------------------------------------------------------------------------
// The findings study

fn findings_files(study: &Study, quotes_per_file: Option<usize>) -> Vec<(PathBuf, String)> {
    let mut files = vec![
        file("study.yaml", study_yaml(study)),
        file("typology.yaml", typology_yaml()),
        file("roles.yaml", roles_yaml()),
        file("services.yaml", services_yaml(study)),
        file("participants.yaml", participants_yaml(study)),
        file("references.yaml", references_yaml()),
        file("charts.yaml", charts_yaml()),
        file("sections/01-introduction.md", introduction_md()),
        file("sections/02-methods.md", methods_md()),
        file("sections/03-results.md", results_md()),
    ];
    files.extend(quote_files(study, quotes_per_file));
    for (index, theme) in study.themes.iter().enumerate() {
        files.push(file(
            &format!("themes/{:02}-{}.md", index + 1, theme.id),
            theme_md(study, theme, index),
        ));
    }
    files
}

fn file(path: &str, text: String) -> (PathBuf, String) {
    (PathBuf::from(path), text)
}

/// The files the quotes are written to: all of them in one `quotes.yaml`,
/// or blocks of `quotes_per_file` in `quotes/NNNN.yaml`.
fn quote_files(study: &Study, quotes_per_file: Option<usize>) -> Vec<(PathBuf, String)> {
    match quotes_per_file {
        None => vec![file("quotes.yaml", quotes_yaml(&study.quotes, study))],
        Some(size) => study
            .quotes
            .chunks(size)
            .enumerate()
            .map(|(index, block)| file(&format!("quotes/{:04}.yaml", index + 1), quotes_yaml(block, study)))
            .collect(),
    }
}

fn study_yaml(study: &Study) -> String {
    format!(
        r#"title: "A synthetic study of {quotes} quotes"
short_title: Synthetic study
keywords: [benchmark, synthetic]
summary: |
  A study made up by `gen-study` to measure how `findings` scales:
  {quotes} quotes from {participants} participants in {services} services.
# Synthetic participants, each described as uniquely as a paper's sample
# table describes them: no disclosure threshold (see docs/privacy-disclosure.md).
privacy: {{ k: 1 }}
attribution: "{{role}}, {{organisation_type}} Service, {{model}} – {{participant}}"
figures:
  - id: interviews
    label: Interviews
    value: {participants}
  - id: interview-length
    label: Interview length
    min: 20
    max: 75
    mean: 41
    unit: minutes
"#,
        quotes = study.quotes.len(),
        participants = study.participants.len(),
        services = study.services.len()
    )
}

fn typology_yaml() -> String {
    let mut text = "title: Four models of service\nmodels:\n".to_owned();
    for (id, name, description) in MODELS {
        let _ = write!(text, "  - id: {id}\n    name: {name}\n    description: {description}\n");
    }
    text
}

fn roles_yaml() -> String {
    let mut text = "title: Role categories\nroles:\n".to_owned();
    for (id, name, definition) in ROLES {
        let _ = write!(text, "  - id: {id}\n    name: {name}\n    definition: {definition}\n");
    }
    text
}

fn services_yaml(study: &Study) -> String {
    let mut text = "organisation_types:\n".to_owned();
    for (id, name) in ORGANISATION_TYPES {
        let _ = write!(text, "  - id: {id}\n    name: {name}\n");
    }
    text.push_str("services:\n");
    for service in &study.services {
        let _ = write!(
            text,
            "  - id: {}\n    organisation_type: {}\n    model: {}\n    description: \"{}\"\n",
            service.id, ORGANISATION_TYPES[service.organisation_type].0, MODELS[service.model].0, service.description
        );
    }
    text
}

fn participants_yaml(study: &Study) -> String {
    let mut text = "attributes:
  - id: gender
    label: Gender
    categories: [{id: F}, {id: M}]
  - id: contract
    label: Part time/Full time
    categories: [{id: FT}, {id: PT}]
sample_table:
  caption: The sample
  columns:
    - service
    - gender
    - contract
    - field: role
      heading: Role (participant id in parentheses)
    - field: service_description
      heading: Type of organisation
    - model
participants:
"
    .to_owned();
    for participant in &study.participants {
        let _ = write!(
            text,
            "  - id: {}\n    consent: quote\n    service: {}\n    gender: {}\n    contract: {}\n    role: {}\n    role_description: \"{}\"\n",
            participant.id,
            study.services[participant.service].id,
            participant.gender,
            participant.contract,
            ROLES[participant.role].0,
            participant.role_description
        );
    }
    text
}

fn quotes_yaml(quotes: &[Quote], study: &Study) -> String {
    let mut text = "quotes:\n".to_owned();
    for quote in quotes {
        let _ = write!(
            text,
            "  - id: {}\n    participant: {}\n",
            quote.id, study.participants[quote.participant].id
        );
        match &quote.words {
            Words::Text(words) => {
                text.push_str("    text: |\n");
                push_block(&mut text, words, 6);
            }
            Words::Turns(turns) => {
                text.push_str("    turns:\n");
                for (by_participant, words) in turns {
                    let who = if *by_participant { "participant" } else { "interviewer" };
                    let _ = writeln!(text, "      - {who}: |");
                    push_block(&mut text, words, 10);
                }
            }
        }
    }
    text
}

/// Writes `words` as the lines of a YAML block literal, wrapped near 80
/// columns, each line indented by `indent` spaces.
fn push_block(text: &mut String, words: &str, indent: usize) {
    let mut line = String::new();
    for word in words.split_whitespace() {
        if !line.is_empty() && indent + line.len() + 1 + word.len() > 80 {
            let _ = writeln!(text, "{:indent$}{line}", "");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    let _ = writeln!(text, "{:indent$}{line}", "");
}

fn references_yaml() -> String {
    let mut text = "references:\n".to_owned();
    for (id, cite_as, year, entry) in REFERENCES {
        let _ = write!(
            text,
            "  - id: {id}\n    cite_as: {cite_as}\n    year: \"{year}\"\n    entry: \"{entry}\"\n"
        );
    }
    text
}

fn charts_yaml() -> String {
    "charts:
  - id: sample-by-model
    title: Participants by model and type of organisation
    kind: participants
    by: model
    stack: organisation_type
  - id: quotes-per-theme
    title: Quotes per theme, by role category
    kind: quotes
    per: theme
    split: role
"
    .to_owned()
}

fn introduction_md() -> String {
    "---
id: introduction
title: Introduction
---
This synthetic study stands in for a large programme of interviews. Its services
follow the four models of @kimberlee2015 [p. 104].
"
    .to_owned()
}

fn methods_md() -> String {
    "---
id: methods
title: Methods
---
Participants were interviewed once [@tong2007; @guest2006], in the services below:

{{table typology}}

{{table sample}}

{{chart sample-by-model}}

Roles were summarised into three categories:

{{table roles}}

The transcripts were analysed using thematic analysis [@braun2006; @nowell2017].

{{figures}}
"
    .to_owned()
}

fn results_md() -> String {
    "---
id: results
title: Results
findings: true
---
The findings are grouped into themes of four subthemes each.

{{chart quotes-per-theme}}
"
    .to_owned()
}

/// A theme's Markdown: its narrative is drawn from a generator seeded by
/// the theme's place, so it does not depend on the other files.
fn theme_md(study: &Study, theme: &Theme, place: usize) -> String {
    let mut rng = Rng(SEED ^ ((place as u64 + 1) << 32));
    let mut text = format!(
        "---\nid: {}\ntitle: {}\n---\n{}\n",
        theme.id,
        theme.title,
        capitalise(&sentence(&mut rng))
    );
    for subtheme in &theme.subthemes {
        let _ = write!(text, "\n## {} {{#{}}}\n", subtheme.title, subtheme.id);
        for (place, &quote) in subtheme.quotes.iter().enumerate() {
            if place.is_multiple_of(QUOTES_PER_PARAGRAPH) {
                let _ = write!(text, "\n{}\n", speech(&mut rng, 30, 60));
            }
            let _ = write!(text, "\n{{{{quote {}}}}}\n", study.quotes[quote].id);
        }
    }
    text
}

// ---------------------------------------------------------------------------
// The same content as a Hugo site

fn hugo_files(study: &Study) -> Vec<(PathBuf, String)> {
    let mut files = vec![
        file("hugo.toml", HUGO_CONFIG.to_owned()),
        file("layouts/_default/baseof.html", HUGO_BASEOF.to_owned()),
        file("layouts/partials/nav.html", HUGO_NAV.to_owned()),
        file("layouts/_default/single.html", HUGO_SINGLE.to_owned()),
        file("layouts/_default/list.html", HUGO_LIST.to_owned()),
        file("layouts/index.html", HUGO_LIST.to_owned()),
        file("content/_index.md", hugo_front("Synthetic study", 0)),
        file("content/themes/_index.md", hugo_front("Themes", 0)),
        file("content/participants/_index.md", hugo_front("Participants", 0)),
        file("content/services/_index.md", hugo_front("Services", 0)),
    ];
    for (weight, (name, markdown)) in [
        ("introduction", introduction_md()),
        ("methods", methods_md()),
        ("results", results_md()),
    ]
    .into_iter()
    .enumerate()
    {
        let body = markdown.splitn(3, "---\n").nth(2).unwrap_or_default();
        let mut text = hugo_front(&capitalise(name), weight + 1);
        text.push_str(body);
        files.push(file(&format!("content/{name}.md"), text));
    }
    let by_participant = quotes_by_participant(study);
    for (index, theme) in study.themes.iter().enumerate() {
        files.push(file(
            &format!("content/themes/{}.md", theme.id),
            hugo_theme(study, theme, index),
        ));
    }
    for (index, participant) in study.participants.iter().enumerate() {
        let mut text = hugo_front(&format!("Participant {}", participant.id), index + 1);
        let service = &study.services[participant.service];
        let _ = write!(
            text,
            "| Service | Gender | Contract | Role | Type of organisation | Model |\n|---|---|---|---|---|---|\n| {} | {} | {} | {} ({}) | {} | {} |\n\n{}\n",
            service.id,
            participant.gender,
            participant.contract,
            ROLES[participant.role].1,
            participant.id,
            ORGANISATION_TYPES[service.organisation_type].1,
            MODELS[service.model].1,
            participant.role_description
        );
        for &quote in &by_participant[index] {
            push_hugo_quote(&mut text, study, &study.quotes[quote]);
        }
        files.push(file(&format!("content/participants/{}.md", participant.id), text));
    }
    for (index, service) in study.services.iter().enumerate() {
        let mut text = hugo_front(&format!("Service {}", service.id), index + 1);
        let _ = writeln!(text, "{}", service.description);
        for (member, participant) in study.participants.iter().enumerate() {
            if participant.service != index {
                continue;
            }
            let _ = write!(text, "\n## Participant {}\n", participant.id);
            for &quote in &by_participant[member] {
                push_hugo_quote(&mut text, study, &study.quotes[quote]);
            }
        }
        files.push(file(&format!("content/services/{}.md", service.id), text));
    }
    files
}

fn quotes_by_participant(study: &Study) -> Vec<Vec<usize>> {
    let mut by_participant = vec![Vec::new(); study.participants.len()];
    for (index, quote) in study.quotes.iter().enumerate() {
        by_participant[quote.participant].push(index);
    }
    by_participant
}

fn hugo_front(title: &str, weight: usize) -> String {
    format!("---\ntitle: \"{title}\"\nweight: {weight}\n---\n")
}

fn hugo_theme(study: &Study, theme: &Theme, place: usize) -> String {
    let narrative = theme_md(study, theme, place);
    let mut text = hugo_front(&theme.title, place + 1);
    for line in narrative.lines().skip(4) {
        match line.strip_prefix("{{quote ").and_then(|rest| rest.strip_suffix("}}")) {
            Some(id) => {
                let index = study
                    .quotes
                    .binary_search_by(|quote| quote.id.as_str().cmp(id))
                    .unwrap_or_default();
                push_hugo_quote(&mut text, study, &study.quotes[index]);
            }
            None => {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    text
}

/// A quote as a Markdown blockquote, its attribution on the last line.
fn push_hugo_quote(text: &mut String, study: &Study, quote: &Quote) {
    text.push('\n');
    match &quote.words {
        Words::Text(words) => {
            let _ = writeln!(text, "> {words}");
        }
        Words::Turns(turns) => {
            for (by_participant, words) in turns {
                let who = if *by_participant { "Participant" } else { "Interviewer" };
                let _ = write!(text, "> **{who}:** {words}\n>\n");
            }
        }
    }
    let _ = write!(text, ">\n> — {}\n", study.attribution(quote));
}

const HUGO_CONFIG: &str = r#"baseURL = "https://example.org/"
languageCode = "en"
title = "Synthetic study"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
"#;

const HUGO_BASEOF: &str = r#"<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} – {{ site.Title }}</title></head>
<body>
{{ partialCached "nav.html" . }}
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"#;

/// The navigation, the same on every page: made once (`partialCached`).
const HUGO_NAV: &str = r#"<nav><ul>
{{ range where site.RegularPages "Section" "" }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
{{ range where site.RegularPages "Section" "themes" }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
<li><a href="{{ relURL "participants/" }}">Participants</a></li>
<li><a href="{{ relURL "services/" }}">Services</a></li>
</ul></nav>
"#;

const HUGO_SINGLE: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
<p>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</p>
{{ end }}
"#;

const HUGO_LIST: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn findings_text(quotes: usize) -> Vec<(PathBuf, String)> {
        findings_files(&Study::new(quotes), None)
    }

    #[test]
    fn the_same_n_gives_the_same_files() {
        assert_eq!(findings_text(300), findings_text(300));
        assert_eq!(hugo_files(&Study::new(300)), hugo_files(&Study::new(300)));
    }

    #[test]
    fn the_study_has_the_sizes_the_benchmark_promises() {
        let study = Study::new(1000);
        assert_eq!(study.quotes.len(), 1000);
        assert_eq!(study.participants.len(), 50);
        assert_eq!(study.services.len(), 12);
        assert_eq!(study.themes.len(), THEMES);
        let placed: usize = study
            .themes
            .iter()
            .flat_map(|theme| &theme.subthemes)
            .map(|subtheme| subtheme.quotes.len())
            .sum();
        assert_eq!(placed, 1000);
        let exchanges = study
            .quotes
            .iter()
            .filter(|quote| matches!(quote.words, Words::Turns(_)))
            .count();
        assert!((25..=75).contains(&exchanges), "{exchanges} exchanges");
        for quote in &study.quotes {
            if let Words::Text(words) = &quote.words {
                let count = words.split_whitespace().count();
                assert!((40..=140).contains(&count), "{count} words");
            }
        }
    }

    #[test]
    fn generated_studies_check_clean() {
        for quotes in [1, 2, 7, 200] {
            let dir = tempfile::tempdir().expect("a temporary folder");
            write_files(dir.path(), &findings_text(quotes)).expect("the study is written");
            let checked = findings::check_study(dir.path()).expect("the study is read");
            let messages: Vec<_> = checked
                .diagnostics
                .iter()
                .map(|diagnostic| &diagnostic.message)
                .collect();
            assert!(messages.is_empty(), "{quotes} quotes: {messages:?}");
            assert!(checked.study.is_some(), "{quotes} quotes: no study");
        }
    }

    #[test]
    fn split_quotes_give_the_same_site() {
        let study = Study::new(200);
        let split = findings_files(&study, Some(64));
        let quote_files: Vec<_> = split
            .iter()
            .filter(|(path, _)| path.starts_with("quotes"))
            .map(|(path, _)| path.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            quote_files,
            [
                "quotes/0001.yaml",
                "quotes/0002.yaml",
                "quotes/0003.yaml",
                "quotes/0004.yaml"
            ]
        );
        let options = findings::render::SiteOptions::default();
        let mut sites = Vec::new();
        for files in [findings_files(&study, None), split] {
            let dir = tempfile::tempdir().expect("a temporary folder");
            write_files(dir.path(), &files).expect("the study is written");
            let (site, checked) = findings::build_site(dir.path(), &options).expect("the study is read");
            assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
            sites.push(site.expect("a site"));
        }
        assert!(sites[0] == sites[1], "splitting the quotes changed the site");
    }

    #[test]
    fn a_folder_that_is_not_empty_is_refused() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        fs::write(dir.path().join("notes.txt"), "mine").expect("a file is written");
        assert!(write_files(dir.path(), &findings_text(5)).is_err());
        assert_eq!(
            fs::read_to_string(dir.path().join("notes.txt")).expect("the file is kept"),
            "mine"
        );
    }
}
