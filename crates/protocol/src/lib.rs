//! Kindling's wire protocol: every message between browser and server, their binary
//! codec and JSON form, version negotiation, limits, and per-client replication (area
//! of interest + deltas against the acknowledged baseline).
//!
//! The byte layout is specified in `crates/protocol/PROTOCOL.md`, and golden vectors in
//! `tests/vectors/` pin it; the browser's codec is tested against the same files.
//!
//! # Layout
//! - `msg`: the messages — [`ClientMessage`], [`ServerMessage`] and their parts, each
//!   next to its payload codec and limit checks.
//! - `codec`: the frame header ([`encode`], [`decode`]), varints and strings.
//! - [`json`]: the same messages as JSON text frames.
//! - [`limits`]: named limits ([`limits::MAX_CLIENT_MESSAGE_BYTES`], ...).
//! - `version`: [`PROTOCOL_VERSIONS`] and [`negotiate`].
//! - [`quant`]: floats to wire integers and back.
//! - `replica`: [`ClientReplica`] (what one client is sent) and [`ClientView`] (the
//!   client-side state that applies it).
//! - `error`: [`DecodeError`], [`EncodeError`].

mod codec;
mod error;
pub mod json;
pub mod limits;
mod msg;
pub mod quant;
mod replica;
mod version;

pub use codec::Validate;
pub use codec::frame::{
    Compression, EncodeOptions, FLAG_DEFLATE, FrameHeader, HEADER_LEN, MAGIC, WireMessage, decode,
    decode_with_header, encode, encode_into, peek_header,
};
pub use error::{DecodeError, EncodeError};
pub use json::{from_json, to_json};
pub use limits::DecodeLimits;
pub use msg::client::{Auth, ClientMessage, Handshake, Input};
pub use msg::common::{Disconnect, DisconnectReason, ErrorCode, ErrorMsg, Ping, Severity};
pub use msg::entity::{Delta, EntityChange, EntityState, PlayerInfo, Snapshot};
pub use msg::events::{Events, GameEvent, RejectCode};
pub use msg::private::{Crafting, PrivateState};
pub use msg::server::ServerMessage;
pub use msg::world::{
    ContentTables, HandshakeAck, ItemInfo, LeaderEntry, Leaderboard, RecipeInfo, RecipeInput,
    WorldInfo, WorldMap,
};
pub use replica::client::{ClientReplica, ReplicationConfig, UpdateStats};
pub use replica::frame::TickFrame;
pub use replica::view::{ApplyError, ClientView};
pub use version::{CURRENT_VERSION, NoCommonVersion, PROTOCOL_VERSIONS, negotiate};
