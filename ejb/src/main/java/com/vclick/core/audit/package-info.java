/**
 * The append-only, tamper-evident audit trail: each entry carries the SHA-256 of its content and of
 * the previous entry, so editing or deleting a row breaks verification from that row on; and, with
 * {@code VCLICK_AUDIT_KEY} (kept outside the database), an HMAC-SHA256 seal of that hash, so that
 * someone who can write the database cannot rewrite a row and recompute the chain undetected. A
 * single chain-head row, locked for each append (or batch of appends), keeps the chain linear
 * across a cluster and holds where the chain starts, sealed too.
 */
package com.vclick.core.audit;
