//! Records that nothing uses: references never cited, participants never
//! quoted, quotes and charts never placed. Each may be right for a study,
//! so each is a warning.
//!
//! Input: the study as read, what the narrative placed and cited, and the
//! checked quotes. Output: warnings only. Nothing is reported about a kind
//! of record while a file that could use it was not read (the use may be
//! there).

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location, Rule, Severity};
use crate::load::RawStudy;
use crate::validate::ids::IdIndex;
use crate::validate::narrative::Narrative;

pub const REFERENCE_NEVER_CITED: Rule = Rule {
    id: "W001",
    name: "reference-never-cited",
    severity: Severity::Warning,
    summary: "A reference that no page cites.",
    why: "A reference list should hold what the text cites; an entry nothing cites is often a citation that was removed or mistyped. It is a warning: the study can still be built.",
};

pub const PARTICIPANT_NEVER_QUOTED: Rule = Rule {
    id: "W002",
    name: "participant-never-quoted",
    severity: Severity::Warning,
    summary: "A participant who consented to be quoted and whom no quote is attributed to.",
    why: "Not everyone interviewed is quoted, so this may be right for a study; it is reported so that a quote attributed to the wrong id is noticed.",
};

pub const QUOTE_NOT_PLACED: Rule = Rule {
    id: "W003",
    name: "quote-not-placed",
    severity: Severity::Warning,
    summary: "A quote that no narrative places, so it appears only on its participant's page.",
    why: "A quote that no `{{quote ID}}` places appears only on its participant's page, outside the argument; often its directive is missing or names another quote.",
};

pub const CHART_NOT_PLACED: Rule = Rule {
    id: "W006",
    name: "chart-not-placed",
    severity: Severity::Warning,
    summary: "A chart that no narrative places with `{{chart ID}}`.",
    why: "A chart that no `{{chart ID}}` places is drawn but shown nowhere; its directive is probably missing or mistyped.",
};

/// The id indexes of quotes and charts, which say which records are later
/// duplicates of an id: no directive can place those, and their duplicate
/// id is already an error.
#[derive(Clone, Copy)]
pub struct Duplicates<'a> {
    pub quotes: Option<&'a IdIndex>,
    pub charts: Option<&'a IdIndex>,
}

impl Duplicates<'_> {
    /// Whether the record at `position` of `index` is a later duplicate.
    fn is_later(index: Option<&IdIndex>, position: usize) -> bool {
        index.is_some_and(|index| !index.is_first(position))
    }
}

/// Warns about records nothing uses.
pub fn report_unused(
    raw: &RawStudy,
    narrative: &Narrative,
    quote_participants: Option<&[Option<usize>]>,
    duplicates: Duplicates<'_>,
    diagnostics: &mut Diagnostics,
) {
    if let Some(raw_quotes) = &raw.quotes {
        for (position, (quote, places)) in raw_quotes.quotes.iter().zip(&narrative.placements).enumerate() {
            if places.is_empty() && raw.narrative_complete && !Duplicates::is_later(duplicates.quotes, position) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::QuoteNotPlaced,
                        format!("quote `{}` is not placed in any narrative", quote.id.value),
                    )
                    .at(Location::at(raw_quotes.file_of(quote), quote.id.at))
                    .help(format!(
                        "add `{{{{quote {}}}}}` where it belongs in a theme",
                        quote.id.value
                    )),
                );
            }
        }
    }
    if let (Some(references), true) = (&raw.references, raw.narrative_complete && raw.study.is_some()) {
        for (index, reference) in references.references.iter().enumerate() {
            if !narrative.cited.contains(&index) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::ReferenceNeverCited,
                        format!("reference `{}` is never cited", reference.id.value),
                    )
                    .at(Location::at("references.yaml", reference.id.at))
                    .help(format!(
                        "cite it as `[@{}]` where it is used, or remove it",
                        reference.id.value
                    )),
                );
            }
        }
    }
    if let (Some(charts), true) = (&raw.charts, raw.narrative_complete) {
        for (index, chart) in charts.charts.iter().enumerate() {
            if !narrative.charts_placed.contains(&index) && !Duplicates::is_later(duplicates.charts, index) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::ChartNotPlaced,
                        format!("chart `{}` is not placed in any narrative", chart.id.value),
                    )
                    .at(Location::at("charts.yaml", chart.id.at))
                    .help(format!(
                        "add `{{{{chart {}}}}}` where it belongs, or remove the chart",
                        chart.id.value
                    )),
                );
            }
        }
    }
    if let (Some(participants), Some(quote_participants)) = (&raw.participants, quote_participants)
        && quote_participants.iter().all(Option::is_some)
    {
        let mut quoted = vec![false; participants.participants.len()];
        for participant in quote_participants.iter().flatten() {
            if let Some(slot) = quoted.get_mut(*participant) {
                *slot = true;
            }
        }
        for (participant, quoted) in participants.participants.iter().zip(quoted) {
            // Only a participant who consented to be quoted is expected to be.
            let quotable = participant
                .consent
                .as_ref()
                .is_none_or(|consent| consent.value == crate::model::Consent::Quote.name());
            if !quoted && quotable {
                diagnostics.push(
                    Diagnostic::new(
                        Code::ParticipantNeverQuoted,
                        format!("participant `{}` is never quoted", participant.id.value),
                    )
                    .at(Location::at(participants.file_of(participant), participant.id.at))
                    .help("this may be right (not everyone is quoted); it is reported so that a mistyped quote participant is noticed"),
                );
            }
        }
    }
}
