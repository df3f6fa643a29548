package com.vclick.realm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.vclick.testkit.DemoUsers;
import com.vclick.testkit.KeycloakLogin;
import com.vclick.testkit.LoginRefusedException;
import com.vclick.testkit.TestEnv;
import com.vclick.testkit.Tokens;
import com.vclick.testkit.Totp;
import jakarta.json.JsonString;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * The realm's sign-in hardening as an attacker meets it on the real Keycloak: a privileged role
 * (anything including requires-otp) cannot sign in without a valid, unused one-time code; one
 * without an OTP device must set one up; a plain user signs in with the password only; weak
 * passwords are refused. The attacks target throwaway users made here (never the demo users other
 * tests sign in as), each with its own random TOTP secret.
 */
class RealmOtpIT {

  static final SecureRandom RANDOM = new SecureRandom();
  static final String PASSWORD = "Throwaway-pass-42";

  static Keycloak admin;
  static RealmResource realm;
  static KeycloakLogin login;
  static String redirectUri;
  final List<String> made = new java.util.ArrayList<>();

  @BeforeAll
  static void connect() {
    admin = ItSupport.admin();
    realm = admin.realm(ItSupport.REALM);
    login = new KeycloakLogin(TestEnv.keycloakUrl(), ItSupport.REALM);
    redirectUri = ItSupport.webRedirectUri(realm);
  }

  @AfterAll
  static void close() {
    if (admin != null) {
      admin.close();
    }
  }

  @AfterEach
  void removeThrowawayUsers() {
    for (String id : made) {
      realm.users().get(id).remove();
    }
  }

  /** A throwaway user in {@code group} ("" for none), with a TOTP device when {@code secret}. */
  String user(String group, byte[] secret) {
    String name = "otp-it-" + HexFormat.of().formatHex(random(4));
    UserRepresentation u = new UserRepresentation();
    u.setUsername(name);
    u.setEmail(name + "@acme-bank.example");
    u.setFirstName("Throwaway");
    u.setLastName("User");
    u.setEnabled(true);
    u.setEmailVerified(true);
    if (!group.isEmpty()) {
      u.setGroups(List.of(group));
    }
    CredentialRepresentation password = new CredentialRepresentation();
    password.setType(CredentialRepresentation.PASSWORD);
    password.setValue(PASSWORD);
    password.setTemporary(false);
    List<CredentialRepresentation> credentials = new java.util.ArrayList<>(List.of(password));
    if (secret != null) {
      CredentialRepresentation otp = new CredentialRepresentation();
      otp.setType("otp");
      otp.setSecretData("{\"value\":\"" + new String(secret, StandardCharsets.US_ASCII) + "\"}");
      otp.setCredentialData(
          "{\"subType\":\"totp\",\"digits\":6,\"counter\":0,\"period\":30,\"algorithm\":\"HmacSHA1\"}");
      credentials.add(otp);
    }
    u.setCredentials(credentials);
    try (Response response = realm.users().create(u)) {
      assertEquals(201, response.getStatus(), "create " + name);
    }
    String id = realm.users().search(name, true).get(0).getId();
    made.add(id);
    return name;
  }

  static byte[] random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return b;
  }

  /** A TOTP secret of printable ASCII (Keycloak keys the HMAC with the stored string's bytes). */
  static byte[] secret() {
    return HexFormat.of().formatHex(random(16)).getBytes(StandardCharsets.US_ASCII);
  }

  static Set<String> groups(Tokens tokens) {
    return tokens.accessClaims().getJsonArray("groups").getValuesAs(JsonString.class).stream()
        .map(JsonString::getString)
        .collect(Collectors.toSet());
  }

  @Test
  void privilegedDemoUsersSignInWithPasswordAndCode() {
    for (String name : DemoUsers.WITH_OTP) {
      Tokens tokens = login.login("vclick-web", redirectUri, name, DemoUsers.password(name));
      assertTrue(groups(tokens).contains("requires-otp"), name + ": " + groups(tokens));
    }
  }

  @Test
  void everyPrivilegedRoleIncludesRequiresOtp() {
    for (RoleRepresentation role : realm.roles().list()) {
      String name = role.getName();
      if (name.equals("recording-reviewer") || name.endsWith("-admin")) {
        Set<String> effective =
            realm.rolesById().getRealmRoleComposites(role.getId()).stream()
                .map(RoleRepresentation::getName)
                .collect(Collectors.toSet());
        assertTrue(effective.contains("requires-otp"), name + " includes requires-otp");
      }
    }
  }

  @Test
  void everyPrivilegedDemoUserHasAnOtpDevice() {
    for (String name : List.of("alice", "bob", "carol", "dave", "erin", "frank", "eve")) {
      UserRepresentation u = realm.users().search(name, true).get(0);
      boolean privileged =
          realm.users().get(u.getId()).roles().realmLevel().listEffective().stream()
              .anyMatch(r -> r.getName().equals("requires-otp"));
      boolean device =
          realm.users().get(u.getId()).credentials().stream()
              .anyMatch(c -> c.getType().equals("otp"));
      assertEquals(privileged, DemoUsers.hasOtp(name), name + ": DemoUsers.WITH_OTP");
      assertEquals(privileged, device, name + ": an OTP device exactly when privileged");
    }
  }

  @Test
  void privilegedUserWithoutACodeGetsNoToken() {
    byte[] secret = secret();
    String name = user("/it-security", secret);
    LoginRefusedException none =
        assertThrows(
            LoginRefusedException.class,
            () -> login.login("vclick-web", redirectUri, name, PASSWORD, "openid", null));
    assertTrue(none.getMessage().contains("one-time code"), none.getMessage());

    // the code of another period (an old one, or a guess) is refused
    long stale = Totp.step(System.currentTimeMillis()) - 10;
    LoginRefusedException wrong =
        assertThrows(
            LoginRefusedException.class,
            () ->
                login.login(
                    "vclick-web",
                    redirectUri,
                    name,
                    PASSWORD,
                    "openid",
                    () -> Totp.code(secret, stale)));
    assertTrue(wrong.getMessage().contains("Invalid authenticator code"), wrong.getMessage());

    // the right code signs in; the same code a second time does not (no replay)
    String code = Totp.code(secret, Totp.step(System.currentTimeMillis()));
    Tokens tokens = login.login("vclick-web", redirectUri, name, PASSWORD, "openid", () -> code);
    assertTrue(groups(tokens).contains("edge-admin"));
    LoginRefusedException replay =
        assertThrows(
            LoginRefusedException.class,
            () -> login.login("vclick-web", redirectUri, name, PASSWORD, "openid", () -> code));
    assertTrue(replay.getMessage().contains("Invalid authenticator code"), replay.getMessage());
  }

  @Test
  void privilegedUserWithoutADeviceMustSetOneUpFirst() {
    String name = user("/compliance", null);
    LoginRefusedException e =
        assertThrows(
            LoginRefusedException.class,
            () ->
                login.login(
                    "vclick-web",
                    redirectUri,
                    name,
                    PASSWORD,
                    "openid",
                    () -> fail("no code form for a user without a device")));
    // Keycloak sends them to its required action "set up an authenticator", not to the app
    assertTrue(e.getMessage().contains("required-action?execution=CONFIGURE_TOTP"), e.getMessage());
  }

  @Test
  void plainUsersSignInWithThePasswordOnly() {
    String name = user("/staff", null);
    Tokens tokens =
        login.login(
            "vclick-web",
            redirectUri,
            name,
            PASSWORD,
            "openid",
            () -> fail("Keycloak asked a plain caller for a one-time code"));
    assertTrue(groups(tokens).contains("caller"), groups(tokens).toString());
    assertFalse(groups(tokens).contains("requires-otp"), groups(tokens).toString());
    for (String demo : List.of("alice", "eve")) {
      login.login(
          "vclick-web",
          redirectUri,
          demo,
          DemoUsers.password(demo),
          "openid",
          () -> fail("Keycloak asked " + demo + " for a one-time code"));
    }
  }

  @Test
  void weakPasswordsAreRefusedAndChangeNothing() {
    String name = user("", null);
    String id = realm.users().search(name, true).get(0).getId();
    for (String weak :
        List.of(
            "Short-1a",
            "no-upper-case-1",
            "NO-LOWER-CASE-1",
            "No-digits-at-all",
            "NoSpecialChars12",
            name,
            name + "@acme-bank.example",
            PASSWORD)) { // the current one: passwordHistory
      CredentialRepresentation c = new CredentialRepresentation();
      c.setType(CredentialRepresentation.PASSWORD);
      c.setValue(weak);
      c.setTemporary(false);
      assertThrows(
          BadRequestException.class,
          () -> realm.users().get(id).resetPassword(c),
          "weak password accepted: " + weak);
    }
    // the password is unchanged: it still signs in
    login.login("vclick-web", redirectUri, name, PASSWORD, "openid", null);
    CredentialRepresentation strong = new CredentialRepresentation();
    strong.setType(CredentialRepresentation.PASSWORD);
    strong.setValue("A-strong-enough-one-7");
    strong.setTemporary(false);
    realm.users().get(id).resetPassword(strong);
    login.login("vclick-web", redirectUri, name, "A-strong-enough-one-7", "openid", null);
  }
}
