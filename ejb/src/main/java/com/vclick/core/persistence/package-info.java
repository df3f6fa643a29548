/**
 * The database: an application-defined datasource (embedded H2 by default, PostgreSQL by JDBC URL)
 * and versioned schema migrations applied at start-up, before anything uses JPA.
 */
package com.vclick.core.persistence;
