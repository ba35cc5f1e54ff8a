//! The syntax of in-text citations (the pandoc convention), shared by the
//! loader, which checks that every key resolves, and the renderer, which
//! turns citations into links.
//!
//! Input: a run of plain text from a Markdown paragraph. Output: where the
//! citations are in it and what they say. Pure functions, no I/O.

use std::ops::Range;

/// One cited work inside a citation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cite {
    /// The reference id after `@`.
    pub key: String,
    /// Byte range of `@key` in the text.
    pub key_range: Range<usize>,
    /// Text before the key, such as `see` in `[see @key]`.
    pub prefix: Option<String>,
    /// `[-@key]`: show the year only.
    pub suppress_author: bool,
    /// A locator such as `p. 7`, if given.
    pub locator: Option<String>,
}

/// How a citation reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CitationForm {
    /// `[@a; @b, p. 2]`: "(A, 2001; B, 2002, p. 2)".
    Parenthetical,
    /// `@a` or `@a [p. 2]`: "A (2001)" or "A (2001, p. 2)".
    Narrative,
}

/// A citation found in text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Citation {
    /// Byte range of the whole citation in the text.
    pub range: Range<usize>,
    /// How it reads.
    pub form: CitationForm,
    /// The works cited, in order (one for a narrative citation).
    pub cites: Vec<Cite>,
}

/// Every citation in `text`, in order.
#[must_use]
pub fn find_citations(text: &str) -> Vec<Citation> {
    let mut found = Vec::new();
    let mut index = 0;
    while index < text.len() {
        let rest = &text[index..];
        let Some(next) = rest.find(['[', '@']) else { break };
        let start = index + next;
        if text[start..].starts_with('[') {
            if let Some(citation) = bracketed(text, start) {
                index = citation.range.end;
                found.push(citation);
                continue;
            }
        } else if let Some(citation) = narrative(text, start) {
            index = citation.range.end;
            found.push(citation);
            continue;
        }
        index = start + 1;
    }
    found
}

/// The length in bytes of a citation key at the start of `text`.
fn key_length(text: &str) -> usize {
    let mut end = 0;
    for (index, character) in text.char_indices() {
        let allowed = if index == 0 {
            character.is_ascii_alphanumeric()
        } else {
            character.is_ascii_alphanumeric() || character == '-' || character == '_'
        };
        if !allowed {
            break;
        }
        end = index + character.len_utf8();
    }
    // A key never ends in punctuation: "@smith2001-" is "@smith2001" then "-".
    while end > 0 && matches!(text.as_bytes()[end - 1], b'-' | b'_') {
        end -= 1;
    }
    end
}

fn bracketed(text: &str, start: usize) -> Option<Citation> {
    // The first bracket after `[` must be the `]` that closes it. Stopping
    // at the first bracket of either kind keeps a long run of `[` linear.
    let close = start + 1 + text[start + 1..].find(['[', ']'])?;
    let inner = &text[start + 1..close];
    if text.as_bytes()[close] != b']' || !inner.contains('@') {
        return None;
    }
    let mut cites = Vec::new();
    let mut part_start = start + 1;
    for part in inner.split(';') {
        let at = part.find('@')?;
        let before = &part[..at];
        if before.chars().next_back().is_some_and(char::is_alphanumeric) {
            return None;
        }
        let (suppress_author, prefix) = match before.trim_end().strip_suffix('-') {
            Some(prefix) if before.ends_with('-') => (true, prefix.trim()),
            _ => (false, before.trim()),
        };
        let after_sign = &part[at + 1..];
        let length = key_length(after_sign);
        if length == 0 || prefix.contains(['[', ']']) {
            return None;
        }
        let key = &after_sign[..length];
        let key_start = part_start + at;
        let tail = after_sign[length..].trim();
        let locator = tail.strip_prefix(',').unwrap_or(tail).trim();
        if locator.contains(['[', ']']) {
            return None;
        }
        cites.push(Cite {
            key: key.to_owned(),
            key_range: key_start..key_start + 1 + length,
            prefix: (!prefix.is_empty()).then(|| prefix.to_owned()),
            suppress_author,
            locator: (!locator.is_empty()).then(|| locator.to_owned()),
        });
        part_start += part.len() + 1;
    }
    Some(Citation {
        range: start..close + 1,
        form: CitationForm::Parenthetical,
        cites,
    })
}

fn narrative(text: &str, start: usize) -> Option<Citation> {
    let preceded_by_word = text[..start]
        .chars()
        .next_back()
        .is_some_and(|before| before.is_alphanumeric() || before == '_' || before == '.' || before == '-');
    if preceded_by_word {
        return None;
    }
    let length = key_length(&text[start + 1..]);
    if length == 0 {
        return None;
    }
    let key_end = start + 1 + length;
    let mut end = key_end;
    let mut locator = None;
    let after = &text[key_end..];
    // The locator runs to the first `]`, and may hold no `@` or `[`: stop at
    // the first of the three, so that the search stays linear.
    if let Some(bracket) = after.strip_prefix(" [")
        && let Some(close) = bracket.find([']', '@', '['])
        && bracket.as_bytes()[close] == b']'
    {
        let inside = &bracket[..close];
        if !inside.trim().is_empty() {
            locator = Some(inside.trim().to_owned());
            end = key_end + 2 + close + 1;
        }
    }
    Some(Citation {
        range: start..end,
        form: CitationForm::Narrative,
        cites: vec![Cite {
            key: text[start + 1..key_end].to_owned(),
            key_range: start..key_end,
            prefix: None,
            suppress_author: false,
            locator,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<Vec<String>> {
        find_citations(text)
            .into_iter()
            .map(|citation| citation.cites.into_iter().map(|cite| cite.key).collect())
            .collect()
    }

    #[test]
    fn finds_parenthetical_citations_with_locators() {
        let text = "as shown [@smith2001, p. 7; -@jones-2002] here";
        let found = find_citations(text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.clone()], "[@smith2001, p. 7; -@jones-2002]");
        assert_eq!(found[0].form, CitationForm::Parenthetical);
        assert_eq!(found[0].cites[0].locator.as_deref(), Some("p. 7"));
        assert!(found[0].cites[1].suppress_author);
        assert_eq!(&text[found[0].cites[1].key_range.clone()], "@jones-2002");
    }

    #[test]
    fn a_suffix_needs_no_comma() {
        let found = find_citations("[@smith2001 and others]");
        assert_eq!(found[0].cites[0].locator.as_deref(), Some("and others"));
    }

    #[test]
    fn keeps_prefixes_and_suffixes() {
        let text = "[see @a2001; cited in @b2002, see Table 1]";
        let found = find_citations(text);
        assert_eq!(found[0].cites[0].prefix.as_deref(), Some("see"));
        assert_eq!(found[0].cites[1].prefix.as_deref(), Some("cited in"));
        assert_eq!(found[0].cites[1].locator.as_deref(), Some("see Table 1"));
        assert_eq!(&text[found[0].cites[1].key_range.clone()], "@b2002");
    }

    #[test]
    fn finds_narrative_citations() {
        let text = "@smith2001 says, and @jones2002 [p. 3] agrees; @lee2003’s view.";
        let found = find_citations(text);
        assert_eq!(keys(text), vec![vec!["smith2001"], vec!["jones2002"], vec!["lee2003"]]);
        assert_eq!(found[1].cites[0].locator.as_deref(), Some("p. 3"));
        assert_eq!(&text[found[1].range.clone()], "@jones2002 [p. 3]");
    }

    #[test]
    fn ignores_emails_elisions_and_plain_brackets() {
        assert!(keys("mail a.b@example.org or [...] or [see below] or [@]").is_empty());
        assert!(keys("[@]").is_empty());
        assert_eq!(keys("end of sentence @smith2001."), vec![vec!["smith2001"]]);
    }
}
