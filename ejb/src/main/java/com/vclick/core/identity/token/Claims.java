package com.vclick.core.identity.token;

import com.vclick.core.identity.token.InvalidTokenException.Reason;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Typed reads of a JWT header or claim set. A claim of the wrong JSON type is treated as a
 * malformed token rather than as absent, so a mistyped {@code exp} cannot skip the expiry check.
 */
final class Claims {

  private final JsonObject json;

  Claims(JsonObject json) {
    this.json = json;
  }

  Optional<String> string(String name) {
    JsonValue value = json.get(name);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return Optional.empty();
    }
    if (value instanceof JsonString s) {
      return Optional.of(s.getString());
    }
    throw new InvalidTokenException(Reason.MALFORMED);
  }

  /** A NumericDate (seconds since the epoch); fractions are truncated. */
  Optional<Instant> instant(String name) {
    JsonValue value = json.get(name);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return Optional.empty();
    }
    if (value instanceof JsonNumber n) {
      return Optional.of(Instant.ofEpochSecond(n.longValue()));
    }
    throw new InvalidTokenException(Reason.MALFORMED);
  }

  /** A claim that may be one string or an array of strings, as {@code aud} may (RFC 7519 4.1.3). */
  Set<String> strings(String name) {
    JsonValue value = json.get(name);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return Set.of();
    }
    if (value instanceof JsonString s) {
      return Set.of(s.getString());
    }
    if (value instanceof JsonArray array) {
      Set<String> result = new LinkedHashSet<>();
      for (JsonValue element : array) {
        if (!(element instanceof JsonString s)) {
          throw new InvalidTokenException(Reason.MALFORMED);
        }
        result.add(s.getString());
      }
      return result;
    }
    throw new InvalidTokenException(Reason.MALFORMED);
  }
}
