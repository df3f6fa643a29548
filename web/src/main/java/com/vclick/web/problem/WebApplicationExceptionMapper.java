package com.vclick.web.problem;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** JAX-RS's own errors (404, 405, 406, 415, 403 from role checks...) as problems. */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

  @Override
  public Response toResponse(WebApplicationException exception) {
    Response original = exception.getResponse();
    int status = original.getStatus();
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
    Response.ResponseBuilder builder = Problem.of(status, detail).toResponseBuilder();
    original
        .getHeaders()
        .forEach(
            (name, values) -> {
              if (!name.equalsIgnoreCase("Content-Type")) {
                values.forEach(value -> builder.header(name, value));
              }
            });
    return builder.build();
  }
}
