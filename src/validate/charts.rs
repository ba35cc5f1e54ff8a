//! Chart declarations: each names a known kind, the fields and options its
//! kind needs (and no others), and themes and figures that exist.
//!
//! Input: `charts.yaml` as read, and the theme and figure indexes. Output:
//! model charts (or `None` where a problem was reported) and diagnostics.
//! Whether a chart would be empty is checked once the study is assembled.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location, did_you_mean};
use crate::load::raw::{RawChart, RawChartsFile, RawFigure};
use crate::model::{Chart, ChartSpec, Grouping, SampleField};
use crate::source::Sourced;
use crate::validate::ids::IdIndex;
use crate::validate::text::{checked, checked_optional};

const CHARTS: &str = "charts.yaml";
const KINDS: [&str; 4] = ["participants", "quotes", "matrix", "ranges"];

/// `themes` is `None` when a section or theme file could not be read, and
/// `figures` (with their index) when `study.yaml` could not: the charts'
/// references to them are then not checked, so as not to report them
/// as unknown.
pub fn charts(
    raw: &RawChartsFile,
    themes: Option<&IdIndex>,
    figures: Option<(&[RawFigure], &IdIndex)>,
    diagnostics: &mut Diagnostics,
) -> Vec<Option<Chart>> {
    raw.charts
        .iter()
        .map(|chart| {
            let title = checked(
                CHARTS,
                &format!("the title of chart `{}`", chart.id.value),
                &chart.title,
                diagnostics,
            );
            let description =
                checked_optional(CHARTS, "a chart's description", chart.description.as_ref(), diagnostics);
            let spec = spec(chart, themes, figures, diagnostics)?;
            Some(Chart {
                id: chart.id.value.clone(),
                title,
                description,
                spec,
            })
        })
        .collect()
}

fn problem(chart: &RawChart, at: &Sourced<String>, message: String, help: String) -> Diagnostic {
    Diagnostic::new(Code::ChartDeclaration, format!("chart `{}`: {message}", chart.id.value))
        .at(Location::at(CHARTS, at.at))
        .help(help)
}

fn spec(
    chart: &RawChart,
    themes: Option<&IdIndex>,
    figures: Option<(&[RawFigure], &IdIndex)>,
    diagnostics: &mut Diagnostics,
) -> Option<ChartSpec> {
    let kind = chart.kind.value.as_str();
    let allowed: &[&str] = match kind {
        "participants" => &["by", "stack"],
        "quotes" => &["per", "theme", "split"],
        "matrix" => &["rows"],
        "ranges" => &["figures"],
        _ => {
            let help = did_you_mean(kind, KINDS).map_or_else(
                || format!("kinds: {}", KINDS.join(", ")),
                |best| format!("did you mean `{best}`?"),
            );
            diagnostics.push(problem(chart, &chart.kind, format!("unknown kind `{kind}`"), help));
            return None;
        }
    };
    let options = [
        ("by", chart.by.as_ref()),
        ("stack", chart.stack.as_ref()),
        ("per", chart.per.as_ref()),
        ("split", chart.split.as_ref()),
        ("theme", chart.theme.as_ref()),
        ("rows", chart.rows.as_ref()),
        ("figures", chart.figures.first()),
    ];
    let mut ok = true;
    for (name, value) in options {
        if let (Some(value), false) = (value, allowed.contains(&name)) {
            ok = false;
            diagnostics.push(problem(
                chart,
                value,
                format!("`{name}` does not apply to a {kind} chart"),
                format!("a {kind} chart takes: {}", allowed.join(", ")),
            ));
        }
    }
    let mut field = |value: Option<&Sourced<String>>, name: &str, required: bool| -> Option<Option<SampleField>> {
        let Some(value) = value else {
            if required {
                diagnostics.push(problem(
                    chart,
                    &chart.kind,
                    format!("a {kind} chart needs `{name}`"),
                    format!("add `{name}:` with one of {}", field_names()),
                ));
                return None;
            }
            return Some(None);
        };
        let found = SampleField::ALL
            .iter()
            .find(|(known, _)| *known == value.value)
            .map(|(_, field)| *field);
        if found.is_none() {
            let help = did_you_mean(&value.value, SampleField::ALL.iter().map(|(known, _)| *known)).map_or_else(
                || format!("fields: {}", field_names()),
                |best| format!("did you mean `{best}`?"),
            );
            diagnostics.push(problem(chart, value, format!("unknown field `{}`", value.value), help));
            return None;
        }
        Some(found)
    };
    let spec = match kind {
        "participants" => {
            let by = field(chart.by.as_ref(), "by", true);
            let stack = field(chart.stack.as_ref(), "stack", false);
            ChartSpec::Participants {
                by: by??,
                stack: stack?,
            }
        }
        "quotes" => {
            let split = field(chart.split.as_ref(), "split", false);
            let per = grouping(chart, chart.per.as_ref(), "per", diagnostics);
            let theme = match &chart.theme {
                Some(theme) => Some(themes?.resolve(Code::ChartDeclaration, "theme", CHARTS, theme, diagnostics)?),
                None => None,
            };
            ChartSpec::Quotes {
                per: per?,
                theme,
                split: split?,
            }
        }
        "matrix" => ChartSpec::Matrix {
            rows: grouping(chart, chart.rows.as_ref(), "rows", diagnostics)?,
        },
        _ => ranges(chart, figures, diagnostics)?,
    };
    ok.then_some(spec)
}

fn field_names() -> String {
    SampleField::ALL
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ")
}

fn grouping(
    chart: &RawChart,
    value: Option<&Sourced<String>>,
    name: &str,
    diagnostics: &mut Diagnostics,
) -> Option<Grouping> {
    match value.map(|value| value.value.as_str()) {
        Some("theme") => Some(Grouping::Theme),
        Some("subtheme") => Some(Grouping::Subtheme),
        Some(other) => {
            diagnostics.push(problem(
                chart,
                value.unwrap_or(&chart.kind),
                format!("`{name}` must be `theme` or `subtheme`, not `{other}`"),
                format!("write `{name}: theme` or `{name}: subtheme`"),
            ));
            None
        }
        None => {
            diagnostics.push(problem(
                chart,
                &chart.kind,
                format!("a {} chart needs `{name}`", chart.kind.value),
                format!("add `{name}: theme` or `{name}: subtheme`"),
            ));
            None
        }
    }
}

fn ranges(
    chart: &RawChart,
    figures: Option<(&[RawFigure], &IdIndex)>,
    diagnostics: &mut Diagnostics,
) -> Option<ChartSpec> {
    if chart.figures.is_empty() {
        diagnostics.push(problem(
            chart,
            &chart.kind,
            "a ranges chart needs `figures`".to_owned(),
            "list the ids of figures stated as a range: `figures: [interview-length]`".to_owned(),
        ));
        return None;
    }
    let (figures, index) = figures?;
    let mut found = Vec::new();
    let mut ok = true;
    for figure in &chart.figures {
        match index.resolve(Code::ChartDeclaration, "figure", CHARTS, figure, diagnostics) {
            Some(position) if figures[position].min.is_some() && figures[position].max.is_some() => {
                found.push(position)
            }
            Some(_) => {
                ok = false;
                diagnostics.push(problem(
                    chart,
                    figure,
                    format!("figure `{}` is a single value, not a range", figure.value),
                    "a ranges chart shows figures with `min` and `max`".to_owned(),
                ));
            }
            None => ok = false,
        }
    }
    ok.then_some(ChartSpec::Ranges { figures: found })
}
