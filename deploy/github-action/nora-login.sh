#!/usr/bin/env bash
# The GitHub Action's step (action.yml): install the NORA release binary and run
# `nora login --oidc`. Inputs come as environment variables:
#   NORA_REGISTRY, NORA_VERSION (required); NORA_AUDIENCE (default nora); NORA_WRITE (clients,
#   space-separated; empty = all); NORA_RELEASE_URL (folder of the release files; default
#   $GITHUB_SERVER_URL/$NORA_ACTION_REPOSITORY/releases/download/v$NORA_VERSION).
# The ID token is requested by `nora login` itself from ACTIONS_ID_TOKEN_REQUEST_URL.
set -euo pipefail

fail() { echo "::error title=NORA login::$*" >&2; exit 1; }
[ -n "${NORA_REGISTRY:-}" ] || fail "input registry is required"
[ -n "${NORA_VERSION:-}" ] || fail "input version is required (e.g. 0.1.0)"
[[ "$NORA_VERSION" =~ ^[0-9A-Za-z.+-]+$ ]] || fail "version \"$NORA_VERSION\" is not a version"

case "${RUNNER_ARCH:-$(uname -m)}" in
  X64 | x86_64 | amd64) arch=x64 ;;
  ARM64 | aarch64 | arm64) arch=arm64 ;;
  *) fail "no NORA release for this runner's architecture (${RUNNER_ARCH:-$(uname -m)}); x64 and arm64 only" ;;
esac

base=${NORA_RELEASE_URL:-}
if [ -z "$base" ]; then
  [ -n "${NORA_ACTION_REPOSITORY:-}" ] || fail "set release-url: the action's repository is unknown here"
  base="${GITHUB_SERVER_URL:-https://github.com}/$NORA_ACTION_REPOSITORY/releases/download/v$NORA_VERSION"
fi
base=${base%/}
name="nora-$NORA_VERSION-linux-$arch"
work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/nora-login.XXXXXX")
trap 'rm -rf "$work"' EXIT

curl --fail --silent --show-error --location --retry 3 -o "$work/$name.tar.gz" "$base/$name.tar.gz" \
  || fail "cannot download $base/$name.tar.gz"
curl --fail --silent --show-error --location --retry 3 -o "$work/SHA256SUMS" "$base/SHA256SUMS" \
  || fail "cannot download $base/SHA256SUMS"
# The archive must be listed, and match: a missing line is as bad as a wrong digest.
grep -E "^[0-9a-f]{64}  $name\.tar\.gz\$" "$work/SHA256SUMS" > "$work/expected" \
  || fail "SHA256SUMS does not list $name.tar.gz"
(cd "$work" && sha256sum --check --strict --quiet expected) || fail "$name.tar.gz does not match SHA256SUMS"

dest="${NORA_INSTALL_DIR:-${RUNNER_TOOL_CACHE:-$HOME/.cache}/nora/$NORA_VERSION/$arch}"
mkdir -p "$dest"
tar -xzf "$work/$name.tar.gz" -C "$work"
install -m 0755 "$work/$name/nora" "$dest/nora"
"$dest/nora" --version

args=(login --oidc --registry "$NORA_REGISTRY" --audience "${NORA_AUDIENCE:-nora}")
for client in ${NORA_WRITE:-}; do args+=(--write "$client"); done
"$dest/nora" "${args[@]}"

if [ -n "${GITHUB_PATH:-}" ]; then echo "$dest" >> "$GITHUB_PATH"; fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "path=$dest" >> "$GITHUB_OUTPUT"; fi
