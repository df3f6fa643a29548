package com.vclick.core.identity.token;

import com.vclick.core.identity.Caller;
import java.time.Instant;
import java.util.Objects;

/**
 * A token that passed every check.
 *
 * @param caller who the token identifies
 * @param expiresAt the token's {@code exp}; a long-lived connection authenticated by it must end
 *     then, since nothing re-checks it afterwards
 */
public record VerifiedToken(Caller caller, Instant expiresAt) {

  public VerifiedToken {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
