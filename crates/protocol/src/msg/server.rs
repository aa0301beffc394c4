//! Messages from the server to the browser.

use serde::{Deserialize, Serialize};

use crate::codec::reader::Reader;
use crate::codec::writer::Writer;
use crate::codec::{Body, Validate};
use crate::limits::{MAX_SERVER_MESSAGE_BYTES, MAX_SNAPSHOT_BYTES};
use crate::msg::common::{Disconnect, ErrorMsg, Ping};
use crate::msg::entity::{Delta, PackedDelta, PlayerInfo, Snapshot};
use crate::msg::events::Events;
use crate::msg::private::PrivateState;
use crate::msg::world::{ContentTables, HandshakeAck, Leaderboard, WorldMap};
use crate::{DecodeError, EncodeError};

/// Everything the server may send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// Type 0x81: the handshake succeeded.
    HandshakeAck(HandshakeAck),
    /// Type 0x82: item and recipe tables.
    Content(ContentTables),
    /// Type 0x83: the biome map.
    WorldMap(WorldMap),
    /// Type 0x84: a full view.
    Snapshot(Snapshot),
    /// Type 0x85: a view relative to an acknowledged one.
    Delta(Delta),
    /// Type 0x85 too: a delta already in its binary form (see [`PackedDelta`]); its JSON
    /// is the delta's. Decoding gives [`ServerMessage::Delta`].
    #[serde(rename = "delta", skip_deserializing)]
    PackedDelta(PackedDelta),
    /// Type 0x86: the owner's private state, when it changed.
    Private(PrivateState),
    /// Type 0x87: the events since the previous events message.
    Events(Events),
    /// Type 0x88: ask for a pong.
    Ping(Ping),
    /// Type 0x89: answer to a client ping.
    Pong(Ping),
    /// Type 0x8A: something went wrong.
    Error(ErrorMsg),
    /// Type 0x8B: the server closes the connection.
    Disconnect(Disconnect),
    /// Type 0x8C: the live leaderboard.
    Leaderboard(Leaderboard),
}

impl ServerMessage {
    /// The player infos a snapshot's entities or a delta's entries and changes carry,
    /// with the player's id (none for other messages, and none read from a
    /// [`PackedDelta`]: unpack it first).
    pub fn player_infos(&self) -> impl Iterator<Item = (u32, &PlayerInfo)> {
        let (entities, changed) = match self {
            ServerMessage::Snapshot(s) => (s.entities.as_slice(), &[][..]),
            ServerMessage::Delta(d) => (d.entered.as_slice(), d.changed.as_slice()),
            _ => (&[][..], &[][..]),
        };
        let entered = entities
            .iter()
            .filter_map(|e| Some((e.id, e.player.as_ref()?)));
        let changed = changed
            .iter()
            .filter_map(|c| Some((c.id, c.player.as_ref()?)));
        entered.chain(changed)
    }

    /// The message type byte in the frame header.
    pub fn type_id(&self) -> u8 {
        match self {
            ServerMessage::HandshakeAck(_) => 0x81,
            ServerMessage::Content(_) => 0x82,
            ServerMessage::WorldMap(_) => 0x83,
            ServerMessage::Snapshot(_) => 0x84,
            ServerMessage::Delta(_) | ServerMessage::PackedDelta(_) => 0x85,
            ServerMessage::Private(_) => 0x86,
            ServerMessage::Events(_) => 0x87,
            ServerMessage::Ping(_) => 0x88,
            ServerMessage::Pong(_) => 0x89,
            ServerMessage::Error(_) => 0x8a,
            ServerMessage::Disconnect(_) => 0x8b,
            ServerMessage::Leaderboard(_) => 0x8c,
        }
    }

    /// A short name for logs and metrics labels.
    pub fn name(&self) -> &'static str {
        match self {
            ServerMessage::HandshakeAck(_) => "handshake_ack",
            ServerMessage::Content(_) => "content",
            ServerMessage::WorldMap(_) => "world_map",
            ServerMessage::Snapshot(_) => "snapshot",
            ServerMessage::Delta(_) | ServerMessage::PackedDelta(_) => "delta",
            ServerMessage::Private(_) => "private",
            ServerMessage::Events(_) => "events",
            ServerMessage::Ping(_) => "ping",
            ServerMessage::Pong(_) => "pong",
            ServerMessage::Error(_) => "error",
            ServerMessage::Disconnect(_) => "disconnect",
            ServerMessage::Leaderboard(_) => "leaderboard",
        }
    }

    /// The largest payload (before compression) a message of this type may have.
    pub fn max_payload(type_id: u8) -> usize {
        match type_id {
            0x84 | 0x85 => MAX_SNAPSHOT_BYTES,
            _ => MAX_SERVER_MESSAGE_BYTES,
        }
    }

    pub(crate) fn put_body(&self, w: &mut Writer<'_>) {
        match self {
            ServerMessage::HandshakeAck(m) => m.put(w),
            ServerMessage::Content(m) => m.put(w),
            ServerMessage::WorldMap(m) => m.put(w),
            ServerMessage::Snapshot(m) => m.put(w),
            ServerMessage::Delta(m) => m.put(w),
            ServerMessage::PackedDelta(m) => m.put(w),
            ServerMessage::Private(m) => m.put(w),
            ServerMessage::Events(m) => m.put(w),
            ServerMessage::Ping(m) | ServerMessage::Pong(m) => m.put(w),
            ServerMessage::Error(m) => m.put(w),
            ServerMessage::Disconnect(m) => m.put(w),
            ServerMessage::Leaderboard(m) => m.put(w),
        }
    }

    pub(crate) fn get_body(type_id: u8, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(match type_id {
            0x81 => ServerMessage::HandshakeAck(HandshakeAck::get(r)?),
            0x82 => ServerMessage::Content(ContentTables::get(r)?),
            0x83 => ServerMessage::WorldMap(WorldMap::get(r)?),
            0x84 => ServerMessage::Snapshot(Snapshot::get(r)?),
            0x85 => ServerMessage::Delta(Delta::get(r)?),
            0x86 => ServerMessage::Private(PrivateState::get(r)?),
            0x87 => ServerMessage::Events(Events::get(r)?),
            0x88 => ServerMessage::Ping(Ping::get(r)?),
            0x89 => ServerMessage::Pong(Ping::get(r)?),
            0x8a => ServerMessage::Error(ErrorMsg::get(r)?),
            0x8b => ServerMessage::Disconnect(Disconnect::get(r)?),
            0x8c => ServerMessage::Leaderboard(Leaderboard::get(r)?),
            other => return Err(DecodeError::UnknownType(other)),
        })
    }
}

impl Validate for ServerMessage {
    fn validate(&self) -> Result<(), EncodeError> {
        match self {
            ServerMessage::HandshakeAck(m) => m.validate(),
            ServerMessage::Content(m) => m.validate(),
            ServerMessage::WorldMap(m) => m.validate(),
            ServerMessage::Snapshot(m) => m.validate(),
            ServerMessage::Delta(m) => m.validate(),
            ServerMessage::PackedDelta(m) => m.validate(),
            ServerMessage::Private(m) => m.validate(),
            ServerMessage::Events(m) => m.validate(),
            ServerMessage::Ping(_) | ServerMessage::Pong(_) => Ok(()),
            ServerMessage::Error(m) => m.validate(),
            ServerMessage::Disconnect(m) => m.validate(),
            ServerMessage::Leaderboard(m) => m.validate(),
        }
    }
}
