package com.vclick.web.problem;

import jakarta.json.JsonException;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Bodies that are not the JSON we expect: 400 with a clear message, nothing changed. */
@Provider
public class ClientErrorMapper implements ExceptionMapper<JsonException> {

  @Override
  public Response toResponse(JsonException exception) {
    return Problem.of(400, "The body is not valid JSON of the expected shape.").toResponse();
  }

  /** The same for JSON-B binding errors. */
  @Provider
  public static class Binding implements ExceptionMapper<JsonbException> {
    @Override
    public Response toResponse(JsonbException exception) {
      return Problem.of(400, "The body is not valid JSON of the expected shape.").toResponse();
    }
  }
}
