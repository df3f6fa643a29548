package com.vclick.core.edge.connections;

import com.vclick.core.edge.CandidateType;
import java.time.Instant;
import java.util.UUID;

/** Events for the tests, on one origin, with the fingerprints of made-up certificates. */
final class Events {

  static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  static final String MEET = "https://meet.example.com";

  private Events() {}

  static String id() {
    return UUID.randomUUID().toString();
  }

  /** The fingerprint of certificate {@code n}: sha-256 with every byte {@code n}. */
  static Fingerprint cert(int n) {
    String pair = String.format("%02X", n);
    return Fingerprint.parse("sha-256 " + (pair + ":").repeat(31) + pair).orElseThrow();
  }

  static ConnectionEvent.Created created(String connection, String page, int second) {
    return new ConnectionEvent.Created(connection, page, null, MEET, T0.plusSeconds(second));
  }

  static ConnectionEvent.Connected connected(
      String connection, String page, int second, int localCert, int remoteCert) {
    return new ConnectionEvent.Connected(
        connection,
        page,
        null,
        MEET,
        T0.plusSeconds(second),
        cert(localCert),
        cert(remoteCert),
        CandidateType.RELAY,
        CandidateType.RELAY,
        TransportProtocol.UDP);
  }

  static ConnectionEvent.Sample sample(String connection, String page, int second, long bytes) {
    return new ConnectionEvent.Sample(
        connection, page, null, MEET, T0.plusSeconds(second), bytes, bytes * 2);
  }

  static ConnectionEvent.Closed closed(String connection, String page, int second) {
    return new ConnectionEvent.Closed(
        connection,
        page,
        null,
        MEET,
        T0.plusSeconds(second),
        1_000,
        2_000,
        ConnectionEndReason.CLOSED_BY_PAGE);
  }
}
