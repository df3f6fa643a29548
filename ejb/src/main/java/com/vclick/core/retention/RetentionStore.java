package com.vclick.core.retention;

import com.vclick.core.persistence.Database;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import javax.sql.DataSource;

/** One purge batch per transaction, so a long run never holds many locks or a long transaction. */
@Stateless
public class RetentionStore {

  @Resource(lookup = Database.JNDI_NAME)
  DataSource dataSource;

  /**
   * Deletes up to {@code max} due rows of the table in a new transaction.
   *
   * @return how many were deleted
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public int purgeBatch(RetainedTable table, Instant cutoff, int max) {
    try (Connection connection = dataSource.getConnection()) {
      return TablePurge.batch(connection, table, cutoff, max).size();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Retention of " + table.tableName() + " failed: " + e.getMessage(), e);
    }
  }
}
