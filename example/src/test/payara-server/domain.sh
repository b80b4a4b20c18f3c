#!/usr/bin/env bash
# The demo in a Payara Server domain of its own, for `mvn verify` (example/pom.xml):
#   domain.sh start PAYARA_HOME WAR PORTBASE   creates the domain afresh, starts it, deploys WAR at /
#   domain.sh stop PAYARA_HOME                 stops the domain
# The domain's HTTP port is PORTBASE+80 and its admin port PORTBASE+48. dblayer's settings reach the
# server as environment variables (DATABASE_SCHEMA, ...), which the domain inherits from this script.
set -euo pipefail
action=$1
home=$2
asadmin="$home/bin/asadmin"
domains="$home/glassfish/domains"
domain=dblayer-demo

case "$action" in
    start)
        war=$3
        portbase=$4
        chmod +x "$asadmin" "$home"/glassfish/bin/* 2> /dev/null || true
        # a domain left running by an interrupted build, then its files
        "$asadmin" stop-domain --domaindir "$domains" "$domain" > /dev/null 2>&1 || true
        rm -rf "${domains:?}/$domain"
        "$asadmin" create-domain --nopassword=true --portbase "$portbase" --domaindir "$domains" "$domain"
        "$asadmin" start-domain --domaindir "$domains" "$domain"
        # a WAR that fails to deploy fails the build, and leaves no domain running
        if ! "$asadmin" --port $((portbase + 48)) deploy --contextroot / --name dblayer-demo "$war"; then
            "$asadmin" stop-domain --domaindir "$domains" "$domain" || true
            exit 1
        fi
        ;;
    stop)
        "$asadmin" stop-domain --domaindir "$domains" "$domain"
        ;;
    *)
        echo "usage: domain.sh start PAYARA_HOME WAR PORTBASE | stop PAYARA_HOME" >&2
        exit 2
        ;;
esac
