package com.vclick.testkit;

import jakarta.json.JsonObject;

/**
 * Tokens from Keycloak's token endpoint.
 *
 * @param accessToken the access token (a JWT)
 * @param refreshToken the refresh token, null when none was issued
 * @param idToken the ID token, null when none was issued (no {@code openid} scope)
 * @param expiresIn lifetime of the access token in seconds, as announced by Keycloak
 */
public record Tokens(String accessToken, String refreshToken, String idToken, long expiresIn) {

  /** The decoded payload of the access token. */
  public JsonObject accessClaims() {
    return Jwt.payload(accessToken);
  }

  /** The decoded payload of the ID token. */
  public JsonObject idClaims() {
    if (idToken == null) {
      throw new IllegalStateException("no ID token was issued");
    }
    return Jwt.payload(idToken);
  }

  @Override
  public String toString() {
    // Never print the tokens themselves into test reports.
    return "Tokens[expiresIn="
        + expiresIn
        + ", refreshToken="
        + (refreshToken != null)
        + ", idToken="
        + (idToken != null)
        + "]";
  }

  static Tokens fromTokenResponse(JsonObject json) {
    return new Tokens(
        json.getString("access_token"),
        json.getString("refresh_token", null),
        json.getString("id_token", null),
        json.containsKey("expires_in") ? json.getJsonNumber("expires_in").longValue() : -1);
  }
}
