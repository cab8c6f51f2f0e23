#!/usr/bin/env bash
# Smoke test of a built single-executable binary, as a user would run it.
#
#   scripts/ci/smoke.sh BINARY [--qemu]
#
# --qemu runs an arm64 binary on x64 through qemu-aarch64-static (binfmt is not registered on
# these machines, so qemu is called explicitly). Node is dynamically linked, so qemu needs the
# arm64 loader, glibc and libstdc++: Debian's libc6/libstdc++6/libgcc-s1-arm64-cross, installed
# under /usr/aarch64-linux-gnu by scripts/ci/install-deps.sh and passed with -L.
#
# Checks, each failing with a message and the server's output:
#  1. the binary runs alone: it is copied into an empty temp dir (no node_modules, no package.json)
#     and run with a clean environment (no NODE_OPTIONS, whose V8 flags would make V8 reject the
#     embedded code cache; no NORA_* settings from the caller's shell);
#  2. `--version` prints nora/<version> ... node-v24, and no "Code cache data rejected"; V8
#     accepts the start cache (src/start-cache.ts: NORA_CHECK_START_CACHE=1 makes the entry say
#     "start cache rejected" or "missing" on stderr otherwise);
#  3. `serve --port 0 --data-dir <tmp>` logs its "listening" line, /health and /ready answer 200;
#     natively (x64) /health must answer within 1 s of the start (emulation is too slow to time;
#     SMOKE_MAX_START_MS overrides the 1000 ms, e.g. on a machine shared with other jobs);
#  4. SIGTERM makes it exit with code 0.
set -euo pipefail

usage() { echo "usage: $0 BINARY [--qemu]" >&2; exit 2; }
[ $# -ge 1 ] || usage
binary=$1; shift
qemu=false
for arg in "$@"; do
  case $arg in
    --qemu) qemu=true ;;
    *) usage ;;
  esac
done

name=$(basename "$binary")
work=$(mktemp -d "${TMPDIR:-/tmp}/nora-smoke.XXXXXX")
pid=

cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then { kill -KILL "$pid"; wait "$pid"; } 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "smoke: FAIL ($name): $*" >&2
  if [ -s "$work/serve.log" ]; then
    echo "--- server output ---" >&2
    sed 's/^/  | /' "$work/serve.log" >&2
  fi
  exit 1
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

[ -f "$binary" ] || fail "no such file: $binary"
[ -x "$binary" ] || fail "not executable: $binary"
command -v curl >/dev/null || fail "curl is missing (scripts/ci/install-deps.sh)"

runner=()
start_timeout=10   # seconds until the listening line; generous for a 2-core CI box
stop_timeout=10
if $qemu; then
  command -v qemu-aarch64-static >/dev/null || fail "qemu-aarch64-static is missing (scripts/ci/install-deps.sh)"
  [ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] \
    || fail "/usr/aarch64-linux-gnu has no arm64 loader: install libc6-arm64-cross (scripts/ci/install-deps.sh)"
  runner=(qemu-aarch64-static -L /usr/aarch64-linux-gnu)
  start_timeout=90   # an emulated start takes seconds
  stop_timeout=30
fi

# 1. Alone in an empty directory, with a minimal environment.
mkdir -p "$work/bin" "$work/data" "$work/home"
cp "$binary" "$work/bin/nora"
cd "$work"
clean_env=(env -i "PATH=/usr/local/bin:/usr/bin:/bin" "HOME=$work/home" "TMPDIR=$work")

# 2. --version
if ! version=$("${clean_env[@]}" NORA_CHECK_START_CACHE=1 "${runner[@]}" "$work/bin/nora" --version 2>"$work/version.err"); then
  cat "$work/version.err" >&2
  fail "--version exited non-zero"
fi
if grep -q 'Code cache data rejected' "$work/version.err"; then
  fail "V8 rejected the embedded code cache (blob generated with another Node or other V8 flags)"
fi
if grep -q 'start cache' "$work/version.err"; then
  fail "$(cat "$work/version.err"): the binary starts without its start cache"
fi
[[ $version =~ ^nora/[0-9][^[:space:]]*[[:space:]] ]] || fail "--version printed '$version', expected nora/<version> ..."
[[ $version == *node-v24.* ]] || fail "--version printed '$version', expected the embedded node-v24"
echo "smoke: $name --version: $version"

# 3. serve
started=$(now_ms)
"${clean_env[@]}" "${runner[@]}" "$work/bin/nora" serve --port 0 --data-dir "$work/data" >"$work/serve.log" 2>&1 &
pid=$!

url=
deadline=$(( started + start_timeout * 1000 ))
while [ -z "$url" ]; do
  kill -0 "$pid" 2>/dev/null || { wait "$pid" && code=0 || code=$?; pid=; fail "server exited with code $code before listening"; }
  [ "$(now_ms)" -lt "$deadline" ] || fail "no \"listening\" log line within ${start_timeout}s"
  url=$(grep '"msg":"listening"' "$work/serve.log" 2>/dev/null | sed -n 's/.*"url":"\(http:[^"]*\)".*/\1/p' | head -n1 || true)
  [ -n "$url" ] || sleep 0.01
done

# GET path -> prints the status code; the body goes to $work/body.
status_of() { curl -sS -o "$work/body" -w '%{http_code}' --max-time 5 "$url$1" 2>>"$work/serve.log" || echo "000"; }

health=$(status_of /health)
health_ms=$(( $(now_ms) - started ))
[ "$health" = 200 ] || fail "GET /health returned $health: $(cat "$work/body" 2>/dev/null)"
grep -q '"status":"ok"' "$work/body" || fail "GET /health body is not status ok: $(cat "$work/body")"
max_start_ms=${SMOKE_MAX_START_MS:-1000}
if ! $qemu && [ "$health_ms" -gt "$max_start_ms" ]; then
  fail "/health answered ${health_ms} ms after start; must be within ${max_start_ms} ms (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
fi
ready=$(status_of /ready)
[ "$ready" = 200 ] || fail "GET /ready returned $ready: $(cat "$work/body" 2>/dev/null)"
echo "smoke: $name serve: listening at $url, /health 200 after ${health_ms} ms, /ready 200"

# 4. SIGTERM -> exit 0
kill -TERM "$pid"
deadline=$(( $(now_ms) + stop_timeout * 1000 ))
while kill -0 "$pid" 2>/dev/null; do
  [ "$(now_ms)" -lt "$deadline" ] || fail "still running ${stop_timeout}s after SIGTERM"
  sleep 0.05
done
code=0
wait "$pid" || code=$?
pid=
[ "$code" -eq 0 ] || fail "exit code $code after SIGTERM, expected 0"
if grep -q 'Code cache data rejected' "$work/serve.log"; then fail "V8 rejected the embedded code cache"; fi
echo "smoke: OK ($name): SIGTERM -> exit 0"
