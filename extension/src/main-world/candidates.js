// What a page may see of the ICE candidates and addresses its connection gathers, per candidate
// filter mode (the server's CandidateFilterMode; its Javadoc has the table this implements). Pure
// functions on strings: the MAIN-world wrapper applies them to `icecandidate` events, SDP and
// getStats(); the unit tests check them line by line.
import { inRanges, isIpv4, isNonPublic, isUnspecified, parseRange } from "./addresses.js";

export const MODES = Object.freeze(["mode-1", "mode-2", "mode-3", "mode-4", "relay-only"]);
const FALLBACK_FAKE_IP = "192.0.2.1";

/**
 * The address policy of a decision's settings. Unknown or missing settings give the strictest
 * view (relay-only): the wrapper fails closed.
 */
export function addressPolicy(settings) {
  const mode = MODES.includes(settings?.candidateFilter) ? settings.candidateFilter : "relay-only";
  const fake = isIpv4(settings?.fakeLocalIp) ? settings.fakeLocalIp : FALLBACK_FAKE_IP;
  const ranges = (Array.isArray(settings?.allowedLocalRanges) ? settings.allowedLocalRanges : [])
    .map(parseRange)
    .filter(Boolean);
  const relayOnly = mode === "mode-4" || mode === "relay-only";
  return Object.freeze({
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
  });
}

/** A candidate attribute (with or without `a=`) split into its fields, or null when it is not one. */
export function parseCandidate(line) {
  const match = /^(a=)?candidate:(\S+) (\d+) (\S+) (\d+) (\S+) (\d+) typ (\S+)(.*)$/i.exec(line);
  if (!match) return null;
  const extensions = match[9].trim() === "" ? [] : match[9].trim().split(/\s+/);
  const field = (name) => {
    const at = extensions.indexOf(name);
    return at >= 0 && at + 1 < extensions.length ? extensions[at + 1] : null;
  };
  return {
    prefix: match[1] ?? "",
    foundation: match[2],
    component: match[3],
    transport: match[4],
    priority: match[5],
    address: match[6],
    port: match[7],
    type: match[8].toLowerCase(),
    extensions,
    relatedAddress: field("raddr"),
  };
}

function format(candidate) {
  const { prefix, foundation, component, transport, priority, address, port, type, extensions } = candidate;
  const tail = extensions.length ? " " + extensions.join(" ") : "";
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
    if (policy.mode === "mode-2" && type === "host" && (isIpv4(address) || address.endsWith(".local"))) {
      candidate.address = policy.fake;
    } else {
      return null;
    }
  }
  rewriteRelated(candidate, policy);
  return format(candidate);
}

function rewriteRelated(candidate, policy) {
  const at = candidate.extensions.indexOf("raddr");
  if (at < 0 || at + 1 >= candidate.extensions.length) return;
  const related = candidate.extensions[at + 1];
  if (!policy.relayOnly && !policy.hides(related)) return;
  if (!policy.relayOnly && isUnspecified(related)) return;
  candidate.extensions[at + 1] = policy.fake;
  const portAt = candidate.extensions.indexOf("rport");
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
  const at = candidate.extensions.indexOf("raddr");
  if (at >= 0 && at + 1 < candidate.extensions.length) candidate.extensions[at + 1] = policy.fake;
  return format(candidate);
}

/** The relay candidates' own addresses in an SDP (the only addresses relay-only lets through). */
export function relayAddressesOf(sdp) {
  const found = new Set();
  for (const line of sdp.split(/\r?\n/)) {
    const candidate = parseCandidate(line);
    if (candidate?.type === "relay") found.add(candidate.address);
  }
  return found;
}

/**
 * An SDP as the page may see it: candidate lines filtered, hidden addresses in `c=` and `a=rtcp`
 * replaced by the fake IP. `relays` are relay addresses known from earlier candidates.
 */
export function sanitizeSdp(sdp, policy, relays = new Set()) {
  if (typeof sdp !== "string" || policy.mode === "mode-1") return sdp;
  const known = new Set([...relays, ...relayAddressesOf(sdp)]);
  const visible = (address) => isUnspecified(address) || known.has(address) || !policy.hides(address);
  const out = [];
  for (const line of sdp.split("\r\n")) {
    if (line.startsWith("a=candidate:")) {
      const kept = filterCandidate(line, policy);
      if (kept !== null) out.push(kept);
      continue;
    }
    const connection = /^c=IN (IP4|IP6) (\S+)(.*)$/.exec(line);
    if (connection && !visible(connection[2])) {
      out.push(`c=IN IP4 ${policy.fake}`);
      continue;
    }
    const rtcp = /^(a=rtcp:\d+) IN (IP4|IP6) (\S+)$/.exec(line);
    if (rtcp && !visible(rtcp[3])) {
      out.push(`${rtcp[1]} IN IP4 ${policy.fake}`);
      continue;
    }
    out.push(line);
  }
  return out.join("\r\n");
}

/** A getStats() entry as the page may see it (a local candidate's addresses); others unchanged. */
export function sanitizeStat(stat, policy) {
  if (!stat || stat.type !== "local-candidate" || policy.mode === "mode-1") return stat;
  const copy = { ...stat };
  const relay = copy.candidateType === "relay";
  for (const key of ["address", "ip"]) {
    if (typeof copy[key] === "string" && !relay && policy.hides(copy[key])) copy[key] = policy.fake;
  }
  if (typeof copy.relatedAddress === "string") {
    if (policy.relayOnly || (policy.hides(copy.relatedAddress) && !isUnspecified(copy.relatedAddress))) {
      copy.relatedAddress = policy.fake;
      if ("relatedPort" in copy) copy.relatedPort = 0;
    }
  }
  return copy;
}
