// Secure Edge in the page (MAIN world, document_start, every frame): wraps RTCPeerConnection,
// getUserMedia/getDisplayMedia and data channels under the policy the extension's bridge
// delivers for this page's origin. Runs before any page script; until the decision arrives
// everything fails closed. It also installs itself into every same-origin realm the page reaches
// before the browser injects it there (frames.js). See extension/README.md, "Secure Edge" and
// "Threat model".
import { openChannel } from "./channel.js";
import { installToString, lockPromises, natives, own, record, then } from "./natives.js";
import { createRequests } from "./requests.js";
import { createPolicyState, readDecision, UNAVAILABLE } from "./policy-state.js";
import { wrapPeerConnections } from "./peer-connections.js";
import { createMonitor } from "./monitor.js";
import { wrapMedia } from "./media.js";
import { addressPolicy } from "./candidates.js";
import { coverChildRealms, isCovered, markCovered, watchInsertedFrames } from "./frames.js";

(() => {
  if (typeof RTCPeerConnection !== "function") return;
  // This realm was reached and covered by the wrapper of the page that made it (an initial empty
  // document that navigated): it runs already; only watch this document's frames.
  const coveredBefore = isCovered(window);
  // The decision is asked for when the page first uses WebRTC, not on every page load.
  let channel = null;
  const policy = createPolicyState(() => channel.send(record({ type: "decision.request" })));
  // Recorded calls' requests to the server (recording.js), answered through the bridge.
  const requests = createRequests((message) => channel.send(message));
  let monitor = null;
  channel = openChannel((message) => {
    const type = own(message, "type");
    if (type === "sample.request") {
      if (monitor) {
        then(monitor.snapshot(), (samples) =>
          channel.send(record({ type: "pc.samples", requestId: own(message, "requestId"), samples })),
        );
      }
      return;
    }
    if (type === "record.reply") {
      requests.reply(message);
      return;
    }
    if (type === "record.stopped") {
      requests.stopped(message);
      return;
    }
    const decision = readDecision(message);
    if (decision) policy.decide(decision);
  });
  if (!channel.connected) {
    policy.decide(
      natives.freeze(record({ ...UNAVAILABLE, reason: "Vclick's page bridge did not start in this frame." })),
    );
  }
  const view = () => addressPolicy(policy.current?.settings);
  monitor = createMonitor(window, channel.send, view);

  /** Wraps one realm (this frame's, or a same-origin one it reached first) under this frame's policy. */
  const install = (win) => {
    markCovered(win);
    lockPromises(win);
    installToString(win);
    wrapPeerConnections(win, policy, monitor, requests.request, requests);
    wrapMedia(win, policy);
    coverChildRealms(win, install);
  };
  if (coveredBefore) watchInsertedFrames(window, (child) => isCovered(child) || install(child));
  else install(window);
})();
