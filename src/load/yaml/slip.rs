//! What to type to fix a YAML syntax error a new author is likely to have
//! made, found by looking at the text around the error: a tab used for
//! indentation, a colon in an unquoted value, a value that starts with `[`
//! or `{`, a key without its colon.
//!
//! Input: the file's text and the line the parser stopped at. Output: the
//! place of the slip (which may be an earlier line than the parser's, for a
//! tab) and a help that names the fix, or `None` when the line shows none
//! of these slips (a key without its colon counts only for a key of the
//! study format). The help may quote the line: redacted output replaces it.

use crate::load::raw;
use crate::source::Position;

/// A recognised slip: where it is and what to type.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Slip {
    /// The place of the slip.
    pub at: Position,
    /// The fix, in words a non-programmer can follow.
    pub help: String,
}

/// The slip that explains a syntax error found on line `error_line`
/// (1-based) of `text`, if any.
pub(super) fn slip(text: &str, error_line: u32) -> Option<Slip> {
    let lines: Vec<&str> = text.lines().collect();
    let last = usize::try_from(error_line).ok()?.min(lines.len());
    // The parser may stop on the line before a tab: look at the error's
    // line and the next one only, since a tab inside a block of text
    // elsewhere is no mistake.
    let tab = lines
        .iter()
        .enumerate()
        .take(last.saturating_add(1))
        .skip(last.saturating_sub(1))
        .find_map(|(index, line)| indentation_tab(line).map(|column| (index, column)));
    if let Some((index, column)) = tab {
        return Some(Slip {
            at: position(index, column),
            help: format!("replace the tab at column {column} with spaces: YAML indents with spaces only"),
        });
    }
    // The slip is on the error's line, or, for a key that lost its colon,
    // on the line before: the parser stops only where the next line no
    // longer fits (`- id carer` then `name: Carer`, or `roles` then its list).
    let index = last.checked_sub(1)?;
    let on_line = |index: usize| {
        line_slip(lines.get(index)?).map(|(column, help)| Slip {
            at: position(index, column),
            help,
        })
    };
    let alone = |index: usize| {
        key_alone(lines.get(index)?).map(|(column, help)| Slip {
            at: position(index, column),
            help,
        })
    };
    on_line(index)
        .or_else(|| alone(index))
        .or_else(|| alone(index.checked_sub(1)?))
        .or_else(|| on_line(index.checked_sub(1)?))
}

/// The slip of a value on one line, for a value of the wrong kind: a
/// value that starts with `[` or `{` (read as a list or mapping), or an
/// unquoted value or list item with a colon and a space in it.
pub(super) fn value_slip(text: &str, line: u32) -> Option<Slip> {
    let index = usize::try_from(line).ok()?.checked_sub(1)?;
    let line = text.lines().nth(index)?;
    if let Some((column, help)) = line_slip(line) {
        return Some(Slip {
            at: position(index, column),
            help,
        });
    }
    // A list item `- care homes: nights` is read as a mapping.
    let item = line.trim_start_matches(' ').strip_prefix("- ")?;
    let unquoted = !item.starts_with(['"', '\'', '|', '>', '&', '*', '!', '[', '{']);
    (unquoted && item.contains(": ")).then(|| Slip {
        at: position(index, line.len() - item.len() + 1),
        help: format!(
            "a colon followed by a space makes this item a mapping: put the item in double quotes: - {}",
            quoted(item.trim_end())
        ),
    })
}

/// A key of the study format alone on its line, without its colon
/// (`roles`, then its list): the column and the help.
fn key_alone(line: &str) -> Option<(usize, String)> {
    let (start, entry) = entry_of(line);
    let key = entry.trim_end();
    (key_length(key)? == key.len() && raw::schema_key(key).is_some()).then(|| {
        (
            line[..start].chars().count() + 1,
            format!("add a colon after `{key}`: {key}:"),
        )
    })
}

fn position(index: usize, column: usize) -> Position {
    Position::new(
        u32::try_from(index + 1).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

/// The 1-based column of the first tab in the indentation of `line`.
fn indentation_tab(line: &str) -> Option<usize> {
    line.chars()
        .take_while(|character| matches!(character, ' ' | '\t'))
        .position(|character| character == '\t')
        .map(|index| index + 1)
}

/// The column and help for a slip on one line that has no tab in its
/// indentation.
fn line_slip(line: &str) -> Option<(usize, String)> {
    let (start, entry) = entry_of(line);
    let key_length = key_length(entry)?;
    let key = &entry[..key_length];
    let after_key = &entry[key_length..];
    let column = |offset: usize| line[..offset].chars().count() + 1;
    if let Some(rest) = after_key.strip_prefix(':') {
        let value = rest.trim();
        if value.is_empty() || !rest.starts_with([' ', '\t']) {
            return None;
        }
        let value_offset = start + key_length + 1 + (rest.len() - rest.trim_start().len());
        if value.starts_with(['[', '{']) {
            return Some((
                column(value_offset),
                format!(
                    "a value that starts with `{}` is read as a list or mapping: quote it, or write it as a block with `|`: {key}: {}",
                    &value[..1],
                    quoted(value)
                ),
            ));
        }
        let unquoted = !value.starts_with(['"', '\'', '|', '>', '&', '*', '!']);
        if unquoted && (value.contains(": ") || value.ends_with(':')) {
            return Some((
                column(value_offset),
                format!(
                    "a colon followed by a space ends a key: put the value in double quotes: {key}: {}",
                    quoted(value)
                ),
            ));
        }
        return None;
    }
    // Only a key of the study format: a line of text that lost its
    // indentation also lacks a colon, and wants re-indenting instead.
    raw::schema_key(key)?;
    let value = after_key.strip_prefix([' ', '\t'])?.trim();
    if value.is_empty() {
        return None;
    }
    Some((column(start), format!("add a colon after `{key}`: {key}: {value}")))
}

/// The offset where the key of `line` starts (after indentation and any
/// `- ` list markers), and the text from there.
fn entry_of(line: &str) -> (usize, &str) {
    let mut rest = line.trim_start_matches(' ');
    while let Some(item) = rest.strip_prefix("- ") {
        rest = item.trim_start_matches(' ');
    }
    (line.len() - rest.len(), rest)
}

/// The length of the key `entry` starts with: a letter or `_`, then
/// letters, digits, `_` and `-`.
fn key_length(entry: &str) -> Option<usize> {
    let first = entry.chars().next()?;
    if !(first.is_ascii_alphabetic() || first == '_') {
        return None;
    }
    Some(
        entry
            .find(|character: char| !(character.is_ascii_alphanumeric() || matches!(character, '_' | '-')))
            .unwrap_or(entry.len()),
    )
}

/// `value` in double quotes, with `\` and `"` escaped.
fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help(text: &str, line: u32) -> Option<(u32, u32, String)> {
        slip(text, line).map(|found| (found.at.line, found.at.column, found.help))
    }

    #[test]
    fn a_key_that_lost_its_colon_is_named_on_its_own_line() {
        // The parser stops on the next line; the slip is the one before.
        let text = "roles:\n  - id carer\n    name: Carer\n";
        assert_eq!(
            help(text, 3),
            Some((2, 5, "add a colon after `id`: id: carer".to_owned()))
        );
        let text = "roles\n  - id: nurse\n";
        assert_eq!(
            help(text, 2),
            Some((1, 1, "add a colon after `roles`: roles:".to_owned()))
        );
    }

    #[test]
    fn a_whole_value_in_brackets_or_an_item_with_a_colon_is_told_to_quote() {
        let found = value_slip("roles:\n  - definition: [Senior]\n", 2).expect("a slip");
        assert_eq!((found.at.line, found.at.column), (2, 17));
        assert!(found.help.contains("definition: \"[Senior]\""), "{}", found.help);
        let found = value_slip("keywords:\n  - care homes: nights\n", 2).expect("a slip");
        assert_eq!((found.at.line, found.at.column), (2, 5));
        assert!(found.help.ends_with("- \"care homes: nights\""), "{}", found.help);
        assert_eq!(value_slip("keywords:\n  - care homes\n", 2), None);
    }

    #[test]
    fn a_tab_in_the_indentation_is_named_on_its_own_line() {
        let text = "participants:\n  - id: 1a\n  \tservice: \"1\"\n";
        // The parser stops on line 2; the tab is on line 3.
        assert_eq!(
            help(text, 2),
            Some((
                3,
                3,
                "replace the tab at column 3 with spaces: YAML indents with spaces only".to_owned()
            ))
        );
    }

    #[test]
    fn a_colon_in_an_unquoted_value_asks_for_quotes() {
        let text = "title: A study\njournal: Health: Care\n";
        assert_eq!(
            help(text, 2),
            Some((
                2,
                10,
                "a colon followed by a space ends a key: put the value in double quotes: journal: \"Health: Care\""
                    .to_owned()
            ))
        );
    }

    #[test]
    fn a_value_starting_with_a_bracket_asks_for_quotes_or_a_block() {
        let text = "quotes:\n  - id: q\n    text: [...] and \"so\" on\n";
        let (line, column, found) = help(text, 3).unwrap();
        assert_eq!((line, column), (3, 11));
        assert_eq!(
            found,
            "a value that starts with `[` is read as a list or mapping: quote it, or write it as a block with `|`: text: \"[...] and \\\"so\\\" on\""
        );
    }

    #[test]
    fn a_key_without_its_colon_asks_for_one() {
        let text = "participants:\n  - id: 1a\n    service \"1\"\n";
        assert_eq!(
            help(text, 3),
            Some((3, 5, "add a colon after `service`: service: \"1\"".to_owned()))
        );
    }

    #[test]
    fn other_lines_give_no_hint() {
        assert_eq!(help("title: \"a: b\"\n", 1), None);
        assert_eq!(help("title: a\n  - b\n", 2), None);
        assert_eq!(help("title:\n", 1), None);
        assert_eq!(help("", 1), None);
        assert_eq!(help("title: x\n", 9), None);
        // Not a key of the study format: text that lost its indentation.
        assert_eq!(help("text: |\n  one\nmore words\n", 3), None);
        // A tab inside a block of text two lines above is no slip.
        assert_eq!(help("text: |\n  \tone\nid: a\n  - b\n", 4), None);
    }
}
