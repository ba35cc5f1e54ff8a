//! `serve`'s incremental rebuilds: after each edit of a series, the site
//! rebuilt incrementally is byte for byte the site a full build of the
//! edited study gives, with the same diagnostics, and the incremental path
//! is taken where it should be (and the pages it renders are named).

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use findings::render::{Site, SiteOptions};
use findings::serve::{Incremental, Scope};

use crate::support::{bundled_study, copy_dir, valid_fixture};

/// A study copied into a temporary folder, its incremental builds, and
/// the number of edits made (each moves the file's time on, so that even
/// an edit that keeps the size is seen).
struct Editing {
    _temp: tempfile::TempDir,
    dir: std::path::PathBuf,
    builds: Incremental,
    edits: u64,
}

impl Editing {
    fn of(study: &Path) -> Self {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("study");
        copy_dir(study, &dir);
        let builds = Incremental::new(dir.clone(), SiteOptions::default());
        Self {
            _temp: temp,
            dir,
            builds,
            edits: 0,
        }
    }

    /// The study-relative path of the first theme file, by name.
    fn first_theme(&self) -> String {
        let theme = fs::read_dir(self.dir.join("themes"))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .min()
            .unwrap();
        format!("themes/{theme}")
    }

    /// Replaces `from` by `to` in the study's file `relative`.
    fn edit(&mut self, relative: &str, from: &str, to: &str) {
        let path = self.dir.join(relative);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{relative} holds {from:?}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
        self.edits += 1;
        let file = fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(SystemTime::now() + Duration::from_secs(self.edits))
            .unwrap();
    }

    /// Rebuilds incrementally, checks the result against a full build of
    /// the study as it is now, and gives how it was built.
    fn rebuild(&mut self) -> Scope {
        self.timed_rebuild().0
    }

    /// As [`Editing::rebuild`], also giving how long the rebuild alone took.
    fn timed_rebuild(&mut self) -> (Scope, Duration) {
        let started = Instant::now();
        let rebuilt = self.builds.rebuild().unwrap();
        let took = started.elapsed();
        let (full, checked) = findings::build_site(&self.dir, &SiteOptions::default()).unwrap();
        assert_eq!(rebuilt.checked.diagnostics, checked.diagnostics);
        let full = full.expect("the edited study builds");
        same_site(rebuilt.site.as_ref().expect("the rebuild gives a site"), &full);
        assert_eq!(
            rebuilt.pages,
            full.page_count() + usize::from(full.files.contains_key("sitemap.xml"))
        );
        (rebuilt.scope, took)
    }
}

/// The two sites have the same files with the same bytes.
fn same_site(incremental: &Site, full: &Site) {
    let paths = |site: &Site| site.files.keys().cloned().collect::<Vec<_>>();
    assert_eq!(paths(incremental), paths(full));
    for (path, bytes) in &full.files {
        assert!(incremental.files[path] == *bytes, "{path} differs from a full build's");
    }
}

/// The pages an incremental build rendered, or a failure saying it was a
/// full one.
fn rendered(scope: Scope) -> Vec<String> {
    match scope {
        Scope::Incremental { rendered, .. } => rendered,
        Scope::Full { reason } => panic!("a full build ({reason}) where an incremental one was due"),
    }
}

#[test]
fn edits_to_the_narrative_rebuild_only_what_depends_on_them() {
    let mut study = Editing::of(&bundled_study());
    assert_eq!(
        study.rebuild(),
        Scope::Full {
            reason: "first build".to_owned()
        }
    );

    // A paragraph of a theme: its page, and not the others.
    study.edit(
        "themes/01-sp-experience.md",
        "There appeared to be no clear pathway",
        "There appeared to be no obvious pathway",
    );
    let pages = rendered(study.rebuild());
    assert!(pages.contains(&"themes/sp-experience.html".to_owned()), "{pages:?}");
    assert!(
        !pages.contains(&"themes/working-with-clients.html".to_owned()),
        "{pages:?}"
    );
    assert!(!pages.iter().any(|page| page.starts_with("participants/")), "{pages:?}");

    // A quote moved to another theme: both themes, and the pages that
    // list the quote with its place.
    study.edit("themes/01-sp-experience.md", "{{quote magic-wand}}\n", "");
    study.edit(
        "themes/02-working-with-clients.md",
        "{{quote supportive-team}}\n",
        "{{quote supportive-team}}\n\n{{quote magic-wand}}\n",
    );
    let pages = rendered(study.rebuild());
    assert!(pages.contains(&"themes/sp-experience.html".to_owned()), "{pages:?}");
    assert!(
        pages.contains(&"themes/working-with-clients.html".to_owned()),
        "{pages:?}"
    );
    assert!(pages.iter().any(|page| page.starts_with("participants/")), "{pages:?}");
    assert!(pages.iter().any(|page| page.starts_with("services/")), "{pages:?}");

    // A citation added: the reference list says where it is cited.
    study.edit(
        "themes/03-working-in-services.md",
        "\n\n",
        " This was noted before [@baddeley2016].\n\n",
    );
    let pages = rendered(study.rebuild());
    assert!(pages.contains(&"references.html".to_owned()), "{pages:?}");

    // A subtheme renamed: the theme, the findings overview, and the pages
    // listing its quotes with their place.
    study.edit(
        "themes/01-sp-experience.md",
        "## Professional background",
        "## Professional paths",
    );
    let pages = rendered(study.rebuild());
    assert!(pages.contains(&"themes/sp-experience.html".to_owned()), "{pages:?}");
    assert!(pages.iter().any(|page| page.starts_with("participants/")), "{pages:?}");

    // A section's title is in every page's navigation.
    study.edit("sections/02-methods.md", "title: Methods", "title: Methods used");
    let pages = rendered(study.rebuild());
    assert!(pages.iter().any(|page| page.starts_with("participants/")), "{pages:?}");

    // A record file: a full build.
    study.edit("quotes.yaml", "quotes:", "# Edited.\nquotes:");
    assert_eq!(
        study.rebuild(),
        Scope::Full {
            reason: "quotes.yaml changed".to_owned()
        }
    );

    // And incremental again after it.
    study.edit("themes/02-working-with-clients.md", "{{quote magic-wand}}\n", "");
    study.edit(
        "themes/01-sp-experience.md",
        "{{quote love-working-with-people}}\n",
        "{{quote love-working-with-people}}\n\n{{quote magic-wand}}\n",
    );
    rendered(study.rebuild());
}

#[test]
fn the_valid_fixture_rebuilds_the_same_after_each_edit() {
    let mut study = Editing::of(&valid_fixture());
    study.rebuild();
    let theme = study.first_theme();
    study.edit(&theme, "\n\n", "\n\nAn added sentence.\n\n");
    rendered(study.rebuild());
    study.edit("sections/01-methods.md", "\n\n", "\n\nAnother added sentence.\n\n");
    rendered(study.rebuild());
}

/// The records are checked once and kept while only the narrative
/// changes: their warnings must still be reported after each edit.
#[test]
fn warnings_in_records_stay_reported_after_a_narrative_edit() {
    let mut study = Editing::of(&valid_fixture());
    study.edit("roles.yaml", "Mostly client-facing", "Mostly client\u{200B}-facing");
    study.rebuild();
    let theme = study.first_theme();
    study.edit(&theme, "\n\n", "\n\nAn added sentence.\n\n");
    let rebuilt = study.builds.rebuild().unwrap();
    assert!(
        matches!(rebuilt.scope, Scope::Incremental { .. }),
        "{:?}",
        rebuilt.scope
    );
    let codes: Vec<_> = rebuilt
        .checked
        .diagnostics
        .iter()
        .map(|diagnostic| diagnostic.code.id())
        .collect();
    assert_eq!(codes, ["W008"]);
    let full = findings::check_study(&study.dir).unwrap();
    assert_eq!(rebuilt.checked.diagnostics, full.diagnostics);
}

#[test]
fn the_generated_findings_overview_follows_edits_to_the_themes() {
    let mut study = Editing::of(&valid_fixture());
    study.edit("sections/02-results.md", "findings: true\n", "");
    study.rebuild();
    // A quote moves from one subtheme to the other: the overview's counts
    // change, so findings.html is rendered again.
    study.edit(
        "themes/01-experience.md",
        "{{quote blank-page}}\n\n## Workload {#workload}\n",
        "## Workload {#workload}\n\n{{quote blank-page}}\n",
    );
    assert!(rendered(study.rebuild()).contains(&"findings.html".to_owned()));
}

#[test]
fn a_file_added_or_an_edit_with_errors_is_a_full_build() {
    let mut study = Editing::of(&valid_fixture());
    study.rebuild();
    fs::write(
        study.dir.join("sections/09-extra.md"),
        "---\nid: extra\ntitle: Extra\n---\nMore.\n",
    )
    .unwrap();
    assert_eq!(
        study.rebuild(),
        Scope::Full {
            reason: "files were added, removed or renamed".to_owned()
        }
    );
    // An unknown quote is an error: no site, and the diagnostics of a
    // full check.
    study.edit("sections/09-extra.md", "More.", "More.\n\n{{quote no-such-quote}}");
    let rebuilt = study.builds.rebuild().unwrap();
    assert!(rebuilt.site.is_none());
    let checked = findings::check_study(&study.dir).unwrap();
    assert_eq!(rebuilt.checked.diagnostics, checked.diagnostics);
    // Fixed again: the build after a failed one is a full one.
    study.edit("sections/09-extra.md", "\n\n{{quote no-such-quote}}", "");
    assert!(matches!(study.rebuild(), Scope::Full { .. }));
}

/// The middle of five or so timings.
fn median(mut times: Vec<Duration>) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

/// A measurement, not a check of speed: a full build of a generated study
/// against an incremental rebuild after an edit to one theme file (each
/// still checked against a full build). Run it on a release build:
/// `cargo run --release --example gen-study -- 10000 DIR`, then
/// `FINDINGS_STUDY=DIR cargo test --release --test it -- --ignored --nocapture incremental_rebuild_time`.
#[test]
#[ignore = "a measurement on a generated study named by FINDINGS_STUDY"]
#[expect(clippy::print_stderr, reason = "a measurement reports its figures")]
fn incremental_rebuild_time() {
    let generated = std::env::var_os("FINDINGS_STUDY").expect("FINDINGS_STUDY names a generated study");
    let mut study = Editing::of(Path::new(&generated));
    let full: Vec<Duration> = (0..5)
        .map(|_| {
            let started = Instant::now();
            let (site, _) = findings::build_site(&study.dir, &SiteOptions::default()).unwrap();
            assert!(site.is_some());
            started.elapsed()
        })
        .collect();
    study.rebuild();
    let mut rendered_pages = 0;
    let incremental: Vec<Duration> = (1..=5)
        .map(|edit| {
            study.edit(
                "themes/03-theme-03.md",
                "\n\n",
                &format!("\n\nAn added sentence, number {edit}.\n\n"),
            );
            let (scope, took) = study.timed_rebuild();
            rendered_pages = rendered(scope).len();
            took
        })
        .collect();
    let (full, incremental) = (median(full), median(incremental));
    eprintln!(
        "full build: {:.3} s; incremental rebuild after a theme edit: {:.3} s ({rendered_pages} pages rendered), {:.1} % of a full build",
        full.as_secs_f64(),
        incremental.as_secs_f64(),
        100.0 * incremental.as_secs_f64() / full.as_secs_f64()
    );
}
