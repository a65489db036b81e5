#!/usr/bin/env bash
# usage: runtime/examples/measure-external.sh LABEL GW_JAR ENGINE_JAR [DUR] [GW_IO_THREADS] [ENGINE_CONNS]
# one stack (gateway JVM from GW_JAR, engine JVM from ENGINE_JAR, Foo+Bar containers), wrk Bar/Foo at c1/c8,
# CPU µs per call for gateway / engine / containers / wrk (utime+stime from /proc, 10 ms ticks, over the measured
# run only) and the machine's idle share. Stops everything it started. Same JVM options as `nightcore up`'s children.
# A/B of two gateways on the same engine: run it twice with different GW_JARs, alternating, under
#   flock -x /tmp/nc-bench.lock timeout 175 bash -c '...; ...'
# env: FNS="Bar Foo", CS="1 8" (wrk connections), CHANNEL=fifo|shm, ENGKEYS (extra "engine" keys, e.g. '"dispatchAheadMaxMicros":0'),
#      FNKEYS (extra keys for both functions, e.g. '"jvmArgs":["-Dx=y"]'), GW_EXTRA / ENG_EXTRA (gateway / engine JVM flags), OUT (logs),
#      NIGHTCORE_SCHED=normal|batch (policy of gateway/engine JVMs from a jar that has --sched; default batch),
#      HOOK (shell code run once the stack is up; $GW $ENG $CONT are the pids, e.g. to chrt an old jar's processes),
#      WRKPFX (prefix for the wrk command, e.g. "chrt -b 0"),
#      PROFILE=1 (perf record of gateway and engine during Bar c8; needs -XX:+PreserveFramePointer in GW_EXTRA),
#      PROFILE=stat (perf stat syscalls/context switches + perf trace -s of gateway, engine and containers).
# Output per row: calls/s, p50, p99, CPU µs/call of gateway (its user-mode part in brackets), engine, containers, wrk,
# and the machine's idle share.
# Warm-up: 4 s of wrk -c8 on Bar and Foo before measuring (JIT; otherwise C2 compile time lands in the first run).
set -u
LABEL=$1; GWJAR=$2; ENGJAR=$3; DUR=${4:-5}; IOT=${5:-1}; CONNS=${6:-2}
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT=${OUT:-/tmp/nc-measure}; mkdir -p $OUT
EX=$ROOT/runtime/examples/target/nightcore-examples.jar
P1=$(shuf -i 20000-29999 -n1); P2=$(shuf -i 30000-39999 -n1)
IPC=/dev/shm/nc-measure-$LABEL-$$
CFG=$OUT/cfg-$LABEL-$$.json
cat > $CFG <<J
{"gateway":{"host":"127.0.0.1","httpPort":$P1,"enginePort":$P2,"ioThreads":$IOT},
 "engine":{"ipcRoot":"$IPC","gatewayConnections":$CONNS${CHANNEL:+,\"channel\":\"$CHANNEL\"}${ENGKEYS:+,$ENGKEYS}},
 "functions":[
  {"name":"Foo","id":1,"minWorkers":2,"maxWorkers":2,"handler":"io.nightcorej.examples.Foo","classpath":["$EX"]${FNKEYS:+,$FNKEYS}},
  {"name":"Bar","id":2,"minWorkers":2,"maxWorkers":2,"handler":"io.nightcorej.examples.Bar","classpath":["$EX"]${FNKEYS:+,$FNKEYS}}]}
J
OPTS="--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED ${NC_OPTS:--XX:+UseSerialGC -Xms32m -Xmx512m -Xss512k -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=64m}"
java $OPTS ${GW_EXTRA:-} -jar $GWJAR gateway --config $CFG > $OUT/gw-$LABEL.log 2>&1 &
GW=$!
for i in $(seq 50); do curl -s -o /dev/null http://127.0.0.1:$P1/health && break; sleep 0.1; done
java $OPTS ${ENG_EXTRA:-} -jar $ENGJAR engine --config $CFG > $OUT/eng-$LABEL.log 2>&1 &
ENG=$!
cleanup() { kill $ENG 2>/dev/null; wait $ENG 2>/dev/null; kill $GW 2>/dev/null; wait $GW 2>/dev/null; rm -f $CFG; rm -rf $IPC; }
trap cleanup EXIT; trap "exit 1" INT TERM
for i in $(seq 300); do
  s=$(curl -s http://127.0.0.1:$P1/stats)
  echo "$s" | python3 -c 'import sys,json; d=json.load(sys.stdin); f=d["engines"][0]["functions"]; sys.exit(0 if all(f[n]["workers"]>=2 for n in ("Foo","Bar")) else 1)' 2>/dev/null && break
  sleep 0.1
done
tree() { local p=$1; echo $p; for c in $(pgrep -P $p); do tree $c; done; }
ticks() { local t=0; for p in "$@"; do v=$(awk '{print $14+$15}' /proc/$p/stat 2>/dev/null || echo 0); t=$((t+v)); done; echo $t; }
URL=http://127.0.0.1:$P1/function
wrk -t1 -c8 -d4s -s $ROOT/runtime/examples/post.lua $URL/Bar >/dev/null
wrk -t1 -c8 -d4s -s $ROOT/runtime/examples/post.lua $URL/Foo >/dev/null
CONT=$(for c in $(pgrep -P $ENG); do tree $c; done)
[[ -n "${HOOK:-}" ]] && eval "$HOOK"
for fn in ${FNS:-Bar Foo}; do for c in ${CS:-1 8}; do
  u0=$(awk '{print $14}' /proc/$GW/stat); g0=$(ticks $GW); e0=$(ticks $ENG); k0=$(ticks $CONT); read -r _ u n s i w q sq st rest < /proc/stat; t0=$((u+n+s+i+w+q+sq+st)); i0=$((i+w)); st0=$st
  if [[ "${PROFILE:-}" == 1 && $fn == Bar && $c == 8 ]]; then
    (sleep 1; perf record -e cpu-clock -F 999 -g -o $OUT/gw-$LABEL.data -p $GW -- sleep 3 >/dev/null 2>&1) & PP1=$!
    (sleep 1; perf record -e cpu-clock -F 999 -g -o $OUT/eng-$LABEL.data -p $ENG -- sleep 3 >/dev/null 2>&1) & PP2=$!
  fi
  if [[ "${PROFILE:-}" == stat && $fn == Bar && $c == 8 ]]; then
    (sleep 1; perf stat -e raw_syscalls:sys_enter,context-switches -o $OUT/stat-gw-$LABEL.txt -p $GW -- sleep 3) & PP1=$!
    (sleep 1; perf stat -e raw_syscalls:sys_enter,context-switches -o $OUT/stat-eng-$LABEL.txt -p $ENG -- sleep 3) & PP2=$!
    (sleep 1; perf trace -s -o $OUT/trace-gw-$LABEL.txt -p $GW -- sleep 1) & PP3=$!
    (sleep 2.5; perf trace -s -o $OUT/trace-eng-$LABEL.txt -p $ENG -- sleep 1) & PP4=$!
    (sleep 4; perf trace -s -o $OUT/trace-cont-$LABEL.txt -p $(echo $CONT | tr ' ' ',') -- sleep 1) & PP5=$!
  fi
  out=$(/usr/bin/time -f "WRKCPU %U %S" ${WRKPFX:-} wrk -t1 -c$c -d${DUR}s --latency -s $ROOT/runtime/examples/post.lua $URL/$fn 2>&1)
  if [[ "${PROFILE:-}" == 1 && $fn == Bar && $c == 8 ]]; then wait $PP1 $PP2; jcmd $GW Compiler.perfmap >/dev/null; jcmd $ENG Compiler.perfmap >/dev/null; fi
  if [[ "${PROFILE:-}" == stat && $fn == Bar && $c == 8 ]]; then wait $PP1 $PP2 $PP3 $PP4 $PP5; fi
  u1=$(awk '{print $14}' /proc/$GW/stat); g1=$(ticks $GW); e1=$(ticks $ENG); k1=$(ticks $CONT); read -r _ u n s i w q sq st rest < /proc/stat; t1=$((u+n+s+i+w+q+sq+st)); i1=$((i+w)); st1=$st
  wrk_us=$(echo "$out" | awk '/WRKCPU/{printf "%d", ($2+$3)*1e6}')
  rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  n=$(echo "$out" | awk '/requests in/{print $1}')
  p50=$(echo "$out" | awk '$1=="50%"{print $2}'); p99=$(echo "$out" | awk '$1=="99%"{print $2}')
  non2=$(echo "$out" | awk '/Non-2xx/{print $NF}')
  printf "%-6s %s c%-2s rps=%-9s p50=%-8s p99=%-8s cpu_us/call gw=%s(user %s) eng=%s cont=%s wrk=%s idle=%s%% steal=%s%% %s\n" $LABEL $fn $c $rps $p50 $p99 \
    $(( (g1-g0)*10000000/n/1000 )) $(( (u1-u0)*10000000/n/1000 )) $(( (e1-e0)*10000000/n/1000 )) $(( (k1-k0)*10000000/n/1000 )) $(( ${wrk_us%.*}/n )) $(( 100*(i1-i0)/(t1-t0) )) $(( 100*(st1-st0)/(t1-t0) )) "${non2:+non2xx=$non2}"
done; done
# Resident set sizes after the runs (KiB): gateway, engine, each function container (issue-2 targets: engine ≤ 128 MiB,
# container ≤ 96 MiB).
echo "$LABEL rss_kib gw=$(ps -o rss= -p $GW | tr -d ' ') eng=$(ps -o rss= -p $ENG | tr -d ' ') cont=$(for p in $CONT; do r=$(ps -o rss= -p $p | tr -d ' '); [[ ${r:-0} -gt 20000 ]] && echo -n "$r,"; done)"
