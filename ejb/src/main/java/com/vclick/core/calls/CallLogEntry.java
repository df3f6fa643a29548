package com.vclick.core.calls;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/** One call of the call log, kept in step with the call's life by {@link CallLog}. */
@Entity
@Table(name = "call_log")
public class CallLogEntry {

  @Id
  @Column(name = "call_id", length = 36)
  private String callId;

  @Column(name = "caller_id", nullable = false, length = 64)
  private String callerId;

  @Column(name = "caller_name", nullable = false, length = 200)
  private String callerName;

  @Column(name = "callee_id", nullable = false, length = 64)
  private String calleeId;

  @Column(name = "callee_name", nullable = false, length = 200)
  private String calleeName;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, length = 10)
  private CallMedia media;

  @Column(name = "started_at", nullable = false)
  private Instant startedAt;

  @Column(name = "answered_at")
  private Instant answeredAt;

  @Column(name = "ended_at")
  private Instant endedAt;

  @Enumerated(EnumType.STRING)
  @Column(name = "end_reason", length = 30)
  private EndReason endReason;

  @Enumerated(EnumType.STRING)
  @Column(name = "media_path", length = 10)
  private MediaPath mediaPath;

  protected CallLogEntry() {}

  CallLogEntry(Call call) {
    this.callId = call.id();
    this.callerId = call.caller().userId();
    this.callerName = limit(call.caller().name());
    this.calleeId = call.callee().userId();
    this.calleeName = limit(call.callee().name());
    this.media = call.media();
    this.startedAt = call.startedAt();
    update(call);
  }

  /** Copies what can change during a call; a value once set is never cleared. */
  final void update(Call call) {
    answeredAt = call.answeredAt() != null ? call.answeredAt() : answeredAt;
    endedAt = call.endedAt() != null ? call.endedAt() : endedAt;
    endReason = call.endReason() != null ? call.endReason() : endReason;
    mediaPath = call.mediaPath() != null ? call.mediaPath() : mediaPath;
  }

  void endedByRestart(Instant now) {
    endedAt = now;
    endReason = EndReason.SERVER_RESTART;
  }

  private static String limit(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200);
  }

  public String callId() {
    return callId;
  }

  public Party caller() {
    return new Party(callerId, callerName);
  }

  public Party callee() {
    return new Party(calleeId, calleeName);
  }

  public CallMedia media() {
    return media;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Optional<Instant> answeredAt() {
    return Optional.ofNullable(answeredAt);
  }

  public Optional<Instant> endedAt() {
    return Optional.ofNullable(endedAt);
  }

  public Optional<EndReason> endReason() {
    return Optional.ofNullable(endReason);
  }

  public Optional<MediaPath> mediaPath() {
    return Optional.ofNullable(mediaPath);
  }
}
