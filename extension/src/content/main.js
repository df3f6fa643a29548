// The click-to-call content script (bundled by build.mjs into dist/content.js; the manifest runs
// it at document_start in every frame, also in about:blank, srcdoc and blob: frames; it starts
// scanning once the DOM is parsed, see click-to-call.js activateWhenParsed). It works on
// web pages only: http(s) documents, and local frames (about:blank, about:srcdoc, blob:) whose
// origin is a web page's (the page that made them fills them). The extension's own pages, file:,
// data: and sandboxed frames (an opaque origin: no site to apply the settings of) are left alone
// (the worker refuses them anyway).
import { ClickToCall } from "./click-to-call.js";
import { createWorkerChannel } from "./worker-channel.js";
import { relayAddToCall, relayCallIntents } from "./call-intent.js";

function shouldRun() {
  const local = /^(about|blob):$/.test(location.protocol);
  if (!/^https?:$/.test(location.protocol) && !(local && /^https?:\/\//.test(self.origin))) return false;
  // HTML documents (XML and SVG ones are left alone; the DOM may not be there yet at document_start).
  if (!/^(text\/html|application\/xhtml\+xml)$/.test(document.contentType)) return false;
  // One instance per frame even if the script is injected twice.
  if (globalThis.vclickClickToCall) return false;
  return Boolean(globalThis.chrome?.runtime?.id);
}

if (shouldRun()) {
  relayCallIntents();
  relayAddToCall();
  const clickToCall = new ClickToCall({ doc: document, channel: createWorkerChannel(chrome.runtime) });
  globalThis.vclickClickToCall = clickToCall;
  clickToCall.start().catch((e) => console.debug("vclick: click-to-call did not start", e));
}
