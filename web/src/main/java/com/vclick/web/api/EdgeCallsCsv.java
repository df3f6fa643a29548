package com.vclick.web.api;

import com.vclick.core.edge.connections.EdgeCall;
import com.vclick.core.edge.connections.EdgeConnectionRow;
import com.vclick.core.edge.decision.EdgeDecisionRecord;
import com.vclick.web.http.Csv;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The CSV export of {@code GET /api/edge/calls}: a header, then one record per connection, each
 * with its call's id, start and end, so that a spreadsheet can group and total by call.
 */
final class EdgeCallsCsv {

  static final List<String> HEADER =
      List.of(
          "callId",
          "callStartedAt",
          "callEndedAt",
          "connectionId",
          "userId",
          "username",
          "displayName",
          "origin",
          "pageId",
          "decisionId",
          "decision",
          "ruleId",
          "createdAt",
          "connectedAt",
          "closedAt",
          "localCandidateType",
          "remoteCandidateType",
          "protocol",
          "bytesSent",
          "bytesReceived",
          "endReason",
          "peerConnectionId",
          "pairingDisputed");

  private EdgeCallsCsv() {}

  /** The export of these calls, with the decisions the viewer may see. */
  static String of(List<EdgeCall> calls, EdgeCallsResource.Visibility visibility) {
    Csv csv = new Csv().row(HEADER);
    for (EdgeCall call : calls) {
      for (EdgeCall.Connection connection : call.connections()) {
        EdgeConnectionRow row = connection.row();
        Optional<EdgeDecisionRecord> shown = visibility.decision(connection);
        List<String> cells = new ArrayList<>(HEADER.size());
        cells.add(call.callId());
        cells.add(call.startedAt().toString());
        cells.add(text(call.endedAt()));
        cells.add(row.connectionId());
        cells.add(row.userId());
        cells.add(row.username());
        cells.add(row.displayName());
        cells.add(row.origin());
        cells.add(row.pageId());
        cells.add(visibility.decisionId(connection).orElse(null));
        cells.add(shown.map(d -> d.kind().wireName()).orElse(null));
        cells.add(shown.flatMap(EdgeDecisionRecord::ruleId).orElse(null));
        cells.add(text(row.createdAt()));
        cells.add(text(row.connectedAt()));
        cells.add(text(row.closedAt()));
        cells.add(row.localCandidateType().map(t -> t.wireName()).orElse(null));
        cells.add(row.remoteCandidateType().map(t -> t.wireName()).orElse(null));
        cells.add(row.protocol().map(p -> p.wireName()).orElse(null));
        cells.add(row.bytesSent().map(String::valueOf).orElse(null));
        cells.add(row.bytesReceived().map(String::valueOf).orElse(null));
        cells.add(row.endReason().map(r -> r.wireName()).orElse(null));
        cells.add(row.peerConnectionId().orElse(null));
        cells.add(String.valueOf(row.pairingDisputed()));
        csv.row(cells);
      }
    }
    return csv.toString();
  }

  private static String text(Optional<Instant> instant) {
    return instant.map(Instant::toString).orElse(null);
  }
}
