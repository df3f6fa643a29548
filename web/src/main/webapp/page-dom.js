// What the app's admin-style pages (Secure Edge policy, call log, recordings) share for drawing:
// element lookup, the status line, elements built from text (never from HTML) and the formats of
// instants, durations and sizes.

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/** Shows `text` in the page's #status line, as an error when `isError`. */
export function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

/** An element with text content and attributes; children appended. Never parses HTML. */
export function el(tag, { text, className, attrs = {}, dataset = {} } = {}, ...children) {
  const node = document.createElement(tag);
  if (text !== undefined) {
    node.textContent = text;
  }
  if (className) {
    node.className = className;
  }
  Object.entries(attrs).forEach(([name, value]) => node.setAttribute(name, value));
  Object.assign(node.dataset, dataset);
  children.forEach((child) => node.append(child));
  return node;
}

/** An ISO instant in the user's locale, or a dash. */
export const when = (instant) => (instant ? new Date(instant).toLocaleString() : "—");

/** "1:05" or "1:02:05" from seconds (rounded), or a dash. */
export function durationText(seconds) {
  if (seconds === null || seconds === undefined) {
    return "—";
  }
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** "613.4 KB", "340 B", or a dash. */
export function bytesText(bytes) {
  if (bytes === null || bytes === undefined) {
    return "—";
  }
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}
