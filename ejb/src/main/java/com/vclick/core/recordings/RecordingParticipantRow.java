package com.vclick.core.recordings;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** A participant of a recording, in order; written with the recording, never changed. */
@Entity
@Cacheable(false)
@Table(name = "recording_participant")
@IdClass(RecordingParticipantRow.Key.class)
public class RecordingParticipantRow {

  @Id
  @Column(name = "recording_id", length = 36)
  private String recordingId;

  @Id
  @Column(name = "position")
  private int position;

  @Column(name = "user_id", nullable = false, length = RecordingParticipant.MAX_ID_LENGTH)
  private String userId;

  @Column(nullable = false, length = RecordingParticipant.MAX_NAME_LENGTH)
  private String username;

  @Column(name = "display_name", nullable = false, length = RecordingParticipant.MAX_NAME_LENGTH)
  private String displayName;

  protected RecordingParticipantRow() {}

  RecordingParticipantRow(String recordingId, int position, RecordingParticipant participant) {
    this.recordingId = recordingId;
    this.position = position;
    this.userId = participant.userId();
    this.username = participant.username();
    this.displayName = participant.displayName();
  }

  String recordingId() {
    return recordingId;
  }

  int position() {
    return position;
  }

  RecordingParticipant participant() {
    return new RecordingParticipant(userId, username, displayName);
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
