#!/usr/bin/env python3
"""Helpers for bench/run.sh --peers: a TCP proxy that can blackhole the database, startup and memory
of a stack, the fault cases, wrk's output, and the peers section of docs/performance.md with its plot.
Standard library only (the plot is gnuplot's, from Debian's gnuplot-nox)."""
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from tools import wrk_numbers  # noqa: E402  (bench/tools.py: wrk's output, parsed once for both)

RESULTS = os.environ.get("BENCH_RESULTS", os.path.join(os.path.dirname(__file__), "..", "results"))
PEERS = os.path.join(RESULTS, "peers.jsonl")
# the stacks in the order the page lists them; dblayer's first
STACKS = ["dblayer-liberty", "dblayer-liberty-woven", "liberty-jdbc", "dblayer-payara", "quarkus", "spring", "helidon"]
TITLES = {"dblayer-liberty": "dblayer on Open Liberty", "liberty-jdbc": "plain JDBC on Open Liberty (no ORM)",
          "dblayer-liberty-woven": "dblayer on Open Liberty, woven entity",
          "dblayer-payara": "dblayer on Payara Micro 7",
          "quarkus": "Quarkus", "spring": "Spring Boot", "helidon": "Helidon MP"}
# the plot's short names
LABELS = {"dblayer-liberty": "dblayer Liberty", "dblayer-liberty-woven": "dblayer Liberty woven",
          "liberty-jdbc": "JDBC Liberty", "dblayer-payara": "dblayer Payara 7", "quarkus": "Quarkus",
          "spring": "Spring Boot", "helidon": "Helidon MP"}
WOVEN = "dblayer-liberty-woven"
JDBC = "liberty-jdbc"
ORMS = {"liberty-jdbc": "none: JDBC on dblayer's pool", "dblayer-liberty": "EclipseLink", "dblayer-liberty-woven": "EclipseLink, static weaving", "dblayer-payara": "EclipseLink", "quarkus": "Hibernate",
        "spring": "Hibernate", "helidon": "EclipseLink"}


def record(**fields):
    with open(PEERS, "a") as out:
        out.write(json.dumps(fields) + "\n")


def rows():
    return [json.loads(line) for line in open(PEERS)] if os.path.exists(PEERS) else []


def get(url, timeout):
    """(status, milliseconds) of one GET on a new connection; status "timeout" past timeout seconds."""
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as e:
        e.read()
        status = e.code
    except (socket.timeout, TimeoutError):
        status = "timeout"
    except OSError as e:
        status = "timeout" if "timed out" in str(e) else "error"
    return status, (time.perf_counter() - start) * 1000


# --- the proxy --------------------------------------------------------------------------------------

def proxy(port_file, target_port):
    """Forwards a free loopback port to target_port until SIGUSR1; from then on it blackholes: it keeps
    accepting and reading, and forwards nothing either way (the database stops answering, TCP stays up).
    Writes its port to port_file; runs until killed."""
    state = {"blackhole": False}
    signal.signal(signal.SIGUSR1, lambda *_: state.update(blackhole=True))
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(512)
    held = []

    def pump(source, sink):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if not state["blackhole"]:
                    sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def accept():
        while True:
            client, _ = server.accept()
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if state["blackhole"]:
                held.append(client)
                continue
            upstream = socket.create_connection(("127.0.0.1", int(target_port)))
            upstream.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=pump, args=(upstream, client), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    with open(port_file, "w") as out:
        out.write("%d\n" % server.getsockname()[1])
    while True:
        time.sleep(3600)


# --- what run.sh measures ---------------------------------------------------------------------------

def startup(stack, round_no, url, started_at):
    """Records the time from started_at (epoch seconds, when run.sh launched the stack) to the first
    200 from url (the stack's read endpoint), polled every 20 ms for up to 180 s."""
    started = float(started_at)
    while time.time() - started < 180:
        status, _ = get(url, 5)
        if status == 200:
            record(kind="startup", stack=stack, round=int(round_no), first_ok_ms=(time.time() - started) * 1000)
            return
        time.sleep(0.02)
    record(kind="startup", stack=stack, round=int(round_no), first_ok_ms=None)
    sys.exit("%s answered no 200 at %s within 180 s" % (stack, url))


def rss(stack, pid):
    """The resident memory of the stack's JVM (VmRSS), after its warm-up."""
    kb = next(int(line.split()[1]) for line in open("/proc/%s/status" % pid) if line.startswith("VmRSS"))
    record(kind="rss", stack=stack, rss_mb=kb / 1024)


def wrk(stack, endpoint, round_no):
    """Reads wrk's --latency output on stdin and records one row."""
    numbers = wrk_numbers(sys.stdin.read())
    record(kind="wrk", stack=stack, endpoint=endpoint, round=int(round_no),
           **{k: numbers[k] for k in ("rps", "requests", "non2xx", "p50_ms", "p99_ms")})


def blackholed(stack, url, count, timeout):
    """Probes readiness count times, one after the other, as a kubelet would (timeout seconds each),
    with the database blackholed; records each answer's status and time."""
    answers = [get(url, float(timeout)) for _ in range(int(count))]
    record(kind="blackholed", stack=stack, timeout_s=float(timeout),
           statuses=[str(s) for s, _ in answers], ms=[ms for _, ms in answers])


def exhausted(stack, hold_url, read_url, holders):
    """holders requests that each hold a connection (pool of 30), then, once they hold it, one read:
    records the read's status and time and what the holders got."""
    results = []
    threads = [threading.Thread(target=lambda: results.append(get(hold_url, 60))) for _ in range(int(holders))]
    for t in threads:
        t.start()
    time.sleep(0.5)
    status, ms = get(read_url, 60)
    for t in threads:
        t.join()
    record(kind="exhausted", stack=stack, status=str(status), ms=ms,
           holders={str(s): sum(1 for x, _ in results if x == s) for s in {x for x, _ in results}})


# --- the page ---------------------------------------------------------------------------------------

def median(values):
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def table(all_rows):
    """{stack: {endpoint: [rows by round]}}"""
    out = {}
    for r in all_rows:
        if r["kind"] == "wrk":
            out.setdefault(r["stack"], {}).setdefault(r["endpoint"], []).append(r)
    return out


def ratio(by_stack, stack, base, endpoint):
    """Median over the rounds of stack's req/s over base's in the same round."""
    mine = {r["round"]: r["rps"] for r in by_stack.get(stack, {}).get(endpoint, [])}
    theirs = {r["round"]: r["rps"] for r in by_stack.get(base, {}).get(endpoint, [])}
    return median([mine[k] / theirs[k] for k in mine if theirs.get(k)])


def section(w):
    """The peers section of docs/performance.md."""
    all_rows = rows()
    if not all_rows:
        return
    by_stack = table(all_rows)
    stacks = [s for s in STACKS if s in by_stack]
    services = [s for s in stacks if s not in (WOVEN, JDBC)]  # the stacks that start, fail and hold memory
    note = next((r for r in all_rows if r["kind"] == "note"), {})
    w("## Against other stacks (`bench/run.sh --peers`)")
    w("")
    w("The same service on each stack (`bench/app` for dblayer, `bench/peers/*` for the others): read one")
    w("row by id with no shared or second-level cache, the find-increment-commit write, and the readiness")
    w("probe with a database and a Redis check; a pool of 30 with a 2 s wait, one private PostgreSQL")
    w("for all (`max_connections=400`, so that six pools fit), the shared Redis. Every stack runs on")
    w("%s, with the JVM's defaults. All six servers run at once (the five stacks and" % note.get("jdk", "the newest JDK"))
    w("a second Liberty with the statically woven WAR), each warmed up by `wrk` on each endpoint for the warm-up")
    w("time, and each round measures them in rotating order (`wrk -t2 -c16 -d%s --latency` per endpoint)." % (
        note.get("duration", "?")))
    w("Versions: %s. Measured %s." % (note.get("versions", "?"), time.strftime(
        "%Y-%m-%d %H:%M UTC", time.gmtime(os.path.getmtime(PEERS)))))
    w("")
    w("### Throughput and latency")
    w("")
    w("| Stack | ORM | read req/s | read p50 / p99 ms | write req/s | write p50 / p99 ms | ready req/s | ready p50 / p99 ms |")
    w("|---|---|---|---|---|---|---|---|")
    for s in stacks:
        cells = []
        for endpoint in ("read", "write", "ready"):
            rs = by_stack[s].get(endpoint, [])
            cells.append("%.0f" % median([r["rps"] for r in rs]) if rs else "-")
            cells.append("%.2f / %.2f" % (median([r["p50_ms"] for r in rs]), median([r["p99_ms"] for r in rs]))
                         if rs else "-")
        w("| %s | %s | %s |" % (TITLES[s], ORMS[s], " | ".join(cells)))
    w("")
    errors = [(r["stack"], r["endpoint"], r["non2xx"]) for r in all_rows if r["kind"] == "wrk" and r["non2xx"]]
    if errors:
        w("Non-2xx answers during the rounds: %s." % ", ".join("%s %s %d" % e for e in errors))
        w("")
    w("dblayer on Open Liberty against each stack, req/s (median of the per-round ratios):")
    w("")
    w("| Against | read | write | ready |")
    w("|---|---|---|---|")
    for s in services[1:]:
        w("| %s | %s |" % (TITLES[s], " | ".join(
            "%.2fx" % r if r else "-" for r in (ratio(by_stack, "dblayer-liberty", s, e) for e in ("read", "write", "ready")))))
    w("")
    if JDBC in by_stack:
        fastest = {e: max((s for s in services if by_stack[s].get(e)),
                          key=lambda s: median([r["rps"] for r in by_stack[s][e]])) for e in ("read", "write")}
        w("Where the time goes, from the same rounds: plain JDBC in the same Liberty server (the bench WAR's")
        w("`jdbc` endpoints on dblayer's pool, no ORM) is what Liberty, JAX-RS and the driver cost alone.")
        w("- dblayer and EclipseLink on Liberty against that: read %s, write %s;" % tuple(
            "%.2fx" % r if r else "-" for r in (ratio(by_stack, "dblayer-liberty", JDBC, e) for e in ("read", "write"))))
        w("- plain JDBC on Liberty against the fastest stack (read: %s, write: %s): read %s, write %s." % (
            TITLES[fastest["read"]], TITLES[fastest["write"]],
            *("%.2fx" % r if r else "-" for r in (ratio(by_stack, JDBC, fastest[e], e) for e in ("read", "write")))))
        w("")
    if WOVEN in by_stack:
        w("Static weaving (EclipseLink's `StaticWeave` at build time, `bench/app -Pwoven`): the woven WAR against")
        w("the unwoven one, both on Open Liberty in the same rounds: read %s, write %s." % tuple(
            "%.2fx" % r if r else "-" for r in (ratio(by_stack, WOVEN, "dblayer-liberty", e) for e in ("read", "write"))))
        w("")
    w("![Requests a second per stack](../bench/results/peers.png)")
    w("")
    w("### Startup and memory")
    w("")
    w("| Stack | start to first 200 on read, ms (median of %d) | resident memory after warm-up, MB |" % max(
        [r["round"] for r in all_rows if r["kind"] == "startup"] or [0]))
    w("|---|---|---|")
    for s in services:
        starts = [r["first_ok_ms"] for r in all_rows if r["kind"] == "startup" and r["stack"] == s]
        mem = [r["rss_mb"] for r in all_rows if r["kind"] == "rss" and r["stack"] == s]
        w("| %s | %s | %s |" % (TITLES[s], "%.0f" % median(starts) if median(starts) else "-",
                                "%.0f" % median(mem) if mem else "-"))
    w("")
    w("### Faults")
    w("")
    w("Readiness with the database blackholed: the stack starts healthy through a proxy that then stops")
    w("answering (TCP stays up, nothing comes back); the probe is asked as a kubelet asks, one after the")
    w("other, each given %s s. Pool exhausted: 100 requests that each hold a connection 4 s, then one read." % next(
        (r["timeout_s"] for r in all_rows if r["kind"] == "blackholed"), "?"))
    w("")
    w("| Stack | blackholed readiness: statuses | its answer time, ms (median / max) | exhausted pool: the read's answer | the holders' answers |")
    w("|---|---|---|---|---|")
    for s in services:
        b = next((r for r in all_rows if r["kind"] == "blackholed" and r["stack"] == s), None)
        e = next((r for r in all_rows if r["kind"] == "exhausted" and r["stack"] == s), None)
        statuses = {}
        for x in (b["statuses"] if b else []):
            statuses[x] = statuses.get(x, 0) + 1
        w("| %s | %s | %s | %s | %s |" % (
            TITLES[s], ", ".join("%s x%d" % kv for kv in sorted(statuses.items())) or "-",
            "%.0f / %.0f" % (median(b["ms"]), max(b["ms"])) if b else "-",
            "%s in %.0f ms" % (e["status"], e["ms"]) if e else "-",
            ", ".join("%s x%d" % kv for kv in sorted(e["holders"].items())) if e else "-"))
    w("")
    w("Raw results: `bench/results/peers.jsonl`, wrk's output in `bench/results/peers-wrk.txt`.")
    w("")


def plot(out_png):
    """A bar chart of read and write req/s per stack (medians), drawn by gnuplot."""
    by_stack = table(rows())
    data = out_png + ".dat"
    with open(data, "w") as out:
        for s in [s for s in STACKS if s in by_stack]:
            out.write('"%s" %s\n' % (LABELS[s], " ".join(
                "%.1f" % (median([r["rps"] for r in by_stack[s].get(e, [])]) or 0) for e in ("read", "write"))))
    script = """set terminal pngcairo size 900,480 font ",10"
set output '%s'
set title 'Requests a second, wrk -t2 -c16 (median of the rounds)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set ylabel 'req/s'
set xtics rotate by -25
set yrange [0:*]
set grid ytics
set key top right
plot '%s' using 2:xtic(1) title 'read', '' using 3 title 'write'
""" % (out_png, data)
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    os.remove(data)


def check():
    """Fails (exit 1) when a stack or a case produced no number; never looks at the numbers themselves."""
    all_rows = rows()
    missing = []
    for s in STACKS:
        for endpoint in ("read", "write") if s == JDBC else ("read", "write", "ready"):
            if not any(r["kind"] == "wrk" and r["stack"] == s and r["endpoint"] == endpoint for r in all_rows):
                missing.append((s, endpoint))
        for kind in {WOVEN: ("rss",), JDBC: ()}.get(s, ("startup", "rss", "blackholed", "exhausted")):
            if not any(r["kind"] == kind and r["stack"] == s for r in all_rows):
                missing.append((s, kind))
    if missing:
        sys.exit("bench: no numbers for %s" % missing)
    print("bench: every stack produced numbers for every case")


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"proxy": proxy, "startup": startup, "rss": rss, "wrk": wrk, "blackholed": blackholed, "exhausted": exhausted,
     "plot": plot, "check": check,
     "start": lambda jdk, duration, versions: record(kind="note", jdk=jdk, duration=duration, versions=versions),
     }[command](*args)
