#!/usr/bin/env bash
# monitor.sh — one-screen status of a running game server: liveness (/health), readiness
# (/ready), players online and tick-duration p95 from Prometheus /metrics.
#
# Usage: monitor.sh [--target auto|compose|local] [--url URL] [--metrics-url URL]
#                   [--window SECONDS] [--watch SECONDS]
#
#   --url          the server's HTTP base (default http://127.0.0.1:$SERVER_PORT, port 8080)
#   --metrics-url  the metrics endpoint (default http://127.0.0.1:$METRICS_PORT/metrics,
#                  port 9090; compose publishes it on the host's loopback)
#   --window       tick p95 over the last SECONDS (two scrapes SECONDS apart); 0 (default)
#                  gives the p95 since the server started
#   --watch        repeat every SECONDS until interrupted
#   --target       compose also prints `docker compose ps`; local checks only the URLs;
#                  auto (default): compose if that stack is running, else local
#
# Exit codes: 0 healthy and ready, 1 not healthy or not ready or metrics unreadable,
# 2 bad usage.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TARGET="${TARGET:-auto}"
URL=""
METRICS_URL=""
WINDOW=0
WATCH=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        -h | --help) print_help; exit 0 ;;
        --target) TARGET="${2:?--target needs a value}"; shift 2 ;;
        --url) URL="${2:?--url needs a value}"; shift 2 ;;
        --metrics-url) METRICS_URL="${2:?--metrics-url needs a value}"; shift 2 ;;
        --window) WINDOW="${2:?--window needs a value}"; shift 2 ;;
        --watch) WATCH="${2:?--watch needs a value}"; shift 2 ;;
        *) usage_error "unknown argument '$1'" ;;
    esac
done
[[ "$WINDOW" =~ ^[0-9]+$ ]] || usage_error "--window must be a whole number of seconds"
[[ "$WATCH" =~ ^[0-9]+$ ]] || usage_error "--watch must be a whole number of seconds"

load_env_file "$ENV_FILE"
require_tool curl "Debian package curl"
resolve_target
URL="${URL:-http://127.0.0.1:${SERVER_PORT:-8080}}"
URL="${URL%/}"
METRICS_URL="${METRICS_URL:-http://127.0.0.1:${METRICS_PORT:-9090}/metrics}"

# The q-quantile of a Prometheus histogram (summed over all label sets), from the cumulative
# bucket counts of scrape $2 minus those of scrape $1 (an empty file for "since start"),
# interpolated inside the bucket the way PromQL's histogram_quantile does. Falls back to a
# summary's quantile="0.95" line. Prints seconds, or nothing when there is no data.
tick_quantile() {
    local before="$1" after="$2"
    awk -v q=0.95 -v name=game_tick_duration_seconds '
        function le_of(line,   m) {
            if (match(line, /le="[^"]*"/)) return substr(line, RSTART + 4, RLENGTH - 5)
            return ""
        }
        $0 ~ "^" name "_bucket[{]" {
            le = le_of($0); v = $NF + 0
            if (FILENAME == ARGV[1]) base[le] += v; else cur[le] += v
            next
        }
        $0 ~ "^" name "[{].*quantile=\"0[.]95\"" { summary = $NF }
        END {
            n = 0
            for (le in cur) { bounds[++n] = le }
            if (n == 0) { if (summary != "" && summary != "NaN") print summary; exit }
            # sort bucket bounds numerically (+Inf last)
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) {
                a = (bounds[i] == "+Inf") ? 1e308 : bounds[i] + 0
                b = (bounds[j] == "+Inf") ? 1e308 : bounds[j] + 0
                if (b < a) { t = bounds[i]; bounds[i] = bounds[j]; bounds[j] = t }
            }
            total = cur[bounds[n]] - base[bounds[n]]
            if (total <= 0) exit
            rank = q * total; prev_count = 0; prev_le = 0
            for (i = 1; i <= n; i++) {
                c = cur[bounds[i]] - base[bounds[i]]
                if (c >= rank) {
                    if (bounds[i] == "+Inf") { print prev_le; exit }
                    upper = bounds[i] + 0
                    if (c == prev_count) { print upper; exit }
                    printf "%.9f\n", prev_le + (upper - prev_le) * (rank - prev_count) / (c - prev_count)
                    exit
                }
                prev_count = c; prev_le = (bounds[i] == "+Inf") ? prev_le : bounds[i] + 0
            }
        }' "$before" "$after"
}

# The value of an unlabelled-or-summed metric in a scrape, or "n/a".
metric_sum() {
    awk -v name="$1" '
        ($1 == name || index($1, name "{") == 1) { s += $NF; seen = 1 }
        END { if (seen) printf "%g\n", s; else print "n/a" }' "$2"
}

check_once() {
    local ok=0 code body scrape before p95
    scrape="$(mktemp)"
    before="$(mktemp)"
    # shellcheck disable=SC2064 # expand now: the files are this call's own
    trap "rm -f '$scrape' '$before'" RETURN

    code="$(curl -sS -o /dev/null -w '%{http_code}' --max-time 5 "$URL/health" 2>/dev/null || true)"
    if [[ "$code" == 200 ]]; then
        printf 'health:          ok\n'
    else
        printf 'health:          FAILING (%s)\n' "${code:-no answer}"
        ok=1
    fi
    body="$(curl -sS --max-time 5 -w '\n%{http_code}' "$URL/ready" 2>/dev/null || true)"
    code="${body##*$'\n'}"
    if [[ "$code" == 200 ]]; then
        printf 'ready:           ok\n'
    else
        printf 'ready:           NOT READY (%s) %s\n' "${code:-no answer}" "$(printf '%s' "${body%$'\n'*}" | head -c 200)"
        ok=1
    fi

    if [[ "$WINDOW" -gt 0 ]]; then
        curl -fsS --max-time 5 -o "$before" "$METRICS_URL" 2>/dev/null || true
        sleep "$WINDOW"
    fi
    if ! curl -fsS --max-time 5 -o "$scrape" "$METRICS_URL" 2>/dev/null; then
        printf 'metrics:         UNREADABLE (%s)\n' "$METRICS_URL"
        return 1
    fi
    printf 'players online:  %s\n' "$(metric_sum game_players_online "$scrape")"
    printf 'connections:     %s\n' "$(metric_sum game_connections "$scrape")"
    p95="$(tick_quantile "$before" "$scrape")"
    if [[ -n "$p95" ]]; then
        printf 'tick p95:        %s ms (%s)\n' "$(awk -v s="$p95" 'BEGIN { printf "%.3f", s * 1000 }')" \
            "$([[ "$WINDOW" -gt 0 ]] && echo "last ${WINDOW}s" || echo "since start")"
    else
        printf 'tick p95:        n/a (no ticks recorded)\n'
    fi
    printf 'tick overruns:   %s\n' "$(metric_sum game_tick_overruns_total "$scrape")"
    printf 'db save fails:   %s\n' "$(metric_sum game_db_save_failures_total "$scrape")"
    return "$ok"
}

while true; do
    printf '== %s  %s\n' "$(date -u +%H:%M:%S)" "$URL"
    if [[ "$TARGET" == compose ]]; then
        "${COMPOSE[@]}" ps || true
    fi
    status=0
    check_once || status=$?
    [[ "$WATCH" -gt 0 ]] || exit "$status"
    sleep "$WATCH"
done
