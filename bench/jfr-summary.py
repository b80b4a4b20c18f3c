"""Summarises a JFR recording of the bench server: where the request threads spend their time.

    python3 bench/jfr-summary.py FILE.jfr

Request threads are the samples with a frame of the bench app (dev.dblayer.bench). For each
component it prints the share of samples that pass through it ("inclusive") and the share whose
innermost known frame belongs to it ("self": the component's own code, and the JDK code it calls).
"""
import collections
import re
import subprocess
import sys

COMPONENTS = [  # first match wins; more specific prefixes first
    ("dblayer interceptor", "dev.dblayer.db.TransactionalInterceptor"),
    ("dblayer", "dev.dblayer."),
    ("bench app", "dev.dblayer.bench."),
    ("Liberty JTA @Transactional interceptor", "com.ibm.tx.jta.cdi."),
    ("Liberty tx manager", "com.ibm.tx."),
    ("Liberty connection manager", "com.ibm.ejs.j2c."),
    ("Liberty JDBC wrappers", "com.ibm.ws.rsadapter."),
    ("Liberty (other)", "com.ibm."),
    ("Liberty (other)", "io.openliberty."),
    ("EclipseLink", "org.eclipse.persistence."),
    ("HikariCP", "com.zaxxer.hikari."),
    ("pgjdbc", "org.postgresql."),
    ("JSON-B", "org.eclipse.yasson."),
    ("Weld CDI", "org.jboss.weld."),
    ("RESTEasy", "org.jboss.resteasy."),
    ("Netty", "io.netty."),
]
BENCH = "dev.dblayer.bench."


def component(frame):
    if frame.startswith(BENCH):
        return "bench app"
    for name, prefix in COMPONENTS:
        if frame.startswith(prefix):
            return name
    return None


def samples(path):
    out = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "128", path],
                         capture_output=True, text=True, check=True).stdout
    for sample in out.split("jdk.ExecutionSample")[1:]:
        frames = re.findall(r"^\s+([\w.$<>]+)\(", sample, re.M)  # leaf first
        if frames and any(f.startswith(BENCH) for f in frames):
            yield frames


def main(path):
    inclusive, own, leaf = collections.Counter(), collections.Counter(), collections.Counter()
    total = 0
    for frames in samples(path):
        total += 1
        leaf[frames[0]] += 1
        seen = {component(f) for f in frames} - {None}
        inclusive.update(seen)
        own[next((c for c in map(component, frames) if c), "JDK/other")] += 1
    print("request-thread samples: %d" % total)
    print("  %-40s %9s %6s" % ("component", "inclusive", "self"))
    for name, count in inclusive.most_common():
        print("  %-40s %8.1f%% %5.1f%%" % (name, 100 * count / total, 100 * own[name] / total))
    print("top leaf frames:")
    for frame, count in leaf.most_common(15):
        print("  %-90s %5.1f%%" % (frame, 100 * count / total))


if __name__ == "__main__":
    main(sys.argv[1])
