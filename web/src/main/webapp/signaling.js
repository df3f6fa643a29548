// The signaling WebSocket client, protocol version 1 (web/SIGNALING.md). One socket per tab: it
// authenticates with `hello`, pings, renews its token before it expires, reconnects with backoff and
// re-watches presence after every reconnect. Messages reach listeners as events named by type.

export const PROTOCOL_VERSION = 1;

/** Every message type of version 1: the same list as the server's SignalingMessage. */
export const Type = Object.freeze({
  HELLO: "hello",
  WELCOME: "welcome",
  PING: "ping",
  PONG: "pong",
  ERROR: "error",
  PRESENCE_WATCH: "presence.watch",
  PRESENCE_UNWATCH: "presence.unwatch",
  PRESENCE_UPDATE: "presence.update",
  CALL_INVITE: "call.invite",
  CALL_RINGING: "call.ringing",
  CALL_INCOMING: "call.incoming",
  CALL_ANSWER: "call.answer",
  CALL_ANSWERED: "call.answered",
  CALL_DECLINE: "call.decline",
  CALL_CANCEL: "call.cancel",
  CALL_HANGUP: "call.hangup",
  CALL_RESUME: "call.resume",
  CALL_MEDIA: "call.media",
  CALL_ENDED: "call.ended",
  CALL_MERGED: "call.merged",
  CALL_ADD: "call.add",
  CALL_ADD_CANCEL: "call.add.cancel",
  CALL_ADD_ENDED: "call.add.ended",
  CALL_PARTIES: "call.parties",
  CALL_LEAVE: "call.leave",
  CONFERENCE_JOIN: "conference.join",
  CONFERENCE_PUBLISH: "conference.publish",
  CONFERENCE_PUBLISHED: "conference.published",
  CONFERENCE_OFFER: "conference.offer",
  CONFERENCE_ANSWER: "conference.answer",
  CONFERENCE_CANDIDATE: "conference.candidate",
  CONFERENCE_SESSION_CLOSED: "conference.session.closed",
  SDP: "sdp",
  CANDIDATE: "candidate",
  RECORDING_STOPPED: "recording.stopped",
});

const CLIENT = "client";
const SERVER = "server";
const BOTH = "both";

/** Who sends each type and its fields ("?" marks an optional one). */
export const MESSAGES = Object.freeze({
  [Type.HELLO]: { from: CLIENT, fields: ["token"] },
  [Type.WELCOME]: { from: SERVER, fields: ["userId", "username", "displayName", "expiresAt", "calls"] },
  [Type.PING]: { from: CLIENT, fields: [] },
  [Type.PONG]: { from: SERVER, fields: [] },
  [Type.ERROR]: { from: SERVER, fields: ["code", "detail", "inReplyTo?"] },
  [Type.PRESENCE_WATCH]: { from: CLIENT, fields: ["users"] },
  [Type.PRESENCE_UNWATCH]: { from: CLIENT, fields: ["users"] },
  [Type.PRESENCE_UPDATE]: { from: SERVER, fields: ["user", "presence"] },
  [Type.CALL_INVITE]: { from: CLIENT, fields: ["ref", "to", "media"] },
  [Type.CALL_RINGING]: { from: SERVER, fields: ["callId", "ref", "peer", "peerName", "media"] },
  [Type.CALL_INCOMING]: { from: SERVER, fields: ["callId", "peer", "peerName", "media", "parties?"] },
  [Type.CALL_ANSWER]: { from: CLIENT, fields: ["callId"] },
  [Type.CALL_ANSWERED]: { from: SERVER, fields: ["callId"] },
  [Type.CALL_DECLINE]: { from: CLIENT, fields: ["callId"] },
  [Type.CALL_CANCEL]: { from: CLIENT, fields: ["callId"] },
  [Type.CALL_HANGUP]: { from: CLIENT, fields: ["callId"] },
  [Type.CALL_RESUME]: { from: CLIENT, fields: ["callId"] },
  [Type.CALL_MEDIA]: { from: CLIENT, fields: ["callId", "path"] },
  [Type.CALL_ENDED]: { from: SERVER, fields: ["callId", "reason", "ref?"] },
  [Type.CALL_MERGED]: { from: SERVER, fields: ["ref", "callId", "peer", "peerName", "media"] },
  [Type.CALL_ADD]: { from: CLIENT, fields: ["callId", "ref", "to"] },
  [Type.CALL_ADD_CANCEL]: { from: CLIENT, fields: ["callId", "userId"] },
  [Type.CALL_ADD_ENDED]: { from: SERVER, fields: ["callId", "ref?", "userId", "reason"] },
  [Type.CALL_PARTIES]: { from: SERVER, fields: ["callId", "parties"] },
  [Type.CALL_LEAVE]: { from: CLIENT, fields: ["callId"] },
  [Type.CONFERENCE_JOIN]: { from: SERVER, fields: ["callId", "parties"] },
  [Type.CONFERENCE_PUBLISH]: { from: CLIENT, fields: ["callId", "sdp"] },
  [Type.CONFERENCE_PUBLISHED]: { from: SERVER, fields: ["callId", "sdp"] },
  [Type.CONFERENCE_OFFER]: { from: SERVER, fields: ["callId", "sessionId", "sdp", "sources"] },
  [Type.CONFERENCE_ANSWER]: { from: CLIENT, fields: ["callId", "sessionId", "sdp"] },
  [Type.CONFERENCE_CANDIDATE]: {
    from: BOTH,
    fields: ["callId", "sessionId", "candidate", "sdpMid?", "sdpMLineIndex?"],
  },
  [Type.CONFERENCE_SESSION_CLOSED]: { from: SERVER, fields: ["callId", "sessionId"] },
  [Type.SDP]: { from: BOTH, fields: ["callId", "kind", "sdp"] },
  [Type.CANDIDATE]: { from: BOTH, fields: ["callId", "candidate", "sdpMid", "sdpMLineIndex"] },
  [Type.RECORDING_STOPPED]: { from: SERVER, fields: ["recordedCallId", "reason"] },
});

/** How many people one connection may watch (the server refuses more). */
export const MAX_WATCHED = 1000;

const PING_INTERVAL_MS = 15_000;
// No frame at all (not even a pong) for this long: the connection is dead even if TCP has not noticed.
const SILENCE_LIMIT_MS = 45_000;
const RENEW_BEFORE_EXPIRY_MS = 60_000;
const MIN_RENEW_DELAY_MS = 5_000;
const BACKOFF_FIRST_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

// Close codes after which reconnecting cannot help (SIGNALING.md, "Connection life").
const CLOSE_FORBIDDEN = 4403;
const CLOSE_ORIGIN = 1008;
const CLOSE_UNAUTHENTICATED = 4401;

/** Checks an outgoing message against the registry: a wrong one is a bug in this app. */
function encode(type, fields) {
  const spec = MESSAGES[type];
  if (!spec || spec.from === SERVER) {
    throw new Error(`'${type}' is not a message a client sends`);
  }
  const allowed = spec.fields.map((f) => f.replace(/\?$/, ""));
  for (const name of spec.fields) {
    if (!name.endsWith("?") && fields[name] === undefined) {
      throw new Error(`'${type}' needs '${name}'`);
    }
  }
  for (const name of Object.keys(fields)) {
    if (!allowed.includes(name)) {
      throw new Error(`'${type}' has no field '${name}'`);
    }
  }
  return JSON.stringify({ type, v: PROTOCOL_VERSION, ...fields });
}

/** A time in epoch milliseconds from an ISO-8601 string or epoch seconds/milliseconds; NaN if neither. */
export function toEpochMillis(value) {
  if (typeof value === "number") {
    return value < 1e12 ? value * 1000 : value;
  }
  return typeof value === "string" ? Date.parse(value) : NaN;
}

/**
 * The WebSocket client. Events: `state` (detail: "connecting" | "open" | "closed"), `welcome`
 * (detail: the welcome message plus `reconnected`), `fatal` (detail: {code, reason}: gave up), and one
 * event per server message type with the message as detail.
 */
export class SignalingClient extends EventTarget {
  #url;
  #tokens;
  #socket = null;
  #state = "closed";
  #opening = false;
  #authenticated = false;
  #welcomed = false;
  #everOpened = false;
  #attempt = 0;
  #forceTokenRefresh = false;
  #stopped = false;
  #watched = new Set();
  #pingTimer = null;
  #renewTimer = null;
  #reconnectTimer = null;
  #lastHeard = 0;

  /**
   * @param {object} options
   * @param {string} options.url the ws(s) URL of /ws
   * @param {{fresh(minValiditySeconds: number): Promise<string>, expiresAt(): number}} options.tokens
   *   access tokens: `fresh(s)` refreshes when the token expires within s seconds (-1: always);
   *   `expiresAt()` is the current token's expiry in local epoch milliseconds
   */
  constructor({ url, tokens }) {
    super();
    this.#url = url;
    this.#tokens = tokens;
    // A page or the extension's service worker (which has no window).
    globalThis.addEventListener?.("online", () => this.#reconnectNow());
  }

  get state() {
    return this.#state;
  }

  /** True once the server welcomed this socket: messages can be sent. */
  get isOpen() {
    return this.#authenticated && this.#socket?.readyState === WebSocket.OPEN;
  }

  connect() {
    this.#stopped = false;
    this.#open();
  }

  /** Closes for good (sign-out): no reconnect. */
  stop() {
    this.#stopped = true;
    clearTimeout(this.#reconnectTimer);
    this.#drop(1000, "bye");
  }

  /** Sends a client message; false when not connected (the message is dropped, not queued). */
  send(type, fields = {}) {
    const text = encode(type, fields);
    if (!this.isOpen) {
      return false;
    }
    this.#socket.send(text);
    return true;
  }

  /** Watches these people's presence, on this socket and on every reconnected one. */
  watch(userIds) {
    const added = [];
    for (const id of userIds) {
      if (this.#watched.has(id)) {
        continue;
      }
      if (this.#watched.size >= MAX_WATCHED) {
        console.warn(`presence: watching ${MAX_WATCHED} people already, not more`);
        break;
      }
      this.#watched.add(id);
      added.push(id);
    }
    if (added.length > 0) {
      this.send(Type.PRESENCE_WATCH, { users: added });
    }
  }

  #setState(state) {
    if (this.#state !== state) {
      this.#state = state;
      this.dispatchEvent(new CustomEvent("state", { detail: state }));
    }
  }

  async #open() {
    if (this.#stopped || this.#socket || this.#opening) {
      return;
    }
    this.#opening = true;
    this.#setState("connecting");
    let token;
    try {
      token = await this.#tokens.fresh(this.#forceTokenRefresh ? -1 : 30);
      this.#forceTokenRefresh = false;
    } catch (error) {
      console.warn("signaling: no access token", error);
      this.#setState("closed");
      this.dispatchEvent(new CustomEvent("sessionexpired"));
      this.#scheduleReconnect();
      return;
    } finally {
      this.#opening = false;
    }
    if (this.#stopped || this.#socket) {
      return;
    }
    const socket = new WebSocket(this.#url);
    this.#socket = socket;
    this.#authenticated = false;
    this.#welcomed = false;
    socket.addEventListener("open", () => {
      this.#lastHeard = Date.now();
      socket.send(encode(Type.HELLO, { token }));
      this.#pingTimer = setInterval(() => this.#heartbeat(socket), PING_INTERVAL_MS);
    });
    socket.addEventListener("message", (event) => this.#receive(socket, event.data));
    socket.addEventListener("close", (event) => this.#closed(socket, event.code, event.reason));
  }

  #heartbeat(socket) {
    if (socket !== this.#socket) {
      return;
    }
    if (Date.now() - this.#lastHeard > SILENCE_LIMIT_MS) {
      console.warn("signaling: server silent, reconnecting");
      this.#drop(4000, "silent");
      this.#scheduleReconnect();
      return;
    }
    socket.send(encode(Type.PING, {}));
  }

  #receive(socket, data) {
    if (socket !== this.#socket) {
      return;
    }
    this.#lastHeard = Date.now();
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      console.warn("signaling: a frame that is not JSON");
      return;
    }
    const spec = message && MESSAGES[message.type];
    if (!spec || spec.from === CLIENT || message.v !== PROTOCOL_VERSION) {
      console.warn(`signaling: ignored message type '${message?.type}' (v ${message?.v})`);
      return;
    }
    if (message.type === Type.WELCOME) {
      this.#welcome(message);
    }
    if (message.type === Type.PONG) {
      return;
    }
    this.dispatchEvent(new CustomEvent(message.type, { detail: message }));
  }

  #welcome(message) {
    this.#scheduleRenewal(toEpochMillis(message.expiresAt));
    if (this.#welcomed) {
      return; // the answer to a token renewal
    }
    this.#welcomed = true;
    this.#authenticated = true;
    const reconnected = this.#everOpened;
    this.#everOpened = true;
    this.#attempt = 0;
    this.#setState("open");
    if (this.#watched.size > 0) {
      this.send(Type.PRESENCE_WATCH, { users: [...this.#watched] });
    }
    this.dispatchEvent(new CustomEvent("welcome", { detail: { ...message, reconnected } }));
  }

  /** Renews a minute before the earlier of the server's and the token's own expiry. */
  #scheduleRenewal(serverExpiry) {
    clearTimeout(this.#renewTimer);
    const expiries = [this.#tokens.expiresAt(), serverExpiry].filter(Number.isFinite);
    if (expiries.length === 0) {
      return;
    }
    const delay = Math.max(MIN_RENEW_DELAY_MS, Math.min(...expiries) - Date.now() - RENEW_BEFORE_EXPIRY_MS);
    const socket = this.#socket;
    this.#renewTimer = setTimeout(() => this.#renew(socket), delay);
  }

  async #renew(socket) {
    try {
      const token = await this.#tokens.fresh(RENEW_BEFORE_EXPIRY_MS / 1000 + 30);
      if (socket === this.#socket && this.isOpen) {
        socket.send(encode(Type.HELLO, { token }));
        // The server may or may not answer with a welcome; plan the next renewal from the token.
        this.#scheduleRenewal(NaN);
      }
    } catch (error) {
      console.warn("signaling: could not renew the token", error);
      this.dispatchEvent(new CustomEvent("sessionexpired"));
    }
  }

  #closed(socket, code, reason) {
    if (socket !== this.#socket) {
      return;
    }
    this.#release();
    this.#setState("closed");
    if (this.#stopped) {
      return;
    }
    if (code === CLOSE_FORBIDDEN || code === CLOSE_ORIGIN) {
      this.dispatchEvent(new CustomEvent("fatal", { detail: { code, reason } }));
      return;
    }
    if (code === CLOSE_UNAUTHENTICATED) {
      this.#forceTokenRefresh = true;
    }
    this.#scheduleReconnect();
  }

  /** Forgets the current socket at once (its close event, if it ever comes, is ignored). */
  #drop(code, reason) {
    const socket = this.#socket;
    this.#release();
    if (socket && socket.readyState <= WebSocket.OPEN) {
      socket.close(code, reason);
    }
    this.#setState("closed");
  }

  #release() {
    clearInterval(this.#pingTimer);
    clearTimeout(this.#renewTimer);
    this.#socket = null;
    this.#authenticated = false;
    this.#welcomed = false;
  }

  /** Exponential backoff with jitter: 1 s, 2 s, 4 s… up to 30 s, each between half and all of it. */
  #scheduleReconnect() {
    if (this.#stopped) {
      return;
    }
    clearTimeout(this.#reconnectTimer);
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** this.#attempt);
    this.#attempt += 1;
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.#reconnectTimer = setTimeout(() => this.#open(), delay);
  }

  #reconnectNow() {
    if (this.#stopped || this.#socket || this.#opening) {
      return;
    }
    clearTimeout(this.#reconnectTimer);
    this.#open();
  }
}

/** The URL of the signaling endpoint next to the page (http → ws, https → wss). */
export function signalingUrl(base = document.baseURI) {
  const url = new URL("ws", base);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.search = "";
  url.hash = "";
  return url.href;
}
