"""Summarises a JFR recording of a bench server: where its threads spend their time.

    python3 bench/jfr-summary.py FILE.jfr            the bench app's request threads (bench/profile.sh)
    python3 bench/jfr-summary.py --all FILE.jfr [CPU_US]
                                                 every sampled thread of the process (bench/peers:
                                                 any stack, including its HTTP event loops); with
                                                 CPU_US, the process's CPU microseconds a request
                                                 (bench/peers/profile.sh), each component's self
                                                 share also as microseconds a request

Request threads are the samples with a frame of the bench app (dev.dblayer.bench). With --all, every
sample counts, whatever its thread. The samples are jdk.CPUTimeSample where the recording has them
(JDK 25: CPU time, so a thread waiting on a socket is not counted), jdk.ExecutionSample otherwise.
For each component it prints the share of samples that pass through it ("inclusive") and the share
whose innermost known frame belongs to it ("self": the component's own code, and the JDK code it
calls).
"""
import collections
import re
import subprocess
import sys

COMPONENTS = [  # first match wins; more specific prefixes first
    ("dblayer interceptor", "dev.dblayer.db.TransactionalInterceptor"),
    ("bench app", "dev.dblayer.bench."),
    ("bench app", "dev.dblayer.peers."),
    ("dblayer", "dev.dblayer."),
    ("Liberty JTA @Transactional interceptor", "com.ibm.tx.jta.cdi."),
    ("Liberty tx manager", "com.ibm.tx."),
    ("Liberty connection manager", "com.ibm.ejs.j2c."),
    ("Liberty JDBC wrappers", "com.ibm.ws.rsadapter."),
    ("Liberty HTTP and channels", "com.ibm.ws.http"),
    ("Liberty HTTP and channels", "com.ibm.ws.tcpchannel."),
    ("Liberty HTTP and channels", "com.ibm.io."),
    ("Liberty HTTP and channels", "com.ibm.wsspi.http"),
    ("Liberty web container", "com.ibm.ws.webcontainer"),
    ("Liberty web container", "com.ibm.wsspi.webcontainer"),
    ("Liberty (other)", "com.ibm."),
    ("Liberty (other)", "io.openliberty."),
    ("EclipseLink", "org.eclipse.persistence."),
    ("Hibernate", "org.hibernate."),
    ("HikariCP", "com.zaxxer.hikari."),
    ("Agroal", "io.agroal."),
    ("Narayana", "com.arjuna."),
    ("pgjdbc", "org.postgresql."),
    ("JSON-B", "org.eclipse.yasson."),
    ("Jackson", "com.fasterxml.jackson."),
    ("Weld CDI", "org.jboss.weld."),
    ("RESTEasy", "org.jboss.resteasy."),
    ("Quarkus", "io.quarkus."),
    ("Vert.x", "io.vertx."),
    ("Netty", "io.netty."),
    ("Spring", "org.springframework."),
    ("Tomcat", "org.apache.tomcat."),
    ("Tomcat", "org.apache.catalina."),
    ("Tomcat", "org.apache.coyote."),
    ("Helidon", "io.helidon."),
    ("JFR", "jdk.jfr."),
    ("JFR", "jdk.internal.event."),
]
BENCH = ("dev.dblayer.bench.", "dev.dblayer.peers.")


def component(frame):
    for name, prefix in COMPONENTS:
        if frame.startswith(prefix):
            return name
    return None


def samples(path, every_thread):
    events = subprocess.run(["jfr", "summary", path], capture_output=True, text=True, check=True).stdout
    event = "jdk.CPUTimeSample" if re.search(r"^\s*jdk\.CPUTimeSample\s+[1-9]", events, re.M) else "jdk.ExecutionSample"
    out = subprocess.run(["jfr", "print", "--events", event, "--stack-depth", "128", path],
                         capture_output=True, text=True, check=True).stdout
    for sample in out.split(event + " {")[1:]:
        frames = re.findall(r"^\s+([\w.$<>]+)\(", sample, re.M)  # leaf first
        if frames and (every_thread or any(f.startswith(BENCH) for f in frames)):
            yield frames


def main(path, every_thread=False, cpu_us=None):
    inclusive, own, leaf = collections.Counter(), collections.Counter(), collections.Counter()
    total = 0
    for frames in samples(path, every_thread):
        total += 1
        leaf[frames[0]] += 1
        seen = {component(f) for f in frames} - {None}
        inclusive.update(seen)
        own[next((c for c in map(component, frames) if c), "JDK/other")] += 1
    print("%s samples: %d" % ("all" if every_thread else "request-thread", total))
    print("  %-40s %9s %6s%s" % ("component", "inclusive", "self", "  self us/request" if cpu_us else ""))
    for name in sorted(set(inclusive) | set(own), key=lambda n: -own[n]):
        print("  %-40s %8.1f%% %5.1f%%%s" % (name, 100 * inclusive[name] / total, 100 * own[name] / total,
                                           "  %8.1f" % (cpu_us * own[name] / total) if cpu_us else ""))
    print("top leaf frames:")
    for frame, count in leaf.most_common(15):
        print("  %-90s %5.1f%%" % (frame, 100 * count / total))


if __name__ == "__main__":
    if sys.argv[1] == "--all":
        main(sys.argv[2], every_thread=True, cpu_us=float(sys.argv[3]) if len(sys.argv) > 3 else None)
    else:
        main(sys.argv[1])
