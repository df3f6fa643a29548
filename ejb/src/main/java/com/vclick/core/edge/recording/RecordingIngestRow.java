package com.vclick.core.edge.recording;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A finished recording waiting for the recordings store (db/migration V7): what the archiver needs
 * to store it, and its attempts. Deleted once stored (or given up for a permanent reason).
 */
@Entity
@Cacheable(false)
@Table(name = "recording_ingest")
public class RecordingIngestRow {

  @Id
  @Column(name = "ingest_id", length = 36)
  private String ingestId;

  @Column(name = "recorded_call_id", nullable = false, length = 36)
  private String recordedCallId;

  @Column(name = "file_path", nullable = false, length = 1000)
  private String filePath;

  @Column(name = "working_files", nullable = false, length = 8000)
  private String workingFiles;

  @Column(name = "started_at", nullable = false)
  private Instant startedAt;

  @Column(name = "stopped_at", nullable = false)
  private Instant stoppedAt;

  @Column(nullable = false)
  private boolean partial;

  @Column(name = "queued_at", nullable = false)
  private Instant queuedAt;

  @Column(nullable = false)
  private int attempts;

  @Column(name = "next_attempt_at", nullable = false)
  private Instant nextAttemptAt;

  @Column(name = "last_error", length = 500)
  private String lastError;

  @Column(name = "enterprise_media_ms")
  private Long enterpriseMediaMs;

  @Column(name = "far_end_media_ms")
  private Long farEndMediaMs;

  protected RecordingIngestRow() {}

  RecordingIngestRow(FinishedRecording finished, Instant now) {
    var recording = finished.recording();
    this.ingestId = UUID.randomUUID().toString();
    this.recordedCallId = finished.recordedCallId();
    this.filePath = recording.file().toString();
    StringBuilder files = new StringBuilder(filePath);
    for (Path part : recording.parts()) {
      if (files.length() + part.toString().length() + 1 < 8000) {
        files.append('\n').append(part);
      }
    }
    this.workingFiles = files.toString();
    this.startedAt = recording.startedAt();
    this.stoppedAt = recording.stoppedAt();
    this.partial = finished.partial();
    this.enterpriseMediaMs =
        finished.enterpriseMedia() == null ? null : finished.enterpriseMedia().toMillis();
    this.farEndMediaMs = finished.farEndMedia() == null ? null : finished.farEndMedia().toMillis();
    this.queuedAt = now;
    this.nextAttemptAt = now;
  }

  void claimUntil(Instant until) {
    nextAttemptAt = until;
  }

  Instant nextAttemptAt() {
    return nextAttemptAt;
  }

  void failedAttempt(String error, Instant next) {
    attempts++;
    lastError = RecordedCallRow.limit(error, 500);
    nextAttemptAt = next;
  }

  public String ingestId() {
    return ingestId;
  }

  public String recordedCallId() {
    return recordedCallId;
  }

  public Path file() {
    return Path.of(filePath);
  }

  /** The media server's files of this recording (the playable one first). */
  public List<Path> workingFiles() {
    return Arrays.stream(workingFiles.split("\n")).map(Path::of).toList();
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Instant stoppedAt() {
    return stoppedAt;
  }

  public boolean partial() {
    return partial;
  }

  public int attempts() {
    return attempts;
  }

  public Instant queuedAt() {
    return queuedAt;
  }

  public Long enterpriseMediaMs() {
    return enterpriseMediaMs;
  }

  public Long farEndMediaMs() {
    return farEndMediaMs;
  }
}
