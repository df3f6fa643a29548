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

# --- secrets: each process gets its own -----------------------------------------------------
# ./vclick loads every secret of the profile into its own shell (the test runner needs them), but
# a service starts with only the secrets it uses: every other variable whose name says secret,
# password, token, credential or key is removed from its environment. coturn, Janus, PostgreSQL
# and Kurento get none (theirs are in their configuration files, mode 600); the tools Payara runs
# on recorded media (janus-pp-rec, ffmpeg, ffprobe) get none either (ToolEnvironment).

# service_secrets NAME : the names of the secrets service NAME may see in its environment.
service_secrets() {
  case $1 in
    payara) echo VCLICK_KEYCLOAK_CLIENT_SECRET VCLICK_TURN_SECRET VCLICK_MEDIA_JANUS_API_SECRET \
      VCLICK_DB_PASSWORD VCLICK_HEALTH_KEY VCLICK_AUDIT_KEY ;;
    keycloak) echo KC_BOOTSTRAP_ADMIN_PASSWORD VCLICK_KEYCLOAK_CLIENT_SECRET ;;
    *) ;;
  esac
}

# is_secret_name NAME : true for an environment variable that holds a secret, by its name.
is_secret_name() {
  [[ $1 =~ (SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|CREDENTIAL|_KEY$) ]]
}

# env_for NAME : the env(1) arguments that remove every secret but service NAME's own, e.g.
#   env $(env_for janus) janus ...   (one word per argument: variable names have no spaces)
env_for() {
  local var own
  own=" $(service_secrets "$1" | tr '\n' ' ') "
  while IFS= read -r var; do
    if is_secret_name "$var" && [[ $own != *" $var "* ]]; then
      printf -- '-u %s ' "$var"
    fi
  done < <(compgen -e)
}

# start_bg NAME CMD... : start CMD in its own process group with only its own secrets (above) and
# none of the caller's open files (a service that kept, say, the descriptor of a flock(1) lock its
# starter held would hold that lock for its whole life), remember its pid.
start_bg() {
  local name=$1
  shift
  mkdir -p "$VCLICK_STATE/pids" "$VCLICK_STATE/logs"
  (
    local fd
    for fd in /proc/"$BASHPID"/fd/*; do
      fd=${fd##*/}
      if ((fd > 2)); then eval "exec $fd>&-"; fi
    done
    # shellcheck disable=SC2046 # env_for prints separate words on purpose
    exec setsid env $(env_for "$name") "$@" >"$VCLICK_STATE/logs/$name.log" 2>&1 </dev/null
  ) &
  echo $! >"$VCLICK_STATE/pids/$name.pid"
}

# foreign_secrets_of NAME : the names of the profile's secrets (secrets.env) whose values are in the
# environment of a process of service NAME (its whole process group) other than as one of its own
# secrets (service_secrets). Reads /proc/<pid>/environ; prints nothing when clean.
foreign_secrets_of() {
  local service=$1 pid line name value own environ
  own=" $(service_secrets "$service" | tr '\n' ' ') "
  [[ -f $VCLICK_STATE/pids/$service.pid ]] || return 0
  for pid in $(pgrep -g "$(cat "$VCLICK_STATE/pids/$service.pid")"); do
    environ=$(tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | while IFS= read -r line; do
      [[ $own == *" ${line%%=*} "* ]] || printf '%s\n' "$line"
    done) || continue
    while IFS='=' read -r name value; do
      if [[ -n $value && $name != KC_BOOTSTRAP_ADMIN_USERNAME && $environ == *"$value"* ]]; then
        echo "$name"
      fi
    done <"$VCLICK_STATE/secrets.env"
  done | sort -u
}

# check_process_secrets NAME... : dies naming the service and the secret (never its value) when a
# process of a service holds another's secret in its environment.
check_process_secrets() {
  local service leaked
  for service in "$@"; do
    leaked=$(foreign_secrets_of "$service")
    [[ -z $leaked ]] || die "$service's environment holds secrets it does not use: $(echo $leaked)"
  done
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
