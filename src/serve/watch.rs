//! The watcher and the rebuilds of `findings serve`.
//!
//! Each burst of saves starts a build with the next generation number, on a
//! thread of its own, whatever older builds are still doing: a build that
//! fails, panics or never ends cannot hold up the next one. A build's result
//! is shown only if no newer build's result was shown before it. A build
//! still running after [`SLOW_BUILD`] is reported to the terminal and the
//! open pages; a panic is caught and reported as a problem, and the last
//! good site stays served either way.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use notify_debouncer_mini::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{DebounceEventResult, Debouncer, new_debouncer};
use tokio::runtime::Handle;
use tokio::sync::{oneshot, watch};

use super::{Files, Rebuilt, ServeError, Shown, http};
use crate::console;
use crate::load::{fingerprint, is_ignored_name};

/// How long editor save bursts are gathered into one rebuild.
const DEBOUNCE: Duration = Duration::from_millis(150);
/// How long a build runs before it is reported as slow.
pub(super) const SLOW_BUILD: Duration = Duration::from_secs(10);

/// Told to the terminal and the pages when a build panicked.
const PANICKED: &str = "the build stopped on an internal error, a bug in findings (the terminal \
                        shows where; please report it). The last good site is still served; \
                        saving again builds again.";

/// What one build gives the server: the files to serve, or the problems.
struct Outcome {
    files: Option<Files>,
    problems: String,
}

impl Outcome {
    fn from_rebuilt(rebuilt: Rebuilt) -> Self {
        Self {
            files: rebuilt.site.as_deref().map(http::served_files),
            problems: rebuilt.problems,
        }
    }

    fn failed(problems: String) -> Self {
        Self { files: None, problems }
    }
}

/// The builds of one server: the function that builds, what is shown, and
/// the generation of the newest build started.
pub(super) struct Builds<F> {
    build: F,
    shown: watch::Sender<Shown>,
    runtime: Handle,
    started: AtomicU64,
    /// How long a build runs before it is reported as slow.
    slow_after: Duration,
}

impl<F> Builds<F>
where
    F: Fn() -> Rebuilt + Send + Sync + 'static,
{
    /// Builds that show their results through `shown`, and are watched over
    /// by tasks on `runtime`; slow after [`SLOW_BUILD`].
    pub(super) fn new(build: F, shown: watch::Sender<Shown>, runtime: Handle) -> Arc<Self> {
        Self::slow_after(build, shown, runtime, SLOW_BUILD)
    }

    fn slow_after(build: F, shown: watch::Sender<Shown>, runtime: Handle, slow_after: Duration) -> Arc<Self> {
        Arc::new(Self {
            build,
            shown,
            runtime,
            started: AtomicU64::new(0),
            slow_after,
        })
    }

    /// Starts a build with the next generation number and returns at once.
    pub(super) fn start(self: &Arc<Self>) {
        let generation = self.started.fetch_add(1, Ordering::SeqCst) + 1;
        let (sender, receiver) = oneshot::channel();
        let builds = Arc::clone(self);
        let spawned = std::thread::Builder::new()
            .name(format!("findings-build-{generation}"))
            .spawn(move || {
                let outcome = catch_unwind(AssertUnwindSafe(|| Outcome::from_rebuilt((builds.build)())))
                    .unwrap_or_else(|_| {
                        console::message(&format!("error: {PANICKED}\n"));
                        Outcome::failed(PANICKED.to_owned())
                    });
                // The receiver is gone only if the runtime is shutting down.
                let _ = sender.send(outcome);
            });
        match spawned {
            Ok(_) => {
                let builds = Arc::clone(self);
                self.runtime
                    .spawn(async move { builds.supervise(generation, receiver).await });
            }
            Err(error) => {
                let problems = format!("could not start a build: {error}");
                console::message(&format!("error: {problems}\n"));
                self.show(generation, Outcome::failed(problems));
            }
        }
    }

    /// Waits for the build `generation`, says so if it is slow, and shows
    /// its result when it comes.
    async fn supervise(self: Arc<Self>, generation: u64, mut result: oneshot::Receiver<Outcome>) {
        let outcome = match tokio::time::timeout(self.slow_after, &mut result).await {
            Ok(outcome) => outcome,
            Err(_) => {
                self.slow(generation);
                result.await
            }
        };
        let outcome = outcome.unwrap_or_else(|_| Outcome::failed("the build ended without a result".to_owned()));
        self.show(generation, outcome);
    }

    /// Shows the result of build `generation`, unless a newer build's
    /// result is shown already.
    fn show(&self, generation: u64, outcome: Outcome) {
        let files = outcome.files.map(Arc::new);
        let problems = (!outcome.problems.is_empty()).then(|| Arc::from(outcome.problems));
        self.shown.send_if_modified(move |shown| {
            if generation <= shown.build {
                return false;
            }
            shown.build = generation;
            if let Some(files) = files {
                shown.files = files;
            }
            shown.problems = problems;
            shown.version += 1;
            true
        });
    }

    /// Tells the terminal and the pages that build `generation` runs long,
    /// if it is still the newest one and nothing newer is shown.
    fn slow(&self, generation: u64) {
        if generation != self.started.load(Ordering::SeqCst) {
            return;
        }
        let message = format!(
            "the build after the last change has been running for {} s and may never finish, a bug \
             in findings (please report it). The last good site is still served; saving again builds again.",
            self.slow_after.as_secs()
        );
        let told = self.shown.send_if_modified(|shown| {
            if generation <= shown.build {
                return false;
            }
            shown.problems = Some(Arc::from(message.as_str()));
            shown.version += 1;
            true
        });
        if told {
            console::message(&format!("warning: {message}\n"));
        }
    }
}

/// Waits until the first build's result is shown, or [`SLOW_BUILD`] passes.
pub(super) async fn first_shown(mut shown: watch::Receiver<Shown>) {
    let _ = tokio::time::timeout(SLOW_BUILD, shown.wait_for(|shown| shown.build > 0)).await;
}

/// Watches `study_dir` and starts a build after each burst of changes that
/// can change the site.
pub(super) fn watch<F>(study_dir: &Path, builds: Arc<Builds<F>>) -> Result<Debouncer<RecommendedWatcher>, ServeError>
where
    F: Fn() -> Rebuilt + Send + Sync + 'static,
{
    let folder = study_dir.to_path_buf();
    let mut last = fingerprint(&folder);
    let cannot_watch = |error: notify_debouncer_mini::notify::Error| ServeError::Watch {
        path: study_dir.to_path_buf(),
        message: error.to_string(),
    };
    let mut watcher = new_debouncer(DEBOUNCE, move |events: DebounceEventResult| {
        let relevant = match events {
            Ok(events) => events.iter().any(|event| is_relevant(&folder, &event.path)),
            Err(_) => true,
        };
        // Reading the study while building raises access events too: only
        // a change of the files' names, sizes or times means an edit.
        let now = fingerprint(&folder);
        if relevant && now != last {
            last = now;
            builds.start();
        }
    })
    .map_err(cannot_watch)?;
    watcher
        .watcher()
        .watch(study_dir, RecursiveMode::Recursive)
        .map_err(cannot_watch)?;
    Ok(watcher)
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

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::sync::mpsc;

    use super::*;
    use crate::render::Site;

    #[test]
    fn only_changes_inside_the_study_count() {
        let study = Path::new("/tmp/.hidden-parent/study");
        assert!(is_relevant(study, &study.join("quotes.yaml")));
        assert!(!is_relevant(study, &study.join(".quotes.yaml.swp")));
        assert!(!is_relevant(study, &study.join("themes/01.md~")));
    }

    /// What a build does, sent by the test.
    type Step = Box<dyn FnOnce() -> Rebuilt + Send>;

    fn site(page: &str) -> Rebuilt {
        let mut site = Site::default();
        site.files.insert("page.txt".to_owned(), page.as_bytes().to_vec());
        Rebuilt {
            site: Some(Arc::new(site)),
            problems: String::new(),
        }
    }

    fn page(shown: &Shown) -> Option<String> {
        shown
            .files
            .get("page.txt")
            .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
    }

    /// Builds whose every call runs the next step the test sends, on a
    /// runtime the test drives.
    struct Scripted<F> {
        runtime: tokio::runtime::Runtime,
        builds: Arc<Builds<F>>,
        steps: mpsc::Sender<Step>,
        shown: watch::Receiver<Shown>,
        started: u64,
    }

    /// Scripted builds that are slow after `slow_after`.
    fn scripted(slow_after: Duration) -> Scripted<impl Fn() -> Rebuilt + Send + Sync + 'static> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let (steps, script) = mpsc::channel::<Step>();
        let script = Mutex::new(script);
        let build = move || {
            let step = script.lock().unwrap().recv().unwrap();
            step()
        };
        let (sender, shown) = watch::channel(Shown::default());
        let builds = Builds::slow_after(build, sender, runtime.handle().clone(), slow_after);
        Scripted {
            runtime,
            builds,
            steps,
            shown,
            started: 0,
        }
    }

    impl<F: Fn() -> Rebuilt + Send + Sync + 'static> Scripted<F> {
        /// Starts a build that runs `step`.
        fn start(&mut self, step: Step) {
            self.steps.send(step).unwrap();
            self.builds.start();
            self.started += 1;
        }

        /// Starts a build that runs `step` and waits until its result is
        /// shown.
        fn build(&mut self, step: Step) -> Shown {
            self.start(step);
            let generation = self.started;
            self.wait(|shown| shown.build == generation)
        }

        /// Drives the runtime until what is shown satisfies `wanted`.
        fn wait(&self, wanted: impl FnMut(&Shown) -> bool) -> Shown {
            let mut shown = self.shown.clone();
            self.runtime
                .block_on(async { tokio::time::timeout(Duration::from_secs(20), shown.wait_for(wanted)).await })
                .expect("shown within 20 s")
                .expect("the builds are alive")
                .clone()
        }
    }

    #[test]
    fn a_build_that_never_ends_does_not_hold_up_the_next() {
        let mut builds = scripted(Duration::from_secs(60));
        let (release, hold) = mpsc::channel::<()>();
        let (running, started) = mpsc::channel::<&str>();
        // Build 1 waits until released; build 2 finishes at once.
        builds.start(Box::new(move || {
            running.send("started").unwrap();
            let _ = hold.recv();
            running.send("ending").unwrap();
            site("first")
        }));
        assert_eq!(started.recv().unwrap(), "started");
        let now = builds.build(Box::new(|| site("second")));
        assert_eq!(page(&now).as_deref(), Some("second"));

        // When the old build ends at last, its older result is not shown.
        release.send(()).unwrap();
        assert_eq!(started.recv().unwrap(), "ending");
        let now = builds.build(Box::new(|| site("third")));
        assert_eq!(page(&now).as_deref(), Some("third"));
        assert_eq!(now.version, 2, "build 1 was never shown");
    }

    #[test]
    fn a_slow_build_is_told_and_its_result_still_shown() {
        let mut builds = scripted(Duration::from_millis(50));
        let (release, hold) = mpsc::channel::<()>();
        builds.start(Box::new(move || {
            let _ = hold.recv();
            site("late")
        }));
        let told = builds.wait(|shown| shown.problems.is_some());
        assert!(
            told.problems
                .as_deref()
                .unwrap_or_default()
                .contains("may never finish"),
            "{told:?}"
        );
        assert_eq!(told.build, 0, "no result is shown yet");
        release.send(()).unwrap();
        let now = builds.wait(|shown| shown.build == 1);
        assert_eq!(page(&now).as_deref(), Some("late"));
        assert_eq!(now.problems, None);
    }

    #[test]
    fn a_panic_is_a_problem_and_the_last_good_site_stays() {
        let mut builds = scripted(Duration::from_secs(60));
        builds.build(Box::new(|| site("good")));
        let now = builds.build(Box::new(|| panic!("a bug")));
        assert_eq!(page(&now).as_deref(), Some("good"));
        assert_eq!(now.problems.as_deref(), Some(PANICKED));

        let now = builds.build(Box::new(|| site("fixed")));
        assert_eq!(page(&now).as_deref(), Some("fixed"));
        assert_eq!(now.problems, None);
    }

    #[test]
    fn problems_keep_the_last_good_site() {
        let mut builds = scripted(Duration::from_secs(60));
        builds.build(Box::new(|| site("good")));
        let now = builds.build(Box::new(|| Rebuilt {
            site: None,
            problems: "E101 in quotes.yaml".to_owned(),
        }));
        assert_eq!(page(&now).as_deref(), Some("good"));
        assert_eq!(now.problems.as_deref(), Some("E101 in quotes.yaml"));
    }
}
