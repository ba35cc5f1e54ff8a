//! The authoring workflow: `findings new`, `findings completions`, and the
//! live preview of `findings serve`, exercised over real HTTP on 127.0.0.1.

use std::process::Command;

use crate::serve_support::{events, get, serve, spawn, wait_for, wait_for_line};
use crate::support::{copy_dir, findings, run, valid_fixture};

#[test]
fn new_then_check_then_build() {
    let temp = tempfile::tempdir().unwrap();
    let study = temp.path().join("my-study");
    let created = run(findings().arg("new").arg(&study));
    assert_eq!(created.code, 0, "{}", created.stderr);
    assert!(created.stderr.contains("created a new study"), "{}", created.stderr);
    let checked = run(findings().arg("check").arg(&study).arg("--deny-warnings"));
    assert_eq!(checked.code, 0, "the new study has no problem:\n{}", checked.stderr);
    assert!(checked.stderr.contains("no problems found"), "{}", checked.stderr);
    let out = temp.path().join("site");
    let built = run(findings().arg("build").arg(&study).arg("-o").arg(&out));
    assert_eq!(built.code, 0, "{}", built.stderr);
    for page in [
        "index.html",
        "methods.html",
        "results.html",
        "themes/working-lives.html",
        "references.html",
    ] {
        assert!(out.join(page).is_file(), "{page} was built");
    }
    let results = std::fs::read_to_string(out.join("results.html")).unwrap();
    assert!(results.contains("role=\"img\""), "the new study has a chart");
}

#[test]
fn new_never_writes_into_a_folder_with_files() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(temp.path().join("notes.md"), "mine").unwrap();
    let refused = run(findings().arg("new").arg(temp.path()));
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("is not empty"), "{}", refused.stderr);
    assert_eq!(std::fs::read_to_string(temp.path().join("notes.md")).unwrap(), "mine");
    assert_eq!(std::fs::read_dir(temp.path()).unwrap().count(), 1);
}

#[test]
fn completions_for_each_shell() {
    for (shell, marker) in [
        ("bash", "_findings()"),
        ("zsh", "#compdef findings"),
        ("fish", "complete -c findings"),
    ] {
        let printed = run(findings().args(["completions", shell]));
        assert_eq!(printed.code, 0, "{}", printed.stderr);
        assert!(
            printed.stdout.contains(marker),
            "{shell}: {}",
            &printed.stdout[..200.min(printed.stdout.len())]
        );
        for command in ["check", "build", "serve", "new"] {
            assert!(printed.stdout.contains(command), "{shell} completes {command}");
        }
    }
}

#[test]
fn quiet_prints_errors_only_and_verbose_prints_steps() {
    let temp = tempfile::tempdir().unwrap();
    let study = temp.path().join("study");
    copy_dir(&valid_fixture(), &study);
    // A warning only: a reference nobody cites.
    let mut references = std::fs::read_to_string(study.join("references.yaml")).unwrap();
    references
        .push_str("  - id: uncited2020\n    cite_as: Nobody\n    year: \"2020\"\n    entry: \"Nobody (2020).\"\n");
    std::fs::write(study.join("references.yaml"), references).unwrap();
    let quiet = run(findings().args(["check", "--quiet"]).arg(&study));
    assert_eq!(quiet.code, 0);
    assert_eq!(quiet.stderr, "", "nothing but errors with --quiet");
    let normal = run(findings().arg("check").arg(&study));
    assert!(normal.stderr.contains("W001"), "{}", normal.stderr);
    let verbose = run(findings()
        .args(["build", "--verbose", "-o"])
        .arg(temp.path().join("out"))
        .arg(&study));
    assert_eq!(verbose.code, 0, "{}", verbose.stderr);
    assert!(
        verbose.stderr.contains("read, checked and rendered"),
        "{}",
        verbose.stderr
    );
    assert!(
        verbose.stderr.contains("/index.html"),
        "verbose lists the files written"
    );
}

#[test]
fn serve_rebuilds_reloads_and_keeps_the_last_good_site() {
    let temp = tempfile::tempdir().unwrap();
    let study = temp.path().join("study");
    copy_dir(&valid_fixture(), &study);
    let server = serve(&study, &[]);

    let (status, home) = get(server.port, "/");
    assert_eq!(status, 200);
    assert!(
        home.contains("<script src=\"/__findings/live.js\"></script>"),
        "serve adds the reload script"
    );
    let (status, script) = get(server.port, "/__findings/live.js");
    assert_eq!(status, 200);
    assert!(script.contains("EventSource"));
    let (status, _) = get(server.port, "/participants/");
    assert_eq!(status, 200, "a folder serves its index");
    let (status, missing) = get(server.port, "/nope.html");
    assert_eq!(status, 404);
    assert!(missing.contains("Page not found"));

    // An edit: the open page is told to reload, and the new text is served.
    let stream = events(server.port);
    wait_for(&stream, "retry: 1000");
    let quotes = study.join("quotes.yaml");
    let original = std::fs::read_to_string(&quotes).unwrap();
    std::fs::write(
        &quotes,
        original.replace("blank piece of paper", "blank sheet of paper"),
    )
    .unwrap();
    wait_for(&stream, "event: reload");
    let (_, theme) = get(server.port, "/themes/experience.html");
    assert!(theme.contains("blank sheet of paper"), "the edit is served");

    // A broken edit: the problems go to the pages and the terminal, and the
    // last good site stays served.
    std::fs::write(&quotes, "quotes: [\n").unwrap();
    let problems = wait_for(&stream, "event: problems").join("\n");
    assert!(problems.contains("E101"), "{problems}");
    assert!(problems.contains("quotes.yaml:1:"), "{problems}");
    let (status, theme) = get(server.port, "/themes/experience.html");
    assert_eq!(status, 200);
    assert!(
        theme.contains("blank sheet of paper"),
        "the last good site is still served"
    );
    // The terminal shows the diagnostic (waits for it, or fails).
    wait_for_line(&server.stderr, |line| line.contains("E101"));

    // Fixing it reloads the pages again.
    std::fs::write(&quotes, original).unwrap();
    wait_for(&stream, "event: reload");
    let (_, theme) = get(server.port, "/themes/experience.html");
    assert!(theme.contains("blank piece of paper"));
    assert!(!study.join("public").exists(), "serve writes nothing into the study");
}

#[test]
fn serve_refuses_paths_that_leave_the_site() {
    let temp = tempfile::tempdir().unwrap();
    let study = temp.path().join("study");
    copy_dir(&valid_fixture(), &study);
    std::fs::write(temp.path().join("secret.txt"), "do not serve").unwrap();
    let server = serve(&study, &[]);
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/themes/..%2f..%2fsecret.txt",
        "/..\\secret.txt",
        "/study.yaml",
        "/.findings-site",
    ] {
        let (status, body) = get(server.port, path);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(
            !body.contains("do not serve") && !body.contains("attribution:"),
            "{path} leaked a file"
        );
    }
}

#[test]
fn serve_listens_elsewhere_only_when_asked() {
    let temp = tempfile::tempdir().unwrap();
    let study = temp.path().join("study");
    copy_dir(&valid_fixture(), &study);
    // The default is loopback (asserted in `serve`); asking for another
    // address is explicit and warned about. No request is sent to it.
    let server = spawn(
        Command::new(env!("CARGO_BIN_EXE_findings"))
            .arg("serve")
            .arg(&study)
            .args(["--port", "0", "--bind", "0.0.0.0"])
            .env_remove("CI"),
    );
    wait_for_line(&server.stderr, |line| line.contains("warning: listening on 0.0.0.0"));
    drop(server);
    let refused = run(findings().args(["serve", "--bind", "not-an-address"]).arg(&study));
    assert_eq!(refused.code, 2);
}

#[test]
fn serve_rebuilds_after_an_edit_whose_build_never_ends() {
    // `max: 1.7e308` in a figure made the chart's build spin forever, and
    // with it every later rebuild (issue 10). Whatever that edit gives now,
    // a hang or a diagnostic, the next save must rebuild and reload.
    let temp = tempfile::tempdir().unwrap();
    let study = temp.path().join("study");
    copy_dir(&valid_fixture(), &study);
    let server = serve(&study, &["--verbose"]);
    let stream = events(server.port);
    wait_for(&stream, "retry: 1000");

    let study_file = study.join("study.yaml");
    let original = std::fs::read_to_string(&study_file).unwrap();
    let hostile = original.replace("    max: 40\n", "    max: 1.7e308\n");
    assert_ne!(hostile, original, "the fixture has the figure this test edits");
    std::fs::write(&study_file, hostile).unwrap();
    wait_for_line(&server.stderr, |line| line.starts_with("building "));

    // The quote changes first, so that any build that can finish has it.
    let quotes = study.join("quotes.yaml");
    let text = std::fs::read_to_string(&quotes).unwrap();
    std::fs::write(&quotes, text.replace("blank piece of paper", "blank sheet of paper")).unwrap();
    std::fs::write(&study_file, original).unwrap();
    wait_for(&stream, "event: reload");
    let (status, theme) = get(server.port, "/themes/experience.html");
    assert_eq!(status, 200);
    assert!(
        theme.contains("blank sheet of paper"),
        "the build after the fix is served"
    );
}
