package com.vclick.core.audit;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/**
 * At start-up, after the schema migration: seals the chain's start when a key is configured and the
 * chain was never sealed, so that verification with the key holds from the first request on; says
 * loudly when there is no key.
 */
@Singleton
@Startup
@DependsOn("Database")
public class AuditSealing {

  private static final Logger LOG = Logger.getLogger(AuditSealing.class.getName());

  @Inject AuditKey key;
  @Inject AuditTrail audit;

  @PostConstruct
  void sealIfNeeded() {
    if (!key.present()) {
      LOG.warning(
          "VCLICK_AUDIT_KEY is not set: the audit trail is hash-chained but not sealed, so someone"
              + " who can write the database can rewrite it undetected");
      return;
    }
    if (audit.startSealing()) {
      LOG.info("The audit trail is sealed with VCLICK_AUDIT_KEY from its next entry on");
    }
  }
}
