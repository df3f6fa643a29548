/**
 * Short-lived credentials for the enterprise TURN relay, in the TURN REST API scheme coturn checks
 * with {@code use-auth-secret}: username {@code <expiry>:<user>}, password base64(HMAC-SHA1(secret,
 * username)).
 */
package com.vclick.core.turn;
