package com.vclick.core.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class SchemaMigratorTest {

  private static JdbcDataSource freshDatabase(String name) {
    var dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    return dataSource;
  }

  @Test
  void appliesEveryScriptOnceAndIsIdempotent() throws Exception {
    var dataSource = freshDatabase("migrate-once");
    var migrator = new SchemaMigrator(getClass().getClassLoader());

    int first = migrator.migrate(dataSource);
    int second = migrator.migrate(dataSource);

    assertEquals(migrator.scripts().size(), first);
    assertEquals(0, second);
    try (Connection connection = dataSource.getConnection();
        ResultSet head =
            connection.createStatement().executeQuery("SELECT last_seq FROM audit_chain_head")) {
      head.next();
      assertEquals(0, head.getLong(1));
    }
  }

  @Test
  void splitsStatementsAtLineEndSemicolonsAndSkipsComments() {
    assertEquals(
        List.of("CREATE TABLE a (x INT)", "INSERT INTO a VALUES ('x;y')"),
        SchemaMigrator.statements(
            "-- comment\nCREATE TABLE a (x INT);\n\nINSERT INTO a VALUES ('x;y');\n"));
  }

  @Test
  void aScriptWithoutFinalSemicolonIsRefused() {
    assertThrows(IllegalStateException.class, () -> SchemaMigrator.statements("SELECT 1\n"));
  }

  @Test
  void migrationNamesCarryTheirVersion() {
    assertEquals(12, SchemaMigrator.versionOf("V12__call_log.sql"));
    assertThrows(IllegalStateException.class, () -> SchemaMigrator.versionOf("call_log.sql"));
  }
}
