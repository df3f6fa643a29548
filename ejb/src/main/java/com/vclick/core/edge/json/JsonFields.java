package com.vclick.core.edge.json;

import com.vclick.core.edge.PolicyValidationException;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Strict, typed access to the fields of one JSON object at a known path ({@code rules[2]}): a field
 * is either absent or of its type (null is not a value), unknown fields are refused, and every
 * error names the field's full path.
 */
final class JsonFields {

  private final JsonObject object;
  private final String path;

  private JsonFields(JsonObject object, String path) {
    this.object = object;
    this.path = path;
  }

  /** The value as an object with only the allowed fields. */
  static JsonFields object(JsonValue value, String path, Set<String> allowed) {
    if (value == null || value.getValueType() != JsonValue.ValueType.OBJECT) {
      throw new PolicyValidationException(path, "A JSON object is expected.");
    }
    JsonObject object = value.asJsonObject();
    for (String name : object.keySet()) {
      if (!allowed.contains(name)) {
        throw new PolicyValidationException(child(path, quoted(name)), "This field is unknown.");
      }
    }
    return new JsonFields(object, path);
  }

  static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  static String element(String path, int index) {
    return path + "[" + index + "]";
  }

  /** The path of a field of this object. */
  String path(String name) {
    return child(path, name);
  }

  boolean has(String name) {
    return object.containsKey(name);
  }

  /** A required field of any type. */
  JsonValue value(String name) {
    if (!has(name)) {
      throw new PolicyValidationException(path(name), "This field is required.");
    }
    return object.get(name);
  }

  String string(String name) {
    return text(value(name), path(name));
  }

  String string(String name, String absent) {
    return has(name) ? string(name) : absent;
  }

  boolean bool(String name, boolean absent) {
    if (!has(name)) {
      return absent;
    }
    JsonValue value = object.get(name);
    if (value == JsonValue.TRUE || value == JsonValue.FALSE) {
      return value == JsonValue.TRUE;
    }
    throw new PolicyValidationException(path(name), "true or false is expected.");
  }

  /** A required whole number from 0 to {@link Long#MAX_VALUE}. */
  long count(String name) {
    if (value(name) instanceof JsonNumber number && number.isIntegral()) {
      try {
        long value = number.longValueExact();
        if (value >= 0) {
          return value;
        }
      } catch (ArithmeticException e) {
        // answered below
      }
    }
    throw new PolicyValidationException(path(name), "A whole number of at least 0 is expected.");
  }

  /** An array of at most {@code max} elements; empty when absent. */
  JsonArray array(String name, int max) {
    if (!has(name)) {
      return JsonValue.EMPTY_JSON_ARRAY;
    }
    JsonValue value = object.get(name);
    if (value.getValueType() != JsonValue.ValueType.ARRAY) {
      throw new PolicyValidationException(path(name), "A JSON array is expected.");
    }
    if (value.asJsonArray().size() > max) {
      throw new PolicyValidationException(path(name), "At most " + max + " entries.");
    }
    return value.asJsonArray();
  }

  /** A required array of at most {@code max} elements. */
  JsonArray requiredArray(String name, int max) {
    value(name);
    return array(name, max);
  }

  /** An array of strings of at most {@code maxLength} characters; empty when absent. */
  List<String> strings(String name, int maxEntries, int maxLength) {
    JsonArray array = array(name, maxEntries);
    List<String> strings = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String at = element(path(name), i);
      String text = text(array.get(i), at);
      if (text.length() > maxLength) {
        throw new PolicyValidationException(at, "At most " + maxLength + " characters.");
      }
      strings.add(text);
    }
    return strings;
  }

  static String text(JsonValue value, String path) {
    if (value instanceof JsonString string) {
      return string.getString();
    }
    throw new PolicyValidationException(path, "A string is expected.");
  }

  private static String quoted(String name) {
    String shown = name.length() <= 40 ? name : name.substring(0, 40) + "…";
    return shown.matches("[A-Za-z][A-Za-z0-9_-]*") ? shown : "\"" + shown + "\"";
  }
}
