// Secure Edge's address and candidate filtering (main-world/addresses.js, candidates.js): what a
// page sees of its connection's candidates, SDP and stats in each candidate filter mode.
import assert from "node:assert/strict";
import { test } from "node:test";
import { inRanges, isNonPublic, parseIp, parseRange } from "../src/main-world/addresses.js";
import {
  addressPolicy,
  filterCandidate,
  maskCandidate,
  parseCandidate,
  sanitizeSdp,
  sanitizeStat,
} from "../src/main-world/candidates.js";

const HOST = "candidate:1 1 udp 2122260223 192.168.1.20 54400 typ host generation 0 ufrag abcd";
const HOST_V6 = "candidate:2 1 udp 2122262783 fd00::20 54401 typ host generation 0";
const MDNS = "candidate:3 1 udp 2122260223 4f1a2b3c-1111-2222-3333-444455556666.local 54402 typ host";
const PUBLIC_HOST = "candidate:4 1 udp 2122260223 203.0.113.7 54403 typ host";
const SRFLX = "candidate:5 1 udp 1686052607 198.51.100.9 61000 typ srflx raddr 192.168.1.20 rport 54400";
const RELAY = "candidate:6 1 udp 41885439 198.51.100.50 49300 typ relay raddr 198.51.100.9 rport 61000";

const settings = (candidateFilter, extra = {}) => ({ candidateFilter, fakeLocalIp: "192.0.2.1", ...extra });

test("addresses: non-public ranges, mDNS names and CIDR ranges", () => {
  for (const a of [
    "10.1.2.3",
    "172.16.0.1",
    "192.168.0.1",
    "127.0.0.1",
    "100.64.1.1",
    "169.254.1.1",
    "::1",
    "fe80::1",
    "fd00::1",
    "x.local",
    "::ffff:10.0.0.1",
  ]) {
    assert.ok(isNonPublic(a), a);
  }
  for (const a of ["203.0.113.7", "8.8.8.8", "2001:db8::1", "172.32.0.1"]) assert.ok(!isNonPublic(a), a);
  assert.deepEqual(Array.prototype.slice.call(parseIp("::ffff:1.2.3.4"), 12), [1, 2, 3, 4]);
  assert.equal(parseIp("1.2.3"), null);
  assert.equal(parseIp("1::2::3"), null);
  assert.equal(parseRange("10.0.0.0/33"), null);
  assert.ok(inRanges("10.20.1.5", [parseRange("10.20.0.0/16")]));
  assert.ok(!inRanges("10.21.1.5", [parseRange("10.20.0.0/16")]));
  assert.ok(inRanges("fd00::5", [parseRange("fd00::/8")]));
});

test("candidates parse into their fields", () => {
  const c = parseCandidate("a=" + SRFLX);
  assert.deepEqual(
    [c.prefix, c.type, c.address, c.port, c.relatedAddress],
    ["a=", "srflx", "198.51.100.9", "61000", "192.168.1.20"],
  );
  assert.equal(parseCandidate("a=mid:0"), null);
});

test("mode 1 shows everything unchanged", () => {
  const p = addressPolicy(settings("mode-1"));
  for (const line of [HOST, HOST_V6, MDNS, SRFLX, RELAY]) assert.equal(filterCandidate(line, p), line);
});

test("mode 2 keeps hidden IPv4/mDNS hosts with the fake IP, drops hidden IPv6 hosts, rewrites raddr", () => {
  const p = addressPolicy(settings("mode-2"));
  assert.match(filterCandidate(HOST, p), / 192\.0\.2\.1 54400 typ host /);
  assert.match(filterCandidate(MDNS, p), / 192\.0\.2\.1 54402 typ host/);
  assert.equal(filterCandidate(HOST_V6, p), null);
  assert.equal(filterCandidate(PUBLIC_HOST, p), PUBLIC_HOST);
  assert.match(filterCandidate(SRFLX, p), /raddr 192\.0\.2\.1 rport 0$/);
  assert.equal(filterCandidate(RELAY, p), RELAY, "a public raddr stays in mode 2");
});

test("mode 2 and 3 let allowed local ranges through", () => {
  for (const mode of ["mode-2", "mode-3"]) {
    const p = addressPolicy(settings(mode, { allowedLocalRanges: ["192.168.1.0/24"] }));
    assert.equal(filterCandidate(HOST, p), HOST, mode);
    assert.equal(filterCandidate(SRFLX, p), SRFLX, mode);
  }
});

test("mode 3 drops private hosts, keeps public ones, srflx and relay", () => {
  const p = addressPolicy(settings("mode-3"));
  assert.equal(filterCandidate(HOST, p), null);
  assert.equal(filterCandidate(MDNS, p), null);
  assert.equal(filterCandidate(PUBLIC_HOST, p), PUBLIC_HOST);
  assert.match(filterCandidate(SRFLX, p), /^candidate:5 .* typ srflx raddr 192\.0\.2\.1 rport 0$/);
  assert.equal(filterCandidate(RELAY, p), RELAY);
});

test("relay-only and mode 4 keep only relay candidates, with the fake raddr", () => {
  for (const mode of ["relay-only", "mode-4"]) {
    const p = addressPolicy(settings(mode));
    for (const line of [HOST, HOST_V6, MDNS, PUBLIC_HOST, SRFLX])
      assert.equal(filterCandidate(line, p), null, mode);
    assert.equal(
      filterCandidate(RELAY, p),
      RELAY.replace("raddr 198.51.100.9 rport 61000", "raddr 192.0.2.1 rport 0"),
    );
  }
});

test("no or unknown settings filter like relay-only (fail closed)", () => {
  for (const s of [undefined, {}, { candidateFilter: "mode-9" }]) {
    const p = addressPolicy(s);
    assert.equal(p.mode, "relay-only");
    assert.equal(filterCandidate(HOST, p), null);
  }
  assert.equal(addressPolicy({ candidateFilter: "mode-2", fakeLocalIp: "not-an-ip" }).fake, "192.0.2.1");
});

const SDP = [
  "v=0",
  "o=- 1 2 IN IP4 127.0.0.1",
  "m=audio 54400 UDP/TLS/RTP/SAVPF 111",
  "c=IN IP4 192.168.1.20",
  "a=rtcp:9 IN IP4 192.168.1.20",
  "a=" + HOST,
  "a=" + SRFLX,
  "a=" + RELAY,
  "m=video 9 UDP/TLS/RTP/SAVPF 96",
  "c=IN IP4 0.0.0.0",
  "",
].join("\r\n");

test("SDP: candidates filtered, c= and a=rtcp addresses hidden, relay and unspecified kept", () => {
  const relayOnly = sanitizeSdp(SDP, addressPolicy(settings("relay-only")));
  assert.ok(!relayOnly.includes("192.168.1.20"), relayOnly);
  assert.ok(!relayOnly.includes("198.51.100.9 "), "no srflx");
  assert.match(relayOnly, /c=IN IP4 192\.0\.2\.1\r\n/);
  assert.match(relayOnly, /a=rtcp:9 IN IP4 192\.0\.2\.1/);
  assert.match(relayOnly, /typ relay raddr 192\.0\.2\.1 rport 0/);
  assert.match(relayOnly, /c=IN IP4 0\.0\.0\.0\r\n$/);
  assert.ok(relayOnly.endsWith("\r\n"));
  const withRelayAddress = SDP.replace("c=IN IP4 192.168.1.20", "c=IN IP4 198.51.100.50");
  assert.match(
    sanitizeSdp(withRelayAddress, addressPolicy(settings("relay-only"))),
    /c=IN IP4 198\.51\.100\.50/,
  );
  assert.equal(sanitizeSdp(SDP, addressPolicy(settings("mode-1"))), SDP);
});

test("stats: local candidates' addresses as the mode says; other entries untouched", () => {
  const host = {
    type: "local-candidate",
    candidateType: "host",
    address: "192.168.1.20",
    port: 1,
    relatedAddress: null,
  };
  const relay = {
    type: "local-candidate",
    candidateType: "relay",
    address: "198.51.100.50",
    relatedAddress: "198.51.100.9",
    relatedPort: 61000,
  };
  const p = addressPolicy(settings("relay-only"));
  assert.equal(sanitizeStat(host, p).address, "192.0.2.1");
  assert.deepEqual(
    [
      sanitizeStat(relay, p).address,
      sanitizeStat(relay, p).relatedAddress,
      sanitizeStat(relay, p).relatedPort,
    ],
    ["198.51.100.50", "192.0.2.1", 0],
  );
  const pair = { type: "candidate-pair", id: "x" };
  assert.equal(sanitizeStat(pair, p), pair);
  assert.equal(sanitizeStat(host, addressPolicy(settings("mode-1"))), host);
  assert.equal(host.address, "192.168.1.20", "the original entry is not changed");
});

test("the selected pair's local candidate keeps its place, masked, when the mode would drop it", () => {
  const p = addressPolicy(settings("mode-3"));
  assert.match(maskCandidate(HOST, p), /^candidate:1 1 udp 2122260223 192\.0\.2\.1 54400 typ host/);
  assert.equal(maskCandidate(PUBLIC_HOST, p), PUBLIC_HOST);
});
