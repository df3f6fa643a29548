// The connection reports the MAIN-world wrapper sends (through the bridge, to the worker): their
// one definition and the check every report passes before the extension believes any of it.
// The page controls the MAIN world, so a report is only ever "what this page's connection
// claims"; the check keeps it to the expected shape and sizes.

export const PC_EVENTS = Object.freeze(["created", "connected", "sample", "closed"]);
export const CANDIDATE_TYPES = Object.freeze(["host", "srflx", "prflx", "relay"]);
export const END_REASONS = Object.freeze(["closed-by-page", "page-unloaded", "failed", "blocked", "unknown"]);
const STATES = ["new", "connecting", "connected", "disconnected", "failed", "closed"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const FINGERPRINT = /^[a-z0-9-]{1,16} [0-9A-F]{2}(:[0-9A-F]{2}){15,63}$/;
const ADDRESS = /^[0-9A-Za-z.:\[\]%-]{1,80}:(\d{1,5}|\?)$/;

const oneOf = (list, value) => (list.includes(value) ? value : null);
const count = (value) => (Number.isSafeInteger(value) && value >= 0 ? value : null);

/** A checked copy of a wrapper's connection report, or null when it is not one. */
export function checkPcReport(message) {
  if (!message || typeof message !== "object" || message.type !== "pc") return null;
  if (!PC_EVENTS.includes(message.event) || typeof message.connectionId !== "string") return null;
  if (
    !UUID.test(message.connectionId) ||
    typeof message.at !== "string" ||
    Number.isNaN(Date.parse(message.at))
  ) {
    return null;
  }
  const report = {
    event: message.event,
    connectionId: message.connectionId,
    at: new Date(message.at).toISOString(),
  };
  const optional = {
    state: oneOf(STATES, message.state),
    localCandidateType: oneOf(CANDIDATE_TYPES, message.localCandidateType),
    remoteCandidateType: oneOf(CANDIDATE_TYPES, message.remoteCandidateType),
    protocol: oneOf(["udp", "tcp"], message.protocol),
    localAddress:
      typeof message.localAddress === "string" && ADDRESS.test(message.localAddress)
        ? message.localAddress
        : null,
    remoteAddress:
      typeof message.remoteAddress === "string" && ADDRESS.test(message.remoteAddress)
        ? message.remoteAddress
        : null,
    bytesSent: count(message.bytesSent),
    bytesReceived: count(message.bytesReceived),
    localFingerprint:
      typeof message.localFingerprint === "string" && FINGERPRINT.test(message.localFingerprint)
        ? message.localFingerprint
        : null,
    remoteFingerprint:
      typeof message.remoteFingerprint === "string" && FINGERPRINT.test(message.remoteFingerprint)
        ? message.remoteFingerprint
        : null,
    endReason: oneOf(END_REASONS, message.endReason),
  };
  for (const [key, value] of Object.entries(optional)) if (value !== null) report[key] = value;
  return report;
}
