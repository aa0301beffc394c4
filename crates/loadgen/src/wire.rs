//! The bot's side of the protocol crate: builds client messages, decodes server
//! messages and keeps the client's replica — the views at recently applied ticks,
//! because a delta is relative to whichever acknowledged tick the server chose.

use std::collections::VecDeque;

use protocol::limits::MAX_SERVER_MESSAGE_BYTES;
use protocol::quant::{aim_to_u16, move_to_i8, pos_from_wire};
use protocol::{
    Auth, ClientMessage, DecodeLimits, Delta, Disconnect, DisconnectReason, EncodeOptions,
    EntityChange, EntityState, GameEvent, Handshake, Input, PROTOCOL_VERSIONS, Ping, ServerMessage,
    Severity,
};
use sim_core::{EntityKind, PlayerInput, Vec2};
use tokio_tungstenite::tungstenite::Message;

use crate::LoadgenError;
use crate::brain::{Seen, View};

/// Applied views kept as delta baselines. The server deltas against the newest tick
/// the client acknowledged; acks take a round trip, so a few dozen ticks (over a
/// second at 20 Hz) cover any sane RTT.
const BASELINES: usize = 64;

/// What the handshake told us.
#[derive(Debug, Clone, PartialEq)]
pub struct Accepted {
    /// Our entity (same number as the player id).
    pub entity: u32,
    /// Server ticks per second.
    pub tick_rate: u32,
    /// The server's tick at the handshake.
    pub tick: u64,
    /// The negotiated protocol version.
    pub version: u16,
    /// Token to resume after a drop.
    pub resume_token: Option<String>,
}

/// A decoded server message, reduced to what the bot acts on.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    /// The handshake succeeded.
    Accepted(Accepted),
    /// A snapshot or delta for this tick was applied to the view.
    World {
        /// Its tick.
        tick: u64,
        /// A full snapshot (not a delta).
        full: bool,
    },
    /// The private state (meters, inventory) was updated.
    Private,
    /// The events of one events message, counted by kind.
    Events(EventTally),
    /// The server pings; answer with a pong.
    Ping(u32),
    /// The answer to our ping.
    Pong(u32),
    /// The server reports an error.
    Error {
        /// The connection is about to close.
        fatal: bool,
        /// Code and message.
        text: String,
    },
    /// The server is closing the connection.
    Closing(String),
    /// Anything else (content tables, events, leaderboard, private state applied).
    Other,
}

/// What one `Events` message told the bot, for the report's "what the bots did".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EventTally {
    /// Our inputs the game refused (expected now and then: crafting without materials…).
    pub rejected: u64,
    /// Resources we gathered.
    pub gathered: u64,
    /// Crafts we started.
    pub craft_started: u64,
    /// Crafts we finished.
    pub crafted: u64,
    /// Hits we dealt.
    pub hits_dealt: u64,
    /// Deaths in view (ours included).
    pub deaths: u64,
    /// Our own deaths, and those of them that a player in view dealt.
    pub own_deaths: u64,
    /// See [`EventTally::own_deaths`].
    pub own_deaths_by_players: u64,
    /// Chat lines heard.
    pub chat_heard: u64,
    /// The latest entity that hit us.
    pub hit_by: Option<u32>,
}

impl EventTally {
    fn of(events: &[GameEvent], view: &View) -> EventTally {
        let me = view.me;
        let is_player = |id: &u32| view.seen(*id).is_some_and(|s| s.kind == EntityKind::Player);
        let mut t = EventTally::default();
        for e in events {
            match e {
                GameEvent::Hit {
                    attacker, target, ..
                } if Some(*target) == me => t.hit_by = Some(*attacker),
                GameEvent::Rejected { .. } => t.rejected += 1,
                GameEvent::Gathered { .. } => t.gathered += 1,
                GameEvent::CraftStarted { .. } => t.craft_started += 1,
                GameEvent::Crafted { .. } => t.crafted += 1,
                GameEvent::Hit { attacker, .. } if Some(*attacker) == me => t.hits_dealt += 1,
                GameEvent::Death { victim, killer, .. } => {
                    t.deaths += 1;
                    if Some(*victim) == me {
                        t.own_deaths += 1;
                        t.own_deaths_by_players +=
                            u64::from(killer.as_ref().is_some_and(is_player));
                    }
                }
                GameEvent::Chat { .. } => t.chat_heard += 1,
                _ => {}
            }
        }
        t
    }
}

/// Encoding and decoding in the chosen form (binary frames or JSON text frames).
#[derive(Debug, Clone, Copy)]
pub struct Codec {
    json: bool,
    options: EncodeOptions,
}

impl Codec {
    /// A codec for binary (`json == false`) or text frames.
    pub fn new(json: bool) -> Codec {
        Codec {
            json,
            options: EncodeOptions::default(),
        }
    }

    /// The same codec writing the version the handshake agreed on.
    pub fn with_version(self, version: u16) -> Codec {
        Codec {
            options: EncodeOptions {
                version,
                ..self.options
            },
            ..self
        }
    }

    fn encode(&self, msg: &ClientMessage) -> Result<Message, LoadgenError> {
        if self.json {
            protocol::to_json(msg)
                .map(|t| Message::Text(t.into()))
                .map_err(|e| LoadgenError::Protocol(format!("encode {}: {e}", msg.name())))
        } else {
            protocol::encode(msg, &self.options)
                .map(|b| Message::Binary(b.into()))
                .map_err(|e| LoadgenError::Protocol(format!("encode {}: {e}", msg.name())))
        }
    }

    /// The first message: every version we speak, our token (or guest name), and a
    /// resume token when reconnecting.
    pub fn handshake(
        &self,
        token: Option<&str>,
        name: &str,
        resume: Option<&str>,
    ) -> Result<Message, LoadgenError> {
        let auth = match token {
            Some(t) => Auth::Token {
                token: t.to_owned(),
            },
            None => Auth::Guest {
                name: Some(name.to_owned()),
            },
        };
        self.encode(&ClientMessage::Handshake(Handshake {
            versions: PROTOCOL_VERSIONS.to_vec(),
            client: concat!("kindling-loadgen/", env!("CARGO_PKG_VERSION")).to_owned(),
            auth,
            resume_token: resume.map(str::to_owned),
        }))
    }

    /// One tick of input, acknowledging `ack_tick`.
    pub fn input(&self, i: &PlayerInput, ack_tick: u64) -> Result<Message, LoadgenError> {
        self.encode(&ClientMessage::Input(Input {
            seq: i.seq,
            ack_tick,
            move_x: move_to_i8(i.move_x),
            move_y: move_to_i8(i.move_y),
            aim: aim_to_u16(i.aim),
            sprint: i.sprint,
            primary: i.primary,
            secondary: i.secondary,
            interact: i.interact,
            cancel_craft: i.cancel_craft,
            select_slot: i.select_slot,
            craft: i.craft,
            build: i.build,
            drop_slot: i.drop_slot,
            equip_slot: i.equip_slot,
            chat: i.chat.clone(),
            team: i.team.clone(),
            chest_put: i.chest_put,
            chest_take: i.chest_take,
        }))
    }

    /// A ping for RTT measurement.
    pub fn ping(&self, nonce: u32) -> Result<Message, LoadgenError> {
        self.encode(&ClientMessage::Ping(Ping { nonce }))
    }

    /// The answer to a server ping.
    pub fn pong(&self, nonce: u32) -> Result<Message, LoadgenError> {
        self.encode(&ClientMessage::Pong(Ping { nonce }))
    }

    /// A polite goodbye.
    pub fn quit(&self) -> Result<Message, LoadgenError> {
        self.encode(&ClientMessage::Disconnect(Disconnect {
            reason: DisconnectReason::ClientQuit,
            message: "load test over".into(),
        }))
    }

    /// Decodes one data frame, applies world and private state to `replica` and
    /// `view`, and says what the bot should react to.
    pub fn decode(
        &self,
        frame: &Message,
        replica: &mut Replica,
        view: &mut View,
    ) -> Result<Incoming, LoadgenError> {
        let msg: ServerMessage = match frame {
            Message::Binary(b) => protocol::decode(b, &DecodeLimits::server()),
            Message::Text(t) => protocol::from_json(t.as_str(), MAX_SERVER_MESSAGE_BYTES),
            _ => return Ok(Incoming::Other),
        }
        .map_err(|e| LoadgenError::Protocol(format!("undecodable frame: {e}")))?;
        Ok(match msg {
            ServerMessage::HandshakeAck(a) => Incoming::Accepted(Accepted {
                entity: a.player,
                tick_rate: u32::from(a.tick_rate),
                tick: a.server_tick,
                version: a.version,
                resume_token: Some(a.resume_token).filter(|t| !t.is_empty()),
            }),
            ServerMessage::Snapshot(s) => {
                replica.push(s.tick, &s.entities)?;
                replica.fill(view);
                Incoming::World {
                    tick: s.tick,
                    full: true,
                }
            }
            ServerMessage::Delta(d) => {
                let tick = d.tick;
                replica.apply(&d)?;
                replica.fill(view);
                Incoming::World { tick, full: false }
            }
            ServerMessage::Private(p) => {
                view.hunger = f32::from(p.hunger);
                view.health = f32::from(p.health);
                view.dead = p.dead;
                view.crafting = p.crafting.is_some();
                view.inventory = p.inventory;
                Incoming::Private
            }
            ServerMessage::Events(e) => Incoming::Events(EventTally::of(&e.events, view)),
            ServerMessage::Ping(p) => Incoming::Ping(p.nonce),
            ServerMessage::Pong(p) => Incoming::Pong(p.nonce),
            ServerMessage::Error(e) => Incoming::Error {
                fatal: e.severity == Severity::Fatal,
                text: format!("{:?}: {}", e.code, e.message),
            },
            ServerMessage::Disconnect(d) => {
                Incoming::Closing(format!("{:?}: {}", d.reason, d.message))
            }
            // Only made by a server's replica, never decoded.
            ServerMessage::Content(_)
            | ServerMessage::WorldMap(_)
            | ServerMessage::Leaderboard(_)
            | ServerMessage::PackedDelta(_) => Incoming::Other,
        })
    }
}

/// An entity as a bot keeps it: an [`EntityState`] without the player's name, level and
/// team (bots do not need them). 20 bytes and `Copy`, so applying a delta to a view of
/// a few hundred entities is one pass over a small array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    /// Entity id.
    pub id: u32,
    /// Category.
    pub kind: EntityKind,
    /// Index into the category's content table.
    pub subtype: u16,
    /// X in world units.
    pub x: i32,
    /// Y in world units.
    pub y: i32,
    /// Facing in 1/256 turns.
    pub angle: u8,
    /// Health percentage.
    pub health: u8,
    /// `EntityView::FLAG_*` bits.
    pub flags: u8,
}

impl Known {
    /// What a bot keeps of `e`.
    pub fn of(e: &EntityState) -> Known {
        Known {
            id: e.id,
            kind: e.kind,
            subtype: e.subtype,
            x: e.x,
            y: e.y,
            angle: e.angle,
            health: e.health,
            flags: e.flags,
        }
    }

    /// The entity as a nameless [`EntityState`].
    fn state(&self) -> EntityState {
        EntityState {
            id: self.id,
            kind: self.kind,
            subtype: self.subtype,
            x: self.x,
            y: self.y,
            angle: self.angle,
            health: self.health,
            flags: self.flags,
            player: None,
        }
    }

    /// The entity with `change` applied (by the protocol's own rules).
    fn changed(&self, change: &EntityChange) -> Result<Known, LoadgenError> {
        let mut e = self.state();
        change
            .apply_to(&mut e)
            .map_err(|err| LoadgenError::Protocol(err.to_string()))?;
        Ok(Known::of(&e))
    }
}

/// The client's replica: the entity lists (sorted by id) of the applied ticks a delta
/// may still name. The server only ever moves its base forward (it deltas against the
/// newest acknowledged tick), so views older than the base of the newest delta are
/// dropped, and their lists reused for the next views: once the replica has warmed up,
/// applying a delta does not allocate a new list.
#[derive(Debug, Default)]
pub struct Replica {
    views: VecDeque<(u64, Vec<Known>)>,
    /// Lists of dropped views, to be reused.
    spare: Vec<Vec<Known>>,
}

impl Replica {
    /// The newest applied tick, to acknowledge (0 before the first snapshot).
    pub fn ack_tick(&self) -> u64 {
        self.views.back().map_or(0, |v| v.0)
    }

    /// An empty list, reused when one is spare.
    fn list(&mut self) -> Vec<Known> {
        let mut list = self.spare.pop().unwrap_or_default();
        list.clear();
        list
    }

    /// Keeps `list` for reuse, up to [`SPARE_LISTS`].
    fn recycle(&mut self, list: Vec<Known>) {
        if self.spare.len() < SPARE_LISTS {
            self.spare.push(list);
        }
    }

    /// Drops the views before position `at`, keeping their lists for reuse.
    fn drop_before(&mut self, at: usize) {
        for _ in 0..at {
            if let Some((_, list)) = self.views.pop_front() {
                self.recycle(list);
            }
        }
    }

    /// Stores a full view.
    pub fn push(&mut self, tick: u64, entities: &[EntityState]) -> Result<(), LoadgenError> {
        if tick < self.ack_tick() {
            return Err(LoadgenError::Protocol(format!(
                "snapshot for tick {tick} after tick {}",
                self.ack_tick()
            )));
        }
        let mut list = self.list();
        list.extend(entities.iter().map(Known::of));
        if !list.windows(2).all(|w| w[0].id < w[1].id) {
            // The protocol promises ascending ids; tolerate it but count the breach.
            list.sort_by_key(|e| e.id);
            list.dedup_by_key(|e| e.id);
            self.remember(tick, list);
            return Err(LoadgenError::Protocol("snapshot ids not ascending".into()));
        }
        self.remember(tick, list);
        Ok(())
    }

    fn remember(&mut self, tick: u64, entities: Vec<Known>) {
        if self.views.len() == BASELINES {
            self.drop_before(1);
        }
        self.views.push_back((tick, entities));
    }

    /// Applies a delta to the baseline it names. A delta against a tick we never had
    /// (or one newer than itself) breaks the protocol.
    pub fn apply(&mut self, d: &Delta) -> Result<(), LoadgenError> {
        if d.base_tick >= d.tick || d.tick < self.ack_tick() {
            return Err(LoadgenError::Protocol(format!(
                "delta for tick {} against base {} (newest applied {})",
                d.tick,
                d.base_tick,
                self.ack_tick()
            )));
        }
        let Some(at) = self.views.iter().rposition(|v| v.0 == d.base_tick) else {
            return Err(LoadgenError::Protocol(format!(
                "delta against tick {} which this client does not hold (newest {})",
                d.base_tick,
                self.ack_tick()
            )));
        };
        self.drop_before(at);
        let mut next = self.list();
        if let Err(e) = apply_delta(&self.views[0].1, d, &mut next) {
            self.recycle(next);
            return Err(e);
        }
        self.remember(d.tick, next);
        Ok(())
    }

    /// The newest view.
    pub fn latest(&self) -> Option<&[Known]> {
        self.views.back().map(|v| v.1.as_slice())
    }

    /// Rebuilds the brain's entity list from the newest view.
    pub fn fill(&self, view: &mut View) {
        view.entities.clear();
        if let Some(entities) = self.latest() {
            view.entities.extend(entities.iter().map(|e| {
                (
                    e.id,
                    Seen {
                        kind: e.kind,
                        subtype: e.subtype,
                        pos: Vec2::new(pos_from_wire(e.x), pos_from_wire(e.y)),
                        flags: e.flags,
                    },
                )
            }));
        }
    }
}

/// Lists of dropped views a replica keeps for reuse: a delta needs one, and at most a
/// few views are dropped at a time.
const SPARE_LISTS: usize = 4;

/// Writes into `out` the entity list of `base` with `d`'s removals, entries and
/// changes applied, merged in one pass (all three lists and the base are sorted by id).
pub fn apply_delta(base: &[Known], d: &Delta, out: &mut Vec<Known>) -> Result<(), LoadgenError> {
    out.reserve(base.len() + d.entered.len());
    let mut removed = d.removed.iter().peekable();
    let mut entered = d.entered.iter().peekable();
    let mut changed = d.changed.iter().peekable();
    let mut take_entered_below = |id: u32, out: &mut Vec<Known>| {
        while let Some(e) = entered.next_if(|e| e.id < id) {
            out.push(Known::of(e));
        }
        entered.next_if(|e| e.id == id).map(Known::of)
    };
    let unknown = |id: u32| LoadgenError::Protocol(format!("change for entity {id} not in view"));
    for b in base {
        let replaced = take_entered_below(b.id, out);
        // Removals of ids we do not hold are tolerated, like the server's set semantics.
        while removed.next_if(|r| **r < b.id).is_some() {}
        if removed.next_if(|r| **r == b.id).is_some() {
            out.extend(replaced);
            continue;
        }
        let mut e = replaced.unwrap_or(*b);
        if let Some(c) = changed.next_if(|c| c.id == b.id) {
            e = e.changed(c)?;
        }
        if let Some(c) = changed.peek()
            && c.id <= b.id
        {
            return Err(unknown(c.id));
        }
        out.push(e);
    }
    take_entered_below(u32::MAX, out);
    out.extend(entered.next().map(Known::of));
    if let Some(c) = changed.next() {
        return Err(unknown(c.id));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::quant::pos_from_wire;
    use protocol::{PlayerInfo, Snapshot};

    fn entity(id: u32, x: i32) -> EntityState {
        EntityState {
            id,
            kind: if id == 1 {
                EntityKind::Player
            } else {
                EntityKind::Node
            },
            subtype: 0,
            x,
            y: 10,
            angle: 0,
            health: 100,
            flags: 0,
            player: (id == 1).then(|| PlayerInfo {
                name: "me".into(),
                level: 1,
                team: None,
            }),
        }
    }

    /// Encodes a server message with the real codec, as a frame the bot receives.
    fn frame(msg: &ServerMessage) -> Message {
        Message::Binary(
            protocol::encode(msg, &EncodeOptions::default())
                .expect("encodes")
                .into(),
        )
    }

    #[test]
    fn deltas_apply_to_the_baseline_they_name() {
        let codec = Codec::new(false);
        let (mut replica, mut view) = (Replica::default(), View::default());
        let snap = ServerMessage::Snapshot(Snapshot {
            tick: 10,
            last_input_seq: 0,
            entities: vec![entity(1, 100), entity(5, 200), entity(9, 300)],
        });
        assert_eq!(
            codec.decode(&frame(&snap), &mut replica, &mut view).ok(),
            Some(Incoming::World {
                tick: 10,
                full: true
            })
        );
        // Tick 11 against 10: entity 5 leaves, 7 enters, 1 moves +4 units.
        let d11 = Delta {
            tick: 11,
            base_tick: 10,
            last_input_seq: 1,
            removed: vec![5],
            entered: vec![entity(7, 250)],
            changed: vec![EntityChange {
                id: 1,
                moved: Some([4, 0]),
                ..EntityChange::default()
            }],
        };
        codec
            .decode(&frame(&ServerMessage::Delta(d11)), &mut replica, &mut view)
            .expect("applies");
        let ids: Vec<u32> = view.entities.iter().map(|e| e.0).collect();
        assert_eq!(ids, vec![1, 7, 9]);
        view.me = Some(1);
        let at = |x, y| Vec2::new(pos_from_wire(x), pos_from_wire(y));
        assert_eq!(view.my_pos(), Some(at(104, 10)));
        // Tick 12 still against 10 (our ack of 11 has not arrived): 1 moved +8 from 10.
        let d12 = Delta {
            tick: 12,
            base_tick: 10,
            last_input_seq: 2,
            removed: vec![],
            entered: vec![],
            changed: vec![EntityChange {
                id: 1,
                moved: Some([8, 0]),
                ..EntityChange::default()
            }],
        };
        codec
            .decode(&frame(&ServerMessage::Delta(d12)), &mut replica, &mut view)
            .expect("applies");
        assert_eq!(view.my_pos(), Some(at(108, 10)));
        assert_eq!(
            view.entities.len(),
            3,
            "5 is back: tick 12 is relative to 10"
        );
        assert_eq!(replica.ack_tick(), 12);
    }

    #[test]
    fn events_tell_who_hit_the_bot_and_who_killed_it() {
        let codec = Codec::new(false);
        let (mut replica, mut view) = (Replica::default(), View::default());
        let snap = ServerMessage::Snapshot(Snapshot {
            tick: 10,
            last_input_seq: 0,
            entities: vec![entity(1, 100), entity(5, 200)],
        });
        codec
            .decode(&frame(&snap), &mut replica, &mut view)
            .expect("applies");
        view.me = Some(1);
        view.entities[1].1.kind = EntityKind::Player;
        let hit = |attacker, target| GameEvent::Hit {
            attacker,
            target,
            damage: 100,
            x: 0,
            y: 0,
        };
        let death = |victim, killer| GameEvent::Death {
            victim,
            killer,
            x: 0,
            y: 0,
        };
        let events = ServerMessage::Events(protocol::Events {
            tick: 11,
            events: vec![
                hit(5, 1),
                hit(1, 5),
                death(9, Some(5)),
                death(1, Some(5)),
                death(1, None),
            ],
        });
        let Ok(Incoming::Events(t)) = codec.decode(&frame(&events), &mut replica, &mut view) else {
            panic!("not events");
        };
        assert_eq!(t.hit_by, Some(5));
        assert_eq!(t.hits_dealt, 1);
        assert_eq!(t.deaths, 3);
        assert_eq!((t.own_deaths, t.own_deaths_by_players), (2, 1));
    }

    #[test]
    fn deltas_against_unknown_ticks_and_garbage_are_protocol_errors() {
        let codec = Codec::new(false);
        let (mut replica, mut view) = (Replica::default(), View::default());
        let d = Delta {
            tick: 5,
            base_tick: 4,
            last_input_seq: 0,
            removed: vec![],
            entered: vec![],
            changed: vec![],
        };
        let err = codec.decode(&frame(&ServerMessage::Delta(d)), &mut replica, &mut view);
        assert!(matches!(err, Err(LoadgenError::Protocol(m)) if m.contains("does not hold")));
        let err = codec.decode(
            &Message::Binary(vec![1, 2, 3].into()),
            &mut replica,
            &mut view,
        );
        assert!(matches!(err, Err(LoadgenError::Protocol(m)) if m.contains("undecodable")));
    }

    #[test]
    fn client_messages_round_trip_through_the_protocol_decoder() {
        for json in [false, true] {
            let codec = Codec::new(json);
            let input = PlayerInput {
                seq: 3,
                move_x: 1.0,
                primary: true,
                ..PlayerInput::default()
            };
            let msg = codec.input(&input, 42).expect("encodes");
            let back: ClientMessage = match &msg {
                Message::Binary(b) => protocol::decode(b, &DecodeLimits::default()),
                Message::Text(t) => protocol::from_json(t.as_str(), 8192),
                _ => panic!("not a data frame"),
            }
            .expect("the server's decoder accepts it");
            let ClientMessage::Input(i) = back else {
                panic!("not an input: {back:?}");
            };
            assert_eq!((i.seq, i.ack_tick, i.move_x, i.primary), (3, 42, 127, true));
            let hello = codec
                .handshake(None, "bot_1", Some("resume"))
                .expect("encodes");
            assert!(matches!(hello, Message::Binary(_) | Message::Text(_)));
        }
    }

    /// The bot's replica against the real thing: a simulated world, the server's
    /// per-client replication, the binary codec, and the protocol's reference
    /// `ClientView` applying the same messages. Acks arrive late and some are lost, so
    /// deltas name older baselines.
    #[test]
    fn agrees_with_the_protocols_client_view_against_real_replication() {
        use protocol::{ClientReplica, ClientView, ReplicationConfig, TickFrame};
        use sim_core::{Content, GameConfig, PlayerInput, PlayerProgress, World};

        let mut world = World::new(
            GameConfig::default(),
            Content::builtin().expect("content"),
            11,
        )
        .expect("world");
        let ids: Vec<_> = (0..40)
            .map(|i| {
                let a = i as f32 * 2.4;
                let progress = PlayerProgress {
                    position: Some(Vec2::new(
                        2000.0 + 300.0 * a.cos(),
                        2000.0 + 300.0 * a.sin(),
                    )),
                    ..PlayerProgress::default()
                };
                world.join(&format!("p{i}"), Some(progress)).expect("join")
            })
            .collect();
        let me = ids[0];
        let mut server_side = ClientReplica::new(me, ReplicationConfig::default());
        let mut reference = ClientView::new(32);
        let codec = Codec::new(false);
        let (mut replica, mut view) = (Replica::default(), View::default());
        let mut compared = 0;
        for tick in 1..300u64 {
            let inputs: Vec<_> = ids
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    let a = (tick / 15) as f32 * 0.9 + i as f32;
                    let input = PlayerInput {
                        seq: tick as u32,
                        move_x: a.cos(),
                        move_y: a.sin(),
                        ..PlayerInput::default()
                    };
                    (*id, input)
                })
                .collect();
            let out = world.step(&inputs);
            let frame_data = TickFrame::capture(&world, &out);
            let mut msgs = Vec::new();
            server_side.update(&frame_data, &world, &mut msgs);
            for msg in &msgs {
                reference.apply(msg).expect("reference applies");
                codec
                    .decode(&frame(msg), &mut replica, &mut view)
                    .expect("bot applies");
            }
            if let Some(latest) = reference.latest() {
                let theirs: Vec<Known> = latest.values().map(Known::of).collect();
                assert_eq!(replica.latest(), Some(theirs.as_slice()), "tick {tick}");
                compared += 1;
            }
            // Every third ack is lost; the others arrive two ticks late.
            if tick % 3 != 0 && tick > 2 && replica.views.iter().any(|v| v.0 == tick - 2) {
                server_side.ack(tick - 2);
            }
        }
        assert!(compared > 50, "only {compared} views compared");
    }
}
