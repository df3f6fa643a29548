// Secure Edge in the page (MAIN world, document_start, every frame): wraps RTCPeerConnection,
// getUserMedia/getDisplayMedia and data channels under the policy the extension's bridge
// delivers for this page's origin. Runs before any page script; until the decision arrives
// everything fails closed. See extension/README.md, "Secure Edge".
import { openChannel } from "./channel.js";
import { installToString } from "./natives.js";
import { createRequests } from "./requests.js";
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
  // Recorded calls' requests to the server (recording.js), answered through the bridge.
  const requests = createRequests((message) => channel.send(message));
  let monitor = null;
  channel = openChannel((message) => {
    if (message?.type === "sample.request") {
      monitor?.snapshot().then((samples) =>
        channel.send({
          type: "pc.samples",
          requestId: message.requestId,
          samples: samples.filter(Boolean),
        }),
      );
      return;
    }
    if (message?.type === "record.reply") {
      requests.reply(message);
      return;
    }
    const decision = readDecision(message);
    if (decision) policy.decide(decision);
  });
  if (!channel.connected) {
    policy.decide({ ...UNAVAILABLE, reason: "Vclick's page bridge did not start in this frame." });
  }
  const view = () => addressPolicy(policy.current?.settings);
  monitor = createMonitor(window, channel.send, view);
  wrapPeerConnections(window, policy, monitor, requests.request);
  wrapMedia(window, policy);
})();
