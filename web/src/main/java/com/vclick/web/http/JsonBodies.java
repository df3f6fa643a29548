package com.vclick.web.http;

import com.vclick.web.problem.BadRequestProblem;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Set;

/** Strict reading of JSON request bodies: an object with known fields only. */
public final class JsonBodies {

  private JsonBodies() {}

  /** An absent or blank body is an empty object; anything else must be a JSON object. */
  public static JsonObject optionalObject(String body, Set<String> allowedFields) {
    if (body == null || body.isBlank()) {
      return JsonValue.EMPTY_JSON_OBJECT;
    }
    JsonValue value;
    try (var reader = Json.createReader(new StringReader(body))) {
      value = reader.readValue();
    } catch (JsonException e) {
      throw new BadRequestProblem("The body is not valid JSON.");
    }
    if (value.getValueType() != JsonValue.ValueType.OBJECT) {
      throw new BadRequestProblem("The body must be a JSON object.");
    }
    JsonObject object = value.asJsonObject();
    for (String field : object.keySet()) {
      if (!allowedFields.contains(field)) {
        throw new BadRequestProblem("Unknown field '" + shorten(field) + "'.");
      }
    }
    return object;
  }

  private static String shorten(String field) {
    return field.length() <= 40 ? field : field.substring(0, 40) + "…";
  }
}
