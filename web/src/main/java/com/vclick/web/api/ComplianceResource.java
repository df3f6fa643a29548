package com.vclick.web.api;

import com.vclick.core.identity.Roles;
import com.vclick.core.recordings.compliance.ComplianceItem;
import com.vclick.core.recordings.compliance.ComplianceReport;
import com.vclick.core.recordings.compliance.ComplianceRepository;
import com.vclick.web.http.Csv;
import com.vclick.web.http.QueryParameters;
import com.vclick.web.problem.BadRequestProblem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The compliance view for {@code recording-reviewer} (web/RECORDINGS-API.md "Compliance"): for a
 * period, the connections made under a {@code record} decision, how many have a stored recording,
 * how many an audited failure, the gap and what explains it, per user and origin; as JSON or CSV
 * (one line per connection). Reads only.
 */
@Path("recordings/compliance")
@RolesAllowed(Roles.RECORDING_REVIEWER)
public class ComplianceResource {

  static final Duration DEFAULT_PERIOD = Duration.ofDays(30);
  static final Duration MAX_PERIOD = Duration.ofDays(366);
  static final List<String> CSV_HEADER =
      List.of(
          "connectionId",
          "userId",
          "username",
          "displayName",
          "origin",
          "startedAt",
          "connectedAt",
          "status",
          "explanation",
          "recordedCallId",
          "recordingId");

  @Inject ComplianceRepository compliance;
  @Inject Clock clock;

  @GET
  @Produces({MediaType.APPLICATION_JSON, Csv.MEDIA_TYPE})
  public Response report(
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("format") String format) {
    boolean csv = csv(format);
    Instant end = to == null ? clock.instant() : QueryParameters.instant("to", to);
    Instant start =
        from == null ? end.minus(DEFAULT_PERIOD) : QueryParameters.instant("from", from);
    if (!start.isBefore(end)) {
      throw new BadRequestProblem("from: must be before to.");
    }
    if (Duration.between(start, end).compareTo(MAX_PERIOD) > 0) {
      throw new BadRequestProblem("from: the period may span at most 366 days.");
    }
    ComplianceReport report = compliance.report(start, end);
    if (csv) {
      return Response.ok(csv(report))
          .type(Csv.MEDIA_TYPE + "; charset=UTF-8")
          .header("Content-Disposition", "attachment; filename=\"vclick-compliance.csv\"")
          .build();
    }
    return Response.ok(json(report), MediaType.APPLICATION_JSON_TYPE).build();
  }

  private static boolean csv(String format) {
    if (format == null || format.equals("json")) {
      return false;
    }
    if (format.equals("csv")) {
      return true;
    }
    throw new BadRequestProblem("format: must be json or csv.");
  }

  static JsonObject json(ComplianceReport report) {
    JsonArrayBuilder groups = Json.createArrayBuilder();
    for (ComplianceReport.Group group : report.groups()) {
      groups.add(
          Json.createObjectBuilder()
              .add("userId", group.userId())
              .add("username", group.username())
              .add("displayName", group.displayName())
              .add("origin", group.origin())
              .addAll(counts(group.counts())));
    }
    JsonArrayBuilder gaps = Json.createArrayBuilder();
    for (ComplianceItem item : report.gaps()) {
      gaps.add(item(item));
    }
    return Json.createObjectBuilder()
        .add("from", report.from().toString())
        .add("to", report.to().toString())
        .add("totals", counts(report.totals()))
        .add("groups", groups)
        .add("gaps", gaps)
        .add("truncated", report.truncated())
        .build();
  }

  private static JsonObjectBuilder counts(ComplianceReport.Counts counts) {
    return Json.createObjectBuilder()
        .add("connections", counts.connections())
        .add("recorded", counts.recorded())
        .add("stored", counts.stored())
        .add("failed", counts.failed())
        .add("inProgress", counts.inProgress())
        .add("gap", counts.gap())
        .add("explained", counts.gap() - counts.unexplained())
        .add("unexplained", counts.unexplained());
  }

  private static JsonObjectBuilder item(ComplianceItem item) {
    var facts = item.facts();
    JsonObjectBuilder json =
        Json.createObjectBuilder()
            .add("connectionId", facts.connectionId())
            .add("userId", facts.userId())
            .add("username", facts.username())
            .add("displayName", facts.displayName())
            .add("origin", facts.origin())
            .add("startedAt", facts.startedAt().toString())
            .add("status", item.status().wireName());
    text(json, "connectedAt", facts.connectedAt() == null ? null : facts.connectedAt().toString());
    text(json, "explanation", item.explanation());
    text(json, "recordedCallId", item.recordedCallId());
    text(json, "recordingId", item.recordingId());
    return json;
  }

  private static void text(JsonObjectBuilder json, String name, String value) {
    if (value == null) {
      json.addNull(name);
    } else {
      json.add(name, value);
    }
  }

  static String csv(ComplianceReport report) {
    Csv csv = new Csv().row(CSV_HEADER);
    for (ComplianceItem item : report.items()) {
      var facts = item.facts();
      List<String> cells = new ArrayList<>(CSV_HEADER.size());
      cells.add(facts.connectionId());
      cells.add(facts.userId());
      cells.add(facts.username());
      cells.add(facts.displayName());
      cells.add(facts.origin());
      cells.add(facts.startedAt().toString());
      cells.add(facts.connectedAt() == null ? null : facts.connectedAt().toString());
      cells.add(item.status().wireName());
      cells.add(item.explanation());
      cells.add(item.recordedCallId());
      cells.add(item.recordingId());
      csv.row(cells);
    }
    return csv.toString();
  }
}
