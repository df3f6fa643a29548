package com.vclick.testkit;

import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signs a user in to Keycloak the way a browser does, without the password grant: authorization
 * code flow with PKCE S256. It opens the authorization endpoint, fills in Keycloak's login form,
 * reads the {@code code} from the redirect (never following it) and redeems it with the code
 * verifier at the token endpoint.
 *
 * <p>Every {@link #login} starts with an empty cookie jar (a fresh browser), so there is never an
 * SSO session from a previous login. Instances are thread-safe.
 */
public final class KeycloakLogin {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String OTP_FORM_ID = "kc-otp-login-form";
  private static final Pattern FORM_TAG =
      Pattern.compile("<form\\b[^>]*>", Pattern.CASE_INSENSITIVE);
  private static final Pattern ATTR_ID = Pattern.compile("\\bid\\s*=\\s*\"([^\"]*)\"");
  private static final Pattern ATTR_ACTION = Pattern.compile("\\baction\\s*=\\s*\"([^\"]*)\"");
  private static final Pattern ATTR_METHOD = Pattern.compile("\\bmethod\\s*=\\s*\"([^\"]*)\"");
  private static final Pattern FEEDBACK =
      Pattern.compile(
          "<(span|div|p)\\b[^>]*(?:class=\"[^\"]*kc-feedback-text[^\"]*\"|id=\"(?:input-error[^\"]*"
              + "|kc-error-message)\")[^>]*>(.*?)</\\1>",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern TITLE =
      Pattern.compile("<title>(.*?)</title>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private final String baseUrl;
  private final String realm;
  private final HttpClient http = Http.newClient();

  /**
   * @param keycloakUrl Keycloak's base URL, e.g. {@code http://127.0.0.1:8180}
   * @param realm the realm, e.g. {@code vclick}
   */
  public KeycloakLogin(String keycloakUrl, String realm) {
    this.baseUrl = TestEnv.stripTrailingSlash(keycloakUrl);
    this.realm = realm;
  }

  /** The {@code vclick} realm of the Keycloak at {@code KEYCLOAK_URL}. */
  public static KeycloakLogin vclick() {
    return new KeycloakLogin(TestEnv.keycloakUrl(), "vclick");
  }

  /** The realm's issuer, as in the {@code iss} claim. */
  public String issuer() {
    return baseUrl + "/realms/" + realm;
  }

  public String authorizationEndpoint() {
    return issuer() + "/protocol/openid-connect/auth";
  }

  public String tokenEndpoint() {
    return issuer() + "/protocol/openid-connect/token";
  }

  /**
   * Signs a demo user ({@link DemoUsers}: its password, and its one-time code when its role asks
   * for one) in to the web app's client {@code vclick-web}, returning to {@code
   * ${VCLICK_PUBLIC_URL}/} as the web app does.
   */
  public Tokens loginToWebApp(String demoUsername) {
    return login(
        "vclick-web",
        TestEnv.require("VCLICK_PUBLIC_URL") + "/",
        demoUsername,
        DemoUsers.password(demoUsername));
  }

  /** {@link #login(String, String, String, String, String)} with scope {@code openid}. */
  public Tokens login(String clientId, String redirectUri, String username, String password) {
    return login(clientId, redirectUri, username, password, "openid");
  }

  /**
   * {@link #login(String, String, String, String, String, Supplier)} that answers Keycloak's
   * one-time-code form with the demo user's next code ({@link OtpCodes}) when the user has a demo
   * OTP device, and with nothing otherwise.
   */
  public Tokens login(
      String clientId, String redirectUri, String username, String password, String scope) {
    Supplier<String> otp =
        DemoUsers.hasOtp(username) ? new OtpCodes(baseUrl, username)::next : null;
    return login(clientId, redirectUri, username, password, scope, otp);
  }

  /**
   * Signs {@code username} in through the login form of public client {@code clientId}, and through
   * the one-time-code form that follows for a user whose roles require one.
   *
   * @param redirectUri a redirect URI the client accepts; it is never contacted
   * @param otp the code to answer the one-time-code form with; {@code null}: none (the login is
   *     refused when Keycloak asks for one)
   * @throws LoginRefusedException when Keycloak shows the login form again (wrong password, locked
   *     out), asks for a one-time code without {@code otp} or refuses it, or refuses the request
   *     (unknown client, invalid redirect URI, ...)
   */
  public Tokens login(
      String clientId,
      String redirectUri,
      String username,
      String password,
      String scope,
      Supplier<String> otp) {
    Browser browser = new Browser();
    String verifier = randomToken(48);
    String state = randomToken(16);
    String nonce = randomToken(16);

    Map<String, String> authParams = new LinkedHashMap<>();
    authParams.put("client_id", clientId);
    authParams.put("redirect_uri", redirectUri);
    authParams.put("response_type", "code");
    authParams.put("scope", scope);
    authParams.put("state", state);
    authParams.put("nonce", nonce);
    authParams.put("code_challenge", challenge(verifier));
    authParams.put("code_challenge_method", "S256");
    String authUrl = authorizationEndpoint() + "?" + Http.formEncode(authParams);

    HttpResponse<String> page = browser.send(Http.request(authUrl).GET());
    String code;
    if (isRedirect(page)) {
      // Only possible with an SSO session, which a fresh browser never has; handled anyway.
      code = codeFrom(page, redirectUri, state, clientId, username);
    } else {
      if (page.statusCode() != 200) {
        throw new LoginRefusedException(
            "Keycloak refused the authorization request of client '"
                + clientId
                + "' (HTTP "
                + page.statusCode()
                + "): "
                + pageMessage(page.body()));
      }
      String action = loginFormAction(page.body());
      Map<String, String> form = new LinkedHashMap<>();
      form.put("username", username);
      form.put("password", password);
      form.put("credentialId", "");
      HttpResponse<String> answer =
          browser.send(
              Http.request(action)
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(Http.form(form)));
      Optional<String> otpAction = formAction(answer, OTP_FORM_ID);
      if (otpAction.isPresent()) {
        if (otp == null) {
          throw new LoginRefusedException(
              "Keycloak asks '" + username + "' for a one-time code and none was given");
        }
        answer =
            browser.send(
                Http.request(otpAction.get())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(Http.form(Map.of("otp", otp.get()))));
      }
      if (!isRedirect(answer)) {
        throw new LoginRefusedException(
            "Keycloak did not sign in '"
                + username
                + "' (client '"
                + clientId
                + "', HTTP "
                + answer.statusCode()
                + "): "
                + pageMessage(answer.body()));
      }
      code = codeFrom(answer, redirectUri, state, clientId, username);
    }

    Map<String, String> exchange = new LinkedHashMap<>();
    exchange.put("grant_type", "authorization_code");
    exchange.put("client_id", clientId);
    exchange.put("code", code);
    exchange.put("redirect_uri", redirectUri);
    exchange.put("code_verifier", verifier);
    Tokens tokens = tokenRequest(exchange, "code exchange for '" + username + "'");
    if (tokens.idToken() != null) {
      String tokenNonce = Jwt.payload(tokens.idToken()).getString("nonce", null);
      if (!nonce.equals(tokenNonce)) {
        throw new IllegalStateException("ID token nonce does not match the request");
      }
    }
    return tokens;
  }

  /** Redeems a refresh token of a public client. */
  public Tokens refresh(String clientId, String refreshToken) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("grant_type", "refresh_token");
    params.put("client_id", clientId);
    params.put("refresh_token", refreshToken);
    return tokenRequest(params, "refresh for client '" + clientId + "'");
  }

  /** Client credentials grant of a confidential client (its service account). */
  public Tokens clientCredentials(String clientId, String clientSecret) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("grant_type", "client_credentials");
    params.put("client_id", clientId);
    params.put("client_secret", clientSecret);
    return tokenRequest(params, "client credentials of '" + clientId + "'");
  }

  private Tokens tokenRequest(Map<String, String> params, String what) {
    HttpResponse<String> response =
        Http.send(
            http,
            Http.request(tokenEndpoint())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(Http.form(params))
                .build());
    if (response.statusCode() != 200) {
      throw new LoginRefusedException(
          "Keycloak token endpoint refused the "
              + what
              + " (HTTP "
              + response.statusCode()
              + "): "
              + Http.abbreviate(response.body()));
    }
    JsonObject json = Http.json(response.body());
    return Tokens.fromTokenResponse(json);
  }

  /** The action of the form with id {@code id} in a page Keycloak showed, if it shows one. */
  private static Optional<String> formAction(HttpResponse<String> page, String id) {
    if (page.statusCode() != 200 || page.body() == null) {
      return Optional.empty();
    }
    Matcher forms = FORM_TAG.matcher(page.body());
    while (forms.find()) {
      Matcher formId = ATTR_ID.matcher(forms.group());
      Matcher action = ATTR_ACTION.matcher(forms.group());
      if (formId.find() && formId.group(1).equals(id) && action.find()) {
        return Optional.of(htmlUnescape(action.group(1)));
      }
    }
    return Optional.empty();
  }

  private static boolean isRedirect(HttpResponse<?> response) {
    int s = response.statusCode();
    return s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
  }

  private static String codeFrom(
      HttpResponse<String> redirect,
      String redirectUri,
      String state,
      String clientId,
      String username) {
    String location =
        redirect
            .headers()
            .firstValue("Location")
            .orElseThrow(() -> new IllegalStateException("redirect without Location header"));
    if (!location.startsWith(redirectUri)) {
      throw new LoginRefusedException(
          "Keycloak did not redirect '"
              + username
              + "' back to the client but to "
              + location
              + " (a required action or an error page?)");
    }
    Map<String, String> params = Http.queryParams(location);
    if (params.containsKey("error")) {
      throw new LoginRefusedException(
          "Keycloak refused the login of '"
              + username
              + "' for client '"
              + clientId
              + "': "
              + params.get("error")
              + " "
              + params.getOrDefault("error_description", ""));
    }
    if (!state.equals(params.get("state"))) {
      throw new IllegalStateException("state mismatch in the redirect: " + location);
    }
    String code = params.get("code");
    if (code == null || code.isEmpty()) {
      throw new IllegalStateException("no code in the redirect: " + location);
    }
    return code;
  }

  /**
   * The action URL of Keycloak's login form (id {@code kc-form-login}, else the first POST form).
   */
  static String loginFormAction(String html) {
    String fallback = null;
    Matcher forms = FORM_TAG.matcher(html);
    while (forms.find()) {
      String tag = forms.group();
      Matcher action = ATTR_ACTION.matcher(tag);
      if (!action.find()) {
        continue;
      }
      Matcher id = ATTR_ID.matcher(tag);
      if (id.find() && id.group(1).equals("kc-form-login")) {
        return htmlUnescape(action.group(1));
      }
      Matcher method = ATTR_METHOD.matcher(tag);
      if (fallback == null && method.find() && method.group(1).equalsIgnoreCase("post")) {
        fallback = htmlUnescape(action.group(1));
      }
    }
    if (fallback != null) {
      return fallback;
    }
    throw new IllegalStateException(
        "no login form in Keycloak's page: " + pageMessage(html) + " " + Http.abbreviate(html));
  }

  /** The user-visible error of a Keycloak page, else its title. */
  static String pageMessage(String html) {
    if (html == null || html.isBlank()) {
      return "(empty page)";
    }
    Matcher m = FEEDBACK.matcher(html);
    StringJoiner messages = new StringJoiner(" / ");
    while (m.find()) {
      String text = text(m.group(2));
      if (!text.isEmpty() && !messages.toString().contains(text)) {
        messages.add(text);
      }
    }
    if (messages.length() > 0) {
      return messages.toString();
    }
    Matcher title = TITLE.matcher(html);
    return title.find() ? "page '" + text(title.group(1)) + "'" : Http.abbreviate(html);
  }

  private static String text(String html) {
    return htmlUnescape(html.replaceAll("<[^>]*>", " ")).replaceAll("\\s+", " ").strip();
  }

  static String htmlUnescape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      int semi = c == '&' ? s.indexOf(';', i) : -1;
      if (semi > i && semi - i <= 10) {
        String entity = s.substring(i + 1, semi);
        String decoded = decodeEntity(entity);
        if (decoded != null) {
          out.append(decoded);
          i = semi + 1;
          continue;
        }
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  private static String decodeEntity(String entity) {
    switch (entity) {
      case "amp":
        return "&";
      case "lt":
        return "<";
      case "gt":
        return ">";
      case "quot":
        return "\"";
      case "apos":
        return "'";
      case "nbsp":
        return " ";
      default:
        break;
    }
    try {
      if (entity.startsWith("#x") || entity.startsWith("#X")) {
        return new String(Character.toChars(Integer.parseInt(entity.substring(2), 16)));
      }
      if (entity.startsWith("#")) {
        return new String(Character.toChars(Integer.parseInt(entity.substring(1))));
      }
    } catch (IllegalArgumentException e) {
      return null;
    }
    return null;
  }

  static String challenge(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Jwt.base64Url(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String randomToken(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Jwt.base64Url(b);
  }

  /**
   * One browser: a cookie jar that, unlike {@link java.net.CookieManager}, also replays cookies
   * marked Secure over plain http (Keycloak sets them on a loopback http origin).
   */
  private final class Browser {
    private final Map<String, String> cookies = new LinkedHashMap<>();

    HttpResponse<String> send(HttpRequest.Builder builder) {
      if (!cookies.isEmpty()) {
        StringJoiner header = new StringJoiner("; ");
        cookies.forEach((k, v) -> header.add(k + "=" + v));
        builder.header("Cookie", header.toString());
      }
      builder.header("Accept", "text/html,application/xhtml+xml");
      HttpResponse<String> response = Http.send(http, builder.build());
      remember(response.headers().allValues("Set-Cookie"));
      return response;
    }

    private void remember(List<String> setCookies) {
      for (String setCookie : setCookies) {
        String first = setCookie.split(";", 2)[0];
        int eq = first.indexOf('=');
        if (eq <= 0) {
          continue;
        }
        String name = first.substring(0, eq).strip();
        String value = first.substring(eq + 1).strip();
        String lower = setCookie.toLowerCase(java.util.Locale.ROOT);
        boolean expired =
            value.isEmpty()
                || lower.contains("max-age=0")
                || lower.contains("expires=thu, 01-jan-1970")
                || lower.contains("expires=thu, 01 jan 1970");
        if (expired) {
          cookies.remove(name);
        } else {
          cookies.put(name, value);
        }
      }
    }
  }
}
