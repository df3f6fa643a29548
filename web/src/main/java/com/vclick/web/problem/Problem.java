package com.vclick.web.problem;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem.
 *
 * @param status the HTTP status
 * @param title the status's reason phrase
 * @param detail what went wrong, for a person
 */
public record Problem(int status, String title, String detail) {

  public static final String MEDIA_TYPE = "application/problem+json";
  public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);

  public static Problem of(Response.StatusType status, String detail) {
    return new Problem(status.getStatusCode(), status.getReasonPhrase(), detail);
  }

  public static Problem of(int status, String detail) {
    Response.Status known = Response.Status.fromStatusCode(status);
    return new Problem(status, known != null ? known.getReasonPhrase() : "Error", detail);
  }

  /** The standard problem for a status raised without a more specific detail. */
  public static Problem forStatus(int status) {
    String detail =
        switch (status) {
          case 400 -> "The request is malformed.";
          case 401 -> "A valid Keycloak access token is required.";
          case 403 -> "Your roles do not allow this.";
          case 404 -> "There is nothing here.";
          case 405 -> "This method is not allowed here.";
          case 406 -> "No acceptable representation; this API speaks JSON.";
          case 413 -> "The request body is too large.";
          case 415 -> "Unsupported media type; send application/json.";
          default -> status >= 500 ? "The server could not complete the request." : "Refused.";
        };
    return of(status, detail);
  }

  public JsonObject toJson() {
    return Json.createObjectBuilder()
        .add("type", "about:blank")
        .add("title", title)
        .add("status", status)
        .add("detail", detail)
        .build();
  }

  public Response.ResponseBuilder toResponseBuilder() {
    return Response.status(status).type(PROBLEM_JSON).entity(toJson().toString());
  }

  public Response toResponse() {
    return toResponseBuilder().build();
  }
}
