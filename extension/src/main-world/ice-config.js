// The RTCConfiguration the browser really gets for a page's connection, from what the page asked
// for and the Secure Edge decision; and the fail-closed one used until the decision arrives.
// Pure functions: unit-tested without a browser.

const isStun = (url) => /^stuns?:/i.test(url);
const overTcpOrTls = (url) => /^turns:/i.test(url) || /[?&]transport=tcp\b/i.test(url);
const urlsOf = (server) =>
  (Array.isArray(server?.urls) ? server.urls : [server?.urls]).filter((u) => typeof u === "string");

/** The page's own settings other than the ICE servers and transport policy (certificates, bundle policy...). */
function otherFields(pageConfig) {
  const copy = {};
  if (pageConfig && typeof pageConfig === "object") {
    for (const key of Object.keys(pageConfig)) {
      if (key !== "iceServers" && key !== "iceTransportPolicy") copy[key] = pageConfig[key];
    }
  }
  return copy;
}

/** Until the decision arrives: relay only and no servers, so nothing can be gathered or sent. */
export function failClosedConfig(pageConfig) {
  return { ...otherFields(pageConfig), iceServers: [], iceTransportPolicy: "relay" };
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
  const mode = decision.settings?.candidateFilter ?? "relay-only";
  const forcesRelay = mode === "mode-4" || mode === "relay-only";
  const keep = (url) => (mode === "mode-4" ? overTcpOrTls(url) : forcesRelay ? !isStun(url) : true);
  let servers;
  if (decision.turn) {
    const urls = decision.turn.uris.filter(keep);
    servers = urls.length
      ? [{ urls, username: decision.turn.username, credential: decision.turn.credential }]
      : [];
  } else {
    const pageServers = Array.isArray(pageConfig?.iceServers) ? pageConfig.iceServers : [];
    servers = pageServers
      .map((server) => ({ ...server, urls: urlsOf(server).filter(keep) }))
      .filter((server) => server.urls.length > 0);
  }
  const config = { ...otherFields(pageConfig), iceServers: servers };
  config.iceTransportPolicy = forcesRelay ? "relay" : (pageConfig?.iceTransportPolicy ?? "all");
  return config;
}

/** What getConfiguration() shows the page: the browser's view with the page's own servers and policy. */
export function pageView(nativeView, pageConfig) {
  return {
    ...nativeView,
    iceServers: Array.isArray(pageConfig?.iceServers) ? pageConfig.iceServers : [],
    iceTransportPolicy: pageConfig?.iceTransportPolicy ?? "all",
  };
}
