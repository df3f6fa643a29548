package com.vclick.web.api;

import com.vclick.core.config.KeycloakConfig;
import com.vclick.web.security.Public;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** What a client needs to sign in: the identity provider and its public client ids. */
@Path("client-config")
@Public
public class ClientConfigResource {

  @Inject KeycloakConfig keycloak;

  @Inject
  @ConfigProperty(name = "vclick.web.client-id")
  String webClientId;

  @Inject
  @ConfigProperty(name = "vclick.extension.client-id")
  String extensionClientId;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public JsonObject config() {
    return Json.createObjectBuilder()
        .add("keycloakUrl", keycloak.url().toString())
        .add("realm", keycloak.realm())
        .add("webClientId", webClientId)
        .add("extensionClientId", extensionClientId)
        .build();
  }
}
