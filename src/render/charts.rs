//! Charts drawn with plotters into SVG text.
//!
//! Input: a chart's [`ChartTable`]. Output: an accessible SVG (`role="img"`,
//! a `<title>` and a `<desc>` stating what it shows) that is the same on
//! every machine: plotters is built without its `ttf` feature, so text
//! layout uses a fixed estimate instead of the fonts installed, and every
//! coordinate is a whole pixel. Counts start at zero with whole-number
//! ticks; colours come from the Okabe–Ito palette, which stays distinct for
//! colour-blind readers, and every bar and cell also carries its number.
//! Every step of arithmetic on counts and sizes saturates, and a range whose
//! numbers are not in [`FIGURE_RANGE`] is an error, not a drawing: plotters
//! is only ever given finite, bounded axes (an infinite one never ends).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::render::resolve::number;
use crate::tabulate::{ChartTable, FIGURE_RANGE, RangeRow, is_figure_number, row_total};

/// The Okabe–Ito palette, without its yellow (too light on white).
const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
];
const TEXT: RGBColor = RGBColor(29, 29, 31);
const GRID: RGBColor = RGBColor(201, 201, 196);
const WIDTH: u32 = 600;
/// How many characters of a category label fit beside a chart.
const LABEL_CHARACTERS: usize = 26;
const FONT: &str = "sans-serif";

/// Why a chart could not be drawn (plotters reported an error).
#[derive(Debug, thiserror::Error)]
#[error("could not draw chart `{chart}`: {message}")]
pub struct ChartError {
    /// The chart's id.
    pub chart: String,
    /// What plotters said.
    pub message: String,
}

/// Draws `table` as SVG, with `title` and `description` for assistive
/// technology; `id` makes the ids inside the SVG unique on its page.
///
/// # Errors
/// [`ChartError`] if plotters fails to draw.
///
/// `axis` is the chart's one word that is not the study's: what a bar
/// chart's numbers count (its axis, "Number of quotes"), or what a
/// matrix's columns are ("Participant"); the label templates word it.
pub fn draw(id: &str, title: &str, description: &str, axis: &str, table: &ChartTable) -> Result<String, ChartError> {
    let mut svg = String::new();
    let size = size(table);
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let drawn = match table {
            ChartTable::Counts {
                categories,
                series,
                values,
                ..
            } => bars(&root, categories, series, values, axis),
            ChartTable::Matrix { rows, columns, values } => matrix(&root, rows, columns, values, axis),
            ChartTable::Ranges { rows } => ranges(&root, rows),
        };
        drawn
            .and_then(|()| root.present().map_err(|error| error.to_string()))
            .map_err(|message| ChartError {
                chart: id.to_owned(),
                message,
            })?;
    }
    Ok(accessible(&svg, id, title, description, size))
}

fn size(table: &ChartTable) -> (u32, u32) {
    // A segmented axis has at least two slots (see `bars`), so a chart of
    // one category is drawn as tall as one of two.
    let rows = match table {
        ChartTable::Counts { categories, .. } => categories.len().max(2),
        ChartTable::Matrix { rows, .. } => rows.len(),
        ChartTable::Ranges { rows } => rows.len().max(2),
    };
    let legend = match table {
        ChartTable::Counts { series, .. } if !series.is_empty() => series.len().div_ceil(3).saturating_mul(28),
        _ => 0,
    };
    let rows = u32::try_from(rows).unwrap_or(u32::MAX);
    let legend = u32::try_from(legend).unwrap_or(u32::MAX);
    (WIDTH, rows.saturating_mul(40).saturating_add(70).saturating_add(legend))
}

/// Replaces plotters' opening tag with one that makes the SVG scale to its
/// container and announces it as one image with a title and description.
fn accessible(svg: &str, id: &str, title: &str, description: &str, (width, height): (u32, u32)) -> String {
    let body = svg.find('>').map_or(svg, |end| &svg[end + 1..]);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"chart-{id}-title chart-{id}-desc\"><title id=\"chart-{id}-title\">{}</title><desc id=\"chart-{id}-desc\">{}</desc>{}",
        escape(title),
        escape(description),
        body.trim_start()
    )
}

/// Escapes text for SVG content and attributes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// Shortens a label to about `characters` characters.
fn fit(label: &str, characters: usize) -> String {
    if label.chars().count() <= characters {
        label.to_owned()
    } else {
        let kept: String = label.chars().take(characters.saturating_sub(1)).collect();
        format!("{}…", kept.trim_end())
    }
}

fn label_width(labels: &[String]) -> u32 {
    let longest = labels
        .iter()
        .map(|label| label.chars().count())
        .max()
        .unwrap_or(4)
        .min(34);
    u32::try_from(longest * 7 + 16).unwrap_or(260)
}

type Drawn = Result<(), String>;

fn error<E: std::fmt::Debug>(error: E) -> String {
    format!("{error:?}")
}

/// Horizontal bars, one per category (first at the top), stacked by series.
fn bars(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    categories: &[String],
    series: &[String],
    values: &[Vec<u32>],
    axis: &str,
) -> Drawn {
    root.fill(&WHITE).map_err(error)?;
    let legend_height = if series.is_empty() {
        0
    } else {
        u32::try_from(series.len().div_ceil(3)).map_or(u32::MAX, |rows| rows.saturating_mul(28))
    };
    let (plot, legend) = root.split_vertically(root.dim_in_pixel().1.saturating_sub(legend_height));
    let total = |row: &Vec<u32>| row_total(row);
    let max = values.iter().map(total).max().unwrap_or(0).max(1);
    let rows = categories.len();
    let mut chart = ChartBuilder::on(&plot)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(label_width(categories))
        .build_cartesian_2d(0u32..max.saturating_add(1), (0..rows.max(2) - 1).into_segmented())
        .map_err(error)?;
    // plotters' segmented range 0..n has n + 1 slots: n - 1 gives one per
    // category. A range needs two ends, so one category gets two slots and
    // stands at the top.
    let slots = rows.max(2);
    let top = |index: usize| slots - 1 - index;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(TEXT)
        .x_labels(usize::try_from(max.saturating_add(2)).unwrap_or(10).min(11))
        .x_label_formatter(&|value| value.to_string())
        .x_desc(axis)
        .y_label_formatter(&|value| match value {
            SegmentValue::CenterOf(index) if *index < slots && top(*index) < rows => {
                fit(&categories[top(*index)], LABEL_CHARACTERS)
            }
            _ => String::new(),
        })
        .label_style((FONT, 18).into_font().color(&TEXT))
        .axis_desc_style((FONT, 18).into_font().color(&TEXT))
        .draw()
        .map_err(error)?;
    for (index, row) in values.iter().enumerate() {
        let y = top(index);
        let mut start = 0u32;
        for (column, value) in row.iter().enumerate() {
            if *value == 0 {
                continue;
            }
            let colour = PALETTE[column % PALETTE.len()];
            let mut bar: Rectangle<(u32, SegmentValue<usize>)> = Rectangle::new(
                [
                    (start, SegmentValue::Exact(y)),
                    (start.saturating_add(*value), SegmentValue::Exact(y + 1)),
                ],
                colour.filled(),
            );
            bar.set_margin(6, 6, 0, 0);
            chart.draw_series(std::iter::once(bar)).map_err(error)?;
            start = start.saturating_add(*value);
        }
        let label = Text::new(
            total(row).to_string(),
            (start, SegmentValue::CenterOf(y)),
            (FONT, 18)
                .into_font()
                .color(&TEXT)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        );
        chart.draw_series(std::iter::once(label)).map_err(error)?;
    }
    if !series.is_empty() {
        draw_legend(&legend, series)?;
    }
    Ok(())
}

fn draw_legend(area: &DrawingArea<SVGBackend<'_>, Shift>, series: &[String]) -> Drawn {
    for (index, name) in series.iter().enumerate() {
        let column = i32::try_from(index % 3).unwrap_or(0);
        let row = i32::try_from(index / 3).unwrap_or(i32::MAX);
        let x = 20 + column * 190;
        let y = row.saturating_mul(28).saturating_add(6);
        let colour = PALETTE[index % PALETTE.len()];
        area.draw(&Rectangle::new(
            [(x, y), (x + 16, y.saturating_add(16))],
            colour.filled(),
        ))
        .map_err(error)?;
        area.draw(&Text::new(
            fit(name, 20),
            (x + 22, y.saturating_add(8)),
            (FONT, 18)
                .into_font()
                .color(&TEXT)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(error)?;
    }
    Ok(())
}

/// A grid of cells: rows are themes or subthemes, columns participants; each
/// cell shows its count, and darker means more.
fn matrix(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    rows: &[String],
    columns: &[String],
    values: &[Vec<u32>],
    corner: &str,
) -> Drawn {
    root.fill(&WHITE).map_err(error)?;
    let (width, _) = root.dim_in_pixel();
    let left = i32::try_from(label_width(rows)).unwrap_or(200) + 12;
    let top = 40;
    let count = i32::try_from(columns.len().max(1)).unwrap_or(1);
    let cell_width = (i32::try_from(width).unwrap_or(720) - left - 12)
        .checked_div(count)
        .unwrap_or(0)
        .clamp(24, 80);
    let cell_height = 40;
    // The left (or top) edge of column (or row) `index`: far beyond the
    // picture rather than wrapping round, for an absurd number of them.
    let edge = |start: i32, index: usize, size: i32| {
        i32::try_from(index)
            .map_or(i32::MAX, |index| index.saturating_mul(size))
            .saturating_add(start)
    };
    let max = values.iter().flatten().copied().max().unwrap_or(0).max(1);
    let font = |colour: &RGBColor| {
        (FONT, 18)
            .into_font()
            .color(colour)
            .pos(Pos::new(HPos::Center, VPos::Center))
    };
    root.draw(&Text::new(corner, (left, 4), (FONT, 17).into_font().color(&TEXT)))
        .map_err(error)?;
    for (column, name) in columns.iter().enumerate() {
        let x = edge(left, column, cell_width).saturating_add(cell_width / 2);
        root.draw(&Text::new(fit(name, 6), (x, top - 12), font(&TEXT)))
            .map_err(error)?;
    }
    for (row, name) in rows.iter().enumerate() {
        let y = edge(top, row, cell_height);
        root.draw(&Text::new(
            fit(name, LABEL_CHARACTERS),
            (left - 10, y.saturating_add(cell_height / 2)),
            (FONT, 18)
                .into_font()
                .color(&TEXT)
                .pos(Pos::new(HPos::Right, VPos::Center)),
        ))
        .map_err(error)?;
        for (column, value) in values[row].iter().enumerate() {
            let x = edge(left, column, cell_width);
            // From near-white to the palette's blue, in whole steps.
            let share = f64::from(*value) / f64::from(max);
            let mix = |light: u8, dark: u8| {
                let value = f64::from(light) + (f64::from(dark) - f64::from(light)) * share;
                u8::try_from(value.round() as i64).unwrap_or(dark)
            };
            let fill = RGBColor(mix(240, 0), mix(244, 90), mix(248, 160));
            let corners = [(x, y), (x.saturating_add(cell_width), y.saturating_add(cell_height))];
            root.draw(&Rectangle::new(corners, fill.filled())).map_err(error)?;
            root.draw(&Rectangle::new(corners, WHITE.stroke_width(2)))
                .map_err(error)?;
            let ink = if share > 0.5 { WHITE } else { TEXT };
            root.draw(&Text::new(
                value.to_string(),
                (x.saturating_add(cell_width / 2), y.saturating_add(cell_height / 2)),
                font(&ink),
            ))
            .map_err(error)?;
        }
    }
    Ok(())
}

/// One line per range from min to max, a dot at the mean, and the numbers.
fn ranges(root: &DrawingArea<SVGBackend<'_>, Shift>, rows: &[RangeRow]) -> Drawn {
    let axis_end = range_axis_end(rows)?;
    root.fill(&WHITE).map_err(error)?;
    let labels: Vec<String> = rows.iter().map(|row| row.label.clone()).collect();
    let top = rows.len();
    let mut chart = ChartBuilder::on(root)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(label_width(&labels))
        .build_cartesian_2d(0.0..axis_end, (0..top.max(2) - 1).into_segmented())
        .map_err(error)?;
    let slots = top.max(2);
    let flip = |index: usize| slots - 1 - index;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(TEXT)
        .x_label_formatter(&|value| number(*value))
        .y_label_formatter(&|value| match value {
            SegmentValue::CenterOf(index) if *index < slots && flip(*index) < top => {
                fit(&labels[flip(*index)], LABEL_CHARACTERS)
            }
            _ => String::new(),
        })
        .label_style((FONT, 18).into_font().color(&TEXT))
        .draw()
        .map_err(error)?;
    for (index, row) in rows.iter().enumerate() {
        let y = SegmentValue::CenterOf(flip(index));
        let line = PathElement::new(
            vec![(row.min, y.clone()), (row.max, y.clone())],
            PALETTE[0].stroke_width(6),
        );
        chart.draw_series(std::iter::once(line)).map_err(error)?;
        if let Some(mean) = row.mean {
            chart
                .draw_series(std::iter::once(Circle::new((mean, y.clone()), 7, PALETTE[1].filled())))
                .map_err(error)?;
        }
        let unit = row.unit.as_ref().map(|unit| format!(" {unit}")).unwrap_or_default();
        let mean = row
            .mean
            .map(|mean| format!(", mean {}", number(mean)))
            .unwrap_or_default();
        let label = format!("{}–{}{unit}{mean}", number(row.min), number(row.max));
        chart
            .draw_series(std::iter::once(Text::new(
                label,
                (row.max, y),
                (FONT, 18)
                    .into_font()
                    .color(&TEXT)
                    .pos(Pos::new(HPos::Left, VPos::Bottom)),
            )))
            .map_err(error)?;
    }
    Ok(())
}

/// Where the axis of a range chart ends: a quarter beyond the highest
/// number (room for its label), rounded up, and at least 2. Every number
/// must be in [`FIGURE_RANGE`] (validate refuses others), so the end is
/// finite and at most 1.25 times its end.
fn range_axis_end(rows: &[RangeRow]) -> Result<f64, String> {
    let numbers = rows
        .iter()
        .flat_map(|row| [Some(row.min), Some(row.max), row.mean])
        .flatten();
    let mut highest = 1.0_f64;
    for number in numbers {
        if !is_figure_number(number) {
            return Err(format!(
                "a range holds a number that is not finite or not from {} to {}",
                FIGURE_RANGE.start(),
                FIGURE_RANGE.end()
            ));
        }
        highest = highest.max(number);
    }
    Ok((highest * 1.25).ceil())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts() -> ChartTable {
        ChartTable::Counts {
            counted: "participants",
            categories: vec!["SP Medium".to_owned(), "SP <Holistic> & co".to_owned()],
            series: vec!["Statutory".to_owned(), "Community-based".to_owned()],
            values: vec![vec![4, 0], vec![0, 4]],
        }
    }

    #[test]
    fn svg_is_accessible_escaped_and_repeatable() {
        let drawn = || {
            draw(
                "sample",
                "By model & type",
                "Four <and> four",
                "Count <of> people",
                &counts(),
            )
            .unwrap()
        };
        let first = drawn();
        assert_eq!(first, drawn());
        assert!(
            first.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\""),
            "{first}"
        );
        assert!(first.contains("role=\"img\""));
        assert!(first.contains("<title id=\"chart-sample-title\">By model &amp; type</title>"));
        assert!(first.contains("<desc id=\"chart-sample-desc\">Four &lt;and&gt; four</desc>"));
        assert!(first.contains("SP &lt;Holistic&gt; &amp; co"), "labels are escaped");
        assert!(
            first.contains("Count &lt;of&gt; people"),
            "the axis is the words given, escaped"
        );
        assert!(first.contains("\nStatutory\n</text>"), "the legend names each colour");
        assert_eq!(first.matches("<svg").count(), 1);
    }

    #[test]
    fn one_category_draws_without_negative_sizes() {
        let one = ChartTable::Counts {
            counted: "quotes",
            categories: vec!["Caseloads".to_owned()],
            series: Vec::new(),
            values: vec![vec![3]],
        };
        let single_range = ChartTable::Ranges {
            rows: vec![RangeRow {
                label: "Caseload".to_owned(),
                min: 15.0,
                max: 30.0,
                mean: None,
                unit: None,
            }],
        };
        for table in [one, single_range] {
            let svg = draw("x", "t", "d", "a", &table).unwrap();
            assert!(
                !svg.contains("height=\"-") && !svg.contains("width=\"-"),
                "a negative size: {svg}"
            );
            assert!(svg.contains("Caseload"), "{svg}");
        }
    }

    fn range(min: f64, max: f64, mean: Option<f64>) -> ChartTable {
        ChartTable::Ranges {
            rows: vec![RangeRow {
                label: "Caseload".to_owned(),
                min,
                max,
                mean,
                unit: None,
            }],
        }
    }

    /// `max * 1.25` of 1.7e308 is infinite, and plotters given an infinite
    /// axis never returns: such a range is an error before plotters sees it.
    #[test]
    fn ranges_out_of_bounds_are_errors_not_drawings() {
        for table in [
            range(1.0, 1.7e308, None),
            range(1.0, f64::INFINITY, None),
            range(f64::NAN, 3.0, None),
            range(-5.0, 3.0, None),
            range(1.0, 3.0, Some(f64::NEG_INFINITY)),
        ] {
            let error = draw("x", "t", "d", "a", &table).expect_err("refused");
            assert_eq!(error.chart, "x");
        }
        assert_eq!(range_axis_end(&[]), Ok(2.0));
        let ChartTable::Ranges { rows } = range(0.0, 1e9, Some(5e8)) else {
            unreachable!()
        };
        assert_eq!(range_axis_end(&rows), Ok(1.25e9));
        assert!(draw("x", "t", "d", "a", &range(0.0, 1e9, Some(5e8))).is_ok());
    }

    #[test]
    fn huge_counts_saturate_instead_of_overflowing() {
        let counts = ChartTable::Counts {
            counted: "quotes",
            categories: vec!["A".to_owned(), "B".to_owned()],
            series: vec!["x".to_owned(), "y".to_owned()],
            values: vec![vec![u32::MAX, u32::MAX], vec![1, 0]],
        };
        let svg = draw("x", "t", "d", "a", &counts).unwrap();
        assert!(svg.contains(&u32::MAX.to_string()), "the total saturates");
        let data = crate::render::resolve::data_table(&counts);
        assert_eq!(data.rows[0].cells.last(), Some(&u32::MAX.to_string()));
        let matrix = ChartTable::Matrix {
            rows: vec!["Theme".to_owned()],
            columns: vec!["1".to_owned()],
            values: vec![vec![u32::MAX]],
        };
        assert!(draw("x", "t", "d", "a", &matrix).is_ok());
    }

    #[test]
    fn every_kind_draws() {
        let matrix = ChartTable::Matrix {
            rows: vec!["Theme one".to_owned()],
            columns: vec!["1a".to_owned(), "2".to_owned()],
            values: vec![vec![1, 3]],
        };
        let ranges = ChartTable::Ranges {
            rows: vec![RangeRow {
                label: "Interview length".to_owned(),
                min: 21.0,
                max: 37.0,
                mean: Some(29.0),
                unit: Some("minutes".to_owned()),
            }],
        };
        for table in [matrix, ranges] {
            let svg = draw("x", "t", "d", "axis words", &table).unwrap();
            assert!(svg.contains("role=\"img\""));
            assert_eq!(svg.contains("axis words"), matches!(table, ChartTable::Matrix { .. }));
        }
    }
}
