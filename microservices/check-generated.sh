#!/usr/bin/env bash
# Fails when a workload module's src/main/gen-java is not what Debian's thrift 0.17 generates from its IDL
# (src/main/thrift/*.thrift). One check for every workload; each module's check-generated.sh calls it.
# Usage: microservices/check-generated.sh MODULE_DIR   (needs `thrift` on PATH: apt-get install thrift-compiler)
# Exit: 0 current, 1 stale, 2 no thrift compiler or bad usage.
set -euo pipefail
if [ $# -ne 1 ] || [ ! -d "$1/src/main/thrift" ]; then
  echo "usage: $0 MODULE_DIR (a directory with src/main/thrift/*.thrift)" >&2
  exit 2
fi
module="$(cd "$1" && pwd)"
name="$(basename "$module")"
if ! command -v thrift >/dev/null 2>&1; then
  echo "check-generated: thrift compiler not found (apt-get install thrift-compiler)" >&2
  exit 2
fi
tmp="$(mktemp -d)"
mkdir "$tmp/gen"
trap 'rm -rf "$tmp"' EXIT
for idl in "$module"/src/main/thrift/*.thrift; do
  thrift -gen java:generated_annotations=suppress -out "$tmp/gen" "$idl"
done
if diff -r "$tmp/gen" "$module/src/main/gen-java" >"$tmp/diff" 2>&1; then
  echo "check-generated: $name/src/main/gen-java is current ($(thrift --version))"
else
  cat "$tmp/diff"
  echo "check-generated: $name/src/main/gen-java is STALE; regenerate with" >&2
  echo "  mvn -B -o -pl microservices/$name -Pthrift-gen generate-sources" >&2
  exit 1
fi
