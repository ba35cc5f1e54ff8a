//! Chart declarations: each names a known kind, the fields and options its
//! kind needs (and no others), and themes and figures that exist.
//!
//! Input: `charts.yaml` as read, the study's field names (relations and
//! declared attributes; a chart counts by categorical ones only), and the
//! theme and figure indexes. Output:
//! model charts (or `None` where a problem was reported) and diagnostics.
//! Whether a chart would be empty is checked once the study is assembled
//! ([`none_empty`]).

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location, Rule, Severity, did_you_mean};
use crate::load::raw::{RawChart, RawChartsFile, RawFigure};
use crate::model::{
    AttributeKind, CHART_KINDS, Chart, ChartKey, ChartKind, ChartSpec, ChartValue, Field, Grouping, Need, Study,
};
use crate::source::Sourced;
use crate::tabulate::tabulate;
use crate::validate::attributes::FieldNames;
use crate::validate::ids::IdIndex;
use crate::validate::text::checked_optional;

const CHARTS: &str = "charts.yaml";

pub const CHART_DECLARATION: Rule = Rule {
    id: "E601",
    name: "chart-declaration",
    severity: Severity::Error,
    summary: "A chart in charts.yaml has an unknown kind, field, theme or figure, or lacks what its kind needs.",
    why: "A chart is declared by its kind and what that kind takes (`by`, `stack`, `per`, `split`, `theme`, `rows`, `figures`); an unknown kind, field, theme or figure, a key the kind does not take, or one it needs and lacks would make a chart that cannot be drawn, or shows something else than intended.",
};

/// `themes` is `None` when a section or theme file could not be read, and
/// `figures` (with their index) when `study.yaml` could not: the charts'
/// references to them are then not checked, so as not to report them
/// as unknown.
pub fn charts(
    raw: &RawChartsFile,
    names: &FieldNames<'_>,
    themes: Option<&IdIndex>,
    figures: Option<(&[RawFigure], &IdIndex)>,
    diagnostics: &mut Diagnostics,
) -> Vec<Option<Chart>> {
    raw.charts
        .iter()
        .map(|chart| {
            let title = checked_optional(
                CHARTS,
                &format!("the title of chart `{}`", chart.id.value),
                chart.title.as_ref(),
                diagnostics,
            );
            let description =
                checked_optional(CHARTS, "a chart's description", chart.description.as_ref(), diagnostics);
            let spec = spec(chart, names, themes, figures, diagnostics)?;
            Some(Chart {
                id: chart.id.value.clone(),
                title,
                description,
                spec,
            })
        })
        .collect()
}

pub const CHART_EMPTY: Rule = Rule {
    id: "E602",
    name: "chart-empty",
    severity: Severity::Error,
    summary: "A chart that would show nothing (no quotes, no participants, no ranges).",
    why: "A chart with no bars (a theme without quotes, a ranges chart whose figures have no ranges) tells the reader nothing and looks like a fault in the site, so it is an error rather than an empty drawing.",
};

/// Reports each chart of the assembled study that would show nothing
/// (E602): its numbers can only be counted once every record is resolved.
/// Returns whether none is empty.
pub fn none_empty(study: &Study, raw: Option<&RawChartsFile>, diagnostics: &mut Diagnostics) -> bool {
    let mut none_empty = true;
    for (chart, raw_chart) in study.charts.iter().zip(raw.iter().flat_map(|charts| &charts.charts)) {
        if tabulate(study, &chart.spec).is_empty() {
            none_empty = false;
            diagnostics.push(
                Diagnostic::new(Code::ChartEmpty, format!("chart `{}` would show nothing", chart.id))
                    .at(Location::at(CHARTS, raw_chart.id.at))
                    .help("check what the chart counts (a theme without quotes, figures without ranges), or remove it"),
            );
        }
    }
    none_empty
}

fn problem(chart: &RawChart, at: &Sourced<String>, message: String, help: String) -> Diagnostic {
    Diagnostic::new(Code::ChartDeclaration, format!("chart `{}`: {message}", chart.id.value))
        .at(Location::at(CHARTS, at.at))
        .help(help)
}

/// The value of `key` in `chart`, if given (the first of a list).
fn value_of(chart: &RawChart, key: ChartKey) -> Option<&Sourced<String>> {
    match key {
        ChartKey::By => chart.by.as_ref(),
        ChartKey::Stack => chart.stack.as_ref(),
        ChartKey::Per => chart.per.as_ref(),
        ChartKey::Split => chart.split.as_ref(),
        ChartKey::Theme => chart.theme.as_ref(),
        ChartKey::Rows => chart.rows.as_ref(),
        ChartKey::Figures => chart.figures.first(),
    }
}

fn spec(
    chart: &RawChart,
    names: &FieldNames<'_>,
    themes: Option<&IdIndex>,
    figures: Option<(&[RawFigure], &IdIndex)>,
    diagnostics: &mut Diagnostics,
) -> Option<ChartSpec> {
    let Some(kind) = ChartKind::named(&chart.kind.value) else {
        let name = chart.kind.value.as_str();
        let names = CHART_KINDS.iter().map(|facts| facts.name);
        let help = did_you_mean(name, names.clone()).map_or_else(
            || format!("kinds: {}", names.collect::<Vec<_>>().join(", ")),
            |best| format!("did you mean `{best}`?"),
        );
        diagnostics.push(problem(chart, &chart.kind, format!("unknown kind `{name}`"), help));
        return None;
    };
    let keys_ok = check_keys(chart, kind, names, diagnostics);
    let spec = match kind {
        ChartKind::Participants => {
            let by = field(chart, chart.by.as_ref(), names, diagnostics);
            let stack = field(chart, chart.stack.as_ref(), names, diagnostics);
            ChartSpec::Participants {
                by: by??,
                stack: stack?,
            }
        }
        ChartKind::Quotes => {
            let split = field(chart, chart.split.as_ref(), names, diagnostics);
            let per = grouping(chart, chart.per.as_ref(), "per", diagnostics);
            let theme = match &chart.theme {
                Some(theme) => Some(themes?.resolve(Code::ChartDeclaration, "theme", CHARTS, theme, diagnostics)?),
                None => None,
            };
            ChartSpec::Quotes {
                per: per??,
                theme,
                split: split?,
            }
        }
        ChartKind::Matrix => ChartSpec::Matrix {
            rows: grouping(chart, chart.rows.as_ref(), "rows", diagnostics)??,
        },
        ChartKind::Ranges => ranges(chart, figures, diagnostics)?,
    };
    keys_ok.then_some(spec)
}

/// Reports each key the chart's kind does not take, and each it needs but
/// lacks. Returns whether there was none.
fn check_keys(chart: &RawChart, kind: ChartKind, names: &FieldNames<'_>, diagnostics: &mut Diagnostics) -> bool {
    let name = kind.name();
    let mut ok = true;
    for key in ChartKey::ALL {
        match (value_of(chart, key), kind.need(key)) {
            (Some(value), None) => {
                let takes: Vec<&str> = kind.facts().keys.iter().map(|(key, _)| key.name()).collect();
                diagnostics.push(problem(
                    chart,
                    value,
                    format!("`{}` does not apply to a {name} chart", key.name()),
                    format!("a {name} chart takes: {}", takes.join(", ")),
                ));
                ok = false;
            }
            (None, Some(Need::Required)) => {
                let key_name = key.name();
                let help = match key.value() {
                    ChartValue::Field => format!("add `{key_name}:` with one of {}", field_names(names)),
                    ChartValue::Grouping => format!("add `{key_name}: theme` or `{key_name}: subtheme`"),
                    ChartValue::Theme => format!("add `{key_name}:` with a theme's id"),
                    ChartValue::Figures => {
                        "list the ids of figures stated as a range: `figures: [interview-length]`".to_owned()
                    }
                };
                diagnostics.push(problem(
                    chart,
                    &chart.kind,
                    format!("a {name} chart needs `{key_name}`"),
                    help,
                ));
                ok = false;
            }
            _ => {}
        }
    }
    ok
}

pub const TEXT_ATTRIBUTE_IN_CHART: Rule = Rule {
    id: "E325",
    name: "text-attribute-in-chart",
    severity: Severity::Error,
    summary: "A chart that groups, stacks or splits by free text: a `type: text` attribute, `role_description` or `service_description`.",
    why: "A chart counts participants or quotes per category, in the categories' declared order; free text has no categories (every participant may write it differently), so counting by it would draw one bar per spelling. Chart by an attribute with `categories:`, or by a relation (`participant`, `service`, `role`, `organisation_type`, `model`).",
};

/// The field `value` names: `Some(None)` when there is no value (a missing
/// required one is reported by [`check_keys`]), `None` when it names no
/// field or free text (reported here, unless the attributes are unknown).
fn field(
    chart: &RawChart,
    value: Option<&Sourced<String>>,
    names: &FieldNames<'_>,
    diagnostics: &mut Diagnostics,
) -> Option<Option<Field>> {
    let Some(value) = value else { return Some(None) };
    let Some(found) = names.resolve(&value.value) else {
        if names.reports_unknown(&value.value) {
            let help = did_you_mean(&value.value, categorical(names)).map_or_else(
                || format!("fields: {}", field_names(names)),
                |best| format!("did you mean `{best}`?"),
            );
            diagnostics.push(problem(chart, value, format!("unknown field `{}`", value.value), help));
        }
        return None;
    };
    if !is_categorical(names, found) {
        diagnostics.push(
            Diagnostic::new(
                Code::TextAttributeInChart,
                format!(
                    "chart `{}`: `{}` is free text, which a chart cannot count by",
                    chart.id.value, value.value
                ),
            )
            .at(Location::at(CHARTS, value.at))
            .help(format!("count by a field with categories: {}", field_names(names))),
        );
        return None;
    }
    Some(Some(found))
}

/// Whether a chart can count by `field`.
fn is_categorical(names: &FieldNames<'_>, field: Field) -> bool {
    match field {
        Field::Relation(relation) => relation.is_categorical(),
        Field::Attribute(index) => names
            .attribute(index)
            .is_some_and(|attribute| matches!(attribute.kind, AttributeKind::Categories(_))),
    }
}

/// The names of the fields a chart can count by.
fn categorical<'a>(names: &FieldNames<'a>) -> impl Iterator<Item = &'a str> + Clone + use<'a> {
    let names = *names;
    names
        .names()
        .filter(move |name| names.resolve(name).is_some_and(|field| is_categorical(&names, field)))
}

fn field_names(names: &FieldNames<'_>) -> String {
    categorical(names).collect::<Vec<_>>().join(", ")
}

/// Like [`field`], for `theme` or `subtheme`.
fn grouping(
    chart: &RawChart,
    value: Option<&Sourced<String>>,
    name: &str,
    diagnostics: &mut Diagnostics,
) -> Option<Option<Grouping>> {
    let Some(value) = value else { return Some(None) };
    match value.value.as_str() {
        "theme" => Some(Some(Grouping::Theme)),
        "subtheme" => Some(Some(Grouping::Subtheme)),
        other => {
            diagnostics.push(problem(
                chart,
                value,
                format!("`{name}` must be `theme` or `subtheme`, not `{other}`"),
                format!("write `{name}: theme` or `{name}: subtheme`"),
            ));
            None
        }
    }
}

/// The figures of a ranges chart, each stated as a range (a missing
/// `figures` is reported by [`check_keys`]).
fn ranges(
    chart: &RawChart,
    figures: Option<(&[RawFigure], &IdIndex)>,
    diagnostics: &mut Diagnostics,
) -> Option<ChartSpec> {
    if chart.figures.is_empty() {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::raw::Flag;
    use crate::source::Position;

    fn text(value: &str, line: u32, column: u32) -> Sourced<String> {
        Sourced::new(value.to_owned(), Position::new(line, column))
    }

    /// A chart declared on line `line`, with `keys` (each on its own line
    /// after `kind`, at column 5, its value at column 9).
    fn chart(line: u32, kind: &str, keys: &[(&str, &str)]) -> RawChart {
        let mut raw = RawChart {
            id: text(&format!("c{line}"), line, 9),
            title: Some(text("A chart", line + 1, 12)),
            description: None,
            kind: text(kind, line + 2, 11),
            by: None,
            stack: None,
            per: None,
            split: None,
            theme: None,
            rows: None,
            figures: Vec::new(),
        };
        for (offset, (key, value)) in (3..).zip(keys) {
            let value = Some(text(value, line + offset, 9));
            match *key {
                "by" => raw.by = value,
                "stack" => raw.stack = value,
                "per" => raw.per = value,
                "split" => raw.split = value,
                "theme" => raw.theme = value,
                "rows" => raw.rows = value,
                _ => raw.figures.extend(value),
            }
        }
        raw
    }

    fn figure(id: &str, range: bool) -> RawFigure {
        let number = |value| Some(Sourced::new(value, Position::new(1, 1)));
        RawFigure {
            id: text(id, 1, 1),
            label: text(id, 1, 1),
            value: (!range).then(|| text("3", 1, 1)),
            min: if range { number(1.0) } else { None },
            max: if range { number(2.0) } else { None },
            mean: None,
            unit: None,
            note: None,
            approximate: Flag(false),
            counts: None,
        }
    }

    /// Every diagnostic of `raw` as `line:column message | help`.
    fn problems(raw: Vec<RawChart>) -> (Vec<bool>, Vec<String>) {
        let mut sink = Diagnostics::new();
        let themes = IdIndex::build("theme", "themes", &[text("experience", 1, 1)], &mut sink);
        let figures = [figure("interviews", false), figure("length", true)];
        let figure_ids = IdIndex::build(
            "figure",
            "study.yaml",
            figures.iter().map(|figure| &figure.id),
            &mut sink,
        );
        let attributes = [
            crate::validate::attributes::tests::attribute("gender", true),
            crate::validate::attributes::tests::attribute("years", false),
        ];
        let charts = charts(
            &RawChartsFile { charts: raw },
            &FieldNames::new(&attributes, &[]),
            Some(&themes),
            Some((&figures, &figure_ids)),
            &mut sink,
        );
        let found = sink
            .into_sorted()
            .into_iter()
            .map(|found| {
                let at = found.location.and_then(|at| at.position).unwrap_or_default();
                format!("{at} {} | {}", found.message, found.help.unwrap_or_default())
            })
            .collect();
        (charts.iter().map(Option::is_some).collect(), found)
    }

    #[test]
    fn each_kind_takes_its_keys() {
        let (made, found) = problems(vec![
            chart(10, "participants", &[("by", "model"), ("stack", "gender")]),
            chart(
                20,
                "quotes",
                &[("per", "subtheme"), ("theme", "experience"), ("split", "role")],
            ),
            chart(30, "matrix", &[("rows", "theme")]),
            chart(40, "ranges", &[("figures", "length")]),
        ]);
        assert_eq!(made, [true; 4]);
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn unknown_kinds_keys_and_values_are_named() {
        let fields = "participant, service, role, organisation_type, model, gender";
        let (made, found) = problems(vec![
            chart(10, "quote", &[]),
            chart(20, "pie", &[]),
            chart(30, "participants", &[("per", "theme"), ("stack", "modle")]),
            chart(
                40,
                "quotes",
                &[("per", "topic"), ("theme", "experince"), ("rows", "theme")],
            ),
            chart(50, "quotes", &[]),
            chart(60, "matrix", &[]),
            chart(70, "ranges", &[]),
            chart(80, "ranges", &[("figures", "interviews"), ("figures", "lenght")]),
            chart(90, "participants", &[("by", "years")]),
            chart(100, "quotes", &[("per", "theme"), ("split", "role_description")]),
        ]);
        assert_eq!(made, [false; 10]);
        assert_eq!(
            found,
            [
                "12:11 chart `c10`: unknown kind `quote` | did you mean `quotes`?".to_owned(),
                "22:11 chart `c20`: unknown kind `pie` | kinds: participants, quotes, matrix, ranges".to_owned(),
                format!("32:11 chart `c30`: a participants chart needs `by` | add `by:` with one of {fields}"),
                "33:9 chart `c30`: `per` does not apply to a participants chart | a participants chart takes: by, stack"
                    .to_owned(),
                "34:9 chart `c30`: unknown field `modle` | did you mean `model`?".to_owned(),
                "43:9 chart `c40`: `per` must be `theme` or `subtheme`, not `topic` | write `per: theme` or `per: subtheme`"
                    .to_owned(),
                "44:9 no theme has the id `experince` | did you mean `experience`?".to_owned(),
                "45:9 chart `c40`: `rows` does not apply to a quotes chart | a quotes chart takes: per, theme, split"
                    .to_owned(),
                "52:11 chart `c50`: a quotes chart needs `per` | add `per: theme` or `per: subtheme`".to_owned(),
                "62:11 chart `c60`: a matrix chart needs `rows` | add `rows: theme` or `rows: subtheme`".to_owned(),
                "72:11 chart `c70`: a ranges chart needs `figures` | list the ids of figures stated as a range: `figures: [interview-length]`".to_owned(),
                "83:9 chart `c80`: figure `interviews` is a single value, not a range | a ranges chart shows figures with `min` and `max`".to_owned(),
                "84:9 no figure has the id `lenght` | did you mean `length`?".to_owned(),
                format!("93:9 chart `c90`: `years` is free text, which a chart cannot count by | count by a field with categories: {fields}"),
                format!("104:9 chart `c100`: `role_description` is free text, which a chart cannot count by | count by a field with categories: {fields}"),
            ]
        );
    }

    /// Key paths name a chart's keys only if the format's list has them.
    #[test]
    fn every_chart_key_is_a_schema_key() {
        for key in ChartKey::ALL {
            assert!(crate::load::raw::SCHEMA_KEYS.contains(&key.name()), "{}", key.name());
        }
    }
}
