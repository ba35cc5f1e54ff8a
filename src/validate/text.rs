//! Free text: required texts are not empty, text is stored in NFC, and
//! control or bidirectional-override characters are reported.
//!
//! Input: a text value with its position. Output: the NFC text, and
//! diagnostics. Messages never repeat the text itself.

use unicode_normalization::UnicodeNormalization;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
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
    text.value.nfc().collect()
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
    fn stores_nfc() {
        assert_eq!(check("Cafe\u{301}").0, "Caf\u{e9}");
    }

    #[test]
    fn reports_empty_and_invisible_characters() {
        assert_eq!(check("  \n").1, vec![Code::EmptyField]);
        assert_eq!(check("a\u{202e}b").1, vec![Code::SuspiciousCharacter]);
        assert_eq!(check("a\u{7}b").1, vec![Code::SuspiciousCharacter]);
        assert!(check("line one\n\tline two").1.is_empty());
    }
}
