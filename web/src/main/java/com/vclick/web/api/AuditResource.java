package com.vclick.web.api;

import com.vclick.core.audit.AuditTrail;
import com.vclick.core.audit.AuditVerification;
import com.vclick.core.identity.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Checks the audit trail's hash chain end to end. */
@Path("audit/verify")
@RolesAllowed({Roles.EDGE_ADMIN, Roles.RECORDING_REVIEWER})
public class AuditResource {

  @Inject AuditTrail audit;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public AuditVerification verify() {
    return audit.verify();
  }
}
