// The click-to-call content script (bundled by build.mjs into dist/content.js; the manifest runs
// it at document_idle in every frame). It works on ordinary web pages only: the extension's own
// pages, file:, data: and other documents are left alone (the worker refuses them anyway).
import { ClickToCall } from "./click-to-call.js";
import { createWorkerChannel } from "./worker-channel.js";

function shouldRun() {
  if (!/^https?:$/.test(location.protocol)) return false;
  if (!(document.documentElement instanceof HTMLElement)) return false; // XML, SVG documents
  // One instance per frame even if the script is injected twice.
  if (globalThis.vclickClickToCall) return false;
  return Boolean(globalThis.chrome?.runtime?.id);
}

if (shouldRun()) {
  const clickToCall = new ClickToCall({ doc: document, channel: createWorkerChannel(chrome.runtime) });
  globalThis.vclickClickToCall = clickToCall;
  clickToCall.start().catch((e) => console.debug("vclick: click-to-call did not start", e));
}
