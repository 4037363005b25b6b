#!/usr/bin/env python3
"""PROTOTYPE helper: compares two sweep result dirs (OUT/results/*.json) ignoring millis and pid."""
import json, os, sys
def load(d):
    r = {}
    for f in os.listdir(os.path.join(d, "results")):
        if f.endswith(".json"):
            j = json.load(open(os.path.join(d, "results", f)))
            j.pop("millis", None); j.pop("pid", None)
            r[j["task"]] = j
    return r
a, b = load(sys.argv[1]), load(sys.argv[2])
# the second may be a subset of the first (its tasks only are compared)
diff = [k for k in sorted(set(b) if len(b) < len(a) else set(a) | set(b)) if a.get(k) != b.get(k)]
print("%d vs %d results, %d differ%s" % (len(a), len(b), len(diff), (": " + ", ".join(diff[:5])) if diff else ""))
sys.exit(1 if diff else 0)
