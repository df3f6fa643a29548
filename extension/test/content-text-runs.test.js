// Runs of text over inline elements (src/content/text-runs.js): which text nodes read as one line,
// and where a match in their joined text lies in them. The DOM is a small fake tree of plain
// objects (nodeType, parentNode, siblings, localName) built by `html` below.
import assert from "node:assert/strict";
import { test } from "node:test";
import { findContacts } from "../src/content/detection.js";
import { INLINE_TAGS, MAX_RUN_NODES, joinRun, locate, runAround } from "../src/content/text-runs.js";

const HTML_NS = "http://www.w3.org/1999/xhtml";

/** A fake element: el('span', {attrs}, ...children); strings are text nodes. */
function el(localName, attrs, ...children) {
  const node = { nodeType: 1, localName, namespaceURI: HTML_NS, attrs: attrs ?? {}, shadowRoot: null };
  node.getAttribute = (name) => node.attrs[name] ?? null;
  append(node, children);
  return node;
}
function text(data) {
  return { nodeType: 3, data };
}
function append(parent, children) {
  const nodes = children.map((c) => (typeof c === "string" ? text(c) : c));
  nodes.forEach((n, i) => {
    n.parentNode = parent;
    n.previousSibling = nodes[i - 1] ?? null;
    n.nextSibling = nodes[i + 1] ?? null;
  });
  parent.firstChild = nodes[0] ?? null;
  parent.lastChild = nodes.at(-1) ?? null;
}
/** All text nodes under `node`, in order. */
function texts(node) {
  if (node.nodeType === 3) return [node];
  const out = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(...texts(c));
  return out;
}

const OPTIONS = {
  isSkipped: (e) => e.localName === "input" || e.getAttribute("contenteditable") === "true",
  isIcon: (e) => e.localName === "vclick-icon",
};
const read = (nodes) => nodes.map((n) => n.data).join("");

test("a number split over spans, with the space between them, is one run", () => {
  const li = el("li", null, "Erin: ", el("span", null, "+44"), " ", el("span", null, "20 7946 0005"));
  const [label, cc, space, number] = texts(li);
  for (const start of [label, cc, space, number]) {
    const { nodes } = runAround(start, OPTIONS);
    assert.deepEqual(nodes, [label, cc, space, number]);
  }
  const { text: joined, starts } = joinRun([label, cc, space, number].map((n) => n.data));
  const [match] = findContacts(joined, "GB");
  assert.equal(match.e164, "+442079460005");
  assert.deepEqual(locate(starts, [6, 3, 1, 12], match.start, match.end), {
    first: 1,
    startOffset: 0,
    last: 3,
    endOffset: 12,
  });
});

test("<wbr> and nested inline elements join; comments are passed over", () => {
  const wbr = () => el("wbr", null);
  const p = el("p", null, el("b", null, el("i", null, "eve")), "@", wbr(), "acme-bank", wbr(), ".example");
  const { nodes } = runAround(texts(p)[0], OPTIONS);
  assert.equal(read(nodes), "eve@acme-bank.example");
  const comment = { nodeType: 8, data: "x" };
  const q = el("p", null, "+44 20 ", comment, "7946 0001");
  assert.equal(read(runAround(texts(q)[0], OPTIONS).nodes), "+44 20 7946 0001");
});

test("blocks, links, skipped elements, line breaks and shadow hosts end a run", () => {
  for (const breaker of [
    el("div", null, "x"),
    el("a", { href: "#" }, "x"),
    el("br", null),
    el("input", null),
    el("span", { contenteditable: "true" }, "x"),
    Object.assign(el("span", null, "x"), { shadowRoot: {} }),
    Object.assign(el("span", null, "x"), { namespaceURI: "http://www.w3.org/2000/svg" }),
  ]) {
    const p = el("p", null, "020 7946", breaker, "0001");
    const [first] = texts(p);
    assert.deepEqual(runAround(first, OPTIONS).nodes, [first], breaker.localName);
  }
  // The run stops at its block: text in the block before it is not joined.
  const td = el("td", null, el("span", null, "a"));
  const row = el("tr", null, el("td", null, "+44 20"), td);
  assert.deepEqual(
    runAround(texts(td)[0], OPTIONS).nodes.map((n) => n.data),
    ["a"],
  );
  assert.ok(row);
});

test("our icons inside and right after a run are reported and skipped, not read", () => {
  const icon = el("vclick-icon", null);
  const tail = el("vclick-icon", null);
  const p = el("p", null, el("span", null, "+44"), " ", el("span", null, "20 7946 0005", icon), " and", tail);
  const { nodes, icons } = runAround(texts(p)[0], OPTIONS);
  assert.equal(read(nodes), "+44 20 7946 0005 and");
  assert.deepEqual(icons, [icon, tail]);
});

test("a run holds at most 2 × MAX_RUN_NODES text nodes", () => {
  const spans = Array.from({ length: 5 * MAX_RUN_NODES }, (_, i) => el("span", null, String(i % 10)));
  const p = el("p", null, ...spans);
  const middle = texts(p)[2 * MAX_RUN_NODES];
  assert.ok(runAround(middle, OPTIONS).nodes.length <= 2 * MAX_RUN_NODES);
});

test("joinRun: tabs and line breaks read as spaces, offsets unchanged; locate skips empty nodes", () => {
  const { text: joined, starts, length } = joinRun(["020 7946\n", "   ", "", "0002"]);
  assert.equal(joined, "020 7946    0002");
  assert.deepEqual(starts, [0, 9, 12, 12]);
  assert.equal(length, 16);
  const [match] = findContacts(joined, "GB");
  assert.equal(match.e164, "+442079460002");
  assert.deepEqual(locate(starts, [9, 3, 0, 4], match.start, match.end), {
    first: 0,
    startOffset: 0,
    last: 3,
    endOffset: 4,
  });
  // A match ending where the next (empty) node starts ends in the node before.
  assert.deepEqual(locate([0, 3, 3], [3, 0, 2], 0, 3), { first: 0, startOffset: 0, last: 0, endOffset: 3 });
  assert.ok(INLINE_TAGS.has("wbr") && !INLINE_TAGS.has("a") && !INLINE_TAGS.has("code"));
});
