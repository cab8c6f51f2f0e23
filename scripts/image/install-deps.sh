#!/usr/bin/env bash
# Debian packages the container image build and test need (scripts/image/build.sh, test.sh), apart
# from those of scripts/ci/install-deps.sh (skopeo, the arm64 *-cross libraries, curl): they are
# not needed by `npm test`, only by the image stage of .ci/run. runc: see test.sh on crun and
# hybrid cgroups. Idempotent; run as root.
set -euo pipefail
PACKAGES=(podman buildah runc binutils ca-certificates)
APT_ENSURE_LABEL="image install-deps" bash "$(dirname "$0")/../ci/apt-ensure.sh" "${PACKAGES[@]}"
