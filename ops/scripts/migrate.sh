#!/usr/bin/env bash
# migrate.sh — runs the server's own migration runner (`server migrate`), never raw SQL.
#
# Usage: migrate.sh [--target auto|compose|local] [up | down N | status]
#
#   up        apply every pending migration (default)
#   down N    revert the last N migrations
#   status    list applied and pending migrations
#   --target  compose: `docker compose run --rm rust-server migrate …` in the stack (the
#             image's entrypoint waits for the postgres service first);
#             local: the server binary (SERVER_BIN, else target/{release,debug}/server, else
#             `server` on PATH) against DATABASE_URL or DB_HOST/DB_PORT/DB_NAME/DB_USER/
#             DB_PASSWORD — or the SQLite default when none is set — after waiting up to
#             DB_WAIT_TIMEOUT seconds (default 60) for PostgreSQL;
#             auto (default): compose if that stack is running, else local
#
# Settings are read from the environment and from ENV_FILE (default ./.env).
# Exit codes: 0 ok, 1 failure (the server's message says why), 2 bad usage.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TARGET="${TARGET:-auto}"
ARGS=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        -h | --help) print_help; exit 0 ;;
        --target) TARGET="${2:?--target needs a value}"; shift 2 ;;
        -*) usage_error "unknown option '$1'" ;;
        *) ARGS+=("$1"); shift ;;
    esac
done
[[ ${#ARGS[@]} -gt 0 ]] || ARGS=(up)
case "${ARGS[0]}" in
    up | status)
        [[ ${#ARGS[@]} -eq 1 ]] || usage_error "'${ARGS[0]}' takes no argument"
        ;;
    down)
        [[ ${#ARGS[@]} -eq 2 && "${ARGS[1]}" =~ ^[1-9][0-9]*$ ]] ||
            usage_error "'down' needs the number of migrations to revert, e.g. 'down 1'"
        ;;
    *) usage_error "unknown migration command '${ARGS[0]}' (up, down N or status)" ;;
esac

load_env_file "$ENV_FILE"
resolve_target

if [[ "$TARGET" == compose ]]; then
    log "running 'server migrate ${ARGS[*]}' in the compose stack"
    exec "${COMPOSE[@]}" run --rm -T rust-server migrate "${ARGS[@]}"
fi

find_server_bin
export SERVER_BIN
log "running '$SERVER_BIN migrate ${ARGS[*]}'"
# The entrypoint waits (bounded) for PostgreSQL, skips the wait for SQLite, then execs the
# server: the same path the container takes.
exec "$REPO_ROOT/ops/docker/entrypoint.sh" migrate "${ARGS[@]}"
