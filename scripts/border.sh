# Border relay files for an enterprise deployment: ./vclick border writes them, border_check (for
# ./vclick test) generates samples and proves them. Sourced by ./vclick after scripts/lib.sh and
# scripts/coturn.sh (whose coturn_write_config writes the coturn part); never run alone.
# Deployment guide: docs/BORDER.md.
#
# Inputs (environment; defaults in brackets). coturn's own settings are those of scripts/coturn.sh:
#   VCLICK_TURN_LISTEN_IP        relay address(es) coturn listens on, comma list [203.0.113.10, a
#                                documentation PLACEHOLDER: coturn cannot bind it, set it]
#   VCLICK_TURN_RELAY_IP         relay address(es) of allocations [the listening addresses]
#   VCLICK_TURN_EXTERNAL_IP      public address, or public/private behind a 1:1 NAT [none]
#   VCLICK_TURN_PORT             TURN port, UDP and TCP [3478]
#   VCLICK_TURN_TLS_PORT         TURN over TLS port (turns:), used when a certificate is given [5349]
#   VCLICK_TURN_RELAY_MIN_PORT, VCLICK_TURN_RELAY_MAX_PORT  UDP relay port range [49152, 65535]
#   VCLICK_TURN_ALLOWED_PEER_IPS internal ip or ip-ip ranges the relay may still reach [none]
#   VCLICK_TURN_REALM, VCLICK_TURN_CERT, VCLICK_TURN_PKEY (paths on the relay host),
#   VCLICK_TURN_USER_QUOTA, VCLICK_TURN_TOTAL_QUOTA, VCLICK_TURN_MAX_BPS, VCLICK_TURN_BPS_CAPACITY
#   VCLICK_TURN_SECRET           written into turnserver.conf only with --with-secret
# Border-only:
#   VCLICK_BORDER_CLIENT_NETS    client networks (CIDR, comma list) whose UDP egress the ruleset
#                                governs [10.0.0.0/8]
#   VCLICK_BORDER_RELAY_ADDRS    addresses clients reach the relay at (CIDR list) [listening, relay
#                                and external addresses]
#   VCLICK_BORDER_DNS            DNS resolvers clients may query over UDP through the firewall
#                                [none: no UDP DNS crosses it]
#   VCLICK_BORDER_HOOKS          forward (a firewall routing for the clients), output (a host whose
#                                own programs are the clients: terminal server, VDI host, a test
#                                namespace) or forward,output [forward]
#   VCLICK_BORDER_TURN_DIR       coturn's writable directory on the relay (userdb, pid) [/var/lib/turn]
#
# shellcheck disable=SC2016,SC2030,SC2031
# (SC2016: the single-quoted bash -c/sh -c scripts take their values as arguments, and the README
# shows "$VCLICK_TURN_SECRET" literally; SC2030/SC2031: the check sets inputs in subshells on purpose.)

# border_main [--out DIR] [--with-secret] : the ./vclick border command.
border_main() {
  local out=${VCLICK_HOME:-$VCLICK_ROOT/.vclick}/border
  while (($#)); do
    case $1 in
      --out)
        [[ -n ${2:-} ]] || die "--out needs a directory"
        out=$2
        shift 2
        ;;
      --out=*)
        out=${1#--out=}
        shift
        ;;
      --with-secret)
        export VCLICK_BORDER_WITH_SECRET=1
        shift
        ;;
      -h | --help)
        cat <<'EOF'
./vclick border [--out DIR] [--with-secret]
  Writes turnserver.conf (coturn, production mode), vclick-border.nft (nftables ruleset for the
  enterprise firewall) and README.txt into DIR (default .vclick/border). Inputs come from the
  environment (CONFIG.md, docs/BORDER.md). turnserver.conf holds no secret unless --with-secret
  (then VCLICK_TURN_SECRET is written into it, mode 600).
EOF
        return 0
        ;;
      *) die "border: unknown argument '$1' (./vclick border --help)" ;;
    esac
  done
  border_write "$out"
  if command -v nft >/dev/null; then
    border_nft_check "$out/vclick-border.nft" || die "the generated ruleset does not pass nft -c (see above)"
    log "border: nft -c accepts $out/vclick-border.nft"
  else
    warn "border: nft not installed here, the ruleset was not checked (apt-get install nftables)"
  fi
  log "border: files in $out (turnserver.conf, vclick-border.nft, README.txt); next steps: $out/README.txt"
}

# _border_defaults : the border's defaults, exported for coturn_write_config; warns about placeholders.
_border_defaults() {
  if [[ -z ${VCLICK_TURN_LISTEN_IP:-} ]]; then
    warn "border: VCLICK_TURN_LISTEN_IP is not set; using the PLACEHOLDER 203.0.113.10 (documentation range): set the relay's address"
    export VCLICK_TURN_LISTEN_IP=203.0.113.10
  fi
  if [[ -z ${VCLICK_BORDER_CLIENT_NETS:-} ]]; then
    warn "border: VCLICK_BORDER_CLIENT_NETS is not set; using 10.0.0.0/8: set your client networks"
    export VCLICK_BORDER_CLIENT_NETS=10.0.0.0/8
  fi
  export TURN_PORT=${VCLICK_TURN_PORT:-3478}
  export TURN_RELAY_MIN_PORT=${VCLICK_TURN_RELAY_MIN_PORT:-49152}
  export TURN_RELAY_MAX_PORT=${VCLICK_TURN_RELAY_MAX_PORT:-65535}
  export VCLICK_TURN_TLS_PORT=${VCLICK_TURN_TLS_PORT:-5349}
  : "${VCLICK_BORDER_HOOKS:=forward}"
  [[ $VCLICK_BORDER_HOOKS =~ ^(forward|output|forward,output|output,forward)$ ]] ||
    die "VCLICK_BORDER_HOOKS must be forward, output or forward,output (got '$VCLICK_BORDER_HOOKS')"
  [[ $VCLICK_TURN_TLS_PORT =~ ^[0-9]+$ ]] || die "VCLICK_TURN_TLS_PORT must be a number"
  if [[ $TURN_PORT =~ ^[0-9]+$ && $TURN_RELAY_MIN_PORT =~ ^[0-9]+$ && $TURN_RELAY_MAX_PORT =~ ^[0-9]+$ ]] &&
    ((TURN_PORT >= TURN_RELAY_MIN_PORT && TURN_PORT <= TURN_RELAY_MAX_PORT)); then
    die "VCLICK_TURN_PORT ($TURN_PORT) lies inside the relay port range $TURN_RELAY_MIN_PORT-$TURN_RELAY_MAX_PORT"
  fi
}

# _border_nets NAME V4 V6 : split the comma list in variable NAME into the arrays V4 and V6 (CIDR or
# plain addresses); die naming NAME on anything else.
_border_nets() {
  local name=$1 item
  local -n _v4=$2 _v6=$3
  local -a items
  _v4=() _v6=()
  IFS=',' read -ra items <<<"${!name:-}"
  for item in "${items[@]}"; do
    item=${item//[[:space:]]/}
    [[ -z $item ]] && continue
    if [[ $item =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}(/[0-9]{1,2})?$ ]]; then
      _v4+=("$item")
    elif [[ $item =~ ^[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7}(/[0-9]{1,3})?$ ]]; then
      _v6+=("$item")
    else
      die "$name: '$item' is not an IPv4 or IPv6 address or CIDR network"
    fi
  done
}

# _border_relay_addrs : the addresses clients reach the relay at, comma list (VCLICK_BORDER_RELAY_ADDRS,
# or the listening, relay and external addresses).
_border_relay_addrs() {
  if [[ -n ${VCLICK_BORDER_RELAY_ADDRS:-} ]]; then
    echo "$VCLICK_BORDER_RELAY_ADDRS"
    return
  fi
  local listen=${VCLICK_TURN_LISTEN_IP:-} relay=${VCLICK_TURN_RELAY_IP:-} ext=${VCLICK_TURN_EXTERNAL_IP:-}
  printf '%s\n' "${listen//,/$'\n'}" "${relay//,/$'\n'}" "${ext//\//$'\n'}" |
    tr -d '[:blank:]' | awk 'NF && !seen[$0]++' | paste -sd, -
}

# _border_set NAME TYPE COMMENT ELEMENT... : one named nftables set (interval, auto-merge) after its
# comment (newlines in COMMENT start new comment lines).
_border_set() {
  local name=$1 type=$2 comment=$3 elements
  shift 3
  # A comment of several lines: one "# " line each.
  printf '\t# %s\n' "${comment//$'\n'/$'\n\t# '}"
  printf '\tset %s {\n\t\ttype %s\n\t\tflags interval\n\t\tauto-merge\n' "$name" "$type"
  if (($#)); then
    elements=$(printf '%s, ' "$@")
    printf '\t\telements = { %s }\n' "${elements%, }"
  else
    printf '\t\t# empty\n'
  fi
  printf '\t}\n\n'
}

# _border_nft : print the nftables ruleset (inputs already defaulted by _border_defaults).
_border_nft() {
  local -a client4 client6 relay4 relay6 dns4 dns6
  local relay_addrs
  relay_addrs=$(_border_relay_addrs)
  _border_nets VCLICK_BORDER_CLIENT_NETS client4 client6
  ((${#client4[@]} + ${#client6[@]})) || die "VCLICK_BORDER_CLIENT_NETS holds no network"
  VCLICK_BORDER_RELAY_ADDRS=$relay_addrs _border_nets VCLICK_BORDER_RELAY_ADDRS relay4 relay6
  ((${#relay4[@]} + ${#relay6[@]})) || die "no relay address (VCLICK_TURN_LISTEN_IP or VCLICK_BORDER_RELAY_ADDRS)"
  _border_nets VCLICK_BORDER_DNS dns4 dns6

  cat <<EOF
#!/usr/sbin/nft -f
# Vclick border: UDP egress policy for the enterprise firewall in front of the client networks.
# Generated by ./vclick border (docs/BORDER.md). Check: nft -c -f vclick-border.nft
# Apply: nft -f vclick-border.nft (atomic; replaces only the table inet vclick_border, leaves every
# other table alone). Remove: nft delete table inet vclick_border
#
# For packets FROM the client networks (set client_v4/client_v6):
#   - UDP is dropped, except to the Vclick relay (TURN port and relay port range) and to the DNS
#     resolvers of set dns_v4/dns_v6. Browsers then reach other parties only through the relay,
#     which the Vclick extension makes them use (iceTransportPolicy "relay").
#   - QUIC (HTTP/3, UDP 443) is UDP, so it is dropped too; browsers fall back to HTTP/2 over TCP.
#   - TCP and every other protocol are left as they are: web browsing over TCP 80/443 keeps working.
# Everything else (traffic not from the client networks, replies towards the clients) is untouched.
# An accept here only ends this table's say: the firewall's other tables still apply (a drop in any
# of them is final), so this file can sit next to an existing ruleset.
#
# Edit the defines and sets below, or change a set at run time, e.g.
#   nft add element inet vclick_border client_v4 { 192.168.10.0/24 }

# TURN over UDP and TCP (turn:<relay>:$TURN_PORT?transport=udp|tcp).
define TURN_PORT = $TURN_PORT
# TURN over TLS (turns:<relay>:$VCLICK_TURN_TLS_PORT?transport=tcp); browsers never use DTLS to a relay.
define TURN_TLS_PORT = $VCLICK_TURN_TLS_PORT
# The relay's UDP port range for allocations (coturn min-port..max-port).
define RELAY_PORTS = $TURN_RELAY_MIN_PORT-$TURN_RELAY_MAX_PORT

# Create the table if it is missing, then delete it: loading this file always starts clean.
table inet vclick_border
delete table inet vclick_border

table inet vclick_border {
EOF
  _border_set client_v4 ipv4_addr "Client networks whose UDP egress is governed (VCLICK_BORDER_CLIENT_NETS)." "${client4[@]}"
  _border_set client_v6 ipv6_addr "Client networks, IPv6." "${client6[@]}"
  _border_set relay_v4 ipv4_addr "Addresses the clients reach the relay at (VCLICK_BORDER_RELAY_ADDRS)." "${relay4[@]}"
  _border_set relay_v6 ipv6_addr "Relay addresses, IPv6." "${relay6[@]}"
  if ((${#dns4[@]} + ${#dns6[@]})); then
    _border_set dns_v4 ipv4_addr "DNS resolvers the clients may query over UDP through this firewall (VCLICK_BORDER_DNS)." "${dns4[@]}"
  else
    _border_set dns_v4 ipv4_addr "DNS resolvers the clients may query over UDP through this firewall (VCLICK_BORDER_DNS).
None configured: no UDP DNS from the clients crosses this firewall. Resolvers the clients
reach without crossing it are unaffected, and so is DNS over TCP. Add yours here if they
sit on the other side of this firewall." "${dns4[@]}"
  fi
  _border_set dns_v6 ipv6_addr "DNS resolvers, IPv6." "${dns6[@]}"

  cat <<'EOF'
	# The policy for the clients' packets: jumped to from the hook chains below.
	chain client_egress {
		# The relay itself is never a client, even when its address lies inside a client network.
		ip saddr @relay_v4 return
		ip6 saddr @relay_v6 return

		# TURN over TCP and TLS to the relay (turn:...?transport=tcp, turns:). This table leaves TCP
		# alone anyway; the rule states the intent and keeps the relay reachable if TCP is tightened here.
		ip daddr @relay_v4 tcp dport { $TURN_PORT, $TURN_TLS_PORT } counter accept
		ip6 daddr @relay_v6 tcp dport { $TURN_PORT, $TURN_TLS_PORT } counter accept

		# Everything that is not UDP leaves this table unchanged (web over TCP 80/443, ICMP, ...).
		meta l4proto != udp return

		# From here on: UDP only. No "ct state established" shortcut for it: a UDP flow opened before
		# this ruleset was loaded, or opened from outside towards a client (IPv6 without NAT, a port
		# forward), must not keep carrying media past the relay.

		# TURN over UDP to the relay's TURN port, and to its relay ports (a browser that is the peer
		# of an allocation on this relay, e.g. in a call where only the other end is forced to relay).
		ip daddr @relay_v4 udp dport { $TURN_PORT, $RELAY_PORTS } counter accept
		ip6 daddr @relay_v6 udp dport { $TURN_PORT, $RELAY_PORTS } counter accept

		# DNS over UDP to the configured resolvers only.
		ip daddr @dns_v4 udp dport 53 counter accept
		ip6 daddr @dns_v6 udp dport 53 counter accept

		# Other UDP the enterprise needs across this firewall goes here, before the drops, e.g.
		# ip daddr 10.1.2.3 udp dport 123 counter accept  # the NTP server

		# QUIC (HTTP/3) is UDP 443: dropped like all other UDP, in its own rule so its counter shows
		# how much of it there is. Browsers fall back to HTTP/2 over TCP 443.
		udp dport 443 counter drop comment "QUIC: browsers fall back to TCP"

		# All other UDP from the clients: direct WebRTC media, STUN to public servers, other relays,
		# VPNs over UDP, ... Logged (rate-limited, kernel log) and dropped.
		limit rate 6/minute burst 5 packets log prefix "vclick-border udp drop: " level info
		counter drop comment "UDP from the clients, not to the relay"
	}
EOF
  if [[ $VCLICK_BORDER_HOOKS == *forward* ]]; then
    cat <<'EOF'

	# Packets this host routes for the client networks (an enterprise firewall or router).
	chain forward {
		type filter hook forward priority filter; policy accept;
		ip saddr @client_v4 jump client_egress
		ip6 saddr @client_v6 jump client_egress
		# Established and related traffic passes, as does everything not from the client networks
		# (replies from the relay, the resolvers and the web reach the clients). Stated for clarity:
		# the chain's policy is accept, this table only ever drops the clients' UDP above.
		ct state established,related accept
	}
EOF
  fi
  if [[ $VCLICK_BORDER_HOOKS == *output* ]]; then
    cat <<'EOF'

	# Packets this host's own programs send: enabled because this host IS a client (a terminal
	# server or VDI host whose users run browsers here, or a test namespace). Loopback is exempt.
	chain output {
		type filter hook output priority filter; policy accept;
		oifname "lo" accept
		jump client_egress
		ct state established,related accept
	}
EOF
  fi
  echo "}"
}

# _border_readme DIR : print README.txt.
_border_readme() {
  local secret_note install placeholder='' tls relay_addrs
  if [[ ${VCLICK_BORDER_WITH_SECRET:-0} == 1 ]]; then
    secret_note="turnserver.conf HOLDS THE TURN SECRET (--with-secret): never commit, mail or log it."
    install='     install -m 640 -o root -g turnserver turnserver.conf /etc/turnserver.conf
   (it already holds the secret), then:'
  else
    secret_note="turnserver.conf holds NO secret: add it at deploy time (step 1), until then coturn refuses all."
    install='     install -m 640 -o root -g turnserver turnserver.conf /etc/turnserver.conf
     printf '"'"'static-auth-secret=%s\n'"'"' "$VCLICK_TURN_SECRET" >>/etc/turnserver.conf
   (the vclick server'"'"'s VCLICK_TURN_SECRET, from your secret store; printf is a shell builtin, so
   the secret appears on no command line), then:'
  fi
  [[ $VCLICK_TURN_LISTEN_IP == 203.0.113.10 ]] && placeholder='   <- PLACEHOLDER: set VCLICK_TURN_LISTEN_IP'
  tls='off: no VCLICK_TURN_CERT/VCLICK_TURN_PKEY'
  [[ -n ${VCLICK_TURN_CERT:-} ]] && tls="certificate $VCLICK_TURN_CERT"
  relay_addrs=$(_border_relay_addrs)
  cat <<EOF
Vclick border relay: files generated by ./vclick border on $(date -u +%Y-%m-%dT%H:%MZ)
Full guide: docs/BORDER.md in the Vclick repository.

  turnserver.conf     coturn for the relay in the DMZ (production mode: no relaying into internal
                      ranges except the allowed ones, quotas, bandwidth cap).
  vclick-border.nft   nftables ruleset for the enterprise firewall in front of the client networks:
                      drops their UDP except to the relay (and to the configured DNS resolvers).
  README.txt          this file.

$secret_note

Inputs used:
  relay listens on          ${VCLICK_TURN_LISTEN_IP}$placeholder
  relay (allocations) on    ${VCLICK_TURN_RELAY_IP:-$VCLICK_TURN_LISTEN_IP}
  external (NAT) address    ${VCLICK_TURN_EXTERNAL_IP:-none}
  TURN port (UDP, TCP)      $TURN_PORT
  TURN over TLS port        $VCLICK_TURN_TLS_PORT ($tls)
  relay ports (UDP)         $TURN_RELAY_MIN_PORT-$TURN_RELAY_MAX_PORT
  internal peers allowed    ${VCLICK_TURN_ALLOWED_PEER_IPS:-none}
  realm                     $VCLICK_TURN_REALM
  quotas                    ${VCLICK_TURN_USER_QUOTA:-48} allocations per user, ${VCLICK_TURN_TOTAL_QUOTA:-1200} in total
  bandwidth                 ${VCLICK_TURN_MAX_BPS:-625000} bytes/s per session and direction; server total ${VCLICK_TURN_BPS_CAPACITY:-unlimited}
  client networks           $VCLICK_BORDER_CLIENT_NETS
  relay addresses (nft)     $relay_addrs
  DNS resolvers (nft)       ${VCLICK_BORDER_DNS:-none (no UDP DNS crosses the firewall)}
  nftables hooks            $VCLICK_BORDER_HOOKS

1. Relay host (Debian 12: apt-get install coturn), as root:
$install
     systemctl enable --now coturn && journalctl -u coturn
   Open on the relay: UDP+TCP $TURN_PORT, TCP $VCLICK_TURN_TLS_PORT (with a certificate), UDP $TURN_RELAY_MIN_PORT-$TURN_RELAY_MAX_PORT.
2. Enterprise firewall, as root:
     nft -c -f vclick-border.nft          # check only
     nft -f vclick-border.nft             # apply (atomic; only table inet vclick_border)
   Keep it across reboots: install -m 644 vclick-border.nft /etc/nftables.d/ (or any path) and add
     include "/etc/nftables.d/vclick-border.nft"
   to /etc/nftables.conf; systemctl enable nftables. Undo: nft delete table inet vclick_border
3. Vclick server: VCLICK_TURN_URIS=turn:<relay>:$TURN_PORT?transport=udp,turn:<relay>:$TURN_PORT?transport=tcp
   (plus turns:<relay name>:$VCLICK_TURN_TLS_PORT?transport=tcp with a certificate), the same
   VCLICK_TURN_SECRET, vclick.calls.force-relay=true, a Secure Edge policy deciding "relay".
EOF
}

# border_write DIR : write turnserver.conf, vclick-border.nft and README.txt into DIR.
border_write() {
  local dir=$1
  _border_defaults
  mkdir -p "$dir" || die "cannot create $dir"
  coturn_write_config "$dir/turnserver.conf" border
  _border_nft >"$dir/vclick-border.nft.tmp" || die "could not write $dir/vclick-border.nft"
  mv -f "$dir/vclick-border.nft.tmp" "$dir/vclick-border.nft"
  _border_readme >"$dir/README.txt" || die "could not write $dir/README.txt"
  chmod 644 "$dir/vclick-border.nft" "$dir/README.txt"
}

# border_nft_check FILE : nft -c -f FILE (parse and validate against the kernel, apply nothing).
# Needs CAP_NET_ADMIN: tries directly, then in a new user+network namespace (unshare -rn).
# Fails loudly when nft is missing.
border_nft_check() {
  local file=$1 out
  command -v nft >/dev/null || die "nft not found: apt-get install nftables (./vclick test installs it)"
  if out=$(nft -c -f "$file" 2>&1); then
    return 0
  fi
  if [[ $out == *'Operation not permitted'* ]] && command -v unshare >/dev/null; then
    out=$(unshare -rn nft -c -f "$file" 2>&1) && return 0
  fi
  printf '%s\n' "$out" >&2
  return 1
}

# --- border_check: the fast check ./vclick test runs -------------------------------------------

# _border_assert DESCRIPTION CMD... : run CMD, fail the check naming DESCRIPTION when it fails.
_border_assert() {
  local what=$1
  shift
  "$@" >/dev/null 2>&1 || die "border check: $what"
}

# _border_has FILE LINE : FILE has exactly the line LINE.
_border_has() { grep -qxF -- "$2" "$1"; }

# _border_probe PEER : one TURN allocation with a credential minted from VCLICK_TURN_SECRET, then a
# channel bind to PEER; prints allowed (bound), denied (403 Forbidden IP), refused (no allocation)
# or unknown. turnutils_uclient is stopped at the first telling line; border_check runs it in a
# network namespace with nothing but loopback, so no packet can reach a real peer anyway.
_border_probe() {
  local peer=$1 ip=127.0.0.1 cred line result=unknown bound=0 pid
  cred=$(_coturn_credential border-check) || return 1
  while IFS= read -r line; do
    case $line in
      *'channel bind sent'*) bound=1 ;;
      *'403 (Forbidden IP)'*)
        result=denied
        break
        ;;
      *'Cannot complete Allocation'*)
        result=refused
        break
        ;;
      *'success: 0x'*)
        if ((bound)); then
          result=allowed
          break
        fi
        ;;
    esac
  done < <(exec timeout 5 turnutils_uclient -v -L "$ip" -p "$TURN_PORT" -u "${cred% *}" -w "${cred#* }" \
    -m 1 -n 1 -c -e "$peer" -r "$TURN_PORT" "$ip" 2>&1)
  # uclient would go on sending test traffic (and ignores SIGPIPE): stop it (timeout passes TERM on).
  pid=$!
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "$result"
}

# _border_coturn_run NAME CONF : start turnserver -c CONF as NAME (pid and log under VCLICK_STATE),
# wait up to 5 s for a STUN answer on 127.0.0.1:TURN_PORT.
_border_coturn_run() {
  local name=$1 conf=$2 i
  start_bg "$name" turnserver -c "$conf"
  for i in $(seq 1 50); do
    _coturn_stun_ok && return 0
    if ! is_running "$name"; then
      tail -n 30 "$VCLICK_STATE/logs/$name.log" >&2
      die "border check: coturn exited with the generated configuration"
    fi
    sleep 0.1
  done
  tail -n 30 "$VCLICK_STATE/logs/$name.log" >&2
  die "border check: coturn with the generated configuration did not answer STUN within 5 s"
}

# _border_check_body TMP : the check itself, in a subshell (it sets variables, traps and may die).
_border_check_body() {
  local tmp=$1 sample=$1/sample minimal=$1/minimal conf nft secret want listed
  # Every input explicitly: nothing from the caller's environment leaks into the samples.
  unset VCLICK_TURN_RELAY_IP VCLICK_TURN_EXTERNAL_IP VCLICK_TURN_CERT VCLICK_TURN_PKEY \
    VCLICK_TURN_BPS_CAPACITY VCLICK_TURN_USER_QUOTA VCLICK_TURN_TOTAL_QUOTA VCLICK_TURN_MAX_BPS \
    VCLICK_TURN_TLS_PORT VCLICK_TURN_RELAY_MIN_PORT VCLICK_TURN_RELAY_MAX_PORT VCLICK_TURN_PORT \
    VCLICK_BORDER_RELAY_ADDRS VCLICK_BORDER_DNS VCLICK_BORDER_HOOKS VCLICK_BORDER_WITH_SECRET
  export VCLICK_TURN_REALM=vclick
  # The caller's secret (./vclick test's) must not reach a template: remember it to look for it.
  secret=${VCLICK_TURN_SECRET:-}
  command -v turnserver >/dev/null || die "border check: turnserver not found (apt-get install coturn)"
  perl -MDigest::SHA -e 1 2>/dev/null || die "border check: perl Digest::SHA is missing (TURN credentials)"

  # 1. A DMZ sample: relay behind a 1:1 NAT (and on IPv6), TLS, client networks, resolvers.
  (
    export VCLICK_TURN_LISTEN_IP="172.20.0.10,2001:db8:20::10" VCLICK_TURN_RELAY_IP=172.20.0.10 \
      VCLICK_TURN_EXTERNAL_IP=198.51.100.10/172.20.0.10 \
      VCLICK_TURN_ALLOWED_PEER_IPS="172.20.0.10,10.20.30.0-10.20.30.255" \
      VCLICK_TURN_CERT=/etc/vclick/turn/fullchain.pem VCLICK_TURN_PKEY=/etc/vclick/turn/privkey.pem \
      VCLICK_TURN_USER_QUOTA=8 VCLICK_TURN_TOTAL_QUOTA=900 VCLICK_TURN_MAX_BPS=500000 \
      VCLICK_TURN_BPS_CAPACITY=125000000 \
      VCLICK_BORDER_CLIENT_NETS="10.0.0.0/8, fd00:1234::/48" VCLICK_BORDER_DNS="198.51.100.53,2001:db8:53::53"
    border_write "$sample"
  ) 2>"$tmp/generate.log" || {
    cat "$tmp/generate.log" >&2
    die "border check: generating the sample failed"
  }
  # 2. The defaults but for the relay's address (no DNS, empty IPv6 sets), with both hooks.
  (
    export VCLICK_TURN_LISTEN_IP=198.51.100.20 VCLICK_BORDER_CLIENT_NETS=10.0.0.0/8 \
      VCLICK_BORDER_HOOKS=forward,output
    border_write "$minimal"
  ) 2>>"$tmp/generate.log" || {
    cat "$tmp/generate.log" >&2
    die "border check: generating with the defaults failed"
  }

  # (a) the rulesets pass nft -c, and, loaded into a throwaway network namespace, hold what was asked.
  for nft in "$sample/vclick-border.nft" "$minimal/vclick-border.nft"; do
    border_nft_check "$nft" || die "border check: nft -c -f rejects $nft"
  done
  listed=$(_border_netns sh -c 'nft -f "$1" && nft list table inet vclick_border' sh "$sample/vclick-border.nft" 2>&1) ||
    die "border check: the sample ruleset does not load in a network namespace: $listed"
  for want in 'hook forward' '10.0.0.0/8' 'fd00:1234::/48' '172.20.0.10' '198.51.100.10' '2001:db8:20::10' \
    '198.51.100.53' '2001:db8:53::53' 'udp dport 443' 'dport { 3478, 5349 }' 'dport { 3478, 49152-65535 }' \
    'meta l4proto != udp return'; do
    [[ $listed == *"$want"* ]] || die "border check: the loaded sample ruleset lacks '$want'"
  done
  _border_assert "the sample ruleset hooks output, it should not by default" bash -c '! grep -q "hook output" "$1"' _ "$sample/vclick-border.nft"
  nft=$minimal/vclick-border.nft
  _border_assert "VCLICK_BORDER_HOOKS=forward,output gave no output chain" grep -q 'hook output' "$nft"
  _border_assert "the default ruleset does not say that no DNS resolver is configured" grep -q 'None configured' "$nft"
  # ... and the sample does what it says to real packets.
  _border_netns -m bash -c 'set -euo pipefail
    source "$1/scripts/lib.sh"; source "$1/scripts/border.sh"
    _border_check_packets "$2"' _ "$VCLICK_ROOT" "$sample/vclick-border.nft" || die "border check: the ruleset on real packets (above)"

  # (b) the coturn configuration of the sample.
  conf=$sample/turnserver.conf
  for want in 10.0.0.0-10.255.255.255 172.16.0.0-172.31.255.255 192.168.0.0-192.168.255.255 \
    127.0.0.0-127.255.255.255 169.254.0.0-169.254.255.255 ::1 \
    fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff; do
    _border_assert "denied-peer-ip=$want missing" _border_has "$conf" "denied-peer-ip=$want"
  done
  for want in allowed-peer-ip=172.20.0.10 allowed-peer-ip=10.20.30.0-10.20.30.255 user-quota=8 \
    total-quota=900 max-bps=500000 bps-capacity=125000000 no-cli no-multicast-peers no-tcp-relay \
    fingerprint use-auth-secret listening-ip=172.20.0.10 listening-ip=2001:db8:20::10 relay-ip=172.20.0.10 \
    external-ip=198.51.100.10/172.20.0.10 listening-port=3478 tls-listening-port=5349 \
    min-port=49152 max-port=65535 userdb=/var/lib/turn/turndb log-file=stdout; do
    _border_assert "'$want' missing from turnserver.conf" _border_has "$conf" "$want"
  done
  _border_assert "allow-loopback-peers in a border configuration" bash -c '! grep -q "^allow-loopback-peers" "$1"' _ "$conf"
  _border_assert "a secret in the template" bash -c '! grep -q "^static-auth-secret" "$1"' _ "$conf"
  if [[ -n $secret ]]; then
    _border_assert "the environment's TURN secret leaked into a generated file" \
      bash -c '! grep -rqF -- "$1" "$2" "$3"' _ "$secret" "$sample" "$minimal"
  fi
  _border_assert "turnserver.conf is not mode 600" test "$(stat -c %a "$conf")" = 600
  _border_assert "the README does not say how to add the secret" grep -q 'static-auth-secret' "$sample/README.txt"
  _border_assert "the default ruleset lacks the relay 198.51.100.20" grep -q '198.51.100.20' "$nft"

  # (c) coturn runs the border layout, in a network namespace of its own (only loopback: no probe
  # can leave the host, no port can clash with running services).
  _border_netns bash -c 'set -euo pipefail
    source "$1/scripts/lib.sh"; source "$1/scripts/coturn.sh"; source "$1/scripts/border.sh"
    _border_check_live "$2"' _ "$VCLICK_ROOT" "$tmp" || die "border check: coturn with the generated configuration (above)"
}

# _border_netns [-m] CMD... : run CMD in a new network namespace (root: unshare -n; else inside a
# user namespace: unshare -rn); with -m also in a private mount namespace.
_border_netns() {
  local -a opts=(-n)
  if [[ $1 == -m ]]; then
    opts+=(-m --propagation private)
    shift
  fi
  [[ $(id -u) == 0 ]] || opts+=(-r)
  unshare "${opts[@]}" "$@"
}

# The packet check's probes: proto,destination,port,expected. The client is 10.0.0.2 and
# fd00:1234::2; the relay 198.51.100.10 (public), 172.20.0.10 (DMZ) and 2001:db8:20::10; the
# resolvers 198.51.100.53 and 2001:db8:53::53; everything else stands for the internet.
# shellcheck disable=SC2054 # the commas are the fields' separator
_BORDER_PROBES=(
  udp,198.51.100.10,3478,pass   # TURN over UDP to the relay's public address
  udp,172.20.0.10,3478,pass     # ... and to its DMZ address
  udp,172.20.0.10,49152,pass    # the relay port range, first port
  udp,198.51.100.10,65535,pass  # ... last port
  udp,198.51.100.10,5349,drop   # no DTLS to the relay (browsers never use it)
  udp,198.51.100.10,5000,drop   # the relay, outside its ports
  udp,198.51.100.80,3478,drop   # another TURN server
  udp,198.51.100.80,50000,drop  # direct media to a peer
  udp,198.51.100.80,443,drop    # QUIC
  udp,198.51.100.80,53,drop     # a resolver that is not configured
  udp,198.51.100.53,53,pass     # the configured resolver
  tcp,198.51.100.80,443,pass    # web browsing
  tcp,198.51.100.80,80,pass     # web browsing
  tcp,198.51.100.80,22,pass     # any other TCP: unchanged
  tcp,198.51.100.10,5349,pass   # TURN over TLS to the relay
  tcp,198.51.100.10,3478,pass   # TURN over TCP to the relay
  udp,2001:db8:20::10,3478,pass # IPv6: the relay
  udp,2001:db8:99::80,3478,drop # IPv6: another TURN server
  udp,2001:db8:99::80,443,drop  # IPv6: QUIC
  udp,2001:db8:53::53,53,pass   # IPv6: the configured resolver
  tcp,2001:db8:99::80,443,pass  # IPv6: web browsing
)

# _border_probe_round NS : send every probe from the client namespace once: one UDP datagram, or one
# TCP connection attempt (nothing listens: the SYN is what counts). bash's /dev/udp and /dev/tcp.
_border_probe_round() {
  local probe proto dest port
  for probe in "${_BORDER_PROBES[@]}"; do
    IFS=, read -r proto dest port _ <<<"$probe"
    if [[ $proto == udp ]]; then
      ip netns exec client bash -c 'echo probe >"/dev/udp/$1/$2"' _ "$dest" "$port" 2>/dev/null || true
    else
      ip netns exec client timeout 1 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$dest" "$port" 2>/dev/null || true
    fi
  done
  sleep 0.2
}

# _border_probe_counts : what arrived at the internet namespace, one count per probe, space-separated.
_border_probe_counts() {
  local i counts=()
  for i in "${!_BORDER_PROBES[@]}"; do
    counts+=("$(ip netns exec internet nft list counter inet arrivals "p$i" | sed -n 's/.*packets \([0-9]*\).*/\1/p')")
  done
  echo "${counts[*]}"
}

# _border_check_packets NFT : inside fresh network and mount namespaces (nothing outside sees
# them; they vanish with the check): a client namespace routed through this one (the firewall) to an
# "internet" namespace that counts what arrives. A first round of probes without the ruleset must all
# arrive (the topology routes them); a second round with NFT loaded must arrive exactly as expected.
_border_check_packets() {
  local nft=$1 i probe proto dest port expect fam before after rules
  local -a b a
  if ! mount -t tmpfs vclick-border-check /run || ! mkdir /run/netns; then
    die "packet check: cannot mount a private /run"
  fi
  ip link set lo up
  if ! ip netns add client || ! ip netns add internet; then
    die "packet check: ip netns add failed"
  fi
  # No duplicate address detection: a tentative link-local address stalls IPv6 for a second or two.
  sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0
  for i in client internet; do
    ip netns exec "$i" sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0
  done
  ip link add fw0 type veth peer name eth0 netns client
  ip link add fw1 type veth peer name eth0 netns internet
  sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
  ip addr add 10.0.0.1/24 dev fw0
  ip addr add fd00:1234::1/64 dev fw0 nodad
  ip addr add 192.0.2.1/24 dev fw1
  ip addr add 2001:db8:ff::1/64 dev fw1 nodad
  ip link set fw0 up && ip link set fw1 up
  for i in 198.51.100.0/24 172.20.0.0/16; do ip route add "$i" via 192.0.2.2; done
  ip -6 route add 2001:db8::/32 via 2001:db8:ff::2
  ip -n client addr add 10.0.0.2/24 dev eth0
  ip -n client addr add fd00:1234::2/64 dev eth0 nodad
  ip -n internet addr add 192.0.2.2/24 dev eth0
  ip -n internet addr add 2001:db8:ff::2/64 dev eth0 nodad
  for i in client internet; do ip -n "$i" link set lo up && ip -n "$i" link set eth0 up; done
  ip -n client route add default via 10.0.0.1
  ip -n client -6 route add default via fd00:1234::1
  ip -n internet route add default via 192.0.2.1
  ip -n internet -6 route add default via 2001:db8:ff::1
  rules=''
  for i in "${!_BORDER_PROBES[@]}"; do
    IFS=, read -r proto dest port _ <<<"${_BORDER_PROBES[$i]}"
    fam=ip
    [[ $dest == *:* ]] && fam=ip6
    ip -n internet addr add "$dest/$([[ $fam == ip ]] && echo 32 || echo 128)" dev eth0 nodad 2>/dev/null || true
    rules+="counter p$i {}"$'\n'
    rules+="chain c$i { type filter hook input priority 0; $fam daddr $dest $proto dport $port counter name p$i; }"$'\n'
  done
  printf 'table inet arrivals {\n%s}\n' "$rules" | ip netns exec internet nft -f - ||
    die "packet check: cannot set up the counters"

  _border_probe_round
  before=$(_border_probe_counts)
  read -ra b <<<"$before"
  for i in "${!_BORDER_PROBES[@]}"; do
    ((b[i] >= 1)) || die "packet check: without the ruleset, probe ${_BORDER_PROBES[$i]%,*} did not arrive: the test network is broken"
  done
  nft -f "$nft" || die "packet check: the ruleset does not load"
  _border_probe_round
  after=$(_border_probe_counts)
  read -ra a <<<"$after"
  for i in "${!_BORDER_PROBES[@]}"; do
    probe=${_BORDER_PROBES[$i]}
    expect=${probe##*,}
    if [[ $expect == pass ]]; then
      ((a[i] > b[i])) || die "packet check: ${probe%,*} should pass the ruleset, it was dropped"
    else
      ((a[i] == b[i])) || die "packet check: ${probe%,*} should be dropped by the ruleset, it passed"
    fi
  done
}


# _border_check_live TMP : inside a fresh network namespace, run coturn with the border layout: the
# same writer, loopback and throwaway port and secret through the same variables, state under TMP.
# First as shipped (no secret: every allocation is refused), then with a secret: the configured
# internal range is allowed, the rest of 10/8 and loopback denied (403).
_border_check_live() {
  local tmp=$1 live=$1/live name=border-coturn want got
  ip link set lo up || die "border check: cannot bring up loopback in the network namespace"
  export VCLICK_STATE=$live VCLICK_BORDER_TURN_DIR=$live/turn
  export VCLICK_TURN_LISTEN_IP=127.0.0.1 VCLICK_TURN_ALLOWED_PEER_IPS=10.20.30.0-10.20.30.255 \
    VCLICK_BORDER_CLIENT_NETS=10.0.0.0/8 VCLICK_TURN_PORT=3478 VCLICK_TURN_RELAY_MIN_PORT=49152 \
    VCLICK_TURN_RELAY_MAX_PORT=49167 TURN_PORT=3478
  export VCLICK_TURN_SECRET
  VCLICK_TURN_SECRET=$(random_secret)
  mkdir -p "$live/turn"
  trap 'stop_bg border-coturn' EXIT
  (border_write "$live/template") 2>>"$tmp/generate.log" || die "border check: generating the live template failed"
  (VCLICK_BORDER_WITH_SECRET=1 border_write "$live/secret") 2>>"$tmp/generate.log" ||
    die "border check: generating the live configuration failed"

  _border_coturn_run "$name" "$live/template/turnserver.conf"
  got=$(_border_probe 10.20.30.5)
  [[ $got == refused ]] || die "border check: coturn without static-auth-secret did not refuse the allocation ($got)"
  stop_bg "$name"

  _border_coturn_run "$name" "$live/secret/turnserver.conf"
  grep -q 'Listener address to use: 127.0.0.1' "$VCLICK_STATE/logs/$name.log" ||
    die "border check: coturn's log does not show the configured listener"
  for want in 10.255.255.1:denied 127.0.0.3:denied 10.20.30.5:allowed; do
    got=$(_border_probe "${want%%:*}")
    [[ $got == "${want#*:}" ]] || {
      tail -n 20 "$VCLICK_STATE/logs/$name.log" >&2
      die "border check: peer ${want%%:*} should be ${want#*:}, coturn said: $got"
    }
  done
  stop_bg "$name"
  trap - EXIT
  ! pgrep -f -- "$live/" >/dev/null || die "border check: a process of the check is still running"
}

# border_check : generate the border files with sample inputs into a temp dir and prove them:
# nft -c accepts the rulesets (and they load as intended in a throwaway network namespace), the
# coturn configuration has the border settings and no secret, and coturn runs it (as shipped it
# refuses all allocations; with a throwaway secret it denies internal peers and allows the
# configured one). Leaves no process and no file behind. Dies on the first failure.
border_check() {
  local t0=$SECONDS tmp rc=0
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/vclick-border-check.XXXXXX")
  (_border_check_body "$tmp") || rc=$?
  rm -rf "$tmp"
  ((rc == 0)) || die "border check failed"
  log "border check: nft -c, packets through the ruleset (IPv4+IPv6), turnserver.conf and a live coturn: all fine ($((SECONDS - t0)) s)"
}
