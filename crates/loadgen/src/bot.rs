//! One bot's life: authenticate, connect, handshake, play until told to stop;
//! reconnect (resuming) after a drop; with churn, leave and come back.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tokio::sync::watch;
use tokio::time::MissedTickBehavior;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

use crate::LoadgenError;
use crate::auth::{self, AuthMode};
use crate::brain::{Brain, Knowledge, Pvp, View};
use crate::counters::Counters;
use crate::outcome::BotOutcome;
use crate::wire::{Codec, Incoming, Replica};

/// How long connect + handshake may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How often a bot measures its round-trip time.
const PING_EVERY: Duration = Duration::from_secs(2);
/// Pings older than this are given up (and not counted as a round trip).
const PING_GIVE_UP: Duration = Duration::from_secs(10);
/// Backoff after a failed attempt: doubles from the first value up to the second.
const BACKOFF: (Duration, Duration) = (Duration::from_millis(500), Duration::from_secs(8));
/// A churning bot stays away this long (seconds, uniform).
const CHURN_AWAY_S: (f64, f64) = (2.0, 8.0);

/// What every bot shares.
#[derive(Debug)]
pub struct Shared {
    /// WebSocket URL.
    pub ws_url: String,
    /// HTTP base URL.
    pub http_base: String,
    /// Swarm-wide counters.
    pub counters: Arc<Counters>,
    /// Items and recipes the brains use.
    pub knowledge: Arc<Knowledge>,
    /// JSON text frames instead of binary.
    pub json: bool,
    /// How the bots fight each other.
    pub pvp: Pvp,
    /// The run's seed.
    pub seed: u64,
    /// When the run started.
    pub start: Instant,
    /// How long the run lasts.
    pub duration: Duration,
}

/// Per-bot settings.
#[derive(Debug, Clone, Copy)]
pub struct BotPlan {
    /// Index in the swarm (also the name suffix).
    pub index: usize,
    /// How the bot gets its identity.
    pub auth: AuthMode,
    /// Whether this bot leaves and comes back once during the run.
    pub churns: bool,
}

/// Why a session ended.
enum SessionEnd {
    /// The run is over.
    Stop,
    /// A churning bot left on purpose.
    Churn,
    /// The connection broke or the server closed it.
    Dropped(String),
}

/// Plays until `stop` turns true and returns what the bot measured.
pub async fn run(
    shared: Arc<Shared>,
    plan: BotPlan,
    mut stop: watch::Receiver<bool>,
) -> BotOutcome {
    let mut out = BotOutcome {
        index: plan.index,
        ..BotOutcome::default()
    };
    let mut rng = ChaCha8Rng::seed_from_u64(
        shared.seed ^ (plan.index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
    );
    let mut brain = Brain::new(rng.random(), shared.knowledge.clone(), shared.pvp);
    // A churning bot leaves once, somewhere in the middle of the run.
    let mut churn_at = plan.churns.then(|| {
        let run = shared.duration.as_secs_f64();
        shared.start + Duration::from_secs_f64(rng.random_range(run * 0.3..run * 0.7))
    });
    let name = format!("bot{}_{}", shared.seed % 1000, plan.index);
    let mut token: Option<String> = None;
    let mut resume: Option<String> = None;
    let mut backoff = BACKOFF.0;
    let c = &shared.counters;

    while !*stop.borrow() {
        // Register accounts once; guests get a fresh token each time, like a browser tab.
        if token.is_none() || plan.auth == AuthMode::HttpGuest {
            match auth::token(&shared.http_base, plan.auth, &name).await {
                Ok(t) => token = t,
                Err(e) => {
                    fail(&mut out, c, &e);
                    if !sleep_or_stop(jitter(&mut rng, backoff), &mut stop).await {
                        break;
                    }
                    backoff = (backoff * 2).min(BACKOFF.1);
                    continue;
                }
            }
        }
        let session = tokio::time::timeout(
            CONNECT_TIMEOUT,
            connect(&shared, token.as_deref(), resume.as_deref(), &name),
        )
        .await
        .unwrap_or_else(|_| Err(LoadgenError::Timeout("connect and handshake".into())));
        let (ws, accepted, replica) = match session {
            Ok(s) => s,
            Err(e) => {
                // A resume token that did not work is not tried twice.
                resume = None;
                fail(&mut out, c, &e);
                if !sleep_or_stop(jitter(&mut rng, backoff), &mut stop).await {
                    break;
                }
                backoff = (backoff * 2).min(BACKOFF.1);
                continue;
            }
        };
        backoff = BACKOFF.0;
        if out.sessions == 0 {
            Counters::add(&c.ever_connected, 1);
        }
        out.sessions += 1;
        Counters::add(&c.sessions, 1);
        Counters::add(&c.connected, 1);
        resume = accepted.resume_token.clone();
        let started = Instant::now();
        let end = play(
            &shared, &mut out, &mut brain, ws, accepted, replica, &mut stop, churn_at,
        )
        .await;
        out.connected_secs += started.elapsed().as_secs_f64();
        Counters::dec(&c.connected);
        match end {
            SessionEnd::Stop => break,
            SessionEnd::Churn => {
                churn_at = None;
                resume = None;
                Counters::add(&c.churn_leaves, 1);
                let away = rng.random_range(CHURN_AWAY_S.0..CHURN_AWAY_S.1);
                if !sleep_or_stop(Duration::from_secs_f64(away), &mut stop).await {
                    break;
                }
            }
            SessionEnd::Dropped(why) => {
                out.drops += 1;
                Counters::add(&c.drops, 1);
                out.last_error = Some(why);
                if !sleep_or_stop(jitter(&mut rng, BACKOFF.0), &mut stop).await {
                    break;
                }
            }
        }
    }
    if out.sessions == 0 {
        Counters::add(&c.never_connected, 1);
    }
    out
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens the WebSocket and completes the handshake.
async fn connect(
    shared: &Shared,
    token: Option<&str>,
    resume: Option<&str>,
    name: &str,
) -> Result<(Ws, crate::wire::Accepted, Replica), LoadgenError> {
    // Small buffers: a bot's messages are tiny, and thousands of bots share one process.
    let config = WebSocketConfig::default()
        .read_buffer_size(16 * 1024)
        .write_buffer_size(0)
        .max_write_buffer_size(256 * 1024)
        .max_message_size(Some(1 << 20));
    let (mut ws, _) =
        tokio_tungstenite::connect_async_with_config(shared.ws_url.as_str(), Some(config), true)
            .await
            .map_err(|e| LoadgenError::WebSocket(format!("connect {}: {e}", shared.ws_url)))?;
    let codec = Codec::new(shared.json);
    let hello = codec.handshake(token, name, resume)?;
    count_out(&shared.counters, &hello);
    ws.send(hello)
        .await
        .map_err(|e| LoadgenError::WebSocket(format!("send handshake: {e}")))?;
    let mut replica = Replica::default();
    let mut view = View::default();
    while let Some(frame) = ws.next().await {
        let frame = frame.map_err(|e| LoadgenError::WebSocket(format!("during handshake: {e}")))?;
        if !is_data(&frame) {
            continue;
        }
        count_in(&shared.counters, &frame);
        match codec.decode(&frame, &mut replica, &mut view)? {
            Incoming::Accepted(a) => return Ok((ws, a, replica)),
            Incoming::Error { text, .. } | Incoming::Closing(text) => {
                return Err(LoadgenError::Refused(text));
            }
            // Nothing else is expected before the ack; anything else is a protocol error.
            other => {
                return Err(LoadgenError::Protocol(format!(
                    "expected handshake_ack, got {other:?}"
                )));
            }
        }
    }
    Err(LoadgenError::WebSocket("closed during handshake".into()))
}

/// The play loop of one session.
#[allow(clippy::too_many_arguments)]
async fn play(
    shared: &Shared,
    out: &mut BotOutcome,
    brain: &mut Brain,
    ws: Ws,
    accepted: crate::wire::Accepted,
    mut replica: Replica,
    stop: &mut watch::Receiver<bool>,
    churn_at: Option<Instant>,
) -> SessionEnd {
    let c = &shared.counters;
    let codec = Codec::new(shared.json).with_version(accepted.version);
    let (mut sink, mut stream) = ws.split();
    let mut view = View {
        me: Some(accepted.entity),
        hunger: 100.0,
        health: 100.0,
        ..View::default()
    };
    let tick_period = Duration::from_secs_f64(1.0 / f64::from(accepted.tick_rate.max(1)));
    let mut ticker = tokio::time::interval(tick_period);
    ticker.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut pinger = tokio::time::interval(PING_EVERY);
    pinger.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let churn = async move {
        match churn_at {
            Some(at) => tokio::time::sleep_until(at.into()).await,
            None => std::future::pending().await,
        }
    };
    tokio::pin!(churn);
    let mut server_tick = accepted.tick;
    let mut nonce: u32 = 0;
    let mut pending: Vec<(u32, Instant)> = Vec::new();
    let mut last_pos: Option<sim_core::Vec2> = None;

    macro_rules! send {
        ($msg:expr) => {{
            match $msg {
                Ok(m) => {
                    let len = payload_len(&m);
                    if let Err(e) = sink.send(m).await {
                        return SessionEnd::Dropped(format!("send: {e}"));
                    }
                    out.msgs_out += 1;
                    out.bytes_out += len;
                    Counters::add(&c.msgs_out, 1);
                    Counters::add(&c.bytes_out, len);
                }
                Err(e) => {
                    Counters::add(&c.protocol_errors, 1);
                    out.last_error = Some(e.to_string());
                }
            }
        }};
    }

    loop {
        tokio::select! {
            _ = stop.changed() => {
                send!(codec.quit());
                let _ = sink.close().await;
                return SessionEnd::Stop;
            }
            () = &mut churn => {
                send!(codec.quit());
                let _ = sink.close().await;
                return SessionEnd::Churn;
            }
            _ = ticker.tick() => {
                let input = brain.decide(&view, server_tick);
                if input.chat.is_some() { Counters::add(&c.chats, 1); }
                if input.craft.is_some() { Counters::add(&c.crafts, 1); }
                if input.build.is_some() { Counters::add(&c.builds, 1); }
                send!(codec.input(&input, replica.ack_tick()));
            }
            _ = pinger.tick() => {
                nonce = nonce.wrapping_add(1);
                pending.retain(|(_, at)| at.elapsed() < PING_GIVE_UP);
                pending.push((nonce, Instant::now()));
                send!(codec.ping(nonce));
            }
            frame = stream.next() => {
                let frame = match frame {
                    Some(Ok(f)) => f,
                    Some(Err(e)) => return SessionEnd::Dropped(format!("read: {e}")),
                    None => return SessionEnd::Dropped("connection closed".into()),
                };
                if let Message::Close(close) = &frame {
                    return SessionEnd::Dropped(format!("closed by server: {close:?}"));
                }
                if !is_data(&frame) {
                    continue;
                }
                let len = payload_len(&frame);
                out.msgs_in += 1;
                out.bytes_in += len;
                Counters::add(&c.msgs_in, 1);
                Counters::add(&c.bytes_in, len);
                match codec.decode(&frame, &mut replica, &mut view) {
                    Ok(Incoming::World { tick, full }) => {
                        server_tick = server_tick.max(tick);
                        if let Some(p) = view.my_pos() {
                            if let Some(q) = last_pos {
                                out.distance += f64::from((p - q).length());
                            }
                            last_pos = Some(p);
                        }
                        Counters::add(if full { &c.snapshots } else { &c.deltas }, 1);
                        Counters::add(&c.bytes_world, len);
                    }
                    Ok(Incoming::Private) => {
                        Counters::add(&c.private_updates, 1);
                        Counters::add(&c.bytes_private, len);
                    }
                    Ok(Incoming::Events(t)) => {
                        if let Some(attacker) = t.hit_by {
                            brain.hit_by(attacker, &view, server_tick);
                        }
                        Counters::add(&c.bytes_events, len);
                        for (counter, n) in [
                            (&c.rejections, t.rejected),
                            (&c.gathered, t.gathered),
                            (&c.crafts_started, t.craft_started),
                            (&c.crafted, t.crafted),
                            (&c.hits_dealt, t.hits_dealt),
                            (&c.deaths_seen, t.deaths),
                            (&c.own_deaths, t.own_deaths),
                            (&c.own_deaths_by_players, t.own_deaths_by_players),
                            (&c.chat_heard, t.chat_heard),
                        ] {
                            if n > 0 {
                                Counters::add(counter, n);
                            }
                        }
                    }
                    Ok(Incoming::Ping(n)) => send!(codec.pong(n)),
                    Ok(Incoming::Pong(n)) => {
                        if let Some(i) = pending.iter().position(|p| p.0 == n) {
                            let (_, at) = pending.swap_remove(i);
                            out.rtt_ms.push(at.elapsed().as_secs_f64() * 1e3);
                        }
                    }
                    Ok(Incoming::Error { fatal, text }) => {
                        Counters::add(&c.server_errors, 1);
                        out.last_error = Some(text.clone());
                        if fatal {
                            return SessionEnd::Dropped(format!("fatal server error: {text}"));
                        }
                    }
                    Ok(Incoming::Closing(text)) => {
                        return SessionEnd::Dropped(format!("server disconnected us: {text}"));
                    }
                    Ok(Incoming::Accepted(_)) => {
                        Counters::add(&c.protocol_errors, 1);
                        out.last_error = Some("second handshake_ack".into());
                    }
                    Ok(Incoming::Other) => {}
                    Err(e) => {
                        Counters::add(&c.protocol_errors, 1);
                        out.last_error = Some(e.to_string());
                    }
                }
            }
        }
    }
}

fn is_data(m: &Message) -> bool {
    matches!(m, Message::Binary(_) | Message::Text(_))
}

fn payload_len(m: &Message) -> u64 {
    match m {
        Message::Binary(b) => b.len() as u64,
        Message::Text(t) => t.len() as u64,
        _ => 0,
    }
}

fn count_in(c: &Counters, m: &Message) {
    Counters::add(&c.msgs_in, 1);
    Counters::add(&c.bytes_in, payload_len(m));
}

fn count_out(c: &Counters, m: &Message) {
    Counters::add(&c.msgs_out, 1);
    Counters::add(&c.bytes_out, payload_len(m));
}

fn fail(out: &mut BotOutcome, c: &Counters, e: &LoadgenError) {
    out.failures += 1;
    out.last_error = Some(e.to_string());
    Counters::add(&c.connect_failures, 1);
}

fn jitter(rng: &mut ChaCha8Rng, d: Duration) -> Duration {
    d.mul_f64(rng.random_range(0.5..1.5))
}

/// Sleeps for `d` unless the run stops first; `false` means stop.
async fn sleep_or_stop(d: Duration, stop: &mut watch::Receiver<bool>) -> bool {
    tokio::select! {
        () = tokio::time::sleep(d) => !*stop.borrow(),
        _ = stop.changed() => false,
    }
}
