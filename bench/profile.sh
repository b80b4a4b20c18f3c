#!/usr/bin/env bash
# Profiles request endpoints of the bench app with Java Flight Recorder and prints where the request
# threads spend their time. Run bench/run.sh (or its build step) first: this uses the server it built.
#
#   bench/profile.sh [SECONDS] ENDPOINT...     e.g.  bench/profile.sh 20 read/module read/jdbc
#
# Each ENDPOINT (read/PATH is a GET, write/PATH a POST) is warmed up for 30 s, then loaded with
# wrk -t2 -c16 for SECONDS (default 20) while JFR samples every thread each millisecond.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_EACH=20
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then SECONDS_EACH=$1; shift; fi
[ $# -gt 0 ] || { echo "usage: bench/profile.sh [SECONDS] ENDPOINT..." >&2; exit 2; }
WLP=$ROOT/bench/app/target/liberty/wlp
SERVER=bench
URL=http://127.0.0.1:9480
OUT=$ROOT/bench/results/profiles
mkdir -p "$OUT"
trap '"$WLP/bin/server" stop $SERVER >/dev/null 2>&1 || true' EXIT

sed -i "s/^app.location=.*/app.location=dblayer-bench.war/" "$WLP/usr/servers/$SERVER/bootstrap.properties"
"$WLP/bin/server" start $SERVER >/dev/null
for _ in $(seq 120); do curl -sf -o /dev/null "$URL/health/ready" && break; sleep 1; done
PID=$(cat "$WLP/usr/servers/.pid/$SERVER.pid")
POST_LUA=$(mktemp --suffix .lua); echo 'wrk.method = "POST"' > "$POST_LUA"
SETTINGS=$(mktemp --suffix .jfc)
python3 - "$(dirname "$(readlink -f "$(command -v java)")")/../lib/jfr/profile.jfc" "$SETTINGS" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
# sample every running Java thread each millisecond (profile.jfc: every 10 ms)
text = re.sub(r'(<event name="jdk.ExecutionSample">.*?<setting name="period">)[^<]*', r'\g<1>1 ms', text, flags=re.S)
open(sys.argv[2], "w").write(text)
PY

for endpoint in "$@"; do
    args=("$URL/api/$endpoint"); [[ $endpoint == write/* ]] && args=(-s "$POST_LUA" "${args[@]}")
    wrk -t2 -c16 -d30s "${args[@]}" > /dev/null   # warm-up: the JIT needs more than 10 s here
    file=$OUT/${endpoint//\//-}.jfr
    jcmd "$PID" JFR.start name=p settings="$SETTINGS" > /dev/null
    rate=$(wrk -t2 -c16 -d"${SECONDS_EACH}s" "${args[@]}" | awk '/Requests\/sec/ {print $2}')
    jcmd "$PID" JFR.stop name=p filename="$file" > /dev/null
    echo "# $endpoint: wrk -t2 -c16 -d${SECONDS_EACH}s, $rate req/s while recorded ($file)"
    python3 "$ROOT/bench/jfr-summary.py" "$file"
    echo
done
rm -f "$POST_LUA" "$SETTINGS"
