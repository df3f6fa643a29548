package com.vclick.core.edge.connections;

import com.vclick.core.edge.CandidateType;
import com.vclick.core.identity.Caller;
import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One peer connection of the connection log, built up by its events in whatever order they arrive.
 * A value once set is never changed: the first {@code created}, {@code connected} and {@code
 * closed} win and repeats change nothing, which makes events idempotent; the one exception is the
 * server's own {@code lost} verdict, which a {@code closed} from the browser, arriving late,
 * replaces. Samples keep the latest byte counts (by the browser's clock) while it is open. Owned by
 * the user whose token reported it first; never held in the shared JPA cache, since reports from
 * several cluster members change it.
 */
@Entity
@Cacheable(false)
@Table(name = "edge_connection")
public class EdgeConnectionRow {

  static final int MAX_NAME_LENGTH = 200;

  @Id
  @Column(name = "connection_id", length = 36)
  private String connectionId;

  @Column(name = "user_id", nullable = false, length = 64)
  private String userId;

  @Column(nullable = false, length = MAX_NAME_LENGTH)
  private String username;

  @Column(name = "display_name", nullable = false, length = MAX_NAME_LENGTH)
  private String displayName;

  @Column(name = "page_id", nullable = false, length = 36)
  private String pageId;

  @Column(name = "decision_id", length = 36)
  private String decisionId;

  @Column(nullable = false, length = ConnectionReportJson.MAX_ORIGIN_LENGTH)
  private String origin;

  @Column(name = "started_at", nullable = false)
  private Instant startedAt;

  @Column(name = "created_at")
  private Instant createdAt;

  @Column(name = "connected_at")
  private Instant connectedAt;

  @Column(name = "closed_at")
  private Instant closedAt;

  @Column(name = "local_fingerprint", length = Fingerprint.MAX_LENGTH)
  private String localFingerprint;

  @Column(name = "remote_fingerprint", length = Fingerprint.MAX_LENGTH)
  private String remoteFingerprint;

  @Column(name = "local_candidate_type", length = 5)
  private String localCandidateType;

  @Column(name = "remote_candidate_type", length = 5)
  private String remoteCandidateType;

  @Column(length = 3)
  private String protocol;

  @Column(name = "bytes_sent")
  private Long bytesSent;

  @Column(name = "bytes_received")
  private Long bytesReceived;

  @Column(name = "end_reason", length = 20)
  private String endReason;

  @Column(name = "peer_connection_id", length = 36)
  private String peerConnectionId;

  @Column(name = "call_id", nullable = false, length = 36)
  private String callId;

  @Column(name = "reported_at", nullable = false)
  private Instant reportedAt;

  /** The latest instant any event named, by the browser's clock: where a lost one ends. */
  @Column(name = "last_seen_at")
  private Instant lastSeenAt;

  /** When the server last heard of it, by the server's clock: what the silence limit counts. */
  @Column(name = "last_report_at")
  private Instant lastReportAt;

  /** The browser's instant of the sample whose byte counts are kept. */
  @Column(name = "last_sample_at")
  private Instant lastSampleAt;

  @Column(name = "pairing_disputed", nullable = false)
  private boolean pairingDisputed;

  protected EdgeConnectionRow() {}

  /**
   * A connection first heard of through {@code event} (whichever kind it is), owned by the caller;
   * a call of its own until it is grouped.
   *
   * @param reportedAt the server's clock
   */
  EdgeConnectionRow(Caller owner, ConnectionEvent event, Instant reportedAt) {
    this.connectionId = event.connectionId();
    this.userId = owner.subject();
    this.username = limit(owner.username());
    this.displayName = limit(owner.displayName());
    this.pageId = event.pageId();
    this.origin = event.origin();
    this.startedAt = event.at();
    this.callId = event.connectionId();
    this.reportedAt = reportedAt;
    apply(event);
    heardAt(reportedAt);
  }

  /**
   * Takes what the event adds: the first event of each kind counts, later ones of that kind change
   * nothing; a decision id once known stays.
   */
  final void apply(ConnectionEvent event) {
    if (decisionId == null && event.decisionId() != null) {
      decisionId = event.decisionId();
    }
    if (event instanceof ConnectionEvent.Created created && createdAt == null) {
      createdAt = created.at();
    } else if (event instanceof ConnectionEvent.Connected connected && connectedAt == null) {
      connectedAt = connected.at();
      localFingerprint = connected.localFingerprint().toString();
      remoteFingerprint = connected.remoteFingerprint().toString();
      localCandidateType = connected.localCandidateType().wireName();
      remoteCandidateType = connected.remoteCandidateType().wireName();
      protocol = connected.protocol().wireName();
    } else if (event instanceof ConnectionEvent.Sample sample && closedAt == null) {
      if (lastSampleAt == null || !sample.at().isBefore(lastSampleAt)) {
        lastSampleAt = sample.at();
        bytesSent = sample.bytesSent();
        bytesReceived = sample.bytesReceived();
      }
    } else if (event instanceof ConnectionEvent.Closed closed && (closedAt == null || isLost())) {
      closedAt = closed.at();
      bytesSent = closed.bytesSent();
      bytesReceived = closed.bytesReceived();
      endReason = closed.endReason().wireName();
    }
    if (lastSeenAt == null || event.at().isAfter(lastSeenAt)) {
      lastSeenAt = event.at();
    }
    startedAt = known().min(Instant::compareTo).orElse(startedAt);
  }

  /** The server heard of it now (any report naming it). */
  void heardAt(Instant now) {
    if (lastReportAt == null || now.isAfter(lastReportAt)) {
      lastReportAt = now;
    }
  }

  /**
   * Ends it as {@link ConnectionEndReason#LOST}: at the last instant known of it, with the last
   * byte counts sampled (none when it was never sampled). Nothing when it is closed already.
   *
   * @return whether it was open
   */
  boolean lose() {
    if (closedAt != null) {
      return false;
    }
    closedAt = lastSeenAt != null ? lastSeenAt : startedAt;
    endReason = ConnectionEndReason.LOST.wireName();
    return true;
  }

  private boolean isLost() {
    return ConnectionEndReason.LOST.wireName().equals(endReason);
  }

  /** The instants known so far. */
  private Stream<Instant> known() {
    return Stream.of(createdAt, connectedAt, closedAt).filter(at -> at != null);
  }

  /** This end for pairing, once connected and not yet paired. */
  Optional<PeerMatching.End> unpairedEnd() {
    if (connectedAt == null || peerConnectionId != null || pairingDisputed) {
      return Optional.empty();
    }
    return Optional.of(
        new PeerMatching.End(
            connectionId,
            Fingerprint.parse(localFingerprint).orElseThrow(),
            Fingerprint.parse(remoteFingerprint).orElseThrow(),
            connectedAt));
  }

  void pairWith(EdgeConnectionRow peer) {
    peerConnectionId = peer.connectionId;
  }

  /** Someone else claims its fingerprints: it pairs with nobody, now or later. */
  void dispute() {
    pairingDisputed = true;
    peerConnectionId = null;
  }

  /** This end for the pairing rules, once connected (paired or not). */
  Optional<PairingClaims.Claim> claim() {
    if (connectedAt == null) {
      return Optional.empty();
    }
    return Optional.of(
        new PairingClaims.Claim(
            connectionId,
            userId,
            Fingerprint.parse(localFingerprint).orElseThrow(),
            Fingerprint.parse(remoteFingerprint).orElseThrow(),
            connectedAt,
            peerConnectionId,
            pairingDisputed));
  }

  /**
   * Its time span for grouping: from the earliest instant known to the latest once closed, open
   * while not closed (a report that arrives late can move either end).
   */
  CallGrouping.Span span() {
    Instant end = closedAt == null ? null : known().max(Instant::compareTo).orElseThrow();
    return new CallGrouping.Span(
        connectionId, userId, pageId, origin, startedAt, end, peerConnectionId);
  }

  void groupInto(String callId) {
    this.callId = callId;
  }

  private static String limit(String text) {
    return text.length() <= MAX_NAME_LENGTH ? text : text.substring(0, MAX_NAME_LENGTH);
  }

  public String connectionId() {
    return connectionId;
  }

  /** The owner: the subject of the token that first reported it. */
  public String userId() {
    return userId;
  }

  /** The owner's username when it was first reported. */
  public String username() {
    return username;
  }

  /** The owner's name when it was first reported. */
  public String displayName() {
    return displayName;
  }

  public String pageId() {
    return pageId;
  }

  public Optional<String> decisionId() {
    return Optional.ofNullable(decisionId);
  }

  /** The page's origin, normalised when it is an http(s) origin. */
  public String origin() {
    return origin;
  }

  /** The earliest instant known of it: created, else connected, else closed. */
  public Instant startedAt() {
    return startedAt;
  }

  public Optional<Instant> createdAt() {
    return Optional.ofNullable(createdAt);
  }

  public Optional<Instant> connectedAt() {
    return Optional.ofNullable(connectedAt);
  }

  public Optional<Instant> closedAt() {
    return Optional.ofNullable(closedAt);
  }

  public Optional<Fingerprint> localFingerprint() {
    return Optional.ofNullable(localFingerprint).flatMap(Fingerprint::parse);
  }

  public Optional<Fingerprint> remoteFingerprint() {
    return Optional.ofNullable(remoteFingerprint).flatMap(Fingerprint::parse);
  }

  public Optional<CandidateType> localCandidateType() {
    return Optional.ofNullable(localCandidateType).flatMap(CandidateType::fromWireName);
  }

  public Optional<CandidateType> remoteCandidateType() {
    return Optional.ofNullable(remoteCandidateType).flatMap(CandidateType::fromWireName);
  }

  public Optional<TransportProtocol> protocol() {
    return Optional.ofNullable(protocol).flatMap(TransportProtocol::fromWireName);
  }

  public Optional<Long> bytesSent() {
    return Optional.ofNullable(bytesSent);
  }

  public Optional<Long> bytesReceived() {
    return Optional.ofNullable(bytesReceived);
  }

  public Optional<ConnectionEndReason> endReason() {
    return Optional.ofNullable(endReason).flatMap(ConnectionEndReason::fromWireName);
  }

  /** The connection at the other end, once paired. */
  public Optional<String> peerConnectionId() {
    return Optional.ofNullable(peerConnectionId);
  }

  /** The call it belongs to: the id of the call's first connection. */
  public String callId() {
    return callId;
  }

  /** When the server first heard of it. */
  public Instant reportedAt() {
    return reportedAt;
  }

  /** When the server last heard of it. */
  public Optional<Instant> lastReportAt() {
    return Optional.ofNullable(lastReportAt);
  }

  /**
   * Whether another connection claims the same fingerprints (someone reported being one of its ends
   * who cannot be): it is paired with nobody, and its call is flagged.
   */
  public boolean pairingDisputed() {
    return pairingDisputed;
  }
}
