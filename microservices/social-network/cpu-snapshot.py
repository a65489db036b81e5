#!/usr/bin/env python3
"""Helper of measure-cpu-per-request.sh.

  cpu-snapshot.py snap STATE_DIR                      -> JSON: every process marked NIGHTCORE_STACK_DIR=STATE_DIR,
                                                         its label, total CPU ticks and ticks per thread class
  cpu-snapshot.py report BEFORE AFTER LOADGEN_JSON LOADGEN_TICKS HZ SYSTEM
                                                      -> table of CPU µs per request per process (+ JSON last line)

Thread classes (from /proc/PID/task/TID/comm): jit = "C1/C2 CompilerThre"; gc = "VM Thread" (where the Serial GC
runs, plus other safepoint operations) and "GC Thread*"; rest = total - jit - gc (threads that exited between the
snapshots count in the process total, hence in "rest").
"""
import json
import os
import sys


def read(path, mode="r"):
    try:
        with open(path, mode) as f:
            return f.read()
    except OSError:
        return None


def ticks(stat):
    # comm may contain spaces: fields after the closing parenthesis
    rest = stat[stat.rindex(")") + 2:].split()
    return int(rest[11]) + int(rest[12])  # utime, stime (fields 14, 15)


def label(pid, cmd, env):
    args = cmd.split("\0")
    joined = " ".join(args)
    fn = env.get("NIGHTCORE_FUNCTION")
    if fn:
        return "fn:" + fn
    if "StorageServerMain" in joined:
        return "storage"
    if "FrontendMain" in joined:
        return "frontend"
    if "RpcServerMain" in joined or "WatchdogMain" in joined:
        kind = "rpc:" if "RpcServerMain" in joined else "watchdog:"
        for i, a in enumerate(args):
            if a == "--service" and i + 1 < len(args):
                return kind + args[i + 1]
            if a.startswith("service="):
                return kind + a[len("service="):]
        return kind + "?"
    if "FaasGatewayMain" in joined:
        return "faas-gateway"
    if "nightcore" in joined and " gateway" in joined:
        return "nc-gateway"
    if "nightcore" in joined and " engine" in joined:
        return "nc-engine"
    if "nightcore" in joined and " up" in joined:
        return "nc-up"
    return os.path.basename(args[0]) if args and args[0] else "?"


def snap(state_dir):
    mark = ("NIGHTCORE_STACK_DIR=" + os.path.normpath(os.path.abspath(state_dir))).encode()
    procs = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        env = read("/proc/%s/environ" % pid, "rb")
        if env is None or mark not in env.split(b"\0"):
            continue
        stat = read("/proc/%s/stat" % pid)
        cmd = read("/proc/%s/cmdline" % pid)
        if stat is None or cmd is None:
            continue
        envd = {}
        for kv in env.split(b"\0"):
            if b"=" in kv:
                k, v = kv.split(b"=", 1)
                envd[k.decode(errors="replace")] = v.decode(errors="replace")
        classes = {"jit": 0, "gc": 0}
        threads = {}
        try:
            tids = os.listdir("/proc/%s/task" % pid)
        except OSError:
            tids = []
        for tid in tids:
            comm = (read("/proc/%s/task/%s/comm" % (pid, tid)) or "").strip()
            st = read("/proc/%s/task/%s/stat" % (pid, tid))
            if st is None:
                continue
            t = ticks(st)
            threads[tid] = {"comm": comm, "ticks": t}
            if comm.startswith("C1 Compiler") or comm.startswith("C2 Compiler"):
                classes["jit"] += t
            elif comm == "VM Thread" or comm.startswith("GC Thread"):
                classes["gc"] += t
        procs.append({"pid": int(pid), "label": label(pid, cmd, envd), "ticks": ticks(stat), "classes": classes,
                      "threads": threads, "cmd": cmd.replace("\0", " ")[:400]})
    # machine-wide ticks: user nice system idle iowait irq softirq steal (first line of /proc/stat)
    cpu = [int(x) for x in read("/proc/stat").splitlines()[0].split()[1:9]]
    return {"procs": procs, "machine": cpu}


def report(before, after, loadgen_json, loadgen_ticks, hz, system):
    mb = before.get("machine") if isinstance(before, dict) else None
    ma = after.get("machine") if isinstance(after, dict) else None
    before = before["procs"] if isinstance(before, dict) else before
    after = after["procs"] if isinstance(after, dict) else after
    b = {p["pid"]: p for p in before}
    lg = json.load(open(loadgen_json))
    n = lg["requests"]
    us = 1e6 / hz / n
    rows = []
    for p in after:
        q = b.get(p["pid"])
        if q is None:
            continue
        total = p["ticks"] - q["ticks"]
        if total == 0:
            continue
        jit = p["classes"]["jit"] - q["classes"]["jit"]
        gc = p["classes"]["gc"] - q["classes"]["gc"]
        # busiest threads (by name with digits folded)
        per = {}
        for tid, t in p["threads"].items():
            d = t["ticks"] - q["threads"].get(tid, {"ticks": 0})["ticks"]
            name = "".join("#" if c.isdigit() else c for c in t["comm"])
            per[name] = per.get(name, 0) + d
        top = sorted(per.items(), key=lambda kv: -kv[1])[:3]
        rows.append({"label": p["label"], "pid": p["pid"], "cpu_us": total * us, "jit_us": jit * us, "gc_us": gc * us,
                     "top_threads": {k: round(v * us) for k, v in top if v > 0}})
    rows.sort(key=lambda r: -r["cpu_us"])
    lg_us = loadgen_ticks * us
    total = sum(r["cpu_us"] for r in rows)
    print("system %s: %d requests in %.1f s (%.1f QPS achieved), p50 %.1f ms, p99 %.1f ms, errors %d"
          % (system, n, lg["duration_s"], lg["rate_achieved"], lg["p50_us"] / 1000, lg["p99_us"] / 1000,
             lg["errors"] + lg.get("non_2xx", 0)))
    print("%-34s %9s %8s %8s  %s" % ("process", "CPU µs/req", "JIT", "GC", "busiest threads (µs/req)"))
    for r in rows:
        print("%-34s %9.0f %8.0f %8.0f  %s" % (r["label"], r["cpu_us"], r["jit_us"], r["gc_us"],
                                               ", ".join("%s %d" % kv for kv in r["top_threads"].items())))
    print("%-34s %9.0f %8.0f %8.0f" % ("SUT total", total, sum(r["jit_us"] for r in rows),
                                       sum(r["gc_us"] for r in rows)))
    print("%-34s %9.0f   (includes its JVM start)" % ("loadgen", lg_us))
    machine = None
    if mb and ma:
        d = [x - y for x, y in zip(ma, mb)]
        busy = d[0] + d[1] + d[2] + d[5] + d[6]
        machine = {"busy_us_per_req": round(busy * us), "steal_us_per_req": round(d[7] * us),
                   "other_us_per_req": round(busy * us - total - lg_us)}
        print("%-34s %9.0f   (steal %d µs/req; busy outside the stack and loadgen %d µs/req)"
              % ("machine busy", busy * us, machine["steal_us_per_req"], machine["other_us_per_req"]))
    print(json.dumps({"system": system, "requests": n, "rate": lg["rate_target"], "p50_us": lg["p50_us"],
                      "p99_us": lg["p99_us"], "sut_cpu_us_per_req": round(total), "loadgen_cpu_us_per_req": round(lg_us), "machine": machine,
                      "processes": [{k: (round(v) if isinstance(v, float) else v) for k, v in r.items()} for r in rows]}))


if __name__ == "__main__":
    if sys.argv[1] == "snap":
        json.dump(snap(sys.argv[2]), sys.stdout)
    else:
        report(json.load(open(sys.argv[2])), json.load(open(sys.argv[3])), sys.argv[4], int(sys.argv[5]),
               int(sys.argv[6]), sys.argv[7])
