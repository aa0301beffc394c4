//! A player's pending inputs: one is applied per tick, in arrival order, so two inputs
//! that reach the server within one tick both move the player (as the client predicted)
//! instead of the later one overwriting the earlier.
//!
//! The queue is bounded. Past [`INPUT_QUEUE_LEN`] the oldest input is folded into the
//! next one: its movement is dropped (the next one is newer) but its one-shot actions
//! (craft, build, chat, drop, equip, …) travel on, so an action is never lost to
//! crowding. Only when two actions of the same kind are queued back to back can they not
//! be folded; the queue then grows up to [`INPUT_QUEUE_HARD_LEN`], which the gateway's
//! input rate limit keeps out of reach of an honest client. A backlog that stands for
//! [`BACKLOG_TICKS`] is shrunk by one fold, so jitter does not add latency for good.

use std::collections::VecDeque;

use sim_core::PlayerInput;

/// Inputs kept per player before the oldest is folded into the next.
pub const INPUT_QUEUE_LEN: usize = 8;
/// Inputs kept per player at most, actions included; past it the oldest is dropped whole.
pub const INPUT_QUEUE_HARD_LEN: usize = 4 * INPUT_QUEUE_LEN;
/// Ticks a backlog may stand before it is shrunk by one. The client sends one input per
/// tick, so a backlog left by a burst (inputs bunched by network jitter) would otherwise
/// delay every later input for the rest of the session.
pub const BACKLOG_TICKS: u32 = 20;
/// Inputs a drained queue keeps room for: one a tick arrives and one is applied, with
/// room for a little jitter before the queue grows.
const STEADY_CAPACITY: usize = 4;

/// What a push had to give up to stay bounded.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Overflow {
    /// Movement-only inputs folded away (their one-shot actions kept).
    pub folded: u32,
    /// Inputs dropped whole, actions included (only past the hard bound).
    pub dropped: u32,
}

/// One player's bounded input queue.
#[derive(Debug, Default)]
pub struct InputQueue {
    pending: VecDeque<PlayerInput>,
    /// Consecutive ticks that ended with inputs still waiting.
    backlog_ticks: u32,
}

impl InputQueue {
    /// Queues `input` behind the others and keeps the queue within its bounds.
    pub fn push(&mut self, input: PlayerInput) -> Overflow {
        self.pending.push_back(input);
        let mut overflow = Overflow::default();
        while self.pending.len() > INPUT_QUEUE_LEN && self.fold_oldest() {
            overflow.folded += 1;
        }
        while self.pending.len() > INPUT_QUEUE_HARD_LEN {
            self.pending.pop_front();
            overflow.dropped += 1;
        }
        overflow
    }

    /// The input for this tick, if any, and how many inputs were folded away because a
    /// backlog stood for [`BACKLOG_TICKS`].
    pub fn pop(&mut self) -> (Option<PlayerInput>, u32) {
        let mut folded = 0;
        if self.pending.len() > 1 {
            self.backlog_ticks += 1;
            if self.backlog_ticks >= BACKLOG_TICKS {
                self.backlog_ticks = 0;
                folded = u32::from(self.fold_oldest());
            }
        } else {
            self.backlog_ticks = 0;
        }
        let input = self.pending.pop_front();
        if self.pending.is_empty() && self.pending.capacity() > STEADY_CAPACITY {
            self.pending.shrink_to(STEADY_CAPACITY);
        }
        (input, folded)
    }

    /// Folds the oldest input whose actions the next one can carry into that next one.
    fn fold_oldest(&mut self) -> bool {
        let Some(i) = (0..self.pending.len().saturating_sub(1))
            .find(|&i| can_carry(&self.pending[i + 1], &self.pending[i]))
        else {
            return false;
        };
        match self.pending.remove(i) {
            Some(older) => {
                carry_actions(&mut self.pending[i], older);
                true
            }
            None => false,
        }
    }

    /// Inputs waiting.
    pub fn len(&self) -> usize {
        self.pending.len()
    }

    /// No input waiting.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }
}

/// Whether `later` can take over every one-shot action of `older` (no slot taken twice).
fn can_carry(later: &PlayerInput, older: &PlayerInput) -> bool {
    let free = |a: bool, b: bool| !(a && b);
    free(later.select_slot.is_some(), older.select_slot.is_some())
        && free(later.craft.is_some(), older.craft.is_some())
        && free(later.build.is_some(), older.build.is_some())
        && free(later.drop_slot.is_some(), older.drop_slot.is_some())
        && free(later.equip_slot.is_some(), older.equip_slot.is_some())
        && free(later.chat.is_some(), older.chat.is_some())
        && free(later.team.is_some(), older.team.is_some())
        && free(later.chest_put.is_some(), older.chest_put.is_some())
        && free(later.chest_take.is_some(), older.chest_take.is_some())
}

/// Moves `older`'s one-shot actions into `later`; movement, aim and seq stay `later`'s.
/// Held buttons count if held in either.
fn carry_actions(later: &mut PlayerInput, older: PlayerInput) {
    later.primary |= older.primary;
    later.secondary |= older.secondary;
    later.interact |= older.interact;
    later.cancel_craft |= older.cancel_craft;
    later.select_slot = later.select_slot.or(older.select_slot);
    later.craft = later.craft.or(older.craft);
    later.build = later.build.take().or(older.build);
    later.drop_slot = later.drop_slot.or(older.drop_slot);
    later.equip_slot = later.equip_slot.or(older.equip_slot);
    later.chat = later.chat.take().or(older.chat);
    later.team = later.team.take().or(older.team);
    later.chest_put = later.chest_put.or(older.chest_put);
    later.chest_take = later.chest_take.or(older.chest_take);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moving(seq: u32, x: f32) -> PlayerInput {
        PlayerInput {
            seq,
            move_x: x,
            ..PlayerInput::default()
        }
    }

    #[test]
    fn two_inputs_of_one_tick_are_applied_one_per_tick_in_order() {
        let mut q = InputQueue::default();
        assert_eq!(q.push(moving(1, 1.0)), Overflow::default());
        assert_eq!(q.push(moving(2, -1.0)), Overflow::default());
        assert_eq!(q.pop().0.map(|i| (i.seq, i.move_x)), Some((1, 1.0)));
        assert_eq!(q.pop().0.map(|i| (i.seq, i.move_x)), Some((2, -1.0)));
        assert!(q.pop().0.is_none());
    }

    #[test]
    fn past_the_bound_the_oldest_movement_is_folded_and_counted() {
        let mut q = InputQueue::default();
        let mut folded = 0;
        for seq in 1..=20 {
            folded += q.push(moving(seq, 1.0)).folded;
        }
        assert_eq!(q.len(), INPUT_QUEUE_LEN);
        assert_eq!(folded, 20 - INPUT_QUEUE_LEN as u32);
        assert_eq!(
            q.pop().0.map(|i| i.seq),
            Some(13),
            "the newest eight are kept"
        );
    }

    #[test]
    fn a_standing_backlog_shrinks_so_latency_does_not_stay() {
        let mut q = InputQueue::default();
        // A burst of three, then one input per tick as the client sends them.
        for seq in 1..=3 {
            q.push(moving(seq, 1.0));
        }
        let mut folded = 0;
        for seq in 4..(4 + 3 * BACKLOG_TICKS) {
            folded += q.pop().1;
            q.push(moving(seq, 1.0));
        }
        assert_eq!(folded, 2, "the two extra inputs were folded away");
        assert_eq!(q.len(), 1, "the queue is back to one input waiting");
    }

    #[test]
    fn a_drained_queue_gives_back_the_room_of_a_burst() {
        let mut q = InputQueue::default();
        for seq in 1..=INPUT_QUEUE_LEN as u32 {
            q.push(moving(seq, 1.0));
        }
        assert!(q.pending.capacity() >= INPUT_QUEUE_LEN);
        let drained: Vec<u32> = std::iter::from_fn(|| q.pop().0).map(|i| i.seq).collect();
        assert_eq!(drained, (1..=INPUT_QUEUE_LEN as u32).collect::<Vec<_>>());
        assert!(q.pending.capacity() <= STEADY_CAPACITY);
        // One input a tick, as a client sends them, needs no more room than that.
        for seq in 100..200 {
            q.push(moving(seq, 1.0));
            assert_eq!(q.pop().0.map(|i| i.seq), Some(seq));
            assert!(q.pending.capacity() <= STEADY_CAPACITY);
        }
    }

    #[test]
    fn one_shot_actions_survive_folding() {
        let mut q = InputQueue::default();
        q.push(PlayerInput {
            seq: 1,
            craft: Some(3),
            drop_slot: Some(2),
            ..PlayerInput::default()
        });
        q.push(PlayerInput {
            seq: 2,
            equip_slot: Some(1),
            ..PlayerInput::default()
        });
        for seq in 3..=30 {
            q.push(moving(seq, 1.0));
        }
        assert_eq!(q.len(), INPUT_QUEUE_LEN);
        let all: Vec<PlayerInput> = std::iter::from_fn(|| q.pop().0).collect();
        assert_eq!(all.iter().filter_map(|i| i.craft).collect::<Vec<_>>(), [3]);
        assert_eq!(
            all.iter().filter_map(|i| i.drop_slot).collect::<Vec<_>>(),
            [2]
        );
        assert_eq!(
            all.iter().filter_map(|i| i.equip_slot).collect::<Vec<_>>(),
            [1]
        );
    }

    #[test]
    fn actions_of_the_same_kind_back_to_back_are_all_kept_up_to_the_hard_bound() {
        let mut q = InputQueue::default();
        let mut dropped = 0;
        for seq in 0..INPUT_QUEUE_HARD_LEN as u32 {
            dropped += q
                .push(PlayerInput {
                    seq,
                    craft: Some(seq as u16),
                    ..PlayerInput::default()
                })
                .dropped;
        }
        assert_eq!(dropped, 0);
        assert_eq!(q.len(), INPUT_QUEUE_HARD_LEN, "no craft folded away");
        let over = q.push(PlayerInput {
            craft: Some(999),
            ..PlayerInput::default()
        });
        assert_eq!(over.dropped, 1);
        assert_eq!(q.len(), INPUT_QUEUE_HARD_LEN);
    }
}
