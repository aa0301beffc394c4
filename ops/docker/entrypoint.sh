#!/usr/bin/env bash
# Container entrypoint for the Kindling server (also usable outside a container).
#
#   entrypoint.sh [run|migrate ...|print-config|--help|<any server args>]
#
# 1. When the database is PostgreSQL (DATABASE_URL=postgres://… or DB_HOST set), waits until
#    it accepts connections, for at most DB_WAIT_TIMEOUT seconds (default 60). With SQLite
#    (neither set, or DATABASE_URL=sqlite:…) there is nothing to wait for.
# 2. For `run` (the default), applies pending migrations with `server migrate up`
#    (skip with SKIP_MIGRATIONS=1).
# 3. execs the server, so it is PID 1 of the container and receives SIGTERM directly: the
#    server then saves every player and the world and exits 0.
#
# Environment: SERVER_BIN (default: /app/server, else `server` on PATH), DATABASE_URL or
# DB_HOST/DB_PORT/DB_USER, DB_WAIT_TIMEOUT, SKIP_MIGRATIONS.
set -euo pipefail

log() { printf '%s entrypoint: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

if [[ "${1:-}" == "--entrypoint-help" ]]; then
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
fi

SERVER_BIN="${SERVER_BIN:-/app/server}"
if [[ ! -x "$SERVER_BIN" ]]; then
    if command -v server >/dev/null 2>&1; then
        SERVER_BIN="$(command -v server)"
    else
        die "server binary not found at SERVER_BIN=$SERVER_BIN nor on PATH"
    fi
fi

DB_WAIT_TIMEOUT="${DB_WAIT_TIMEOUT:-60}"
[[ "$DB_WAIT_TIMEOUT" =~ ^[0-9]+$ ]] || die "DB_WAIT_TIMEOUT must be a whole number of seconds, got '$DB_WAIT_TIMEOUT'"

# Works out "host port user" of the PostgreSQL server, or nothing for SQLite.
postgres_target() {
    local url="${DATABASE_URL:-}"
    if [[ -n "$url" ]]; then
        case "$url" in
            postgres://* | postgresql://*) ;;
            *) return 0 ;; # sqlite:… or a file path: nothing to wait for
        esac
        local rest="${url#*://}"
        rest="${rest%%/*}" # drop /dbname?params
        local user="" hostport="$rest"
        if [[ "$rest" == *@* ]]; then
            user="${rest%@*}"
            user="${user%%:*}"
            hostport="${rest##*@}"
        fi
        local host="${hostport%%:*}" port="5432"
        [[ "$hostport" == *:* ]] && port="${hostport##*:}"
        [[ -n "$host" ]] || host="localhost"
        printf '%s %s %s\n' "$host" "$port" "${user:-postgres}"
    elif [[ -n "${DB_HOST:-}" ]]; then
        printf '%s %s %s\n' "$DB_HOST" "${DB_PORT:-5432}" "${DB_USER:-postgres}"
    fi
}

# Is PostgreSQL accepting connections? pg_isready when installed (it checks the server's
# answer), else a plain TCP connect through bash's /dev/tcp.
postgres_ready() {
    local host="$1" port="$2" user="$3"
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h "$host" -p "$port" -U "$user" -t 2
    else
        timeout 2 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null
    fi
}

now_us() {
    local t="${EPOCHREALTIME/[.,]/}"
    printf '%s\n' "$((10#$t))"
}

wait_for_postgres() {
    local target host port user
    target="$(postgres_target)"
    if [[ -z "$target" ]]; then
        log "database: SQLite, no server to wait for"
        return 0
    fi
    read -r host port user <<<"$target"
    [[ "$port" =~ ^[0-9]+$ ]] || die "database port '$port' is not a number"
    log "waiting up to ${DB_WAIT_TIMEOUT}s for PostgreSQL at $host:$port"
    # Microseconds from EPOCHREALTIME (bash 5): SECONDS counts whole seconds and would cut a
    # short timeout by up to one second.
    local deadline=$(($(now_us) + DB_WAIT_TIMEOUT * 1000000))
    until postgres_ready "$host" "$port" "$user"; do
        if (($(now_us) >= deadline)); then
            die "PostgreSQL at $host:$port not reachable after ${DB_WAIT_TIMEOUT}s (check DB_HOST/DB_PORT or DATABASE_URL)"
        fi
        sleep 1
    done
    log "PostgreSQL at $host:$port is accepting connections"
}

command="${1:-run}"
case "$command" in
    run)
        wait_for_postgres
        if [[ "${SKIP_MIGRATIONS:-0}" == "1" ]]; then
            log "SKIP_MIGRATIONS=1: not running migrations"
        else
            log "applying migrations: $SERVER_BIN migrate up"
            "$SERVER_BIN" migrate up || die "migrations failed; the server was not started"
        fi
        [[ $# -gt 0 ]] && shift
        log "starting server"
        exec "$SERVER_BIN" run "$@"
        ;;
    migrate)
        wait_for_postgres
        exec "$SERVER_BIN" "$@"
        ;;
    *)
        # print-config, --help, or any other server arguments: no database needed.
        exec "$SERVER_BIN" "$@"
        ;;
esac
