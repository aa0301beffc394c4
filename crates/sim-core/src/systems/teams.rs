//! Teams of up to `team_max` players: create, join a player's team, leave.

use crate::entities::Team;
use crate::{Event, PlayerId, RejectReason, TeamCommand, World};

/// Longest team name kept, in characters.
pub const TEAM_NAME_MAX_CHARS: usize = 24;

fn changed(world: &mut World, player: PlayerId, team: Option<u32>) {
    world.events.push(Event::TeamChanged { player, team });
}

fn unavailable(world: &mut World, player: PlayerId) {
    world.events.push(Event::Rejected {
        player,
        reason: RejectReason::TeamUnavailable,
    });
}

/// Applies a team command.
pub(crate) fn command(world: &mut World, id: PlayerId, cmd: &TeamCommand) {
    let Some(p) = world.players.get(&id) else {
        return;
    };
    match cmd {
        TeamCommand::Create(name) => {
            if p.team.is_some() {
                return unavailable(world, id);
            }
            let name = crate::systems::chat::clean_text(name, TEAM_NAME_MAX_CHARS);
            if name.is_empty() || world.teams.values().any(|t| t.name == name) {
                return unavailable(world, id);
            }
            create(world, id, name);
        }
        TeamCommand::Join(other) => {
            let team = world.players.get(&PlayerId(*other)).and_then(|o| o.team);
            match team {
                Some(t) if p.team.is_none() => join(world, id, t),
                _ => unavailable(world, id),
            }
        }
        TeamCommand::Leave => {
            if p.team.is_none() {
                return unavailable(world, id);
            }
            leave_team(world, id);
        }
    }
}

fn create(world: &mut World, id: PlayerId, name: String) {
    let t = world.next_team;
    world.next_team = world.next_team.saturating_add(1);
    world.teams.insert(
        t,
        Team {
            name,
            members: vec![id],
        },
    );
    if let Some(p) = world.players.get_mut(&id) {
        p.team = Some(t);
    }
    changed(world, id, Some(t));
}

fn join(world: &mut World, id: PlayerId, t: u32) {
    let max = world.config.team_max as usize;
    let Some(team) = world.teams.get_mut(&t) else {
        return unavailable(world, id);
    };
    if team.members.len() >= max {
        return unavailable(world, id);
    }
    team.members.push(id);
    if let Some(p) = world.players.get_mut(&id) {
        p.team = Some(t);
    }
    changed(world, id, Some(t));
}

/// Takes a player out of their team; an empty team disappears.
pub(crate) fn leave_team(world: &mut World, id: PlayerId) {
    let Some(t) = world.players.get_mut(&id).and_then(|p| p.team.take()) else {
        return;
    };
    if let Some(team) = world.teams.get_mut(&t) {
        team.members.retain(|m| *m != id);
        if team.members.is_empty() {
            world.teams.remove(&t);
        }
    }
    changed(world, id, None);
}

/// On join with saved progress: back into the team of that name if it exists and has
/// room, else a new team of that name.
pub(crate) fn rejoin_by_name(world: &mut World, id: PlayerId, name: &str) {
    let name = crate::systems::chat::clean_text(name, TEAM_NAME_MAX_CHARS);
    if name.is_empty() {
        return;
    }
    let existing = world
        .teams
        .iter()
        .find(|(_, t)| t.name == name)
        .map(|(k, _)| *k);
    match existing {
        Some(t) => {
            if world
                .teams
                .get(&t)
                .is_some_and(|tm| tm.members.len() < world.config.team_max as usize)
            {
                join(world, id, t);
            }
        }
        None => create(world, id, name),
    }
}

/// The team id and name of a player.
pub(crate) fn team_name(world: &World, t: u32) -> Option<&str> {
    world.teams.get(&t).map(|t| t.name.as_str())
}
