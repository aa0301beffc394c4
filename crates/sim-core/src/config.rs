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
        ] {
            if !(v.is_finite() && v > 0.0) {
                out.push(format!("{name} must be a positive number, got {v}"));
            }
        }
        out
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
