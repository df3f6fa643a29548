// Click-to-call's helper in the page world (MAIN, document_start, every frame; bundled into
// dist/page-definitions.js): the content script cannot see customElements (null in its isolated
// world), so when it meets a custom element that is not defined yet it asks here, with a
// 'vclick-await-definition' event naming the tag, and this answers with a 'vclick-defined' event
// once the page defined it (see pending-definitions.js). It patches nothing and exposes nothing;
// the page can send the same events, which only makes the content script look at its own
// elements again.
import { AWAIT_EVENT, DEFINED_EVENT } from "./pending-definitions.js";

const registry = globalThis.customElements;
if (registry && typeof registry.whenDefined === "function") {
  // Captured before the page's scripts run: a page replacing them later changes nothing here.
  const whenDefined = registry.whenDefined.bind(registry);
  const CustomEventOf = globalThis.CustomEvent;
  const doc = globalThis.document;
  const dispatch = doc.dispatchEvent.bind(doc);
  const asked = new Set();
  doc.addEventListener(AWAIT_EVENT, (event) => {
    const tag = event.detail;
    if (typeof tag !== "string" || asked.has(tag) || asked.size >= 500) return;
    asked.add(tag);
    whenDefined(tag).then(
      () => dispatch(new CustomEventOf(DEFINED_EVENT, { detail: tag })),
      () => undefined, // not a valid custom element name: never defined
    );
  });
}
