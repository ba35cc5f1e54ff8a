//! Stage 3, render: [`Study`] + [`Templates`] -> an in-memory [`Site`].
//!
//! Decides the site's pages and their reading order, turns narrative blocks
//! into template values (Markdown to safe HTML, quotes with derived
//! attributions, tables from the records), and renders every page with
//! Tera. Writes nothing: the `output` module publishes the result. Every
//! link is relative, so the site works from `file://` and under a sub-path.

pub mod charts;
pub mod context;
pub mod markdown;
mod resolve;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::model::{Block, Reference, Study, TableKind};
use crate::tabulate::tabulate;
use crate::templates::Templates;
use context::{
    BlockContext, GlanceFact, Layout, NavItem, PageContext, PageLink, ReferenceContext, SectionContext, Shared,
    SiteContext, SubthemeContext, TableNumbers, ThemeContext,
};
use markdown::{PageMarkdown, reference_anchor};

/// How to render.
#[derive(Clone, Debug, Default)]
pub struct SiteOptions {
    /// The address the site will be published at, for canonical links and
    /// the sitemap (`https://example.org/reports/study`), without a trailing `/`.
    pub base_url: Option<String>,
}

/// The published address of a site, without a trailing `/`, if `url` is an
/// http(s) address with a host and no query, fragment, space or quote.
#[must_use]
pub fn normalise_base_url(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split('/').next().unwrap_or_default();
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|character| character.is_ascii_alphanumeric() || matches!(character, '.' | '-' | ':' | '[' | ']'));
    let path_ok = !rest.chars().any(|character| {
        character.is_whitespace()
            || character.is_control()
            || matches!(character, '?' | '#' | '"' | '\'' | '<' | '>' | '\\')
    });
    (host_ok && path_ok).then(|| url.trim_end_matches('/').to_owned())
}

/// The rendered site: file contents by path relative to the output folder.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Site {
    /// Files by `/`-separated relative path.
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Site {
    /// How many HTML pages the site has.
    #[must_use]
    pub fn page_count(&self) -> usize {
        self.files.keys().filter(|path| path.ends_with(".html")).count()
    }
}

/// A page of the reading order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Page {
    Home,
    Section(usize),
    Theme(usize),
    Participants,
    Services,
    References,
}

/// Renders the study.
///
/// # Errors
/// Diagnostics for templates that fail to render and static files that
/// would replace a generated page.
pub fn render(study: &Study, templates: &Templates, options: &SiteOptions) -> Result<Site, Vec<Diagnostic>> {
    let mut renderer = Renderer::new(study, templates, options);
    renderer.render_all();
    if renderer.problems.is_empty() {
        Ok(Site { files: renderer.files })
    } else {
        Err(renderer.problems)
    }
}

struct Renderer<'a> {
    study: &'a Study,
    templates: &'a Templates,
    options: &'a SiteOptions,
    references: BTreeMap<&'a str, &'a Reference>,
    order: Vec<Page>,
    shared: Shared,
    files: BTreeMap<String, Vec<u8>>,
    problems: Vec<Diagnostic>,
    /// For each reference, where it is cited: (reading position, link).
    cited_in: BTreeMap<String, Vec<(usize, PageLink)>>,
    /// Each theme's subtheme anchors, as its page uses them.
    subtheme_anchors: Vec<Vec<String>>,
    /// Each chart, drawn once (`None` if drawing failed; reported).
    charts: Vec<Option<context::ChartContext>>,
}

impl<'a> Renderer<'a> {
    fn new(study: &'a Study, templates: &'a Templates, options: &'a SiteOptions) -> Self {
        let mut order = vec![Page::Home];
        for (index, section) in study.sections.iter().enumerate() {
            order.push(Page::Section(index));
            if section.findings {
                order.extend((0..study.themes.len()).map(Page::Theme));
            }
        }
        order.extend([Page::Participants, Page::Services, Page::References]);
        let shared = Shared {
            site: SiteContext {
                title: study.metadata.title.clone(),
                short_title: study.metadata.short_title.clone(),
                journal: study.metadata.journal.clone(),
                manuscript_id: study.metadata.manuscript_id.clone(),
                manuscript_type: study.metadata.manuscript_type.clone(),
                lang: study.metadata.language.clone(),
            },
            typology: resolve::typology(study),
            roles: resolve::roles(study),
            sample: resolve::sample(study),
            columns: resolve::columns(study),
            figures: study.figures.iter().map(resolve::figure).collect(),
            tables: table_numbers(study, &order),
        };
        let mut problems = Vec::new();
        let charts = study
            .charts
            .iter()
            .map(|chart| {
                let table = tabulate(study, &chart.spec);
                let description = chart
                    .description
                    .clone()
                    .unwrap_or_else(|| charts::describe(&chart.title, &table));
                match charts::draw(&chart.id, &chart.title, &description, &table) {
                    Ok(svg) => Some(context::ChartContext {
                        id: chart.id.clone(),
                        title: chart.title.clone(),
                        svg,
                        data: resolve::data_table(&table),
                    }),
                    Err(error) => {
                        problems.push(
                            Diagnostic::new(Code::ChartDeclaration, error.to_string())
                                .at(Location::file("charts.yaml"))
                                .help("this is a bug in findings' chart drawing; please report it with the chart declaration"),
                        );
                        None
                    }
                }
            })
            .collect();
        Self {
            study,
            templates,
            options,
            references: study
                .references
                .iter()
                .map(|reference| (reference.id.as_str(), reference))
                .collect(),
            order,
            shared,
            files: BTreeMap::new(),
            problems,
            cited_in: BTreeMap::new(),
            subtheme_anchors: Vec::new(),
            charts,
        }
    }

    fn render_all(&mut self) {
        for theme in 0..self.study.themes.len() {
            self.theme_page(theme);
        }
        self.home_page();
        for section in 0..self.study.sections.len() {
            self.section_page(section);
        }
        self.participant_pages();
        self.service_pages();
        self.references_page();
        self.not_found_page();
        self.sitemap();
        self.assets();
    }

    fn href(&self, page: Page) -> String {
        match page {
            Page::Home => "index.html".to_owned(),
            Page::Section(index) => resolve::section_href(self.study, index),
            Page::Theme(index) => resolve::theme_href(self.study, index),
            Page::Participants => "participants/index.html".to_owned(),
            Page::Services => "services/index.html".to_owned(),
            Page::References => "references.html".to_owned(),
        }
    }

    fn title(&self, page: Page) -> String {
        match page {
            Page::Home => "Home".to_owned(),
            Page::Section(index) => self.study.sections[index].title.clone(),
            Page::Theme(index) => self.study.themes[index].title.clone(),
            Page::Participants => "Participants".to_owned(),
            Page::Services => "Services".to_owned(),
            Page::References => "References".to_owned(),
        }
    }

    fn link(&self, page: Page) -> PageLink {
        PageLink {
            title: self.title(page),
            href: self.href(page),
        }
    }

    fn position(&self, page: Page) -> usize {
        self.order.iter().position(|known| *known == page).unwrap_or(usize::MAX)
    }

    fn nav(&self, current: &str) -> Vec<NavItem> {
        let item = |page: Page| {
            let href = self.href(page);
            NavItem {
                current: href == current,
                title: self.title(page),
                href,
                children: Vec::new(),
            }
        };
        let mut nav = vec![item(Page::Home)];
        for (index, section) in self.study.sections.iter().enumerate() {
            let mut entry = item(Page::Section(index));
            if section.findings {
                entry.children = (0..self.study.themes.len())
                    .map(|theme| item(Page::Theme(theme)))
                    .collect();
            }
            nav.push(entry);
        }
        nav.extend([item(Page::Participants), item(Page::Services), item(Page::References)]);
        nav
    }

    /// The layout values of a page at `href` whose neighbours are given.
    fn layout(
        &self,
        href: &str,
        title: &str,
        previous: Option<PageLink>,
        next: Option<PageLink>,
        toc: Vec<markdown::TocEntry>,
    ) -> Layout {
        let depth = href.matches('/').count();
        let canonical = self.options.base_url.as_ref().map(|base| {
            let path = href.strip_suffix("index.html").unwrap_or(href);
            format!("{base}/{path}")
        });
        Layout {
            root: "../".repeat(depth),
            page: PageContext {
                title: title.to_owned(),
                description: None,
                canonical,
            },
            nav: self.nav(href),
            previous,
            next,
            toc,
        }
    }

    /// The layout of a page of the reading order.
    fn reading_layout(&self, page: Page, toc: Vec<markdown::TocEntry>) -> Layout {
        let position = self.position(page);
        let previous = position.checked_sub(1).map(|before| self.link(self.order[before]));
        let next = self.order.get(position + 1).map(|after| self.link(*after));
        self.layout(&self.href(page), &self.title(page), previous, next, toc)
    }

    fn emit(&mut self, template: &str, path: String, layout: &Layout, extra: impl Serialize) {
        let context = [
            tera::Context::from_serialize(&self.shared),
            tera::Context::from_serialize(layout),
            tera::Context::from_serialize(&extra),
        ]
        .into_iter()
        .try_fold(tera::Context::new(), |mut context, part| {
            context.extend(part?);
            Ok::<_, tera::Error>(context)
        });
        let rendered = context.and_then(|context| self.templates.tera.render(template, &context));
        match rendered {
            Ok(html) => {
                self.files.insert(path, html.into_bytes());
            }
            Err(error) => {
                // A template shared by many pages fails on each: report it once.
                let problem = self.templates.diagnostic(&error);
                if !self.problems.contains(&problem) {
                    self.problems.push(problem);
                }
            }
        }
    }

    fn record_citations(&mut self, page: Page, href: &str, title: &str, cited: Vec<(String, Option<String>)>) {
        let position = self.position(page);
        for (reference, anchor) in cited {
            let link = PageLink {
                title: title.to_owned(),
                href: match anchor {
                    Some(anchor) => format!("{href}#{anchor}"),
                    None => href.to_owned(),
                },
            };
            let places = self.cited_in.entry(reference).or_default();
            if !places.iter().any(|(_, known)| known.href == link.href) {
                places.push((position, link));
            }
        }
    }

    fn blocks(&self, blocks: &[Block], markdown: &mut PageMarkdown<'_>) -> Vec<BlockContext> {
        blocks
            .iter()
            .map(|block| match block {
                Block::Markdown(text) => BlockContext::Markdown {
                    html: markdown.block(text),
                },
                Block::Quote(index) => BlockContext::Quote {
                    quote: resolve::quote(self.study, *index),
                },
                Block::Table(kind) => BlockContext::Table {
                    table: table_name(*kind),
                },
                Block::Figures => BlockContext::Figures,
                Block::Chart(index) => match &self.charts[*index] {
                    Some(chart) => BlockContext::Chart { chart: chart.clone() },
                    None => BlockContext::Figures,
                },
            })
            .collect()
    }

    fn reserved_ids(&self, blocks: &[&[Block]]) -> Vec<String> {
        let mut ids: Vec<String> = ["main", "toc-title", "table-typology-caption", "table-sample-caption"]
            .iter()
            .map(|id| (*id).to_owned())
            .collect();
        for block in blocks.iter().flat_map(|blocks| blocks.iter()) {
            match block {
                Block::Quote(index) => ids.push(resolve::quote_anchor(&self.study.quotes[*index])),
                Block::Chart(index) => {
                    let id = &self.study.charts[*index].id;
                    for suffix in ["", "-title", "-desc", "-caption"] {
                        ids.push(format!("chart-{id}{suffix}"));
                    }
                }
                _ => {}
            }
        }
        ids
    }

    fn theme_page(&mut self, index: usize) {
        let study = self.study;
        let theme = &study.themes[index];
        let page = Page::Theme(index);
        let href = self.href(page);
        let all_blocks: Vec<&[Block]> = std::iter::once(theme.intro.as_slice())
            .chain(theme.subthemes.iter().map(|subtheme| subtheme.blocks.as_slice()))
            .collect();
        let reserved = self.reserved_ids(&all_blocks);
        let reserved: Vec<&str> = reserved.iter().map(String::as_str).collect();
        let references = self.references.clone();
        let mut markdown = PageMarkdown::new(&references, "../", &reserved);
        markdown.smart_punctuation = self.study.metadata.smart_punctuation;
        let intro = self.blocks(&theme.intro, &mut markdown);
        let mut subthemes = Vec::new();
        for subtheme in &theme.subthemes {
            let anchor = markdown.claim_heading(&subtheme.id, &subtheme.title);
            subthemes.push(SubthemeContext {
                id: subtheme.id.clone(),
                anchor,
                title: subtheme.title.clone(),
                quote_count: quote_count(&subtheme.blocks),
                blocks: self.blocks(&subtheme.blocks, &mut markdown),
            });
        }
        self.subtheme_anchors
            .push(subthemes.iter().map(|subtheme| subtheme.anchor.clone()).collect());
        let context = ThemeContext {
            id: theme.id.clone(),
            number: index + 1,
            title: theme.title.clone(),
            href: href.clone(),
            quote_count: all_blocks.iter().map(|blocks| quote_count(blocks)).sum(),
            intro,
            subthemes,
        };
        let (toc, cited) = (markdown.toc.clone(), std::mem::take(&mut markdown.cited));
        drop(markdown);
        self.record_citations(page, &href, &theme.title, cited);
        let layout = self.reading_layout(page, toc);
        let findings = study.sections.iter().position(|section| section.findings);
        #[derive(Serialize)]
        struct Extra {
            theme: ThemeContext,
            theme_count: usize,
            findings_href: String,
            findings_title: String,
        }
        let extra = Extra {
            theme: context,
            theme_count: study.themes.len(),
            findings_href: findings.map_or_else(String::new, |section| self.href(Page::Section(section))),
            findings_title: findings.map_or_else(String::new, |section| study.sections[section].title.clone()),
        };
        self.emit("theme.html", href, &layout, extra);
    }

    fn theme_overview(&self) -> Vec<ThemeContext> {
        self.study
            .themes
            .iter()
            .enumerate()
            .map(|(index, theme)| ThemeContext {
                id: theme.id.clone(),
                number: index + 1,
                title: theme.title.clone(),
                href: self.href(Page::Theme(index)),
                quote_count: quote_count(&theme.intro)
                    + theme
                        .subthemes
                        .iter()
                        .map(|subtheme| quote_count(&subtheme.blocks))
                        .sum::<usize>(),
                intro: Vec::new(),
                subthemes: theme
                    .subthemes
                    .iter()
                    .enumerate()
                    .map(|(position, subtheme)| SubthemeContext {
                        id: subtheme.id.clone(),
                        anchor: self
                            .subtheme_anchors
                            .get(index)
                            .and_then(|anchors| anchors.get(position))
                            .cloned()
                            .unwrap_or_else(|| subtheme.id.clone()),
                        title: subtheme.title.clone(),
                        quote_count: quote_count(&subtheme.blocks),
                        blocks: Vec::new(),
                    })
                    .collect(),
            })
            .collect()
    }

    fn section_page(&mut self, index: usize) {
        let study = self.study;
        let section = &study.sections[index];
        let page = Page::Section(index);
        let href = self.href(page);
        let mut reserved = self.reserved_ids(&[section.blocks.as_slice()]);
        if section.findings {
            reserved.push("themes-heading".to_owned());
        }
        let reserved: Vec<&str> = reserved.iter().map(String::as_str).collect();
        let references = self.references.clone();
        let mut markdown = PageMarkdown::new(&references, "", &reserved);
        markdown.smart_punctuation = self.study.metadata.smart_punctuation;
        let blocks = self.blocks(&section.blocks, &mut markdown);
        let (toc, cited) = (markdown.toc.clone(), std::mem::take(&mut markdown.cited));
        drop(markdown);
        self.record_citations(page, &href, &section.title, cited);
        let layout = self.reading_layout(page, toc);
        #[derive(Serialize)]
        struct Extra {
            section: SectionContext,
            themes: Vec<ThemeContext>,
        }
        let extra = Extra {
            section: SectionContext {
                id: section.id.clone(),
                title: section.title.clone(),
                findings: section.findings,
                blocks,
            },
            themes: if section.findings {
                self.theme_overview()
            } else {
                Vec::new()
            },
        };
        self.emit("section.html", href, &layout, extra);
    }

    fn home_page(&mut self) {
        let study = self.study;
        let references = self.references.clone();
        let mut markdown = PageMarkdown::new(
            &references,
            "",
            &["main", "summary-heading", "glance-heading", "contents-heading"],
        );
        markdown.smart_punctuation = self.study.metadata.smart_punctuation;
        let summary_html = study.metadata.summary.as_ref().map(|summary| markdown.block(summary));
        let cited = std::mem::take(&mut markdown.cited);
        drop(markdown);
        self.record_citations(Page::Home, "index.html", "Home", cited);
        let mut glance: Vec<GlanceFact> = self
            .shared
            .figures
            .iter()
            .map(|figure| GlanceFact {
                label: figure.label.clone(),
                value: figure.value.clone(),
                href: None,
            })
            .collect();
        let findings = study.sections.iter().position(|section| section.findings);
        glance.extend([
            GlanceFact {
                label: "Participants".to_owned(),
                value: study.participants.len().to_string(),
                href: Some(self.href(Page::Participants)),
            },
            GlanceFact {
                label: "Services".to_owned(),
                value: study.services.len().to_string(),
                href: Some(self.href(Page::Services)),
            },
            GlanceFact {
                label: "Themes".to_owned(),
                value: study.themes.len().to_string(),
                href: findings.map(|section| self.href(Page::Section(section))),
            },
            GlanceFact {
                label: "Quotes".to_owned(),
                value: study.quotes.len().to_string(),
                href: None,
            },
        ]);
        let layout = self.reading_layout(Page::Home, Vec::new());
        #[derive(Serialize)]
        struct Author {
            name: String,
            affiliation: Option<String>,
        }
        #[derive(Serialize)]
        struct Extra {
            summary_html: Option<String>,
            glance: Vec<GlanceFact>,
            keywords: Vec<String>,
            authors: Vec<Author>,
        }
        let extra = Extra {
            summary_html,
            glance,
            keywords: study.metadata.keywords.clone(),
            authors: study
                .metadata
                .authors
                .iter()
                .map(|author| Author {
                    name: author.name.clone(),
                    affiliation: author.affiliation.clone(),
                })
                .collect(),
        };
        let mut layout = layout;
        layout.page.title = study.metadata.title.clone();
        self.emit("index.html", "index.html".to_owned(), &layout, extra);
    }

    fn participant_pages(&mut self) {
        let study = self.study;
        let layout = self.reading_layout(Page::Participants, Vec::new());
        #[derive(Serialize)]
        struct IndexExtra {
            participant_count: usize,
            service_count: usize,
        }
        self.emit(
            "participants.html",
            self.href(Page::Participants),
            &layout,
            IndexExtra {
                participant_count: study.participants.len(),
                service_count: study.services.len(),
            },
        );
        for (index, participant) in study.participants.iter().enumerate() {
            let href = resolve::participant_href(participant);
            let neighbour = |position: usize| {
                study.participants.get(position).map(|other| PageLink {
                    title: format!("Participant {}", other.id),
                    href: resolve::participant_href(other),
                })
            };
            let previous = index.checked_sub(1).and_then(neighbour);
            let next = neighbour(index + 1);
            let title = format!("Participant {}", participant.id);
            let layout = self.layout(&href, &title, previous, next, Vec::new());
            let row = resolve::participant(study, index);
            #[derive(Serialize)]
            struct Extra {
                participant: context::ParticipantPageContext,
                quotes: Vec<context::QuoteContext>,
            }
            let extra = Extra {
                participant: context::ParticipantPageContext {
                    id: row.id,
                    gender: row.gender,
                    contract: row.contract,
                    role: row.role,
                    role_description: row.role_description,
                    service: resolve::service(study, participant.service),
                },
                quotes: study
                    .quotes_of(index)
                    .map(|(quote, _)| resolve::quote(study, quote))
                    .collect(),
            };
            self.emit("participant.html", href, &layout, extra);
        }
    }

    fn service_pages(&mut self) {
        let study = self.study;
        let layout = self.reading_layout(Page::Services, Vec::new());
        #[derive(Serialize)]
        struct IndexExtra {
            services: Vec<context::ServiceContext>,
            service_count: usize,
        }
        self.emit(
            "services.html",
            self.href(Page::Services),
            &layout,
            IndexExtra {
                services: (0..study.services.len())
                    .map(|index| resolve::service(study, index))
                    .collect(),
                service_count: study.services.len(),
            },
        );
        for (index, service) in study.services.iter().enumerate() {
            let href = resolve::service_href(service);
            let neighbour = |position: usize| {
                study.services.get(position).map(|other| PageLink {
                    title: format!("Service {}", other.id),
                    href: resolve::service_href(other),
                })
            };
            let previous = index.checked_sub(1).and_then(neighbour);
            let next = neighbour(index + 1);
            let title = format!("Service {}", service.id);
            let layout = self.layout(&href, &title, previous, next, Vec::new());
            #[derive(Serialize)]
            struct Extra {
                service: context::ServiceContext,
                quotes: Vec<context::QuoteContext>,
            }
            let quotes = study
                .quotes
                .iter()
                .enumerate()
                .filter(|(_, quote)| study.participants[quote.participant].service == index)
                .map(|(quote, _)| resolve::quote(study, quote))
                .collect();
            let extra = Extra {
                service: resolve::service(study, index),
                quotes,
            };
            self.emit("service.html", href, &layout, extra);
        }
    }

    fn references_page(&mut self) {
        let study = self.study;
        let references = self.references.clone();
        let mut markdown = PageMarkdown::new(&references, "", &["main"]);
        markdown.smart_punctuation = self.study.metadata.smart_punctuation;
        let entries: Vec<ReferenceContext> = study
            .references
            .iter()
            .map(|reference| {
                let mut places = self.cited_in.get(&reference.id).cloned().unwrap_or_default();
                places.sort_by_key(|(position, _)| *position);
                ReferenceContext {
                    id: reference.id.clone(),
                    anchor: reference_anchor(&reference.id),
                    entry_html: markdown.inline(&reference.entry),
                    url: reference.url.clone(),
                    cited_in: places.into_iter().map(|(_, link)| link).collect(),
                }
            })
            .collect();
        drop(markdown);
        let layout = self.reading_layout(Page::References, Vec::new());
        #[derive(Serialize)]
        struct Extra {
            references: Vec<ReferenceContext>,
        }
        self.emit(
            "references.html",
            self.href(Page::References),
            &layout,
            Extra { references: entries },
        );
    }

    fn not_found_page(&mut self) {
        let mut layout = self.layout("404.html", "Page not found", None, None, Vec::new());
        if let Some(base) = &self.options.base_url {
            // Served for any missing path, so links must not be relative.
            layout.root = format!("{base}/");
        }
        layout.page.canonical = None;
        self.emit("404.html", "404.html".to_owned(), &layout, Empty {});
    }

    fn sitemap(&mut self) {
        let Some(base) = &self.options.base_url else { return };
        let urls: Vec<String> = self
            .files
            .keys()
            .filter(|path| path.ends_with(".html") && path.as_str() != "404.html")
            .map(|path| format!("{base}/{}", path.strip_suffix("index.html").unwrap_or(path)))
            .collect();
        let layout = self.layout("sitemap.xml", "Sitemap", None, None, Vec::new());
        #[derive(Serialize)]
        struct Extra {
            urls: Vec<String>,
        }
        self.emit("sitemap.xml", "sitemap.xml".to_owned(), &layout, Extra { urls });
    }

    fn assets(&mut self) {
        let pages: Vec<String> = self.files.keys().cloned().collect();
        for (path, bytes) in &self.templates.assets {
            let shown = path
                .strip_prefix("assets/")
                .map_or_else(|| format!("static/{path}"), |_| format!("templates/{path}"));
            if self.files.contains_key(path) {
                self.problems.push(
                    Diagnostic::new(Code::OutputConflict, format!("`{path}` would replace a generated page"))
                        .at(Location::file(&shown))
                        .help("rename or remove the static file; to change a page, override its template instead"),
                );
                continue;
            }
            // A file cannot also be a folder: `x` clashes with `x/...`. A
            // clash between two static files is reported once, at the file
            // that would have to be a folder.
            let inside = |folder: &str, file: &str| file.strip_prefix(folder).is_some_and(|rest| rest.starts_with('/'));
            let clash = pages
                .iter()
                .chain(self.templates.assets.keys())
                .find(|other| inside(path, other))
                .or_else(|| pages.iter().find(|page| inside(page, path)));
            if let Some(other) = clash {
                self.problems.push(
                    Diagnostic::new(
                        Code::OutputConflict,
                        format!("`{path}` and `{other}` cannot both be published: one would have to be a folder"),
                    )
                    .at(Location::file(&shown))
                    .help("rename or move the static file"),
                );
                continue;
            }
            self.files.insert(path.clone(), bytes.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::normalise_base_url;

    #[test]
    fn base_urls_need_a_host_and_nothing_after_the_path() {
        assert_eq!(
            normalise_base_url("https://example.org/reports/sp/"),
            Some("https://example.org/reports/sp".to_owned())
        );
        assert_eq!(
            normalise_base_url("http://localhost:8080"),
            Some("http://localhost:8080".to_owned())
        );
        for bad in [
            "https://",
            "https:///x",
            "ftp://a.b",
            "https://a.b/?q=1",
            "https://a.b/#x",
            "https://a b",
            "example.org",
            "https://a\"b",
        ] {
            assert_eq!(normalise_base_url(bad), None, "{bad}");
        }
    }
}

/// A page with no values of its own.
#[derive(Serialize)]
struct Empty {}

fn quote_count(blocks: &[Block]) -> usize {
    blocks.iter().filter(|block| matches!(block, Block::Quote(_))).count()
}

const fn table_name(kind: TableKind) -> &'static str {
    match kind {
        TableKind::Typology => "typology",
        TableKind::Sample => "sample",
        TableKind::Roles => "roles",
    }
}

/// Numbers the typology and sample tables in the order a reader meets them.
fn table_numbers(study: &Study, order: &[Page]) -> TableNumbers {
    let mut numbers = TableNumbers::default();
    let mut next = 1;
    let mut number = |slot: &mut Option<usize>| {
        if slot.is_none() {
            *slot = Some(next);
            next += 1;
        }
    };
    for page in order {
        let blocks: Vec<&Block> = match page {
            Page::Section(index) => study.sections[*index].blocks.iter().collect(),
            Page::Theme(index) => {
                let theme = &study.themes[*index];
                theme
                    .intro
                    .iter()
                    .chain(theme.subthemes.iter().flat_map(|subtheme| subtheme.blocks.iter()))
                    .collect()
            }
            _ => Vec::new(),
        };
        for block in blocks {
            match block {
                Block::Table(TableKind::Typology) => number(&mut numbers.typology),
                Block::Table(TableKind::Sample) => number(&mut numbers.sample),
                _ => {}
            }
        }
    }
    numbers
}
