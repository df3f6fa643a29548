#!/bin/bash
# Manual bench (root): conference.js against a Janus of its own in a private network namespace
# (Janus gathers no candidates on loopback: a dummy ifb device carries 10.78.0.1 there), VideoRoom
# and the HTTP transport only.
#   janus/src/test/browser/conference-janus.sh [participants=3] [seconds=20]
#   RECORD=1 …: also records every publisher during the window and composes the take with the
#   adapter's FfmpegConferenceComposer (test-compile the janus module first), then ffprobes it.
# Needs Debian's janus, chromium and e2e/node_modules (npm ci in e2e/).
set -euo pipefail
if [[ ${1:-} != --inside ]]; then
  exec unshare -n "$0" --inside "$@"
fi
shift
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/vclick-conf-janus.XXXXXX)
trap 'kill "${janus_pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
lib=$(dirname "$(ls -d /usr/lib/*/janus/plugins | head -1)")
others() { (cd "$lib/$1" && ls *.so | grep -v -e "$2" | paste -sd,); }
secret=conf-bench-$RANDOM$RANDOM$RANDOM
ip link set lo up
ip link add cb0 type ifb
ip addr add 10.78.0.1/32 dev cb0
ip link set cb0 up
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
nat: { ice_enforce_list = "cb0" }
plugins: { disable = "$(others plugins libjanus_videoroom.so)" }
transports: { disable = "$(others transports libjanus_http.so)" }
CFG
printf 'general: {\n\tstring_ids = false\n}\n' >"$work/janus.plugin.videoroom.jcfg"
cat >"$work/janus.transport.http.jcfg" <<CFG
general: { json = "plain", base_path = "/janus", http = true, ip = "127.0.0.1", port = 18289, https = false }
admin: { admin_http = false, admin_https = false }
CFG
janus -C "$work/janus.jcfg" -F "$work" >"$work/janus.log" 2>&1 &
janus_pid=$!
for _ in $(seq 50); do curl -s -o /dev/null http://127.0.0.1:18289/janus/info && break; sleep 0.1; done
record=()
if [[ ${RECORD:-} == 1 ]]; then
  mkdir -m 700 "$work/rec"
  record=(RECORD_DIR="$work/rec")
fi
env JANUS_URL=http://127.0.0.1:18289/janus JANUS_SECRET=$secret JANUS_PID=$janus_pid "${record[@]}" node "$here/conference.js" "$@" ||
  { tail -30 "$work/janus.log"; exit 1; }
if [[ ${RECORD:-} == 1 ]]; then
  # Compose the take with the adapter's FfmpegConferenceComposer (mvn -o test-compile -pl janus first)
  module=$(cd "$here/../../.." && pwd)
  (cd "$module" && mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$work/cp" -Dmdep.includeScope=test >/dev/null)
  java -cp "$module/target/classes:$module/target/test-classes:$module/../media-api/target/classes:$(cat "$work/cp")" com.vclick.media.janus.ComposeTake "$work/rec/take.json"
  ls "$work/rec" | sed 's/^/PART /'
  for f in "$work"/rec/*.mkv; do
    echo "PROBE $(ffprobe -v error -show_entries stream=codec_type,codec_name,width,height:format=duration -of compact "$f" | tr '\n' ' ')"
  done
fi
