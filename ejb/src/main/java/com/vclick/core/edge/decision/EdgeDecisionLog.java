package com.vclick.core.edge.decision;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.util.List;
import java.util.Optional;

/** The recorded Secure Edge decisions: one insert per decision, read newest first. */
@Stateless
public class EdgeDecisionLog {

  @PersistenceContext(unitName = "vclick")
  EntityManager em;

  /** Inserts one decision, in the caller's transaction or a new one. */
  public void record(EdgeDecisionRecord record) {
    em.persist(record);
  }

  /** One decision by its id. */
  public Optional<EdgeDecisionRecord> byId(String decisionId) {
    return Optional.ofNullable(
        decisionId == null ? null : em.find(EdgeDecisionRecord.class, decisionId));
  }

  public List<EdgeDecisionRecord> find(EdgeDecisionQuery query) {
    StringBuilder jpql = new StringBuilder("SELECT d FROM EdgeDecisionRecord d WHERE 1 = 1");
    if (query.userId() != null) {
      jpql.append(" AND d.userId = :user");
    }
    if (query.before() != null) {
      jpql.append(" AND d.decidedAt < :before");
    }
    jpql.append(" ORDER BY d.decidedAt DESC, d.decisionId");
    TypedQuery<EdgeDecisionRecord> typed =
        em.createQuery(jpql.toString(), EdgeDecisionRecord.class);
    if (query.userId() != null) {
      typed.setParameter("user", query.userId());
    }
    if (query.before() != null) {
      typed.setParameter("before", query.before());
    }
    return typed.setMaxResults(query.limit()).getResultList();
  }
}
