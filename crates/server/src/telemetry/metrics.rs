//! The Prometheus recorder. The `/metrics` endpoint itself is served by net-gateway on
//! the configured metrics address.

use std::sync::Mutex;

use anyhow::{Context, Result};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use net_gateway::metrics as names;

static HANDLE: Mutex<Option<PrometheusHandle>> = Mutex::new(None);

/// Installs the global Prometheus recorder (once per process; later calls return the
/// same handle, which lets tests run several servers in one process) and describes every
/// metric.
pub fn install() -> Result<PrometheusHandle> {
    let mut slot = HANDLE
        .lock()
        .map_err(|_| anyhow::anyhow!("metrics recorder lock poisoned"))?;
    if let Some(h) = slot.as_ref() {
        return Ok(h.clone());
    }
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(
            Matcher::Full(names::TICK_DURATION_SECONDS.to_owned()),
            names::TICK_BUCKETS,
        )
        .context("tick histogram buckets")?
        .set_buckets_for_metric(
            Matcher::Full(names::TICK_PHASE_SECONDS.to_owned()),
            names::TICK_BUCKETS,
        )
        .context("tick phase histogram buckets")?
        .set_buckets_for_metric(
            Matcher::Full(names::DB_SAVE_SECONDS.to_owned()),
            names::DB_SAVE_BUCKETS,
        )
        .context("db save histogram buckets")?
        .install_recorder()
        .context("installing the metrics recorder")?;
    names::describe();
    *slot = Some(handle.clone());
    Ok(handle)
}
