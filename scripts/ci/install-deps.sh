#!/usr/bin/env bash
# Installs the Debian packages the tests, binary builds and benchmarks use. Idempotent; run as
# root (CI and the development machines are). Add a package here when a test starts needing it.
set -euo pipefail
PACKAGES=(
  skopeo          # OCI real-client tests
  umoci           # building OCI images without a daemon
  qemu-user-static  # running the arm64 binary on x64
  llvm            # llvm-strip for both architectures' Node binaries
  docker-registry # CNCF distribution: benchmark peer and upstream stand-in
  wrk             # HTTP load for benchmarks
  hyperfine       # command timing for benchmarks
  nodejs          # provides the stock npm CLI for the npm real-client tests and benchmark
)
missing=()
for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# docker-registry's package starts a service on :5000; tests run their own instances.
systemctl disable --now docker-registry >/dev/null 2>&1 || true
pkill -f '^/usr/bin/docker-registry serve /etc/docker/registry/config.yml' 2>/dev/null || true
echo "install-deps: ${#missing[@]} package(s) installed"
