package com.vclick.web.problem;

import com.vclick.web.http.RequestSizeLimitFilter;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Anything unforeseen: logged server-side with an incident id, answered with a 500 problem that
 * carries only that id.
 */
@Provider
public class UnexpectedErrorMapper implements ExceptionMapper<Throwable> {

  private static final Logger LOG = Logger.getLogger(UnexpectedErrorMapper.class.getName());

  @Override
  public Response toResponse(Throwable exception) {
    if (exception instanceof WebApplicationException web) {
      return new WebApplicationExceptionMapper().toResponse(web);
    }
    for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
      if (cause instanceof RequestSizeLimitFilter.BodyTooLargeException) {
        return new WebApplicationExceptionMapper()
            .toResponse(new WebApplicationException(Response.Status.REQUEST_ENTITY_TOO_LARGE));
      }
    }
    String incident = UUID.randomUUID().toString();
    LOG.log(Level.SEVERE, "Unexpected error, incident " + incident, exception);
    return Problem.of(500, "Unexpected error; incident " + incident + " is logged.").toResponse();
  }
}
