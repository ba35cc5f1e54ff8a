//! The kinds of page a site has: the one registry that names them.
//!
//! Each [`PageKind`] has one row here holding everything fixed about it:
//! where its pages are written, what they are called, the template that
//! renders them (built into the binary here), their place in the reading
//! order and the navigation, and the ids its template gives elements. Two
//! functions say what varies with the study: which pages of the kind a
//! study has ([`PageKind::records`], the plan entry) and what narrative
//! each shows ([`PageKind::content`]).
//!
//! The render stage plans the site from these rows alone; the names a
//! section id may not take ([`reserved_names`], E503) and the built-in page
//! templates are read from them, and the docs are tested against them.
//! Adding a page kind is a row here, its template, and its render function
//! in `render/page.rs`. This module knows the model, not how a page is
//! rendered.

use crate::model::{Block, Study, Theme};

/// The most quotes a theme's page shows; a theme that places more has a
/// page per subtheme, and its own page shows its introduction and links to
/// them (docs/data-format.md, "Big studies").
pub const THEME_PAGE_QUOTES: usize = 500;

/// Whether `theme` places more than [`THEME_PAGE_QUOTES`] quotes and has
/// subthemes to split them into.
#[must_use]
pub fn is_split(theme: &Theme) -> bool {
    let quotes = |blocks: &[Block]| blocks.iter().filter(|block| matches!(block, Block::Quote(_))).count();
    !theme.subthemes.is_empty()
        && quotes(&theme.intro)
            + theme
                .subthemes
                .iter()
                .map(|subtheme| quotes(&subtheme.blocks))
                .sum::<usize>()
            > THEME_PAGE_QUOTES
}

/// The theme and subtheme (indexes) of a [`PageKind::Subtheme`] record's
/// index: subthemes are counted through all themes in order.
#[must_use]
pub fn subtheme_at(study: &Study, record: usize) -> (usize, usize) {
    let mut first = 0;
    for (theme, shown) in study.themes.iter().enumerate() {
        if record < first + shown.subthemes.len() {
            return (theme, record - first);
        }
        first += shown.subthemes.len();
    }
    (0, 0)
}

/// The path of the page of the `number`th (from 1) subtheme of the theme
/// `theme_id`, when the theme is split. Named by number, not by the
/// subtheme's id: that id is an anchor, not checked as a file name.
#[must_use]
pub fn subtheme_path(theme_id: &str, number: usize) -> String {
    format!("themes/{theme_id}/{number}.html")
}

/// A kind of page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PageKind {
    /// The home page: the summary, the study at a glance, the contents.
    Home,
    /// A narrative section (`sections/*.md`).
    Section,
    /// The overview of the themes, when no section is marked as the
    /// findings section: it stands where that section would, after the
    /// sections, and the themes follow it.
    Findings,
    /// A results theme (`themes/*.md`), presented after the findings section.
    Theme,
    /// A subtheme of a theme that places more than [`THEME_PAGE_QUOTES`]
    /// quotes, on a page of its own.
    Subtheme,
    /// The sample table.
    Participants,
    /// One participant: their row of the sample and every quote.
    Participant,
    /// The services.
    Services,
    /// One service: its participants and their quotes.
    Service,
    /// The reference list, with where each entry is cited.
    References,
    /// The page a host serves for a missing path.
    NotFound,
    /// The sitemap, for search engines (only when the site's address is known).
    Sitemap,
}

/// Where the pages of a kind are written, relative to the site's root.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathPattern {
    /// The one page of the kind, at this path.
    Fixed(&'static str),
    /// A page per record: `FOLDER/ID.html`, or `ID.html` at the root when
    /// there is no folder.
    PerRecord(Option<&'static str>),
    /// A page per subtheme of a split theme: `themes/THEME/NUMBER.html`
    /// ([`subtheme_path`]).
    PerSubtheme,
}

/// Where the pages of a kind stand in the site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// In the reading order (previous and next follow it), at the top level
    /// of the navigation.
    Reading,
    /// In the reading order right after the findings section, and under it
    /// in the navigation.
    AfterFindings,
    /// Outside the navigation; previous and next go through the pages of
    /// the same kind.
    Series,
    /// Outside the navigation, the reading order and the sitemap.
    Apart,
}

impl Place {
    /// Whether pages so placed are listed in the sitemap.
    #[must_use]
    pub const fn in_sitemap(self) -> bool {
        !matches!(self, Self::Apart)
    }
}

/// Everything fixed about a kind of page: its row of the registry.
#[derive(Clone, Copy, Debug)]
pub struct Facts {
    /// Where its pages are written.
    pub path: PathPattern,
    /// The kind's name, as templates see it (`kind` of a page, a link or
    /// an entry of the navigation): the label templates (`labels.html`)
    /// word a page's title from it, its record's id and title.
    pub name: &'static str,
    /// The template's name (a study overrides it with `templates/NAME`).
    pub template: &'static str,
    /// The built-in template.
    pub source: &'static str,
    /// Where its pages stand.
    pub place: Place,
    /// Ids the template gives elements of every page of the kind, which a
    /// heading of the page's Markdown may therefore not take.
    pub template_ids: &'static [&'static str],
    /// Ids the template gives elements of the findings section only.
    pub findings_ids: &'static [&'static str],
    /// Whether a citation in its narrative is a place the reference list
    /// names ("cited in").
    pub cites: bool,
    /// Whether the kind has its page only when the site's address is known
    /// (`--base-url`).
    pub needs_base_url: bool,
}

/// Ids of the layout and of the table partials, on every page that shows
/// narrative blocks.
const NARRATIVE_IDS: &[&str] = &["main", "toc-title", "table-typology-caption", "table-sample-caption"];

impl PageKind {
    /// Every kind. Pages placed in the reading order come in it in this
    /// order (a section's themes right after it), and [`reserved_names`]
    /// lists names in this order.
    pub const ALL: [Self; 12] = [
        Self::Home,
        Self::Section,
        Self::Findings,
        Self::Theme,
        Self::Subtheme,
        Self::Participants,
        Self::Participant,
        Self::Services,
        Self::Service,
        Self::References,
        Self::NotFound,
        Self::Sitemap,
    ];

    /// The registry: everything fixed about each kind.
    #[must_use]
    pub const fn facts(self) -> Facts {
        const fn row(
            path: PathPattern,
            name: &'static str,
            template: (&'static str, &'static str),
            place: Place,
        ) -> Facts {
            Facts {
                path,
                name,
                template: template.0,
                source: template.1,
                place,
                template_ids: &["main"],
                findings_ids: &[],
                cites: false,
                needs_base_url: false,
            }
        }
        use PathPattern::{Fixed, PerRecord};
        match self {
            Self::Home => Facts {
                template_ids: &["main", "summary-heading", "glance-heading", "contents-heading"],
                cites: true,
                ..row(
                    Fixed("index.html"),
                    "home",
                    ("index.html", include_str!("../templates/index.html")),
                    Place::Reading,
                )
            },
            Self::Section => Facts {
                template_ids: NARRATIVE_IDS,
                findings_ids: &["themes-heading"],
                cites: true,
                ..row(
                    PerRecord(None),
                    "section",
                    ("section.html", include_str!("../templates/section.html")),
                    Place::Reading,
                )
            },
            Self::Findings => Facts {
                template_ids: &["main", "themes-heading"],
                ..row(
                    Fixed("findings.html"),
                    "findings",
                    ("findings.html", include_str!("../templates/findings.html")),
                    Place::Reading,
                )
            },
            Self::Theme => Facts {
                template_ids: NARRATIVE_IDS,
                cites: true,
                ..row(
                    PerRecord(Some("themes")),
                    "theme",
                    ("theme.html", include_str!("../templates/theme.html")),
                    Place::AfterFindings,
                )
            },
            Self::Subtheme => Facts {
                template_ids: NARRATIVE_IDS,
                cites: true,
                ..row(
                    PathPattern::PerSubtheme,
                    "subtheme",
                    ("subtheme.html", include_str!("../templates/subtheme.html")),
                    Place::Series,
                )
            },
            Self::Participants => row(
                Fixed("participants/index.html"),
                "participants",
                ("participants.html", include_str!("../templates/participants.html")),
                Place::Reading,
            ),
            Self::Participant => row(
                PerRecord(Some("participants")),
                "participant",
                ("participant.html", include_str!("../templates/participant.html")),
                Place::Series,
            ),
            Self::Services => row(
                Fixed("services/index.html"),
                "services",
                ("services.html", include_str!("../templates/services.html")),
                Place::Reading,
            ),
            Self::Service => row(
                PerRecord(Some("services")),
                "service",
                ("service.html", include_str!("../templates/service.html")),
                Place::Series,
            ),
            Self::References => row(
                Fixed("references.html"),
                "references",
                ("references.html", include_str!("../templates/references.html")),
                Place::Reading,
            ),
            Self::NotFound => row(
                Fixed("404.html"),
                "not-found",
                ("404.html", include_str!("../templates/404.html")),
                Place::Apart,
            ),
            Self::Sitemap => Facts {
                needs_base_url: true,
                ..row(
                    Fixed("sitemap.xml"),
                    "sitemap",
                    ("sitemap.xml", include_str!("../templates/sitemap.xml")),
                    Place::Apart,
                )
            },
        }
    }

    /// The plan entry: the pages of this kind the study has, in order, by
    /// the record each shows (one page, for a kind with a fixed path).
    #[must_use]
    pub fn records(self, study: &Study) -> Vec<Record<'_>> {
        let record = Record::new;
        match self {
            Self::Section => study
                .sections
                .iter()
                .enumerate()
                .map(|(index, section)| Record {
                    findings: section.findings,
                    ..record(index, &section.id, &section.title)
                })
                .collect(),
            Self::Findings => {
                let marked = study.sections.iter().any(|section| section.findings);
                if marked || study.themes.is_empty() {
                    Vec::new()
                } else {
                    vec![Record {
                        findings: true,
                        ..record(0, "", "")
                    }]
                }
            }
            Self::Theme => study
                .themes
                .iter()
                .enumerate()
                .map(|(index, theme)| record(index, &theme.id, &theme.title))
                .collect(),
            Self::Subtheme => {
                let mut records = Vec::new();
                let mut first = 0;
                for theme in &study.themes {
                    if is_split(theme) {
                        records.extend(theme.subthemes.iter().enumerate().map(|(position, subtheme)| Record {
                            number: position + 1,
                            ..record(first + position, &theme.id, &subtheme.title)
                        }));
                    }
                    first += theme.subthemes.len();
                }
                records
            }
            Self::Participant => study
                .participants
                .iter()
                .enumerate()
                .map(|(index, participant)| record(index, &participant.id, ""))
                .collect(),
            Self::Service => study
                .services
                .iter()
                .enumerate()
                .map(|(index, service)| record(index, &service.id, service.name.as_deref().unwrap_or_default()))
                .collect(),
            Self::Home | Self::Participants | Self::Services | Self::References | Self::NotFound | Self::Sitemap => {
                vec![record(0, "", "")]
            }
        }
    }

    /// The narrative a page of this kind shows, part by part, in the order
    /// the page shows it; `record` is [`Record::index`].
    #[must_use]
    pub fn content(self, study: &Study, record: usize) -> Vec<Part<'_>> {
        match self {
            Self::Home => study
                .metadata
                .summary
                .iter()
                .map(|summary| Part::Markdown(summary))
                .collect(),
            Self::Section => vec![Part::Blocks {
                heading: None,
                blocks: &study.sections[record].blocks,
            }],
            Self::Theme => {
                let theme = &study.themes[record];
                // A split theme's subthemes are on pages of their own.
                let subthemes = if is_split(theme) { &[][..] } else { &theme.subthemes[..] };
                std::iter::once(Part::Blocks {
                    heading: None,
                    blocks: &theme.intro,
                })
                .chain(subthemes.iter().map(|subtheme| Part::Blocks {
                    heading: Some(Heading {
                        id: &subtheme.id,
                        title: &subtheme.title,
                    }),
                    blocks: &subtheme.blocks,
                }))
                .collect()
            }
            Self::Subtheme => {
                let (theme, subtheme) = subtheme_at(study, record);
                vec![Part::Blocks {
                    heading: None,
                    blocks: &study.themes[theme].subthemes[subtheme].blocks,
                }]
            }
            Self::References => study
                .references
                .iter()
                .map(|reference| Part::Entry(&reference.entry))
                .collect(),
            Self::Findings
            | Self::Participants
            | Self::Participant
            | Self::Services
            | Self::Service
            | Self::NotFound
            | Self::Sitemap => Vec::new(),
        }
    }

    /// The path of the page of this kind that shows the record `id` (which
    /// a kind with a fixed path ignores; for subthemes, the first subtheme
    /// of the theme `id`).
    #[must_use]
    pub fn path(self, id: &str) -> String {
        self.record_path(&Record {
            number: 1,
            ..Record::new(0, id, "")
        })
    }

    /// The path of the page of this kind that shows `record`.
    #[must_use]
    pub fn record_path(self, record: &Record<'_>) -> String {
        let id = record.id;
        match self.facts().path {
            PathPattern::Fixed(path) => path.to_owned(),
            PathPattern::PerRecord(None) => format!("{id}.html"),
            PathPattern::PerRecord(Some(folder)) => format!("{folder}/{id}.html"),
            PathPattern::PerSubtheme => subtheme_path(id, record.number),
        }
    }

    /// The kind's name, as templates see it.
    #[must_use]
    pub const fn name(self) -> &'static str {
        self.facts().name
    }

    /// The name at the site's root that this kind's pages take, if it is
    /// fixed: the file's name without its extension, or the folder's.
    #[must_use]
    pub fn reserved_name(self) -> Option<&'static str> {
        match self.facts().path {
            PathPattern::Fixed(path) => {
                let first = path.split('/').next().unwrap_or(path);
                Some(first.split_once('.').map_or(first, |(name, _)| name))
            }
            PathPattern::PerRecord(folder) => folder,
            PathPattern::PerSubtheme => Some("themes"),
        }
    }
}

/// A page of a kind, before it is planned: the record it shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record<'a> {
    /// The record's position in its list of the study (0 for a kind with
    /// one page).
    pub index: usize,
    /// The record's id (empty for a kind with one page).
    pub id: &'a str,
    /// The record's title (empty for records without one).
    pub title: &'a str,
    /// Whether the record is the findings section, which the themes follow.
    pub findings: bool,
    /// For a subtheme, its number in its theme, from 1 (0 for other
    /// records); its `id` is then the theme's.
    pub number: usize,
}

impl<'a> Record<'a> {
    /// The record at `index` of its list, which is not the findings section.
    #[must_use]
    pub const fn new(index: usize, id: &'a str, title: &'a str) -> Self {
        Self {
            index,
            id,
            title,
            findings: false,
            number: 0,
        }
    }
}

/// A part of a page's narrative.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part<'a> {
    /// A Markdown text (the summary).
    Markdown(&'a str),
    /// Narrative blocks, under a heading the page gives them (a
    /// subtheme's), if any.
    Blocks {
        /// The heading above the blocks.
        heading: Option<Heading<'a>>,
        /// The blocks.
        blocks: &'a [Block],
    },
    /// One line of inline Markdown (an entry of the reference list).
    Entry(&'a str),
}

/// A heading the template puts above a part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Heading<'a> {
    /// The id wanted for it (it gets another if the page already uses it).
    pub id: &'a str,
    /// Its text.
    pub title: &'a str,
}

/// The folder of the built-in stylesheet (`templates/assets/`), published
/// as is: not a page, but a name a section may not take either.
pub const ASSETS_FOLDER: &str = "assets";

/// The names a section id may not take, because a generated page or folder
/// has it at the site's root (`references` would overwrite the reference
/// list): the kinds' names in registry order, then the assets folder.
#[must_use]
pub fn reserved_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for name in PageKind::ALL
        .iter()
        .filter_map(|kind| kind.reserved_name())
        .chain([ASSETS_FOLDER])
    {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Each kind's built-in template, by name.
pub fn builtin_templates() -> impl Iterator<Item = (&'static str, &'static str)> {
    PageKind::ALL.iter().map(|kind| {
        let facts = kind.facts();
        (facts.template, facts.source)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    #[test]
    fn reserved_names_are_the_first_name_of_every_fixed_path() {
        assert_eq!(
            reserved_names(),
            [
                "index",
                "findings",
                "themes",
                "participants",
                "services",
                "references",
                "404",
                "sitemap",
                "assets"
            ]
        );
        for kind in PageKind::ALL {
            let path = kind.path("x");
            let first = path.split('/').next().unwrap_or_default();
            match kind.reserved_name() {
                Some(name) => assert!(first == name || first.starts_with(&format!("{name}.")), "{kind:?}"),
                None => assert_eq!(
                    path, "x.html",
                    "{kind:?}: only sections are named by their id at the root"
                ),
            }
        }
    }

    #[test]
    fn the_docs_list_the_reserved_names_of_the_registry() {
        let names = reserved_names();
        // docs/data-format.md says them all, in registry order.
        let listed = names
            .iter()
            .map(|name| format!("`{name}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let format = include_str!("../docs/data-format.md")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            format.contains(&format!("one of the names of generated pages: {listed}.")),
            "docs/data-format.md should list the reserved names as {listed}"
        );
        // The summary of E503 (and so its row of docs/diagnostics.md)
        // gives examples, which must be reserved.
        let summary = Code::ReservedId.summary();
        let examples: Vec<&str> = summary.split('`').skip(1).step_by(2).collect();
        assert!(!examples.is_empty(), "{summary}");
        for example in examples {
            assert!(
                names.contains(&example),
                "`{example}` in the summary of E503 is not reserved"
            );
        }
    }

    #[test]
    fn the_docs_give_the_size_above_which_a_theme_is_split() {
        let format = include_str!("../docs/data-format.md")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(format.contains(&format!(
            "A theme that places more than {THEME_PAGE_QUOTES} quotes (in its introduction and its subthemes together)"
        )));
        assert!(
            include_str!("../README.md")
                .contains(&format!("above {THEME_PAGE_QUOTES} quotes, themes/<theme>/<n>.html"))
        );
    }

    #[test]
    fn subtheme_records_count_through_every_theme() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
        let mut study = crate::check_study(&folder).unwrap().study.unwrap();
        assert!(
            PageKind::Subtheme.records(&study).is_empty(),
            "the fixture's theme is small"
        );
        let mut big = study.themes[0].clone();
        big.id = "big".to_owned();
        big.subthemes[1].blocks = vec![Block::Quote(0); THEME_PAGE_QUOTES + 1];
        study.themes.push(big);
        assert!(!is_split(&study.themes[0]) && is_split(&study.themes[1]));
        let records = PageKind::Subtheme.records(&study);
        let paths: Vec<String> = records
            .iter()
            .map(|record| PageKind::Subtheme.record_path(record))
            .collect();
        assert_eq!(paths, ["themes/big/1.html", "themes/big/2.html"]);
        // The first theme's two subthemes come first in the count.
        assert_eq!(subtheme_at(&study, records[1].index), (1, 1));
        assert_eq!(records[1].index, 3);
    }

    #[test]
    fn every_kind_has_its_own_template_and_path() {
        let mut templates: Vec<&str> = builtin_templates().map(|(name, _)| name).collect();
        let mut paths: Vec<String> = PageKind::ALL.iter().map(|kind| kind.path("x")).collect();
        templates.sort_unstable();
        templates.dedup();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(templates.len(), PageKind::ALL.len());
        assert_eq!(paths.len(), PageKind::ALL.len());
    }
}
