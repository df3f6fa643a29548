// A short message next to an icon (role="status", so screen readers read it): why a call could
// not start, or that an address was copied. One at a time; it goes after a few seconds, on a
// click, or on Escape.
import { removeBox, showNear } from "./popover.js";

let current = null; // { box, timer, stop }

/**
 * @param {Element} host the icon
 * @param {string} message
 * @param {{tone?: 'info'|'error', durationMs?: number}} [options]
 */
export function showToast(host, message, { tone = "info", durationMs = 6000 } = {}) {
  hideToast();
  const doc = host.ownerDocument;
  const root = host.shadowRoot;
  if (!root) return null;
  const box = doc.createElement("div");
  box.className = "toast";
  box.dataset.tone = tone;
  box.setAttribute("role", "status");
  box.setAttribute("aria-live", tone === "error" ? "assertive" : "polite");
  box.textContent = String(message).slice(0, 300);
  root.append(box);
  if (!showNear(box, host)) {
    box.remove();
    return null;
  }
  const onKey = (event) => {
    if (event.key === "Escape") hideToast();
  };
  const onClick = (event) => {
    event.stopPropagation();
    hideToast();
  };
  box.addEventListener("click", onClick);
  doc.addEventListener("keydown", onKey, true);
  const timer = setTimeout(hideToast, durationMs);
  current = { box, timer, stop: () => doc.removeEventListener("keydown", onKey, true) };
  return box;
}

export function hideToast() {
  if (!current) return;
  const { box, timer, stop } = current;
  current = null;
  clearTimeout(timer);
  stop();
  removeBox(box);
}
