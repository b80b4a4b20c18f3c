#!/usr/bin/env bash
# Where each stack's CPU goes on the peers' read: the JVM's CPU time a request, and a JFR profile of
# every thread of the process (jdk.CPUTimeSample, JDK 25's CPU-time sampler), split by component.
# Run bench/run.sh --peers (or its smoke run) first: this uses what it built.
#
#   bench/peers/profile.sh [SECONDS]        default 15; output: bench/results/profiles/peers.txt
#
# Starts the bench's private PostgreSQL, dblayer on Open Liberty and Quarkus (the fastest reader),
# warms each endpoint up twice for 20 s in turn, then per endpoint: wrk -t2 -c16 for SECONDS unrecorded
# while /proc counts the JVM's CPU time, and again for SECONDS under JFR. The endpoints: dblayer's read,
# the same Liberty server's plain JDBC read, Quarkus's read.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_EACH=${1:-15}
APP=$ROOT/bench/app
WLP=$APP/target/liberty/wlp
SERVER=bench
RESULTS=$ROOT/bench/results
OUT=$RESULTS/profiles
log() { echo "[profile $(date +%H:%M:%S)] $*" >&2; }
set_app() { sed -i "s/^app.location=.*/app.location=$1/" "$WLP/usr/servers/$SERVER/bootstrap.properties"; }
# shellcheck source=bench/peers/peers.sh
. "$ROOT/bench/peers/peers.sh"
NEWEST_JDK=$(bash "$ROOT/.ci/newest-jdk")
export PATH=$NEWEST_JDK/bin:$PATH   # its jfr and jcmd
trap peers_cleanup EXIT
mkdir -p "$OUT" "$PEERS/target"

peers_database
set_app dblayer-bench.war
CASES="dblayer-liberty:${PEER_READ[dblayer-liberty]} dblayer-liberty:${PEER_READ[liberty-jdbc]} quarkus:${PEER_READ[quarkus]}"
for stack in dblayer-liberty quarkus; do peer_start "$stack" "$PEER_PG_PORT"; done
for stack in dblayer-liberty quarkus; do peer_wait_ready "$stack"; done
log "warm-up"
for _ in 1 2; do for c in $CASES; do wrk -t2 -c16 -d20s "$(peer_url "${c%%:*}")${c#*:}" > /dev/null; done; done
{
    echo "# bench/peers/profile.sh $SECONDS_EACH, $(date -u '+%Y-%m-%d %H:%M UTC'), $("$NEWEST_JDK/bin/java" -version 2>&1 | head -1)"
    for c in $CASES; do
        stack=${c%%:*} url=$(peer_url "${c%%:*}")${c#*:}
        pid=${PEER_PID[$stack]}
        before=$(python3 "$ROOT/bench/tools.py" cpu-ticks "$pid")
        out=$(wrk -t2 -c16 -d"${SECONDS_EACH}s" "$url")
        after=$(python3 "$ROOT/bench/tools.py" cpu-ticks "$pid")
        requests=$(echo "$out" | awk '/requests in/ {print $1}')
        cpu_us=$(( (after - before) * 1000000 / $(getconf CLK_TCK) / requests ))
        file=$OUT/peers-$stack$(echo "${c#*:}" | tr / -).jfr
        jcmd "$pid" JFR.start name=p jdk.CPUTimeSample#enabled=true jdk.CPUTimeSample#throttle=1ms \
            jdk.ExecutionSample#enabled=false > /dev/null
        rate=$(wrk -t2 -c16 -d"${SECONDS_EACH}s" "$url" | awk '/Requests\/sec/ {print $2}')
        jcmd "$pid" JFR.stop name=p filename="$file" > /dev/null
        echo
        echo "## $stack ${c#*:}: $(echo "$out" | awk '/Requests\/sec/ {print $2}') req/s, JVM CPU $cpu_us us a request; $rate req/s under JFR ($(basename "$file"))"
        python3 "$ROOT/bench/jfr-summary.py" --all "$file" "$cpu_us"
    done
} | tee "$OUT/peers.txt"
