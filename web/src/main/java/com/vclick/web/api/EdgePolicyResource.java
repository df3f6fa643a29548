package com.vclick.web.api;

import com.vclick.core.edge.PolicyValidationException;
import com.vclick.core.edge.json.EdgePolicyJson;
import com.vclick.core.edge.store.EdgePolicyStore;
import com.vclick.core.edge.store.StalePolicyVersionException;
import com.vclick.core.edge.store.VersionedPolicy;
import com.vclick.core.identity.Roles;
import com.vclick.web.http.JsonBodies;
import com.vclick.web.problem.BadRequestProblem;
import com.vclick.web.problem.ConflictProblem;
import com.vclick.web.security.CurrentCaller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The Secure Edge policy, for {@code edge-admin}: {@code GET} the whole document, {@code PUT} a
 * whole new one that names the version it edits (web/EDGE-API.md). A PUT is all or nothing: an
 * invalid document (400, the detail names the field) or a stale version (409) changes nothing.
 */
@Path("edge/policy")
@RolesAllowed(Roles.EDGE_ADMIN)
public class EdgePolicyResource {

  @Inject EdgePolicyStore store;
  @Inject CurrentCaller caller;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public JsonObject get() {
    return document(store.current());
  }

  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public JsonObject replace(String body) {
    JsonObject document = JsonBodies.optionalObject(body, EdgePolicyJson.DOCUMENT_FIELDS);
    try {
      long version = EdgePolicyJson.version(document);
      var policy = EdgePolicyJson.policy(document);
      return document(store.replace(caller.get().subject(), policy, version));
    } catch (PolicyValidationException e) {
      throw new BadRequestProblem(e.field() + ": " + e.getMessage());
    } catch (StalePolicyVersionException e) {
      throw new ConflictProblem(
          "version: the policy is at version "
              + e.current()
              + ", not "
              + e.expected()
              + "; it changed since it was read. Read it again, reapply the change and send it"
              + " with version "
              + e.current()
              + ".");
    }
  }

  private static JsonObject document(VersionedPolicy policy) {
    return EdgePolicyJson.document(policy.policy(), policy.version());
  }
}
