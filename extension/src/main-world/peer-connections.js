// RTCPeerConnection under the Secure Edge policy. The constructor becomes a Proxy of the native
// one (so `new`, subclassing, instanceof and the prototype stay native) and the native prototype's
// methods are replaced in place, each disguised as native code:
// - constructor: deny → NotAllowedError; before the decision the browser gets a fail-closed
//   configuration (relay only, no servers), afterwards the policy's one (ice-config.js);
// - setLocalDescription waits for the decision (nothing is gathered before it), then applies it;
// - icecandidate events, local descriptions, createOffer/createAnswer results and getStats()
//   show only what the candidate filter mode lets through (candidates.js);
// - getConfiguration() shows the page its own servers, not the minted relay credentials;
// - createDataChannel and incoming data channels are blocked when the policy says so;
// - a connection this realm's wrapper did not create is refused by every method and getter
//   (TypeError "Illegal invocation", as for a `this` of the wrong kind): a page that takes
//   another frame's RTCPeerConnection.prototype and calls its methods on its connection (or the
//   other way round) gets nothing done without the policy.
// Only captured built-ins are used after start (natives.js).
import {
  natives,
  getterOf,
  replaceGetter,
  replaceMethod,
  disguise,
  domError,
  illegalInvocation,
  iteratorSymbol,
  own,
  changed,
  keysOf,
  list,
  map,
  rejected,
  resolved,
  set,
  then,
  toArray,
  valuesOf,
  weakMap,
  weakSet,
} from "./natives.js";
import {
  addressPolicy,
  filterCandidate,
  maskCandidate,
  parseCandidate,
  sanitizeSdp,
  sanitizeStat,
} from "./candidates.js";
import { blocksConnections, effectiveConfig, failClosedConfig, pageView, readConfig } from "./ice-config.js";
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

/** What the page's console and error say when the server stopped a recorded call. */
export function stoppedMessage(reason) {
  return `Vclick Secure Edge: recording failed; the call was stopped by policy (${reason}).`;
}

/**
 * Wraps `win.RTCPeerConnection`. `policy` is the frame's policy state, `monitor` receives the
 * lifecycle (monitor.js), `request(op, payload)` reaches the server's recorded-call API through
 * the bridge and `calls` hears of the recorded calls the server stops (recording.js, requests.js).
 * Returns the per-connection state map (for the monitor).
 */
export function wrapPeerConnections(win, policy, monitor, request, calls = null) {
  const Native = win.RTCPeerConnection;
  if (typeof Native !== "function") return null;
  const proto = Native.prototype;
  const tracked = weakMap();
  const seenCandidates = weakMap();
  const after = (promise, onValue) => then(promise, onValue);
  const addListener = win.EventTarget.prototype.addEventListener;
  const stopImmediate = win.Event.prototype.stopImmediatePropagation;
  const candidateOfEvent = getterOf(win.RTCPeerConnectionIceEvent.prototype, "candidate");
  const channelOfEvent = getterOf(win.RTCDataChannelEvent.prototype, "channel");
  const candidateText = getterOf(win.RTCIceCandidate.prototype, "candidate");
  const candidateMid = getterOf(win.RTCIceCandidate.prototype, "sdpMid");
  const candidateLine = getterOf(win.RTCIceCandidate.prototype, "sdpMLineIndex");
  const candidateUfrag = getterOf(win.RTCIceCandidate.prototype, "usernameFragment");
  const sdpOf = getterOf(win.RTCSessionDescription.prototype, "sdp");
  const typeOf = getterOf(win.RTCSessionDescription.prototype, "type");
  const closeChannel = win.RTCDataChannel.prototype.close;
  const NativeCandidate = win.RTCIceCandidate;
  const NativeDescription = win.RTCSessionDescription;
  const nativeSetConfiguration = proto.setConfiguration;
  const nativeClose = proto.close;
  const recorder = createRecorder({
    win,
    request,
    calls,
    onStopped: (pc, state, reason) => stopByPolicy(pc, state, reason),
    native: {
      createOffer: proto.createOffer,
      createAnswer: proto.createAnswer,
      setLocalDescription: proto.setLocalDescription,
      setRemoteDescription: proto.setRemoteDescription,
      localDescription: getterOf(proto, "localDescription"),
      sdp: getterOf(win.RTCSessionDescription.prototype, "sdp"),
      type: getterOf(win.RTCSessionDescription.prototype, "type"),
      iceGatheringState: getterOf(proto, "iceGatheringState"),
      signalingState: getterOf(proto, "signalingState"),
      addEventListener: addListener,
      dispatchEvent: win.EventTarget.prototype.dispatchEvent,
    },
  });
  const connectionStateOf = getterOf(proto, "connectionState");
  /** Whether this connection runs through the media server (decision record). */
  const recorded = (state) => recorder.active(state, policy.current);
  /** A recorded call that cannot be set up blocks the connection (never an unrecorded one). */
  const blockOnFailure = (pc, state, promise) =>
    then(
      promise,
      (value) => value,
      (error) => {
        if (error instanceof natives.DOMException && !state.blocked) {
          if (getterOf(natives.DOMException.prototype, "name")(error) === "NotAllowedError")
            block(pc, state, error);
        }
        throw error;
      },
    );

  let viewOf = { settings: undefined, view: addressPolicy(undefined) };
  /** The address policy of the current decision (relay-only while there is none). */
  const view = () => {
    const settings = policy.current?.settings;
    if (viewOf.settings !== settings) viewOf = { settings, view: addressPolicy(settings) };
    return viewOf.view;
  };

  // The page's configuration, read once (ice-config.js readConfig): what getConfiguration shows it.
  const pageConfigOf = (state) => state.pageConfig;

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
    if (decision.settings.blockDataChannels) closeChannels(state);
    state.channels = list();
  };

  const block = (pc, state, error) => {
    state.blocked = error;
    closeChannels(state);
    monitor.closed(pc, state, "blocked");
    apply(nativeClose, pc, []);
  };

  /**
   * The server stopped this recorded call (its recording failed under `block`, the media server was
   * lost): the connection ends now, not when ICE notices. The real connection is closed, the page's
   * connection and ICE states read `failed` and their change events fire (a page does not get them
   * for a close it did not make), and the page's console says why.
   */
  const stopByPolicy = (pc, state, reason) => {
    if (state.blocked || state.stopped || connectionStateOf(pc) === "closed") return;
    const message = stoppedMessage(reason);
    state.stopped = domError("NotAllowedError", message);
    closeChannels(state);
    monitor.closed(pc, state, "blocked");
    live.delete(state);
    apply(nativeClose, pc, []);
    natives.consoleError(message);
    const names = ["iceconnectionstatechange", "connectionstatechange"];
    for (let i = 0; i < names.length; i++) apply(dispatch, pc, [new NativeEvent(names[i])]);
  };

  const closeChannels = (state) => {
    const channels = state.channels;
    state.channels = list();
    for (let i = 0; i < channels.length; i++) apply(closeChannel, channels[i], []);
  };

  /**
   * The candidate of an icecandidate event as the page may see it (decided once per event): the
   * browser's, a rewritten copy, or none (null; such an event never reaches the page's listeners).
   * Applied by this realm's `candidate` getter to any event, also one of another realm's
   * connection: no getter hands out a candidate the policy has not seen.
   */
  const visibleCandidate = (event) => {
    if (seenCandidates.has(event)) return seenCandidates.get(event).value;
    const candidate = candidateOfEvent(event);
    let value = candidate;
    const line = candidate ? candidateText(candidate) : "";
    if (line && !recorder.isSynthetic(event)) {
      const kept = filterCandidate(line, view());
      value =
        kept === null
          ? null
          : kept === line
            ? candidate
            : new NativeCandidate({
                candidate: kept,
                sdpMid: candidateMid(candidate),
                sdpMLineIndex: candidateLine(candidate),
                usernameFragment: candidateUfrag(candidate),
              });
    }
    seenCandidates.set(event, { __proto__: null, value });
    return value;
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
    if (visibleCandidate(event) === null) apply(stopImmediate, event, []);
  };

  const onDataChannel = (state, event) => {
    const decision = policy.current;
    if (decision && !blocksConnections(decision) && !decision.settings.blockDataChannels) return;
    apply(stopImmediate, event, []);
    apply(closeChannel, channelOfEvent(event), []);
  };

  /** A description as the page may see it; the original is remembered for setLocalDescription. */
  const expose = (state, description) => {
    // Chromium resolves createOffer/createAnswer with a plain {type, sdp} and hands out
    // RTCSessionDescription objects from the description getters. Both are read without a
    // page-writable getter: a page that replaced RTCSessionDescription.prototype.sdp cannot make
    // the wrapper judge one SDP and hand out another.
    const native = description instanceof NativeDescription;
    const original = native ? sdpOf(description) : own(description, "sdp");
    if (typeof original !== "string") return description;
    const cached = state.exposed.get(original);
    if (cached) return cached.value;
    const sdp = sanitizeSdp(original, view(), state.relays);
    const type = native ? typeOf(description) : own(description, "type");
    const value =
      sdp === original ? description : native ? new NativeDescription({ type, sdp }) : { type, sdp };
    if (state.exposed.size > 16) state.exposed.clear();
    state.exposed.set(original, { __proto__: null, value });
    if (sdp !== original) state.originals.set(sdp, original);
    if (state.originals.size > 16) state.originals.delete(keysOf(state.originals)[0]);
    return value;
  };

  // negotiationneeded before the decision, or while the page's operations wait in the wrapper: a
  // page answering it at once would only wait in setLocalDescription (nothing may be gathered
  // before the policy), an offer from the far end arriving meanwhile turns into glare the page did
  // not cause (and Chromium loses a first offer's data channel when it is rolled back), and a page
  // whose offer still waits for the media server would make a second one. So the event waits too:
  // it reaches the page once the decision is applied and the page's operations are done, in the
  // stable state, as if the browser had fired it then.
  // A held event stands for "the page has not been told yet", nothing more: once the page is told
  // (the browser's next one reaches it) or sets an offer itself (the browser's offer then carries
  // every change made so far), the held one is void; one the browser fires while the page's offer
  // round is open is void once that round completes, because the browser fires again then if
  // anything is still to negotiate (its negotiation-needed flag was set before and after the round).
  // Dispatching them anyway made the page offer the same description again after a round (up to
  // four offers for one change under load).
  const heldEvents = weakSet();
  const NativeEvent = win.Event;
  const dispatch = win.EventTarget.prototype.dispatchEvent;
  const signalingOf = getterOf(proto, "signalingState");
  const pageSignaling = (pc, state) => (recorded(state) ? recorder.signalingState(state) : signalingOf(pc));

  const holdNegotiation = (pc, state, event) => {
    if (heldEvents.has(event)) return;
    // The browser fires it when its own operations chain is empty; the page's operations may still
    // wait in the wrapper (the decision, the media server): hold it until they are done too.
    if (state.decided && state.inFlight === 0) {
      state.heldNegotiation = false; // the page hears of it now
      return;
    }
    apply(stopImmediate, event, []);
    state.heldNegotiation = true;
  };

  /** The page sets an offer: what a held negotiationneeded asked for is in it. */
  const offerMade = (state) => {
    state.heldAtOffer = state.heldNegotiation;
    state.heldNegotiation = false;
    state.offerRound = "making";
  };

  /** The page's offer was set: its round is open until the signaling state is stable again. */
  const offerSet = (state) => {
    if (state.offerRound === "making") state.offerRound = "open";
  };

  /** The page's offer failed: no round, the page is still to be told of what was held. */
  const offerFailed = (state) => {
    if (state.offerRound !== "making") return;
    if (state.heldAtOffer) state.heldNegotiation = true;
    state.offerRound = null;
  };

  /** After each of the page's operations: an offer round that completed voids what was held in it. */
  const roundSettled = (pc, state) => {
    if (state.offerRound !== "open" || pageSignaling(pc, state) !== "stable") return;
    state.heldNegotiation = false;
    state.offerRound = null;
  };

  /** Whether setLocalDescription(`given`) sets an offer (explicit, or implicit in these states). */
  const isOffer = (pc, state, given) => {
    const type = given && typeof given === "object" ? given.type : undefined;
    if (type !== undefined) return type === "offer";
    const now = pageSignaling(pc, state);
    return now === "stable" || now === "have-local-offer" || now === "have-remote-pranswer";
  };

  const releaseNegotiation = (pc, state) => {
    if (!state.heldNegotiation || state.releasing || !state.decided || state.blocked || state.inFlight > 0)
      return;
    if (pageSignaling(pc, state) !== "stable") return; // again when its operations settle
    state.releasing = true;
    natives.setTimeout(() => {
      state.releasing = false;
      if (!state.heldNegotiation || state.blocked || connectionStateOf(pc) === "closed") return;
      if (state.inFlight > 0 || pageSignaling(pc, state) !== "stable") return; // again when they settle
      state.heldNegotiation = false;
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
      roundSettled(pc, state);
      releaseNegotiation(pc, state);
    };
    then(promise, settled, settled);
    return promise;
  };

  const track = (pc, pageConfig) => {
    const state = {
      __proto__: null,
      id: natives.randomUUID(),
      pageConfig,
      ready: resolved(undefined),
      blocked: null,
      stopped: null,
      relays: set(),
      exposed: map(),
      originals: map(),
      channels: list(),
      decided: policy.current !== null,
      inFlight: 0,
      heldNegotiation: false,
      releasing: false,
      /** The page's own offer round: null, "making" (setLocalDescription running) or "open". */
      offerRound: null,
      heldAtOffer: false,
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

  const live = set();
  apply(addListener, win, [
    "pagehide",
    () => {
      const states = valuesOf(live);
      for (let i = 0; i < states.length; i++) recorder.hangUp(states[i]);
    },
  ]);

  /** This realm's state of `pc`, or the browser's "Illegal invocation" for any other object. */
  const stateOf = (pc) => {
    const state = tracked.get(pc);
    if (!state) throw illegalInvocation();
    return state;
  };

  const Wrapped = new natives.Proxy(Native, {
    __proto__: null,
    construct(target, args, newTarget) {
      const decision = policy.current;
      if (decision && blocksConnections(decision)) throw blockedError(decision);
      // Read once: the policy and the browser see the same copy.
      const pageConfig = readConfig(args[0]);
      const config = decision ? effectiveConfig(pageConfig, decision) : failClosedConfig(pageConfig);
      const pc = construct(target, args.length > 1 ? [config, args[1]] : [config], newTarget);
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

  /** A promise-returning method's refusal of a connection it does not know (never the native's). */
  const refusedPromise = () => rejected(illegalInvocation());

  replaceMethod(
    proto,
    "setLocalDescription",
    (original) =>
      ({
        setLocalDescription(...args) {
          const state = tracked.get(this);
          if (!state) return refusedPromise();
          if (typeof args[1] === "function") return legacy(this, "setLocalDescription", args, 1);
          const pc = this;
          const given = readDescription(args[0]);
          return readyThen(pc, state, () => {
            if (state.blocked) throw state.blocked;
            const offering = isOffer(pc, state, given);
            if (offering) offerMade(state);
            const setting = () => {
              if (recorded(state)) {
                return blockOnFailure(
                  pc,
                  state,
                  recorder.setLocalDescription(pc, state, policy.current, given),
                );
              }
              const original_ = given?.sdp && state.originals.get(given.sdp);
              const real = original_ ? { __proto__: null, type: given.type, sdp: original_ } : given;
              return apply(original, pc, real === undefined ? [] : [real]);
            };
            const applied = setting();
            if (offering)
              then(
                applied,
                () => offerSet(state),
                () => offerFailed(state),
              );
            return applied;
          });
        },
      }).setLocalDescription,
  );

  const makers = ["createOffer", "createAnswer"];
  for (let i = 0; i < makers.length; i++) {
    const name = makers[i];
    replaceMethod(
      proto,
      name,
      (original) =>
        ({
          [name](...args) {
            const state = tracked.get(this);
            if (!state) return refusedPromise();
            if (state.blocked) return rejected(state.blocked);
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
    const forwarded = list();
    for (let i = 0; i < index; i++) forwarded[i] = args[i];
    const promised = apply(promiseForms[name], pc, forwarded);
    then(
      promised,
      (value) =>
        typeof success === "function" && apply(success, undefined, value === undefined ? [] : [value]),
      (error) => typeof failure === "function" && apply(failure, undefined, [error]),
    );
    return resolved(undefined);
  };

  const localViews = ["localDescription", "currentLocalDescription", "pendingLocalDescription"];
  for (let i = 0; i < localViews.length; i++) {
    const name = localViews[i];
    replaceGetter(proto, name, (original) => {
      const holder = {
        get [name]() {
          const state = stateOf(this);
          if (recorded(state)) return recorder[name](state);
          const description = apply(original, this, []);
          return description ? expose(state, description) : description;
        },
      };
      return getOwnPropertyDescriptor(holder, name).get;
    });
  }

  const remoteViews = [
    "remoteDescription",
    "currentRemoteDescription",
    "pendingRemoteDescription",
    "signalingState",
  ];
  for (let i = 0; i < remoteViews.length; i++) {
    const name = remoteViews[i];
    replaceGetter(proto, name, (original) => {
      const holder = {
        get [name]() {
          const state = stateOf(this);
          if (recorded(state)) return recorder[name](state);
          return apply(original, this, []);
        },
      };
      return getOwnPropertyDescriptor(holder, name).get;
    });
  }

  // A connection the server stopped (stopByPolicy) reads `failed`: the browser's says `closed`, as
  // if the page had closed it itself.
  const transportStates = ["connectionState", "iceConnectionState"];
  for (let i = 0; i < transportStates.length; i++) {
    const name = transportStates[i];
    replaceGetter(proto, name, (original) => {
      const holder = {
        get [name]() {
          const state = stateOf(this);
          return state.stopped ? "failed" : apply(original, this, []);
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
          if (!state) return refusedPromise();
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
          if (!state) return refusedPromise();
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

  replaceGetter(win.RTCPeerConnectionIceEvent.prototype, "candidate", () => {
    const holder = {
      get candidate() {
        return visibleCandidate(this);
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
          const state = stateOf(this);
          return pageView(apply(original, this, []), pageConfigOf(state));
        },
      }).getConfiguration,
  );

  replaceMethod(
    proto,
    "setConfiguration",
    (original) =>
      ({
        setConfiguration(...args) {
          const state = stateOf(this);
          const decision = policy.current;
          // Read once: the policy and the browser see the same copy.
          const config = readConfig(args[0]);
          const real =
            decision && !blocksConnections(decision)
              ? effectiveConfig(config, decision)
              : failClosedConfig(config);
          apply(original, this, [real]);
          state.pageConfig = config;
        },
      }).setConfiguration,
  );

  replaceMethod(
    proto,
    "createDataChannel",
    (original) =>
      ({
        createDataChannel(...args) {
          const state = stateOf(this);
          const decision = policy.current;
          if (
            state.blocked ||
            (decision && (blocksConnections(decision) || decision.settings.blockDataChannels))
          ) {
            throw domError(
              "NotAllowedError",
              "Data channels are blocked on this site by your organisation's policy.",
            );
          }
          const channel = apply(original, this, args);
          if (!decision) state.channels[state.channels.length] = channel;
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
          const state = stateOf(this);
          if (!state.blocked) monitor.closed(this, state, "closed-by-page");
          recorder.hangUp(state);
          live.delete(state);
          return apply(original, this, []);
        },
      }).close,
  );

  // The wrapper's own promise forms, for the legacy callback forms (not looked up on the
  // page-writable prototype at call time).
  const promiseForms = { __proto__: null };
  const promised = [
    "createOffer",
    "createAnswer",
    "setLocalDescription",
    "setRemoteDescription",
    "addIceCandidate",
  ];
  for (let i = 0; i < promised.length; i++) promiseForms[promised[i]] = proto[promised[i]];

  // Every other method of the prototype (addTrack, addTransceiver, getStats, restartIce...) refuses
  // a connection this realm did not make, like the ones above.
  const names = natives.ownKeys(proto);
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    if (typeof name !== "string" || name === "constructor" || promiseForms[name] || handled[name]) continue;
    if (typeof own(getOwnPropertyDescriptor(proto, name), "value") !== "function") continue;
    const returnsPromise = name === "getStats";
    replaceMethod(proto, name, (original) => {
      const holder = {
        [name](...args) {
          if (!tracked.has(this)) {
            if (returnsPromise) return refusedPromise();
            throw illegalInvocation();
          }
          return apply(original, this, args);
        },
      };
      return holder[name];
    });
  }

  wrapStatsReports(win, view);
  wrapIceTransports(win, view, candidateText, NativeCandidate);

  const descriptor = getOwnPropertyDescriptor(win, "RTCPeerConnection");
  defineProperty(win, "RTCPeerConnection", changed(descriptor, { value: Wrapped }));
  const legacyName = getOwnPropertyDescriptor(win, "webkitRTCPeerConnection");
  if (own(legacyName, "value") === Native) {
    defineProperty(win, "webkitRTCPeerConnection", changed(legacyName, { value: Wrapped }));
  }
  defineProperty(
    proto,
    "constructor",
    changed(getOwnPropertyDescriptor(proto, "constructor"), { value: Wrapped }),
  );
  return tracked;
}

/** The methods wrapped one by one above (the rest get the plain refusal of unknown connections). */
const handled = {
  __proto__: null,
  getConfiguration: true,
  setConfiguration: true,
  createDataChannel: true,
  close: true,
};

/** RTCIceTransport's candidates (reachable through senders, receivers and the SCTP transport). */
function wrapIceTransports(win, view, candidateText, NativeCandidate) {
  const transportProto = win.RTCIceTransport?.prototype;
  if (!transportProto) return;
  const candidateMid = getterOf(win.RTCIceCandidate.prototype, "sdpMid");
  const candidateLine = getterOf(win.RTCIceCandidate.prototype, "sdpMLineIndex");
  const safe = (candidate, mask) => {
    const line = candidate ? candidateText(candidate) : "";
    if (!line) return candidate;
    const kept = mask ? maskCandidate(line, view()) : filterCandidate(line, view());
    if (kept === line) return candidate;
    if (kept === null) return null;
    return new NativeCandidate({
      candidate: kept,
      sdpMid: candidateMid(candidate),
      sdpMLineIndex: candidateLine(candidate),
    });
  };
  replaceMethod(
    transportProto,
    "getSelectedCandidatePair",
    (original) =>
      ({
        getSelectedCandidatePair() {
          const pair = apply(original, this, []);
          const local = own(pair, "local");
          if (!local) return pair;
          const shown = safe(local, true);
          return shown === local ? pair : { local: shown, remote: pair.remote };
        },
      }).getSelectedCandidatePair,
  );
  replaceMethod(
    transportProto,
    "getLocalCandidates",
    (original) =>
      ({
        getLocalCandidates() {
          const found = apply(original, this, []);
          const shown = list();
          for (let i = 0; i < found.length; i++) {
            const candidate = safe(found[i], false);
            if (candidate) shown[shown.length] = candidate;
          }
          return toArray(shown);
        },
      }).getLocalCandidates,
  );
}

/** getStats() reports (of connections, senders and receivers) show local candidates as the mode says. */
function wrapStatsReports(win, view) {
  const reportProto = win.RTCStatsReport?.prototype;
  if (!reportProto) return;
  const nativeForEach = reportProto.forEach;
  const safe = (stat) => sanitizeStat(stat, view());
  /** The report's entries (through the captured forEach), each as the page may see it. */
  const entriesOf = (report) => {
    const found = list();
    apply(nativeForEach, report, [
      (value, key) => {
        found[found.length] = { __proto__: null, key, value: safe(value) };
      },
    ]);
    return found;
  };
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
            (value, key, report) => apply(callback, thisArg, [safe(value), key, report]),
          ]);
        },
      }).forEach,
  );
  const entries = replaceMethod(
    reportProto,
    "entries",
    () =>
      ({
        *entries() {
          const found = entriesOf(this);
          for (let i = 0; i < found.length; i++) yield [found[i].key, found[i].value];
        },
      }).entries,
  );
  replaceMethod(
    reportProto,
    "values",
    () =>
      ({
        *values() {
          const found = entriesOf(this);
          for (let i = 0; i < found.length; i++) yield found[i].value;
        },
      }).values,
  );
  const iterator = getOwnPropertyDescriptor(reportProto, iteratorSymbol);
  if (iterator && entries) {
    defineProperty(
      reportProto,
      iteratorSymbol,
      changed(iterator, { value: own(getOwnPropertyDescriptor(reportProto, "entries"), "value") }),
    );
  }
}
