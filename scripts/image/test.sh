#!/usr/bin/env bash
# Tests the container image as a user runs it (CI: a .ci/run stage after the binary build):
#  1. scripts/image/build.sh --arch x64 builds it from dist/nora-linux-x64, no base image pulled;
#  2. a NORA on the host (the same binary) takes the image from skopeo (push), and podman pulls it
#     from there and runs it with a read-only root filesystem (as the chart does): `nora serve` on
#     0.0.0.0:4000 as user nora (10001), /data a volume;
#  3. /health answers through the published port, and the image's health check (`nora health`)
#     passes under `podman healthcheck run`;
#  4. skopeo pushes an image into the NORA in the container and pulls it back: same manifest
#     digest, every blob verified by skopeo;
#  5. `podman stop` (SIGTERM) ends it with exit code 0.
#  6. the arm64 image, when dist/nora-linux-arm64 exists: its root filesystem runs under chroot
#     and qemu (see step 6).
# Podman runs rootful and daemonless. Two facts of this kind of machine (a Firecracker VM) are
# handled here, not in the image: the cgroup v2 mount beside v1 has a controller (hugetlb), a
# "hybrid" layout crun refuses, so runc (Debian `runc`) is the runtime when present; and the
# processes lack CAP_SYS_RESOURCE, so the container's open-files limit is this shell's hard
# limit and the process limit 4096 (podman's defaults would raise them and fail).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
unset NODE_OPTIONS

fail() { echo "image test: FAIL: $*" >&2; [ -s "${work:-/nonexistent}/host.log" ] && sed 's/^/  host | /' "$work/host.log" >&2; [ -n "${ctr:-}" ] && podman logs "$ctr" 2>&1 | tail -n 20 | sed 's/^/  container | /' >&2; exit 1; }
for tool in podman buildah skopeo curl; do command -v $tool >/dev/null || fail "$tool is missing (scripts/image/install-deps.sh)"; done

version=$(node -p 'require("./package.json").version')
work=$(mktemp -d "${TMPDIR:-/tmp}/nora-image-test.XXXXXX")
host_pid= ctr= pulled=
podman_args=(--runtime "${PODMAN_RUNTIME:-$(command -v runc || echo crun)}")
cleanup() {
  [ -n "$ctr" ] && podman "${podman_args[@]}" rm -f -v "$ctr" >/dev/null 2>&1 || true
  [ -n "$pulled" ] && podman rmi -f "$pulled" >/dev/null 2>&1 || true
  if [ -n "$host_pid" ]; then kill -TERM "$host_pid" 2>/dev/null || true; wait "$host_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
step() { echo "image test: $*"; }

# 1. Build.
bash scripts/image/build.sh --arch x64
image=localhost/nora:$version-amd64

# 2. A NORA on the host; skopeo pushes the image into it.
mkdir -p "$work/data"
dist/nora-linux-x64 serve --host 127.0.0.1 --port 0 --data-dir "$work/data" >"$work/host.log" 2>&1 &
host_pid=$!
host=
for _ in $(seq 1 300); do
  host=$(sed -n 's/.*"url":"http:\/\/\([^"]*\)".*"msg":"listening".*/\1/p' "$work/host.log" | head -n1)
  [ -n "$host" ] && break
  kill -0 "$host_pid" 2>/dev/null || fail "the host NORA exited before listening"
  sleep 0.1
done
[ -n "$host" ] || fail "the host NORA did not listen within 30 s"
skopeo copy --quiet --dest-tls-verify=false "containers-storage:$image" "docker://$host/nora:$version" || fail "skopeo could not push $image into NORA at $host"
labels=$(skopeo inspect --tls-verify=false "docker://$host/nora:$version")
grep -q "\"org.opencontainers.image.version\": \"$version\"" <<<"$labels" || fail "the pushed image lacks the version label: $labels"
step "pushed $image to NORA at $host ($(skopeo inspect --tls-verify=false --raw "docker://$host/nora:$version" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const m=JSON.parse(s);console.log(m.layers.reduce((n,l)=>n+l.size,0)/1048576|0)})') MiB compressed)"

# 3. podman pulls it from that NORA and runs it.
pulled=$host/nora:$version
podman pull --quiet --tls-verify=false "$pulled" >/dev/null || fail "podman could not pull $pulled"
ctr=nora-image-test-$$
podman "${podman_args[@]}" run -d --read-only --name "$ctr" -p 127.0.0.1::4000 \
  --ulimit "nofile=$(ulimit -Hn):$(ulimit -Hn)" --ulimit nproc=4096:4096 --health-interval=disable \
  "$pulled" >/dev/null 2> >(grep -v 'systemd' >&2) || fail "podman run failed"
port=$(podman port "$ctr" 4000/tcp | sed -n 's/.*:\([0-9]*\)$/\1/p' | head -n1)
[ -n "$port" ] || fail "no published port for 4000/tcp"
url=http://127.0.0.1:$port
ok=
for _ in $(seq 1 300); do
  if [ "$(curl -s -o "$work/health" -w '%{http_code}' --max-time 2 "$url/health" || true)" = 200 ]; then ok=1; break; fi
  [ "$(podman inspect --format '{{.State.Running}}' "$ctr")" = true ] || fail "the container exited: $(podman logs "$ctr" 2>&1 | tail -n 5)"
  sleep 0.1
done
[ -n "$ok" ] || fail "GET $url/health did not answer 200 within 30 s"
grep -q '"status":"ok"' "$work/health" || fail "GET /health body: $(cat "$work/health")"
pid=$(podman inspect --format '{{.State.Pid}}' "$ctr")
uid=$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")
[ "$uid" = 10001 ] || fail "the server runs as uid $uid, expected 10001 (nora)"
podman healthcheck run "$ctr" 2> >(grep -v 'systemd' >&2) || fail "the image's health check (nora health) failed"
step "container $ctr: /health 200 at $url, uid $uid, health check healthy"

# 4. Push through the NORA in the container and pull back.
skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false "docker://$host/nora:$version" "docker://127.0.0.1:$port/copied/nora:$version" \
  || fail "skopeo could not push into the NORA in the container"
skopeo copy --quiet --src-tls-verify=false "docker://127.0.0.1:$port/copied/nora:$version" "oci:$work/pulled:$version" \
  || fail "skopeo could not pull from the NORA in the container"
digest_of() { skopeo inspect --tls-verify=false --format '{{.Digest}}' "$1"; }
want=$(digest_of "docker://$host/nora:$version")
got=$(digest_of "docker://127.0.0.1:$port/copied/nora:$version")
[ "$want" = "$got" ] || fail "manifest digest through the container $got, expected $want"
podman exec "$ctr" /usr/local/bin/nora health --ready >/dev/null || fail "nora health --ready inside the container failed"
step "pushed and pulled through the container: $got"

# 5. Stop: SIGTERM, exit 0.
podman "${podman_args[@]}" stop -t 20 "$ctr" >/dev/null 2> >(grep -v 'systemd' >&2)
code=$(podman inspect --format '{{.State.ExitCode}}' "$ctr")
[ "$code" = 0 ] || fail "exit code $code after podman stop, expected 0"
step "OK: podman stop -> exit 0; image $(podman image inspect --format '{{.Size}}' "$image" | awk '{ printf "%.1f MiB", $1 / 1048576 }') uncompressed"

# 6. The arm64 image, when its binary is built: no arm64 container can run here (binfmt is not
#    registered), so its root filesystem runs `nora --version` under chroot with
#    qemu-aarch64-static copied in, as user nora: the loader and libraries of the image alone
#    (no -L) must start the binary.
if [ -x dist/nora-linux-arm64 ] && command -v qemu-aarch64-static >/dev/null; then
  bash scripts/image/build.sh --arch arm64 >/dev/null
  arm=$(buildah from --arch arm64 "localhost/nora:$version-arm64")
  armroot=$(buildah mount "$arm")
  cp "$(command -v qemu-aarch64-static)" "$armroot/qemu-aarch64-static"
  out=$(chroot --userspec=10001:10001 "$armroot" /qemu-aarch64-static /usr/local/bin/nora --version 2>&1) || true
  rm -f "$armroot/qemu-aarch64-static"
  buildah umount "$arm" >/dev/null; buildah rm "$arm" >/dev/null
  [[ $out == "nora/$version linux-arm64 "* ]] || fail "the arm64 image's root filesystem did not run nora --version: $out"
  step "OK: arm64 image root filesystem runs under qemu: $out; $(podman image inspect --format '{{.Size}}' "localhost/nora:$version-arm64" | awk '{ printf "%.1f MiB", $1 / 1048576 }') uncompressed"
else
  step "arm64 image not checked: dist/nora-linux-arm64 or qemu-aarch64-static missing"
fi
