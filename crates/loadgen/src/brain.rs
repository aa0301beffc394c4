//! What a bot does next: a small seeded state machine over what it has seen, so bots
//! behave like players — wander, gather, craft, build, fight, eat, chat — and put the
//! same kinds of load on the server. Pure: no I/O, no clock (time is the server tick).

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sim_core::content::ItemKind;
use sim_core::{
    BuildCommand, ChatChannel, ChatCommand, Content, EntityKind, ItemStack, PlayerInput, Vec2,
};

/// One entity as the bot last saw it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Seen {
    /// Category.
    pub kind: EntityKind,
    /// Content index within the category.
    pub subtype: u16,
    /// Position in world units.
    pub pos: Vec2,
    /// `EntityView::FLAG_*` bits.
    pub flags: u8,
}

/// What the bot knows of the world: its own entity, what is in view, its private state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct View {
    /// The bot's own entity id, from the handshake.
    pub me: Option<u32>,
    /// The entities in view, sorted by id (a plain vector: rebuilt every tick cheaply).
    pub entities: Vec<(u32, Seen)>,
    /// Inventory slots.
    pub inventory: Vec<Option<ItemStack>>,
    /// Hunger 0..=100 (100 = full).
    pub hunger: f32,
    /// Health 0..=100 (100 = unhurt).
    pub health: f32,
    /// Whether the bot is dead.
    pub dead: bool,
    /// Whether a craft is in progress.
    pub crafting: bool,
}

impl View {
    /// The bot's position, if its entity is in view.
    pub fn my_pos(&self) -> Option<Vec2> {
        self.seen(self.me?).map(|s| s.pos)
    }

    /// Entity `id`, if it is in view.
    pub fn seen(&self, id: u32) -> Option<&Seen> {
        self.entities
            .binary_search_by_key(&id, |e| e.0)
            .ok()
            .map(|i| &self.entities[i].1)
    }
}

/// Distance within which a bot swings at a node or a foe: player radius (24 u) plus
/// reach (40 u), a little less so the swing lands.
const REACH: f32 = 56.0;
/// How far a bot looks for something to do.
const SIGHT: f32 = 400.0;
/// Foes closer than this are fought instead of gathering.
const AGGRO: f32 = 160.0;
/// Grid cell size for building.
const CELL: f32 = 40.0;
/// Ticks between crafting attempts, chat lines and build attempts (at 20 Hz).
const CRAFT_EVERY: u64 = 200;
const BUILD_EVERY: u64 = 400;
const CHAT_EVERY: (u64, u64) = (600, 1800);
/// Ticks between a bot picking a fight with the nearest player (1–3 min), and how long
/// it keeps after a foe since the foe last hit it (10 s).
const PICK_FIGHT_EVERY: (u64, u64) = (1200, 3600);
const GRUDGE_TICKS: u64 = 200;
/// Below this health a bot runs from the nearest player instead of fighting or
/// gathering (in [`Pvp::Grudges`]), as players do.
const RETREAT_BELOW: f32 = 40.0;
/// In [`Pvp::Mob`], the players every bot hunts: those whose id is a multiple of this.
const MOB_PREY_EVERY: u32 = 7;

/// How bots fight each other. Creatures within reach are always fought.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Pvp {
    /// A bot picks a fight with the nearest player every 1–3 minutes, fights back
    /// whoever hits it for as long as they keep hitting (10 s after the last hit), and
    /// runs from players when its health is below 40.
    #[default]
    Grudges,
    /// Every bot also hunts the players whose id is a multiple of 7, all the time (the
    /// bots before 2026-11-25): each bot dies every ~15 s and the world fills with the
    /// loot bags of the dead. A harsher load than real players make.
    Mob,
}

const CHAT_LINES: &[&str] = &[
    "anyone seen wolves around here?",
    "gathering wood near the lake",
    "need stone, trading berries",
    "gg",
    "who wants to team up?",
    "night is coming, build a campfire",
];

/// Item and recipe indices the brain cares about, resolved once from [`Content`].
#[derive(Debug, Clone, Default)]
pub struct Knowledge {
    /// Recipes a bot may try, without or with a station (indices into the recipe table).
    recipes: Vec<u16>,
    /// Items that can be placed.
    structures: Vec<u16>,
    /// Items that can be eaten.
    food: Vec<u16>,
}

impl Knowledge {
    /// Reads what can be crafted, placed and eaten from the game content.
    pub fn from_content(content: &Content) -> Knowledge {
        let index_where = |want: ItemKind| -> Vec<u16> {
            content
                .items()
                .iter()
                .enumerate()
                .filter(|(_, d)| d.kind == want)
                .filter_map(|(i, _)| u16::try_from(i).ok())
                .collect()
        };
        let recipes = content
            .recipes()
            .iter()
            .enumerate()
            // Hand and workbench recipes: the ones a wandering player reaches for.
            .filter(|(_, r)| r.station == "none" || r.station == "workbench")
            .filter_map(|(i, _)| u16::try_from(i).ok())
            .collect();
        Knowledge {
            recipes,
            structures: index_where(ItemKind::Structure),
            food: index_where(ItemKind::Food),
        }
    }
}

/// One bot's intentions between ticks.
#[derive(Debug, Clone)]
pub struct Brain {
    rng: ChaCha8Rng,
    knowledge: std::sync::Arc<Knowledge>,
    seq: u32,
    wander: Vec2,
    next_wander: u64,
    next_craft: u64,
    next_build: u64,
    next_chat: u64,
    swing_phase: bool,
    pvp: Pvp,
    /// The player this bot fights, and the tick until which it does.
    grudge: Option<(u32, u64)>,
    next_fight: u64,
}

impl Brain {
    /// A brain with its own seeded randomness, fighting other players as `pvp` says.
    pub fn new(seed: u64, knowledge: std::sync::Arc<Knowledge>, pvp: Pvp) -> Brain {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let next_chat = rng.random_range(CHAT_EVERY.0..CHAT_EVERY.1);
        let next_craft = rng.random_range(20..CRAFT_EVERY);
        let next_build = rng.random_range(CRAFT_EVERY..BUILD_EVERY);
        let next_fight = rng.random_range(0..PICK_FIGHT_EVERY.1);
        Brain {
            rng,
            knowledge,
            seq: 0,
            wander: Vec2::ZERO,
            next_wander: 0,
            next_craft,
            next_build,
            next_chat,
            swing_phase: false,
            pvp,
            grudge: None,
            next_fight,
        }
    }

    /// Entity `attacker` hit this bot at `tick`: a player is fought back (see
    /// [`Pvp::Grudges`]); creatures are fought anyway when near.
    pub fn hit_by(&mut self, attacker: u32, view: &View, tick: u64) {
        if self.pvp == Pvp::Grudges
            && Some(attacker) != view.me
            && view
                .seen(attacker)
                .is_some_and(|s| s.kind == EntityKind::Player)
        {
            self.grudge = Some((attacker, tick + GRUDGE_TICKS));
        }
    }

    /// The input for server tick `tick`, given the current view.
    pub fn decide(&mut self, view: &View, tick: u64) -> PlayerInput {
        self.seq = self.seq.wrapping_add(1);
        let mut input = PlayerInput {
            seq: self.seq,
            ..PlayerInput::default()
        };
        if view.dead {
            self.grudge = None;
            return input;
        }
        let Some(me) = view.my_pos() else {
            // Not yet in view of itself (first snapshot pending): stand still.
            return input;
        };

        if tick >= self.next_chat {
            self.next_chat = tick + self.rng.random_range(CHAT_EVERY.0..CHAT_EVERY.1);
            let line = CHAT_LINES[self.rng.random_range(0..CHAT_LINES.len())];
            input.chat = Some(ChatCommand {
                channel: ChatChannel::Global,
                text: line.to_owned(),
            });
        }
        if view.hunger < 60.0
            && let Some(slot) = self.slot_of(view, |i, k| k.food.contains(&i))
        {
            input.select_slot = Some(slot);
            input.secondary = true;
        } else if tick >= self.next_craft && !view.crafting {
            self.next_craft = tick + CRAFT_EVERY;
            if !self.knowledge.recipes.is_empty() {
                let pick = self.rng.random_range(0..self.knowledge.recipes.len());
                input.craft = Some(self.knowledge.recipes[pick]);
            }
        } else if tick >= self.next_build
            && let Some(slot) = self.slot_of(view, |i, k| k.structures.contains(&i))
        {
            self.next_build = tick + BUILD_EVERY;
            let dir = Vec2::from_angle(self.rng.random_range(0.0..std::f32::consts::TAU));
            let at = me + dir * (CELL * 1.5);
            input.build = Some(BuildCommand {
                slot,
                cell_x: (at.x / CELL).floor() as i32,
                cell_y: (at.y / CELL).floor() as i32,
            });
        }

        let near = Nearby::of(view, me);
        let player = Nearby::within(near.player, AGGRO);
        if self.pvp == Pvp::Grudges {
            self.maybe_pick_fight(player.map(|(id, _)| id), tick);
            if view.health < RETREAT_BELOW
                && let Some((_, from)) = player
            {
                self.flee(me, from, &mut input);
                return input;
            }
        }
        let target = self
            .foe(view, &near, me, tick)
            .or_else(|| Nearby::within(near.node, SIGHT).map(|(_, p)| p));
        match target {
            Some(pos) => {
                let to = pos - me;
                input.aim = to.y.atan2(to.x);
                if to.length() > REACH {
                    let dir = to * (1.0 / to.length());
                    input.move_x = dir.x;
                    input.move_y = dir.y;
                } else {
                    // Hold the button every other tick, as a clicking player would.
                    self.swing_phase = !self.swing_phase;
                    input.primary = self.swing_phase;
                }
            }
            None => {
                if tick >= self.next_wander {
                    self.next_wander = tick + self.rng.random_range(40..100);
                    let a = self.rng.random_range(0.0..std::f32::consts::TAU);
                    self.wander = Vec2::from_angle(a);
                }
                input.move_x = self.wander.x;
                input.move_y = self.wander.y;
                input.aim = self.wander.y.atan2(self.wander.x);
                input.sprint = self.rng.random_range(0..10) == 0;
            }
        }
        input
    }

    /// Every 1–3 minutes, a fight with `nearest` (the nearest player within aggro range).
    fn maybe_pick_fight(&mut self, nearest: Option<u32>, tick: u64) {
        if tick < self.next_fight {
            return;
        }
        self.next_fight = tick
            + self
                .rng
                .random_range(PICK_FIGHT_EVERY.0..PICK_FIGHT_EVERY.1);
        if let Some(id) = nearest {
            self.grudge = Some((id, tick + GRUDGE_TICKS));
        }
    }

    /// Runs from a player at `from`, giving up any fight.
    fn flee(&mut self, me: Vec2, from: Vec2, input: &mut PlayerInput) {
        self.grudge = None;
        let away = me - from;
        let dir = if away.length() > 1e-3 {
            away * (1.0 / away.length())
        } else {
            self.wander
        };
        input.move_x = dir.x;
        input.move_y = dir.y;
        input.aim = dir.y.atan2(dir.x);
        input.sprint = true;
    }

    fn slot_of(&self, view: &View, want: impl Fn(u16, &Knowledge) -> bool) -> Option<u8> {
        view.inventory
            .iter()
            .position(|s| s.is_some_and(|s| s.count > 0 && want(s.item, &self.knowledge)))
            .and_then(|i| u8::try_from(i).ok())
    }

    /// The nearest creature within aggro range, else the player this bot fights (see
    /// [`Pvp`]).
    fn foe(&mut self, view: &View, near: &Nearby, me: Vec2, tick: u64) -> Option<Vec2> {
        let nearest = match self.pvp {
            Pvp::Mob => Nearby::closer(near.creature, near.prey),
            Pvp::Grudges => near.creature,
        };
        if let Some((_, pos)) = Nearby::within(nearest, AGGRO) {
            return Some(pos);
        }
        let (foe, until) = self.grudge.filter(|_| self.pvp == Pvp::Grudges)?;
        let pos = view
            .seen(foe)
            .filter(|_| tick < until)
            .map(|s| s.pos)
            .filter(|p| p.distance_squared(me) <= SIGHT * SIGHT);
        if pos.is_none() {
            // Gone, dead, out of sight or forgiven.
            self.grudge = None;
        }
        pos
    }
}

/// An entity near the bot: squared distance, id, position.
type Near = Option<(f32, u32, Vec2)>;

/// The nearest entity of each kind the brain reacts to, within [`SIGHT`], found in one
/// pass over the view (a bot decides 20 times a second among hundreds of entities).
#[derive(Debug, Clone, Copy, Default)]
struct Nearby {
    creature: Near,
    /// Another player.
    player: Near,
    /// A player every bot hunts in [`Pvp::Mob`].
    prey: Near,
    /// A resource node that is not depleted.
    node: Near,
}

impl Nearby {
    fn of(view: &View, me: Vec2) -> Nearby {
        fn keep(slot: &mut Near, d: f32, id: u32, pos: Vec2) {
            if slot.is_none_or(|(best, _, _)| d < best) {
                *slot = Some((d, id, pos));
            }
        }
        let mut n = Nearby::default();
        for (id, s) in &view.entities {
            let d = s.pos.distance_squared(me);
            if d > SIGHT * SIGHT {
                continue;
            }
            match s.kind {
                EntityKind::Creature => keep(&mut n.creature, d, *id, s.pos),
                EntityKind::Player if Some(*id) != view.me => {
                    keep(&mut n.player, d, *id, s.pos);
                    if id % MOB_PREY_EVERY == 0 {
                        keep(&mut n.prey, d, *id, s.pos);
                    }
                }
                EntityKind::Node if s.flags & sim_core::EntityView::FLAG_INACTIVE == 0 => {
                    keep(&mut n.node, d, *id, s.pos);
                }
                _ => {}
            }
        }
        n
    }

    /// The nearer of `a` and `b` (`a` when as near).
    fn closer(a: Near, b: Near) -> Near {
        match (a, b) {
            (Some(x), Some(y)) if y.0 < x.0 => b,
            (None, _) => b,
            _ => a,
        }
    }

    /// The id and position of `near` if it is within `range`.
    fn within(near: Near, range: f32) -> Option<(u32, Vec2)> {
        near.filter(|(d, _, _)| *d <= range * range)
            .map(|(_, id, p)| (id, p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view_with(me: Vec2, others: &[(u32, EntityKind, Vec2)]) -> View {
        let mut v = View {
            me: Some(1),
            hunger: 100.0,
            health: 100.0,
            ..View::default()
        };
        v.entities.push((
            1,
            Seen {
                kind: EntityKind::Player,
                subtype: 0,
                pos: me,
                flags: 0,
            },
        ));
        for &(id, kind, pos) in others {
            let seen = Seen {
                kind,
                subtype: 0,
                pos,
                flags: 0,
            };
            v.entities.push((id, seen));
        }
        v.entities.sort_by_key(|e| e.0);
        v
    }

    fn brain() -> Brain {
        let content = Content::builtin().expect("builtin content");
        Brain::new(
            7,
            std::sync::Arc::new(Knowledge::from_content(&content)),
            Pvp::Grudges,
        )
    }

    #[test]
    fn walks_to_a_node_then_swings_at_it() {
        let mut b = brain();
        let far = view_with(
            Vec2::new(100.0, 100.0),
            &[(5, EntityKind::Node, Vec2::new(300.0, 100.0))],
        );
        let i = b.decide(&far, 1);
        assert!(i.move_x > 0.9 && i.move_y.abs() < 0.1, "{i:?}");
        assert!(!i.primary);
        let near = view_with(
            Vec2::new(260.0, 100.0),
            &[(5, EntityKind::Node, Vec2::new(300.0, 100.0))],
        );
        let swings: Vec<bool> = (2..6).map(|t| b.decide(&near, t).primary).collect();
        assert_eq!(swings.iter().filter(|s| **s).count(), 2, "{swings:?}");
        assert!(b.decide(&near, 7).aim.abs() < 1e-3);
    }

    #[test]
    fn fights_creatures_before_gathering_and_wanders_when_alone() {
        let mut b = brain();
        let v = view_with(
            Vec2::new(0.0, 0.0),
            &[
                (5, EntityKind::Node, Vec2::new(80.0, 0.0)),
                (6, EntityKind::Creature, Vec2::new(0.0, 100.0)),
            ],
        );
        let i = b.decide(&v, 1);
        assert!(i.move_y > 0.9, "heads for the creature: {i:?}");
        let alone = view_with(Vec2::new(0.0, 0.0), &[]);
        let i = b.decide(&alone, 2);
        assert!(
            (Vec2::new(i.move_x, i.move_y).length() - 1.0).abs() < 1e-3,
            "{i:?}"
        );
        let dead = View {
            dead: true,
            ..alone
        };
        assert_eq!(b.decide(&dead, 3).move_x, 0.0);
    }

    /// Whether `input` heads for (or swings at) a target straight along +x.
    fn aims_at_plus_x(input: &PlayerInput) -> bool {
        input.aim.abs() < 1e-6
    }

    #[test]
    fn fights_back_a_player_who_hits_it_until_the_grudge_ends() {
        let mut b = brain();
        b.next_fight = u64::MAX;
        let me = Vec2::new(0.0, 0.0);
        let v = view_with(
            me,
            &[
                (5, EntityKind::Node, Vec2::new(0.0, 80.0)),
                (14, EntityKind::Player, Vec2::new(100.0, 0.0)),
            ],
        );
        assert!(
            b.decide(&v, 1).move_y > 0.9,
            "gathers, leaving player 14 alone"
        );
        b.hit_by(14, &v, 10);
        assert!(aims_at_plus_x(&b.decide(&v, 11)), "heads for who hit it");
        assert!(aims_at_plus_x(&b.decide(&v, 10 + GRUDGE_TICKS - 1)));
        assert!(b.decide(&v, 10 + GRUDGE_TICKS).move_y > 0.9, "forgives");
        // Hits by creatures or by itself make no grudge.
        b.hit_by(5, &v, 300);
        b.hit_by(1, &v, 300);
        assert!(b.decide(&v, 301).move_y > 0.9);
    }

    #[test]
    fn runs_from_players_when_hurt() {
        let mut b = brain();
        b.next_fight = u64::MAX;
        let mut v = view_with(
            Vec2::new(0.0, 0.0),
            &[
                (5, EntityKind::Node, Vec2::new(0.0, 50.0)),
                (14, EntityKind::Player, Vec2::new(100.0, 0.0)),
            ],
        );
        v.health = 30.0;
        b.hit_by(14, &v, 1);
        let i = b.decide(&v, 2);
        assert!(i.move_x < -0.99 && i.sprint && !i.primary, "{i:?}");
        assert!(b.grudge.is_none(), "gives up the fight");
        v.entities.retain(|e| e.0 != 14);
        let i = b.decide(&v, 3);
        assert!(
            (i.aim - std::f32::consts::FRAC_PI_2).abs() < 1e-3,
            "gathers again when alone: {i:?}"
        );
    }

    #[test]
    fn picks_a_fight_with_the_nearest_player_every_few_minutes() {
        let mut b = brain();
        let v = view_with(
            Vec2::new(0.0, 0.0),
            &[
                (14, EntityKind::Player, Vec2::new(100.0, 0.0)),
                (15, EntityKind::Player, Vec2::new(-150.0, 0.0)),
            ],
        );
        // 20 minutes: one fight every 1–3 minutes, GRUDGE_TICKS each unless hit back.
        let fighting = (0..24_000)
            .filter(|t| aims_at_plus_x(&b.decide(&v, *t)))
            .count();
        let ticks = GRUDGE_TICKS as usize;
        assert!(
            (6 * ticks..=21 * ticks).contains(&fighting),
            "{fighting} ticks of fighting in 20 min"
        );
    }

    #[test]
    fn a_mob_hunts_every_seventh_player() {
        let content = Content::builtin().expect("builtin content");
        let knowledge = std::sync::Arc::new(Knowledge::from_content(&content));
        let mut b = Brain::new(7, knowledge, Pvp::Mob);
        let prey = view_with(
            Vec2::new(0.0, 0.0),
            &[(14, EntityKind::Player, Vec2::new(100.0, 0.0))],
        );
        assert!((0..100).all(|t| aims_at_plus_x(&b.decide(&prey, t))));
        let other = view_with(
            Vec2::new(0.0, 0.0),
            &[(15, EntityKind::Player, Vec2::new(100.0, 0.0))],
        );
        assert!(!(0..100).all(|t| aims_at_plus_x(&b.decide(&other, t))));
    }

    #[test]
    fn the_same_seed_behaves_the_same() {
        let v = view_with(Vec2::new(0.0, 0.0), &[]);
        let (mut a, mut b) = (brain(), brain());
        for t in 0..2000 {
            assert_eq!(a.decide(&v, t), b.decide(&v, t));
        }
    }

    #[test]
    fn crafts_and_chats_now_and_then() {
        let mut b = brain();
        let v = view_with(Vec2::new(0.0, 0.0), &[]);
        let inputs: Vec<PlayerInput> = (0..4000).map(|t| b.decide(&v, t)).collect();
        assert!(inputs.iter().filter(|i| i.craft.is_some()).count() >= 10);
        let chats = inputs.iter().filter(|i| i.chat.is_some()).count();
        assert!((2..=8).contains(&chats), "{chats} chat lines in 200 s");
    }
}
