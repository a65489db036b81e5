#!/usr/bin/env bash
# usage: runtime/engine/measure-cpu-per-call.sh LABEL GW_JAR ENGINE_JAR [DUR]   (run under: flock -x /tmp/nc-bench.lock timeout 120 ...)
# One stack (gateway JVM from GW_JAR, engine JVM + containers from ENGINE_JAR, foo-bar functions), wrk -c8 on Bar for DUR s
# after a 5 s warm-up; prints CPU µs per call (utime+stime, of it system time) and context switches per call per process
# and per thread. env: CHANNEL, SPIN, CONNS (engine settings), NICE_CONT/NICE_ENG (renice), PERF=1 (perf record),
# PTRACE=1 (perf trace -s syscall counts), STRACE=1 (strace -c). Output/logs in $OUT (default /tmp/nc-cpu-per-call). Stops what it started.
# usage: probe.sh LABEL GW_JAR ENGINE_JAR [DUR] ; Bar c8: per-process and per-thread CPU/call, ctx switches/call, then strace -c
set -u
LABEL=$1; GWJAR=$2; ENGJAR=$3; DUR=${4:-5}
ROOT=/work/main
OUT=${OUT:-/tmp/nc-cpu-per-call}; mkdir -p $OUT
EX=$ROOT/runtime/examples/target/nightcore-examples.jar
P1=$(shuf -i 20000-29999 -n1); P2=$(shuf -i 30000-39999 -n1)
IPC=/dev/shm/r1-probe-$LABEL-$$
CFG=$OUT/cfg-$LABEL-$$.json
cat > $CFG <<J
{"gateway":{"host":"127.0.0.1","httpPort":$P1,"enginePort":$P2,"ioThreads":1},
 "engine":{"ipcRoot":"$IPC","gatewayConnections":${CONNS:-2}${CHANNEL:+,\"channel\":\"$CHANNEL\"}${SPIN:+,\"spinMicros\":$SPIN}},
 "functions":[
  {"name":"Foo","id":1,"minWorkers":2,"maxWorkers":2,"handler":"io.nightcorej.examples.Foo","classpath":["$EX"]},
  {"name":"Bar","id":2,"minWorkers":2,"maxWorkers":2,"handler":"io.nightcorej.examples.Bar","classpath":["$EX"]}]}
J
OPTS="--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -XX:+UseSerialGC -Xms32m -Xmx512m -Xss512k -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=64m"
java $OPTS -jar $GWJAR gateway --config $CFG > $OUT/gw-$LABEL.log 2>&1 &
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
URL=http://127.0.0.1:$P1/function
wrk -t1 -c8 -d4s -s $ROOT/runtime/examples/post.lua $URL/Bar >/dev/null
BARPID=$(pgrep -f 'function-id 2' | while read p; do [ "$(awk '{print $4}' /proc/$p/stat)" != "" ] && echo $p; done | tail -1)
tree() { local p=$1; echo $p; for c in $(pgrep -P $p); do tree $c; done; }
CONT=$(for c in $(pgrep -P $ENG); do tree $c; done | tr '\n' ' ')
snap() { for p in $GW $ENG $CONT; do for t in /proc/$p/task/*; do echo "$p $(basename $t) $(awk '{print $14+$15, $15}' $t/stat) $(grep -E '^(voluntary|nonvoluntary)_ctxt' $t/status | awk '{s+=$2} END{print s}') $(cat $t/comm | tr ' ' '_')"; done; done; }
if [[ -n "${NICE_CONT:-}" ]]; then for p in $CONT; do for t in /proc/$p/task/*; do renice -n $NICE_CONT -p $(basename $t) >/dev/null; done; done; fi
if [[ -n "${NICE_ENG:-}" ]]; then for t in /proc/$ENG/task/*; do renice -n $NICE_ENG -p $(basename $t) >/dev/null; done; fi
wrk -t1 -c8 -d1s -s $ROOT/runtime/examples/post.lua $URL/Bar >/dev/null
snap > $OUT/s0-$LABEL
out=$(wrk -t1 -c8 -d${DUR}s --latency -s $ROOT/runtime/examples/post.lua $URL/Bar 2>&1)
snap > $OUT/s1-$LABEL
n=$(echo "$out" | awk '/requests in/{print $1}')
rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
echo "$LABEL Bar c8 rps=$rps n=$n GW=$GW ENG=$ENG CONT=$CONT"
python3 - $OUT/s0-$LABEL $OUT/s1-$LABEL $n $GW $ENG <<'PY'
import sys,collections
a={};b={}
for f,d in ((sys.argv[1],a),(sys.argv[2],b)):
    for l in open(f):
        p,t,c,st,cs,name=l.split()
        d[(p,t)]=(int(c),int(cs),name,int(st))
n=int(sys.argv[3]); gw,eng=sys.argv[4],sys.argv[5]
per=collections.defaultdict(lambda:[0,0])
rows=[]
for k,(c,cs,name,st) in b.items():
    c0,cs0,_,st0=a.get(k,(0,0,name,0))
    dc=c-c0; dcs=cs-cs0; dst=st-st0
    role='gw' if k[0]==gw else 'eng' if k[0]==eng else 'cont'+k[0]
    per[role][0]+=dc; per[role][1]+=dcs
    if dc>0 or dcs>n*0.05: rows.append((role,name,dc*10000/n,dcs/n,dst*10000/n))
for r,(c,cs) in per.items(): print(f"  {r:12s} cpu_us/call={c*10000/n:6.1f} ctxsw/call={cs/n:5.2f}")
for r in sorted(rows,key=lambda x:-x[2]): print(f"    {r[0]:12s} {r[1]:28s} cpu_us/call={r[2]:6.1f} (sys {r[4]:5.1f}) ctxsw/call={r[3]:5.2f}")
PY
if [[ -n "${PERF:-}" ]]; then
  for p in $CONT; do if tr '\0' ' ' < /proc/$p/cmdline | grep -q -- '--function-id 2'; then BAR=$p; fi; done
  (wrk -t1 -c8 -d5s -s $ROOT/runtime/examples/post.lua $URL/Bar > $OUT/wrk-perf-$LABEL.txt 2>&1) &
  W=$!
  sleep 1
  perf record -e cpu-clock -F 1999 -g -o $OUT/perf-$LABEL.data -p $ENG,$BAR -- sleep 3 >/dev/null 2>&1
  wait $W
  jcmd $ENG Compiler.perfmap >/dev/null 2>&1; jcmd $BAR Compiler.perfmap >/dev/null 2>&1
  echo "ENG=$ENG BAR=$BAR" > $OUT/perf-$LABEL.pids
fi
if [[ -n "${PTRACE:-}" ]]; then
  for p in $CONT; do if tr '\0' ' ' < /proc/$p/cmdline | grep -q -- '--function-id 2'; then BAR=$p; fi; done
  c0=$(curl -s http://127.0.0.1:$P1/stats | python3 -c 'import sys,json; print(json.load(sys.stdin)["engines"][0]["functions"]["Bar"]["calls"])')
  (wrk -t1 -c8 -d4s -s $ROOT/runtime/examples/post.lua $URL/Bar > $OUT/wrk-pt-$LABEL.txt 2>&1) &
  W=$!
  sleep 1
  cs=$(curl -s http://127.0.0.1:$P1/stats | python3 -c 'import sys,json; print(json.load(sys.stdin)["engines"][0]["functions"]["Bar"]["calls"])')
  perf trace -s -o $OUT/ptrace-$LABEL.txt -p $ENG,$BAR -- sleep 2 >/dev/null 2>&1
  ce=$(curl -s http://127.0.0.1:$P1/stats | python3 -c 'import sys,json; print(json.load(sys.stdin)["engines"][0]["functions"]["Bar"]["calls"])')
  wait $W
  echo "calls during perf trace (approx, incl. stats latency): $((ce-cs))"
  grep -E '^ [a-zA-Z]|^ +(read|write|futex|writev|epoll_wait|ioctl|fstat|sched_yield|restart_syscall|clock_nanosleep) ' $OUT/ptrace-$LABEL.txt | grep -v '^ *$' | head -60
fi
if [[ -n "${STRACE:-}" ]]; then
  (wrk -t1 -c8 -d4s -s $ROOT/runtime/examples/post.lua $URL/Bar > $OUT/wrk-strace-$LABEL.txt 2>&1) &
  W=$!
  sleep 0.5
  timeout -s INT 2 strace -c -f -p $ENG -o $OUT/strace-eng-$LABEL.txt >/dev/null 2>&1
  BAR=$(for p in $CONT; do grep -q 'function-id 2' /proc/$p/cmdline 2>/dev/null && echo $p; done; tr '\0' ' ' < /dev/null)
  for p in $CONT; do if tr '\0' ' ' < /proc/$p/cmdline | grep -q -- '--function-id 2'; then BAR=$p; fi; done
  timeout -s INT 1.2 strace -c -f -p $BAR -o $OUT/strace-bar-$LABEL.txt >/dev/null 2>&1
  wait $W
  echo "strace wrk: $(grep -E 'requests in' $OUT/wrk-strace-$LABEL.txt)"
  head -20 $OUT/strace-eng-$LABEL.txt; head -14 $OUT/strace-bar-$LABEL.txt
fi
