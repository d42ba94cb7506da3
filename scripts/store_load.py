#!/usr/bin/env python3
"""Writers and an RSS sampler for scripts/store-load.sh (standard library only).

  store_load.py URL STORES_FILE SECS WRITERS PID OUT_JSON

STORES_FILE holds one store id per line. WRITERS threads each loop for SECS
seconds over the same stores: GET the store, PATCH it with If-Match of the
version read. Writers race on purpose, so 412 Precondition Failed is
expected; any other status, a malformed answer or a failed connection is an
error. Every second the RSS of PID (store-svc) is sampled. OUT_JSON gets
the counts by status, the PATCH latency percentiles and the RSS samples.

The token is read from $LOAD_TOKEN (never from the command line).
"""
import http.client
import json
import os
import random
import sys
import threading
import time
import urllib.parse


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def percentile(xs, p):
    if not xs:
        return 0.0
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p / 100.0 * len(xs)))]


def writer(url, ids, deadline, seed, out):
    u = urllib.parse.urlparse(url)
    auth = {"Authorization": "Bearer " + os.environ.get("LOAD_TOKEN", "")}
    rnd = random.Random(seed)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=20)
    status = {}
    lat = []
    errors = []
    n = 0
    while time.monotonic() < deadline:
        sid = rnd.choice(ids)
        try:
            conn.request("GET", "/stores/%d" % sid, headers=auth)
            r = conn.getresponse()
            body = r.read()
            status["GET %d" % r.status] = status.get("GET %d" % r.status, 0) + 1
            if r.status != 200:
                errors.append("GET /stores/%d answered %d" % (sid, r.status))
                continue
            version = json.loads(body)["version"]
            n += 1
            patch = json.dumps({"description": "load %d-%d" % (seed, n),
                                "delivery_fee": rnd.randrange(0, 5000, 100)})
            h = dict(auth)
            h["Content-Type"] = "application/merge-patch+json"
            h["If-Match"] = '"%d"' % version
            t0 = time.monotonic()
            conn.request("PATCH", "/stores/%d" % sid, patch, headers=h)
            r = conn.getresponse()
            r.read()
            lat.append((time.monotonic() - t0) * 1000.0)
            key = "PATCH %d" % r.status
            status[key] = status.get(key, 0) + 1
            if r.status not in (200, 412):
                errors.append("PATCH /stores/%d answered %d" % (sid, r.status))
        except (OSError, http.client.HTTPException, ValueError) as e:
            errors.append("%s: %s" % (type(e).__name__, e))
            conn.close()
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=20)
    out.append({"status": status, "lat": lat, "errors": errors})


def main():
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    url, stores_file, secs, writers, pid, out_path = sys.argv[1:]
    secs, writers, pid = float(secs), int(writers), int(pid)
    with open(stores_file) as f:
        ids = [int(line) for line in f if line.strip()]
    deadline = time.monotonic() + secs
    results = []
    threads = [threading.Thread(target=writer, args=(url, ids, deadline, k, results))
               for k in range(writers)]
    for t in threads:
        t.start()
    rss = []
    while time.monotonic() < deadline:
        rss.append(rss_kib(pid))
        time.sleep(1.0)
    for t in threads:
        t.join()
    rss.append(rss_kib(pid))
    status = {}
    lat = []
    errors = []
    for r in results:
        for k, v in r["status"].items():
            status[k] = status.get(k, 0) + v
        lat += r["lat"]
        errors += r["errors"]
    with open(out_path, "w") as f:
        json.dump({"status": status, "patches": len(lat),
                   "patch_p50_ms": round(percentile(lat, 50), 2),
                   "patch_p99_ms": round(percentile(lat, 99), 2),
                   "errors": errors[:20], "error_count": len(errors),
                   "rss_kib": rss}, f)


if __name__ == "__main__":
    main()
