//! Reading the server's Prometheus text exposition (`/metrics`): counters, gauges,
//! histogram buckets and summary quantiles, and quantiles estimated from buckets.

use serde::{Deserialize, Serialize};

use crate::LoadgenError;

/// One sample line: `name{label="value",…} value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// Metric name (for histograms including the `_bucket`/`_sum`/`_count` suffix).
    pub name: String,
    /// Labels in the order written.
    pub labels: Vec<(String, String)>,
    /// The value (`+Inf`, `-Inf` and `NaN` are allowed).
    pub value: f64,
}

impl Sample {
    /// The value of label `key`, if present.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// One scrape of `/metrics`: every sample line, comments dropped.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scrape {
    /// Sample lines in the order received.
    pub samples: Vec<Sample>,
}

/// A cumulative histogram: `(upper bound, observations ≤ bound)` in ascending bound
/// order, the last bound being `+Inf`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Histogram {
    /// Cumulative bucket counts by upper bound.
    pub buckets: Vec<(f64, f64)>,
    /// Sum of all observations.
    pub sum: f64,
    /// Number of observations.
    pub count: f64,
}

impl Scrape {
    /// Parses the Prometheus text format (version 0.0.4). Blank lines and `#` lines
    /// are skipped; anything else that is not `name[{labels}] value [timestamp]` is an
    /// error naming the line.
    pub fn parse(text: &str) -> Result<Scrape, LoadgenError> {
        let mut samples = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |message: String| LoadgenError::MetricsParse {
                line: i + 1,
                message,
            };
            samples.push(parse_line(line).map_err(err)?);
        }
        Ok(Scrape { samples })
    }

    /// The sum of `name` over all its label sets (e.g. a counter split by `type`);
    /// `None` when no sample has that name.
    pub fn total(&self, name: &str) -> Option<f64> {
        let mut found = false;
        let mut sum = 0.0;
        for s in self.samples.iter().filter(|s| s.name == name) {
            found = true;
            sum += s.value;
        }
        found.then_some(sum)
    }

    /// The histogram `name` (from `name_bucket`, `name_sum`, `name_count`), all label
    /// sets other than `le` merged. `None` when it has no buckets.
    pub fn histogram(&self, name: &str) -> Option<Histogram> {
        let bucket_name = format!("{name}_bucket");
        let mut buckets: Vec<(f64, f64)> = Vec::new();
        for s in self.samples.iter().filter(|s| s.name == bucket_name) {
            let Some(le) = s.label("le").and_then(parse_value) else {
                continue;
            };
            match buckets.iter_mut().find(|(b, _)| *b == le) {
                Some((_, c)) => *c += s.value,
                None => buckets.push((le, s.value)),
            }
        }
        if buckets.is_empty() {
            return None;
        }
        buckets.sort_by(|a, b| a.0.total_cmp(&b.0));
        Some(Histogram {
            buckets,
            sum: self.total(&format!("{name}_sum")).unwrap_or(0.0),
            count: self.total(&format!("{name}_count")).unwrap_or(0.0),
        })
    }

    /// The quantile `q` of summary `name` (a `name{quantile="q"}` line), for servers
    /// that export a summary instead of buckets.
    pub fn summary_quantile(&self, name: &str, q: f64) -> Option<f64> {
        self.samples
            .iter()
            .filter(|s| s.name == name)
            .find(|s| s.label("quantile").and_then(parse_value) == Some(q))
            .map(|s| s.value)
    }
}

impl Histogram {
    /// The observations made between `earlier` and `self` (two scrapes of the same
    /// cumulative histogram). Buckets missing from `earlier` count from zero; a counter
    /// that went backwards (server restart) yields the later histogram unchanged.
    pub fn since(&self, earlier: &Histogram) -> Histogram {
        if self.count < earlier.count {
            return self.clone();
        }
        let buckets = self
            .buckets
            .iter()
            .map(|&(le, c)| {
                let before = earlier
                    .buckets
                    .iter()
                    .find(|(b, _)| *b == le)
                    .map_or(0.0, |(_, c)| *c);
                (le, (c - before).max(0.0))
            })
            .collect();
        Histogram {
            buckets,
            sum: self.sum - earlier.sum,
            count: self.count - earlier.count,
        }
    }

    /// Estimates the `q`-quantile like PromQL's `histogram_quantile`: find the bucket
    /// holding rank `q·count` and interpolate linearly inside it (the lowest bucket
    /// starts at 0). A rank in the `+Inf` bucket answers the highest finite bound.
    /// `None` for an empty histogram or `q` outside 0..=1.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if !(0.0..=1.0).contains(&q) {
            return None;
        }
        let total = self.buckets.last().map(|b| b.1)?;
        if total <= 0.0 {
            return None;
        }
        let rank = q * total;
        let mut lower_bound = 0.0;
        let mut lower_count = 0.0;
        for &(le, count) in &self.buckets {
            if count >= rank && count > 0.0 {
                if le.is_infinite() {
                    return Some(lower_bound);
                }
                let in_bucket = count - lower_count;
                if in_bucket <= 0.0 {
                    return Some(le);
                }
                return Some(lower_bound + (le - lower_bound) * (rank - lower_count) / in_bucket);
            }
            if le.is_finite() {
                lower_bound = le;
            }
            lower_count = count;
        }
        Some(lower_bound)
    }

    /// The upper bound of the highest bucket that holds any observation: the largest
    /// observation is at most this (`+Inf` if one overflowed every finite bucket).
    pub fn max_bound(&self) -> Option<f64> {
        let mut prev = 0.0;
        let mut result = None;
        for &(le, count) in &self.buckets {
            if count > prev {
                result = Some(le);
            }
            prev = count;
        }
        result
    }

    /// Mean observation, from `sum / count`.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0.0).then(|| self.sum / self.count)
    }
}

fn parse_value(text: &str) -> Option<f64> {
    match text {
        "+Inf" | "Inf" => Some(f64::INFINITY),
        "-Inf" => Some(f64::NEG_INFINITY),
        "NaN" => Some(f64::NAN),
        other => other.parse().ok(),
    }
}

fn parse_line(line: &str) -> Result<Sample, String> {
    let name_end = line
        .find(|c: char| c == '{' || c.is_whitespace())
        .ok_or_else(|| "a sample needs a value".to_owned())?;
    let name = &line[..name_end];
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    {
        return Err(format!("bad metric name {name:?}"));
    }
    let mut rest = &line[name_end..];
    let mut labels = Vec::new();
    if let Some(after) = rest.strip_prefix('{') {
        let (parsed, remaining) = parse_labels(after)?;
        labels = parsed;
        rest = remaining;
    }
    let mut fields = rest.split_whitespace();
    let value_text = fields
        .next()
        .ok_or_else(|| format!("{name} has no value"))?;
    let value = parse_value(value_text).ok_or_else(|| format!("bad value {value_text:?}"))?;
    Ok(Sample {
        name: name.to_owned(),
        labels,
        value,
    })
}

/// Label pairs in the order written.
type Labels = Vec<(String, String)>;

/// Parses `key="value",…}` and returns the labels and the text after the `}`.
fn parse_labels(mut text: &str) -> Result<(Labels, &str), String> {
    let mut labels = Vec::new();
    loop {
        text = text.trim_start_matches([' ', ',']);
        if let Some(rest) = text.strip_prefix('}') {
            return Ok((labels, rest));
        }
        let eq = text
            .find('=')
            .ok_or_else(|| "label without '='".to_owned())?;
        let key = text[..eq].trim().to_owned();
        let after_eq = text[eq + 1..]
            .strip_prefix('"')
            .ok_or_else(|| format!("label {key} value is not quoted"))?;
        let mut value = String::new();
        let mut chars = after_eq.char_indices();
        let end = loop {
            match chars.next() {
                Some((i, '"')) => break i,
                Some((_, '\\')) => match chars.next() {
                    Some((_, 'n')) => value.push('\n'),
                    Some((_, c)) => value.push(c),
                    None => return Err("unterminated escape".to_owned()),
                },
                Some((_, c)) => value.push(c),
                None => return Err(format!("label {key} value is not closed")),
            }
        };
        labels.push((key, value));
        text = &after_eq[end + 1..];
    }
}
