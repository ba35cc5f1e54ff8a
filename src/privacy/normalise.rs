//! The one normal form in which deny-list terms and scanned text are
//! compared: HTML entities decoded, tags of markup left out (attribute
//! values kept as text), invisible characters removed, compatibility
//! decomposition (NFKD, which equates exactly what NFKC equates, and can
//! be done a character at a time so each character keeps its place),
//! lower case, and every run of whitespace one space.
//!
//! Inline tags (`<span>`, `<em>`, `<a>`, ...) join the text around them, so
//! `Ja<span>ne</span>` reads `jane`; every other tag separates words.

use unicode_normalization::char::decompose_compatible;

/// Text in the normal form and, when asked for, the byte offset in the
/// original text of each of its bytes.
#[derive(Debug, Default)]
pub struct Normalised {
    /// The normalised text.
    pub text: String,
    /// For each byte of `text`, the offset of the original character
    /// (study files are at most 64 MiB, so it fits); empty when not asked for.
    pub origin: Vec<u32>,
    /// Whether `origin` is kept.
    track: bool,
}

impl Normalised {
    fn push(&mut self, character: char, origin: usize) {
        if character.is_whitespace() {
            if self.text.is_empty() || self.text.ends_with(' ') {
                return;
            }
            self.push_one(' ', origin);
            return;
        }
        for lower in character.to_lowercase() {
            self.push_one(plain_punctuation(lower), origin);
        }
    }

    fn push_one(&mut self, character: char, origin: usize) {
        self.text.push(character);
        if self.track {
            let origin = u32::try_from(origin).unwrap_or(u32::MAX);
            self.origin.extend(std::iter::repeat_n(origin, character.len_utf8()));
        }
    }

    fn separate(&mut self, origin: usize) {
        self.push(' ', origin);
    }
}

/// The ASCII apostrophe for typographic apostrophes and single quotes,
/// and the ASCII hyphen for Unicode hyphens and dashes: text pasted from a
/// word processor writes `St Mary’s` and `Stoke‑on‑Trent` where the
/// deny-list says `St Mary's` and `Stoke-on-Trent` (NFKD leaves them).
const fn plain_punctuation(character: char) -> char {
    match character {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' | '\u{FF07}' => '\'',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        other => other,
    }
}

/// Whether `text` is markup (HTML, SVG, XML), whose tags are not text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Plain text, Markdown, YAML, CSS, JSON: entities are still decoded
    /// (Markdown reads them).
    Text,
    /// Markup: tags are left out, their attribute values kept.
    Markup,
}

/// Puts `text` into the normal form, keeping the origin of each byte when
/// `track` is set.
#[must_use]
pub fn normalise(text: &str, kind: Kind, track: bool) -> Normalised {
    let mut out = Normalised {
        text: String::with_capacity(text.len()),
        origin: Vec::with_capacity(if track { text.len() } else { 0 }),
        track,
    };
    let mut index = 0;
    while index < text.len() {
        let rest = &text[index..];
        if kind == Kind::Markup && rest.starts_with('<') {
            index = tag(text, index, &mut out);
            continue;
        }
        let (character, length) = if rest.starts_with('&') {
            entity(rest).unwrap_or(('&', 1))
        } else {
            let character = rest.chars().next().unwrap_or(' ');
            (character, character.len_utf8())
        };
        add(character, index, &mut out);
        index += length;
    }
    if out.text.ends_with(' ') {
        out.text.pop();
        out.origin.pop();
    }
    out
}

/// Adds one character of text, decomposed, without invisible characters.
fn add(character: char, origin: usize, out: &mut Normalised) {
    decompose_compatible(character, |part| {
        if !is_invisible(part) {
            out.push(part, origin);
        }
    });
}

/// Tags that do not separate words.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp", "small",
    "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "tspan",
];

/// Reads the tag (or comment) starting at `start`, adds its attribute
/// values as separate words, and gives the offset after it.
fn tag(text: &str, start: usize, out: &mut Normalised) -> usize {
    if text[start..].starts_with("<!--") {
        // A comment's words are published bytes too: read them as text.
        out.separate(start);
        return start + 4;
    }
    let bytes = text.as_bytes();
    let mut index = start + 1;
    let name_start = index + usize::from(bytes.get(index) == Some(&b'/'));
    let mut name_end = name_start;
    while name_end < bytes.len() && bytes[name_end].is_ascii_alphanumeric() {
        name_end += 1;
    }
    let name = text[name_start..name_end].to_ascii_lowercase();
    if name.is_empty() && !text[start..].starts_with("<!") && !text[start..].starts_with("</") {
        // A lone `<` in text (not valid markup, but possible): it is text.
        add('<', start, out);
        return start + 1;
    }
    let inline = INLINE.contains(&name.as_str());
    if !inline {
        out.separate(start);
    }
    index = name_end;
    while index < bytes.len() {
        match bytes[index] {
            b'>' => {
                if !inline {
                    out.separate(index);
                }
                return index + 1;
            }
            quote @ (b'"' | b'\'') => {
                let end = text[index + 1..]
                    .find(char::from(quote))
                    .map_or(text.len(), |found| index + 1 + found);
                out.separate(index);
                value(text, index + 1, end, out);
                out.separate(end);
                index = end + 1;
            }
            _ => index += 1,
        }
    }
    text.len()
}

/// Adds an attribute value, entities decoded.
fn value(text: &str, start: usize, end: usize, out: &mut Normalised) {
    let mut index = start;
    while index < end {
        let rest = &text[index..end];
        let (character, length) = if rest.starts_with('&') {
            entity(rest).unwrap_or(('&', 1))
        } else {
            let character = rest.chars().next().unwrap_or(' ');
            (character, character.len_utf8())
        };
        add(character, index, out);
        index += length;
    }
}

/// The character of the entity `text` starts with, and its length: the
/// numeric ones and the named ones findings' escaper, pulldown-cmark and
/// Tera write, plus the common spaces and hyphens.
fn entity(text: &str) -> Option<(char, usize)> {
    let end = text.bytes().take(34).position(|byte| byte == b';')?;
    let body = &text[1..end];
    let character = if let Some(number) = body.strip_prefix('#') {
        let value = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        char::from_u32(value)?
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            "shy" => '\u{ad}',
            "ensp" => '\u{2002}',
            "emsp" => '\u{2003}',
            "thinsp" => '\u{2009}',
            "zwsp" | "ZeroWidthSpace" => '\u{200b}',
            "zwnj" => '\u{200c}',
            "zwj" => '\u{200d}',
            "ndash" => '\u{2013}',
            "mdash" => '\u{2014}',
            "lsquo" => '\u{2018}',
            "rsquo" => '\u{2019}',
            "ldquo" => '\u{201c}',
            "rdquo" => '\u{201d}',
            "hellip" => '\u{2026}',
            _ => return None,
        }
    };
    Some((character, end + 1))
}

/// Default-ignorable code points (Unicode's `Default_Ignorable_Code_Point`):
/// drawn as nothing, so they can hide inside a word.
const fn is_invisible(character: char) -> bool {
    matches!(character,
        '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}'..='\u{1160}' | '\u{17b4}'..='\u{17b5}'
        | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{ffa0}'
        | '\u{fff0}'..='\u{fff8}' | '\u{1bca0}'..='\u{1bca3}' | '\u{1d173}'..='\u{1d17a}'
        | '\u{e0000}'..='\u{e0fff}')
}

/// Whether `character` (of normalised text) belongs to a word: a letter,
/// a digit or a combining mark.
#[must_use]
pub fn is_word(character: char) -> bool {
    character.is_alphanumeric()
        || matches!(character, '\u{300}'..='\u{36f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> String {
        normalise(text, Kind::Text, false).text
    }

    fn markup(text: &str) -> String {
        normalise(text, Kind::Markup, false).text
    }

    #[test]
    fn entities_invisible_characters_width_case_and_spaces_are_undone() {
        assert_eq!(plain("&#x41;nn &#65;NN &amp; B"), "ann ann & b");
        assert_eq!(plain("Jo\u{ad}hn\u{200b}ny"), "johnny");
        assert_eq!(plain("ＪＡＮＥ"), "jane");
        assert_eq!(plain("Jane\n   \t Smith"), "jane smith");
        assert_eq!(plain("  x  "), "x");
    }

    #[test]
    fn typographic_apostrophes_hyphens_and_dashes_are_plain() {
        assert_eq!(plain("St Mary\u{2019}s"), plain("St Mary's"));
        assert_eq!(plain("O\u{2018}Brien"), "o'brien");
        for dash in ['\u{2010}', '\u{2011}', '\u{2013}', '\u{2014}', '\u{2212}'] {
            assert_eq!(
                plain(&format!("Stoke{dash}on{dash}Trent")),
                "stoke-on-trent",
                "{dash:?}"
            );
        }
    }

    #[test]
    fn composed_and_decomposed_letters_are_equal() {
        assert_eq!(plain("Jos\u{e9}"), plain("Jose\u{301}"));
    }

    #[test]
    fn tags_are_left_out_and_attribute_values_kept() {
        assert_eq!(markup("<p>Ja<span>ne</span></p><p>Smith</p>"), "jane smith");
        assert_eq!(markup(r#"<img alt="Jane &#x53;mith" src="a.png">"#), "jane smith a.png");
        assert_eq!(markup("<!-- Jane -->"), "jane -->");
        assert_eq!(markup("a < b"), "a < b");
    }

    #[test]
    fn each_byte_knows_its_origin() {
        let found = normalise("x &#x41;b", Kind::Text, true);
        assert_eq!(found.text, "x ab");
        assert_eq!(found.origin, vec![0, 1, 2, 8]);
    }

    #[test]
    fn an_unknown_or_unfinished_entity_is_text() {
        assert_eq!(plain("&bogus; &#xZZ; &"), "&bogus; &#xzz; &");
    }
}
