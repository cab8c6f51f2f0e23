#!/usr/bin/env bash
# Installs the Debian packages named as arguments that are not installed yet (one apt-get update,
# only when something is missing). Prints how many it installed, prefixed by $APT_ENSURE_LABEL.
# Shared by scripts/ci/install-deps.sh and scripts/image/install-deps.sh. Run as root.
set -euo pipefail
missing=()
for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "${APT_ENSURE_LABEL:-install-deps}: ${#missing[@]} package(s) installed"
