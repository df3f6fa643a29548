// The wrapper's hold of negotiationneeded (main-world/peer-connections.js) on a fake browser
// connection: an event held (before the decision, or while the page's operations wait in the
// wrapper) reaches the page once, and never after the page was told by the browser itself or made
// an offer that carries the change: a page following the W3C perfect-negotiation example then
// offers exactly as often as without the wrapper.
import assert from "node:assert/strict";
import { test } from "node:test";
import { readDecision, createPolicyState } from "../src/main-world/policy-state.js";
import { wrapPeerConnections } from "../src/main-world/peer-connections.js";

const SDP = "v=0\r\na=fingerprint:sha-256 AB:CD\r\n";
const TURN = { username: "1764000600:alice:x", credential: "c2VjcmV0", uris: ["turn:127.0.0.1:3478"] };
const RELAY = { type: "decision", decision: { decision: "relay", settings: {}, turn: TURN } };

/** A browser realm whose connection keeps a signaling state; `gate` holds an operation open. */
function fakeRealm() {
  class RTCSessionDescription {
    constructor({ type, sdp }) {
      Object.defineProperty(this, "init", { value: { type, sdp } });
    }
    get type() {
      return this.init.type;
    }
    get sdp() {
      return this.init.sdp;
    }
  }
  class RTCPeerConnectionIceEvent extends Event {
    get candidate() {
      return null;
    }
  }
  class RTCDataChannelEvent extends Event {
    get channel() {
      return null;
    }
  }
  class RTCIceCandidate {}
  class RTCDataChannel {
    close() {}
  }
  const real = new WeakMap();
  class RTCPeerConnection extends EventTarget {
    constructor(config) {
      super();
      real.set(this, { config, state: "stable", log: [], gates: [] });
    }
    #step(name, apply) {
      const r = real.get(this);
      r.log.push(name);
      if (r.fail) return Promise.reject(new DOMException("refused", "OperationError"));
      const gate = r.gates.shift();
      return (gate ?? Promise.resolve()).then(() => {
        apply(r);
        if (r.state === "stable") this.dispatchEvent(new Event("signalingstatechange"));
      });
    }
    createOffer() {
      return Promise.resolve({ type: "offer", sdp: SDP });
    }
    createAnswer() {
      return Promise.resolve({ type: "answer", sdp: SDP });
    }
    setLocalDescription(d) {
      return this.#step(`local ${d?.type ?? "implicit"}`, (r) => {
        r.state = r.state === "have-remote-offer" ? "stable" : "have-local-offer";
      });
    }
    setRemoteDescription(d) {
      return this.#step(`remote ${d.type}`, (r) => {
        r.state = d.type === "offer" ? "have-remote-offer" : "stable";
      });
    }
    addIceCandidate() {
      return this.#step("candidate", () => {});
    }
    getConfiguration() {
      return real.get(this).config;
    }
    setConfiguration(config) {
      real.get(this).config = config;
    }
    createDataChannel() {
      return new RTCDataChannel();
    }
    close() {
      real.get(this).closed = true;
    }
    get localDescription() {
      return null;
    }
    get currentLocalDescription() {
      return null;
    }
    get pendingLocalDescription() {
      return null;
    }
    get remoteDescription() {
      return null;
    }
    get currentRemoteDescription() {
      return null;
    }
    get pendingRemoteDescription() {
      return null;
    }
    get signalingState() {
      return real.get(this).state;
    }
    get connectionState() {
      return real.get(this).closed ? "closed" : "new";
    }
    get iceConnectionState() {
      return "new";
    }
    get iceGatheringState() {
      return "new";
    }
  }
  const win = new EventTarget();
  Object.assign(win, {
    RTCPeerConnection,
    RTCPeerConnectionIceEvent,
    RTCDataChannelEvent,
    RTCDataChannel,
    RTCIceCandidate,
    RTCSessionDescription,
    RTCStatsReport: class {},
    EventTarget,
    Event,
  });
  return { win, real };
}

/** One wrapped connection; `fire()` is the browser's negotiationneeded; `heard` what the page got. */
function setUp({ decided = true } = {}) {
  const policy = createPolicyState(() => {});
  if (decided) policy.decide(readDecision(RELAY));
  const { win, real } = fakeRealm();
  wrapPeerConnections(win, policy, { created() {}, closed() {} }, () => new Promise(() => {}));
  const pc = new win.RTCPeerConnection({});
  const heard = [];
  pc.onnegotiationneeded = () => heard.push("negotiationneeded");
  pc.addEventListener("negotiationneeded", pc.onnegotiationneeded);
  /** An operation of the browser's connection that completes only when `open()` is called. */
  const gate = () => {
    let open;
    real.get(pc).gates.push(new Promise((resolve) => (open = resolve)));
    return () => open();
  };
  return {
    pc,
    heard,
    gate,
    log: () => real.get(pc).log,
    real: () => real.get(pc),
    fire: () => pc.dispatchEvent(new win.Event("negotiationneeded")),
    decide: () => policy.decide(readDecision(RELAY)),
  };
}

/** Lets every queued task run (the wrapper dispatches a held event from a task). */
const tasks = () => new Promise((resolve) => setTimeout(resolve, 5));

test("an event of the browser's with nothing in flight reaches the page as it is, once", async () => {
  const { heard, fire } = setUp();
  fire();
  await tasks();
  assert.equal(heard.length, 1);
});

test("an event before the decision reaches the page once the decision is applied, once", async () => {
  const { heard, fire, decide } = setUp({ decided: false });
  fire();
  await tasks();
  assert.deepEqual(heard, [], "held while undecided");
  decide();
  await tasks();
  await tasks();
  assert.equal(heard.length, 1);
});

test("an event while a candidate waits in the wrapper reaches the page when it settles, once", async () => {
  const { pc, heard, fire, gate } = setUp();
  const open = gate();
  const adding = pc.addIceCandidate({ candidate: "", sdpMid: "0" });
  await tasks();
  fire();
  await tasks();
  assert.deepEqual(heard, [], "held while the candidate is in flight");
  open();
  await adding;
  await tasks();
  assert.equal(heard.length, 1);
  await tasks();
  assert.equal(heard.length, 1, "not again");
});

test("held before the decision, answered a far-end offer, then the browser's own event: the page hears one", async () => {
  // alice impolite in the W3C example: the far end's offer comes before her decision; after her
  // answer the browser fires again (its data channel is still to negotiate). The held event must
  // not follow as a second one (it made her offer the same data section again).
  const { pc, heard, fire, decide, log } = setUp({ decided: false });
  fire();
  const answered = (async () => {
    await pc.setRemoteDescription({ type: "offer", sdp: SDP });
    await pc.setLocalDescription();
  })();
  decide();
  await answered;
  fire(); // the browser's, back in stable with the data channel still to negotiate
  await tasks();
  await tasks();
  assert.equal(heard.length, 1, `the page was told once (${log().join(", ")})`);
});

test("an event fired while the page's offer round is open is void when the round completes", async () => {
  // The browser fires again after the round if anything is still to negotiate (its flag was set
  // before and after); the held one would only repeat the offer just answered.
  const { pc, heard, fire, gate } = setUp();
  const open = gate();
  const offering = pc.setLocalDescription();
  await tasks();
  fire(); // delivered by the browser while the page's offer waits in the wrapper
  open();
  await offering;
  await tasks();
  assert.deepEqual(heard, [], "not while the round is open");
  await pc.setRemoteDescription({ type: "answer", sdp: SDP });
  await tasks();
  await tasks();
  assert.deepEqual(heard, [], "void once the round completed");
  fire(); // the browser's own, after the round, when something is still to negotiate
  await tasks();
  assert.equal(heard.length, 1);
});

test("an event held while the page's offer failed reaches the page", async () => {
  const { pc, heard, fire, real } = setUp();
  real().fail = true;
  const offering = pc.setLocalDescription();
  fire();
  await assert.rejects(offering);
  await tasks();
  await tasks();
  assert.equal(heard.length, 1, "no round was made: the page must still be told");
});

test("a page offer after the event was held voids it: no event after the round", async () => {
  const { pc, heard, fire, gate } = setUp();
  const open = gate();
  const adding = pc.addIceCandidate({ candidate: "", sdpMid: "0" });
  await tasks();
  fire(); // held: a candidate is in flight
  const offering = pc.setLocalDescription(); // the page offers on its own meanwhile
  open();
  await adding;
  await offering;
  await pc.setRemoteDescription({ type: "answer", sdp: SDP });
  await tasks();
  await tasks();
  assert.deepEqual(heard, [], "its offer carried what the browser asked for");
});
