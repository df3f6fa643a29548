// Copies text for a trusted click. navigator.clipboard exists only in secure contexts; on an
// http:// intranet page the old execCommand('copy') on a hidden textarea (allowed by the
// clipboardWrite permission) does it instead.

/** Resolves to true when `text` is on the clipboard. */
export async function copyText(text, host) {
  const nav = host.ownerDocument.defaultView?.navigator;
  if (nav?.clipboard?.writeText) {
    try {
      await nav.clipboard.writeText(text);
      return true;
    } catch (e) {
      console.debug("vclick: clipboard.writeText refused, trying execCommand", e);
    }
  }
  return copyWithTextarea(text, host);
}

function copyWithTextarea(text, host) {
  const doc = host.ownerDocument;
  const root = host.shadowRoot ?? doc.body;
  const area = doc.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.cssText = "position:fixed;top:0;left:0;width:1px;height:1px;opacity:0;";
  root.append(area);
  try {
    area.select();
    return doc.execCommand("copy");
  } catch (e) {
    console.debug("vclick: execCommand copy failed", e);
    return false;
  } finally {
    area.remove();
  }
}
