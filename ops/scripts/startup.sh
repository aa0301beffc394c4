#!/usr/bin/env bash
# startup.sh — starts the game server and waits until it answers /health.
#
# Usage: startup.sh [--target auto|compose|local] [--env development|production]
#                   [--monitoring] [--no-build] [--follow] [--timeout SECONDS]
#
#   --target      compose: `docker compose up -d` of ops/compose/ (with the dev or prod
#                 override chosen by --env / SERVER_ENV); local: the server binary
#                 (SERVER_BIN, else target/{release,debug}/server, else PATH) in the
#                 background through ops/docker/entrypoint.sh (waits for PostgreSQL, runs
#                 migrations, starts the server), pid in PID_FILE (default ./data/server.pid),
#                 output in SERVER_LOG (default ./data/server.out);
#                 auto (default): compose when a Docker engine answers, else local
#   --env         development or production (default SERVER_ENV, else production)
#   --monitoring  compose only: also start the monitoring profile (Prometheus, Grafana,
#                 postgres_exporter, node_exporter)
#   --no-build    compose only: do not rebuild images
#   --follow      compose only: follow the logs after start-up (Ctrl-C stops following,
#                 not the server)
#   --timeout     how long to wait for /health (default 180 s)
#
# Settings are read from the environment and from ENV_FILE (default ./.env).
# Exit codes: 0 healthy, 1 failure, 2 bad usage.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TARGET="${TARGET:-auto}"
ENVIRONMENT=""
MONITORING=0
BUILD=1
FOLLOW=0
TIMEOUT=180
while [[ $# -gt 0 ]]; do
    case "$1" in
        -h | --help) print_help; exit 0 ;;
        --target) TARGET="${2:?--target needs a value}"; shift 2 ;;
        --env) ENVIRONMENT="${2:?--env needs a value}"; shift 2 ;;
        --monitoring) MONITORING=1; shift ;;
        --no-build) BUILD=0; shift ;;
        --follow) FOLLOW=1; shift ;;
        --timeout) TIMEOUT="${2:?--timeout needs a value}"; shift 2 ;;
        *) usage_error "unknown argument '$1'" ;;
    esac
done
[[ "$TIMEOUT" =~ ^[0-9]+$ ]] || usage_error "--timeout must be a whole number of seconds"

load_env_file "$ENV_FILE"
ENVIRONMENT="${ENVIRONMENT:-${SERVER_ENV:-production}}"
case "$ENVIRONMENT" in
    development) COMPOSE_OVERRIDE=dev ;;
    production) COMPOSE_OVERRIDE=prod ;;
    *) usage_error "--env/SERVER_ENV must be development or production, got '$ENVIRONMENT'" ;;
esac
export SERVER_ENV="$ENVIRONMENT"
if [[ "$TARGET" == auto ]]; then
    if docker_engine_up; then TARGET=compose; else TARGET=local; fi
fi
resolve_target
require_tool curl "Debian package curl"

HEALTH_URL="http://127.0.0.1:${SERVER_PORT:-8080}/health"

wait_healthy() {
    local deadline=$((SECONDS + TIMEOUT))
    log "waiting up to ${TIMEOUT}s for $HEALTH_URL"
    until curl -fsS -o /dev/null --max-time 2 "$HEALTH_URL"; do
        if [[ -n "${SERVER_PID:-}" ]] && ! kill -0 "$SERVER_PID" 2>/dev/null; then
            log "the server exited during start-up; last lines of $SERVER_LOG:"
            tail -n 30 "$SERVER_LOG" >&2 || true
            rm -f "$PID_FILE"
            die "server failed to start"
        fi
        ((SECONDS < deadline)) || die "server not healthy after ${TIMEOUT}s"
        sleep 1
    done
    log "server is healthy"
}

if [[ "$TARGET" == compose ]]; then
    args=(up -d)
    [[ "$BUILD" == 1 ]] && args+=(--build)
    cmd=("${COMPOSE[@]}")
    [[ "$MONITORING" == 1 ]] && cmd+=(--profile monitoring)
    log "starting the compose stack ($ENVIRONMENT)"
    "${cmd[@]}" "${args[@]}" || die "docker compose up failed"
    wait_healthy
    "${cmd[@]}" ps
    if [[ "$FOLLOW" == 1 ]]; then
        exec "${cmd[@]}" logs -f --tail=50
    fi
    exit 0
fi

[[ "$MONITORING" == 0 ]] || die "--monitoring needs --target compose (Prometheus and Grafana run in the stack)"
find_server_bin
export SERVER_BIN
PID_FILE="${PID_FILE:-./data/server.pid}"
SERVER_LOG="${SERVER_LOG:-./data/server.out}"
mkdir -p "$(dirname "$PID_FILE")" "$(dirname "$SERVER_LOG")"
if [[ -f "$PID_FILE" ]]; then
    old_pid="$(cat "$PID_FILE")"
    if [[ "$old_pid" =~ ^[0-9]+$ ]] && kill -0 "$old_pid" 2>/dev/null; then
        die "the server is already running (pid $old_pid, $PID_FILE)"
    fi
    log "removing stale pid file $PID_FILE"
    rm -f "$PID_FILE"
fi
log "starting $SERVER_BIN ($ENVIRONMENT), output in $SERVER_LOG"
nohup "$REPO_ROOT/ops/docker/entrypoint.sh" run >>"$SERVER_LOG" 2>&1 </dev/null &
SERVER_PID=$!
printf '%s\n' "$SERVER_PID" >"$PID_FILE"
wait_healthy
log "server running, pid $SERVER_PID ($PID_FILE)"
