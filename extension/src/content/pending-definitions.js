// Custom elements the walk met before their definition loaded (a design system's script loading
// lazily, a component defined on first use): when the page defines them, they are upgraded and
// typically attach a shadow root, and nothing in the DOM changes that a MutationObserver would
// report. A content script's world has no customElements (it is null in an isolated world), so
// the page world's small helper (page-definitions.js) waits for the definition with
// customElements.whenDefined and says so with a 'vclick-defined' event on the document.
//
// The events carry a tag name only; the page can see and send them too: a forged 'vclick-defined'
// makes us look at elements of that tag again (nothing is trusted from it: each element is checked
// for :defined and its own open shadowRoot).

export const AWAIT_EVENT = "vclick-await-definition";
export const DEFINED_EVENT = "vclick-defined";
/**
 * The Secure Edge page script's attachShadow (main-world/frames.js) dispatches this on a connected
 * host right after an open shadow root was attached to it: nothing else tells an isolated world
 * that an element already in the page got one. Composed and bubbling, so the content script hears
 * it on the document; a forged one only makes it look at that host's open shadow root.
 */
export const SHADOW_ATTACHED_EVENT = "vclick-shadow-attached";
/** At most this many distinct tags, and elements per tag, are waited for. */
const MAX_TAGS = 200;
const MAX_PER_TAG = 5000;

export class PendingDefinitions {
  /**
   * @param {Document} doc
   * @param {(element: Element) => void} onDefined an element waited for was defined (upgraded),
   *     or an element in the page got an open shadow root (SHADOW_ATTACHED_EVENT)
   */
  constructor(doc, onDefined) {
    this.doc = doc;
    this.onDefined = onDefined;
    /** tag → elements of it not defined when met */
    this.byTag = new Map();
    this.onEvent = (event) => this.defined(event.detail);
    this.onShadow = (event) => this.shadowAttached(event);
    doc.addEventListener(DEFINED_EVENT, this.onEvent);
    doc.addEventListener(SHADOW_ATTACHED_EVENT, this.onShadow, true);
  }

  /** A host (the event's first target, inside other shadow roots maybe) got an open shadow root. */
  shadowAttached(event) {
    const host = event.composedPath()[0];
    if (host?.nodeType === 1 && host.shadowRoot && host.isConnected) this.onDefined(host);
  }

  /** Waits for `element`'s definition if it has none yet. */
  watch(element) {
    if (element.shadowRoot || !element.matches(":not(:defined)")) return;
    const tag = element.localName;
    let elements = this.byTag.get(tag);
    if (!elements) {
      if (this.byTag.size >= MAX_TAGS) return;
      this.byTag.set(tag, (elements = new Set()));
      this.doc.dispatchEvent(new CustomEvent(AWAIT_EVENT, { detail: tag }));
    }
    if (elements.size < MAX_PER_TAG) elements.add(element);
  }

  /** The page world says `tag` was defined: hands over the elements of it that now are. */
  defined(tag) {
    const elements = typeof tag === "string" ? this.byTag.get(tag) : undefined;
    if (!elements) return;
    for (const element of elements) {
      if (!element.matches(":defined")) continue;
      elements.delete(element);
      if (element.isConnected) this.onDefined(element);
    }
    if (elements.size === 0) this.byTag.delete(tag);
  }

  stop() {
    this.doc.removeEventListener(DEFINED_EVENT, this.onEvent);
    this.doc.removeEventListener(SHADOW_ATTACHED_EVENT, this.onShadow, true);
    this.byTag.clear();
  }
}
