#!/usr/bin/env python3
"""bench/report.py RESDIR OUT.json: the one table of make bench.

Reads the section files bench/run.sh wrote into RESDIR, prints every figure
beside its baseline from the same run (with their ratio and the issue's
target, reported, never asserted), and writes everything to OUT.json.
"""
import json
import os
import sys


def load(resdir, name):
    try:
        with open(os.path.join(resdir, name + ".json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def ratio(a, b):
    if a is None or b in (None, 0):
        return None
    return round(a / b, 3)


def fmt(v, unit=""):
    if v is None:
        return "-"
    if isinstance(v, float):
        v = ("%.0f" % v) if abs(v) >= 100 else ("%.2f" % v)
    return "%s%s" % (v, unit)


def burst_figures(r, tag, edits):
    """Per service: converge seconds, events/s and fetches per event of
    the burst whose section files end in tag."""
    conv, bf = r.get("converge" + tag) or {}, r.get("burst_fetches" + tag) or {}
    out = {}
    waited = (bf.get("waited_ms") or 0) / 1000.0
    for svc in sorted(set(conv) | set(k for k in bf if isinstance(bf[k], dict) and "events" in bf[k])):
        c, f = conv.get(svc) or {}, bf.get(svc) or {}
        done = bool(c.get("converged"))
        secs = c.get("seconds") if done else None
        ev = f.get("events") or edits
        # Not converged: the rate of what it did consume while waited.
        eps = edits / secs if secs else (f.get("events") / waited if waited and f.get("events") else None)
        out[svc] = {"seconds": secs, "events_per_s": round(eps, 1) if eps else None,
                    "fetches": f.get("fetches"), "events": ev,
                    "fetches_per_event": ratio(f.get("fetches"), ev),
                    "converged": done, "waited_s": waited}
    return out


def burst_rows(r, row, tag, edits):
    """The burst's rows: each figure beside the same burst with coalescing
    off (--batch-max 1), as ratios."""
    bl = r.get("burst_load" + tag) or {}
    bf = r.get("burst_fetches" + tag) or {}
    if bl:
        row("burst: %d edits / %d stores written" % (edits, bf.get("stores") or 0),
            "%s writes/s" % fmt(bl.get("writes_per_s")), "-", None, "-", None)
    on = burst_figures(r, tag, edits)
    off = burst_figures(r, tag + "_nocoalesce", edits)
    for svc, c in on.items():
        b = off.get(svc) or {}
        fpe, bfpe = c["fetches_per_event"], b.get("fetches_per_event")
        row("burst %s: fetches/event" % svc,
            "%s (%s fetches)" % (fmt(fpe), fmt(c["fetches"])),
            "coalescing off %s (%s)" % (fmt(bfpe), fmt(b.get("fetches"))),
            ratio(fpe, bfpe), ">= 10x fewer fetches than events",
            None if fpe is None else fpe <= 0.1)
        if b and not b.get("converged"):
            # Not converged: how long the whole burst would take at its rate.
            est = edits / b["events_per_s"] if b.get("events_per_s") else None
            base = "coalescing off %s ev/s: NOT converged in %s s (all: ~%s s)" % (
                fmt(b.get("events_per_s")), fmt(b.get("waited_s")), fmt(est))
        else:
            est = b.get("seconds")
            base = "coalescing off %s s, %s ev/s" % (fmt(b.get("seconds")),
                                                      fmt(b.get("events_per_s")))
        row("burst %s: converge s, events/s" % svc,
            "%s s, %s ev/s%s" % (fmt(c["seconds"]), fmt(c["events_per_s"]),
                                 "" if c["converged"] else " (NOT converged)"),
            base, ratio(c["seconds"], est), "-", None)


def growth_rows(r, row, run):
    """How the figures grow: propagation at each rate beside the lowest
    rate, and the burst over each number of stores beside the fewest."""
    rates = [int(x) for x in str(run.get("grow_rates") or "").split()]
    base = (r.get("grow_prop_%d" % rates[0]) or {}).get("_all") if rates else None
    for rate in rates:
        a = (r.get("grow_prop_%d" % rate) or {}).get("_all")
        if not a:
            continue
        wl = r.get("grow_prop_load_%d" % rate) or {}
        row("growth: propagation @%d edits/s, every service p50/p99" % rate,
            "%s / %s ms (%s writes/s reached)" % (fmt(a.get("p50_ms")), fmt(a.get("p99_ms")),
                                                 fmt(wl.get("writes_per_s"))),
            "@%d/s %s / %s ms" % (rates[0], fmt((base or {}).get("p50_ms")),
                                  fmt((base or {}).get("p99_ms"))),
            ratio(a.get("p99_ms"), (base or {}).get("p99_ms")), "p99 <= 25 ms",
            None if a.get("p99_ms") is None else a["p99_ms"] <= 25)
    counts = sorted(int(x) for x in str(run.get("grow_stores") or "").split())
    edits = run.get("grow_burst") or 0
    figs = {n: burst_figures(r, "_grow_%d" % n, edits) for n in counts}

    def summary(f):
        if not f:
            return None, None, None
        secs = [c["seconds"] for c in f.values() if c["seconds"]]
        fpe = [c["fetches_per_event"] for c in f.values() if c["fetches_per_event"] is not None]
        return (max(secs) if secs else None, max(fpe) if fpe else None,
                all(c["converged"] for c in f.values()))
    b_secs, b_fpe, _ = summary(figs.get(counts[0]) if counts else None)
    for n in counts:
        secs, fpe, conv = summary(figs[n])
        if secs is None:
            continue
        row("growth: burst %d edits over %d stores: converge s, worst fetches/event"
            % (edits, n),
            "%s s, %s%s" % (fmt(secs), fmt(fpe), "" if conv else " (NOT converged)"),
            "%d stores %s s, %s" % (counts[0], fmt(b_secs), fmt(b_fpe)),
            ratio(secs, b_secs), "-", None)


def main(resdir, out):
    r = {n[:-5]: load(resdir, n[:-5]) for n in os.listdir(resdir) if n.endswith(".json")}
    rows = []   # figure, value, baseline, ratio, target, met

    def row(fig, val, base, rat, target, met):
        rows.append({"figure": fig, "value": val, "baseline": base, "ratio": rat,
                     "target": target, "met": met})

    prop, floor = r.get("propagation") or {}, r.get("floor") or {}
    for svc, s in sorted(prop.items()):
        if svc == "_all":
            continue
        name = "document updated" if svc == "display" else "applied"
        p99 = s.get("p99_ms")
        row("propagation ack->%s %s p50/p99 @100/s" % (name, svc),
            "%s / %s ms" % (fmt(s.get("p50_ms")), fmt(p99)),
            "floor %s / %s ms" % (fmt(floor.get("p50_ms")), fmt(floor.get("p99_ms"))),
            ratio(p99, floor.get("p99_ms")), "p99 <= 25 ms",
            None if p99 is None else p99 <= 25)
    a = prop.get("_all")
    if a:
        row("propagation every service p50/p99 (%d reactions)" % a["n"],
            "%s / %s ms" % (fmt(a.get("p50_ms")), fmt(a.get("p99_ms"))),
            "floor %s / %s ms" % (fmt(floor.get("p50_ms")), fmt(floor.get("p99_ms"))),
            ratio(a.get("p99_ms"), floor.get("p99_ms")), "p99 <= 25 ms",
            None if a.get("p99_ms") is None else a["p99_ms"] <= 25)

    run = r.get("run") or {}
    burst_rows(r, row, "", run.get("burst") or 0)

    base = r.get("wrk_bare")
    for key, fig in (("wrk_store_one", "GET /stores/{id}"),
                     ("wrk_store_ids", "GET /stores?ids= (100 ids)")):
        w = r.get(key)
        if w and base:
            row(fig + " req/s, p99",
                "%s req/s, %s ms" % (fmt(w["rps"]), fmt(w["p99_ms"])),
                "bare MHD %s req/s, %s ms" % (fmt(base["rps"]), fmt(base["p99_ms"])),
                ratio(w["rps"], base["rps"]), ">= 80% of baseline",
                w["rps"] >= 0.8 * base["rps"])
    one = r.get("wrk_store_one")
    for key, fig in (("wrk_shop_one", "GET /shops/{id}"),
                     ("wrk_shop_list", "GET /shops?area=&limit=20")):
        w = r.get(key)
        if w and one:
            tgt, met = "-", None   # the list's target: at a fixed rate, below
            row(fig + " req/s, p50/p99",
                "%s req/s, %s / %s ms" % (fmt(w["rps"]), fmt(w["p50_ms"]), fmt(w["p99_ms"])),
                "/stores/{id} %s req/s, %s / %s ms" % (fmt(one["rps"]), fmt(one["p50_ms"]),
                                                       fmt(one["p99_ms"])),
                ratio(w["rps"], one["rps"]), tgt, met)

    fl, fo = r.get("fixed_shop_list"), r.get("fixed_store_one")
    if fl:
        row("GET /shops?area=&limit=20 at %d req/s (open loop) p50/p99" % fl["rate"],
            "%s / %s ms (%d of %d answered, %d non-200)" % (
                fmt(fl["p50_ms"]), fmt(fl["p99_ms"]), fl["answered"], fl["due"],
                fl["non200"] + fl["errors"]),
            "/stores/{id} %s / %s ms" % (fmt((fo or {}).get("p50_ms")),
                                         fmt((fo or {}).get("p99_ms"))),
            ratio(fl["p99_ms"], (fo or {}).get("p99_ms")), "list p99 <= 10 ms at 1,000 req/s",
            fl["p99_ms"] <= 10 and fl["answered"] == fl["due"])

    growth_rows(r, row, run)

    tl = r.get("tail")
    if tl and tl.get("kcat_ms") and tl.get("tail_ms"):
        tr, kr = tl["events"] * 1000.0 / tl["tail_ms"], tl["events"] * 1000.0 / tl["kcat_ms"]
        rec = (tl["events"] + tl.get("tail_reactions_read", 0)) * 1000.0 / tl["tail_ms"]
        row("tail: storectl tail --quiet, %d events (+ reactions, joined)" % tl["events"],
            "%s ev/s (%s records/s)" % (fmt(tr), fmt(rec)), "kcat %s ev/s" % fmt(kr),
            ratio(tr, kr),
            ">= 50% of kcat", tr >= 0.5 * kr)
    else:
        row("tail: headless tail vs kcat", "not measured", "kcat", None,
            ">= 50% of kcat", None)
    con = r.get("console")
    if con and con.get("load"):
        i, l = con["idle"], con["load"]
        n = (con.get("feed") or {}).get("events", 0)
        row("console @%d ev/s: CPU %%" % con["rate"], "%s %%" % fmt(l["cpu_pct"]),
            "idle %s %%" % fmt(i["cpu_pct"]), None, "-", None)
        row("console: RSS after %d events (+%d reactions)" % (n, n),
            "%s MB" % fmt(l["rss_kb"] / 1024.0), "idle %s MB" % fmt(i["rss_kb"] / 1024.0),
            ratio(l["rss_kb"], i["rss_kb"]), "RSS < 50 MB", l["rss_kb"] < 50 * 1024)
        row("console: key-to-screen p50/max under load",
            "%d / %d ms" % (l["keys"]["p50_ms"], l["keys"]["max_ms"]),
            "idle %d / %d ms" % (i["keys"]["p50_ms"], i["keys"]["max_ms"]),
            ratio(l["keys"]["max_ms"], i["keys"]["max_ms"] or 1), "keys < 100 ms",
            l["keys"]["max_ms"] < 100)
    else:
        row("console at 5,000 events/s: CPU, RSS, key latency", "not measured",
            "idle console", None, "RSS < 50 MB, keys < 100 ms", None)

    idle, load_, http = r.get("rss_idle") or {}, r.get("rss_load") or {}, r.get("rss_http") or {}
    for svc in sorted(idle):
        i = idle.get(svc)
        top = max(load_.get(svc) or 0, http.get(svc) or 0)
        row("RSS %s idle / under load" % svc,
            "%s / %s MB" % (fmt(i / 1024.0), fmt(top / 1024.0)), "-",
            ratio(top, i), "< 20 MB idle", i / 1024.0 < 20)

    w1 = max(len(x["figure"]) for x in rows) if rows else 10
    w2 = max([len(x["value"]) for x in rows] + [5])
    w3 = max([len(x["baseline"]) for x in rows] + [8])
    print("\nmake bench (%s, %s CPUs, %s)" % (run.get("mode"), run.get("cpus"), run.get("at")))
    print("%-*s  %-*s  %-*s  %6s  %s" % (w1, "figure", w2, "value", w3, "baseline", "ratio", "target"))
    for x in rows:
        met = "" if x["met"] is None else (" (met)" if x["met"] else " (NOT met)")
        print("%-*s  %-*s  %-*s  %6s  %s%s" % (w1, x["figure"], w2, x["value"], w3,
                                             x["baseline"], fmt(x["ratio"]), x["target"], met))
    with open(out, "w") as f:
        json.dump({"run": run, "table": rows, "raw": r}, f, indent=1, sort_keys=True)
        f.write("\n")
    print("\nwritten: %s" % out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
