package com.vclick.web.it;

import com.vclick.core.identity.Roles;
import com.vclick.core.persistence.Database;
import com.vclick.core.recordings.RecordingAttendance;
import com.vclick.core.recordings.RecordingContext;
import com.vclick.core.recordings.RecordingLegs;
import com.vclick.core.recordings.RecordingParticipant;
import com.vclick.core.recordings.RecordingStore;
import com.vclick.core.recordings.RecordingsConfig;
import com.vclick.core.recordings.RetentionSweep;
import com.vclick.web.problem.BadRequestProblem;
import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * TEST ONLY — packaged into {@link RecordingsIT}'s Arquillian deployment, never into the real WAR
 * (it lives in the test sources). No media server hands recordings over yet, so the IT reaches
 * inside the deployed application through this resource: ingest a file it made with ffmpeg, run
 * retention as of a later instant (the server's clock cannot be moved from outside), read the audit
 * entries of a recording and edit one row's detail (then put it back) to show that {@code GET
 * /api/audit/verify} notices. Only {@code recording-reviewer} may call it, as everything under
 * {@code /api/recordings}.
 */
@Path("it/recordings")
@RequestScoped
@RolesAllowed(Roles.RECORDING_REVIEWER)
public class RecordingsTestResource {

  @Inject RecordingStore store;
  @Inject RecordingsConfig config;

  @Resource(lookup = Database.JNDI_NAME)
  DataSource dataSource;

  /**
   * Ingests {@code file} (a path on the server's machine) with the call context in the body ({@code
   * attendance} optional, as a conference's recording has it).
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public JsonObject ingest(JsonObject body) {
    List<RecordingParticipant> participants = new ArrayList<>();
    for (JsonValue value : body.getJsonArray("participants")) {
      JsonObject person = value.asJsonObject();
      participants.add(
          new RecordingParticipant(
              person.getString("userId"),
              person.getString("username"),
              person.getString("displayName")));
    }
    List<String> connections =
        body.getJsonArray("connectionIds").getValuesAs(JsonString.class).stream()
            .map(JsonString::getString)
            .toList();
    JsonArray stretches =
        body.containsKey("attendance")
            ? body.getJsonArray("attendance")
            : JsonValue.EMPTY_JSON_ARRAY;
    try {
      List<RecordingAttendance> attendance = new ArrayList<>();
      for (JsonValue value : stretches) {
        JsonObject stretch = value.asJsonObject();
        attendance.add(
            new RecordingAttendance(
                stretch.getString("userId"),
                Instant.parse(stretch.getString("joinedAt")),
                Instant.parse(stretch.getString("leftAt"))));
      }
      var context =
          new RecordingContext(
              body.getString("callId"),
              connections,
              participants,
              body.getString("origin"),
              Instant.parse(body.getString("startedAt")),
              Instant.parse(body.getString("endedAt")),
              RecordingLegs.UNKNOWN,
              attendance);
      var recording = store.ingest(java.nio.file.Path.of(body.getString("file")), context);
      return Json.createObjectBuilder()
          .add("recordingId", recording.recordingId())
          .add("file", config.dir().resolve(recording.row().filePath()).toString())
          .add("dir", config.dir().toString())
          .build();
    } catch (IllegalArgumentException e) {
      throw new BadRequestProblem(e.getMessage());
    }
  }

  /** Runs retention as of {@code at}. */
  @POST
  @Path("sweep")
  @Produces(MediaType.APPLICATION_JSON)
  public JsonObject sweep(@QueryParam("at") String at) {
    RetentionSweep.Result result = store.sweep(Instant.parse(at));
    JsonArrayBuilder deleted = Json.createArrayBuilder();
    result.deleted().forEach(deleted::add);
    return Json.createObjectBuilder()
        .add("deleted", deleted)
        .add("skipped", result.skipped())
        .build();
  }

  /** The audit entries of one target, in order. */
  @GET
  @Path("audit")
  @Produces(MediaType.APPLICATION_JSON)
  public JsonArray audit(@QueryParam("target") String target) throws SQLException {
    return AuditRows.where(dataSource, AuditRows.By.TARGET, target);
  }

  /** Overwrites one audit row's detail behind the application's back; answers the old one. */
  @PUT
  @Path("audit/{seq}/detail")
  @Consumes(MediaType.TEXT_PLAIN)
  @Produces(MediaType.TEXT_PLAIN)
  public String tamper(@PathParam("seq") long seq, String detail) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      String old;
      try (PreparedStatement select =
          connection.prepareStatement("SELECT detail FROM audit_entry WHERE seq = ?")) {
        select.setLong(1, seq);
        try (ResultSet rows = select.executeQuery()) {
          if (!rows.next()) {
            throw new BadRequestProblem("no audit entry " + seq);
          }
          old = rows.getString(1);
        }
      }
      try (PreparedStatement update =
          connection.prepareStatement("UPDATE audit_entry SET detail = ? WHERE seq = ?")) {
        update.setString(1, detail);
        update.setLong(2, seq);
        update.executeUpdate();
      }
      return old;
    }
  }
}
