package com.vclick.core.calls;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** One party of a call that grew beyond two, in invite order, kept in step by {@link CallLog}. */
@Entity
@Cacheable(false)
@Table(name = "call_participant")
@IdClass(CallParticipantRow.Key.class)
public class CallParticipantRow {

  @Id
  @Column(name = "call_id", length = 36)
  private String callId;

  @Id
  @Column(name = "position")
  private int position;

  @Column(name = "user_id", nullable = false, length = 64)
  private String userId;

  @Column(nullable = false, length = 200)
  private String name;

  @Column(name = "invited_by", length = 64)
  private String invitedBy;

  @Column(name = "invited_at", nullable = false)
  private Instant invitedAt;

  @Column(name = "joined_at")
  private Instant joinedAt;

  @Column(name = "left_at")
  private Instant leftAt;

  @Enumerated(EnumType.STRING)
  @Column(length = 30)
  private EndReason reason;

  protected CallParticipantRow() {}

  CallParticipantRow(String callId, int position, CallParty party) {
    this.callId = callId;
    this.position = position;
    this.userId = party.userId();
    String shown = party.party().name();
    this.name = shown.length() <= 200 ? shown : shown.substring(0, 200);
    this.invitedBy = party.invitedBy();
    this.invitedAt = party.invitedAt();
    update(party);
  }

  /** Copies what can change; a value once set is never cleared. */
  final void update(CallParty party) {
    joinedAt = party.joinedAt() != null ? party.joinedAt() : joinedAt;
    leftAt = party.leftAt() != null ? party.leftAt() : leftAt;
    reason = party.reason() != null ? party.reason() : reason;
  }

  /** The call ended with this party still in it. */
  void endedWithCall(Instant endedAt, EndReason why) {
    if (leftAt == null) {
      leftAt = endedAt;
      reason = why;
    }
  }

  public String callId() {
    return callId;
  }

  public int position() {
    return position;
  }

  /** One participant as the call log shows it. */
  public CallParticipant participant() {
    return new CallParticipant(
        new Party(userId, name), invitedBy, invitedAt, joinedAt, leftAt, reason);
  }

  /** The primary key: call and position. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;

    private String callId;
    private int position;

    public Key() {}

    Key(String callId, int position) {
      this.callId = callId;
      this.position = position;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key
          && position == key.position
          && Objects.equals(callId, key.callId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(callId, position);
    }
  }
}
