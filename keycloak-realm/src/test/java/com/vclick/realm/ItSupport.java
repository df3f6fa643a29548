package com.vclick.realm;

import com.vclick.testkit.TestEnv;
import java.util.List;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;

/** Shared set-up of the integration tests (fails, never skips, without ./vclick test's env). */
final class ItSupport {

  static final String REALM = "vclick";

  private ItSupport() {}

  /** Admin client for the master realm, as the bootstrap admin. */
  static Keycloak admin() {
    return KeycloakBuilder.builder()
        .serverUrl(TestEnv.keycloakUrl())
        .realm("master")
        .clientId("admin-cli")
        .username(TestEnv.require("KC_BOOTSTRAP_ADMIN_USERNAME"))
        .password(TestEnv.require("KC_BOOTSTRAP_ADMIN_PASSWORD"))
        .build();
  }

  /** A redirect URI of vclick-web as Keycloak resolved it from ${VCLICK_PUBLIC_URL}. */
  static String webRedirectUri(RealmResource realm) {
    List<ClientRepresentation> web = realm.clients().findByClientId("vclick-web");
    String pattern = web.get(0).getRedirectUris().get(0); // e.g. http://127.0.0.1:8080/*
    return pattern.substring(0, pattern.length() - 1) + "callback";
  }
}
