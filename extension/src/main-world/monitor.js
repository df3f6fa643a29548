// The lifecycle of every wrapped connection, reported to the bridge (and from there to the popup
// and the call log): created, connected (candidate pair types, addresses as the page sees them,
// DTLS fingerprints for the identity pairing) and closed with the bytes and the end reason. Stats
// are read every few seconds but kept here: the popup pulls them when it is open (snapshot()),
// so an open connection never keeps the extension's worker awake. Reading stats uses the
// browser's own functions and only captured built-ins (natives.js), so a page that replaced
// Array.prototype.find or RegExp.prototype.exec cannot choose what the extension reports.
import { natives, getterOf, exec, list, map, own, record, str, then, keysOf } from "./natives.js";
import { sanitizeStat } from "./candidates.js";

const SAMPLE_MS = 2_000;
const FINGERPRINT = /^a=fingerprint:(\S+) ([0-9A-Fa-f:]+)\s*$/m;

/** The `a=fingerprint` of an SDP: "sha-256 AB:CD:…", or null. */
export function fingerprintOf(sdp) {
  const match = exec(FINGERPRINT, typeof sdp === "string" ? sdp : "");
  return match ? `${str.toLowerCase(match[1])} ${str.toUpperCase(match[2])}` : null;
}

/** The selected candidate pair and byte counts from a list of stats entries (own members only). */
export function summarise(stats) {
  const byId = map();
  let transport = null;
  let nominated = null;
  let bytesSent = 0;
  let bytesReceived = 0;
  for (let i = 0; i < stats.length; i++) {
    const s = stats[i];
    byId.set(own(s, "id"), s);
    const type = own(s, "type");
    if (type === "transport") {
      if (!transport && own(s, "selectedCandidatePairId")) transport = s;
      bytesSent += natives.Number(own(s, "bytesSent")) || 0;
      bytesReceived += natives.Number(own(s, "bytesReceived")) || 0;
    } else if (
      type === "candidate-pair" &&
      !nominated &&
      own(s, "nominated") &&
      own(s, "state") === "succeeded"
    ) {
      nominated = s;
    }
  }
  let pair = transport ? (byId.get(own(transport, "selectedCandidatePairId")) ?? null) : null;
  pair ??= nominated;
  const local = pair ? (byId.get(own(pair, "localCandidateId")) ?? null) : null;
  const remote = pair ? (byId.get(own(pair, "remoteCandidateId")) ?? null) : null;
  const endpoint = (c) => (c ? `${own(c, "address") ?? "?"}:${own(c, "port") ?? "?"}` : null);
  return record({
    localCandidateType: own(local, "candidateType") ?? null,
    remoteCandidateType: own(remote, "candidateType") ?? null,
    protocol: own(local, "protocol") ?? null,
    localAddress: endpoint(local),
    remoteAddress: endpoint(remote),
    bytesSent,
    bytesReceived,
  });
}

/** The monitor of one frame; `send` posts to the bridge, `view()` is the current address policy. */
export function createMonitor(win, send, view) {
  const proto = win.RTCPeerConnection.prototype;
  const { apply } = natives;
  const getStats = proto.getStats;
  const connectionState = getterOf(proto, "connectionState");
  const localDescription = getterOf(proto, "localDescription");
  const remoteDescription = getterOf(proto, "remoteDescription");
  const sdpOf = getterOf(win.RTCSessionDescription.prototype, "sdp");
  const addListener = win.EventTarget.prototype.addEventListener;
  const reportForEach = win.RTCStatsReport.prototype.forEach;
  const open = map();
  let timer = null;

  const statsOf = (pc) =>
    then(apply(getStats, pc, []), (report) => {
      const entries = list();
      apply(reportForEach, report, [
        (value) => {
          entries[entries.length] = sanitizeStat(value, view());
        },
      ]);
      return record({ summary: summarise(entries) });
    });

  const sdp = (description) => (description ? sdpOf(description) : null);

  /** A report as the bridge gets it: the summary's fields after the event's own. */
  const report = (fields, summary) => {
    const out = record(fields);
    if (summary) {
      const keys = natives.ownKeys(summary);
      for (let i = 0; i < keys.length; i++) out[keys[i]] = summary[keys[i]];
    }
    return out;
  };

  const sample = (pc, state, event) =>
    then(
      statsOf(pc),
      (got) => {
        state.lastSummary = got.summary;
        const fields = record({
          type: "pc",
          event,
          connectionId: state.id,
          at: natives.now(),
          state: connectionState(pc),
        });
        if (event === "connected") {
          fields.localFingerprint = fingerprintOf(sdp(localDescription(pc)));
          fields.remoteFingerprint = fingerprintOf(sdp(remoteDescription(pc)));
        }
        send(report(fields, got.summary));
      },
      () => {},
    );

  const tick = () => {
    timer = null;
    open.forEach((state, pc) => {
      then(
        statsOf(pc),
        (got) => {
          state.lastSummary = got.summary;
        },
        () => {},
      );
    });
    if (open.size > 0) timer = natives.setTimeout(tick, SAMPLE_MS);
  };

  const finish = (pc, state, reason, summary) => {
    if (!open.has(pc)) return;
    open.delete(pc);
    send(
      report(
        { type: "pc", event: "closed", connectionId: state.id, at: natives.now(), endReason: reason },
        summary,
      ),
    );
  };

  apply(addListener, win, [
    "pagehide",
    () => {
      const pcs = keysOf(open);
      for (let i = 0; i < pcs.length; i++) {
        const state = open.get(pcs[i]);
        finish(pcs[i], state, "page-unloaded", state.lastSummary ?? null);
      }
    },
  ]);

  return {
    /** Fresh samples of every open connection (the popup asks through the bridge), as a list. */
    snapshot() {
      const pcs = keysOf(open);
      const samples = list();
      return new natives.Promise((resolve) => {
        let left = pcs.length;
        if (left === 0) resolve(samples);
        const done = (sampled) => {
          if (sampled) samples[samples.length] = sampled;
          if (--left === 0) resolve(samples);
        };
        for (let i = 0; i < pcs.length; i++) {
          const pc = pcs[i];
          const state = open.get(pc);
          then(
            statsOf(pc),
            (got) => {
              state.lastSummary = got.summary;
              done(
                report(
                  {
                    type: "pc",
                    event: "sample",
                    connectionId: state.id,
                    at: natives.now(),
                    state: connectionState(pc),
                  },
                  got.summary,
                ),
              );
            },
            () => done(null),
          );
        }
      });
    },
    created(pc, state) {
      open.set(pc, state);
      send(record({ type: "pc", event: "created", connectionId: state.id, at: natives.now() }));
      apply(addListener, pc, [
        "connectionstatechange",
        () => {
          const now = connectionState(pc);
          if (now === "connected" && !state.connectedOnce) {
            state.connectedOnce = true;
            sample(pc, state, "connected");
          } else if (now === "failed") {
            then(
              statsOf(pc),
              (got) => finish(pc, state, "failed", got.summary),
              () => finish(pc, state, "failed", null),
            );
          }
        },
      ]);
      if (timer === null) timer = natives.setTimeout(tick, SAMPLE_MS);
    },
    closed(pc, state, reason) {
      if (!open.has(pc)) return;
      // The bytes are the last sample's: a closed connection's stats are empty.
      finish(pc, state, reason, state.lastSummary ?? null);
    },
  };
}
