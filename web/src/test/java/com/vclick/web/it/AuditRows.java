package com.vclick.web.it;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The audit rows the ITs' test resources hand out, read behind the application's back: every column
 * a test may look at ({@code seq, actor, action, target, detail, sealed}), in chain order.
 * (Deployed with each test resource that uses it: {@code addClass(AuditRows.class)}.)
 */
final class AuditRows {

  /** Which column a look-up matches. */
  enum By {
    ACTION("action"),
    TARGET("target");

    private final String column;

    By(String column) {
      this.column = column;
    }
  }

  private AuditRows() {}

  static JsonArray where(DataSource dataSource, By by, String value) throws SQLException {
    JsonArrayBuilder entries = Json.createArrayBuilder();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT seq, actor, action, target, detail, seal FROM audit_entry WHERE "
                    + by.column
                    + " = ? ORDER BY seq")) {
      select.setString(1, value);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          JsonObjectBuilder entry =
              Json.createObjectBuilder()
                  .add("seq", rows.getLong(1))
                  .add("actor", rows.getString(2))
                  .add("action", rows.getString(3))
                  .add("target", rows.getString(4));
          String detail = rows.getString(5);
          if (detail == null) {
            entry.addNull("detail");
          } else {
            entry.add("detail", detail);
          }
          entries.add(entry.add("sealed", rows.getString(6) != null));
        }
      }
    }
    return entries.build();
  }
}
