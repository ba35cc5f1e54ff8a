//! Ids: their form, their uniqueness within a kind, and looking them up.
//!
//! Input: the ids of one kind of record, with positions. Output: an
//! [`IdIndex`] that resolves references case-sensitively and suggests close
//! ids, plus diagnostics for malformed and duplicate ids.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location, Rule, Severity, did_you_mean};
use crate::names::is_windows_device_name;
use crate::source::Sourced;

/// The longest id allowed.
pub const MAX_ID_LENGTH: usize = 64;

/// Whether `id` matches `^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`.
#[must_use]
pub fn is_valid_id(id: &str) -> bool {
    let mut characters = id.chars();
    characters.next().is_some_and(|first| first.is_ascii_alphanumeric())
        && id.len() <= MAX_ID_LENGTH
        && characters.all(|character| character.is_ascii_alphanumeric() || character == '-' || character == '_')
}

pub const DUPLICATE_ID: Rule = Rule {
    id: "E302",
    name: "duplicate-id",
    severity: Severity::Error,
    summary: "Two records of one kind share an id (ignoring case).",
    why: "Two records of one kind with the same id would share a page, and a reference to that id could mean either. Ids are compared ignoring case, because on Windows and macOS `P1.html` and `p1.html` are the same file. It is reported once, at the second record, with the first as a related place; a reference to the second spelling is not reported again.",
};

/// The ids of one kind of record, in order.
#[derive(Clone, Debug, Default)]
pub struct IdIndex {
    ids: Vec<String>,
    by_id: HashMap<String, usize>,
    /// Ids reported as differing from an earlier one only by case: a
    /// reference to one is not reported again (E302 already says it).
    duplicates: HashSet<String>,
}

impl IdIndex {
    /// Indexes `ids` (the records of `kind` in `file`), reporting malformed
    /// ids and ids that differ only by case. The index of each id is its
    /// record's position in the list.
    pub fn build<'a>(
        kind: &str,
        file: &str,
        ids: impl IntoIterator<Item = &'a Sourced<String>>,
        diagnostics: &mut Diagnostics,
    ) -> Self {
        Self::build_in(kind, ids.into_iter().map(|id| (file, id)), diagnostics)
    }

    /// Like [`IdIndex::build`] for records spread over several files.
    pub fn build_in<'a>(
        kind: &str,
        ids: impl IntoIterator<Item = (&'a str, &'a Sourced<String>)>,
        diagnostics: &mut Diagnostics,
    ) -> Self {
        let mut index = Self::default();
        let mut first_by_folded: HashMap<String, (&str, &Sourced<String>)> = HashMap::new();
        for (position, (file, id)) in ids.into_iter().enumerate() {
            check_form(kind, file, id, diagnostics);
            let folded = id.value.to_lowercase();
            if let Some((first_file, first)) = first_by_folded.get(&folded) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::DuplicateId,
                        format!("{kind} id `{}` is already used by `{}`", id.value, first.value),
                    )
                    .at(Location::at(file, id.at))
                    .related(Location::at(first_file, first.at), "first used here")
                    .help(format!("give each {kind} its own id (ids are compared ignoring case)")),
                );
                if id.value != first.value {
                    index.duplicates.insert(id.value.clone());
                }
            } else {
                first_by_folded.insert(folded, (file, id));
                index.by_id.insert(id.value.clone(), position);
            }
            index.ids.push(id.value.clone());
        }
        index
    }

    /// The position of the record with exactly this id.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Whether the record at `position` is the one its id resolves to:
    /// not a later record whose id was reported as a duplicate (which no
    /// reference can reach, so reporting it as unused would repeat the
    /// duplicate's error).
    #[must_use]
    pub fn is_first(&self, position: usize) -> bool {
        self.ids
            .get(position)
            .is_some_and(|id| self.by_id.get(id) == Some(&position))
    }

    /// Resolves a reference to a record of `kind`, reporting it if unknown.
    /// A reference spelt like an id that was reported as a duplicate
    /// (differing from an earlier id only by case) resolves to nothing and
    /// is not reported: the duplicate is the one mistake, and suggesting
    /// the other spelling would send the reader in a circle.
    pub fn resolve(
        &self,
        code: Code,
        kind: &str,
        file: &str,
        reference: &Sourced<String>,
        diagnostics: &mut Diagnostics,
    ) -> Option<usize> {
        let found = self.get(&reference.value);
        if found.is_none() && !self.duplicates.contains(&reference.value) {
            let mut diagnostic = Diagnostic::new(code, format!("no {kind} has the id `{}`", reference.value))
                .at(Location::at(file, reference.at));
            diagnostic = match did_you_mean(&reference.value, self.ids.iter().map(String::as_str)) {
                Some(best) => diagnostic.help(format!("did you mean `{best}`?")),
                None if self.ids.is_empty() => diagnostic.help(format!("no {kind} is defined")),
                None => diagnostic.help(format!("known {kind} ids: {}", self.sample())),
            };
            diagnostics.push(diagnostic);
        }
        found
    }

    fn sample(&self) -> String {
        let shown: Vec<_> = self.ids.iter().take(12).map(|id| format!("`{id}`")).collect();
        let more = self.ids.len().saturating_sub(shown.len());
        if more > 0 {
            format!("{} and {more} more", shown.join(", "))
        } else {
            shown.join(", ")
        }
    }
}

pub const INVALID_ID: Rule = Rule {
    id: "E301",
    name: "invalid-id",
    severity: Severity::Error,
    summary: "An id that is not 1-64 letters, digits, `-` or `_` starting with a letter or digit.",
    why: "Ids name the site's files and anchors (`participants/1a.html`, `#caseloads`) and are what records use to point at each other, so they must be safe in a path and a URL and easy to type: 1 to 64 ASCII letters, digits, `-` or `_`, starting with a letter or digit.",
};

pub const RESERVED_DEVICE_NAME: Rule = Rule {
    id: "E308",
    name: "reserved-device-name",
    severity: Severity::Error,
    summary: "An id or static file name that Windows reserves for a device (CON, PRN, AUX, NUL, COM1-9, LPT1-9).",
    why: "Windows cannot create a file named CON, PRN, AUX, NUL, COM1-9 or LPT1-9 (in any case, with any extension), so a site with `con.html` could not be copied to, checked out on or served from Windows. Ids and static file names may not be one.",
};

fn check_form(kind: &str, file: &str, id: &Sourced<String>, diagnostics: &mut Diagnostics) {
    if is_valid_id(&id.value) {
        if is_windows_device_name(&id.value) {
            diagnostics.push(
                Diagnostic::new(
                    Code::ReservedDeviceName,
                    format!("this {kind} id is a name Windows reserves for a device, so it cannot name a file there"),
                )
                .at(Location::at(file, id.at))
                .help("choose another id (CON, PRN, AUX, NUL, COM1-9 and LPT1-9 are reserved, in any case)"),
            );
        }
        return;
    }
    let reason = if id.value.is_empty() {
        "is empty".to_owned()
    } else if id
        .value
        .chars()
        .any(|character| character.is_control() || super::text::is_bidi_control(character))
    {
        "contains a control or bidirectional-override character".to_owned()
    } else if id.value.len() > MAX_ID_LENGTH {
        format!("is longer than {MAX_ID_LENGTH} characters")
    } else {
        "may only use letters, digits, `-` and `_`, and must start with a letter or digit".to_owned()
    };
    diagnostics.push(
        Diagnostic::new(Code::InvalidId, format!("this {kind} id {reason}"))
            .at(Location::at(file, id.at))
            .help("ids name output files and anchors: use e.g. `p1`, `sp-medium`, `smith2001`"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Position;

    fn sourced(value: &str, line: u32) -> Sourced<String> {
        Sourced::new(value.to_owned(), Position::new(line, 5))
    }

    #[test]
    fn id_form() {
        for id in ["1a", "sp-medium", "a_b", "Z9"] {
            assert!(is_valid_id(id), "{id}");
        }
        for id in ["", "-a", "a b", "a/b", "../x", "é", &"a".repeat(65), "a\u{202e}"] {
            assert!(!is_valid_id(id), "{id}");
        }
        assert!(is_valid_id(&"a".repeat(64)));
    }

    #[test]
    fn windows_device_names() {
        for name in ["CON", "con", "Aux", "nul.txt", "COM1", "lpt9.png", "PRN.tar.gz"] {
            assert!(is_windows_device_name(name), "{name}");
        }
        for name in ["COM0", "LPT10", "console", "com", "nul-1", "a.con", "COM1x"] {
            assert!(!is_windows_device_name(name), "{name}");
        }
        let mut sink = Diagnostics::new();
        IdIndex::build("participant", "participants.yaml", &[sourced("con", 1)], &mut sink);
        let found = sink.into_sorted();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, Code::ReservedDeviceName);
    }

    #[test]
    fn duplicates_ignore_case_and_point_at_the_first() {
        let ids = [sourced("P1", 1), sourced("p1", 2), sourced("p2", 3)];
        let mut sink = Diagnostics::new();
        let index = IdIndex::build("participant", "participants.yaml", &ids, &mut sink);
        let found = sink.into_sorted();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, Code::DuplicateId);
        assert_eq!(found[0].related[0].location.position, Some(Position::new(1, 5)));
        assert_eq!(index.get("P1"), Some(0));
        assert_eq!(index.get("p2"), Some(2));
    }

    #[test]
    fn a_reference_to_a_duplicate_spelling_is_not_reported_again() {
        let ids = [sourced("1a", 1), sourced("1A", 2)];
        let mut sink = Diagnostics::new();
        let index = IdIndex::build("participant", "participants.yaml", &ids, &mut sink);
        assert_eq!(sink.into_sorted().len(), 1);
        let mut sink = Diagnostics::new();
        let resolve = |id: &str, sink: &mut Diagnostics| {
            index.resolve(
                Code::UnknownParticipant,
                "participant",
                "quotes.yaml",
                &sourced(id, 9),
                sink,
            )
        };
        assert_eq!(resolve("1A", &mut sink), None);
        assert_eq!(resolve("1a", &mut sink), Some(0));
        assert!(sink.into_sorted().is_empty());
        // Any other unknown id is still reported.
        let mut sink = Diagnostics::new();
        assert_eq!(resolve("1b", &mut sink), None);
        assert_eq!(sink.into_sorted()[0].code, Code::UnknownParticipant);
    }

    #[test]
    fn unknown_references_suggest_close_ids() {
        let ids = [sourced("social-prescriber", 1), sourced("manager", 2)];
        let mut sink = Diagnostics::new();
        let index = IdIndex::build("role", "roles.yaml", &ids, &mut sink);
        let missing = sourced("social-prescribr", 9);
        assert_eq!(
            index.resolve(Code::UnknownRole, "role", "participants.yaml", &missing, &mut sink),
            None
        );
        let found = sink.into_sorted();
        assert_eq!(found[0].help.as_deref(), Some("did you mean `social-prescriber`?"));
    }
}
