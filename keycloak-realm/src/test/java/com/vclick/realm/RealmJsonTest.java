package com.vclick.realm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.vclick.testkit.DemoUsers;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Structural invariants of vclick-realm.json, checked offline (no Keycloak). */
class RealmJsonTest {

  static final String SECRET_PLACEHOLDER = "${VCLICK_KEYCLOAK_CLIENT_SECRET}";
  static final Set<String> PRIVILEGED_ROLES = Set.of("recording-reviewer", "edge-admin");
  static final Pattern DRAMA_PHONE = Pattern.compile("\\+442079460\\d{3}");

  static String rawText;
  static JsonObject realm;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = RealmJsonTest.class.getResourceAsStream("/vclick-realm.json")) {
      assertNotNull(in, "vclick-realm.json is not on the test classpath");
      rawText = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (JsonReader reader = Json.createReader(new StringReader(rawText))) {
      realm = reader.readObject();
    }
  }

  static List<JsonObject> array(JsonObject o, String key) {
    JsonArray a = o.getJsonArray(key);
    return a == null ? List.of() : a.getValuesAs(JsonObject.class);
  }

  static Set<String> strings(JsonObject o, String key) {
    JsonArray a = o.getJsonArray(key);
    return a == null
        ? Set.of()
        : a.getValuesAs(JsonString.class).stream()
            .map(JsonString::getString)
            .collect(Collectors.toSet());
  }

  static JsonObject client(String clientId) {
    return array(realm, "clients").stream()
        .filter(c -> clientId.equals(c.getString("clientId")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no client " + clientId));
  }

  static List<JsonObject> humans() {
    return array(realm, "users").stream()
        .filter(u -> !u.containsKey("serviceAccountClientId"))
        .collect(Collectors.toList());
  }

  @Test
  void realmSettings() {
    assertEquals("vclick", realm.getString("realm"));
    assertEquals("external", realm.getString("sslRequired"));
    assertFalse(realm.getBoolean("registrationAllowed"));
    assertTrue(realm.getBoolean("bruteForceProtected"));
    assertEquals(300, realm.getInt("accessTokenLifespan"));
  }

  @Test
  void passwordPolicyAsABankSetsIt() {
    Set<String> rules =
        Set.of(realm.getString("passwordPolicy").split(" and ")).stream()
            .map(String::strip)
            .collect(Collectors.toSet());
    assertEquals(
        Set.of(
            "length(12)",
            "maxLength(128)",
            "upperCase(1)",
            "lowerCase(1)",
            "digits(1)",
            "specialChars(1)",
            "notUsername",
            "notEmail",
            "passwordHistory(5)"),
        rules);
    // Keycloak refuses to import a demo password that breaks the policy: check them here first.
    for (JsonObject u : humans()) {
      String name = u.getString("username");
      String password = array(u, "credentials").get(0).getString("value");
      assertTrue(password.length() >= 12, name + ": length");
      assertTrue(password.chars().anyMatch(Character::isUpperCase), name + ": upper case");
      assertTrue(password.chars().anyMatch(Character::isLowerCase), name + ": lower case");
      assertTrue(password.chars().anyMatch(Character::isDigit), name + ": digit");
      assertTrue(password.chars().anyMatch(c -> !Character.isLetterOrDigit(c)), name + ": special");
      assertFalse(password.equalsIgnoreCase(name), name + ": not the username");
      assertFalse(password.equalsIgnoreCase(u.getString("email")), name + ": not the e-mail");
    }
  }

  @Test
  void oneTimeCodesAreNeitherReusableNorLenient() {
    assertEquals("totp", realm.getString("otpPolicyType"));
    assertEquals("HmacSHA1", realm.getString("otpPolicyAlgorithm"));
    assertEquals(6, realm.getInt("otpPolicyDigits"));
    assertEquals(30, realm.getInt("otpPolicyPeriod"));
    assertEquals(1, realm.getInt("otpPolicyLookAheadWindow"));
    assertFalse(realm.getBoolean("otpPolicyCodeReusable"), "a code is accepted once");
  }

  /** Every privileged role, and any role named *-admin to come, includes requires-otp. */
  @Test
  void privilegedRolesRequireAOneTimeCode() {
    Map<String, JsonObject> roles = new TreeMap<>();
    for (JsonObject r : array(realm.getJsonObject("roles"), "realm")) {
      roles.put(r.getString("name"), r);
    }
    assertFalse(roles.get("requires-otp").getBoolean("composite", false));
    for (JsonObject r : roles.values()) {
      String name = r.getString("name");
      boolean privileged = PRIVILEGED_ROLES.contains(name) || name.endsWith("-admin");
      JsonObject composites = r.getJsonObject("composites");
      Set<String> included =
          composites == null ? Set.of() : strings(composites.asJsonObject(), "realm");
      assertEquals(privileged, included.contains("requires-otp"), name + " includes requires-otp");
    }
    for (JsonObject u : humans()) {
      assertEquals(
          1,
          array(u, "credentials").size(),
          u.getString("username") + ": no OTP secret in the realm file (demo-otp.mjs adds it)");
    }
  }

  /** The browser flow asks holders of requires-otp for a code after the password. */
  @Test
  void browserFlowAsksPrivilegedRolesForACode() {
    Map<String, JsonObject> flows = new TreeMap<>();
    for (JsonObject f : array(realm, "authenticationFlows")) {
      flows.put(f.getString("alias"), f);
    }
    JsonObject browser = flows.get(realm.getString("browserFlow"));
    assertNotNull(browser, "browserFlow is one of the realm's flows");
    assertTrue(browser.getBoolean("topLevel"));
    List<String> top = steps(browser);
    assertEquals(List.of("auth-cookie ALTERNATIVE", "sign-in form ALTERNATIVE"), top);
    assertEquals(
        List.of("auth-username-password-form REQUIRED", "OTP for privileged roles CONDITIONAL"),
        steps(flows.get("sign-in form")));
    assertEquals(
        List.of("conditional-user-role REQUIRED", "auth-otp-form REQUIRED"),
        steps(flows.get("OTP for privileged roles")));
    String configAlias =
        array(flows.get("OTP for privileged roles"), "authenticationExecutions")
            .get(0)
            .getString("authenticatorConfig");
    JsonObject config =
        array(realm, "authenticatorConfig").stream()
            .filter(c -> c.getString("alias").equals(configAlias))
            .findFirst()
            .orElseThrow()
            .getJsonObject("config");
    assertEquals("requires-otp", config.getString("condUserRole"));
    assertEquals("false", config.getString("negate"));
  }

  private static List<String> steps(JsonObject flow) {
    return array(flow, "authenticationExecutions").stream()
        .sorted(java.util.Comparator.comparingInt(e -> e.getInt("priority")))
        .map(
            e ->
                e.getString("authenticator", e.getString("flowAlias", "?"))
                    + " "
                    + e.getString("requirement"))
        .collect(Collectors.toList());
  }

  @Test
  void noClientAllowsPasswordOrImplicitGrants() {
    for (JsonObject c : array(realm, "clients")) {
      String id = c.getString("clientId");
      // explicit false: Keycloak's own defaults for these flags have changed over versions
      assertEquals(
          JsonValue.FALSE, c.get("directAccessGrantsEnabled"), id + ": directAccessGrantsEnabled");
      assertEquals(JsonValue.FALSE, c.get("implicitFlowEnabled"), id + ": implicitFlowEnabled");
    }
  }

  @Test
  void everyPublicClientRequiresPkceS256() {
    for (JsonObject c : array(realm, "clients")) {
      if (c.getBoolean("publicClient", false)) {
        JsonObject attributes = c.getJsonObject("attributes");
        assertNotNull(attributes, c.getString("clientId") + ": no attributes");
        assertEquals(
            "S256",
            attributes.getString("pkce.code.challenge.method", null),
            c.getString("clientId") + ": PKCE");
      }
    }
  }

  @Test
  void confidentialClientsUseOnlyThePlaceholderSecret() {
    for (JsonObject c : array(realm, "clients")) {
      if (!c.getBoolean("publicClient", false)) {
        assertEquals(
            SECRET_PLACEHOLDER, c.getString("secret", null), c.getString("clientId") + ": secret");
      }
    }
  }

  @Test
  void noSecretLiteralAnywhere() {
    walk(
        realm,
        "$",
        (path, value) -> {
          String lower = path.toLowerCase();
          if (value.getValueType() == JsonValue.ValueType.STRING) {
            String s = ((JsonString) value).getString();
            if (lower.endsWith(".secret")) {
              assertEquals(SECRET_PLACEHOLDER, s, path);
            }
            assertFalse(s.contains("-----BEGIN"), path + " holds a PEM block");
          }
          assertFalse(lower.endsWith(".privatekey"), path + ": no private keys in the realm");
          assertFalse(lower.endsWith(".secretdata"), path + ": no raw credential data");
          assertFalse(lower.endsWith(".hashedsaltedvalue"), path + ": no hashed credentials");
        });
    // the only password values are the documented demo passwords
    for (JsonObject u : array(realm, "users")) {
      for (JsonObject cred : array(u, "credentials")) {
        assertEquals(
            DemoUsers.password(u.getString("username")), cred.getString("value"), "password");
      }
    }
  }

  @Test
  void serverClientIsAServiceAccountWithViewUsersOnly() {
    JsonObject server = client("vclick-server");
    assertFalse(server.getBoolean("publicClient"));
    assertFalse(server.getBoolean("standardFlowEnabled"));
    assertTrue(server.getBoolean("serviceAccountsEnabled"));
    JsonObject sa =
        array(realm, "users").stream()
            .filter(u -> "vclick-server".equals(u.getString("serviceAccountClientId", null)))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no service account user for vclick-server"));
    assertEquals(Set.of("realm-management"), sa.getJsonObject("clientRoles").keySet());
    assertEquals(
        Set.of("view-users"), strings(sa.getJsonObject("clientRoles"), "realm-management"));
    assertFalse(sa.containsKey("realmRoles"), "service account has no realm roles");
    assertFalse(sa.containsKey("groups"), "service account is in no group");
    // only the server client has a service account
    for (JsonObject c : array(realm, "clients")) {
      if (!c.getString("clientId").equals("vclick-server")) {
        assertFalse(
            c.getBoolean("serviceAccountsEnabled", false), c.getString("clientId") + ": SA");
      }
    }
  }

  @Test
  void userFacingClients() {
    JsonObject web = client("vclick-web");
    assertEquals(
        Set.of("${VCLICK_PUBLIC_URL:http://127.0.0.1:8080}/*"), strings(web, "redirectUris"));
    assertEquals(Set.of("${VCLICK_PUBLIC_URL:http://127.0.0.1:8080}"), strings(web, "webOrigins"));

    JsonObject ext = client("vclick-extension");
    assertEquals(
        Set.of("https://jafpjpcekaheefipgmmjkbjeohlphimo.chromiumapp.org/*"),
        strings(ext, "redirectUris"));
    assertEquals(
        Set.of("chrome-extension://jafpjpcekaheefipgmmjkbjeohlphimo"), strings(ext, "webOrigins"));

    for (JsonObject c : List.of(web, ext)) {
      assertTrue(c.getBoolean("publicClient"));
      assertTrue(c.getBoolean("standardFlowEnabled"));
      assertTrue(strings(c, "defaultClientScopes").contains("vclick-api"));
      assertTrue(
          strings(c, "defaultClientScopes").containsAll(Set.of("basic", "profile", "email")));
    }
  }

  @Test
  void everyReferencedClientScopeIsDefined() {
    // Keycloak only logs a warning for an unknown scope name and drops it.
    Set<String> defined =
        array(realm, "clientScopes").stream()
            .map(s -> s.getString("name"))
            .collect(Collectors.toSet());
    Set<String> referenced = new HashSet<>(strings(realm, "defaultDefaultClientScopes"));
    for (JsonObject c : array(realm, "clients")) {
      referenced.addAll(strings(c, "defaultClientScopes"));
      referenced.addAll(strings(c, "optionalClientScopes"));
    }
    referenced.removeAll(defined);
    assertEquals(Set.of(), referenced, "client scopes referenced but not defined");
  }

  @Test
  void vclickApiScopeMappers() {
    JsonObject scope =
        array(realm, "clientScopes").stream()
            .filter(s -> s.getString("name").equals("vclick-api"))
            .findFirst()
            .orElseThrow();
    Map<String, JsonObject> byType = new TreeMap<>();
    for (JsonObject m : array(scope, "protocolMappers")) {
      byType.put(m.getString("protocolMapper"), m.getJsonObject("config"));
    }
    assertEquals(
        "vclick-api", byType.get("oidc-audience-mapper").getString("included.custom.audience"));
    assertEquals("true", byType.get("oidc-audience-mapper").getString("access.token.claim"));
    JsonObject roles = byType.get("oidc-usermodel-realm-role-mapper");
    assertEquals("groups", roles.getString("claim.name"));
    assertEquals("true", roles.getString("multivalued"));
    assertEquals("true", roles.getString("access.token.claim"));
    JsonObject phone = byType.get("oidc-usermodel-attribute-mapper");
    assertEquals("phone_number", phone.getString("user.attribute"));
    assertEquals("phone_number", phone.getString("claim.name"));
    assertEquals("true", phone.getString("access.token.claim"));
  }

  @Test
  void rolesAndGroups() {
    Set<String> roles =
        array(realm.getJsonObject("roles"), "realm").stream()
            .map(r -> r.getString("name"))
            .collect(Collectors.toSet());
    assertEquals(
        Set.of(
            "caller",
            "recording-reviewer",
            "edge-admin",
            "regulated",
            "contractor",
            "requires-otp"),
        roles);
    Map<String, Set<String>> groups = new TreeMap<>();
    for (JsonObject g : array(realm, "groups")) {
      groups.put(g.getString("name"), strings(g, "realmRoles"));
    }
    assertEquals(
        Map.of(
            "traders", Set.of("caller", "regulated"),
            "staff", Set.of("caller"),
            "contractors", Set.of("caller", "contractor"),
            "compliance", Set.of("caller", "recording-reviewer"),
            "it-security", Set.of("caller", "edge-admin")),
        groups);
    assertFalse(realm.containsKey("defaultRole"), "keep Keycloak's default role untouched");
  }

  @Test
  void everyDemoUserHasEmailPhoneAndADemoPassword() {
    Map<String, String> expectedGroup =
        Map.of(
            "alice", "/traders",
            "bob", "/staff",
            "carol", "/staff",
            "dave", "/contractors",
            "erin", "/compliance",
            "frank", "/it-security");
    Set<String> phones = new HashSet<>();
    List<JsonObject> humans = humans();
    assertEquals(
        Set.of("alice", "bob", "carol", "dave", "erin", "frank", "eve"),
        humans.stream().map(u -> u.getString("username")).collect(Collectors.toSet()));
    for (JsonObject u : humans) {
      String name = u.getString("username");
      assertEquals(name + "@acme-bank.example", u.getString("email"), name);
      assertTrue(u.getBoolean("emailVerified"), name);
      assertTrue(u.getBoolean("enabled"), name);
      assertFalse(u.getString("firstName").isBlank(), name);
      assertFalse(u.getString("lastName").isBlank(), name);
      Set<String> phone = strings(u.getJsonObject("attributes"), "phone_number");
      assertEquals(1, phone.size(), name + ": one phone_number");
      String number = phone.iterator().next();
      assertTrue(DRAMA_PHONE.matcher(number).matches(), name + ": " + number);
      assertTrue(phones.add(number), name + ": duplicate phone number " + number);
      List<JsonObject> credentials = array(u, "credentials");
      assertEquals(1, credentials.size(), name);
      assertEquals("password", credentials.get(0).getString("type"));
      assertFalse(credentials.get(0).getBoolean("temporary"), name);
      assertFalse(u.containsKey("realmRoles"), name + ": roles come from groups only");
      if (name.equals("eve")) {
        assertEquals(Set.of(), strings(u, "groups"), "eve has no groups");
      } else {
        assertEquals(Set.of(expectedGroup.get(name)), strings(u, "groups"), name);
      }
    }
  }

  @Test
  void userProfileDeclaresPhoneNumberAndKeepsTheDefaults() {
    JsonObject components = realm.getJsonObject("components");
    JsonObject provider =
        components.getJsonArray("org.keycloak.userprofile.UserProfileProvider").getJsonObject(0);
    assertEquals("declarative-user-profile", provider.getString("providerId"));
    String config =
        provider.getJsonObject("config").getJsonArray("kc.user.profile.config").getString(0);
    JsonObject profile;
    try (JsonReader reader = Json.createReader(new StringReader(config))) {
      profile = reader.readObject();
    }
    Map<String, JsonObject> attributes = new TreeMap<>();
    for (JsonObject a : array(profile, "attributes")) {
      attributes.put(a.getString("name"), a);
    }
    assertTrue(
        attributes.keySet().containsAll(Set.of("username", "email", "firstName", "lastName")),
        attributes.keySet().toString());
    JsonObject phone = attributes.get("phone_number");
    assertNotNull(phone, "phone_number is declared");
    assertEquals(Set.of("admin", "user"), strings(phone.getJsonObject("permissions"), "view"));
    assertEquals(Set.of("admin"), strings(phone.getJsonObject("permissions"), "edit"));
    Pattern pattern =
        Pattern.compile(
            phone.getJsonObject("validations").getJsonObject("pattern").getString("pattern"));
    for (JsonObject u : humans()) {
      String number = u.getJsonObject("attributes").getJsonArray("phone_number").getString(0);
      assertTrue(pattern.matcher(number).matches(), "profile validation accepts " + number);
    }
    assertFalse(pattern.matcher("020 7946 0001").matches());
  }

  @Test
  void placeholdersAreOnlyTheDocumentedOnes() {
    // ${...} is resolved by Keycloak from its environment at import: keep the list short and known.
    Set<String> allowed =
        Set.of(
            "${VCLICK_PUBLIC_URL:http://127.0.0.1:8080}",
            SECRET_PLACEHOLDER,
            // Keycloak's own message keys / mapper templates, not environment variables
            "${username}",
            "${email}",
            "${firstName}",
            "${lastName}",
            "${client_id}");
    var m = Pattern.compile("\\$\\{[^}]*}").matcher(rawText);
    while (m.find()) {
      if (!allowed.contains(m.group())) {
        fail("unexpected placeholder " + m.group());
      }
    }
  }

  private static void walk(JsonValue value, String path, BiConsumer<String, JsonValue> visitor) {
    visitor.accept(path, value);
    switch (value.getValueType()) {
      case OBJECT:
        value.asJsonObject().forEach((k, v) -> walk(v, path + "." + k, visitor));
        break;
      case ARRAY:
        JsonArray a = value.asJsonArray();
        for (int i = 0; i < a.size(); i++) {
          walk(a.get(i), path + "[" + i + "]", visitor);
        }
        break;
      default:
        break;
    }
  }
}
