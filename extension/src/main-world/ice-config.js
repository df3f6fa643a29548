// The RTCConfiguration the browser really gets for a page's connection, from what the page asked
// for and the Secure Edge decision; and the fail-closed one used until the decision arrives.
// Pure functions: unit-tested without a browser. The page's configuration is read exactly once
// (readConfig) into the wrapper's own copy: a getter cannot answer one thing to the policy and
// another to the browser. Only captured built-ins (natives.js).
import { natives, exec, list, put, record, toArray, weakSet } from "./natives.js";

const { String, ownKeys } = natives;
const isStun = (url) => exec(/^stuns?:/i, url) !== null;
const overTcpOrTls = (url) => exec(/^turns:/i, url) !== null || exec(/[?&]transport=tcp\b/i, url) !== null;
const copies = weakSet();

/** One RTCIceServer read once: its URLs (strings only) and, when given, username and credential. */
function readServer(server) {
  if (server === null || typeof server !== "object") return null;
  const copy = record({ urls: list() });
  const urls = server.urls;
  if (typeof urls === "string") {
    copy.urls[0] = urls;
    copy.single = true; // shown back to the page as it gave it
  } else if (natives.isArray(urls)) {
    for (let i = 0, n = urls.length; i < n; i++) {
      const url = urls[i];
      if (typeof url === "string") copy.urls[copy.urls.length] = url;
    }
  }
  const username = server.username;
  if (username !== undefined) copy.username = String(username);
  const credential = server.credential;
  if (credential !== undefined) copy.credential = String(credential);
  return copy;
}

/**
 * The page's RTCConfiguration read exactly once: `iceServers` (copied), `iceTransportPolicy` and
 * every other member (certificates, bundle policy...), each read once. Idempotent on its result.
 */
export function readConfig(given) {
  if (copies.has(given)) return given;
  const copy = record({ other: record(), iceServers: undefined, iceTransportPolicy: undefined });
  copies.add(copy);
  if (given === null || typeof given !== "object") return copy;
  const keys = ownKeys(given);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (typeof key !== "string") continue;
    const value = given[key];
    if (key === "iceServers") {
      if (!natives.isArray(value)) continue;
      copy.iceServers = list();
      for (let j = 0, n = value.length; j < n; j++) {
        const server = readServer(value[j]);
        if (server) copy.iceServers[copy.iceServers.length] = server;
      }
    } else if (key === "iceTransportPolicy") {
      if (value !== undefined) copy.iceTransportPolicy = String(value);
    } else {
      copy.other[key] = value;
    }
  }
  return copy;
}

/** A server copy as the browser (or the page) gets it: a fresh ordinary object. */
function plainServer(server, urls) {
  const out = { urls: toArray(urls) };
  if (server.username !== undefined) put(out, "username", server.username);
  if (server.credential !== undefined) put(out, "credential", server.credential);
  return out;
}

/** The page's other settings as an ordinary object, plus `servers` and `policy`. */
function configWith(page, servers, policy) {
  const out = {};
  const keys = ownKeys(page.other);
  for (let i = 0; i < keys.length; i++) put(out, keys[i], page.other[keys[i]]);
  put(out, "iceServers", toArray(servers));
  return put(out, "iceTransportPolicy", policy);
}

/** Until the decision arrives: relay only and no servers, so nothing can be gathered or sent. */
export function failClosedConfig(pageConfig) {
  return configWith(readConfig(pageConfig), list(), "relay");
}

/** Whether the decision forbids the connection outright (deny, or no decision could be had). */
export const blocksConnections = (decision) => decision.decision !== "allow" && !decision.turn;

/**
 * The configuration for a decided page: relay and record get the enterprise relay with the
 * minted credentials and nothing else; allow keeps the page's servers (without STUN when the
 * mode forces relay). Relay-forcing modes set iceTransportPolicy 'relay'; mode 4 keeps only
 * TURN over TCP/TLS.
 */
export function effectiveConfig(pageConfig, decision) {
  const page = readConfig(pageConfig);
  const mode = decision.settings?.candidateFilter ?? "relay-only";
  const forcesRelay = mode === "mode-4" || mode === "relay-only";
  const keep = (url) => (mode === "mode-4" ? overTcpOrTls(url) : forcesRelay ? !isStun(url) : true);
  const kept = (urls) => {
    const out = list();
    for (let i = 0; i < urls.length; i++) if (keep(urls[i])) out[out.length] = urls[i];
    return out;
  };
  const servers = list();
  const turn = decision.turn;
  if (turn) {
    const urls = kept(turn.uris);
    if (urls.length)
      servers[0] = { urls: toArray(urls), username: turn.username, credential: turn.credential };
  } else if (page.iceServers) {
    for (let i = 0; i < page.iceServers.length; i++) {
      const server = page.iceServers[i];
      const urls = kept(server.urls);
      if (urls.length > 0) servers[servers.length] = plainServer(server, urls);
    }
  }
  return configWith(page, servers, forcesRelay ? "relay" : (page.iceTransportPolicy ?? "all"));
}

/** What getConfiguration() shows the page: the browser's view with the page's own servers and policy. */
export function pageView(nativeView, pageConfig) {
  const page = readConfig(pageConfig);
  const servers = list();
  if (page.iceServers) {
    for (let i = 0; i < page.iceServers.length; i++) {
      const server = page.iceServers[i];
      servers[i] = plainServer(server, server.urls);
      if (server.single) servers[i].urls = server.urls[0];
    }
  }
  return {
    ...nativeView,
    iceServers: toArray(servers),
    iceTransportPolicy: page.iceTransportPolicy ?? "all",
  };
}
