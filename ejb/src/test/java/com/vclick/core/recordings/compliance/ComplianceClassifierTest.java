package com.vclick.core.recordings.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComplianceClassifierTest {

  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

  private static ComplianceFacts connection(
      String user, String origin, Instant connectedAt, ComplianceFacts.Session... sessions) {
    return new ComplianceFacts(
        "c-" + user + sessions.length,
        user,
        user,
        user,
        origin,
        T0,
        connectedAt,
        List.of(sessions));
  }

  private static ComplianceFacts.Session session(
      String id, int second, String outcome, String reason, ComplianceFacts.StoredRecording... r) {
    return new ComplianceFacts.Session(id, T0.plusSeconds(second), outcome, reason, List.of(r));
  }

  private static ComplianceFacts.StoredRecording recording(String id, String incomplete) {
    return new ComplianceFacts.StoredRecording(id, incomplete);
  }

  @Test
  void aCompleteStoredRecordingIsRecordedAndAnythingLessIsAnExplainedGap() {
    var recorded =
        ComplianceClassifier.classify(
            connection("alice", "o", T0, session("s1", 1, "stored", null, recording("r1", null))));
    assertEquals(ComplianceStatus.RECORDED, recorded.status());
    assertNull(recorded.explanation());
    assertEquals("r1", recorded.recordingId());

    var oneLeg =
        ComplianceClassifier.classify(
            connection(
                "alice",
                "o",
                T0,
                session("s1", 1, "stored", null, recording("r1", "missing leg: enterprise"))));
    assertEquals(ComplianceStatus.INCOMPLETE, oneLeg.status());
    assertEquals("missing leg: enterprise", oneLeg.explanation());

    var interrupted =
        ComplianceClassifier.classify(
            connection(
                "alice",
                "o",
                T0,
                session(
                    "s1",
                    1,
                    "stored",
                    "recording.interrupted: media-server:media-server-lost (call-ended)",
                    recording("r1", null))));
    assertEquals(ComplianceStatus.INCOMPLETE, interrupted.status());
  }

  @Test
  void failuresInProgressNoMediaAndTheUnexplained() {
    var failed =
        ComplianceClassifier.classify(
            connection(
                "bob",
                "o",
                T0,
                session("s1", 1, "failed", "old"),
                session("s2", 5, "failed", "recording.failed: recorder broke (call-ended)")));
    assertEquals(ComplianceStatus.FAILED, failed.status());
    assertEquals("recording.failed: recorder broke (call-ended)", failed.explanation(), "latest");
    assertEquals("s2", failed.recordedCallId());

    var retried =
        ComplianceClassifier.classify(
            connection(
                "bob",
                "o",
                T0,
                session("s1", 1, "failed", "blocked"),
                session("s2", 5, "stored", null, recording("r2", null))));
    assertEquals(ComplianceStatus.RECORDED, retried.status(), "a stored session decides");

    assertEquals(
        ComplianceStatus.IN_PROGRESS,
        ComplianceClassifier.classify(connection("bob", "o", T0, session("s1", 1, null, null)))
            .status());
    assertEquals(
        ComplianceStatus.NO_MEDIA,
        ComplianceClassifier.classify(connection("carol", "o", null)).status());
    assertEquals(
        ComplianceStatus.UNEXPLAINED,
        ComplianceClassifier.classify(connection("dave", "o", T0)).status());
  }

  @Test
  void theReportCountsPerUserAndOriginAndListsTheGaps() {
    var items =
        List.of(
            ComplianceClassifier.classify(
                connection(
                    "alice", "a", T0, session("s1", 1, "stored", null, recording("r", null)))),
            ComplianceClassifier.classify(
                connection(
                    "alice",
                    "a",
                    T0,
                    session("s2", 1, "failed", "x"),
                    session("s3", 2, "failed", "y"))),
            ComplianceClassifier.classify(connection("alice", "b", T0)),
            ComplianceClassifier.classify(
                connection("bob", "a", T0, session("s4", 1, null, null))));
    var report = new ComplianceReport(T0, T0.plusSeconds(60), items, false);
    assertEquals(new ComplianceReport.Counts(4, 1, 1, 1, 1, 2, 1), report.totals());
    assertEquals(3, report.groups().size());
    assertEquals("alice", report.groups().get(0).userId());
    assertEquals(new ComplianceReport.Counts(2, 1, 1, 1, 0, 1, 0), report.groups().get(0).counts());
    assertEquals(
        List.of(ComplianceStatus.FAILED, ComplianceStatus.UNEXPLAINED),
        report.gaps().stream().map(ComplianceItem::status).toList());
  }
}
