package com.vclick.core.recordings;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/**
 * One stored recording. What describes the file (path, size, hash, codecs) is written once; only
 * the legal hold and the deletion change, and the row stays after its file is deleted. Never held
 * in the shared JPA cache, since any cluster member may change it.
 */
@Entity
@Cacheable(false)
@Table(name = "recording")
public class RecordingRow {

  static final int MAX_REASON_LENGTH = 500;
  static final int MAX_CODECS_LENGTH = 8000;

  @Id
  @Column(name = "recording_id", length = 36)
  private String recordingId;

  @Column(name = "call_id", nullable = false, length = 64)
  private String callId;

  @Column(nullable = false, length = RecordingContext.MAX_ORIGIN_LENGTH)
  private String origin;

  @Column(name = "started_at", nullable = false)
  private Instant startedAt;

  @Column(name = "ended_at", nullable = false)
  private Instant endedAt;

  @Column(name = "duration_ms")
  private Long durationMillis;

  @Column(name = "size_bytes", nullable = false)
  private long sizeBytes;

  @Column(nullable = false, length = 64)
  private String sha256;

  @Column(nullable = false, length = 10)
  private String container;

  @Column(name = "file_path", nullable = false, length = 200)
  private String filePath;

  @Column(length = MAX_CODECS_LENGTH)
  private String codecs;

  @Column(name = "probe_error", length = ProbeResult.MAX_ERROR_LENGTH)
  private String probeError;

  @Column(name = "legal_hold", nullable = false)
  private boolean legalHold;

  @Column(name = "legal_hold_reason", length = MAX_REASON_LENGTH)
  private String legalHoldReason;

  @Column(name = "legal_hold_changed_at")
  private Instant legalHoldChangedAt;

  @Column(name = "legal_hold_changed_by", length = 64)
  private String legalHoldChangedBy;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "deleted_at")
  private Instant deletedAt;

  @Column(name = "enterprise_media_ms")
  private Long enterpriseMediaMs;

  @Column(name = "far_end_media_ms")
  private Long farEndMediaMs;

  @Column(name = "legs_known", nullable = false)
  private boolean legsKnown;

  @Column(length = 200)
  private String incomplete;

  protected RecordingRow() {}

  /**
   * A recording just written to the store.
   *
   * @param createdAt the server's clock when it was written, to the millisecond
   */
  RecordingRow(
      String recordingId,
      RecordingContext context,
      RecordingFiles.Stored file,
      Container container,
      ProbeResult probe,
      Instant createdAt) {
    this.recordingId = recordingId;
    this.callId = context.callId();
    this.origin = context.origin();
    this.startedAt = context.startedAt();
    this.endedAt = context.endedAt();
    this.durationMillis = probe.durationMillis();
    this.sizeBytes = file.sizeBytes();
    this.sha256 = file.sha256();
    this.container = container.wireName();
    this.filePath = file.relativePath();
    String summary = probe.codecs();
    this.codecs = summary != null && summary.length() <= MAX_CODECS_LENGTH ? summary : null;
    this.probeError =
        summary != null && this.codecs == null ? "The codec summary was too long." : probe.error();
    this.createdAt = createdAt;
    RecordingLegs legs = context.legs();
    this.legsKnown = legs.known();
    this.enterpriseMediaMs = legs.enterpriseMillis();
    this.farEndMediaMs = legs.farEndMillis();
    this.incomplete = legs.incomplete();
  }

  /** Puts the recording on legal hold or takes it off, with the reason. */
  void changeLegalHold(boolean hold, String reason, String actor, Instant at) {
    legalHold = hold;
    legalHoldReason = reason;
    legalHoldChangedBy = actor;
    legalHoldChangedAt = at;
  }

  /** Its file is gone: the row stays for the audit. */
  void markDeleted(Instant at) {
    deletedAt = at;
  }

  public String recordingId() {
    return recordingId;
  }

  public String callId() {
    return callId;
  }

  public String origin() {
    return origin;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Instant endedAt() {
    return endedAt;
  }

  public Optional<Long> durationMillis() {
    return Optional.ofNullable(durationMillis);
  }

  public long sizeBytes() {
    return sizeBytes;
  }

  public String sha256() {
    return sha256;
  }

  public Container container() {
    return Container.fromWireName(container).orElse(Container.MATROSKA);
  }

  /** Relative to the store's folder; never shown to clients. */
  public String filePath() {
    return filePath;
  }

  /** The streams as JSON ({@link ProbeJson}); empty when ffprobe could not tell. */
  public Optional<String> codecs() {
    return Optional.ofNullable(codecs);
  }

  /** Why codecs or duration are unknown. */
  public Optional<String> probeError() {
    return Optional.ofNullable(probeError);
  }

  public boolean legalHold() {
    return legalHold;
  }

  public Optional<String> legalHoldReason() {
    return Optional.ofNullable(legalHoldReason);
  }

  public Optional<Instant> legalHoldChangedAt() {
    return Optional.ofNullable(legalHoldChangedAt);
  }

  /** The user id of the reviewer who last changed the hold. */
  public Optional<String> legalHoldChangedBy() {
    return Optional.ofNullable(legalHoldChangedBy);
  }

  /** When it was stored (the server's clock); retention counts from here. */
  public Instant createdAt() {
    return createdAt;
  }

  /** Which legs' media it holds and for how long. */
  public RecordingLegs legs() {
    return new RecordingLegs(
        legsKnown,
        enterpriseMediaMs,
        farEndMediaMs,
        incomplete != null && incomplete.contains("partial"));
  }

  /** Why it is not a complete recording of both legs (a gap in the compliance view). */
  public Optional<String> incomplete() {
    return Optional.ofNullable(incomplete);
  }

  /** When retention deleted its file. */
  public Optional<Instant> deletedAt() {
    return Optional.ofNullable(deletedAt);
  }
}
