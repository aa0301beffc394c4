//! Kubernetes manifests, the Ansible playbook and the Terraform module.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use super::tools::{Tools, capture, expect_failure, files_in, files_under};
use crate::cmd;

/// Seconds the server may need after SIGTERM to save everyone; the pods' grace period must
/// cover this plus the preStop delay.
const MIN_GRACE_SECONDS: u64 = 60;

/// kubernetes-validate (strict, offline schemas) on every manifest, the kustomization's
/// resource list, and the pod rules of the issue on both Deployments.
pub fn kubernetes(tools: &Tools) -> Result<String> {
    let dir = cmd::root().join("ops/deployment/kubernetes");
    let manifests = files_in(&dir, |n| {
        (n.ends_with(".yaml") || n.ends_with(".yml")) && n != "kustomization.yaml"
    })?;
    capture(
        tools
            .venv("kubernetes-validate")
            .args(["--strict", "--quiet"])
            .args(&manifests),
    )?;
    // Negative control: the validator must reject a schema error.
    let broken = tools.scratch.join("broken-deployment.yaml");
    let deployment_text = std::fs::read_to_string(dir.join("deployment.yaml"))?;
    std::fs::write(
        &broken,
        deployment_text.replacen("replicas: 2", "replicas: two", 1),
    )?;
    expect_failure(
        tools
            .venv("kubernetes-validate")
            .arg("--strict")
            .arg(&broken),
    )
    .context("kubernetes-validate accepted a broken manifest")?;

    let kustomization = tools.yaml_documents(&dir.join("kustomization.yaml"))?;
    let listed: BTreeSet<String> = kustomization
        .first()
        .and_then(|k| k["resources"].as_array())
        .context("kustomization.yaml lists no resources")?
        .iter()
        .filter_map(|r| r.as_str().map(String::from))
        .collect();
    for resource in &listed {
        if !dir.join(resource).exists() {
            bail!("kustomization.yaml lists {resource}, which does not exist");
        }
    }
    for manifest in &manifests {
        let name = manifest
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let template = name.contains("template");
        if template == listed.contains(&name) {
            bail!(
                "{name}: every manifest but the secret template must be in kustomization.yaml, \
                 and the template must not"
            );
        }
    }
    let mut kinds = BTreeSet::new();
    for manifest in &manifests {
        for doc in tools.yaml_documents(manifest)? {
            let kind = doc["kind"].as_str().unwrap_or("").to_string();
            if kind == "Deployment" {
                check_pod_rules(&doc).with_context(|| format!("{}", manifest.display()))?;
            }
            kinds.insert(kind);
        }
    }
    for kind in [
        "Deployment",
        "Service",
        "ConfigMap",
        "Secret",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
    ] {
        if !kinds.contains(kind) {
            bail!("no {kind} among the Kubernetes manifests");
        }
    }
    Ok(format!(
        "{} manifests valid against the Kubernetes 1.37 schemas; kustomization and pod rules hold",
        manifests.len()
    ))
}

/// Probes on /health and /ready, preStop, a grace period long enough to save, resources,
/// non-root, a read-only root filesystem with every mount writable through a volume.
pub fn check_pod_rules(deployment: &Value) -> Result<()> {
    let name = deployment["metadata"]["name"].as_str().unwrap_or("?");
    let pod = &deployment["spec"]["template"]["spec"];
    let grace = pod["terminationGracePeriodSeconds"].as_u64().unwrap_or(30);
    if grace < MIN_GRACE_SECONDS {
        bail!(
            "{name}: terminationGracePeriodSeconds {grace} < {MIN_GRACE_SECONDS}: not enough to save players"
        );
    }
    if pod["securityContext"]["runAsNonRoot"] != Value::Bool(true) {
        bail!("{name}: the pod must set runAsNonRoot");
    }
    let containers = pod["containers"].as_array().context("no containers")?;
    let volumes: BTreeSet<&str> = pod["volumes"]
        .as_array()
        .map(|v| v.iter().filter_map(|v| v["name"].as_str()).collect())
        .unwrap_or_default();
    for c in containers {
        let cname = c["name"].as_str().unwrap_or("?");
        if c["livenessProbe"]["httpGet"]["path"].as_str() != Some("/health") {
            bail!("{name}/{cname}: livenessProbe must GET /health");
        }
        if c["readinessProbe"]["httpGet"]["path"].as_str() != Some("/ready") {
            bail!("{name}/{cname}: readinessProbe must GET /ready");
        }
        if c["lifecycle"]["preStop"].is_null() {
            bail!("{name}/{cname}: needs a preStop hook");
        }
        for kind in ["requests", "limits"] {
            if c["resources"][kind]["memory"].is_null() || c["resources"][kind]["cpu"].is_null() {
                bail!("{name}/{cname}: resources.{kind} needs cpu and memory");
            }
        }
        let security = &c["securityContext"];
        if security["readOnlyRootFilesystem"] != Value::Bool(true)
            || security["allowPrivilegeEscalation"] != Value::Bool(false)
        {
            bail!("{name}/{cname}: needs readOnlyRootFilesystem and no privilege escalation");
        }
        let mounts = c["volumeMounts"].as_array().context("no volumeMounts")?;
        let paths: BTreeSet<&str> = mounts
            .iter()
            .filter_map(|m| m["mountPath"].as_str())
            .collect();
        for needed in ["/app/data", "/tmp"] {
            if !paths.contains(needed) {
                bail!("{name}/{cname}: {needed} must be a writable volume (root FS is read-only)");
            }
        }
        for m in mounts {
            let vol = m["name"].as_str().unwrap_or("");
            if !volumes.contains(vol) {
                bail!("{name}/{cname}: mount of undeclared volume {vol}");
            }
        }
    }
    Ok(())
}

/// `ansible-playbook --syntax-check` and `ansible-lint` (production profile).
pub fn ansible(tools: &Tools) -> Result<String> {
    let dir = cmd::root().join("ops/deployment/ansible");
    let home = tools.scratch.join("ansible-home");
    std::fs::create_dir_all(&home)?;
    let with_env = |command: &mut Command| {
        command
            .current_dir(&dir)
            .env("ANSIBLE_LOCAL_TEMP", home.join("tmp"))
            .env("ANSIBLE_HOME", &home)
            .env("ANSIBLE_NOCOLOR", "1");
    };
    let mut syntax = tools.venv("ansible-playbook");
    with_env(&mut syntax);
    syntax.args(["--syntax-check", "-i", "inventory.example.yml", "site.yml"]);
    capture(&mut syntax)?;
    let mut lint = tools.venv("ansible-lint");
    with_env(&mut lint);
    lint.args(["--profile", "production", "--offline", "site.yml"]);
    let out = capture(&mut lint)?;
    Ok(format!(
        "syntax ok; ansible-lint production profile: {}",
        out.lines().last().unwrap_or("passed").trim()
    ))
}

/// Terraform: `terraform fmt -check` when a terraform binary happens to be installed (none
/// comes from the registries this project may use, and `validate` needs providers from
/// the Terraform registry, which CI cannot reach). Always: every .tf parses as HCL2
/// (python-hcl2), every `var.x` is declared with a type and description, every output has
/// a description, and the module call passes only declared variables and every required one.
pub fn terraform(tools: &Tools) -> Result<String> {
    let dir = cmd::root().join("ops/deployment/terraform");
    let mut notes = Vec::new();
    if cmd::have("terraform") {
        capture(
            Command::new("terraform")
                .args(["fmt", "-check", "-recursive", "-diff"])
                .current_dir(&dir),
        )?;
        notes.push("terraform fmt clean");
    } else {
        notes.push("no terraform binary: fmt skipped");
    }
    let files = files_under(&dir, &|n| n.ends_with(".tf"))?;
    let mut modules = Vec::new();
    let mut dirs: BTreeSet<&Path> = BTreeSet::new();
    for f in &files {
        if let Some(parent) = f.parent() {
            dirs.insert(parent);
        }
    }
    for module_dir in &dirs {
        modules.push(parse_module(tools, module_dir)?);
    }
    // Module calls: arguments against the called module's variables.
    for module in &modules {
        for (call, source, args) in &module.calls {
            let target = module.dir.join(source);
            let called = modules
                .iter()
                .find(|m| same_dir(&m.dir, &target))
                .with_context(|| format!("module {call}: source {source} not found"))?;
            for arg in args {
                if !called.variables.iter().any(|v| &v.0 == arg) {
                    bail!("module {call} passes {arg}, which {source} does not declare");
                }
            }
            for (var, required) in &called.variables {
                if *required && !args.contains(var) {
                    bail!("module {call} does not pass the required variable {var}");
                }
            }
        }
    }
    Ok(format!(
        "{} .tf files in {} modules parse as HCL2, references consistent; {}",
        files.len(),
        modules.len(),
        notes.join(", ")
    ))
}

struct TfModule {
    dir: std::path::PathBuf,
    /// (name, required = no default)
    variables: Vec<(String, bool)>,
    /// (call name, source, argument names)
    calls: Vec<(String, String, Vec<String>)>,
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn unquote(s: &str) -> String {
    s.trim_matches('"').to_string()
}

fn parse_module(tools: &Tools, dir: &Path) -> Result<TfModule> {
    let mut module = TfModule {
        dir: dir.to_path_buf(),
        variables: Vec::new(),
        calls: Vec::new(),
    };
    let mut all_text = String::new();
    for file in files_in(dir, |n| n.ends_with(".tf"))? {
        let json = capture(tools.venv("hcl2tojson").arg(&file))
            .with_context(|| format!("{} is not valid HCL2", file.display()))?;
        let parsed: Value = serde_json::from_str(&json)?;
        all_text.push_str(&json);
        for block in parsed["variable"].as_array().into_iter().flatten() {
            for (name, body) in block.as_object().into_iter().flatten() {
                let name = unquote(name);
                if body["description"].is_null() || body["type"].is_null() {
                    bail!(
                        "{}: variable {name} needs a type and a description",
                        file.display()
                    );
                }
                module.variables.push((name, body.get("default").is_none()));
            }
        }
        for block in parsed["output"].as_array().into_iter().flatten() {
            for (name, body) in block.as_object().into_iter().flatten() {
                if body["description"].is_null() {
                    bail!(
                        "{}: output {} needs a description",
                        file.display(),
                        unquote(name)
                    );
                }
            }
        }
        for block in parsed["module"].as_array().into_iter().flatten() {
            for (name, body) in block.as_object().into_iter().flatten() {
                let source = body["source"].as_str().map(unquote).unwrap_or_default();
                let args = body
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, _)| k.clone())
                    .filter(|k| {
                        ![
                            "source",
                            "version",
                            "providers",
                            "count",
                            "for_each",
                            "depends_on",
                            "__is_block__",
                        ]
                        .contains(&k.as_str())
                    })
                    .collect();
                module.calls.push((unquote(name), source, args));
            }
        }
    }
    // Every var.x used must be declared here.
    for (start, _) in all_text.match_indices("var.") {
        if all_text[..start].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let name: String = all_text[start + 4..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !module.variables.iter().any(|(v, _)| *v == name) {
            bail!("{}: var.{name} is used but not declared", dir.display());
        }
    }
    Ok(module)
}
