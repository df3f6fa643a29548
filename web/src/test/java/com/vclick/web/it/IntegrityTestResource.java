package com.vclick.web.it;

import com.vclick.core.edge.recording.RecordedCallJournal;
import com.vclick.core.edge.recording.RecordedCallReconciler;
import com.vclick.core.edge.recording.RecordedCallRow;
import com.vclick.core.edge.recording.RecordingArchiver;
import com.vclick.core.identity.Roles;
import com.vclick.core.persistence.Database;
import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * TEST ONLY — packaged into the Arquillian deployments of {@link RecordingsIT} and {@link
 * RecordedCallsIT}, never into the real WAR. A server crash cannot be staged inside Arquillian's
 * Payara, so this resource writes what a crashed server leaves in the database (an open session
 * nobody refreshes), runs the reconciliation and the archiver at once (instead of waiting for their
 * timers), makes queued recordings due now, and reads a session's row. Only {@code
 * recording-reviewer} may call it.
 */
@Path("it/integrity")
@RequestScoped
@RolesAllowed(Roles.RECORDING_REVIEWER)
public class IntegrityTestResource {

  @Inject RecordedCallJournal journal;
  @Inject RecordedCallReconciler reconciler;
  @Inject RecordingArchiver archiver;

  @Resource(lookup = Database.JNDI_NAME)
  DataSource dataSource;

  /** An open session whose server stopped refreshing it {@code minutesAgo} minutes ago. */
  @POST
  @Path("orphans")
  @Consumes(MediaType.APPLICATION_JSON)
  public void orphan(JsonObject body) throws SQLException {
    Timestamp lastSeen =
        Timestamp.from(Instant.now().minusSeconds(60L * body.getInt("minutesAgo")));
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO recorded_call (recorded_call_id, user_id, username, display_name,"
                    + " connection_id, decision_id, origin, fail_mode, opened_at, heartbeat_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, 'block', ?, ?)")) {
      insert.setString(1, body.getString("recordedCallId"));
      insert.setString(2, body.getString("userId"));
      insert.setString(3, body.getString("username"));
      insert.setString(4, body.getString("username"));
      insert.setString(5, body.getString("connectionId", null));
      insert.setString(6, body.getString("decisionId"));
      insert.setString(7, body.getString("origin"));
      insert.setTimestamp(8, lastSeen);
      insert.setTimestamp(9, lastSeen);
      insert.executeUpdate();
    }
  }

  /**
   * Runs the reconciliation, then the archiver, as their timers would. When this returns, the
   * queued recordings were tried (by this drain, or by the one the reconciliation set off: the
   * archiver runs one drain at a time); {@code stored} counts only this drain's.
   */
  @POST
  @Path("reconcile")
  @Produces(MediaType.APPLICATION_JSON)
  public JsonObject reconcile() {
    int reconciled = reconciler.reconcile();
    int stored = archiver.drain();
    return Json.createObjectBuilder().add("reconciled", reconciled).add("stored", stored).build();
  }

  /** Makes every queued recording due now (its backoff over), then runs the archiver. */
  @POST
  @Path("retry-now")
  @Produces(MediaType.APPLICATION_JSON)
  public JsonObject retryNow() throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement update =
            connection.prepareStatement("UPDATE recording_ingest SET next_attempt_at = ?")) {
      update.setTimestamp(1, Timestamp.from(Instant.now().minusSeconds(1)));
      update.executeUpdate();
    }
    return Json.createObjectBuilder().add("stored", archiver.drain()).build();
  }

  /** A session's row as the journal has it. */
  @GET
  @Path("sessions/{id}")
  @Produces(MediaType.APPLICATION_JSON)
  public JsonObject session(@PathParam("id") String id) {
    RecordedCallRow row = journal.find(id).orElseThrow(NotFoundException::new);
    JsonObjectBuilder json = Json.createObjectBuilder().add("recordedCallId", id);
    text(json, "outcome", row.outcome().orElse(null));
    text(json, "reason", row.reason().orElse(null));
    text(json, "recordingId", row.recordingId().orElse(null));
    text(json, "callEndedAt", row.callEndedAt().map(Instant::toString).orElse(null));
    return json.add("queued", journal.queued(id)).build();
  }

  private static void text(JsonObjectBuilder json, String name, String value) {
    if (value == null) {
      json.addNull(name);
    } else {
      json.add(name, value);
    }
  }
}
