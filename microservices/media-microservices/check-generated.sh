#!/usr/bin/env bash
# Fails when src/main/gen-java is not what Debian's thrift 0.17 generates from src/main/thrift/media_service.thrift.
# Usage: microservices/media-microservices/check-generated.sh   (needs `thrift` on PATH: apt-get install thrift-compiler)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if ! command -v thrift >/dev/null 2>&1; then
  echo "check-generated: thrift compiler not found (apt-get install thrift-compiler)" >&2
  exit 2
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
thrift -gen java:generated_annotations=suppress -out "$tmp" "$here/src/main/thrift/media_service.thrift"
if diff -r "$tmp" "$here/src/main/gen-java" >"$tmp.diff" 2>&1; then
  rm -f "$tmp.diff"
  echo "check-generated: src/main/gen-java is current ($(thrift --version))"
else
  cat "$tmp.diff"
  rm -f "$tmp.diff"
  echo "check-generated: src/main/gen-java is STALE; regenerate with" >&2
  echo "  mvn -B -o -pl microservices/media-microservices -Pthrift-gen generate-sources" >&2
  exit 1
fi
