// The connection log's outbox: retried with backoff until the server has a batch, kept in session
// storage across a worker restart, bounded (samples go first), refused batches dropped.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fakeStorageArea } from "./fakes.js";
import {
  BATCH,
  FIRST_RETRY_MS,
  MAX_QUEUED,
  MAX_RETRY_MS,
  OUTBOX_KEY,
  createOutbox,
} from "../src/background/edge-outbox.js";

const quiet = { warn() {} };

/** Timers that fire only when the test says. */
function manualTimers() {
  const pending = [];
  return {
    pending,
    setTimer: (fn, ms) => {
      const timer = { fn, ms };
      pending.push(timer);
      return timer;
    },
    clearTimer: (timer) => pending.splice(pending.indexOf(timer), 1),
    /** Fires the next timer and waits for what it started; returns its delay. */
    async fire(outbox) {
      const timer = pending.shift();
      assert.ok(timer, "a timer is pending");
      timer.fn();
      await outbox.flush();
      return timer.ms;
    },
  };
}

const event = (n, kind = "created", connectionId = `c${n}`) => ({
  connectionId,
  pageId: "p",
  origin: "https://meet.example.com",
  event: kind,
  at: new Date().toISOString(),
  n,
});

function setUp(answers, storage = fakeStorageArea()) {
  const timers = manualTimers();
  const sent = [];
  const answered = [];
  const outbox = createOutbox({
    storage,
    send: async (events) => {
      sent.push(events);
      return answers.shift() ?? { ok: true, status: 200, json: { accepted: events.length } };
    },
    onAnswer: (json) => answered.push(json),
    setTimer: timers.setTimer,
    clearTimer: timers.clearTimer,
    log: quiet,
  });
  return { outbox, timers, sent, answered, storage };
}

test("a batch the server did not take is sent again, backing off, until it does", async () => {
  const down = { ok: false, status: 0, json: null };
  const { outbox, timers, sent, answered } = setUp([down, { ...down, status: 503 }, down]);
  await outbox.add(event(1));
  await outbox.add(event(2));

  const delays = [];
  for (let i = 0; i < 4; i++) delays.push(await timers.fire(outbox));

  assert.deepEqual(delays, [300, FIRST_RETRY_MS, 2 * FIRST_RETRY_MS, 4 * FIRST_RETRY_MS]);
  assert.equal(sent.length, 4);
  assert.deepEqual(
    sent.map((batch) => batch.map((e) => e.n)),
    [
      [1, 2],
      [1, 2],
      [1, 2],
      [1, 2],
    ],
  );
  assert.ok(!("seq" in sent[0][0]), "the outbox's own numbering stays home");
  assert.equal(answered.length, 1);
  assert.equal((await outbox.queued()).events.length, 0, "taken, so gone");
  assert.equal(timers.pending.length, 0, "nothing more to do");
});

test("the backoff stops growing at its ceiling", async () => {
  const down = { ok: false, status: 0, json: null };
  const { outbox, timers } = setUp(Array.from({ length: 12 }, () => down));
  await outbox.add(event(1));
  let last = 0;
  for (let i = 0; i < 12; i++) last = await timers.fire(outbox);
  assert.equal(last, MAX_RETRY_MS);
});

test("what a stopped worker queued is sent by the next one", async () => {
  const storage = fakeStorageArea();
  const first = setUp([{ ok: false, status: 0, json: null }], storage);
  await first.outbox.add(event(1));
  await first.timers.fire(first.outbox);
  assert.equal(storage.data[OUTBOX_KEY].events.length, 1, "kept in session storage");

  const restarted = setUp([], storage);
  await restarted.outbox.flush();

  assert.deepEqual(
    restarted.sent.map((batch) => batch.map((e) => e.n)),
    [[1]],
  );
  assert.equal(storage.data[OUTBOX_KEY].events.length, 0);
});

test("a refused batch is dropped, counted, and the rest still goes", async () => {
  const { outbox, sent } = setUp([{ ok: false, status: 400, json: null, detail: "events[0].at" }]);
  for (let i = 0; i < BATCH + 1; i++) await outbox.add(event(i));
  await outbox.flush();
  assert.equal(sent.length, 2, "the refused batch, then the last event");
  assert.equal(sent[1][0].n, BATCH);
  const box = await outbox.queued();
  assert.equal(box.events.length, 0);
  assert.equal(box.dropped, BATCH);
});

test("a sample replaces the queued sample of its connection", async () => {
  const { outbox } = setUp([]);
  await outbox.add(event(1, "sample", "a"));
  await outbox.add(event(2, "sample", "b"));
  await outbox.add(event(3, "sample", "a"));
  assert.deepEqual(
    (await outbox.queued()).events.map((e) => e.n),
    [2, 3],
  );
});

test("full, it drops samples first, then the oldest events, and counts them", async () => {
  const { outbox } = setUp([]);
  await outbox.add(event(0, "sample", "s0"));
  for (let i = 1; i < MAX_QUEUED; i++) await outbox.add(event(i));
  await outbox.add(event(MAX_QUEUED));
  let box = await outbox.queued();
  assert.equal(box.events.length, MAX_QUEUED);
  assert.equal(box.events[0].n, 1, "the sample went first");
  await outbox.add(event(MAX_QUEUED + 1));
  box = await outbox.queued();
  assert.equal(box.events[0].n, 2, "then the oldest");
  assert.equal(box.dropped, 2);
});
