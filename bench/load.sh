#!/usr/bin/env bash
# Server load: `copydesk serve` on SQLite, driven by wrk over loopback.
#
#   bench/load.sh                    build, seed, 20 s of queue reads, 20 s of version saves
#   bench/load.sh -d 10s -c 64       shorter runs, more connections
#
# What it does: builds target/release/copydesk; makes a workspace in a temporary folder with
# `copydesk demo --keep` (brand acme, its example kit, users, one complete brief); gives bob
# (editor, the author) and dana (editor, the reviewer) passwords; starts `copydesk serve` on
# 127.0.0.1 (a free port); signs both in (POST /api/v1/session) and issues each an API token
# (POST /api/v1/tokens, with the session cookie and X-CSRF-Token); seeds the queue through the
# API (ASSETS blog assets written by bob and submitted for review, so they wait for a second
# editor; WRITE_ASSETS more left as drafts for the write test); then runs wrk:
#   1. GET /api/v1/reviews/queue?brand=acme as dana (her first page, 50 items), bearer token;
#   2. POST /api/v1/assets/{id}/versions as bob, a 1.9 KB draft each time, round-robin over the
#      WRITE_ASSETS drafts (bench/load/version.lua counts the 201 answers).
# Right after the write run the server is killed with SIGKILL, and the versions in the database
# (sqlite3, after WAL recovery) are compared with the 201s wrk counted: every acknowledged save
# must be there. The fsyncs the server made during the write run are counted with `perf stat`
# when perf can trace syscalls. The report (Markdown) goes to stdout, progress to stderr.
#
# Options (or the environment variables in brackets):
#   -d, --duration D      each measured wrk run, wrk syntax (20s)             [DURATION]
#   -c, --connections N   wrk connections (32)                                [CONNECTIONS]
#   -t, --threads N       wrk threads (2)                                     [THREADS]
#   --pool N              copydesk serve --pool (server default: 8)           [POOL]
#   --assets N            assets submitted for review (200)                   [ASSETS]
#   --write-assets N      draft assets the version saves are spread over (20) [WRITE_ASSETS]
#   --keep                keep the temporary folder (workspace, logs)         [KEEP=1]
#   COPYDESK_BIN=PATH     use this binary instead of building target/release/copydesk
#
# Needs wrk, curl, jq and sqlite3 (Debian packages of those names); perf is optional. Server
# and wrk share the machine's CPUs: the numbers are for both on the same cores.
# Exit status 0 whether or not the targets are met; 1 when something failed, or when an
# acknowledged version save is missing from the database.
# shellcheck disable=SC2154,SC2034 # run_wrk sets r_* from wrk's LOAD line with printf -v
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
POOL=${POOL:-}
ASSETS=${ASSETS:-200}
WRITE_ASSETS=${WRITE_ASSETS:-20}
KEEP=${KEEP:-0}
WARMUP=${WARMUP:-3s}

log() { printf '[load] %s\n' "$*" >&2; }
die() { printf '[load] error: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,/^# shellcheck/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2; }

while [ $# -gt 0 ]; do
    case $1 in
        -d | --duration) DURATION=$2; shift 2 ;;
        -c | --connections) CONNECTIONS=$2; shift 2 ;;
        -t | --threads) THREADS=$2; shift 2 ;;
        --pool) POOL=$2; shift 2 ;;
        --assets) ASSETS=$2; shift 2 ;;
        --write-assets) WRITE_ASSETS=$2; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h | --help) usage ;;
        *) printf 'unknown argument: %s\n' "$1" >&2; usage ;;
    esac
done

for tool in wrk curl jq sqlite3; do
    command -v "$tool" >/dev/null || die "$tool is needed (apt-get install $tool)"
done
[ "$THREADS" -le "$CONNECTIONS" ] || die "--threads ($THREADS) cannot exceed --connections ($CONNECTIONS)"

work=$(mktemp -d "${TMPDIR:-/tmp}/copydesk-load.XXXXXX")
server_pid=""
stop_server() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=""
}
cleanup() {
    stop_server
    if [ "$KEEP" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# Build

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- crates Cargo.toml Cargo.lock 2>/dev/null)" ]; then
    commit="$commit (with uncommitted changes in crates/)"
fi
if [ -z "${COPYDESK_BIN:-}" ]; then
    log "building copydesk (cargo build --release -p copydesk)"
    cargo build --release -p copydesk >&2
    COPYDESK_BIN=$root/target/release/copydesk
fi
# run a copy, so that a rebuild of target/ during the run does not change what is measured
cp "$COPYDESK_BIN" "$work/copydesk"
bin=$work/copydesk
version=$("$bin" --version 2>/dev/null | head -1 || echo "copydesk ?")

# ---------------------------------------------------------------------------------------------
# Workspace: the demo's (brand acme, users, brief 1 with its source), plus passwords

ws=$work/ws
db=$ws/copydesk.db
log "creating the workspace (copydesk demo --keep)"
"$bin" demo --keep "$ws" >"$work/demo.log" 2>&1 || { tail -20 "$work/demo.log" >&2; die "copydesk demo failed"; }
[ -f "$db" ] || die "the demo workspace has no $db"
password='load-bench-password-7f3a'
for u in bob dana; do
    printf '%s\n' "$password" | "$bin" --workspace "$ws" --as admin user password "$u" >/dev/null
done

# ---------------------------------------------------------------------------------------------
# Server

start_server() {
    local args=(--workspace "$ws" serve --bind 127.0.0.1:0)
    [ -n "$POOL" ] && args+=(--pool "$POOL")
    "$bin" "${args[@]}" 2>>"$work/server.log" &
    server_pid=$!
    base=""
    for _ in $(seq 150); do
        base=$(grep -o 'serving http://[0-9.:]*' "$work/server.log" 2>/dev/null | tail -1 | cut -d' ' -f2 || true)
        [ -n "$base" ] && break
        kill -0 "$server_pid" 2>/dev/null || { tail -20 "$work/server.log" >&2; die "copydesk serve stopped"; }
        sleep 0.1
    done
    [ -n "$base" ] || die "copydesk serve did not say where it listens (see $work/server.log)"
}
log "starting copydesk serve"
start_server
log "serving at $base (pid $server_pid)"

# sign_in USER: prints the CSRF token; the cookie goes to $work/USER.cookies
sign_in() {
    curl -sS --fail-with-body -c "$work/$1.cookies" -H 'Content-Type: application/json' \
        -d "$(jq -nc --arg u "$1" --arg p "$password" '{user: $u, password: $p}')" \
        "$base/api/v1/session" | jq -r .csrf_token
}
# issue_token USER CSRF: an editor token for acme, made with the session
issue_token() {
    curl -sS --fail-with-body -b "$work/$1.cookies" -H "X-CSRF-Token: $2" -H 'Content-Type: application/json' \
        -d '{"brand":"acme","role":"editor","name":"bench/load.sh"}' \
        "$base/api/v1/tokens" | jq -r .secret
}
bob_token=$(issue_token bob "$(sign_in bob)")
dana_token=$(issue_token dana "$(sign_in dana)")
[[ $bob_token == cdk_* && $dana_token == cdk_* ]] || die "could not issue API tokens (got '$bob_token', '$dana_token')"

# api TOKEN METHOD PATH [JSON]: the response body; fails on a non-2xx answer
api() {
    local args=(-sS --fail-with-body -X "$2" -H "Authorization: Bearer $1")
    [ $# -ge 4 ] && args+=(-H 'Content-Type: application/json' -d "$4")
    curl "${args[@]}" "$base$3"
}

# ---------------------------------------------------------------------------------------------
# Seed: ASSETS assets in review (waiting for a second editor), WRITE_ASSETS drafts

draft_text='# Close payroll in a day, not three\n\nAna runs payroll for a 600-person retailer. Month-end used to take her team three days of exports and matching. Now she starts the close on the first morning and is done by lunch.\n\nAcross 212 customers, the median monthly close fell from three days to one (2026 customer usage report).\n\nSetting up took her team four days, without a consultant.\n\nBook a 20-minute payroll demo.\n'
kinds=(blog email social_post landing_page ad)
new_asset() { # new_asset N: creates an asset with a first version by bob; prints its id
    local kind=${kinds[$(($1 % ${#kinds[@]}))]}
    api "$bob_token" POST /api/v1/assets \
        "{\"brief\":1,\"title\":\"Payroll close, cut $1\",\"kind\":\"$kind\",\"text\":\"$draft_text\",\"note\":\"first draft\"}" |
        jq -r '.asset.id // .id'
}
log "seeding: $ASSETS assets submitted for review, $WRITE_ASSETS drafts for the version saves"
seed_start=$EPOCHREALTIME
for i in $(seq "$ASSETS"); do
    id=$(new_asset "$i")
    [[ $id =~ ^[0-9]+$ ]] || die "asset creation returned no id (got '$id')"
    api "$bob_token" POST "/api/v1/assets/$id/submit" >/dev/null
done
write_ids=()
for i in $(seq "$WRITE_ASSETS"); do
    id=$(new_asset "$((ASSETS + i))")
    [[ $id =~ ^[0-9]+$ ]] || die "asset creation returned no id (got '$id')"
    write_ids+=("$id")
done
seed_secs=$(awk -v a="$seed_start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
ids_csv=$(IFS=,; echo "${write_ids[*]}")
queue_json=$(api "$dana_token" GET '/api/v1/reviews/queue?brand=acme')
queue_items=$(jq '.items | length' <<<"$queue_json")
# the whole queue, page by page (following `next`)
queue_total=0
page=$queue_json
while :; do
    queue_total=$((queue_total + $(jq '.items | length' <<<"$page")))
    next=$(jq -r '.next // empty' <<<"$page")
    [ -n "$next" ] || break
    page=$(api "$dana_token" GET "/api/v1/reviews/queue?brand=acme&after=$(jq -rn --arg v "$next" '$v|@uri')")
done
queue_bytes=$(printf '%s' "$queue_json" | wc -c)
[ "$queue_items" -gt 0 ] || die "dana's queue is empty after seeding: $(head -c 300 <<<"$queue_json")"
log "seeded in ${seed_secs}s; dana's queue: $queue_items items on the first page ($queue_bytes bytes), $queue_total in all"

# ---------------------------------------------------------------------------------------------
# wrk runs

# cpu_ticks PID: user + system clock ticks of a process so far
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
hz=$(getconf CLK_TCK)

# run_wrk NAME DURATION SCRIPT URL [-- ARGS]: runs wrk, keeps its output in $work/NAME.wrk,
# and sets the LOAD fields as variables r_requests, r_ok, r_p50_us, … and r_server_cpu (s)
run_wrk() {
    local name=$1 dur=$2 script=$3 url=$4 before after line
    shift 4
    before=$(cpu_ticks "$server_pid")
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$dur" --latency --timeout 10s -s "$script" "$url" "$@" \
        >"$work/$name.wrk" 2>"$work/$name.wrk.err" || { cat "$work/$name.wrk.err" >&2; die "wrk failed ($name)"; }
    after=$(cpu_ticks "$server_pid")
    line=$(grep '^LOAD ' "$work/$name.wrk" | tail -1) || die "wrk printed no LOAD line ($name); see $work/$name.wrk"
    for kv in ${line#LOAD }; do
        printf -v "r_${kv%%=*}" '%s' "${kv#*=}"
    done
    r_server_cpu=$(awk -v a="$before" -v b="$after" -v hz="$hz" 'BEGIN { printf "%.1f", (b - a) / hz }')
    r_rps=$(awk -v n="$r_requests" -v us="$r_duration_us" 'BEGIN { printf "%.0f", n / (us / 1e6) }')
    r_ok_rps=$(awk -v n="$r_ok" -v us="$r_duration_us" 'BEGIN { printf "%.0f", n / (us / 1e6) }')
    if [ -s "$work/$name.wrk.err" ]; then sed 's/^/[wrk] /' "$work/$name.wrk.err" | head -5 >&2; fi
}
ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
queue_url="$base/api/v1/reviews/queue?brand=acme"

log "queue reads: warm-up ($WARMUP)"
run_wrk queue-warmup "$WARMUP" bench/load/queue.lua "$queue_url" -H "Authorization: Bearer $dana_token"
log "queue reads: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency"
run_wrk queue "$DURATION" bench/load/queue.lua "$queue_url" -H "Authorization: Bearer $dana_token"
q_rps=$r_rps q_ok=$r_ok q_non2xx=$r_non2xx q_p50=$r_p50_us q_p90=$r_p90_us q_p99=$r_p99_us q_max=$r_max_us
q_cpu=$r_server_cpu q_requests=$r_requests q_errors="$r_connect_errors/$r_read_errors/$r_write_errors/$r_timeouts"
log "  $q_rps req/s, p50 $(ms "$q_p50") ms, p99 $(ms "$q_p99") ms, non-2xx $q_non2xx, server CPU ${q_cpu}s"

count_versions() { sqlite3 "$db" "SELECT COUNT(*) FROM versions WHERE asset_id IN ($ids_csv)"; }

log "version saves: warm-up ($WARMUP)"
run_wrk version-warmup "$WARMUP" bench/load/version.lua "$base" -- "$bob_token" "$ids_csv"
[ "$r_created" -gt 0 ] || die "no version save succeeded in the warm-up; see $work/version-warmup.wrk.err"
sleep 1 # let the requests the warm-up left in flight finish before counting
versions_before=$(count_versions)

# count the server's fsync/fdatasync calls during the run, when perf can
perf_pid=""
if command -v perf >/dev/null; then
    perf stat -x, -e syscalls:sys_enter_fdatasync,syscalls:sys_enter_fsync,syscalls:sys_enter_nanosleep,syscalls:sys_enter_clock_nanosleep -p "$server_pid" \
        -o "$work/perf-sync.csv" >/dev/null 2>&1 &
    perf_pid=$!
fi
log "version saves: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, over $WRITE_ASSETS assets"
run_wrk version "$DURATION" bench/load/version.lua "$base" -- "$bob_token" "$ids_csv"
# the moment wrk stops counting, kill the server without letting it finish anything
kill -KILL "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
server_pid=""
w_rps=$r_rps w_ok_rps=$r_ok_rps w_created=$r_created w_not_created=$r_not_created w_non2xx=$r_non2xx
w_p50=$r_p50_us w_p90=$r_p90_us w_p99=$r_p99_us w_max=$r_max_us w_cpu=$r_server_cpu w_requests=$r_requests
w_errors="$r_connect_errors/$r_read_errors/$r_write_errors/$r_timeouts"
log "  $w_ok_rps saves/s, p50 $(ms "$w_p50") ms, p99 $(ms "$w_p99") ms, 201s $w_created, other $w_not_created, server CPU ${w_cpu}s"

syncs="not measured (perf unavailable)"
if [ -n "$perf_pid" ]; then
    kill -INT "$perf_pid" 2>/dev/null || true
    wait "$perf_pid" 2>/dev/null || true
    fdatasyncs=$(awk -F, '/sys_enter_fdatasync/ { print $1 }' "$work/perf-sync.csv" 2>/dev/null || true)
    fsyncs=$(awk -F, '/sys_enter_fsync/ { print $1 }' "$work/perf-sync.csv" 2>/dev/null || true)
    sleeps=$(awk -F, '/sys_enter_(clock_)?nanosleep/ { s += $1 } END { print s + 0 }' "$work/perf-sync.csv" 2>/dev/null || true)
    if [[ $fdatasyncs =~ ^[0-9]+$ && $fsyncs =~ ^[0-9]+$ ]]; then
        syncs="$fdatasyncs fdatasync + $fsyncs fsync calls by the server during the run; $sleeps sleeps (SQLite's busy handler waiting for the write lock sleeps with nanosleep)"
    else
        syncs="not measured (perf could not trace syscalls: $(head -c 200 "$work/perf-sync.csv" 2>/dev/null | tr '\n' ' '))"
    fi
fi

# ---------------------------------------------------------------------------------------------
# Durability: what the killed server acknowledged must be in the database

versions_after=$(count_versions)
saved=$((versions_after - versions_before))
pragmas=$(sqlite3 "$db" 'PRAGMA journal_mode; PRAGMA integrity_check;' | tr '\n' ' ')
audit=$("$bin" --workspace "$ws" --as admin audit verify 2>&1 | tail -1 || true)
if [ "$saved" -ge "$w_created" ]; then
    durable="yes"
    durable_note="all $w_created acknowledged saves are in the database after SIGKILL ($saved new versions; $((saved - w_created)) more were committed but still in flight when wrk stopped counting)"
else
    durable="NO"
    durable_note="$((w_created - saved)) of $w_created acknowledged saves are missing after SIGKILL ($saved new versions)"
fi
log "durability: $durable_note"
log "fsyncs: $syncs"

# ---------------------------------------------------------------------------------------------
# Report

cpu_model=$(grep -m1 '^model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
ram=$(awk '/^MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)
met() { awk "BEGIN { print ($1) ? \"yes\" : \"no\" }"; }
per_req_ms() { awk -v c="$1" -v n="$2" 'BEGIN { if (n > 0) printf "%.2f", c * 1000 / n; else print "n/a" }'; }

echo "Measured $(date -u +%Y-%m-%d) at commit $commit, $version, on $(nproc) CPUs (${cpu_model:-unknown CPU}),"
echo "${ram:-unknown RAM}, $(uname -sr); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2). Server and wrk on the same CPUs."
echo "Load average (1, 5, 15 min) at the start: $load_start; at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "\`bench/load.sh -d $DURATION -c $CONNECTIONS -t $THREADS${POOL:+ --pool $POOL} --assets $ASSETS --write-assets $WRITE_ASSETS\`: server pool ${POOL:-8 (default)};"
echo "dana's first queue page: $queue_items items, $queue_bytes bytes of JSON ($queue_total waiting); version saves of a"
echo "1.9 KB blog draft, round-robin over $WRITE_ASSETS draft assets. Seeding took ${seed_secs} s."
echo
echo "| endpoint | requests/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx | server CPU ms / request | target | met |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---|---|"
echo "| GET /api/v1/reviews/queue?brand=acme | $q_rps | $(ms "$q_p50") | $(ms "$q_p90") | $(ms "$q_p99") | $(ms "$q_max") | $q_non2xx | $(per_req_ms "$q_cpu" "$q_requests") | ≥ 2,000 req/s, p99 < 50 ms | $(met "$q_rps >= 2000 && $q_p99 < 50000") |"
echo "| POST /api/v1/assets/{id}/versions | $w_ok_rps | $(ms "$w_p50") | $(ms "$w_p90") | $(ms "$w_p99") | $(ms "$w_max") | $w_non2xx | $(per_req_ms "$w_cpu" "$w_requests") | ≥ 300 saves/s, durable | $(met "$w_ok_rps >= 300") / durable: $durable |"
echo
echo "Socket errors (connect/read/write/timeout): queue $q_errors, versions $w_errors."
echo "Durability: $durable_note. After recovery: journal_mode, integrity_check = $pragmas; \`audit verify\`: $audit"
echo "Syncs: $syncs ($w_created saves acknowledged)."

[ "$durable" = yes ] || exit 1
