#!/usr/bin/env bash
# Fails when src/main/gen-java is not what Debian's thrift 0.17 generates from src/main/thrift (exit 1 stale, 2 no
# thrift): ../check-generated.sh on this module.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/../check-generated.sh" "$here"
