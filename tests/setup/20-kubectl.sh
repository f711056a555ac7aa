#!/usr/bin/env bash
# Unpacks Debian's kubernetes-client (kubectl 1.20) into .cache/kubectl-1.20/ for the API
# emulator's kubectl tests (tests/apiserver/kubectl_test.ts). It is not apt-get installed because
# the package would overwrite a newer /usr/bin/kubectl. Idempotent. When the package cannot be
# downloaded, it says so and the kubectl 1.20 test skips itself (with the reason) instead of the
# whole suite failing here.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dest="$root/.cache/kubectl-1.20"
if [ -x "$dest/usr/bin/kubectl" ]; then exit 0; fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 0
if ! apt-get download -q kubernetes-client >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null 2>&1
  if ! apt-get download -q kubernetes-client >/dev/null 2>&1; then
    echo "20-kubectl.sh: could not download kubernetes-client; the kubectl 1.20 tests will skip" >&2
    exit 0
  fi
fi
mkdir -p "$dest"
if ! dpkg-deb -x kubernetes-client_*.deb "$dest" || ! "$dest/usr/bin/kubectl" version --client >/dev/null; then
  echo "20-kubectl.sh: kubernetes-client did not unpack into a working kubectl" >&2
  rm -rf "$dest"
  exit 1
fi
