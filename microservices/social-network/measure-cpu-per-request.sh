#!/usr/bin/env bash
# CPU per request of every process of a SocialNetwork stack, as the main job deploys it.
#
#   microservices/social-network/measure-cpu-per-request.sh SYSTEM [RATE] [DURATION_S] [OUT_DIR] [-- extra bin/stack up args]
#
# One trial = bin/stack up (the analysis runner's flags: --workload socialnetwork --sched batch
# --set storage.timeout.ms=5000) -> bin/stack load of the main job's quick graph -> 10 s (env WARMUP_S) unmeasured load at RATE ->
# /proc snapshot -> DURATION_S of socialnetwork-mixed at RATE (64 connections, seed 42, no loadgen warm-up, so every
# request the stack served in the window is counted) -> /proc snapshot -> bin/stack down.
# Per process (found by the stack's NIGHTCORE_STACK_DIR mark): utime+stime delta / requests, split by thread name into
# JIT (C1/C2 compiler threads), GC (VM Thread + GC threads: the Serial GC runs in the VM thread) and the rest.
# The load generator's CPU comes from its exit (cutime+cstime of the shell that waited for it).
# Run it inside the exclusive bench lock, e.g.
#   flock -x /tmp/nc-bench.lock timeout 175 microservices/social-network/measure-cpu-per-request.sh rpc 150 20
# Output: a table on stdout and OUT_DIR/<system>-<time>.json. Env STACK_UP_EXTRA / JAVA_OPTS are passed through.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SYSTEM="${1:?system: nightcore|rpc|openfaas}"
RATE="${2:-150}"
DUR="${3:-20}"
OUT="${4:-/tmp/cpu-per-request}"
shift $(( $# < 4 ? $# : 4 ))
[[ "${1:-}" == "--" ]] && shift
EXTRA_UP=("$@")
D="/tmp/cpr-stack-$SYSTEM"
DATASET="$ROOT/analysis/experiments/socfb-Reed98-quick.edges"
mkdir -p "$OUT"
TAG="$SYSTEM-$(date -u +%H%M%S)"
SNAP="$ROOT/microservices/social-network/cpu-snapshot.py"
HZ=$(getconf CLK_TCK)

cleanup() { "$ROOT/bin/stack" down --state-dir "$D" >/dev/null 2>&1 || true; }
trap cleanup EXIT

up=$("$ROOT/bin/stack" up --system "$SYSTEM" --workload socialnetwork --sched batch --set storage.timeout.ms=5000 \
      --state-dir "$D" "${EXTRA_UP[@]}" 2>"$OUT/$TAG-up.err" | tail -1)
FE=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["frontend_url"])' "$up" 2>/dev/null) \
  || { echo "stack up failed: $up" >&2; tail -20 "$OUT/$TAG-up.err" >&2; exit 1; }
t0=$(date +%s)
"$ROOT/bin/stack" load --state-dir "$D" --set "dataset=$DATASET" --set timeout_s=400 >"$OUT/$TAG-load.log" 2>&1
echo "# $TAG: up at $FE, loaded in $(( $(date +%s) - t0 )) s" >&2
"$ROOT/bin/loadgen" run --url "$FE" --rate "$RATE" --connections 64 --warmup 0s --duration "${WARMUP_S:-10}s" \
  --workload socialnetwork-mixed --seed 7 --quiet >/dev/null 2>&1
python3 "$SNAP" snap "$D" >"$OUT/$TAG-before.json"
# cutime/cstime (fields 16, 17) of this subshell after it waited for loadgen = loadgen's CPU.
bash -c '"$0" run --url "$1" --rate "$2" --connections 64 --warmup 0s --duration "$3"s --workload socialnetwork-mixed \
   --seed 42 --quiet --lag-bound 10ms --late-threshold 10ms --max-late-fraction 0.05 --json "$4" >/dev/null 2>&1
   awk "{print \$16+\$17}" /proc/$$/stat >"$5"' \
  "$ROOT/bin/loadgen" "$FE" "$RATE" "$DUR" "$OUT/$TAG-loadgen.json" "$OUT/$TAG-loadgen.ticks"
python3 "$SNAP" snap "$D" >"$OUT/$TAG-after.json"
python3 "$SNAP" report "$OUT/$TAG-before.json" "$OUT/$TAG-after.json" "$OUT/$TAG-loadgen.json" \
  "$(cat "$OUT/$TAG-loadgen.ticks")" "$HZ" "$SYSTEM" | tee "$OUT/$TAG.txt"
