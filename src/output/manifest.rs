//! The marker `.findings-site`: the manifest of every folder and file
//! findings wrote into an output folder, and the test of whether a folder
//! holds anything else.
//!
//! Input: a site's file paths (to write a manifest), or an output folder (to
//! read its marker and list what it holds). Output: the manifest text, or
//! what a folder holds that its manifest does not list. The format is text,
//! one entry a line, sorted, so the same site always gives the same bytes:
//!
//! ```text
//! findings-site 1
//! # Written by `findings build`: ...
//! folder assets
//! file assets/findings.css
//! file index.html
//! ```
//!
//! The first line names the format and its version. Paths are relative,
//! `/`-separated, with `%`, and control characters percent-encoded. A marker
//! that is a link or not a regular file is not a marker; nothing here
//! follows a link or writes.

use std::collections::BTreeMap;
use std::io::{self, Read as _};
use std::path::Path;

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

/// The marker file at the top of an output folder.
pub const MARKER: &str = ".findings-site";

/// The first line of a manifest: the format and its version.
const HEADER: &str = "findings-site 1";

/// The comment that tells a reader what the file is.
const COMMENT: &str = "# Written by `findings build`: every folder and file it wrote here. A build\n\
                       # replaces this folder only while it holds nothing else; files the site\n\
                       # should publish belong in the study's static/ folder.\n";

/// How the marker of findings 0.1 (before manifests) begins.
const OLD_MARKER: &str = "This folder was written by findings";

/// The largest marker read; a larger one is not a marker findings wrote.
const MAX_MARKER_BYTES: u64 = 64 * 1024 * 1024;

/// Characters escaped in a manifest path: controls (a newline would end the
/// entry) and `%` itself.
const ESCAPED: &AsciiSet = &CONTROLS.add(b'%');

/// How many entries a folder may hold that its manifest does not list
/// before findings stops looking for more.
const MAX_FOREIGN: usize = 10_000;

/// What an entry of the manifest is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Folder,
    File,
}

impl Kind {
    const fn word(self) -> &'static str {
        match self {
            Self::Folder => "folder",
            Self::File => "file",
        }
    }
}

/// Every folder and file findings wrote, by `/`-separated relative path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Manifest {
    entries: BTreeMap<String, Kind>,
}

impl Manifest {
    /// The manifest of a site made of `files` (plain relative paths): the
    /// files and every folder above them.
    pub fn of_files<'a>(files: impl IntoIterator<Item = &'a str>) -> Self {
        let mut entries = BTreeMap::new();
        for file in files {
            let mut end = 0;
            while let Some(slash) = file[end..].find('/') {
                end += slash;
                entries.insert(file[..end].to_owned(), Kind::Folder);
                end += 1;
            }
            entries.insert(file.to_owned(), Kind::File);
        }
        Self { entries }
    }

    /// The manifest as the marker file's text.
    pub fn to_text(&self) -> String {
        let mut text = format!("{HEADER}\n{COMMENT}");
        for (path, kind) in &self.entries {
            text.push_str(kind.word());
            text.push(' ');
            text.extend(utf8_percent_encode(path, ESCAPED));
            text.push('\n');
        }
        text
    }

    /// Reads a manifest; `None` unless `text` is exactly the format
    /// [`Manifest::to_text`] writes (`\r\n` line ends allowed).
    fn parse(text: &str) -> Option<Self> {
        let mut lines = text.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let mut entries = BTreeMap::new();
        for line in lines.filter(|line| !line.starts_with('#')) {
            let (word, encoded) = line.split_once(' ')?;
            let kind = [Kind::Folder, Kind::File]
                .into_iter()
                .find(|kind| kind.word() == word)?;
            let path = percent_decode_str(encoded).decode_utf8().ok()?;
            if !super::is_plain_relative(&path) {
                return None;
            }
            entries.insert(path.into_owned(), kind);
        }
        Some(Self { entries })
    }
}

/// What an output folder's marker says.
#[derive(Debug, PartialEq, Eq)]
pub enum Marker {
    /// No marker: the folder is not known to be findings'.
    Missing,
    /// `.findings-site` is a link, a folder or another non-file: not a
    /// marker.
    NotAFile,
    /// The marker of findings before manifests: it does not say which
    /// files are findings'.
    Old,
    /// A regular file, but not a manifest this version can read.
    Unreadable,
    /// A manifest.
    Manifest(Manifest),
}

/// Reads the marker of `folder`, never through a link.
///
/// # Errors
/// When the marker exists but cannot be read.
pub fn read_marker(folder: &Path) -> io::Result<Marker> {
    let path = folder.join(MARKER);
    match fs_err::symlink_metadata(&path) {
        Ok(metadata) if metadata.file_type().is_file() => {}
        Ok(_) => return Ok(Marker::NotAFile),
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Marker::Missing),
        Err(error) => return Err(error),
    }
    let mut bytes = Vec::new();
    fs_err::File::open(&path)?
        .take(MAX_MARKER_BYTES + 1)
        .read_to_end(&mut bytes)?;
    let Ok(text) = String::from_utf8(bytes) else {
        return Ok(Marker::Unreadable);
    };
    Ok(if text.starts_with(OLD_MARKER) {
        Marker::Old
    } else if u64::try_from(text.len()).is_ok_and(|length| length > MAX_MARKER_BYTES) {
        Marker::Unreadable
    } else {
        Manifest::parse(&text).map_or(Marker::Unreadable, Marker::Manifest)
    })
}

/// What a folder holds that its manifest does not list.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Foreign {
    /// The entries, sorted, as `/`-separated relative paths; a folder
    /// appears (with a trailing `/`) only when it is empty.
    pub entries: Vec<String>,
    /// Whether the search stopped at [`MAX_FOREIGN`] entries.
    pub more: bool,
}

/// Lists what `folder` holds besides its marker and what `manifest` lists
/// (an entry of another kind counts too). Never follows a link: a link is
/// an entry like a file.
///
/// # Errors
/// When a folder cannot be read.
pub fn foreign_entries(folder: &Path, manifest: &Manifest) -> io::Result<Foreign> {
    let mut foreign = Foreign::default();
    walk(folder, "", Some(manifest), &mut foreign)?;
    Ok(foreign)
}

/// Walks `folder` (at `prefix` in the output folder). With a manifest, an
/// entry it lists with the same kind is findings'; without one, every
/// entry is foreign.
fn walk(folder: &Path, prefix: &str, manifest: Option<&Manifest>, foreign: &mut Foreign) -> io::Result<()> {
    let mut entries = fs_err::read_dir(folder)?.collect::<io::Result<Vec<_>>>()?;
    entries.sort_by_key(fs_err::DirEntry::file_name);
    for entry in entries {
        if foreign.more {
            return Ok(());
        }
        let name = entry.file_name();
        let relative = format!("{prefix}{}", name.to_string_lossy());
        if prefix.is_empty() && name == MARKER {
            continue;
        }
        let kind = entry.file_type()?;
        let listed = manifest.and_then(|manifest| {
            // A name that is not UTF-8 is in no manifest.
            name.to_str().and_then(|_| manifest.entries.get(&relative).copied())
        });
        match listed {
            Some(Kind::File) if kind.is_file() => {}
            Some(Kind::Folder) if kind.is_dir() => walk(&entry.path(), &format!("{relative}/"), manifest, foreign)?,
            _ if kind.is_dir() => {
                let before = foreign.entries.len();
                walk(&entry.path(), &format!("{relative}/"), None, foreign)?;
                if foreign.entries.len() == before && !foreign.more {
                    add(foreign, format!("{relative}/"));
                }
            }
            _ => add(foreign, relative),
        }
    }
    Ok(())
}

fn add(foreign: &mut Foreign, entry: String) {
    if foreign.entries.len() < MAX_FOREIGN {
        foreign.entries.push(entry);
    } else {
        foreign.more = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_manifest() -> Manifest {
        Manifest::of_files(["index.html", "assets/findings.css", "themes/a/b.html", "themes/c.html"])
    }

    #[test]
    fn a_manifest_lists_files_and_their_folders_sorted() {
        let text = site_manifest().to_text();
        let entries: Vec<&str> = text.lines().filter(|line| !line.starts_with('#')).collect();
        assert_eq!(
            entries,
            [
                "findings-site 1",
                "folder assets",
                "file assets/findings.css",
                "file index.html",
                "folder themes",
                "folder themes/a",
                "file themes/a/b.html",
                "file themes/c.html",
            ]
        );
        // The same files in another order give the same bytes.
        let again = Manifest::of_files(["themes/c.html", "themes/a/b.html", "assets/findings.css", "index.html"]);
        assert_eq!(again.to_text(), text);
        assert_eq!(Manifest::parse(&text), Some(site_manifest()));
        assert_eq!(Manifest::parse(&text.replace('\n', "\r\n")), Some(site_manifest()));
    }

    #[test]
    fn odd_names_survive_a_round_trip() {
        let manifest = Manifest::of_files(["a\nb.txt", "50%.txt", "caf\u{e9} x.html"]);
        let text = manifest.to_text();
        assert!(text.contains("file a%0Ab.txt\n"), "{text}");
        assert!(text.contains("file 50%25.txt\n"), "{text}");
        assert_eq!(Manifest::parse(&text), Some(manifest));
    }

    #[test]
    fn anything_else_is_not_a_manifest() {
        for text in [
            "",
            "findings-site 2\nfile index.html\n",
            "findings-site 1\nfile\n",
            "findings-site 1\nlink index.html\n",
            "findings-site 1\nfile ../escape\n",
            "findings-site 1\nfile /etc/passwd\n",
            "findings-site 1\nfile %FF\n",
            "This folder was written by findings; `findings build` replaces it.\n",
        ] {
            assert_eq!(Manifest::parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn markers_are_told_apart() {
        let temp = tempfile::tempdir().unwrap();
        let folder = temp.path();
        assert_eq!(read_marker(folder).unwrap(), Marker::Missing);
        fs_err::write(
            folder.join(MARKER),
            "This folder was written by findings; `findings build` replaces it.\n",
        )
        .unwrap();
        assert_eq!(read_marker(folder).unwrap(), Marker::Old);
        fs_err::write(folder.join(MARKER), "anything\n").unwrap();
        assert_eq!(read_marker(folder).unwrap(), Marker::Unreadable);
        fs_err::write(folder.join(MARKER), site_manifest().to_text()).unwrap();
        assert_eq!(read_marker(folder).unwrap(), Marker::Manifest(site_manifest()));
        fs_err::remove_file(folder.join(MARKER)).unwrap();
        fs_err::create_dir(folder.join(MARKER)).unwrap();
        assert_eq!(read_marker(folder).unwrap(), Marker::NotAFile);
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_marker_is_not_a_marker() {
        let temp = tempfile::tempdir().unwrap();
        let real = temp.path().join("real-marker");
        fs_err::write(&real, site_manifest().to_text()).unwrap();
        let folder = temp.path().join("site");
        fs_err::create_dir(&folder).unwrap();
        std::os::unix::fs::symlink(&real, folder.join(MARKER)).unwrap();
        assert_eq!(read_marker(&folder).unwrap(), Marker::NotAFile);
    }

    #[test]
    fn foreign_entries_are_named_down_to_the_file() {
        let temp = tempfile::tempdir().unwrap();
        let folder = temp.path();
        for file in [
            "index.html",
            "assets/findings.css",
            "themes/c.html",
            "CNAME",
            "extra/report.pdf",
        ] {
            let path = folder.join(file);
            fs_err::create_dir_all(path.parent().unwrap()).unwrap();
            fs_err::write(path, "x").unwrap();
        }
        fs_err::create_dir_all(folder.join("themes/empty")).unwrap();
        // A folder where the manifest has a file.
        fs_err::create_dir_all(folder.join("themes/a/b.html")).unwrap();
        fs_err::write(folder.join(MARKER), "x").unwrap();
        let foreign = foreign_entries(folder, &site_manifest()).unwrap();
        assert_eq!(
            foreign,
            Foreign {
                entries: vec![
                    "CNAME".to_owned(),
                    "extra/report.pdf".to_owned(),
                    "themes/a/b.html/".to_owned(),
                    "themes/empty/".to_owned(),
                ],
                more: false,
            }
        );
        for file in ["CNAME", "extra/report.pdf"] {
            fs_err::remove_file(folder.join(file)).unwrap();
        }
        for empty in ["extra", "themes/empty", "themes/a/b.html"] {
            fs_err::remove_dir(folder.join(empty)).unwrap();
        }
        assert_eq!(foreign_entries(folder, &site_manifest()).unwrap(), Foreign::default());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_an_entry_and_is_not_followed() {
        let temp = tempfile::tempdir().unwrap();
        let elsewhere = temp.path().join("elsewhere");
        fs_err::create_dir_all(elsewhere.join("deep")).unwrap();
        fs_err::write(elsewhere.join("deep/file"), "x").unwrap();
        let folder = temp.path().join("site");
        fs_err::create_dir(&folder).unwrap();
        fs_err::write(folder.join("index.html"), "x").unwrap();
        // Links named like a listed file and a listed folder.
        std::os::unix::fs::symlink(&elsewhere, folder.join("assets")).unwrap();
        std::os::unix::fs::symlink(elsewhere.join("deep/file"), folder.join("themes")).unwrap();
        let foreign = foreign_entries(&folder, &site_manifest()).unwrap();
        assert_eq!(foreign.entries, ["assets", "themes"]);
    }

    #[test]
    fn the_search_for_foreign_entries_is_bounded() {
        let temp = tempfile::tempdir().unwrap();
        let extra = temp.path().join("extra");
        fs_err::create_dir(&extra).unwrap();
        for index in 0..=MAX_FOREIGN {
            fs_err::write(extra.join(format!("{index:05}")), "").unwrap();
        }
        let foreign = foreign_entries(temp.path(), &Manifest::default()).unwrap();
        assert_eq!(foreign.entries.len(), MAX_FOREIGN);
        assert!(foreign.more);
    }
}
