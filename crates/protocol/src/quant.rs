//! Quantisation: how the simulation's floats become the small integers on the wire,
//! and back. The wire carries no floats, so encoding is exact and byte-stable.

use std::f32::consts::TAU;

/// Position steps per world unit: positions travel in whole units. A player is 48 u
/// across, so a unit is finer than anything drawn, and moves of up to 63 u (three
/// ticks of sprinting) fit a one-byte `svar`.
pub const POS_SCALE: f32 = 1.0;

/// A world coordinate in wire steps (rounded; non-finite becomes 0, huge values saturate).
pub fn pos_to_wire(v: f32) -> i32 {
    if v.is_finite() {
        (v * POS_SCALE).round() as i32
    } else {
        0
    }
}

/// A wire coordinate in world units.
pub fn pos_from_wire(v: i32) -> f32 {
    v as f32 / POS_SCALE
}

/// An angle in radians as 1/256 turns (entity facing).
pub fn angle_to_u8(a: f32) -> u8 {
    if !a.is_finite() {
        return 0;
    }
    ((a / TAU * 256.0).round() as i64).rem_euclid(256) as u8
}

/// 1/256 turns in radians, in [0, 2π).
pub fn angle_from_u8(a: u8) -> f32 {
    f32::from(a) / 256.0 * TAU
}

/// An angle in radians as 1/65536 turns (the precise aim of an input).
pub fn aim_to_u16(a: f32) -> u16 {
    if !a.is_finite() {
        return 0;
    }
    ((a / TAU * 65536.0).round() as i64).rem_euclid(65536) as u16
}

/// 1/65536 turns in radians, in [0, 2π).
pub fn aim_from_u16(a: u16) -> f32 {
    f32::from(a) / 65536.0 * TAU
}

/// A movement component in [-1, 1] as -127..=127.
pub fn move_to_i8(v: f32) -> i8 {
    if v.is_finite() {
        (v.clamp(-1.0, 1.0) * 127.0).round() as i8
    } else {
        0
    }
}

/// -127..=127 back to [-1, 1] (-128 reads as -1).
pub fn move_from_i8(v: i8) -> f32 {
    (f32::from(v) / 127.0).max(-1.0)
}

/// A 0..=100 meter rounded to a whole point.
pub fn meter_to_u8(v: f32) -> u8 {
    if v.is_finite() {
        v.clamp(0.0, 255.0).round() as u8
    } else {
        0
    }
}

/// Damage in tenths of a point, saturating.
pub fn damage_to_wire(v: f32) -> u32 {
    if v.is_finite() && v > 0.0 {
        (v * 10.0).round().min(u32::MAX as f32) as u32
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn angles_round_trip_within_one_step() {
        for i in -20..20 {
            let a = i as f32 * 0.37;
            let back = angle_from_u8(angle_to_u8(a));
            let diff = (back - a.rem_euclid(TAU)).abs();
            assert!(
                diff < TAU / 256.0 || (TAU - diff) < TAU / 256.0,
                "{a} -> {back}"
            );
        }
        assert_eq!(angle_to_u8(f32::NAN), 0);
        assert_eq!(aim_to_u16(TAU), 0);
    }

    #[test]
    fn positions_and_moves_quantise_and_saturate() {
        assert_eq!(pos_to_wire(10.25), 10);
        assert_eq!(pos_to_wire(10.5), 11);
        assert_eq!(pos_to_wire(-3.6), -4);
        assert_eq!(pos_from_wire(21), 21.0);
        assert_eq!(pos_to_wire(1e12), i32::MAX);
        assert_eq!(pos_to_wire(f32::INFINITY), 0);
        assert_eq!(move_to_i8(5.0), 127);
        assert_eq!(move_from_i8(-128), -1.0);
        assert_eq!(meter_to_u8(99.6), 100);
    }
}
