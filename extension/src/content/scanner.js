// Walks the page and puts one icon right after every address and number: splits the text node
// around the match (the page's text stays the same, character for character) or, for a link,
// places the icons after the link, never inside it. Re-scanning is idempotent: a match that
// already has its icon keeps it; an icon whose text changed or moved away is removed; a copy of
// an icon (a page cloning a row) is not ours and is removed, then the copied text gets its own.
//
// Skipped, with everything inside: form fields and editable content (an icon there would end up
// in what the user types or what an editor saves), scripts, styles, templates, embedded
// documents and media, SVG and MathML, code (<code>, <pre>, <kbd>, <samp>: listings, not
// contacts), buttons (no nested interactive content) and our own icons.
//
// Text nodes over 100,000 characters are not searched (a search cannot be cut into slices).
//
// A number or address the page split over inline elements (<span>+44</span> <span>20 7946
// 0002</span>, <wbr>) is found in the run of text nodes it makes (text-runs.js); its icon goes
// after its last character, and the icon goes away when any of its text nodes changes.
//
// The open shadow roots of the page's components are walked as separate roots: the walk reports
// each one it meets (hooks.foundShadowRoot: the caller observes it and queues it), and each
// custom element not defined yet (hooks.undefinedElement: it may get a shadow root when its
// definition loads). Closed shadow roots cannot be reached (element.shadowRoot is null for them).
//
// Hidden elements ARE scanned: knowing whether something is hidden needs computed styles (a
// layout per check on a 5,000-row page), and hidden content (collapsed sections, filtered table
// rows, other tabs) is shown later without any DOM mutation we could observe; its icons are
// hidden with it.
import { emailsFromMailto, findContacts, mightContainContact, phoneFromTel } from "./detection.js";
import { ICON_TAG, iconRecord, removeIcon } from "./icons.js";
import { TextPieces } from "./text-pieces.js";
import { joinRun, locate, runAround } from "./text-runs.js";
import { EAGER_CHILDREN, WIDE_CHILDREN } from "./viewport-gate.js";

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const FRAGMENT_NODE = 11;
const HTML_NS = "http://www.w3.org/1999/xhtml";

const SKIPPED_TAGS = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "head",
  "title",
  "textarea",
  "input",
  "select",
  "option",
  "optgroup",
  "datalist",
  "button",
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "canvas",
  "video",
  "audio",
  "code",
  "pre",
  "kbd",
  "samp",
  ICON_TAG,
]);
/** Longer text nodes are not searched: one search must fit in an idle slice (~1 ms per 20 kB). */
const MAX_TEXT = 100_000;
const EDITABLE_ROLES = new Set(["textbox", "searchbox", "combobox", "spinbutton"]);

/** Whether nothing inside `element` may get icons (attribute checks only: no style, no layout). */
export function isSkippedElement(element) {
  if (element.namespaceURI !== HTML_NS) return true; // svg, math
  if (SKIPPED_TAGS.has(element.localName)) return true;
  const editable = element.getAttribute("contenteditable");
  if (editable !== null && editable.toLowerCase() !== "false") return true;
  const role = element.getAttribute("role");
  return role !== null && EDITABLE_ROLES.has(role);
}

function isLink(element) {
  return element.localName === "a" && element.hasAttribute("href");
}

/** The parent element, across a shadow root's boundary to its host; null at the top. */
export function parentAcross(element) {
  return element.parentElement ?? element.parentNode?.host ?? null;
}

const isOurIcon = (el) => el.localName === ICON_TAG;
const RUN_OPTIONS = { isSkipped: isSkippedElement, isIcon: isOurIcon };

/** The next node after `node`'s subtree within `root`; null at the end, undefined if `node` left `root`. */
function nextOutside(node, root) {
  for (let n = node; n !== root; n = n.parentNode) {
    if (!n) return undefined;
    if (n.nextSibling) return n.nextSibling;
  }
  return null;
}

/**
 * @typedef {object} ScanJob one root being walked, resumable between idle slices
 * @property {Node} root
 * @property {Node|null} next the node to visit next
 */

export class Scanner {
  /**
   * @param {Document} doc
   * @param {object} hooks
   * @param {(contact: object, where: {anchor: Node, anchorData: string}) => Element} hooks.makeIcon
   *   a new icon for a contact (the scanner inserts it)
   * @param {(host: Element) => void} hooks.keptIcon an existing icon found still valid (re-index it)
   * @param {(host: Element) => void} hooks.droppedIcon an icon the scanner removed
   * @param {(root: ShadowRoot) => void} [hooks.foundShadowRoot] an open shadow root the walk met
   * @param {(element: Element) => void} [hooks.undefinedElement] a custom element not defined yet
   */
  constructor(doc, { makeIcon, keptIcon, droppedIcon, foundShadowRoot, undefinedElement }) {
    this.doc = doc;
    this.hooks = { makeIcon, keptIcon, droppedIcon, foundShadowRoot, undefinedElement };
    this.region = undefined;
    this.kinds = new Set(["email", "phone"]);
    this.pieces = new TextPieces();
    /** match text node (the last of its text, the icon follows it) → its icon */
    this.matchIcons = new WeakMap();
    /** every text node of a match → its icon */
    this.partIcons = new WeakMap();
    /** link → its icons, in order */
    this.linkIcons = new WeakMap();
    /** element → the held walk it is in, until it comes near the viewport (see deferChildren) */
    this.deferred = new WeakMap();
    /**
     * Set by the queue when it has a viewport gate: takes over the walk of a wide element's
     * children from `from` on (returns nothing; enters them in `deferred`).
     * @type {((element: Element, from: Element) => void) | null}
     */
    this.deferChildren = null;
    /** found: matches the walks found (text and links), made into icons or not */
    this.counters = { nodes: 0, texts: 0, found: 0, created: 0, removed: 0 };
    /** changes the walks found, made by apply() */
    this.discardEdits();
  }

  /** page.config's phone region and the kinds of icons to show (see actions.kindsShown). */
  configure({ region, kinds }) {
    this.region = region;
    this.kinds = new Set(kinds);
  }

  /**
   * Where a scan of `node` (added or changed) must start: `node` itself, the link around it (its
   * icons follow the link), or null when it is inside something skipped or not in the page.
   */
  scanRootFor(node) {
    if (!node?.isConnected || this.doc.designMode === "on") return null;
    let root = node;
    // Climbing out of a shadow root reaches its host: a link around the host is in another tree
    // (its icons are not this root's), but a skipped host or ancestor still skips everything.
    let el;
    let sameTree = true;
    if (node.nodeType === FRAGMENT_NODE) {
      if (!node.host) return null; // a detached fragment, not a shadow root
      el = node.host;
      sameTree = false;
    } else {
      el = node.nodeType === ELEMENT_NODE ? node : node.parentElement;
      if (!el && node.parentNode?.host) {
        el = node.parentNode.host;
        sameTree = false;
      }
    }
    while (el) {
      if (el.localName === ICON_TAG) return el === node ? node : null;
      if (isSkippedElement(el)) return null;
      if (sameTree && isLink(el)) root = el;
      const parent = el.parentElement;
      if (parent) el = parent;
      else {
        el = el.parentNode?.host ?? null;
        sameTree = false;
      }
    }
    return root;
  }

  /** @returns {ScanJob} */
  job(root) {
    return { root, next: root };
  }

  /**
   * Walks `job` until it is done (true) or `outOfTime()` says to stop (false; call again later).
   * The walk only reads the page: what to change is queued for apply(), so that the changes reach
   * the page in batches sized for the page's rendering (see idle-queue.js).
   * The page may have changed between calls: a walk whose position left the page starts over.
   */
  run(job, outOfTime) {
    if (job.next && !job.root.contains(job.next)) job.next = job.root;
    if (!job.root.isConnected) return true;
    let node = job.next;
    let visited = 0;
    while (node) {
      if ((++visited & 63) === 0 && outOfTime()) break;
      const next = this.visit(node, job.root);
      if (next === undefined) {
        node = job.root; // our position was removed under us: start over (idempotent)
        continue;
      }
      node = next;
    }
    this.counters.nodes += visited;
    job.next = node;
    return node === null;
  }

  /** How many changes the walks queued and apply() has not made yet. */
  get pendingEdits() {
    return this.edits.length - this.editAt;
  }

  /**
   * Makes the queued changes until done (true), out of time, or `maxIcons` icons made (false).
   * `hold(edit)` may take an insertion to make later instead (true: taken; see viewport-gate.js).
   */
  apply(outOfTime, maxIcons = Infinity, hold = undefined) {
    let applied = 0;
    const until = this.counters.created + maxIcons;
    while (this.editAt < this.edits.length) {
      if (this.counters.created >= until || ((++applied & 15) === 0 && outOfTime())) return false;
      const edit = this.edits[this.editAt];
      this.edits[this.editAt++] = null;
      if (edit.type === "run") this.pendingIcons -= edit.contacts.length;
      if (hold && (edit.type === "run" || edit.type === "link") && hold(edit)) continue;
      this.applyEdit(edit);
    }
    this.discardEdits();
    return true;
  }

  /** Makes one queued change (also one held back and made later: it is checked again first). */
  applyEdit(edit) {
    if (edit.type === "run") this.applyRun(edit);
    else if (edit.type === "link") {
      if (this.scanRootFor(edit.link) === edit.link) this.scanLink(edit.link);
    } else if (edit.type === "drop") {
      if (iconRecord(edit.host)) this.drop(edit.host);
    } else if (edit.type === "remove") {
      edit.element.remove(); // not ours: a copy of an icon (cloneNode) or a page's imitation
    }
  }

  /**
   * Where a queued insertion will show: the node it is for (a text node or a link) and the element
   * holding it (the text's parent, or the link); null for other changes.
   */
  placeOf(edit) {
    if (edit.type === "run") {
      const node = edit.nodes[0];
      const element = node.parentElement;
      return element ? { node, element } : null;
    }
    if (edit.type === "link") return { node: edit.link, element: edit.link };
    return null;
  }

  /** Forgets the queued changes. */
  discardEdits() {
    this.edits = [];
    this.editAt = 0;
    /** icons the queued run changes will make (links: not counted) */
    this.pendingIcons = 0;
  }

  /** Handles one node; returns the node to visit next (null: the job is done). */
  visit(node, root) {
    // The icons and pieces a root gets are its siblings: a walk never goes past its root.
    const after = (last) => (node === root ? null : nextOutside(last, root));
    if (node.nodeType === TEXT_NODE) return after(this.visitRun(node, root));
    if (node.nodeType !== ELEMENT_NODE) return node.firstChild ?? after(node);
    if (node.localName === ICON_TAG) {
      this.checkIcon(node);
      return after(node);
    }
    if (node !== root && this.deferred.has(node)) {
      // Deferred children run to the end of their parent (see deferChildren): past them at once.
      return after(node.parentNode?.lastChild ?? node);
    }
    if (isSkippedElement(node)) return after(node);
    const shadow = node.shadowRoot; // open ones only: a closed root is null here
    if (shadow) this.hooks.foundShadowRoot?.(shadow);
    else if (node.localName.includes("-")) this.hooks.undefinedElement?.(node);
    if (isLink(node)) return after(this.checkLink(node));
    if (this.deferChildren && node.childElementCount > WIDE_CHILDREN) {
      let from = node.firstElementChild;
      for (let i = 0; i < EAGER_CHILDREN && from; i++) from = from.nextElementSibling;
      if (from && !this.deferred.has(from)) this.deferChildren(node, from);
    }
    return node.firstChild ?? after(node);
  }

  /** Sets the queued changes aside (to make others first); put them back with restoreEdits. */
  setAsideEdits() {
    const saved = { edits: this.edits, editAt: this.editAt, pendingIcons: this.pendingIcons };
    this.discardEdits();
    return saved;
  }

  restoreEdits(saved) {
    if (this.pendingEdits > 0) throw new Error("restoreEdits over unapplied edits");
    ({ edits: this.edits, editAt: this.editAt, pendingIcons: this.pendingIcons } = saved);
  }

  /**
   * Handles the run of text `text` is in (text-runs.js): its contacts, and our icons in it.
   * Returns the last node handled inside `root` (the walk goes on after it).
   */
  visitRun(text, root) {
    const { nodes, icons } = runAround(text, RUN_OPTIONS);
    this.detectRun(nodes);
    for (const icon of icons) this.checkIcon(icon);
    // A run can start before a root that is an inline element or a text node (a changed one), or
    // go on after it: the walk itself stays inside its root.
    let last = text;
    for (const n of [...nodes, ...icons]) {
      if (n !== last && root.contains(n) && last.compareDocumentPosition(n) & 4) last = n;
    }
    return last;
  }

  /** Queues icons for the contacts of one run (or keeps those it already has). */
  detectRun(nodes) {
    const datas = nodes.map((n) => n.data);
    const { text, starts, length } = joinRun(datas);
    const worthSearching = length <= MAX_TEXT && mightContainContact(text);
    if (!worthSearching && !nodes.some((n) => this.partIcons.has(n))) return; // most text nodes
    const lengths = datas.map((d) => d.length);
    let contacts = [];
    if (worthSearching) {
      this.counters.texts++;
      contacts = findContacts(text, this.region).filter((c) => this.kinds.has(c.kind));
    }
    const kept = new Set();
    const wanted = [];
    for (const c of contacts) {
      const at = locate(starts, lengths, c.start, c.end);
      const contact =
        c.kind === "email"
          ? { kind: "email", value: c.value, text: text.slice(c.start, c.end) }
          : { kind: "phone", value: c.e164, text: c.value };
      const host = this.existingIcon(nodes, at, contact);
      if (host) {
        kept.add(host);
        this.hooks.keptIcon(host);
      } else {
        wanted.push({ ...at, contact });
      }
    }
    // Icons of this run's text that no longer stand for one of its contacts.
    for (const node of nodes) {
      const icon = this.partIcons.get(node);
      if (icon && !kept.has(icon) && iconRecord(icon)) {
        kept.add(icon); // once
        this.edits.push({ type: "drop", host: icon });
      }
    }
    if (wanted.length > 0) {
      this.edits.push({ type: "run", nodes, datas, contacts: wanted });
      this.pendingIcons += wanted.length;
      this.counters.found += wanted.length;
    }
  }

  /** The icon a located contact already has, if it is intact: its text nodes and their text unchanged. */
  existingIcon(nodes, at, contact) {
    const anchor = nodes[at.last];
    const host = this.matchIcons.get(anchor);
    const record = host && iconRecord(host);
    if (!record || at.startOffset !== 0 || at.endOffset !== anchor.length) return null;
    if (record.kind !== contact.kind || record.value !== contact.value) return null;
    const parts = nodes.slice(at.first, at.last + 1);
    if (parts.length !== record.parts.length || parts.some((p, i) => p !== record.parts[i])) return null;
    return this.partsIntact(record) ? host : null;
  }

  /** Whether an icon still follows its text and that text is as it was. */
  partsIntact(record) {
    return (
      record.anchor.nextSibling === record.host &&
      record.parts.every((p, i) => p.isConnected && p.data === record.partsData[i])
    );
  }

  /**
   * Splits the run's text nodes around its contacts and puts an icon after each, if the run did not
   * change meanwhile. A contact over several nodes is split off at both ends; its icon follows its
   * last character.
   */
  applyRun({ nodes, datas, contacts }) {
    if (nodes.some((n, i) => n.data !== datas[i] || !n.isConnected)) return;
    if (contacts.some((c) => this.matchIcons.has(nodes[c.last])) || !this.scanRootFor(nodes[0])) return;
    for (let i = contacts.length - 1; i >= 0; i--) {
      const c = contacts[i];
      const end = nodes[c.last];
      if (c.endOffset < end.length) this.pieces.split(end, c.endOffset);
      const start = nodes[c.first];
      const first = c.startOffset > 0 ? this.pieces.split(start, c.startOffset) : start;
      // The original node keeps the head when split: in one node, the match is the piece split off.
      const anchor = c.first === c.last ? first : end;
      const parts = c.first === c.last ? [first] : [first, ...nodes.slice(c.first + 1, c.last), end];
      const host = this.hooks.makeIcon(c.contact, {
        anchor,
        anchorData: anchor.data,
        parts,
        partsData: parts.map((p) => p.data),
      });
      anchor.after(host);
      this.matchIcons.set(anchor, host);
      for (const p of parts) this.partIcons.set(p, host);
      this.counters.created++;
    }
  }

  /** The contacts a link stands for: its mailto:/tel: target, else what its text shows. */
  linkContacts(link) {
    const href = link.getAttribute("href") ?? "";
    let contacts = [];
    if (/^\s*mailto:/i.test(href)) {
      contacts = emailsFromMailto(href.trim()).map((value) => ({ kind: "email", value, text: value }));
    } else if (/^\s*tel:/i.test(href)) {
      const e164 = phoneFromTel(href.trim(), this.region);
      if (e164) contacts = [{ kind: "phone", value: e164, text: (link.textContent || e164).trim() }];
    }
    if (contacts.length === 0) {
      const text = link.textContent;
      if (mightContainContact(text)) {
        this.counters.texts++;
        contacts = findContacts(text, this.region).map((c) =>
          c.kind === "email"
            ? { kind: "email", value: c.value, text: text.slice(c.start, c.end) }
            : { kind: "phone", value: c.e164, text: c.value },
        );
      }
    }
    const distinct = new Map();
    for (const c of contacts) if (this.kinds.has(c.kind)) distinct.set(`${c.kind}:${c.value}`, c);
    return [...distinct.values()];
  }

  /** Whether a link's icons are all there, in order, for what it stands for now. */
  linkIntact(link, contacts) {
    const signature = contacts.map((c) => `${c.kind}:${c.value}`).join(" ");
    const existing = this.linkIcons.get(link) ?? [];
    let previous = link;
    const intact =
      existing.length === contacts.length &&
      existing.every((host) => {
        const ok = previous.nextSibling === host && iconRecord(host)?.anchorData === signature;
        previous = host;
        return ok;
      });
    return { intact, existing, signature };
  }

  /** A link met on the walk: keeps its icons, or queues new ones; returns its last icon or itself. */
  checkLink(link) {
    const contacts = this.linkContacts(link);
    const { intact, existing } = this.linkIntact(link, contacts);
    if (!intact) {
      this.edits.push({ type: "link", link });
      this.counters.found += contacts.length;
      return link;
    }
    for (const host of existing) this.hooks.keptIcon(host);
    return existing.at(-1) ?? link;
  }

  /** Puts a link's icons after it (replacing stale ones); returns the last of them (or the link). */
  scanLink(link) {
    const contacts = this.linkContacts(link);
    const { intact, existing, signature } = this.linkIntact(link, contacts);
    if (intact) {
      for (const host of existing) this.hooks.keptIcon(host);
      return existing.at(-1) ?? link;
    }
    for (const host of existing) if (iconRecord(host)?.anchor === link) this.drop(host);
    const hosts = [];
    let last = link;
    for (const contact of contacts) {
      const host = this.hooks.makeIcon(contact, { anchor: link, anchorData: signature });
      last.after(host);
      last = host;
      hosts.push(host);
      this.counters.created++;
    }
    if (hosts.length) this.linkIcons.set(link, hosts);
    else this.linkIcons.delete(link);
    return last;
  }

  /** An icon met on the walk: kept if it still follows its text or link, else removed. */
  checkIcon(host) {
    const record = iconRecord(host);
    if (!record) {
      this.edits.push({ type: "remove", element: host });
      return;
    }
    const { anchor } = record;
    let valid;
    if (anchor.nodeType === TEXT_NODE) {
      valid = this.matchIcons.get(anchor) === host && this.partsIntact(record);
    } else {
      const hosts = this.linkIcons.get(anchor) ?? [];
      const index = hosts.indexOf(host);
      valid = index >= 0 && (index === 0 ? anchor : hosts[index - 1]).nextSibling === host;
    }
    if (valid) this.hooks.keptIcon(host);
    else this.edits.push({ type: "drop", host });
  }

  drop(host) {
    const record = iconRecord(host);
    removeIcon(host);
    this.counters.removed++;
    if (record) {
      if (this.matchIcons.get(record.anchor) === host) this.matchIcons.delete(record.anchor);
      for (const p of record.parts ?? []) if (this.partIcons.get(p) === host) this.partIcons.delete(p);
      this.hooks.droppedIcon(host, record);
    }
  }

  /**
   * Removes icons and merges the text nodes that were split for them, so the page is as it was.
   * Only the pieces we split are merged.
   */
  removeIcons(hosts) {
    const anchors = [];
    for (const host of hosts) {
      const record = iconRecord(host);
      if (!record) continue;
      if (record.anchor.nodeType === TEXT_NODE) anchors.push(...record.parts);
      else this.linkIcons.delete(record.anchor);
      this.drop(host);
    }
    for (const anchor of anchors) this.pieces.merge(anchor);
  }

  /** Every icon of ours inside `root` (light DOM). */
  iconsIn(root) {
    const found = [];
    if (root.nodeType === ELEMENT_NODE && iconRecord(root)) found.push(root);
    if (root.querySelectorAll)
      for (const el of root.querySelectorAll(ICON_TAG)) if (iconRecord(el)) found.push(el);
    return found;
  }

  /**
   * The page's script changed a text node's data. Its own icon goes if its match changed. When it
   * is a node we split, the script replaced its text (node.data = ..., as frameworks do): it holds
   * the whole new text now, so the old pieces after it and their icons go too, unless `merged`
   * (the pieces were merged into it, as Node.normalize() does).
   */
  textChanged(node, { merged = false } = {}) {
    const own = this.partIcons.get(node);
    const record = own && iconRecord(own);
    if (record && !this.partsIntact(record)) this.drop(own);
    const parent = node.parentNode;
    if (merged || !parent || !this.pieces.isSplitRoot(node)) return;
    for (const piece of this.pieces.piecesIn(node, parent)) this.removePiece(piece);
    this.pieces.forget(node);
  }

  /**
   * The page's script removed a text node: the icon of a match it was part of goes (the rest of the
   * match, if any, is left; a scan of where it was finds what it reads now).
   */
  partRemoved(node) {
    const icon = this.partIcons.get(node);
    if (icon && iconRecord(icon) && !this.partsIntact(iconRecord(icon))) this.drop(icon);
  }

  /** The page's script removed a text node we split: the rest of its text goes with it. */
  textRemoved(root, formerParent) {
    if (!this.pieces.isSplitRoot(root)) return;
    for (const piece of this.pieces.piecesIn(root, formerParent)) this.removePiece(piece);
    this.pieces.forget(root);
  }

  removePiece(piece) {
    const icon = this.partIcons.get(piece);
    if (icon) this.drop(icon);
    piece.remove();
  }

  /** Whether a removed node is one we split (for textRemoved). */
  isSplitRoot(node) {
    return this.pieces.isSplitRoot(node);
  }

  /** Whether two text nodes are pieces of the same original. */
  samePieces(a, b) {
    return this.pieces.sameOrigin(a, b);
  }
}
