//! Game content — items, recipes, nodes, creatures, spawn tables — loaded from the TOML
//! files in `crates/sim-core/content/` and validated at load with clear errors.

mod defs;
mod validate;

use std::collections::BTreeMap;

use serde::Deserialize;

pub use defs::{
    ArmorSlot, Behavior, CreatureDef, DropDef, ItemDef, ItemKind, NodeDef, RecipeDef, SpawnDef,
    ToolClass,
};

use crate::SimError;

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NodesFile {
    node: Vec<NodeDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreaturesFile {
    creature: Vec<CreatureDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpawnsFile {
    #[serde(default)]
    starter_kit: Vec<DropDef>,
    #[serde(default)]
    spawn: Vec<SpawnDef>,
}

/// All content, validated, with names resolved to indices.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    items: Vec<ItemDef>,
    recipes: Vec<RecipeDef>,
    nodes: Vec<NodeDef>,
    creatures: Vec<CreatureDef>,
    spawns: Vec<SpawnDef>,
    starter_kit: Vec<DropDef>,
    item_index: BTreeMap<String, u16>,
}

/// The content files, by name, as read before validation.
#[derive(Default)]
struct Raw {
    items: Vec<ItemDef>,
    recipes: Vec<RecipeDef>,
    nodes: Vec<NodeDef>,
    creatures: Vec<CreatureDef>,
    spawns: Vec<SpawnDef>,
    starter_kit: Vec<DropDef>,
}

impl Content {
    /// The content shipped in the repository (embedded at compile time).
    pub fn builtin() -> Result<Self, SimError> {
        Self::from_sources(&[
            ("items.toml", include_str!("../content/items.toml")),
            ("recipes.toml", include_str!("../content/recipes.toml")),
            ("nodes.toml", include_str!("../content/nodes.toml")),
            ("creatures.toml", include_str!("../content/creatures.toml")),
            ("spawns.toml", include_str!("../content/spawns.toml")),
        ])
    }

    /// Parses and validates content from `(file name, text)` pairs. The file name's
    /// ending picks the format: `items.toml`, `recipes.toml`, `nodes.toml`,
    /// `creatures.toml`, `spawns.toml`.
    pub fn from_sources(files: &[(&str, &str)]) -> Result<Self, SimError> {
        let mut raw = Raw::default();
        for (file, text) in files {
            let parse_err = |e: toml::de::Error| SimError::ContentParse {
                file: (*file).to_owned(),
                message: e.to_string(),
            };
            if file.ends_with("items.toml") {
                raw.items
                    .extend(toml::from_str::<ItemsFile>(text).map_err(parse_err)?.item);
            } else if file.ends_with("recipes.toml") {
                let f = toml::from_str::<RecipesFile>(text).map_err(parse_err)?;
                raw.recipes.extend(f.recipe);
            } else if file.ends_with("nodes.toml") {
                raw.nodes
                    .extend(toml::from_str::<NodesFile>(text).map_err(parse_err)?.node);
            } else if file.ends_with("creatures.toml") {
                let f = toml::from_str::<CreaturesFile>(text).map_err(parse_err)?;
                raw.creatures.extend(f.creature);
            } else if file.ends_with("spawns.toml") {
                let f = toml::from_str::<SpawnsFile>(text).map_err(parse_err)?;
                raw.spawns.extend(f.spawn);
                raw.starter_kit.extend(f.starter_kit);
            } else {
                return Err(SimError::ContentParse {
                    file: (*file).to_owned(),
                    message: "unknown content file (expected items, recipes, nodes, creatures or spawns .toml)".to_owned(),
                });
            }
        }
        validate::resolve(raw)
    }

    /// All items, in index order.
    pub fn items(&self) -> &[ItemDef] {
        &self.items
    }

    /// One item by index.
    pub fn item(&self, index: u16) -> Option<&ItemDef> {
        self.items.get(usize::from(index))
    }

    /// All recipes, in index order ([`crate::PlayerInput::craft`] indexes this).
    pub fn recipes(&self) -> &[RecipeDef] {
        &self.recipes
    }

    /// Resource node kinds, in index order (`EntityView::subtype` of nodes).
    pub fn nodes(&self) -> &[NodeDef] {
        &self.nodes
    }

    /// Creature kinds, in index order (`EntityView::subtype` of creatures).
    pub fn creatures(&self) -> &[CreatureDef] {
        &self.creatures
    }

    /// Creature spawn table.
    pub fn spawns(&self) -> &[SpawnDef] {
        &self.spawns
    }

    /// What a new or respawned player carries.
    pub fn starter_kit(&self) -> &[DropDef] {
        &self.starter_kit
    }

    /// The index of the item called `name`.
    pub fn item_index(&self, name: &str) -> Option<u16> {
        self.item_index.get(name).copied()
    }

    /// The index of the recipe called `name`.
    pub fn recipe_index(&self, name: &str) -> Option<u16> {
        let i = self.recipes.iter().position(|r| r.name == name)?;
        u16::try_from(i).ok()
    }

    /// The index of the node kind called `name`.
    pub fn node_index(&self, name: &str) -> Option<u16> {
        let i = self.nodes.iter().position(|n| n.name == name)?;
        u16::try_from(i).ok()
    }

    /// The index of the creature kind called `name`.
    pub fn creature_index(&self, name: &str) -> Option<u16> {
        let i = self.creatures.iter().position(|c| c.name == name)?;
        u16::try_from(i).ok()
    }
}
