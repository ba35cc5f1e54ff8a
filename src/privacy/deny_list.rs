//! The deny-list: a text file of terms that must never be published, one a
//! line, `#` starting a comment line, blank lines ignored. It must lie
//! outside the study folder and the output folder (it must never be
//! committed or published), which is checked on resolved paths.

use std::path::{Path, PathBuf};

use aho_corasick::{AhoCorasick, MatchKind};

use crate::output::real_path;
use crate::privacy::normalise::{Kind, is_word, normalise};

/// A deny-list read and ready to scan with.
#[derive(Debug)]
pub struct DenyList {
    /// The resolved path of the list, to point at a term's line.
    path: PathBuf,
    /// The line of each pattern of `matcher`, in its order.
    lines: Vec<u32>,
    matcher: AhoCorasick,
}

/// Why a deny-list cannot be used. No variant holds a term.
#[derive(Debug, thiserror::Error)]
pub enum DenyListError {
    /// The list could not be read (missing, a folder, not UTF-8, ...).
    #[error("could not read the deny-list {path}: {source}")]
    Unreadable {
        /// The list as given.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The list has no term.
    #[error("the deny-list {path} has no term (one term a line; `#` starts a comment)")]
    Empty {
        /// The list as given.
        path: PathBuf,
    },
    /// The list lies in a folder that is committed or published.
    #[error(
        "refusing the deny-list {path}: it lies inside the {folder} ({inside}), where it could be committed or published; keep it outside, for example in a CI secret written to a temporary file"
    )]
    Inside {
        /// The list as given.
        path: PathBuf,
        /// `study folder` or `output folder`.
        folder: &'static str,
        /// That folder, resolved.
        inside: String,
    },
}

/// One place where a term of the list was found in a scanned text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Byte offset in the scanned text where the term starts.
    pub offset: usize,
    /// The term's line in the deny-list (1-based).
    pub line: u32,
}

impl DenyList {
    /// Reads the list at `path`, refusing one inside `study_dir` or `out`
    /// (paths are resolved against the current folder, links followed).
    ///
    /// # Errors
    /// [`DenyListError`] when the list is unreadable, empty or misplaced.
    pub fn open(path: &Path, study_dir: &Path, out: Option<&Path>) -> Result<Self, DenyListError> {
        let unreadable = |source| DenyListError::Unreadable {
            path: path.to_owned(),
            source,
        };
        let current = std::env::current_dir().map_err(unreadable)?;
        let resolve = |folder: &Path| real_path(&current.join(folder)).map_err(unreadable);
        let real = resolve(path)?;
        let folders = [("study folder", Some(study_dir)), ("output folder", out)];
        for (folder, place) in folders {
            if let Some(place) = place {
                let inside = resolve(place)?;
                if real.starts_with(&inside) {
                    return Err(DenyListError::Inside {
                        path: path.to_owned(),
                        folder,
                        inside: inside.display().to_string(),
                    });
                }
            }
        }
        let text = fs_err::read_to_string(&real).map_err(unreadable)?;
        Self::from_text(&text, real).ok_or_else(|| DenyListError::Empty { path: path.to_owned() })
    }

    /// A list of the terms of `text`, or `None` when it has none.
    pub(crate) fn from_text(text: &str, path: PathBuf) -> Option<Self> {
        let mut lines = Vec::new();
        let mut patterns = Vec::new();
        for (number, line) in (1_u32..).zip(text.lines()) {
            if line.trim_start().starts_with('#') {
                continue;
            }
            // A comment may follow a term, after a space: `Kingsbury # the town`.
            let line = line.find(" #").map_or(line, |comment| &line[..comment]);
            let term = normalise(line, Kind::Text, false).text;
            if !term.is_empty() {
                lines.push(number);
                patterns.push(term);
            }
        }
        if patterns.is_empty() {
            return None;
        }
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .ok()?;
        Some(Self { path, lines, matcher })
    }

    /// The resolved path of the list.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every place in `text` where a term stands as whole words, after
    /// both are normalised (see [`crate::privacy::normalise`]).
    #[must_use]
    pub fn find(&self, text: &str, kind: Kind) -> Vec<Hit> {
        let normalised = normalise(text, kind, true);
        self.matches(&normalised.text)
            .map(|(start, line)| Hit {
                offset: normalised
                    .origin
                    .get(start)
                    .map_or(text.len(), |origin| *origin as usize),
                line,
            })
            .collect()
    }

    /// The deny-list line of each term found in `text`, as [`Self::find`]
    /// finds them, without their places (which cost memory to keep).
    #[must_use]
    pub fn lines_found(&self, text: &str, kind: Kind) -> Vec<u32> {
        self.matches(&normalise(text, kind, false).text)
            .map(|(_, line)| line)
            .collect()
    }

    /// The start in `haystack` and deny-list line of each term found there
    /// on word boundaries.
    /// `text` with every term in it replaced by `[deny-list line N]`: what a
    /// report prints when a deny-list is given, so that no diagnostic
    /// (a snippet, a message naming a key or an id, a file name) echoes a
    /// term the list names.
    #[must_use]
    pub fn mask<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        let normalised = normalise(text, Kind::Text, true);
        let raw_offset = |at: usize| normalised.origin.get(at).map_or(text.len(), |origin| *origin as usize);
        let mut spans: Vec<(usize, usize, u32)> = self
            .matches_with_end(&normalised.text)
            .map(|(start, end, line)| {
                // The end: past the raw character the term's last byte came from.
                let last = raw_offset(end.saturating_sub(1));
                let after = text[last..]
                    .chars()
                    .next()
                    .map_or(last, |character| last + character.len_utf8());
                (raw_offset(start), after, line)
            })
            .collect();
        if spans.is_empty() {
            return std::borrow::Cow::Borrowed(text);
        }
        spans.sort_unstable();
        let mut masked = String::with_capacity(text.len());
        let mut done = 0;
        for (start, end, line) in spans {
            if start < done {
                continue;
            }
            masked.push_str(&text[done..start]);
            masked.push_str(&format!("[deny-list line {line}]"));
            done = end.max(start);
        }
        masked.push_str(&text[done..]);
        std::borrow::Cow::Owned(masked)
    }

    fn matches<'a>(&'a self, haystack: &'a str) -> impl Iterator<Item = (usize, u32)> + 'a {
        self.matches_with_end(haystack).map(|(start, _, line)| (start, line))
    }

    fn matches_with_end<'a>(&'a self, haystack: &'a str) -> impl Iterator<Item = (usize, usize, u32)> + 'a {
        self.matcher
            .find_overlapping_iter(haystack)
            .filter(|found| {
                let before = haystack[..found.start()].chars().next_back();
                let after = haystack[found.end()..].chars().next();
                !before.is_some_and(is_word) && !after.is_some_and(is_word)
            })
            .map(|found| (found.start(), found.end(), self.lines[found.pattern().as_usize()]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(text: &str) -> DenyList {
        DenyList::from_text(text, PathBuf::from("/secret/deny.txt")).expect("a list with terms")
    }

    fn lines(list: &DenyList, text: &str) -> Vec<u32> {
        list.lines_found(text, Kind::Markup)
    }

    #[test]
    fn a_report_is_masked_where_it_echoes_a_term() {
        let list = list("# names\nMargaret Oduya\nKingsbury\n");
        assert_eq!(
            list.mask("unknown key `note: Margaret  Oduya` in sections/08-kingsbury-pilot.md"),
            "unknown key `note: [deny-list line 2]` in sections/08-[deny-list line 3]-pilot.md"
        );
        assert_eq!(list.mask("KINGSBURY\u{2019}s"), "[deny-list line 3]\u{2019}s");
        assert!(matches!(list.mask("nothing here"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn a_comment_after_a_term_is_not_part_of_it() {
        let list = list("Kingsbury # the town\nSt Mary's # the hospital\n");
        assert_eq!(lines(&list, "We met in Kingsbury."), [1]);
        assert_eq!(lines(&list, "At St Mary\u{2019}s today."), [2]);
    }

    #[test]
    fn comments_and_blank_lines_are_not_terms() {
        assert!(DenyList::from_text("# only a comment\n\n   \n\u{ad}\n", PathBuf::new()).is_none());
        let list = list("# names\n\nAnn\nJane Smith\n");
        assert_eq!(list.lines, vec![3, 4]);
    }

    #[test]
    fn terms_are_found_in_every_encoding_on_word_boundaries() {
        let list = list("# names\nAnn\nJane Smith\n");
        assert_eq!(lines(&list, "<p>Ann</p>"), vec![2]);
        assert_eq!(lines(&list, "<p>&#x41;nn</p>"), vec![2]);
        assert_eq!(lines(&list, "<p>A\u{ad}nn</p>"), vec![2]);
        assert_eq!(lines(&list, "<p>ＡＮＮ</p>"), vec![2]);
        assert_eq!(lines(&list, "<p>Jane\n  Smith</p>"), vec![3]);
        assert_eq!(lines(&list, r#"<img alt="Jane&#32;Smith">"#), vec![3]);
        assert_eq!(lines(&list, "<p>Ja<span>ne</span> Smith</p>"), vec![3]);
        assert_eq!(
            lines(&list, "<p>Annual report, Annie, Joanna, ann2</p>"),
            Vec::<u32>::new()
        );
        assert_eq!(lines(&list, "<p>Ann's</p><p>(ann)</p>"), vec![2, 2]);
    }

    #[test]
    fn a_hit_points_into_the_original_text() {
        let list = list("Ann\n");
        let text = "line one\nsay &#x41;nn";
        let hits = list.find(text, Kind::Text);
        assert_eq!(hits, vec![Hit { offset: 13, line: 1 }]);
    }
}
