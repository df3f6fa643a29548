package com.vclick.core.persistence;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Defines the application's datasource from configuration and migrates the schema at start-up. The
 * {@code ${MPCONFIG=...}} references are resolved by Payara from the environment and system
 * properties (VCLICK_DB_URL, VCLICK_DB_USER, VCLICK_DB_PASSWORD, VCLICK_DB_DATASOURCE_CLASS).
 */
@DataSourceDefinition(
    name = Database.JNDI_NAME,
    className = "${MPCONFIG=vclick.db.datasource-class}",
    url = "${MPCONFIG=vclick.db.url}",
    user = "${MPCONFIG=vclick.db.user}",
    password = "${MPCONFIG=vclick.db.password}",
    minPoolSize = 1,
    maxPoolSize = 20)
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class Database {

  public static final String JNDI_NAME = "java:app/jdbc/vclick";
  private static final Logger LOG = Logger.getLogger(Database.class.getName());

  @Resource(lookup = JNDI_NAME)
  DataSource dataSource;

  @PostConstruct
  void migrate() {
    try {
      int applied = new SchemaMigrator(Database.class.getClassLoader()).migrate(dataSource);
      LOG.info(() -> "Database schema up to date (" + applied + " migration(s) applied)");
    } catch (SQLException e) {
      throw new IllegalStateException("Database migration failed", e);
    }
  }

  /** True when a connection can be opened and answers within two seconds. */
  public boolean isHealthy() {
    try (Connection connection = dataSource.getConnection()) {
      return connection.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }
}
