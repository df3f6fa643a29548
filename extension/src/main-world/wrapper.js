// Secure Edge in the page (MAIN world, document_start, every frame): wraps RTCPeerConnection,
// getUserMedia/getDisplayMedia and data channels under the policy the extension's bridge
// delivers for this page's origin. Runs before any page script; until the decision arrives
// everything fails closed. See extension/README.md, "Secure Edge".
import { openChannel } from "./channel.js";
import { installToString, natives } from "./natives.js";
import { createPolicyState, readDecision, UNAVAILABLE } from "./policy-state.js";
import { wrapPeerConnections } from "./peer-connections.js";
import { createMonitor } from "./monitor.js";
import { wrapMedia } from "./media.js";
import { addressPolicy } from "./candidates.js";

const REQUEST_TIMEOUT_MS = 20_000;

(() => {
  if (typeof RTCPeerConnection !== "function") return;
  installToString();
  // The decision is asked for when the page first uses WebRTC, not on every page load.
  let channel = null;
  const policy = createPolicyState(() => channel.send({ type: "decision.request" }));
  // Recorded calls' requests to the server (recording.js), answered through the bridge.
  const pending = new Map();
  let nextRequest = 1;
  // Every request has a deadline: a bridge, worker or server that never answers fails the step.
  const request = (op, payload) =>
    new natives.Promise((resolve, reject) => {
      const requestId = nextRequest++;
      const timer = natives.setTimeout(() => {
        pending.delete(requestId);
        reject({
          status: 504,
          message: `no answer from the recording service within ${REQUEST_TIMEOUT_MS / 1000} s`,
        });
      }, REQUEST_TIMEOUT_MS);
      pending.set(requestId, {
        resolve: (value) => (natives.clearTimeout(timer), resolve(value)),
        reject: (error) => (natives.clearTimeout(timer), reject(error)),
      });
      channel.send({ type: "record", requestId, op, ...payload });
    });
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
      const waiting = pending.get(message.requestId);
      pending.delete(message.requestId);
      if (waiting) {
        if (message.ok) waiting.resolve(message.value ?? {});
        else waiting.reject({ status: message.status ?? 0, message: String(message.message ?? "failed") });
      }
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
  wrapPeerConnections(window, policy, monitor, request);
  wrapMedia(window, policy);
})();
