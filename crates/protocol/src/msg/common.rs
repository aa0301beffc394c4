//! Messages both directions share: ping/pong, disconnect; and the server's error.

use serde::{Deserialize, Serialize};

use crate::codec::reader::Reader;
use crate::codec::writer::Writer;
use crate::codec::{Body, Validate, check_len};
use crate::limits::MAX_TEXT_BYTES;
use crate::{DecodeError, EncodeError};

/// A ping or pong: the pong echoes the ping's nonce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ping {
    /// Chosen by the pinging side.
    pub nonce: u32,
}

impl Body for Ping {
    fn put(&self, w: &mut Writer<'_>) {
        w.var(u64::from(self.nonce));
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            nonce: r.var_u32("ping.nonce")?,
        })
    }
}

macro_rules! wire_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $val:literal,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vm])* $variant,)*
        }

        impl $name {
            /// The byte on the wire.
            pub fn to_u8(self) -> u8 {
                match self {
                    $($name::$variant => $val,)*
                }
            }

            /// The value for a wire byte, if known.
            pub fn from_u8(v: u8) -> Option<Self> {
                match v {
                    $($val => Some($name::$variant),)*
                    _ => None,
                }
            }

            pub(crate) fn get(r: &mut Reader<'_>, field: &'static str) -> Result<Self, DecodeError> {
                let v = r.u8(field)?;
                Self::from_u8(v).ok_or(DecodeError::InvalidValue { field, value: u64::from(v) })
            }
        }
    };
}
pub(crate) use wire_enum;

wire_enum! {
    /// Why a connection ends.
    DisconnectReason {
        /// The player quit.
        ClientQuit = 0,
        /// The server is shutting down.
        ServerShutdown = 1,
        /// An operator removed the player.
        Kicked = 2,
        /// The account is banned.
        Banned = 3,
        /// No traffic or no pong in time.
        Timeout = 4,
        /// Too many messages.
        RateLimited = 5,
        /// Malformed or forbidden messages.
        ProtocolViolation = 6,
        /// The account connected again elsewhere.
        Replaced = 7,
        /// Credentials were refused.
        AuthFailed = 8,
        /// The world is full.
        WorldFull = 9,
    }
}

wire_enum! {
    /// Machine-readable error codes; stable across versions.
    ErrorCode {
        /// A frame could not be decoded.
        BadMessage = 1,
        /// No common protocol version; the text names the supported ones.
        UnsupportedVersion = 2,
        /// Token missing, invalid, expired or revoked.
        AuthFailed = 3,
        /// The world has no room; the text names other worlds.
        WorldFull = 4,
        /// Too many messages (input or chat).
        RateLimited = 5,
        /// A frame exceeded the size limit.
        MessageTooLarge = 6,
        /// A message that is not allowed now (e.g. input before the handshake).
        NotAllowed = 7,
        /// The resume token is unknown or expired.
        ResumeFailed = 8,
        /// No handshake arrived in time.
        HandshakeTimeout = 9,
        /// The account is banned.
        Banned = 10,
        /// Something failed on the server.
        Internal = 11,
    }
}

wire_enum! {
    /// How bad an error is.
    Severity {
        /// For information; nothing was lost.
        Info = 0,
        /// The message was dropped; the connection stays.
        Warning = 1,
        /// The connection will be closed.
        Fatal = 2,
    }
}

/// The sender is closing the connection, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disconnect {
    /// Why.
    pub reason: DisconnectReason,
    /// Human-readable detail.
    pub message: String,
}

impl Validate for Disconnect {
    fn validate(&self) -> Result<(), EncodeError> {
        check_len("disconnect.message", self.message.len(), MAX_TEXT_BYTES)
    }
}

impl Body for Disconnect {
    fn put(&self, w: &mut Writer<'_>) {
        w.u8(self.reason.to_u8());
        w.str(&self.message);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            reason: DisconnectReason::get(r, "disconnect.reason")?,
            message: r.str("disconnect.message", MAX_TEXT_BYTES)?,
        })
    }
}

/// An error the server reports to the client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorMsg {
    /// What went wrong, for code.
    pub code: ErrorCode,
    /// What follows from it.
    pub severity: Severity,
    /// What went wrong, for people.
    pub message: String,
}

impl Validate for ErrorMsg {
    fn validate(&self) -> Result<(), EncodeError> {
        check_len("error.message", self.message.len(), MAX_TEXT_BYTES)
    }
}

impl Body for ErrorMsg {
    fn put(&self, w: &mut Writer<'_>) {
        w.u8(self.code.to_u8());
        w.u8(self.severity.to_u8());
        w.str(&self.message);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            code: ErrorCode::get(r, "error.code")?,
            severity: Severity::get(r, "error.severity")?,
            message: r.str("error.message", MAX_TEXT_BYTES)?,
        })
    }
}
