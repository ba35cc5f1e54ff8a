//! Study source files held in memory, and positions in them.
//!
//! Input: the text of each file the loader read, after its byte-order mark is
//! removed and CRLF line endings are made LF. Output: 1-based line and column
//! (in characters) for any byte offset, and back. Every diagnostic position in
//! `findings` is computed here, so all of them agree. For a YAML file, also
//! the key path (`quotes[3].participant`) that leads to any position, so that
//! a report can say where a diagnostic is without showing the file's text.

use std::fmt;
use std::fmt::Write as _;

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

    /// A position from a 1-based line and column counted in any integer
    /// type (parsers count in `usize` or `u64`); a count past `u32::MAX`
    /// saturates. The one place such counts become a [`Position`].
    #[must_use]
    pub fn from_line_column<N: TryInto<u32>>(line: N, column: N) -> Self {
        Self::new(
            line.try_into().unwrap_or(u32::MAX),
            column.try_into().unwrap_or(u32::MAX),
        )
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
    /// The key path of each position, for a YAML record file that was
    /// scanned; `None` for Markdown and templates.
    pub key_paths: Option<KeyPaths>,
}

impl SourceFile {
    /// The key path leading to `position` (see [`KeyPaths::at`]).
    #[must_use]
    pub fn key_path(&self, position: Position) -> Option<String> {
        self.key_paths.as_ref()?.at(position)
    }
}

/// All files the loader read, so diagnostics can show snippets of them.
/// Each file is shared, so that a copy (`serve` keeps one for the next
/// build) does not copy the texts.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    files: Vec<std::sync::Arc<SourceFile>>,
}

impl Sources {
    /// Every file, in the order read.
    pub fn files(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter().map(std::convert::AsRef::as_ref)
    }

    /// Records a file's text under its study-relative path.
    pub fn add(&mut self, path: &str, text: &str) {
        self.files.push(std::sync::Arc::new(SourceFile {
            path: path.to_owned(),
            text: text.to_owned(),
            key_paths: None,
        }));
    }

    /// Takes every file of `other`, after this one's.
    pub fn append(&mut self, mut other: Self) {
        self.files.append(&mut other.files);
    }

    /// Records a file's new text under its study-relative path, in place
    /// of the text read before, if any (`serve` reading an edited file).
    pub fn replace(&mut self, path: &str, text: &str) {
        match self.files.iter_mut().find(|file| file.path == path) {
            Some(file) => {
                *file = std::sync::Arc::new(SourceFile {
                    path: path.to_owned(),
                    text: text.to_owned(),
                    key_paths: None,
                });
            }
            None => self.add(path, text),
        }
    }

    /// Keeps the key paths of the file read under `path` (ignored if no
    /// such file was read).
    pub fn add_key_paths(&mut self, path: &str, key_paths: KeyPaths) {
        if let Some(file) = self.files.iter_mut().find(|file| file.path == path) {
            std::sync::Arc::make_mut(file).key_paths = Some(key_paths);
        }
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
        self.files.iter().find(|file| file.path == path).map(|file| &**file)
    }
}

/// One step of a key path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    /// A key of the study format's schema, shown as it is.
    Key(&'static str),
    /// Any other key, shown as `?`: it may be study text (a quote line that
    /// lost its indentation becomes a key) and must not be printed.
    Hidden,
    /// The item of a list at this index, counted from 0.
    Item(usize),
}

/// A YAML node: where it starts and ends, and how its parent reaches it.
/// Packed into 24 bytes, since a 64 MiB file may hold millions of nodes.
#[derive(Clone, Copy, Debug)]
struct Node {
    start: Position,
    /// Where the node ends (exclusive); [`OPEN`] while it is open, or when
    /// the file ended (with a syntax error) before it was closed.
    end: Position,
    /// The parent's index; [`NO_NODE`] for a document's root.
    parent: u32,
    /// How the parent reaches the node, packed (see [`KeyPaths::pack`]).
    segment: u32,
}

/// The end of a node that is still open: after every position.
const OPEN: Position = Position::new(u32::MAX, u32::MAX);
/// No parent (a root), and the packed segment of a root.
const NO_NODE: u32 = u32::MAX;
/// The packed segment [`Segment::Hidden`].
const HIDDEN: u32 = u32::MAX - 1;
/// Set in a packed [`Segment::Key`], whose other bits index `KeyPaths::keys`;
/// clear in a packed [`Segment::Item`], whose other bits are the index.
const KEY_BIT: u32 = 1 << 31;

impl Node {
    fn contains(&self, position: Position) -> bool {
        self.start == position || (self.start <= position && position < self.end)
    }

    fn parent(&self) -> Option<usize> {
        (self.parent != NO_NODE).then_some(self.parent as usize)
    }
}

/// The key path of every position in a YAML file: which keys and list items
/// lead to the node there, such as `quotes[3].participant`.
///
/// The YAML loader fills it in while it walks a file's parser events, one
/// node (value, key or collection) at a time, in the order they start; a
/// report looks a diagnostic's position up. A key is a node too: its path
/// is its mapping's path and the key, so that an unknown key is `quotes[3].?`.
#[derive(Clone, Debug, Default)]
pub struct KeyPaths {
    /// In the order they start (a node's parent comes before it).
    nodes: Vec<Node>,
    /// The keys the nodes' segments name.
    keys: Vec<&'static str>,
}

impl KeyPaths {
    /// Records a node starting at `start`, reached from the node `parent`
    /// (an index this method returned) by `segment`; `None` for the root.
    /// Nodes must be opened in the order they start. Returns the node's index.
    pub fn open(&mut self, start: Position, parent: Option<usize>, segment: Option<Segment>) -> usize {
        let segment = segment.map_or(NO_NODE, |segment| self.pack(segment));
        self.nodes.push(Node {
            start,
            end: OPEN,
            // A file has fewer than 2^32 nodes: study files are at most 64 MiB.
            parent: parent.map_or(NO_NODE, |parent| u32::try_from(parent).unwrap_or(NO_NODE)),
            segment,
        });
        self.nodes.len() - 1
    }

    /// Records where the node `index` ends (exclusive).
    pub fn close(&mut self, index: usize, end: Position) {
        if let Some(node) = self.nodes.get_mut(index) {
            node.end = end;
        }
    }

    /// The path to the innermost node at `position`: keys joined by `.`,
    /// list items as `[N]` (from 0), keys that are not the schema's as `?`.
    /// `None` when no node is there, or the node is the document itself.
    #[must_use]
    pub fn at(&self, position: Position) -> Option<String> {
        // The innermost node holding `position` is the last one to start
        // before it, or one of that node's ancestors: a node that starts
        // inside another lies inside it.
        let mut index = self.nodes.partition_point(|node| node.start <= position).checked_sub(1);
        while let Some(current) = index {
            let node = &self.nodes[current];
            if node.contains(position) {
                return Some(self.path(current)).filter(|path| !path.is_empty());
            }
            index = node.parent();
        }
        None
    }

    fn pack(&mut self, segment: Segment) -> u32 {
        match segment {
            Segment::Hidden => HIDDEN,
            // Fewer items than 2^31 (see `open`).
            Segment::Item(index) => u32::try_from(index).unwrap_or(u32::MAX).min(KEY_BIT - 1),
            Segment::Key(key) => {
                let index = self.keys.iter().position(|known| *known == key).unwrap_or_else(|| {
                    self.keys.push(key);
                    self.keys.len() - 1
                });
                KEY_BIT | u32::try_from(index).unwrap_or(0)
            }
        }
    }

    fn unpack(&self, packed: u32) -> Option<Segment> {
        match packed {
            NO_NODE => None,
            HIDDEN => Some(Segment::Hidden),
            key if key & KEY_BIT != 0 => self
                .keys
                .get((key & !KEY_BIT) as usize)
                .map_or(Some(Segment::Hidden), |key| Some(Segment::Key(key))),
            index => Some(Segment::Item(index as usize)),
        }
    }

    fn path(&self, index: usize) -> String {
        let mut segments = Vec::new();
        let mut next = Some(index);
        while let Some(current) = next {
            let node = &self.nodes[current];
            segments.extend(self.unpack(node.segment));
            next = node.parent();
        }
        let mut path = String::new();
        for segment in segments.iter().rev() {
            match segment {
                Segment::Item(index) => {
                    let _ = write!(path, "[{index}]");
                }
                Segment::Key(key) => push_key(&mut path, key),
                Segment::Hidden => push_key(&mut path, "?"),
            }
        }
        path
    }

    /// Every node's path, in the order they start.
    #[cfg(test)]
    pub(crate) fn all(&self) -> Vec<String> {
        (0..self.nodes.len()).map(|index| self.path(index)).collect()
    }
}

fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
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
    Position::from_line_column(line, column)
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

    /// `quotes:` holding one quote `{id: q1, participant: 9z}` whose
    /// mapping spans lines 2-3, as the YAML loader records it.
    fn quote_paths() -> KeyPaths {
        let mut paths = KeyPaths::default();
        let root = paths.open(Position::new(1, 1), None, None);
        let key = paths.open(Position::new(1, 1), Some(root), Some(Segment::Key("quotes")));
        paths.close(key, Position::new(1, 7));
        let list = paths.open(Position::new(2, 3), Some(root), Some(Segment::Key("quotes")));
        let quote = paths.open(Position::new(2, 5), Some(list), Some(Segment::Item(0)));
        let key = paths.open(Position::new(2, 5), Some(quote), Some(Segment::Key("id")));
        paths.close(key, Position::new(2, 7));
        let value = paths.open(Position::new(2, 9), Some(quote), Some(Segment::Key("id")));
        paths.close(value, Position::new(2, 11));
        let key = paths.open(Position::new(3, 5), Some(quote), Some(Segment::Hidden));
        paths.close(key, Position::new(3, 16));
        let value = paths.open(Position::new(3, 18), Some(quote), Some(Segment::Hidden));
        paths.close(value, Position::new(3, 20));
        paths.close(quote, Position::new(4, 1));
        paths.close(list, Position::new(4, 1));
        paths.close(root, Position::new(4, 1));
        paths
    }

    #[test]
    fn key_paths_name_the_innermost_node() {
        let paths = quote_paths();
        assert_eq!(paths.at(Position::new(1, 1)).as_deref(), Some("quotes"));
        assert_eq!(paths.at(Position::new(2, 5)).as_deref(), Some("quotes[0].id"));
        assert_eq!(paths.at(Position::new(2, 10)).as_deref(), Some("quotes[0].id"));
        // Between a key and its value: the mapping.
        assert_eq!(paths.at(Position::new(2, 8)).as_deref(), Some("quotes[0]"));
        assert_eq!(paths.at(Position::new(3, 5)).as_deref(), Some("quotes[0].?"));
        assert_eq!(paths.at(Position::new(3, 19)).as_deref(), Some("quotes[0].?"));
        // Past the end of the list, and past the file.
        assert_eq!(paths.at(Position::new(4, 1)), None);
        assert_eq!(paths.at(Position::new(9, 1)), None);
        assert_eq!(KeyPaths::default().at(Position::new(1, 1)), None);
    }

    #[test]
    fn an_open_node_holds_everything_after_it() {
        let mut paths = KeyPaths::default();
        let root = paths.open(Position::new(1, 1), None, None);
        paths.open(Position::new(2, 3), Some(root), Some(Segment::Key("figures")));
        assert_eq!(paths.at(Position::new(7, 1)).as_deref(), Some("figures"));
    }

    #[test]
    fn nodes_stay_small() {
        assert_eq!(std::mem::size_of::<Node>(), 24);
    }

    #[test]
    fn segments_pack_and_unpack() {
        let mut paths = KeyPaths::default();
        for segment in [
            Segment::Hidden,
            Segment::Item(0),
            Segment::Item(7),
            Segment::Key("quotes"),
            Segment::Key("id"),
            Segment::Key("quotes"),
        ] {
            let packed = paths.pack(segment);
            assert_eq!(paths.unpack(packed), Some(segment));
        }
        assert_eq!(paths.keys, ["quotes", "id"]);
        assert_eq!(paths.unpack(NO_NODE), None);
    }

    #[test]
    fn sources_keep_key_paths_by_file() {
        let mut sources = Sources::default();
        sources.add("quotes.yaml", "quotes:\n  - id: q1\n    participant: 9z\n");
        sources.add_key_paths("quotes.yaml", quote_paths());
        sources.add_key_paths("missing.yaml", KeyPaths::default());
        let file = sources.get("quotes.yaml").unwrap();
        assert_eq!(file.key_path(Position::new(2, 9)).as_deref(), Some("quotes[0].id"));
        assert!(sources.get("missing.yaml").is_none());
    }

    #[test]
    fn normalising_removes_bom_and_crlf() {
        assert_eq!(normalise_text("\u{feff}a: 1\r\nb: 2\r\n"), "a: 1\nb: 2\n");
        assert_eq!(normalise_text("a\rb"), "a\nb");
    }
}
