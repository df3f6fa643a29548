package com.vclick.core.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Deletes one batch of a table's due rows on a JDBC connection; plain Java. */
public final class TablePurge {

  private TablePurge() {}

  /**
   * Deletes up to {@code max} of the oldest rows due before {@code cutoff}, in the connection's
   * transaction.
   *
   * @return the ids deleted
   */
  public static List<String> batch(
      Connection connection, RetainedTable table, Instant cutoff, int max) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement due = connection.prepareStatement(table.dueSql())) {
      due.setTimestamp(1, Timestamp.from(cutoff));
      due.setMaxRows(max);
      try (ResultSet rows = due.executeQuery()) {
        while (rows.next() && ids.size() < max) {
          ids.add(rows.getString(1));
        }
      }
    }
    if (ids.isEmpty()) {
      return ids;
    }
    String placeholders = String.join(",", Collections.nCopies(ids.size(), "?"));
    for (String sql : table.deleteSql()) {
      try (PreparedStatement delete = connection.prepareStatement(sql.formatted(placeholders))) {
        for (int i = 0; i < ids.size(); i++) {
          delete.setString(i + 1, ids.get(i));
        }
        delete.executeUpdate();
      }
    }
    return ids;
  }
}
