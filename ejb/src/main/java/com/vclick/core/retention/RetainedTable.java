package com.vclick.core.retention;

import java.util.List;

/**
 * A table retention deletes from: how to find the ids of due rows, oldest first (one parameter, the
 * cutoff), and the deletes that remove them (each with one {@code %s} for the id placeholders).
 * Plain SQL that H2 and PostgreSQL both run.
 */
public enum RetainedTable {

  /** Secure Edge decisions, by when they were made. */
  EDGE_DECISION(
      "edge_decision",
      "SELECT decision_id FROM edge_decision WHERE decided_at < ? ORDER BY decided_at",
      List.of("DELETE FROM edge_decision WHERE decision_id IN (%s)")),

  /**
   * Connection-log calls that ended (or, never ended, started) before the cutoff, with their
   * connections; a call one of whose connections a still-stored recording covers (file not deleted:
   * kept, or on legal hold) stays with it.
   */
  EDGE_CALL(
      "edge_call",
      "SELECT c.call_id FROM edge_call c WHERE COALESCE(c.ended_at, c.started_at) < ?"
          + " AND NOT EXISTS (SELECT 1 FROM edge_connection k"
          + " JOIN recording_connection rc ON rc.connection_id = k.connection_id"
          + " JOIN recording r ON r.recording_id = rc.recording_id"
          + " WHERE k.call_id = c.call_id AND r.deleted_at IS NULL)"
          + " ORDER BY c.started_at",
      List.of(
          "DELETE FROM edge_connection WHERE call_id IN (%s)",
          "DELETE FROM edge_call WHERE call_id IN (%s)")),

  /**
   * Vclick calls that ended (or, never ended, started) before the cutoff, unless their recording is
   * still stored.
   */
  CALL_LOG(
      "call_log",
      "SELECT c.call_id FROM call_log c WHERE COALESCE(c.ended_at, c.started_at) < ?"
          + " AND NOT EXISTS (SELECT 1 FROM recording r"
          + " WHERE r.call_id = c.call_id AND r.deleted_at IS NULL)"
          + " ORDER BY c.started_at",
      List.of("DELETE FROM call_log WHERE call_id IN (%s)"));

  private final String tableName;
  private final String dueSql;
  private final List<String> deleteSql;

  RetainedTable(String tableName, String dueSql, List<String> deleteSql) {
    this.tableName = tableName;
    this.dueSql = dueSql;
    this.deleteSql = deleteSql;
  }

  /** The table's name, as audited. */
  public String tableName() {
    return tableName;
  }

  String dueSql() {
    return dueSql;
  }

  List<String> deleteSql() {
    return deleteSql;
  }
}
