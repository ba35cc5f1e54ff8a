//! Quotes: each names a known participant who consented to be quoted, has
//! exactly one of `text` or `turns`, written as a block literal or a quoted
//! string (never a plain scalar), and has brackets that pair up.
//!
//! Input: `quotes.yaml` as read, the participant index and each
//! participant's consent. Output: each
//! quote's participant and content (or `None` where a problem was reported),
//! and diagnostics. Messages name quote ids, never quote text.

use std::collections::BTreeSet;

use rayon::prelude::*;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location, Rule, Severity};
use crate::load::raw::{RawQuote, RawQuotesFile, RawTurn};
use crate::model::{Consent, QuoteContent, Speaker, Turn};
use crate::source::{Position, Sourced};
use crate::validate::ids::IdIndex;
use crate::validate::text::checked;

/// A quote's resolved participant and its content.
pub struct CheckedQuote {
    pub participant: usize,
    pub content: QuoteContent,
}

pub const UNKNOWN_PARTICIPANT: Rule = Rule {
    id: "E401",
    name: "unknown-participant",
    severity: Severity::Error,
    summary: "A quote names a participant that participants.yaml does not list.",
    why: "A quote's attribution is derived from its participant's record (role, service, model), so a quote whose participant is not listed cannot be attributed, and would be missing from that participant's page. The closest id is suggested: this is most often a typing mistake.",
};

pub const QUOTE_WITHOUT_CONSENT: Rule = Rule {
    id: "E331",
    name: "quote-without-consent",
    severity: Severity::Error,
    summary: "A quote of a participant whose `consent` is `no-quote` or `withdrawn`.",
    why: "A participant who consented to be counted but not quoted (`no-quote`), or who withdrew (`withdrawn`), has none of their words published; a quote of theirs would publish them. Remove the quote (and the directive that places it), or, if the participant did consent to be quoted, correct their `consent`.",
};

/// The participants that quotes may name: their index by id, and each
/// one's consent where it was stated and known.
#[derive(Clone, Copy)]
pub struct Quotable<'a> {
    /// The participants' ids.
    pub index: &'a IdIndex,
    /// Each participant's consent, in the index's order.
    pub consents: &'a [Option<Consent>],
}

/// Checks every quote, in parallel; the result is in the quotes' order and
/// does not depend on the number of threads.
pub fn quotes(
    raw: &RawQuotesFile,
    participants: Option<Quotable<'_>>,
    diagnostics: &mut Diagnostics,
) -> Vec<Option<CheckedQuote>> {
    let checked: Vec<(Option<CheckedQuote>, Diagnostics)> = raw
        .quotes
        .par_iter()
        .with_min_len(QUOTES_PER_TASK)
        .map(|quote| {
            let mut found = Diagnostics::new();
            let checked = quote_checked(raw, quote, participants, &mut found);
            (checked, found)
        })
        .collect();
    checked
        .into_iter()
        .map(|(checked, found)| {
            diagnostics.append(found);
            checked
        })
        .collect()
}

/// How many quotes one parallel task checks at least: enough that
/// splitting the work costs less than the checks.
const QUOTES_PER_TASK: usize = 256;

/// Checks one quote: its participant, how its text is written, its content.
fn quote_checked(
    raw: &RawQuotesFile,
    quote: &RawQuote,
    participants: Option<Quotable<'_>>,
    diagnostics: &mut Diagnostics,
) -> Option<CheckedQuote> {
    let file = raw.file_of(quote);
    let participant = participants.and_then(|participants| {
        let found = participants.index.resolve(
            Code::UnknownParticipant,
            "participant",
            file,
            &quote.participant,
            diagnostics,
        )?;
        let consent = participants.consents.get(found).copied().flatten();
        check_consent(file, quote, consent, diagnostics);
        Some(found)
    });
    check_plain_text(file, quote, &raw.plain_texts, diagnostics);
    let content = content(file, quote, diagnostics);
    Some(CheckedQuote {
        participant: participant?,
        content: content?,
    })
}

/// Reports (E331) a quote whose participant did not consent to be quoted.
/// Names the quote and the participant by id only.
fn check_consent(file: &str, quote: &RawQuote, consent: Option<Consent>, diagnostics: &mut Diagnostics) {
    let Some(consent) = consent.filter(|consent| !consent.may_be_quoted()) else {
        return;
    };
    let (id, participant) = (&quote.id.value, &quote.participant.value);
    let why = match consent {
        Consent::Withdrawn => "withdrew (`consent: withdrawn`)",
        _ => "consented to be counted but not quoted (`consent: no-quote`)",
    };
    diagnostics.push(
        Diagnostic::new(
            Code::QuoteWithoutConsent,
            format!("quote `{id}` is of participant `{participant}`, who {why}"),
        )
        .at(Location::at(file, quote.participant.at))
        .help(format!(
            "remove quote `{id}` and the `{{{{quote {id}}}}}` that places it; if `{participant}` did consent to be quoted, write `consent: quote`"
        )),
    );
}

pub const QUOTE_SHAPE: Rule = Rule {
    id: "E305",
    name: "quote-shape",
    severity: Severity::Error,
    summary: "A quote needs exactly one of `text` or `turns`, and turns by the participant.",
    why: "A quote is either the participant's words (`text`) or an exchange (`turns`); with both or neither, findings cannot tell what to show, and an exchange with no turn by the participant would attribute the interviewer's words to them.",
};

fn content(file: &str, quote: &RawQuote, diagnostics: &mut Diagnostics) -> Option<QuoteContent> {
    let id = &quote.id.value;
    let shape = |message: String| {
        Diagnostic::new(Code::QuoteShape, message)
            .at(Location::at(file, quote.id.at))
            .help("give the quote either `text: |` with the participant's words, or `turns:` with `- participant: |` and `- interviewer: |` entries")
    };
    match (&quote.text, &quote.turns) {
        (Some(text), None) => {
            let words = checked(file, &format!("the text of quote `{id}`"), text, diagnostics);
            check_brackets(file, id, text, diagnostics);
            Some(QuoteContent::Text(words))
        }
        (None, Some(turns)) => {
            if !turns.iter().any(|turn| matches!(turn, RawTurn::Participant(_))) {
                diagnostics.push(shape(format!("quote `{id}` has no turn by its participant")));
                return None;
            }
            let turns = turns
                .iter()
                .map(|turn| {
                    let speaker = match turn {
                        RawTurn::Participant(_) => Speaker::Participant,
                        RawTurn::Interviewer(_) => Speaker::Interviewer,
                    };
                    check_brackets(file, id, turn.text(), diagnostics);
                    Turn {
                        speaker,
                        text: checked(file, &format!("a turn of quote `{id}`"), turn.text(), diagnostics),
                    }
                })
                .collect();
            Some(QuoteContent::Turns(turns))
        }
        (Some(_), Some(_)) => {
            diagnostics.push(shape(format!("quote `{id}` has both `text` and `turns`")));
            None
        }
        (None, None) => {
            diagnostics.push(shape(format!("quote `{id}` has neither `text` nor `turns`")));
            None
        }
    }
}

pub const PLAIN_QUOTE_TEXT: Rule = Rule {
    id: "E109",
    name: "plain-quote-text",
    severity: Severity::Error,
    summary: "Quote text written as a plain YAML scalar instead of a block literal or a quoted string.",
    why: "A plain YAML scalar (text written after `text:` without quotes or `|`) ends at ` #`, which starts a comment, and folds its line breaks into spaces, so a verbatim quote could lose words or change without any error. Quotes are written `text: |` with the words on the following, indented lines, or in quotes.",
};

/// Reports (E109) each text of `quote` written as a plain YAML scalar (one
/// that starts at a position of `plain`) instead of a block literal or a
/// quoted string. An empty text is reported as empty instead.
fn check_plain_text(file: &str, quote: &RawQuote, plain: &BTreeSet<(usize, Position)>, diagnostics: &mut Diagnostics) {
    let texts = quote.text.iter().chain(quote.turns.iter().flatten().map(RawTurn::text));
    for text in texts {
        if plain.contains(&(quote.file, text.at)) && !text.value.trim().is_empty() {
            diagnostics.push(
                Diagnostic::new(
                    Code::PlainQuoteText,
                    format!("the text of quote `{}` is a plain YAML scalar", quote.id.value),
                )
                .at(Location::at(file, text.at))
                .help("write quote text as a block literal (`|` and the text indented on the next lines) or in quotes; a plain scalar drops everything after ` #` and folds line breaks"),
            );
        }
    }
}

pub const UNBALANCED_BRACKETS: Rule = Rule {
    id: "W004",
    name: "unbalanced-brackets",
    severity: Severity::Warning,
    summary: "Quote text whose brackets `[` `]` do not pair up.",
    why: "Square brackets in a quote mark the researcher's words (`[...]` for an elision, `[my manager]` for a clarification); one left open or closed too soon blurs where the participant's words end, so the quote should be checked against the transcript.",
};

/// Reports square brackets that do not pair up: a `[...]` elision or a
/// `[clarification]` typed with one bracket missing.
fn check_brackets(file: &str, id: &str, text: &Sourced<String>, diagnostics: &mut Diagnostics) {
    let mut depth: i32 = 0;
    let mut balanced = true;
    for character in text.value.chars() {
        match character {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth < 0 {
                    balanced = false;
                }
            }
            _ => {}
        }
    }
    if depth != 0 || !balanced {
        diagnostics.push(
            Diagnostic::new(
                Code::UnbalancedBrackets,
                format!("the brackets in quote `{id}` do not pair up"),
            )
            .at(Location::at(file, text.at))
            .help("check the `[...]` elisions and `[clarifications]` against the transcript"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Position;

    fn text(value: &str) -> Sourced<String> {
        Sourced::new(value.to_owned(), Position::new(2, 5))
    }

    fn bracket_codes(value: &str) -> usize {
        let mut sink = Diagnostics::new();
        check_brackets("quotes.yaml", "q", &text(value), &mut sink);
        sink.count(crate::diagnostic::Severity::Warning)
    }

    #[test]
    fn brackets_must_pair() {
        assert_eq!(bracket_codes("a [...] b [my supervisor] c"), 0);
        assert_eq!(bracket_codes("a [... b"), 1);
        assert_eq!(bracket_codes("a ...] b [c"), 1);
    }

    #[test]
    fn quote_text_written_plain_is_refused_unless_empty() {
        let quote = |value: &str, line, file| RawQuote {
            id: text("q"),
            participant: text("1"),
            text: Some(Sourced::new(value.to_owned(), Position::new(line, 11))),
            turns: None,
            file,
        };
        let plain = BTreeSet::from([(0, Position::new(3, 11)), (0, Position::new(4, 11))]);
        let mut sink = Diagnostics::new();
        check_plain_text(
            "quotes/a.yaml",
            &quote("It was # not a comment", 3, 0),
            &plain,
            &mut sink,
        );
        check_plain_text("quotes/a.yaml", &quote("", 4, 0), &plain, &mut sink);
        check_plain_text("quotes/a.yaml", &quote("A block literal", 5, 0), &plain, &mut sink);
        // The same position in another file is another scalar.
        check_plain_text("quotes/b.yaml", &quote("A quoted string", 3, 1), &plain, &mut sink);
        let found = sink.into_sorted();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].code, Code::PlainQuoteText);
        assert_eq!(
            found[0].location,
            Some(Location::at("quotes/a.yaml", Position::new(3, 11)))
        );
    }

    #[test]
    fn a_quote_needs_exactly_one_form() {
        let mut sink = Diagnostics::new();
        let quote = RawQuote {
            id: text("q"),
            participant: text("1"),
            text: None,
            turns: Some(vec![RawTurn::Interviewer(text("Why?"))]),
            file: 0,
        };
        assert!(content("quotes.yaml", &quote, &mut sink).is_none());
        assert_eq!(sink.into_sorted()[0].code, Code::QuoteShape);
    }
}
