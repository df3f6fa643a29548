package com.vclick.web.api;

import com.vclick.core.audit.AuditReport;
import com.vclick.core.audit.AuditTrail;
import com.vclick.core.audit.AuditVerification;
import com.vclick.core.identity.Roles;
import com.vclick.web.problem.BadRequestProblem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * Checks the audit trail's hash chain and seals end to end: the entries in the database and the
 * archive files they continue ({@code archive=full} recomputes every archived entry too; the
 * default checks the last file's sealed end and the link).
 */
@Path("audit/verify")
@RolesAllowed({Roles.EDGE_ADMIN, Roles.RECORDING_REVIEWER})
public class AuditResource {

  @Inject AuditTrail audit;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public JsonObject verify(@QueryParam("archive") @DefaultValue("link") String archive) {
    boolean full =
        switch (archive) {
          case "link" -> false;
          case "full" -> true;
          default -> throw new BadRequestProblem("archive must be link or full.");
        };
    AuditReport report = audit.verifyWithArchive(full);
    AuditVerification chain = report.chain();
    JsonObjectBuilder json =
        Json.createObjectBuilder()
            .add("intact", report.intact())
            .add("sealed", chain.sealed())
            .add("entriesChecked", chain.entriesChecked())
            .add("firstSequence", chain.firstSequence())
            .add("firstBrokenSequence", chain.firstBrokenSequence())
            .add(
                "archive",
                Json.createObjectBuilder()
                    .add("files", report.archive().files())
                    .add("entriesChecked", report.archive().entries())
                    .add("intact", report.archive().intact()));
    if (report.problem() != null) {
      json.add("problem", report.problem());
    }
    return json.build();
  }
}
