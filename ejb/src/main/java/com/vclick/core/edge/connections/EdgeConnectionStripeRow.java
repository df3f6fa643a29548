package com.vclick.core.edge.connections;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One lock stripe of the connection log ({@link ConnectionLocks}): a report locks the stripes of
 * the pages and certificate pairs it reads and changes, for the length of its transaction, so that
 * reports of unrelated pages never wait for each other.
 */
@Entity
@Cacheable(false)
@Table(name = "edge_connection_stripe")
public class EdgeConnectionStripeRow {

  @Id private int id;

  protected EdgeConnectionStripeRow() {}
}
