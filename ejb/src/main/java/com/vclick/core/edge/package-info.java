/**
 * Secure Edge policy: the rules administrators write and the evaluator that turns a user, a page
 * origin and an instant into an {@link com.vclick.core.edge.EdgeDecision}. Pure Java: no
 * persistence, no transport, no clock of its own (callers pass the instant) and never a DNS lookup
 * (origins and addresses are parsed as literals).
 *
 * <p>{@link com.vclick.core.edge.EdgePolicy#decide} walks the rules in order; the first enabled
 * {@link com.vclick.core.edge.EdgeRule} whose conditions all hold gives the outcome, otherwise the
 * policy's default applies. An origin that cannot be parsed is denied (fail closed). Every decision
 * carries sentences explaining which rules were skipped and why.
 *
 * <p>Around this pure core: {@code json} (the policy's JSON form, for the REST API and the
 * database), {@code store} (the stored, versioned, cached policy) and {@code decision} (decisions
 * as a service: groups, relay credentials, the decision log). {@code ArchitectureTest} keeps this
 * package free of them and of Jakarta.
 */
package com.vclick.core.edge;
