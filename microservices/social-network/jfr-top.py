#!/usr/bin/env python3
"""Top frames of a JFR recording's jdk.ExecutionSample events (helper of profile-stack.sh).

  jfr-top.py FILE.jfr [N] [FILTER]   -> samples; N hottest top frames (self); N hottest methods inclusive;
                                        FILTER (a substring): inclusive counts only of frames containing it
"""
import collections
import json
import subprocess
import sys

f = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
flt = sys.argv[3] if len(sys.argv) > 3 else None
out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "96", "--events", "jdk.ExecutionSample", f],
                     capture_output=True, text=True).stdout
events = json.loads(out)["recording"]["events"]
self_c, incl = collections.Counter(), collections.Counter()
threads = collections.Counter()
for e in events:
    fr = e["values"]["stackTrace"]["frames"] if e["values"].get("stackTrace") else []
    names = []
    for x in fr:
        m = x["method"]
        names.append(m["type"]["name"] + "." + m["name"])
    if names:
        self_c[names[0]] += 1
    for nm in set(names):
        if flt is None or flt in nm:
            incl[nm] += 1
    threads[(e["values"].get("sampledThread") or {}).get("javaName", "?")] += 1
total = len(events)
print("%s: %d samples" % (f, total))
print("-- threads:", ", ".join("%s %d%%" % (k, 100 * v // max(total, 1)) for k, v in threads.most_common(5)))
print("-- self")
for k, v in self_c.most_common(n):
    print("%5.1f%% %s" % (100.0 * v / total, k))
print("-- inclusive")
for k, v in incl.most_common(n):
    print("%5.1f%% %s" % (100.0 * v / total, k))
