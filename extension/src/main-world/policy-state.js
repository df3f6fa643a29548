// The Secure Edge decision for this frame as the wrapper knows it: none yet (fail closed), or the
// one the bridge delivered. Waiting has a deadline: no decision in time counts as "unavailable",
// which blocks like deny (never a silent unrestricted connection).
import { natives } from "./natives.js";

const DECISION_TIMEOUT_MS = 15_000;

/** What the wrapper does when there is no decision at all (no bridge, no answer in time). */
export const UNAVAILABLE = Object.freeze({
  decision: "unavailable",
  reason: "Vclick could not get the policy for this page.",
  settings: {},
  turn: null,
});

/** `request()` asks the bridge for the decision; called once, when the page first needs it. */
export function createPolicyState(request) {
  let current = null;
  let requested = false;
  let waiters = [];
  let timer = null;
  const settle = (decision) => {
    if (current) return;
    current = decision;
    for (const resolve of waiters) resolve(decision);
    waiters = [];
  };
  return {
    /** The decision, or null while it is on its way. */
    get current() {
      return current;
    },
    /** Resolves with the decision (UNAVAILABLE after the deadline). */
    whenDecided() {
      if (current) return natives.Promise.resolve(current);
      if (!requested) {
        requested = true;
        request();
      }
      if (timer === null) timer = natives.setTimeout(() => settle(UNAVAILABLE), DECISION_TIMEOUT_MS);
      return new natives.Promise((resolve) => waiters.push(resolve));
    },
    /** The bridge's answer; only the first one counts. */
    decide(decision) {
      settle(decision);
    },
  };
}

/** A page-safe copy of a decision message from the bridge, or UNAVAILABLE when it is malformed. */
export function readDecision(message) {
  if (!message || typeof message !== "object" || message.type !== "decision") return null;
  const d = message.decision;
  if (!d || typeof d !== "object") return UNAVAILABLE;
  if (!["deny", "relay", "allow", "record", "unavailable"].includes(d.decision)) return UNAVAILABLE;
  const turn =
    d.turn &&
    typeof d.turn.username === "string" &&
    typeof d.turn.credential === "string" &&
    Array.isArray(d.turn.uris) &&
    d.turn.uris.every((u) => typeof u === "string")
      ? { username: d.turn.username, credential: d.turn.credential, uris: [...d.turn.uris] }
      : null;
  return Object.freeze({
    decision: d.decision,
    decisionId: typeof d.decisionId === "string" ? d.decisionId : null,
    reason: typeof d.reason === "string" ? d.reason : null,
    settings: d.settings && typeof d.settings === "object" ? { ...d.settings } : {},
    turn,
  });
}
