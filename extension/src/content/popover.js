// A small box (menu or status bubble) shown next to an icon, inside the icon's shadow root, in the
// top layer (the Popover API) so that no page overflow, stacking context or transform clips it.

const GAP = 4;

/** Shows `box` (already in the icon's shadow root) next to `host`, below it or above if no room. */
export function showNear(box, host) {
  box.popover = "manual";
  try {
    box.showPopover();
  } catch (e) {
    // Not in a document, or the host is in a display:none subtree: nothing can be shown there.
    console.debug("vclick: cannot show a popover", e);
    return false;
  }
  place(box, host);
  return true;
}

/** Positions a shown box at `host` (viewport coordinates, kept inside the viewport). */
export function place(box, host) {
  const view = host.ownerDocument.defaultView;
  const anchor = host.getBoundingClientRect();
  const size = box.getBoundingClientRect();
  const width = view.innerWidth;
  const height = view.innerHeight;
  let left = Math.min(anchor.left, width - size.width - GAP);
  let top = anchor.bottom + GAP;
  if (top + size.height > height - GAP && anchor.top - GAP - size.height >= GAP) {
    top = anchor.top - GAP - size.height;
  }
  left = Math.max(GAP, left);
  top = Math.max(GAP, Math.min(top, height - size.height - GAP));
  box.style.left = `${Math.round(left)}px`;
  box.style.top = `${Math.round(top)}px`;
}

/** Hides and removes a box shown by showNear. */
export function removeBox(box) {
  try {
    if (box.matches(":popover-open")) box.hidePopover();
  } catch (e) {
    console.debug("vclick: popover already gone", e);
  }
  box.remove();
}
