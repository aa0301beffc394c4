//! Human-friendly units in configuration: durations like `24h` and sizes like `100MB`.
//!
//! Both accept a bare integer (seconds, bytes) because the seed's variables mix the two
//! styles (`SESSION_TIMEOUT=86400` next to `JWT_EXPIRES_IN=24h`).

use std::fmt;
use std::time::Duration;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A duration written as seconds (`30`) or with a unit (`500ms`, `30s`, `15m`, `24h`, `7d`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Seconds(pub Duration);

impl Seconds {
    /// A whole number of seconds.
    pub const fn secs(s: u64) -> Self {
        Self(Duration::from_secs(s))
    }

    /// Parses `30`, `500ms`, `30s`, `15m`, `24h` or `7d`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (num, unit) = t.split_at(split);
        let n: u64 = num.parse().map_err(|_| {
            format!("{text:?} is not a duration (write e.g. 30, 30s, 15m, 24h, 7d or 500ms)")
        })?;
        let ms_per_unit: u64 = match unit.trim() {
            "ms" => 1,
            "" | "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            other => {
                return Err(format!(
                    "{text:?} has an unknown duration unit {other:?} (use ms, s, m, h or d)"
                ));
            }
        };
        let ms = n
            .checked_mul(ms_per_unit)
            .ok_or_else(|| format!("{text:?} is too long a duration"))?;
        Ok(Self(Duration::from_millis(ms)))
    }
}

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0.as_millis();
        if !ms.is_multiple_of(1000) {
            write!(f, "{ms}ms")
        } else {
            let s = ms / 1000;
            match s {
                s if s != 0 && s.is_multiple_of(86_400) => write!(f, "{}d", s / 86_400),
                s if s != 0 && s.is_multiple_of(3_600) => write!(f, "{}h", s / 3_600),
                s if s != 0 && s.is_multiple_of(60) => write!(f, "{}m", s / 60),
                s => write!(f, "{s}s"),
            }
        }
    }
}

impl Serialize for Seconds {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Seconds;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a duration: seconds as a number, or a string like \"30s\", \"24h\"")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Seconds, E> {
                Ok(Seconds::secs(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Seconds, E> {
                u64::try_from(v)
                    .map(Seconds::secs)
                    .map_err(|_| E::custom(format!("a duration cannot be negative, got {v}")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Seconds, E> {
                Seconds::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// A size in bytes written as a number (`1048576`) or with a unit (`512KB`, `100MB`,
/// `1GiB`). KB/MB/GB are decimal, KiB/MiB/GiB binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ByteSize(pub u64);

impl ByteSize {
    /// Parses `1048576`, `512KB`, `100MB`, `1GiB`, `64 KiB`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (num, unit) = t.split_at(split);
        let n: u64 = num
            .parse()
            .map_err(|_| format!("{text:?} is not a size (write e.g. 1048576, 512KB or 100MB)"))?;
        let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
            "" | "b" => 1,
            "kb" | "k" => 1_000,
            "mb" | "m" => 1_000_000,
            "gb" | "g" => 1_000_000_000,
            "kib" => 1 << 10,
            "mib" => 1 << 20,
            "gib" => 1 << 30,
            other => {
                return Err(format!(
                    "{text:?} has an unknown size unit {other:?} (use B, KB, MB, GB, KiB, MiB or GiB)"
                ));
            }
        };
        n.checked_mul(mult)
            .map(Self)
            .ok_or_else(|| format!("{text:?} is too large"))
    }
}

impl fmt::Display for ByteSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0;
        match b {
            b if b != 0 && b.is_multiple_of(1_000_000_000) => write!(f, "{}GB", b / 1_000_000_000),
            b if b != 0 && b.is_multiple_of(1_000_000) => write!(f, "{}MB", b / 1_000_000),
            b if b != 0 && b.is_multiple_of(1_000) => write!(f, "{}KB", b / 1_000),
            b => write!(f, "{b}"),
        }
    }
}

impl Serialize for ByteSize {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ByteSize;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a size: bytes as a number, or a string like \"100MB\"")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ByteSize, E> {
                Ok(ByteSize(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ByteSize, E> {
                u64::try_from(v)
                    .map(ByteSize)
                    .map_err(|_| E::custom(format!("a size cannot be negative, got {v}")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ByteSize, E> {
                ByteSize::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_with_and_without_units() {
        assert_eq!(Seconds::parse("86400"), Ok(Seconds::secs(86_400)));
        assert_eq!(Seconds::parse("24h"), Ok(Seconds::secs(86_400)));
        assert_eq!(Seconds::parse("15m"), Ok(Seconds::secs(900)));
        assert_eq!(Seconds::parse("7d"), Ok(Seconds::secs(604_800)));
        assert_eq!(
            Seconds::parse("250ms"),
            Ok(Seconds(Duration::from_millis(250)))
        );
        assert!(Seconds::parse("24 hours").is_err());
        assert!(Seconds::parse("-5").is_err());
        assert!(Seconds::parse("h").is_err());
        assert_eq!(Seconds::secs(86_400).to_string(), "1d");
        assert_eq!(Seconds::secs(90).to_string(), "90s");
    }

    #[test]
    fn sizes_parse_decimal_and_binary_units() {
        assert_eq!(ByteSize::parse("100MB"), Ok(ByteSize(100_000_000)));
        assert_eq!(ByteSize::parse("64 KiB"), Ok(ByteSize(65_536)));
        assert_eq!(ByteSize::parse("8192"), Ok(ByteSize(8192)));
        assert!(ByteSize::parse("100 parsecs").is_err());
        assert!(ByteSize::parse("99999999999999999999GB").is_err());
        assert_eq!(ByteSize(100_000_000).to_string(), "100MB");
    }
}
