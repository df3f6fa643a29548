package com.vclick.core.turn;

import com.vclick.core.audit.AuditTrail;
import com.vclick.core.config.TurnConfig;
import com.vclick.core.identity.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * Issues relay credentials to identified users and records each issue in the audit trail, so that
 * every relayed flow is attributable to a person.
 */
@ApplicationScoped
public class TurnService {

  @Inject TurnConfig config;
  @Inject Clock clock;
  @Inject AuditTrail audit;

  private volatile TurnCredentialMinter minter;

  /**
   * Mints credentials bound to the caller.
   *
   * @throws RelayUnavailableException when no TURN secret is configured
   */
  public TurnCredentials issueTo(Caller caller) {
    TurnCredentials credentials = minter().mint(caller.subject());
    audit.append(
        caller.username(),
        "turn.credentials.issued",
        credentials.username(),
        "ttl=" + credentials.ttlSeconds());
    return credentials;
  }

  /**
   * Mints credentials bound to a user and a page origin, {@code <expiry>:<userId>:<originTag>},
   * without an audit entry: Secure Edge records each issue with its decision ({@code
   * edge_decision}), which keeps a decision to one insert and off the audit chain's lock.
   *
   * @throws RelayUnavailableException when no TURN secret is configured
   */
  public TurnCredentials mintForOrigin(String userId, String originTag) {
    return minter().mint(userId, originTag);
  }

  private TurnCredentialMinter minter() {
    TurnCredentialMinter current = minter;
    if (current == null) {
      if (!config.hasSecret()) {
        throw new RelayUnavailableException();
      }
      current = new TurnCredentialMinter(config, clock);
      minter = current;
    }
    return current;
  }
}
