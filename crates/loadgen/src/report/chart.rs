//! `chart.svg`: server tick time, bandwidth per client and connected bots over the run.

use std::path::Path;

use plotters::prelude::*;

use super::Report;
use crate::LoadgenError;
use crate::sampler::Rates;

/// One panel's series: (name, colour, points).
type Series = Vec<(&'static str, RGBColor, Vec<(f64, f64)>)>;

/// Draws the chart to `path`.
pub fn write_chart(r: &Report, path: &Path) -> Result<(), LoadgenError> {
    let err = |e: &dyn std::fmt::Display| LoadgenError::Report {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let mut tick50 = Vec::new();
    let mut tick99 = Vec::new();
    let mut bw_in = Vec::new();
    let mut bw_out = Vec::new();
    let mut bots = Vec::new();
    let mut cpu = Vec::new();
    // Intervals much shorter than the sampler's give noisy rates; skip them.
    for w in r.timeline.windows(2).filter(|w| w[1].t - w[0].t >= 0.5) {
        let rates = Rates::between(&w[0], &w[1]);
        let t = w[1].t;
        if let Some(v) = rates.tick_p50_ms {
            tick50.push((t, v));
        }
        if let Some(v) = rates.tick_p99_ms {
            tick99.push((t, v));
        }
        bw_in.push((t, rates.bytes_in_per_bot / 1024.0));
        bw_out.push((t, rates.bytes_out_per_bot / 1024.0));
        bots.push((t, w[1].connected as f64));
        if let Some(c) = rates.cpu_cores {
            cpu.push((t, c * 100.0));
        }
    }
    let panels: [(&str, Series); 3] = [
        (
            "server tick time (ms)",
            vec![("p50", BLUE, tick50), ("p99", RED, tick99)],
        ),
        (
            "bytes per client (KiB/s)",
            vec![("in", BLUE, bw_in), ("out", GREEN, bw_out)],
        ),
        (
            "bots connected / server CPU (%)",
            vec![("bots", BLACK, bots), ("CPU %", MAGENTA, cpu)],
        ),
    ];
    let t_max = r.timeline.last().map_or(1.0, |p| p.t.max(1.0));

    let root = SVGBackend::new(path, (900, 900)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    for (area, (title, series)) in root.split_evenly((3, 1)).iter().zip(panels) {
        let y_max = series
            .iter()
            .flat_map(|(_, _, pts)| pts.iter().map(|p| p.1))
            .filter(|v| v.is_finite())
            .fold(0.0_f64, f64::max)
            .max(1e-3)
            * 1.1;
        let mut chart = ChartBuilder::on(area)
            .caption(title, ("sans-serif", 18))
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(50)
            .build_cartesian_2d(0.0..t_max, 0.0..y_max)
            .map_err(|e| err(&e))?;
        chart
            .configure_mesh()
            .x_desc("seconds")
            .draw()
            .map_err(|e| err(&e))?;
        for (name, colour, pts) in series {
            chart
                .draw_series(LineSeries::new(pts, colour.stroke_width(2)))
                .map_err(|e| err(&e))?
                .label(name)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], colour));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(|e| err(&e))?;
    }
    root.present().map_err(|e| err(&e))?;
    Ok(())
}
