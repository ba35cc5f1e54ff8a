//! The HTTP side of `findings serve`: hyper's HTTP/1 server on the
//! one-thread tokio runtime of [`super::Running`].
//!
//! Every request is bounded: [`MAX_HEADER_BYTES`] of header in at most
//! [`MAX_HEADERS`] fields, read within [`HEADER_TIMEOUT`] (idle keep-alive
//! connections too); a body is never read; only GET and HEAD are answered
//! (405 otherwise). At most [`MAX_CONNECTIONS`] connections are served at
//! once, each a task rather than a thread; the next ones wait in the listen
//! queue. A client that stops reading its answer for [`WRITE_TIMEOUT`] is
//! dropped. A malformed request gets hyper's 400 or 431 and costs only its
//! own connection. Answers come from the in-memory site only.

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http_body_util::{Either, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{ALLOW, CACHE_CONTROL, CONTENT_TYPE, HeaderValue, LOCATION};
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::time::Sleep;

use super::events::EventStream;
use super::{Files, INTERNAL_PREFIX, LIVE_SCRIPT, Shown};
use crate::render::Site;

/// The most connections served at once.
pub(super) const MAX_CONNECTIONS: usize = 128;
/// The most bytes of a request's line and header fields.
pub(super) const MAX_HEADER_BYTES: usize = 64 * 1024;
/// The most header fields of a request.
pub(super) const MAX_HEADERS: usize = 100;
/// How long a client has to send a request's header, and how long an idle
/// connection is kept.
pub(super) const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client may stop reading an answer before it is dropped.
pub(super) const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How many connections may wait in the listen queue.
const BACKLOG: u32 = 1024;
/// How long to wait before accepting again after accepting failed (for
/// example when the process has no file descriptor left).
const ACCEPT_PAUSE: Duration = Duration::from_millis(100);

/// Characters a path segment keeps as they are in a `Location` header.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// The body of an answer: a whole file, or an event stream.
type Body = Either<Full<Bytes>, EventStream>;

/// Listens on `address` (inside the runtime's context).
pub(super) fn bind(address: SocketAddr) -> io::Result<TcpListener> {
    let socket = if address.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(address)?;
    socket.listen(BACKLOG)
}

/// Serves connections from `listener` for ever, answering from `shown`.
pub(super) async fn accept(listener: TcpListener, shown: watch::Receiver<Shown>) {
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .max_headers(MAX_HEADERS)
        .max_header_size(MAX_HEADER_BYTES)
        .max_buf_size(MAX_HEADER_BYTES);
    loop {
        // The permit comes first: while all are taken, connections wait in
        // the kernel's listen queue, not in this process.
        let Ok(permit) = Arc::clone(&permits).acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                tokio::time::sleep(ACCEPT_PAUSE).await;
                continue;
            }
        };
        let shown = shown.clone();
        let connection = http.serve_connection(
            Patient::new(stream),
            service_fn(move |request| {
                let answer = answer(&request, &shown);
                async move { Ok::<_, Infallible>(answer) }
            }),
        );
        tokio::spawn(async move {
            // A connection that fails (a malformed request, a client gone)
            // concerns only that client.
            let _ = connection.await;
            drop(permit);
        });
    }
}

/// The answer to one request. Its body, if any, is never read.
fn answer(request: &Request<Incoming>, shown: &watch::Receiver<Shown>) -> Response<Body> {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        let mut response = text(StatusCode::METHOD_NOT_ALLOWED, "Only GET and HEAD are answered.\n");
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let path = request.uri().path();
    if path == format!("{INTERNAL_PREFIX}live.js") {
        return file(
            StatusCode::OK,
            "text/javascript; charset=utf-8",
            Bytes::from_static(LIVE_SCRIPT.as_bytes()),
        );
    }
    if path == format!("{INTERNAL_PREFIX}events") {
        let mut response = Response::new(Either::Right(EventStream::new(shown.clone())));
        no_store(&mut response, "text/event-stream");
        return response;
    }
    let files = Arc::clone(&shown.borrow().files);
    match resolve(path) {
        Ok(file) => serve_file(&files, &file),
        Err(()) => text(StatusCode::BAD_REQUEST, "Bad request: this path is not allowed\n"),
    }
}

fn serve_file(files: &Files, path: &str) -> Response<Body> {
    if let Some(bytes) = files.get(path) {
        return file(StatusCode::OK, content_type(path), bytes.clone());
    }
    if files.contains_key(&format!("{path}/index.html")) {
        let location: String = path
            .split('/')
            .map(|segment| format!("/{}", utf8_percent_encode(segment, SEGMENT)))
            .collect();
        if let Ok(location) = HeaderValue::from_str(&format!("{location}/")) {
            let mut response = Response::new(Either::Left(Full::default()));
            *response.status_mut() = StatusCode::MOVED_PERMANENTLY;
            response.headers_mut().insert(LOCATION, location);
            return response;
        }
    }
    let page = files
        .get("404.html")
        .cloned()
        .unwrap_or_else(|| Bytes::from(with_live_script(b"Not found\n")));
    file(StatusCode::NOT_FOUND, "text/html; charset=utf-8", page)
}

/// A file's answer: its bytes, type and `Cache-Control: no-store`.
fn file(status: StatusCode, content_type: &'static str, bytes: Bytes) -> Response<Body> {
    let mut response = Response::new(Either::Left(Full::new(bytes)));
    *response.status_mut() = status;
    no_store(&mut response, content_type);
    response
}

fn text(status: StatusCode, message: &'static str) -> Response<Body> {
    file(
        status,
        "text/plain; charset=utf-8",
        Bytes::from_static(message.as_bytes()),
    )
}

fn no_store(response: &mut Response<Body>, content_type: &'static str) {
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// The site file a request path names, or `Err` for a path that tries to
/// leave the site (`..`, encoded or not), or is not valid UTF-8.
fn resolve(path: &str) -> Result<String, ()> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| ())?;
    if decoded.contains(['\\', '\0']) {
        return Err(());
    }
    let mut parts = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" => {}
            "." | ".." => return Err(()),
            _ if segment.starts_with('.') => return Err(()),
            other => parts.push(other),
        }
    }
    let mut file = parts.join("/");
    if file.is_empty() || decoded.ends_with('/') {
        if !file.is_empty() {
            file.push('/');
        }
        file.push_str("index.html");
    }
    Ok(file)
}

fn content_type(file: &str) -> &'static str {
    match file.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "json" => "application/json",
        "txt" | "md" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// The files of `site` as served: each HTML page gets the reload script.
pub(super) fn served_files(site: &Site) -> Files {
    site.files
        .iter()
        .map(|(path, bytes)| {
            let bytes = if path.ends_with(".html") {
                Bytes::from(with_live_script(bytes))
            } else {
                Bytes::copy_from_slice(bytes)
            };
            (path.clone(), bytes)
        })
        .collect()
}

/// Adds the reload script before the last `</body>`, or at the end.
fn with_live_script(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{INTERNAL_PREFIX}live.js\"></script>\n");
    let end = html
        .windows(b"</body>".len())
        .rposition(|window| window == b"</body>")
        .unwrap_or(html.len());
    let mut page = Vec::with_capacity(html.len() + tag.len());
    page.extend_from_slice(&html[..end]);
    page.extend_from_slice(tag.as_bytes());
    page.extend_from_slice(&html[end..]);
    page
}

/// A connection that fails a write the client has not made room for within
/// [`WRITE_TIMEOUT`], so that a client that stops reading cannot hold a
/// connection for ever.
struct Patient {
    io: TokioIo<TcpStream>,
    stalled: Option<Pin<Box<Sleep>>>,
}

impl Patient {
    fn new(stream: TcpStream) -> Self {
        Self {
            io: TokioIo::new(stream),
            stalled: None,
        }
    }

    /// Passes on a finished write, and turns one pending for too long into
    /// an error.
    fn watch<T>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        if poll.is_ready() {
            self.stalled = None;
            return poll;
        }
        let stalled = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(WRITE_TIMEOUT)));
        match stalled.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl Read for Patient {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: ReadBufCursor<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl Write for Patient {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.io).poll_write(cx, buf);
        self.watch(cx, poll)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        self.watch(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.io).poll_flush(cx);
        self.watch(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.io).poll_shutdown(cx);
        self.watch(cx, poll)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_site() {
        assert_eq!(resolve("/"), Ok("index.html".to_owned()));
        assert_eq!(resolve("/themes/a.html"), Ok("themes/a.html".to_owned()));
        assert_eq!(resolve("/participants/"), Ok("participants/index.html".to_owned()));
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/x",
            "/a/%2E%2E/%2e%2e/x",
            "/..%2fx",
            "/a\\..\\b",
            "/%00",
            "/.findings-site",
            "/%ff",
        ] {
            assert_eq!(resolve(bad), Err(()), "{bad}");
        }
    }

    #[test]
    fn the_script_goes_before_the_end_of_the_body() {
        let html = with_live_script(b"<html><body><p>x</p></body></html>");
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<html><body><p>x</p><script src=\"/__findings/live.js\"></script>\n</body></html>"
        );
        assert_eq!(
            with_live_script(b"\xff no body"),
            b"\xff no body<script src=\"/__findings/live.js\"></script>\n".to_vec(),
            "bytes that are not UTF-8 are kept as they are"
        );
    }

    #[test]
    fn only_html_pages_get_the_script() {
        let mut site = Site::default();
        site.files.insert("index.html".to_owned(), b"<body></body>".to_vec());
        site.files.insert("logo.svg".to_owned(), b"<svg></svg>".to_vec());
        let files = served_files(&site);
        assert!(files["index.html"].starts_with(b"<body><script"));
        assert_eq!(&files["logo.svg"][..], b"<svg></svg>");
    }

    fn shown(paths: &[&str]) -> Files {
        paths
            .iter()
            .map(|path| ((*path).to_owned(), Bytes::from_static(b"x")))
            .collect()
    }

    #[test]
    fn a_folder_without_its_slash_is_redirected() {
        let files = shown(&["index.html", "participants/index.html", "ünï code/index.html"]);
        let moved = serve_file(&files, "participants");
        assert_eq!(moved.status(), StatusCode::MOVED_PERMANENTLY);
        assert_eq!(moved.headers()[LOCATION], "/participants/");
        let moved = serve_file(&files, "ünï code");
        assert_eq!(moved.headers()[LOCATION], "/%C3%BCn%C3%AF%20code/");
        let missing = serve_file(&files, "nope.html");
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        assert_eq!(missing.headers()[CACHE_CONTROL], "no-store");
    }

    #[test]
    fn types_follow_the_extension() {
        assert_eq!(content_type("a/b.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("logo.svg"), "image/svg+xml");
        assert_eq!(content_type("README"), "application/octet-stream");
    }
}
