//! Messages from the browser to the server.

use serde::{Deserialize, Serialize};
use sim_core::{BuildCommand, ChatChannel, ChatCommand, PlayerInput, TeamCommand};

use crate::codec::reader::Reader;
use crate::codec::writer::Writer;
use crate::codec::{Body, Validate, check_len, get_opt, put_opt};
use crate::limits::{
    MAX_CHAT_BYTES, MAX_CLIENT_INFO_BYTES, MAX_NAME_BYTES, MAX_TOKEN_BYTES, MAX_VERSIONS,
};
use crate::msg::common::{Disconnect, Ping};
use crate::quant::{aim_from_u16, move_from_i8};
use crate::{DecodeError, EncodeError};

/// Who the client is: a session token from `/api/v1/auth/*`, or a guest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Auth {
    /// Play without an account, optionally under a chosen name.
    Guest {
        /// Desired display name; the server may change it.
        name: Option<String>,
    },
    /// A bearer token (JWT) from login or guest registration.
    Token {
        /// The token text.
        token: String,
    },
}

/// The first message of a connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Handshake {
    /// Protocol versions the client speaks, any order.
    pub versions: Vec<u16>,
    /// Client software and version, e.g. `kindling-web/0.1.0`.
    pub client: String,
    /// Credentials.
    pub auth: Auth,
    /// Resume token from a previous `HandshakeAck`, to take over a player still in
    /// the world after a dropped connection.
    pub resume_token: Option<String>,
}

/// One tick of player input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    /// Increasing input sequence number (echoed as `last_input_seq`).
    pub seq: u32,
    /// The newest snapshot/delta tick the client has applied (0 = none yet).
    pub ack_tick: u64,
    /// Movement x in -127..=127 (127 = full right).
    pub move_x: i8,
    /// Movement y in -127..=127 (127 = full down).
    pub move_y: i8,
    /// Aim angle in 1/65536 turns (0 = +x, growing toward +y).
    pub aim: u16,
    /// Sprint while moving.
    pub sprint: bool,
    /// Primary action held (swing, fire).
    pub primary: bool,
    /// Secondary action (use the selected item).
    pub secondary: bool,
    /// Interact (pick up, open, toggle).
    pub interact: bool,
    /// Cancel the current craft.
    pub cancel_craft: bool,
    /// Select this slot.
    pub select_slot: Option<u8>,
    /// Start crafting this recipe index.
    pub craft: Option<u16>,
    /// Place a structure.
    pub build: Option<BuildCommand>,
    /// Drop this slot's stack.
    pub drop_slot: Option<u8>,
    /// Equip or unequip this slot's item.
    pub equip_slot: Option<u8>,
    /// Say something.
    pub chat: Option<ChatCommand>,
    /// Team action.
    pub team: Option<TeamCommand>,
}

impl Input {
    /// The simulation's input for this message.
    pub fn to_player_input(&self) -> PlayerInput {
        PlayerInput {
            seq: self.seq,
            move_x: move_from_i8(self.move_x),
            move_y: move_from_i8(self.move_y),
            sprint: self.sprint,
            aim: aim_from_u16(self.aim),
            primary: self.primary,
            secondary: self.secondary,
            interact: self.interact,
            select_slot: self.select_slot,
            craft: self.craft,
            cancel_craft: self.cancel_craft,
            build: self.build,
            drop_slot: self.drop_slot,
            equip_slot: self.equip_slot,
            chat: self.chat.clone(),
            team: self.team.clone(),
        }
    }
}

/// Everything a client may send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// Type 0x01: open the session.
    Handshake(Handshake),
    /// Type 0x02: one tick of input.
    Input(Input),
    /// Type 0x03: ask for a pong with the same nonce.
    Ping(Ping),
    /// Type 0x04: answer to a server ping.
    Pong(Ping),
    /// Type 0x05: the client is leaving.
    Disconnect(Disconnect),
}

impl ClientMessage {
    /// The message type byte in the frame header.
    pub fn type_id(&self) -> u8 {
        match self {
            ClientMessage::Handshake(_) => 0x01,
            ClientMessage::Input(_) => 0x02,
            ClientMessage::Ping(_) => 0x03,
            ClientMessage::Pong(_) => 0x04,
            ClientMessage::Disconnect(_) => 0x05,
        }
    }

    /// A short name for logs and metrics labels.
    pub fn name(&self) -> &'static str {
        match self {
            ClientMessage::Handshake(_) => "handshake",
            ClientMessage::Input(_) => "input",
            ClientMessage::Ping(_) => "ping",
            ClientMessage::Pong(_) => "pong",
            ClientMessage::Disconnect(_) => "disconnect",
        }
    }

    pub(crate) fn put_body(&self, w: &mut Writer<'_>) {
        match self {
            ClientMessage::Handshake(m) => m.put(w),
            ClientMessage::Input(m) => m.put(w),
            ClientMessage::Ping(m) | ClientMessage::Pong(m) => m.put(w),
            ClientMessage::Disconnect(m) => m.put(w),
        }
    }

    pub(crate) fn get_body(type_id: u8, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(match type_id {
            0x01 => ClientMessage::Handshake(Handshake::get(r)?),
            0x02 => ClientMessage::Input(Input::get(r)?),
            0x03 => ClientMessage::Ping(Ping::get(r)?),
            0x04 => ClientMessage::Pong(Ping::get(r)?),
            0x05 => ClientMessage::Disconnect(Disconnect::get(r)?),
            other => return Err(DecodeError::UnknownType(other)),
        })
    }
}

impl Validate for ClientMessage {
    fn validate(&self) -> Result<(), EncodeError> {
        match self {
            ClientMessage::Handshake(m) => m.validate(),
            ClientMessage::Input(m) => m.validate(),
            ClientMessage::Ping(_) | ClientMessage::Pong(_) => Ok(()),
            ClientMessage::Disconnect(m) => m.validate(),
        }
    }
}

impl Validate for Handshake {
    fn validate(&self) -> Result<(), EncodeError> {
        check_len("handshake.versions", self.versions.len(), MAX_VERSIONS)?;
        check_len("handshake.client", self.client.len(), MAX_CLIENT_INFO_BYTES)?;
        match &self.auth {
            Auth::Guest { name } => check_len(
                "auth.name",
                name.as_ref().map_or(0, String::len),
                MAX_NAME_BYTES,
            )?,
            Auth::Token { token } => check_len("auth.token", token.len(), MAX_TOKEN_BYTES)?,
        }
        let resume = self.resume_token.as_ref().map_or(0, String::len);
        check_len("handshake.resume_token", resume, MAX_TOKEN_BYTES)
    }
}

impl Body for Handshake {
    fn put(&self, w: &mut Writer<'_>) {
        w.var(self.versions.len() as u64);
        for v in &self.versions {
            w.u16(*v);
        }
        w.str(&self.client);
        match &self.auth {
            Auth::Guest { name } => {
                w.u8(0);
                put_opt(w, name, |w, n| w.str(n));
            }
            Auth::Token { token } => {
                w.u8(1);
                w.str(token);
            }
        }
        put_opt(w, &self.resume_token, |w, t| w.str(t));
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let n = r.count("handshake.versions", MAX_VERSIONS, 2)?;
        let mut versions = Vec::with_capacity(n);
        for _ in 0..n {
            versions.push(r.u16("handshake.versions")?);
        }
        let client = r.str("handshake.client", MAX_CLIENT_INFO_BYTES)?;
        let auth = match r.u8("auth.kind")? {
            0 => Auth::Guest {
                name: get_opt(r, "auth.name", |r| r.str("auth.name", MAX_NAME_BYTES))?,
            },
            1 => Auth::Token {
                token: r.str("auth.token", MAX_TOKEN_BYTES)?,
            },
            v => {
                return Err(DecodeError::InvalidValue {
                    field: "auth.kind",
                    value: u64::from(v),
                });
            }
        };
        let resume_token = get_opt(r, "handshake.resume_token", |r| {
            r.str("handshake.resume_token", MAX_TOKEN_BYTES)
        })?;
        Ok(Self {
            versions,
            client,
            auth,
            resume_token,
        })
    }
}

const BTN_SPRINT: u8 = 1;
const BTN_PRIMARY: u8 = 2;
const BTN_SECONDARY: u8 = 4;
const BTN_INTERACT: u8 = 8;
const BTN_CANCEL: u8 = 16;
const OPT_SELECT: u8 = 1;
const OPT_CRAFT: u8 = 2;
const OPT_BUILD: u8 = 4;
const OPT_DROP: u8 = 8;
const OPT_EQUIP: u8 = 16;
const OPT_CHAT: u8 = 32;
const OPT_TEAM: u8 = 64;

impl Validate for Input {
    fn validate(&self) -> Result<(), EncodeError> {
        if let Some(c) = &self.chat {
            check_len("input.chat", c.text.len(), MAX_CHAT_BYTES)?;
        }
        if let Some(TeamCommand::Create(name)) = &self.team {
            check_len("input.team", name.len(), MAX_NAME_BYTES)?;
        }
        Ok(())
    }
}

impl Body for Input {
    fn put(&self, w: &mut Writer<'_>) {
        w.var(u64::from(self.seq));
        w.var(self.ack_tick);
        let mut buttons = 0;
        for (on, bit) in [
            (self.sprint, BTN_SPRINT),
            (self.primary, BTN_PRIMARY),
            (self.secondary, BTN_SECONDARY),
            (self.interact, BTN_INTERACT),
            (self.cancel_craft, BTN_CANCEL),
        ] {
            if on {
                buttons |= bit;
            }
        }
        w.u8(buttons);
        w.u8(self.move_x as u8);
        w.u8(self.move_y as u8);
        w.u16(self.aim);
        let mut opts = 0;
        for (on, bit) in [
            (self.select_slot.is_some(), OPT_SELECT),
            (self.craft.is_some(), OPT_CRAFT),
            (self.build.is_some(), OPT_BUILD),
            (self.drop_slot.is_some(), OPT_DROP),
            (self.equip_slot.is_some(), OPT_EQUIP),
            (self.chat.is_some(), OPT_CHAT),
            (self.team.is_some(), OPT_TEAM),
        ] {
            if on {
                opts |= bit;
            }
        }
        w.u8(opts);
        if let Some(s) = self.select_slot {
            w.u8(s);
        }
        if let Some(c) = self.craft {
            w.var(u64::from(c));
        }
        if let Some(b) = self.build {
            w.u8(b.slot);
            w.svar(i64::from(b.cell_x));
            w.svar(i64::from(b.cell_y));
        }
        if let Some(s) = self.drop_slot {
            w.u8(s);
        }
        if let Some(s) = self.equip_slot {
            w.u8(s);
        }
        if let Some(c) = &self.chat {
            w.u8(match c.channel {
                ChatChannel::Global => 0,
                ChatChannel::Team => 1,
            });
            w.str(&c.text);
        }
        match &self.team {
            None => {}
            Some(TeamCommand::Create(name)) => {
                w.u8(0);
                w.str(name);
            }
            Some(TeamCommand::Join(id)) => {
                w.u8(1);
                w.var(u64::from(*id));
            }
            Some(TeamCommand::Leave) => w.u8(2),
        }
    }

    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let seq = r.var_u32("input.seq")?;
        let ack_tick = r.var("input.ack_tick")?;
        let buttons = r.u8("input.buttons")?;
        if buttons & !0x1f != 0 {
            return Err(DecodeError::InvalidValue {
                field: "input.buttons",
                value: u64::from(buttons),
            });
        }
        let move_x = r.u8("input.move_x")? as i8;
        let move_y = r.u8("input.move_y")? as i8;
        let aim = r.u16("input.aim")?;
        let opts = r.u8("input.options")?;
        if opts & 0x80 != 0 {
            return Err(DecodeError::InvalidValue {
                field: "input.options",
                value: u64::from(opts),
            });
        }
        let has = |bit: u8| opts & bit != 0;
        let select_slot = if has(OPT_SELECT) {
            Some(r.u8("input.select_slot")?)
        } else {
            None
        };
        let craft = if has(OPT_CRAFT) {
            Some(r.var_u16("input.craft")?)
        } else {
            None
        };
        let build = if has(OPT_BUILD) {
            Some(BuildCommand {
                slot: r.u8("input.build.slot")?,
                cell_x: r.svar_i32("input.build.cell_x")?,
                cell_y: r.svar_i32("input.build.cell_y")?,
            })
        } else {
            None
        };
        let drop_slot = if has(OPT_DROP) {
            Some(r.u8("input.drop_slot")?)
        } else {
            None
        };
        let equip_slot = if has(OPT_EQUIP) {
            Some(r.u8("input.equip_slot")?)
        } else {
            None
        };
        let chat = if has(OPT_CHAT) {
            let channel = match r.u8("input.chat.channel")? {
                0 => ChatChannel::Global,
                1 => ChatChannel::Team,
                v => {
                    return Err(DecodeError::InvalidValue {
                        field: "input.chat.channel",
                        value: u64::from(v),
                    });
                }
            };
            Some(ChatCommand {
                channel,
                text: r.str("input.chat", MAX_CHAT_BYTES)?,
            })
        } else {
            None
        };
        let team = if has(OPT_TEAM) {
            Some(match r.u8("input.team.kind")? {
                0 => TeamCommand::Create(r.str("input.team", MAX_NAME_BYTES)?),
                1 => TeamCommand::Join(r.var_u32("input.team.join")?),
                2 => TeamCommand::Leave,
                v => {
                    return Err(DecodeError::InvalidValue {
                        field: "input.team.kind",
                        value: u64::from(v),
                    });
                }
            })
        } else {
            None
        };
        Ok(Self {
            seq,
            ack_tick,
            move_x,
            move_y,
            aim,
            sprint: buttons & BTN_SPRINT != 0,
            primary: buttons & BTN_PRIMARY != 0,
            secondary: buttons & BTN_SECONDARY != 0,
            interact: buttons & BTN_INTERACT != 0,
            cancel_craft: buttons & BTN_CANCEL != 0,
            select_slot,
            craft,
            build,
            drop_slot,
            equip_slot,
            chat,
            team,
        })
    }
}
