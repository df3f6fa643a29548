// RTCPeerConnection under the Secure Edge policy. The constructor becomes a Proxy of the native
// one (so `new`, subclassing, instanceof and the prototype stay native) and the native prototype's
// methods are replaced in place, each disguised as native code:
// - constructor: deny → NotAllowedError; before the decision the browser gets a fail-closed
//   configuration (relay only, no servers), afterwards the policy's one (ice-config.js);
// - setLocalDescription waits for the decision (nothing is gathered before it), then applies it;
// - icecandidate events, local descriptions, createOffer/createAnswer results and getStats()
//   show only what the candidate filter mode lets through (candidates.js);
// - getConfiguration() shows the page its own servers, not the minted relay credentials;
// - createDataChannel and incoming data channels are blocked when the policy says so.
import { natives, getterOf, replaceGetter, replaceMethod, disguise, domError } from "./natives.js";
import {
  addressPolicy,
  filterCandidate,
  maskCandidate,
  parseCandidate,
  sanitizeSdp,
  sanitizeStat,
} from "./candidates.js";
import { blocksConnections, effectiveConfig, failClosedConfig, pageView } from "./ice-config.js";
import { createRecorder } from "./recording.js";
import { readCandidate, readDescription, readOptions } from "./dictionaries.js";

const { apply, construct, defineProperty, getOwnPropertyDescriptor } = natives;

/** What the page's error says for a decision that blocks connections. */
export function blockedError(decision) {
  const message =
    decision.decision === "deny"
      ? "WebRTC is blocked on this site by your organisation's policy (Vclick Secure Edge)."
      : `${decision.reason ?? "Vclick could not get the policy for this page."} WebRTC stays blocked.`;
  return domError("NotAllowedError", message);
}

/**
 * Wraps `win.RTCPeerConnection`. `policy` is the frame's policy state, `monitor` receives the
 * lifecycle (monitor.js), `request(op, payload)` reaches the server's recorded-call API through
 * the bridge (recording.js). Returns the per-connection state map (for the monitor).
 */
export function wrapPeerConnections(win, policy, monitor, request) {
  const Native = win.RTCPeerConnection;
  if (typeof Native !== "function") return null;
  const proto = Native.prototype;
  const tracked = new natives.WeakMap();
  const rewrittenCandidates = new natives.WeakMap();
  const then = natives.Promise.prototype.then;
  const after = (promise, onValue) => apply(then, promise, [onValue]);
  const addListener = EventTarget.prototype.addEventListener;
  const stopImmediate = Event.prototype.stopImmediatePropagation;
  const candidateOfEvent = getterOf(win.RTCPeerConnectionIceEvent.prototype, "candidate");
  const channelOfEvent = getterOf(win.RTCDataChannelEvent.prototype, "channel");
  const candidateText = getterOf(win.RTCIceCandidate.prototype, "candidate");
  const closeChannel = win.RTCDataChannel.prototype.close;
  const NativeCandidate = win.RTCIceCandidate;
  const NativeDescription = win.RTCSessionDescription;
  const nativeSetConfiguration = proto.setConfiguration;
  const nativeClose = proto.close;
  const recorder = createRecorder({
    win,
    request,
    native: {
      createOffer: proto.createOffer,
      createAnswer: proto.createAnswer,
      setLocalDescription: proto.setLocalDescription,
      setRemoteDescription: proto.setRemoteDescription,
      localDescription: getterOf(proto, "localDescription"),
      iceGatheringState: getterOf(proto, "iceGatheringState"),
      signalingState: getterOf(proto, "signalingState"),
      addEventListener: addListener,
      dispatchEvent: EventTarget.prototype.dispatchEvent,
    },
  });
  const connectionStateOf = getterOf(proto, "connectionState");
  /** Whether this connection runs through the media server (decision record). */
  const recorded = (state) => recorder.active(state, policy.current);
  /** A recorded call that cannot be set up blocks the connection (never an unrecorded one). */
  const blockOnFailure = (pc, state, promise) =>
    apply(then, promise, [
      (value) => value,
      (error) => {
        if (error?.name === "NotAllowedError" && !state.blocked) block(pc, state, error);
        throw error;
      },
    ]);

  let viewOf = { settings: undefined, view: addressPolicy(undefined) };
  /** The address policy of the current decision (relay-only while there is none). */
  const view = () => {
    const settings = policy.current?.settings;
    if (viewOf.settings !== settings) viewOf = { settings, view: addressPolicy(settings) };
    return viewOf.view;
  };

  const snapshot = (config) => ({
    iceServers: Array.isArray(config?.iceServers) ? [...config.iceServers] : undefined,
    iceTransportPolicy: config?.iceTransportPolicy,
    rest: config,
  });
  const pageConfigOf = (state) => ({
    ...(state.pageConfig.rest && typeof state.pageConfig.rest === "object" ? state.pageConfig.rest : {}),
    iceServers: state.pageConfig.iceServers,
    iceTransportPolicy: state.pageConfig.iceTransportPolicy,
  });

  const applyDecision = (pc, state, decision) => {
    if (blocksConnections(decision)) {
      block(pc, state, blockedError(decision));
      return;
    }
    try {
      apply(nativeSetConfiguration, pc, [effectiveConfig(pageConfigOf(state), decision)]);
    } catch (e) {
      block(pc, state, domError("NotAllowedError", "Vclick could not apply the policy to this connection."));
      return;
    }
    if (decision.settings.blockDataChannels) {
      for (const channel of state.channels) apply(closeChannel, channel, []);
    }
    state.channels = [];
  };

  const block = (pc, state, error) => {
    state.blocked = error;
    for (const channel of state.channels) apply(closeChannel, channel, []);
    state.channels = [];
    monitor.closed(pc, state, "blocked");
    apply(nativeClose, pc, []);
  };

  const onCandidate = (state, event) => {
    if (recorder.isSynthetic(event)) return;
    if (recorded(state)) {
      // The real connection's candidates are for the media server only.
      recorder.trickleReal(state, readCandidate(candidateOfEvent(event)));
      apply(stopImmediate, event, []);
      return;
    }
    const candidate = candidateOfEvent(event);
    if (!candidate) return;
    const line = candidateText(candidate);
    if (!line) return;
    const parsed = parseCandidate(line);
    if (parsed?.type === "relay") state.relays.add(parsed.address);
    const kept = filterCandidate(line, view());
    if (kept === null) {
      apply(stopImmediate, event, []);
    } else if (kept !== line) {
      rewrittenCandidates.set(
        event,
        new NativeCandidate({
          candidate: kept,
          sdpMid: candidate.sdpMid,
          sdpMLineIndex: candidate.sdpMLineIndex,
          usernameFragment: candidate.usernameFragment,
        }),
      );
    }
  };

  const onDataChannel = (state, event) => {
    const decision = policy.current;
    if (decision && !blocksConnections(decision) && !decision.settings.blockDataChannels) return;
    apply(stopImmediate, event, []);
    apply(closeChannel, channelOfEvent(event), []);
  };

  /** A description as the page may see it; the original is remembered for setLocalDescription. */
  const expose = (state, description) => {
    if (!description || typeof description.sdp !== "string") return description;
    const cached = state.exposed.get(description.sdp);
    if (cached) return cached.value;
    const sdp = sanitizeSdp(description.sdp, view(), state.relays);
    const value =
      sdp === description.sdp
        ? description
        : description instanceof NativeDescription
          ? new NativeDescription({ type: description.type, sdp })
          : { type: description.type, sdp };
    if (state.exposed.size > 16) state.exposed.clear();
    state.exposed.set(description.sdp, { value });
    if (sdp !== description.sdp) state.originals.set(sdp, description.sdp);
    if (state.originals.size > 16) state.originals.delete(state.originals.keys().next().value);
    return value;
  };

  // negotiationneeded before the decision, or while the page's operations wait in the wrapper: a
  // page answering it at once would only wait in setLocalDescription (nothing may be gathered
  // before the policy), an offer from the far end arriving meanwhile turns into glare the page did
  // not cause (and Chromium loses a first offer's data channel when it is rolled back), and a page
  // whose offer still waits for the media server would make a second one. So the event waits too:
  // it reaches the page once the decision is applied and the page's operations are done, in the
  // stable state, as if the browser had fired it then.
  const heldEvents = new natives.WeakSet();
  const NativeEvent = win.Event;
  const dispatch = EventTarget.prototype.dispatchEvent;
  const signalingOf = getterOf(proto, "signalingState");
  const pageSignaling = (pc, state) => (recorded(state) ? recorder.signalingState(state) : signalingOf(pc));

  const holdNegotiation = (pc, state, event) => {
    // The browser fires it when its own operations chain is empty; the page's operations may still
    // wait in the wrapper (the decision, the media server): hold it until they are done too.
    if (heldEvents.has(event) || (state.decided && state.inFlight === 0)) return;
    apply(stopImmediate, event, []);
    state.heldNegotiation = true;
  };

  const releaseNegotiation = (pc, state) => {
    if (!state.heldNegotiation || !state.decided || state.blocked || state.inFlight > 0) return;
    if (pageSignaling(pc, state) !== "stable") return; // again when its operations settle
    state.heldNegotiation = false;
    natives.setTimeout(() => {
      if (state.blocked || connectionStateOf(pc) === "closed") return;
      if (state.inFlight > 0 || pageSignaling(pc, state) !== "stable") {
        state.heldNegotiation = true;
        return;
      }
      const event = new NativeEvent("negotiationneeded");
      heldEvents.add(event);
      apply(dispatch, pc, [event]);
    }, 0);
  };

  /** Runs `step` once the decision is applied, counted as one of the page's operations. */
  const readyThen = (pc, state, step) => counted(pc, state, after(state.ready, step));

  /** Counts a page operation until it settles (the hold above waits for none to be left). */
  const counted = (pc, state, promise) => {
    state.inFlight++;
    const settled = () => {
      state.inFlight--;
      releaseNegotiation(pc, state);
    };
    apply(then, promise, [settled, settled]);
    return promise;
  };

  const track = (pc, pageConfig) => {
    const state = {
      id: natives.randomUUID(),
      pageConfig: snapshot(pageConfig),
      ready: natives.Promise.resolve(),
      blocked: null,
      relays: new natives.Set(),
      exposed: new natives.Map(),
      originals: new natives.Map(),
      channels: [],
      decided: policy.current !== null,
      inFlight: 0,
      heldNegotiation: false,
    };
    tracked.set(pc, state);
    recorder.attach(state);
    apply(addListener, pc, ["negotiationneeded", (event) => holdNegotiation(pc, state, event)]);
    apply(addListener, pc, ["icecandidate", (event) => onCandidate(state, event)]);
    apply(addListener, pc, [
      "connectionstatechange",
      () => {
        const now = connectionStateOf(pc);
        if (now === "closed" || now === "failed") recorder.hangUp(state);
      },
    ]);
    live.add(state);
    apply(addListener, pc, ["datachannel", (event) => onDataChannel(state, event)]);
    apply(addListener, pc, [
      "icecandidateerror",
      (event) => {
        // The error carries the local address the gathering used: the page sees it only in mode 1.
        if (view().mode !== "mode-1") apply(stopImmediate, event, []);
      },
    ]);
    monitor.created(pc, state);
    return state;
  };

  const live = new natives.Set();
  win.addEventListener("pagehide", () => {
    for (const state of live) recorder.hangUp(state);
  });

  const Wrapped = new natives.Proxy(Native, {
    construct(target, args, newTarget) {
      const decision = policy.current;
      if (decision && blocksConnections(decision)) throw blockedError(decision);
      const pageConfig = args[0] ?? undefined;
      const config = decision ? effectiveConfig(pageConfig, decision) : failClosedConfig(pageConfig);
      const pc = construct(target, [config, ...args.slice(1)], newTarget);
      const state = track(pc, pageConfig);
      if (!decision) {
        state.ready = after(policy.whenDecided(), (d) => {
          applyDecision(pc, state, d);
          state.decided = true;
          releaseNegotiation(pc, state);
        });
      }
      return pc;
    },
  });
  disguise(Wrapped, Native);

  replaceMethod(
    proto,
    "setLocalDescription",
    (original) =>
      ({
        setLocalDescription(...args) {
          const state = tracked.get(this);
          if (!state) return apply(original, this, args);
          if (typeof args[1] === "function") return legacy(this, "setLocalDescription", args, 1);
          const pc = this;
          const given = readDescription(args[0]);
          return readyThen(pc, state, () => {
            if (state.blocked) throw state.blocked;
            if (recorded(state)) {
              return blockOnFailure(
                pc,
                state,
                recorder.setLocalDescription(pc, state, policy.current, given),
              );
            }
            const original_ = given?.sdp && state.originals.get(given.sdp);
            const real = original_ ? { type: given.type, sdp: original_ } : given;
            return apply(original, pc, real === undefined ? [] : [real]);
          });
        },
      }).setLocalDescription,
  );

  for (const name of ["createOffer", "createAnswer"]) {
    replaceMethod(
      proto,
      name,
      (original) =>
        ({
          [name](...args) {
            const state = tracked.get(this);
            if (state?.blocked) return natives.Promise.reject(state.blocked);
            if (!state) return apply(original, this, args);
            if (typeof args[0] === "function") return legacy(this, name, [args[2], args[0], args[1]], 1);
            const pc = this;
            const options = readOptions(args[0]);
            const plain = () =>
              after(apply(original, pc, options === undefined ? [] : [options]), (description) =>
                expose(state, description),
              );
            // A recorded call's offer/answer comes from the media server: the decision comes first.
            return readyThen(pc, state, () => {
              if (state.blocked) throw state.blocked;
              if (!recorded(state)) return plain();
              const made = recorder[name](pc, state, policy.current, options === undefined ? [] : [options]);
              return blockOnFailure(
                pc,
                state,
                after(made, (description) => description ?? plain()),
              );
            });
          },
        })[name],
    );
  }

  /**
   * The legacy callback forms (`createOffer(success, failure, options)`,
   * `setLocalDescription(description, success, failure)`...): run as the promise form, so they wait
   * for the decision and go through the media server like any other; the callbacks get the outcome.
   * `args` holds the promise form's arguments followed by the two callbacks from `index` on.
   */
  const legacy = (pc, name, args, index) => {
    const success = args[index];
    const failure = args[index + 1];
    const promised = apply(promiseForms[name], pc, args.slice(0, index));
    apply(then, promised, [
      (value) =>
        typeof success === "function" && apply(success, undefined, value === undefined ? [] : [value]),
      (error) => typeof failure === "function" && apply(failure, undefined, [error]),
    ]);
    return natives.Promise.resolve();
  };

  for (const name of ["localDescription", "currentLocalDescription", "pendingLocalDescription"]) {
    replaceGetter(proto, name, (original) => {
      const holder = {
        get [name]() {
          const state = tracked.get(this);
          if (state && recorded(state)) return recorder[name](state);
          const description = apply(original, this, []);
          return state && description ? expose(state, description) : description;
        },
      };
      return getOwnPropertyDescriptor(holder, name).get;
    });
  }

  for (const name of [
    "remoteDescription",
    "currentRemoteDescription",
    "pendingRemoteDescription",
    "signalingState",
  ]) {
    replaceGetter(proto, name, (original) => {
      const holder = {
        get [name]() {
          const state = tracked.get(this);
          if (state && recorded(state)) return recorder[name](state);
          return apply(original, this, []);
        },
      };
      return getOwnPropertyDescriptor(holder, name).get;
    });
  }

  replaceMethod(
    proto,
    "setRemoteDescription",
    (original) =>
      ({
        setRemoteDescription(...args) {
          const state = tracked.get(this);
          if (!state) return apply(original, this, args);
          if (typeof args[1] === "function") return legacy(this, "setRemoteDescription", args, 1);
          const pc = this;
          const given = readDescription(args[0]);
          return readyThen(pc, state, () => {
            if (state.blocked) throw state.blocked;
            if (recorded(state)) {
              return blockOnFailure(
                pc,
                state,
                recorder.setRemoteDescription(pc, state, policy.current, given),
              );
            }
            return apply(original, pc, [given]);
          });
        },
      }).setRemoteDescription,
  );

  replaceMethod(
    proto,
    "addIceCandidate",
    (original) =>
      ({
        addIceCandidate(...args) {
          const state = tracked.get(this);
          if (!state) return apply(original, this, args);
          if (typeof args[1] === "function") return legacy(this, "addIceCandidate", args, 1);
          const pc = this;
          const candidate = readCandidate(args[0]);
          return readyThen(pc, state, () => {
            if (state.blocked) throw state.blocked;
            if (recorded(state)) return recorder.addIceCandidate(state, candidate);
            return apply(original, pc, candidate === undefined ? [] : [candidate]);
          });
        },
      }).addIceCandidate,
  );

  replaceGetter(win.RTCPeerConnectionIceEvent.prototype, "candidate", (original) => {
    const holder = {
      get candidate() {
        return rewrittenCandidates.get(this) ?? apply(original, this, []);
      },
    };
    return getOwnPropertyDescriptor(holder, "candidate").get;
  });

  replaceMethod(
    proto,
    "getConfiguration",
    (original) =>
      ({
        getConfiguration() {
          const real = apply(original, this, []);
          const state = tracked.get(this);
          return state ? pageView(real, pageConfigOf(state)) : real;
        },
      }).getConfiguration,
  );

  replaceMethod(
    proto,
    "setConfiguration",
    (original) =>
      ({
        setConfiguration(...args) {
          const state = tracked.get(this);
          if (!state) return apply(original, this, args);
          const decision = policy.current;
          const config = args[0];
          const real =
            decision && !blocksConnections(decision)
              ? effectiveConfig(config, decision)
              : failClosedConfig(config);
          apply(original, this, [real]);
          state.pageConfig = snapshot(config);
        },
      }).setConfiguration,
  );

  replaceMethod(
    proto,
    "createDataChannel",
    (original) =>
      ({
        createDataChannel(...args) {
          const state = tracked.get(this);
          const decision = policy.current;
          if (state && decision && decision.settings.blockDataChannels) {
            throw domError(
              "NotAllowedError",
              "Data channels are blocked on this site by your organisation's policy.",
            );
          }
          const channel = apply(original, this, args);
          if (state && !decision) state.channels.push(channel);
          return channel;
        },
      }).createDataChannel,
  );

  replaceMethod(
    proto,
    "close",
    (original) =>
      ({
        close() {
          const state = tracked.get(this);
          if (state && !state.blocked) monitor.closed(this, state, "closed-by-page");
          if (state) {
            recorder.hangUp(state);
            live.delete(state);
          }
          return apply(original, this, []);
        },
      }).close,
  );

  // The wrapper's own promise forms, for the legacy callback forms (not looked up on the
  // page-writable prototype at call time).
  const promiseForms = {};
  for (const name of [
    "createOffer",
    "createAnswer",
    "setLocalDescription",
    "setRemoteDescription",
    "addIceCandidate",
  ]) {
    promiseForms[name] = proto[name];
  }

  wrapStatsReports(win, view);
  wrapIceTransports(win, view, candidateText, NativeCandidate);

  const descriptor = getOwnPropertyDescriptor(win, "RTCPeerConnection");
  defineProperty(win, "RTCPeerConnection", { ...descriptor, value: Wrapped });
  if (win.webkitRTCPeerConnection === Native) {
    defineProperty(win, "webkitRTCPeerConnection", {
      ...getOwnPropertyDescriptor(win, "webkitRTCPeerConnection"),
      value: Wrapped,
    });
  }
  defineProperty(proto, "constructor", { ...getOwnPropertyDescriptor(proto, "constructor"), value: Wrapped });
  return tracked;
}

/** RTCIceTransport's candidates (reachable through senders, receivers and the SCTP transport). */
function wrapIceTransports(win, view, candidateText, NativeCandidate) {
  const transportProto = win.RTCIceTransport?.prototype;
  if (!transportProto) return;
  const safe = (candidate, mask) => {
    const line = candidate ? candidateText(candidate) : "";
    if (!line) return candidate;
    const kept = mask ? maskCandidate(line, view()) : filterCandidate(line, view());
    if (kept === line) return candidate;
    if (kept === null) return null;
    return new NativeCandidate({
      candidate: kept,
      sdpMid: candidate.sdpMid,
      sdpMLineIndex: candidate.sdpMLineIndex,
    });
  };
  replaceMethod(
    transportProto,
    "getSelectedCandidatePair",
    (original) =>
      ({
        getSelectedCandidatePair() {
          const pair = apply(original, this, []);
          if (!pair?.local) return pair;
          const local = safe(pair.local, true);
          return local === pair.local ? pair : { local, remote: pair.remote };
        },
      }).getSelectedCandidatePair,
  );
  replaceMethod(
    transportProto,
    "getLocalCandidates",
    (original) =>
      ({
        getLocalCandidates() {
          return apply(original, this, [])
            .map((c) => safe(c, false))
            .filter(Boolean);
        },
      }).getLocalCandidates,
  );
}

/** getStats() reports (of connections, senders and receivers) show local candidates as the mode says. */
function wrapStatsReports(win, view) {
  const reportProto = win.RTCStatsReport?.prototype;
  if (!reportProto) return;
  const safe = (stat) => sanitizeStat(stat, view());
  replaceMethod(
    reportProto,
    "get",
    (original) =>
      ({
        get(key) {
          return safe(apply(original, this, [key]));
        },
      }).get,
  );
  replaceMethod(
    reportProto,
    "forEach",
    (original) =>
      ({
        forEach(callback, thisArg) {
          return apply(original, this, [
            (value, key, map) => apply(callback, thisArg, [safe(value), key, map]),
          ]);
        },
      }).forEach,
  );
  const entries = replaceMethod(
    reportProto,
    "entries",
    (original) =>
      ({
        *entries() {
          for (const [key, value] of apply(original, this, [])) yield [key, safe(value)];
        },
      }).entries,
  );
  replaceMethod(
    reportProto,
    "values",
    (original) =>
      ({
        *values() {
          for (const value of apply(original, this, [])) yield safe(value);
        },
      }).values,
  );
  const iterator = getOwnPropertyDescriptor(reportProto, Symbol.iterator);
  if (iterator && entries) {
    defineProperty(reportProto, Symbol.iterator, { ...iterator, value: reportProto.entries });
  }
}
