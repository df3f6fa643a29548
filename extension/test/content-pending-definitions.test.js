// Custom elements met before their definition (src/content/pending-definitions.js): the page world
// is asked once per tag, and the elements are handed over once they are defined, whatever else
// the page sends.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AWAIT_EVENT,
  DEFINED_EVENT,
  PendingDefinitions,
  SHADOW_ATTACHED_EVENT,
} from "../src/content/pending-definitions.js";

function fakeDoc() {
  const listeners = new Map();
  const sent = [];
  return {
    sent,
    addEventListener: (type, fn) => listeners.set(type, fn),
    removeEventListener: (type) => listeners.delete(type),
    dispatchEvent: (event) => sent.push([event.type, event.detail]),
    fire: (type, detail) => listeners.get(type)?.({ type, detail }),
    fireAt: (type, path) => listeners.get(type)?.({ type, composedPath: () => path }),
  };
}

function element(localName, { defined = false, shadowRoot = null, isConnected = true } = {}) {
  const e = { localName, defined, shadowRoot, isConnected };
  e.matches = (selector) => (selector === ":defined" ? e.defined : !e.defined);
  return e;
}

test("the page world is asked once per tag; defined elements are handed over, the rest wait", () => {
  const doc = fakeDoc();
  const handed = [];
  const pending = new PendingDefinitions(doc, (e) => handed.push(e));
  const a = element("late-card");
  const b = element("late-card");
  const other = element("x-thing");
  pending.watch(a);
  pending.watch(b);
  pending.watch(other);
  pending.watch(element("done-card", { defined: true }));
  pending.watch(element("has-root", { shadowRoot: {} }));
  assert.deepEqual(doc.sent, [
    [AWAIT_EVENT, "late-card"],
    [AWAIT_EVENT, "x-thing"],
  ]);
  // A forged or early event: nothing defined yet, nothing handed over, still waiting.
  doc.fire(DEFINED_EVENT, "late-card");
  assert.deepEqual(handed, []);
  a.defined = true;
  b.defined = true;
  b.isConnected = false; // left the page meanwhile
  doc.fire(DEFINED_EVENT, "late-card");
  assert.deepEqual(handed, [a]);
  doc.fire(DEFINED_EVENT, { not: "a tag" });
  doc.fire(DEFINED_EVENT, "late-card"); // already handed over
  assert.deepEqual(handed, [a]);
  pending.stop();
  other.defined = true;
  doc.fire(DEFINED_EVENT, "x-thing");
  assert.deepEqual(handed, [a], "stopped: nothing more");
});

test("an element in the page that got an open shadow root is handed over; forged or stale ones are not", () => {
  const doc = fakeDoc();
  const handed = [];
  const pending = new PendingDefinitions(doc, (e) => handed.push(e));
  const host = { nodeType: 1, shadowRoot: {}, isConnected: true };
  const outer = { nodeType: 1, shadowRoot: {}, isConnected: true };
  // The event's first target is the host itself, even inside another component's shadow root.
  doc.fireAt(SHADOW_ATTACHED_EVENT, [host, {}, outer, doc]);
  assert.deepEqual(handed, [host]);
  doc.fireAt(SHADOW_ATTACHED_EVENT, [{ nodeType: 1, shadowRoot: null, isConnected: true }]); // closed or none
  doc.fireAt(SHADOW_ATTACHED_EVENT, [{ nodeType: 1, shadowRoot: {}, isConnected: false }]); // left the page
  doc.fireAt(SHADOW_ATTACHED_EVENT, [{ nodeType: 3 }]); // not an element
  doc.fireAt(SHADOW_ATTACHED_EVENT, []);
  assert.deepEqual(handed, [host]);
  pending.stop();
  doc.fireAt(SHADOW_ATTACHED_EVENT, [host]);
  assert.deepEqual(handed, [host], "stopped: nothing more");
});
