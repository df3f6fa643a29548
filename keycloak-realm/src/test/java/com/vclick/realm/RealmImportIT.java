package com.vclick.realm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.testkit.DemoUsers;
import com.vclick.testkit.Jwt;
import com.vclick.testkit.KeycloakLogin;
import com.vclick.testkit.LoginRefusedException;
import com.vclick.testkit.TestEnv;
import com.vclick.testkit.Tokens;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserProfileAttributeMetadata;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.representations.userprofile.config.UPAttribute;

/**
 * What the real Keycloak (at {@code KEYCLOAK_URL}, started by {@code ./vclick test}) made of
 * vclick-realm.json: clients, roles, groups, mappers, demo users, the service account's least
 * privilege, and the claims of real tokens obtained through the login form.
 */
class RealmImportIT {

  static final String REALM = ItSupport.REALM;
  static final Set<String> OUR_ROLES =
      Set.of(
          "caller", "recording-reviewer", "edge-admin", "regulated", "contractor", "requires-otp");
  static final String EXTENSION_REDIRECT =
      "https://jafpjpcekaheefipgmmjkbjeohlphimo.chromiumapp.org/";

  static String keycloakUrl;
  static String clientSecret;
  static Keycloak admin;
  static RealmResource realm;
  static KeycloakLogin login;

  @BeforeAll
  static void connect() {
    // Fails (does not skip) without the environment of ./vclick test.
    keycloakUrl = TestEnv.keycloakUrl();
    clientSecret = TestEnv.require("VCLICK_KEYCLOAK_CLIENT_SECRET");
    admin = ItSupport.admin();
    realm = admin.realm(REALM);
    login = new KeycloakLogin(keycloakUrl, REALM);
  }

  @AfterAll
  static void close() {
    if (admin != null) {
      admin.close();
    }
  }

  static ClientRepresentation client(String clientId) {
    List<ClientRepresentation> found = realm.clients().findByClientId(clientId);
    assertEquals(1, found.size(), "client " + clientId);
    return found.get(0);
  }

  static UserRepresentation user(String username) {
    List<UserRepresentation> found = realm.users().search(username, true);
    assertEquals(1, found.size(), "user " + username);
    return found.get(0);
  }

  static UserRepresentation users(String username, RealmResource r) {
    List<UserRepresentation> found = r.users().search(username, true);
    assertEquals(1, found.size(), "user " + username);
    return found.get(0);
  }

  static Set<String> names(Collection<RoleRepresentation> roles) {
    return roles.stream().map(RoleRepresentation::getName).collect(Collectors.toSet());
  }

  /** The web app's redirect URI as Keycloak resolved it from ${VCLICK_PUBLIC_URL}. */
  static String webRedirectUri() {
    return ItSupport.webRedirectUri(realm);
  }

  /** A string claim, failing with the claims present when it is missing. */
  static String claim(JsonObject claims, String name) {
    assertTrue(
        claims.containsKey(name), "claim '" + name + "' missing; claims: " + claims.keySet());
    return claims.getString(name);
  }

  static Set<String> stringSet(JsonObject claims, String name) {
    if (!claims.containsKey(name)) {
      return Set.of();
    }
    if (claims.get(name) instanceof JsonString s) {
      return Set.of(s.getString());
    }
    JsonArray a = claims.getJsonArray(name);
    return a.getValuesAs(JsonString.class).stream()
        .map(JsonString::getString)
        .collect(Collectors.toSet());
  }

  @Test
  void realmSettings() {
    RealmRepresentation r = realm.toRepresentation();
    assertEquals("external", r.getSslRequired());
    assertTrue(r.isBruteForceProtected());
    assertFalse(r.isRegistrationAllowed());
    assertEquals(300, r.getAccessTokenLifespan());
  }

  @Test
  void userFacingClientsArePublicWithPkceAndTheRightRedirects() {
    ClientRepresentation web = client("vclick-web");
    ClientRepresentation ext = client("vclick-extension");
    for (ClientRepresentation c : List.of(web, ext)) {
      assertTrue(c.isEnabled(), c.getClientId());
      assertTrue(c.isPublicClient(), c.getClientId());
      assertTrue(c.isStandardFlowEnabled(), c.getClientId());
      assertFalse(c.isImplicitFlowEnabled(), c.getClientId());
      assertFalse(c.isServiceAccountsEnabled(), c.getClientId());
      assertEquals("S256", c.getAttributes().get("pkce.code.challenge.method"), c.getClientId());
      assertTrue(c.getDefaultClientScopes().contains("vclick-api"), c.getClientId());
      assertTrue(
          c.getDefaultClientScopes().containsAll(List.of("basic", "profile", "email", "roles")),
          c.getClientId() + " " + c.getDefaultClientScopes());
    }

    assertEquals(1, web.getRedirectUris().size(), web.getRedirectUris().toString());
    String redirect = web.getRedirectUris().get(0);
    assertFalse(redirect.contains("${"), "placeholder resolved: " + redirect);
    assertTrue(redirect.matches("https?://[^/*]+/\\*"), redirect);
    String origin = redirect.substring(0, redirect.length() - 2);
    assertEquals(List.of(origin), web.getWebOrigins());
    TestEnv.optional("VCLICK_PUBLIC_URL")
        .ifPresent(url -> assertEquals(TestEnv.stripTrailingSlash(url), origin));

    assertEquals(List.of(EXTENSION_REDIRECT + "*"), ext.getRedirectUris());
    assertEquals(
        List.of("chrome-extension://jafpjpcekaheefipgmmjkbjeohlphimo"), ext.getWebOrigins());
  }

  @Test
  void noClientAllowsDirectGrantsOrImplicitFlow() {
    for (ClientRepresentation c : realm.clients().findAll()) {
      assertFalse(
          Boolean.TRUE.equals(c.isDirectAccessGrantsEnabled()),
          c.getClientId() + " allows the password grant");
      assertFalse(
          Boolean.TRUE.equals(c.isImplicitFlowEnabled()), c.getClientId() + " allows implicit");
    }
  }

  @Test
  void passwordGrantIsRefused() throws Exception {
    // nor for a privileged user (whose password alone must never give a token)
    for (String user : List.of("alice", "frank")) {
      for (String clientId : List.of("vclick-web", "vclick-extension", "admin-cli")) {
        HttpResponse<String> response =
            post(
                login.tokenEndpoint(),
                "grant_type=password&client_id="
                    + clientId
                    + "&username="
                    + user
                    + "&password="
                    + DemoUsers.password(user));
        assertNotEquals(200, response.statusCode(), clientId + ": " + response.body());
        assertFalse(response.body().contains("access_token"), clientId);
      }
    }
  }

  @Test
  void authorizationWithoutPkceIsRefused() throws Exception {
    String url =
        login.authorizationEndpoint()
            + "?client_id=vclick-web&response_type=code&scope=openid&state=s&redirect_uri="
            + java.net.URLEncoder.encode(webRedirectUri(), java.nio.charset.StandardCharsets.UTF_8);
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(302, response.statusCode());
    String location = response.headers().firstValue("Location").orElseThrow();
    assertTrue(location.contains("error=invalid_request"), location);
    assertTrue(location.contains("code_challenge"), location);
  }

  @Test
  void serverClientIsConfidentialWithAServiceAccountOnly() {
    ClientRepresentation server = client("vclick-server");
    assertFalse(server.isPublicClient());
    assertFalse(server.isStandardFlowEnabled());
    assertFalse(server.isImplicitFlowEnabled());
    assertFalse(Boolean.TRUE.equals(server.isDirectAccessGrantsEnabled()));
    assertTrue(server.isServiceAccountsEnabled());
    assertEquals(
        clientSecret,
        realm.clients().get(server.getId()).getSecret().getValue(),
        "secret comes from ${VCLICK_KEYCLOAK_CLIENT_SECRET}");

    UserRepresentation sa = realm.clients().get(server.getId()).getServiceAccountUser();
    String realmManagement = client("realm-management").getId();
    var mappings = realm.users().get(sa.getId()).roles();
    assertEquals(
        Set.of("view-users"), names(mappings.clientLevel(realmManagement).listAll()), "direct");
    assertEquals(
        Set.of("view-users", "query-users", "query-groups"),
        names(mappings.clientLevel(realmManagement).listEffective()),
        "effective realm-management roles");
    Set<String> realmRoles = names(mappings.realmLevel().listEffective());
    assertTrue(
        realmRoles.stream().noneMatch(OUR_ROLES::contains), "no Vclick roles: " + realmRoles);
    assertEquals(List.of(), realm.users().get(sa.getId()).groups());
  }

  @Test
  void serviceAccountCanListUsersButNotCreateOrSeeClients() {
    try (Keycloak server =
        KeycloakBuilder.builder()
            .serverUrl(keycloakUrl)
            .realm(REALM)
            .grantType(OAuth2Constants.CLIENT_CREDENTIALS)
            .clientId("vclick-server")
            .clientSecret(clientSecret)
            .build()) {
      RealmResource asServer = server.realm(REALM);
      List<UserRepresentation> users = asServer.users().search("alice", true);
      assertEquals(1, users.size());
      assertEquals("alice@acme-bank.example", users.get(0).getEmail());

      UserRepresentation intruder = new UserRepresentation();
      intruder.setUsername("mallory");
      intruder.setEnabled(true);
      try (Response response = asServer.users().create(intruder)) {
        assertEquals(403, response.getStatus(), "creating a user must be forbidden");
      }
      assertThrows(ForbiddenException.class, () -> asServer.clients().findAll());
      assertThrows(ForbiddenException.class, () -> asServer.roles().list());

      // nor change one: no role grant, no edit, no password reset
      String eveId = users("eve", asServer).getId();
      RoleRepresentation caller = realm.roles().get("caller").toRepresentation();
      assertThrows(
          ForbiddenException.class,
          () -> asServer.users().get(eveId).roles().realmLevel().add(List.of(caller)));
      UserRepresentation edit = new UserRepresentation();
      edit.setEmail("eve@evil.example");
      assertThrows(ForbiddenException.class, () -> asServer.users().get(eveId).update(edit));
      assertThrows(ForbiddenException.class, () -> asServer.users().get(eveId).remove());
    }
    assertTrue(realm.users().search("mallory", true).isEmpty());
    UserRepresentation eve = user("eve");
    assertEquals("eve@acme-bank.example", eve.getEmail());
    assertTrue(names(realm.users().get(eve.getId()).roles().realmLevel().listAll()).isEmpty());
  }

  @Test
  void rolesAndGroups() {
    Set<String> roles = names(realm.roles().list());
    assertTrue(roles.containsAll(OUR_ROLES), roles.toString());

    String defaultRole = realm.toRepresentation().getDefaultRole().getName();
    Set<String> defaults = names(realm.roles().get(defaultRole).getRoleComposites());
    assertTrue(defaults.stream().noneMatch(OUR_ROLES::contains), "default roles: " + defaults);

    Map<String, Set<String>> groups = new TreeMap<>();
    for (GroupRepresentation g : realm.groups().groups()) {
      groups.put(
          g.getName(), names(realm.groups().group(g.getId()).roles().realmLevel().listAll()));
    }
    assertEquals(
        Map.of(
            "traders", Set.of("caller", "regulated"),
            "staff", Set.of("caller"),
            "contractors", Set.of("caller", "contractor"),
            "compliance", Set.of("caller", "recording-reviewer"),
            "it-security", Set.of("caller", "edge-admin")),
        groups);
  }

  @Test
  void vclickApiScopeHasTheThreeMappers() {
    ClientScopeRepresentation scope =
        realm.clientScopes().findAll().stream()
            .filter(s -> s.getName().equals("vclick-api"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no client scope vclick-api"));
    Map<String, Map<String, String>> byType = new HashMap<>();
    for (ProtocolMapperRepresentation m : scope.getProtocolMappers()) {
      byType.put(m.getProtocolMapper(), m.getConfig());
    }
    assertEquals("vclick-api", byType.get("oidc-audience-mapper").get("included.custom.audience"));
    assertEquals("groups", byType.get("oidc-usermodel-realm-role-mapper").get("claim.name"));
    assertEquals("true", byType.get("oidc-usermodel-realm-role-mapper").get("multivalued"));
    assertEquals(
        "phone_number", byType.get("oidc-usermodel-attribute-mapper").get("user.attribute"));
  }

  @Test
  void demoUsers() {
    Map<String, Set<String>> expected =
        Map.of(
            "alice", Set.of("traders"),
            "bob", Set.of("staff"),
            "carol", Set.of("staff"),
            "dave", Set.of("contractors"),
            "erin", Set.of("compliance"),
            "frank", Set.of("it-security"),
            "eve", Set.of());
    for (var e : expected.entrySet()) {
      UserRepresentation u = user(e.getKey());
      assertTrue(u.isEnabled(), u.getUsername());
      assertTrue(u.isEmailVerified(), u.getUsername());
      assertEquals(u.getUsername() + "@acme-bank.example", u.getEmail());
      assertNotNull(u.getAttributes(), u.getUsername() + ": attributes");
      List<String> phone = u.getAttributes().get("phone_number");
      assertNotNull(phone, u.getUsername() + ": phone_number kept by the user profile");
      assertTrue(phone.get(0).matches("\\+442079460\\d{3}"), phone.toString());
      Set<String> groups =
          realm.users().get(u.getId()).groups().stream()
              .map(GroupRepresentation::getName)
              .collect(Collectors.toSet());
      assertEquals(e.getValue(), groups, u.getUsername());
    }
    UserRepresentation eve = user("eve");
    Set<String> eveRoles =
        names(realm.users().get(eve.getId()).roles().realmLevel().listEffective());
    assertTrue(eveRoles.stream().noneMatch(OUR_ROLES::contains), "eve: " + eveRoles);
  }

  @Test
  void userProfileDeclaresPhoneNumber() {
    UPAttribute phone = realm.users().userProfile().getConfiguration().getAttribute("phone_number");
    assertNotNull(phone, "phone_number in the user profile");
    assertEquals(Set.of("admin", "user"), phone.getPermissions().getView());
    assertEquals(Set.of("admin"), phone.getPermissions().getEdit());
    UserProfileAttributeMetadata meta =
        realm.users().userProfile().getMetadata().getAttributeMetadata("phone_number");
    assertNotNull(meta);
  }

  @Test
  void aliceTokenFromTheLoginForm() throws Exception {
    Tokens tokens =
        login.login("vclick-web", webRedirectUri(), "alice", DemoUsers.password("alice"));
    JsonObject at = tokens.accessClaims();
    String issuer = wellKnownIssuer();
    assertEquals(keycloakUrl + "/realms/" + REALM, issuer);
    assertEquals(issuer, claim(at, "iss"));
    assertTrue(stringSet(at, "aud").contains("vclick-api"), "aud " + at.get("aud"));
    assertEquals("vclick-web", claim(at, "azp"));
    assertEquals("Bearer", claim(at, "typ"));
    Set<String> groups = stringSet(at, "groups");
    assertTrue(groups.containsAll(Set.of("caller", "regulated")), "groups " + groups);
    assertFalse(groups.contains("edge-admin"), "groups " + groups);
    assertEquals("alice@acme-bank.example", claim(at, "email"));
    assertTrue(at.getBoolean("email_verified"));
    assertEquals("alice", claim(at, "preferred_username"));
    assertEquals("+442079460001", claim(at, "phone_number"));
    assertEquals("Alice Archer", claim(at, "name"));
    assertFalse(claim(at, "sub").isBlank());
    assertEquals(
        300, at.getJsonNumber("exp").longValue() - at.getJsonNumber("iat").longValue(), "lifespan");
    assertEquals(300, tokens.expiresIn());
    assertEquals("RS256", Jwt.header(tokens.accessToken()).getString("alg"));

    JsonObject id = tokens.idClaims();
    assertEquals("vclick-web", claim(id, "aud"));
    assertEquals("+442079460001", claim(id, "phone_number"));
    assertNotNull(tokens.refreshToken());
    Tokens refreshed = login.refresh("vclick-web", tokens.refreshToken());
    assertEquals(claim(at, "sub"), refreshed.accessClaims().getString("sub"));
  }

  @Test
  void extensionTokenForAContractor() {
    Tokens tokens =
        login.login("vclick-extension", EXTENSION_REDIRECT, "dave", DemoUsers.password("dave"));
    JsonObject at = tokens.accessClaims();
    assertEquals("vclick-extension", claim(at, "azp"));
    assertTrue(stringSet(at, "aud").contains("vclick-api"));
    assertTrue(stringSet(at, "groups").containsAll(Set.of("caller", "contractor")));
    assertEquals("+442079460004", claim(at, "phone_number"));
  }

  @Test
  void eveHasNoVclickRoleInHerToken() {
    Tokens tokens = login.login("vclick-web", webRedirectUri(), "eve", DemoUsers.password("eve"));
    JsonObject at = tokens.accessClaims();
    assertEquals("eve", claim(at, "preferred_username"));
    Set<String> groups = stringSet(at, "groups");
    assertFalse(groups.contains("caller"), "eve groups " + groups);
    assertTrue(groups.stream().noneMatch(OUR_ROLES::contains), "eve groups " + groups);
    assertTrue(stringSet(at, "aud").contains("vclick-api"));
  }

  @Test
  void wrongPasswordShowsTheFormAgain() {
    LoginRefusedException e =
        assertThrows(
            LoginRefusedException.class,
            () -> login.login("vclick-web", webRedirectUri(), "carol", "not-her-password"));
    assertTrue(e.getMessage().contains("Invalid username or password"), e.getMessage());
    // a successful login resets the brute-force counter
    login.login("vclick-web", webRedirectUri(), "carol", DemoUsers.password("carol"));
  }

  @Test
  void foreignRedirectUriIsRefused() {
    LoginRefusedException e =
        assertThrows(
            LoginRefusedException.class,
            () ->
                login.login(
                    "vclick-web", "https://evil.example/cb", "alice", DemoUsers.password("alice")));
    assertTrue(e.getMessage().toLowerCase().contains("redirect"), e.getMessage());
  }

  static String wellKnownIssuer() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            keycloakUrl + "/realms/" + REALM + "/.well-known/openid-configuration"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(response.body()))) {
      return reader.readObject().getString("issuer");
    }
  }

  static HttpResponse<String> post(String url, String form) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
