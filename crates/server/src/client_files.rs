//! The browser client: read from `client/` on disk by development builds (edit and
//! reload), compiled into release builds so the binary needs no files beside it.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use net_gateway::StaticFiles;

/// The client directory embedded at compile time (release builds): only what the page
/// loads (`index.html`, the stylesheet, the modules under `src/`, any `assets/`), never
/// the client's tests, browser harness, npm files or editor config.
#[derive(rust_embed::RustEmbed)]
#[folder = "$CARGO_MANIFEST_DIR/../../client/"]
#[include = "index.html"]
#[include = "*.css"]
#[include = "src/**"]
#[include = "assets/**"]
#[exclude = "e2e/**"]
#[exclude = "node_modules/**"]
#[exclude = "test*"]
#[exclude = "**/*.test.js"]
#[exclude = "jsconfig.json"]
#[exclude = "package*.json"]
#[exclude = "*.ts"]
#[allow_missing = true]
struct Embedded;

/// Where the client is served from: the embedded copy in release builds, `dir` on disk
/// otherwise.
pub fn source(dir: &Path) -> StaticFiles {
    if cfg!(debug_assertions) {
        StaticFiles::Disk(dir.to_owned())
    } else {
        StaticFiles::Embedded(Arc::new(|path: &str| -> Option<Cow<'static, [u8]>> {
            Embedded::get(path).map(|f| f.data)
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_client_is_only_what_the_page_loads() {
        let files: Vec<String> = Embedded::iter().map(|f| f.into_owned()).collect();
        for needed in ["index.html", "style.css", "src/main.js"] {
            assert!(
                files.iter().any(|f| f == needed),
                "{needed} missing: {files:?}"
            );
        }
        for f in &files {
            let dev_only = f.starts_with("e2e/")
                || f.starts_with("node_modules/")
                || f.starts_with("test")
                || f.ends_with(".test.js")
                || f == "jsconfig.json"
                || (f.starts_with("package") && f.ends_with(".json"));
            assert!(!dev_only, "{f} is not part of the page but is embedded");
        }
    }
}
