package com.vclick.core.calls;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The persistent call log: every call from its first ring to its end. */
@Stateless
public class CallLog {

  @PersistenceContext(unitName = "vclick")
  EntityManager em;

  @Inject Clock clock;

  /**
   * Writes the call as it is now: inserts it the first time, updates it afterwards; a call that
   * grew beyond two parties also gets every party's row (join and leave times).
   */
  public void record(Call call) {
    CallLogEntry entry = em.find(CallLogEntry.class, call.id());
    if (entry == null) {
      em.persist(new CallLogEntry(call));
    } else {
      entry.update(call);
    }
    if (call.grown()) {
      recordParties(call);
    }
  }

  private void recordParties(Call call) {
    List<CallParty> parties = call.parties();
    for (int position = 0; position < parties.size(); position++) {
      CallParty party = parties.get(position);
      CallParticipantRow row =
          em.find(CallParticipantRow.class, new CallParticipantRow.Key(call.id(), position));
      if (row == null) {
        row = new CallParticipantRow(call.id(), position, party);
        em.persist(row);
      } else {
        row.update(party);
      }
      if (call.isOver()) {
        row.endedWithCall(call.endedAt(), call.endReason());
      }
    }
  }

  /** The parties of calls that grew beyond two, by call id, in invite order. */
  public Map<String, List<CallParticipant>> participants(Collection<String> callIds) {
    if (callIds.isEmpty()) {
      return Map.of();
    }
    Map<String, List<CallParticipant>> byCall = new HashMap<>();
    em.createQuery(
            "SELECT p FROM CallParticipantRow p WHERE p.callId IN :ids"
                + " ORDER BY p.callId, p.position",
            CallParticipantRow.class)
        .setParameter("ids", List.copyOf(callIds))
        .getResultList()
        .forEach(
            row ->
                byCall
                    .computeIfAbsent(row.callId(), id -> new ArrayList<>())
                    .add(row.participant()));
    return byCall;
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
    Instant now = clock.instant();
    open.forEach(entry -> entry.endedByRestart(now));
    em.createQuery(
            "SELECT p FROM CallParticipantRow p WHERE p.leftAt IS NULL", CallParticipantRow.class)
        .getResultList()
        .forEach(row -> row.endedWithCall(now, EndReason.SERVER_RESTART));
    return open.size();
  }

  public List<CallLogEntry> find(CallLogQuery query) {
    StringBuilder jpql = new StringBuilder("SELECT c FROM CallLogEntry c WHERE 1 = 1");
    if (query.userId() != null) {
      jpql.append(
          " AND (c.callerId = :user OR c.calleeId = :user OR c.callId IN"
              + " (SELECT p.callId FROM CallParticipantRow p WHERE p.userId = :user))");
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
