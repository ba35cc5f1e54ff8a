//! `findings serve`: a live preview for authors.
//!
//! Builds the study in memory (nothing is written to disk), serves it over
//! HTTP on 127.0.0.1 (another address only with an explicit `--bind`),
//! watches the study folder, and after each burst of saves rebuilds and
//! tells every open page to reload through server-sent events. A rebuild
//! with errors keeps the last good site served and sends the problems to the
//! pages, which show them in an overlay. The reload script is added to pages
//! only here, never to `findings build` output.
//!
//! * `http`: the server (hyper on a one-thread tokio runtime). Requests are
//!   answered from the in-memory site, so no request can reach another file;
//!   every request is bounded (header size and count, a header timeout, no
//!   body ever read, GET and HEAD only) and so is the number of connections.
//! * `events`: the server-sent event stream of each open page.
//! * `incremental`: each build after the first renders only the pages an
//!   edit to the narrative can change, or everything when it cannot tell.
//! * `watch`: the watcher and the rebuilds. Each rebuild runs on its own
//!   thread, so one that fails, panics or never ends cannot hold up the
//!   next; only the newest finished build is shown.

mod events;
mod http;
mod incremental;
mod watch;

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use hyper::body::Bytes;
use notify_debouncer_mini::Debouncer;
use notify_debouncer_mini::notify::RecommendedWatcher;
use tokio::net::TcpListener;
use tokio::runtime::Runtime;

use crate::render::Site;

pub use incremental::{Incremental, Rebuild, Scope};

/// The script pages get while served.
const LIVE_SCRIPT: &str = include_str!("../../templates/serve/live.js");
/// Where the server answers its own requests.
const INTERNAL_PREFIX: &str = "/__findings/";

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
    /// The server's runtime could not be started.
    #[error("cannot start the server: {0}")]
    Runtime(std::io::Error),
}

/// The result of one build, for the caller to report.
pub struct Rebuilt {
    /// The new site, or `None` when the study has errors. Shared with the
    /// rebuilds, which keep it to update after the next edit.
    pub site: Option<Arc<Site>>,
    /// The problems to show in open pages (empty when none).
    pub problems: String,
}

/// The files as served: by `/`-separated path, HTML pages with the reload
/// script.
type Files = BTreeMap<String, Bytes>;

/// What the server shows, shared by the rebuilds (which change it) and the
/// connections (which read it and wait for changes).
#[derive(Clone, Debug, Default)]
struct Shown {
    /// The last good site.
    files: Arc<Files>,
    /// The generation of the newest build whose result is shown (0: none).
    build: u64,
    /// Counts the changes open pages were told about.
    version: u64,
    /// Why the newest build has no site, if it has none.
    problems: Option<Arc<str>>,
}

/// A running server: its address, and the loop that answers requests.
pub struct Running {
    runtime: Runtime,
    listener: TcpListener,
    shown: tokio::sync::watch::Receiver<Shown>,
    address: SocketAddr,
    _watcher: Debouncer<RecommendedWatcher>,
}

impl Running {
    /// The address the server listens on.
    #[must_use]
    pub const fn address(&self) -> SocketAddr {
        self.address
    }

    /// Answers requests until the process is stopped. The watcher and the
    /// rebuilds keep running beside it.
    pub fn run(self) {
        let Self {
            runtime,
            listener,
            shown,
            _watcher,
            ..
        } = self;
        runtime.block_on(http::accept(listener, shown));
    }
}

/// Binds the address, starts the watcher and the first build with `build`,
/// and waits for that build a while (not forever: a build that never ends
/// is reported, and the next save builds again). `build` is called again,
/// on a thread of its own, after each burst of changes.
///
/// # Errors
/// [`ServeError`] when the address cannot be bound or the folder watched.
pub fn start<F>(options: &ServeOptions, build: F) -> Result<Running, ServeError>
where
    F: Fn() -> Rebuilt + Send + Sync + 'static,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(ServeError::Runtime)?;
    let wanted = SocketAddr::new(options.address, options.port);
    let listener = {
        let _context = runtime.enter();
        http::bind(wanted).map_err(|error| ServeError::Bind {
            address: wanted,
            message: error.to_string(),
        })?
    };
    let address = listener.local_addr().unwrap_or(wanted);
    let (sender, shown) = tokio::sync::watch::channel(Shown::default());
    let builds = watch::Builds::new(build, sender, runtime.handle().clone());
    let watcher = watch::watch(&options.study_dir, Arc::clone(&builds))?;
    builds.start();
    runtime.block_on(watch::first_shown(shown.clone()));
    Ok(Running {
        runtime,
        listener,
        shown,
        address,
        _watcher: watcher,
    })
}
