//! `findings serve`: a live preview for authors.
//!
//! Builds the study in memory (nothing is written to disk), serves it over
//! HTTP on 127.0.0.1 (another address only with an explicit `--bind`),
//! watches the study folder, and after each burst of saves rebuilds and
//! tells every open page to reload through server-sent events. A rebuild
//! with errors keeps the last good site served and sends the problems to the
//! pages, which show them in an overlay. The reload script is added to pages
//! only here, never to `findings build` output. Requests are answered from
//! the in-memory site, so no request can reach another file.

use std::io::{self, Read, Write};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

use notify_debouncer_mini::{DebounceEventResult, new_debouncer, notify::RecursiveMode};
use tiny_http::{Header, Request, Response, Server, StatusCode};

use crate::load::is_ignored_name;
use crate::render::Site;

/// The script pages get while served.
const LIVE_SCRIPT: &str = include_str!("../templates/serve/live.js");
/// Where the server answers its own requests.
const INTERNAL_PREFIX: &str = "/__findings/";
/// How long editor save bursts are gathered into one rebuild.
const DEBOUNCE: Duration = Duration::from_millis(150);
/// How often an idle event stream sends a keep-alive comment.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// How to serve.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// The study folder.
    pub study_dir: PathBuf,
    /// The address to listen on.
    pub address: IpAddr,
    /// The port (0: any free port).
    pub port: u16,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address could not be bound.
    #[error("cannot listen on {address}: {message}")]
    Bind {
        /// The address.
        address: SocketAddr,
        /// Why.
        message: String,
    },
    /// The study folder cannot be watched.
    #[error("cannot watch {path} for changes: {message}")]
    Watch {
        /// The folder.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

/// The result of one build, for the caller to report.
pub struct Rebuilt {
    /// The new site, or `None` when the study has errors.
    pub site: Option<Site>,
    /// The problems to show in open pages (empty when none).
    pub problems: String,
}

/// What the server shares between its threads.
struct State {
    site: RwLock<Arc<Site>>,
    /// The number of builds so far and the problems of the last one.
    generation: Mutex<(u64, Option<String>)>,
    changed: Condvar,
}

impl State {
    fn publish(&self, rebuilt: Rebuilt) {
        if let Some(site) = rebuilt.site
            && let Ok(mut current) = self.site.write()
        {
            *current = Arc::new(site);
        }
        if let Ok(mut generation) = self.generation.lock() {
            generation.0 += 1;
            generation.1 = (!rebuilt.problems.is_empty()).then_some(rebuilt.problems);
        }
        self.changed.notify_all();
    }
}

/// A running server: its address, and the loop that answers requests.
pub struct Running {
    server: Arc<Server>,
    state: Arc<State>,
    address: SocketAddr,
    _watcher: notify_debouncer_mini::Debouncer<notify_debouncer_mini::notify::RecommendedWatcher>,
}

impl Running {
    /// The address the server listens on.
    #[must_use]
    pub const fn address(&self) -> SocketAddr {
        self.address
    }

    /// Answers requests until the process is stopped.
    pub fn run(self) {
        for request in self.server.incoming_requests() {
            let state = Arc::clone(&self.state);
            std::thread::spawn(move || answer(&state, request));
        }
    }
}

/// Builds the site with `build`, starts the server and the watcher. `build`
/// is called again, from the watcher's thread, after each burst of changes.
///
/// # Errors
/// [`ServeError`] when the address cannot be bound or the folder watched.
pub fn start<F>(options: &ServeOptions, build: F) -> Result<Running, ServeError>
where
    F: Fn() -> Rebuilt + Send + 'static,
{
    let first = build();
    let state = Arc::new(State {
        site: RwLock::new(Arc::new(first.site.unwrap_or_default())),
        generation: Mutex::new((0, (!first.problems.is_empty()).then_some(first.problems))),
        changed: Condvar::new(),
    });
    let wanted = SocketAddr::new(options.address, options.port);
    let server = Server::http(wanted).map_err(|error| ServeError::Bind {
        address: wanted,
        message: error.to_string(),
    })?;
    let address = server.server_addr().to_ip().unwrap_or(wanted);
    let watched_state = Arc::clone(&state);
    let study_dir = options.study_dir.clone();
    let mut last = fingerprint(&study_dir);
    let mut watcher = new_debouncer(DEBOUNCE, move |events: DebounceEventResult| {
        let relevant = match events {
            Ok(events) => events.iter().any(|event| is_relevant(&study_dir, &event.path)),
            Err(_) => true,
        };
        // Reading the study while building raises access events too: only
        // a change of the files' names, sizes or times means an edit.
        let now = fingerprint(&study_dir);
        if relevant && now != last {
            last = now;
            watched_state.publish(build());
        }
    })
    .map_err(|error| ServeError::Watch {
        path: options.study_dir.clone(),
        message: error.to_string(),
    })?;
    watcher
        .watcher()
        .watch(&options.study_dir, RecursiveMode::Recursive)
        .map_err(|error| ServeError::Watch {
            path: options.study_dir.clone(),
            message: error.to_string(),
        })?;
    Ok(Running {
        server: Arc::new(server),
        state,
        address,
        _watcher: watcher,
    })
}

/// The names, sizes and modification times of the study's files, to tell
/// an edit from a read.
fn fingerprint(study_dir: &Path) -> Vec<(PathBuf, u64, Option<std::time::SystemTime>)> {
    walkdir::WalkDir::new(study_dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !entry.file_name().to_str().is_some_and(is_ignored_name))
        .filter_map(Result::ok)
        .map(|entry| {
            let metadata = entry.metadata().ok();
            (
                entry.path().to_path_buf(),
                metadata.as_ref().map_or(0, std::fs::Metadata::len),
                metadata.and_then(|metadata| metadata.modified().ok()),
            )
        })
        .collect()
}

/// Whether a changed path can change the site (editor backups and hidden
/// files inside the study cannot; the folders above it do not count).
fn is_relevant(study_dir: &Path, path: &Path) -> bool {
    let inside = path.strip_prefix(study_dir).unwrap_or(path);
    !inside
        .components()
        .filter_map(|component| component.as_os_str().to_str())
        .any(is_ignored_name)
}

/// Adds a header. Every header here is ASCII text that tiny_http accepts;
/// one it refused would be left out rather than stop the server.
fn with<R: Read>(response: Response<R>, name: &str, value: &str) -> Response<R> {
    match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(header) => response.with_header(header),
        Err(()) => response,
    }
}

fn answer(state: &State, request: Request) {
    let url = request.url().to_owned();
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let result = if path == format!("{INTERNAL_PREFIX}live.js") {
        let response = with(
            Response::from_string(LIVE_SCRIPT),
            "Content-Type",
            "text/javascript; charset=utf-8",
        );
        request.respond(with(response, "Cache-Control", "no-store"))
    } else if path == format!("{INTERNAL_PREFIX}events") {
        events(state, request)
    } else {
        let site = state.site.read().map(|site| Arc::clone(&site)).unwrap_or_default();
        match resolve(path) {
            Err(()) => {
                request.respond(Response::from_string("Bad request: this path is not allowed\n").with_status_code(400))
            }
            Ok(file) => serve_file(&site, &file, request),
        }
    };
    // A client that went away is not an error of the server.
    let _ = result;
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

fn serve_file(site: &Site, file: &str, request: Request) -> io::Result<()> {
    let (status, file, bytes) = match site.files.get(file) {
        Some(bytes) => (200, file.to_owned(), bytes.clone()),
        None if site.files.contains_key(&format!("{file}/index.html")) => {
            let location = format!("/{file}/");
            return request.respond(with(Response::empty(StatusCode(301)), "Location", &location));
        }
        None => (
            404,
            "404.html".to_owned(),
            site.files
                .get("404.html")
                .cloned()
                .unwrap_or_else(|| b"Not found\n".to_vec()),
        ),
    };
    let bytes = if file.ends_with(".html") {
        with_live_script(&bytes)
    } else {
        bytes
    };
    let response = with(
        Response::from_data(bytes).with_status_code(status),
        "Content-Type",
        content_type(&file),
    );
    request.respond(with(response, "Cache-Control", "no-store"))
}

/// Adds the reload script before `</body>`.
fn with_live_script(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{INTERNAL_PREFIX}live.js\"></script>\n");
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(end) => format!("{}{tag}{}", &text[..end], &text[end..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

/// A server-sent event stream that emits an event after each rebuild.
struct EventStream<'a> {
    state: &'a State,
    seen: u64,
    pending: Vec<u8>,
}

impl EventStream<'_> {
    fn event(kind: &str, data: &str) -> Vec<u8> {
        let mut event = format!("event: {kind}\n");
        for line in data.lines() {
            event.push_str("data: ");
            event.push_str(line);
            event.push('\n');
        }
        if data.is_empty() {
            event.push_str("data:\n");
        }
        event.push('\n');
        event.into_bytes()
    }
}

impl Read for EventStream<'_> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        while self.pending.is_empty() {
            let guard = self
                .state
                .generation
                .lock()
                .map_err(|_| io::Error::other("state poisoned"))?;
            let (guard, timeout) = self
                .state
                .changed
                .wait_timeout_while(guard, KEEP_ALIVE, |generation| generation.0 == self.seen)
                .map_err(|_| io::Error::other("state poisoned"))?;
            if timeout.timed_out() {
                self.pending = b": keep-alive\n\n".to_vec();
            } else {
                self.seen = guard.0;
                self.pending = match &guard.1 {
                    Some(problems) => Self::event("problems", problems),
                    None => Self::event("reload", &guard.0.to_string()),
                };
            }
        }
        let count = buffer.len().min(self.pending.len());
        buffer[..count].copy_from_slice(&self.pending[..count]);
        self.pending.drain(..count);
        Ok(count)
    }
}

fn events(state: &State, request: Request) -> io::Result<()> {
    let (seen, problems) = state
        .generation
        .lock()
        .map(|generation| (generation.0, generation.1.clone()))
        .unwrap_or((0, None));
    let mut stream = EventStream {
        state,
        seen,
        pending: b"retry: 1000\n\n".to_vec(),
    };
    if let Some(problems) = problems {
        stream.pending.extend(EventStream::event("problems", &problems));
    }
    // Written by hand rather than through tiny_http's response, which
    // buffers a body of unknown length: each event must leave at once. The
    // stream ends when the client goes away (a write fails).
    let mut writer = request.into_writer();
    writer.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
    )?;
    let mut buffer = [0u8; 8192];
    loop {
        let count = stream.read(&mut buffer)?;
        writer.write_all(&buffer[..count])?;
        writer.flush()?;
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
    fn only_changes_inside_the_study_count() {
        let study = Path::new("/tmp/.hidden-parent/study");
        assert!(is_relevant(study, &study.join("quotes.yaml")));
        assert!(!is_relevant(study, &study.join(".quotes.yaml.swp")));
        assert!(!is_relevant(study, &study.join("themes/01.md~")));
    }

    #[test]
    fn the_script_goes_before_the_end_of_the_body() {
        let html = with_live_script(b"<html><body><p>x</p></body></html>");
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<html><body><p>x</p><script src=\"/__findings/live.js\"></script>\n</body></html>"
        );
    }

    #[test]
    fn events_carry_every_line() {
        assert_eq!(
            EventStream::event("problems", "a\nb"),
            b"event: problems\ndata: a\ndata: b\n\n".to_vec()
        );
    }
}
