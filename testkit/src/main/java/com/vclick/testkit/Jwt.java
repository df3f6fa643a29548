package com.vclick.testkit;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Reading and tampering with compact JWS tokens (header.payload.signature), for assertions and
 * negative tests. Nothing here verifies a signature.
 */
public final class Jwt {

  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();

  private Jwt() {}

  /** The decoded JOSE header, e.g. {@code {"alg":"RS256","kid":"..."}}. */
  public static JsonObject header(String token) {
    return decodeJson(parts(token)[0], "header");
  }

  /** The decoded payload (the claims). */
  public static JsonObject payload(String token) {
    return decodeJson(parts(token)[1], "payload");
  }

  /**
   * The same token with one claim of the payload set to {@code newValue} (added when missing). The
   * header and the signature are kept byte for byte, so the signature no longer matches.
   */
  public static String tamper(String token, String claim, JsonValue newValue) {
    String[] p = parts(token);
    JsonObject payload = Json.createObjectBuilder(payload(token)).add(claim, newValue).build();
    return p[0] + "." + encode(payload) + "." + p[2];
  }

  /** {@link #tamper(String, String, JsonValue)} with a string value. */
  public static String tamper(String token, String claim, String newValue) {
    return tamper(token, claim, Json.createValue(newValue));
  }

  /** {@link #tamper(String, String, JsonValue)} with a number value (e.g. {@code exp}). */
  public static String tamper(String token, String claim, long newValue) {
    return tamper(token, claim, Json.createValue(newValue));
  }

  /** The same token without the given claim; header and signature kept. */
  public static String withoutClaim(String token, String claim) {
    String[] p = parts(token);
    JsonObject payload = Json.createObjectBuilder(payload(token)).remove(claim).build();
    return p[0] + "." + encode(payload) + "." + p[2];
  }

  /** Base64url (no padding) of the compact JSON serialisation of an object. */
  public static String encode(JsonObject json) {
    return base64Url(json.toString().getBytes(StandardCharsets.UTF_8));
  }

  static String base64Url(byte[] bytes) {
    return B64URL.encodeToString(bytes);
  }

  static byte[] base64UrlDecode(String text) {
    return B64URL_DECODER.decode(text);
  }

  /** The three segments of a compact JWS; fails clearly on anything else. */
  static String[] parts(String token) {
    if (token == null) {
      throw new IllegalArgumentException("token is null");
    }
    String[] p = token.split("\\.", -1);
    if (p.length != 3) {
      throw new IllegalArgumentException(
          "not a compact JWS (expected 3 dot-separated parts, got " + p.length + ")");
    }
    return p;
  }

  private static JsonObject decodeJson(String part, String what) {
    byte[] bytes;
    try {
      bytes = B64URL_DECODER.decode(part);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("JWT " + what + " is not base64url", e);
    }
    try (JsonReader reader =
        Json.createReader(new StringReader(new String(bytes, StandardCharsets.UTF_8)))) {
      return reader.readObject();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("JWT " + what + " is not a JSON object", e);
    }
  }
}
