//! The server's lifecycle: bind, start worlds and listeners, run until shutdown, then
//! stop accepting, say goodbye, save everyone and the worlds, and return.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use net_gateway::http::HttpLimits;
use net_gateway::{HttpConfig, WsConfig, run_http, run_metrics, run_ws};
use persistence::{Database, RetryPolicy, SaveQueue};
use protocol::Compression;
use sim_core::{Content, World};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};

use crate::auth::{AuthService, TokenKeys};
use crate::game::{RunnerConfig, WorldHandle};
use crate::play::PlayService;
use crate::replication::{ProtocolCapture, ProtocolReplica};
use crate::settings::Settings;
use crate::worlds::Worlds;
use crate::{client_files, intro, saver, telemetry};

/// The bound sockets: HTTP, WebSocket and (if enabled) metrics.
pub struct Listeners {
    /// SERVER_PORT.
    pub http: TcpListener,
    /// SERVER_WS_PORT.
    pub ws: TcpListener,
    /// The metrics address.
    pub metrics: Option<TcpListener>,
}

impl Listeners {
    /// Binds the configured addresses.
    pub async fn bind(s: &Settings) -> Result<Self> {
        let http = bind(&s.server.host, s.server.port, "HTTP (SERVER_PORT)").await?;
        let ws = bind(
            &s.server.host,
            s.server.ws_port,
            "WebSocket (SERVER_WS_PORT)",
        )
        .await?;
        let metrics = if s.metrics.enabled {
            Some(
                TcpListener::bind(s.metrics.address)
                    .await
                    .with_context(|| format!("binding metrics listener {}", s.metrics.address))?,
            )
        } else {
            None
        };
        Ok(Self { http, ws, metrics })
    }

    /// The bound addresses (http, ws, metrics).
    pub fn addrs(&self) -> Result<(SocketAddr, SocketAddr, Option<SocketAddr>)> {
        Ok((
            self.http.local_addr()?,
            self.ws.local_addr()?,
            self.metrics.as_ref().map(|l| l.local_addr()).transpose()?,
        ))
    }
}

async fn bind(host: &str, port: u16, what: &str) -> Result<TcpListener> {
    TcpListener::bind((host, port))
        .await
        .with_context(|| format!("binding {what} on {host}:{port}"))
}

/// Waits until the watch turns true (or its sender is gone).
async fn until(mut rx: watch::Receiver<bool>) {
    while !*rx.borrow() {
        if rx.changed().await.is_err() {
            return;
        }
    }
}

/// Runs the server on `listeners` until `shutdown` completes, then shuts down
/// gracefully. `db` must be migrated.
pub async fn serve(
    settings: Settings,
    listeners: Listeners,
    db: Database,
    shutdown: impl Future,
) -> Result<()> {
    let metrics = telemetry::install_metrics()?;
    let keys = match settings.security.jwt_secret.as_ref() {
        Some(secret) => TokenKeys::new(secret.expose().as_bytes()),
        None => {
            // Development only (validation refuses this elsewhere): a random key per run,
            // so tokens simply stop working after a restart.
            tracing::warn!(
                "JWT_SECRET is not set; using a random key for this run (development only)"
            );
            TokenKeys::new(uuid::Uuid::new_v4().as_bytes())
        }
    };
    let queue = Arc::new(SaveQueue::new(&db, RetryPolicy::default()));
    let (save_tx, save_rx) = mpsc::unbounded_channel();

    // Worlds, each restored from its newest checkpoint.
    let content = Content::builtin().context("loading the built-in content")?;
    let replication = protocol::ReplicationConfig::default();
    let mut handles = Vec::new();
    for n in 1..=settings.worlds.count {
        let id = format!("world-{n}");
        let seed = settings.worlds.seed.wrapping_add(u64::from(n - 1));
        let mut world = World::new(settings.game.clone(), content.clone(), seed)
            .with_context(|| format!("creating {id}"))?;
        match db.worlds().load_latest(&id).await {
            Ok(Some(stored)) => match world.restore(&stored.checkpoint) {
                Ok(()) => {
                    tracing::info!(world = %id, tick = world.tick(), "world restored from checkpoint")
                }
                Err(e) => {
                    tracing::warn!(world = %id, error = %e, "checkpoint does not fit this world; starting fresh")
                }
            },
            Ok(None) => tracing::info!(world = %id, seed, "new world"),
            Err(e) => return Err(e).with_context(|| format!("loading the checkpoint of {id}")),
        }
        let cfg = RunnerConfig {
            world_id: id.clone(),
            outbound_queue: settings.network.outbound_queue as usize,
            resume_grace: settings.network.resume_grace.0,
            autosave_interval: settings.worlds.autosave_interval.0,
            checkpoint_interval: settings.worlds.checkpoint_interval.0,
            tick_priority: settings.worlds.tick_priority,
        };
        let intro = intro::messages(&world);
        let capture = ProtocolCapture::new(replication.clone());
        let mut handle =
            WorldHandle::spawn::<ProtocolReplica>(world, cfg, capture, save_tx.clone())
                .with_context(|| format!("starting the thread of {id}"))?;
        handle.set_intro(intro.messages, intro.content_version);
        handles.push(Arc::new(handle));
    }
    drop(save_tx);
    let worlds = Arc::new(Worlds::new(handles));

    let auth = AuthService::new(
        db.clone(),
        keys,
        settings.security.jwt_expires_in.0,
        settings.security.session_timeout.0,
        worlds.clone(),
    );
    let play = Arc::new(PlayService::new(
        auth.clone(),
        worlds.clone(),
        queue.clone(),
        replication,
    ));

    let (stop_tx, stop_rx) = watch::channel(false);
    let saver_task = tokio::spawn(saver::run(
        db.clone(),
        queue.clone(),
        save_rx,
        stop_rx.clone(),
    ));

    let (http_addr, ws_addr, metrics_addr) = listeners.addrs()?;
    let http_cfg = HttpConfig {
        limits: HttpLimits {
            max_connections: (settings.server.max_connections as usize).max(64),
            max_header_bytes: settings.security.max_header_size.0 as usize,
            header_timeout: Duration::from_secs(10),
        },
        cors_origins: settings.cors.allowed_origins.clone(),
        cors_methods: settings.cors.allowed_methods.clone(),
        cors_headers: settings.cors.allowed_headers.clone(),
        rate_limit_window: settings.security.rate_limit_window.0,
        rate_limit_max: settings.security.rate_limit_max,
        auth_rate_limit_max: settings.security.auth_rate_limit_max,
        max_body_bytes: settings.security.max_body_size.0 as usize,
        static_files: client_files::source(&settings.server.client_dir),
        ws_port: ws_addr.port(),
    };
    let n = &settings.network;
    let ws_cfg = WsConfig {
        max_connections: settings.server.max_connections as usize,
        max_message_size: n.max_message_size.0 as usize,
        handshake_timeout: n.handshake_timeout.0,
        ping_interval: n.ping_interval.0,
        pong_timeout: n.pong_timeout.0,
        inactivity_timeout: n.inactivity_timeout.0,
        write_timeout: n.pong_timeout.0,
        input_rate: n.input_rate,
        input_burst: n.input_burst,
        chat_per_10s: n.chat_per_10s,
        max_violations: n.max_violations,
        compression: if n.compression_enabled {
            Compression::level(settings.performance.compression_level)
        } else {
            Compression::OFF
        },
        shutdown_wait: settings.worlds.shutdown_timeout.0 / 2,
    };

    let (accept_tx, accept_rx) = watch::channel(false);
    let http_task = tokio::spawn(run_http(
        listeners.http,
        http_cfg,
        auth,
        until(accept_rx.clone()),
    ));
    let ws_task = tokio::spawn(run_ws(listeners.ws, ws_cfg, play, until(accept_rx.clone())));
    let metrics_task = listeners.metrics.map(|l| {
        tokio::spawn(run_metrics(
            l,
            move || metrics.render(),
            until(stop_rx.clone()),
        ))
    });
    tracing::info!(%http_addr, %ws_addr, metrics = ?metrics_addr, worlds = worlds.all().len(), "server ready");

    shutdown.await;
    let deadline = Instant::now() + settings.worlds.shutdown_timeout.0;
    tracing::info!("shutting down: no new connections, saving players and worlds");
    let _ = accept_tx.send(true);

    // Each world disconnects its clients with a reason and hands back what to save.
    let mut finals = Vec::new();
    for w in worlds.all() {
        finals.push((w.id().to_owned(), w.shutdown().await));
    }
    let players: usize = finals.iter().map(|(_, f)| f.players.len()).sum();
    let _ = stop_tx.send(true);
    let _ = saver_task.await;
    let saved = saver::save_final(&db, &queue, finals, deadline).await;
    if saved {
        tracing::info!(players, "everyone saved");
    } else {
        tracing::error!(
            players,
            pending = queue.len(),
            "some saves could not be written before the shutdown deadline"
        );
    }
    let left = deadline
        .saturating_duration_since(Instant::now())
        .max(Duration::from_secs(1));
    let _ = tokio::time::timeout(left, async {
        let _ = ws_task.await;
        let _ = http_task.await;
        if let Some(t) = metrics_task {
            let _ = t.await;
        }
    })
    .await;
    db.close();
    tracing::info!("shutdown complete");
    Ok(())
}
