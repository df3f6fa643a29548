package com.vclick.web.it;

import com.vclick.core.audit.AuditCheckpoints;
import com.vclick.core.audit.AuditHash;
import com.vclick.core.identity.Roles;
import com.vclick.core.persistence.Database;
import com.vclick.core.retention.DataRetention;
import com.vclick.core.turn.TurnIssueAudit;
import com.vclick.web.problem.BadRequestProblem;
import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * TEST ONLY — packaged into {@link AuditAndLimitsIT}'s deployment, never into the real WAR. Plays
 * the attacker with write access to the database (rewrites a row and recomputes the plain hash
 * chain behind the application's back, then puts the rows back), reads audit rows, writes the
 * pending summary of issued relay credentials now instead of at the next interval, inserts calls
 * and runs data retention as of a later instant. Only {@code edge-admin}.
 */
@Path("it/audit")
@RequestScoped
@RolesAllowed(Roles.EDGE_ADMIN)
public class AuditTestResource {

  private static final String COLUMNS =
      "seq, occurred_at, actor, action, target, detail, previous_hash, hash";

  @Inject TurnIssueAudit turnIssues;
  @Inject DataRetention retention;
  @Inject AuditCheckpoints checkpoints;

  @Resource(lookup = Database.JNDI_NAME)
  DataSource dataSource;

  @POST
  @Path("turn-summary")
  public void writeTurnSummary() {
    turnIssues.flush();
  }

  /** Writes a checkpoint of the chain's head outside the database now. */
  @POST
  @Path("checkpoint")
  public void checkpoint() {
    checkpoints.write();
  }

  /**
   * Removes the last entry and moves the head back to the one before, as someone with the
   * database's password could (every remaining seal stays valid); answers the removed row and the
   * old head, for {@link #untruncate}.
   */
  @POST
  @Path("truncate")
  @Produces(MediaType.APPLICATION_JSON)
  public JsonObject truncate() throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      lockHead(connection);
      JsonObjectBuilder removed = Json.createObjectBuilder();
      try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + ", seal FROM audit_entry WHERE seq = (SELECT last_seq FROM audit_chain_head)");
          ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          throw new BadRequestProblem("the trail is empty");
        }
        removed
            .add("seq", rows.getLong(1))
            .add("occurredAt", rows.getTimestamp(2).toInstant().toString())
            .add("actor", rows.getString(3))
            .add("action", rows.getString(4))
            .add("target", rows.getString(5))
            .add("detail", rows.getString(6))
            .add("previousHash", rows.getString(7))
            .add("hash", rows.getString(8))
            .add("seal", rows.getString(9));
      }
      JsonObject row = removed.build();
      execute(
          connection,
          "DELETE FROM audit_entry WHERE seq = ?",
          row.getJsonNumber("seq").longValue());
      execute(
          connection,
          "UPDATE audit_chain_head SET last_seq = ?, last_hash = ? WHERE id = 1",
          row.getJsonNumber("seq").longValue() - 1,
          row.getString("previousHash"));
      connection.commit();
      return row;
    }
  }

  /** Puts back the entry {@link #truncate} removed. */
  @POST
  @Path("untruncate")
  @Consumes(MediaType.APPLICATION_JSON)
  public void untruncate(JsonObject row) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      lockHead(connection);
      long seq = row.getJsonNumber("seq").longValue();
      execute(
          connection,
          "INSERT INTO audit_entry (" + COLUMNS + ", seal) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          seq,
          Timestamp.from(Instant.parse(row.getString("occurredAt"))),
          row.getString("actor"),
          row.getString("action"),
          row.getString("target"),
          row.getString("detail"),
          row.getString("previousHash"),
          row.getString("hash"),
          row.getString("seal"));
      execute(
          connection,
          "UPDATE audit_chain_head SET last_seq = ?, last_hash = ? WHERE id = 1",
          seq,
          row.getString("hash"));
      connection.commit();
    }
  }

  /** Runs data retention as of {@code at} (the server's clock cannot be moved from outside). */
  @POST
  @Path("retention")
  @Produces(MediaType.APPLICATION_JSON)
  public JsonObject retention(@QueryParam("at") String at) {
    JsonObjectBuilder done = Json.createObjectBuilder();
    retention.sweep(Instant.parse(at)).forEach(done::add);
    return done.build();
  }

  /**
   * Inserts a finished Vclick call and a connection-log call with one connection, under {@code id},
   * ending now: what signaling and the extension's reports would write, for retention to find.
   */
  @POST
  @Path("calls/{id}")
  public void insertCalls(@PathParam("id") String id) throws SQLException {
    Timestamp now = Timestamp.from(Instant.now());
    try (Connection connection = dataSource.getConnection()) {
      execute(
          connection,
          "INSERT INTO call_log (call_id, caller_id, caller_name, callee_id, callee_name, media,"
              + " started_at, ended_at) VALUES (?, 'a', 'Alice', 'b', 'Bob', 'video', ?, ?)",
          id,
          now,
          now);
      execute(
          connection,
          "INSERT INTO edge_call (call_id, origin, started_at, ended_at) VALUES (?, 'o', ?, ?)",
          id,
          now,
          now);
      execute(
          connection,
          "INSERT INTO edge_connection (connection_id, user_id, username, display_name, page_id,"
              + " origin, started_at, call_id, reported_at) VALUES (?, 'u', 'bob', 'Bob', 'p',"
              + " 'o', ?, ?, ?)",
          id,
          now,
          id,
          now);
    }
  }

  /** How many rows of {@code table} carry {@code id} in {@code column}. */
  @GET
  @Path("count")
  @Produces(MediaType.TEXT_PLAIN)
  public String count(
      @QueryParam("table") String table,
      @QueryParam("column") String column,
      @QueryParam("id") String id)
      throws SQLException {
    if (!List.of("call_log", "edge_call", "edge_connection", "edge_decision").contains(table)
        || !List.of("call_id", "connection_id", "user_id").contains(column)) {
      throw new BadRequestProblem("unknown table or column");
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT COUNT(*) FROM " + table + " WHERE " + column + " = ?")) {
      select.setString(1, id);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return Long.toString(rows.getLong(1));
      }
    }
  }

  private static void execute(Connection connection, String sql, Object... values)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        statement.setObject(i + 1, values[i]);
      }
      statement.executeUpdate();
    }
  }

  /** The entries with this action, in order. */
  @GET
  @Path("entries")
  @Produces(MediaType.APPLICATION_JSON)
  public JsonArray entries(@QueryParam("action") String action) throws SQLException {
    return AuditRows.where(dataSource, AuditRows.By.ACTION, action);
  }

  /**
   * Rewrites entry {@code seq}'s detail and recomputes the hash and link of it and every later
   * entry and the head, in one transaction, as someone with the database's password could; the
   * seals are left as they were (they cannot be recomputed without the key). Answers the rows as
   * they were, for {@link #restore}.
   */
  @POST
  @Path("rewrite/{seq}")
  @Consumes(MediaType.TEXT_PLAIN)
  @Produces(MediaType.APPLICATION_JSON)
  public JsonArray rewrite(@PathParam("seq") long seq, String detail) throws SQLException {
    JsonArrayBuilder originals = Json.createArrayBuilder();
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      lockHead(connection);
      String previous = null;
      try (PreparedStatement select =
          connection.prepareStatement(
              "SELECT " + COLUMNS + " FROM audit_entry WHERE seq >= ? ORDER BY seq")) {
        select.setLong(1, seq);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            long sequence = rows.getLong(1);
            String newDetail = sequence == seq ? detail : rows.getString(6);
            String linked = previous != null ? previous : rows.getString(7);
            String hash =
                AuditHash.of(
                    linked,
                    sequence,
                    rows.getTimestamp(2).toInstant(),
                    rows.getString(3),
                    rows.getString(4),
                    rows.getString(5),
                    newDetail);
            originals.add(
                Json.createObjectBuilder()
                    .add("seq", sequence)
                    .add("detail", rows.getString(6))
                    .add("previousHash", rows.getString(7))
                    .add("hash", rows.getString(8)));
            update(connection, sequence, newDetail, linked, hash);
            previous = hash;
          }
        }
      }
      try (PreparedStatement head =
          connection.prepareStatement("UPDATE audit_chain_head SET last_hash = ? WHERE id = 1")) {
        head.setString(1, previous);
        head.executeUpdate();
      }
      connection.commit();
    }
    return originals.build();
  }

  /** Puts back the rows {@link #rewrite} answered. */
  @POST
  @Path("restore")
  @Consumes(MediaType.APPLICATION_JSON)
  public void restore(JsonArray originals) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      lockHead(connection);
      String last = null;
      for (JsonValue value : originals) {
        JsonObject row = value.asJsonObject();
        update(
            connection,
            row.getJsonNumber("seq").longValue(),
            row.getString("detail"),
            row.getString("previousHash"),
            row.getString("hash"));
        last = row.getString("hash");
      }
      try (PreparedStatement head =
          connection.prepareStatement("UPDATE audit_chain_head SET last_hash = ? WHERE id = 1")) {
        head.setString(1, last);
        head.executeUpdate();
      }
      connection.commit();
    }
  }

  /** Appends wait while the rows are rewritten, as they would for the real attacker's update. */
  private static void lockHead(Connection connection) throws SQLException {
    try (PreparedStatement lock =
            connection.prepareStatement("SELECT id FROM audit_chain_head WHERE id = 1 FOR UPDATE");
        ResultSet rows = lock.executeQuery()) {
      rows.next();
    }
  }

  private static void update(
      Connection connection, long seq, String detail, String previousHash, String hash)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE audit_entry SET detail = ?, previous_hash = ?, hash = ? WHERE seq = ?")) {
      update.setString(1, detail);
      update.setString(2, previousHash);
      update.setString(3, hash);
      update.setLong(4, seq);
      update.executeUpdate();
    }
  }
}
