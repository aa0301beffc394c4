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
//! - `replica`: [`FrameCapture`] / [`TickFrame`] (the world once per tick, with what
//!   changed since the previous tick), [`ClientReplica`] (what one client is sent) and
//!   [`ClientView`] (the client-side state that applies it).
//! - `error`: [`DecodeError`], [`EncodeError`].
//!
//! # Use on the server
//! ```no_run
//! # use protocol::*;
//! # fn demo(world: &mut sim_core::World, capture: &mut FrameCapture, clients: &mut [ClientReplica], frame_in: &[u8]) -> Result<(), DecodeError> {
//! // A frame from a connection (max_message_size from server.toml):
//! match decode::<ClientMessage>(frame_in, &DecodeLimits::client(8192))? {
//!     ClientMessage::Input(input) => {
//!         clients[0].ack(input.ack_tick);
//!         let _for_the_tick = input.to_player_input();
//!     }
//!     _ => {}
//! }
//! // After each tick: capture once (one FrameCapture per world, so each frame knows
//! // what changed since the previous one), then every connection's messages.
//! let output = world.step(&[]);
//! let frame = capture.capture(world, &output);
//! let opts = EncodeOptions { compression: Compression::level(6), ..EncodeOptions::default() };
//! let mut msgs = Vec::new();
//! for replica in clients.iter_mut() {
//!     msgs.clear();
//!     replica.update(&frame, world, &mut msgs);
//!     for m in &msgs {
//!         let _bytes = encode(m, &opts);
//!     }
//! }
//! # Ok(()) }
//! ```

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
pub use msg::entity::{Delta, EntityChange, EntityState, PackedDelta, PlayerInfo, Snapshot};
pub use msg::events::{Events, GameEvent, RejectCode};
pub use msg::private::{ChestView, Crafting, PrivateState};
pub use msg::server::ServerMessage;
pub use msg::world::{
    ContentTables, HandshakeAck, ItemInfo, LeaderEntry, Leaderboard, RecipeInfo, RecipeInput,
    WorldInfo, WorldMap,
};
pub use replica::client::{ClientReplica, ReplicationConfig, UpdateStats};
pub use replica::frame::{EVENT_HISTORY, FrameCapture, FramesAlive, TickFrame, frames_alive};
pub use replica::view::{ApplyError, ClientView};
pub use version::{CURRENT_VERSION, NoCommonVersion, PROTOCOL_VERSIONS, negotiate};
