/**
 * Short-lived credentials for the enterprise TURN relay, in the TURN REST API scheme coturn checks
 * with {@code use-auth-secret}: username {@code <expiry>:<user>}, password base64(HMAC-SHA1(secret,
 * username)). Minting is rate-limited per user ({@link com.vclick.core.turn.MintRateLimiter}) and
 * audited as a counted summary per user and interval ({@link com.vclick.core.turn.TurnIssueAudit}),
 * off the audit chain's lock.
 */
package com.vclick.core.turn;
