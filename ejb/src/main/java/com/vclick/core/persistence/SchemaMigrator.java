package com.vclick.core.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Applies the numbered SQL scripts listed in {@code db/migration/index.txt} that the database has
 * not seen yet, each in its own transaction, and records them in {@code schema_version}. Scripts
 * are plain SQL understood by both H2 and PostgreSQL; statements end with a semicolon at the end of
 * a line. Applied scripts are never edited: a change is a new script.
 */
public final class SchemaMigrator {

  private static final Logger LOG = Logger.getLogger(SchemaMigrator.class.getName());
  private static final String INDEX = "db/migration/index.txt";

  private final ClassLoader resources;

  public SchemaMigrator(ClassLoader resources) {
    this.resources = resources;
  }

  /** Brings the schema up to date; returns how many scripts were applied. */
  public int migrate(DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        ensureVersionTable(connection);
        int current = currentVersion(connection);
        int applied = 0;
        for (String script : scripts()) {
          int version = versionOf(script);
          if (version > current) {
            apply(connection, version, script);
            applied++;
          }
        }
        return applied;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    }
  }

  private void ensureVersionTable(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS schema_version ("
              + "version INT PRIMARY KEY, script VARCHAR(200) NOT NULL, "
              + "applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)");
    }
    connection.commit();
  }

  private static int currentVersion(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT MAX(version) FROM schema_version")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private void apply(Connection connection, int version, String script) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String sql : statements(read("db/migration/" + script))) {
        statement.execute(sql);
      }
      try (PreparedStatement record =
          connection.prepareStatement(
              "INSERT INTO schema_version (version, script) VALUES (?, ?)")) {
        record.setInt(1, version);
        record.setString(2, script);
        record.executeUpdate();
      }
      connection.commit();
      LOG.info(() -> "Applied schema migration " + script);
    } catch (SQLException e) {
      connection.rollback();
      throw new SQLException("Schema migration " + script + " failed: " + e.getMessage(), e);
    }
  }

  List<String> scripts() {
    List<String> scripts = new ArrayList<>();
    int previous = 0;
    for (String line : read(INDEX).split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      int version = versionOf(name);
      if (version <= previous) {
        throw new IllegalStateException(INDEX + " must list scripts in increasing order: " + name);
      }
      previous = version;
      scripts.add(name);
    }
    return scripts;
  }

  static int versionOf(String script) {
    int end = script.indexOf("__");
    if (!script.startsWith("V") || end < 2 || !script.endsWith(".sql")) {
      throw new IllegalStateException("Migration names look like V<n>__<what>.sql: " + script);
    }
    return Integer.parseInt(script.substring(1, end));
  }

  static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String sql = current.toString().strip();
        statements.add(sql.substring(0, sql.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      throw new IllegalStateException("Migration ends without ';': " + current);
    }
    return statements;
  }

  private String read(String path) {
    try (InputStream in = resources.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("Missing migration resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read " + path, e);
    }
  }
}
