package com.vclick.web.problem;

import com.vclick.core.turn.MintRateLimitedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A user asked for relay credentials or Secure Edge decisions too often: 429 with {@code
 * Retry-After}, nothing issued or recorded. Not logged per request (a flood would flood the log).
 */
@Provider
public class RateLimitedMapper implements ExceptionMapper<MintRateLimitedException> {

  @Override
  public Response toResponse(MintRateLimitedException exception) {
    long seconds = exception.retryAfterSeconds();
    return Problem.of(
            429,
            "Too many requests for relay credentials or Secure Edge decisions; retry in "
                + seconds
                + " s.")
        .toResponseBuilder()
        .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
        .build();
  }
}
