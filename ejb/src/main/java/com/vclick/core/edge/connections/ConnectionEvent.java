package com.vclick.core.edge.connections;

import com.vclick.core.edge.CandidateType;
import java.time.Instant;
import java.util.Objects;

/**
 * One event of a peer connection's life, as the extension reports it (web/EDGE-API.md, {@code POST
 * /api/edge/connections}). Every event repeats what identifies the connection, so that any one of
 * them, in any order, is enough to know it. Built by {@link ConnectionReportJson}, which normalises
 * ids to lower case, the origin as {@link com.vclick.core.edge.PageOrigin} does and times to
 * milliseconds.
 */
public sealed interface ConnectionEvent
    permits ConnectionEvent.Created,
        ConnectionEvent.Connected,
        ConnectionEvent.Sample,
        ConnectionEvent.Closed {

  /** The page's id for the connection (a UUID v4), lower case. */
  String connectionId();

  /** The id of the page load (a UUID v4) the connection was made in, lower case. */
  String pageId();

  /** The decision it runs under ({@code POST /api/edge/decision}); null when unknown. */
  String decisionId();

  /** The page's origin, normalised when it is an http(s) origin, otherwise as sent. */
  String origin();

  /** When it happened, by the browser's clock. */
  Instant at();

  /** {@code created}, {@code connected}, {@code sample} or {@code closed}. */
  String wireName();

  /** The page constructed the {@code RTCPeerConnection}. */
  record Created(String connectionId, String pageId, String decisionId, String origin, Instant at)
      implements ConnectionEvent {

    public Created {
      requireIds(connectionId, pageId, origin, at);
    }

    @Override
    public String wireName() {
      return "created";
    }
  }

  /**
   * ICE and DTLS completed: the certificates both ends use and the selected candidate pair.
   *
   * @param localFingerprint this browser's certificate (in its local description)
   * @param remoteFingerprint the far end's certificate (in the remote description)
   */
  record Connected(
      String connectionId,
      String pageId,
      String decisionId,
      String origin,
      Instant at,
      Fingerprint localFingerprint,
      Fingerprint remoteFingerprint,
      CandidateType localCandidateType,
      CandidateType remoteCandidateType,
      TransportProtocol protocol)
      implements ConnectionEvent {

    public Connected {
      requireIds(connectionId, pageId, origin, at);
      Objects.requireNonNull(localFingerprint, "localFingerprint");
      Objects.requireNonNull(remoteFingerprint, "remoteFingerprint");
      Objects.requireNonNull(localCandidateType, "localCandidateType");
      Objects.requireNonNull(remoteCandidateType, "remoteCandidateType");
      Objects.requireNonNull(protocol, "protocol");
    }

    @Override
    public String wireName() {
      return "connected";
    }
  }

  /**
   * The connection is still open and has carried this much so far: the extension sends one for each
   * open connection now and then ({@code sampleEverySeconds} of the answer), which tells the server
   * its reporter is still there and gives the figures a connection ends with if it is lost.
   */
  record Sample(
      String connectionId,
      String pageId,
      String decisionId,
      String origin,
      Instant at,
      long bytesSent,
      long bytesReceived)
      implements ConnectionEvent {

    public Sample {
      requireIds(connectionId, pageId, origin, at);
      if (bytesSent < 0 || bytesReceived < 0) {
        throw new IllegalArgumentException("byte counts are never negative");
      }
    }

    @Override
    public String wireName() {
      return "sample";
    }
  }

  /** The connection ended: what it carried and why it ended. */
  record Closed(
      String connectionId,
      String pageId,
      String decisionId,
      String origin,
      Instant at,
      long bytesSent,
      long bytesReceived,
      ConnectionEndReason endReason)
      implements ConnectionEvent {

    public Closed {
      requireIds(connectionId, pageId, origin, at);
      Objects.requireNonNull(endReason, "endReason");
      if (bytesSent < 0 || bytesReceived < 0) {
        throw new IllegalArgumentException("byte counts are never negative");
      }
    }

    @Override
    public String wireName() {
      return "closed";
    }
  }

  private static void requireIds(String connectionId, String pageId, String origin, Instant at) {
    Objects.requireNonNull(connectionId, "connectionId");
    Objects.requireNonNull(pageId, "pageId");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(at, "at");
  }
}
