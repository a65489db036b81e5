#!/usr/bin/env bash
# JFR profile (settings=profile) of every JVM of a SocialNetwork stack under the mixed load.
#   microservices/social-network/profile-stack.sh SYSTEM [RATE] [DURATION_S] [OUT_DIR]
# Same stack as measure-cpu-per-request.sh but with --isolation process (jcmd must reach the JVMs and they must be
# able to write the recording). `jcmd PID JFR.start` on every JVM of the stack, 15 s of unmeasured load (absorbs JFR's
# own start-up), then a fresh recording (settings: env JFC, default `profile`; a copy of profile.jfc with the
# jdk.ExecutionSample period at 1 ms gives 10x the samples) over DURATION_S of load, stopped into
# OUT_DIR/<label>-<pid>.jfr. Read with jfr-top.py (this folder): `jfr-top.py FILE.jfr [N] [SUBSTRING]`.
# Run inside the exclusive bench lock (flock -x /tmp/nc-bench.lock timeout 175 ...).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SYSTEM="${1:?system}"; RATE="${2:-150}"; DUR="${3:-20}"; OUT="${4:-/tmp/jfr-$SYSTEM}"
shift $(( $# < 4 ? $# : 4 )); [[ "${1:-}" == "--" ]] && shift
D="/tmp/prof-stack-$SYSTEM"
mkdir -p "$OUT"; rm -f "$OUT"/*.jfr
trap '"$ROOT/bin/stack" down --state-dir "$D" >/dev/null 2>&1 || true' EXIT
up=$("$ROOT/bin/stack" up --system "$SYSTEM" --workload socialnetwork --sched batch --set storage.timeout.ms=5000 \
      --isolation process --state-dir "$D" "$@" 2>"$OUT/up.err" | tail -1)
FE=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["frontend_url"])' "$up") || { echo "up failed: $up"; exit 1; }
"$ROOT/bin/stack" load --state-dir "$D" --set "dataset=$ROOT/analysis/experiments/socfb-Reed98-quick.edges" >"$OUT/load.log" 2>&1
declare -A LABEL
for pid in $(python3 "$ROOT/microservices/social-network/cpu-snapshot.py" snap "$D" | python3 -c '
import json,sys
for p in json.load(sys.stdin):
    if p["cmd"].split(" ")[0].endswith("java"): print("%d=%s" % (p["pid"], p["label"].replace(":", "_")))'); do
  LABEL[${pid%%=*}]=${pid#*=}
  jcmd "${pid%%=*}" JFR.start name=w settings=profile >/dev/null 2>&1 &
done
wait
# JFR's own start-up (class loading, JIT) happens under this unmeasured load, not in the profiled window
"$ROOT/bin/loadgen" run --url "$FE" --rate "$RATE" --connections 64 --warmup 0s --duration 15s \
  --workload socialnetwork-mixed --seed 7 --quiet >/dev/null 2>&1
for pid in "${!LABEL[@]}"; do
  (jcmd "$pid" JFR.start name=p settings="${JFC:-profile}" >/dev/null 2>&1; jcmd "$pid" JFR.stop name=w >/dev/null 2>&1) &
done
wait
"$ROOT/bin/loadgen" run --url "$FE" --rate "$RATE" --connections 64 --warmup 0s --duration "${DUR}s" \
  --workload socialnetwork-mixed --seed 42 --quiet | tail -1
for pid in "${!LABEL[@]}"; do
  jcmd "$pid" JFR.stop name=p filename="$OUT/${LABEL[$pid]}-$pid.jfr" >/dev/null 2>&1 &
done
wait
ls "$OUT"
