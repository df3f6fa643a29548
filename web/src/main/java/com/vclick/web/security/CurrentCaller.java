package com.vclick.web.security;

import com.vclick.core.identity.Caller;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonString;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The {@link Caller} of the current request, built from its validated access token on first use
 * (after {@link AuthenticationRequiredFilter} has refused requests without one).
 */
@RequestScoped
public class CurrentCaller {

  @Inject JsonWebToken token;

  private Caller caller;

  public Caller get() {
    if (caller == null) {
      caller = fromToken();
    }
    return caller;
  }

  private Caller fromToken() {
    if (token == null || token.getSubject() == null) {
      throw new IllegalStateException("no authenticated caller on this request");
    }
    // A user without roles has no groups claim at all.
    Set<String> roles = token.getGroups() == null ? Set.of() : token.getGroups();
    return Caller.fromClaims(token.getSubject(), this::claim, roles);
  }

  private String claim(String name) {
    Object value = token.getClaim(name);
    if (value == null) {
      return "";
    }
    return value instanceof JsonString text ? text.getString() : value.toString();
  }
}
