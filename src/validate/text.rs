//! Free text: required texts are not empty, text is stored in NFC, and
//! control, bidirectional-override and other invisible characters are
//! reported.
//!
//! Input: a text value with its position. Output: the NFC text, and
//! diagnostics. Messages never repeat the text itself.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location, Rule, Severity};
use crate::source::Sourced;

/// Whether `character` is an invisible bidirectional control that can make
/// text display differently from what it says.
#[must_use]
pub const fn is_bidi_control(character: char) -> bool {
    matches!(character, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

fn is_suspicious(character: char) -> bool {
    (character.is_control() && character != '\n' && character != '\t') || is_bidi_control(character)
}

/// Whether `character` is an invisible formatting character that is not a
/// control or bidirectional one: zero-width spaces and joiners, the byte
/// order mark, the soft hyphen, invisible operators, fillers and tags.
/// They hide in copied text and make equal-looking words differ.
#[must_use]
pub const fn is_invisible_format(character: char) -> bool {
    matches!(
        character,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2060}'..='\u{2064}'
            | '\u{206A}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// The first invisible formatting character of `text` that is not part of
/// its writing: a zero-width joiner or non-joiner between two non-ASCII
/// characters is how Persian, Indic scripts and emoji sequences are written,
/// so it is not reported there.
fn invisible_in(text: &str) -> Option<char> {
    text.char_indices().find_map(|(offset, character)| {
        if !is_invisible_format(character) {
            return None;
        }
        let in_script =
            |neighbour: Option<char>| neighbour.is_some_and(|near| !near.is_ascii() && !near.is_whitespace());
        let joins_script = matches!(character, '\u{200C}' | '\u{200D}')
            && in_script(text[..offset].chars().next_back())
            && in_script(text[offset + character.len_utf8()..].chars().next());
        (!joins_script).then_some(character)
    })
}

/// Whether `text` is printable ASCII, line breaks and tabs only: text with
/// no control, bidirectional or invisible character, already in NFC.
fn is_plain_ascii(text: &str) -> bool {
    text.bytes().all(|byte| matches!(byte, b' '..=b'~' | b'\n' | b'\t'))
}

/// `text` in NFC. Most text already is, and is copied as it is.
fn nfc(text: &str) -> String {
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        text.to_owned()
    } else {
        text.nfc().collect()
    }
}

pub const EMPTY_FIELD: Rule = Rule {
    id: "E303",
    name: "empty-field",
    severity: Severity::Error,
    summary: "A required text is empty.",
    why: "A required text that is empty (a quote with no words, a role with no definition) would leave a gap on the site that looks like a fault in the page rather than in the data.",
};

pub const SUSPICIOUS_CHARACTER: Rule = Rule {
    id: "W005",
    name: "suspicious-character",
    severity: Severity::Warning,
    summary: "Text with a control or bidirectional-override character.",
    why: "Control and bidirectional-override characters can make text display differently from what it says (the \"Trojan Source\" problem), so a quote or a name could read one way and mean another; they never belong in study text.",
};

pub const INVISIBLE_CHARACTER: Rule = Rule {
    id: "W008",
    name: "invisible-character",
    severity: Severity::Warning,
    summary: "Text with a zero-width or other invisible formatting character (U+200B, U+FEFF, U+00AD, ...).",
    why: "Zero-width spaces, byte-order marks, soft hyphens and other invisible formatting characters come with text copied from web pages and word processors; they make equal-looking words differ in search and comparison. A joiner inside a script or an emoji sequence is writing, and is not reported.",
};

/// Checks one text of `file` and returns it in NFC. `what` names the text in
/// messages (e.g. "the description of service `2`").
pub fn checked(file: &str, what: &str, text: &Sourced<String>, diagnostics: &mut Diagnostics) -> String {
    if text.value.trim().is_empty() {
        diagnostics.push(
            Diagnostic::new(Code::EmptyField, format!("{what} is empty"))
                .at(Location::at(file, text.at))
                .help("write the text, or remove the record if it is not needed"),
        );
    }
    if is_plain_ascii(&text.value) {
        // Nothing below can fire, and ASCII is its own NFC: most quotes of
        // an English study take this way.
        return text.value.clone();
    }
    if let Some(character) = text.value.chars().find(|character| is_suspicious(*character)) {
        diagnostics.push(
            Diagnostic::new(
                Code::SuspiciousCharacter,
                format!("{what} contains the invisible character U+{:04X}", u32::from(character)),
            )
            .at(Location::at(file, text.at))
            .help("remove it; control and bidirectional-override characters can make text display differently from what it says"),
        );
    }
    if let Some(character) = invisible_in(&text.value) {
        diagnostics.push(
            Diagnostic::new(
                Code::InvisibleCharacter,
                format!("{what} contains the invisible character U+{:04X}", u32::from(character)),
            )
            .at(Location::at(file, text.at))
            .help("remove it (it often comes with text copied from a web page or a word processor); invisible characters make equal-looking words differ in search and comparison"),
        );
    }
    nfc(&text.value)
}

/// Like [`checked`] for an optional text.
pub fn checked_optional(
    file: &str,
    what: &str,
    text: Option<&Sourced<String>>,
    diagnostics: &mut Diagnostics,
) -> Option<String> {
    text.map(|text| checked(file, what, text, diagnostics))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Position;

    fn check(value: &str) -> (String, Vec<Code>) {
        let mut sink = Diagnostics::new();
        let text = Sourced::new(value.to_owned(), Position::new(1, 1));
        let stored = checked("f.yaml", "the text", &text, &mut sink);
        (stored, sink.into_sorted().into_iter().map(|found| found.code).collect())
    }

    #[test]
    fn plain_ascii_is_only_printable_ascii() {
        assert!(is_plain_ascii("Plain words,\n\tand a tab ~"));
        for text in ["a\u{7}b", "a\rb", "a\u{7f}b", "caf\u{e9}", "a\u{200B}b"] {
            assert!(!is_plain_ascii(text), "{text:?}");
        }
    }

    #[test]
    fn stores_nfc() {
        assert_eq!(check("Cafe\u{301}").0, "Caf\u{e9}");
        // Text the quick check cannot settle is normalised in full.
        assert_eq!(check("\u{1100}\u{1161}").0, "\u{AC00}");
        assert_eq!(check("Caf\u{e9} as it is").0, "Caf\u{e9} as it is");
    }

    #[test]
    fn reports_empty_and_invisible_characters() {
        assert_eq!(check("  \n").1, vec![Code::EmptyField]);
        assert_eq!(check("a\u{202e}b").1, vec![Code::SuspiciousCharacter]);
        assert_eq!(check("a\u{7}b").1, vec![Code::SuspiciousCharacter]);
        assert!(check("line one\n\tline two").1.is_empty());
    }

    #[test]
    fn reports_zero_width_and_other_invisible_characters() {
        for text in [
            "Jane\u{200B}Smith",
            "\u{FEFF}quote",
            "soft\u{AD}hyphen",
            "a\u{2060}b",
            "tag\u{E0041}",
        ] {
            assert_eq!(check(text).1, vec![Code::InvisibleCharacter], "{text:?}");
        }
        assert_eq!(check("a\u{200D}b").1, vec![Code::InvisibleCharacter]);
        // A joiner at either end of the text joins nothing.
        assert_eq!(check("\u{200C}\u{645}").1, vec![Code::InvisibleCharacter]);
        assert_eq!(check("\u{645}\u{200D}").1, vec![Code::InvisibleCharacter]);
        // Joiners inside a script or an emoji sequence are writing, not noise.
        for text in [
            "\u{645}\u{6CC}\u{200C}\u{62E}\u{648}\u{627}\u{647}\u{645}",
            "\u{1F469}\u{200D}\u{1F4BB}",
        ] {
            assert!(check(text).1.is_empty(), "{text:?}");
        }
    }
}
