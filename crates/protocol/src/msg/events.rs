//! Things that happened: chat, combat, crafting, deaths and refused inputs.

use serde::{Deserialize, Serialize};
use sim_core::{ChatChannel, RejectReason};

use crate::codec::reader::Reader;
use crate::codec::writer::Writer;
use crate::codec::{Body, Validate, check_len, get_opt, put_opt};
use crate::limits::{MAX_CHAT_BYTES, MAX_EVENTS, MAX_NAME_BYTES};
use crate::msg::common::wire_enum;
use crate::{DecodeError, EncodeError};

wire_enum! {
    /// Why an input was refused (mirrors `sim_core::RejectReason`).
    RejectCode {
        /// No such recipe, item or slot.
        Unknown = 0,
        /// Not enough of an item (see `item`).
        MissingItem = 1,
        /// The station is not in range.
        NoStation = 2,
        /// Too far away.
        OutOfReach = 3,
        /// Still cooling down.
        Cooldown = 4,
        /// No free slot.
        InventoryFull = 5,
        /// Cannot build there.
        BlockedPlacement = 6,
        /// A better tool is needed.
        ToolTooWeak = 7,
        /// Already crafting.
        Busy = 8,
        /// The player is dead.
        Dead = 9,
        /// Empty chat line.
        EmptyChat = 10,
        /// Chat too fast.
        ChatRateLimited = 11,
        /// Team action impossible.
        TeamUnavailable = 12,
        /// The item cannot be used that way.
        WrongItem = 13,
        /// Only the owner or their team may do that.
        NotOwner = 14,
    }
}

impl RejectCode {
    /// The code and (for `MissingItem`) the item of a simulation rejection.
    pub fn from_reason(r: RejectReason) -> (Self, Option<u16>) {
        match r {
            RejectReason::Unknown => (Self::Unknown, None),
            RejectReason::MissingItem(i) => (Self::MissingItem, Some(i)),
            RejectReason::NoStation => (Self::NoStation, None),
            RejectReason::OutOfReach => (Self::OutOfReach, None),
            RejectReason::Cooldown => (Self::Cooldown, None),
            RejectReason::InventoryFull => (Self::InventoryFull, None),
            RejectReason::BlockedPlacement => (Self::BlockedPlacement, None),
            RejectReason::ToolTooWeak => (Self::ToolTooWeak, None),
            RejectReason::Busy => (Self::Busy, None),
            RejectReason::Dead => (Self::Dead, None),
            RejectReason::EmptyChat => (Self::EmptyChat, None),
            RejectReason::ChatRateLimited => (Self::ChatRateLimited, None),
            RejectReason::TeamUnavailable => (Self::TeamUnavailable, None),
            RejectReason::WrongItem => (Self::WrongItem, None),
            RejectReason::NotOwner => (Self::NotOwner, None),
        }
    }
}

/// One event as a client receives it. Positions are in world units, damage in tenths.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum GameEvent {
    /// Tag 0: a chat line.
    Chat {
        /// Sender's player id.
        from: u32,
        /// Sender's name.
        name: String,
        /// Global or team.
        channel: ChatChannel,
        /// Cleaned text.
        text: String,
    },
    /// Tag 1: damage dealt.
    Hit {
        /// Attacker entity.
        attacker: u32,
        /// Target entity.
        target: u32,
        /// Damage in tenths of a point.
        damage: u32,
        /// X in world units.
        x: i32,
        /// Y in world units.
        y: i32,
    },
    /// Tag 2: an entity died.
    Death {
        /// Victim entity.
        victim: u32,
        /// Killer entity.
        killer: Option<u32>,
        /// X in world units.
        x: i32,
        /// Y in world units.
        y: i32,
    },
    /// Tag 3: the player gathered.
    Gathered {
        /// Item index.
        item: u16,
        /// Units.
        count: u32,
    },
    /// Tag 4: a craft started.
    CraftStarted {
        /// Recipe index.
        recipe: u16,
        /// Ticks until done.
        ticks: u32,
    },
    /// Tag 5: a craft finished.
    Crafted {
        /// Recipe index.
        recipe: u16,
    },
    /// Tag 6: a craft was cancelled and refunded.
    CraftCancelled {
        /// Recipe index.
        recipe: u16,
    },
    /// Tag 7: a player levelled up.
    LevelUp {
        /// Player id.
        player: u32,
        /// New level.
        level: u32,
    },
    /// Tag 8: a player respawned.
    Respawned {
        /// Player id.
        player: u32,
        /// X in world units.
        x: i32,
        /// Y in world units.
        y: i32,
    },
    /// Tag 9: the recipient's input was refused.
    Rejected {
        /// Why.
        code: RejectCode,
        /// The missing item, for `missing_item`.
        item: Option<u16>,
    },
    /// Tag 10: the recipient placed a structure.
    StructurePlaced {
        /// The new structure entity.
        entity: u32,
        /// Item index of the structure.
        item: u16,
    },
    /// Tag 11: the recipient ate or drank an item, or drank water (`None`).
    Consumed {
        /// Item index.
        item: Option<u16>,
    },
    /// Tag 12: a player's team changed.
    TeamChanged {
        /// Player id.
        player: u32,
        /// New team, `None` after leaving.
        team: Option<u32>,
    },
}

/// The events that concern the recipient since its previous events message (the
/// ticks between two of its sends).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Events {
    /// The newest tick whose events are included.
    pub tick: u64,
    /// In the order they happened.
    pub events: Vec<GameEvent>,
}

impl Validate for Events {
    fn validate(&self) -> Result<(), EncodeError> {
        check_len("events", self.events.len(), MAX_EVENTS)?;
        for e in &self.events {
            if let GameEvent::Chat { name, text, .. } = e {
                check_len("chat.name", name.len(), MAX_NAME_BYTES)?;
                check_len("chat.text", text.len(), MAX_CHAT_BYTES)?;
            }
        }
        Ok(())
    }
}

fn put_pos(w: &mut Writer<'_>, x: i32, y: i32) {
    w.svar(i64::from(x));
    w.svar(i64::from(y));
}

impl GameEvent {
    fn put(&self, w: &mut Writer<'_>) {
        match self {
            GameEvent::Chat {
                from,
                name,
                channel,
                text,
            } => {
                w.u8(0);
                w.var(u64::from(*from));
                w.str(name);
                w.u8(match channel {
                    ChatChannel::Global => 0,
                    ChatChannel::Team => 1,
                });
                w.str(text);
            }
            GameEvent::Hit {
                attacker,
                target,
                damage,
                x,
                y,
            } => {
                w.u8(1);
                w.var(u64::from(*attacker));
                w.var(u64::from(*target));
                w.var(u64::from(*damage));
                put_pos(w, *x, *y);
            }
            GameEvent::Death {
                victim,
                killer,
                x,
                y,
            } => {
                w.u8(2);
                w.var(u64::from(*victim));
                put_opt(w, killer, |w, k| w.var(u64::from(*k)));
                put_pos(w, *x, *y);
            }
            GameEvent::Gathered { item, count } => {
                w.u8(3);
                w.var(u64::from(*item));
                w.var(u64::from(*count));
            }
            GameEvent::CraftStarted { recipe, ticks } => {
                w.u8(4);
                w.var(u64::from(*recipe));
                w.var(u64::from(*ticks));
            }
            GameEvent::Crafted { recipe } => {
                w.u8(5);
                w.var(u64::from(*recipe));
            }
            GameEvent::CraftCancelled { recipe } => {
                w.u8(6);
                w.var(u64::from(*recipe));
            }
            GameEvent::LevelUp { player, level } => {
                w.u8(7);
                w.var(u64::from(*player));
                w.var(u64::from(*level));
            }
            GameEvent::Respawned { player, x, y } => {
                w.u8(8);
                w.var(u64::from(*player));
                put_pos(w, *x, *y);
            }
            GameEvent::Rejected { code, item } => {
                w.u8(9);
                w.u8(code.to_u8());
                put_opt(w, item, |w, i| w.var(u64::from(*i)));
            }
            GameEvent::StructurePlaced { entity, item } => {
                w.u8(10);
                w.var(u64::from(*entity));
                w.var(u64::from(*item));
            }
            GameEvent::Consumed { item } => {
                w.u8(11);
                put_opt(w, item, |w, i| w.var(u64::from(*i)));
            }
            GameEvent::TeamChanged { player, team } => {
                w.u8(12);
                w.var(u64::from(*player));
                put_opt(w, team, |w, t| w.var(u64::from(*t)));
            }
        }
    }

    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(match r.u8("event.kind")? {
            0 => GameEvent::Chat {
                from: r.var_u32("chat.from")?,
                name: r.str("chat.name", MAX_NAME_BYTES)?,
                channel: match r.u8("chat.channel")? {
                    0 => ChatChannel::Global,
                    1 => ChatChannel::Team,
                    v => {
                        return Err(DecodeError::InvalidValue {
                            field: "chat.channel",
                            value: u64::from(v),
                        });
                    }
                },
                text: r.str("chat.text", MAX_CHAT_BYTES)?,
            },
            1 => GameEvent::Hit {
                attacker: r.var_u32("hit.attacker")?,
                target: r.var_u32("hit.target")?,
                damage: r.var_u32("hit.damage")?,
                x: r.svar_i32("hit.x")?,
                y: r.svar_i32("hit.y")?,
            },
            2 => GameEvent::Death {
                victim: r.var_u32("death.victim")?,
                killer: get_opt(r, "death.killer", |r| r.var_u32("death.killer"))?,
                x: r.svar_i32("death.x")?,
                y: r.svar_i32("death.y")?,
            },
            3 => GameEvent::Gathered {
                item: r.var_u16("gathered.item")?,
                count: r.var_u32("gathered.count")?,
            },
            4 => GameEvent::CraftStarted {
                recipe: r.var_u16("craft_started.recipe")?,
                ticks: r.var_u32("craft_started.ticks")?,
            },
            5 => GameEvent::Crafted {
                recipe: r.var_u16("crafted.recipe")?,
            },
            6 => GameEvent::CraftCancelled {
                recipe: r.var_u16("craft_cancelled.recipe")?,
            },
            7 => GameEvent::LevelUp {
                player: r.var_u32("level_up.player")?,
                level: r.var_u32("level_up.level")?,
            },
            8 => GameEvent::Respawned {
                player: r.var_u32("respawned.player")?,
                x: r.svar_i32("respawned.x")?,
                y: r.svar_i32("respawned.y")?,
            },
            9 => GameEvent::Rejected {
                code: RejectCode::get(r, "rejected.code")?,
                item: get_opt(r, "rejected.item", |r| r.var_u16("rejected.item"))?,
            },
            10 => GameEvent::StructurePlaced {
                entity: r.var_u32("structure_placed.entity")?,
                item: r.var_u16("structure_placed.item")?,
            },
            11 => GameEvent::Consumed {
                item: get_opt(r, "consumed.item", |r| r.var_u16("consumed.item"))?,
            },
            12 => GameEvent::TeamChanged {
                player: r.var_u32("team_changed.player")?,
                team: get_opt(r, "team_changed.team", |r| r.var_u32("team_changed.team"))?,
            },
            v => {
                return Err(DecodeError::InvalidValue {
                    field: "event.kind",
                    value: u64::from(v),
                });
            }
        })
    }
}

impl Body for Events {
    fn put(&self, w: &mut Writer<'_>) {
        w.var(self.tick);
        w.var(self.events.len() as u64);
        for e in &self.events {
            e.put(w);
        }
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let tick = r.var("events.tick")?;
        let n = r.count("events", MAX_EVENTS, 2)?;
        let mut events = Vec::with_capacity(n);
        for _ in 0..n {
            events.push(GameEvent::get(r)?);
        }
        Ok(Self { tick, events })
    }
}
