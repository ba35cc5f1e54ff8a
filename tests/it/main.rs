//! Integration tests of the `findings` binary and library. One test binary
//! (`cargo test` builds it once); each module is one area. (The fixture
//! corpus of `tests/fixtures/`, one test per case, is its own target:
//! `tests/fixtures/main.rs`.)
//!
//! * `bundled`: the bundled study in `data/`, checked and compared with the
//!   paper it transcribes;
//! * `cli`: the command line itself (help, version, usage errors, formats,
//!   colour and redaction).
//! * `consent`: a withdrawn participant in no byte of the built site and
//!   left out of every count and chart; a no-quote participant counted,
//!   with a page but no quotes; quotes of either refused.
//! * `discovery`: the study found without a study argument, and a build
//!   run inside the study writing beside it;
//! * `exit_status`: a product that cannot be written to stdout exits 2, a
//!   reader that closed stdout ends the run quietly with 0.
//! * `disclosure`: `findings privacy` (its JSON read back for the bundled
//!   study's k) and the disclosure-risk gate of `check` and `build`.
//! * `privacy`: the deny-list scan of every output byte (terms hidden by
//!   entities, soft hyphens, full-width letters and line breaks caught,
//!   never printed) and files outside `static/` never published.
//! * `redaction`: names and quote words planted where diagnostics echoed
//!   them, absent from every format under `CI` or `--redact`.
//! * `big_study`: a study above the documented sizes still gives pages a
//!   reader can use (the sample table by service);
//! * `build`, `build_output`, `build_options`: `findings build` on the
//!   bundled study (the paper's tables and quotes), the output folder
//!   (atomic, reproducible, refused when foreign), `--base-url` and
//!   template and static overrides;
//! * `output_safety`: the output folders a build must never replace, files
//!   a user added to a site, leftovers of killed builds, concurrent builds;
//! * `site_links`, `site_injection`, `site_snapshots`: the built pages'
//!   link integrity, escaping of everything a study says, and snapshots
//!   of every page of the valid fixture (helpers in `site_support`);
//! * `editorial_marks`: bracketed descriptions and elisions in quotes
//!   built into styled spans, the quotes' words unchanged;
//! * `other_study`: a study shaped unlike the bundled one (declared
//!   attributes, named services, its own headings and attribution), its
//!   pages read as a reader sees them;
//! * `split_records`: quotes and participants split over the files of
//!   `quotes/` and `participants/`;
//! * `incremental_serve`: `serve`'s incremental rebuilds give the bytes of
//!   a full build after each of a series of edits;
//! * `study_shape`: a study without a findings section (the generated
//!   overview of its themes), a theme without subthemes, a subtheme
//!   without quotes;
//! * `translated`: a study published in French by overriding `labels.html`
//!   shows none of the built-in English words;
//! * `templates_export`: `templates export` writes what a study's
//!   `templates/` overrides, and the exported files build the same site;
//! * `workflow`: `new`, `completions`, `--quiet`/`--verbose`, and the live
//!   preview of `serve` over HTTP;
//! * `serve_hostile`: `serve` against malformed and hostile requests
//!   (helpers for both in `serve_support`).

mod big_study;
mod build;
mod build_options;
mod build_output;
mod bundled;
mod charts;
mod cli;
mod consent;
mod disclosure;
mod discovery;
mod editorial_marks;
mod exit_status;
mod incremental_serve;
mod other_study;
mod output_safety;
mod privacy;
mod redaction;
mod serve_hostile;
mod serve_support;
mod site_injection;
mod site_links;
mod site_snapshots;
mod site_support;
mod split_records;
mod study_shape;
mod support;
mod templates_export;
mod translated;
mod workflow;
