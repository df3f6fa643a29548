// The context menu of an icon: a role="menu" list of <button data-action> in the icon's shadow
// root. One menu at a time; it closes on Escape, a click elsewhere, a scroll that moves its icon,
// resizing, or when the window loses focus. Arrow keys move between items.
import { removeBox, showNear } from "./popover.js";

let open = null; // { host, box, stop }

/**
 * Opens the menu of `host` with `items` ([{action, label}]); `onPick(action)` runs on a trusted
 * click of an item (after the menu closed).
 */
export function openMenu(host, items, onPick, { focusFirst = true } = {}) {
  closeMenu();
  const doc = host.ownerDocument;
  const root = host.shadowRoot;
  if (!root || items.length === 0) return null;
  const box = doc.createElement("div");
  box.className = "menu";
  box.setAttribute("role", "menu");
  box.setAttribute("aria-label", "Vclick");
  for (const { action, label } of items) {
    const item = doc.createElement("button");
    item.type = "button";
    item.setAttribute("role", "menuitem");
    item.dataset.action = action;
    item.textContent = label;
    box.append(item);
  }
  root.append(box);
  if (!showNear(box, host)) {
    box.remove();
    return null;
  }

  const view = doc.defaultView;
  const onItemClick = (event) => {
    event.stopPropagation();
    event.preventDefault();
    if (!event.isTrusted) return;
    const item = event.composedPath().find((n) => n.dataset?.action && box.contains(n));
    if (!item) return;
    closeMenu({ restoreFocus: true });
    onPick(item.dataset.action);
  };
  const onKey = (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      closeMenu({ restoreFocus: true });
      return;
    }
    if (!["ArrowDown", "ArrowUp", "Home", "End"].includes(event.key)) return;
    const buttons = [...box.querySelectorAll("button")];
    const at = buttons.indexOf(root.activeElement);
    const to =
      event.key === "Home"
        ? 0
        : event.key === "End"
          ? buttons.length - 1
          : (at + (event.key === "ArrowDown" ? 1 : -1) + buttons.length) % buttons.length;
    event.preventDefault();
    buttons[to]?.focus();
  };
  const onOutside = (event) => {
    if (!event.composedPath().includes(box)) closeMenu();
  };
  const onEscapeAnywhere = (event) => {
    if (event.key === "Escape") closeMenu({ restoreFocus: true });
  };
  const onGone = () => closeMenu();
  // Scrolling closes the menu once it moved the icon (a scroll event can arrive a frame after the
  // scroll that brought the icon into view, when the menu is already open).
  const at = host.getBoundingClientRect();
  const onScroll = () => {
    const now = host.getBoundingClientRect();
    if (Math.abs(now.left - at.left) > 2 || Math.abs(now.top - at.top) > 2) closeMenu();
  };
  box.addEventListener("click", onItemClick);
  box.addEventListener("keydown", onKey);
  doc.addEventListener("pointerdown", onOutside, true);
  doc.addEventListener("keydown", onEscapeAnywhere, true);
  view.addEventListener("scroll", onScroll, { capture: true, passive: true });
  view.addEventListener("resize", onGone, { passive: true });
  view.addEventListener("blur", onGone);
  const stop = () => {
    doc.removeEventListener("pointerdown", onOutside, true);
    doc.removeEventListener("keydown", onEscapeAnywhere, true);
    view.removeEventListener("scroll", onScroll, { capture: true });
    view.removeEventListener("resize", onGone);
    view.removeEventListener("blur", onGone);
  };
  open = { host, box, stop };
  if (focusFirst) box.querySelector("button")?.focus({ preventScroll: true });
  return box;
}

/** Closes the open menu, if any; with restoreFocus, focus goes back to its icon. */
export function closeMenu({ restoreFocus = false } = {}) {
  if (!open) return;
  const { host, box, stop } = open;
  open = null;
  stop();
  const hadFocus = box.contains(host.shadowRoot?.activeElement ?? null);
  removeBox(box);
  if (restoreFocus && hadFocus)
    host.shadowRoot?.querySelector("button.glyph")?.focus({ preventScroll: true });
}

/** The icon whose menu is open, or null. */
export function openMenuHost() {
  return open?.host ?? null;
}
