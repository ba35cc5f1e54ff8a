//! The authoring workflow: `findings new`, `findings completions`, and the
//! live preview of `findings serve`, exercised over real HTTP on 127.0.0.1.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, ChildStderr, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

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

/// A running `findings serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    stderr: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn forward(stderr: ChildStderr, lines: mpsc::Sender<String>) {
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
}

fn serve(study: &Path, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_findings"))
        .arg("serve")
        .arg(study)
        .args(["--port", "0"])
        .args(extra)
        .env_remove("CI")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("findings serve starts");
    let (sender, receiver) = mpsc::channel();
    let stderr = child.stderr.take();
    // Owned by the guard from here on, so the process is killed and
    // waited for whatever happens.
    let mut server = Server {
        child,
        port: 0,
        stderr: receiver,
    };
    forward(stderr.expect("stderr is piped"), sender);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let line = server
            .stderr
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("findings serve announces its address within 20 s");
        if let Some(rest) = line.split_once(" at http://").map(|(_, rest)| rest) {
            let address = rest.split('/').next().unwrap();
            assert!(
                address.starts_with("127.0.0.1:"),
                "listens on loopback only by default: {line}"
            );
            server.port = address.rsplit(':').next().unwrap().parse().unwrap();
            return server;
        }
    }
}

/// A plain HTTP/1.1 GET: the status code and the body.
fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response.split(' ').nth(1).unwrap_or_default().parse().unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// An open event stream, read line by line on a thread.
fn events(port: u16) -> mpsc::Receiver<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(stream, "GET /__findings/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    receiver
}

/// Waits for a line equal to `wanted`, returning the lines after it up to
/// the end of that event.
fn wait_for(lines: &mpsc::Receiver<String>, wanted: &str) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut found = false;
    let mut after = Vec::new();
    while Instant::now() < deadline {
        match lines.recv_timeout(Duration::from_millis(200)) {
            Ok(line) if found && line.is_empty() => return after,
            Ok(line) if found => after.push(line),
            Ok(line) => found = line == wanted,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    panic!("no `{wanted}` within 20 s (found: {found})");
}

fn drain(lines: &mpsc::Receiver<String>) -> String {
    std::thread::sleep(Duration::from_millis(300));
    lines.try_iter().collect::<Vec<_>>().join("\n")
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
    assert!(
        drain(&server.stderr).contains("E101"),
        "the terminal shows the diagnostic"
    );

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
    // address is explicit and warned about.
    let child = Command::new(env!("CARGO_BIN_EXE_findings"))
        .arg("serve")
        .arg(&study)
        .args(["--port", "0", "--bind", "0.0.0.0"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let (sender, receiver) = mpsc::channel();
    let mut server = Server {
        child,
        port: 0,
        stderr: receiver,
    };
    forward(server.child.stderr.take().unwrap(), sender);
    let mut seen = String::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !seen.contains("serving") && Instant::now() < deadline {
        if let Ok(line) = server.stderr.recv_timeout(Duration::from_millis(200)) {
            seen.push_str(&line);
            seen.push('\n');
        }
    }
    drop(server);
    assert!(seen.contains("warning: listening on 0.0.0.0"), "{seen}");
    let refused = run(findings().args(["serve", "--bind", "not-an-address"]).arg(&study));
    assert_eq!(refused.code, 2);
}
