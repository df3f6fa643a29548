// TURN REST API credentials (draft-uberti-behave-turn-rest), as coturn checks them with
// use-auth-secret: username "<unix expiry>:<user>", credential base64(HMAC-SHA1(secret, username)).
// The app mints them (POST /api/turn/credentials); the tests mint their own to build invalid ones.

import { createHmac } from 'node:crypto';

/** base64(HMAC-SHA1(secret, username)). */
export function turnPassword(secret, username) {
  return createHmac('sha1', secret).update(username).digest('base64');
}

/**
 * A credential for `user` expiring `ttlSeconds` after `now` (a negative ttl gives an expired one,
 * still correctly signed).
 */
export function mintTurnCredential({ secret, user, ttlSeconds = 600, now = Date.now() }) {
  const expiry = Math.floor(now / 1000) + ttlSeconds;
  const username = `${expiry}:${user}`;
  return { username, credential: turnPassword(secret, username), expiry };
}

/** The same credential with one byte of the HMAC flipped (still valid base64, same length). */
export function forgeCredential(credential) {
  const bytes = Buffer.from(credential, 'base64');
  if (bytes.length === 0) throw new Error('credential is not base64');
  bytes[0] ^= 0x01;
  const forged = bytes.toString('base64');
  if (forged === credential) throw new Error('forging did not change the credential');
  return forged;
}

/** turn: URIs of a coturn on 127.0.0.1 (UDP and TCP), as the app hands them out. */
export function turnUris(port, host = '127.0.0.1') {
  return [`turn:${host}:${port}?transport=udp`, `turn:${host}:${port}?transport=tcp`];
}

/** Parses "<expiry>:<user>"; throws when it does not have that shape. */
export function parseTurnUsername(username) {
  const m = /^(\d{10,}):(.+)$/.exec(username);
  if (!m) throw new Error(`TURN username '${username}' is not '<unix expiry>:<user>'`);
  return { expiry: Number(m[1]), user: m[2] };
}
