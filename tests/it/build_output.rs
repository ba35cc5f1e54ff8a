//! The output folder: replaced only by a complete new site, reproducible,
//! and never a folder findings did not write (unless told), never through a
//! symbolic link, with nothing left beside it.

use std::path::Path;

use crate::site_support::{
    assert_exit, assert_same_tree, build, build_ok, bundled_study, copy_dir, findings, names_in, read_tree, valid_copy,
    write,
};

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_failed_build_leaves_the_previous_site_byte_identical() {
    let (temp, study) = valid_copy();
    let out = temp.path().join("public");
    build_ok(&study, &out, &[]);
    let before = read_tree(&out);
    assert!(before.contains_key("index.html") && before.contains_key(".findings-site"));
    let quotes = std::fs::read_to_string(study.join("quotes.yaml")).unwrap();

    // An error in the records: found while checking.
    write(
        &study,
        "quotes.yaml",
        &quotes.replace("participant: 1b", "participant: nobody"),
    );
    let output = build(&study, &out, &[]);
    assert_exit(&output, 1);
    assert!(
        stderr(&output).contains("the site was not written"),
        "{}",
        stderr(&output)
    );
    assert_same_tree(&read_tree(&out), &before);
    assert_eq!(
        names_in(temp.path()),
        ["public", "study"],
        "nothing is left beside the output"
    );
    write(&study, "quotes.yaml", &quotes);

    // An error found only while rendering: a template that uses a value no
    // page has.
    write(
        &study,
        "templates/theme.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ no_such_value.field }}\n{% endblock content %}\n",
    );
    let output = build(&study, &out, &[]);
    assert_exit(&output, 1);
    assert!(stderr(&output).contains("E501"), "{}", stderr(&output));
    assert_same_tree(&read_tree(&out), &before);
    assert_eq!(names_in(temp.path()), ["public", "study"]);
    std::fs::remove_dir_all(study.join("templates")).unwrap();

    // A static file that would replace a generated page.
    write(&study, "static/index.html", "<p>mine</p>");
    let output = build(&study, &out, &[]);
    assert_exit(&output, 1);
    assert!(stderr(&output).contains("E502"), "{}", stderr(&output));
    assert_same_tree(&read_tree(&out), &before);
    assert_eq!(names_in(temp.path()), ["public", "study"]);
    std::fs::remove_dir_all(study.join("static")).unwrap();

    // Warnings denied.
    let sections = std::fs::read_to_string(study.join("sections/01-methods.md")).unwrap();
    write(
        &study,
        "sections/01-methods.md",
        &sections.replace("[@braun2006]", "(Braun and Clarke, 2006)"),
    );
    let output = build(&study, &out, &["--deny-warnings"]);
    assert_exit(&output, 1);
    assert_same_tree(&read_tree(&out), &before);
    assert_eq!(names_in(temp.path()), ["public", "study"]);

    // And once fixed, the site is replaced.
    write(&study, "sections/01-methods.md", &sections);
    std::fs::write(study.join("study.yaml"), {
        let text = std::fs::read_to_string(study.join("study.yaml")).unwrap();
        text.replace("a small test study", "a renamed test study")
    })
    .unwrap();
    let output = build(&study, &out, &[]);
    assert_exit(&output, 0);
    let after = read_tree(&out);
    assert_ne!(after["index.html"], before["index.html"]);
    assert!(String::from_utf8_lossy(&after["index.html"]).contains("a renamed test study"));
    assert_eq!(names_in(temp.path()), ["public", "study"]);
}

#[test]
fn pages_a_study_no_longer_has_are_removed() {
    let (temp, study) = valid_copy();
    let out = temp.path().join("public");
    build_ok(&study, &out, &["--base-url", "https://example.org/x"]);
    assert!(out.join("sitemap.xml").is_file());
    assert!(out.join("participants/2.html").is_file());
    // Without a base URL there is no sitemap; without the static file it is
    // gone too.
    write(&study, "static/notes/extra.txt", "extra");
    build_ok(&study, &out, &[]);
    assert!(out.join("notes/extra.txt").is_file());
    std::fs::remove_dir_all(study.join("static")).unwrap();
    build_ok(&study, &out, &[]);
    assert!(!out.join("sitemap.xml").exists());
    assert!(!out.join("notes").exists());
}

#[test]
fn two_builds_of_the_same_study_are_byte_identical() {
    let (temp, study) = valid_copy();
    let first = temp.path().join("first");
    let second = temp.path().join("second");
    build_ok(&study, &first, &[]);
    build_ok(&study, &second, &[]);
    assert_same_tree(&read_tree(&first), &read_tree(&second));
    // Rebuilding in place changes nothing either.
    let before = read_tree(&first);
    build_ok(&study, &first, &[]);
    assert_same_tree(&read_tree(&first), &before);

    let temp = tempfile::tempdir().unwrap();
    let one = temp.path().join("one");
    let two = temp.path().join("two");
    build_ok(
        &bundled_study(),
        &one,
        &["--base-url", "https://example.org/reports/sp"],
    );
    build_ok(
        &bundled_study(),
        &two,
        &["--base-url", "https://example.org/reports/sp"],
    );
    assert_same_tree(&read_tree(&one), &read_tree(&two));
}

#[test]
fn the_site_is_the_same_whatever_the_number_of_threads() {
    // Pages render in parallel and are written as they finish; the bytes
    // must not depend on which thread rendered what, or in what order.
    let temp = tempfile::tempdir().unwrap();
    let built_with = |threads: &str| {
        let out = temp.path().join(format!("threads-{threads}"));
        let output = findings()
            .env("RAYON_NUM_THREADS", threads)
            .arg("build")
            .arg(bundled_study())
            .arg("-o")
            .arg(&out)
            .args(["--base-url", "https://example.org/reports/sp"])
            .output()
            .expect("findings runs");
        assert_exit(&output, 0);
        read_tree(&out)
    };
    let one = built_with("1");
    assert!(one.len() > 10 && one.contains_key(".findings-site"));
    for threads in ["2", "8"] {
        assert_same_tree(&built_with(threads), &one);
    }
}

#[test]
fn builds_from_two_checkouts_are_identical() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    let study_one = first.path().join("data");
    let study_two = second.path().join("a much/deeper/checkout path/data");
    copy_dir(&bundled_study(), &study_one);
    copy_dir(&bundled_study(), &study_two);
    let out_one = first.path().join("public");
    let out_two = second.path().join("elsewhere/site");
    build_ok(&study_one, &out_one, &[]);
    build_ok(&study_two, &out_two, &[]);
    assert_same_tree(&read_tree(&out_one), &read_tree(&out_two));

    // Relative paths, run from the checkout, give the same site too.
    let output = findings()
        .current_dir(second.path().join("a much/deeper/checkout path"))
        .args(["build", "data", "-o", "public"])
        .output()
        .unwrap();
    assert_exit(&output, 0);
    assert_same_tree(
        &read_tree(&out_one),
        &read_tree(&second.path().join("a much/deeper/checkout path/public")),
    );
    // The default study folder is `data` and the default output `public`.
    let output = findings().current_dir(first.path()).args(["build"]).output().unwrap();
    assert_exit(&output, 0);
    assert_same_tree(&read_tree(&out_one), &read_tree(&first.path().join("public")));
}

#[test]
fn a_folder_findings_did_not_write_is_refused_unless_forced() {
    let (temp, study) = valid_copy();
    let out = temp.path().join("mine");
    write(&out, "notes.txt", "my notes");
    write(&out, "drafts/chapter.md", "# Chapter");
    let before = read_tree(&out);

    let output = build(&study, &out, &[]);
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("--force"), "{}", stderr(&output));
    assert_same_tree(&read_tree(&out), &before);
    assert_eq!(names_in(temp.path()), ["mine", "study"]);

    // A folder holding only hidden files is not empty either.
    let hidden = temp.path().join("repo");
    write(&hidden, ".git/HEAD", "ref: refs/heads/main\n");
    let output = build(&study, &hidden, &[]);
    assert_exit(&output, 2);
    assert_eq!(read_tree(&hidden).len(), 2);
    std::fs::remove_dir_all(&hidden).unwrap();

    let output = build(&study, &out, &["--force"]);
    assert_exit(&output, 0);
    assert!(!out.join("notes.txt").exists());
    assert!(!out.join("drafts").exists());
    assert!(out.join("index.html").is_file());
    assert!(out.join(".findings-site").is_file());
    assert_eq!(names_in(temp.path()), ["mine", "study"]);

    // Now it is findings' own: no --force needed.
    let output = build(&study, &out, &[]);
    assert_exit(&output, 0);

    // An empty folder is fine.
    let empty = temp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let output = build(&study, &empty, &[]);
    assert_exit(&output, 0);
    assert!(empty.join("index.html").is_file());
}

#[test]
fn an_output_path_that_is_a_file_is_refused() {
    let (temp, study) = valid_copy();
    let out = temp.path().join("public");
    std::fs::write(&out, "a file").unwrap();
    for args in [&[][..], &["--force"][..]] {
        let output = build(&study, &out, args);
        assert_exit(&output, 2);
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "a file");
        assert_eq!(names_in(temp.path()), ["public", "study"]);
    }
}

#[cfg(unix)]
#[test]
fn an_output_folder_that_is_a_symbolic_link_is_refused() {
    let (temp, study) = valid_copy();
    // A link to an empty folder, and a link to a site findings wrote.
    let empty = temp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let site = temp.path().join("site");
    build_ok(&study, &site, &[]);
    let site_before = read_tree(&site);
    for (link, target) in [("to-empty", &empty), ("to-site", &site)] {
        let link = temp.path().join(link);
        std::os::unix::fs::symlink(target, &link).unwrap();
        for args in [&[][..], &["--force"][..]] {
            let output = build(&study, &link, args);
            assert_exit(&output, 2);
            assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
            assert_eq!(&std::fs::read_link(&link).unwrap(), target);
        }
    }
    assert!(read_tree(&empty).is_empty());
    assert_same_tree(&read_tree(&site), &site_before);
    assert_eq!(names_in(temp.path()), ["empty", "site", "study", "to-empty", "to-site"]);
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_inside_the_previous_site_is_not_followed() {
    // A link someone put inside a site is something findings did not
    // write: named and kept. Replacing the site with --force removes the
    // link, not what it points to.
    let (temp, study) = valid_copy();
    let out = temp.path().join("public");
    build_ok(&study, &out, &[]);
    let precious = temp.path().join("precious");
    write(&precious, "keep.txt", "keep");
    std::os::unix::fs::symlink(&precious, out.join("link")).unwrap();
    let output = build(&study, &out, &[]);
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("1 file that findings did not write: link;"),
        "{}",
        stderr(&output)
    );
    assert!(
        std::fs::symlink_metadata(out.join("link"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    build_ok(&study, &out, &["--force"]);
    assert!(std::fs::symlink_metadata(out.join("link")).is_err());
    assert_eq!(std::fs::read_to_string(precious.join("keep.txt")).unwrap(), "keep");
}

#[test]
fn a_missing_output_parent_is_created() {
    let (temp, study) = valid_copy();
    let out = temp.path().join("a/b/public");
    build_ok(&study, &out, &[]);
    assert_eq!(names_in(&temp.path().join("a/b")), ["public"]);
    assert!(Path::new(&out).join("index.html").is_file());
}
