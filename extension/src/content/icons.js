// The click-to-call icon: a <vclick-icon> element placed right after an address or number, with
// an open shadow root holding its scoped styles and one button (the glyph, coloured by presence,
// whose title says whom it calls). What an icon calls lives in a WeakMap, never read back from the
// page-editable attributes; data-kind, data-value and data-presence are only there for tests
// and for the page's stylesheets to see.
import { iconTitle } from "./actions.js";

export const ICON_TAG = "vclick-icon";

/**
 * @typedef {object} IconRecord
 * @property {'email'|'phone'} kind
 * @property {string} value email (lower-cased) or E.164 number
 * @property {string} text what the page shows (the match, or the link's href)
 * @property {Node} anchor the text node of the match, or the link the icon follows
 * @property {string} anchorData the anchor's text (text node) or href (link) when the icon was made
 * @property {Text[]} [parts] a text match: its text nodes, in order (the anchor last; one node,
 *   the anchor, unless the page split the match over inline elements)
 * @property {string[]} [partsData] their text when the icon was made
 * @property {HTMLElement} host
 * @property {HTMLButtonElement} button
 * @property {number} [lastAction] time of the last plain-click action (double-click guard)
 */

/** @type {WeakMap<Element, IconRecord>} */
const records = new WeakMap();

/** The record of one of our icons; undefined for anything else (including a page's copy). */
export function iconRecord(node) {
  return node && records.get(node);
}

const GLYPHS = {
  // A video camera (addresses: the default action is a video call) and a handset (numbers).
  email:
    "url(\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Cpath d='M2 4.5h8a1 1 0 0 1 1 1v1.2l3-2v6.6l-3-2v1.2a1 1 0 0 1-1 1H2a1 1 0 0 1-1-1v-6a1 1 0 0 1 1-1z'/%3E%3C/svg%3E\")",
  phone:
    "url(\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Cpath d='M3.6 1.5l2 .3 1.1 3-1.4 1.1a8 8 0 0 0 4.8 4.8l1.1-1.4 3 1.1.3 2-1.7 1.8C7.4 14 2 8.6 1.8 3.2z'/%3E%3C/svg%3E\")",
};

const CSS = `
:host {
  display: inline-block !important; position: static !important; float: none !important;
  width: 1em !important; height: 1em !important; min-width: 12px !important; min-height: 12px !important;
  max-width: 20px !important; max-height: 20px !important; margin: 0 0 0 0.25em !important;
  padding: 0 !important; border: 0 !important; vertical-align: -0.15em !important;
  line-height: 0 !important; box-sizing: border-box !important; transform: none !important;
  opacity: 1 !important; clip-path: none !important; overflow: visible !important;
}
button.glyph {
  all: initial; visibility: inherit; box-sizing: border-box; display: block; width: 100%; height: 100%;
  border-radius: 50%; cursor: pointer; background: #afb8c1; position: relative;
}
button.glyph::before {
  content: ''; position: absolute; inset: 18%; background: #fff;
  -webkit-mask: var(--vclick-glyph) center / contain no-repeat; mask: var(--vclick-glyph) center / contain no-repeat;
}
button.glyph[data-kind='email'] { --vclick-glyph: ${GLYPHS.email}; }
button.glyph[data-kind='phone'] { --vclick-glyph: ${GLYPHS.phone}; background: #0550ae; }
button.glyph[data-presence='online'] { background: #1a7f37; }
button.glyph[data-presence='busy'] { background: #d1242f; }
button.glyph[data-presence='offline'] { background: #424a53; }
button.glyph[data-kind='email'][data-presence='unknown'] { background: #afb8c1; }
button.glyph:hover { filter: brightness(1.12); }
button.glyph:focus-visible { outline: 2px solid #0969da; outline-offset: 1px; }
@media (forced-colors: active) {
  button.glyph { forced-color-adjust: none; border: 1px solid CanvasText; }
}
.menu, .toast {
  all: initial; visibility: visible; position: fixed; inset: auto; margin: 0; box-sizing: border-box;
  font: 13px/1.3 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1f2328;
  background: #fff; border: 1px solid #d0d7de; border-radius: 6px;
  box-shadow: 0 8px 24px rgba(140, 149, 159, 0.3); z-index: 2147483647;
}
.menu { padding: 4px 0; min-width: 160px; max-width: 320px; }
.menu button {
  all: initial; display: block; box-sizing: border-box; width: 100%; padding: 6px 14px; cursor: pointer;
  font: inherit; color: inherit; text-align: start; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis;
}
.menu button:hover, .menu button:focus-visible { background: #0969da; color: #fff; outline: none; }
.toast { padding: 8px 12px; max-width: 360px; white-space: normal; }
.toast[data-tone='error'] { border-color: #d1242f; }
@media (forced-colors: active) {
  .menu, .toast { border: 1px solid CanvasText; }
  .menu button:hover, .menu button:focus-visible { outline: 2px solid Highlight; }
}
`;

const sheets = new WeakMap(); // document → CSSStyleSheet

/** Gives a shadow root the icon styles: one shared constructed sheet, or a <style> if refused. */
function style(root, doc) {
  try {
    let sheet = sheets.get(doc);
    if (!sheet) {
      sheet = new (doc.defaultView?.CSSStyleSheet ?? CSSStyleSheet)();
      sheet.replaceSync(CSS);
      sheets.set(doc, sheet);
    }
    root.adoptedStyleSheets = [sheet];
  } catch (e) {
    console.debug("vclick: constructed stylesheets refused, using <style>", e);
    const element = doc.createElement("style");
    element.textContent = CSS;
    root.append(element);
  }
}

/**
 * A new icon for one contact, not yet in the page.
 *
 * @param {Document} doc
 * @param {{kind: 'email'|'phone', value: string, text: string}} contact
 * @param {{anchor: Node, anchorData: string, parts?: Text[], partsData?: string[]}} where
 * @param {{person?: object, config?: object}} [look]
 */
export function createIcon(doc, contact, where, { person, config } = {}) {
  const host = doc.createElement(ICON_TAG);
  const root = host.attachShadow({ mode: "open" });
  style(root, doc);
  const button = doc.createElement("button");
  button.type = "button";
  button.className = "glyph";
  button.dataset.kind = contact.kind;
  root.append(button);
  host.dataset.kind = contact.kind;
  host.dataset.value = contact.value;
  /** @type {IconRecord} */
  const record = {
    kind: contact.kind,
    value: contact.value,
    text: contact.text,
    anchor: where.anchor,
    anchorData: where.anchorData,
    parts: where.parts,
    partsData: where.partsData,
    host,
    button,
  };
  records.set(host, record);
  paintIcon(host, person, config);
  return host;
}

/** Colours an icon and sets its title from what is known of the person (phones: no presence). */
export function paintIcon(host, person = {}, config = {}) {
  const record = records.get(host);
  if (!record) return;
  const presence = record.kind === "email" ? (person?.presence ?? "unknown") : "unknown";
  const title = iconTitle(record, person ?? {}, config);
  if (host.dataset.presence !== presence) host.dataset.presence = presence;
  if (record.button.dataset.presence !== presence) record.button.dataset.presence = presence;
  if (record.button.title !== title) {
    record.button.title = title;
    record.button.setAttribute("aria-label", title);
  }
}

/** Removes an icon from the page and forgets it. */
export function removeIcon(host) {
  records.delete(host);
  host.remove();
}
