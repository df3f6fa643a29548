# Shared helpers for the ./vclick script and the per-service scripts (sourced, never run).
# Conventions every service script follows:
#   - state of one profile lives in $VCLICK_STATE (logs/, pids/, conf/, data/);
#   - a service started in the background writes its pid to $VCLICK_STATE/pids/<name>.pid
#     and its output to $VCLICK_STATE/logs/<name>.log;
#   - every server binds to 127.0.0.1.

log() { printf '\033[1;34m[vclick]\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33m[vclick] WARNING:\033[0m %s\n' "$*" >&2; }
die() {
  printf '\033[1;31m[vclick] ERROR:\033[0m %s\n' "$*" >&2
  exit 1
}

# start_bg NAME CMD... : start CMD in its own process group, remember its pid.
start_bg() {
  local name=$1
  shift
  mkdir -p "$VCLICK_STATE/pids" "$VCLICK_STATE/logs"
  setsid "$@" >"$VCLICK_STATE/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$VCLICK_STATE/pids/$name.pid"
}

# is_running NAME : true when the remembered process is alive.
is_running() {
  local f="$VCLICK_STATE/pids/$1.pid"
  [[ -f $f ]] && kill -0 "$(cat "$f")" 2>/dev/null
}

# stop_bg NAME : TERM the process group, then KILL after a grace period.
stop_bg() {
  local name=$1 f="$VCLICK_STATE/pids/$1.pid" pid i
  [[ -f $f ]] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
    for i in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

# wait_until NAME TIMEOUT_S CMD... : poll CMD until it succeeds; fail early if NAME died.
wait_until() {
  local name=$1 timeout=$2 start
  shift 2
  start=$(date +%s)
  until "$@" >/dev/null 2>&1; do
    if ! is_running "$name"; then
      tail -n 40 "$VCLICK_STATE/logs/$name.log" >&2 || true
      die "$name exited before it was ready (log: $VCLICK_STATE/logs/$name.log)"
    fi
    if (($(date +%s) - start > timeout)); then
      tail -n 40 "$VCLICK_STATE/logs/$name.log" >&2 || true
      die "$name was not ready after ${timeout}s (log: $VCLICK_STATE/logs/$name.log)"
    fi
    sleep 1
  done
}

# http_ok URL : true on a 2xx answer.
http_ok() { curl -fsS -o /dev/null --max-time 5 "$1"; }

# random_secret : 32 random bytes, URL-safe base64.
random_secret() { head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }

# port_free PORT : true when nothing listens on 127.0.0.1:PORT (TCP).
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
