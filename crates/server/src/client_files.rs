//! The browser client: read from `client/` on disk by development builds (edit and
//! reload), compiled into release builds so the binary needs no files beside it.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use net_gateway::StaticFiles;

/// The client directory embedded at compile time (release builds).
#[derive(rust_embed::RustEmbed)]
#[folder = "$CARGO_MANIFEST_DIR/../../client/"]
#[exclude = "node_modules/*"]
#[exclude = "test/*"]
#[exclude = "tests/*"]
#[exclude = "*.ts"]
#[exclude = "package*.json"]
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
