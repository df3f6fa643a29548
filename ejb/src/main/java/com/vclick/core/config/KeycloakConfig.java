package com.vclick.core.config;

import java.net.URI;

/**
 * Where the enterprise identity provider is and how the server itself signs in to it.
 *
 * @param url Keycloak base URL ({@code vclick.keycloak.url})
 * @param realm the realm ({@code vclick.keycloak.realm})
 * @param clientId the confidential server client ({@code vclick.keycloak.client-id})
 * @param clientSecret its secret, from the environment only ({@code VCLICK_KEYCLOAK_CLIENT_SECRET})
 */
public record KeycloakConfig(URI url, String realm, String clientId, String clientSecret) {

  public URI realmUrl() {
    return URI.create(url + "/realms/" + realm);
  }

  public URI tokenEndpoint() {
    return URI.create(realmUrl() + "/protocol/openid-connect/token");
  }

  public URI jwksEndpoint() {
    return URI.create(realmUrl() + "/protocol/openid-connect/certs");
  }

  public URI adminRealmUrl() {
    return URI.create(url + "/admin/realms/" + realm);
  }

  @Override
  public String toString() {
    return "KeycloakConfig[url=" + url + ", realm=" + realm + ", clientId=" + clientId + "]";
  }
}
