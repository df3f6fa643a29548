// IdleScanQueue (src/content/idle-queue.js) with a ViewportGate: small scans insert everything,
// big ones hold insertions back until the gate releases them. The scanner is the real one with its
// page-reading and page-writing parts replaced (a walk queues the edits a root lists; making an
// icon is counted); idle callbacks, timers and the clock are fakes run by the test.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { IdleScanQueue } from "../src/content/idle-queue.js";
import { Scanner } from "../src/content/scanner.js";
import { LAZY_ABOVE, ViewportGate } from "../src/content/viewport-gate.js";

class FakeScanner extends Scanner {
  constructor(clock) {
    super({}, { makeIcon() {}, keptIcon() {}, droppedIcon() {} });
    this.clock = clock;
    this.log = [];
  }
  scanRootFor(node) {
    return node;
  }
  /** Walking a root queues the edits it lists, and takes `walkMs` of the fake clock. */
  run(job) {
    for (const edit of job.root.edits) {
      this.edits.push(edit);
      if (edit.type === "run") {
        this.pendingIcons += edit.contacts.length;
        this.counters.found += edit.contacts.length;
      }
    }
    this.clock.now += job.root.walkMs ?? 0;
    this.log.push(`walk ${job.root.name}`);
    return true;
  }
  applyRun(edit) {
    this.counters.created += edit.contacts.length;
    this.clock.now += this.iconMs ?? 0;
    this.log.push("icon");
  }
}

class FakeObserver {
  static all = [];
  constructor(callback) {
    this.callback = callback;
    this.targets = new Set();
    FakeObserver.all.push(this);
  }
  observe(target) {
    this.targets.add(target);
  }
  unobserve(target) {
    this.targets.delete(target);
  }
  disconnect() {
    this.targets.clear();
  }
  report(targets, isIntersecting = true) {
    this.callback(
      targets.map((target) => ({ target, isIntersecting, boundingClientRect: { width: 1, height: 1 } })),
    );
  }
}

class FakeMutationObserver {
  static last = null;
  constructor(callback) {
    this.callback = callback;
    FakeMutationObserver.last = this;
  }
  observe() {}
  disconnect() {}
  /** The page changed an attribute of `targets`. */
  report(targets) {
    this.callback(targets.map((target) => ({ type: "attributes", target })));
  }
}

function harness({ withGate = true } = {}) {
  const clock = { now: 0 };
  const tasks = [];
  const idle = [];
  const view = {
    performance: { now: () => clock.now },
    document: { hidden: true }, // no frames: a batch is followed by a timer instead of a frame
    requestIdleCallback(fn) {
      // Idle time comes once no task is waiting, as in the browser.
      idle.push(() => fn({ didTimeout: false, timeRemaining: () => 12 }));
      return idle.length;
    },
    cancelIdleCallback() {},
    setTimeout(fn) {
      tasks.push(fn);
      return tasks.length;
    },
    clearTimeout() {},
    innerHeight: 700,
    innerWidth: 1000,
    MutationObserver: FakeMutationObserver,
  };
  const scanner = new FakeScanner(clock);
  const scans = [];
  FakeObserver.all = [];
  let queue;
  const gate = withGate
    ? new ViewportGate({
        doc: { defaultView: view },
        Observer: FakeObserver,
        onReady: () => queue.released(),
        contentShows: () => false,
      })
    : null;
  queue = new IdleScanQueue({
    scanner,
    view,
    gate,
    inSlice: (work) => work(),
    onScanDone: (scan) => scans.push(scan.detail),
  });
  const drain = () => {
    for (let n = 0; tasks.length > 0 || idle.length > 0; n++) {
      if (n > 100_000) throw new Error("the queue never settles");
      (tasks.length > 0 ? tasks : idle).shift()();
      clock.now += 1;
    }
  };
  const [ahead, near] = FakeObserver.all;
  return { queue, scanner, gate, near, ahead, scans, drain, tasks };
}

/** A root whose walk finds `count` contacts in `perRow` per table row; rows[i] are the rows. */
function page(name, count, { perRow = 2, walkMs = 0, extra = [] } = {}) {
  const rows = [];
  const edits = [];
  for (let i = 0; i < count; i++) {
    if (i % perRow === 0) rows.push({ localName: "tr", isConnected: true, parentElement: null });
    const td = { localName: "td", parentElement: rows.at(-1) };
    edits.push({ type: "run", nodes: [{ parentElement: td }], datas: ["x"], contacts: [{}] });
  }
  return { name, edits: [...edits, ...extra], rows, walkMs, contains: () => false };
}

describe("IdleScanQueue with a viewport gate", () => {
  test("a small page gets every icon, nothing is held back", () => {
    const { queue, scanner, gate, scans, drain } = harness();
    queue.add(page("page", LAZY_ABOVE), "initial");
    drain();
    assert.equal(scanner.counters.created, LAZY_ABOVE);
    assert.equal(gate.size, 0);
    assert.equal(scans.length, 1);
    assert.equal(scans[0].reason, "initial");
    assert.equal(scans[0].lazy, false);
    assert.equal(scans[0].created, LAZY_ABOVE);
  });

  test("nothing is inserted while the walk goes on below the threshold", () => {
    const { queue, scanner, drain } = harness();
    for (let i = 0; i < 4; i++) queue.add(page(`root ${i}`, 100, { walkMs: 13 }), "initial");
    drain();
    assert.equal(scanner.counters.created, 400);
    const firstIcon = scanner.log.indexOf("icon");
    assert.deepEqual(scanner.log.slice(0, firstIcon), [
      "walk root 0",
      "walk root 1",
      "walk root 2",
      "walk root 3",
    ]);
  });

  test("a big page: insertions are held back, other changes made; released ones go in later", () => {
    const { queue, scanner, gate, near, scans, drain } = harness();
    const removed = [];
    const copy = { remove: () => removed.push("copy") };
    const big = page("big", LAZY_ABOVE + 100, { extra: [{ type: "remove", element: copy }] });
    queue.add(big, "initial");
    drain();
    assert.equal(scanner.counters.created, 0);
    assert.equal(gate.size, LAZY_ABOVE + 100);
    assert.deepEqual(removed, ["copy"], "a copy of an icon goes at once");
    assert.equal(scans.length, 1);
    assert.equal(scans[0].lazy, true);
    assert.equal(scans[0].held, LAZY_ABOVE + 100);
    assert.equal(near.targets.size, big.rows.length);

    near.report(big.rows.slice(0, 10));
    drain();
    assert.equal(scanner.counters.created, 20);
    assert.equal(gate.size, LAZY_ABOVE + 80);
    assert.equal(scans.length, 2);
    assert.equal(scans[1].reason, "viewport");
    assert.equal(scans[1].created, 20);
  });

  test("a release goes in whole, in one slice and one frame, even when it takes longer than an apply slice", () => {
    const { queue, scanner, near, scans, drain } = harness();
    const big = page("big", LAZY_ABOVE + 100);
    queue.add(big, "initial");
    drain();
    scanner.iconMs = 0.2; // 400 icons: 80 ms, over the 30 ms of an apply slice, within a release's 150
    near.report(big.rows.slice(0, 200));
    drain();
    assert.equal(scanner.counters.created, 400);
    assert.equal(scans[1].reason, "viewport");
    assert.equal(scans[1].batches, 1, "one batch: one relayout of the page");
  });

  test("while insertions are held back, a small scan holds its own too; clear() forgets them", () => {
    const { queue, scanner, gate, near, drain } = harness();
    queue.add(page("big", LAZY_ABOVE + 1), "initial");
    drain();
    const added = page("added rows", 4);
    queue.add(added, "mutation");
    drain();
    assert.equal(scanner.counters.created, 0);
    assert.equal(gate.size, LAZY_ABOVE + 5);
    near.report(added.rows);
    drain();
    assert.equal(scanner.counters.created, 4);
    queue.clear();
    assert.equal(gate.size, 0);
    assert.equal(near.targets.size, 0);
  });

  test("without a gate every icon goes in, whatever the page's size", () => {
    const { queue, scanner, drain, scans } = harness({ withGate: false });
    queue.add(page("big", 3 * LAZY_ABOVE), "initial");
    drain();
    assert.equal(scanner.counters.created, 3 * LAZY_ABOVE);
    assert.equal(scans[0].held, 0);
  });

  test("a wide element's children are walked in chunks when either end of a chunk comes near", () => {
    const { queue, scanner, gate, near, drain } = harness();
    const container = { localName: "tbody" };
    const rows = Array.from({ length: 40 }, (_, i) => ({
      name: `row ${i}`,
      localName: "tr",
      parentElement: container,
      isConnected: true,
      contains: () => false,
      edits: [],
    }));
    rows.forEach((row, i) => (row.nextElementSibling = rows[i + 1] ?? null));
    queue.deferChildren(rows[0]);
    assert.equal(gate.insertionsHeld, 0, "walks are not insertions");
    assert.ok(near.targets.size <= 6, "watched on the chunks' ends only");
    const walked = () => scanner.log.splice(0).map((w) => Number(w.slice("walk row ".length)));
    // A filter hides a row of the last chunk: its rows are watched one by one from then on.
    FakeMutationObserver.last.report([rows[35]]);
    near.report([rows[16]]); // starts the third chunk, ends the second
    drain();
    const order = walked();
    assert.deepEqual(order.slice(0, 16), [16, 17, 18, 19, 20, 21, 22, 23, 8, 9, 10, 11, 12, 13, 14, 15]);
    // Then the rest in idle time, each row once.
    assert.deepEqual(
      order.toSorted((a, b) => a - b),
      rows.map((_, i) => i),
    );
    near.report([rows[24], rows[37]]);
    drain();
    assert.deepEqual(walked(), [], "nothing walked twice");
    queue.clear();
    assert.equal(gate.size, 0);
  });

  test("a chunk within the AHEAD margin is walked in idle time, its icons held until its rows are near", () => {
    const { queue, scanner, gate, near, ahead, drain } = harness();
    const container = { localName: "tbody" };
    const rows = Array.from({ length: 16 }, (_, i) => {
      const row = {
        name: `row ${i}`,
        localName: "tr",
        parentElement: container,
        isConnected: true,
        contains: () => false,
      };
      const td = { localName: "td", parentElement: row };
      row.edits = [{ type: "run", nodes: [{ parentElement: td }], datas: ["x"], contacts: [{}] }];
      return row;
    });
    rows.forEach((row, i) => (row.nextElementSibling = rows[i + 1] ?? null));
    queue.deferChildren(rows[0]);
    ahead.report([rows[8]]); // starts the second chunk, ends the first
    drain();
    assert.equal(scanner.log.length, 16, "both chunks walked");
    assert.equal(scanner.counters.created, 0, "nothing inserted yet");
    assert.equal(gate.insertionsHeld, 16);
    near.report([rows[3]]);
    drain();
    assert.ok(scanner.counters.created >= 1, "the row that came near gets its icons");
    assert.equal(scanner.log.filter((l) => l.startsWith("walk")).length, 16, "not walked again");
  });
});
