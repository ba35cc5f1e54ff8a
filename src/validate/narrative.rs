//! The narrative: sections and themes, their directives, subthemes and
//! citations.
//!
//! Input: the Markdown documents as read, and the quote and reference
//! indexes. Output: model sections and themes made of blocks, where each
//! quote was placed, which references were cited, and diagnostics for
//! unknown directives, tables, quotes and references, subthemes without ids,
//! and a missing or repeated findings section.

use std::collections::BTreeSet;
use std::ops::Range;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location, Rule, Severity, did_you_mean};
use crate::load::raw::{RawDirective, RawDocument};
use crate::model::{Block, Placement, Section, Subtheme, TableKind, Theme};
use crate::pages::reserved_names;
use crate::source::Sourced;
use crate::validate::ids::IdIndex;
use crate::validate::text::checked;

const DIRECTIVES: [&str; 4] = ["quote", "table", "figures", "chart"];

/// What the narrative says about the rest of the study.
#[derive(Default)]
pub struct Narrative {
    pub sections: Vec<Section>,
    pub themes: Vec<Theme>,
    /// For each quote, every place that puts it (location of the directive).
    pub placements: Vec<Vec<(Placement, Location)>>,
    /// Indexes of the references cited anywhere.
    pub cited: BTreeSet<usize>,
    /// Indexes of the charts placed anywhere.
    pub charts_placed: BTreeSet<usize>,
}

/// Builds the narrative. `quote_count` is the number of quotes in
/// `quotes.yaml`; `quotes` and `references` are `None` when their file
/// could not be read (the matching checks are then skipped).
pub fn narrative(
    sections: &[RawDocument],
    themes: &[RawDocument],
    quotes: Option<&IdIndex>,
    quote_count: usize,
    references: Option<&IdIndex>,
    charts: Option<&IdIndex>,
    diagnostics: &mut Diagnostics,
) -> Narrative {
    let mut narrative = Narrative {
        placements: vec![Vec::new(); quote_count],
        ..Narrative::default()
    };
    let mut context = Context {
        quotes,
        references,
        charts,
        charts_placed: BTreeSet::new(),
        diagnostics,
    };
    for (index, document) in sections.iter().enumerate() {
        check_reserved(document, context.diagnostics);
        context.cite(document, &mut narrative.cited);
        let blocks = context.blocks(
            document,
            0..document.body.len(),
            Placement::Section(index),
            &mut narrative.placements,
        );
        narrative.sections.push(Section {
            id: document.front.id.value.clone(),
            title: checked(&document.file, "the title", &document.front.title, context.diagnostics),
            findings: document
                .front
                .findings
                .as_ref()
                .is_some_and(|findings| findings.value.0),
            blocks,
        });
    }
    for (index, document) in themes.iter().enumerate() {
        context.cite(document, &mut narrative.cited);
        let theme = context.theme(index, document, &mut narrative.placements);
        narrative.themes.push(theme);
    }
    narrative.charts_placed = context.charts_placed;
    narrative
}

struct Context<'a> {
    quotes: Option<&'a IdIndex>,
    references: Option<&'a IdIndex>,
    charts: Option<&'a IdIndex>,
    charts_placed: BTreeSet<usize>,
    diagnostics: &'a mut Diagnostics,
}

pub const UNKNOWN_DIRECTIVE: Rule = Rule {
    id: "E202",
    name: "unknown-directive",
    severity: Severity::Error,
    summary: "A `{{...}}` directive that findings does not know.",
    why: "A `{{...}}` directive places a quote, table, chart or the figures in the narrative. One that findings does not know (a misspelling such as `{{qoute 3}}`, or an argument missing) would otherwise show as literal braces on the page.",
};

pub const SUBTHEME_WITHOUT_ID: Rule = Rule {
    id: "E203",
    name: "subtheme-without-id",
    severity: Severity::Error,
    summary: "A subtheme heading without an explicit `{#id}`.",
    why: "A subtheme's id names its anchor on the theme page, which the theme's contents and links to the subtheme use. An id made from the heading's words would change whenever the heading is reworded, breaking every link to it, so each subtheme heading carries its own `{#id}`.",
};

pub const UNKNOWN_REFERENCE: Rule = Rule {
    id: "E406",
    name: "unknown-reference",
    severity: Severity::Error,
    summary: "A citation names a reference that references.yaml does not list.",
    why: "A citation (`[@braun2006]`) links to its entry on the references page; a key that `references.yaml` does not list would be a citation that leads nowhere, in the narrative or in the study's summary.",
};

pub const UNKNOWN_QUOTE: Rule = Rule {
    id: "E407",
    name: "unknown-quote",
    severity: Severity::Error,
    summary: "A `{{quote ID}}` directive names a quote that quotes.yaml does not list.",
    why: "A `{{quote ID}}` directive shows the quote and its attribution in place; an id that `quotes.yaml` does not list would leave a hole in the argument, so the closest id is suggested.",
};

pub const UNKNOWN_TABLE: Rule = Rule {
    id: "E410",
    name: "unknown-table",
    severity: Severity::Error,
    summary: "A `{{table NAME}}` directive names a table that does not exist.",
    why: "A `{{table NAME}}` directive places one of the tables findings makes from the records (`typology`, `sample`, `roles`); any other name has no table to show.",
};

pub const UNKNOWN_CHART: Rule = Rule {
    id: "E603",
    name: "unknown-chart",
    severity: Severity::Error,
    summary: "A `{{chart ID}}` directive names a chart that charts.yaml does not list.",
    why: "A `{{chart ID}}` directive draws a chart declared in `charts.yaml`; an id it does not declare (or no `charts.yaml` at all) has no chart to draw.",
};

impl Context<'_> {
    fn cite(&mut self, document: &RawDocument, cited: &mut BTreeSet<usize>) {
        let Some(references) = self.references else { return };
        for key in &document.citations {
            if let Some(found) = references.resolve(
                Code::UnknownReference,
                "reference",
                &document.file,
                key,
                self.diagnostics,
            ) {
                cited.insert(found);
            }
        }
    }

    fn theme(&mut self, index: usize, document: &RawDocument, placements: &mut [Vec<(Placement, Location)>]) -> Theme {
        let subtheme_headings: Vec<_> = document.headings.iter().filter(|heading| heading.level == 2).collect();
        for heading in &subtheme_headings {
            if heading.id.is_none() {
                self.diagnostics.push(
                    Diagnostic::new(Code::SubthemeWithoutId, "this subtheme heading has no id")
                        .at(Location::at(&document.file, heading.title.at))
                        .help("end the heading with an id in braces, e.g. `## Caseloads {#caseloads}`"),
                );
            }
        }
        IdIndex::build(
            "subtheme",
            &document.file,
            subtheme_headings.iter().filter_map(|heading| heading.id.as_ref()),
            self.diagnostics,
        );
        let intro_end = subtheme_headings
            .first()
            .map_or(document.body.len(), |heading| heading.range.start);
        let intro = self.blocks(
            document,
            0..intro_end,
            Placement::Theme {
                theme: index,
                subtheme: None,
            },
            placements,
        );
        let mut subthemes = Vec::new();
        for (position, heading) in subtheme_headings.iter().enumerate() {
            let end = subtheme_headings
                .get(position + 1)
                .map_or(document.body.len(), |next| next.range.start);
            let placement = Placement::Theme {
                theme: index,
                subtheme: Some(position),
            };
            let blocks = self.blocks(document, heading.range.end..end, placement, placements);
            subthemes.push(Subtheme {
                id: heading.id.as_ref().map(|id| id.value.clone()).unwrap_or_default(),
                title: checked(&document.file, "a subtheme's title", &heading.title, self.diagnostics),
                blocks,
            });
        }
        Theme {
            id: document.front.id.value.clone(),
            title: checked(&document.file, "the title", &document.front.title, self.diagnostics),
            intro,
            subthemes,
        }
    }

    /// The blocks of `range` of a document's body: Markdown between directives.
    fn blocks(
        &mut self,
        document: &RawDocument,
        range: Range<usize>,
        placement: Placement,
        placements: &mut [Vec<(Placement, Location)>],
    ) -> Vec<Block> {
        let mut blocks = Vec::new();
        let mut cursor = range.start;
        let directives = document
            .directives
            .iter()
            .filter(|directive| directive.range.start >= range.start && directive.range.end <= range.end);
        for directive in directives {
            push_markdown(&mut blocks, &document.body[cursor..directive.range.start]);
            cursor = directive.range.end;
            if let Some(block) = self.directive(document, directive, placement, placements) {
                blocks.push(block);
            }
        }
        push_markdown(&mut blocks, &document.body[cursor..range.end]);
        blocks
    }

    fn directive(
        &mut self,
        document: &RawDocument,
        directive: &RawDirective,
        placement: Placement,
        placements: &mut [Vec<(Placement, Location)>],
    ) -> Option<Block> {
        let file = &document.file;
        let name = &directive.name;
        let argument = directive.argument.as_ref();
        match (name.value.as_str(), argument) {
            ("quote", Some(id)) => {
                let found = self
                    .quotes?
                    .resolve(Code::UnknownQuote, "quote", file, id, self.diagnostics)?;
                let here = Location::at(file, id.at);
                if let Some((_, first)) = placements[found].first() {
                    self.diagnostics.push(placed_twice(id, here.clone(), first.clone()));
                }
                placements[found].push((placement, here));
                Some(Block::Quote(found))
            }
            ("table", Some(table)) => {
                let kind = TableKind::ALL.iter().find(|(known, _)| *known == table.value);
                if kind.is_none() {
                    let names = TableKind::ALL.iter().map(|(known, _)| *known);
                    let help = did_you_mean(&table.value, names.clone()).map_or_else(
                        || format!("tables: {}", names.collect::<Vec<_>>().join(", ")),
                        |best| format!("did you mean `{best}`?"),
                    );
                    self.diagnostics.push(
                        Diagnostic::new(Code::UnknownTable, format!("there is no table `{}`", table.value))
                            .at(Location::at(file, table.at))
                            .help(help),
                    );
                }
                kind.map(|(_, kind)| Block::Table(*kind))
            }
            ("figures", None) => Some(Block::Figures),
            ("chart", Some(id)) => {
                let Some(charts) = self.charts else {
                    self.diagnostics.push(
                        Diagnostic::new(Code::UnknownChart, format!("no chart has the id `{}`", id.value))
                            .at(Location::at(file, id.at))
                            .help("declare the chart in charts.yaml"),
                    );
                    return None;
                };
                let found = charts.resolve(Code::UnknownChart, "chart", file, id, self.diagnostics)?;
                self.charts_placed.insert(found);
                Some(Block::Chart(found))
            }
            ("quote" | "table" | "chart", None) => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::UnknownDirective,
                        format!("`{{{{{}}}}}` needs an argument", name.value),
                    )
                    .at(Location::at(file, name.at))
                    .help(format!("write `{{{{{} ID}}}}`", name.value)),
                );
                None
            }
            ("figures", Some(extra)) => {
                self.diagnostics.push(
                    Diagnostic::new(Code::UnknownDirective, "`{{figures}}` takes no argument")
                        .at(Location::at(file, extra.at))
                        .help("write `{{figures}}`"),
                );
                None
            }
            (other, _) => {
                let help = did_you_mean(other, DIRECTIVES).map_or_else(
                    || "directives: `{{quote ID}}`, `{{table NAME}}`, `{{chart ID}}`, `{{figures}}`".to_owned(),
                    |best| format!("did you mean `{best}`?"),
                );
                self.diagnostics.push(
                    Diagnostic::new(Code::UnknownDirective, format!("unknown directive `{other}`"))
                        .at(Location::at(file, name.at))
                        .help(help),
                );
                None
            }
        }
    }
}

pub const QUOTE_PLACED_TWICE: Rule = Rule {
    id: "E408",
    name: "quote-placed-twice",
    severity: Severity::Error,
    summary: "A quote is placed in the narrative more than once.",
    why: "Each quote has one place in the narrative, which its participant's page links to; a quote placed twice would have two places to link to, and usually means one of the two directives names the wrong quote.",
};

/// E408 for a quote placed again at `here`, after `first`.
fn placed_twice(id: &Sourced<String>, here: Location, first: Location) -> Diagnostic {
    Diagnostic::new(
        Code::QuotePlacedTwice,
        format!("quote `{}` is already placed", id.value),
    )
    .at(here)
    .related(first, "first placed here")
    .help("place each quote once; its participant's page links to it")
}

pub const RESERVED_ID: Rule = Rule {
    id: "E503",
    name: "reserved-id",
    severity: Severity::Error,
    summary: "A section id that is the name of a generated page or folder, such as `references` or `themes`.",
    why: "A section's page is named after its id (`methods.html`), beside the pages findings generates, so a section id that is the name of a generated page would replace that page (or be replaced by it).",
};

/// A section's id names its page, so it may not be the name of a generated page.
fn check_reserved(document: &RawDocument, diagnostics: &mut Diagnostics) {
    let id = &document.front.id;
    let reserved = reserved_names();
    if reserved.iter().any(|reserved| reserved.eq_ignore_ascii_case(&id.value)) {
        diagnostics.push(
            Diagnostic::new(
                Code::ReservedId,
                format!("the section id `{}` is the name of a generated page", id.value),
            )
            .at(Location::at(&document.file, id.at))
            .help(format!("choose another id; reserved: {}", reserved.join(", "))),
        );
    }
}

fn push_markdown(blocks: &mut Vec<Block>, markdown: &str) {
    if !markdown.trim().is_empty() {
        blocks.push(Block::Markdown(markdown.trim_matches('\n').to_owned()));
    }
}

pub const FINDINGS_SECTION: Rule = Rule {
    id: "E306",
    name: "findings-section",
    severity: Severity::Error,
    summary: "More than one section is marked `findings: true`.",
    why: "The theme pages follow the section marked `findings: true` in the reading order and are listed in it; with two it is not clear where they belong. A study that marks no section gets a generated overview of its themes (`findings.html`) after its sections instead.",
};

/// At most one section may be marked `findings: true`.
pub fn check_findings_section(sections: &[RawDocument], diagnostics: &mut Diagnostics) {
    let marked: Vec<_> = sections
        .iter()
        .filter_map(|section| {
            let findings = section.front.findings.as_ref()?;
            findings.value.0.then_some((section, findings))
        })
        .collect();
    for (section, findings) in marked.iter().skip(1) {
        diagnostics.push(
            Diagnostic::new(
                Code::FindingsSection,
                "more than one section is marked `findings: true`",
            )
            .at(Location::at(&section.file, findings.at))
            .related(Location::at(&marked[0].0.file, marked[0].1.at), "first marked here")
            .help("mark only the section that introduces the results"),
        );
    }
}
