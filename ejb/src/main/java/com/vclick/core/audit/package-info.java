/**
 * The append-only, tamper-evident audit trail: each entry carries the SHA-256 of its content and of
 * the previous entry, so editing or deleting a row breaks verification from that row on. A single
 * chain-head row, locked for each append, keeps the chain linear across a cluster.
 */
package com.vclick.core.audit;
