package com.vclick.core.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.vclick.core.persistence.SchemaMigrator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The purge SQL on a real (in-memory H2) database with the application's schema. */
class TablePurgeTest {

  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
  private static final Instant CUTOFF = NOW.minus(Duration.ofDays(30));
  private static final Instant OLD = CUTOFF.minus(Duration.ofDays(1));
  private static final Instant RECENT = CUTOFF.plus(Duration.ofDays(1));

  private Connection connection;

  @BeforeEach
  void freshDatabase() throws Exception {
    var dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:purge-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    new SchemaMigrator(getClass().getClassLoader()).migrate(dataSource);
    connection = dataSource.getConnection();
  }

  private void insert(String sql, Object... values) throws Exception {
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        Object value = values[i];
        insert.setObject(i + 1, value instanceof Instant at ? Timestamp.from(at) : value);
      }
      insert.executeUpdate();
    }
  }

  private List<String> ids(String sql) throws Exception {
    List<String> ids = new ArrayList<>();
    try (ResultSet rows = connection.createStatement().executeQuery(sql)) {
      while (rows.next()) {
        ids.add(rows.getString(1));
      }
    }
    return ids;
  }

  private void decision(String id, Instant at) throws Exception {
    insert(
        "INSERT INTO edge_decision (decision_id, user_id, origin, decision, rule_name,"
            + " policy_version, decided_at) VALUES (?, 'u', 'https://a.example', 'relay', 'd', 1, ?)",
        id,
        at);
  }

  private void edgeCall(String id, Instant started, Instant ended, int connections)
      throws Exception {
    insert(
        "INSERT INTO edge_call (call_id, origin, started_at, ended_at) VALUES (?, 'o', ?, ?)",
        id,
        started,
        ended);
    for (int i = 0; i < connections; i++) {
      insert(
          "INSERT INTO edge_connection (connection_id, user_id, username, display_name, page_id,"
              + " origin, started_at, call_id, reported_at)"
              + " VALUES (?, 'u', 'alice', 'Alice', 'p', 'o', ?, ?, ?)",
          id + "-" + i,
          started,
          id,
          started);
    }
  }

  /** A recording of a Secure Edge call: it covers the call's first connection. */
  private void recordingOfConnection(String connectionId, Instant deletedAt) throws Exception {
    recording("recorded-call-" + connectionId, deletedAt);
    insert(
        "INSERT INTO recording_connection (recording_id, connection_id) VALUES (?, ?)",
        "rec-recorded-call-" + connectionId,
        connectionId);
  }

  private void recording(String callId, Instant deletedAt) throws Exception {
    insert(
        "INSERT INTO recording (recording_id, call_id, origin, started_at, ended_at, size_bytes,"
            + " sha256, container, file_path, legal_hold, created_at, deleted_at)"
            + " VALUES (?, ?, 'o', ?, ?, 1, 'x', 'mkv', ?, FALSE, ?, ?)",
        "rec-" + callId,
        callId,
        OLD,
        OLD,
        "2026/11/rec-" + callId + ".mkv",
        OLD,
        deletedAt);
  }

  private void call(String id, Instant started, Instant ended) throws Exception {
    insert(
        "INSERT INTO call_log (call_id, caller_id, caller_name, callee_id, callee_name, media,"
            + " started_at, ended_at) VALUES (?, 'a', 'Alice', 'b', 'Bob', 'video', ?, ?)",
        id,
        started,
        ended);
  }

  @Test
  void decisionsBeforeTheCutoffGoOldestFirstInBatches() throws Exception {
    decision("d1", OLD.minusSeconds(20));
    decision("d2", OLD.minusSeconds(10));
    decision("d3", OLD);
    decision("d4", RECENT);

    assertEquals(
        List.of("d1", "d2"), TablePurge.batch(connection, RetainedTable.EDGE_DECISION, CUTOFF, 2));
    assertEquals(
        List.of("d3"), TablePurge.batch(connection, RetainedTable.EDGE_DECISION, CUTOFF, 2));
    assertEquals(List.of(), TablePurge.batch(connection, RetainedTable.EDGE_DECISION, CUTOFF, 2));
    assertEquals(List.of("d4"), ids("SELECT decision_id FROM edge_decision"));
  }

  @Test
  void endedCallsGoWithTheirConnectionsUnlessTheirRecordingIsStillKept() throws Exception {
    edgeCall("ended-long-ago", OLD.minusSeconds(60), OLD, 2);
    edgeCall("never-ended", OLD, null, 1);
    edgeCall("ended-recently", OLD, RECENT, 1);
    edgeCall("recorded-kept", OLD, OLD, 1);
    recordingOfConnection("recorded-kept-0", null);
    edgeCall("recorded-deleted", OLD, OLD, 1);
    recordingOfConnection("recorded-deleted-0", OLD);

    List<String> deleted = TablePurge.batch(connection, RetainedTable.EDGE_CALL, CUTOFF, 100);

    assertEquals(3, deleted.size(), deleted.toString());
    assertEquals(
        List.of("ended-recently", "recorded-kept"),
        ids("SELECT call_id FROM edge_call ORDER BY call_id"));
    assertEquals(
        List.of("ended-recently-0", "recorded-kept-0"),
        ids("SELECT connection_id FROM edge_connection ORDER BY connection_id"));
  }

  @Test
  void callsGoByTheirEndOrIfNeverEndedTheirStart() throws Exception {
    call("ended-old", OLD.minusSeconds(60), OLD);
    call("unfinished-old", OLD, null);
    call("started-old-ended-recently", OLD, RECENT);
    call("recent", RECENT, null);
    call("recorded-kept", OLD, OLD);
    recording("recorded-kept", null);

    TablePurge.batch(connection, RetainedTable.CALL_LOG, CUTOFF, 100);

    assertEquals(
        List.of("recent", "recorded-kept", "started-old-ended-recently"),
        ids("SELECT call_id FROM call_log ORDER BY call_id"));
  }

  @Test
  void periodsAreCheckedAndGiveEachTableItsCutoff() {
    var config = new RetentionConfig(10, 20, 30, 40, Duration.ofHours(1));
    assertEquals(NOW.minus(Duration.ofDays(10)), config.cutoff(RetainedTable.EDGE_DECISION, NOW));
    assertEquals(NOW.minus(Duration.ofDays(20)), config.cutoff(RetainedTable.EDGE_CALL, NOW));
    assertEquals(NOW.minus(Duration.ofDays(30)), config.cutoff(RetainedTable.CALL_LOG, NOW));
    assertEquals(NOW.minus(Duration.ofDays(40)), config.auditCutoff(NOW));
    assertThrows(
        IllegalArgumentException.class, () -> new RetentionConfig(0, 1, 1, 1, Duration.ofHours(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetentionConfig(1, 1, 1, RetentionConfig.MAX_DAYS + 1, Duration.ofHours(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetentionConfig(1, 1, 1, 1, Duration.ofSeconds(5)));
  }
}
