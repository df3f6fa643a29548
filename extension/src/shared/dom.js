// Building elements without HTML strings: text goes in as textContent only, so nothing a server or a
// setting says can become markup.

/**
 * A new element.
 *
 * @param {string} tag
 * @param {object} [props] attributes (`class`, `data-*`, `aria-*`, `type`...; true → present, false/null →
 *   absent), plus `on: { event: listener }`
 * @param {...(Node|string|number|null|undefined|false)} children strings become text nodes; empty ones are skipped
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === "on") {
      for (const [event, listener] of Object.entries(value)) node.addEventListener(event, listener);
    } else if (value === true) {
      node.setAttribute(name, "");
    } else if (value !== false && value !== null && value !== undefined) {
      node.setAttribute(name, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** The element with this id; throws when the page lacks it (a page and its script disagree). */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing from the page`);
  return node;
}
