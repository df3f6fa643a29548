package com.vclick.core.edge.connections;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/**
 * One call of the connection log as last grouped: what lists, filters and pages calls without
 * reading their connections. Rewritten whenever a report changes the call's connections.
 */
@Entity
@Cacheable(false)
@Table(name = "edge_call")
public class EdgeCallRow {

  @Id
  @Column(name = "call_id", length = 36)
  private String callId;

  @Column(nullable = false, length = ConnectionReportJson.MAX_ORIGIN_LENGTH)
  private String origin;

  @Column(name = "started_at", nullable = false)
  private Instant startedAt;

  @Column(name = "ended_at")
  private Instant endedAt;

  @Column(nullable = false)
  private boolean disputed;

  protected EdgeCallRow() {}

  EdgeCallRow(CallGrouping.Call call, boolean disputed) {
    this.callId = call.callId();
    update(call, disputed);
  }

  /**
   * @param disputed whether any of its connections' pairing is disputed
   */
  final void update(CallGrouping.Call call, boolean disputed) {
    origin = call.origin();
    startedAt = call.startedAt();
    endedAt = call.endedAt().orElse(null);
    this.disputed = disputed;
  }

  /** The id of its first connection. */
  public String callId() {
    return callId;
  }

  /** The origin of its first connection. */
  public String origin() {
    return origin;
  }

  public Instant startedAt() {
    return startedAt;
  }

  /** When its last connection closed; empty while any is open. */
  public Optional<Instant> endedAt() {
    return Optional.ofNullable(endedAt);
  }

  /** Whether someone claimed the fingerprints of one of its connections who cannot have. */
  public boolean disputed() {
    return disputed;
  }
}
