//! Results CSV: one row per variant, parsed from text (the caller reads the file).
//!
//! Conversion metrics: `variant,users,conversions`. Mean metrics: `variant,users,mean,stddev`
//! or `variant,users,sum,sum_squares`. Optional CUPED columns: `cov_sum,cov_sum_squares,cross_sum`
//! (the pre-period covariate's ΣX, ΣX² and ΣXY). Batch files put an `experiment` column first.
//! Column names are matched without regard to case or surrounding spaces; other columns are
//! ignored. Rows are numbered as a spreadsheet shows them: the header is row 1.

use serde::{Deserialize, Serialize};

use crate::{Covariate, ImportError, Statistic};

/// Conversion (a rate) or mean metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricType {
    Conversion,
    Mean,
}

impl MetricType {
    pub fn as_str(self) -> &'static str {
        match self {
            MetricType::Conversion => "conversion",
            MetricType::Mean => "mean",
        }
    }
}

/// One variant's row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Arm {
    pub name: String,
    pub stat: Statistic,
    pub covariate: Option<Covariate>,
    /// The row it came from.
    pub row: u64,
}

/// One experiment's results, in file order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub metric_type: MetricType,
    pub arms: Vec<Arm>,
}

/// One experiment of a batch file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Experiment {
    pub name: String,
    pub results: Results,
}

/// Parses a results CSV with one experiment.
pub fn parse_results(text: &str) -> Result<Results, ImportError> {
    let (layout, rows) = read(text, false)?;
    let arms = rows.into_iter().map(|(_, arm)| arm).collect();
    finish(layout.metric_type, arms, "")
}

/// Parses a batch CSV: an `experiment` first column, then the same columns as
/// [`parse_results`]. Experiments keep the order of their first row; a control is the first
/// row of its experiment.
pub fn parse_batch(text: &str) -> Result<Vec<Experiment>, ImportError> {
    let (layout, rows) = read(text, true)?;
    let mut order: Vec<String> = Vec::new();
    let mut groups: std::collections::HashMap<String, Vec<Arm>> = Default::default();
    for (experiment, arm) in rows {
        let group = groups.entry(experiment.clone()).or_insert_with(|| {
            order.push(experiment);
            Vec::new()
        });
        group.push(arm);
    }
    let mut out = Vec::with_capacity(order.len());
    for name in order {
        let arms = groups.remove(&name).unwrap_or_default();
        let context = format!("experiment `{name}` ");
        let results = finish(layout.metric_type, arms, &context)?;
        out.push(Experiment { name, results });
    }
    Ok(out)
}

fn finish(metric_type: MetricType, arms: Vec<Arm>, context: &str) -> Result<Results, ImportError> {
    for (i, arm) in arms.iter().enumerate() {
        if arms[..i].iter().any(|a| a.name == arm.name) {
            return Err(ImportError::DuplicateVariant {
                row: arm.row,
                variant: arm.name.clone(),
            });
        }
    }
    if arms.len() < 2 {
        return Err(ImportError::TooFewVariants {
            context: context.to_string(),
            found: arms.len(),
        });
    }
    Ok(Results { metric_type, arms })
}

enum Values {
    Conversions(usize),
    MeanSd(usize, usize),
    Sums(usize, usize),
}

struct Layout {
    experiment: Option<usize>,
    variant: usize,
    users: usize,
    values: Values,
    covariate: Option<(usize, usize, usize)>,
    metric_type: MetricType,
    names: Vec<String>,
}

const HINT: &str =
    "a results file has variant,users and then conversions, or mean,stddev, or sum,sum_squares";

fn layout(header: &csv::StringRecord, batch: bool) -> Result<Layout, ImportError> {
    let names: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let find = |name: &str| names.iter().position(|n| n == name);
    let need = |name: &str, hint: &'static str| {
        find(name).ok_or_else(|| ImportError::MissingColumn {
            column: name.to_string(),
            hint,
        })
    };
    let experiment = if batch {
        let i = need(
            "experiment",
            "a batch file starts with an experiment column",
        )?;
        if i != 0 {
            return Err(ImportError::MissingColumn {
                column: "experiment".into(),
                hint: "a batch file's first column is experiment",
            });
        }
        Some(i)
    } else {
        None
    };
    let variant = need("variant", HINT)?;
    let users = need("users", HINT)?;
    let (values, metric_type) = if let Some(c) = find("conversions") {
        (Values::Conversions(c), MetricType::Conversion)
    } else if let Some(m) = find("mean") {
        (Values::MeanSd(m, need("stddev", HINT)?), MetricType::Mean)
    } else if let Some(s) = find("sum") {
        (
            Values::Sums(s, need("sum_squares", HINT)?),
            MetricType::Mean,
        )
    } else {
        return Err(ImportError::MissingColumn {
            column: "conversions".into(),
            hint: HINT,
        });
    };
    let cov = ["cov_sum", "cov_sum_squares", "cross_sum"].map(find);
    let covariate = match cov {
        [None, None, None] => None,
        [Some(a), Some(b), Some(c)] => Some((a, b, c)),
        _ => {
            let missing = ["cov_sum", "cov_sum_squares", "cross_sum"]
                .iter()
                .zip(cov)
                .find(|(_, i)| i.is_none())
                .map_or("cov_sum", |(n, _)| *n);
            return Err(ImportError::MissingColumn {
                column: missing.to_string(),
                hint: "CUPED needs all of cov_sum, cov_sum_squares and cross_sum",
            });
        }
    };
    Ok(Layout {
        experiment,
        variant,
        users,
        values,
        covariate,
        metric_type,
        names,
    })
}

type Row = (String, Arm);

fn read(text: &str, batch: bool) -> Result<(Layout, Vec<Row>), ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| csv_error(&e, 1))?.clone();
    if header.iter().all(|h| h.is_empty()) {
        return Err(ImportError::Empty);
    }
    let layout = layout(&header, batch)?;
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut lines = Lines {
        bytes: text.as_bytes(),
        offset: 0,
        line: 1,
    };
    loop {
        let more = reader
            .read_record(&mut record)
            .map_err(|e| csv_error(&e, rows.len() as u64 + 2))?;
        if !more {
            break;
        }
        if record.iter().all(|f| f.is_empty()) {
            continue;
        }
        let row = match record.position() {
            Some(p) => lines.line_of(p.byte()),
            None => rows.len() as u64 + 2,
        };
        rows.push(parse_row(&layout, &record, row)?);
    }
    if rows.is_empty() {
        return Err(ImportError::Empty);
    }
    Ok((layout, rows))
}

/// Line numbers of records, counted incrementally as the reader moves forward (the csv
/// crate's own line count skips blank lines).
struct Lines<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u64,
}

impl Lines<'_> {
    /// The 1-based line of the record starting at `byte`; a record's offset can point at the
    /// blank lines before it, which are skipped.
    fn line_of(&mut self, byte: u64) -> u64 {
        let bytes = self.bytes;
        let mut end = usize::try_from(byte).map_or(bytes.len(), |b| b.min(bytes.len()));
        while end < bytes.len() && matches!(bytes[end], b'\n' | b'\r') {
            end += 1;
        }
        if end >= self.offset {
            self.line += bytes[self.offset..end]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.offset = end;
        }
        self.line
    }
}

fn csv_error(e: &csv::Error, fallback: u64) -> ImportError {
    let row = e.position().map_or(fallback, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".to_string(),
        _ => e.to_string(),
    };
    ImportError::Csv { row, message }
}

struct Fields<'a> {
    layout: &'a Layout,
    record: &'a csv::StringRecord,
    row: u64,
}

impl Fields<'_> {
    fn text(&self, i: usize) -> Result<&str, ImportError> {
        match self.record.get(i) {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(ImportError::MissingField {
                row: self.row,
                field: self.layout.names[i].clone(),
            }),
        }
    }

    fn bad(&self, i: usize, problem: String) -> ImportError {
        ImportError::Value {
            row: self.row,
            field: self.layout.names[i].clone(),
            problem,
        }
    }

    fn number(&self, i: usize) -> Result<f64, ImportError> {
        let text = self.text(i)?;
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(self.bad(i, format!("`{text}` is not a number"))),
        }
    }

    fn non_negative(&self, i: usize) -> Result<f64, ImportError> {
        let v = self.number(i)?;
        if v < 0.0 {
            return Err(self.bad(i, format!("must not be negative ({v})")));
        }
        Ok(v)
    }

    fn count(&self, i: usize) -> Result<u64, ImportError> {
        let v = self.non_negative(i)?;
        if v.fract() != 0.0 || v > 9.0e15 {
            return Err(self.bad(i, format!("must be a whole number of users ({v})")));
        }
        Ok(v as u64)
    }
}

fn parse_row(layout: &Layout, record: &csv::StringRecord, row: u64) -> Result<Row, ImportError> {
    let f = Fields {
        layout,
        record,
        row,
    };
    let experiment = match layout.experiment {
        Some(i) => f.text(i)?.to_string(),
        None => String::new(),
    };
    let name = f.text(layout.variant)?.to_string();
    let n = f.count(layout.users)?;
    let stat = match layout.values {
        Values::Conversions(c) => {
            let sum = f.non_negative(c)?;
            if sum > n as f64 {
                return Err(f.bad(c, format!("{sum} conversions but only {n} users")));
            }
            Statistic::Proportion { n, sum }
        }
        Values::MeanSd(m, s) => {
            let mean = f.number(m)?;
            let sd = f.non_negative(s)?;
            Statistic::from_mean_sd(n, mean, sd)
        }
        Values::Sums(s, ss) => {
            let sum = f.number(s)?;
            let sum_squares = f.non_negative(ss)?;
            let stat = Statistic::Mean {
                n,
                sum,
                sum_squares,
            };
            if n >= 2 && stat.variance() < -1e-9 * sum_squares.max(1.0) {
                return Err(f.bad(
                    ss,
                    format!(
                        "{sum_squares} is less than sum²/users, so the variance would be negative"
                    ),
                ));
            }
            stat
        }
    };
    let covariate = match layout.covariate {
        None => None,
        Some((a, b, c)) => Some(Covariate {
            sum: f.number(a)?,
            sum_squares: f.non_negative(b)?,
            cross_sum: f.number(c)?,
        }),
    };
    Ok((
        experiment,
        Arm {
            name,
            stat,
            covariate,
            row,
        },
    ))
}
