//! Experience and levels: level n + 1 needs 100·n^1.5 total XP.

use crate::{Event, PlayerId, World};

/// The level reached with `xp` total experience.
pub fn level_for_xp(xp: u64) -> u32 {
    let mut n: u32 = 1;
    // n·sqrt(n) is exact IEEE arithmetic, so levels agree on every platform.
    while n < 100_000 {
        let f = f64::from(n);
        if 100.0 * f * f.sqrt() > xp as f64 {
            break;
        }
        n += 1;
    }
    n
}

/// Adds experience and announces a level up.
pub(crate) fn add_xp(world: &mut World, id: PlayerId, amount: u64) {
    let Some(p) = world.players.get_mut(&id) else {
        return;
    };
    p.xp = p.xp.saturating_add(amount);
    let level = level_for_xp(p.xp);
    if level > p.level {
        p.level = level;
        world.events.push(Event::LevelUp { player: id, level });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_thresholds_follow_the_formula() {
        assert_eq!(level_for_xp(0), 1);
        assert_eq!(level_for_xp(99), 1);
        assert_eq!(level_for_xp(100), 2);
        assert_eq!(level_for_xp(282), 2);
        assert_eq!(level_for_xp(283), 3);
        assert_eq!(level_for_xp(800), 5);
        assert!(level_for_xp(u64::MAX) <= 100_000);
    }
}
