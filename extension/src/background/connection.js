// The presence WebSocket of the signed-in user: the web app's own signaling client (one protocol
// implementation, web/SIGNALING.md), authenticated with the extension's tokens. It pings every 15 s,
// which also keeps this MV3 worker alive (a worker idle for 30 s is stopped), reconnects with backoff
// and renews the token on the socket.
import { SignalingClient, Type, signalingUrl } from "../../../web/src/main/webapp/signaling.js";
import { accessToken, currentSession } from "./auth.js";
import { showOwnState } from "./badge.js";
import { clearCall, keepOnly, showIncomingCall } from "./notifications.js";
import { presenceChanged, watchedUserIds } from "./people.js";
import { serverUrl } from "./server.js";
import { recordingStopped } from "./recorded-calls.js";

const STATUS_KEY = "status";

let client = null;
let clientKey = null;
let tokenExpiresAt = NaN;
let inCall = false;

/** `change` (detail: {inCall}) when the user starts or stops being in a call (own presence busy). */
export const callPresence = new EventTarget();

function setInCall(value) {
  if (value === inCall) return;
  inCall = value;
  callPresence.dispatchEvent(new CustomEvent("change", { detail: { inCall } }));
}

/** The live client, or null when signed out. */
export function signaling() {
  return client;
}

/** Opens the socket for the signed-in user if it is not open yet; closes it when signed out. */
export async function ensureConnected() {
  const [session, base] = await Promise.all([currentSession(), serverUrl()]);
  if (!session) {
    disconnect();
    await setStatus({ connection: "offline", presence: "offline" }, "signed-out");
    return;
  }
  const key = `${base} ${session.user.id}`;
  if (client && clientKey === key) return;
  disconnect();
  clientKey = key;
  client = createClient(base, session.user);
  client.connect();
}

/** Closes the socket for good (sign-out, server changed). */
export function disconnect() {
  client?.stop();
  client = null;
  clientKey = null;
}

/** Tells the caller we decline; false when not connected. */
export function decline(callId) {
  return client?.send(Type.CALL_DECLINE, { callId }) ?? false;
}

/** Watches these users on the live socket (and on every reconnected one). */
export function watch(userIds) {
  if (client && userIds.length > 0) client.watch(userIds);
}

/** Connection and presence as the popup shows them. */
export async function status() {
  const { [STATUS_KEY]: stored } = await chrome.storage.session.get(STATUS_KEY);
  return stored ?? { connection: "offline", presence: "offline" };
}

function createClient(base, user) {
  const tokens = {
    async fresh(minValiditySeconds) {
      const token = await accessToken({ minValidityMs: minValiditySeconds * 1000 });
      if (!token) throw new Error("signed out");
      tokenExpiresAt = (await currentSession())?.expiresAt ?? NaN;
      return token;
    },
    expiresAt: () => tokenExpiresAt,
  };
  const socket = new SignalingClient({ url: signalingUrl(base + "/"), tokens });
  const who = user.displayName;
  socket.addEventListener("state", ({ detail }) => {
    if (socket !== client) return;
    if (detail !== "open") setInCall(false);
    if (detail !== "open")
      setStatus(
        { connection: detail === "connecting" ? "connecting" : "offline", presence: "offline" },
        "offline",
        who,
      );
  });
  socket.addEventListener(Type.WELCOME, async ({ detail }) => {
    if (socket !== client) return;
    await setStatus({ connection: "connected", presence: "online" }, "online", who);
    // Our own presence (online/busy) comes as updates like anyone else's.
    socket.watch([detail.userId, ...(await watchedUserIds())]);
    const ringing = (detail.calls ?? []).filter((c) => c.role === "callee" && c.state === "ringing");
    await keepOnly(ringing.map((c) => c.callId));
    for (const call of ringing) await showIncomingCall(call);
  });
  socket.addEventListener(Type.PRESENCE_UPDATE, async ({ detail }) => {
    if (socket !== client) return;
    if (detail.user === user.id) {
      const presence = detail.presence === "busy" ? "busy" : "online";
      await setStatus({ connection: "connected", presence }, presence, who);
      setInCall(presence === "busy");
    } else {
      await presenceChanged(detail.user, detail.presence);
    }
  });
  socket.addEventListener(Type.CALL_INCOMING, ({ detail }) => showIncomingCall(detail));
  socket.addEventListener(Type.CALL_ENDED, ({ detail }) => clearCall(detail.callId));
  socket.addEventListener(Type.CALL_ANSWERED, ({ detail }) => clearCall(detail.callId));
  // Secure Edge: the server stopped one of our recorded calls; its page's connection fails now.
  socket.addEventListener(Type.RECORDING_STOPPED, ({ detail }) =>
    recordingStopped(detail).catch((e) => console.warn("Vclick: recording stopped", e)),
  );
  socket.addEventListener("fatal", ({ detail }) => {
    console.warn("Vclick: the server refused the connection for good:", detail.code, detail.reason);
    setStatus({ connection: "refused", presence: "offline" }, "offline", who);
  });
  socket.addEventListener("sessionexpired", () => ensureConnected());
  return socket;
}

async function setStatus(status, badge, who) {
  await chrome.storage.session.set({ [STATUS_KEY]: { ...status, at: Date.now() } });
  await showOwnState(badge, who);
}
