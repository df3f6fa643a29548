// ViewportGate and its helpers (src/content/viewport-gate.js): which insertions are held back,
// which come out when an element nears the viewport, and what is forgotten; with fake
// IntersectionObservers that report what the test says.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  LAZY_ABOVE,
  ViewportGate,
  insertionMode,
  observerOptions,
  watchedElement,
} from "../src/content/viewport-gate.js";

/** A fake element: what the gate and watchedElement read. */
function element(localName, parentElement = null) {
  return { localName, parentElement, isConnected: true };
}

const BOX = { width: 100, height: 20 };
const NO_BOX = { width: 0, height: 0 };

/** A gate whose observers are fakes (observers[0]: AHEAD, [1]: NEAR, in creation order). */
function harness({ contentShows = () => false } = {}) {
  const observers = [];
  class Observer {
    constructor(callback, options) {
      this.callback = callback;
      this.options = options;
      this.targets = new Set();
      observers.push(this);
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
    /** Reports [target, isIntersecting, rect?] entries. */
    report(...entries) {
      this.callback(
        entries.map(([target, isIntersecting, rect = BOX]) => ({
          target,
          isIntersecting,
          boundingClientRect: rect,
        })),
      );
    }
  }
  Observer.prototype.scrollMargin = "0px";
  const timers = [];
  const asked = [];
  let ready = 0;
  const doc = { defaultView: { innerHeight: 700, innerWidth: 1000 } };
  const gate = new ViewportGate({
    doc,
    Observer,
    onReady: () => ready++,
    contentShows: (el) => {
      asked.push(el);
      return contentShows(el);
    },
    setTimer: (fn) => timers.push(fn),
    clearTimer: () => {},
  });
  const [ahead, near] = observers;
  return { gate, ahead, near, timers, asked, readyCalls: () => ready };
}

/** A table row with a cell, and a text node in it (what the scanner holds an insertion for). */
function row() {
  const tr = element("tr", element("tbody"));
  const td = element("td", tr);
  return { tr, td, text: { parentElement: td } };
}

describe("insertionMode", () => {
  test("undecided while walking below the threshold, eager once done, lazy above it", () => {
    assert.equal(insertionMode({ found: 10, held: 0, walking: true }), "undecided");
    assert.equal(insertionMode({ found: LAZY_ABOVE, held: 0, walking: false }), "eager");
    assert.equal(insertionMode({ found: LAZY_ABOVE + 1, held: 0, walking: true }), "lazy");
    assert.equal(insertionMode({ found: LAZY_ABOVE + 1, held: 0, walking: false }), "lazy");
  });

  test("lazy while insertions are held back, and a lazy scan stays lazy", () => {
    assert.equal(insertionMode({ found: 1, held: 1, walking: false }), "lazy");
    assert.equal(insertionMode({ found: 1, held: 0, walking: false, lazy: true }), "lazy");
  });

  test("the threshold can be given", () => {
    assert.equal(insertionMode({ found: 11, held: 0, walking: false }, 10), "lazy");
    assert.equal(insertionMode({ found: 10, held: 0, walking: false }, 10), "eager");
  });
});

describe("watchedElement", () => {
  test("a table cell's contents are watched by their row", () => {
    const { tr, td } = row();
    const link = element("a", td);
    const span = element("span", link);
    assert.equal(watchedElement(td), tr);
    assert.equal(watchedElement(link), tr);
    assert.equal(watchedElement(span), tr);
  });

  test("anything else, and deeper or stray cells, by itself", () => {
    const { td } = row();
    const deep = element("b", element("i", element("span", element("div", td))));
    assert.equal(watchedElement(deep), deep);
    const p = element("p", element("div", element("body")));
    assert.equal(watchedElement(p), p);
    const strayCell = element("td", element("div"));
    const inStray = element("span", strayCell);
    assert.equal(watchedElement(inStray), inStray);
    // A cell of a table nested in another table's cell: its own row, never the outer one.
    const inner = row();
    const outerTd = element("td", element("tr"));
    inner.tr.parentElement = element("table", outerTd);
    assert.equal(watchedElement(inner.td), inner.tr);
    const caption = element("span", element("caption", element("table", outerTd)));
    assert.equal(watchedElement(caption), caption);
  });
});

describe("observerOptions", () => {
  const doc = { defaultView: { innerHeight: 800, innerWidth: 1200 } };

  test("margins in pixels of the viewport's size, on scrollMargin", () => {
    assert.deepEqual(observerOptions(doc, { heights: 2, widths: 0.5 }), {
      root: doc,
      scrollMargin: "1600px 600px",
    });
  });

  test("rootMargin where scrollMargin is not supported; a tiny frame counts as 800×600", () => {
    const small = { defaultView: { innerHeight: 100, innerWidth: 0 } };
    assert.deepEqual(observerOptions(small, { heights: 1, widths: 1 }, false), {
      root: small,
      rootMargin: "600px 800px",
    });
  });
});

describe("ViewportGate", () => {
  test("watches each element once with both observers; a newer insertion for a node replaces the older", () => {
    const { gate, ahead, near } = harness();
    const a = row();
    const b = { parentElement: a.td };
    gate.hold(a.tr, a.text, "a1");
    gate.hold(a.tr, b, "b1");
    gate.hold(a.tr, a.text, "a2");
    assert.equal(gate.size, 2);
    assert.deepEqual([...near.targets], [a.tr]);
    assert.deepEqual([...ahead.targets], [a.tr]);
    assert.deepEqual(near.options, {
      root: { defaultView: { innerHeight: 700, innerWidth: 1000 } },
      scrollMargin: "1400px 500px",
    });
    near.report([a.tr, true]);
    assert.deepEqual(gate.takeReady(), ["a2", "b1"]);
  });

  test("an element entering NEAR releases its insertions and those of every element in AHEAD", () => {
    const { gate, ahead, near, readyCalls } = harness();
    const [a, b, c] = [row(), row(), row()];
    gate.hold(a.tr, a.text, "a");
    gate.hold(b.tr, b.text, "b");
    gate.hold(c.tr, c.text, "c");
    ahead.report([a.tr, true], [b.tr, true], [c.tr, false]);
    near.report([a.tr, false], [b.tr, false], [c.tr, false]);
    assert.equal(readyCalls(), 0, "nothing near yet");
    assert.equal(gate.hasReady, false);
    near.report([a.tr, true]);
    assert.equal(readyCalls(), 1);
    assert.deepEqual(gate.takeReady(), ["a", "b"]);
    assert.equal(gate.size, 1);
    assert.deepEqual([...near.targets], [c.tr], "released elements are not watched any more");
    assert.deepEqual([...ahead.targets], [c.tr]);
    // Leaving AHEAD: not taken along any more.
    ahead.report([c.tr, true]);
    ahead.report([c.tr, false]);
    const d = row();
    gate.hold(d.tr, d.text, "d");
    near.report([d.tr, true]);
    assert.deepEqual(gate.takeReady(), ["d"]);
    assert.equal(gate.size, 1);
  });

  test("a late report for an element already released releases nothing", () => {
    const { gate, near, readyCalls } = harness();
    const a = row();
    gate.hold(a.tr, a.text, "a");
    near.report([a.tr, true]);
    gate.takeReady();
    near.report([a.tr, true]);
    assert.equal(readyCalls(), 1);
    assert.equal(gate.hasReady, false);
  });

  test("what AHEAD reports after NEAR in the same frame comes along too", () => {
    const { gate, ahead, near } = harness();
    const [a, b] = [row(), row()];
    gate.hold(a.tr, a.text, "a");
    gate.hold(b.tr, b.text, "b");
    near.report([a.tr, true], [b.tr, false]);
    ahead.report([a.tr, true], [b.tr, true]);
    assert.equal(gate.hasReady, true);
    assert.deepEqual(gate.takeReady(), ["a", "b"]);
    assert.equal(gate.hasReady, false);
  });

  test("a node held again under another element is released with that one only", () => {
    const { gate, near } = harness();
    const [a, b] = [row(), row()];
    gate.hold(a.tr, a.text, "old");
    gate.hold(b.tr, a.text, "moved");
    assert.equal(gate.size, 1);
    near.report([a.tr, true]);
    assert.deepEqual(gate.takeReady(), []);
    near.report([b.tr, true]);
    assert.deepEqual(gate.takeReady(), ["moved"]);
  });

  test("an element that left the page is forgotten when reported, or pruned", () => {
    const { gate, ahead, near, timers } = harness();
    const [a, b] = [row(), row()];
    gate.hold(a.tr, a.text, "a");
    gate.hold(b.tr, b.text, "b");
    a.tr.isConnected = false;
    ahead.report([a.tr, false, NO_BOX]);
    assert.equal(gate.size, 1);
    assert.ok(!near.targets.has(a.tr));
    b.tr.isConnected = false;
    gate.pruneSoon();
    gate.pruneSoon();
    assert.equal(timers.length, 1, "one prune for a burst of removals");
    timers.shift()();
    assert.equal(gate.size, 0);
    assert.equal(near.targets.size, 0);
  });

  test("an element without a box of its own (display: contents) hands over to its parent", () => {
    const { gate, near, asked } = harness({ contentShows: () => true });
    const parent = element("div", element("body"));
    const contents = element("span", parent);
    const text = { parentElement: contents };
    gate.hold(contents, text, "t");
    near.report([contents, false, NO_BOX]);
    assert.deepEqual(asked, [contents]);
    assert.ok(near.targets.has(parent) && !near.targets.has(contents));
    near.report([parent, true]);
    assert.deepEqual(gate.takeReady(), ["t"]);
  });

  test("a hidden element (display: none) stays held until shown; it is looked at once", () => {
    const { gate, ahead, near, asked } = harness({ contentShows: () => false });
    const a = row();
    gate.hold(a.tr, a.text, "a");
    ahead.report([a.tr, false, NO_BOX]);
    near.report([a.tr, false, NO_BOX]);
    assert.deepEqual(asked, [a.tr]);
    assert.equal(gate.size, 1);
    near.report([a.tr, true]); // shown
    assert.deepEqual(gate.takeReady(), ["a"]);
  });

  test("takeReady takes at most what is asked; putBack returns the rest first", () => {
    const { gate, near } = harness();
    const rows = [row(), row(), row()];
    rows.forEach((r, i) => gate.hold(r.tr, r.text, i));
    near.report(...rows.map((r) => [r.tr, true]));
    assert.deepEqual(gate.takeReady(2), [0, 1]);
    gate.putBack([1]);
    assert.equal(gate.hasReady, true);
    assert.deepEqual(gate.takeReady(), [1, 2]);
    assert.equal(gate.hasReady, false);
  });

  test("clear forgets everything and stops watching", () => {
    const { gate, ahead, near } = harness();
    const [a, b] = [row(), row()];
    gate.hold(a.tr, a.text, "a");
    gate.hold(b.tr, b.text, "b");
    near.report([a.tr, true]);
    gate.clear();
    assert.equal(gate.size, 0);
    assert.equal(gate.hasReady, false);
    assert.equal(near.targets.size + ahead.targets.size, 0);
    // Usable again afterwards.
    gate.hold(b.tr, b.text, "b2");
    near.report([b.tr, true]);
    assert.deepEqual(gate.takeReady(), ["b2"]);
  });
});
