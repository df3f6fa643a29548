// The private channel between this MAIN-world script and the extension's isolated-world bridge
// (src/content/edge-bridge.js). Both run at document_start, before any page script, the bridge
// first (manifest order). The bridge listens for this script's hello; the hello carries one end
// of a fresh MessageChannel, dispatched synchronously, so the port exists before the page does
// and the page never holds it. Page-made hellos later find nobody listening.
import { getterOf, natives } from "./natives.js";

export const HELLO_EVENT = "vclick-edge-hello";
const readData = getterOf(MessageEvent.prototype, "data");

/**
 * Opens the channel; `onMessage(data)` receives the bridge's messages. Returns
 * `{ connected, send(message) }`; `connected` is false when no bridge answered (then the
 * wrapper has no policy to wait for and fails closed).
 */
export function openChannel(onMessage) {
  const channel = new MessageChannel();
  const mine = channel.port1;
  let accepted = false;
  mine.onmessage = (event) => onMessage(readData(event));
  // The bridge's answer is a hello without ports, dispatched while ours is being dispatched.
  const ack = (event) => {
    if (event.ports.length === 0) accepted = true;
  };
  document.addEventListener(HELLO_EVENT, ack, true);
  document.dispatchEvent(new MessageEvent(HELLO_EVENT, { ports: [channel.port2] }));
  document.removeEventListener(HELLO_EVENT, ack, true);
  const post = mine.postMessage.bind(mine);
  return {
    connected: accepted,
    send(message) {
      if (accepted) post(message);
    },
  };
}
