//! `cargo xtask docker [--push] [--tag T] [--image NAME] [--variant V]`: builds the server
//! images from `ops/docker/` (and pushes them with `--push`).
//!
//! Without a running Docker engine it stops before building, saying so and how to fix it.

use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::cmd;

/// The image variants: (name, Dockerfile, tag suffix).
const VARIANTS: &[(&str, &str, &str)] = &[
    ("default", "ops/docker/Dockerfile", ""),
    ("prod", "ops/docker/Dockerfile.prod", "-prod"),
    ("dev", "ops/docker/Dockerfile.dev", "-dev"),
];

const USAGE: &str =
    "usage: cargo xtask docker [--push] [--tag TAG] [--image NAME] [--variant default|prod|dev|all]

  --tag      image tag (default: the git commit, short; also tagged `latest` unless --tag is given)
  --image    image name, with the registry when pushing (default: kindling-server)
  --variant  which Dockerfile: default (ops/docker/Dockerfile), prod, dev, or all (default: default)
  --push     push the built tags (log in with `docker login` first)";

/// What to build.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    /// Push after building.
    pub push: bool,
    /// Explicit tag, if given.
    pub tag: Option<String>,
    /// Image repository name.
    pub image: String,
    /// Selected variants (names from `VARIANTS`).
    pub variants: Vec<&'static str>,
}

/// Parses the arguments after `docker`.
pub fn parse(args: &[String]) -> Result<Option<Options>> {
    let mut options = Options {
        push: false,
        tag: None,
        image: "kindling-server".into(),
        variants: vec!["default"],
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .cloned()
                .with_context(|| format!("{flag} needs a value\n\n{USAGE}"))
        };
        match arg.as_str() {
            "--push" => options.push = true,
            "--tag" => {
                let tag = value("--tag")?;
                if !valid_tag(&tag) {
                    bail!(
                        "invalid tag {tag:?}: letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-'"
                    );
                }
                options.tag = Some(tag);
            }
            "--image" => {
                let image = value("--image")?;
                if image.is_empty()
                    || image.contains(char::is_whitespace)
                    || image.contains(':') && !image.contains('/')
                {
                    bail!("invalid image name {image:?} (give the tag with --tag)");
                }
                options.image = image;
            }
            "--variant" => {
                let v = value("--variant")?;
                options.variants = match v.as_str() {
                    "all" => VARIANTS.iter().map(|(n, _, _)| *n).collect(),
                    other => match VARIANTS.iter().find(|(n, _, _)| *n == other) {
                        Some((n, _, _)) => vec![*n],
                        None => bail!("unknown variant {other:?}\n\n{USAGE}"),
                    },
                };
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(None);
            }
            other => bail!("unknown argument {other:?}\n\n{USAGE}"),
        }
    }
    Ok(Some(options))
}

fn valid_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= 128
        && !tag.starts_with(['.', '-'])
        && tag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// Fails with a clear message unless `docker` is installed and its engine answers.
pub fn engine_available(docker: &str) -> Result<()> {
    let out = Command::new(docker)
        .args(["info", "--format", "{{.ServerVersion}}"])
        .stdin(Stdio::null())
        .output();
    let out = match out {
        Ok(out) => out,
        Err(_) => bail!(
            "`{docker}` is not installed: install Docker (the engine and the client) to build images"
        ),
    };
    if !out.status.success() {
        let reason = String::from_utf8_lossy(&out.stderr);
        let reason = reason
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no answer")
            .trim();
        bail!(
            "no Docker engine is running (docker info: {reason}).\n\
             Start the Docker daemon (e.g. `sudo systemctl start docker`) or point DOCKER_HOST \
             at one, then run `cargo xtask docker` again. The Dockerfiles are still checked \
             without an engine by `cargo xtask test ops`."
        );
    }
    Ok(())
}

/// Builds (and pushes) the selected images.
pub fn run(args: &[String]) -> Result<()> {
    let Some(options) = parse(args)? else {
        return Ok(());
    };
    engine_available("docker")?;
    let tags: Vec<String> = match &options.tag {
        Some(tag) => vec![tag.clone()],
        None => {
            let commit = cmd::output("git", &["rev-parse", "--short=12", "HEAD"])
                .map(|s| s.trim().to_string())
                .unwrap_or_else(|_| "dev".into());
            vec![commit, "latest".into()]
        }
    };
    for variant in &options.variants {
        let Some((_, dockerfile, suffix)) = VARIANTS.iter().find(|(n, _, _)| n == variant) else {
            continue;
        };
        let refs: Vec<String> = tags
            .iter()
            .map(|t| format!("{}:{t}{suffix}", options.image))
            .collect();
        let mut build = vec!["build", "-f", dockerfile];
        for r in &refs {
            build.extend(["-t", r.as_str()]);
        }
        build.push(".");
        cmd::run("docker", &build)?;
        if options.push {
            for r in &refs {
                cmd::run("docker", &["push", r])?;
            }
        }
        eprintln!("built {}", refs.join(", "));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn defaults() {
        let o = parse(&[]).unwrap().unwrap();
        assert_eq!(o.image, "kindling-server");
        assert!(!o.push);
        assert_eq!(o.variants, vec!["default"]);
    }

    #[test]
    fn flags() {
        let o = parse(&args(&[
            "--push",
            "--tag",
            "v1.2.3",
            "--variant",
            "all",
            "--image",
            "ghcr.io/x/kindling",
        ]))
        .unwrap()
        .unwrap();
        assert!(o.push);
        assert_eq!(o.tag.as_deref(), Some("v1.2.3"));
        assert_eq!(o.variants, vec!["default", "prod", "dev"]);
        assert_eq!(o.image, "ghcr.io/x/kindling");
    }

    #[test]
    fn bad_input_is_a_clear_error() {
        for bad in [
            vec!["--tag"],
            vec!["--tag", "-x"],
            vec!["--tag", "a b"],
            vec!["--variant", "huge"],
            vec!["--frobnicate"],
        ] {
            let err = parse(&args(&bad)).unwrap_err().to_string();
            assert!(!err.is_empty(), "{bad:?}");
        }
    }

    #[test]
    fn no_engine_is_reported_not_crashed() {
        // A docker client pointed at a socket nobody serves: exactly the situation of a
        // machine with the client but no engine.
        let dir = std::env::temp_dir().join(format!("xtask-docker-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let wrapper = dir.join("docker");
        std::fs::write(
            &wrapper,
            "#!/bin/sh\nDOCKER_HOST=unix:///nonexistent/docker.sock exec docker \"$@\"\n",
        )
        .unwrap();
        Command::new("chmod")
            .arg("+x")
            .arg(&wrapper)
            .status()
            .unwrap();
        let err = engine_available(wrapper.to_str().unwrap())
            .unwrap_err()
            .to_string();
        assert!(err.contains("no Docker engine is running"), "{err}");
        let missing = engine_available("/nonexistent/docker")
            .unwrap_err()
            .to_string();
        assert!(missing.contains("not installed"), "{missing}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
