//! Protocol versions and their negotiation.

use crate::msg::common::{ErrorCode, ErrorMsg, Severity};

/// Every protocol version this build speaks, oldest first.
pub const PROTOCOL_VERSIONS: &[u16] = &[1];
/// The version this build writes by default.
pub const CURRENT_VERSION: u16 = 1;

/// No version in common: carries the error message the server should send.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no common protocol version: client offers {offered:?}, server supports {supported:?}")]
pub struct NoCommonVersion {
    /// What the client listed.
    pub offered: Vec<u16>,
    /// What we support.
    pub supported: &'static [u16],
}

impl NoCommonVersion {
    /// The fatal error message naming the supported versions.
    pub fn to_error_msg(&self) -> ErrorMsg {
        ErrorMsg {
            code: ErrorCode::UnsupportedVersion,
            severity: Severity::Fatal,
            message: format!(
                "unsupported protocol version(s) {:?}; this server supports {:?}",
                self.offered, self.supported
            ),
        }
    }
}

/// The highest version both sides speak.
pub fn negotiate(offered: &[u16], supported: &'static [u16]) -> Result<u16, NoCommonVersion> {
    offered
        .iter()
        .copied()
        .filter(|v| supported.contains(v))
        .max()
        .ok_or_else(|| NoCommonVersion {
            offered: offered.to_vec(),
            supported,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_highest_common_version_or_names_ours() {
        assert_eq!(negotiate(&[3, 1, 2], &[1, 2]), Ok(2));
        let err = negotiate(&[7, 9], &[1, 2]).unwrap_err();
        assert!(err.to_error_msg().message.contains("[1, 2]"));
        assert!(negotiate(&[], PROTOCOL_VERSIONS).is_err());
    }
}
