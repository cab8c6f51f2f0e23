#!/usr/bin/env bash
# Builds NORA's container image from scratch: no base image is pulled. Each image holds only
#   /usr/local/bin/nora            dist/nora-linux-<arch> (npm run build:binaries)
#   /lib/<triplet>/, the loader    the shared libraries the binary needs (NEEDED entries of the
#                                  binary and of each library, resolved recursively with readelf:
#                                  glibc, libstdc++, libgcc_s), copied from this Debian host for
#                                  amd64 and from Debian's *-arm64-cross packages for arm64
#   /etc/ssl/certs/ca-certificates.crt   Debian's CA bundle (NODE_EXTRA_CA_CERTS points at it)
#   /etc/passwd, /etc/group        root and the user nora (10001), who runs the server
#   /etc/nsswitch.conf             hosts: files dns (glibc's built-in files/dns modules)
#   /etc/nora/nora.toml            host 0.0.0.0, port 4000, data_dir /data ($NORA_CONFIG); mount
#                                  another file there, or set NORA_* variables, to change it
#   /data (volume, owned by nora), /tmp (1777)
# Entrypoint `nora serve`; health check `nora health` (GET /health). The image is committed in
# Docker's format (v2s2) because only that format carries HEALTHCHECK (the OCI image config has no
# such field; Kubernetes ignores both and uses the chart's probes). Labels: org.opencontainers.image.*
# (source, version, revision, created, title, licenses).
#
#   scripts/image/build.sh [--arch x64|arm64]... [--tag NAME] [--push DEST [--dest-tls-verify=false]]
#                          [--archive DIR]
#
# Result in the local containers-storage: NAME:VERSION-amd64 / NAME:VERSION-arm64 (default NAME
# localhost/nora) and the manifest list NAME:VERSION over the arches built. --push copies the
# list with every arch to a registry (docker://DEST, e.g. nora.example.com/nora:0.1.0); --archive
# writes DIR/nora-VERSION-<arch>.tar per arch (docker-archive: `podman load` / `docker load`).
# Needs root (buildah mount), buildah and readelf; the arm64 libraries come from
# libc6-arm64-cross, libstdc++6-arm64-cross and libgcc-s1-arm64-cross.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# Docker format from the working container on: buildah config drops HEALTHCHECK in OCI format.
export BUILDAH_FORMAT=docker

arches=() tag=localhost/nora push= archive= tls_verify=true
while [ $# -gt 0 ]; do
  case $1 in
    --arch) arches+=("$2"); shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    --push) push=$2; shift 2 ;;
    --dest-tls-verify=false) tls_verify=false; shift ;;
    --archive) archive=$2; shift 2 ;;
    *) echo "usage: $0 [--arch x64|arm64]... [--tag NAME] [--push DEST [--dest-tls-verify=false]] [--archive DIR]" >&2; exit 2 ;;
  esac
done
[ ${#arches[@]} -gt 0 ] || arches=(x64 arm64)

fail() { echo "image: $*" >&2; exit 1; }
for tool in buildah readelf; do command -v $tool >/dev/null || fail "$tool is missing (apt-get install buildah binutils)"; done
[ "$(id -u)" = 0 ] || fail "run as root: buildah mount needs it"

version=$(node -p 'require(process.argv[1]).version' "$root/package.json")
revision=$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]; then revision="$revision-dirty"; fi
source_url=${NORA_IMAGE_SOURCE:-$(git -C "$root" remote get-url origin 2>/dev/null || echo https://github.com/nora-registry/nora)}
created=$(date -u +%Y-%m-%dT%H:%M:%SZ)

work=$(mktemp -d "${TMPDIR:-/tmp}/nora-image.XXXXXX")
containers=()
cleanup() {
  for c in "${containers[@]}"; do buildah rm "$c" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Copies $1 (a file, symlinks followed) to $2 inside the staging root, creating its directory.
put() { install -D -m "${3:-0644}" "$1" "$2"; }

# The NEEDED libraries of $1, recursively, as paths under the library directory $2.
needed_libs() {
  local todo=("$1") seen=() file lib
  while [ ${#todo[@]} -gt 0 ]; do
    file=${todo[0]}; todo=("${todo[@]:1}")
    for lib in $(readelf -d "$file" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
      [[ " ${seen[*]} " == *" $lib "* ]] && continue
      [ -e "$2/$lib" ] || fail "$file needs $lib, not found in $2"
      seen+=("$lib"); todo+=("$2/$lib")
    done
  done
  printf '%s\n' "${seen[@]}"
}

stage() { # arch -> staging dir with the root filesystem
  local arch=$1 dir="$work/rootfs-$1" binary="$root/dist/nora-linux-$1" host_libs triplet interp
  [ -x "$binary" ] || fail "$binary is missing: run npm run build:binaries"
  case $arch in
    x64) host_libs=/lib/x86_64-linux-gnu triplet=x86_64-linux-gnu ;;
    arm64) host_libs=/usr/aarch64-linux-gnu/lib triplet=aarch64-linux-gnu ;;
    *) fail "unknown arch $arch (x64 or arm64)" ;;
  esac
  [ -d "$host_libs" ] || fail "$host_libs is missing (arm64: apt-get install libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross)"
  interp=$(readelf -l "$binary" | sed -n 's/.*interpreter: \(.*\)\]/\1/p')
  [ -n "$interp" ] || fail "$binary has no program interpreter"
  put "$binary" "$dir/usr/local/bin/nora" 0755
  local lib
  for lib in $(needed_libs "$binary" "$host_libs"); do
    if [ "$lib" = "$(basename "$interp")" ]; then put "$host_libs/$lib" "$dir$interp" 0755
    else put "$host_libs/$lib" "$dir/lib/$triplet/$lib"; fi
  done
  [ -e "$dir$interp" ] || put "$host_libs/$(basename "$interp")" "$dir$interp" 0755
  put /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/certs/ca-certificates.crt"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnora:x:10001:10001:NORA registry:/data:/sbin/nologin\n' >"$work/passwd"
  printf 'root:x:0:\nnora:x:10001:\n' >"$work/group"
  printf 'hosts: files dns\n' >"$work/nsswitch.conf"
  printf '# The image'"'"'s defaults: replace this file (a volume or a ConfigMap) or set NORA_* variables.\n[server]\nhost = "0.0.0.0"\nport = 4000\n\n[storage]\ndata_dir = "/data"\n' >"$work/nora.toml"
  put "$work/passwd" "$dir/etc/passwd"; put "$work/group" "$dir/etc/group"
  put "$work/nsswitch.conf" "$dir/etc/nsswitch.conf"; put "$work/nora.toml" "$dir/etc/nora/nora.toml"
  install -d -m 0750 -o 10001 -g 10001 "$dir/data"
  install -d -m 1777 "$dir/tmp"
  echo "$dir"
}

platform() { case $1 in x64) echo amd64 ;; arm64) echo arm64 ;; esac; }

built=()
for arch in "${arches[@]}"; do
  plat=$(platform "$arch")
  [ -n "$plat" ] || fail "unknown arch $arch (x64 or arm64)"
  rootfs=$(stage "$arch")
  ctr=$(buildah from --arch "$plat" --os linux scratch)
  containers+=("$ctr")
  mnt=$(buildah mount "$ctr")
  cp -a "$rootfs/." "$mnt/"
  buildah umount "$ctr" >/dev/null
  buildah config --arch "$plat" --os linux \
    --entrypoint '["/usr/local/bin/nora", "serve"]' --cmd '' \
    --user 10001:10001 --workingdir /data --volume /data --port 4000/tcp \
    --env NORA_CONFIG=/etc/nora/nora.toml --env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
    --env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    --healthcheck 'CMD /usr/local/bin/nora health' --healthcheck-interval 30s \
    --healthcheck-timeout 10s --healthcheck-start-period 20s --healthcheck-retries 3 \
    --stop-signal SIGTERM \
    --label org.opencontainers.image.title=nora \
    --label "org.opencontainers.image.description=NORA: one small executable that is a complete artifact registry (OCI, npm, Maven, Cargo, PyPI)" \
    --label org.opencontainers.image.licenses=Apache-2.0 \
    --label "org.opencontainers.image.source=$source_url" \
    --label "org.opencontainers.image.version=$version" \
    --label "org.opencontainers.image.revision=$revision" \
    --label "org.opencontainers.image.created=$created" \
    "$ctr"
  image="$tag:$version-$plat"
  buildah commit --quiet --format docker --rm "$ctr" "$image" >/dev/null
  containers=("${containers[@]/$ctr}")
  size=$(buildah images --format '{{.Size}}' "$image" | head -n1)
  echo "image: $image ($size uncompressed; rootfs $(du -sh "$rootfs" | cut -f1))"
  built+=("$image")
  if [ -n "$archive" ]; then
    mkdir -p "$archive"
    rm -f "$archive/nora-$version-$arch.tar"
    buildah push --quiet "$image" "docker-archive:$archive/nora-$version-$arch.tar:$tag:$version" >/dev/null
    echo "image: $archive/nora-$version-$arch.tar ($(du -h "$archive/nora-$version-$arch.tar" | cut -f1))"
  fi
  rm -rf "$rootfs"
done

list="$tag:$version"
buildah manifest rm "$list" >/dev/null 2>&1 || true
buildah manifest create "$list" >/dev/null
for image in "${built[@]}"; do buildah manifest add "$list" "containers-storage:$image" >/dev/null; done
echo "image: manifest list $list (${built[*]##*-})"
if [ -n "$push" ]; then
  buildah manifest push --quiet --all --format v2s2 --tls-verify="$tls_verify" "$list" "docker://$push" >/dev/null
  echo "image: pushed $list to $push"
fi
