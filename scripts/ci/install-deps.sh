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
  golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v3-dev  # test/deploy: scripts/helm-render renders the Helm chart (GOPATH mode, offline)
  jq              # ops tests: `nora images ls --format json | jq ... | nora tag` pipelines
  radosgw ceph-mon ceph-osd ceph-common uuid-runtime  # Ceph RGW: a real S3 with conditional writes (scripts/s3-rgw/start.sh)
)
bash "$(dirname "$0")/apt-ensure.sh" "${PACKAGES[@]}"
# docker-registry's package starts a service on :5000; tests run their own instances.
systemctl disable --now docker-registry >/dev/null 2>&1 || true
pkill -f '^/usr/bin/docker-registry serve /etc/docker/registry/config.yml' 2>/dev/null || true

# cargo >= 1.68 (sparse registries) for the Cargo real-client tests: Debian 12's cargo is 0.66, so
# it comes from rustup. Skipped where it is already there; a machine without network says so.
if ! { [ -x "$HOME/.cargo/bin/cargo" ] || command -v cargo >/dev/null 2>&1; }; then
  if curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs -o /tmp/rustup-init.sh 2>/dev/null; then
    sh /tmp/rustup-init.sh -y --profile minimal >/dev/null && echo "install-deps: cargo installed in $HOME/.cargo/bin"
  else
    echo "install-deps: cargo is missing and rustup cannot be reached; the Cargo tests need cargo >= 1.68" >&2
  fi
fi

# The Maven tests run mvn offline against ~/.m2: seed it with the pinned plugins (and their
# dependencies) from Maven Central once. Skipped where they are already there.
root=$(cd "$(dirname "$0")/../.." && pwd)
if command -v mvn >/dev/null 2>&1; then
  for entry in $(jq -r '.maven_plugins | to_entries[] | "\(.key):\(.value)"' "$root/scripts/ci/clients.json"); do
    name=${entry%%:*}; version=${entry##*:}
    [ -d "$HOME/.m2/repository/org/apache/maven/plugins/maven-$name-plugin/$version" ] && continue
    mvn -B -q dependency:get -Dartifact="org.apache.maven.plugins:maven-$name-plugin:$version" -Dtransitive=true >/dev/null 2>&1 \
      && echo "install-deps: ~/.m2 seeded with maven-$name-plugin $version" \
      || echo "install-deps: cannot fetch maven-$name-plugin $version into ~/.m2 (Maven Central unreachable?)" >&2
  done
fi
