#!/usr/bin/env bash
# CI performance gate (called by .ci/run after the tests): a few-minute benchmark of Nightcore-J against the RPC
# baseline, measured in the same run and judged against ci/thresholds.json (rule: ci/README.md).
# Exit 0 = PASS or INCONCLUSIVE (noisy machine), 1 = FAIL (regression beyond a threshold), 2 = could not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/ci/target/perf-gate.jar"
if [[ ! -f "$JAR" ]]; then
  echo "build first: mvn -B -DskipTests package" >&2
  exit 1
fi
# Both sides of every comparison run under one scheduling policy: the gate JVM and every process it starts (the RPC
# echo server, bin/nightcore, bin/stack) inherit it. Nightcore-J's and bin/stack's default is SCHED_BATCH
# (runtime/README.md, "Scheduling policy"), so the RPC side gets it too unless NIGHTCORE_SCHED=normal.
SCHED=()
if [[ "${NIGHTCORE_SCHED:-batch}" == batch ]] && command -v chrt >/dev/null; then
  SCHED=(chrt --batch 0)
fi
# The whole gate is bounded: the runner times out every step, and this caps the total well under 10 minutes.
exec timeout --kill-after=30s "${PERF_GATE_TIMEOUT:-540s}" "${SCHED[@]}" java ${JAVA_OPTS:-} -Djava.awt.headless=true \
  -jar "$JAR" --repo-root "$ROOT" "$@"
