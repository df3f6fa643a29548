# coturn (TURN/STUN relay) for vclick. Sourced by ./vclick after scripts/lib.sh; never run alone.
# One configuration writer (coturn_write_config) serves both the local service of ./vclick run/test
# and the border relay files of ./vclick border (scripts/border.sh).
#
# Inputs (set by the caller):
#   VCLICK_STATE, VCLICK_PROFILE                   state dir (conf/ logs/ pids/) and profile (run|test)
#   TURN_PORT                                      listening port (3478 run, 13478 test)
#   TURN_RELAY_MIN_PORT, TURN_RELAY_MAX_PORT       UDP port range of relay allocations
#   VCLICK_TURN_SECRET                             shared secret of the TURN REST API (use-auth-secret);
#                                                  the same secret the app uses to mint credentials
# Optional:
#   VCLICK_TURN_REALM            realm (default vclick)
#   VCLICK_TURN_MODE             dev (default): loopback peers allowed, for local tests;
#                                local (./vclick run): relaying into private/special ranges is
#                                denied as in production, but loopback peers (the other browsers'
#                                relays on this machine) and VCLICK_TURN_ALLOWED_PEER_IPS (the
#                                media server's one-machine address, scripts/janus.sh) are allowed;
#                                production: relaying into private/special ranges is denied
#   VCLICK_TURN_LISTEN_IP        listening address, or a comma list of them (default 127.0.0.1)
#   VCLICK_TURN_RELAY_IP         relay address(es), comma list (default: the listening addresses)
#   VCLICK_TURN_EXTERNAL_IP      public address (or public/private) when coturn sits behind a 1:1 NAT
#   VCLICK_TURN_ALLOWED_PEER_IPS comma list of ip or ip-ip ranges exempted from the denied ranges
#                                (production behind NAT: add the relay's own private address so two
#                                clients of this server can reach each other's relay)
#   VCLICK_TURN_CERT, VCLICK_TURN_PKEY  PEM certificate and key: enables TLS/DTLS on VCLICK_TURN_TLS_PORT
#                                (default 5349); without them TLS and DTLS listeners are off
#   VCLICK_TURN_USER_QUOTA       concurrent allocations per user (default 48)
#   VCLICK_TURN_TOTAL_QUOTA      concurrent allocations in total (default 1200)
#   VCLICK_TURN_MAX_BPS          bytes per second per session, each direction (default 625000 = 5 Mbit/s)
#   VCLICK_TURN_BPS_CAPACITY     bytes per second of all sessions together, each direction
#                                (default: unset, no server-wide cap)

: "${VCLICK_TURN_REALM:=vclick}"
: "${VCLICK_TURN_MODE:=dev}"

_coturn_conf() { echo "$VCLICK_STATE/conf/turnserver.conf"; }

# _coturn_ip_list NAME ARRAY [ranges] : split the comma list in the variable NAME into the array
# ARRAY (blanks dropped); die naming NAME when an entry is not an IPv4/IPv6 literal (with "ranges":
# or an ip-ip range).
_coturn_ip_list() {
  local name=$1 item what='an ip address' pattern='^[0-9A-Fa-f.:]+$'
  local -n _out=$2
  local -a items
  if [[ ${3:-} == ranges ]]; then
    pattern='^[0-9A-Fa-f.:]+(-[0-9A-Fa-f.:]+)?$' what='an ip address or ip-ip range'
  fi
  _out=()
  IFS=',' read -ra items <<<"${!name:-}"
  for item in "${items[@]}"; do
    item=${item//[[:space:]]/}
    [[ -z $item ]] && continue
    [[ $item =~ $pattern && $item == *[.:]* ]] || die "$name: '$item' is not $what"
    _out+=("$item")
  done
}

# coturn_write_config FILE LAYOUT : write a coturn configuration to FILE (mode 600) from the
# variables above. The two layouts differ only where a deployment must:
#   service  the local service of ./vclick run/test: mode VCLICK_TURN_MODE, the secret
#            VCLICK_TURN_SECRET written into the file, userdb/pid/log under $VCLICK_STATE;
#   border   the border relay (./vclick border): always production mode, userdb and pid file under
#            VCLICK_BORDER_TURN_DIR (default /var/lib/turn, Debian's), log to stdout (the journal
#            under systemd), certificate paths taken as paths on the relay host (not checked here),
#            and NO secret unless VCLICK_BORDER_WITH_SECRET=1: without static-auth-secret coturn
#            refuses every allocation, so a template deployed unchanged fails closed.
coturn_write_config() {
  local conf=$1 layout=$2 mode with_secret=0 dir db pidfile logfile relay
  local -a listens relays allowed
  case $layout in
    service)
      mode=$VCLICK_TURN_MODE with_secret=1 dir=$VCLICK_STATE
      db=$dir/data/turndb pidfile=$dir/pids/turnserver.pid logfile=$dir/logs/turnserver.log
      ;;
    border)
      mode=production dir=${VCLICK_BORDER_TURN_DIR:-/var/lib/turn}
      [[ ${VCLICK_BORDER_WITH_SECRET:-0} == 1 ]] && with_secret=1
      db=$dir/turndb pidfile=$dir/turnserver.pid logfile=stdout
      ;;
    *) die "coturn_write_config: layout must be service or border (got '$layout')" ;;
  esac
  if ((with_secret)); then
    [[ -n ${VCLICK_TURN_SECRET:-} ]] || die "VCLICK_TURN_SECRET is not set"
    [[ $VCLICK_TURN_SECRET =~ ^[A-Za-z0-9._~+/=-]{16,}$ ]] ||
      die "VCLICK_TURN_SECRET must be at least 16 characters of [A-Za-z0-9._~+/=-] (value not shown)"
  fi
  [[ -n ${TURN_PORT:-} && -n ${TURN_RELAY_MIN_PORT:-} && -n ${TURN_RELAY_MAX_PORT:-} ]] ||
    die "TURN_PORT, TURN_RELAY_MIN_PORT and TURN_RELAY_MAX_PORT must be set"
  [[ $TURN_PORT =~ ^[0-9]+$ && $TURN_RELAY_MIN_PORT =~ ^[0-9]+$ && $TURN_RELAY_MAX_PORT =~ ^[0-9]+$ ]] ||
    die "TURN_PORT, TURN_RELAY_MIN_PORT and TURN_RELAY_MAX_PORT must be numbers"
  ((TURN_RELAY_MIN_PORT < TURN_RELAY_MAX_PORT && TURN_RELAY_MAX_PORT <= 65535)) ||
    die "TURN_RELAY_MIN_PORT must be below TURN_RELAY_MAX_PORT (at most 65535)"
  [[ $mode == dev || $mode == local || $mode == production ]] ||
    die "VCLICK_TURN_MODE must be dev, local or production (got '$mode')"
  _coturn_ip_list VCLICK_TURN_LISTEN_IP listens
  ((${#listens[@]})) || listens=(127.0.0.1)
  _coturn_ip_list VCLICK_TURN_RELAY_IP relays
  ((${#relays[@]})) || relays=("${listens[@]}")
  _coturn_ip_list VCLICK_TURN_ALLOWED_PEER_IPS allowed ranges
  [[ ${VCLICK_TURN_BPS_CAPACITY:-0} =~ ^[0-9]+$ ]] || die "VCLICK_TURN_BPS_CAPACITY must be a number of bytes per second"
  local n
  for n in VCLICK_TURN_USER_QUOTA VCLICK_TURN_TOTAL_QUOTA VCLICK_TURN_MAX_BPS; do
    [[ ${!n:-1} =~ ^[0-9]+$ ]] || die "$n must be a number"
  done
  if [[ -n ${VCLICK_TURN_EXTERNAL_IP:-} && ! $VCLICK_TURN_EXTERNAL_IP =~ ^[0-9A-Fa-f.:]+(/[0-9A-Fa-f.:]+)?$ ]]; then
    die "VCLICK_TURN_EXTERNAL_IP: '$VCLICK_TURN_EXTERNAL_IP' is not ip or public-ip/private-ip"
  fi
  for relay in "${relays[@]}"; do
    if [[ $mode == production && $relay == 127.* ]]; then
      warn "coturn in production mode relays on $relay: clients elsewhere cannot reach it (set VCLICK_TURN_LISTEN_IP/VCLICK_TURN_RELAY_IP)"
    fi
  done
  if [[ -n ${VCLICK_TURN_CERT:-} || -n ${VCLICK_TURN_PKEY:-} ]]; then
    [[ -n ${VCLICK_TURN_CERT:-} && -n ${VCLICK_TURN_PKEY:-} ]] || die "VCLICK_TURN_CERT and VCLICK_TURN_PKEY go together"
    if [[ $layout == service ]]; then
      [[ -r $VCLICK_TURN_CERT && -r $VCLICK_TURN_PKEY ]] ||
        die "VCLICK_TURN_CERT and VCLICK_TURN_PKEY must both name readable PEM files"
    fi
  fi

  mkdir -p "$(dirname "$conf")"
  rm -f "$conf"
  # umask 077 in a subshell: the file is never readable by others, not even while it is written.
  (
    umask 077
    _coturn_render >"$conf"
  ) || die "could not write $conf"
  chmod 600 "$conf"
}

# _coturn_render : print the configuration; called by coturn_write_config only (it reads that
# function's locals: layout, mode, with_secret, listens, relays, allowed, db, pidfile, logfile).
_coturn_render() {
  local ip range
  if [[ $layout == service ]]; then
    cat <<EOF
# Generated by scripts/coturn.sh for profile '${VCLICK_PROFILE:-?}', mode '$mode'. Do not edit:
# it is rewritten on every start. This file holds the TURN secret (mode 600).
EOF
  elif ((with_secret)); then
    cat <<EOF
# Vclick border relay: coturn configuration generated by ./vclick border (mode production).
# It HOLDS THE TURN SECRET (generated with --with-secret): keep it readable only by root and
# coturn's user, never commit or mail it. Regenerate rather than edit: docs/BORDER.md.
EOF
  else
    cat <<EOF
# Vclick border relay: coturn configuration TEMPLATE generated by ./vclick border (mode production).
# It holds no secret. Add the TURN REST API secret at deploy time (the vclick server's
# VCLICK_TURN_SECRET) as a line "static-auth-secret=..." in the deployed copy, readable only by
# root and coturn's user: until then coturn refuses every allocation. How: README.txt next to this
# file, docs/BORDER.md.
EOF
  fi
  cat <<EOF

# --- Network -------------------------------------------------------------------------------
# Only the configured addresses; nothing on 0.0.0.0.
EOF
  for ip in "${listens[@]}"; do echo "listening-ip=$ip"; done
  for ip in "${relays[@]}"; do echo "relay-ip=$ip"; done
  cat <<EOF
listening-port=$TURN_PORT
# UDP ports of relay allocations (open them in the firewall in production).
min-port=$TURN_RELAY_MIN_PORT
max-port=$TURN_RELAY_MAX_PORT
EOF
  if [[ -n ${VCLICK_TURN_EXTERNAL_IP:-} ]]; then
    printf '# Public address announced in relay candidates (1:1 NAT).\nexternal-ip=%s\n' "$VCLICK_TURN_EXTERNAL_IP"
  fi
  if [[ -n ${VCLICK_TURN_CERT:-} ]]; then
    cat <<EOF
# TLS (turns:) and DTLS listeners on the TLS port.
tls-listening-port=${VCLICK_TURN_TLS_PORT:-5349}
cert=$VCLICK_TURN_CERT
pkey=$VCLICK_TURN_PKEY
no-tlsv1
no-tlsv1_1
EOF
  else
    cat <<'EOF'
# No certificate given: no TLS or DTLS listeners (only turn: over UDP and TCP).
no-tls
no-dtls
EOF
  fi
  cat <<EOF

# --- Authentication: TURN REST API (time-limited credentials) ------------------------------
# username = "<unix expiry>:<user id>[:<origin tag>]", password = base64(HMAC-SHA1(secret, username)),
# minted by the vclick server (POST /api/turn/credentials, POST /api/edge/decision). A wrong or
# expired one gets 401.
use-auth-secret
EOF
  if ((with_secret)); then
    echo "static-auth-secret=$VCLICK_TURN_SECRET"
  else
    cat <<'EOF'
# static-auth-secret is added at deploy time (never stored in this template). Without it every
# allocation is refused.
EOF
  fi
  cat <<EOF
realm=$VCLICK_TURN_REALM
# Nonces expire (600 s), so a captured nonce cannot be replayed forever.
stale-nonce=600
# FINGERPRINT attribute in every message (what browsers send anyway).
fingerprint

# --- Abuse limits -------------------------------------------------------------------------
# Concurrent allocations per user name and in total. Chromium allocates one per TURN URI (UDP and
# TCP) and per network interface, so one peer connection on a laptop with Wi-Fi and a VPN takes 4
# (BENCHMARKS.md, "Secure Edge wrapper"); a closed one's stay ~1 s. 48 = a dozen connections of one
# page or user at once. (With Secure Edge credentials "<expiry>:<user id>:<origin tag>" the quota
# counts per user and origin.)
user-quota=${VCLICK_TURN_USER_QUOTA:-48}
total-quota=${VCLICK_TURN_TOTAL_QUOTA:-1200}
# Bandwidth per session in BYTES per second, each direction separately (625000 = 5 Mbit/s,
# enough for one 720p video + audio).
max-bps=${VCLICK_TURN_MAX_BPS:-625000}
EOF
  if [[ -n ${VCLICK_TURN_BPS_CAPACITY:-} ]]; then
    cat <<EOF
# Bandwidth of all sessions together, BYTES per second, each direction separately: new
# allocations are refused once it is reached.
bps-capacity=$VCLICK_TURN_BPS_CAPACITY
EOF
  fi
  cat <<EOF
# No TCP relay allocations (RFC 6062): browsers only ever ask for UDP relays (also when they
# reach the server over TCP, turn:...?transport=tcp), and a TCP relay would make this server a
# generic TCP proxy into whatever it can reach.
no-tcp-relay
# Never relay to multicast/broadcast addresses.
no-multicast-peers

# --- Hardening -------------------------------------------------------------------------------
# No telnet admin CLI, no version in responses, no RFC 5780 NAT discovery (needs 2 addresses).
no-cli
no-software-attribute
no-rfc5780
no-stun-backward-compatibility

# --- Files --------------------------------------------------------------------------------
# coturn opens an SQLite user DB even with static-auth-secret: keep it where coturn may write.
userdb=$db
pidfile=$pidfile
EOF
  if [[ $logfile == stdout ]]; then
    cat <<'EOF'
# Log to standard output: the journal under systemd (journalctl -u coturn).
log-file=stdout
simple-log
EOF
  else
    cat <<EOF
log-file=$logfile
simple-log
no-stdout-log
EOF
  fi
  if [[ $mode == dev ]]; then
    cat <<'EOF'

# --- Peers: DEV mode ---------------------------------------------------------------------------
# Local testing: both browsers and their relays live on 127.0.0.1, so the relay must be allowed
# to send to loopback peers (coturn refuses them by default). Never use this mode in production.
allow-loopback-peers
EOF
    return 0
  fi
  local -a denied=(
    0.0.0.0-0.255.255.255
    10.0.0.0-10.255.255.255
    100.64.0.0-100.127.255.255
    127.0.0.0-127.255.255.255
    169.254.0.0-169.254.255.255
    172.16.0.0-172.31.255.255
    192.0.0.0-192.0.0.255
    192.0.2.0-192.0.2.255
    192.88.99.0-192.88.99.255
    192.168.0.0-192.168.255.255
    198.18.0.0-198.19.255.255
    198.51.100.0-198.51.100.255
    203.0.113.0-203.0.113.255
    240.0.0.0-255.255.255.255
    ::1
    ::ffff:0.0.0.0-::ffff:255.255.255.255
    64:ff9b::-64:ff9b::ffff:ffff
    64:ff9b:1::-64:ff9b:1:ffff:ffff:ffff:ffff:ffff
    100::-100::ffff:ffff:ffff:ffff
    2001::-2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff
    2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff
    2002::-2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff
    fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
    fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff
  )
  if [[ $mode == local ]]; then
    cat <<'EOF'

# --- Peers: LOCAL mode (./vclick run on one machine) -------------------------------------------
# As in production, relaying into private and special-purpose ranges is denied, with two
# exceptions: loopback (allow-loopback-peers; the loopback ranges are left out of the list below)
# and VCLICK_TURN_ALLOWED_PEER_IPS, the media server's address on this machine (Janus never uses
# loopback; ./vclick run also relays from that address: docs/RECORDING-NETWORK.md). The machine's
# own LAN addresses and every other internal address stay out of the relay's reach.
allow-loopback-peers
EOF
  else
    cat <<'EOF'

# --- Peers: PRODUCTION mode --------------------------------------------------------------------
# Relaying into private, loopback, link-local and special-purpose ranges is denied, so the server
# cannot be used to reach the internal network it runs in (SSRF through TURN). A denied peer gets
# 403 (Forbidden IP) and no packet is sent to it.
EOF
  fi
  for range in "${denied[@]}"; do
    [[ $mode == local && ($range == 127.0.0.0-127.255.255.255 || $range == ::1) ]] && continue
    echo "denied-peer-ip=$range"
  done
  if ((${#allowed[@]})); then
    echo "# Exceptions from VCLICK_TURN_ALLOWED_PEER_IPS (allowed wins over denied)."
    for range in "${allowed[@]}"; do echo "allowed-peer-ip=$range"; done
  else
    echo "# No exceptions (VCLICK_TURN_ALLOWED_PEER_IPS is empty): no internal peer is reachable."
  fi
}

# coturn_config : write $VCLICK_STATE/conf/turnserver.conf for the local service (mode 600: it holds
# the secret).
coturn_config() {
  local conf
  conf=$(_coturn_conf)
  mkdir -p "$VCLICK_STATE/conf" "$VCLICK_STATE/logs" "$VCLICK_STATE/pids" "$VCLICK_STATE/data"
  coturn_write_config "$conf" service
  log "coturn: config written to $conf (mode $VCLICK_TURN_MODE, ${VCLICK_TURN_LISTEN_IP:-127.0.0.1}:$TURN_PORT, relay ports $TURN_RELAY_MIN_PORT-$TURN_RELAY_MAX_PORT)"
}

# coturn_start : (re)write the config from the current environment, start turnserver in the background.
coturn_start() {
  command -v turnserver >/dev/null || die "turnserver not found (apt-get install coturn)"
  if is_running coturn; then
    log "coturn: already running"
    return 0
  fi
  port_free "$TURN_PORT" || die "port $TURN_PORT (TCP) is already in use: is another TURN server running?"
  # ./vclick run: the one-machine media path (scripts/janus.sh) sets the relay address and peers.
  if declare -F janus_local_media >/dev/null; then janus_local_media; fi
  coturn_config
  rm -f "$VCLICK_STATE/logs/turnserver.log"
  start_bg coturn turnserver -c "$(_coturn_conf)"
  log "coturn: started (pid $(cat "$VCLICK_STATE/pids/coturn.pid"))"
}

# _coturn_probe_ip : the (first) listening address, where readiness probes go.
_coturn_probe_ip() {
  local ip=${VCLICK_TURN_LISTEN_IP:-127.0.0.1}
  ip=${ip%%,*}
  echo "${ip//[[:space:]]/}"
}

# _coturn_stun_ok : a STUN binding request to the listening address gets an answer (UDP).
# (-L is needed: unbound, turnutils_stunclient gets no answer from a loopback-only server.)
_coturn_stun_ok() {
  local ip
  ip=$(_coturn_probe_ip)
  timeout 1 turnutils_stunclient -L "$ip" -p "$TURN_PORT" "$ip" 2>&1 | grep -q 'UDP reflexive addr'
}

# _coturn_credential USER : prints "<expiry>:<USER> <password>" valid 60 s, the TURN REST API way.
# perl reads the secret from its environment: it never appears on a command line.
_coturn_credential() {
  local user="$(($(date +%s) + 60)):$1"
  printf '%s ' "$user"
  S=$VCLICK_TURN_SECRET U=$user perl -MDigest::SHA=hmac_sha1_base64 -e \
    'my $h = hmac_sha1_base64($ENV{U}, $ENV{S}); $h .= "=" while length($h) % 4; print $h'
}

# _coturn_turn_ok : a real TURN allocation with a credential minted from the secret gets a relay
# address (proves the secret, the realm and the relay port range, not only the STUN listener).
# turnutils_uclient would then exchange test traffic for ~5 s (and it ignores SIGPIPE): read its
# output and stop it at the first relay address (the orphaned allocation expires on its own).
_coturn_turn_ok() {
  local ip cred line ok=1
  ip=$(_coturn_probe_ip)
  cred=$(_coturn_credential vclick-readiness) || return 1
  coproc _COTURN_UC {
    exec timeout 10 turnutils_uclient -v -L "$ip" -p "$TURN_PORT" -u "${cred% *}" -w "${cred#* }" \
      -m 1 -n 1 -c -e "$ip" -r "$TURN_PORT" "$ip" 2>&1
  }
  local pid=$_COTURN_UC_PID
  while IFS= read -r line <&"${_COTURN_UC[0]}"; do
    if [[ $line == *'Received relay addr'* ]]; then
      ok=0
      break
    fi
  done
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return $ok
}

# coturn_wait : wait until coturn answers STUN, then check one authenticated allocation.
coturn_wait() {
  local t0=$SECONDS
  wait_until coturn "${1:-20}" _coturn_stun_ok
  if ! perl -MDigest::SHA -e 1 2>/dev/null; then
    warn "coturn: perl Digest::SHA missing, TURN allocation check skipped (STUN answers)"
    return 0
  fi
  _coturn_turn_ok || {
    tail -n 20 "$VCLICK_STATE/logs/turnserver.log" >&2 || true
    die "coturn answers STUN but a TURN allocation with the configured secret failed"
  }
  log "coturn: ready on $(_coturn_probe_ip):$TURN_PORT ($((SECONDS - t0)) s)"
}

# coturn_stop : stop turnserver.
coturn_stop() {
  if is_running coturn; then
    stop_bg coturn
    log "coturn: stopped"
  else
    rm -f "$VCLICK_STATE/pids/coturn.pid"
  fi
}
