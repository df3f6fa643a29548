// Secure Edge in the page (MAIN world, document_start, every frame): wraps RTCPeerConnection,
// getUserMedia/getDisplayMedia and data channels under the policy the extension's bridge
// delivers for this page's origin. Runs before any page script; until the decision arrives
// everything fails closed. See extension/README.md, "Secure Edge".
import { openChannel } from "./channel.js";
import { installToString } from "./natives.js";
import { createPolicyState, readDecision, UNAVAILABLE } from "./policy-state.js";
import { wrapPeerConnections } from "./peer-connections.js";
import { createMonitor } from "./monitor.js";
import { wrapMedia } from "./media.js";
import { addressPolicy } from "./candidates.js";

(() => {
  if (typeof RTCPeerConnection !== "function") return;
  installToString();
  // The decision is asked for when the page first uses WebRTC, not on every page load.
  let channel = null;
  const policy = createPolicyState(() => channel.send({ type: "decision.request" }));
  channel = openChannel((message) => {
    const decision = readDecision(message);
    if (decision) policy.decide(decision);
  });
  if (!channel.connected) {
    policy.decide({ ...UNAVAILABLE, reason: "Vclick's page bridge did not start in this frame." });
  }
  const view = () => addressPolicy(policy.current?.settings);
  const monitor = createMonitor(window, channel.send, view);
  wrapPeerConnections(window, policy, monitor);
  wrapMedia(window, policy);
})();
