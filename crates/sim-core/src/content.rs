//! Game content — items, recipes, creatures, spawn tables — loaded from the TOML files
//! in `crates/sim-core/content/` and validated at load with clear errors.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::SimError;

/// What sort of thing an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// Raw or intermediate material.
    Resource,
    /// Edible.
    Food,
    /// Gathering tool.
    Tool,
    /// Weapon.
    Weapon,
    /// Wearable armor.
    Armor,
    /// Placeable structure.
    Structure,
    /// Ammunition.
    Ammo,
    /// Anything else.
    Misc,
}

/// One item definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemDef {
    /// Unique name, referenced by other content files and saved progress.
    pub name: String,
    /// Category.
    pub kind: ItemKind,
}

/// One recipe definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecipeDef {
    /// Unique name.
    pub name: String,
    /// Inputs by item name.
    pub inputs: BTreeMap<String, i64>,
    /// Output item name.
    pub output: String,
    /// Output count.
    pub count: i64,
    /// Craft time in seconds.
    pub time_s: f32,
    /// Station item name, or "none".
    pub station: String,
    /// Experience granted.
    pub xp: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemsFile {
    item: Vec<ItemDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecipesFile {
    recipe: Vec<RecipeDef>,
}

/// All content, validated, with names resolved to indices.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    items: Vec<ItemDef>,
    recipes: Vec<RecipeDef>,
    item_index: BTreeMap<String, u16>,
}

impl Content {
    /// The content shipped in the repository (embedded at compile time).
    pub fn builtin() -> Result<Self, SimError> {
        Self::from_sources(&[
            ("items.toml", include_str!("../content/items.toml")),
            ("recipes.toml", include_str!("../content/recipes.toml")),
        ])
    }

    /// Parses and validates content from `(file name, text)` pairs.
    pub fn from_sources(files: &[(&str, &str)]) -> Result<Self, SimError> {
        let mut items = Vec::new();
        let mut recipes = Vec::new();
        for (file, text) in files {
            let parse_err = |e: toml::de::Error| SimError::ContentParse {
                file: (*file).to_owned(),
                message: e.to_string(),
            };
            if file.ends_with("items.toml") {
                items.extend(toml::from_str::<ItemsFile>(text).map_err(parse_err)?.item);
            } else if file.ends_with("recipes.toml") {
                recipes.extend(
                    toml::from_str::<RecipesFile>(text)
                        .map_err(parse_err)?
                        .recipe,
                );
            } else {
                return Err(SimError::ContentParse {
                    file: (*file).to_owned(),
                    message: "unknown content file".to_owned(),
                });
            }
        }
        let mut item_index = BTreeMap::new();
        for (i, item) in items.iter().enumerate() {
            let i =
                u16::try_from(i).map_err(|_| SimError::ContentInvalid("too many items".into()))?;
            if item_index.insert(item.name.clone(), i).is_some() {
                return Err(SimError::ContentInvalid(format!(
                    "item {:?} is defined twice",
                    item.name
                )));
            }
        }
        for r in &recipes {
            for (name, count) in r
                .inputs
                .iter()
                .chain(std::iter::once((&r.output, &r.count)))
            {
                if !item_index.contains_key(name) {
                    return Err(SimError::ContentInvalid(format!(
                        "recipe {:?} names unknown item {:?}",
                        r.name, name
                    )));
                }
                if *count <= 0 {
                    return Err(SimError::ContentInvalid(format!(
                        "recipe {:?} has a non-positive amount {count} of {name:?}",
                        r.name
                    )));
                }
            }
        }
        Ok(Self {
            items,
            recipes,
            item_index,
        })
    }

    /// All items, in index order.
    pub fn items(&self) -> &[ItemDef] {
        &self.items
    }

    /// All recipes, in index order.
    pub fn recipes(&self) -> &[RecipeDef] {
        &self.recipes
    }

    /// The index of the item called `name`.
    pub fn item_index(&self, name: &str) -> Option<u16> {
        self.item_index.get(name).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_content_loads() {
        let c = Content::builtin().expect("builtin content is valid");
        assert!(c.item_index("wood").is_some());
    }

    #[test]
    fn unknown_item_in_recipe_is_a_clear_error() {
        let err = Content::from_sources(&[
            ("items.toml", "[[item]]\nname = \"wood\"\nkind = \"resource\"\n"),
            (
                "recipes.toml",
                "[[recipe]]\nname = \"x\"\ninputs = { gold = 1 }\noutput = \"wood\"\ncount = 1\ntime_s = 1.0\nstation = \"none\"\nxp = 0\n",
            ),
        ])
        .unwrap_err();
        assert!(err.to_string().contains("unknown item \"gold\""), "{err}");
    }
}
