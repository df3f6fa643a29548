package com.vclick.core.turn;

import com.vclick.core.config.TurnConfig;
import com.vclick.core.identity.Caller;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * Issues relay credentials to identified users, at most {@link MintRateLimit} per user, and counts
 * each issue for the audit trail ({@link TurnIssueAudit}), so that every relayed flow is
 * attributable to a person without a chained audit entry (and its lock) per credential.
 */
@ApplicationScoped
public class TurnService {

  @Inject TurnConfig config;
  @Inject MintRateLimit rateLimit;
  @Inject Clock clock;
  @Inject TurnIssueTally issues;

  private volatile TurnCredentialMinter minter;
  private MintRateLimiter limiter;

  @PostConstruct
  void start() {
    limiter = new MintRateLimiter(rateLimit, clock);
  }

  /**
   * Mints credentials bound to the caller.
   *
   * @throws RelayUnavailableException when no TURN secret is configured
   * @throws MintRateLimitedException when the caller asked too often
   */
  public TurnCredentials issueTo(Caller caller) {
    TurnCredentialMinter current = minter();
    checkRate(caller.subject());
    TurnCredentials credentials = current.mint(caller.subject());
    issues.issued(caller.username(), credentials);
    return credentials;
  }

  /**
   * Refuses a caller who asked for credentials or decisions faster than the limit allows; Secure
   * Edge decisions count against the same limit, whether they relay or not.
   *
   * @throws MintRateLimitedException when the caller asked too often
   */
  public void checkRate(String userId) {
    limiter
        .tryAcquire(userId)
        .ifPresent(
            wait -> {
              throw new MintRateLimitedException(wait);
            });
  }

  /**
   * Mints credentials bound to a user and a page origin, {@code <expiry>:<userId>:<originTag>},
   * without an audit entry: Secure Edge records each issue with its decision ({@code
   * edge_decision}), which keeps a decision to one insert and off the audit chain's lock. The
   * caller checks the rate ({@link #checkRate}) once per decision.
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
