#!/usr/bin/env bash
# Unpacks Debian's kubernetes-client (kubectl 1.20) into .cache/kubectl-1.20/ for the API emulator's
# kubectl tests. It is not apt-get installed because it would overwrite a newer /usr/bin/kubectl.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dest="$root/.cache/kubectl-1.20"
if [ -x "$dest/usr/bin/kubectl" ]; then exit 0; fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
if ! apt-get download -q kubernetes-client >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  apt-get download -q kubernetes-client >/dev/null
fi
mkdir -p "$dest"
dpkg-deb -x kubernetes-client_*.deb "$dest"
"$dest/usr/bin/kubectl" version --client >/dev/null
