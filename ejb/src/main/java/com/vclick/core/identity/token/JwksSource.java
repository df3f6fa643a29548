package com.vclick.core.identity.token;

import java.security.interfaces.RSAPublicKey;
import java.util.Optional;

/** The realm's public signing keys, by key id. */
public interface JwksSource {

  /** The RSA signing key with this {@code kid}, from the key set held now; never fetches. */
  Optional<RSAPublicKey> key(String kid);

  /**
   * Reloads the key set, called when a token names a key we do not hold (Keycloak rotated its
   * keys). Anyone holding a token can trigger this, so implementations must rate-limit it and must
   * keep the previous key set when reloading fails; it never throws for a failed reload.
   */
  void refresh();
}
