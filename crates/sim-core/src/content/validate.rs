//! Cross-checks of the content files: names resolve, amounts are positive, nothing is
//! defined twice. Every problem is a [`SimError::ContentInvalid`] naming the culprit.

use std::collections::{BTreeMap, BTreeSet};

use super::{Content, DropDef, ItemKind, Raw};
use crate::SimError;

fn invalid(msg: String) -> SimError {
    SimError::ContentInvalid(msg)
}

fn unique<'a>(what: &str, names: impl Iterator<Item = &'a String>) -> Result<(), SimError> {
    let mut seen = BTreeSet::new();
    for n in names {
        if !seen.insert(n) {
            return Err(invalid(format!("{what} {n:?} is defined twice")));
        }
    }
    Ok(())
}

fn amount(owner: &str, name: &str, count: i64) -> Result<u16, SimError> {
    if count <= 0 {
        return Err(invalid(format!(
            "{owner} has a non-positive amount {count} of {name:?}"
        )));
    }
    u16::try_from(count)
        .map_err(|_| invalid(format!("{owner}: amount {count} of {name:?} is too large")))
}

fn finite_non_negative(owner: &str, field: &str, v: f32) -> Result<(), SimError> {
    if v.is_finite() && v >= 0.0 {
        Ok(())
    } else {
        Err(invalid(format!(
            "{owner}: {field} must be a non-negative number, got {v}"
        )))
    }
}

fn resolve_drops(
    owner: &str,
    drops: &mut [DropDef],
    index: &BTreeMap<String, u16>,
) -> Result<(), SimError> {
    for d in drops {
        d.item_index = *index
            .get(&d.item)
            .ok_or_else(|| invalid(format!("{owner} names unknown item {:?}", d.item)))?;
        amount(owner, &d.item, d.count)?;
    }
    Ok(())
}

pub(super) fn resolve(mut raw: Raw) -> Result<Content, SimError> {
    if raw.items.len() >= usize::from(u16::MAX) {
        return Err(invalid("too many items".into()));
    }
    unique("item", raw.items.iter().map(|i| &i.name))?;
    unique("recipe", raw.recipes.iter().map(|i| &i.name))?;
    unique("node", raw.nodes.iter().map(|i| &i.name))?;
    unique("creature", raw.creatures.iter().map(|i| &i.name))?;
    let mut item_index = BTreeMap::new();
    for (i, item) in raw.items.iter().enumerate() {
        item_index.insert(item.name.clone(), i as u16);
    }
    let mut stations = BTreeSet::new();
    for item in &mut raw.items {
        let owner = format!("item {:?}", item.name);
        for (field, v) in [
            ("damage", item.damage),
            ("range", item.range),
            ("cooldown_s", item.cooldown_s),
            ("armor", item.armor),
            ("food", item.food),
            ("water", item.water),
            ("heal", item.heal),
            ("health", item.health),
            ("projectile_speed", item.projectile_speed),
            ("projectile_life_s", item.projectile_life_s),
            ("warm_radius", item.warm_radius),
        ] {
            finite_non_negative(&owner, field, v)?;
        }
        if let Some(ammo) = &item.ammo {
            let i = item_index
                .get(ammo)
                .ok_or_else(|| invalid(format!("{owner} names unknown ammo item {ammo:?}")))?;
            item.ammo_item = Some(*i);
        }
        if item.kind == ItemKind::Structure && item.health <= 0.0 {
            return Err(invalid(format!(
                "{owner}: a structure needs positive health"
            )));
        }
        if item.kind == ItemKind::Armor && item.slot.is_none() {
            return Err(invalid(format!(
                "{owner}: armor needs a slot (head or body)"
            )));
        }
        if let Some(s) = &item.station {
            stations.insert(s.clone());
        }
    }
    for r in &mut raw.recipes {
        let owner = format!("recipe {:?}", r.name);
        r.input_items.clear();
        for (name, count) in &r.inputs {
            let i = *item_index
                .get(name)
                .ok_or_else(|| invalid(format!("{owner} names unknown item {name:?}")))?;
            r.input_items.push((i, amount(&owner, name, *count)?));
        }
        r.output_item = *item_index
            .get(&r.output)
            .ok_or_else(|| invalid(format!("{owner} names unknown item {:?}", r.output)))?;
        amount(&owner, &r.output, r.count)?;
        finite_non_negative(&owner, "time_s", r.time_s)?;
        if r.xp < 0 {
            return Err(invalid(format!("{owner} has negative xp {}", r.xp)));
        }
        if r.station != "none" && !stations.contains(&r.station) {
            return Err(invalid(format!(
                "{owner} needs station {:?}, which no structure provides",
                r.station
            )));
        }
    }
    for n in &mut raw.nodes {
        let owner = format!("node {:?}", n.name);
        if n.drops.is_empty() {
            return Err(invalid(format!("{owner} drops nothing")));
        }
        resolve_drops(&owner, &mut n.drops, &item_index)?;
        finite_non_negative(&owner, "radius", n.radius)?;
        finite_non_negative(&owner, "respawn_factor", n.respawn_factor)?;
        for (b, d) in &n.density {
            if !(d.is_finite() && (0.0..=1.0).contains(d)) {
                return Err(invalid(format!(
                    "{owner}: density in {b:?} must be 0..=1, got {d}"
                )));
            }
        }
    }
    for c in &mut raw.creatures {
        let owner = format!("creature {:?}", c.name);
        resolve_drops(&owner, &mut c.drops, &item_index)?;
        if !(c.health.is_finite() && c.health > 0.0) {
            return Err(invalid(format!("{owner}: health must be positive")));
        }
        for (field, v) in [
            ("speed", c.speed),
            ("radius", c.radius),
            ("aggro_range", c.aggro_range),
            ("damage", c.damage),
            ("attack_range", c.attack_range),
            ("attack_cooldown_s", c.attack_cooldown_s),
        ] {
            finite_non_negative(&owner, field, v)?;
        }
        if c.xp < 0 {
            return Err(invalid(format!("{owner} has negative xp {}", c.xp)));
        }
    }
    for s in &mut raw.spawns {
        let owner = format!("spawn of {:?}", s.creature);
        let i = raw
            .creatures
            .iter()
            .position(|c| c.name == s.creature)
            .ok_or_else(|| invalid(format!("{owner} names unknown creature")))?;
        s.creature_index = i as u16;
        if s.cap < 0 || s.night_cap < 0 || s.group_min < 1 || s.group_max < s.group_min {
            return Err(invalid(format!(
                "{owner}: caps must be >= 0 and 1 <= group_min <= group_max"
            )));
        }
        if s.cap > 10_000 || s.night_cap > 10_000 || s.group_max > 100 {
            return Err(invalid(format!(
                "{owner}: caps or group size are too large"
            )));
        }
    }
    resolve_drops("starter_kit", &mut raw.starter_kit, &item_index)?;
    Ok(Content {
        items: raw.items,
        recipes: raw.recipes,
        nodes: raw.nodes,
        creatures: raw.creatures,
        spawns: raw.spawns,
        starter_kit: raw.starter_kit,
        item_index,
    })
}

#[cfg(test)]
mod tests {
    use super::super::Content;

    const ITEMS: &str = "[[item]]\nname = \"wood\"\nkind = \"resource\"\n";

    fn err_of(files: &[(&str, &str)]) -> String {
        match Content::from_sources(files) {
            Ok(_) => "no error".to_owned(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn builtin_content_loads() {
        let c = Content::builtin().expect("builtin content is valid");
        assert!(c.item_index("wood").is_some());
        assert_eq!(c.nodes().len(), 6);
        assert_eq!(c.creatures().len(), 4);
        assert!(c.recipe_index("anvil").is_some());
    }

    #[test]
    fn unknown_item_in_recipe_is_a_clear_error() {
        let e = err_of(&[
            ("items.toml", ITEMS),
            (
                "recipes.toml",
                "[[recipe]]\nname = \"x\"\ninputs = { gold = 1 }\noutput = \"wood\"\ncount = 1\ntime_s = 1.0\nstation = \"none\"\nxp = 0\n",
            ),
        ]);
        assert!(e.contains("unknown item \"gold\""), "{e}");
    }

    #[test]
    fn negative_amount_is_a_clear_error() {
        let e = err_of(&[
            ("items.toml", ITEMS),
            (
                "recipes.toml",
                "[[recipe]]\nname = \"x\"\ninputs = { wood = -2 }\noutput = \"wood\"\ncount = 1\ntime_s = 1.0\nstation = \"none\"\nxp = 0\n",
            ),
        ]);
        assert!(e.contains("non-positive amount -2"), "{e}");
    }

    #[test]
    fn duplicate_item_is_a_clear_error() {
        let e = err_of(&[("items.toml", &format!("{ITEMS}{ITEMS}"))]);
        assert!(e.contains("item \"wood\" is defined twice"), "{e}");
    }

    #[test]
    fn unknown_station_and_creature_are_clear_errors() {
        let e = err_of(&[
            ("items.toml", ITEMS),
            (
                "recipes.toml",
                "[[recipe]]\nname = \"x\"\ninputs = { wood = 1 }\noutput = \"wood\"\ncount = 1\ntime_s = 1.0\nstation = \"forge\"\nxp = 0\n",
            ),
        ]);
        assert!(e.contains("needs station \"forge\""), "{e}");
        let e = err_of(&[(
            "spawns.toml",
            "[[spawn]]\ncreature = \"dragon\"\nbiome = \"forest\"\ncap = 1\nnight_cap = 1\ngroup_min = 1\ngroup_max = 1\n",
        )]);
        assert!(e.contains("unknown creature"), "{e}");
    }

    #[test]
    fn unknown_field_and_biome_are_parse_errors() {
        let e = err_of(&[(
            "items.toml",
            "[[item]]\nname = \"a\"\nkind = \"resource\"\ncolour = 1\n",
        )]);
        assert!(e.contains("items.toml") && e.contains("colour"), "{e}");
        let e = err_of(&[(
            "nodes.toml",
            "[[node]]\nname = \"n\"\nradius = 1.0\ndrops = []\ndensity = { lava = 0.1 }\n",
        )]);
        assert!(e.contains("nodes.toml"), "{e}");
    }
}
