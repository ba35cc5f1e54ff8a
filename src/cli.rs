//! The command line, declared with clap's derive API. The doc comments are
//! the `--help` text. Nothing here does any work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::Format;

const EXIT_STATUS: &str = "\
Exit status:
  0  the study is clean (warnings allowed unless --deny-warnings)
  1  the study has errors (or warnings, with --deny-warnings)
  2  usage error, a file or folder could not be read, stdout could not be
     written, or findings itself failed";

/// Publish a qualitative interview study, kept as YAML and Markdown, as a
/// static website.
#[derive(Debug, Parser)]
#[command(name = "findings", version, about, after_help = EXIT_STATUS)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,

    /// When to colour the output: auto colours only a terminal, and honours NO_COLOR.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    /// Print only errors: no warnings and no summary line.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Also print what each step did (files read, pages written, timings).
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a study and report every problem, with file, line and column.
    #[command(after_help = concat!(
        "Examples:\n",
        "  findings check                      check the study here (see STUDY_DIR)\n",
        "  findings check my-study --format github --deny-warnings\n\n",
        "Exit status:\n",
        "  0  the study is clean (warnings allowed unless --deny-warnings)\n",
        "  1  the study has errors (or warnings, with --deny-warnings)\n",
        "  2  usage error, a file or folder could not be read, or stdout could not be written"
    ))]
    Check(CheckArgs),

    /// Check a study and publish it as a static website.
    #[command(after_help = concat!(
        "Examples:\n",
        "  findings build                              build the study here into ./public\n",
        "  findings build my-study -o site --base-url https://example.org/reports/my-study\n\n",
        "The output folder is replaced only once the new site is complete. It must be\n",
        "empty, or hold only what findings wrote there before (its .findings-site lists\n",
        "it), unless --force is given. Put files the site should publish, such as CNAME,\n",
        "in the study's static/ folder. Refused even with --force: the study folder and\n",
        "any folder inside or above it; the current and the home folder and any folder\n",
        "above them; a file system root; a folder holding .git, .hg or .svn.\n\n",
        "Exit status:\n",
        "  0  the site was written\n",
        "  1  the study has errors (or warnings, with --deny-warnings); nothing was written\n",
        "  2  usage error, a file or folder could not be read or written, the output\n",
        "     folder was refused, or findings itself failed"
    ))]
    Build(BuildArgs),

    /// Preview a study while you edit it: build it in memory, serve it on
    /// this machine, and reload open pages after every save.
    #[command(after_help = concat!(
        "Examples:\n",
        "  findings serve                      preview the study here at http://127.0.0.1:1111/\n",
        "  findings serve my-study --port 8000 --open\n\n",
        "Nothing is written to disk. Pages get a small script that reloads them after\n",
        "each rebuild; when an edit has errors, the terminal and the open pages show\n",
        "them and the last good site stays served. Stop with Ctrl-C.\n\n",
        "Exit status:\n",
        "  2  the address could not be used or the study folder cannot be read"
    ))]
    Serve(ServeArgs),

    /// Create a small, complete example study to start from.
    #[command(after_help = concat!(
        "Examples:\n",
        "  findings new my-study && findings build my-study -o my-site\n\n",
        "The folder must not exist or be empty; nothing is ever overwritten.\n\n",
        "Exit status:\n",
        "  0  the study was created\n",
        "  2  the folder is not empty or cannot be written"
    ))]
    New(NewArgs),

    /// Write out the built-in templates, to override from a study's templates/.
    #[command(subcommand)]
    Templates(TemplatesCommand),

    /// Print a study's disclosure-risk report, for its research team only.
    ///
    /// For each view the site publishes (sample table, attribution,
    /// participant and service pages, charts): the participant fields it
    /// shows, its k (the smallest group of participants who share what it
    /// shows) and the participants in groups below the study's threshold;
    /// then the consent counts and the editorial marks per quote. Nothing of
    /// it is published.
    #[command(after_help = concat!(
        "Examples:\n",
        "  findings privacy                    the report of the study here (see STUDY_DIR)\n",
        "  findings privacy my-study --format json\n\n",
        "The threshold is privacy: { k: N } in study.yaml (2 when not given).\n\n",
        "Exit status:\n",
        "  0  every view meets the threshold\n",
        "  1  a view is below the threshold, or the study has errors (printed as check prints them)\n",
        "  2  usage error, a file or folder could not be read, or stdout could not be written"
    ))]
    Privacy(PrivacyArgs),
    /// Print a shell completion script to stdout.
    #[command(after_help = concat!(
        "Examples:\n",
        "  findings completions bash > ~/.local/share/bash-completion/completions/findings\n",
        "  findings completions zsh > ~/.zfunc/_findings\n",
        "  findings completions fish > ~/.config/fish/completions/findings.fish"
    ))]
    Completions(CompletionsArgs),
}

/// Arguments of `findings serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The study folder (the one holding study.yaml). Without it: the
    /// nearest folder holding study.yaml, from the current folder up to a
    /// repository root; else ./data if it holds study.yaml.
    pub study_dir: Option<PathBuf>,

    /// The port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,

    /// The address to listen on. Without it the server listens on 127.0.0.1
    /// only; another address lets other machines read the study.
    #[arg(long, value_name = "ADDRESS")]
    pub bind: Option<std::net::IpAddr>,

    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,

    /// A file of terms that must never be published (see `check`); a
    /// rebuild with a hit serves the problems instead of the site.
    #[arg(long, value_name = "FILE", env = "FINDINGS_DENY_LIST", hide_env_values = true)]
    pub deny_list: Option<PathBuf>,
}

/// Arguments of `findings privacy`.
#[derive(Debug, Args)]
pub struct PrivacyArgs {
    /// The study folder (the one holding study.yaml). Without it: the
    /// nearest folder holding study.yaml, from the current folder up to a
    /// repository root; else ./data if it holds study.yaml.
    pub study_dir: Option<PathBuf>,
    /// How to print the report on stdout: text for a terminal, or one JSON
    /// document.
    #[arg(long, value_enum, default_value_t = PrivacyFormat::Human)]
    pub format: PrivacyFormat,
}

/// How `findings privacy` prints its report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PrivacyFormat {
    /// Text for a terminal.
    Human,
    /// One JSON document.
    Json,
}

/// Arguments of `findings new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The folder to create the study in.
    pub folder: PathBuf,
}

/// The `findings templates` commands.
#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// Write every built-in template, partial and the stylesheet into a
    /// folder, at the paths a study's templates/ folder overrides them from.
    #[command(after_help = concat!(
        "Examples:\n",
        "  findings templates export my-templates\n",
        "  cp my-templates/labels.html my-study/templates/\n\n",
        "Copy into the study's templates/ folder only the files you change; the others\n",
        "then follow findings' updates. labels.html holds every word a reader sees, to\n",
        "translate a site (with `language` in study.yaml). The folder must not exist or\n",
        "be empty; nothing is ever overwritten.\n\n",
        "Exit status:\n",
        "  0  the templates were written\n",
        "  2  the folder is not empty or cannot be written"
    ))]
    Export(ExportArgs),
}

/// Arguments of `findings templates export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The folder to write the templates into.
    pub folder: PathBuf,
}

/// Arguments of `findings completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Arguments of `findings build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The study folder and how to report its problems.
    #[command(flatten)]
    pub check: CheckArgs,

    /// The folder to write the site to (replaced as a whole; see below for
    /// the folders that are refused). Without it: ./public, or, when run
    /// inside the study folder, STUDY-site beside the study folder.
    #[arg(short = 'o', long = "out")]
    pub out: Option<PathBuf>,

    /// The address the site is published at (https://...), for canonical
    /// links and sitemap.xml. Links between pages stay relative.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Replace the output folder even if it holds files findings did not
    /// write (they are deleted). Never a folder that is refused below.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `findings check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The study folder (the one holding study.yaml). Without it: the
    /// nearest folder holding study.yaml, from the current folder up to a
    /// repository root; else ./data if it holds study.yaml.
    pub study_dir: Option<PathBuf>,

    /// How to print problems: human text, one JSON document on stdout, or
    /// GitHub Actions annotations on stdout.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Print ids, keys, file names and positions only: no quote text,
    /// free-text value or source snippet. On whenever the CI environment
    /// variable is set, so public CI logs never carry participants' words.
    #[arg(long)]
    pub redact: bool,

    /// Treat warnings as errors (exit status 1).
    #[arg(long)]
    pub deny_warnings: bool,

    /// A file of terms that must never be published (real names, places,
    /// employers), one a line, `#` for comments; it must lie outside the
    /// study and output folders. The study's text and every file of the site
    /// are scanned for them; a hit names the term's line, never the term.
    #[arg(long, value_name = "FILE", env = "FINDINGS_DENY_LIST", hide_env_values = true)]
    pub deny_list: Option<PathBuf>,
}

/// When to use colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour a terminal, unless NO_COLOR is set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
