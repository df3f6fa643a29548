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
// Open shadow roots of the page's own components are not entered.
//
// Hidden elements ARE scanned: knowing whether something is hidden needs computed styles (a
// layout per check on a 5,000-row page), and hidden content (collapsed sections, filtered table
// rows, other tabs) is shown later without any DOM mutation we could observe; its icons are
// hidden with it.
import { emailsFromMailto, findContacts, mightContainContact, phoneFromTel } from "./detection.js";
import { ICON_TAG, iconRecord, removeIcon } from "./icons.js";
import { TextPieces } from "./text-pieces.js";

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
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
   */
  constructor(doc, { makeIcon, keptIcon, droppedIcon }) {
    this.doc = doc;
    this.hooks = { makeIcon, keptIcon, droppedIcon };
    this.region = undefined;
    this.kinds = new Set(["email", "phone"]);
    this.pieces = new TextPieces();
    /** match text node → its icon */
    this.matchIcons = new WeakMap();
    /** link → its icons, in order */
    this.linkIcons = new WeakMap();
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
    for (let el = node.nodeType === ELEMENT_NODE ? node : node.parentElement; el; el = el.parentElement) {
      if (el.localName === ICON_TAG) return el === node ? node : null;
      if (isSkippedElement(el)) return null;
      if (isLink(el)) root = el;
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
      if (edit.type === "text") this.pendingIcons -= edit.contacts.length;
      if (hold && (edit.type === "text" || edit.type === "link") && hold(edit)) continue;
      this.applyEdit(edit);
    }
    this.discardEdits();
    return true;
  }

  /** Makes one queued change (also one held back and made later: it is checked again first). */
  applyEdit(edit) {
    if (edit.type === "text") this.applyText(edit);
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
    if (edit.type === "text") {
      const element = edit.node.parentElement;
      return element ? { node: edit.node, element } : null;
    }
    if (edit.type === "link") return { node: edit.link, element: edit.link };
    return null;
  }

  /** Forgets the queued changes. */
  discardEdits() {
    this.edits = [];
    this.editAt = 0;
    /** icons the queued text changes will make (links: not counted) */
    this.pendingIcons = 0;
  }

  /** Handles one node; returns the node to visit next (null: the job is done). */
  visit(node, root) {
    // The icons and pieces a root gets are its siblings: a walk never goes past its root.
    const after = (last) => (node === root ? null : nextOutside(last, root));
    if (node.nodeType === TEXT_NODE) {
      this.detectText(node);
      const icon = this.matchIcons.get(node);
      return after(icon && node.nextSibling === icon ? icon : node);
    }
    if (node.nodeType !== ELEMENT_NODE) return node.firstChild ?? after(node);
    if (node.localName === ICON_TAG) {
      this.checkIcon(node);
      return after(node);
    }
    if (isSkippedElement(node)) return after(node);
    if (isLink(node)) return after(this.checkLink(node));
    return node.firstChild ?? after(node);
  }

  /** Queues icons for the contacts in one text node (or keeps the icon it already has). */
  detectText(node) {
    const existing = this.matchIcons.get(node);
    if (existing) {
      const record = iconRecord(existing);
      if (record && existing.previousSibling === node && node.data === record.anchorData) {
        this.hooks.keptIcon(existing);
        return;
      }
      if (record?.anchor === node) this.edits.push({ type: "drop", host: existing });
    }
    const data = node.data;
    if (data.length > MAX_TEXT || !mightContainContact(data)) return;
    this.counters.texts++;
    const contacts = findContacts(data, this.region).filter((c) => this.kinds.has(c.kind));
    if (contacts.length > 0) {
      this.edits.push({ type: "text", node, data, contacts });
      this.pendingIcons += contacts.length;
      this.counters.found += contacts.length;
    }
  }

  /** Splits a text node around its contacts and puts an icon after each, if it did not change. */
  applyText({ node, data, contacts }) {
    if (node.data !== data || this.matchIcons.has(node) || !this.scanRootFor(node)) return;
    for (let i = contacts.length - 1; i >= 0; i--) {
      const c = contacts[i];
      if (c.end < node.length) this.pieces.split(node, c.end);
      const match = c.start > 0 ? this.pieces.split(node, c.start) : node;
      const contact =
        c.kind === "email"
          ? { kind: "email", value: c.value, text: data.slice(c.start, c.end) }
          : { kind: "phone", value: c.e164, text: c.value };
      const host = this.hooks.makeIcon(contact, { anchor: match, anchorData: match.data });
      match.after(host);
      this.matchIcons.set(match, host);
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
      valid =
        this.matchIcons.get(anchor) === host &&
        anchor.nextSibling === host &&
        anchor.data === record.anchorData;
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
      if (record.anchor.nodeType === TEXT_NODE) anchors.push(record.anchor);
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
    const own = this.matchIcons.get(node);
    if (own && node.data !== iconRecord(own)?.anchorData) this.drop(own);
    const parent = node.parentNode;
    if (merged || !parent || !this.pieces.isSplitRoot(node)) return;
    for (const piece of this.pieces.piecesIn(node, parent)) this.removePiece(piece);
    this.pieces.forget(node);
  }

  /** The page's script removed a text node we split: the rest of its text goes with it. */
  textRemoved(root, formerParent) {
    if (!this.pieces.isSplitRoot(root)) return;
    for (const piece of this.pieces.piecesIn(root, formerParent)) this.removePiece(piece);
    this.pieces.forget(root);
  }

  removePiece(piece) {
    const icon = this.matchIcons.get(piece);
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
