package com.vclick.testkit;

/** Keycloak did not let the user in (wrong password, locked out, disabled, bad client...). */
public class LoginRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public LoginRefusedException(String message) {
    super(message);
  }
}
