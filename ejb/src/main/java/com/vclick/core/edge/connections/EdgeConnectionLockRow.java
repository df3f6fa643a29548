package com.vclick.core.edge.connections;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The single row every report locks before it reads anything: reports are applied one at a time
 * across the cluster. Pairing needs it (the two ends of a connection are often reported at the same
 * moment by two browsers, and each must see the other's row) and so does regrouping (one report may
 * regroup pages of other users, which their own reports regroup too). A report holds it for a few
 * statements.
 */
@Entity
@Cacheable(false)
@Table(name = "edge_connection_lock")
public class EdgeConnectionLockRow {

  static final int ID = 1;

  @Id private int id;

  protected EdgeConnectionLockRow() {}
}
