#!/usr/bin/env python3
"""Load generator and analysis for bench/run.sh (standard library only).

  load.py seed URL N OUT            create N stores; OUT: "id version" lines
  load.py edits URL STORES RATE COUNT ACKS [THREADS]
                                    COUNT merge patches over the stores in
                                    STORES (round robin), at RATE per second
                                    (0 = as fast as THREADS connections go);
                                    ACKS: one JSON line per acknowledged write
                                    {"id","version","ack_ms"} (wall clock)
  load.py propagation ACKS REACTIONS    JSON: per service p50/p99 of
                                    ack -> applied and the reactions' lag_ms
  load.py converge STORES_FINAL REACTIONS START_MS
                                    JSON: per service, the time from START_MS
                                    until its reactions reached every store's
                                    final version, and events/s

  load.py floor URL STORE_ID BROKERS N
                                    the floor of the propagation path, N
                                    times: one PATCH, its event consumed off
                                    store.events by kcat (fetch.wait.max.ms=5),
                                    one GET; JSON p50/p99

The token is read from $BENCH_TOKEN (never from the command line).
"""
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse
from datetime import datetime


def conn_of(url):
    u = urllib.parse.urlparse(url)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=30)


def headers(extra=None):
    h = {"Authorization": "Bearer " + os.environ.get("BENCH_TOKEN", "")}
    if extra:
        h.update(extra)
    return h


def seed(url, n, out):
    ids = []
    lock = threading.Lock()
    nthreads = 4

    def work(k):
        c = conn_of(url)
        for i in range(k, n, nthreads):
            body = json.dumps({"owner": "owner-1", "name": "bench store %d" % i,
                               "category": "korean", "area": "area-%d" % (i % 7),
                               "menu": [{"name": "kimbap", "price": 4500}]})
            c.request("POST", "/stores", body, headers({"Content-Type": "application/json"}))
            r = c.getresponse()
            data = r.read()
            if r.status != 201:
                sys.exit("seed: POST /stores answered %d: %s" % (r.status, data[:200]))
            s = json.loads(data)
            with lock:
                ids.append((s["id"], s["version"]))

    ts = [threading.Thread(target=work, args=(k,)) for k in range(nthreads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if len(ids) != n:
        sys.exit("seed: %d of %d stores created" % (len(ids), n))
    with open(out, "w") as f:
        for i, v in sorted(ids):
            f.write("%d %d\n" % (i, v))


def read_stores(path):
    out = []
    with open(path) as f:
        for line in f:
            i, v = line.split()
            out.append([int(i), int(v)])
    return out


def edits(url, stores_path, rate, count, acks_path, nthreads):
    stores = read_stores(stores_path)
    nthreads = max(1, min(nthreads, len(stores)))
    # Each thread owns a disjoint set of stores, so If-Match never races.
    own = [stores[k::nthreads] for k in range(nthreads)]
    per = [count // nthreads + (1 if k < count % nthreads else 0) for k in range(nthreads)]
    acks = [[] for _ in range(nthreads)]
    errors = [0] * nthreads
    t0 = time.monotonic()

    def work(k):
        c = conn_of(url)
        mine = own[k]
        interval = nthreads / rate if rate > 0 else 0
        for j in range(per[k]):
            if interval:
                due = t0 + (k / max(rate, 1)) + j * interval
                d = due - time.monotonic()
                if d > 0:
                    time.sleep(d)
            s = mine[j % len(mine)]
            n = s[1] + 1
            body = json.dumps({"name": "bench store %d r%d" % (s[0], n),
                               "area": "area-%d" % (n % 7)})
            c.request("PATCH", "/stores/%d" % s[0], body,
                      headers({"Content-Type": "application/merge-patch+json",
                               "If-Match": '"%d"' % s[1]}))
            r = c.getresponse()
            data = r.read()
            ack = time.time() * 1000.0
            if r.status != 200:
                errors[k] += 1
                if errors[k] < 3:
                    print("edits: PATCH %d answered %d: %s" % (s[0], r.status, data[:200]),
                          file=sys.stderr)
                # Learn the version again and go on.
                c.request("GET", "/stores/%d" % s[0], headers=headers())
                g = c.getresponse()
                gd = g.read()
                if g.status == 200:
                    s[1] = json.loads(gd)["version"]
                continue
            s[1] = int(r.getheader("ETag").strip('"'))
            acks[k].append((s[0], s[1], ack))

    ts = [threading.Thread(target=work, args=(k,)) for k in range(nthreads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    took = time.monotonic() - t0
    with open(acks_path, "w") as f:
        for a in acks:
            for i, v, ms in a:
                f.write('{"id":%d,"version":%d,"ack_ms":%.3f}\n' % (i, v, ms))
    final = {}
    for a in own:
        for i, v in a:
            final[i] = v
    with open(stores_path + ".final", "w") as f:
        for i in sorted(final):
            f.write("%d %d\n" % (i, final[i]))
    n = sum(len(a) for a in acks)
    print(json.dumps({"sent": n, "errors": sum(errors), "seconds": round(took, 3),
                      "writes_per_s": round(n / took, 1) if took else 0}))


def iso_ms(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000.0


def pct(xs, p):
    if not xs:
        return None
    xs = sorted(xs)
    k = min(len(xs) - 1, max(0, int(round(p / 100.0 * len(xs) + 0.5)) - 1))
    return round(xs[k], 2)


def read_reactions(path):
    out = []
    with open(path, errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                r = json.loads(line)
            except ValueError:
                continue
            if r.get("source") not in (None, "", "store.events"):
                continue
            out.append(r)
    return out


def propagation(acks_path, reactions_path):
    acks = {}
    with open(acks_path) as f:
        for line in f:
            a = json.loads(line)
            acks[(a["id"], a["version"])] = a["ack_ms"]
    per = {}
    for r in read_reactions(reactions_path):
        key = (r["store_id"], r["event_version"])
        if key not in acks:
            continue
        s = per.setdefault(r["service"], {"ack": [], "lag": []})
        s["ack"].append(iso_ms(r["at"]) - acks[key])
        s["lag"].append(r.get("lag_ms") or 0)
    out = {}
    for name, s in sorted(per.items()):
        out[name] = {"n": len(s["ack"]), "p50_ms": pct(s["ack"], 50),
                     "p99_ms": pct(s["ack"], 99), "lag_p50_ms": pct(s["lag"], 50),
                     "lag_p99_ms": pct(s["lag"], 99)}
    allv = [x for s in per.values() for x in s["ack"]]
    out["_all"] = {"n": len(allv), "p50_ms": pct(allv, 50), "p99_ms": pct(allv, 99),
                   "writes": len(acks)}
    print(json.dumps(out))


def converge(final_path, reactions_path, start_ms):
    final = dict((i, v) for i, v in read_stores(final_path))
    reached = {}   # service -> {store: at_ms when final version reached}
    events = {}
    for r in read_reactions(reactions_path):
        sid = r["store_id"]
        if sid not in final:
            continue
        svc = r["service"]
        events[svc] = events.get(svc, 0) + int(r.get("coalesced") or 1)
        if r["event_version"] >= final[sid] and r.get("action") != "failed":
            d = reached.setdefault(svc, {})
            if sid not in d:
                d[sid] = iso_ms(r["at"])
    out = {}
    for svc, d in sorted(reached.items()):
        done = len(d) == len(final)
        t = (max(d.values()) - start_ms) / 1000.0 if d else None
        out[svc] = {"converged": done, "stores_reached": len(d),
                    "seconds": round(t, 3) if t else None,
                    "events_in_reactions": events.get(svc, 0)}
    print(json.dumps(out))


def floor(url, sid, brokers, n):
    """The floor of the propagation path, measured through the product's
    own produce: PATCH acknowledged, the event read off store.events by a
    bare kcat consumer (fetch.wait.max.ms=5), then one GET of the store.
    (A separate kcat producer cannot be used: kcat -P reads its stdin in
    blocks, so a record waits for the pipe to close.)"""
    import queue
    import subprocess
    cons = subprocess.Popen(["kcat", "-C", "-u", "-q", "-b", brokers, "-t", "store.events",
                             "-o", "end", "-f", "%s\n", "-X", "fetch.wait.max.ms=5"],
                            stdout=subprocess.PIPE, text=True, bufsize=1)
    lines = queue.Queue()

    def reader():
        for ln in cons.stdout:
            lines.put(ln)
    threading.Thread(target=reader, daemon=True).start()

    def wait_for(want, secs):
        end = time.monotonic() + secs
        while time.monotonic() < end:
            try:
                ln = lines.get(timeout=max(0.01, end - time.monotonic()))
            except queue.Empty:
                return False
            try:
                e = json.loads(ln)
            except ValueError:
                continue
            if e.get("store_id") == sid and e.get("version") == want:
                return True
        return False

    c = conn_of(url)
    c.request("GET", "/stores/%d" % sid, headers=headers())
    r = c.getresponse()
    ver = json.loads(r.read())["version"]
    total, w, pc, rd = [], [], [], []
    time.sleep(2)   # the consumer holds its partitions
    for i in range(n + 5):
        t0 = time.monotonic()
        c.request("PATCH", "/stores/%d" % sid, json.dumps({"name": "floor %d" % i}),
                  headers({"Content-Type": "application/merge-patch+json",
                           "If-Match": '"%d"' % ver}))
        r = c.getresponse()
        r.read()
        ver = int(r.getheader("ETag").strip('"'))
        t1 = time.monotonic()
        if not wait_for(ver, 5):
            continue
        t2 = time.monotonic()
        c.request("GET", "/stores/%d" % sid, headers=headers())
        r = c.getresponse()
        r.read()
        t3 = time.monotonic()
        if i < 5:
            continue   # warm-up
        total.append((t3 - t0) * 1000)
        w.append((t1 - t0) * 1000)
        pc.append((t2 - t1) * 1000)
        rd.append((t3 - t2) * 1000)
    cons.terminate()
    cons.wait()
    print(json.dumps({"n": len(total), "p50_ms": pct(total, 50), "p99_ms": pct(total, 99),
                      "write_p50_ms": pct(w, 50), "produce_consume_p50_ms": pct(pc, 50),
                      "produce_consume_p99_ms": pct(pc, 99), "read_p50_ms": pct(rd, 50)}))


def main(a):
    if len(a) < 2:
        sys.exit(__doc__)
    cmd = a[1]
    if cmd == "seed":
        seed(a[2], int(a[3]), a[4])
    elif cmd == "edits":
        edits(a[2], a[3], float(a[4]), int(a[5]), a[6], int(a[7]) if len(a) > 7 else 1)
    elif cmd == "propagation":
        propagation(a[2], a[3])
    elif cmd == "converge":
        converge(a[2], a[3], float(a[4]))
    elif cmd == "floor":
        floor(a[2], int(a[3]), a[4], int(a[5]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
