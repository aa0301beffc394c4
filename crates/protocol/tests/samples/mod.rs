//! One sample of every message type, shared by the golden-vector test, the fuzz seeds
//! and the benchmarks. Changing a sample changes its vector files: regenerate them with
//! `KINDLING_REGEN_VECTORS=1 cargo test -p protocol --test vectors`.

#![allow(dead_code)]

use protocol::*;
use sim_core::content::ItemKind;
use sim_core::{BuildCommand, ChatChannel, ChatCommand, EntityKind, ItemStack, TeamCommand};

/// (file stem, message).
pub fn client_samples() -> Vec<(&'static str, ClientMessage)> {
    vec![
        (
            "client_handshake_guest",
            ClientMessage::Handshake(Handshake {
                versions: vec![1],
                client: "kindling-web/0.1.0".into(),
                auth: Auth::Guest {
                    name: Some("Ada".into()),
                },
                resume_token: None,
            }),
        ),
        (
            "client_handshake_token",
            ClientMessage::Handshake(Handshake {
                versions: vec![2, 1],
                client: "bot".into(),
                auth: Auth::Token {
                    token: "eyJhbGciOiJIUzI1NiJ9.e30.sig".into(),
                },
                resume_token: Some("r3sum3".into()),
            }),
        ),
        (
            "client_input_move",
            ClientMessage::Input(Input {
                seq: 300,
                ack_tick: 1234,
                move_x: 127,
                move_y: -90,
                aim: 16384,
                sprint: true,
                primary: true,
                ..Input::default()
            }),
        ),
        (
            "client_input_actions",
            ClientMessage::Input(Input {
                seq: 7,
                ack_tick: 0,
                move_x: 0,
                move_y: 0,
                aim: 65535,
                sprint: false,
                primary: false,
                secondary: true,
                interact: true,
                cancel_craft: true,
                select_slot: Some(3),
                craft: Some(200),
                build: Some(BuildCommand {
                    slot: 5,
                    cell_x: -2,
                    cell_y: 70,
                }),
                drop_slot: Some(1),
                equip_slot: Some(2),
                chat: Some(ChatCommand {
                    channel: ChatChannel::Team,
                    text: "hé ✓".into(),
                }),
                team: Some(TeamCommand::Create("wolves".into())),
                chest_put: None,
                chest_take: None,
            }),
        ),
        (
            "client_input_chest",
            ClientMessage::Input(Input {
                seq: 9,
                ack_tick: 10,
                interact: true,
                chest_put: Some(2),
                chest_take: Some(0),
                ..Input::default()
            }),
        ),
        (
            "client_input_team_join",
            ClientMessage::Input(Input {
                seq: 8,
                ack_tick: 9,
                team: Some(TeamCommand::Join(42)),
                ..Input::default()
            }),
        ),
        ("client_ping", ClientMessage::Ping(Ping { nonce: 99 })),
        ("client_pong", ClientMessage::Pong(Ping { nonce: 100_000 })),
        (
            "client_disconnect",
            ClientMessage::Disconnect(Disconnect {
                reason: DisconnectReason::ClientQuit,
                message: "bye".into(),
            }),
        ),
    ]
}

/// A player entity as it appears in snapshots.
pub fn player_entity(id: u32, x: i32) -> EntityState {
    EntityState {
        id,
        kind: EntityKind::Player,
        subtype: 0,
        x,
        y: 4000,
        angle: 64,
        health: 100,
        flags: 2,
        player: Some(PlayerInfo {
            name: format!("p{id}"),
            level: 3,
            team: if id.is_multiple_of(2) { Some(1) } else { None },
        }),
    }
}

/// A resource node entity.
pub fn node_entity(id: u32) -> EntityState {
    EntityState {
        id,
        kind: EntityKind::Node,
        subtype: 2,
        x: 300,
        y: -1,
        angle: 0,
        health: 100,
        flags: 4,
        player: None,
    }
}

/// (file stem, message, compression used).
pub fn server_samples() -> Vec<(&'static str, ServerMessage, Compression)> {
    let off = Compression::OFF;
    vec![
        (
            "server_handshake_ack",
            ServerMessage::HandshakeAck(HandshakeAck {
                version: 1,
                session_id: "0b6f1c1e-2a7d-4c1b-9a57-5e8e3c1d2f00".into(),
                player: 17,
                tick_rate: 20,
                server_tick: 123_456,
                world: WorldInfo {
                    world_size: 4000,
                    view_width: 1600,
                    view_height: 1000,
                    snapshot_interval: 2,
                    build_cell: 40,
                    day_length_ticks: 24_000,
                    daylight_ticks: 9_600,
                    content_version: 0x0123_4567_89ab_cdef,
                },
                resume_token: "resume-abc".into(),
            }),
            off,
        ),
        (
            "server_content",
            ServerMessage::Content(ContentTables {
                items: vec![
                    ItemInfo {
                        name: "wood".into(),
                        kind: ItemKind::Resource,
                    },
                    ItemInfo {
                        name: "workbench".into(),
                        kind: ItemKind::Structure,
                    },
                ],
                recipes: vec![RecipeInfo {
                    name: "workbench".into(),
                    output: 1,
                    count: 1,
                    time_ticks: 60,
                    station: None,
                    xp: 10,
                    inputs: vec![RecipeInput { item: 0, count: 10 }],
                }],
            }),
            off,
        ),
        (
            "server_world_map",
            ServerMessage::WorldMap(WorldMap {
                cell_size: 1000,
                cols: 4,
                rows: 2,
                cells: vec![0, 1, 1, 2, 3, 3, 4, 5],
            }),
            off,
        ),
        (
            "server_snapshot",
            ServerMessage::Snapshot(Snapshot {
                tick: 1000,
                last_input_seq: 55,
                entities: vec![
                    player_entity(17, 4000),
                    node_entity(300),
                    // At rest (angle 0, health 100, flags 0): three bytes shorter.
                    EntityState {
                        flags: 0,
                        ..node_entity(301)
                    },
                ],
            }),
            off,
        ),
        (
            "server_delta",
            ServerMessage::Delta(Delta {
                tick: 1002,
                base_tick: 998,
                last_input_seq: 57,
                removed: vec![5, 9, 200],
                entered: vec![player_entity(18, -20)],
                changed: vec![
                    EntityChange {
                        id: 17,
                        moved: Some([20, -3]),
                        angle: Some(70),
                        ..EntityChange::default()
                    },
                    EntityChange {
                        id: 301,
                        health: Some(50),
                        flags: Some(0),
                        subtype: Some(3),
                        player: Some(PlayerInfo {
                            name: "x".into(),
                            level: 1,
                            team: None,
                        }),
                        ..EntityChange::default()
                    },
                    // Same fields as 17: grouped with it, after 301 on the wire.
                    EntityChange {
                        id: 402,
                        moved: Some([-1, 0]),
                        angle: Some(255),
                        ..EntityChange::default()
                    },
                ],
            }),
            off,
        ),
        (
            "server_private",
            ServerMessage::Private(PrivateState {
                tick: 1002,
                entity: 17,
                health: 100,
                hunger: 75,
                thirst: 50,
                stamina: 3,
                dead: false,
                selected_slot: 1,
                inventory: vec![
                    Some(ItemStack {
                        item: 0,
                        count: 12,
                        durability: 0,
                    }),
                    None,
                    Some(ItemStack {
                        item: 130,
                        count: 1,
                        durability: 200,
                    }),
                ],
                equipment: [
                    None,
                    None,
                    Some(ItemStack {
                        item: 4,
                        count: 1,
                        durability: 50,
                    }),
                ],
                crafting: Some(Crafting {
                    recipe: 2,
                    ticks_left: 40,
                }),
                xp: 1500,
                level: 4,
                chest: None,
            }),
            off,
        ),
        (
            "server_private_chest",
            ServerMessage::Private(PrivateState {
                tick: 1004,
                entity: 17,
                health: 90,
                hunger: 80,
                thirst: 70,
                stamina: 100,
                dead: true,
                selected_slot: 0,
                inventory: vec![None; 2],
                equipment: [None, None, None],
                crafting: None,
                xp: 0,
                level: 1,
                chest: Some(ChestView {
                    entity: 4242,
                    slots: vec![
                        None,
                        Some(ItemStack {
                            item: 7,
                            count: 30,
                            durability: 0,
                        }),
                    ],
                }),
            }),
            off,
        ),
        (
            "server_events_world",
            ServerMessage::Events(Events {
                tick: 1005,
                events: vec![
                    GameEvent::StructurePlaced {
                        entity: 5000,
                        item: 12,
                    },
                    GameEvent::Consumed { item: Some(3) },
                    GameEvent::Consumed { item: None },
                    GameEvent::TeamChanged {
                        player: 17,
                        team: Some(4),
                    },
                    GameEvent::TeamChanged {
                        player: 18,
                        team: None,
                    },
                    GameEvent::Rejected {
                        code: RejectCode::WrongItem,
                        item: None,
                    },
                    GameEvent::Rejected {
                        code: RejectCode::NotOwner,
                        item: None,
                    },
                ],
            }),
            off,
        ),
        (
            "server_events",
            ServerMessage::Events(Events {
                tick: 1003,
                events: vec![
                    GameEvent::Chat {
                        from: 18,
                        name: "p18".into(),
                        channel: ChatChannel::Global,
                        text: "hello".into(),
                    },
                    GameEvent::Hit {
                        attacker: 18,
                        target: 17,
                        damage: 125,
                        x: 4000,
                        y: 4002,
                    },
                    GameEvent::Death {
                        victim: 900,
                        killer: Some(17),
                        x: -5,
                        y: 6,
                    },
                    GameEvent::Death {
                        victim: 901,
                        killer: None,
                        x: 0,
                        y: 0,
                    },
                    GameEvent::Gathered { item: 0, count: 2 },
                    GameEvent::CraftStarted {
                        recipe: 2,
                        ticks: 60,
                    },
                    GameEvent::Crafted { recipe: 2 },
                    GameEvent::CraftCancelled { recipe: 3 },
                    GameEvent::LevelUp {
                        player: 17,
                        level: 5,
                    },
                    GameEvent::Respawned {
                        player: 17,
                        x: 100,
                        y: 200,
                    },
                    GameEvent::Rejected {
                        code: RejectCode::MissingItem,
                        item: Some(1),
                    },
                    GameEvent::Rejected {
                        code: RejectCode::Cooldown,
                        item: None,
                    },
                ],
            }),
            off,
        ),
        ("server_ping", ServerMessage::Ping(Ping { nonce: 1 }), off),
        ("server_pong", ServerMessage::Pong(Ping { nonce: 99 }), off),
        (
            "server_error",
            ServerMessage::Error(ErrorMsg {
                code: ErrorCode::UnsupportedVersion,
                severity: Severity::Fatal,
                message: "unsupported protocol version(s) [9]; this server supports [1]".into(),
            }),
            off,
        ),
        (
            "server_disconnect",
            ServerMessage::Disconnect(Disconnect {
                reason: DisconnectReason::ServerShutdown,
                message: "server restarting".into(),
            }),
            off,
        ),
        (
            "server_leaderboard",
            ServerMessage::Leaderboard(Leaderboard {
                entries: vec![
                    LeaderEntry {
                        player: 17,
                        name: "p17".into(),
                        level: 9,
                        score: 4200,
                    },
                    LeaderEntry {
                        player: 3,
                        name: "Ada".into(),
                        level: 2,
                        score: 90,
                    },
                ],
            }),
            off,
        ),
        (
            "server_world_map_deflate",
            ServerMessage::WorldMap(WorldMap {
                cell_size: 50,
                cols: 80,
                rows: 80,
                cells: (0..6400u32)
                    .map(|i| ((i / 80 / 20 + i % 80 / 20) % 6) as u8)
                    .collect(),
            }),
            Compression::level(6),
        ),
    ]
}
