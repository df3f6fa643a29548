package com.vclick.core.edge.recording;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One recorded-call session (db/migration V7): written when it opens, ended in exactly one outcome
 * ({@link #STORED} or {@link #FAILED}). Any instance may settle it: kept out of the shared cache.
 */
@Entity
@Cacheable(false)
@Table(name = "recorded_call")
public class RecordedCallRow {

  public static final String STORED = "stored";
  public static final String FAILED = "failed";
  static final int MAX_REASON = 500;

  @Id
  @Column(name = "recorded_call_id", length = 36)
  private String recordedCallId;

  @Column(name = "user_id", nullable = false, length = 64)
  private String userId;

  @Column(nullable = false, length = 200)
  private String username;

  @Column(name = "display_name", nullable = false, length = 200)
  private String displayName;

  @Column(name = "connection_id", length = 36)
  private String connectionId;

  @Column(name = "decision_id", nullable = false, length = 64)
  private String decisionId;

  @Column(nullable = false, length = 2048)
  private String origin;

  @Column(name = "fail_mode", nullable = false, length = 20)
  private String failMode;

  @Column(name = "opened_at", nullable = false)
  private Instant openedAt;

  @Column(name = "heartbeat_at", nullable = false)
  private Instant heartbeatAt;

  @Column(name = "call_ended_at")
  private Instant callEndedAt;

  @Column(name = "enterprise_media_ms")
  private Long enterpriseMediaMs;

  @Column(name = "far_end_media_ms")
  private Long farEndMediaMs;

  @Column(length = 10)
  private String outcome;

  @Column(name = "outcome_at")
  private Instant outcomeAt;

  @Column(length = MAX_REASON)
  private String reason;

  @Column(name = "recording_id", length = 36)
  private String recordingId;

  protected RecordedCallRow() {}

  RecordedCallRow(SessionFacts facts) {
    this.recordedCallId = facts.recordedCallId();
    this.userId = facts.userId();
    this.username = limit(facts.username(), 200);
    this.displayName = limit(facts.displayName(), 200);
    this.connectionId = facts.connectionId();
    this.decisionId = facts.decisionId();
    this.origin = limit(facts.origin(), 2048);
    this.failMode = facts.failMode();
    this.openedAt = facts.openedAt();
    this.heartbeatAt = facts.openedAt();
  }

  /** The facts it was opened with. */
  public SessionFacts facts() {
    return new SessionFacts(
        recordedCallId,
        userId,
        username,
        displayName,
        connectionId,
        decisionId,
        origin,
        failMode,
        openedAt);
  }

  void heartbeat(Instant at) {
    heartbeatAt = at;
  }

  /** Keeps the first problem (the cause); later ones are in the audit trail. */
  void problem(String text) {
    if (reason == null) {
      reason = limit(text, MAX_REASON);
    }
  }

  void callEnded(Instant at, Duration enterprise, Duration farEnd) {
    if (callEndedAt == null) {
      callEndedAt = at;
      enterpriseMediaMs = enterprise == null ? null : enterprise.toMillis();
      farEndMediaMs = farEnd == null ? null : farEnd.toMillis();
    }
  }

  /** A recording of it is in the store; a session that had failed for want of one is stored now. */
  void stored(String recording, Instant at) {
    if (recordingId == null) {
      recordingId = recording;
    }
    if (!STORED.equals(outcome)) {
      outcome = STORED;
      outcomeAt = at;
    }
  }

  /** Ends it as an audited failure (no-op once it has an outcome). */
  void failed(String why, Instant at) {
    problem(why);
    if (outcome == null) {
      outcome = FAILED;
      outcomeAt = at;
    }
  }

  public String recordedCallId() {
    return recordedCallId;
  }

  public String userId() {
    return userId;
  }

  public Optional<String> outcome() {
    return Optional.ofNullable(outcome);
  }

  public Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  public Optional<String> recordingId() {
    return Optional.ofNullable(recordingId);
  }

  public Optional<Instant> callEndedAt() {
    return Optional.ofNullable(callEndedAt);
  }

  public Instant heartbeatAt() {
    return heartbeatAt;
  }

  public Instant openedAt() {
    return openedAt;
  }

  static String limit(String text, int max) {
    if (text == null) {
      return null;
    }
    return text.length() <= max ? text : text.substring(0, max - 3) + "...";
  }
}
