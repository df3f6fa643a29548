#!/bin/bash
# Manual check (root): runs data-channels.js against a Janus of its own in a private network
# namespace (Janus gathers no candidates on loopback: a dummy ifb device carries 10.77.0.1 there).
#   sudo media-api/src/test/browser/data-channels-janus.sh one both same negotiated
# Needs Debian's janus (VideoCall and the HTTP transport), chromium and e2e/node_modules.
set -euo pipefail
if [[ ${1:-} != --inside ]]; then
  exec unshare -n "$0" --inside "$@"
fi
shift
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/vclick-dc-janus.XXXXXX)
trap 'kill "${janus_pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
lib=$(dirname "$(ls -d /usr/lib/*/janus/plugins | head -1)")
others() { (cd "$lib/$1" && ls *.so | grep -v -e "$2" | paste -sd,); }
secret=dc-check-$RANDOM$RANDOM$RANDOM
ip link set lo up
ip link add dc0 type ifb
ip addr add 10.77.0.1/32 dev dc0
ip link set dc0 up
cat >"$work/janus.jcfg" <<CFG
general: {
	configs_folder = "$work"
	plugins_folder = "$lib/plugins"
	transports_folder = "$lib/transports"
	events_folder = "$lib/events"
	loggers_folder = "$lib/loggers"
	log_to_stdout = true
	debug_level = 4
	api_secret = "$secret"
}
media: { ipv6 = false }
nat: { ice_enforce_list = "dc0" }
plugins: { disable = "$(others plugins libjanus_videocall.so)" }
transports: { disable = "$(others transports libjanus_http.so)" }
CFG
cat >"$work/janus.transport.http.jcfg" <<CFG
general: { json = "plain", base_path = "/janus", http = true, ip = "127.0.0.1", port = 18288, https = false }
admin: { admin_http = false, admin_https = false }
CFG
janus -C "$work/janus.jcfg" -F "$work" >"$work/janus.log" 2>&1 &
janus_pid=$!
for _ in $(seq 50); do curl -s -o /dev/null http://127.0.0.1:18288/janus/info && break; sleep 0.1; done
(($#)) || set -- one both
for scenario in "$@"; do
  JANUS_URL=http://127.0.0.1:18288/janus JANUS_SECRET=$secret node "$here/data-channels.js" janus "$scenario" | grep RESULT
done
