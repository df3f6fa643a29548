// The recorder's negotiation (main-world/recording.js) on a fake connection and a fake server:
// every pattern a site may use maps onto the media server's two rounds, nothing waits forever,
// and the page's view of the signaling state follows the W3C rules.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createRecorder } from "../src/main-world/recording.js";
import { createRequests } from "../src/main-world/requests.js";

class Description {
  constructor({ type, sdp }) {
    this.type = type;
    this.sdp = sdp;
  }
}

/** A fake RTCPeerConnection's native side and the log of what reached it. */
function fakeConnection() {
  const pc = { state: "stable", local: null, remote: null, log: [] };
  const native = {
    createOffer: async function () {
      return { type: "offer", sdp: "v=0 real-offer" };
    },
    createAnswer: async function () {
      return { type: "answer", sdp: "v=0 real-answer" };
    },
    setLocalDescription: async function (d) {
      this.log.push(`local ${d?.type ?? "implicit"}`);
      if (d?.type === "rollback") this.state = "stable";
      else if (d?.type === "offer") this.state = "have-local-offer";
      else this.state = "stable";
      this.local = d;
    },
    setRemoteDescription: async function (d) {
      this.log.push(`remote ${d.type} ${d.sdp}`);
      this.state = d.type === "offer" ? "have-remote-offer" : "stable";
      this.remote = d;
    },
    localDescription: (p) => p.local,
    sdp: (d) => d.sdp,
    type: (d) => d.type,
    iceGatheringState: () => "complete",
    signalingState: (p) => p.state,
    addEventListener: () => {},
    dispatchEvent: () => {},
  };
  return { pc, native };
}

/** A fake recorded-call server: answers each op, logs it; `hold` makes an op never answer. */
function fakeServer({ hold = null, refuse = null } = {}) {
  const calls = [];
  let opened = 0;
  const request = (op, payload) => {
    calls.push({ op, ...payload });
    if (op === hold) return new Promise(() => {});
    if (op === refuse) return Promise.reject({ status: 503, message: "down" });
    if (op === "open") return Promise.resolve({ recorded: true, recordedCallId: `call-${++opened}` });
    if (op === "offer")
      return Promise.resolve({
        sdp: `v=0 server-offer-for-${payload.from === "enterprise" ? "far-end" : "enterprise"}`,
      });
    if (op === "answer")
      return Promise.resolve({
        sdp: `v=0 server-answer-for-${payload.from === "enterprise" ? "far-end" : "enterprise"}`,
      });
    return Promise.resolve({});
  };
  return { calls, request };
}

const win = {
  RTCSessionDescription: Description,
  RTCPeerConnectionIceEvent: class {},
  RTCIceCandidate: class {},
};
const RECORD = { decision: "record", decisionId: "d-1" };

function setUp(server = fakeServer()) {
  const { pc, native } = fakeConnection();
  const recorder = createRecorder({ win, request: server.request, native });
  const state = { id: "conn-1" };
  recorder.attach(state);
  return { pc, recorder, state, server };
}

test("implicit setLocalDescription() offers through the media server and resolves", async () => {
  const { pc, recorder, state, server } = setUp();
  await recorder.setLocalDescription(pc, state, RECORD, undefined);
  assert.equal(recorder.signalingState(state), "have-local-offer");
  assert.equal(recorder.localDescription(state).sdp, "v=0 server-offer-for-far-end");
  assert.equal(recorder.pendingLocalDescription(state).sdp, "v=0 server-offer-for-far-end");
  assert.equal(recorder.currentLocalDescription(state), null);
  assert.deepEqual(
    server.calls.map((c) => c.op),
    ["open", "offer"],
  );
  await recorder.setRemoteDescription(pc, state, RECORD, { type: "answer", sdp: "v=0 far-answer" });
  assert.equal(recorder.signalingState(state), "stable");
  assert.equal(pc.state, "stable");
  assert.equal(recorder.currentRemoteDescription(state).sdp, "v=0 far-answer");
  assert.deepEqual(pc.log, ["local offer", "remote answer v=0 server-answer-for-enterprise"]);
});

test("implicit setLocalDescription() answers an offer the page was given", async () => {
  const { pc, recorder, state } = setUp();
  await recorder.setRemoteDescription(pc, state, RECORD, { type: "offer", sdp: "v=0 far-offer" });
  assert.equal(recorder.signalingState(state), "have-remote-offer");
  await recorder.setLocalDescription(pc, state, RECORD, undefined);
  assert.equal(recorder.signalingState(state), "stable");
  assert.equal(recorder.localDescription(state).type, "answer");
  assert.equal(recorder.localDescription(state).sdp, "v=0 server-answer-for-far-end");
  assert.deepEqual(pc.log, ["remote offer v=0 server-offer-for-enterprise", "local answer"]);
});

test("createOffer then setLocalDescription(offer) is the same round; the page may munge what it was handed", async () => {
  const { pc, recorder, state, server } = setUp();
  const offer = await recorder.createOffer(pc, state, RECORD, []);
  await recorder.setLocalDescription(pc, state, RECORD, { type: "offer", sdp: `${offer.sdp} b=AS:500` });
  assert.equal(recorder.localDescription(state).sdp, "v=0 server-offer-for-far-end b=AS:500");
  assert.equal(server.calls.filter((c) => c.op === "offer").length, 1);
});

test("glare in the first round (the polite page gets an offer while its own waits): rollback, a fresh call, an answer", async () => {
  const { pc, recorder, state, server } = setUp();
  await recorder.setLocalDescription(pc, state, RECORD, undefined);
  await recorder.setRemoteDescription(pc, state, RECORD, { type: "offer", sdp: "v=0 far-offer" });
  assert.equal(recorder.signalingState(state), "have-remote-offer");
  await recorder.setLocalDescription(pc, state, RECORD, undefined);
  assert.equal(recorder.signalingState(state), "stable");
  assert.deepEqual(
    server.calls.map((c) => `${c.op} ${c.id ?? ""}`.trim()),
    ["open", "offer call-1", "hangup call-1", "open", "offer call-2", "answer call-2"],
  );
  assert.deepEqual(pc.log, [
    "local offer",
    "local rollback",
    "remote offer v=0 server-offer-for-enterprise",
    "local answer",
  ]);
});

test("explicit rollback goes back to the last stable descriptions; rollback in stable fails like the browser", async () => {
  const { pc, recorder, state } = setUp();
  await assert.rejects(recorder.setLocalDescription(pc, state, RECORD, { type: "rollback" }), {
    name: "InvalidStateError",
  });
  await recorder.setLocalDescription(pc, state, RECORD, undefined);
  await recorder.setLocalDescription(pc, state, RECORD, { type: "rollback" });
  assert.equal(recorder.signalingState(state), "stable");
  assert.equal(recorder.localDescription(state), null);
  assert.equal(pc.state, "stable");
});

test("candidates: before any remote description InvalidStateError; after it to the media server; end-of-candidates accepted", async () => {
  const { pc, recorder, state, server } = setUp();
  await assert.rejects(
    recorder.addIceCandidate(state, { candidate: "candidate:1 1 udp 1 192.0.2.9 9 typ host", sdpMid: "0" }),
    {
      name: "InvalidStateError",
    },
  );
  const described = recorder.setRemoteDescription(pc, state, RECORD, { type: "offer", sdp: "v=0 far-offer" });
  // Queued behind the description like the browser's operations chain, not refused.
  const added = recorder.addIceCandidate(state, {
    candidate: "candidate:1 1 udp 1 192.0.2.9 9 typ host",
    sdpMid: "0",
  });
  await described;
  await added;
  await recorder.addIceCandidate(state, null);
  await recorder.addIceCandidate(state, { candidate: "", sdpMid: "0" });
  const sent = server.calls.filter((c) => c.op === "candidates");
  assert.equal(sent.length, 1);
  assert.deepEqual(sent[0].candidates, [
    { candidate: "candidate:1 1 udp 1 192.0.2.9 9 typ host", sdpMid: "0", sdpMLineIndex: null },
  ]);
});

test("a refused recording rejects with NotAllowedError and the chain goes on for later steps", async () => {
  const { pc, recorder, state } = setUp(fakeServer({ refuse: "open" }));
  await assert.rejects(recorder.setLocalDescription(pc, state, RECORD, undefined), {
    name: "NotAllowedError",
  });
  await assert.rejects(recorder.addIceCandidate(state, { candidate: "candidate:x", sdpMid: "0" }), {
    name: "InvalidStateError",
  });
});

test("a wrong state is refused at once, never a wait", async () => {
  const { pc, recorder, state } = setUp();
  await assert.rejects(recorder.createAnswer(pc, state, RECORD, []), { name: "InvalidStateError" });
  await assert.rejects(recorder.setRemoteDescription(pc, state, RECORD, { type: "answer", sdp: "v=0 x" }), {
    name: "InvalidStateError",
  });
  await assert.rejects(recorder.setRemoteDescription(pc, state, RECORD, { type: "bogus", sdp: "v=0 x" }), {
    name: "TypeError",
  });
});

test("a second implicit offer while the first waits for its answer changes nothing (racing negotiationneeded handlers)", async () => {
  const { pc, recorder, state, server } = setUp();
  await Promise.all([
    recorder.setLocalDescription(pc, state, RECORD, undefined),
    recorder.setLocalDescription(pc, state, RECORD, undefined),
  ]);
  assert.equal(recorder.signalingState(state), "have-local-offer");
  assert.equal(server.calls.filter((c) => c.op === "offer").length, 1);
});

test("the real connection's candidates trickle to the media server after its description, in order", async () => {
  const { pc, recorder, state, server } = setUp();
  recorder.trickleReal(state, { candidate: "candidate:0 1 udp 1 192.0.2.1 1 typ relay", sdpMid: "0" });
  await recorder.setLocalDescription(pc, state, RECORD, undefined);
  recorder.trickleReal(state, { candidate: "candidate:1 1 udp 1 192.0.2.1 2 typ relay", sdpMid: "0" });
  recorder.trickleReal(state, { candidate: "candidate:2 1 udp 1 192.0.2.1 3 typ relay", sdpMLineIndex: 1 });
  recorder.trickleReal(state, null);
  await new Promise((r) => setTimeout(r, 10));
  const sent = server.calls.filter((c) => c.op === "candidates");
  assert.deepEqual(
    sent.map((c) => [c.from, c.id, c.candidates[0].candidate.split(" ")[5]]),
    [
      ["enterprise", "call-1", "2"],
      ["enterprise", "call-1", "3"],
    ],
  );
  assert.ok(
    server.calls.findIndex((c) => c.op === "offer") < server.calls.findIndex((c) => c.op === "candidates"),
  );
});

test("a request the bridge never answers fails after its deadline; replies settle theirs once; strangers are ignored", async () => {
  const sent = [];
  const requests = createRequests((m) => sent.push(m), { timeoutMs: 30 });
  const unanswered = requests.request("open", { decisionId: "d" });
  const answered = requests.request("offer", { id: "c", sdp: "v=0" });
  requests.reply({ type: "record.reply", requestId: sent[1].requestId, ok: true, value: { sdp: "v=0 x" } });
  requests.reply({ type: "record.reply", requestId: sent[1].requestId, ok: false, status: 500 });
  requests.reply({ type: "record.reply", requestId: 999, ok: true });
  assert.deepEqual({ ...(await answered) }, { sdp: "v=0 x" });
  await assert.rejects(unanswered, (e) => e.status === 504 && /within/.test(e.message));
  assert.deepEqual(
    sent.map((m) => m.op),
    ["open", "offer"],
  );
});
