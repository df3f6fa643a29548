package com.vclick.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The offline parts of {@link KeycloakLogin}: HTML scraping and PKCE. */
class KeycloakLoginTest {

  private static final String LOGIN_PAGE =
      "<html><head><title>Sign in to Vclick</title></head><body>"
          + "<form id=\"kc-select-language\" method=\"get\" action=\"/nope\"></form>"
          + "<form id=\"kc-form-login\" class=\"pf-v5-c-form\" onsubmit=\"login.disabled = true;"
          + " return true;\" action=\"http://127.0.0.1:8180/realms/vclick/login-actions/"
          + "authenticate?session_code=abc&amp;execution=e-1&amp;client_id=vclick-web&amp;"
          + "tab_id=t&#x3d;1\" method=\"post\" novalidate=\"novalidate\">"
          + "<input name=\"username\"/></form></body></html>";

  private static final String REFUSED_PAGE =
      "<html><head><title>Sign in to Vclick</title></head><body>"
          + "<div class=\"pf-v5-c-helper-text__item pf-m-error\" id=\"input-error-username\">"
          + "<span class=\"pf-v5-c-helper-text__item-text pf-m-error kc-feedback-text\">\n"
          + "      Invalid username or password.\n   </span></div>"
          + "<form id=\"kc-form-login\" action=\"/x\" method=\"post\"></form></body></html>";

  @Test
  void findsTheLoginFormActionAndUnescapesIt() {
    assertEquals(
        "http://127.0.0.1:8180/realms/vclick/login-actions/authenticate?session_code=abc"
            + "&execution=e-1&client_id=vclick-web&tab_id=t=1",
        KeycloakLogin.loginFormAction(LOGIN_PAGE));
  }

  @Test
  void fallsBackToTheFirstPostForm() {
    assertEquals(
        "/post?a=1&b=2",
        KeycloakLogin.loginFormAction(
            "<form action=\"/get\" method=\"get\"></form>"
                + "<form method=\"post\" action=\"/post?a=1&amp;b=2\"></form>"));
  }

  @Test
  void noFormIsAClearError() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> KeycloakLogin.loginFormAction("<html><title>We are sorry...</title></html>"));
    assertTrue(e.getMessage().contains("We are sorry..."), e.getMessage());
  }

  @Test
  void extractsTheErrorShownToTheUser() {
    assertEquals("Invalid username or password.", KeycloakLogin.pageMessage(REFUSED_PAGE));
    assertEquals("page 'Sign in to Vclick'", KeycloakLogin.pageMessage(LOGIN_PAGE));
  }

  @Test
  void unescapesHtmlEntities() {
    assertEquals(
        "a&b<c>\"d' e=f", KeycloakLogin.htmlUnescape("a&amp;b&lt;c&gt;&quot;d&#39; e&#x3d;f"));
    assertEquals("&unknown; & x", KeycloakLogin.htmlUnescape("&unknown; & x"));
  }

  @Test
  void pkceChallengeIsBase64UrlSha256OfTheVerifier() {
    // Computed independently: base64url(sha256("dBjftJeZ4CVP-mJ92K9vl9wW9zs2pvHO_QoLjd1HWE0")).
    assertEquals(
        "bT8aNRL4f9gx8DLb1J-3c_QbdF4CQbemU2O-IyOO2Yw",
        KeycloakLogin.challenge("dBjftJeZ4CVP-mJ92K9vl9wW9zs2pvHO_QoLjd1HWE0"));
  }
}
