#!/usr/bin/env bash
# backup.sh — dumps the game database with pg_dump in custom format (-Fc) and prunes old
# dumps.
#
# Usage: backup.sh [--target auto|compose|local] [--dir DIR] [--keep DAYS] [--database NAME]
#
#   --target    compose: pg_dump inside the stack's postgres container, streamed out;
#               local: the host's pg_dump against DATABASE_URL or DB_HOST/DB_PORT/DB_USER/
#               DB_PASSWORD; auto (default): compose if that stack is running, else local
#   --dir       where dumps go (BACKUP_DIR, default ./backups)
#   --keep      delete this script's dumps older than DAYS days (DAYS_TO_KEEP, default 7;
#               0 keeps everything)
#   --database  database to dump (default DB_NAME, or the one in DATABASE_URL)
#
# Settings are read from the environment and from ENV_FILE (default ./.env).
# The dump is written to a temporary name, checked with `pg_restore --list`, then renamed:
# a failed backup never leaves a truncated file that looks good. Prints the dump's path.
# Exit codes: 0 ok, 1 failure, 2 bad usage.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TARGET="${TARGET:-auto}"
BACKUP_DIR="${BACKUP_DIR:-./backups}"
DAYS_TO_KEEP="${DAYS_TO_KEEP:-}"
DATABASE=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        -h | --help) print_help; exit 0 ;;
        --target) TARGET="${2:?--target needs a value}"; shift 2 ;;
        --dir) BACKUP_DIR="${2:?--dir needs a value}"; shift 2 ;;
        --keep) DAYS_TO_KEEP="${2:?--keep needs a value}"; shift 2 ;;
        --database) DATABASE="${2:?--database needs a value}"; shift 2 ;;
        *) usage_error "unknown argument '$1'" ;;
    esac
done

load_env_file "$ENV_FILE"
DAYS_TO_KEEP="${DAYS_TO_KEEP:-7}"
[[ "$DAYS_TO_KEEP" =~ ^[0-9]+$ ]] || usage_error "--keep/DAYS_TO_KEEP must be a whole number of days, got '$DAYS_TO_KEEP'"
require_tool pg_restore "the PostgreSQL client tools, Debian package postgresql-client"
resolve_target

mkdir -p "$BACKUP_DIR" || die "cannot create backup directory $BACKUP_DIR"
stamp="$(date -u +%Y%m%d_%H%M%S)"

if [[ "$TARGET" == compose ]]; then
    DATABASE="${DATABASE:-${DB_NAME:-game_db}}"
    check_db_name "$DATABASE"
    out="$BACKUP_DIR/kindling_${DATABASE}_${stamp}.dump"
    log "dumping database $DATABASE from the compose postgres service"
    tmp="$out.partial"
    trap 'rm -f "$tmp"' EXIT
    # -T: no TTY, so the binary dump goes through stdout untouched.
    "${COMPOSE[@]}" exec -T postgres pg_dump -U "${DB_USER:-game_user}" -d "$DATABASE" -Fc >"$tmp" ||
        die "pg_dump in the postgres container failed"
else
    require_tool pg_dump "the PostgreSQL client tools, Debian package postgresql-client"
    local_pg_env
    DATABASE="${DATABASE:-${PGDATABASE:-}}"
    [[ -n "$DATABASE" ]] || die "no database name: set DB_NAME, a path in DATABASE_URL, or --database"
    check_db_name "$DATABASE"
    out="$BACKUP_DIR/kindling_${DATABASE}_${stamp}.dump"
    tmp="$out.partial"
    trap 'rm -f "$tmp"' EXIT
    log "dumping database $DATABASE from $PGHOST:$PGPORT"
    pg_dump -Fc -d "$DATABASE" -f "$tmp" || die "pg_dump of $DATABASE on $PGHOST:$PGPORT failed"
fi

[[ -s "$tmp" ]] || die "the dump is empty"
pg_restore --list "$tmp" >/dev/null || die "the dump is not a valid pg_dump archive"
mv "$tmp" "$out"
trap - EXIT

if [[ "$DAYS_TO_KEEP" -gt 0 ]]; then
    # Only this script's own dumps, never anything else in the folder.
    pruned="$(find "$BACKUP_DIR" -maxdepth 1 -type f -name 'kindling_*.dump' -mtime "+$DAYS_TO_KEEP" -print -delete | wc -l)"
    log "pruned $pruned dump(s) older than $DAYS_TO_KEEP days"
fi

log "backup complete ($(du -h "$out" | cut -f1))"
printf '%s\n' "$out"
