//! Helpers for the `findings build` tests: running the binary on a study,
//! reading the output folder back, and looking into its pages with
//! `scraper`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::process::Output;

use scraper::{ElementRef, Html, Selector};

pub use crate::support::{bundled_study, copy_dir, findings, valid_fixture};

/// Runs `findings build STUDY -o OUT ARGS...` and returns what it did.
pub fn build(study: &Path, out: &Path, args: &[&str]) -> Output {
    findings()
        .arg("build")
        .arg(study)
        .arg("-o")
        .arg(out)
        .args(args)
        .output()
        .expect("findings runs")
}

/// The exit code of a run, with its output when it is not the expected one.
#[track_caller]
pub fn assert_exit(output: &Output, expected: i32) {
    assert_eq!(
        output.status.code(),
        Some(expected),
        "exit status {:?}, expected {expected}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Builds `study` into `out` and checks that it succeeded.
#[track_caller]
pub fn build_ok(study: &Path, out: &Path, args: &[&str]) -> Site {
    let output = build(study, out, args);
    assert_exit(&output, 0);
    Site::read(out)
}

/// A copy of the valid fixture in a new temporary folder, as `ROOT/study`.
pub fn valid_copy() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let study = temp.path().join("study");
    copy_dir(&valid_fixture(), &study);
    (temp, study)
}

/// Writes `text` to `study/relative`, creating folders.
pub fn write(study: &Path, relative: &str, text: &str) {
    let path = study.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Every file under `root`, by `/`-separated relative path, with its bytes;
/// folders are listed too (as `path/` with no bytes), so that empty ones
/// count. Symbolic links are reported as such, never followed.
pub fn read_tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, folder: &Path, into: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(folder).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let relative = relative_path(root, &path);
            let kind = entry.file_type().unwrap();
            if kind.is_symlink() {
                into.insert(format!("{relative} -> (link)"), Vec::new());
            } else if kind.is_dir() {
                into.insert(format!("{relative}/"), Vec::new());
                walk(root, &path, into);
            } else {
                into.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut tree = BTreeMap::new();
    walk(root, root, &mut tree);
    tree
}

fn relative_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap()
        .components()
        .map(|component| component.as_os_str().to_str().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Asserts that two trees are byte-identical, naming the first difference.
#[track_caller]
pub fn assert_same_tree(left: &BTreeMap<String, Vec<u8>>, right: &BTreeMap<String, Vec<u8>>) {
    let left_names: Vec<&String> = left.keys().collect();
    let right_names: Vec<&String> = right.keys().collect();
    assert_eq!(left_names, right_names, "the trees hold different files");
    for (name, bytes) in left {
        assert!(
            bytes == &right[name],
            "{name} differs:\n--- left\n{}\n--- right\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&right[name])
        );
    }
}

/// The names in a folder, sorted.
pub fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

/// A built site: its files, and its HTML pages parsed.
pub struct Site {
    pub root: PathBuf,
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Site {
    /// Reads the output folder `root`.
    pub fn read(root: &Path) -> Self {
        let files = read_tree(root)
            .into_iter()
            .filter(|(name, _)| !name.ends_with('/'))
            .collect();
        Self {
            root: root.to_path_buf(),
            files,
        }
    }

    /// The paths of the HTML pages.
    pub fn pages(&self) -> Vec<String> {
        self.files
            .keys()
            .filter(|name| name.ends_with(".html"))
            .cloned()
            .collect()
    }

    /// The text of a file.
    #[track_caller]
    pub fn text(&self, path: &str) -> String {
        let bytes = self
            .files
            .get(path)
            .unwrap_or_else(|| panic!("the site has no {path}; it has {:?}", self.files.keys()));
        String::from_utf8(bytes.clone()).unwrap_or_else(|_| panic!("{path} is not UTF-8"))
    }

    /// A page, parsed.
    #[track_caller]
    pub fn page(&self, path: &str) -> Html {
        Html::parse_document(&self.text(path))
    }
}

/// A CSS selector.
#[track_caller]
pub fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|error| panic!("bad selector {css}: {error:?}"))
}

/// The elements of `html` that match `css`.
pub fn select<'a>(html: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    html.select(&selector(css)).collect()
}

/// The only element of `html` that matches `css`.
#[track_caller]
pub fn select_one<'a>(html: &'a Html, css: &str) -> ElementRef<'a> {
    let found = select(html, css);
    assert_eq!(found.len(), 1, "expected exactly one `{css}`, found {}", found.len());
    found[0]
}

/// The elements under `element` that match `css`.
pub fn select_in<'a>(element: ElementRef<'a>, css: &str) -> Vec<ElementRef<'a>> {
    element.select(&selector(css)).collect()
}

/// The text of an element, as a reader sees it: whitespace runs collapsed
/// to one space, trimmed.
pub fn text_of(element: ElementRef<'_>) -> String {
    collapse(&element.text().collect::<String>())
}

/// The text of an element exactly as it is in the document.
pub fn raw_text_of(element: ElementRef<'_>) -> String {
    element.text().collect()
}

/// Collapses whitespace runs to one space and trims.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The ids of a page, with how often each occurs.
pub fn ids(html: &Html) -> BTreeMap<String, usize> {
    let mut ids = BTreeMap::new();
    for element in html.root_element().descendent_elements() {
        if let Some(id) = element.value().id() {
            *ids.entry(id.to_owned()).or_insert(0) += 1;
        }
    }
    ids
}

/// Where a link leads inside the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The file, relative to the site root.
    pub file: String,
    /// The fragment, if any.
    pub fragment: Option<String>,
}

/// Whether a link leaves the site on purpose (http, https or mailto).
pub fn is_external(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
}

/// Resolves a relative link found in `page` (a site path) to a site file
/// and fragment. `Err` says why the link is not a plain relative link
/// inside the site.
pub fn resolve(page: &str, url: &str) -> Result<Target, String> {
    if url.trim() != url {
        return Err("has surrounding whitespace".to_owned());
    }
    if url.starts_with('/') || url.starts_with('\\') {
        return Err("is absolute".to_owned());
    }
    let (before_fragment, fragment) = match url.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment.to_owned())),
        None => (url, None),
    };
    if before_fragment.contains('?') {
        return Err("has a query".to_owned());
    }
    if let Some(colon) = before_fragment.find(':')
        && !before_fragment[..colon].contains('/')
    {
        return Err("has a scheme".to_owned());
    }
    if before_fragment.contains('\\') || before_fragment.contains('%') {
        return Err("has a backslash or an escape".to_owned());
    }
    if before_fragment.is_empty() {
        return Ok(Target {
            file: page.to_owned(),
            fragment,
        });
    }
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for component in Path::new(before_fragment).components() {
        match component {
            Component::Normal(name) => parts.push(name.to_str().unwrap()),
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.pop().is_none() {
                    return Err("leaves the output folder".to_owned());
                }
            }
            Component::RootDir | Component::Prefix(_) => return Err("is absolute".to_owned()),
        }
    }
    Ok(Target {
        file: parts.join("/"),
        fragment,
    })
}

/// The attributes that hold addresses.
pub const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "poster",
    "data",
    "cite",
    "background",
    "xlink:href",
    "longdesc",
    "manifest",
    "ping",
];

/// Every address of a page: (element name, attribute, value).
pub fn urls(html: &Html) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    for element in html.root_element().descendent_elements() {
        for (name, value) in element.value().attrs() {
            if URL_ATTRIBUTES.contains(&name.to_ascii_lowercase().as_str()) {
                found.push((element.value().name().to_owned(), name.to_owned(), value.to_owned()));
            }
        }
    }
    found
}

/// Checks every link of every page of `site`: relative links resolve to a
/// file of the site, fragments to an id of the target page, and nothing
/// points outside the output folder. Returns every problem found.
pub fn link_problems(site: &Site) -> Vec<String> {
    let mut problems = Vec::new();
    let mut page_ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for page in site.pages() {
        let html = site.page(&page);
        for (id, count) in ids(&html) {
            if count > 1 {
                problems.push(format!("{page}: id `{id}` is used {count} times"));
            }
        }
        page_ids.insert(page.clone(), ids(&html).into_keys().collect());
    }
    let root = site.root.to_str().unwrap().to_owned();
    for page in site.pages() {
        let text = site.text(&page);
        if text.contains(&root) {
            problems.push(format!("{page}: contains the output folder's absolute path"));
        }
        let html = Html::parse_document(&text);
        for (element, attribute, url) in urls(&html) {
            if is_external(&url) {
                continue;
            }
            let at = format!("{page}: <{element} {attribute}=\"{url}\">");
            let target = match resolve(&page, &url) {
                Ok(target) => target,
                Err(why) => {
                    problems.push(format!("{at} {why}"));
                    continue;
                }
            };
            if !site.files.contains_key(&target.file) {
                problems.push(format!(
                    "{at} leads to {}, which is not a file of the site",
                    target.file
                ));
                continue;
            }
            if let Some(fragment) = &target.fragment {
                match page_ids.get(&target.file) {
                    Some(known) if known.contains(fragment) => {}
                    Some(_) => problems.push(format!("{at}: {} has no id `{fragment}`", target.file)),
                    None => problems.push(format!(
                        "{at}: {} is not a page, but the link has a fragment",
                        target.file
                    )),
                }
            }
        }
    }
    problems
}

/// Builds `study` and checks its links (see [`link_problems`]).
#[track_caller]
pub fn assert_links_resolve(site: &Site) {
    let problems = link_problems(site);
    assert!(problems.is_empty(), "broken links:\n{}", problems.join("\n"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_resolved_like_a_browser() {
        let target = |file: &str, fragment: Option<&str>| {
            Ok(Target {
                file: file.to_owned(),
                fragment: fragment.map(str::to_owned),
            })
        };
        assert_eq!(resolve("themes/a.html", "../index.html"), target("index.html", None));
        assert_eq!(resolve("themes/a.html", "b.html#x"), target("themes/b.html", Some("x")));
        assert_eq!(resolve("themes/a.html", "#x"), target("themes/a.html", Some("x")));
        assert_eq!(resolve("index.html", "./a/b.html"), target("a/b.html", None));
        assert!(resolve("index.html", "../x.html").is_err());
        assert!(resolve("themes/a.html", "../../x.html").is_err());
        assert!(resolve("index.html", "/etc/passwd").is_err());
        assert!(resolve("index.html", "javascript:alert(1)").is_err());
        assert!(resolve("index.html", "C:/x.html").is_err());
        assert!(resolve("index.html", " index.html").is_err());
        assert!(is_external("https://example.org"));
        assert!(is_external("mailto:a@b.c"));
        assert!(!is_external("javascript:alert(1)"));
    }
}
