//! Prometheus configuration, alert rules (and their unit tests) and the Grafana dashboard.

use std::collections::BTreeSet;
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use super::tools::{Tools, capture, files_in};
use crate::cmd;

/// The server's metric names (the contract in the project notes, plus the two the server
/// added: disconnects by reason, HTTP requests by status class); histograms also have
/// `_bucket`, `_sum` and `_count` series.
pub const GAME_METRICS: &[&str] = &[
    "game_players_online",
    "game_tick_duration_seconds",
    "game_network_bytes_received",
    "game_network_bytes_sent",
    "game_connections",
    "game_messages_total",
    "game_rate_limited_total",
    "game_tick_overruns_total",
    "game_entities",
    "game_db_save_seconds",
    "game_db_save_failures_total",
    "game_disconnects_total",
    "game_http_requests_total",
    "game_inputs_dropped_total",
    "game_tick_phase_seconds",
    "game_views_skipped_total",
    "game_replication_frames",
    "game_replication_frame_bytes",
];

/// Panel types Grafana 10/11 ships; `graph` and `singlestat` are gone.
const PANEL_TYPES: &[&str] = &[
    "timeseries",
    "stat",
    "gauge",
    "bargauge",
    "table",
    "text",
    "row",
    "heatmap",
    "state-timeline",
];

/// `promtool check config` with the rule files resolved to the repository's alerts
/// (the file names /etc/prometheus/alerts/, where the compose profile mounts them),
/// `promtool check rules` and `promtool test rules`.
pub fn prometheus(tools: &Tools) -> Result<String> {
    let root = cmd::root();
    let monitoring = root.join("ops/monitoring");
    let config = std::fs::read_to_string(monitoring.join("prometheus.yml"))?;
    let mounted = "/etc/prometheus/alerts/";
    if !config.contains(mounted) {
        bail!("prometheus.yml must load its rules from {mounted} (where compose mounts alerts/)");
    }
    let scrapes_postgres_port = config
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .any(|l| l.contains(":5432"));
    if scrapes_postgres_port {
        bail!(
            "prometheus.yml scrapes PostgreSQL's port 5432, which is not HTTP: use postgres_exporter"
        );
    }
    let local = config.replace(
        mounted,
        &format!("{}/", monitoring.join("alerts").display()),
    );
    let rewritten = tools.scratch.join("prometheus.yml");
    std::fs::write(&rewritten, local)?;
    let checked = capture(
        Command::new("promtool")
            .arg("check")
            .arg("config")
            .arg(&rewritten),
    )?;
    let rules = files_in(&monitoring.join("alerts"), |n| n.ends_with(".yml"))?;
    if !checked.contains("rules found") {
        bail!("promtool check config loaded no rule files:\n{checked}");
    }
    capture(
        Command::new("promtool")
            .args(["check", "rules"])
            .args(&rules),
    )?;
    capture(
        Command::new("promtool")
            .args(["test", "rules", "tests/alerts.test.yml"])
            .current_dir(&monitoring),
    )?;
    let alerts = alert_names(&rules)?;
    for needed in [
        "HighCPUUsage",
        "HighMemoryUsage",
        "ServerDown",
        "DatabaseHighConnections",
        "TickOverruns",
        "DatabaseSaveFailures",
        "PlayerDrop",
    ] {
        if !alerts.contains(needed) {
            bail!("alert {needed} is missing from ops/monitoring/alerts/");
        }
    }
    let tests = std::fs::read_to_string(monitoring.join("tests/alerts.test.yml"))?;
    let untested: Vec<&String> = alerts
        .iter()
        .filter(|a| !tests.contains(&format!("alertname: {a}")))
        .collect();
    if !untested.is_empty() {
        bail!("alerts without a unit test in ops/monitoring/tests/alerts.test.yml: {untested:?}");
    }
    let mut texts = String::new();
    for rule in &rules {
        texts.push_str(&std::fs::read_to_string(rule)?);
    }
    unknown_game_metrics(&texts).context("alert rules")?;
    Ok(format!(
        "config + {} rule files valid, {} alerts, each firing in a unit test",
        rules.len(),
        alerts.len()
    ))
}

fn alert_names(rules: &[std::path::PathBuf]) -> Result<BTreeSet<String>> {
    let mut names = BTreeSet::new();
    for rule in rules {
        for line in std::fs::read_to_string(rule)?.lines() {
            if let Some(name) = line.trim().strip_prefix("- alert: ") {
                names.insert(name.trim().to_string());
            }
        }
    }
    Ok(names)
}

/// Fails on a `game_…` metric name that the server does not export (a typo in a query).
pub fn unknown_game_metrics(text: &str) -> Result<()> {
    let mut unknown = BTreeSet::new();
    for (start, _) in text.match_indices("game_") {
        let before = text[..start].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let name: String = text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let base = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|s| name.strip_suffix(s))
            .unwrap_or(&name);
        if !GAME_METRICS.contains(&base) && !GAME_METRICS.contains(&name.as_str()) {
            unknown.insert(name);
        }
    }
    // `game-server` is the job name, not a metric; `game_db` a database name in comments.
    unknown.remove("game_db");
    if !unknown.is_empty() {
        bail!("unknown game metrics (not exported by the server): {unknown:?}");
    }
    Ok(())
}

/// The dashboard: valid JSON, current panel types, unique ids, positions on the 24-column
/// grid without overlap, the provisioned data source, and only known metric names.
pub fn dashboard(tools: &Tools) -> Result<String> {
    let grafana = cmd::root().join("ops/monitoring/grafana");
    let path = grafana.join("dashboards/kindling.json");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let dashboard: Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not valid JSON", path.display()))?;
    let datasources =
        tools.yaml_documents(&grafana.join("provisioning/datasources/prometheus.yml"))?;
    let uid = datasources
        .first()
        .and_then(|d| d["datasources"][0]["uid"].as_str())
        .context("the data source provisioning file has no uid")?
        .to_string();
    let providers = tools.yaml_documents(&grafana.join("provisioning/dashboards/kindling.yml"))?;
    if providers
        .first()
        .and_then(|p| p["providers"][0]["options"]["path"].as_str())
        != Some("/var/lib/grafana/dashboards")
    {
        bail!("the dashboard provider must read /var/lib/grafana/dashboards (the compose mount)");
    }
    let count = check_dashboard(&dashboard, &uid)?;
    unknown_game_metrics(&text).context("dashboard")?;
    Ok(format!("{count} panels, data source {uid}"))
}

/// The structural rules of [`dashboard`], on parsed JSON; returns the panel count.
pub fn check_dashboard(dashboard: &Value, datasource_uid: &str) -> Result<usize> {
    for key in ["uid", "title"] {
        if dashboard[key].as_str().is_none_or(str::is_empty) {
            bail!("dashboard has no {key}");
        }
    }
    if dashboard["schemaVersion"].as_u64().is_none_or(|v| v < 36) {
        bail!("schemaVersion must be 36 or later (Grafana 9+)");
    }
    let panels = dashboard["panels"]
        .as_array()
        .filter(|p| !p.is_empty())
        .context("dashboard has no panels")?;
    let mut ids = BTreeSet::new();
    let mut cells = BTreeSet::new();
    for panel in panels {
        let title = panel["title"].as_str().unwrap_or("<untitled>");
        let kind = panel["type"].as_str().unwrap_or("");
        if !PANEL_TYPES.contains(&kind) {
            bail!("panel {title:?} has type {kind:?}: use one of {PANEL_TYPES:?}");
        }
        let id = panel["id"]
            .as_u64()
            .with_context(|| format!("panel {title:?} has no id"))?;
        if !ids.insert(id) {
            bail!("panel id {id} is used twice");
        }
        let grid = &panel["gridPos"];
        let (x, y, w, h) = (
            grid["x"].as_u64(),
            grid["y"].as_u64(),
            grid["w"].as_u64(),
            grid["h"].as_u64(),
        );
        let (Some(x), Some(y), Some(w), Some(h)) = (x, y, w, h) else {
            bail!("panel {title:?} has no complete gridPos");
        };
        if w == 0 || h == 0 || x + w > 24 {
            bail!("panel {title:?} does not fit the 24-column grid");
        }
        for cx in x..x + w {
            for cy in y..y + h {
                if !cells.insert((cx, cy)) {
                    bail!("panel {title:?} overlaps another panel at ({cx},{cy})");
                }
            }
        }
        if kind == "row" || kind == "text" {
            continue;
        }
        if panel["datasource"]["uid"].as_str() != Some(datasource_uid) {
            bail!("panel {title:?} does not use the provisioned data source {datasource_uid}");
        }
        let targets = panel["targets"]
            .as_array()
            .filter(|t| !t.is_empty())
            .with_context(|| format!("panel {title:?} has no queries"))?;
        for target in targets {
            let expr = target["expr"].as_str().unwrap_or("");
            if expr.trim().is_empty() {
                bail!("panel {title:?} has an empty query");
            }
            if expr.matches('(').count() != expr.matches(')').count() {
                bail!("panel {title:?}: unbalanced parentheses in {expr}");
            }
        }
    }
    Ok(panels.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn good() -> Value {
        json!({
            "uid": "u", "title": "t", "schemaVersion": 39,
            "panels": [{
                "id": 1, "title": "p", "type": "timeseries",
                "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
                "datasource": {"type": "prometheus", "uid": "ds"},
                "targets": [{"refId": "A", "expr": "sum(game_players_online)"}]
            }]
        })
    }

    #[test]
    fn a_good_dashboard_passes() {
        assert_eq!(check_dashboard(&good(), "ds").unwrap(), 1);
    }

    #[test]
    fn removed_panel_types_are_refused() {
        let mut d = good();
        d["panels"][0]["type"] = json!("singlestat");
        let err = check_dashboard(&d, "ds").unwrap_err().to_string();
        assert!(err.contains("singlestat"), "{err}");
    }

    #[test]
    fn overlapping_panels_are_refused() {
        let mut d = good();
        let mut second = d["panels"][0].clone();
        second["id"] = json!(2);
        second["gridPos"]["x"] = json!(6);
        d["panels"].as_array_mut().unwrap().push(second);
        let err = check_dashboard(&d, "ds").unwrap_err().to_string();
        assert!(err.contains("overlaps"), "{err}");
    }

    #[test]
    fn a_foreign_data_source_is_refused() {
        let err = check_dashboard(&good(), "other").unwrap_err().to_string();
        assert!(err.contains("data source"), "{err}");
    }

    #[test]
    fn metric_typos_are_caught() {
        assert!(unknown_game_metrics("rate(game_tick_duration_seconds_bucket[1m])").is_ok());
        let err = unknown_game_metrics("sum(game_player_online)")
            .unwrap_err()
            .to_string();
        assert!(err.contains("game_player_online"), "{err}");
    }
}
