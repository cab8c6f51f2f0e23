#!/usr/bin/env bash
# Debian packages the container image build and test need (scripts/image/build.sh, test.sh), apart
# from those of scripts/ci/install-deps.sh (skopeo, the arm64 *-cross libraries, curl): they are
# not needed by `npm test`, only by the image stage of .ci/run. runc: see test.sh on crun and
# hybrid cgroups. Idempotent; run as root.
set -euo pipefail
PACKAGES=(podman buildah runc binutils ca-certificates)
missing=()
for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "image install-deps: ${#missing[@]} package(s) installed"
