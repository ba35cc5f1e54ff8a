//! `findings templates export DIR`: writes every built-in template, partial
//! and asset at the path a study's `templates/` overrides it from, so that
//! a study holding the exported files unchanged builds the very site it
//! builds without them; refuses a folder with files in it.

use crate::site_support::{assert_same_tree, build_ok, copy_dir, read_tree, valid_copy};
use crate::support::{findings, run, transcript};

/// What the export writes: the templates and assets in the repository's
/// `templates/` folder, but not the new-study scaffold nor serve's script.
const EXPORTED: &[&str] = &[
    "404.html",
    "assets/findings.css",
    "base.html",
    "findings.html",
    "index.html",
    "labels.html",
    "partials/blocks.html",
    "partials/chart.html",
    "partials/figures.html",
    "partials/pager.html",
    "partials/quote.html",
    "partials/table-roles.html",
    "partials/table-sample.html",
    "partials/table-typology.html",
    "partials/themes.html",
    "partials/toc.html",
    "participant.html",
    "participants.html",
    "references.html",
    "section.html",
    "service.html",
    "services.html",
    "sitemap.xml",
    "subtheme.html",
    "theme.html",
];

#[test]
fn exported_templates_build_the_same_site() {
    let temp = tempfile::tempdir().unwrap();
    let exported = temp.path().join("exported");
    let written = run(findings().args(["templates", "export"]).arg(&exported));
    insta::assert_snapshot!("templates_export", transcript(&written, Some(temp.path())));
    let tree = read_tree(&exported);
    let files: Vec<&str> = tree
        .keys()
        .filter(|name| !name.ends_with('/'))
        .map(String::as_str)
        .collect();
    assert_eq!(files, EXPORTED);
    // Each file is the one in the repository's templates/ folder.
    let repository = crate::support::manifest_dir().join("templates");
    for name in EXPORTED {
        assert_eq!(
            tree[*name],
            std::fs::read(repository.join(name)).unwrap(),
            "{name} is exported as it is built in"
        );
    }

    let (_plain_temp, plain) = valid_copy();
    let (_overridden_temp, overridden) = valid_copy();
    copy_dir(&exported, &overridden.join("templates"));
    for args in [&[][..], &["--base-url", "https://example.org/study"][..]] {
        let default_site = build_ok(&plain, &temp.path().join("default"), args);
        let overridden_site = build_ok(&overridden, &temp.path().join("overridden"), args);
        assert_same_tree(&default_site.files, &overridden_site.files);
    }
}

#[test]
fn export_never_writes_into_a_folder_with_files() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(temp.path().join("base.html"), "mine").unwrap();
    let refused = run(findings().args(["templates", "export"]).arg(temp.path()));
    insta::assert_snapshot!("templates_export_refused", transcript(&refused, Some(temp.path())));
    assert_eq!(std::fs::read_to_string(temp.path().join("base.html")).unwrap(), "mine");
    assert_eq!(std::fs::read_dir(temp.path()).unwrap().count(), 1);
}
