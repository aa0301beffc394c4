//! One WebSocket connection: handshake, then a loop that selects between the client's
//! frames, the world's messages, ping and inactivity timers, and shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use metrics::counter;
use protocol::{
    ClientMessage, ClientReplica, DecodeError, DecodeLimits, Disconnect, DisconnectReason,
    EncodeOptions, ErrorCode, ErrorMsg, ServerMessage, Severity,
};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};

use super::WsConfig;
use super::frames::{Encoded, Frames};
use super::game_api::{CloseReason, GameApi, GameSession, Outgoing};
use super::limits::TokenBucket;
use super::outbox;
use super::wire::{self, Form};
use crate::shutdown::Shutdown;
use crate::{ClientInfo, metrics as m};

type Ws = WebSocketStream<TcpStream>;

/// Why a session loop ended.
enum End {
    /// The client left (goodbye message or close frame after its goodbye).
    Left,
    /// The world closed it (replaced, shutdown); the world already knows.
    ClosedByWorld,
    /// The connection broke or was closed for a violation or timeout: detach.
    Dropped,
}

/// An accepted connection and what its session needs: boxed into [`run`], so that an
/// async function's arguments, which stay in its state for its whole life, are one
/// pointer in every connection's task.
pub struct Connection<G> {
    /// The accepted socket, before the WebSocket upgrade.
    pub stream: TcpStream,
    /// The client's address, for logs.
    pub peer: SocketAddr,
    /// The gateway's WebSocket settings.
    pub cfg: Arc<WsConfig>,
    /// Opens game sessions.
    pub api: Arc<G>,
    /// Tells the session the server is shutting down.
    pub shutdown: Shutdown,
}

/// Runs one connection to the end.
pub async fn run<G: GameApi>(conn: Box<Connection<G>>) {
    let Connection {
        stream,
        peer,
        cfg,
        api,
        mut shutdown,
    } = *conn;
    // Opening runs boxed: the state of the upgrade, the game handshake and the world's
    // join is freed once the session plays instead of sizing every connection's task
    // for its whole life (a few KiB a connection). The session is taken apart in the
    // pattern: a `GameSession` local would keep its 344 bytes in the task.
    let Some((
        mut ws,
        limits,
        GameSession {
            initial,
            outbound,
            replica,
            link,
        },
        form,
        opts,
    )) = Box::pin(open(stream, peer, &cfg, &*api, &mut shutdown)).await
    else {
        return;
    };
    let mut out = Outbound {
        form,
        opts,
        replica,
        rx: outbound,
        msgs: Vec::new(),
        batch: Vec::new(),
    };
    let sent = Box::pin(send_all(&mut ws, form, &opts, initial, cfg.write_timeout)).await;
    let end = if sent {
        play(&mut ws, &cfg, &limits, &mut out, &*link, &mut shutdown).await
    } else {
        End::Dropped
    };
    match end {
        End::Left => link.leave(),
        End::Dropped => link.detach(),
        End::ClosedByWorld => {}
    }
}

/// A connection that opened a game session: the socket, the limits its messages are
/// read with, the session, and the form and options its messages are written with.
type Opened = (Ws, DecodeLimits, GameSession, Form, EncodeOptions);

/// Upgrades the connection, reads the game handshake and opens the session; `None`
/// when the client goes away, is refused (told why) or the server shuts down.
async fn open<G: GameApi>(
    stream: TcpStream,
    peer: SocketAddr,
    cfg: &WsConfig,
    api: &G,
    shutdown: &mut Shutdown,
) -> Option<Opened> {
    let ws_config = cfg.tungstenite_config();
    let mut world: Option<String> = None;
    // The callback's error type is tungstenite's, not ours to shrink.
    #[allow(clippy::result_large_err)]
    let capture_world = |req: &Request, res: Response| {
        world = world_param(req.uri().query().unwrap_or(""));
        Ok(res)
    };
    let accepted = tokio::select! {
        r = tokio::time::timeout(
            cfg.handshake_timeout,
            tokio_tungstenite::accept_hdr_async_with_config(stream, capture_world, Some(ws_config)),
        ) => r,
        _ = shutdown.recv() => return None,
    };
    let mut ws = match accepted {
        Ok(Ok(ws)) => ws,
        Ok(Err(e)) => {
            tracing::debug!(%peer, error = %e, "websocket upgrade failed");
            return None;
        }
        Err(_) => {
            tracing::debug!(%peer, "websocket upgrade timed out");
            return None;
        }
    };
    let limits = DecodeLimits::client(cfg.max_message_size);

    // The game handshake: the first message, within the timeout.
    let first = tokio::select! {
        r = tokio::time::timeout(cfg.handshake_timeout, next_data(&mut ws)) => r,
        _ = shutdown.recv() => return None,
    };
    let frame = match first {
        Ok(Some(frame)) => frame,
        Ok(None) => return None,
        Err(_) => {
            let msg = error(
                ErrorCode::HandshakeTimeout,
                Severity::Fatal,
                "no handshake arrived in time",
            );
            close_with(
                &mut ws,
                Form::Binary,
                &EncodeOptions::default(),
                msg,
                DisconnectReason::Timeout,
            )
            .await;
            return None;
        }
    };
    count_in(&frame);
    let form_guess = if matches!(frame, Message::Text(_)) {
        Form::Text
    } else {
        Form::Binary
    };
    let (handshake, form) = match wire::decode(&frame, &limits) {
        Ok(Some((ClientMessage::Handshake(h), form))) => (h, form),
        Ok(_) => {
            let msg = error(
                ErrorCode::NotAllowed,
                Severity::Fatal,
                "the first message must be a handshake",
            );
            close_with(
                &mut ws,
                form_guess,
                &EncodeOptions::default(),
                msg,
                DisconnectReason::ProtocolViolation,
            )
            .await;
            return None;
        }
        Err(e) => {
            let msg = decode_error(&e, Severity::Fatal);
            close_with(
                &mut ws,
                form_guess,
                &EncodeOptions::default(),
                msg,
                DisconnectReason::ProtocolViolation,
            )
            .await;
            return None;
        }
    };
    counter!(m::MESSAGES_TOTAL, "type" => "in_handshake").increment(1);
    let version = match protocol::negotiate(&handshake.versions, protocol::PROTOCOL_VERSIONS) {
        Ok(v) => v,
        Err(e) => {
            close_with(
                &mut ws,
                form,
                &EncodeOptions::default(),
                e.to_error_msg(),
                DisconnectReason::ProtocolViolation,
            )
            .await;
            return None;
        }
    };
    let opts = EncodeOptions {
        version,
        compression: cfg.compression,
    };
    let client = ClientInfo {
        ip: peer.ip(),
        user_agent: Some(handshake.client.clone()),
    };
    let session = match api.open(handshake, version, client, world).await {
        Ok(s) => s,
        Err(msg) => {
            let reason = match msg.code {
                ErrorCode::WorldFull => DisconnectReason::WorldFull,
                ErrorCode::Banned => DisconnectReason::Banned,
                _ => DisconnectReason::AuthFailed,
            };
            close_with(&mut ws, form, &opts, msg, reason).await;
            return None;
        }
    };
    Some((ws, limits, session, form, opts))
}

/// What the world sends a connection, and how it becomes frames.
struct Outbound {
    form: Form,
    opts: EncodeOptions,
    /// The client's view state: baselines it acknowledged, private state it was sent.
    replica: ClientReplica,
    rx: outbox::Receiver<Outgoing>,
    /// Messages of the items being written, reused.
    msgs: Vec<ServerMessage>,
    /// Items taken from the queue for one flush, reused.
    batch: Vec<Outgoing>,
}

/// What a client the world let go for falling behind is told.
const TOO_SLOW: &str = "the connection could not keep up";

/// Items taken from the world's queue before one flush: enough to catch up after a
/// stall in one write, few enough that reading the client is not put off for long.
const MAX_ITEMS_PER_FLUSH: usize = 64;

impl Outbound {
    /// Writes `first` and whatever else the world has already queued in one write, all
    /// within `timeout`. When several ticks are waiting (the connection fell behind),
    /// only the newest tick's view is made; the older ticks contribute their events.
    /// `Err` ends the session.
    async fn deliver(
        &mut self,
        ws: &mut Ws,
        first: Outgoing,
        timeout: Duration,
    ) -> Result<(), End> {
        match tokio::time::timeout(timeout, self.write_batch(ws, first)).await {
            Ok(done) => done,
            Err(_) => Err(End::Dropped),
        }
    }

    /// [`Outbound::deliver`] without its time limit.
    async fn write_batch(&mut self, ws: &mut Ws, first: Outgoing) -> Result<(), End> {
        let mut frames = Frames::new();
        self.batch.clear();
        self.batch.push(first);
        while self.batch.len() < MAX_ITEMS_PER_FLUSH {
            match self.rx.try_recv() {
                Ok(item) => self.batch.push(item),
                Err(_) => break,
            }
        }
        let newest_view = self
            .batch
            .iter()
            .rposition(|item| matches!(item, Outgoing::View(_)));
        for (i, item) in self.batch.drain(..).enumerate() {
            match item {
                Outgoing::Msg(msg) => push(&mut frames, self.form, &self.opts, &msg),
                Outgoing::View(update) => {
                    self.msgs.clear();
                    if Some(i) == newest_view {
                        self.replica.update_with(
                            &update.frame,
                            update.private.as_deref(),
                            update.chest,
                            &mut self.msgs,
                        );
                    } else {
                        counter!(m::VIEWS_SKIPPED_TOTAL).increment(1);
                        self.replica.events_only(&update.frame, &mut self.msgs);
                    }
                    for msg in self.msgs.drain(..) {
                        push(&mut frames, self.form, &self.opts, &msg);
                    }
                }
                Outgoing::Close(reason) => {
                    let (r, text, label) = match reason {
                        CloseReason::Shutdown => (
                            DisconnectReason::ServerShutdown,
                            "the server is shutting down; your progress is saved",
                            "shutdown",
                        ),
                        CloseReason::Replaced => (
                            DisconnectReason::Replaced,
                            "this player was taken over by another connection",
                            "replaced",
                        ),
                        CloseReason::TooSlow => (DisconnectReason::Timeout, TOO_SLOW, "too_slow"),
                    };
                    counter!(m::DISCONNECTS_TOTAL, "reason" => label).increment(1);
                    // What came before the goodbye goes out first. Boxed, as every rare
                    // path: its state would otherwise size the session's task.
                    if frames.write(ws).await.is_err() {
                        return Err(End::Dropped);
                    }
                    Box::pin(goodbye(ws, self.form, &self.opts, r, text)).await;
                    return Err(End::ClosedByWorld);
                }
            }
        }
        frames.write(ws).await.map_err(|_| End::Dropped)
    }
}

/// Sends `msgs` in order, each at once; `false` if the connection is gone or a write
/// took longer than `timeout`. Consumes them: the content tables and map are ~10 KiB a
/// connection, not to be kept for the connection's lifetime.
async fn send_all(
    ws: &mut Ws,
    form: Form,
    opts: &EncodeOptions,
    msgs: Vec<ServerMessage>,
    timeout: Duration,
) -> bool {
    for msg in msgs {
        if !send(ws, form, opts, &msg, timeout).await {
            return false;
        }
    }
    true
}

/// The session's loop, until the client leaves, the world closes the connection, or
/// it breaks. Every write is awaited boxed: its state (a few hundred bytes to 1 KiB)
/// then lives only while it writes, instead of sizing the connection's task for its
/// whole life; that is one short-lived allocation per send tick.
async fn play(
    ws: &mut Ws,
    cfg: &WsConfig,
    limits: &DecodeLimits,
    out: &mut Outbound,
    link: &dyn super::game_api::SessionLink,
    shutdown: &mut Shutdown,
) -> End {
    let (form, opts) = (out.form, out.opts);
    let opts = &opts;
    let now = Instant::now();
    let mut inputs = TokenBucket::new(f64::from(cfg.input_rate), cfg.input_burst, now);
    let mut chat = TokenBucket::new(f64::from(cfg.chat_per_10s) / 10.0, cfg.chat_per_10s, now);
    let mut violations = 0u32;
    let mut last_seen = now;
    let mut pong_due: Option<Instant> = None;
    // One timer for pings and timeouts: each connection's loop polls every timer it
    // has on every turn.
    let check_every = cfg.ping_interval.min(Duration::from_secs(1));
    let mut check_timer = tokio::time::interval_at((now + check_every).into(), check_every);
    let mut next_ping = now + cfg.ping_interval;
    let mut shutdown_deadline: Option<Instant> = None;

    loop {
        // The `select!` only decides; what awaits happens after it, so that a frame,
        // the select's futures and the loop's writes do not all size the state that
        // every connection's task keeps for its whole life.
        let turn = tokio::select! {
            frame = ws.next() => match frame {
                Some(Ok(frame)) => {
                    last_seen = Instant::now();
                    count_in(&frame);
                    match &frame {
                        Message::Close(_) => Turn::End(End::Dropped),
                        Message::Pong(_) => {
                            pong_due = None;
                            Turn::Frame(FrameOutcome::Done)
                        }
                        Message::Ping(_) | Message::Frame(_) => Turn::Frame(FrameOutcome::Done),
                        _ => Turn::Frame(on_frame(&frame, limits, out, link, &mut inputs, &mut chat)),
                    }
                }
                Some(Err(e)) => {
                    tracing::debug!(error = %e, "websocket read failed");
                    counter!(m::DISCONNECTS_TOTAL, "reason" => "read_error").increment(1);
                    Turn::End(End::Dropped)
                }
                None => Turn::End(End::Dropped),
            },
            item = out.rx.recv() => Turn::Outgoing(item),
            _ = check_timer.tick() => Turn::Check,
        };
        match turn {
            Turn::End(end) => return end,
            Turn::Frame(FrameOutcome::Done) => {}
            Turn::Frame(FrameOutcome::Reply(reply)) => {
                if let Some(reply) = reply
                    && !Box::pin(send_encoded(ws, &reply, cfg.write_timeout)).await
                {
                    return End::Dropped;
                }
            }
            Turn::Frame(FrameOutcome::Leave) => {
                let _ = Box::pin(ws.close(None)).await;
                return End::Left;
            }
            Turn::Frame(FrameOutcome::Problem(msg)) => {
                violations += 1;
                if violations > cfg.max_violations {
                    let reason = if msg.code == ErrorCode::RateLimited {
                        DisconnectReason::RateLimited
                    } else {
                        DisconnectReason::ProtocolViolation
                    };
                    counter!(m::DISCONNECTS_TOTAL, "reason" => "violations").increment(1);
                    let fatal = ErrorMsg {
                        severity: Severity::Fatal,
                        message: format!("{} (too many violations; disconnecting)", msg.message),
                        ..msg
                    };
                    Box::pin(close_with(ws, form, opts, fatal, reason)).await;
                    return End::Dropped;
                }
                let error = ServerMessage::Error(msg);
                if !Box::pin(send(ws, form, opts, &error, cfg.write_timeout)).await {
                    return End::Dropped;
                }
            }
            Turn::Outgoing(Some(item)) => {
                if let Err(end) = Box::pin(out.deliver(ws, item, cfg.write_timeout)).await {
                    return end;
                }
            }
            Turn::Outgoing(None) => {
                // The world dropped this connection (too slow) or stopped.
                Box::pin(goodbye(ws, form, opts, DisconnectReason::Timeout, TOO_SLOW)).await;
                return End::Dropped;
            }
            Turn::Check => {
                let now = Instant::now();
                if now >= next_ping {
                    next_ping = now + cfg.ping_interval;
                    if pong_due.is_none() {
                        pong_due = Some(now + cfg.pong_timeout);
                    }
                    let mut ping = Frames::new();
                    ping.push_ping();
                    if !Box::pin(write_within(ws, ping, cfg.write_timeout)).await {
                        return End::Dropped;
                    }
                }
                let timed_out = pong_due.is_some_and(|t| now > t)
                    || now.duration_since(last_seen) > cfg.inactivity_timeout;
                if timed_out {
                    counter!(m::DISCONNECTS_TOTAL, "reason" => "timeout").increment(1);
                    let why = "no answer to pings or no activity in time";
                    Box::pin(goodbye(ws, form, opts, DisconnectReason::Timeout, why)).await;
                    return End::Dropped;
                }
                if shutdown_deadline.is_some_and(|t| now > t) {
                    let why = "the server is shutting down";
                    Box::pin(goodbye(
                        ws,
                        form,
                        opts,
                        DisconnectReason::ServerShutdown,
                        why,
                    ))
                    .await;
                    return End::Dropped;
                }
                // The world tells each client itself (after saving); this only bounds
                // the wait. Looked at here rather than waited for in the `select!`: a
                // broadcast receiver's future registers with (and, dropped, leaves) the
                // channel's one lock on every turn of every connection's loop.
                if shutdown_deadline.is_none() && shutdown.signalled() {
                    shutdown_deadline = Some(now + cfg.shutdown_wait);
                }
            }
        }
    }
}

/// What one turn of the session loop has to do once its `select!` has decided.
enum Turn {
    /// A client's frame was handled; what is left of it.
    Frame(FrameOutcome),
    /// The world's next message for this client; `None` when the world let go.
    Outgoing(Option<Outgoing>),
    /// Time for the ping and timeout checks.
    Check,
    /// The connection is over.
    End(End),
}

/// What a client's data frame asks of its session.
enum FrameOutcome {
    /// Nothing to write.
    Done,
    /// Write this message (a pong); `None` when it could not be encoded.
    Reply(Option<Encoded>),
    /// The client said goodbye.
    Leave,
    /// A violation: answer with this error, or disconnect past `max_violations`.
    Problem(ErrorMsg),
}

/// Decodes a client's text or binary frame and feeds an input to the world.
fn on_frame(
    frame: &Message,
    limits: &DecodeLimits,
    out: &mut Outbound,
    link: &dyn super::game_api::SessionLink,
    inputs: &mut TokenBucket,
    chat: &mut TokenBucket,
) -> FrameOutcome {
    let msg = match wire::decode(frame, limits) {
        Ok(Some((msg, _))) => msg,
        Ok(None) => return FrameOutcome::Done,
        Err(e) => {
            counter!(m::MESSAGES_TOTAL, "type" => "in_invalid").increment(1);
            return FrameOutcome::Problem(decode_error(&e, Severity::Warning));
        }
    };
    counter!(m::MESSAGES_TOTAL, "type" => in_label(&msg)).increment(1);
    match msg {
        ClientMessage::Input(mut input) => {
            let now = Instant::now();
            if !inputs.take(now) {
                counter!(m::RATE_LIMITED_TOTAL, "scope" => "input").increment(1);
                return FrameOutcome::Problem(error(
                    ErrorCode::RateLimited,
                    Severity::Warning,
                    "too many inputs; this one was dropped",
                ));
            }
            let mut outcome = FrameOutcome::Done;
            if input.chat.is_some() && !chat.take(now) {
                counter!(m::RATE_LIMITED_TOTAL, "scope" => "chat").increment(1);
                input.chat = None;
                outcome = FrameOutcome::Problem(error(
                    ErrorCode::RateLimited,
                    Severity::Warning,
                    "too many chat lines; this one was dropped",
                ));
            }
            out.replica.ack(input.ack_tick);
            if !link.input(&input) {
                counter!(m::RATE_LIMITED_TOTAL, "scope" => "world_queue").increment(1);
            }
            outcome
        }
        ClientMessage::Ping(p) => {
            FrameOutcome::Reply(encode(&ServerMessage::Pong(p), out.form, &out.opts))
        }
        ClientMessage::Pong(_) => FrameOutcome::Done,
        ClientMessage::Disconnect(_) => FrameOutcome::Leave,
        ClientMessage::Handshake(_) => FrameOutcome::Problem(error(
            ErrorCode::NotAllowed,
            Severity::Warning,
            "already handshaken",
        )),
    }
}

/// The `world` parameter of the upgrade URL's query (`?world=world-2`), if any.
fn world_param(query: &str) -> Option<String> {
    query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| *k == "world")
        .map(|(_, v)| clip(v, 64))
        .filter(|v| !v.is_empty())
}

/// The next data frame (text or binary), skipping control frames; `None` when closed.
async fn next_data(ws: &mut Ws) -> Option<Message> {
    while let Some(frame) = ws.next().await {
        match frame {
            Ok(f @ (Message::Text(_) | Message::Binary(_))) => return Some(f),
            Ok(Message::Close(_)) | Err(_) => return None,
            Ok(_) => {}
        }
    }
    None
}

fn count_in(frame: &Message) {
    counter!(m::NETWORK_BYTES_RECEIVED).increment(frame.len() as u64);
}

fn in_label(msg: &ClientMessage) -> &'static str {
    match msg {
        ClientMessage::Handshake(_) => "in_handshake",
        ClientMessage::Input(_) => "in_input",
        ClientMessage::Ping(_) => "in_ping",
        ClientMessage::Pong(_) => "in_pong",
        ClientMessage::Disconnect(_) => "in_disconnect",
    }
}

fn out_label(msg: &ServerMessage) -> &'static str {
    match msg {
        ServerMessage::HandshakeAck(_) => "out_handshake_ack",
        ServerMessage::Content(_) => "out_content",
        ServerMessage::WorldMap(_) => "out_world_map",
        ServerMessage::Snapshot(_) => "out_snapshot",
        ServerMessage::Delta(_) | ServerMessage::PackedDelta(_) => "out_delta",
        ServerMessage::Private(_) => "out_private",
        ServerMessage::Events(_) => "out_events",
        ServerMessage::Ping(_) => "out_ping",
        ServerMessage::Pong(_) => "out_pong",
        ServerMessage::Error(_) => "out_error",
        ServerMessage::Disconnect(_) => "out_disconnect",
        ServerMessage::Leaderboard(_) => "out_leaderboard",
    }
}

fn error(code: ErrorCode, severity: Severity, message: &str) -> ErrorMsg {
    ErrorMsg {
        code,
        severity,
        message: message.to_owned(),
    }
}

fn decode_error(e: &DecodeError, severity: Severity) -> ErrorMsg {
    let code = if matches!(e, DecodeError::TooLarge { .. }) {
        ErrorCode::MessageTooLarge
    } else {
        ErrorCode::BadMessage
    };
    ErrorMsg {
        code,
        severity,
        message: clip(&e.to_string(), protocol::limits::MAX_TEXT_BYTES / 2),
    }
}

/// `msg` as a frame in the client's form, counted by type; `None` if it breaks a limit
/// (logged by [`wire::encode`]), when nothing is sent.
fn encode(msg: &ServerMessage, form: Form, opts: &EncodeOptions) -> Option<Encoded> {
    let frame = wire::encode(msg, form, opts)?;
    counter!(m::MESSAGES_TOTAL, "type" => out_label(msg)).increment(1);
    Some(frame)
}

/// Encodes a message and appends it to `frames`, counting it; nothing when it breaks
/// a limit (logged by [`wire::encode`]).
fn push(frames: &mut Frames, form: Form, opts: &EncodeOptions, msg: &ServerMessage) {
    if let Some(frame) = encode(msg, form, opts) {
        push_encoded(frames, &frame);
    }
}

/// Appends an encoded message to `frames`, counting its bytes.
fn push_encoded(frames: &mut Frames, frame: &Encoded) {
    frames.push(frame);
    counter!(m::NETWORK_BYTES_SENT).increment(frame.payload.len() as u64);
}

/// Encodes and sends at once; `false` as for [`write_within`].
async fn send(
    ws: &mut Ws,
    form: Form,
    opts: &EncodeOptions,
    msg: &ServerMessage,
    timeout: Duration,
) -> bool {
    let mut frames = Frames::new();
    push(&mut frames, form, opts, msg);
    write_within(ws, frames, timeout).await
}

/// Sends an encoded message at once; `false` as for [`write_within`].
async fn send_encoded(ws: &mut Ws, frame: &Encoded, timeout: Duration) -> bool {
    let mut frames = Frames::new();
    push_encoded(&mut frames, frame);
    write_within(ws, frames, timeout).await
}

/// Writes `frames`; `false` if the connection is gone or the write took longer than
/// `timeout`.
async fn write_within(ws: &mut Ws, frames: Frames, timeout: Duration) -> bool {
    matches!(
        tokio::time::timeout(timeout, frames.write(ws)).await,
        Ok(Ok(()))
    )
}

/// Sends an error, a disconnect and a close frame.
async fn close_with(
    ws: &mut Ws,
    form: Form,
    opts: &EncodeOptions,
    msg: ErrorMsg,
    reason: DisconnectReason,
) {
    let text = msg.message.clone();
    let _ = send(
        ws,
        form,
        opts,
        &ServerMessage::Error(msg),
        Duration::from_secs(2),
    )
    .await;
    goodbye(ws, form, opts, reason, &text).await;
}

async fn goodbye(
    ws: &mut Ws,
    form: Form,
    opts: &EncodeOptions,
    reason: DisconnectReason,
    text: &str,
) {
    let message = clip(text, protocol::limits::MAX_TEXT_BYTES / 2);
    let _ = send(
        ws,
        form,
        opts,
        &ServerMessage::Disconnect(Disconnect { reason, message }),
        Duration::from_secs(2),
    )
    .await;
    let _ = tokio::time::timeout(Duration::from_secs(2), ws.close(None)).await;
}

/// `text` cut to at most `max` bytes on a character boundary.
fn clip(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use protocol::Handshake;
    use tokio::net::TcpListener;
    use tokio::sync::broadcast;

    use super::*;

    /// Refuses every session: only the type of its session task matters here.
    struct Refusing;

    impl GameApi for Refusing {
        async fn open(
            &self,
            _: Handshake,
            _: u16,
            _: ClientInfo,
            _: Option<String>,
        ) -> Result<GameSession, ErrorMsg> {
            Err(error(ErrorCode::NotAllowed, Severity::Fatal, "refused"))
        }
    }

    /// Every connection keeps its task for its whole life, so its size is memory per
    /// connection: 1,336 bytes of `run` in a release build when this was written. tokio
    /// allocates it with 144 bytes more (the spawned block's captures, the task's
    /// header, scheduler handle and trailer), rounded up to 128, and jemalloc rounds
    /// that up to a size class.
    /// Past 1,392 bytes the task leaves the 1,536-byte class for the 1,792-byte one:
    /// 256 bytes more a connection (`-Zprint-type-sizes` shows what the state holds).
    #[tokio::test]
    async fn a_connections_task_fits_the_1536_byte_class() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let connect = TcpStream::connect(listener.local_addr().unwrap());
        let (accepted, _client) = tokio::join!(listener.accept(), connect);
        let (stream, peer) = accepted.unwrap();
        let (notify, _) = broadcast::channel(1);
        let task = run(Box::new(Connection {
            stream,
            peer,
            cfg: Arc::new(WsConfig::default()),
            api: Arc::new(Refusing),
            shutdown: Shutdown::new(notify.subscribe()),
        }));
        let size = std::mem::size_of_val(&task);
        assert!(
            size <= 1_392,
            "a connection's session future is {size} bytes"
        );
    }
}
