#!/usr/bin/env bash
# The README's test command. On a fresh Debian machine it installs the system packages the tests use for real
# (Redis, memcached, wrk, bubblewrap, crun, the Thrift compiler) when run as root, then runs the whole Maven build.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(redis-server memcached wrk bubblewrap crun thrift-compiler)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "ci/test.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q "${missing[@]}"
  else
    echo "ci/test.sh: not root, so not installing ${missing[*]}; tests that need them will say they are skipped" >&2
  fi
fi

exec mvn -B verify "$@"
