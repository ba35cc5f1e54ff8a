//! The numbers behind each chart, counted from the validated study.
//!
//! Input: a [`Study`] and a [`ChartSpec`]. Output: a [`ChartTable`] — the
//! same numbers the chart draws and the page prints as a table. Used by
//! `validate` (a chart that would be empty is an error) and by `render`.
//! Pure: no I/O, and categories come out in the study's own order. Counts
//! saturate instead of overflowing, and the numbers of figures lie in
//! [`FIGURE_RANGE`] (validate refuses others), so nothing here or in the
//! charts drawn from it can overflow or stop being finite.

use std::ops::RangeInclusive;

use crate::model::{
    Amount, AttributeKind, AttributeValue, ChartKind, ChartSpec, Field, Grouping, Placement, Relation, Study,
};

/// The numbers a figure may state (`min`, `max`, `mean`, and a `value` that
/// is a number): counts, percentages, durations and years, finite and not
/// negative. Documented in docs/data-format.md.
pub const FIGURE_RANGE: RangeInclusive<f64> = 0.0..=1_000_000_000.0;

/// Whether `number` is finite and in [`FIGURE_RANGE`] (NaN is in no range).
#[must_use]
pub fn is_figure_number(number: f64) -> bool {
    FIGURE_RANGE.contains(&number)
}

/// The total of a row of counts, saturating at `u32::MAX`.
#[must_use]
pub fn row_total(row: &[u32]) -> u32 {
    row.iter().fold(0u32, |total, count| total.saturating_add(*count))
}

/// One range of a range chart.
#[derive(Clone, Debug, PartialEq)]
pub struct RangeRow {
    /// The figure's label.
    pub label: String,
    /// Lowest.
    pub min: f64,
    /// Highest.
    pub max: f64,
    /// Mean, if stated.
    pub mean: Option<f64>,
    /// Unit, if any.
    pub unit: Option<String>,
}

/// The numbers of a chart.
#[derive(Clone, Debug, PartialEq)]
pub enum ChartTable {
    /// Counts per category, split into series (one series when not split).
    Counts {
        /// What is counted ([`ChartKind::counts`]): `participants` or `quotes`.
        counted: &'static str,
        /// Category labels, in order.
        categories: Vec<String>,
        /// Series labels, in order (empty when the chart is not split).
        series: Vec<String>,
        /// `values[category][series]` (one column when not split).
        values: Vec<Vec<u32>>,
    },
    /// Quotes per theme or subtheme (rows) and participant (columns).
    Matrix {
        /// Row labels.
        rows: Vec<String>,
        /// Column labels (participant ids).
        columns: Vec<String>,
        /// `values[row][column]`.
        values: Vec<Vec<u32>>,
    },
    /// Ranges with optional means.
    Ranges {
        /// The ranges.
        rows: Vec<RangeRow>,
    },
}

impl ChartTable {
    /// Whether the chart would show nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        match self {
            Self::Counts { values, .. } | Self::Matrix { values, .. } => {
                values.iter().flatten().all(|value| *value == 0)
            }
            Self::Ranges { rows } => rows.is_empty(),
        }
    }
}

/// Counts the numbers of `spec` in `study`.
#[must_use]
pub fn tabulate(study: &Study, spec: &ChartSpec) -> ChartTable {
    match spec {
        ChartSpec::Participants { by, stack } => participants(study, *by, *stack),
        ChartSpec::Quotes { per, theme, split } => quotes(study, *per, *theme, *split),
        ChartSpec::Matrix { rows } => matrix(study, *rows),
        ChartSpec::Ranges { figures } => ChartTable::Ranges {
            rows: figures
                .iter()
                .filter_map(|index| {
                    let figure = &study.figures[*index];
                    match figure.amount {
                        Amount::Range { min, max, mean } => Some(RangeRow {
                            label: figure.label.clone(),
                            min,
                            max,
                            mean,
                            unit: figure.unit.clone(),
                        }),
                        Amount::Value(_) => None,
                    }
                })
                .collect(),
        },
    }
}

/// The categories of a field, in the study's order (an attribute's in
/// declaration order), and the category of each participant. Validation
/// lets charts count only by categorical fields; free text counts as one
/// category per participant.
fn field_values(study: &Study, field: Field) -> (Vec<String>, Vec<usize>) {
    let service_of = |participant: usize| &study.services[study.participants[participant].service];
    match field {
        Field::Relation(Relation::Participant | Relation::RoleDescription | Relation::ServiceDescription) => {
            per_participant(study, field)
        }
        Field::Relation(Relation::Role) => (
            study.roles.roles.iter().map(|role| role.name.clone()).collect(),
            study.participants.iter().map(|participant| participant.role).collect(),
        ),
        Field::Relation(Relation::Service) => (
            study
                .services
                .iter()
                .map(|service| service.short_name().to_owned())
                .collect(),
            study
                .participants
                .iter()
                .map(|participant| participant.service)
                .collect(),
        ),
        Field::Relation(Relation::OrganisationType) => (
            study.organisation_types.iter().map(|kind| kind.name.clone()).collect(),
            (0..study.participants.len())
                .map(|index| service_of(index).organisation_type)
                .collect(),
        ),
        Field::Relation(Relation::Model) => (
            study.typology.models.iter().map(|model| model.name.clone()).collect(),
            (0..study.participants.len())
                .map(|index| service_of(index).model)
                .collect(),
        ),
        Field::Attribute(attribute) => match &study.attributes[attribute].kind {
            AttributeKind::Categories(categories) => (
                categories.iter().map(|category| category.label.clone()).collect(),
                study
                    .participants
                    .iter()
                    .map(|participant| match participant.values[attribute] {
                        AttributeValue::Category(category) => category,
                        AttributeValue::Text(_) => 0,
                    })
                    .collect(),
            ),
            AttributeKind::Text => per_participant(study, field),
        },
    }
}

/// One category per participant: what `field` says of each.
fn per_participant(study: &Study, field: Field) -> (Vec<String>, Vec<usize>) {
    (
        study
            .participants
            .iter()
            .map(|participant| study.value_of(participant, field).to_owned())
            .collect(),
        (0..study.participants.len()).collect(),
    )
}

/// Adds one to a count, saturating at `u32::MAX`.
fn count_one(count: &mut u32) {
    *count = count.saturating_add(1);
}

/// Participants per category of `by`, split by `split`.
fn participants(study: &Study, by: Field, split: Option<Field>) -> ChartTable {
    let (categories, category_of) = field_values(study, by);
    let (series, series_of) = split.map_or((Vec::new(), None), |field| {
        let (labels, of) = field_values(study, field);
        (labels, Some(of))
    });
    let mut values = vec![vec![0u32; series.len().max(1)]; categories.len()];
    for participant in 0..study.participants.len() {
        let column = series_of.as_ref().map_or(0, |of| of[participant]);
        count_one(&mut values[category_of[participant]][column]);
    }
    ChartTable::Counts {
        counted: ChartKind::Participants.counts(),
        categories,
        series,
        values,
    }
}

/// The theme or subtheme rows (of `theme` only, when given): their
/// titles, and the key of each that [`row_of`] looks a placement up in.
pub(crate) fn rows(
    study: &Study,
    grouping: Grouping,
    theme: Option<usize>,
) -> (Vec<String>, Vec<(usize, Option<usize>)>) {
    let mut labels = Vec::new();
    let mut keys = Vec::new();
    for (index, current) in study.themes.iter().enumerate() {
        if theme.is_some_and(|only| only != index) {
            continue;
        }
        match grouping {
            Grouping::Theme => {
                labels.push(current.title.clone());
                keys.push((index, None));
            }
            Grouping::Subtheme => {
                for (position, subtheme) in current.subthemes.iter().enumerate() {
                    labels.push(subtheme.title.clone());
                    keys.push((index, Some(position)));
                }
            }
        }
    }
    (labels, keys)
}

/// The row of `keys` a quote placed at `placement` counts in, if any.
pub(crate) fn row_of(
    keys: &[(usize, Option<usize>)],
    grouping: Grouping,
    placement: Option<Placement>,
) -> Option<usize> {
    let Some(Placement::Theme { theme, subtheme }) = placement else {
        return None;
    };
    let key = match grouping {
        Grouping::Theme => (theme, None),
        Grouping::Subtheme => (theme, Some(subtheme?)),
    };
    keys.iter().position(|known| *known == key)
}

fn quotes(study: &Study, per: Grouping, theme: Option<usize>, split: Option<Field>) -> ChartTable {
    let (categories, keys) = rows(study, per, theme);
    let (series, series_of) = split.map_or((Vec::new(), None), |field| {
        let (labels, of) = field_values(study, field);
        (labels, Some(of))
    });
    let mut values = vec![vec![0u32; series.len().max(1)]; categories.len()];
    for quote in &study.quotes {
        if let Some(row) = row_of(&keys, per, quote.placement) {
            let column = series_of.as_ref().map_or(0, |of| of[quote.participant]);
            count_one(&mut values[row][column]);
        }
    }
    ChartTable::Counts {
        counted: ChartKind::Quotes.counts(),
        categories,
        series,
        values,
    }
}

fn matrix(study: &Study, grouping: Grouping) -> ChartTable {
    let (rows, keys) = rows(study, grouping, None);
    let columns: Vec<String> = study
        .participants
        .iter()
        .map(|participant| participant.id.clone())
        .collect();
    let mut values = vec![vec![0u32; columns.len()]; rows.len()];
    for quote in &study.quotes {
        if let Some(row) = row_of(&keys, grouping, quote.placement) {
            count_one(&mut values[row][quote.participant]);
        }
    }
    ChartTable::Matrix { rows, columns, values }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_saturate_instead_of_overflowing() {
        assert_eq!(row_total(&[1, 2, 3]), 6);
        assert_eq!(row_total(&[u32::MAX, 1, u32::MAX]), u32::MAX);
        let mut count = u32::MAX - 1;
        count_one(&mut count);
        count_one(&mut count);
        assert_eq!(count, u32::MAX);
    }

    #[test]
    fn figure_numbers_are_finite_and_bounded() {
        for good in [0.0, 2.5, 2024.0, 1e9] {
            assert!(is_figure_number(good), "{good}");
        }
        for bad in [
            -1.0,
            -0.5,
            1e9 + 1.0,
            1.7e308,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            assert!(!is_figure_number(bad), "{bad}");
        }
    }
}
