# Keycloak for Vclick (sourced by ./vclick, never run on its own; needs scripts/lib.sh).
#
# Caller sets: VCLICK_ROOT, VCLICK_STATE, VCLICK_PROFILE (run|test), KC_PORT, KEYCLOAK_VERSION,
# KC_BOOTSTRAP_ADMIN_USERNAME, KC_BOOTSTRAP_ADMIN_PASSWORD, VCLICK_KEYCLOAK_CLIENT_SECRET,
# VCLICK_PUBLIC_URL (origin of the web app, e.g. http://127.0.0.1:8080).
#
# Layout: the distribution is unpacked into $VCLICK_STATE/keycloak; its H2 database lives in
# $VCLICK_STATE/keycloak/data/h2. The realm keycloak-realm/vclick-realm.json is imported at start
# when the realm does not exist yet (Keycloak never overwrites an existing realm): the test profile
# wipes the database on every start, the run profile keeps it (see keycloak-realm/README.md). The
# file is imported with the DEMO users' one-time-code devices added (keycloak-realm/demo-otp.mjs):
# the realm file itself holds no such secret.
#
# Listeners (all on 127.0.0.1): HTTP on $KC_PORT, management (health) on $KC_PORT+1000.

keycloak_dist() { printf '%s/keycloak' "$VCLICK_STATE"; }

keycloak_management_port() { printf '%s' $((KC_PORT + 1000)); }

# keycloak_install : unpack the Keycloak distribution (from Maven Central, through Maven) once.
keycloak_install() {
  local dist tmp top
  dist=$(keycloak_dist)
  [[ -x $dist/bin/kc.sh ]] && return 0
  : "${KEYCLOAK_VERSION:?KEYCLOAK_VERSION is not set}"
  log "installing Keycloak $KEYCLOAK_VERSION into $dist"
  mkdir -p "$VCLICK_STATE"
  tmp=$(mktemp -d "$VCLICK_STATE/keycloak-install.XXXXXX")
  # Run outside the repository so that Maven does not load the reactor pom.
  if ! (cd "$tmp" && mvn -q -B -Dstyle.color=never \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:unpack \
    -Dartifact="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip" -Dtransitive=false \
    -DoutputDirectory="$tmp/unpacked" -DmarkersDirectory="$tmp/markers" >"$tmp/mvn.log" 2>&1); then
    cat "$tmp/mvn.log" >&2
    rm -rf "$tmp"
    die "could not fetch org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip through Maven"
  fi
  # The zip holds one top folder (keycloak-<version>): strip it.
  top=$(find "$tmp/unpacked" -mindepth 1 -maxdepth 1 -type d | head -n 1)
  if [[ -z $top || ! -f $top/bin/kc.sh ]]; then
    rm -rf "$tmp"
    die "unexpected layout of the Keycloak distribution (no bin/kc.sh)"
  fi
  rm -rf "$dist"
  mv "$top" "$dist"
  chmod +x "$dist"/bin/*.sh
  rm -rf "$tmp"
}

# keycloak_start : import the vclick realm (fresh in the test profile) and start Keycloak in dev mode.
keycloak_start() {
  local dist mgmt realm_json demo_otp
  dist=$(keycloak_dist)
  mgmt=$(keycloak_management_port)
  realm_json="$VCLICK_ROOT/keycloak-realm/vclick-realm.json"
  demo_otp="$VCLICK_ROOT/keycloak-realm/demo-otp.mjs"
  if is_running keycloak; then
    log "Keycloak already running (port $KC_PORT)"
    return 0
  fi
  [[ -x $dist/bin/kc.sh ]] || die "Keycloak is not installed in $dist (keycloak_install)"
  [[ -f $realm_json ]] || die "realm file missing: $realm_json"
  [[ -n ${VCLICK_KEYCLOAK_CLIENT_SECRET:-} ]] || die "VCLICK_KEYCLOAK_CLIENT_SECRET is not set"
  [[ -n ${KC_BOOTSTRAP_ADMIN_USERNAME:-} && -n ${KC_BOOTSTRAP_ADMIN_PASSWORD:-} ]] ||
    die "KC_BOOTSTRAP_ADMIN_USERNAME / KC_BOOTSTRAP_ADMIN_PASSWORD are not set"
  port_free "$KC_PORT" || die "port $KC_PORT is already in use (Keycloak HTTP)"
  port_free "$mgmt" || die "port $mgmt is already in use (Keycloak management)"

  if [[ $VCLICK_PROFILE == test ]]; then
    # Fresh database: the realm (and the bootstrap admin) are created again from code.
    rm -rf "$dist/data/h2"
  fi
  mkdir -p "$dist/data/import"
  rm -f "$dist"/data/import/*.json
  node "$demo_otp" "$realm_json" "$dist/data/import/vclick-realm.json" ||
    die "could not add the demo OTP devices to the realm (keycloak-realm/demo-otp.mjs)"
  # Remember which realm file the database was created from, to flag later edits.
  local sum_file="$dist/data/vclick-realm.imported.sha256" sum
  sum=$(cat "$realm_json" "$demo_otp" | sha256sum | cut -d' ' -f1)
  if [[ ! -d $dist/data/h2 ]]; then
    printf '%s\n' "$sum" >"$sum_file"
  elif [[ $(cat "$sum_file" 2>/dev/null) != "$sum" ]]; then
    warn "keycloak-realm/vclick-realm.json (or demo-otp.mjs) changed since the realm was imported; Keycloak keeps" \
      "the existing realm. To re-import it (losing users and sessions made since): stop, then" \
      "keycloak_reset_data (or delete $dist/data/h2)"
  fi

  # ${VCLICK_PUBLIC_URL} and ${VCLICK_KEYCLOAK_CLIENT_SECRET} in the realm file are resolved by
  # Keycloak from its environment at import time. An unset VCLICK_PUBLIC_URL leaves the realm's
  # default (http://127.0.0.1:8080); an empty one would resolve to "" and break the redirect URIs.
  local -a realm_env=(VCLICK_KEYCLOAK_CLIENT_SECRET="$VCLICK_KEYCLOAK_CLIENT_SECRET")
  if [[ -n ${VCLICK_PUBLIC_URL:-} ]]; then
    realm_env+=(VCLICK_PUBLIC_URL="${VCLICK_PUBLIC_URL%/}")
  else
    warn "VCLICK_PUBLIC_URL is not set: vclick-web accepts http://127.0.0.1:8080 only"
  fi

  log "starting Keycloak on http://127.0.0.1:$KC_PORT (management 127.0.0.1:$mgmt)"
  start_bg keycloak env -u VCLICK_PUBLIC_URL \
    KC_BOOTSTRAP_ADMIN_USERNAME="$KC_BOOTSTRAP_ADMIN_USERNAME" \
    KC_BOOTSTRAP_ADMIN_PASSWORD="$KC_BOOTSTRAP_ADMIN_PASSWORD" \
    "${realm_env[@]}" \
    JAVA_OPTS_KC_HEAP="${JAVA_OPTS_KC_HEAP:--Xms64m -Xmx1g}" \
    "$dist/bin/kc.sh" start-dev \
    --http-host 127.0.0.1 --http-port "$KC_PORT" \
    --hostname "http://127.0.0.1:$KC_PORT" \
    --health-enabled true \
    --http-management-host 127.0.0.1 --http-management-port "$mgmt" \
    --import-realm
}

# keycloak_wait : poll until the vclick realm answers (first start builds Keycloak: ~75 s).
keycloak_wait() {
  wait_until keycloak 300 http_ok "http://127.0.0.1:$KC_PORT/realms/vclick/.well-known/openid-configuration"
}

keycloak_stop() { stop_bg keycloak; }

# keycloak_reset_data : forget the database (realm, users, sessions, the bootstrap admin) so that
# the next keycloak_start imports the realm file again. Keycloak must be stopped.
keycloak_reset_data() {
  is_running keycloak && die "stop Keycloak before resetting its data"
  rm -rf "$(keycloak_dist)/data/h2" "$(keycloak_dist)/data/vclick-realm.imported.sha256"
}
