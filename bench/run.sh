#!/usr/bin/env bash
# Runs dblayer's benchmarks and writes docs/performance.md and bench/results/*.
#
#   bench/run.sh               the real run (about 22 minutes)
#   bench/run.sh --smoke       tiny counts, about 5 minutes: checks that every case produces numbers;
#                              writes to bench/results-smoke/ and never fails on a timing
#   bench/run.sh --only keys   only the ids and primary-key cases (JMH IdsBenchmark, KeyInserts; about
#                              5 minutes): rewrites their results and rebuilds the page from them and
#                              the other cases' results of the last run (with --smoke: tiny counts)
#   bench/run.sh --only cluster  only the Redis Cluster cases (ClusterKeys on a private three-primary
#                              cluster: deleteByPrefix of 1M keys against SCAN | UNLINK on each primary,
#                              mgetBatched against GET per key; about 2 minutes), likewise
#   bench/run.sh --only observability  only the cost of metrics and tracing (the read and write
#                              endpoints on four Liberty servers, about 13 minutes), likewise
#   bench/run.sh --peers       only the same service against Quarkus, Spring Boot and Helidon MP
#                              (bench/peers/peers.sh says how; about 30 minutes), likewise; with
#                              --smoke (which .ci/run runs) tiny counts, about 8 minutes after the builds
#
# DBLAYER_VERSION=V builds the bench against dblayer V already in the local Maven repository instead
# of installing this tree's dblayer first (e.g. a private version on a shared machine).
#
# Needs: JDK 17, Maven, wrk, python3, redis-server/redis-cli, psql; PostgreSQL on 127.0.0.1:5432
# (user postgres, trust), MariaDB or MySQL on 127.0.0.1:3306 (user root, empty password; only the
# primary-key cases, in a database of their own, dblayer_bench_keys) and Redis on 127.0.0.1:6379
# (only read by the demo and the bench app; the Redis benchmarks use a private redis-server on a
# free port). Liberty listens on 127.0.0.1:9480.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SMOKE=0
ONLY=
while [ $# -gt 0 ]; do
    case $1 in
        --smoke) SMOKE=1 ;;
        --peers) ONLY=peers ;;
        --only) ONLY=${2:?--only takes a part: keys, cluster or observability}; shift
                [ "$ONLY" = keys ] || [ "$ONLY" = cluster ] || [ "$ONLY" = observability ] \
                    || { echo "bench/run.sh: --only knows three parts, keys, cluster and observability, not $ONLY" >&2
                         exit 2; } ;;
        *) echo "usage: bench/run.sh [--smoke] [--only keys|cluster|observability | --peers]" >&2; exit 2 ;;
    esac
    shift
done

if [ $SMOKE = 1 ]; then
    ROUNDS=1; DURATION=2s; WARMUP=2s; PROBES=50; STARTUPS=1; LEVELS="16 256"
    JMH_ARGS="-f 1 -wi 0 -i 1 -w 1s -r 1s -p keys=20000 -p count=100"
    IDS_ARGS="-f 1 -wi 0 -i 1 -w 1s -r 1s"; INSERT_ARGS="200 1 100 100 200"
    CLUSTER_ARGS="20000 1 1000 20"
    OBS_ROUNDS=1; OBS_WARMUP=2s; PROBES_BLACKHOLED=3
    RESULTS=$ROOT/bench/results-smoke; REPORT=$RESULTS/performance.md
else
    ROUNDS=5; DURATION=8s; WARMUP=20s; PROBES=1000; STARTUPS=3; LEVELS="16 64 256"
    JMH_ARGS="-f 1 -wi 1 -i 5 -w 2s -r 2s"
    # KeyInserts: rows, rounds, rows a transaction, warm-up rows, rows of the round-trip count
    IDS_ARGS="-f 1 -wi 1 -i 5 -w 2s -r 2s"; INSERT_ARGS="10000 5 100 2000 1000"
    # ClusterKeys: keys to delete, rounds, keys of one mgetBatched, its calls a round
    CLUSTER_ARGS="1000000 3 1000 200"
    # the observability servers: rounds (each runs every configuration), warm-up per endpoint and server
    OBS_ROUNDS=6; OBS_WARMUP=30s
    # the peers' readiness probes with the database blackholed (each waits up to 10 s)
    PROBES_BLACKHOLED=10
    RESULTS=$ROOT/bench/results; REPORT=$ROOT/docs/performance.md
fi
export BENCH_RESULTS=$RESULTS BENCH_DURATION=$DURATION BENCH_HOLD=4
PORT=9480
APP=$ROOT/bench/app
WLP=$APP/target/liberty/wlp
SERVER=bench
URL=http://127.0.0.1:$PORT
TOOLS="python3 $ROOT/bench/tools.py"
BLACKHOLE_PID=
SCRAPER_PID=
POST_LUA=
# The observability configurations, each a copy of the bench server with the same features plus
# mpMetrics-5.1 and mpTelemetry-2.0, on a port of its own:
#   name:port:DBLAYER_METRICS_ENABLED:DBLAYER_TRACING_ENABLED:OTEL_SDK_DISABLED
OBS_SERVERS="obs-off:9485:false:false:true obs-metrics:9486:true:false:true obs-spans:9487:false:false:false
    obs-all:9488:true:true:false"

cleanup() {
    [ "$ONLY" = peers ] && peers_cleanup
    "$WLP/bin/server" stop $SERVER >/dev/null 2>&1 || true
    for spec in $OBS_SERVERS; do "$WLP/bin/server" stop "${spec%%:*}" >/dev/null 2>&1 || true; done
    [ -n "$SCRAPER_PID" ] && kill "$SCRAPER_PID" 2>/dev/null || true
    [ -n "$BLACKHOLE_PID" ] && kill "$BLACKHOLE_PID" 2>/dev/null || true
    rm -f "$POST_LUA"
}
trap cleanup EXIT

log() { echo "[bench $(date +%H:%M:%S)] $*"; }
set_app() { sed -i "s/^app.location=.*/app.location=$1/" "$WLP/usr/servers/$SERVER/bootstrap.properties"; }
# dblayer installed (unless DBLAYER_VERSION names one), and dblayer-dev; the bench WAR built and its Liberty server created
build_app() {
    if [ -z "$MVN_VERSION" ]; then (cd "$ROOT" && mvn -B -q install -DskipTests); fi
    mvn -B -q -f "$ROOT/dev-services/pom.xml" install -DskipTests   # the demo WAR's dblayer-dev
    # shellcheck disable=SC2086
    mvn -B -q -f "$APP/pom.xml" package liberty:create liberty:deploy $MVN_VERSION
}
# wrk's body for the POST endpoints
POST_LUA=$(mktemp --suffix .lua); echo 'wrk.method = "POST"' > "$POST_LUA"

COMMAND="bench/run.sh"; [ $SMOKE = 1 ] && COMMAND="$COMMAND --smoke"
case $ONLY in "") ;; peers) COMMAND="$COMMAND --peers" ;; *) COMMAND="$COMMAND --only $ONLY" ;; esac
MVN_VERSION=; [ -n "${DBLAYER_VERSION:-}" ] && MVN_VERSION="-Ddblayer.version=$DBLAYER_VERSION"
JMH=$ROOT/bench/jmh/target

mkdir -p "$RESULTS"
if [ -z "$ONLY" ] || [ "$ONLY" = keys ]; then
    rm -f "$RESULTS"/keys.jsonl "$RESULTS"/keys-log.txt "$RESULTS"/ids-jmh.json "$RESULTS"/ids-jmh-log.txt
fi
if [ -z "$ONLY" ] || [ "$ONLY" = cluster ]; then
    rm -f "$RESULTS"/cluster.jsonl "$RESULTS"/cluster-log.txt
fi
if [ -z "$ONLY" ] || [ "$ONLY" = observability ]; then
    rm -f "$RESULTS"/observability.jsonl "$RESULTS"/observability-wrk.txt
fi
if [ -z "$ONLY" ]; then
    rm -f "$RESULTS"/cases.jsonl "$RESULTS"/wrk.txt "$RESULTS"/jmh.json "$RESULTS"/jmh-log.txt "$RESULTS"/server-work.txt
fi

# Ids per second (JMH) and 10,000 inserts with snowflake against identity ids (KeyInserts, through
# dblayer's Database on PostgreSQL and MariaDB): in process, no server needed.
run_keys() {
    log "ids: JMH IdsBenchmark (snowflake against UUID, 1 and 16 threads)"
    # shellcheck disable=SC2086
    java -cp "$JMH/classes:$(cat "$JMH/classpath.txt")" org.openjdk.jmh.Main $IDS_ARGS -foe true \
        -rf json -rff "$RESULTS/ids-jmh.json" 'IdsBenchmark' > "$RESULTS/ids-jmh-log.txt" 2>&1
    log "inserts: KeyInserts $INSERT_ARGS (snowflake against identity ids, PostgreSQL and MariaDB)"
    $TOOLS keys-start "$COMMAND"
    # shellcheck disable=SC2086
    java -cp "$JMH/classes:$(cat "$JMH/classpath.txt")" dev.dblayer.bench.jmh.KeyInserts "$RESULTS/keys.jsonl" \
        $INSERT_ARGS > "$RESULTS/keys-log.txt" 2>&1 || { tail -40 "$RESULTS/keys-log.txt" >&2; return 1; }
    grep '^round' "$RESULTS/keys-log.txt" || true
}

# RedisKeys on a private three-primary Redis Cluster, each case against its baseline (ClusterKeys).
run_cluster() {
    log "cluster: ClusterKeys $CLUSTER_ARGS (deleteByPrefix against SCAN | UNLINK per primary, mgetBatched against GET)"
    $TOOLS cluster-start "$COMMAND"
    # shellcheck disable=SC2086
    java -cp "$JMH/classes:$(cat "$JMH/classpath.txt")" dev.dblayer.bench.jmh.ClusterKeys "$RESULTS/cluster.jsonl" \
        $CLUSTER_ARGS > "$RESULTS/cluster-log.txt" 2>&1 || { tail -40 "$RESULTS/cluster-log.txt" >&2; return 1; }
    grep '^round' "$RESULTS/cluster-log.txt" || true
}

# The request cases' database: dblayer_bench with 1,000 rows in bench_item.
prepare_database() {
    log "database dblayer_bench: 1,000 rows"
    local psql="psql -q -h 127.0.0.1 -U postgres"
    $psql -tAc "SELECT 1 FROM pg_database WHERE datname = 'dblayer_bench'" | grep -q 1 \
        || $psql -c "CREATE DATABASE dblayer_bench"
    $psql -d dblayer_bench -c "CREATE TABLE IF NOT EXISTS bench_item (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL,
        counter BIGINT NOT NULL); INSERT INTO bench_item SELECT g, 'item ' || g, 0 FROM generate_series(1, 1000) g
        ON CONFLICT DO NOTHING"
}

# What metrics and tracing cost: the read and write endpoints on four copies of the bench server that
# differ only in their environment (OBS_SERVERS), all running at once, each warmed up, then measured in
# rotating order round by round, counting requests a second and the server's CPU time a request
# (utime + stime of its JVM in /proc, less noisy on shared cores than throughput). Every server is scraped at /metrics once a second while it is measured,
# as Prometheus would; the spans go nowhere (OTEL_TRACES_EXPORTER=none): what is measured is making them.
run_observability() {
    local servers=$WLP/usr/servers spec name port metrics tracing sdk names=() ports=()
    for spec in $OBS_SERVERS; do
        IFS=: read -r name port metrics tracing sdk <<< "$spec"
        names+=("$name"); ports+=("$port")
        rm -rf "${servers:?}/$name"
        cp -r "$servers/$SERVER" "$servers/$name"
        rm -rf "$servers/$name/logs" "$servers/$name/workarea"
        sed -i "s/^app.location=.*/app.location=dblayer-bench.war/" "$servers/$name/bootstrap.properties"
        echo "http.port=$port" >> "$servers/$name/bootstrap.properties"
        mkdir -p "$servers/$name/configDropins/overrides"
        cat > "$servers/$name/configDropins/overrides/observability.xml" <<XML
<server>
    <featureManager>
        <feature>mpMetrics-5.1</feature>
        <feature>mpTelemetry-2.0</feature>
    </featureManager>
    <mpMetrics authentication="false"/>
</server>
XML
        printf 'DBLAYER_METRICS_ENABLED=%s\nDBLAYER_TRACING_ENABLED=%s\nOTEL_SDK_DISABLED=%s\nOTEL_SERVICE_NAME=%s\n%s\n' \
            "$metrics" "$tracing" "$sdk" "$name" \
            'OTEL_TRACES_EXPORTER=none
OTEL_METRICS_EXPORTER=none
OTEL_LOGS_EXPORTER=none' > "$servers/$name/server.env"
    done
    log "observability: starting ${names[*]} (ports ${ports[*]})"
    $TOOLS obs-start "$COMMAND" "$OBS_SERVERS"
    for name in "${names[@]}"; do "$WLP/bin/server" start "$name" >/dev/null; done
    for i in "${!names[@]}"; do
        for _ in $(seq 180); do
            curl -sf -o /dev/null "http://127.0.0.1:${ports[$i]}/health/ready" && break
            sleep 1
        done
        curl -sf -o /dev/null "http://127.0.0.1:${ports[$i]}/health/ready" \
            || { echo "${names[$i]} did not become ready; see $servers/${names[$i]}/logs/messages.log" >&2; return 1; }
        # each server must be what its name says: dblayer's pool on /metrics exactly when metrics are on
        $TOOLS obs-verify "${names[$i]}" "http://127.0.0.1:${ports[$i]}" "$servers/${names[$i]}/logs/messages.log"
    done
    for i in "${!names[@]}"; do
        wrk -t2 -c16 -d"$OBS_WARMUP" "http://127.0.0.1:${ports[$i]}/api/read/module" >/dev/null
        wrk -t2 -c16 -d"$OBS_WARMUP" -s "$POST_LUA" "http://127.0.0.1:${ports[$i]}/api/write/module" >/dev/null
    done
    local count=${#names[@]} round k i url out pid cpu
    for round in $(seq "$OBS_ROUNDS"); do
        log "  observability round $round of $OBS_ROUNDS"
        for k in $(seq 0 $(( count - 1 ))); do
            i=$(( (k + round - 1) % count ))   # rotate: each configuration in each place in turn
            url=http://127.0.0.1:${ports[$i]}
            pid=$(cat "$servers/.pid/${names[$i]}.pid")
            (while true; do curl -s -o /dev/null "$url/metrics"; sleep 1; done) & SCRAPER_PID=$!
            for endpoint in read write; do
                cpu=$($TOOLS cpu-ticks "$pid")
                if [ $endpoint = read ]; then
                    out=$(wrk -t2 -c16 -d"$DURATION" --latency "$url/api/read/module")
                else
                    out=$(wrk -t2 -c16 -d"$DURATION" --latency -s "$POST_LUA" "$url/api/write/module")
                fi
                printf '### %s %s round %s\n%s\n\n' "${names[$i]}" $endpoint "$round" "$out" >> "$RESULTS/observability-wrk.txt"
                echo "$out" | $TOOLS obs-wrk "${names[$i]}" $endpoint "$round" "$pid" "$cpu"
            done
            kill $SCRAPER_PID; wait $SCRAPER_PID 2>/dev/null || true; SCRAPER_PID=
        done
    done
    for name in "${names[@]}"; do "$WLP/bin/server" stop "$name" >/dev/null; done
}

if [ "$ONLY" = peers ]; then
    # shellcheck source=bench/peers/peers.sh
    . "$ROOT/bench/peers/peers.sh"
    NEWEST_JDK=$(bash "$ROOT/.ci/newest-jdk")
    log "build: dblayer, the bench app and its Liberty server (peers)"
    build_app
    peers_build
    run_peers
    log "report: $REPORT"
    $TOOLS report "$COMMAND" "$REPORT" $SMOKE
    $PEER_TOOLS check
    log "done"
    exit 0
fi

if [ "$ONLY" = observability ]; then
    log "build: dblayer, the bench app and its Liberty server (only: observability)"
    build_app
    prepare_database
    run_observability
    log "report: $REPORT"
    $TOOLS report "$COMMAND" "$REPORT" $SMOKE
    $TOOLS check observability
    log "done"
    exit 0
fi

if [ -n "$ONLY" ]; then
    log "build: dblayer, the JMH benchmarks (only: $ONLY)"
    if [ -z "$MVN_VERSION" ]; then (cd "$ROOT" && mvn -B -q install -DskipTests); fi
    # shellcheck disable=SC2086
    mvn -B -q -f "$ROOT/bench/jmh/pom.xml" package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt $MVN_VERSION
    if [ "$ONLY" = keys ]; then run_keys; else run_cluster; fi
    log "report: $REPORT"
    $TOOLS report "$COMMAND" "$REPORT" $SMOKE
    $TOOLS check "$ONLY"
    log "done"
    exit 0
fi

$TOOLS note load "$(cut -d' ' -f1-3 /proc/loadavg)"
log "build: dblayer, the bench app and its Liberty server, the demo WAR, the JMH benchmarks"
build_app
# shellcheck disable=SC2086
mvn -B -q -f "$ROOT/example/pom.xml" package -DskipTests $MVN_VERSION
# shellcheck disable=SC2086
mvn -B -q -f "$ROOT/bench/jmh/pom.xml" package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt $MVN_VERSION
APPS=$WLP/usr/servers/$SERVER/apps
cp "$ROOT/example/target/dblayer-demo.war" "$APPS/"
EMPTY=$(mktemp -d); mkdir -p "$EMPTY/WEB-INF"; (cd "$EMPTY" && jar cf "$APPS/empty.war" WEB-INF); rm -rf "$EMPTY"

prepare_database

wait_ready() {
    for _ in $(seq 120); do
        curl -sf -o /dev/null "$URL/health/ready" && return 0
        sleep 1
    done
    echo "Liberty did not become ready; see $WLP/usr/servers/$SERVER/logs/messages.log" >&2
    return 1
}
run_wrk() { # case round concurrency [wrk args...]
    local case=$1 round=$2 c=$3; shift 3
    local out
    out=$(wrk -t2 -c"$c" -d"$DURATION" --latency --timeout 10s "$@")
    printf '### %s round %s c=%s\n%s\n\n' "$case" "$round" "$c" "$out" >> "$RESULTS/wrk.txt"
    echo "$out" | $TOOLS wrk "$case" "$round" "$c"
}

log "request cases: Liberty with the bench app"
set_app dblayer-bench.war
"$WLP/bin/server" start $SERVER >/dev/null
wait_ready
for path in module unscoped jdbc jta; do   # warm-up: JIT, pools, Liberty's thread pool
    wrk -t2 -c16 -d"$WARMUP" "$URL/api/read/$path" >/dev/null
done
for path in module programmatic jdbc jta; do
    wrk -t2 -c16 -d"$WARMUP" -s "$POST_LUA" "$URL/api/write/$path" >/dev/null
done
for round in $(seq $ROUNDS); do
    log "  round $round of $ROUNDS"
    for path in module unscoped jdbc jta; do run_wrk "read/$path" "$round" 16 "$URL/api/read/$path"; done
    for path in module programmatic jdbc jta; do
        run_wrk "write/$path" "$round" 16 -s "$POST_LUA" "$URL/api/write/$path"
    done
done

log "overload: concurrency $LEVELS against a pool of 30"
for round in $(seq $ROUNDS); do
    for c in $LEVELS; do run_wrk overload "$round" "$c" "$URL/api/read/module"; done
done
log "pool exhaustion: 100 clients each holding a connection ${BENCH_HOLD}s"
# Liberty's executor starts with few threads and grows slowly, so a burst queues in Liberty before it
# reaches the pool; for this one case let 128 requests run at once (configuration is applied live).
OVERRIDES=$WLP/usr/servers/$SERVER/configDropins/overrides
mkdir -p "$OVERRIDES"
echo '<server><executor coreThreads="128"/></server>' > "$OVERRIDES/executor.xml"
sleep 3
$TOOLS burst hold "$URL/api/hold?seconds=$BENCH_HOLD" 100
rm -f "$OVERRIDES/executor.xml"
sleep 3

log "health: $PROBES probes, both dependencies healthy"
$TOOLS probe-pair $PROBES "$URL/health/ready" "$URL/health/live" $(( PROBES / 5 ))
"$WLP/bin/server" stop $SERVER >/dev/null

log "health: database and Redis blackholed"
PORTS_FILE=$(mktemp)
$TOOLS blackhole "$PORTS_FILE" & BLACKHOLE_PID=$!
for _ in $(seq 50); do [ -s "$PORTS_FILE" ] && break; sleep 0.1; done
read -r DB_HOLE REDIS_HOLE < "$PORTS_FILE"
DATABASE_PORT=$DB_HOLE REDIS_PORT=$REDIS_HOLE "$WLP/bin/server" start $SERVER >/dev/null
for _ in $(seq 120); do   # ready to serve (503 expected), not healthy
    code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/health/ready" || true)
    [ "$code" = 503 ] || [ "$code" = 200 ] && break
    sleep 1
done
$TOOLS probe blackholed "$URL/health/ready" $(( PROBES < 50 ? PROBES : 50 ))
"$WLP/bin/server" stop $SERVER >/dev/null
kill "$BLACKHOLE_PID"; BLACKHOLE_PID=

log "startup: demo WAR against an empty WAR"
DEMO_ENV='{"DATABASE_SCHEMA": "dblayer_bench"}'
set_app empty.war; $TOOLS startup warmup 0 "$WLP" $SERVER '{}'; "$WLP/bin/server" stop $SERVER >/dev/null
for round in $(seq $STARTUPS); do
    set_app empty.war
    $TOOLS startup empty "$round" "$WLP" $SERVER '{}'; "$WLP/bin/server" stop $SERVER >/dev/null
    set_app dblayer-demo.war
    $TOOLS startup demo "$round" "$WLP" $SERVER "$DEMO_ENV"; "$WLP/bin/server" stop $SERVER >/dev/null
done
set_app dblayer-bench.war

run_observability

log "Redis: JMH"
# shellcheck disable=SC2086
java -cp "$JMH/classes:$(cat "$JMH/classpath.txt")" org.openjdk.jmh.Main $JMH_ARGS -foe true \
    -rf json -rff "$RESULTS/jmh.json" 'BatchReadBenchmark|DeleteByPrefixBenchmark' > "$RESULTS/jmh-log.txt"
WORK_ARGS="1000000 3"; [ $SMOKE = 1 ] && WORK_ARGS="20000 1"
# shellcheck disable=SC2086
java -cp "$JMH/classes:$(cat "$JMH/classpath.txt")" dev.dblayer.bench.jmh.ServerWork $WORK_ARGS \
    | grep '^round' > "$RESULTS/server-work.txt"

run_keys
run_cluster

log "report: $REPORT"
$TOOLS report "$COMMAND" "$REPORT" $SMOKE
$TOOLS check
rm -f "$PORTS_FILE"
log "done"
