package com.vclick.core.recordings;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * One stretch of a recording's participant, in order; written with the recording, never changed.
 */
@Entity
@Cacheable(false)
@Table(name = "recording_attendance")
@IdClass(RecordingAttendanceRow.Key.class)
public class RecordingAttendanceRow {

  @Id
  @Column(name = "recording_id", length = 36)
  private String recordingId;

  @Id
  @Column(name = "position")
  private int position;

  @Column(name = "user_id", nullable = false, length = RecordingParticipant.MAX_ID_LENGTH)
  private String userId;

  @Column(name = "joined_at", nullable = false)
  private Instant joinedAt;

  @Column(name = "left_at", nullable = false)
  private Instant leftAt;

  protected RecordingAttendanceRow() {}

  RecordingAttendanceRow(String recordingId, int position, RecordingAttendance attendance) {
    this.recordingId = recordingId;
    this.position = position;
    this.userId = attendance.userId();
    this.joinedAt = attendance.joinedAt();
    this.leftAt = attendance.leftAt();
  }

  String recordingId() {
    return recordingId;
  }

  RecordingAttendance attendance() {
    return new RecordingAttendance(userId, joinedAt, leftAt);
  }

  /** The primary key: recording and position. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;

    private String recordingId;
    private int position;

    public Key() {}

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key
          && position == key.position
          && Objects.equals(recordingId, key.recordingId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(recordingId, position);
    }
  }
}
