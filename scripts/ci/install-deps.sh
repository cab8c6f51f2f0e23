#!/usr/bin/env bash
# Installs the Debian packages the tests, binary builds and benchmarks use. Idempotent; run as
# root (CI and the development machines are). Add a package here when a test starts needing it.
set -euo pipefail
PACKAGES=(
  skopeo          # OCI real-client tests
  umoci           # building OCI images without a daemon
  qemu-user-static  # running the arm64 binary on x64
  libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross  # arm64 loader and libs Node needs under qemu (-L /usr/aarch64-linux-gnu)
  llvm            # llvm-strip for both architectures' Node binaries
  docker-registry # CNCF distribution: benchmark peer and upstream stand-in
  wrk             # HTTP load for benchmarks
  hyperfine       # command timing for benchmarks
  curl            # scripts/ci/smoke.sh
  maven           # Maven real-client tests (mvn 3.8.7; runs offline against ~/.m2)
  openjdk-17-jdk-headless  # javac/java for the Maven real-client tests
  ivy             # Apache Ivy: a second Maven-repository client for the resolve tests
  twine           # PyPI real-client tests (uploads)
  python3-venv    # PyPI real-client tests (pip in a fresh venv)
  chromium        # web UI tests in a real browser (puppeteer-core drives it)
  jq              # ops tests: `nora images ls --format json | jq ... | nora tag` pipelines
  radosgw ceph-mon ceph-osd ceph-common uuid-runtime  # Ceph RGW: a real S3 with conditional writes (scripts/s3-rgw/start.sh)
)
missing=()
for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# docker-registry's package starts a service on :5000; tests run their own instances.
systemctl disable --now docker-registry >/dev/null 2>&1 || true
pkill -f '^/usr/bin/docker-registry serve /etc/docker/registry/config.yml' 2>/dev/null || true
echo "install-deps: ${#missing[@]} package(s) installed"
