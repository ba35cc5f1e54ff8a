//! Helpers for the tests of `findings serve`: a server process killed when
//! dropped, raw HTTP exchanges over 127.0.0.1 (and no other address), and
//! waiting on the event stream and the terminal with a bounded deadline
//! instead of fixed sleeps.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::path::Path;
use std::process::{Child, ChildStderr, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::TIMEOUT;

/// A running `findings serve`, killed when dropped.
pub struct Server {
    pub child: Child,
    pub port: u16,
    /// The lines the server printed on stderr, as they come.
    pub stderr: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

/// Starts `findings serve STUDY --port 0 EXTRA...` without `CI` and waits
/// (at most [`TIMEOUT`]) for it to announce its address, which must be on
/// loopback.
pub fn serve(study: &Path, extra: &[&str]) -> Server {
    let mut command = Command::new(env!("CARGO_BIN_EXE_findings"));
    command
        .arg("serve")
        .arg(study)
        .args(["--port", "0"])
        .args(extra)
        .env_remove("CI")
        .env("NO_COLOR", "1");
    start(&mut command).0
}

/// Spawns the `findings serve` of `command` and waits (at most
/// [`TIMEOUT`]) for it to announce its address, which must be on loopback;
/// the server, and the line that announced it.
pub fn start(command: &mut Command) -> (Server, String) {
    let mut server = spawn(command);
    let line = wait_for_line(&server.stderr, |line| line.contains(" at http://"));
    let address = line
        .split_once(" at http://")
        .and_then(|(_, rest)| rest.split('/').next())
        .unwrap_or_default();
    assert!(
        address.starts_with("127.0.0.1:"),
        "listens on loopback only by default: {line}"
    );
    server.port = address.rsplit(':').next().unwrap().parse().unwrap();
    (server, line)
}

/// Spawns `command` with stderr forwarded line by line to the guard.
pub fn spawn(command: &mut Command) -> Server {
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("findings serve starts");
    let stderr = child.stderr.take();
    let (sender, receiver) = mpsc::channel();
    // Owned by the guard from here on, so the process is killed and
    // waited for whatever happens.
    let server = Server {
        child,
        port: 0,
        stderr: receiver,
    };
    forward(stderr.expect("stderr is piped"), sender);
    server
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

/// Waits (at most [`TIMEOUT`]) for a line that `wanted` accepts and returns
/// it; the lines before it are dropped.
pub fn wait_for_line(lines: &mpsc::Receiver<String>, wanted: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + TIMEOUT;
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match lines.recv_timeout(left) {
            Ok(line) if wanted(&line) => return line,
            Ok(line) => seen.push(line),
            Err(mpsc::RecvTimeoutError::Timeout) => break,
            Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the stream ended; it said:\n{}", seen.join("\n")),
        }
    }
    panic!("no such line within {TIMEOUT:?}; seen:\n{}", seen.join("\n"));
}

/// What a server answered: the status (0 when it sent none), the head and
/// the body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Answer {
    fn parse(bytes: &[u8]) -> Self {
        let text = String::from_utf8_lossy(bytes);
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .strip_prefix("HTTP/1.")
            .and_then(|rest| rest.split(' ').nth(1))
            .and_then(|code| code.parse().ok())
            .unwrap_or(0);
        Self {
            status,
            head: head.to_owned(),
            body: body.to_owned(),
        }
    }

    /// The value of a header of the head, if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

/// Connects to the server on 127.0.0.1.
pub fn connect(port: u16) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("the server accepts a connection");
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream.set_write_timeout(Some(TIMEOUT)).unwrap();
    stream
}

/// Sends `request` as is (a write the server cuts short is not an error:
/// it may close a connection whose request it refuses), then reads until
/// the server closes the connection or [`TIMEOUT`] passes.
pub fn exchange(port: u16, request: &[u8]) -> Answer {
    let mut stream = connect(port);
    let _ = stream.write_all(request);
    read_answer(&mut stream)
}

/// Reads what the server sends until it closes the connection (a reset
/// counts as closing). Panics if it neither answers nor closes within
/// [`TIMEOUT`].
pub fn read_answer(stream: &mut TcpStream) -> Answer {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(count) => bytes.extend_from_slice(&buffer[..count]),
            Err(error) if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                panic!(
                    "the server neither answered nor closed within {TIMEOUT:?}; got {:?}",
                    String::from_utf8_lossy(&bytes)
                )
            }
            Err(error) if error.kind() == ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    let _ = stream.shutdown(Shutdown::Both);
    Answer::parse(&bytes)
}

/// A plain HTTP/1.1 GET: the status code and the body.
pub fn get(port: u16, path: &str) -> (u16, String) {
    let answer = exchange(
        port,
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    (answer.status, answer.body)
}

/// An open event stream, read line by line on a thread. The body is
/// chunked: chunk sizes come as lines of their own, which no test waits
/// for, since each event is one chunk.
pub fn events(port: u16) -> mpsc::Receiver<String> {
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

/// Waits (at most [`TIMEOUT`]) for a line equal to `wanted`, returning the
/// lines after it up to the end of that event.
pub fn wait_for(lines: &mpsc::Receiver<String>, wanted: &str) -> Vec<String> {
    wait_for_line(lines, |line| line == wanted);
    let mut after = Vec::new();
    let deadline = Instant::now() + TIMEOUT;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match lines.recv_timeout(left.min(Duration::from_secs(1))) {
            Ok(line) if line.is_empty() => return after,
            Ok(line) => after.push(line),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    panic!("the `{wanted}` event did not end within {TIMEOUT:?}: {after:?}");
}
