// The Secure Edge decision for this frame as the wrapper knows it: none yet (fail closed), or the
// one the bridge delivered. Waiting has a deadline: no decision in time counts as "unavailable",
// which blocks like deny (never a silent unrestricted connection). The bridge's message arrives
// in this realm as a structured clone whose missing members a page could supply through
// Object.prototype (a `turn` on an unavailable decision, a `candidateFilter`): it is read by own
// properties only into a frozen null-prototype copy, which also has no `then` to be found when a
// promise resolves with it.
import { natives, indexIn, list, own, record, resolved } from "./natives.js";

const DECISION_TIMEOUT_MS = 15_000;
const KINDS = ["deny", "relay", "allow", "record", "unavailable"];

/** What the wrapper does when there is no decision at all (no bridge, no answer in time). */
export const UNAVAILABLE = natives.freeze(
  record({
    decision: "unavailable",
    reason: "Vclick could not get the policy for this page.",
    decisionId: null,
    settings: natives.freeze(record()),
    turn: null,
  }),
);

/** `request()` asks the bridge for the decision; called once, when the page first needs it. */
export function createPolicyState(request) {
  let current = null;
  let requested = false;
  let waiters = list();
  let timer = null;
  const settle = (decision) => {
    if (current) return;
    current = decision;
    const waiting = waiters;
    waiters = list();
    for (let i = 0; i < waiting.length; i++) waiting[i](decision);
  };
  return natives.freeze({
    /** The decision, or null while it is on its way. */
    get current() {
      return current;
    },
    /** Resolves with the decision (UNAVAILABLE after the deadline). */
    whenDecided() {
      if (current) return resolved(current);
      if (!requested) {
        requested = true;
        request();
      }
      if (timer === null) timer = natives.setTimeout(() => settle(UNAVAILABLE), DECISION_TIMEOUT_MS);
      return new natives.Promise((resolve) => {
        waiters[waiters.length] = resolve;
      });
    },
    /** The bridge's answer; only the first one counts. */
    decide(decision) {
      settle(decision);
    },
  });
}

/** The TURN part of a decision: username, credential and URIs (strings), or null. */
function readTurn(given) {
  const username = own(given, "username");
  const credential = own(given, "credential");
  const uris = own(given, "uris");
  if (typeof username !== "string" || typeof credential !== "string" || !natives.isArray(uris)) return null;
  const copy = list();
  for (let i = 0; i < uris.length; i++) {
    const uri = own(uris, i);
    if (typeof uri !== "string") return null;
    copy[i] = uri;
  }
  return natives.freeze(record({ username, credential, uris: natives.freeze(copy) }));
}

/** The decision's settings: own members whose values are primitives or lists of strings. */
function readSettings(given) {
  const copy = record();
  if (!given || typeof given !== "object") return natives.freeze(copy);
  const keys = natives.ownKeys(given);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (typeof key !== "string") continue;
    const value = own(given, key);
    if (value === null || typeof value !== "object") copy[key] = value;
    else if (natives.isArray(value)) {
      const items = list();
      for (let j = 0; j < value.length; j++) {
        const item = own(value, j);
        if (typeof item === "string") items[items.length] = item;
      }
      copy[key] = natives.freeze(items);
    }
  }
  return natives.freeze(copy);
}

/** A page-safe copy of a decision message from the bridge, or UNAVAILABLE when it is malformed. */
export function readDecision(message) {
  if (!message || typeof message !== "object" || own(message, "type") !== "decision") return null;
  const d = own(message, "decision");
  if (!d || typeof d !== "object") return UNAVAILABLE;
  const kind = own(d, "decision");
  if (indexIn(KINDS, kind) < 0) return UNAVAILABLE;
  const decisionId = own(d, "decisionId");
  const reason = own(d, "reason");
  return natives.freeze(
    record({
      decision: kind,
      decisionId: typeof decisionId === "string" ? decisionId : null,
      reason: typeof reason === "string" ? reason : null,
      settings: readSettings(own(d, "settings")),
      turn: readTurn(own(d, "turn")),
    }),
  );
}
