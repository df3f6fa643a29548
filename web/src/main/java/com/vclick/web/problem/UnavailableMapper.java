package com.vclick.web.problem;

import com.vclick.core.directory.DirectoryUnavailableException;
import com.vclick.core.turn.RelayUnavailableException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Logger;

/** A dependency that is down or not configured: 503, and the log says which. */
public final class UnavailableMapper {

  private static final Logger LOG = Logger.getLogger(UnavailableMapper.class.getName());

  private UnavailableMapper() {}

  /** No TURN secret configured. */
  @Provider
  public static class Relay implements ExceptionMapper<RelayUnavailableException> {
    @Override
    public Response toResponse(RelayUnavailableException exception) {
      LOG.warning(exception.getMessage());
      return Problem.of(503, "The enterprise relay is not configured.").toResponse();
    }
  }

  /** Keycloak's directory cannot be read. */
  @Provider
  public static class Directory implements ExceptionMapper<DirectoryUnavailableException> {
    @Override
    public Response toResponse(DirectoryUnavailableException exception) {
      LOG.warning("Directory unavailable: " + exception.getMessage());
      return Problem.of(503, "The directory is unavailable; try again shortly.").toResponse();
    }
  }
}
