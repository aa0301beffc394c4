//! End to end over real sockets: HTTP accounts, WebSocket play, persistence in a real
//! database, resume, and every documented refusal while others keep playing.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

mod common;

use common::{GameClient, TestDb, TestServer, http, login, register, test_settings, token_auth};
use persistence::AccountId;
use protocol::{
    Auth, ClientMessage, Disconnect, DisconnectReason, ErrorCode, GameEvent, Input, ServerMessage,
};
use sim_core::{ChatChannel, ChatCommand};
use tokio_tungstenite::tungstenite::{Bytes, Message};

fn is_view(m: &ServerMessage) -> bool {
    matches!(m, ServerMessage::Snapshot(_) | ServerMessage::Delta(_))
}

/// Walks right until the player has moved `dist` units; returns the final position.
async fn walk_right(c: &mut GameClient, dist: f32) -> (f32, f32) {
    c.until(is_view).await;
    let start = c.my_pos().expect("own entity in view");
    for _ in 0..400 {
        c.input(Input {
            move_x: 127,
            ..Input::default()
        })
        .await;
        c.until(is_view).await;
        let now = c.my_pos().unwrap();
        if now.0 > start.0 + dist {
            // The world repeats the last input, so stand still before reporting.
            c.input(Input::default()).await;
            let mut last = now;
            loop {
                c.until(is_view).await;
                let p = c.my_pos().unwrap();
                if p == last {
                    return p;
                }
                last = p;
            }
        }
    }
    panic!("the player never moved {dist} units from {start:?}");
}

/// How many of item `item` the client holds, from its private state.
fn held(c: &GameClient, item: u16) -> u32 {
    c.view.private().map_or(0, |p| {
        p.inventory
            .iter()
            .flatten()
            .filter(|s| s.item == item)
            .map(|s| u32::from(s.count))
            .sum()
    })
}

/// Walks to the nearest tree in view and swings at it until wood is in the inventory.
async fn gather_wood(c: &mut GameClient, wood: u16) -> u32 {
    let before = held(c, wood);
    for _ in 0..600 {
        c.until(is_view).await;
        if held(c, wood) > before {
            return held(c, wood);
        }
        let me = c.my_pos().expect("own entity in view");
        let tree = c
            .view
            .latest()
            .unwrap()
            .values()
            // Node subtype 0 is "tree", the first entry of content/nodes.toml.
            .filter(|e| e.kind == sim_core::EntityKind::Node && e.subtype == 0)
            .map(|e| {
                (
                    protocol::quant::pos_from_wire(e.x),
                    protocol::quant::pos_from_wire(e.y),
                )
            })
            .min_by(|a, b| {
                let d = |p: &(f32, f32)| (p.0 - me.0).powi(2) + (p.1 - me.1).powi(2);
                d(a).total_cmp(&d(b))
            })
            .expect("a tree in view");
        let (dx, dy) = (tree.0 - me.0, tree.1 - me.1);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        let turns = dy.atan2(dx) / std::f32::consts::TAU;
        c.input(Input {
            move_x: (dx / len * 127.0) as i8,
            move_y: (dy / len * 127.0) as i8,
            aim: (turns.rem_euclid(1.0) * 65536.0) as u16,
            primary: len < 90.0,
            ..Input::default()
        })
        .await;
    }
    panic!("no wood gathered");
}

async fn account_id(srv: &TestServer, token: &str) -> i64 {
    http(srv.http, "GET", "/api/v1/me", Some(token), "")
        .await
        .json()["id"]
        .as_i64()
        .unwrap()
}

async fn full_flow(db: TestDb) {
    let srv = TestServer::start(test_settings(&db), &db).await;
    register(srv.http, "alice").await;
    let token = login(srv.http, "alice").await;
    let alice_id = account_id(&srv, &token).await;
    let mut alice = GameClient::join(srv.ws, token_auth(&token), None, false).await;
    let Some(ServerMessage::Content(tables)) = alice.recv().await else {
        panic!("content tables follow the ack")
    };
    assert!(
        matches!(alice.recv().await, Some(ServerMessage::WorldMap(_))),
        "the biome map follows the tables"
    );
    let index = |name: &str| tables.items.iter().position(|i| i.name == name).unwrap() as u16;
    let (wood, stick_item) = (index("wood"), index("stick"));
    let stick_recipe = tables
        .recipes
        .iter()
        .position(|r| r.name == "stick")
        .unwrap() as u16;

    // Gather: walk to a tree and swing until wood arrives.
    assert!(gather_wood(&mut alice, wood).await >= 1);
    // Craft: one wood makes two sticks.
    alice
        .input(Input {
            craft: Some(stick_recipe),
            ..Input::default()
        })
        .await;
    alice
        .until(|m| match m {
            ServerMessage::Events(e) => e
                .events
                .iter()
                .any(|ev| matches!(ev, GameEvent::Crafted { recipe } if *recipe == stick_recipe)),
            _ => false,
        })
        .await;
    while held(&alice, stick_item) < 2 {
        alice
            .until(|m| matches!(m, ServerMessage::Private(_)))
            .await;
    }
    let moved_to = walk_right(&mut alice, 30.0).await;
    // The live leaderboard comes once a second and lists her.
    let board = alice
        .until(|m| matches!(m, ServerMessage::Leaderboard(_)))
        .await;
    let ServerMessage::Leaderboard(board) = board else {
        unreachable!()
    };
    assert!(board.entries.iter().any(|e| e.name == "alice"), "{board:?}");

    // Bob plays in JSON text frames and hears alice's chat.
    let bob_token = register(srv.http, "bob_1").await;
    let mut bob = GameClient::join(srv.ws, token_auth(&bob_token), None, true).await;
    bob.until(is_view).await;
    let chat = ChatCommand {
        channel: ChatChannel::Global,
        text: "hello from alice".into(),
    };
    alice
        .input(Input {
            chat: Some(chat),
            ..Input::default()
        })
        .await;
    let heard = bob
        .until(|m| match m {
            ServerMessage::Events(e) => e
                .events
                .iter()
                .any(|ev| matches!(ev, GameEvent::Chat { text, .. } if text == "hello from alice")),
            _ => false,
        })
        .await;
    assert!(matches!(heard, ServerMessage::Events(_)));

    // Alice says goodbye; the world saves her on leave.
    alice
        .send(&ClientMessage::Disconnect(Disconnect {
            reason: DisconnectReason::ClientQuit,
            message: String::new(),
        }))
        .await;
    // Messages already in flight may arrive before the close.
    while alice.recv().await.is_some() {}
    drop(bob);
    srv.stop().await;

    // The progress is in the database…
    let database = db.connect().await;
    let saved = database
        .progress()
        .load(AccountId(alice_id))
        .await
        .unwrap()
        .expect("alice's progress saved");
    let pos = saved.position.expect("a saved position");
    let saved_sticks: u32 = saved
        .inventory
        .iter()
        .flatten()
        .filter(|s| s.item == "stick")
        .map(|s| s.count)
        .sum();
    assert!(
        saved_sticks >= 2,
        "crafted sticks saved: {:?}",
        saved.inventory
    );
    assert!(
        (pos.x - moved_to.0).abs() < 40.0,
        "saved {pos:?}, last seen {moved_to:?}"
    );
    database.close();

    // …and a restarted server puts her back where she was.
    let srv = TestServer::start(test_settings(&db), &db).await;
    let token = login(srv.http, "alice").await;
    let mut alice = GameClient::join(srv.ws, token_auth(&token), None, false).await;
    alice.until(is_view).await;
    let back = alice.my_pos().unwrap();
    while alice.view.private().is_none() {
        alice
            .until(|m| matches!(m, ServerMessage::Private(_)))
            .await;
    }
    assert!(
        held(&alice, stick_item) >= 2,
        "the sticks came back with her"
    );
    assert!(
        (back.0 - pos.x).abs() < 1.0 && (back.1 - pos.y).abs() < 1.0,
        "came back at {back:?}, saved {pos:?}"
    );
    srv.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_login_play_chat_leave_and_come_back_postgres() {
    full_flow(TestDb::postgres("flow")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_login_play_chat_leave_and_come_back_sqlite() {
    full_flow(TestDb::sqlite("flow")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resume_within_grace_keeps_the_player_and_starts_from_a_snapshot() {
    let db = TestDb::sqlite("resume");
    let srv = TestServer::start(test_settings(&db), &db).await;
    let token = register(srv.http, "carol").await;
    let mut c = GameClient::join(srv.ws, token_auth(&token), None, false).await;
    let pos = walk_right(&mut c, 10.0).await;
    let (player, resume) = (c.player, c.resume_token.clone());
    drop(c); // The TCP connection drops without a goodbye.

    let mut again = GameClient::join(srv.ws, token_auth(&token), Some(resume.clone()), false).await;
    assert_eq!(again.player, player, "the same player, still in the world");
    assert!(
        matches!(again.recv().await, Some(ServerMessage::Content(_))),
        "a resume gets the content tables again"
    );
    match again.recv().await {
        Some(ServerMessage::WorldMap(map)) => {
            assert!(map.cols > 0 && map.rows > 0 && map.cell_size > 0, "{map:?}");
            assert_eq!(
                map.cells.len(),
                usize::from(map.cols) * usize::from(map.rows)
            );
        }
        other => panic!("a resume gets the biome map again, got {other:?}"),
    }
    let first_view = again.until(is_view).await;
    assert!(
        matches!(first_view, ServerMessage::Snapshot(_)),
        "a resume starts from a full snapshot"
    );
    let now = again.my_pos().unwrap();
    assert!((now.0 - pos.0).abs() < 20.0, "{now:?} vs {pos:?}");
    let worlds = http(srv.http, "GET", "/api/v1/worlds", None, "")
        .await
        .json();
    assert_eq!(worlds["worlds"][0]["players"], 1);
    assert_eq!(
        worlds["ws_port"],
        srv.ws.port(),
        "the bound WebSocket port, which the page connects to"
    );

    // The old token was single-use: a guest cannot reuse it.
    drop(again);
    let reused =
        GameClient::try_join(srv.ws, "", Auth::Guest { name: None }, Some(resume), false).await;
    match reused {
        Err(ServerMessage::Error(e)) => assert_eq!(e.code, ErrorCode::ResumeFailed),
        other => panic!("{:?}", other.map(|c| c.player)),
    }
    srv.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_expired_and_revoked_tokens_are_refused() {
    let db = TestDb::sqlite("tokens");
    let srv = TestServer::start(test_settings(&db), &db).await;
    let expect_auth_failed = |r: Result<GameClient, ServerMessage>| match r {
        Err(ServerMessage::Error(e)) => {
            assert_eq!(e.code, ErrorCode::AuthFailed, "{e:?}");
            e.message
        }
        Err(other) => panic!("{other:?}"),
        Ok(c) => panic!("accepted as player {}", c.player),
    };
    let m = expect_auth_failed(
        GameClient::try_join(srv.ws, "", token_auth("not-a-token"), None, false).await,
    );
    assert!(m.contains("not valid"), "{m}");

    // Signed with the right key but expired.
    let keys = server::auth::TokenKeys::new(common::SECRET.as_bytes());
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let old = keys
        .issue(&server::auth::Claims {
            sub: "1".into(),
            sid: uuid::Uuid::new_v4().to_string(),
            name: "x".into(),
            guest: false,
            iat: now - 100,
            exp: now - 10,
        })
        .unwrap();
    let m =
        expect_auth_failed(GameClient::try_join(srv.ws, "", token_auth(&old), None, true).await);
    assert!(m.contains("expired"), "{m}");

    // Valid signature, but the session was logged out: revoked at once.
    let token = register(srv.http, "dave").await;
    assert_eq!(
        http(srv.http, "GET", "/api/v1/me", Some(&token), "")
            .await
            .status,
        200
    );
    assert_eq!(
        http(srv.http, "POST", "/api/v1/auth/logout", Some(&token), "")
            .await
            .status,
        204
    );
    let me = http(srv.http, "GET", "/api/v1/me", Some(&token), "").await;
    assert_eq!(
        (me.status, me.json()["error"]["code"].as_str()),
        (401, Some("session_ended"))
    );
    let m =
        expect_auth_failed(GameClient::try_join(srv.ws, "", token_auth(&token), None, false).await);
    assert!(m.contains("session has ended"), "{m}");

    // A ban takes effect on the next use of a still-valid token.
    let token = register(srv.http, "mallory").await;
    let id = account_id(&srv, &token).await;
    let database = db.connect().await;
    database
        .accounts()
        .ban(AccountId(id), None, Some("cheating"))
        .await
        .unwrap();
    let me = http(srv.http, "GET", "/api/v1/me", Some(&token), "").await;
    assert_eq!(
        (me.status, me.json()["error"]["code"].as_str()),
        (403, Some("banned"))
    );
    match GameClient::try_join(srv.ws, "", token_auth(&token), None, false).await {
        Err(ServerMessage::Error(e)) => assert_eq!(e.code, ErrorCode::Banned, "{e:?}"),
        other => panic!("{:?}", other.map(|c| c.player)),
    }
    database.close();
    srv.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_oversized_and_flooding_clients_are_answered_then_dropped_while_others_play() {
    let db = TestDb::sqlite("abuse");
    let srv = TestServer::start(test_settings(&db), &db).await;
    let mut good = GameClient::join(srv.ws, Auth::Guest { name: None }, None, false).await;
    good.until(is_view).await;
    let mut bad = GameClient::join(srv.ws, Auth::Guest { name: None }, None, false).await;

    bad.send_raw(Message::Binary(Bytes::from_static(
        b"definitely not a STAR frame",
    )))
    .await;
    let e = bad.until(|m| matches!(m, ServerMessage::Error(_))).await;
    let ServerMessage::Error(e) = e else {
        unreachable!()
    };
    assert_eq!(e.code, ErrorCode::BadMessage);

    bad.send_raw(Message::Text("{\"type\":\"input\",\"seq\":\"x\"}".into()))
        .await;
    let ServerMessage::Error(e) = bad.until(|m| matches!(m, ServerMessage::Error(_))).await else {
        unreachable!()
    };
    assert_eq!(e.code, ErrorCode::BadMessage);

    bad.send_raw(Message::Binary(Bytes::from(vec![0u8; 9000])))
        .await;
    let ServerMessage::Error(e) = bad.until(|m| matches!(m, ServerMessage::Error(_))).await else {
        unreachable!()
    };
    assert_eq!(e.code, ErrorCode::MessageTooLarge);

    // A burst over 100 inputs: the excess is refused with rate-limit errors, and past
    // max_violations the connection is closed with a reason.
    for _ in 0..130 {
        bad.input(Input::default()).await;
    }
    let mut rate_errors = 0;
    let mut reason = None;
    while let Some(m) = bad.recv().await {
        match m {
            ServerMessage::Error(e) if e.code == ErrorCode::RateLimited => rate_errors += 1,
            ServerMessage::Disconnect(d) => reason = Some(d.reason),
            _ => {}
        }
    }
    assert!(rate_errors >= 5, "{rate_errors}");
    assert_eq!(reason, Some(DisconnectReason::RateLimited));

    // The well-behaved client noticed nothing.
    for _ in 0..3 {
        good.input(Input::default()).await;
        good.until(is_view).await;
    }
    srv.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_world_names_the_others_and_a_wrong_version_names_the_supported() {
    let db = TestDb::sqlite("full");
    let mut settings = test_settings(&db);
    settings.game.max_players = 1;
    settings.worlds.count = 2;
    settings.performance.simulation_workers = 2;
    let srv = TestServer::start(settings, &db).await;
    let mut first = GameClient::try_join(
        srv.ws,
        "?world=world-1",
        Auth::Guest { name: None },
        None,
        false,
    )
    .await
    .unwrap();
    first.until(is_view).await;
    match GameClient::try_join(
        srv.ws,
        "?world=world-1",
        Auth::Guest { name: None },
        None,
        true,
    )
    .await
    {
        Err(ServerMessage::Error(e)) => {
            assert_eq!(e.code, ErrorCode::WorldFull);
            assert!(e.message.contains("world-2"), "{}", e.message);
        }
        other => panic!("{:?}", other.map(|c| c.player)),
    }
    let mut second = GameClient::try_join(srv.ws, "", Auth::Guest { name: None }, None, false)
        .await
        .unwrap();
    second.until(is_view).await;
    let worlds = http(srv.http, "GET", "/api/v1/worlds", None, "")
        .await
        .json();
    assert_eq!(worlds["worlds"][0]["players"], 1);
    assert_eq!(worlds["worlds"][1]["players"], 1);

    let mut ws = GameClient::connect_raw(srv.ws, "").await;
    let mut c = GameClient {
        ws,
        json: true,
        view: protocol::ClientView::new(4),
        player: 0,
        resume_token: String::new(),
        session_id: String::new(),
        seq: 0,
        log: vec![],
    };
    c.send(&ClientMessage::Handshake(protocol::Handshake {
        versions: vec![99],
        client: "future".into(),
        auth: Auth::Guest { name: None },
        resume_token: None,
    }))
    .await;
    let ServerMessage::Error(e) = c.recv().await.unwrap() else {
        panic!()
    };
    assert_eq!(e.code, ErrorCode::UnsupportedVersion);
    assert!(e.message.contains('1'), "{}", e.message);
    ws = c.ws;
    drop(ws);
    srv.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_api_errors_and_login_rate_limit_on_the_real_backend() {
    let db = TestDb::postgres("api");
    let mut settings = test_settings(&db);
    settings.security.auth_rate_limit_max = 4;
    let srv = TestServer::start(settings, &db).await;
    register(srv.http, "erin").await;
    let dup = http(
        srv.http,
        "POST",
        "/api/v1/auth/register",
        None,
        r#"{"username":"erin","password":"correct horse battery"}"#,
    )
    .await;
    assert_eq!(
        (dup.status, dup.json()["error"]["code"].as_str()),
        (409, Some("username_taken"))
    );
    let bad = http(
        srv.http,
        "POST",
        "/api/v1/auth/register",
        None,
        r#"{"username":"no spaces!","password":"correct horse battery"}"#,
    )
    .await;
    assert_eq!(
        (bad.status, bad.json()["error"]["code"].as_str()),
        (400, Some("invalid_username"))
    );
    let wrong = http(
        srv.http,
        "POST",
        "/api/v1/auth/login",
        None,
        r#"{"username":"erin","password":"wrong password"}"#,
    )
    .await;
    assert_eq!(
        (wrong.status, wrong.json()["error"]["code"].as_str()),
        (401, Some("invalid_credentials"))
    );
    let limited = http(
        srv.http,
        "POST",
        "/api/v1/auth/login",
        None,
        r#"{"username":"erin","password":"wrong password"}"#,
    )
    .await;
    assert_eq!(limited.status, 429);
    assert!(limited.header("retry-after").is_some());
    let board = http(
        srv.http,
        "GET",
        "/api/v1/leaderboard?by=level&limit=5",
        None,
        "",
    )
    .await;
    assert_eq!(board.status, 200, "{}", board.body);
    assert!(board.json()["entries"].is_array());
    let ready = http(srv.http, "GET", "/ready", None, "").await;
    assert_eq!(ready.status, 200, "{}", ready.body);
    srv.stop().await;
}

async fn guest(srv: &TestServer, body: &str) -> serde_json::Value {
    let r = http(srv.http, "POST", "/api/v1/auth/guest", None, body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guests_get_the_name_they_ask_for_when_free_and_a_real_session() {
    let db = TestDb::sqlite("guestname");
    let srv = TestServer::start(test_settings(&db), &db).await;

    let first = guest(&srv, r#"{"name":"wanderer"}"#).await;
    assert_eq!(first["account"]["username"], "wanderer");
    assert_eq!(first["account"]["guest"], true);
    let taken = guest(&srv, r#"{"name":"wanderer"}"#).await;
    let generated = taken["account"]["username"].as_str().unwrap();
    assert!(
        generated.starts_with("guest_"),
        "taken → generated: {generated}"
    );
    for bad in [r#"{"name":"a b"}"#, r#"{"name":"x"}"#, r#"{}"#] {
        let g = guest(&srv, bad).await;
        let name = g["account"]["username"].as_str().unwrap();
        assert!(name.starts_with("guest_"), "{bad} → {name}");
    }
    // A registered name is taken for guests too.
    register(srv.http, "dave").await;
    let g = guest(&srv, r#"{"name":"dave"}"#).await;
    assert_ne!(g["account"]["username"], "dave");

    // The WebSocket guest path: the name, and a session id that names a real session.
    let c = GameClient::join(
        srv.ws,
        Auth::Guest {
            name: Some("rover".into()),
        },
        None,
        false,
    )
    .await;
    let sid = uuid::Uuid::parse_str(&c.session_id)
        .unwrap_or_else(|e| panic!("session id {:?}: {e}", c.session_id));
    let database = persistence::Database::connect(&db.config()).await.unwrap();
    let (session, account) = database
        .sessions()
        .validate_id(sid)
        .await
        .unwrap()
        .expect("the ack's session exists and is live");
    assert_eq!(account.username, "rover");
    assert!(account.is_guest);
    assert_eq!(session.account_id, account.id);
    drop(c);
    srv.stop().await;
}
