#!/usr/bin/env bash
# Guardrails vs peers: times `copydesk check` against proselint (PyPI), alex and write-good (npm)
# on the same deterministic corpus of marketing-like prose (bench/corpus.py) and prints the ratios.
#
#   bench/peers.sh                    12 MiB corpus, every peer on all of it; report on stdout
#
# Environment (all optional):
#   CORPUS_MB=12        corpus size in MiB (bench/corpus.py --mb); SEED=7 its seed
#   PEERS="proselint alex write-good"   the peers to run ("" for none)
#   PEERS_TIMEOUT=1800  seconds each peer may take in all; a peer still running then is stopped
#                       and its throughput is taken from the batches it finished (labelled so)
#   PEER_SAMPLE_MB=     run the peers on a deterministic subset of about this many MiB instead
#                       of the whole corpus; their ratios are then extrapolated (labelled so)
#   PEER_BATCH_MB=4     files are handed to a peer in batches of at most this many MiB
#   RUNS=5              timed runs of each copydesk configuration (the median is reported)
#   MEM_SCALE=4         the memory check also runs on this many copies of the corpus side by side
#   COPYDESK=1          0: skip building and timing copydesk (peers only)
#   COPYDESK_BIN=PATH   time this binary instead of building target/release/copydesk
#   KEEP=1              keep the temporary folder (corpus, installs, outputs) and print its path
#   BENCH_DIR=DIR       work in DIR instead of a fresh temporary folder, reusing the corpus and
#                       the peers' installs found there (implies KEEP)
#   PROSELINT_SPEC=proselint  NPM_SPECS="alex write-good"   what pip and npm install
#
# Needs python3 (with venv), node and npm, GNU time (/usr/bin/time; installed with apt-get when
# missing) and, for the single-core runs, taskset. Progress goes to stderr; the report (Markdown)
# goes to stdout. Exit status 0 whether or not the targets are met; non-zero when something failed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

CORPUS_MB=${CORPUS_MB:-12}
SEED=${SEED:-7}
PEERS=${PEERS-proselint alex write-good}
PEERS_TIMEOUT=${PEERS_TIMEOUT:-1800}
PEER_SAMPLE_MB=${PEER_SAMPLE_MB:-}
PEER_BATCH_MB=${PEER_BATCH_MB:-4}
RUNS=${RUNS:-5}
MEM_SCALE=${MEM_SCALE:-4}
COPYDESK=${COPYDESK:-1}
KEEP=${KEEP:-0}
PROSELINT_SPEC=${PROSELINT_SPEC:-proselint}
NPM_SPECS=${NPM_SPECS:-alex write-good}

load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
log() { printf '[peers] %s\n' "$*" >&2; }
die() { printf '[peers] error: %s\n' "$*" >&2; exit 1; }

if [ -n "${BENCH_DIR:-}" ]; then
    work=$(mkdir -p "$BENCH_DIR" && cd "$BENCH_DIR" && pwd)
    KEEP=1
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/copydesk-peers.XXXXXX")
fi
cleanup() {
    if [ "$KEEP" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------
# Tools

if [ ! -x /usr/bin/time ]; then
    log "installing GNU time (Debian package 'time')"
    if ! { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >&2; }; then
        die "/usr/bin/time is missing and could not be installed (apt-get install time)"
    fi
fi
command -v python3 >/dev/null || die "python3 is needed"
has_taskset=0
command -v taskset >/dev/null && has_taskset=1
for p in $PEERS; do
    case $p in
        proselint) ;;
        alex | write-good) command -v npm >/dev/null || die "npm is needed for $p (apt-get install npm)" ;;
        *) die "unknown peer '$p' (proselint, alex, write-good)" ;;
    esac
done

now() { printf '%s\n' "$EPOCHREALTIME"; }
# fsub A B: A - B, in seconds
fsub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", a - b }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1048576 }'; }
mibps() { awk -v b="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.3f", b / 1048576 / s; else print "inf" }'; }
fmt_rate() { awk -v r="$1" 'BEGIN { if (r >= 100) printf "%.0f", r; else if (r >= 1) printf "%.1f", r; else printf "%.3f", r }'; }
fmt_secs() { awk -v s="$1" 'BEGIN { if (s >= 100) printf "%.0f", s; else if (s >= 1) printf "%.2f", s; else printf "%.3f", s }'; }

# ---------------------------------------------------------------------------------------------
# copydesk

# the commit measured: taken before the build, which compiles the work tree as it is then
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- crates Cargo.toml Cargo.lock 2>/dev/null)" ]; then
    commit="$commit (with uncommitted changes in crates/)"
fi
bin=${COPYDESK_BIN:-$root/target/release/copydesk}
threads_args=()
if [ "$COPYDESK" = 1 ]; then
    if [ -z "${COPYDESK_BIN:-}" ]; then
        log "building copydesk (cargo build --release --locked -p copydesk)"
        cargo build --release --locked -p copydesk >&2
    fi
    # time a copy, so that a rebuild of target/ during the run does not change what is measured
    cp "$bin" "$work/copydesk"
    bin=$work/copydesk
    "$bin" check --help >"$work/check-help.txt" 2>&1 \
        || die "$bin has no working 'check' command (copydesk check --help failed); COPYDESK=0 runs the peers only"
    if grep -q -- '--threads' "$work/check-help.txt"; then
        threads_args=(--threads 1)
    elif grep -qE -- '(^|[ ,])-j([ ,=]|$)' "$work/check-help.txt"; then
        threads_args=(-j 1)
    fi
fi

# ---------------------------------------------------------------------------------------------
# Corpus

corpus=$work/corpus
stamp="mb=$CORPUS_MB seed=$SEED"
if [ ! -f "$work/corpus.stamp" ] || [ "$(cat "$work/corpus.stamp")" != "$stamp" ]; then
    rm -rf "$corpus" "$work/corpus.stamp"
    log "generating the corpus ($CORPUS_MB MiB, seed $SEED)"
    python3 bench/corpus.py "$corpus" --mb "$CORPUS_MB" --seed "$SEED"
    echo "$stamp" >"$work/corpus.stamp"
fi
# sizes.tsv: "bytes<TAB>relative path", sorted by path
(cd "$corpus" && find . -type f -printf '%s\t%P\n' | LC_ALL=C sort -t$'\t' -k2,2) >"$work/sizes.tsv"
mapfile -t files < <(cut -f2 "$work/sizes.tsv")
corpus_files=${#files[@]}
corpus_bytes=$(awk -F'\t' '{ s += $1 } END { print s }' "$work/sizes.tsv")
largest=$(awk -F'\t' '$1 > max { max = $1; path = $2 } END { print path }' "$work/sizes.tsv")
largest_bytes=$(awk -F'\t' '$1 > max { max = $1 } END { print max + 0 }' "$work/sizes.tsv")
corpus_sum=$(cd "$corpus" && printf '%s\n' "${files[@]}" | xargs sha256sum | sha256sum | cut -c1-16)
count_ext() { grep -c "\.$1\$" "$work/sizes.tsv" || true; }
log "corpus: $corpus_files files ($(count_ext md) .md, $(count_ext html) .html, $(count_ext txt) .txt), $(mib "$corpus_bytes") MiB, largest $largest ($(mib "$largest_bytes") MiB), sha256 of sums $corpus_sum"

# ---------------------------------------------------------------------------------------------
# Peers: install

venv=$work/venv
npmdir=$work/npm
peer_version() {
    case $1 in
        proselint) "$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("proselint"))' ;;
        alex | write-good) node -p "require('$npmdir/node_modules/$1/package.json').version" ;;
    esac
}
for p in $PEERS; do
    case $p in
        proselint)
            if [ ! -x "$venv/bin/proselint" ]; then
                log "installing proselint into a venv ($PROSELINT_SPEC)"
                python3 -m venv "$venv"
                "$venv/bin/pip" install -q --disable-pip-version-check "$PROSELINT_SPEC" >&2
            fi
            ;;
        alex | write-good)
            if [ ! -x "$npmdir/node_modules/.bin/$p" ]; then
                log "installing $NPM_SPECS with npm into $npmdir"
                # shellcheck disable=SC2086 # NPM_SPECS is a list
                npm install --prefix "$npmdir" --no-audit --no-fund --loglevel=error $NPM_SPECS >&2
            fi
            ;;
    esac
done
# proselint 0.16 and later lint with `proselint check PATH...`; earlier versions with `proselint PATH...`
proselint_cmd=()
if [[ " $PEERS " == *" proselint "* ]]; then
    proselint_cmd=("$venv/bin/proselint")
    proselint_help=$("$venv/bin/proselint" --help 2>&1 || true)
    if grep -qE '^ +check ' <<<"$proselint_help"; then
        proselint_cmd+=(check)
    fi
fi

# ---------------------------------------------------------------------------------------------
# Peers: the files they get, in batches

# peer.tsv: the files the peers get (the whole corpus, or a deterministic sample of it)
if [ -n "$PEER_SAMPLE_MB" ]; then
    python3 - "$work/sizes.tsv" "$PEER_SAMPLE_MB" >"$work/peer.tsv" <<'EOF'
import hashlib, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1], encoding="utf-8")]
want = float(sys.argv[2]) * 1048576
rows.sort(key=lambda r: hashlib.sha256(r[1].encode()).hexdigest())
picked, total = [], 0
for size, path in rows:
    if total >= want:
        break
    picked.append((size, path))
    total += int(size)
for size, path in sorted(picked, key=lambda r: r[1]):
    print(f"{size}\t{path}")
EOF
else
    cp "$work/sizes.tsv" "$work/peer.tsv"
fi
peer_files=$(wc -l <"$work/peer.tsv")
peer_bytes=$(awk -F'\t' '{ s += $1 } END { print s }' "$work/peer.tsv")

# make_batches NAME KIND...: writes $work/batches/NAME/NNN.KIND (one path a line, at most
# PEER_BATCH_MB MiB each); KIND "all" takes every file, md/html/txt the files of that type.
make_batches() {
    local name=$1 kind n=0
    shift
    rm -rf "$work/batches/$name"
    mkdir -p "$work/batches/$name"
    for kind in "$@"; do
        n=$(awk -F'\t' -v kind="$kind" -v dir="$work/batches/$name" -v limit="$PEER_BATCH_MB" -v n="$n" '
            BEGIN { limit = limit * 1048576; size = 0; out = "" }
            kind != "all" && $2 !~ ("\\." kind "$") { next }
            {
                if (out == "" || size + $1 > limit) {
                    if (out != "") close(out)
                    out = sprintf("%s/%03d.%s", dir, n++, kind); size = 0
                }
                print $2 > out; size += $1
            }
            END { print n }' "$work/peer.tsv")
    done
}

# peer_argv NAME KIND: the command line of one batch, in the array argv
peer_argv() {
    case $1 in
        proselint) argv=("${proselint_cmd[@]}") ;;
        alex)
            argv=("$npmdir/node_modules/.bin/alex")
            case $2 in html) argv+=(--html) ;; txt) argv+=(--text) ;; esac
            ;;
        write-good) argv=("$npmdir/node_modules/.bin/write-good" --parse) ;;
    esac
}

# peer_ok NAME RC ERRFILE: did the batch run to the end without an error of the tool's own?
peer_ok() {
    case $1 in
        proselint) [ "$2" = 0 ] || [ "$2" = 1 ] || return 1
                   ! grep -q 'Error encountered\|Unrecoverable error' "$3" ;;
        alex) [ "$2" = 0 ] || [ "$2" = 1 ] || return 1
              ! grep -qE '[0-9]+ errors?' "$3" ;;
        write-good) [ "$2" = 0 ] || [ "$2" = 255 ] ;;  # --parse: 255 when the last file had suggestions
    esac
}

# Findings, roughly, from each tool's own output (for a sense of coverage, not for the ratios)
peer_findings() {
    case $1 in
        proselint) grep -cE '^[^ ].*:[0-9]+:[0-9]+: [a-z_.]+: ' "$2" || true ;;
        alex) grep -cE '^ +[0-9]+:[0-9]+(-[0-9]+:[0-9]+)? +warning ' "$3" || true ;;
        write-good) grep -cE ':[0-9]+:[0-9]+:' "$2" || true ;;
    esac
}

# run_peer NAME: runs every batch under /usr/bin/time, within PEERS_TIMEOUT seconds in all;
# sets r_secs (wall seconds of the finished batches), r_bytes, r_files, r_rss_kib, r_status
run_peer() {
    local name=$1 list kind rc t0 t1 rem elapsed=0 bytes files
    local out=$work/out/$name.out err=$work/out/$name.err
    mkdir -p "$work/out"
    : >"$out"
    : >"$err"
    r_secs=0 r_bytes=0 r_files=0 r_rss_kib=0 r_cpu=0 r_status=full r_batches=0
    for list in "$work/batches/$name"/*; do
        kind=${list##*.}
        rem=$(awk -v t="$PEERS_TIMEOUT" -v e="$elapsed" 'BEGIN { r = t - e; printf "%d", (r > 0 ? r + 0.999 : 0) }')
        if [ "$rem" -le 0 ]; then r_status=partial; break; fi
        peer_argv "$name" "$kind"
        mapfile -t batch <"$list"
        bytes=$(awk -F'\t' 'NR == FNR { want[$0] = 1; next } ($2 in want) { s += $1 } END { print s + 0 }' "$list" "$work/peer.tsv")
        files=${#batch[@]}
        log "  $name: batch $(basename "$list") ($files files, $(mib "$bytes") MiB)"
        rc=0
        t0=$(now)
        (cd "$corpus" && /usr/bin/time -f '%e %U %S %M' -o "$work/time.txt" \
            timeout --signal=TERM "$rem" "${argv[@]}" "${batch[@]}" >"$out.batch" 2>"$err.batch") || rc=$?
        t1=$(now)
        if [ "$rc" = 124 ]; then
            log "  $name: stopped after PEERS_TIMEOUT=${PEERS_TIMEOUT}s; the unfinished batch is not counted"
            r_status=partial
            break
        fi
        cat "$out.batch" >>"$out"
        cat "$err.batch" >>"$err"
        rm -f "$out.batch" "$err.batch"
        peer_ok "$name" "$rc" "$err" || die "$name failed on batch $(basename "$list") (exit $rc); see $err (KEEP=1 keeps it)"
        elapsed=$(awk -v e="$elapsed" -v d="$(fsub "$t1" "$t0")" 'BEGIN { printf "%.6f", e + d }')
        r_bytes=$((r_bytes + bytes))
        r_files=$((r_files + files))
        r_batches=$((r_batches + 1))
        read -r _ u s m < <(tail -1 "$work/time.txt") || true
        r_cpu=$(awk -v c="$r_cpu" -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", c + u + s }')
        [ "$m" -gt "$r_rss_kib" ] && r_rss_kib=$m
    done
    r_secs=$elapsed
}

# startup NAME: wall seconds for one empty Markdown file (the fixed cost of one invocation)
startup() {
    local name=$1 t0 t1
    : >"$work/empty.md"
    peer_argv "$name" md
    t0=$(now)
    (cd "$work" && "${argv[@]}" empty.md >/dev/null 2>&1) || true
    t1=$(now)
    fsub "$t1" "$t0"
}

# ---------------------------------------------------------------------------------------------
# copydesk: timed runs

# time_copydesk LABEL RUNS PREFIX... -- FILES...: median wall seconds, max RSS, median CPU
# sets c_secs, c_rss_kib, c_cpu, c_rc
time_copydesk() {
    local label=$1 runs=$2
    shift 2
    local pre=()
    while [ "$1" != -- ]; do pre+=("$1"); shift; done
    shift
    local i rc t0 t1 times=() cpus=() rss=0
    mkdir -p "$work/out"
    for ((i = 0; i < runs; i++)); do
        rc=0
        t0=$(now)
        (cd "$corpus_dir" && /usr/bin/time -f '%e %U %S %M' -o "$work/time.txt" \
            "${pre[@]}" "$bin" check "$@" --format json >"$work/out/copydesk.json" 2>"$work/out/copydesk.err") || rc=$?
        t1=$(now)
        if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
            head -20 "$work/out/copydesk.err" >&2
            die "copydesk check exited $rc ($label)"
        fi
        c_rc=$rc
        times+=("$(fsub "$t1" "$t0")")
        read -r _ u s m < <(tail -1 "$work/time.txt") || true
        cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')")
        [ "$m" -gt "$rss" ] && rss=$m
    done
    c_secs=$(printf '%s\n' "${times[@]}" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
    c_cpu=$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
    c_rss_kib=$rss
    log "  copydesk $label: median $(fmt_secs "$c_secs") s of $runs runs (${times[*]}), peak RSS $((rss / 1024)) MiB, exit $c_rc"
}

# Findings in copydesk's JSON output, if its shape is one we know
copydesk_findings() {
    python3 - "$work/out/copydesk.json" <<'EOF' 2>/dev/null || echo "?"
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
try:
    doc = json.loads(text)
except ValueError:  # one JSON document a line
    docs = [json.loads(l) for l in text.splitlines() if l.strip()]
    doc = docs
def count(d):
    if isinstance(d, list):
        return sum(count(x) if isinstance(x, (dict, list)) and ("findings" in x if isinstance(x, dict) else True) else 1 for x in d)
    if isinstance(d, dict):
        if "findings" in d:
            return count(d["findings"])
        if "files" in d:
            return count(d["files"])
        if "span" in d or "category" in d:
            return 1
    return 0
print(count(doc))
EOF
}

declare -A secs rate rss cpu nfiles nbytes status found

if [ "$COPYDESK" = 1 ]; then
    corpus_dir=$corpus
    single=()
    [ "$has_taskset" = 1 ] && single=(taskset -c 0)
    single+=(env RAYON_NUM_THREADS=1)
    log "copydesk: one warm-up run, then $RUNS timed runs per configuration"
    time_copydesk warm-up 1 env -- "${files[@]}"
    time_copydesk "default parallelism" "$RUNS" env -- "${files[@]}"
    secs[cd_all]=$c_secs rss[cd_all]=$c_rss_kib cpu[cd_all]=$c_cpu found[cd_all]=$(copydesk_findings)
    time_copydesk "one core" "$RUNS" "${single[@]}" -- "${threads_args[@]}" "${files[@]}"
    secs[cd_one]=$c_secs rss[cd_one]=$c_rss_kib cpu[cd_one]=$c_cpu found[cd_one]=$(copydesk_findings)
    time_copydesk "largest file alone, one core" "$RUNS" "${single[@]}" -- "${threads_args[@]}" "$largest"
    secs[cd_large]=$c_secs rss[cd_large]=$c_rss_kib
    for k in cd_all cd_one; do rate[$k]=$(mibps "$corpus_bytes" "${secs[$k]}"); done
    rate[cd_large]=$(mibps "$largest_bytes" "${secs[cd_large]}")

    # the memory check: MEM_SCALE copies of the corpus side by side (same largest file, MEM_SCALE
    # times the text and the files)
    big=$work/corpus-x$MEM_SCALE
    if [ ! -f "$big.stamp" ] || [ "$(cat "$big.stamp")" != "$stamp x$MEM_SCALE" ]; then
        rm -rf "$big" "$big.stamp"
        log "copying the corpus $MEM_SCALE times for the memory check"
        for ((i = 1; i <= MEM_SCALE; i++)); do
            mkdir -p "$big/copy$i"
            cp -r "$corpus/." "$big/copy$i/"
        done
        echo "$stamp x$MEM_SCALE" >"$big.stamp"
    fi
    mapfile -t big_files < <(cd "$big" && find . -type f -printf '%P\n' | LC_ALL=C sort)
    big_bytes=$(cd "$big" && find . -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
    big_largest=$(cd "$big" && find . -type f -printf '%s\n' | awk '$1 > max { max = $1 } END { print max + 0 }')
    corpus_dir=$big
    time_copydesk "${MEM_SCALE} copies of the corpus, one core" 1 "${single[@]}" -- "${threads_args[@]}" "${big_files[@]}"
    secs[cd_big]=$c_secs rss[cd_big]=$c_rss_kib
    time_copydesk "${MEM_SCALE} copies of the corpus, default parallelism" 1 env -- "${big_files[@]}"
    secs[cd_big_all]=$c_secs rss[cd_big_all]=$c_rss_kib
    corpus_dir=$corpus
fi

# ---------------------------------------------------------------------------------------------
# Peers: timed runs

declare -A version start
for p in $PEERS; do
    version[$p]=$(peer_version "$p")
    case $p in
        alex) make_batches "$p" md html txt ;;
        *) make_batches "$p" all ;;
    esac
    start[$p]=$(startup "$p")
    log "$p ${version[$p]}: $peer_files files, $(mib "$peer_bytes") MiB in $(find "$work/batches/$p" -type f | wc -l) batches (startup $(fmt_secs "${start[$p]}") s)"
    run_peer "$p"
    secs[$p]=$r_secs rss[$p]=$r_rss_kib cpu[$p]=$r_cpu nfiles[$p]=$r_files nbytes[$p]=$r_bytes
    found[$p]=$(peer_findings "$p" "$work/out/$p.out" "$work/out/$p.err")
    if [ "$r_bytes" = 0 ]; then
        status[$p]="none (no batch finished within ${PEERS_TIMEOUT} s)"
        rate[$p]=0
    else
        rate[$p]=$(mibps "$r_bytes" "$r_secs")
        if [ "$r_status" = partial ]; then
            status[$p]="partial: $(mib "$r_bytes") of $(mib "$peer_bytes") MiB within ${PEERS_TIMEOUT} s"
        elif [ -n "$PEER_SAMPLE_MB" ]; then
            status[$p]="sample of $(mib "$peer_bytes") MiB"
        else
            status[$p]=full
        fi
    fi
    log "  $p: $(fmt_secs "$r_secs") s for $(mib "$r_bytes") MiB = $(fmt_rate "${rate[$p]}") MiB/s, peak RSS $((r_rss_kib / 1024)) MiB (${status[$p]})"
done

# ---------------------------------------------------------------------------------------------
# Report

cpu_model=$(grep -m1 '^model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
ram=$(awk '/^MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)

# ratio K: how many times faster copydesk configuration K is than peer P (time per MiB)
ratio() { awk -v c="${rate[$1]}" -v p="${rate[$2]}" 'BEGIN { if (p > 0) printf "%.0f", c / p; else print "n/a" }'; }
# cpu_ratio K P: the same on CPU seconds (user + system) per MiB, less sensitive to other load
cpu_ratio() {
    awk -v cc="${cpu[$1]}" -v cb="$corpus_bytes" -v pc="${cpu[$2]}" -v pb="${nbytes[$2]}" \
        'BEGIN { if (cc > 0 && pc > 0 && pb > 0) printf "%.0f", (pc / pb) / (cc / cb); else print "n/a" }'
}
rss_mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

echo "Measured $(date -u +%Y-%m-%d) at commit $commit on $(nproc) CPUs (${cpu_model:-unknown CPU}),"
echo "${ram:-unknown RAM}, $(uname -sr); $(python3 --version 2>&1), node $(node --version 2>/dev/null || echo none)."
echo "Load average (1, 5, 15 min) at the start: $load_start; at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")."
echo
echo "Corpus: \`bench/corpus.py --mb $CORPUS_MB --seed $SEED\`: $corpus_files files ($(count_ext md) .md, $(count_ext html) .html, $(count_ext txt) .txt),"
echo "$(mib "$corpus_bytes") MiB, largest file $(mib "$largest_bytes") MiB (\`$largest\`); sha256 of the sorted file sums \`$corpus_sum\`."
if [ -n "$PEER_SAMPLE_MB" ]; then
    echo "The peers ran on a deterministic sample: $peer_files files, $(mib "$peer_bytes") MiB; their ratios are **extrapolated** from MiB/s."
fi
echo
echo "| tool | version | ran on | files | MiB | wall s | MiB/s | CPU s | peak RSS MiB | findings |"
echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"
if [ "$COPYDESK" = 1 ]; then
    cdv=$("$bin" --version 2>/dev/null || echo "?")
    cdv=${cdv%%$'\n'*}
    echo "| copydesk check, default parallelism | $cdv | full corpus, median of $RUNS | $corpus_files | $(mib "$corpus_bytes") | $(fmt_secs "${secs[cd_all]}") | $(fmt_rate "${rate[cd_all]}") | ${cpu[cd_all]} | $(rss_mib "${rss[cd_all]}") | ${found[cd_all]} |"
    echo "| copydesk check, one core | $cdv | full corpus, median of $RUNS | $corpus_files | $(mib "$corpus_bytes") | $(fmt_secs "${secs[cd_one]}") | $(fmt_rate "${rate[cd_one]}") | ${cpu[cd_one]} | $(rss_mib "${rss[cd_one]}") | ${found[cd_one]} |"
fi
for p in $PEERS; do
    echo "| $p | ${version[$p]} | ${status[$p]} | ${nfiles[$p]} | $(mib "${nbytes[$p]}") | $(fmt_secs "${secs[$p]}") | $(fmt_rate "${rate[$p]}") | ${cpu[$p]} | $(rss_mib "${rss[$p]}") | ${found[$p]} |"
done
echo
if [ -n "$PEERS" ]; then
    echo "Peers get the files in batches of at most $PEER_BATCH_MB MiB (alex: Markdown, then HTML with \`--html\`, then text with \`--text\`);"
    printf 'one invocation on an empty file takes'
    sep=" "
    for p in $PEERS; do printf '%s%s %s s' "$sep" "$p" "$(fmt_secs "${start[$p]}")"; sep=", "; done
    echo "."
    echo
fi

if [ "$COPYDESK" = 1 ]; then
    echo "| target | measured | met |"
    echo "|---|---|---|"
    for p in $PEERS; do
        r_all=$(ratio cd_all "$p")
        r_one=$(ratio cd_one "$p")
        label=""
        [ "${status[$p]}" != full ] && label=" (extrapolated from ${status[$p]%% within*})"
        met=$(awk -v r="$r_all" 'BEGIN { print (r != "n/a" && r >= 100) ? "yes" : "no" }')
        echo "| ≥ 100× faster than $p | ${r_all}× (one core: ${r_one}×; on CPU seconds: $(cpu_ratio cd_all "$p")× / $(cpu_ratio cd_one "$p")×)$label | $met |"
    done
    met=$(awk -v r="${rate[cd_one]}" 'BEGIN { print (r >= 20) ? "yes" : "no" }')
    echo "| ≥ 20 MiB/s on one core, every built-in check | $(fmt_rate "${rate[cd_one]}") MiB/s (on CPU seconds: $(fmt_rate "$(mibps "$corpus_bytes" "${cpu[cd_one]}")") MiB/s) | $met |"
    grow=$(awk -v a="${rss[cd_one]}" -v b="${rss[cd_big]}" 'BEGIN { printf "%.1f", (b - a) / 1024 }')
    added=$(awk -v a="$corpus_bytes" -v b="$big_bytes" 'BEGIN { printf "%.1f", (b - a) / 1048576 }')
    met=$(awk -v a="${rss[cd_one]}" -v b="${rss[cd_big]}" -v ab="$corpus_bytes" -v bb="$big_bytes" \
        'BEGIN { print ((b - a) * 1024 <= 0.1 * (bb - ab)) ? "yes" : "no" }')
    echo "| memory bounded by the largest file, not the corpus | one core: largest file alone ($(mib "$largest_bytes") MiB) $(rss_mib "${rss[cd_large]}") MiB; corpus ($(mib "$corpus_bytes") MiB) $(rss_mib "${rss[cd_one]}") MiB; ${MEM_SCALE} copies of the corpus ($(mib "$big_bytes") MiB, largest file $(mib "$big_largest") MiB) $(rss_mib "${rss[cd_big]}") MiB, i.e. +$grow MiB for +$added MiB of text. Default parallelism: $(rss_mib "${rss[cd_all]}") / $(rss_mib "${rss[cd_big_all]}") MiB | $met |"
    echo
    echo "Memory is met when ${MEM_SCALE} copies of the corpus cost at most a tenth of their extra text in extra peak RSS. Ratios are"
    echo "copydesk's MiB/s over the peer's (equal to the peer's time over copydesk's on the same files)."
else
    echo "copydesk was not run (COPYDESK=0): peer numbers only."
fi
