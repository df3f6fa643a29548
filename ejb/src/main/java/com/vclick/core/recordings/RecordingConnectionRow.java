package com.vclick.core.recordings;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/**
 * A Secure Edge connection a recording covers: how the connection log finds the recordings of a
 * connection (indexed by connection). Written with the recording, never changed.
 */
@Entity
@Cacheable(false)
@Table(name = "recording_connection")
@IdClass(RecordingConnectionRow.Key.class)
public class RecordingConnectionRow {

  @Id
  @Column(name = "recording_id", length = 36)
  private String recordingId;

  @Id
  @Column(name = "connection_id", length = 36)
  private String connectionId;

  protected RecordingConnectionRow() {}

  RecordingConnectionRow(String recordingId, String connectionId) {
    this.recordingId = recordingId;
    this.connectionId = connectionId;
  }

  String recordingId() {
    return recordingId;
  }

  String connectionId() {
    return connectionId;
  }

  /** The primary key: recording and connection. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;

    private String recordingId;
    private String connectionId;

    public Key() {}

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key
          && Objects.equals(recordingId, key.recordingId)
          && Objects.equals(connectionId, key.connectionId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(recordingId, connectionId);
    }
  }
}
