//! Chat: control characters stripped, at most 200 characters, a burst-then-steady rate
//! limit per player (GCRA in ticks), and a team channel.

use crate::{ChatChannel, ChatCommand, Event, PlayerId, RejectReason, World};

/// Characters looked at in one line at most, so a huge input costs bounded work.
const MAX_SCANNED_CHARS: usize = 4 * World::CHAT_MAX_CHARS;

/// The text with control characters removed, trimmed, cut to `max` characters.
pub fn clean_text(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut kept = 0;
    for c in text.chars().take(MAX_SCANNED_CHARS) {
        if kept == max {
            break;
        }
        if !c.is_control() {
            out.push(c);
            kept += 1;
        }
    }
    out.trim().to_owned()
}

/// Says a line, or rejects it (empty, too fast, no team).
pub(crate) fn say(world: &mut World, id: PlayerId, cmd: &ChatCommand) {
    let text = clean_text(&cmd.text, World::CHAT_MAX_CHARS);
    let reject =
        |world: &mut World, reason| world.events.push(Event::Rejected { player: id, reason });
    if text.is_empty() {
        return reject(world, RejectReason::EmptyChat);
    }
    let interval = world.config.ticks(world.config.chat_interval_s).max(1);
    let burst = u64::from(world.config.chat_burst.max(1));
    let now = world.tick;
    let Some(p) = world.players.get_mut(&id) else {
        return;
    };
    let team = match cmd.channel {
        ChatChannel::Global => None,
        ChatChannel::Team => match p.team {
            Some(t) => Some(t),
            None => return reject(world, RejectReason::TeamUnavailable),
        },
    };
    let tat = p.chat_tat.max(now);
    if tat > now + interval * (burst - 1) {
        return reject(world, RejectReason::ChatRateLimited);
    }
    p.chat_tat = tat + interval;
    let name = p.name.clone();
    world.events.push(Event::Chat {
        from: id,
        name,
        channel: cmd.channel,
        team,
        text,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_go_and_length_is_capped() {
        assert_eq!(clean_text("  hi\u{7}\nthere\t ", 200), "hithere");
        assert_eq!(clean_text(&"é".repeat(500), 200).chars().count(), 200);
        assert_eq!(clean_text("\u{0}\u{1b}", 200), "");
    }
}
