package com.vclick.core.calls;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.time.Clock;
import java.util.List;

/** The persistent call log: every call from its first ring to its end. */
@Stateless
public class CallLog {

  @PersistenceContext(unitName = "vclick")
  EntityManager em;

  @Inject Clock clock;

  /** Writes the call as it is now: inserts it the first time, updates it afterwards. */
  public void record(Call call) {
    CallLogEntry entry = em.find(CallLogEntry.class, call.id());
    if (entry == null) {
      em.persist(new CallLogEntry(call));
    } else {
      entry.update(call);
    }
  }

  /**
   * Ends the calls a previous run left unfinished (it stopped or crashed mid-call).
   *
   * @return how many there were
   */
  public int closeUnfinished() {
    List<CallLogEntry> open =
        em.createQuery("SELECT c FROM CallLogEntry c WHERE c.endedAt IS NULL", CallLogEntry.class)
            .getResultList();
    open.forEach(entry -> entry.endedByRestart(clock.instant()));
    return open.size();
  }

  public List<CallLogEntry> find(CallLogQuery query) {
    StringBuilder jpql = new StringBuilder("SELECT c FROM CallLogEntry c WHERE 1 = 1");
    if (query.userId() != null) {
      jpql.append(" AND (c.callerId = :user OR c.calleeId = :user)");
    }
    if (query.before() != null) {
      jpql.append(" AND c.startedAt < :before");
    }
    jpql.append(" ORDER BY c.startedAt DESC, c.callId");
    TypedQuery<CallLogEntry> typed = em.createQuery(jpql.toString(), CallLogEntry.class);
    if (query.userId() != null) {
      typed.setParameter("user", query.userId());
    }
    if (query.before() != null) {
      typed.setParameter("before", query.before());
    }
    return typed.setMaxResults(query.limit()).getResultList();
  }
}
