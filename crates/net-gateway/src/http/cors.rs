//! CORS from `[cors]`: which origins may call the API from a browser.

use hyper::header::{HeaderMap, HeaderValue};

/// The `[cors]` section, pre-rendered for headers.
#[derive(Debug, Clone)]
pub struct Cors {
    origins: Vec<String>,
    any: bool,
    methods: String,
    headers: String,
}

impl Cors {
    /// From the configured lists; `"*"` among the origins allows any origin.
    pub fn new(origins: &[String], methods: &[String], headers: &[String]) -> Self {
        Self {
            any: origins.iter().any(|o| o == "*"),
            origins: origins
                .iter()
                .map(|o| o.trim_end_matches('/').to_owned())
                .collect(),
            methods: methods.join(", "),
            headers: headers.join(", "),
        }
    }

    /// Whether a request from `origin` may read the answer.
    pub fn allows(&self, origin: &str) -> bool {
        self.any || self.origins.iter().any(|o| o == origin)
    }

    /// Adds the headers an allowed origin needs to an answer (nothing for others).
    pub fn apply(&self, origin: Option<&HeaderValue>, preflight: bool, out: &mut HeaderMap) {
        let Some(origin) = origin.and_then(|o| o.to_str().ok()) else {
            return;
        };
        if !self.allows(origin) {
            return;
        }
        let value = if self.any { "*" } else { origin };
        if let Ok(v) = HeaderValue::from_str(value) {
            out.insert("access-control-allow-origin", v);
        }
        out.append("vary", HeaderValue::from_static("Origin"));
        if preflight {
            if let Ok(v) = HeaderValue::from_str(&self.methods) {
                out.insert("access-control-allow-methods", v);
            }
            if let Ok(v) = HeaderValue::from_str(&self.headers) {
                out.insert("access-control-allow-headers", v);
            }
            out.insert("access-control-max-age", HeaderValue::from_static("600"));
        }
    }
}
