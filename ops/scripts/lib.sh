#!/usr/bin/env bash
# Shared helpers of the ops scripts: sourced, never run. Every script works against either
#   --target compose   the docker compose stack (ops/compose/), through `docker compose`
#                      (or docker-compose 1.x) exec/run, or
#   --target local     a server binary and a plain PostgreSQL given by environment
#                      variables (DATABASE_URL or DB_HOST/DB_PORT/DB_NAME/DB_USER/DB_PASSWORD)
#   --target auto      (default) compose when a Docker engine answers and the stack's
#                      postgres service is running, else local.

# shellcheck disable=SC2034 # variables here are used by the scripts that source this file

OPS_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$OPS_SCRIPTS_DIR/../.." && pwd)"
COMPOSE_DIR="$REPO_ROOT/ops/compose"
COMPOSE_PROJECT="${COMPOSE_PROJECT:-kindling}"
SCRIPT_NAME="$(basename "$0")"

log() { printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2; }
die() {
    printf '%s: error: %s\n' "$SCRIPT_NAME" "$1" >&2
    exit "${2:-1}"
}
usage_error() {
    printf '%s: error: %s\n(see %s --help)\n' "$SCRIPT_NAME" "$1" "$SCRIPT_NAME" >&2
    exit 2
}

# Prints the comment block at the top of the calling script (after the shebang) as help.
print_help() {
    sed -n '2,/^[^#]/p' "$0" | sed -e '/^[^#]/d' -e 's/^# \{0,1\}//'
}

# Loads KEY=VALUE lines from an env file without executing it (no `source`): comments and
# blank lines are skipped, surrounding quotes removed, and variables already set in the
# environment win over the file.
load_env_file() {
    local file="$1" line key value
    [[ -f "$file" ]] || return 0
    while IFS= read -r line || [[ -n "$line" ]]; do
        line="${line%$'\r'}"
        [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
        line="${line#export }"
        if [[ ! "$line" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; then
            log "warning: ignoring malformed line in $file: $line"
            continue
        fi
        key="${line%%=*}"
        value="${line#*=}"
        if [[ "$value" =~ ^\"(.*)\"$ || "$value" =~ ^\'(.*)\'$ ]]; then
            value="${BASH_REMATCH[1]}"
        fi
        if [[ -z "${!key+set}" ]]; then
            export "$key=$value"
        fi
    done <"$file"
}

# The env file: ENV_FILE, else ./.env of the repository.
ENV_FILE="${ENV_FILE:-$REPO_ROOT/.env}"

# Sets COMPOSE (an array) to the compose command, or fails.
find_compose() {
    if docker compose version >/dev/null 2>&1; then
        COMPOSE=(docker compose)
    elif command -v docker-compose >/dev/null 2>&1; then
        COMPOSE=(docker-compose)
    else
        die "neither 'docker compose' nor 'docker-compose' is installed"
    fi
    local files=(-f "$COMPOSE_DIR/docker-compose.yml")
    local override="${COMPOSE_OVERRIDE:-}"
    if [[ -n "$override" ]]; then
        files+=(-f "$COMPOSE_DIR/docker-compose.$override.yml")
    fi
    COMPOSE+=(-p "$COMPOSE_PROJECT" "${files[@]}")
    if [[ -f "$ENV_FILE" ]]; then
        COMPOSE+=(--env-file "$ENV_FILE")
    fi
}

docker_engine_up() {
    command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1
}

# Resolves TARGET (auto|compose|local) to compose or local.
resolve_target() {
    case "${TARGET:-auto}" in
        compose)
            docker_engine_up || die "--target compose: no Docker engine is answering (docker info failed); start Docker or use --target local"
            find_compose
            ;;
        local) ;;
        auto)
            TARGET=local
            if docker_engine_up; then
                find_compose
                if [[ -n "$("${COMPOSE[@]}" ps -q postgres 2>/dev/null)" ]]; then
                    TARGET=compose
                fi
            fi
            ;;
        *) usage_error "--target must be compose, local or auto, got '${TARGET}'" ;;
    esac
    [[ "$TARGET" == auto ]] && TARGET=local
    return 0
}

# For --target local: fills PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE from DATABASE_URL
# or the DB_* variables (the libpq tools read the PG* ones).
local_pg_env() {
    local url="${DATABASE_URL:-}"
    if [[ -n "$url" ]]; then
        case "$url" in
            postgres://* | postgresql://*) ;;
            *) die "DATABASE_URL is not a PostgreSQL URL (${url%%:*}:…); these scripts need PostgreSQL" ;;
        esac
        local rest="${url#*://}" auth="" hostport path
        path="${rest#*/}"
        [[ "$path" == "$rest" ]] && path=""
        rest="${rest%%/*}"
        if [[ "$rest" == *@* ]]; then
            auth="${rest%@*}"
            hostport="${rest##*@}"
        else
            hostport="$rest"
        fi
        export PGHOST="${hostport%%:*}"
        [[ -n "$PGHOST" ]] || PGHOST=localhost
        export PGPORT=5432
        [[ "$hostport" == *:* ]] && PGPORT="${hostport##*:}"
        if [[ -n "$auth" ]]; then
            export PGUSER="${auth%%:*}"
            [[ "$auth" == *:* ]] && export PGPASSWORD="${auth#*:}"
        fi
        path="${path%%\?*}"
        [[ -n "$path" ]] && export PGDATABASE="$path"
    else
        [[ -n "${DB_HOST:-}" ]] || die "no database given: set DATABASE_URL or DB_HOST (and DB_PORT/DB_NAME/DB_USER/DB_PASSWORD), e.g. in $ENV_FILE"
        export PGHOST="$DB_HOST" PGPORT="${DB_PORT:-5432}"
        [[ -n "${DB_USER:-}" ]] && export PGUSER="$DB_USER"
        [[ -n "${DB_PASSWORD:-}" ]] && export PGPASSWORD="$DB_PASSWORD"
        [[ -n "${DB_NAME:-}" ]] && export PGDATABASE="$DB_NAME"
    fi
    [[ "$PGPORT" =~ ^[0-9]+$ ]] || die "database port '$PGPORT' is not a number"
    return 0
}

# A database name safe to put in SQL as an identifier.
check_db_name() {
    [[ "$1" =~ ^[A-Za-z_][A-Za-z0-9_]{0,62}$ ]] || die "invalid database name '$1' (letters, digits and _, at most 63)"
}

require_tool() {
    command -v "$1" >/dev/null 2>&1 || die "'$1' is not installed${2:+ ($2)}"
}

# The server binary for --target local: SERVER_BIN, else a cargo build output, else PATH.
find_server_bin() {
    local candidate
    for candidate in "${SERVER_BIN:-}" \
        "${CARGO_TARGET_DIR:-$REPO_ROOT/target}/release/server" \
        "${CARGO_TARGET_DIR:-$REPO_ROOT/target}/debug/server"; do
        if [[ -n "$candidate" && -x "$candidate" ]]; then
            SERVER_BIN="$candidate"
            return 0
        fi
    done
    if command -v server >/dev/null 2>&1; then
        SERVER_BIN="$(command -v server)"
        return 0
    fi
    die "server binary not found: set SERVER_BIN or build it (cargo build --release -p server)"
}
