//! Named limits of the wire format. The decoder enforces each where it reads the field
//! and [`crate::Validate`] checks the same numbers before encoding, so a message this
//! crate encodes is always one it would accept.

/// Largest client → server frame by default (server.toml `[network] max_message_size`).
pub const MAX_CLIENT_MESSAGE_BYTES: usize = 8 * 1024;
/// Largest snapshot or delta payload before compression.
pub const MAX_SNAPSHOT_BYTES: usize = 32 * 1024;
/// Largest payload of any other server → client message before compression (the
/// content tables and the biome map are the big ones).
pub const MAX_SERVER_MESSAGE_BYTES: usize = 128 * 1024;
/// Protocol versions a handshake may list.
pub const MAX_VERSIONS: usize = 16;
/// Player display names, guest names and team names, in UTF-8 bytes.
pub const MAX_NAME_BYTES: usize = 32;
/// The client's self-description ("kindling-web/0.1.0").
pub const MAX_CLIENT_INFO_BYTES: usize = 64;
/// Auth tokens (JWT) and resume tokens.
pub const MAX_TOKEN_BYTES: usize = 2048;
/// Session ids.
pub const MAX_SESSION_ID_BYTES: usize = 64;
/// A chat line in UTF-8 bytes (200 characters of up to 4 bytes).
pub const MAX_CHAT_BYTES: usize = 800;
/// Human-readable text in error and disconnect messages.
pub const MAX_TEXT_BYTES: usize = 512;
/// Entities in one snapshot or in one list of a delta.
pub const MAX_SNAPSHOT_ENTITIES: usize = 1024;
/// Events in one events message.
pub const MAX_EVENTS: usize = 256;
/// Inventory slots in a private state.
pub const MAX_INVENTORY_SLOTS: usize = 64;
/// Item definitions in the content tables.
pub const MAX_ITEMS: usize = 1024;
/// Recipe definitions in the content tables.
pub const MAX_RECIPES: usize = 1024;
/// Inputs of one recipe.
pub const MAX_RECIPE_INPUTS: usize = 16;
/// Cells of the biome map.
pub const MAX_MAP_CELLS: usize = 65_536;
/// Rows of the live leaderboard.
pub const MAX_LEADERBOARD: usize = 32;

/// Limits the decoder applies to one direction; the only configurable one is the
/// frame size of client messages (`max_message_size`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeLimits {
    /// Largest frame accepted, header included, as received (compressed or not).
    pub max_frame_bytes: usize,
}

impl DecodeLimits {
    /// Limits for frames a server receives, with `max_message_size` from server.toml.
    pub const fn client(max_message_size: usize) -> Self {
        Self {
            max_frame_bytes: max_message_size,
        }
    }

    /// Limits for frames a client receives.
    pub const fn server() -> Self {
        Self {
            max_frame_bytes: MAX_SERVER_MESSAGE_BYTES,
        }
    }
}

impl Default for DecodeLimits {
    fn default() -> Self {
        Self::client(MAX_CLIENT_MESSAGE_BYTES)
    }
}
