//! The tunable numbers of the game (`game.toml`), with GAME.md's defaults.

use serde::{Deserialize, Serialize};

use crate::SimError;

/// Every number of the game rules that an operator may override.
///
/// Loaded by the server from `game.toml` and the `GAME_*` environment variables; the
/// defaults are the ones in `shared/design/GAME.md`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GameConfig {
    /// Simulation ticks per second (`GAME_TICK_RATE`).
    pub tick_rate: u32,
    /// Side of the square world in world units (`GAME_WORLD_SIZE`).
    pub world_size: f32,
    /// Players one world admits (`GAME_MAX_PLAYERS`).
    pub max_players: u32,
    /// Shortest delay before a depleted node grows back, in seconds (`GAME_RESOURCE_RESPAWN_MIN`).
    pub resource_respawn_min_s: f32,
    /// Longest delay before a depleted node grows back, in seconds (`GAME_RESOURCE_RESPAWN_MAX`).
    pub resource_respawn_max_s: f32,
    /// Player circle radius.
    pub player_radius: f32,
    /// Walking speed in units per second.
    pub walk_speed: f32,
    /// Speed factor while sprinting.
    pub sprint_multiplier: f32,
    /// Stamina spent per second of sprinting.
    pub sprint_stamina_per_s: f32,
    /// Stamina regained per second when neither sprinting nor attacking.
    pub stamina_regen_per_s: f32,
    /// Seconds for hunger to fall by one point.
    pub hunger_interval_s: f32,
    /// Seconds for thirst to fall by one point.
    pub thirst_interval_s: f32,
    /// Length of a whole day/night cycle in seconds.
    pub day_length_s: f32,
    /// Seconds of daylight at the start of each cycle.
    pub daylight_s: f32,
    /// Hunger and thirst at or above this regenerate health.
    pub regen_threshold: f32,
    /// Health regenerated per second when fed and watered.
    pub regen_per_s: f32,
    /// Below this hunger or thirst the player is slowed.
    pub hungry_threshold: f32,
    /// Speed factor while hungry or thirsty.
    pub hungry_speed_factor: f32,
    /// Below this hunger or thirst the player takes damage.
    pub starving_threshold: f32,
    /// Health lost per second for each of starving and dehydrated.
    pub starve_damage_per_s: f32,
    /// Health lost per second in snow at night away from a fire.
    pub cold_damage_per_s: f32,
    /// Reach beyond the player's radius for gathering and interacting.
    pub gather_reach: f32,
    /// Seconds between swings with bare hands or a tool without its own cooldown.
    pub swing_cooldown_s: f32,
    /// Damage of a bare-handed hit.
    pub hand_damage: f32,
    /// Knockback speed in u/s given by a melee hit.
    pub knockback: f32,
    /// Distance within which a recipe's station must stay.
    pub craft_station_range: f32,
    /// Largest distance from the player to a placed structure's centre.
    pub build_reach: f32,
    /// Thirst restored per drink at water.
    pub drink_amount: f32,
    /// Seconds between uses (eat, drink, interact).
    pub use_cooldown_s: f32,
    /// Inventory slots without a backpack.
    pub inventory_slots: u32,
    /// Seconds a loot bag stays on the ground.
    pub loot_bag_lifetime_s: f32,
    /// Seconds between death and respawn.
    pub respawn_delay_s: f32,
    /// Hostile creatures must be at least this far from a respawn spot.
    pub respawn_hostile_distance: f32,
    /// Experience for killing a player.
    pub player_kill_xp: u32,
    /// Most players in one team.
    pub team_max: u32,
    /// Chat lines a player may send at once before the rate limit applies.
    pub chat_burst: u32,
    /// Seconds per chat line allowed on average.
    pub chat_interval_s: f32,
    /// Seconds between creature spawn passes.
    pub creature_spawn_interval_s: f32,
    /// Creatures spawn at least this far from the chosen player.
    pub creature_spawn_min_distance: f32,
    /// Creatures spawn at most this far from the chosen player.
    pub creature_spawn_max_distance: f32,
    /// Creatures farther than this from every player vanish.
    pub creature_despawn_distance: f32,
}

impl Default for GameConfig {
    fn default() -> Self {
        Self {
            tick_rate: 20,
            world_size: 4000.0,
            max_players: 100,
            resource_respawn_min_s: 300.0,
            resource_respawn_max_s: 900.0,
            player_radius: 24.0,
            walk_speed: 200.0,
            sprint_multiplier: 1.5,
            sprint_stamina_per_s: 10.0,
            stamina_regen_per_s: 5.0,
            hunger_interval_s: 6.0,
            thirst_interval_s: 4.5,
            day_length_s: 1200.0,
            daylight_s: 480.0,
            regen_threshold: 75.0,
            regen_per_s: 0.5,
            hungry_threshold: 50.0,
            hungry_speed_factor: 0.8,
            starving_threshold: 25.0,
            starve_damage_per_s: 1.0,
            cold_damage_per_s: 0.5,
            gather_reach: 40.0,
            swing_cooldown_s: 0.5,
            hand_damage: 5.0,
            knockback: 300.0,
            craft_station_range: 150.0,
            build_reach: 160.0,
            drink_amount: 10.0,
            use_cooldown_s: 0.3,
            inventory_slots: 16,
            loot_bag_lifetime_s: 300.0,
            respawn_delay_s: 3.0,
            respawn_hostile_distance: 400.0,
            player_kill_xp: 50,
            team_max: 4,
            chat_burst: 3,
            chat_interval_s: 2.0,
            creature_spawn_interval_s: 1.0,
            creature_spawn_min_distance: 500.0,
            creature_spawn_max_distance: 1000.0,
            creature_despawn_distance: 1600.0,
        }
    }
}

impl GameConfig {
    /// Seconds per tick.
    pub fn dt(&self) -> f32 {
        1.0 / self.tick_rate as f32
    }

    /// Every problem with the numbers, one message each; empty when all is well.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.tick_rate == 0 || self.tick_rate > 240 {
            out.push(format!("tick_rate must be 1..=240, got {}", self.tick_rate));
        }
        if !(self.world_size.is_finite() && (200.0..=100_000.0).contains(&self.world_size)) {
            out.push(format!(
                "world_size must be 200..=100000, got {}",
                self.world_size
            ));
        }
        if self.max_players == 0 {
            out.push("max_players must be at least 1".to_owned());
        }
        if !(self.resource_respawn_min_s >= 0.0
            && self.resource_respawn_min_s <= self.resource_respawn_max_s)
        {
            out.push(format!(
                "resource respawn window [{}, {}] must satisfy 0 <= min <= max",
                self.resource_respawn_min_s, self.resource_respawn_max_s
            ));
        }
        if !(self.daylight_s > 0.0 && self.daylight_s < self.day_length_s) {
            out.push("daylight_s must be positive and shorter than day_length_s".to_owned());
        }
        for (name, v) in [
            ("player_radius", self.player_radius),
            ("walk_speed", self.walk_speed),
            ("sprint_multiplier", self.sprint_multiplier),
            ("hunger_interval_s", self.hunger_interval_s),
            ("thirst_interval_s", self.thirst_interval_s),
            ("chat_interval_s", self.chat_interval_s),
            ("creature_spawn_interval_s", self.creature_spawn_interval_s),
            ("swing_cooldown_s", self.swing_cooldown_s),
        ] {
            if !(v.is_finite() && v > 0.0) {
                out.push(format!("{name} must be a positive number, got {v}"));
            }
        }
        for (name, v) in [
            ("regen_threshold", self.regen_threshold),
            ("regen_per_s", self.regen_per_s),
            ("hungry_threshold", self.hungry_threshold),
            ("hungry_speed_factor", self.hungry_speed_factor),
            ("starving_threshold", self.starving_threshold),
            ("starve_damage_per_s", self.starve_damage_per_s),
            ("cold_damage_per_s", self.cold_damage_per_s),
            ("gather_reach", self.gather_reach),
            ("swing_cooldown_s", self.swing_cooldown_s),
            ("hand_damage", self.hand_damage),
            ("knockback", self.knockback),
            ("craft_station_range", self.craft_station_range),
            ("build_reach", self.build_reach),
            ("drink_amount", self.drink_amount),
            ("use_cooldown_s", self.use_cooldown_s),
            ("loot_bag_lifetime_s", self.loot_bag_lifetime_s),
            ("respawn_delay_s", self.respawn_delay_s),
            ("respawn_hostile_distance", self.respawn_hostile_distance),
            ("chat_interval_s", self.chat_interval_s),
            ("creature_spawn_interval_s", self.creature_spawn_interval_s),
            (
                "creature_spawn_min_distance",
                self.creature_spawn_min_distance,
            ),
            (
                "creature_spawn_max_distance",
                self.creature_spawn_max_distance,
            ),
            ("creature_despawn_distance", self.creature_despawn_distance),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                out.push(format!("{name} must be a non-negative number, got {v}"));
            }
        }
        if !(1..=1000).contains(&self.inventory_slots) {
            out.push(format!(
                "inventory_slots must be 1..=1000, got {}",
                self.inventory_slots
            ));
        }
        if self.team_max == 0 {
            out.push("team_max must be at least 1".to_owned());
        }
        if self.creature_spawn_min_distance > self.creature_spawn_max_distance {
            out.push(
                "creature_spawn_min_distance must not exceed creature_spawn_max_distance"
                    .to_owned(),
            );
        }
        out
    }

    /// Seconds to whole ticks (at least 0).
    pub fn ticks(&self, seconds: f32) -> u64 {
        let t = (seconds * self.tick_rate as f32).round();
        if t.is_finite() && t > 0.0 {
            t as u64
        } else {
            0
        }
    }

    /// `Ok` when [`GameConfig::problems`] finds none, else all of them in one error.
    pub fn validate(&self) -> Result<(), SimError> {
        let problems = self.problems();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(SimError::ConfigInvalid(problems.join("; ")))
        }
    }
}
