package com.vclick.core.audit;

/** What to append to the audit trail, before it gets a sequence, a time and a hash. */
public record PendingAuditEntry(String actor, String action, String target, String detail) {}
