#!/usr/bin/env bash
# Short knee probe of a SocialNetwork stack as the main job deploys it (not the main job's adaptive search).
#   microservices/social-network/knee-probe.sh SYSTEM "RATE1 RATE2 ..." [MEASURE_S] [-- extra bin/stack up args]
# bin/stack up (--sched batch --set storage.timeout.ms=5000, as analysis/experiments/reproduce.yaml) -> load of the
# quick graph -> 10 s session warm-up at RATE1 -> per rate: loadgen 5 s warm-up + MEASURE_S (default 10) measured,
# 64 connections, seed 42, the main job's loadgen flags, 2 s settle -> down. One line per rate:
# system rate achieved p50_ms p99_ms errors behind_cause. Run inside flock -x /tmp/nc-bench.lock timeout 178.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SYSTEM="${1:?system}"; RATES="${2:?rates}"; MEAS="${3:-10}"
shift $(( $# < 3 ? $# : 3 )); [[ "${1:-}" == "--" ]] && shift
D="/tmp/knee-stack-$SYSTEM"
trap '"$ROOT/bin/stack" down --state-dir "$D" >/dev/null 2>&1 || true' EXIT
up=$("$ROOT/bin/stack" up --system "$SYSTEM" --workload socialnetwork --sched batch --set storage.timeout.ms=5000 \
      --state-dir "$D" "$@" 2>/dev/null | tail -1)
FE=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["frontend_url"])' "$up") || { echo "up failed: $up"; exit 1; }
"$ROOT/bin/stack" load --state-dir "$D" --set "dataset=$ROOT/analysis/experiments/socfb-Reed98-quick.edges" \
  --set timeout_s=400 >/dev/null 2>&1
first=${RATES%% *}
"$ROOT/bin/loadgen" run --url "$FE" --rate "$first" --connections 64 --warmup 0s --duration 10s \
  --workload socialnetwork-mixed --seed 7 --quiet >/dev/null 2>&1
for r in $RATES; do
  "$ROOT/bin/loadgen" run --url "$FE" --rate "$r" --connections 64 --warmup 5s --duration "${MEAS}s" \
    --workload socialnetwork-mixed --seed 42 --quiet --lag-bound 10ms --late-threshold 10ms --max-late-fraction 0.05 \
    2>/dev/null | tail -1 | python3 -c '
import json,sys
j=json.loads(sys.stdin.read()); s=sys.argv[1]
print("%s rate %s achieved %.1f p50 %.1f ms p99 %.1f ms errors %d behind %s" % (s, j["rate_target"], j["rate_achieved"],
      j["p50_us"]/1000, j["p99_us"]/1000, j["errors"]+j.get("non_2xx",0), j.get("behind_cause")))' "$SYSTEM"
  sleep 2
done
