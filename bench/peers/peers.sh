# The peers part of the benchmarks, sourced by bench/run.sh (--peers): the same service on dblayer
# (Open Liberty, Payara Micro 7) and on Quarkus, Spring Boot and Helidon MP, side by side.
#
# Every stack runs on the newest JDK (Helidon 4 needs Java 21+; the others run on it too, so that the
# JVM is the same for all), against one private PostgreSQL started here on a free port with room for
# five pools of 30 (the shared server allows 100 connections), and the shared Redis.
#   1. startup: each stack alone, started STARTUPS times, until its first 200 on read;
#   2. all five at once, and a sixth: dblayer on Liberty with the bench WAR's entity woven at build
#      time (bench/app -Pwoven); warm-up, resident memory, then ROUNDS rounds of wrk on read, write and
#      ready, the stacks in rotating order, with the bench WAR's plain JDBC endpoints on Liberty among
#      them (liberty-jdbc);
#   3. faults, one stack at a time: the pool exhausted by 100 holders, and readiness with the database
#      blackholed (the stack starts on a proxy, which then stops answering).
# Needs the variables and functions run.sh defines (ROOT, APP, WLP, SERVER, RESULTS, DURATION, WARMUP,
# ROUNDS, STARTUPS, PROBES_BLACKHOLED, POST_LUA, log, set_app, MVN_VERSION) and gnuplot for the plot.

PEERS=$ROOT/bench/peers
PEER_TOOLS="python3 $PEERS/peers.py"
PEER_PG_DIR=
PEER_PG_PORT=
PEER_PROXY_PID=
declare -A PEER_PID=()
declare -A PEER_PORT=([dblayer-liberty]=9480 [liberty-jdbc]=9480 [dblayer-liberty-woven]=9482 [dblayer-payara]=9481 [quarkus]=9491
    [spring]=9492 [helidon]=9493)
declare -A PEER_READY=([dblayer-liberty]=/health/ready [dblayer-liberty-woven]=/health/ready
    [dblayer-payara]=/health/ready [quarkus]=/q/health/ready [spring]=/actuator/health/readiness [helidon]=/health/ready)
declare -A PEER_READ=([dblayer-liberty]=/api/read/module [liberty-jdbc]=/api/read/jdbc [dblayer-liberty-woven]=/api/read/module
    [dblayer-payara]=/api/read/module [quarkus]=/api/read [spring]=/api/read [helidon]=/api/read)
declare -A PEER_WRITE=([dblayer-liberty]=/api/write/module [liberty-jdbc]=/api/write/jdbc [dblayer-liberty-woven]=/api/write/module
    [dblayer-payara]=/api/write/module [quarkus]=/api/write [spring]=/api/write [helidon]=/api/write)
declare -A LIBERTY_SERVER=([dblayer-liberty]=$SERVER [dblayer-liberty-woven]=$SERVER-woven)
PEER_STACKS="dblayer-liberty dblayer-payara quarkus spring helidon"
WOVEN=dblayer-liberty-woven
# not a stack of its own: the bench WAR's plain JDBC endpoints on dblayer's pool, in dblayer-liberty's
# server. What Liberty and JAX-RS cost without an ORM, and so what dblayer and EclipseLink add.
JDBC=liberty-jdbc

peers_cleanup() {
    local stack
    for stack in $PEER_STACKS $WOVEN; do peer_stop "$stack"; done
    [ -n "$PEER_PROXY_PID" ] && kill "$PEER_PROXY_PID" 2>/dev/null || true
    if [ -n "$PEER_PG_DIR" ]; then
        runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$PEER_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$PEER_PG_DIR"
    fi
}

peers_build() {
    log "build: the peers (Quarkus, Spring Boot, Helidon on $NEWEST_JDK) and Payara Micro 7"
    mvn -B -q -f "$PEERS/quarkus/pom.xml" package
    mvn -B -q -f "$PEERS/spring/pom.xml" package
    JAVA_HOME=$NEWEST_JDK mvn -B -q -f "$PEERS/helidon/pom.xml" package
    PAYARA7_VERSION=$(sed -n 's:.*<payara7-micro.version>\(.*\)</payara7-micro.version>.*:\1:p' "$ROOT/pom.xml")
    # shellcheck disable=SC2086
    mvn -B -q -f "$APP/pom.xml" -Pwoven clean package $MVN_VERSION   # clean: StaticWeave weaves in place
    local servers=$WLP/usr/servers
    rm -rf "${servers:?}/$SERVER-woven"
    cp -r "$servers/$SERVER" "$servers/$SERVER-woven"
    rm -rf "$servers/$SERVER-woven/logs" "$servers/$SERVER-woven/workarea" "$servers/$SERVER-woven/apps/"*
    cp "$APP/target/woven/dblayer-bench-woven.war" "$servers/$SERVER-woven/apps/"
    sed -i "s/^app.location=.*/app.location=dblayer-bench-woven.war/" "$servers/$SERVER-woven/bootstrap.properties"
    echo "http.port=${PEER_PORT[$WOVEN]}" >> "$servers/$SERVER-woven/bootstrap.properties"
    mvn -B -q dependency:copy -Dartifact="fish.payara.extras:payara-micro:$PAYARA7_VERSION" \
        -DoutputDirectory="$PEERS/target" -Dmdep.stripVersion=true
}

# The PostgreSQL server programs: Debian's newest under /usr/lib/postgresql, else the PATH's (as the
# tests' PostgresBinaries looks for them).
pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; else dirname "$(command -v initdb)"; fi
}

# A PostgreSQL of the bench's own, on a free port, with dblayer_bench and its 1,000 rows.
peers_database() {
    local bin
    bin=$(pg_bin)
    PEER_PG_DIR=$(mktemp -d /tmp/dblayer-peers-pg.XXXXXX)
    chown postgres "$PEER_PG_DIR"
    PEER_PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    runuser -u postgres -- "$bin/initdb" -D "$PEER_PG_DIR/data" -A trust -U postgres >/dev/null
    runuser -u postgres -- "$bin/pg_ctl" -D "$PEER_PG_DIR/data" -l "$PEER_PG_DIR/log" -w -o \
        "-p $PEER_PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PEER_PG_DIR -c max_connections=400" \
        start >/dev/null
    log "peers: private PostgreSQL on 127.0.0.1:$PEER_PG_PORT (max_connections=400)"
    local psql="psql -q -h 127.0.0.1 -p $PEER_PG_PORT -U postgres"
    $psql -c "CREATE DATABASE dblayer_bench"
    $psql -d dblayer_bench -c "CREATE TABLE bench_item (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL,
        counter BIGINT NOT NULL); INSERT INTO bench_item SELECT g, 'item ' || g, 0 FROM generate_series(1, 1000) g"
}

# peer_start STACK DATABASE_PORT: launches the stack in the background on the newest JDK.
peer_start() {
    local stack=$1 db_port=$2 log_file=$PEERS/target/peer-$1.log
    case $stack in
        liberty-jdbc) ;;
        dblayer-liberty|dblayer-liberty-woven)
            JAVA_HOME=$NEWEST_JDK DATABASE_PORT=$db_port "$WLP/bin/server" start "${LIBERTY_SERVER[$stack]}" >/dev/null
            PEER_PID[$stack]=$(cat "$WLP/usr/servers/.pid/${LIBERTY_SERVER[$stack]}.pid") ;;
        dblayer-payara)
            # the bench WAR's container-managed JTA unit (its Liberty baseline) needs jdbc/bench here too
            printf '%s\n%s\n' \
                "create-jdbc-connection-pool --datasourceclassname=org.postgresql.ds.PGSimpleDataSource --restype=javax.sql.DataSource --steadypoolsize=0 --maxpoolsize=30 --property=serverName=127.0.0.1:portNumber=$db_port:databaseName=dblayer_bench:user=postgres:password=trust-auth-ignores-it bench-pool" \
                "create-jdbc-resource --connectionpoolid=bench-pool jdbc/bench" > "$PEERS/target/payara-postboot.txt"
            DATABASE_PORT=$db_port setsid "$NEWEST_JDK/bin/java" -jar "$PEERS/target/payara-micro.jar" --nocluster \
                --port "${PEER_PORT[$stack]}" --addlibs "$(ls "$APP"/target/dblayer-bench/WEB-INF/lib/postgresql-*.jar)" \
                --postbootcommandfile "$PEERS/target/payara-postboot.txt" --contextroot / \
                --deploy "$APP/target/dblayer-bench.war" > "$log_file" 2>&1 &
            PEER_PID[$stack]=$! ;;
        quarkus|spring|helidon)
            local jar=$PEERS/quarkus/target/quarkus-app/quarkus-run.jar
            [ "$stack" = spring ] && jar=$PEERS/spring/target/peer-spring.jar
            [ "$stack" = helidon ] && jar=$PEERS/helidon/target/peer-helidon.jar
            DATABASE_PORT=$db_port setsid "$NEWEST_JDK/bin/java" -jar "$jar" > "$log_file" 2>&1 &
            PEER_PID[$stack]=$! ;;
    esac
}

peer_stop() {
    local stack=$1 pid=${PEER_PID[$1]:-}
    [ -n "$pid" ] && [ "$stack" != $JDBC ] || return 0
    if [ -n "${LIBERTY_SERVER[$stack]:-}" ]; then
        "$WLP/bin/server" stop "${LIBERTY_SERVER[$stack]}" >/dev/null 2>&1 || true
    else
        kill "$pid" 2>/dev/null || true
    fi
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
    PEER_PID[$stack]=
}

peer_url() { echo "http://127.0.0.1:${PEER_PORT[$1]}"; }

peer_wait_ready() {
    local stack=$1
    for _ in $(seq 900); do
        curl -sf -o /dev/null "$(peer_url "$stack")${PEER_READY[$stack]}" && return 0
        sleep 0.2
    done
    echo "$stack did not become ready; see $PEERS/target/peer-$stack.log (Liberty: $WLP/usr/servers/SERVER/logs)" >&2
    return 1
}

peer_wrk() { # stack endpoint round seconds
    local stack=$1 endpoint=$2 url out args
    url=$(peer_url "$stack")
    case $endpoint in
        read) args=("$url${PEER_READ[$stack]}") ;;
        write) args=(-s "$POST_LUA" "$url${PEER_WRITE[$stack]}") ;;
        ready) args=("$url${PEER_READY[$stack]}") ;;
    esac
    out=$(wrk -t2 -c16 -d"$4" --latency --timeout 10s "${args[@]}")
    if [ "$3" != warmup ]; then
        printf '### %s %s round %s\n%s\n\n' "$stack" "$endpoint" "$3" "$out" >> "$RESULTS/peers-wrk.txt"
        echo "$out" | $PEER_TOOLS wrk "$stack" "$endpoint" "$3"
    fi
}

run_peers() {
    local stack round k i count stacks=($PEER_STACKS $WOVEN) started endpoints
    rm -f "$RESULTS"/peers.jsonl "$RESULTS"/peers-wrk.txt "$PEERS"/target/peer-*.log
    peers_database
    $PEER_TOOLS start "$("$NEWEST_JDK/bin/java" -version 2>&1 | head -1)" "$DURATION" \
        "Open Liberty 26.0.0.3, Payara Micro $PAYARA7_VERSION, Quarkus $(sed -n 's:.*<quarkus.version>\(.*\)</quarkus.version>.*:\1:p' "$PEERS/quarkus/pom.xml"), Spring Boot $(grep -A2 '<artifactId>spring-boot-starter-parent' "$PEERS/spring/pom.xml" | sed -n 's:.*<version>\(.*\)</version>.*:\1:p'), Helidon $(grep -A2 '<artifactId>helidon-mp</artifactId>' "$PEERS/helidon/pom.xml" | sed -n 's:.*<version>\(.*\)</version>.*:\1:p')"

    log "peers: startup, each stack alone, $STARTUPS times"
    set_app dblayer-bench.war
    for round in $(seq "$STARTUPS"); do
        for stack in $PEER_STACKS; do
            started=$(date +%s.%N)
            peer_start "$stack" "$PEER_PG_PORT"
            $PEER_TOOLS startup "$stack" "$round" "$(peer_url "$stack")${PEER_READ[$stack]}" "$started"
            peer_stop "$stack"
        done
    done

    log "peers: all six at once; warm-up ${WARMUP} per endpoint"
    set_app dblayer-bench.war
    for stack in "${stacks[@]}"; do peer_start "$stack" "$PEER_PG_PORT"; done
    for stack in "${stacks[@]}"; do
        peer_wait_ready "$stack"
        for endpoint in read write ready; do peer_wrk "$stack" $endpoint warmup "$WARMUP"; done
        $PEER_TOOLS rss "$stack" "${PEER_PID[$stack]}"
    done
    for endpoint in read write; do peer_wrk $JDBC $endpoint warmup "$WARMUP"; done
    stacks+=($JDBC)
    count=${#stacks[@]}
    for round in $(seq "$ROUNDS"); do
        log "  peers round $round of $ROUNDS"
        for k in $(seq 0 $(( count - 1 ))); do
            i=$(( (k + round - 1) % count ))
            endpoints="read write ready"; [ "${stacks[$i]}" = $JDBC ] && endpoints="read write"
            for endpoint in $endpoints; do peer_wrk "${stacks[$i]}" $endpoint "$round" "$DURATION"; done
        done
    done
    peer_stop $WOVEN
    for stack in $PEER_STACKS; do
        log "  peers: exhausted pool on $stack"
        $PEER_TOOLS exhausted "$stack" "$(peer_url "$stack")/api/hold?seconds=4" "$(peer_url "$stack")${PEER_READ[$stack]}" 100
        peer_stop "$stack"
    done

    log "peers: readiness with the database blackholed, one stack at a time"
    local ports_file
    ports_file=$(mktemp)
    for stack in $PEER_STACKS; do
        : > "$ports_file"
        $PEER_TOOLS proxy "$ports_file" "$PEER_PG_PORT" & PEER_PROXY_PID=$!
        for _ in $(seq 50); do [ -s "$ports_file" ] && break; sleep 0.1; done
        peer_start "$stack" "$(cat "$ports_file")"
        peer_wait_ready "$stack"
        kill -USR1 "$PEER_PROXY_PID"
        $PEER_TOOLS blackholed "$stack" "$(peer_url "$stack")${PEER_READY[$stack]}" "$PROBES_BLACKHOLED" 10
        peer_stop "$stack"
        kill "$PEER_PROXY_PID"; wait "$PEER_PROXY_PID" 2>/dev/null || true; PEER_PROXY_PID=
    done
    rm -f "$ports_file"
    $PEER_TOOLS plot "$RESULTS/peers.png"
}
