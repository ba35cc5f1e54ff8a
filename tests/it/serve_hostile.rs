//! `findings serve` against hostile and broken requests (issue 10): an
//! oversized `Content-Length`, a header that never ends, a thousand
//! connections at once, binary garbage, HTTP/0.9, methods other than GET
//! and HEAD, huge headers. After each, the server must still be running and
//! answer a normal `GET /` with the home page.
//!
//! All traffic goes to 127.0.0.1, every loop is bounded in count and every
//! wait in time; no test asserts how long anything took.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::serve_support::{Answer, Server, connect, exchange, get, read_answer, serve};
use crate::support::{TIMEOUT, copy_dir, valid_fixture};

/// Text of the valid fixture's home page.
const HOME_TITLE: &str = "Working lives in community services";

/// The most connections `serve` handles at once (README, "serve").
const MAX_CONNECTIONS: usize = 128;

/// A server on a copy of the valid fixture, with the folder it lives in.
fn served() -> (Server, tempfile::TempDir) {
    let temp = tempfile::tempdir().unwrap();
    let study = temp.path().join("study");
    copy_dir(&valid_fixture(), &study);
    (serve(&study, &[]), temp)
}

/// The server is alive and a normal request gets the home page.
fn assert_serves_home(server: &mut Server, after: &str) {
    assert!(server.is_running(), "the server stopped after {after}");
    let (status, home) = get(server.port, "/");
    assert_eq!(status, 200, "GET / after {after}");
    assert!(home.contains(HOME_TITLE), "the home page after {after}");
}

fn request(head: &str) -> Vec<u8> {
    format!("{head}\r\n\r\n").into_bytes()
}

#[test]
fn an_oversized_content_length_is_never_read() {
    let (mut server, _temp) = served();
    // The body is announced but never sent: the server must neither wait for
    // it nor reserve memory for it.
    let answer = exchange(
        server.port,
        &request("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999999"),
    );
    assert_eq!(answer.status, 200, "{answer:?}");
    assert!(answer.body.contains(HOME_TITLE));
    assert_serves_home(&mut server, "a GET announcing a 100 GB body");

    let answer = exchange(
        server.port,
        &request("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999999"),
    );
    assert_eq!(answer.status, 405, "{answer:?}");
    assert_serves_home(&mut server, "a POST announcing a 100 GB body");
}

#[test]
fn only_get_and_head_are_answered() {
    let (mut server, _temp) = served();
    let answer = exchange(
        server.port,
        b"POST /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 11\r\n\r\nhello world",
    );
    assert_eq!(answer.status, 405, "{answer:?}");
    assert_eq!(answer.header("allow"), Some("GET, HEAD"), "{answer:?}");
    assert_serves_home(&mut server, "a POST with a body");

    for method in ["PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"] {
        let answer = exchange(
            server.port,
            &request(&format!("{method} / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close")),
        );
        assert_eq!(answer.status, 405, "{method}: {answer:?}");
        assert_eq!(answer.header("allow"), Some("GET, HEAD"), "{method}");
    }
    assert_serves_home(&mut server, "PUT, DELETE, PATCH, OPTIONS and TRACE");

    let head = exchange(
        server.port,
        &request("HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close"),
    );
    let (_, home) = get(server.port, "/");
    assert_eq!(head.status, 200, "{head:?}");
    assert_eq!(head.body, "", "HEAD has no body");
    assert_eq!(
        head.header("content-length"),
        Some(home.len().to_string().as_str()),
        "HEAD gives the length GET sends"
    );
    assert_eq!(head.header("cache-control"), Some("no-store"));
}

#[test]
fn a_header_that_never_ends_is_cut_off() {
    let (mut server, _temp) = served();
    let mut slow = connect(server.port);
    slow.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .unwrap();
    let closed = watch_for_close(&slow);
    // One byte every 300 ms, for at most twice the time any run may take:
    // the server must close the connection before that (its own timeout is
    // 10 s, README "serve").
    let deadline = Instant::now() + 2 * TIMEOUT;
    let mut others_served = false;
    let mut cut_off = false;
    while Instant::now() < deadline {
        if slow.write_all(b"a").is_err() || closed.try_recv().is_ok() {
            cut_off = true;
            break;
        }
        if !others_served {
            // While the slow client dribbles, others are answered.
            assert_serves_home(&mut server, "a slow header started");
            others_served = true;
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    assert!(
        cut_off,
        "the server still waited for the header after {:?}",
        2 * TIMEOUT
    );
    assert_serves_home(&mut server, "a header that never ended");
}

/// A thread that reads `stream` until the server closes it (or resets it)
/// and then sends on the channel. It stops at the test's end too: dropping
/// the socket ends its read.
fn watch_for_close(stream: &TcpStream) -> mpsc::Receiver<()> {
    let mut reader = stream.try_clone().unwrap();
    reader.set_read_timeout(Some(3 * TIMEOUT)).unwrap();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buffer = [0u8; 4096];
        loop {
            match reader.read(&mut buffer) {
                Ok(0) => break,
                Ok(_) => {}
                Err(error) if error.kind() == ErrorKind::Interrupted => {}
                Err(error) if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => return,
                Err(_) => break,
            }
        }
        let _ = sender.send(());
    });
    receiver
}

#[test]
fn binary_garbage_and_http_0_9_get_a_bad_request() {
    let (mut server, _temp) = served();
    let mut garbage: Vec<u8> = (0..=255u8).rev().collect();
    garbage.extend_from_slice(b"\r\n\r\n");
    let answer = exchange(server.port, &garbage);
    assert_eq!(answer.status, 400, "{answer:?}");
    assert_serves_home(&mut server, "binary garbage");

    let answer = exchange(server.port, b"GET /\r\n");
    assert_eq!(answer.status, 400, "{answer:?}");
    assert_serves_home(&mut server, "an HTTP/0.9 request line");

    let answer = exchange(server.port, b"\r\n\r\n\r\n");
    assert!(answer.status == 400 || answer.status == 0, "{answer:?}");
    assert_serves_home(&mut server, "empty lines");
}

#[test]
fn huge_headers_are_refused() {
    let (mut server, _temp) = served();
    // Many small headers: the whole request fits in one read, so the
    // answer arrives before the server closes.
    let many: String = (0..1000).map(|n| format!("X-{n}: 1\r\n")).collect();
    let answer = exchange(
        server.port,
        format!("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n{many}\r\n").as_bytes(),
    );
    assert_eq!(answer.status, 431, "{answer:?}");
    assert_serves_home(&mut server, "a thousand headers");

    // One header of 1 MiB: the server stops reading at its limit and closes,
    // which may reset the connection before its 431 arrives.
    let huge = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Huge: {}\r\n\r\n",
        "a".repeat(1 << 20)
    );
    let answer = exchange(server.port, huge.as_bytes());
    assert!(answer.status == 431 || answer.status == 0, "{answer:?}");
    assert_serves_home(&mut server, "a header of 1 MiB");
}

/// How many connections this test may hold open: 1,000, or a quarter of the
/// soft limit on open files when that is lower (the tests running beside
/// this one need files too).
fn connection_budget() -> usize {
    let limit = std::fs::read_to_string("/proc/self/limits").ok().and_then(|limits| {
        limits
            .lines()
            .find(|line| line.starts_with("Max open files"))
            .and_then(|line| line.split_whitespace().nth(3))
            .and_then(|soft| soft.parse::<usize>().ok())
    });
    limit.map_or(1000, |limit| (limit / 4).min(1000))
}

/// How many files the server process has open (Linux).
#[cfg(target_os = "linux")]
fn open_files(server: &Server) -> usize {
    std::fs::read_dir(format!("/proc/{}/fd", server.child.id()))
        .expect("the server's open files are listed in /proc")
        .count()
}

#[test]
fn a_thousand_connections_wait_their_turn() {
    let (mut server, _temp) = served();
    let count = connection_budget();
    assert!(count > MAX_CONNECTIONS, "the test opens more than the server takes");

    // First, connections that send nothing: the server holds at most
    // MAX_CONNECTIONS of them, the rest wait in the listen queue.
    let idle: Vec<TcpStream> = (0..count).map(|_| connect(server.port)).collect();
    #[cfg(target_os = "linux")]
    {
        let baseline = 32;
        wait_until(
            || open_files(&server) >= MAX_CONNECTIONS,
            "the server took as many connections as it serves",
        );
        for _ in 0..10 {
            let files = open_files(&server);
            assert!(
                files <= MAX_CONNECTIONS + baseline,
                "{files} open files with {count} connections waiting"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    drop(idle);

    // Then as many requests at once: each is answered in turn.
    let mut open: Vec<TcpStream> = (0..count)
        .map(|_| {
            let mut stream = connect(server.port);
            stream
                .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .unwrap();
            stream
        })
        .collect();
    let answers: Vec<Answer> = open.iter_mut().map(read_answer).collect();
    let served = answers
        .iter()
        .filter(|answer| answer.status == 200 && answer.body.contains(HOME_TITLE))
        .count();
    assert_eq!(served, count, "every request got the home page");
    assert_serves_home(&mut server, &format!("{count} connections at once"));
}

#[cfg(target_os = "linux")]
#[test]
fn a_client_that_stops_reading_is_dropped() {
    let temp = tempfile::tempdir().unwrap();
    let study = temp.path().join("study");
    copy_dir(&valid_fixture(), &study);
    // More than the loopback socket buffers hold, less than the 16 MiB a
    // study file may have.
    let size = 15_000_000;
    std::fs::create_dir(study.join("static")).unwrap();
    std::fs::write(study.join("static/large.bin"), vec![7u8; size]).unwrap();
    let mut server = serve(&study, &[]);
    let idle = open_files(&server);

    let mut reader = connect(server.port);
    reader
        .write_all(b"GET /large.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .unwrap();
    wait_until(|| open_files(&server) > idle, "the server took the connection");
    // The client reads nothing: the server gives up on it (after 10 s,
    // README "serve") and closes the connection.
    wait_until(|| open_files(&server) <= idle, "the server dropped the connection");
    let answer = read_answer(&mut reader);
    assert_eq!(answer.status, 200, "{}", answer.head);
    assert!(
        answer.body.len() < size,
        "the answer was cut short: {} of {size} bytes",
        answer.body.len()
    );
    assert_serves_home(&mut server, "a client that stopped reading");
}

#[cfg(target_os = "linux")]
/// Polls `condition` every 50 ms until it holds, for at most twice
/// [`TIMEOUT`].
fn wait_until(mut condition: impl FnMut() -> bool, what: &str) {
    let deadline = Instant::now() + 2 * TIMEOUT;
    while !condition() {
        assert!(Instant::now() < deadline, "not within {:?}: {what}", 2 * TIMEOUT);
        std::thread::sleep(Duration::from_millis(50));
    }
}
