//! Editorial marks in quote text: the researchers' own words in square
//! brackets, a description standing for identifying words (`[name of
//! town]`) or an elision (`[...]`, `[…]`). Takes a quote's verbatim text and
//! gives it as [`Segment`]s, marks apart from the participant's words, for
//! templates to style, and the number of marks of a quote ([`Marks`]) for
//! reports. The segments of a text, joined, are that text, byte for byte:
//! nothing is added or dropped, brackets included.
//!
//! The outermost bracket pair is one mark, whatever it nests. Brackets that
//! do not pair up (which `check` warns about) are left as the participant's
//! words: a `]` with no `[` before it, and everything from a `[` that is
//! never closed.

use serde::Serialize;

use crate::model::QuoteContent;

/// What kind of editorial mark a segment is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mark {
    /// Words of the researchers standing for or explaining the
    /// participant's (`[name of town]`, `[my manager]`).
    Description,
    /// Words left out (`[...]` or `[…]`).
    Elision,
}

/// A run of a quote's text: the participant's words, or one editorial mark
/// with its brackets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Segment<'a> {
    /// The text, verbatim.
    pub text: &'a str,
    /// The kind of mark, or `None` for the participant's words.
    pub mark: Option<Mark>,
}

/// How many editorial marks a quote holds, by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Marks {
    /// Bracketed descriptions and clarifications.
    pub descriptions: usize,
    /// Elisions.
    pub elisions: usize,
}

impl Marks {
    /// Descriptions and elisions together.
    #[must_use]
    pub fn total(self) -> usize {
        self.descriptions + self.elisions
    }

    fn add(&mut self, mark: Mark) {
        match mark {
            Mark::Description => self.descriptions += 1,
            Mark::Elision => self.elisions += 1,
        }
    }
}

impl std::ops::AddAssign for Marks {
    fn add_assign(&mut self, other: Self) {
        self.descriptions += other.descriptions;
        self.elisions += other.elisions;
    }
}

/// `text` as segments, in order. A text without `[` is one segment.
#[must_use]
pub fn segments(text: &str) -> Vec<Segment<'_>> {
    if !text.contains('[') {
        return vec![Segment { text, mark: None }];
    }
    let mut segments = Vec::new();
    let mut plain_start = 0;
    for (range, mark) in marks_in(text) {
        if plain_start < range.start {
            segments.push(Segment {
                text: &text[plain_start..range.start],
                mark: None,
            });
        }
        segments.push(Segment {
            text: &text[range.clone()],
            mark: Some(mark),
        });
        plain_start = range.end;
    }
    if plain_start < text.len() || segments.is_empty() {
        segments.push(Segment {
            text: &text[plain_start..],
            mark: None,
        });
    }
    segments
}

/// The marks in one text.
#[must_use]
pub fn count(text: &str) -> Marks {
    let mut marks = Marks::default();
    if text.contains('[') {
        for (_, mark) in marks_in(text) {
            marks.add(mark);
        }
    }
    marks
}

/// The marks in a quote, in its text or in every turn of its exchange
/// (the interviewer's too).
#[must_use]
pub fn quote_marks(content: &QuoteContent) -> Marks {
    match content {
        QuoteContent::Text(text) => count(text),
        QuoteContent::Turns(turns) => {
            let mut total = Marks::default();
            for turn in turns {
                total += count(&turn.text);
            }
            total
        }
    }
}

/// The byte ranges of the outermost bracket pairs of `text`, brackets
/// included, with their kind.
fn marks_in(text: &str) -> impl Iterator<Item = (std::ops::Range<usize>, Mark)> + '_ {
    let mut depth = 0_usize;
    let mut start = 0;
    text.char_indices().filter_map(move |(at, character)| match character {
        '[' => {
            if depth == 0 {
                start = at;
            }
            depth += 1;
            None
        }
        ']' if depth > 0 => {
            depth -= 1;
            (depth == 0).then(|| {
                let range = start..at + 1;
                let mark = kind(&text[start + 1..at]);
                (range, mark)
            })
        }
        _ => None,
    })
}

/// An elision when the brackets hold only an ellipsis (three or more full
/// stops, or `…`, spaces allowed); a description otherwise.
fn kind(inside: &str) -> Mark {
    let inside = inside.trim();
    let only_dots = !inside.is_empty() && inside.chars().all(|character| matches!(character, '.' | '…' | ' '));
    let dots = inside.chars().filter(|&character| character == '.').count();
    if only_dots && (dots >= 3 || inside.contains('…')) {
        Mark::Elision
    } else {
        Mark::Description
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Speaker, Turn};

    fn plain(text: &str) -> Segment<'_> {
        Segment { text, mark: None }
    }

    fn description(text: &str) -> Segment<'_> {
        Segment {
            text,
            mark: Some(Mark::Description),
        }
    }

    fn elision(text: &str) -> Segment<'_> {
        Segment {
            text,
            mark: Some(Mark::Elision),
        }
    }

    /// The segments of `text`, checked to join up to `text` again.
    fn split(text: &str) -> Vec<Segment<'_>> {
        let found = segments(text);
        assert_eq!(found.iter().map(|segment| segment.text).collect::<String>(), text);
        found
    }

    #[test]
    fn text_without_marks_is_one_segment() {
        assert_eq!(split("I love the variety of it."), [plain("I love the variety of it.")]);
        assert_eq!(split(""), [plain("")]);
        assert_eq!(split("a ] stray closing bracket"), [plain("a ] stray closing bracket")]);
    }

    #[test]
    fn a_description_is_a_mark_between_the_participants_words() {
        assert_eq!(
            split("I grew up in [name of town], you know."),
            [
                plain("I grew up in "),
                description("[name of town]"),
                plain(", you know.")
            ]
        );
    }

    #[test]
    fn elisions_are_three_dots_or_an_ellipsis() {
        assert_eq!(
            split("it [...] was [\u{2026}] fine [ ... ] then [....]"),
            [
                plain("it "),
                elision("[...]"),
                plain(" was "),
                elision("[\u{2026}]"),
                plain(" fine "),
                elision("[ ... ]"),
                plain(" then "),
                elision("[....]"),
            ]
        );
    }

    #[test]
    fn too_few_dots_or_other_words_make_a_description() {
        assert_eq!(split("[..]"), [description("[..]")]);
        assert_eq!(split("[]"), [description("[]")]);
        assert_eq!(split("[... laughs]"), [description("[... laughs]")]);
    }

    #[test]
    fn several_marks_keep_their_order() {
        assert_eq!(
            split("[My supervisor] said [...] that [the incident] was over"),
            [
                description("[My supervisor]"),
                plain(" said "),
                elision("[...]"),
                plain(" that "),
                description("[the incident]"),
                plain(" was over"),
            ]
        );
    }

    #[test]
    fn marks_at_the_start_and_end_have_no_empty_segment() {
        assert_eq!(
            split("[...] and so on [...]"),
            [elision("[...]"), plain(" and so on "), elision("[...]")]
        );
        assert_eq!(
            split("[colleague][...]"),
            [description("[colleague]"), elision("[...]")]
        );
    }

    #[test]
    fn a_bracket_inside_a_word_is_a_mark_inside_the_word() {
        assert_eq!(
            split("she walk[ed] to [s]he"),
            [
                plain("she walk"),
                description("[ed]"),
                plain(" to "),
                description("[s]"),
                plain("he")
            ]
        );
    }

    #[test]
    fn nested_brackets_are_one_mark_the_outermost_pair() {
        assert_eq!(
            split("at [the [...] office] then"),
            [plain("at "), description("[the [...] office]"), plain(" then")]
        );
        assert_eq!(split("[[...]]"), [description("[[...]]")]);
        assert_eq!(
            count("at [the [...] office] [...]"),
            Marks {
                descriptions: 1,
                elisions: 1
            }
        );
    }

    #[test]
    fn brackets_that_do_not_pair_up_stay_the_participants_words() {
        assert_eq!(split("never [closed"), [plain("never [closed")]);
        assert_eq!(split("a] then [b]"), [plain("a] then "), description("[b]")]);
        assert_eq!(
            split("[a] and [b [c] open"),
            [description("[a]"), plain(" and [b [c] open")]
        );
        assert_eq!(
            count("[a] and [b [c] open"),
            Marks {
                descriptions: 1,
                elisions: 0
            }
        );
    }

    #[test]
    fn multibyte_text_around_marks_is_kept_whole() {
        assert_eq!(
            split("Zürich [Stadt] — “ok” […]"),
            [
                plain("Zürich "),
                description("[Stadt]"),
                plain(" — “ok” "),
                elision("[…]")
            ]
        );
    }

    #[test]
    fn marks_are_counted_by_kind() {
        assert_eq!(count("no marks"), Marks::default());
        let marks = count("[a] [...] [b] […] [c]");
        assert_eq!(
            marks,
            Marks {
                descriptions: 3,
                elisions: 2
            }
        );
        assert_eq!(marks.total(), 5);
    }

    #[test]
    fn a_quote_counts_the_marks_of_every_turn() {
        let text = QuoteContent::Text("[colleague] said [...]".to_owned());
        assert_eq!(
            quote_marks(&text),
            Marks {
                descriptions: 1,
                elisions: 1
            }
        );
        let turns = QuoteContent::Turns(vec![
            Turn {
                speaker: Speaker::Interviewer,
                text: "And [name of manager]?".to_owned(),
            },
            Turn {
                speaker: Speaker::Participant,
                text: "Yes [...] and [...] no [town].".to_owned(),
            },
        ]);
        assert_eq!(
            quote_marks(&turns),
            Marks {
                descriptions: 2,
                elisions: 2
            }
        );
    }
}
