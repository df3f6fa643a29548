package com.vclick.web.api;

import com.vclick.core.identity.Caller;
import com.vclick.web.security.CurrentCaller;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Who the token says you are, and your roles. */
@Path("me")
public class MeResource {

  @Inject CurrentCaller caller;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Caller me() {
    return caller.get();
  }
}
