#!/usr/bin/env bash
# Runs bench/turn-credentials.mjs against real services: builds the WAR if needed, starts the
# test-profile services on 127.0.0.1 (Keycloak :18180, coturn :13478, Janus :18088, Payara Micro
# :18080, as `./vclick test` does), runs the benchmark and stops everything on exit, Ctrl-C
# included.
#
#   bench/run.sh [turn] [options of turn-credentials.mjs]   e.g. bench/run.sh --concurrency 1,16
#   bench/run.sh presence [--clients N --watch K --churners C --rate R --duration S]
#                                                       (PresenceBenchmark, Java; see bench/README.md)
#   bench/run.sh flood [--sockets N --addresses A --phase S]   (socket-flood.mjs)
#
#   BENCH_BUILD=auto     build (mvn -DskipTests package) when the WAR is missing or older than a
#                        pom.xml or a file under src/main of a module (default)
#   BENCH_BUILD=always   always build;  BENCH_BUILD=never: use the WAR as it is
#
# It shares ports and state (.vclick/test) with `./vclick test`: it refuses to start while those
# services are up, and the two must not run at the same time.
set -euo pipefail

VCLICK_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export VCLICK_ROOT
# shellcheck source=scripts/lib.sh
source "$VCLICK_ROOT/scripts/lib.sh"
for service in keycloak coturn janus payara postgres; do
  # shellcheck disable=SC1090
  source "$VCLICK_ROOT/scripts/$service.sh"
done
# The profile and service helpers of ./vclick, taken from it so that both stay the same.
eval "$(sed -n '/^use_profile()/,/^}/p;/^load_secrets()/,/^}/p;/^stop_services()/,/^}/p;/^check_ports()/,/^}/p' "$VCLICK_ROOT/vclick")"
for fn in use_profile load_secrets stop_services check_ports; do
  declare -F "$fn" >/dev/null || die "could not read $fn() from ./vclick"
done
KEYCLOAK_VERSION=$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' "$VCLICK_ROOT/pom.xml")
export KEYCLOAK_VERSION

use_profile test

benchmark=turn
if [[ ${1:-} == presence || ${1:-} == turn || ${1:-} == flood ]]; then
  benchmark=$1
  shift
fi

command -v node >/dev/null || die "node is missing (20 or later)"
command -v java >/dev/null || die "java is missing"

# --- build --------------------------------------------------------------------------------------
war=$(payara_war)
needs_build() {
  [[ -f $war && -f $(payara_jar) ]] || return 0
  local newer
  newer=$(find "$VCLICK_ROOT/pom.xml" "$VCLICK_ROOT"/{testkit,media-api,kurento,janus,ejb,web,bench}/pom.xml \
    "$VCLICK_ROOT"/{testkit,media-api,kurento,janus,ejb,web,bench}/src/main \
    -newer "$war" -type f -print -quit 2>/dev/null)
  [[ -n $newer ]]
}
case ${BENCH_BUILD:-auto} in
  always) build=yes ;;
  never) build=no ;;
  auto) if needs_build; then build=yes; else build=no; fi ;;
  *) die "BENCH_BUILD must be auto, always or never" ;;
esac
if [[ $build == yes ]]; then
  log "building (mvn -DskipTests package)"
  (cd "$VCLICK_ROOT" && mvn -B -q -DskipTests package)
fi
[[ -f $war ]] || die "$war is missing (BENCH_BUILD=never?)"

# --- services -----------------------------------------------------------------------------------
for name in keycloak coturn janus payara; do
  is_running "$name" && die "$name of the test profile is already running (./vclick test?); try again later"
done
check_ports
keycloak_install

# From here on, whatever was started is stopped, however the script ends. A second Ctrl-C while
# stopping is ignored, so that nothing is left behind.
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  trap '' INT TERM
  log "stopping the services"
  stop_services
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "starting Keycloak :$KC_PORT, coturn :$TURN_PORT, Janus :$JANUS_PORT"
keycloak_start
coturn_config
coturn_start
janus_config
janus_start
coturn_wait
janus_wait
keycloak_wait
log "starting Payara Micro :$HTTP_PORT"
# Throughput benchmarks send thousands of requests a second per demo user: lift the per-user limit
# on relay credentials and decisions (vclick.turn.mint-*) unless the caller set it.
export VCLICK_TURN_MINT_BURST=${VCLICK_TURN_MINT_BURST:-1000000}
export VCLICK_TURN_MINT_PER_MINUTE=${VCLICK_TURN_MINT_PER_MINUTE:-1000000}
payara_start
payara_wait
wait_until payara 120 http_ok "http://127.0.0.1:$HTTP_PORT/api/health"
log "services up; $(java -version 2>&1 | head -n 1)"

# --- benchmark ----------------------------------------------------------------------------------
rc=0
server_pid=${BENCH_SERVER_PID:-$(cat "$VCLICK_STATE/pids/payara.pid")}
if [[ $benchmark == presence ]]; then
  classpath_file="$VCLICK_ROOT/bench/target/classpath.txt"
  (cd "$VCLICK_ROOT" && mvn -B -q -pl bench -am -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile="$classpath_file")
  java -cp "$VCLICK_ROOT/bench/target/classes:$(cat "$classpath_file")" \
    com.vclick.bench.PresenceBenchmark --url "$VCLICK_URL" --server-pid "$server_pid" "$@" || rc=$?
elif [[ $benchmark == flood ]]; then
  BENCH_SERVER_PID=$server_pid node "$VCLICK_ROOT/bench/socket-flood.mjs" "$@" || rc=$?
else
  BENCH_SERVER_PID=$server_pid node "$VCLICK_ROOT/bench/turn-credentials.mjs" "$@" || rc=$?
fi
exit "$rc"
