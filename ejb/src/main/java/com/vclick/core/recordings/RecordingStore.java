package com.vclick.core.recordings;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The recordings store as a service: ingests finished recordings, lists and reads them, opens their
 * files for reviewers, holds them, verifies them and applies retention. Every read of a file and
 * every change is audited (see {@link RecordingAudit}); the REST layer checks the reviewer's role.
 */
@ApplicationScoped
public class RecordingStore {

  private static final Logger LOG = Logger.getLogger(RecordingStore.class.getName());

  @Inject RecordingsConfig config;
  @Inject RecordingRepository repository;
  @Inject Clock clock;

  private RecordingFiles files;
  private MediaProbe probe;

  @PostConstruct
  void init() {
    files = new RecordingFiles(config.dir());
    probe = new FfprobeMediaProbe(config.ffprobe());
  }

  /**
   * Stores a finished recording: copies {@code finishedFile} into the store under a new name (never
   * overwriting anything), hashes it while copying, reads its codecs and duration (unknown ones are
   * stored as such, with the reason) and records its metadata, audited {@code recording.stored}.
   * The source is left where it is, for the caller to remove once this returns.
   *
   * @throws IllegalArgumentException when the context is invalid or the file is not a Matroska or
   *     WebM file (the message names the field); nothing was stored
   * @throws UncheckedIOException when the file cannot be read or the store cannot be written;
   *     nothing was stored
   */
  public Recording ingest(Path finishedFile, RecordingContext context) {
    Objects.requireNonNull(context, "context");
    Container container = containerOf(finishedFile);
    String id = UUID.randomUUID().toString();
    Instant createdAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    RecordingFiles.Stored stored;
    try {
      stored = files.write(finishedFile, RecordingFiles.relativePath(id, createdAt));
    } catch (IOException e) {
      throw new UncheckedIOException("recording " + id + " could not be written", e);
    }
    try {
      ProbeResult probed = probe.probe(files.resolve(stored.relativePath()));
      Recording recording =
          repository.add(
              new RecordingRow(id, context, stored, container, probed, createdAt), context);
      LOG.info(() -> "Stored recording " + id + " (" + stored.sizeBytes() + " bytes)");
      return recording;
    } catch (RuntimeException e) {
      files.delete(stored.relativePath());
      throw e;
    }
  }

  public List<Recording> list(RecordingQuery query) {
    return repository.find(query);
  }

  public Optional<Recording> find(String recordingId) {
    return repository.byId(recordingId);
  }

  /**
   * Opens a recording's file for a reviewer after auditing the access.
   *
   * @param range what is read, for the audit ({@code bytes 0-1023}, {@code full})
   * @throws RecordingDeletedException when retention deleted it
   * @throws IllegalStateException when its file is missing although it was never deleted
   */
  public Optional<RecordingMedia> open(
      String actor, String recordingId, RecordingAccess access, String range) {
    Optional<Recording> recording = repository.byId(recordingId);
    if (recording.isEmpty()) {
      return Optional.empty();
    }
    RecordingDeletedException.check(recording.get().row());
    Path file = files.resolve(recording.get().row().filePath());
    if (!Files.isRegularFile(file)) {
      LOG.severe(() -> "The file of recording " + recordingId + " is missing");
      throw new IllegalStateException("recording " + recordingId + ": file missing");
    }
    return repository
        .accessed(actor, recordingId, access, "range=" + range)
        .map(audited -> new RecordingMedia(audited, file));
  }

  /**
   * Puts a recording on legal hold ({@code hold}) or takes it off, with the reason (1 to 500
   * characters, stored with the recording; the audit trail keeps its hash).
   *
   * @throws IllegalArgumentException for a missing, blank or longer reason
   * @throws RecordingDeletedException when retention deleted it already
   */
  public Optional<Recording> legalHold(
      String actor, String recordingId, boolean hold, String reason) {
    RecordingContext.text("reason", reason, RecordingRow.MAX_REASON_LENGTH);
    return repository.changeLegalHold(
        actor, recordingId, hold, reason, clock.instant().truncatedTo(ChronoUnit.MILLIS));
  }

  /**
   * Recomputes the SHA-256 and size of a recording's file and compares them with the stored ones;
   * audited with the outcome.
   *
   * @throws RecordingDeletedException when retention deleted it
   */
  public Optional<RecordingVerification> verify(String actor, String recordingId) {
    Optional<Recording> found = repository.byId(recordingId);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    RecordingRow row = found.get().row();
    RecordingDeletedException.check(row);
    Optional<RecordingFiles.Stored> now = Optional.empty();
    if (files.exists(row.filePath())) {
      try {
        now = Optional.of(files.hash(row.filePath()));
      } catch (IOException e) {
        LOG.log(
            Level.WARNING,
            "The file of recording {0} cannot be read: {1}",
            new Object[] {recordingId, e.toString()});
      }
    }
    boolean intact =
        now.filter(f -> f.sha256().equals(row.sha256()) && f.sizeBytes() == row.sizeBytes())
            .isPresent();
    if (!intact) {
      LOG.severe(() -> "Recording " + recordingId + " failed verification");
    }
    repository.verified(actor, recordingId, intact);
    return Optional.of(
        new RecordingVerification(
            recordingId,
            intact,
            row.sha256(),
            now.map(RecordingFiles.Stored::sha256),
            row.sizeBytes(),
            now.map(RecordingFiles.Stored::sizeBytes),
            clock.instant().truncatedTo(ChronoUnit.MILLIS)));
  }

  /** When a recording stored at {@code createdAt} becomes due for deletion. */
  public Instant retentionEndsAt(Instant createdAt) {
    return config.retention().endsAt(createdAt);
  }

  /** Applies retention as of now. */
  public RetentionSweep.Result sweep() {
    return sweep(clock.instant());
  }

  /** Applies retention as of {@code now}: deletes the files that are due, keeps their rows. */
  public RetentionSweep.Result sweep(Instant now) {
    RetentionRule rule = config.retention();
    Instant at = now.truncatedTo(ChronoUnit.MILLIS);
    return new RetentionSweep(
            rule,
            new RetentionSweep.Candidates() {
              @Override
              public List<String> due(Instant cutoff, int max) {
                return repository.dueForDeletion(cutoff, max);
              }

              @Override
              public boolean deleteIfDue(String recordingId, Instant when) {
                return repository.deleteIfDue(recordingId, rule, when, files);
              }
            })
        .run(at);
  }

  /** The store's folder, for the start-up log. */
  public Path folder() {
    return files.root();
  }

  private static Container containerOf(Path file) {
    if (file == null || !Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException("finishedFile: not a readable file.");
    }
    try {
      return Container.of(file)
          .orElseThrow(
              () -> new IllegalArgumentException("finishedFile: not a Matroska or WebM file."));
    } catch (IOException e) {
      throw new UncheckedIOException("the finished recording cannot be read", e);
    }
  }
}
