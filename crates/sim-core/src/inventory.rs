//! Inventories and chests: fixed slots of stacks. Counts never go negative and no
//! stack exceeds its item's `max_stack`; every operation reports what did not fit.

use crate::{Content, ItemStack};

/// A row of slots.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Inventory {
    pub(crate) slots: Vec<Option<ItemStack>>,
}

impl Inventory {
    /// An empty inventory of `n` slots.
    pub(crate) fn new(n: usize) -> Self {
        Self {
            slots: vec![None; n],
        }
    }

    /// Grows (never shrinks) to `n` slots.
    pub(crate) fn grow_to(&mut self, n: usize) {
        if self.slots.len() < n {
            self.slots.resize(n, None);
        }
    }

    /// Units of `item` held.
    pub(crate) fn count(&self, item: u16) -> u32 {
        self.slots
            .iter()
            .flatten()
            .filter(|s| s.item == item)
            .map(|s| u32::from(s.count))
            .sum()
    }

    /// Whether every slot is empty.
    pub(crate) fn is_empty(&self) -> bool {
        self.slots.iter().all(Option::is_none)
    }

    /// A fresh stack of `count` units of `item` at full durability.
    pub(crate) fn fresh(content: &Content, item: u16, count: u16) -> ItemStack {
        let durability = content.item(item).map_or(0, |d| d.durability);
        ItemStack {
            item,
            count,
            durability,
        }
    }

    /// Adds `count` new units of `item`; returns how many did not fit.
    pub(crate) fn add(&mut self, content: &Content, item: u16, count: u32) -> u32 {
        let mut left = count;
        while left > 0 {
            let chunk = left.min(u32::from(u16::MAX)) as u16;
            let rest = self.add_stack(content, Self::fresh(content, item, chunk));
            let placed = u32::from(chunk - rest.map_or(0, |s| s.count));
            left -= placed;
            if rest.is_some() {
                break;
            }
        }
        left
    }

    /// Adds a stack, merging into partial stacks first; returns what did not fit.
    pub(crate) fn add_stack(
        &mut self,
        content: &Content,
        mut stack: ItemStack,
    ) -> Option<ItemStack> {
        let max = content.item(stack.item).map_or(1, |d| d.max_stack());
        if stack.count == 0 {
            return None;
        }
        if max > 1 {
            for s in self.slots.iter_mut().flatten() {
                if s.item == stack.item && s.count < max {
                    let moved = (max - s.count).min(stack.count);
                    s.count += moved;
                    stack.count -= moved;
                    if stack.count == 0 {
                        return None;
                    }
                }
            }
        }
        for slot in &mut self.slots {
            if slot.is_none() {
                let moved = max.min(stack.count);
                *slot = Some(ItemStack {
                    count: moved,
                    ..stack
                });
                stack.count -= moved;
                if stack.count == 0 {
                    return None;
                }
            }
        }
        Some(stack)
    }

    /// Removes `count` units of `item` if all are there; otherwise changes nothing.
    pub(crate) fn remove(&mut self, item: u16, count: u32) -> bool {
        if self.count(item) < count {
            return false;
        }
        let mut left = count;
        // Take from the last stacks first so the hotbar's front stays put.
        for slot in self.slots.iter_mut().rev() {
            if left == 0 {
                break;
            }
            if let Some(s) = slot
                && s.item == item
            {
                let taken = u32::from(s.count).min(left);
                s.count -= taken as u16;
                left -= taken;
                if s.count == 0 {
                    *slot = None;
                }
            }
        }
        true
    }

    /// Takes the whole stack out of slot `i`.
    pub(crate) fn take(&mut self, i: usize) -> Option<ItemStack> {
        self.slots.get_mut(i).and_then(Option::take)
    }

    /// Removes and returns every stack.
    pub(crate) fn drain(&mut self) -> impl Iterator<Item = ItemStack> + '_ {
        self.slots.iter_mut().filter_map(Option::take)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacks_merge_cap_and_report_overflow() {
        let c = Content::builtin().expect("content");
        let wood = c.item_index("wood").expect("wood");
        let axe = c.item_index("stone_axe").expect("axe");
        let mut inv = Inventory::new(3);
        assert_eq!(inv.add(&c, wood, 250), 0);
        assert_eq!(inv.count(wood), 250);
        assert_eq!(inv.add(&c, wood, 100), 50);
        assert_eq!(inv.count(wood), 300);
        assert!(!inv.remove(wood, 301));
        assert!(inv.remove(wood, 299));
        assert_eq!(inv.count(wood), 1);
        assert_eq!(inv.add(&c, axe, 3), 1, "tools do not stack");
        let s = inv
            .slots
            .iter()
            .flatten()
            .find(|s| s.item == axe)
            .expect("axe");
        assert_eq!(s.durability, 100);
    }
}
