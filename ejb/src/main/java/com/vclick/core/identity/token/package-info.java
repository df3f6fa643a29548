/**
 * Verifies Keycloak access tokens that arrive outside an HTTP {@code Authorization} header.
 *
 * <p>The REST API validates bearer tokens with MicroProfile JWT, which only looks at HTTP headers
 * and cookies. A browser cannot set headers on a WebSocket upgrade, so the signaling endpoint
 * receives the token inside its first message and must check it itself. {@link
 * com.vclick.core.identity.token.AccessTokenVerifier} applies the same rules as the MP-JWT
 * configuration (RS256 only, realm issuer, audience, expiry with clock skew, realm roles from the
 * {@code groups} claim) and additionally refuses ID tokens, using only JDK crypto and JSON-P so the
 * core gains no JOSE library. Keys come from a {@link com.vclick.core.identity.token.JwksSource},
 * in production {@link com.vclick.core.identity.token.HttpJwksSource} on the realm's JWKS endpoint.
 *
 * <p>Nothing here logs a token or puts token content into an exception message.
 */
package com.vclick.core.identity.token;
