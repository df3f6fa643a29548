// The lifecycle of every wrapped connection, reported to the bridge (and from there to the popup
// and the call log): created, connected (candidate pair types, addresses as the page sees them,
// DTLS fingerprints for the identity pairing) and closed with the bytes and the end reason. Stats
// are read every few seconds but kept here: the popup pulls them when it is open (snapshot()),
// so an open connection never keeps the extension's worker awake. Reading stats uses the
// browser's own functions, captured before the page could replace them.
import { natives, getterOf } from "./natives.js";
import { sanitizeStat } from "./candidates.js";

const SAMPLE_MS = 2_000;

/** The `a=fingerprint` of an SDP: "sha-256 AB:CD:…", or null. */
export function fingerprintOf(sdp) {
  const match = /^a=fingerprint:(\S+) ([0-9A-Fa-f:]+)\s*$/m.exec(typeof sdp === "string" ? sdp : "");
  return match ? `${match[1].toLowerCase()} ${match[2].toUpperCase()}` : null;
}

/** The selected candidate pair and byte counts from a list of stats entries. */
export function summarise(stats) {
  const byId = new Map(stats.map((s) => [s.id, s]));
  const transport = stats.find((s) => s.type === "transport" && s.selectedCandidatePairId);
  let pair = transport ? byId.get(transport.selectedCandidatePairId) : null;
  pair ??= stats.find((s) => s.type === "candidate-pair" && s.nominated && s.state === "succeeded") ?? null;
  const local = pair ? byId.get(pair.localCandidateId) : null;
  const remote = pair ? byId.get(pair.remoteCandidateId) : null;
  const sum = (key) =>
    stats.filter((s) => s.type === "transport").reduce((total, s) => total + (Number(s[key]) || 0), 0);
  return {
    localCandidateType: local?.candidateType ?? null,
    remoteCandidateType: remote?.candidateType ?? null,
    protocol: local?.protocol ?? null,
    localAddress: local ? `${local.address ?? "?"}:${local.port ?? "?"}` : null,
    remoteAddress: remote ? `${remote.address ?? "?"}:${remote.port ?? "?"}` : null,
    bytesSent: sum("bytesSent"),
    bytesReceived: sum("bytesReceived"),
  };
}

/** The monitor of one frame; `send` posts to the bridge, `view()` is the current address policy. */
export function createMonitor(win, send, view) {
  const proto = win.RTCPeerConnection.prototype;
  const { apply } = natives;
  const getStats = proto.getStats;
  const connectionState = getterOf(proto, "connectionState");
  const localDescription = getterOf(proto, "localDescription");
  const remoteDescription = getterOf(proto, "remoteDescription");
  const addListener = EventTarget.prototype.addEventListener;
  const reportForEach = win.RTCStatsReport.prototype.forEach;
  const then = natives.Promise.prototype.then;
  const open = new natives.Map();
  let timer = null;

  const statsOf = (pc) =>
    apply(then, apply(getStats, pc, []), [
      (report) => {
        const list = [];
        apply(reportForEach, report, [(value) => list.push(sanitizeStat(value, view()))]);
        return summarise(list);
      },
    ]);

  const sample = (pc, state, event) =>
    apply(then, statsOf(pc), [
      (summary) => {
        state.lastSummary = summary;
        const fingerprints =
          event === "connected"
            ? {
                localFingerprint: fingerprintOf(localDescription(pc)?.sdp),
                remoteFingerprint: fingerprintOf(remoteDescription(pc)?.sdp),
              }
            : {};
        send({
          type: "pc",
          event,
          connectionId: state.id,
          at: natives.now(),
          state: connectionState(pc),
          ...summary,
          ...fingerprints,
        });
      },
      () => {},
    ]);

  const tick = () => {
    timer = null;
    for (const [pc, state] of open) {
      apply(then, statsOf(pc), [(summary) => (state.lastSummary = summary), () => {}]);
    }
    if (open.size > 0) timer = natives.setTimeout(tick, SAMPLE_MS);
  };

  const finish = (pc, state, reason, summary = {}) => {
    if (!open.has(pc)) return;
    open.delete(pc);
    send({
      type: "pc",
      event: "closed",
      connectionId: state.id,
      at: natives.now(),
      endReason: reason,
      ...summary,
    });
  };

  win.addEventListener("pagehide", () => {
    for (const [pc, state] of [...open]) finish(pc, state, "page-unloaded", state.lastSummary ?? {});
  });

  return {
    /** Fresh samples of every open connection (the popup asks through the bridge). */
    snapshot() {
      const entries = [...open];
      return natives.Promise.all(
        entries.map(([pc, state]) =>
          apply(then, statsOf(pc), [
            (summary) => {
              state.lastSummary = summary;
              return {
                type: "pc",
                event: "sample",
                connectionId: state.id,
                at: natives.now(),
                state: connectionState(pc),
                ...summary,
              };
            },
            () => null,
          ]),
        ),
      );
    },
    created(pc, state) {
      open.set(pc, state);
      send({ type: "pc", event: "created", connectionId: state.id, at: natives.now() });
      apply(addListener, pc, [
        "connectionstatechange",
        () => {
          const now = connectionState(pc);
          if (now === "connected" && !state.connectedOnce) {
            state.connectedOnce = true;
            sample(pc, state, "connected");
          } else if (now === "failed") {
            apply(then, statsOf(pc), [
              (summary) => finish(pc, state, "failed", summary),
              () => finish(pc, state, "failed"),
            ]);
          }
        },
      ]);
      if (timer === null) timer = natives.setTimeout(tick, SAMPLE_MS);
    },
    closed(pc, state, reason) {
      if (!open.has(pc)) return;
      // The bytes are the last sample's: a closed connection's stats are empty.
      finish(pc, state, reason, state.lastSummary ?? {});
    },
  };
}
