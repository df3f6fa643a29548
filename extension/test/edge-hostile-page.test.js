// Secure Edge against a hostile page, without a browser: the wrapper's pure parts give the same
// answers when the page has replaced every built-in they could use (captured at start:
// main-world/natives.js), decisions and server answers are read by own properties only,
// dictionaries are read once, and a connection is refused by every other realm's wrapper.
import assert from "node:assert/strict";
import { test } from "node:test";
import { addressPolicy, filterCandidate, sanitizeSdp, sanitizeStat } from "../src/main-world/candidates.js";
import { isNonPublic } from "../src/main-world/addresses.js";
import { effectiveConfig, readConfig } from "../src/main-world/ice-config.js";
import { readDecision, createPolicyState } from "../src/main-world/policy-state.js";
import { fingerprintOf, summarise } from "../src/main-world/monitor.js";
import { readConstraints } from "../src/main-world/dictionaries.js";
import { refusesUserMedia } from "../src/main-world/media.js";
import { createRequests } from "../src/main-world/requests.js";
import { wrapPeerConnections } from "../src/main-world/peer-connections.js";
import { map, weakMap } from "../src/main-world/natives.js";

const HOST = "candidate:1 1 udp 2122260223 192.168.1.20 54400 typ host generation 0";
const RELAY = "candidate:6 1 udp 41885439 198.51.100.50 49300 typ relay raddr 192.168.1.20 rport 54400";
const SDP = [
  "v=0",
  "c=IN IP4 192.168.1.20",
  `a=${HOST}`,
  `a=${RELAY}`,
  "a=fingerprint:sha-256 AB:CD",
  "",
].join("\r\n");
const TURN = { username: "1764000600:alice:x", credential: "c2VjcmV0", uris: ["turn:127.0.0.1:3478"] };

/** Runs `body` with the page's replacements of built-ins in place, then puts the originals back. */
function poisoned(body) {
  const saved = [];
  const replace = (target, key, value) => {
    saved[saved.length] = [target, key, Object.getOwnPropertyDescriptor(target, key)];
    Object.defineProperty(target, key, { value, writable: true, configurable: true });
  };
  const arrayIterator = Object.getPrototypeOf([][Symbol.iterator]());
  replace(RegExp.prototype, "exec", () => null);
  replace(RegExp.prototype, "test", () => false);
  replace(String.prototype, "split", () => []);
  replace(String.prototype, "startsWith", () => false);
  replace(String.prototype, "includes", () => false);
  replace(String.prototype, "indexOf", () => -1);
  for (const name of [
    "filter",
    "map",
    "find",
    "some",
    "every",
    "includes",
    "indexOf",
    "join",
    "push",
    "slice",
  ]) {
    replace(Array.prototype, name, () => {
      throw new Error(`Array.prototype.${name} used`);
    });
  }
  replace(arrayIterator, "next", () => ({ done: true }));
  replace(Array, "isArray", () => false);
  replace(WeakMap.prototype, "get", () => undefined);
  replace(Map.prototype, "get", () => undefined);
  replace(Set.prototype, "has", () => true);
  replace(Object.prototype, "candidateFilter", "mode-1");
  replace(Object.prototype, "turn", {
    username: "page",
    credential: "page",
    uris: ["turn:evil.example:443"],
  });
  replace(Object.prototype, "recorded", true);
  Object.defineProperty(Array.prototype, "0", {
    set() {
      throw new Error("an Array.prototype setter was reached");
    },
    configurable: true,
  });
  try {
    return body();
  } finally {
    delete Array.prototype[0];
    // Undone in reverse, with an index loop (the array iterator is one of the replaced).
    for (let i = saved.length - 1; i >= 0; i--) {
      const target = saved[i][0];
      const key = saved[i][1];
      const descriptor = saved[i][2];
      if (descriptor) Object.defineProperty(target, key, descriptor);
      else delete target[key];
    }
  }
}

test("candidate filtering, addresses and SDP answer the same with every built-in replaced", () => {
  const policy = addressPolicy({ candidateFilter: "relay-only", fakeLocalIp: "192.0.2.1" });
  const clean = {
    host: filterCandidate(HOST, policy),
    relay: filterCandidate(RELAY, policy),
    sdp: sanitizeSdp(SDP, policy),
    nonPublic: isNonPublic("10.1.2.3"),
  };
  const dirty = poisoned(() => ({
    host: filterCandidate(HOST, policy),
    relay: filterCandidate(RELAY, policy),
    sdp: sanitizeSdp(SDP, policy),
    nonPublic: isNonPublic("10.1.2.3"),
    policy: addressPolicy({ candidateFilter: "mode-3" }).mode,
    missing: addressPolicy({}).mode,
  }));
  assert.equal(clean.host, null);
  assert.match(clean.relay, /raddr 192\.0\.2\.1 rport 0$/);
  assert.doesNotMatch(clean.sdp, /192\.168/);
  assert.deepEqual(
    { ...dirty, policy: undefined, missing: undefined },
    { ...clean, policy: undefined, missing: undefined },
  );
  assert.equal(dirty.policy, "mode-3");
  assert.equal(dirty.missing, "relay-only", "a page's Object.prototype.candidateFilter is never read");
  const stat = {
    type: "local-candidate",
    candidateType: "host",
    address: "192.168.1.20",
    relatedAddress: "10.0.0.1",
  };
  assert.equal(poisoned(() => sanitizeStat(stat, policy)).address, "192.0.2.1");
});

test("the minted credential only ever goes to the enterprise relay, whatever the page replaced", () => {
  const decision = readDecision({
    type: "decision",
    decision: { decision: "relay", settings: {}, turn: TURN },
  });
  const page = {
    iceServers: [{ urls: "turn:evil.example:443", username: "u", credential: "p" }],
    iceTransportPolicy: "all",
  };
  const config = poisoned(() => effectiveConfig(page, decision));
  assert.deepEqual(config.iceServers, [
    { urls: TURN.uris, username: TURN.username, credential: TURN.credential },
  ]);
  assert.equal(config.iceTransportPolicy, "relay");
});

test("decisions are read by own properties: a page's Object.prototype adds no relay, mode or answer", () => {
  const unavailable = poisoned(() =>
    readDecision({ type: "decision", decision: { decision: "unavailable" } }),
  );
  assert.equal(unavailable.turn, null, "no turn from Object.prototype");
  assert.equal(unavailable.settings.candidateFilter, undefined);
  assert.equal(Object.getPrototypeOf(unavailable), null, "no then to find when a promise resolves with it");
  const sent = [];
  const requests = createRequests((m) => sent.push(m));
  const opened = requests.request("open", {});
  poisoned(() => requests.reply({ type: "record.reply", requestId: sent[0].requestId, ok: true, value: {} }));
  return opened.then((answer) => {
    assert.equal(answer.recorded, undefined, "a page's Object.prototype.recorded is not the server's answer");
    assert.equal(Object.getPrototypeOf(answer), null);
  });
});

test("fingerprints and summaries come from the stats as they are, not from replaced built-ins", () => {
  const stats = [
    { id: "T", type: "transport", selectedCandidatePairId: "P", bytesSent: 5, bytesReceived: 7 },
    { id: "P", type: "candidate-pair", localCandidateId: "L", remoteCandidateId: "R" },
    { id: "L", type: "local-candidate", candidateType: "relay", address: "198.51.100.50", port: 1 },
    { id: "R", type: "remote-candidate", candidateType: "relay", address: "198.51.100.51", port: 2 },
  ];
  const clean = { ...summarise(stats) };
  assert.deepEqual(
    poisoned(() => ({ ...summarise(stats) })),
    clean,
  );
  assert.equal(
    poisoned(() => fingerprintOf(SDP)),
    "sha-256 AB:CD",
  );
});

test("getUserMedia constraints and configurations are read exactly once", () => {
  let reads = 0;
  const shifty = {
    get video() {
      return reads++ > 0;
    },
  };
  const copy = readConstraints(shifty);
  const blockCamera = { decision: "relay", settings: { blockCamera: true } };
  assert.equal(reads, 1);
  assert.equal(refusesUserMedia(blockCamera, copy), copy.video === true);
  assert.equal(copy.video, false, "the one read said no camera: and the browser gets that copy");
  assert.ok(refusesUserMedia(blockCamera, readConstraints({ video: null })), "null asks for the camera");
  let serverReads = 0;
  const config = {
    get iceServers() {
      serverReads++;
      return serverReads > 1 ? [{ urls: "turn:evil.example:443" }] : [];
    },
  };
  const read = readConfig(config);
  const allow = { decision: "allow", settings: { candidateFilter: "mode-1" }, turn: null };
  assert.deepEqual(effectiveConfig(read, allow).iceServers, []);
  assert.equal(serverReads, 1);
});

test("collections keep working when the page replaced Map and WeakMap methods", () => {
  const m = map();
  const w = weakMap();
  const key = {};
  poisoned(() => {
    m.set("a", 1);
    w.set(key, 2);
  });
  assert.equal(
    poisoned(() => m.get("a")),
    1,
  );
  assert.equal(
    poisoned(() => w.get(key)),
    2,
  );
});

const eventCandidates = new WeakMap();
const candidateInits = new WeakMap();

/** A browser realm's WebRTC classes, small enough to wrap (the real ones: e2e red-team spec). */
function fakeRealm() {
  class RTCSessionDescription {
    #type;
    #sdp;
    constructor(init) {
      this.#type = init.type;
      this.#sdp = init.sdp;
    }
    get type() {
      return this.#type;
    }
    get sdp() {
      return this.#sdp;
    }
  }
  class RTCIceCandidate {
    constructor(init) {
      candidateInits.set(this, init);
    }
    get candidate() {
      return candidateInits.get(this).candidate;
    }
    get sdpMid() {
      return candidateInits.get(this).sdpMid ?? null;
    }
    get sdpMLineIndex() {
      return candidateInits.get(this).sdpMLineIndex ?? null;
    }
    get usernameFragment() {
      return null;
    }
  }
  class RTCPeerConnectionIceEvent extends Event {
    constructor(type, init) {
      super(type);
      // A browser's platform objects answer any same-origin realm's getter: kept outside the class.
      eventCandidates.set(this, init?.candidate ?? null);
    }
    get candidate() {
      return eventCandidates.get(this);
    }
  }
  class RTCDataChannelEvent extends Event {
    get channel() {
      return null;
    }
  }
  class RTCDataChannel {
    close() {}
  }
  class RTCStatsReport {
    forEach() {}
    get() {}
    entries() {}
    values() {}
  }
  const real = new WeakMap();
  class RTCPeerConnection extends EventTarget {
    constructor(config) {
      super();
      real.set(this, { config, log: [] });
    }
    createOffer() {
      // As Chromium: a plain {type, sdp}, not an RTCSessionDescription.
      return Promise.resolve({ type: "offer", sdp: SDP });
    }
    createAnswer() {
      return this.createOffer();
    }
    setLocalDescription(d) {
      real.get(this).log.push(`local ${d?.type ?? "implicit"}`);
      return Promise.resolve();
    }
    setRemoteDescription(d) {
      real.get(this).log.push(`remote ${d.type}`);
      return Promise.resolve();
    }
    addIceCandidate() {
      return Promise.resolve();
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
    addTransceiver() {
      return {};
    }
    getStats() {
      return Promise.resolve(new RTCStatsReport());
    }
    close() {
      real.get(this).closed = true;
    }
    get localDescription() {
      return new RTCSessionDescription({ type: "offer", sdp: SDP });
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
      return "stable";
    }
    get connectionState() {
      return real.get(this).closed ? "closed" : "new";
    }
    get iceConnectionState() {
      return real.get(this).closed ? "closed" : "new";
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
    RTCStatsReport,
    EventTarget,
    Event,
  });
  return { win, real };
}

test("a connection is refused by every other realm's wrapper, whatever is called on it", async () => {
  const policy = createPolicyState(() => {});
  policy.decide(
    readDecision({
      type: "decision",
      decision: { decision: "relay", settings: { candidateFilter: "relay-only" }, turn: TURN },
    }),
  );
  const monitor = { created() {}, closed() {} };
  const top = fakeRealm();
  const frame = fakeRealm();
  wrapPeerConnections(top.win, policy, monitor, () => new Promise(() => {}));
  wrapPeerConnections(frame.win, policy, monitor, () => new Promise(() => {}));
  const pc = new top.win.RTCPeerConnection({ iceServers: [{ urls: "turn:evil.example:443" }] });
  assert.deepEqual(top.real.get(pc).config.iceServers, [
    { urls: TURN.uris, username: TURN.username, credential: TURN.credential },
  ]);
  const P = frame.win.RTCPeerConnection.prototype;
  const illegal = { name: "TypeError", message: "Illegal invocation" };
  assert.throws(
    () => P.setConfiguration.call(pc, { iceServers: [{ urls: "turn:evil.example:443" }] }),
    illegal,
  );
  assert.throws(() => P.createDataChannel.call(pc, "x"), illegal);
  assert.throws(() => P.getConfiguration.call(pc), illegal);
  assert.throws(() => P.addTransceiver.call(pc, "audio"), illegal);
  for (const name of ["localDescription", "signalingState", "remoteDescription"]) {
    assert.throws(() => Object.getOwnPropertyDescriptor(P, name).get.call(pc), illegal, name);
  }
  for (const name of [
    "setLocalDescription",
    "setRemoteDescription",
    "createOffer",
    "addIceCandidate",
    "getStats",
  ]) {
    await assert.rejects(P[name].call(pc, { type: "answer", sdp: SDP }), illegal, name);
  }
  assert.deepEqual(top.real.get(pc).log, [], "nothing reached the browser's connection");
  assert.deepEqual(top.real.get(pc).config.iceServers[0].urls, TURN.uris, "its configuration unchanged");
  // Its own realm's functions still work, under the policy.
  assert.equal(
    pc.getConfiguration().iceServers[0].urls,
    "turn:evil.example:443",
    "the page sees its own servers",
  );
  assert.doesNotMatch(pc.localDescription.sdp, /192\.168|typ host/);
  assert.doesNotMatch(
    (await pc.createOffer()).sdp,
    /192\.168|typ host/,
    "createOffer's plain result filtered too",
  );
  await pc.setLocalDescription();
  assert.deepEqual(top.real.get(pc).log, ["local implicit"]);
  // Another realm's candidate getter filters an event it never saw.
  const event = new top.win.RTCPeerConnectionIceEvent("icecandidate", {
    candidate: new top.win.RTCIceCandidate({ candidate: HOST }),
  });
  const getter = Object.getOwnPropertyDescriptor(
    frame.win.RTCPeerConnectionIceEvent.prototype,
    "candidate",
  ).get;
  assert.equal(getter.call(event), null);
});

test("a recorded call the server stops fails the page's connection at once: failed, its events, no hang-up", async () => {
  const policy = createPolicyState(() => {});
  policy.decide(
    readDecision({
      type: "decision",
      decision: {
        decision: "record",
        decisionId: "d-1",
        settings: { candidateFilter: "relay-only" },
        turn: TURN,
      },
    }),
  );
  const ended = [];
  const monitor = { created() {}, closed: (pc, state, reason) => ended.push(reason) };
  const sent = [];
  const requests = createRequests(() => {});
  const request = (op, payload) => {
    sent.push(op);
    if (op === "open") return Promise.resolve({ recorded: true, recordedCallId: `call-${sent.length}` });
    return Promise.resolve({ sdp: "v=0 media-server" });
  };
  const top = fakeRealm();
  wrapPeerConnections(top.win, policy, monitor, request, requests);
  const pc = new top.win.RTCPeerConnection({});
  const other = new top.win.RTCPeerConnection({});
  await pc.setLocalDescription();
  await other.setLocalDescription();
  const seen = [];
  pc.addEventListener("connectionstatechange", () => seen.push(`connection ${pc.connectionState}`));
  pc.oniceconnectionstatechange = () => seen.push(`ice ${pc.iceConnectionState}`);
  pc.addEventListener("iceconnectionstatechange", pc.oniceconnectionstatechange);
  requests.stopped({ type: "record.stopped", recordedCallId: "unknown", reason: "recording-failed" });
  assert.deepEqual(seen, [], "another call's stop changes nothing");
  requests.stopped({ type: "record.stopped", recordedCallId: "call-1", reason: "recording-failed" });
  assert.equal(top.real.get(pc).closed, true, "the browser's connection is closed");
  assert.equal(pc.connectionState, "failed", "the page reads failed, not a close it never made");
  assert.equal(pc.iceConnectionState, "failed");
  assert.deepEqual(seen, ["ice failed", "connection failed"]);
  assert.deepEqual(ended, ["blocked"], "reported ended by policy");
  requests.stopped({ type: "record.stopped", recordedCallId: "call-1", reason: "recording-failed" });
  pc.close();
  assert.deepEqual(seen.length, 2, "once");
  assert.equal(sent.filter((op) => op === "hangup").length, 0, "the server released it: no hang-up sent");
  assert.equal(other.connectionState, "new", "the frame's other connections go on");
});
