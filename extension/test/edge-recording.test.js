// Recorded calls in the extension: the wrapper's requests as the worker checks them
// (background/recorded-calls.js) and the media server's candidates the page is told about
// (main-world/recording.js).
import assert from "node:assert/strict";
import { test } from "node:test";
import { apiRequestOf } from "../src/background/recorded-calls.js";
import { candidatesOf } from "../src/main-world/recording.js";

const ID = "0b7a4c1e-2f3d-4a5b-9c6d-7e8f9a0b1c2d";

test("each wrapper request becomes exactly one API request", () => {
  assert.deepEqual(apiRequestOf({ op: "open", decisionId: ID }), {
    method: "POST",
    path: "edge/recorded-calls",
    body: { decisionId: ID },
  });
  assert.deepEqual(apiRequestOf({ op: "open", decisionId: ID, connectionId: ID }), {
    method: "POST",
    path: "edge/recorded-calls",
    body: { decisionId: ID, connectionId: ID },
  });
  assert.deepEqual(
    apiRequestOf({ op: "open", decisionId: ID, connectionId: "not-a-connection" }).body,
    { decisionId: ID },
    "a connection id of another shape is left out, not passed on",
  );
  assert.deepEqual(apiRequestOf({ op: "offer", id: ID, from: "enterprise", sdp: "v=0\r\n" }), {
    method: "POST",
    path: `edge/recorded-calls/${ID}/offer`,
    body: { from: "enterprise", sdp: "v=0\r\n" },
  });
  assert.deepEqual(apiRequestOf({ op: "hangup", id: ID }), {
    method: "DELETE",
    path: `edge/recorded-calls/${ID}`,
  });
  const candidates = apiRequestOf({
    op: "candidates",
    id: ID,
    from: "far-end",
    candidates: [
      { candidate: "candidate:1 1 udp 1 10.0.0.1 9 typ host", sdpMid: "0", sdpMLineIndex: 0, extra: 1 },
    ],
  });
  assert.deepEqual(candidates.body.candidates[0], {
    candidate: "candidate:1 1 udp 1 10.0.0.1 9 typ host",
    sdpMid: "0",
    sdpMLineIndex: 0,
  });
});

test("a page's forged or oversized requests are refused before they leave the browser", () => {
  for (const request of [
    null,
    { op: "drop-table" },
    { op: "open", decisionId: "../../admin" },
    { op: "offer", id: "../x", from: "enterprise", sdp: "v=0" },
    { op: "offer", id: ID, from: "mallory", sdp: "v=0" },
    { op: "answer", id: ID, from: "far-end", sdp: "not sdp" },
    { op: "answer", id: ID, from: "far-end", sdp: "v=0" + "x".repeat(40_000) },
    { op: "candidates", id: ID, from: "far-end", candidates: [] },
    {
      op: "candidates",
      id: ID,
      from: "far-end",
      candidates: new Array(51).fill({ candidate: "", sdpMid: "0", sdpMLineIndex: 0 }),
    },
    { op: "hangup", id: 7 },
  ]) {
    const refused = apiRequestOf(request);
    assert.equal(refused.ok, false, JSON.stringify(request)?.slice(0, 80));
    assert.equal(refused.status, 400);
  }
});

test("the media server's candidates are read from its description, per media section", () => {
  const sdp = [
    "v=0",
    "m=audio 9 UDP/TLS/RTP/SAVPF 111",
    "a=mid:a0",
    "a=candidate:1 1 udp 2015363327 10.66.2.1 20000 typ host",
    "m=video 9 UDP/TLS/RTP/SAVPF 96",
    "a=mid:v1",
    "a=candidate:2 1 udp 2015363327 10.66.2.1 20002 typ host",
    "",
  ].join("\r\n");
  assert.deepEqual(candidatesOf(sdp), [
    { candidate: "candidate:1 1 udp 2015363327 10.66.2.1 20000 typ host", sdpMid: "a0", sdpMLineIndex: 0 },
    { candidate: "candidate:2 1 udp 2015363327 10.66.2.1 20002 typ host", sdpMid: "v1", sdpMLineIndex: 1 },
  ]);
});
