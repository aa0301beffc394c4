#!/usr/bin/env bash
# restore.sh — restores a pg_dump custom-format dump (from backup.sh) into a named database.
#
# Usage: restore.sh --database NAME [--force] [--target auto|compose|local] [--jobs N] DUMP
#
#   --database  the database to restore into (required; created if missing)
#   --force     the database exists already: drop it (disconnecting its sessions) and
#               restore into a fresh one. Without --force an existing database is never
#               touched and the script exits with code 3.
#   --target    compose: pg_restore inside the stack's postgres container; local: the
#               host's pg_restore against DATABASE_URL or DB_HOST/DB_PORT/DB_USER/DB_PASSWORD
#               (the database named there is not used: --database says where to restore);
#               auto (default): compose if that stack is running, else local
#   --jobs      parallel restore jobs (local only; default 2)
#
# Stop the game server before restoring over its own database (ops/scripts/shutdown.sh),
# or restore into a new name and point DB_NAME at it.
# Exit codes: 0 ok, 1 failure, 2 bad usage, 3 database exists and no --force.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TARGET="${TARGET:-auto}"
DATABASE=""
FORCE=0
JOBS=2
DUMP=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        -h | --help) print_help; exit 0 ;;
        --target) TARGET="${2:?--target needs a value}"; shift 2 ;;
        --database) DATABASE="${2:?--database needs a value}"; shift 2 ;;
        --force) FORCE=1; shift ;;
        --jobs) JOBS="${2:?--jobs needs a value}"; shift 2 ;;
        -*) usage_error "unknown option '$1'" ;;
        *)
            [[ -z "$DUMP" ]] || usage_error "only one dump file, got '$DUMP' and '$1'"
            DUMP="$1"; shift ;;
    esac
done

[[ -n "$DUMP" ]] || usage_error "which dump? give the file from backup.sh"
[[ -n "$DATABASE" ]] || usage_error "--database NAME is required"
check_db_name "$DATABASE"
[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || usage_error "--jobs must be a positive number"
[[ -f "$DUMP" && -r "$DUMP" ]] || die "dump file '$DUMP' not found or not readable"

load_env_file "$ENV_FILE"
require_tool pg_restore "the PostgreSQL client tools, Debian package postgresql-client"
# Validate the archive before touching any database.
pg_restore --list "$DUMP" >/dev/null 2>&1 || die "'$DUMP' is not a pg_dump custom-format archive"
resolve_target

if [[ "$TARGET" == compose ]]; then
    admin_user="${DB_USER:-game_user}"
    psql_admin() { "${COMPOSE[@]}" exec -T postgres psql -X -q -v ON_ERROR_STOP=1 -U "$admin_user" -d postgres "$@"; }
else
    require_tool psql "the PostgreSQL client tools, Debian package postgresql-client"
    local_pg_env
    psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }
fi

exists="$(psql_admin -tA -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" ||
    die "cannot reach PostgreSQL to check whether $DATABASE exists"
if [[ "$exists" == 1 ]]; then
    if [[ "$FORCE" != 1 ]]; then
        die "database $DATABASE already exists; refusing to overwrite it (use --force to drop and replace it)" 3
    fi
    log "--force: dropping existing database $DATABASE"
    psql_admin -c "DROP DATABASE \"$DATABASE\" WITH (FORCE)" || die "could not drop $DATABASE"
fi
psql_admin -c "CREATE DATABASE \"$DATABASE\"" || die "could not create $DATABASE"

log "restoring $DUMP into $DATABASE"
if [[ "$TARGET" == compose ]]; then
    "${COMPOSE[@]}" exec -T postgres pg_restore -U "$admin_user" --no-owner --exit-on-error -d "$DATABASE" <"$DUMP" ||
        die "pg_restore into $DATABASE failed (the database is left as is for inspection)"
else
    pg_restore --no-owner --exit-on-error --jobs "$JOBS" -d "$DATABASE" "$DUMP" ||
        die "pg_restore into $DATABASE failed (the database is left as is for inspection)"
fi
log "restore of $DATABASE complete"
