//! Study source files held in memory, and positions in them.
//!
//! Input: the text of each file the loader read, after its byte-order mark is
//! removed and CRLF line endings are made LF. Output: 1-based line and column
//! (in characters) for any byte offset, and back. Every diagnostic position in
//! `findings` is computed here, so all of them agree.

use std::fmt;

/// A position in a source file: 1-based line, 1-based column in characters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, counted in Unicode scalar values.
    pub column: u32,
}

impl Position {
    /// A position at `line`, `column` (both 1-based).
    #[must_use]
    pub const fn new(line: u32, column: u32) -> Self {
        Self { line, column }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A value read from a study file, with where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sourced<T> {
    /// The value as read.
    pub value: T,
    /// Where the value starts in its file.
    pub at: Position,
}

impl<T> Sourced<T> {
    /// Pairs a value with its position.
    pub const fn new(value: T, at: Position) -> Self {
        Self { value, at }
    }
}

/// One file of the study, as read.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path relative to the study folder, with `/` separators.
    pub path: String,
    /// The text, without byte-order mark and with LF line endings.
    pub text: String,
}

/// All files the loader read, so diagnostics can show snippets of them.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Records a file's text under its study-relative path.
    pub fn add(&mut self, path: &str, text: &str) {
        self.files.push(SourceFile {
            path: path.to_owned(),
            text: text.to_owned(),
        });
    }

    /// How many files were read.
    #[must_use]
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file was read.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The file read under `path`, if any.
    #[must_use]
    pub fn get(&self, path: &str) -> Option<&SourceFile> {
        self.files.iter().find(|file| file.path == path)
    }
}

/// Removes a leading byte-order mark and turns CRLF (and lone CR) line endings
/// into LF, so that positions count lines the way an editor shows them.
#[must_use]
pub fn normalise_text(raw: &str) -> String {
    let text = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    }
}

/// The position of byte `offset` in `text` (clamped to the text's end and to
/// a character boundary).
#[must_use]
pub fn position_of(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let line = before.matches('\n').count() + 1;
    let column = before[line_start..].chars().count() + 1;
    Position::new(saturate(line), saturate(column))
}

/// Positions of many offsets in one text, asked for roughly in order (as a
/// parser meets them). Each answer starts from the previous one, so that
/// the whole text is read about once, however many positions are asked for;
/// [`position_of`] reads the text from its start every time.
#[derive(Debug)]
pub struct Positions<'a> {
    text: &'a str,
    /// The offset asked for last, and its position.
    last: (usize, Position),
}

impl<'a> Positions<'a> {
    /// Positions in `text`.
    #[must_use]
    pub const fn new(text: &'a str) -> Self {
        Self {
            text,
            last: (0, Position::new(1, 1)),
        }
    }

    /// The position of byte `offset` (clamped like [`position_of`]).
    pub fn at(&mut self, offset: usize) -> Position {
        let text = self.text;
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let (from, last) = self.last;
        let position = if offset >= from {
            let between = &text[from..offset];
            match between.rfind('\n') {
                Some(newline) => Position::new(
                    last.line.saturating_add(saturate(between.matches('\n').count())),
                    saturate(between[newline + 1..].chars().count() + 1),
                ),
                None => Position::new(last.line, last.column.saturating_add(saturate(between.chars().count()))),
            }
        } else {
            let back = saturate(text[offset..from].matches('\n').count());
            let line_start = text[..offset].rfind('\n').map_or(0, |newline| newline + 1);
            Position::new(
                last.line.saturating_sub(back),
                saturate(text[line_start..offset].chars().count() + 1),
            )
        };
        self.last = (offset, position);
        position
    }
}

/// The byte offset of `position` in `text`, if the line exists. A column past
/// the end of its line gives the line's end.
#[must_use]
pub fn offset_of(text: &str, position: Position) -> Option<usize> {
    if position.line == 0 {
        return None;
    }
    let mut line_start = 0;
    for _ in 1..position.line {
        line_start += text[line_start..].find('\n')? + 1;
    }
    let line_end = text[line_start..].find('\n').map_or(text.len(), |end| line_start + end);
    let column = position.column.max(1) as usize - 1;
    let within = text[line_start..line_end]
        .char_indices()
        .nth(column)
        .map_or(line_end, |(index, _)| line_start + index);
    Some(within)
}

fn saturate(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "ab\nçé: x\n";
        assert_eq!(position_of(text, 0), Position::new(1, 1));
        assert_eq!(position_of(text, 3), Position::new(2, 1));
        // 'ç' and 'é' are two bytes each: ':' is the third character.
        assert_eq!(position_of(text, 7), Position::new(2, 3));
        assert_eq!(offset_of(text, Position::new(2, 3)), Some(7));
        assert_eq!(offset_of(text, Position::new(2, 99)), Some(10));
        assert_eq!(offset_of(text, Position::new(9, 1)), None);
    }

    #[test]
    fn positions_agree_with_position_of_in_any_order() {
        let text = "ab\nçé: x\n\nlast line";
        let mut positions = Positions::new(text);
        for offset in [0, 1, 3, 7, 7, 12, 2, 9, 30, 0, 5, 13, 4] {
            assert_eq!(positions.at(offset), position_of(text, offset), "offset {offset}");
        }
    }

    #[test]
    fn normalising_removes_bom_and_crlf() {
        assert_eq!(normalise_text("\u{feff}a: 1\r\nb: 2\r\n"), "a: 1\nb: 2\n");
        assert_eq!(normalise_text("a\rb"), "a\nb");
    }
}
