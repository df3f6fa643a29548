// The wrapper's decisions that need no browser: the configuration the browser really gets, the
// capture refusals, the decision message check, connection summaries and the report check.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  blocksConnections,
  effectiveConfig,
  failClosedConfig,
  pageView,
} from "../src/main-world/ice-config.js";
import { refusesDisplayMedia, refusesUserMedia } from "../src/main-world/media.js";
import { readDecision, UNAVAILABLE } from "../src/main-world/policy-state.js";
import { fingerprintOf, summarise } from "../src/main-world/monitor.js";
import { checkPcReport } from "../src/shared/edge-reports.js";

const TURN = {
  username: "1764000600:u1:b269ef44cce90c0e",
  credential: "c2VjcmV0",
  uris: [
    "turn:127.0.0.1:3478?transport=udp",
    "turn:127.0.0.1:3478?transport=tcp",
    "turns:relay.example:5349",
  ],
};
const decision = (kind, candidateFilter = "relay-only", extra = {}) => ({
  decision: kind,
  settings: { candidateFilter, ...extra },
  turn: kind === "relay" || kind === "record" ? TURN : null,
});
const PAGE = {
  iceServers: [
    { urls: ["stun:stun.example:3478", "turn:turn.site.example:3478"], username: "s", credential: "p" },
  ],
  bundlePolicy: "max-bundle",
};

test("before the decision: relay only with no servers, the page's other settings kept", () => {
  assert.deepEqual(failClosedConfig(PAGE), {
    bundlePolicy: "max-bundle",
    iceServers: [],
    iceTransportPolicy: "relay",
  });
  assert.deepEqual(failClosedConfig(undefined), { iceServers: [], iceTransportPolicy: "relay" });
});

test("relay: the enterprise relay with the minted credentials only, iceTransportPolicy relay", () => {
  const config = effectiveConfig(PAGE, decision("relay"));
  assert.deepEqual(config.iceServers, [
    { urls: TURN.uris, username: TURN.username, credential: TURN.credential },
  ]);
  assert.equal(config.iceTransportPolicy, "relay");
  assert.equal(config.bundlePolicy, "max-bundle");
});

test("mode 4 keeps only the relay's TCP and TLS URIs", () => {
  const config = effectiveConfig(PAGE, decision("relay", "mode-4"));
  assert.deepEqual(config.iceServers[0].urls, [
    "turn:127.0.0.1:3478?transport=tcp",
    "turns:relay.example:5349",
  ]);
});

test("allow: the page's servers; STUN stripped only when the mode forces relay", () => {
  assert.deepEqual(effectiveConfig(PAGE, decision("allow", "mode-2")).iceServers, PAGE.iceServers);
  assert.equal(effectiveConfig(PAGE, decision("allow", "mode-2")).iceTransportPolicy, "all");
  const strict = effectiveConfig(PAGE, decision("allow", "relay-only"));
  assert.deepEqual(strict.iceServers[0].urls, ["turn:turn.site.example:3478"]);
  assert.equal(strict.iceTransportPolicy, "relay");
});

test("deny, unavailable and a relay decision without credentials block connections", () => {
  assert.ok(blocksConnections(decision("deny")));
  assert.ok(blocksConnections(UNAVAILABLE));
  assert.ok(blocksConnections({ ...decision("relay"), turn: null }));
  assert.ok(!blocksConnections(decision("relay")));
  assert.ok(!blocksConnections(decision("allow", "mode-1")));
});

test("getConfiguration shows the page its own servers", () => {
  const view = pageView(
    {
      iceServers: [{ urls: TURN.uris, credential: "secret" }],
      iceTransportPolicy: "relay",
      bundlePolicy: "max-bundle",
    },
    PAGE,
  );
  assert.deepEqual(view.iceServers, PAGE.iceServers);
  assert.equal(view.iceTransportPolicy, "all");
  assert.ok(!JSON.stringify(view).includes("secret"));
});

test("capture: blocked kinds refused, deny and unavailable refuse everything", () => {
  const camera = decision("relay", "relay-only", { blockCamera: true });
  assert.ok(refusesUserMedia(camera, { video: true }));
  assert.ok(refusesUserMedia(camera, { audio: true, video: { width: 640 } }));
  assert.ok(!refusesUserMedia(camera, { audio: true }));
  assert.ok(!refusesUserMedia(camera, { audio: true, video: false }));
  assert.ok(refusesUserMedia(decision("relay", "relay-only", { blockMicrophone: true }), { audio: true }));
  assert.ok(refusesUserMedia(decision("deny"), { audio: true }));
  assert.ok(refusesUserMedia(UNAVAILABLE, { video: true }));
  assert.ok(!refusesDisplayMedia(decision("relay")));
  assert.ok(refusesDisplayMedia(decision("relay", "relay-only", { blockScreenCapture: true })));
});

test("decision messages: only well-formed ones count; a malformed one is unavailable", () => {
  assert.equal(readDecision({ type: "other" }), null);
  assert.equal(readDecision({ type: "decision", decision: { decision: "maybe" } }), UNAVAILABLE);
  const read = readDecision({
    type: "decision",
    decision: { decision: "relay", decisionId: "d1", settings: {}, turn: { ...TURN, uris: [1] } },
  });
  assert.equal(
    read.turn,
    null,
    "credentials with a bad URI list are dropped (the relay decision then blocks)",
  );
  const turn = readDecision({ type: "decision", decision: decision("relay") }).turn;
  assert.deepEqual({ ...turn, uris: Array.prototype.slice.call(turn.uris) }, TURN);
});

test("fingerprints and the selected pair from stats", () => {
  assert.equal(fingerprintOf("v=0\r\na=fingerprint:SHA-256 ab:cd:EF\r\n"), "sha-256 AB:CD:EF");
  assert.equal(fingerprintOf("v=0"), null);
  const stats = [
    { id: "T", type: "transport", selectedCandidatePairId: "P", bytesSent: 10, bytesReceived: 20 },
    { id: "P", type: "candidate-pair", localCandidateId: "L", remoteCandidateId: "R" },
    {
      id: "L",
      type: "local-candidate",
      candidateType: "relay",
      address: "198.51.100.50",
      port: 49300,
      protocol: "udp",
    },
    { id: "R", type: "remote-candidate", candidateType: "relay", address: "198.51.100.50", port: 49301 },
  ];
  assert.deepEqual(
    { ...summarise(stats) },
    {
      localCandidateType: "relay",
      remoteCandidateType: "relay",
      protocol: "udp",
      localAddress: "198.51.100.50:49300",
      remoteAddress: "198.51.100.50:49301",
      bytesSent: 10,
      bytesReceived: 20,
    },
  );
});

test("connection reports are checked field by field", () => {
  const id = "0b7a4c1e-2f3d-4a5b-9c6d-7e8f9a0b1c2d";
  const at = "2026-11-24T10:00:00.000Z";
  assert.equal(checkPcReport({ type: "pc", event: "created", connectionId: "nope", at }), null);
  assert.equal(checkPcReport({ type: "pc", event: "hacked", connectionId: id, at }), null);
  assert.equal(checkPcReport({ type: "pc", event: "created", connectionId: id, at: "yesterday" }), null);
  const report = checkPcReport({
    type: "pc",
    event: "closed",
    connectionId: id,
    at,
    bytesSent: -1,
    bytesReceived: 5,
    endReason: "closed-by-page",
    localCandidateType: "<script>",
    extra: "dropped",
  });
  assert.deepEqual(report, {
    event: "closed",
    connectionId: id,
    at,
    bytesReceived: 5,
    endReason: "closed-by-page",
  });
});
