// Text that reads as one line although the page split it over several text nodes: a number or an
// address spread across inline elements (<span>+44</span> <span>20 7946 0002</span>, a <wbr> in a
// long address, a highlighted part in <b>). A "run" is the text nodes that follow each other in
// document order through inline elements only (phrasing elements without a box or a shadow root of
// their own), up to anything else: a block, a link (its icons follow the link), a skipped element
// (form fields, editable content, code), a line break. Our own icons inside a run are passed over.
//
// Which elements are inline is decided from the tag, never from computed styles (a style read per
// element would cost a layout on a big page): a <span> styled display:block still joins its
// neighbours, which at worst finds a number the page shows over two lines.
//
// The pure part (joining the texts, mapping a match in the joined text back to its nodes) has no
// DOM and is unit-tested in test/content-text-runs.test.js; runAround works on anything shaped like
// DOM nodes.

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const HTML_NS = "http://www.w3.org/1999/xhtml";

/** Phrasing elements whose text flows into their neighbours'. Links, code and fields are not here. */
export const INLINE_TAGS = new Set([
  "abbr",
  "b",
  "bdi",
  "bdo",
  "big",
  "cite",
  "data",
  "del",
  "dfn",
  "em",
  "font",
  "i",
  "ins",
  "label",
  "mark",
  "nobr",
  "q",
  "s",
  "small",
  "span",
  "strong",
  "sub",
  "sup",
  "time",
  "tt",
  "u",
  "wbr",
]);

/** Most text nodes one run holds (longer ones are cut: a sentence of tiny spans is not a number). */
export const MAX_RUN_NODES = 48;

const FORWARD = { child: "firstChild", sibling: "nextSibling" };
const BACKWARD = { child: "lastChild", sibling: "previousSibling" };

/**
 * The text nodes of the run around `text`, in order, and our icons between them.
 *
 * @param {Text} text
 * @param {object} options
 * @param {(element: Element) => boolean} options.isSkipped isSkippedElement of scanner.js
 * @param {(element: Element) => boolean} options.isIcon whether an element is one of our icons
 * @returns {{nodes: Text[], icons: Element[]}}
 */
export function runAround(text, { isSkipped, isIcon }) {
  const flows = (el) =>
    el.namespaceURI === HTML_NS && INLINE_TAGS.has(el.localName) && !el.shadowRoot && !isSkipped(el);
  const before = [];
  for (let n = neighbour(text, BACKWARD, flows, isIcon); n && before.length < MAX_RUN_NODES; ) {
    before.push(n);
    n = neighbour(n, BACKWARD, flows, isIcon);
  }
  const nodes = before.reverse();
  nodes.push(text);
  const icons = [];
  const onIcon = (icon) => icons.push(icon);
  for (let n = neighbour(text, FORWARD, flows, isIcon, onIcon); n && nodes.length < 2 * MAX_RUN_NODES; ) {
    nodes.push(n);
    n = neighbour(n, FORWARD, flows, isIcon, onIcon);
  }
  // Icons before the first text (another run's) are not this run's; those inside and right after are.
  return { nodes, icons };
}

/**
 * The next text node in `way` from `node` through inline elements, or null at anything that ends
 * a run. Comments, empty inline elements (<wbr>) and our icons are passed over (icons reported to
 * `onIcon` when going forward).
 */
function neighbour(node, way, flows, isIcon, onIcon) {
  let n = node;
  for (let steps = 0; steps < 4 * MAX_RUN_NODES; steps++) {
    let next = n[way.sibling];
    while (!next) {
      const parent = n.parentNode;
      if (!parent || parent.nodeType !== ELEMENT_NODE || !flows(parent)) return null;
      n = parent;
      next = n[way.sibling];
    }
    n = next;
    for (;;) {
      if (n.nodeType === TEXT_NODE) return n;
      if (n.nodeType !== ELEMENT_NODE) break; // a comment or processing instruction
      if (isIcon(n)) {
        onIcon?.(n);
        break;
      }
      if (!flows(n)) return null;
      const child = n[way.child];
      if (!child) break; // <wbr>, an empty <span>
      n = child;
    }
  }
  return null;
}

// Characters that break a number in the matcher but read as a space on screen (HTML source
// wrapped over lines: "020 7946\n      0002").
const LINE_SPACE = /[\t\n\r\f]/g;

/**
 * The run's text as searched (one string; tabs and line breaks read as spaces, so that every
 * offset stays the one in the nodes) and where each node starts in it.
 *
 * @param {string[]} datas the text of each node
 */
export function joinRun(datas) {
  const starts = new Array(datas.length);
  let at = 0;
  for (let i = 0; i < datas.length; i++) {
    starts[i] = at;
    at += datas[i].length;
  }
  const joined = datas.length === 1 ? datas[0] : datas.join("");
  return { text: joined.replace(LINE_SPACE, " "), starts, length: at };
}

/**
 * Where a match [start, end) of the joined text lies in the nodes: the first node and the offset
 * in it, the last node and the offset after the match in it (never an empty piece at either end).
 *
 * @param {number[]} starts from joinRun
 * @param {number[]} lengths each node's length
 * @returns {{first: number, startOffset: number, last: number, endOffset: number}}
 */
export function locate(starts, lengths, start, end) {
  let first = 0;
  while (first < starts.length - 1 && start >= starts[first] + lengths[first]) first++;
  let last = first;
  while (last < starts.length - 1 && end > starts[last] + lengths[last]) last++;
  return { first, startOffset: start - starts[first], last, endOffset: end - starts[last] };
}
