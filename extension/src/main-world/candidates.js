// What a page may see of the ICE candidates and addresses its connection gathers, per candidate
// filter mode (the server's CandidateFilterMode; its Javadoc has the table this implements). Pure
// functions on strings: the MAIN-world wrapper applies them to `icecandidate` events, SDP and
// getStats(); the unit tests check them line by line. Only captured built-ins, index loops and
// null-prototype records (natives.js): a page that replaces RegExp.prototype.exec,
// String.prototype.split, Array.prototype.filter or an iterator changes nothing here.
import { inRanges, isIpv4, isNonPublic, isUnspecified, parseRange } from "./addresses.js";
import {
  natives,
  exec,
  hasOwn,
  indexIn,
  join,
  list,
  own,
  record,
  set,
  splitOn,
  str,
  words,
} from "./natives.js";

export const MODES = natives.freeze(["mode-1", "mode-2", "mode-3", "mode-4", "relay-only"]);
const FALLBACK_FAKE_IP = "192.0.2.1";

/**
 * The address policy of a decision's settings (own properties only). Unknown or missing settings
 * give the strictest view (relay-only): the wrapper fails closed.
 */
export function addressPolicy(settings) {
  const asked = own(settings, "candidateFilter");
  const mode = indexIn(MODES, asked) >= 0 ? asked : "relay-only";
  const fakeIp = own(settings, "fakeLocalIp");
  const fake = typeof fakeIp === "string" && isIpv4(fakeIp) ? fakeIp : FALLBACK_FAKE_IP;
  const given = own(settings, "allowedLocalRanges");
  const ranges = list();
  if (natives.isArray(given)) {
    for (let i = 0; i < given.length; i++) {
      const range = parseRange(own(given, i));
      if (range) ranges[ranges.length] = range;
    }
  }
  const relayOnly = mode === "mode-4" || mode === "relay-only";
  return natives.freeze(
    record({
      mode,
      fake,
      ranges,
      relayOnly,
      /** Whether a non-relay address must not reach the page. */
      hides(address) {
        if (mode === "mode-1") return false;
        if (relayOnly) return true;
        return isNonPublic(address) && !inRanges(address, ranges);
      },
    }),
  );
}

const CANDIDATE = /^(a=)?candidate:(\S+) (\d+) (\S+) (\d+) (\S+) (\d+) typ (\S+)(.*)$/i;

/** A candidate attribute (with or without `a=`) split into its fields, or null when it is not one. */
export function parseCandidate(line) {
  if (typeof line !== "string") return null;
  const match = exec(CANDIDATE, line);
  if (!match) return null;
  const extensions = words(match[9]);
  const at = indexIn(extensions, "raddr");
  return record({
    prefix: match[1] ?? "",
    foundation: match[2],
    component: match[3],
    transport: match[4],
    priority: match[5],
    address: match[6],
    port: match[7],
    type: str.toLowerCase(match[8]),
    extensions,
    relatedAddress: at >= 0 && at + 1 < extensions.length ? extensions[at + 1] : null,
  });
}

function format(candidate) {
  const { prefix, foundation, component, transport, priority, address, port, type, extensions } = candidate;
  const tail = extensions.length ? " " + join(extensions, " ") : "";
  return `${prefix}candidate:${foundation} ${component} ${transport} ${priority} ${address} ${port} typ ${type}${tail}`;
}

/**
 * One candidate as the page may see it: the line (rewritten where the mode says so) or null when
 * the page must not see it at all. Lines that are not candidates are returned unchanged.
 */
export function filterCandidate(line, policy) {
  const candidate = parseCandidate(line);
  if (!candidate || policy.mode === "mode-1") return line;
  const { type, address } = candidate;
  if (policy.relayOnly && type !== "relay") return null;
  if (!policy.relayOnly && type !== "relay" && policy.hides(address)) {
    // Mode 2 keeps a hidden host candidate in place with the fake IPv4 address; IPv6 ones and
    // every other case are dropped (a rewritten srflx would point nowhere useful).
    if (policy.mode === "mode-2" && type === "host" && (isIpv4(address) || str.endsWith(address, ".local"))) {
      candidate.address = policy.fake;
    } else {
      return null;
    }
  }
  rewriteRelated(candidate, policy);
  return format(candidate);
}

function rewriteRelated(candidate, policy) {
  const at = indexIn(candidate.extensions, "raddr");
  if (at < 0 || at + 1 >= candidate.extensions.length) return;
  const related = candidate.extensions[at + 1];
  if (!policy.relayOnly && !policy.hides(related)) return;
  if (!policy.relayOnly && isUnspecified(related)) return;
  candidate.extensions[at + 1] = policy.fake;
  const portAt = indexIn(candidate.extensions, "rport");
  if (portAt >= 0 && portAt + 1 < candidate.extensions.length) candidate.extensions[portAt + 1] = "0";
}

/**
 * A candidate the page sees whatever the mode (the selected pair's): as filterCandidate, but one
 * that would be dropped keeps its place with the fake address (and the fake raddr).
 */
export function maskCandidate(line, policy) {
  const kept = filterCandidate(line, policy);
  if (kept !== null) return kept;
  const candidate = parseCandidate(line);
  candidate.address = policy.fake;
  const at = indexIn(candidate.extensions, "raddr");
  if (at >= 0 && at + 1 < candidate.extensions.length) candidate.extensions[at + 1] = policy.fake;
  return format(candidate);
}

/** The lines of an SDP (CRLF or LF). */
function linesOf(sdp) {
  const lines = splitOn(sdp, "\n");
  for (let i = 0; i < lines.length; i++) {
    if (str.endsWith(lines[i], "\r")) lines[i] = str.slice(lines[i], 0, -1);
  }
  return lines;
}

/** The relay candidates' own addresses in an SDP (the only addresses relay-only lets through). */
export function relayAddressesOf(sdp) {
  const found = set();
  const lines = linesOf(sdp);
  for (let i = 0; i < lines.length; i++) {
    const candidate = parseCandidate(lines[i]);
    if (candidate?.type === "relay") found.add(candidate.address);
  }
  return found;
}

const CONNECTION = /^c=IN (IP4|IP6) (\S+)(.*)$/;
const RTCP = /^(a=rtcp:\d+) IN (IP4|IP6) (\S+)$/;

/**
 * An SDP as the page may see it: candidate lines filtered, hidden addresses in `c=` and `a=rtcp`
 * replaced by the fake IP. `relays` are relay addresses known from earlier candidates (a Set or
 * one of natives.js' sets).
 */
export function sanitizeSdp(sdp, policy, relays = null) {
  if (typeof sdp !== "string" || policy.mode === "mode-1") return sdp;
  const known = relayAddressesOf(sdp);
  relays?.forEach((address) => known.add(address));
  const visible = (address) => isUnspecified(address) || known.has(address) || !policy.hides(address);
  const out = list();
  const lines = splitOn(sdp, "\r\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (str.startsWith(line, "a=candidate:")) {
      const kept = filterCandidate(line, policy);
      if (kept !== null) out[out.length] = kept;
      continue;
    }
    const connection = exec(CONNECTION, line);
    if (connection && !visible(connection[2])) {
      out[out.length] = `c=IN IP4 ${policy.fake}`;
      continue;
    }
    const rtcp = exec(RTCP, line);
    if (rtcp && !visible(rtcp[3])) {
      out[out.length] = `${rtcp[1]} IN IP4 ${policy.fake}`;
      continue;
    }
    out[out.length] = line;
  }
  return join(out, "\r\n");
}

const STAT_KEYS = ["address", "ip"];

/** A getStats() entry as the page may see it (a local candidate's addresses); others unchanged. */
export function sanitizeStat(stat, policy) {
  if (!stat || own(stat, "type") !== "local-candidate" || policy.mode === "mode-1") return stat;
  const copy = { ...stat };
  const relay = own(copy, "candidateType") === "relay";
  for (let i = 0; i < STAT_KEYS.length; i++) {
    const key = STAT_KEYS[i];
    const value = own(copy, key);
    if (typeof value === "string" && !relay && policy.hides(value)) copy[key] = policy.fake;
  }
  const related = own(copy, "relatedAddress");
  if (typeof related === "string") {
    if (policy.relayOnly || (policy.hides(related) && !isUnspecified(related))) {
      copy.relatedAddress = policy.fake;
      if (hasOwn(copy, "relatedPort")) copy.relatedPort = 0;
    }
  }
  return copy;
}
