# A throwaway PostgreSQL cluster for the test profile (sourced by ./vclick): proves that the
# application, its migrations and its locking work on PostgreSQL as well as on H2.
# Caller sets: VCLICK_STATE, PG_PORT, VCLICK_PG_PASSWORD. Listens on 127.0.0.1 only.

_pg_bin() { find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1; }
_pg_data() { echo "$VCLICK_STATE/postgres"; }

# _pg_as_owner CMD... : PostgreSQL refuses to run as root; run as the postgres user then.
_pg_as_owner() {
  if [[ $(id -u) == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

postgres_start() {
  local bin data pwfile
  bin=$(_pg_bin)
  [[ -x $bin/initdb ]] || die "PostgreSQL server binaries not found (apt-get install postgresql)"
  port_free "$PG_PORT" || die "port $PG_PORT is in use (PostgreSQL)"
  data=$(_pg_data)
  rm -rf "$data" "$VCLICK_STATE/postgres-audit-archive"
  mkdir -p "$data"
  pwfile=$VCLICK_STATE/postgres.pw
  (umask 077 && printf '%s\n' "$VCLICK_PG_PASSWORD" >"$pwfile")
  if [[ $(id -u) == 0 ]]; then chown postgres "$data" "$pwfile"; fi
  _pg_as_owner "$bin/initdb" -D "$data" -U vclick --pwfile="$pwfile" -A scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >"$VCLICK_STATE/logs/postgres-initdb.log" 2>&1 ||
    die "initdb failed (log: $VCLICK_STATE/logs/postgres-initdb.log)"
  rm -f "$pwfile"
  local -a as_owner=()
  if [[ $(id -u) == 0 ]]; then as_owner=(runuser -u postgres --); fi
  start_bg postgres "${as_owner[@]}" "$bin/postgres" -D "$data" -h 127.0.0.1 -p "$PG_PORT" -k "$data"
}

_pg_ready() {
  PGPASSWORD=$VCLICK_PG_PASSWORD psql -h 127.0.0.1 -p "$PG_PORT" -U vclick -d postgres -qAtc 'SELECT 1'
}

postgres_wait() {
  wait_until postgres 60 _pg_ready
  PGPASSWORD=$VCLICK_PG_PASSWORD psql -h 127.0.0.1 -p "$PG_PORT" -U vclick -d postgres -qc \
    'CREATE DATABASE vclick' >/dev/null
  log "PostgreSQL ready on 127.0.0.1:$PG_PORT"
}

postgres_stop() { stop_bg postgres; }
