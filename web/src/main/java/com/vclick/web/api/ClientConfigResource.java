package com.vclick.web.api;

import com.vclick.core.config.CallsConfig;
import com.vclick.core.config.KeycloakConfig;
import com.vclick.core.config.TelephonyConfig;
import com.vclick.web.security.Public;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What a client needs before signing in: the identity provider, its public client ids, and whether
 * calls must go through the relay, and the telephony gateways on offer.
 */
@Path("client-config")
@Public
public class ClientConfigResource {

  @Inject KeycloakConfig keycloak;
  @Inject CallsConfig calls;
  @Inject TelephonyConfig telephony;

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
        .add("forceRelay", calls.forceRelay())
        .add("maxParties", calls.maxParties())
        .add("telephonyGateways", gateways())
        .build();
  }

  private JsonArrayBuilder gateways() {
    JsonArrayBuilder list = Json.createArrayBuilder();
    telephony
        .gateways()
        .forEach(g -> list.add(Json.createObjectBuilder().add("id", g.id()).add("name", g.name())));
    return list;
  }
}
