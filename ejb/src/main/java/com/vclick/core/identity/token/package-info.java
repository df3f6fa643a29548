/**
 * Verifies Keycloak access tokens that arrive outside an HTTP {@code Authorization} header.
 *
 * <p>The REST API validates bearer tokens with MicroProfile JWT, which only looks at HTTP headers
 * and cookies. A browser cannot set headers on a WebSocket upgrade, so the signaling endpoint
 * receives the token inside its first message and must check it itself. {@link
 * com.vclick.core.identity.token.AccessTokenVerifier} applies the same rules as the MP-JWT
 * configuration (RS256 only, realm issuer, audience, expiry with clock skew, realm roles from the
 * {@code groups} claim) and additionally refuses ID tokens. The cryptography is not ours: Nimbus
 * JOSE+JWT parses the JWS and its claims, parses and selects the JWKs and checks the RS256
 * signature. Our code decides which algorithm is acceptable (only RS256, before any key is
 * touched), which keys are (RSA signing keys of at least 2048 bits with a kid), when the key set is
 * fetched again ({@link com.vclick.core.identity.token.HttpJwksSource}: on an unknown kid, at most
 * once per 30 s), and what the claims must say.
 *
 * <p>Nothing here logs a token or puts token content into an exception message.
 */
package com.vclick.core.identity.token;
