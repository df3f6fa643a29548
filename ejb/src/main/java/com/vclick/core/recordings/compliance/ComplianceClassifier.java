package com.vclick.core.recordings.compliance;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The rules of the compliance view: what became of one connection's recording. The latest session
 * with a stored recording decides; else one still open; else the latest failure. A connection
 * without any session is explained only when it never connected (no media flowed to record);
 * connected and never recorded is {@link ComplianceStatus#UNEXPLAINED}.
 */
public final class ComplianceClassifier {

  private ComplianceClassifier() {}

  public static ComplianceItem classify(ComplianceFacts facts) {
    List<ComplianceFacts.Session> sessions =
        facts.sessions().stream()
            .sorted(Comparator.comparing(ComplianceFacts.Session::openedAt).reversed())
            .toList();
    Optional<ComplianceFacts.Session> stored =
        sessions.stream().filter(s -> "stored".equals(s.outcome())).findFirst();
    if (stored.isPresent()) {
      var session = stored.get();
      String recordingId =
          session.recordings().isEmpty() ? null : session.recordings().get(0).recordingId();
      String incomplete =
          session.recordings().stream()
              .map(ComplianceFacts.StoredRecording::incomplete)
              .filter(Objects::nonNull)
              .distinct()
              .collect(Collectors.joining("; "));
      String why = join(incomplete.isEmpty() ? null : incomplete, session.reason());
      return new ComplianceItem(
          facts,
          why == null ? ComplianceStatus.RECORDED : ComplianceStatus.INCOMPLETE,
          why,
          session.recordedCallId(),
          recordingId);
    }
    Optional<ComplianceFacts.Session> open =
        sessions.stream().filter(s -> s.outcome() == null).findFirst();
    if (open.isPresent()) {
      return new ComplianceItem(
          facts,
          ComplianceStatus.IN_PROGRESS,
          "the call or the storing of its recording is still going on",
          open.get().recordedCallId(),
          null);
    }
    if (!sessions.isEmpty()) {
      var failed = sessions.get(0);
      return new ComplianceItem(
          facts,
          ComplianceStatus.FAILED,
          failed.reason() == null ? "failed (see the audit trail)" : failed.reason(),
          failed.recordedCallId(),
          null);
    }
    if (facts.connectedAt() == null) {
      return new ComplianceItem(
          facts,
          ComplianceStatus.NO_MEDIA,
          "the connection never connected: no media to record",
          null,
          null);
    }
    return new ComplianceItem(
        facts,
        ComplianceStatus.UNEXPLAINED,
        "connected under a record decision with no recorded call",
        null,
        null);
  }

  private static String join(String a, String b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : a + "; " + b;
  }
}
