//! The browser client: files under `client/`, from disk in development and embedded in
//! release builds, with content types and cache headers.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Looks up an embedded file by its path relative to the client directory.
pub type EmbeddedLookup = Arc<dyn Fn(&str) -> Option<Cow<'static, [u8]>> + Send + Sync>;

/// Where client files come from.
#[derive(Clone)]
pub enum StaticFiles {
    /// Read from this directory on every request (development: edit and reload).
    Disk(PathBuf),
    /// Compiled into the binary (release).
    Embedded(EmbeddedLookup),
    /// No client is served.
    None,
}

impl std::fmt::Debug for StaticFiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StaticFiles::Disk(p) => write!(f, "Disk({})", p.display()),
            StaticFiles::Embedded(_) => f.write_str("Embedded"),
            StaticFiles::None => f.write_str("None"),
        }
    }
}

/// A file ready to send.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// The bytes.
    pub body: Cow<'static, [u8]>,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// `Cache-Control`.
    pub cache_control: &'static str,
}

impl StaticFiles {
    /// The file for a URL path, `index.html` for `/` and directories. Paths with `..`,
    /// backslashes or NUL are refused, so nothing outside the client directory is read.
    pub async fn get(&self, url_path: &str) -> Option<StaticFile> {
        let rel = sanitize(url_path)?;
        let body: Cow<'static, [u8]> = match self {
            StaticFiles::None => return None,
            StaticFiles::Embedded(lookup) => lookup(&rel)?,
            StaticFiles::Disk(root) => {
                let path = root.join(&rel);
                let path = if tokio::fs::metadata(&path).await.ok()?.is_dir() {
                    path.join("index.html")
                } else {
                    path
                };
                Cow::Owned(tokio::fs::read(&path).await.ok()?)
            }
        };
        let content_type = content_type(Path::new(&rel));
        let cache_control = if content_type.starts_with("text/html") {
            // The page names the scripts, so it must be revalidated to pick up a new release.
            "no-cache"
        } else {
            "public, max-age=3600"
        };
        Some(StaticFile {
            body,
            content_type,
            cache_control,
        })
    }
}

/// `"/a/b.js"` → `"a/b.js"`; `"/"` → `"index.html"`; anything escaping → `None`.
fn sanitize(url_path: &str) -> Option<String> {
    let path = url_path.split(['?', '#']).next().unwrap_or("");
    let mut parts = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s if s.contains(['\\', '\0', '%']) || s.starts_with('.') => return None,
            s => parts.push(s),
        }
    }
    if parts.is_empty() || path.ends_with('/') {
        parts.push("index.html");
    }
    Some(parts.join("/"))
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "wasm" => "application/wasm",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_escape_the_client_directory() {
        assert_eq!(sanitize("/").as_deref(), Some("index.html"));
        assert_eq!(sanitize("/js/main.js?v=3").as_deref(), Some("js/main.js"));
        assert_eq!(sanitize("/js/").as_deref(), Some("js/index.html"));
        assert_eq!(sanitize("/../etc/passwd"), None);
        assert_eq!(sanitize("/a/%2e%2e/b"), None);
        assert_eq!(sanitize("/.env"), None);
        assert_eq!(sanitize("/a\\b"), None);
    }

    #[test]
    fn content_types_follow_extensions() {
        assert_eq!(
            content_type(Path::new("a.js")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("a.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("a.css")), "text/css; charset=utf-8");
        assert_eq!(content_type(Path::new("a.bin")), "application/octet-stream");
    }
}
