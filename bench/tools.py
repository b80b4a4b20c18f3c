#!/usr/bin/env python3
"""Helpers for bench/run.sh: parse wrk output, probe latency, a blackhole listener, time Liberty's
startup, and write docs/performance.md from bench/results/cases.jsonl. Standard library only."""
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers"))

RESULTS = os.environ.get("BENCH_RESULTS", os.path.join(os.path.dirname(__file__), "results"))
CASES = os.path.join(RESULTS, "cases.jsonl")
KEYS = os.path.join(RESULTS, "keys.jsonl")
IDS_JMH = os.path.join(RESULTS, "ids-jmh.json")
CLUSTER = os.path.join(RESULTS, "cluster.jsonl")
OBSERVABILITY = os.path.join(RESULTS, "observability.jsonl")
SNOWFLAKE_CEILING = 4096 * 1000  # ids a second one node can make: 4,096 a millisecond


def keys_start(command):
    """Starts keys.jsonl (KeyInserts appends to it) with the command, the time and the load average."""
    with open(KEYS, "w") as out:
        out.write(json.dumps(dict(kind="start", command=command, at=time.time(),
                                  load=" ".join(open("/proc/loadavg").read().split()[:3]))) + "\n")


def cluster_start(command):
    """Starts cluster.jsonl (ClusterKeys appends to it) with the command, the time and the load average."""
    with open(CLUSTER, "w") as out:
        out.write(json.dumps(dict(kind="start", command=command, at=time.time(),
                                  load=" ".join(open("/proc/loadavg").read().split()[:3]))) + "\n")


def cluster_rows():
    return [json.loads(line) for line in open(CLUSTER)] if os.path.exists(CLUSTER) else []


def cluster_report(w):
    """The section on RedisKeys in a Redis Cluster: each case against its baseline of the same run."""
    rows = cluster_rows()
    start = next((r for r in rows if r["kind"] == "start"), None)
    w("## Redis Cluster (in process: `ClusterKeys`, a private three-primary cluster, no replicas)")
    w("")
    if start:
        w("Measured by `%s` on %s (load average when it began: %s), Redis %s; run only these cases with" % (
            start["command"], time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(start["at"])), start["load"],
            word(version(["redis-server", "--version"]), 2).replace("v=", "")))
        w("`bench/run.sh --only cluster`. Each round runs the case and its baseline in turn (the order")
        w("alternating), on the same cluster, through the same `RedisClusterClient`. Ratio: case time over")
        w("baseline time, below 1x the case is faster.")
        w("")
    deletes = [r for r in rows if r["kind"] == "cluster-delete"]
    mgets = [r for r in rows if r["kind"] == "cluster-mget"]
    if deletes or mgets:
        w("| Case | Baseline | Case ms (median) | Baseline ms (median) | Ratio (rounds) |")
        w("|---|---|---|---|---|")

    def row(found, case, base, title_case, title_base, digits):
        ours = {r["round"]: r["ms"] for r in found if r["method"] == case}
        theirs = {r["round"]: r["ms"] for r in found if r["method"] == base}
        common = sorted(k for k in ours if k in theirs)
        if common:
            ratios = [ours[k] / theirs[k] for k in common]
            w("| %s | %s | %.*f | %.*f | **%.2fx** (%s) |" % (
                title_case, title_base, digits, median(list(ours.values())), digits, median(list(theirs.values())),
                median(ratios), ", ".join("%.2f" % x for x in ratios)))

    if deletes:
        row(deletes, "dblayer", "shell", "`deleteByPrefix(\"p\")`, %s keys `p:*` over all slots" %
            "{:,}".format(deletes[0]["keys"]), "on each primary at once: `redis-cli --scan --pattern 'p:*'` piped"
            " (as RESP, by `awk`) into `redis-cli --pipe` of single-key UNLINKs", 0)
    if mgets:
        row(mgets, "dblayer", "get", "`mgetBatched`, %s keys over the slots, ms a call" %
            "{:,}".format(mgets[0]["keys"]), "a GET per key (`RedisClusterClient.get`)", 2)
    if deletes or mgets:
        w("")
        w("The shell baseline cannot be `xargs redis-cli unlink` as on one server: a cluster refuses an UNLINK of")
        w("keys in different slots (CROSSSLOT). Filling (`redis-cli --pipe` of SETs, per primary) is not timed;")
        w("every deletion is checked (all keys gone on every primary). mget: %s calls a round after as many" % (
            mgets[0]["calls"] if mgets else "?"))
        w("untimed ones. Raw results: `bench/results/cluster.jsonl`, `cluster-log.txt`.")
        w("")


def check_cluster():
    """The Redis Cluster cases that produced no number."""
    rows = cluster_rows()
    return [(kind, method) for kind, methods in (("cluster-delete", ("dblayer", "shell")),
                                                 ("cluster-mget", ("dblayer", "get")))
            for method in methods if not any(r["kind"] == kind and r["method"] == method for r in rows)]


def keys_rows():
    return [json.loads(line) for line in open(KEYS)] if os.path.exists(KEYS) else []


INSERT_SETUPS = [("postgresql", "off"), ("postgresql", "jdbc"), ("mysql", "off"), ("mysql", "jdbc"),
                 ("mysql", "jdbc-rewrite")]
BATCH_TITLES = {"off": "off", "jdbc": "JDBC (size 100)",
                "jdbc-rewrite": "JDBC (size 100) + Connector/J `rewriteBatchedStatements=true`"}


def keys_report(w):
    """The section on snowflake ids: ids a second against UUIDs, inserts against identity ids."""
    rows = keys_rows()
    start = next((r for r in rows if r["kind"] == "start"), None)
    w("## Ids and primary keys (in process: JMH `IdsBenchmark`, and `KeyInserts` through dblayer's `Database`)")
    w("")
    if start:
        w("Measured by `%s` on %s (load average when it began: %s), EclipseLink 4.0.7, PostgreSQL %s and" % (
              start["command"], time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(start["at"])), start["load"],
              word(version(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "show server_version"]), 0)))
        w("MariaDB %s on loopback; run only these cases with `bench/run.sh --only keys` (about 5 minutes)." %
          version(["mysql", "-h", "127.0.0.1", "-u", "root", "-N", "-e", "SELECT VERSION()"]))
        w("")
    if os.path.exists(IDS_JMH):
        scores = {}
        for b in json.load(open(IDS_JMH)):
            raw = [x for fork in b["primaryMetric"]["rawData"] for x in fork]
            scores[b["benchmark"].rsplit(".", 1)[1]] = median(raw)
        w("Ids a second (JMH throughput, median of the iterations; with 16 threads, the sum over the threads,")
        w("all sharing one generator or `UUID`'s one `SecureRandom`, on this machine's %d cores):" % os.cpu_count())
        w("")
        w("| Generator | 1 thread | 16 threads | 16 threads / 1 thread |")
        w("|---|---|---|---|")
        for name, title in (("snowflake", "`Snowflake.withFixedNode(31, 31).next()`"),
                            ("uuid", "`UUID.randomUUID()`"),
                            ("uuidString", "`UUID.randomUUID().toString()` (what `Uuids` stores)")):
            one, many = scores.get(name + "1"), scores.get(name + "16")
            if one and many:
                w("| %s | %s | %s | %.2fx |" % (title, "{:,.0f}".format(one), "{:,.0f}".format(many), many / one))
        w("")
        w("| Ratio | 1 thread | 16 threads |")
        w("|---|---|---|")
        for base, title in (("uuid", "snowflake / `UUID.randomUUID()`"),
                            ("uuidString", "snowflake / `UUID.randomUUID().toString()`")):
            if all(k in scores for k in ("snowflake1", "snowflake16", base + "1", base + "16")):
                w("| %s (ids a second) | **%.2fx** | **%.2fx** |" % (
                    title, scores["snowflake1"] / scores[base + "1"], scores["snowflake16"] / scores[base + "16"]))
        if "snowflake1" in scores and "snowflake16" in scores:
            w("")
            w("One node's ceiling is 4,096 ids a millisecond (4.1 M/s; the 4,097th waits for the next"
              " millisecond): one thread reached %.0f%% of it, 16 threads %.0f%%." % (
                  100 * scores["snowflake1"] / SNOWFLAKE_CEILING, 100 * scores["snowflake16"] / SNOWFLAKE_CEILING))
        w("")
    inserts = [r for r in rows if r["kind"] == "insert"]
    trips = {(r["database"], r["batch"], r["mode"]): r for r in rows if r["kind"] == "roundtrips"}
    if inserts:
        n, chunk = inserts[0]["rows"], inserts[0]["chunk"]
        rounds = sorted({r["round"] for r in inserts})
        w("Inserting %s rows (`em.persist` of a new entity, id `@GeneratedValue(generator = PrimaryKeys.GENERATOR)`)" %
          "{:,}".format(n))
        w("in transactions of %d rows, an EntityManager each, as an import job would; dblayer's `Database` with" % chunk)
        w("its pool and session setup, `database.pk-mode` `autoincrement` (identity column) or `snowflake`, the")
        w("table dropped and created before each timed run and warmed up with untimed rows; %d interleaved" % len(rounds))
        w("round(s) (every setup in turn). Time ratio: below 1x, snowflake ids are faster.")
        w("")
        w("| Database | Batch writing | Identity ms (median) | Snowflake ms (median) | Snowflake / identity (rounds) |"
          " Snowflake / identity with batch writing off | Round trips a row: identity, snowflake |")
        w("|---|---|---|---|---|---|---|")

        def times(database, batch, mode):
            return {r["round"]: r["ms"] for r in inserts
                    if (r["database"], r["batch"], r["mode"]) == (database, batch, mode)}

        for database, batch in INSERT_SETUPS:
            ident, snow = times(database, batch, "autoincrement"), times(database, batch, "snowflake")
            plain = times(database, "off", "autoincrement")
            common = [k for k in rounds if k in ident and k in snow]
            if not common:
                continue
            ratios = [snow[k] / ident[k] for k in common]
            against_plain = [snow[k] / plain[k] for k in common if k in plain]
            trip = [trips.get((database, batch, m)) for m in ("autoincrement", "snowflake")]
            w("| %s | %s | %.0f | %.0f | **%.2fx** (%s) | %.2fx | %s |" % (
                "PostgreSQL" if database == "postgresql" else "MariaDB", BATCH_TITLES[batch],
                median(list(ident.values())), median(list(snow.values())), median(ratios),
                ", ".join("%.2f" % x for x in ratios), median(against_plain),
                ", ".join("%.2f" % (t["trips"] / t["rows"]) if t else "?" for t in trip)))
        w("")
        count = next(iter(trips.values()), None)
        if count:
            w("Round trips: a separate, untimed pass of %s rows per setup through a loopback relay that counts the"
              % "{:,}".format(count["rows"]))
            w("times the database answered after the client had sent (`RoundTrips`), commits included.")
            w("")
        w("Raw results: `bench/results/keys.jsonl`, `keys-log.txt`, `ids-jmh.json`.")
        w("")



def obs_record(**fields):
    with open(OBSERVABILITY, "a") as out:
        out.write(json.dumps(fields) + "\n")


def obs_start(command, servers):
    """Starts observability.jsonl with the command, the time, the load average and the configurations
    (run.sh's OBS_SERVERS: name:port:DBLAYER_METRICS_ENABLED:DBLAYER_TRACING_ENABLED:OTEL_SDK_DISABLED ...)."""
    with open(OBSERVABILITY, "w") as out:
        out.write(json.dumps(dict(kind="start", command=command, at=time.time(),
                                  load=" ".join(open("/proc/loadavg").read().split()[:3]),
                                  servers=servers.split(), duration=os.environ.get("BENCH_DURATION", "?"))) + "\n")


def obs_verify(name, url, messages_log):
    """Fails unless the server is the configuration its name says: dblayer's pool metrics on /metrics
    exactly with metrics on (obs-metrics, obs-all), dblayer's spans exactly in obs-all."""
    with urllib.request.urlopen(url + "/metrics", timeout=30) as response:
        text = response.read().decode()
    metered = "db_client_connection_count" in text
    with open(messages_log, errors="replace") as log:
        traced = "dblayer: spans of transactions" in log.read()
    want_metered, want_traced = name in ("obs-metrics", "obs-all"), name == "obs-all"
    if (metered, traced) != (want_metered, want_traced):
        sys.exit("bench: %s is not what it should be: dblayer's metrics on /metrics %s (want %s), "
                 "dblayer's spans %s (want %s); see %s" % (name, metered, want_metered, traced, want_traced,
                                                           messages_log))
    obs_record(kind="verified", server=name, metered=metered, traced=traced, metrics_bytes=len(text))


def cpu_ticks(pid):
    """Prints the CPU time the process has used, user and system, in clock ticks (/proc/PID/stat)."""
    fields = open("/proc/%s/stat" % pid).read().rsplit(")", 1)[1].split()
    print(int(fields[11]) + int(fields[12]))


def obs_wrk(server, endpoint, round_no, pid, ticks_before):
    """Reads wrk's --latency output on stdin and records one observability row, with the server's
    CPU milliseconds a request since ticks_before (cpu_ticks when wrk began)."""
    text = sys.stdin.read()
    fields = open("/proc/%s/stat" % pid).read().rsplit(")", 1)[1].split()
    cpu_ms = (int(fields[11]) + int(fields[12]) - int(ticks_before)) * 1000.0 / os.sysconf("SC_CLK_TCK")
    total = int(re.search(r"(\d+) requests in", text).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", text, re.M))
    obs_record(kind="wrk", server=server, endpoint=endpoint, round=int(round_no),
               rps=float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)), requests=total,
               cpu_us_per_request=cpu_ms * 1000 / total if total else None,
               non2xx=int(non2xx.group(1)) if non2xx else 0,
               socket_errors=sum(map(int, errors.groups())) if errors else 0,
               p50_ms=to_ms(lat["50"]), p99_ms=to_ms(lat["99"]))


OBS_TITLES = {"obs-off": "off: dblayer's metrics off, OpenTelemetry SDK off",
              "obs-metrics": "metrics: dblayer's metrics through MicroProfile Metrics",
              "obs-spans": "server spans: OpenTelemetry SDK on, dblayer's metrics and spans off",
              "obs-all": "all: metrics through MicroProfile Metrics and OpenTelemetry, server and dblayer spans"}
# (case, baseline, goal on the ratio or None, what the ratio says)
OBS_PAIRS = [("obs-metrics", "obs-off", 0.98, "dblayer's metrics"),
             ("obs-spans", "obs-off", None, "Liberty's own spans (mpTelemetry-2.0)"),
             ("obs-all", "obs-spans", None, "dblayer's spans and OpenTelemetry metrics, beyond Liberty's spans"),
             ("obs-all", "obs-off", None, "everything on")]


def observability_report(w):
    """The section on what metrics and tracing cost: each configuration against its baseline, round by round."""
    rows = [json.loads(line) for line in open(OBSERVABILITY)] if os.path.exists(OBSERVABILITY) else []
    start = next((r for r in rows if r["kind"] == "start"), None)
    w("## Metrics and tracing (wrk against four Open Liberty servers at once)")
    w("")
    if not start:
        w("Not measured yet: `bench/run.sh --only observability`.")
        w("")
        return
    w("Measured by `%s` on %s (load average when it began: %s); run only these cases with" % (
        start["command"], time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(start["at"])), start["load"]))
    w("`bench/run.sh --only observability`. Four copies of the bench server, the same features")
    w("(the bench's plus `mpMetrics-5.1` and `mpTelemetry-2.0`) and the same WAR, differ only in `server.env`:")
    w("")
    for name in OBS_TITLES:
        w("- `%s`: %s" % (name, OBS_TITLES[name]))
    w("")
    w("All four run at once, each warmed up; then each round runs `wrk -t2 -c16 -d%s` on `GET /api/read/module`" %
      start.get("duration", os.environ.get("BENCH_DURATION", "?")))
    w("and `POST /api/write/module` of each server in turn, the order rotating from round to round. While a")
    w("server is measured, `/metrics` is scraped once a second (every server: the scrape itself is part of")
    w("the baseline, what dblayer adds to it is not). Spans are made and dropped (`OTEL_TRACES_EXPORTER=none`):")
    w("an exporter's network and serialisation cost is not in these numbers.")
    w("")
    wrk_rows = [r for r in rows if r["kind"] == "wrk"]

    def per_round(field, server, endpoint):
        return {r["round"]: r[field] for r in wrk_rows
                if r["server"] == server and r["endpoint"] == endpoint and r.get(field)}

    def pairs(field):
        """(endpoint, case, baseline, goal, text, case values, baseline values, per-round ratios) of each pair."""
        for endpoint in ("read", "write"):
            for case, base, goal, text in OBS_PAIRS:
                c, b = per_round(field, case, endpoint), per_round(field, base, endpoint)
                ratios = [c[k] / b[k] for k in sorted(c) if k in b]
                if ratios:
                    yield endpoint, case, base, goal, text, list(c.values()), list(b.values()), ratios

    w("| Endpoint | Case | Baseline | Case req/s (median) | Baseline req/s (median) | Ratio (median of per-round ratios) | Goal | Met |")
    w("|---|---|---|---|---|---|---|---|")
    for endpoint, case, base, goal, text, c, b, ratios in pairs("rps"):
        r = median(ratios)
        w("| %s | `%s` (%s) | `%s` | %.0f | %.0f | %.2fx (rounds: %s) | %s | %s |" % (
            endpoint, case, text, base, median(c), median(b), r, ", ".join("%.2f" % x for x in ratios),
            "-" if goal is None else ">= %.2fx" % goal, "-" if goal is None else "yes" if r >= goal else "**no**"))
    w("")
    w("The server's CPU time a request (its JVM's user + system time over the wrk run, divided by the")
    w("requests answered; it includes the `/metrics` scrapes and the JVM's own background work). Ratio:")
    w("case over baseline, below 1x the case costs less; median of per-round ratios:")
    w("")
    w("| Endpoint | Case | Baseline | Case µs CPU a request (median) | Baseline µs (median) | Ratio (rounds) |")
    w("|---|---|---|---|---|---|")
    for endpoint, case, base, _, text, c, b, ratios in pairs("cpu_us_per_request"):
        w("| %s | `%s` (%s) | `%s` | %.0f | %.0f | %.2fx (%s) |" % (
            endpoint, case, text, base, median(c), median(b), median(ratios), ", ".join("%.2f" % x for x in ratios)))
    w("")
    w("Latency (median over rounds of wrk's p50 / p99, ms) and errors:")
    w("")
    w("| Server | read p50 | read p99 | write p50 | write p99 | non-2xx | socket errors |")
    w("|---|---|---|---|---|---|---|")
    for name in OBS_TITLES:
        sel = {e: [r for r in wrk_rows if r["server"] == name and r["endpoint"] == e] for e in ("read", "write")}
        if not sel["read"] and not sel["write"]:
            continue
        every = sel["read"] + sel["write"]
        w("| `%s` | %.2f | %.2f | %.2f | %.2f | %d | %d |" % (
            name, median([r["p50_ms"] for r in sel["read"]]), median([r["p99_ms"] for r in sel["read"]]),
            median([r["p50_ms"] for r in sel["write"]]), median([r["p99_ms"] for r in sel["write"]]),
            sum(r["non2xx"] for r in every), sum(r["socket_errors"] for r in every)))
    verified = [r for r in rows if r["kind"] == "verified"]
    if verified:
        w("")
        w("Before measuring, each server was checked to be what its name says (dblayer's pool on `/metrics`,")
        w("dblayer's spans announced in messages.log): %s." % ", ".join(
            "`%s` metrics %s, spans %s, /metrics %d bytes" % (r["server"], "on" if r["metered"] else "off",
                                                            "on" if r["traced"] else "off", r["metrics_bytes"])
            for r in verified))
    w("")
    w("Raw results: `bench/results/observability.jsonl`, `observability-wrk.txt`.")
    w("")


def check_observability():
    """The observability cases that produced no number."""
    rows = [json.loads(line) for line in open(OBSERVABILITY)] if os.path.exists(OBSERVABILITY) else []
    return [("observability", name, endpoint) for name in OBS_TITLES for endpoint in ("read", "write")
            if not any(r["kind"] == "wrk" and r["server"] == name and r["endpoint"] == endpoint for r in rows)]


def record(**fields):
    with open(CASES, "a") as out:
        out.write(json.dumps(fields) + "\n")


def to_ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk_numbers(text):
    """What wrk's --latency output says: req/s, requests, non-2xx answers, socket errors, latencies."""
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", text, re.M))
    maxlat = re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", text)
    return dict(rps=float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
                requests=int(re.search(r"(\d+) requests in", text).group(1)),
                non2xx=int(non2xx.group(1)) if non2xx else 0,
                socket_errors=sum(map(int, errors.groups())) if errors else 0,
                timeouts=int(errors.group(4)) if errors else 0,
                p50_ms=to_ms(lat["50"]), p99_ms=to_ms(lat["99"]), max_ms=to_ms(maxlat.group(1)))


def wrk(case, round_no, concurrency):
    """Reads wrk's --latency output on stdin and records one row."""
    record(kind="wrk", case=case, round=int(round_no), concurrency=int(concurrency), **wrk_numbers(sys.stdin.read()))


def get(url, timeout=30):
    """(status, milliseconds) of one GET on a new connection, as a Kubernetes probe makes it."""
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as e:
        e.read()
        status = e.code
    except OSError as e:
        status = "error: %s" % e
    return status, (time.perf_counter() - start) * 1000


def probe(case, url, count):
    """Probes url count times, one after the other; records p50, p99, max and the statuses."""
    times, statuses = [], {}
    for _ in range(int(count)):
        status, ms = get(url)
        times.append(ms)
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    times.sort()
    record(kind="probe", case=case, count=len(times), p50_ms=pct(times, 50), p99_ms=pct(times, 99),
           max_ms=times[-1], statuses=statuses)


def probe_pair(count, ready_url, live_url, warmup="0"):
    """Alternates /health/ready and its baseline /health/live (no checks), one GET each per step,
    after warmup unrecorded pairs (the JIT compiles the health path, as wrk's warm-up does the rest)."""
    for _ in range(int(warmup)):
        get(ready_url)
        get(live_url)
    times = {"healthy": [], "live": []}
    statuses = {"healthy": {}, "live": {}}
    for _ in range(int(count)):
        for case, url in (("healthy", ready_url), ("live", live_url)):
            status, ms = get(url)
            times[case].append(ms)
            statuses[case][str(status)] = statuses[case].get(str(status), 0) + 1
    for case, values in times.items():
        values.sort()
        record(kind="probe", case=case, count=len(values), p50_ms=pct(values, 50), p99_ms=pct(values, 99),
               max_ms=values[-1], statuses=statuses[case])


def pct(sorted_values, p):
    index = max(0, min(len(sorted_values) - 1, int(round(p / 100 * len(sorted_values))) - 1))
    return sorted_values[index]


def concurrent_get(case, url, clients):
    """clients GETs at once (each its own connection); records statuses and the slowest answer."""
    results = []
    threads = [threading.Thread(target=lambda: results.append(get(url, timeout=120))) for _ in range(int(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = {}
    for status, _ in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    record(kind="burst", case=case, clients=int(clients), statuses=statuses,
           max_ms=max(ms for _, ms in results),
           max_503_ms=max([ms for s, ms in results if s == 503] or [0]))


def blackhole(port_file):
    """Listens on two free ports, accepts and never answers; writes the ports; runs until killed."""
    held, ports = [], []
    servers = []
    for _ in range(2):
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(512)
        servers.append(server)
        ports.append(server.getsockname()[1])

    def accept(server):
        while True:
            connection, _ = server.accept()
            held.append(connection)

    for server in servers:
        threading.Thread(target=accept, args=(server,), daemon=True).start()
    with open(port_file, "w") as out:
        out.write("%d %d\n" % tuple(ports))
    while True:
        time.sleep(3600)


def startup(case, round_no, wlp, server, env_json):
    """Starts Liberty and records the time until the server is ready (CWWKF0011I in messages.log)."""
    log = os.path.join(wlp, "usr", "servers", server, "logs", "messages.log")
    if os.path.exists(log):
        os.remove(log)
    env = dict(os.environ, **json.loads(env_json))
    start = time.perf_counter()
    subprocess.run([os.path.join(wlp, "bin", "server"), "start", server], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    ready = None
    while time.perf_counter() - start < 180:
        if os.path.exists(log):
            with open(log, errors="replace") as text:
                if "CWWKF0011I" in text.read():
                    ready = (time.perf_counter() - start) * 1000
                    break
        time.sleep(0.05)
    record(kind="startup", case=case, round=int(round_no), ready_ms=ready)


def median(values):
    return statistics.median(values) if values else float("nan")


def report(command, out_path, smoke):
    rows = [json.loads(line) for line in open(CASES)] if os.path.exists(CASES) else []
    only = "--only" in command or "--peers" in command
    wrk_rows = [r for r in rows if r["kind"] == "wrk"]

    def rps(case, concurrency=16):
        return [r["rps"] for r in wrk_rows if r["case"] == case and r["concurrency"] == concurrency]

    lines = []
    w = lines.append
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "0")
    w("# Performance")
    w("")
    # the run's end: the last row written (the report may be rebuilt later from the same rows)
    measured = os.path.getmtime(CASES) if os.path.exists(CASES) else time.time()
    w("Measured by `%s` on %s." % (command, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(measured))))
    if smoke:
        w("")
        w("**Smoke run** (tiny counts): these numbers only show that the benchmark works; they measure nothing.")
    w("")
    w("## Machine")
    w("")
    w("- %s, %d cores, %.1f GB RAM; %s %s" % (cpu, os.cpu_count(), int(mem) / 1024 / 1024, platform.system(),
                                              platform.release()))
    w("- %s" % subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0])
    w("- Open Liberty 26.0.0.3; PostgreSQL %s, MariaDB %s and Redis %s on loopback; wrk %s" % (
        version(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "show server_version"]),
        version(["mysql", "-h", "127.0.0.1", "-u", "root", "-N", "-e", "SELECT VERSION()"]),
        word(version(["redis-server", "--version"]), 2).replace("v=", ""),
        word(version(["wrk", "-v"]), 1)))
    load = next((r["text"] for r in rows if r["kind"] == "note" and r["case"] == "load"), "?")
    w("- load average (1, 5, 15 min) when the run began: %s" % load)
    w("")
    w("wrk, Liberty, PostgreSQL and Redis share the two cores, so absolute numbers are low and move")
    w("between runs; compare the **ratios**, each taken between a case and its baseline measured in the")
    w("same run, round by round interleaved (case, baseline, case, ...), and quoted as medians of the rounds.")
    w("")
    w("## Requests (wrk against Open Liberty on 127.0.0.1:9480)")
    w("")
    w("Each round runs `wrk -t2 -c16 -d%s --latency` on each endpoint in turn; the endpoint picks a random" % os.environ.get("BENCH_DURATION", "?"))
    w("row of 1,000. Reads: `SELECT i FROM BenchItem i WHERE i.id = :id` with the shared cache off")
    w("(`<shared-cache-mode>NONE</shared-cache-mode>` and the hint `jakarta.persistence.cache.retrieveMode=BYPASS`),")
    w("so each request reaches PostgreSQL. Writes: find by id, increment a counter, commit (SELECT + UPDATE).")
    w("")
    w("| Case | Baseline | Case req/s (median) | Baseline req/s (median) | Ratio (median of per-round ratios) | Goal | Met |")
    w("|---|---|---|---|---|---|---|")
    titles = {"read/module": "read via dblayer's `@RequestScoped` EntityManager",
              "write/module": "write via dblayer's `@RequestScoped` EntityManager + `@Transactional`",
              "write/programmatic": "write via dblayer's `@RequestScoped` EntityManager + `Transactions.required`",
              "jdbc": "plain JDBC on dblayer's pool",
              "jta": "container JTA `@PersistenceContext` on Liberty's dataSource",
              "unscoped": "an EntityManager of the same unit opened and closed in the method (no request scope)"}
    pairs = [("read/module", "read/jdbc", 0.90), ("read/module", "read/jta", 1.0),
             ("write/module", "write/jdbc", 0.90), ("write/module", "write/jta", 1.0),
             ("write/programmatic", "write/jdbc", 0.90), ("write/programmatic", "write/jta", 1.0),
             ("read/module", "read/unscoped", None)]
    for case, base, goal in pairs:
        mod, b = rps(case), rps(base)
        if not mod or not b:
            continue
        ratios = [m / x for m, x in zip(mod, b) if x]
        r = median(ratios)
        w("| %s | %s | %.0f | %.0f | %.2fx (rounds: %s) | %s | %s |" % (
            titles[case], titles[base.split("/")[1]], median(mod), median(b), r,
            ", ".join("%.2f" % x for x in ratios), "-" if goal is None else ">= %.2fx" % goal,
            "-" if goal is None else "yes" if r >= goal else "**no**"))
    w("")
    w("Latency (median over rounds of wrk's p50 / p99, ms):")
    w("")
    w("| Endpoint | p50 | p99 |")
    w("|---|---|---|")
    for case in ("read/module", "read/unscoped", "read/jdbc", "read/jta", "write/module", "write/programmatic",
                 "write/jdbc", "write/jta"):
        sel = [r for r in wrk_rows if r["case"] == case and r["concurrency"] == 16]
        w("| %s | %.2f | %.2f |" % (case, median([r["p50_ms"] for r in sel]), median([r["p99_ms"] for r in sel])))
    w("")
    w("## Overload: pool of 30, `database.pool.timeout=2s`")
    w("")
    w("`GET /api/read/module` with rising concurrency (`wrk -t2 -cN --timeout 10s`), interleaved rounds:")
    w("")
    w("| Clients | req/s (median) | p99 ms | max ms | non-2xx | socket errors |")
    w("|---|---|---|---|---|---|")
    levels = sorted({r["concurrency"] for r in wrk_rows if r["case"] == "overload"})
    med = {}
    for c in levels:
        sel = [r for r in wrk_rows if r["case"] == "overload" and r["concurrency"] == c]
        med[c] = median([r["rps"] for r in sel])
        w("| %d | %.0f | %.0f | %.0f | %d | %d |" % (c, med[c], median([r["p99_ms"] for r in sel]),
                                                   max(r["max_ms"] for r in sel), sum(r["non2xx"] for r in sel),
                                                   sum(r["socket_errors"] for r in sel)))
    if med:
        peak = max(med.values())
        top = max(levels)
        w("")
        w("Throughput at %d clients / peak (%.0f req/s): **%.2fx** (goal >= 0.90x: %s)." % (
            top, peak, med[top] / peak, "met" if med[top] / peak >= 0.9 else "**missed**"))
    bursts = [r for r in rows if r["kind"] == "burst"]
    for b in bursts:
        w("")
        w("Pool exhaustion: %d clients at once on `GET /api/hold?seconds=%s`, each holding a dblayer connection: statuses %s; "
          "slowest 503 after %.0f ms, slowest answer %.0f ms (no hang: every client got an answer)." % (
              b["clients"], os.environ.get("BENCH_HOLD", "?"), b["statuses"], b["max_503_ms"], b["max_ms"]))
    w("")
    w("## Health")
    w("")
    w("| Probe | Count | p50 ms | p99 ms | max ms | Statuses | Goal | Met |")
    w("|---|---|---|---|---|---|---|---|")
    for r in rows:
        if r["kind"] != "probe":
            continue
        healthy = r["case"] == "healthy"
        if r["case"] == "live":
            w("| baseline: /health/live (no checks at all), same client, interleaved with the row above | %d | %.2f | %.2f | %.2f | %s | - | - |" % (
                r["count"], r["p50_ms"], r["p99_ms"], r["max_ms"], r["statuses"]))
            continue
        goal, met = ("p99 <= 5 ms", r["p99_ms"] <= 5) if healthy else ("max < 1000 ms", r["max_ms"] < 1000)
        w("| /health/ready, %s | %d | %.2f | %.2f | %.2f | %s | %s | %s |" % (
            "both dependencies healthy" if healthy else "database and Redis blackholed (accept, never answer)",
            r["count"], r["p50_ms"], r["p99_ms"], r["max_ms"], r["statuses"], goal, "yes" if met else "**no**"))
    w("")
    w("Each probe is one GET on a new connection (as a kubelet makes it), timed by the client.")
    w("")
    w("## Startup")
    w("")
    st = [r for r in rows if r["kind"] == "startup" and r["ready_ms"]]
    demo = [r["ready_ms"] for r in st if r["case"] == "demo"]
    empty = [r["ready_ms"] for r in st if r["case"] == "empty"]
    w("Time from `server start` until Liberty logs CWWKF0011I (server ready; applications started), same")
    w("server and features, interleaved rounds:")
    w("")
    w("| WAR | Median ms | Rounds |")
    w("|---|---|---|")
    w("| demo (example/, dblayer on PostgreSQL + Redis) | %.0f | %s |" % (median(demo), ", ".join("%.0f" % x for x in demo)))
    w("| empty WAR (baseline) | %.0f | %s |" % (median(empty), ", ".join("%.0f" % x for x in empty)))
    if demo and empty:
        w("")
        w("The demo adds **%.0f ms** (%.2fx the empty WAR's startup)." % (median(demo) - median(empty),
                                                                        median(demo) / median(empty)))
    w("")
    jmh_path = os.path.join(RESULTS, "jmh.json")
    w("## Redis (JMH, in process, private redis-server on a free port)")
    w("")
    if os.path.exists(jmh_path):
        scores = {}
        for b in json.load(open(jmh_path)):
            name = b["benchmark"].rsplit(".", 1)[1]
            raw = [x for fork in b["primaryMetric"]["rawData"] for x in fork]
            scores[name] = (median(raw), next(iter(b.get("params", {}).values()), "?"), raw)

        def ratio_row(case, base, goal, text):
            if case in scores and base in scores:
                r = scores[case][0] / scores[base][0]
                w("| %s | %s | %.2f ms | %.2f ms | %.2fx | %s |" % (case, base, scores[case][0], scores[base][0], r, text(r)))
        w("| Case | Baseline | Case time | Baseline time | Ratio (time) | Goal |")
        w("|---|---|---|---|---|---|")
        ratio_row("dblayerDeleteByPrefix", "redisCliScanXargsUnlink", 0.25,
                  lambda r: "<= 0.25x: %s" % ("met" if r <= 0.25 else "**missed**"))
        ratio_row("dblayerDeleteByPrefix", "originalScanThenDel", 1.0,
                  lambda r: "< 1x: %s" % ("met" if r < 1 else "**missed**"))
        ratio_row("dblayerMgetBatched", "getPerKey", None, lambda r: "(faster is better)")
        ratio_row("dblayerSmembersMany", "smembersPerKey", None, lambda r: "(faster is better)")
        w("")
        w("deleteByPrefix: %s keys `p:*`, the first 1,000 excluded (redis-cli cannot exclude: it deletes all);" %
          next((v[1] for k, v in scores.items() if k.startswith("dblayerDelete")), "?"))
        w("JMH single-shot time, each invocation on a freshly filled database, median over the iterations.")
        w("mget/smembers: %s keys (sets of 5 members), JMH average time." % next(
            (v[1] for k, v in scores.items() if k.startswith("dblayerMget")), "?"))
        w("")
        work = os.path.join(RESULTS, "server-work.txt")
        if os.path.exists(work):
            w("Where deleteByPrefix's time goes (`ServerWork`: wall time beside the time Redis itself spent in")
            w("SCAN, UNLINK and DEL, from `INFO commandstats`, same keys, same server):")
            w("")
            w("```")
            w(open(work).read().rstrip())
            w("```")
            w("")
        w("Raw JMH output: `bench/results/jmh.json` and `jmh-log.txt`.")
    w("")
    import peers  # bench/peers/peers.py, on the path below: the peers section of the page
    peers.section(w)
    observability_report(w)
    cluster_report(w)
    keys_report(w)
    w("## Raw results")
    w("")
    w("`bench/results/cases.jsonl` (one row per wrk round, probe series, burst, startup), `bench/results/wrk.txt`")
    w("(wrk's own output), `bench/results/jmh.json`; the ids and primary-key cases: `bench/results/ids-jmh.json`,")
    w("`bench/results/keys.jsonl`; metrics and tracing: `bench/results/observability.jsonl`, `observability-wrk.txt`.")
    findings = os.path.join(os.path.dirname(os.path.abspath(__file__)), "findings.md")
    if os.path.exists(findings) and not smoke:
        w("")
        w(open(findings).read().rstrip())
    text = "\n".join(lines) + "\n"
    if only and os.path.exists(out_path):
        # --only keys, cluster or observability: the sections before that part's stay as the last full
        # run wrote them; that part and everything after it are rebuilt from the results files
        sections = ["\n## Against other stacks", "\n## Metrics and tracing", "\n## Redis Cluster",
                    "\n## Ids and primary keys", "\n## Raw results"]
        part = "peers" if "--peers" in command else command.split("--only ", 1)[1].split()[0]
        heading = sections[{"peers": 0, "observability": 1, "cluster": 2, "keys": 3}[part]]
        old = open(out_path).read()
        cut = -1
        for candidate in sections[sections.index(heading):]:
            cut = old.find(candidate)
            if cut >= 0:
                break
        text = old[:cut] + text[text.find(heading):]
    open(out_path, "w").write(text)


def check_keys():
    """The ids and primary-key cases that produced no number."""
    missing = []
    ids = json.load(open(IDS_JMH)) if os.path.exists(IDS_JMH) else []
    if len(ids) < 6:
        missing.append(("ids-jmh", "%d of 6 benchmarks" % len(ids)))
    rows = keys_rows()
    for database, batch in INSERT_SETUPS:
        for mode in ("autoincrement", "snowflake"):
            for kind in ("insert", "roundtrips"):
                if not any(r["kind"] == kind and (r["database"], r["batch"], r["mode"]) == (database, batch, mode)
                           for r in rows):
                    missing.append((kind, database, batch, mode))
    return missing


def check(part=None):
    """Fails (exit 1) when a case produced no number; never looks at the numbers themselves."""
    if part in ("keys", "cluster", "observability"):
        missing = {"keys": check_keys, "cluster": check_cluster, "observability": check_observability}[part]()
        if missing:
            sys.exit("bench: no numbers for %s" % missing)
        print("bench: every %s case produced numbers" % {"keys": "ids and primary-key", "cluster": "Redis Cluster",
                                                         "observability": "metrics and tracing"}[part])
        return
    rows = [json.loads(line) for line in open(CASES)]
    have = {(r["kind"], r["case"]) for r in rows if r.get("rps", r.get("ready_ms", r.get("p50_ms", 1))) is not None}
    wanted = [("wrk", c) for c in ("read/module", "read/unscoped", "read/jdbc", "read/jta", "write/module",
                                   "write/programmatic",
                                   "write/jdbc", "write/jta", "overload")]
    wanted += [("probe", "healthy"), ("probe", "live"), ("probe", "blackholed"), ("burst", "hold"),
               ("startup", "demo"), ("startup", "empty")]
    missing = [w for w in wanted if w not in have]
    jmh = json.load(open(os.path.join(RESULTS, "jmh.json")))
    if len(jmh) < 7:
        missing.append(("jmh", "%d of 7 benchmarks" % len(jmh)))
    if not open(os.path.join(RESULTS, "server-work.txt")).read().strip():
        missing.append(("server-work", "no output"))
    missing += check_keys()
    missing += check_cluster()
    missing += check_observability()
    if missing:
        sys.exit("bench: no numbers for %s" % missing)
    print("bench: every case produced numbers")


def word(text, index):
    """The index-th word of a tool's version line, or "?" (the tool missing: --only keys needs no wrk)."""
    words = text.split()
    return words[index] if len(words) > index else "?"


def version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip() or "?"
    except OSError:
        return "?"


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"wrk": wrk, "probe": probe, "note": lambda case, text: record(kind="note", case=case, text=text), "probe-pair": probe_pair, "check": check, "keys-start": keys_start, "cluster-start": cluster_start,
     "obs-start": obs_start, "cpu-ticks": cpu_ticks, "obs-verify": obs_verify, "obs-wrk": obs_wrk, "burst": concurrent_get, "blackhole": blackhole, "startup": startup,
     "report": lambda c, o, s: report(c, o, s == "1")}[command](*args)
