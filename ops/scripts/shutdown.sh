#!/usr/bin/env bash
# shutdown.sh — stops the game server gracefully: SIGTERM, then waits while the server
# tells its players, saves every player and the world, and exits.
#
# Usage: shutdown.sh [--target auto|compose|local] [--grace SECONDS] [--server-only] [--kill]
#
#   --target       compose: `docker compose stop` of rust-server (SIGTERM, then up to
#                  --grace seconds), then `docker compose down` of the rest (volumes are
#                  kept); local: SIGTERM to the pid in PID_FILE (default ./data/server.pid,
#                  written by startup.sh --target local);
#                  auto (default): compose if that stack is running, else local
#   --grace        seconds to wait for the save and exit (default 60; the server's own
#                  shutdown bound is shorter)
#   --server-only  compose only: stop only the game server, leave PostgreSQL running
#   --kill         if the server has not exited after --grace, SIGKILL it (players since
#                  the last autosave may be lost); without it the script fails and leaves
#                  the server running
#
# Exit codes: 0 stopped cleanly, 1 failure (not stopped, or stopped with an error), 2 bad usage.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TARGET="${TARGET:-auto}"
GRACE=60
SERVER_ONLY=0
KILL=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        -h | --help) print_help; exit 0 ;;
        --target) TARGET="${2:?--target needs a value}"; shift 2 ;;
        --grace) GRACE="${2:?--grace needs a value}"; shift 2 ;;
        --server-only) SERVER_ONLY=1; shift ;;
        --kill) KILL=1; shift ;;
        *) usage_error "unknown argument '$1'" ;;
    esac
done
[[ "$GRACE" =~ ^[0-9]+$ ]] || usage_error "--grace must be a whole number of seconds"

load_env_file "$ENV_FILE"
resolve_target

if [[ "$TARGET" == compose ]]; then
    container="$("${COMPOSE[@]}" ps -q rust-server)"
    [[ -n "$container" ]] || die "the compose stack has no rust-server container"
    log "stopping rust-server (SIGTERM, up to ${GRACE}s to save players)"
    "${COMPOSE[@]}" stop -t "$GRACE" rust-server || die "docker compose stop failed"
    code="$(docker inspect -f '{{.State.ExitCode}}' "$container")"
    if [[ "$code" == 137 ]]; then
        die "rust-server did not exit within ${GRACE}s and was killed: players since the last autosave may be lost"
    elif [[ "$code" != 0 ]]; then
        die "rust-server exited with code $code: check '${COMPOSE[*]} logs rust-server'"
    fi
    log "rust-server saved and exited cleanly"
    if [[ "$SERVER_ONLY" == 0 ]]; then
        "${COMPOSE[@]}" --profile monitoring down || die "docker compose down failed"
    fi
    exit 0
fi

[[ "$SERVER_ONLY" == 0 ]] || log "--server-only has no effect with --target local"
PID_FILE="${PID_FILE:-./data/server.pid}"
[[ -f "$PID_FILE" ]] || die "no pid file at $PID_FILE: is the server running (started by startup.sh --target local)?"
pid="$(cat "$PID_FILE")"
[[ "$pid" =~ ^[0-9]+$ ]] || die "$PID_FILE does not hold a pid"
if ! kill -0 "$pid" 2>/dev/null; then
    rm -f "$PID_FILE"
    die "no process $pid: the server was not running (stale $PID_FILE removed)"
fi
log "sending SIGTERM to $pid, waiting up to ${GRACE}s for the save"
kill -TERM "$pid"
deadline=$((SECONDS + GRACE))
while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
        if [[ "$KILL" == 1 ]]; then
            kill -KILL "$pid" 2>/dev/null || true
            rm -f "$PID_FILE"
            die "server $pid did not exit within ${GRACE}s and was killed: players since the last autosave may be lost"
        fi
        die "server $pid still running after ${GRACE}s (left running; --kill forces it)"
    fi
    sleep 0.2
done
rm -f "$PID_FILE"
log "server $pid exited after $((GRACE - (deadline - SECONDS)))s"
