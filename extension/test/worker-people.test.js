// Presence look-ups of a tab's frames (src/background/people.js): gathered into one request to the
// server, split in batches of MAX_LOOKUP, each frame answered with its own addresses, known
// addresses never asked again. chrome.storage is a fake; the server is a recording function.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { fakeStorageArea } from "./fakes.js";

globalThis.chrome = { storage: { session: fakeStorageArea() }, tabs: { sendMessage: async () => undefined } };
const { lookUpFor } = await import("../src/background/people.js");
const { MAX_LOOKUP } = await import("../src/shared/messages.js");

/** A timer the test fires: lookUpFor's gathering window. */
function manualTimer() {
  const pending = [];
  return { setTimer: (fn) => pending.push(fn), fire: () => pending.splice(0).forEach((fn) => fn()), pending };
}

const requests = [];
async function server(emails) {
  requests.push(emails);
  return emails
    .filter((e) => !e.startsWith("nobody"))
    .map((email) => ({ email, userId: `id-${email}`, displayName: email.split("@")[0], presence: "online" }));
}

beforeEach(() => {
  chrome.storage.session.clear();
  requests.length = 0;
});

test("look-ups of a tab's frames within the window go to the server once, each frame gets its own", async () => {
  const timer = manualTimer();
  const top = lookUpFor(1, ["alice@x.example", "bob@x.example"], server, timer);
  const frame = lookUpFor(1, ["bob@x.example", "carol@x.example", "nobody@x.example"], server, timer);
  const otherTab = lookUpFor(2, ["dave@x.example"], server, timer);
  assert.equal(timer.pending.length, 2, "one window per tab");
  timer.fire();
  const [a, b, c] = await Promise.all([top, frame, otherTab]);
  assert.deepEqual(requests, [
    ["alice@x.example", "bob@x.example", "carol@x.example", "nobody@x.example"],
    ["dave@x.example"],
  ]);
  assert.deepEqual(Object.keys(a.people), ["alice@x.example", "bob@x.example"]);
  assert.deepEqual(a.watch.toSorted(), ["id-alice@x.example", "id-bob@x.example"]);
  assert.deepEqual(b.people["nobody@x.example"], { presence: "unknown", name: undefined });
  assert.deepEqual(b.people["carol@x.example"], { presence: "online", name: "carol" });
  assert.deepEqual(b.watch.toSorted(), ["id-bob@x.example", "id-carol@x.example"]);
  assert.deepEqual(Object.keys(c.people), ["dave@x.example"]);
  // Asked again later (another frame loading): answered from what the worker knows.
  const again = lookUpFor(3, ["alice@x.example", "nobody@x.example"], server, timer);
  timer.fire();
  assert.equal((await again).people["alice@x.example"].presence, "online");
  assert.equal(requests.length, 2, "nothing asked twice");
});

test("more addresses than one request may carry go in batches of MAX_LOOKUP", async () => {
  const timer = manualTimer();
  const many = (from, n) => Array.from({ length: n }, (_, i) => `p${from + i}@x.example`);
  const first = lookUpFor(5, many(0, MAX_LOOKUP), server, timer);
  const second = lookUpFor(5, many(MAX_LOOKUP - 10, 60), server, timer);
  timer.fire();
  await Promise.all([first, second]);
  assert.deepEqual(
    requests.map((r) => r.length),
    [MAX_LOOKUP, 50],
  );
});

test("a failing server fails every frame's look-up of that window", async () => {
  const timer = manualTimer();
  const failing = async () => {
    throw new Error("server down");
  };
  const a = lookUpFor(6, ["a@x.example"], failing, timer);
  const b = lookUpFor(6, ["b@x.example"], failing, timer);
  timer.fire();
  await assert.rejects(a, /server down/);
  await assert.rejects(b, /server down/);
});
