/**
 * The Secure Edge connection log: the life of every {@code RTCPeerConnection} the extension's
 * wrapper sees on any website (created, connected with its DTLS fingerprints and candidate types,
 * closed with bytes and a reason), grouped into calls and paired across enterprise users.
 *
 * <p>Reports arrive in batches ({@link com.vclick.core.edge.connections.ConnectionReportJson}
 * validates them strictly, naming the field). {@link
 * com.vclick.core.edge.connections.ConnectionIngest} applies a batch to the stored rows: events are
 * idempotent and may come out of order; a connection is paired with another user's (or the same
 * user's other browser's) connection whose fingerprints are its own crossed over, unless someone
 * else claims the same fingerprints, which disputes them all ({@link
 * com.vclick.core.edge.connections.PairingClaims}, {@link
 * com.vclick.core.edge.connections.PeerMatching}); connections of one page that overlap in time,
 * plus the connections paired with them, are regrouped into calls ({@link
 * com.vclick.core.edge.connections.CallGrouping}) and the grouping is stored, so that listing calls
 * is a plain query. The ingest and the grouping are plain Java over {@link
 * com.vclick.core.edge.connections.ConnectionRows}; {@link
 * com.vclick.core.edge.connections.EdgeConnectionRepository} is its JPA side and serialises what
 * batches read and change with lock stripes per page and per fingerprint pair ({@link
 * com.vclick.core.edge.connections.ConnectionLocks}). {@link
 * com.vclick.core.edge.connections.EdgeConnections} is the service the REST API calls. {@link
 * com.vclick.core.edge.connections.ConnectionLossSweep} ends as {@code lost} the connections whose
 * reporter went away ({@link com.vclick.core.edge.connections.ReporterPresence}: offline past a
 * grace; or silent past a limit).
 *
 * <p>Not the log of Vclick's own calls ({@code com.vclick.core.calls}). No retention yet: rows are
 * kept until a sweeper is written.
 */
package com.vclick.core.edge.connections;
