# Payara Micro running the Vclick WAR (sourced by ./vclick).
# Caller sets: VCLICK_ROOT, VCLICK_STATE, HTTP_PORT, HZ_PORT, and the VCLICK_* settings in the
# environment (MicroProfile Config reads them directly).

payara_jar() { echo "$VCLICK_ROOT/web/target/payara-micro.jar"; }
payara_war() { echo "$VCLICK_ROOT/web/target/vclick.war"; }

payara_config() {
  mkdir -p "$VCLICK_STATE/conf" "$VCLICK_STATE/payara"
  # Every listener on loopback: HTTP by a preboot command, Hazelcast by tcpip cluster mode below.
  # The built-in jdbc/__default H2 pool would open a TCP server on all interfaces: make it in-memory.
  # Grizzly drops incoming WebSocket frames once 4,096 tasks wait for a thread (a burst of
  # presence.watch after thousands of clients (re)connect did): a longer queue (BENCHMARKS.md).
  cat >"$VCLICK_STATE/conf/payara-preboot.asadmin" <<PREBOOT
set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1
set resources.jdbc-connection-pool.H2Pool.property.URL=jdbc:h2:mem:payara-default
set configs.config.server-config.thread-pools.thread-pool.http-thread-pool.max-queue-size=65536
PREBOOT
}

payara_start() {
  [[ -f $(payara_war) ]] || die "$(payara_war) is missing: build first (mvn package)"
  payara_config
  # Payara Micro redeploys a stale exploded copy from its root dir: start from a clean one.
  rm -rf "$VCLICK_STATE/payara"
  start_bg payara java "-Xmx${VCLICK_PAYARA_XMX:-768m}" \
    -Dhazelcast.socket.bind.any=false \
    -Djava.net.preferIPv4Stack=true \
    -jar "$(payara_jar)" \
    --deploy "$(payara_war)" --contextroot / \
    --port "$HTTP_PORT" --nohostaware \
    --clustermode "tcpip:127.0.0.1:$HZ_PORT" --startport "$HZ_PORT" --interfaces 127.0.0.1 \
    --prebootcommandfile "$VCLICK_STATE/conf/payara-preboot.asadmin" \
    --rootdir "$VCLICK_STATE/payara"
}

payara_wait() {
  wait_until payara 240 http_ok "http://127.0.0.1:$HTTP_PORT/api/client-config"
}

payara_stop() { stop_bg payara; }
