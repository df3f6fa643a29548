// The runtime messages between the extension's parts, by trust tier. The worker routes on
// `sender`: content scripts (any web page, untrusted) may send only the CONTENT types; the
// extension's own pages (popup, options) may send only the PAGE types. Every reply is
// { ok: true, ... } or { ok: false, error: <code>, message: <sentence for the user> }.

/** Content script → worker. */
export const CONTENT = Object.freeze({
  // {} → { enabled, emailDomains, phoneRegion, actions, gateway: null|{id,name}, signedIn, inCall }
  PAGE_CONFIG: "page.config",
  // { emails: string[] (≤ 200) } → { people: { [email]: { presence, name? } } }
  //   presence: 'online' | 'busy' | 'offline' | 'unknown'
  PRESENCE_LOOKUP: "presence.lookup",
  // { to: email, media: 'video'|'audio' } → {} (the worker opens the call page)
  CALL_START: "call.start",
  // { to: email } → {} or { ok:false, error:'not-in-call', message }: invite into the user's call
  //   (the worker asks the Vclick page that holds the call: background/add-to-call.js)
  CALL_ADD: "call.add",
  // { number: E.164 } → { ok:false, error:'no-gateway'|'gateway-unavailable', message }
  PHONE_CALL: "phone.call",
  // From the Vclick call page's top frame only: { link: {answer: callId} | {to, media} }
  //   → { confirmed }: whether this extension opened the tab on a click for that link (once)
  CALL_INTENT: "call.intent",
  // Secure Edge, from the bridge of any frame in a tab (also about:blank, srcdoc, sandboxed):
  // {} → { decision: { decision: 'deny'|'relay'|'allow'|'record', decisionId, settings, turn|null } }
  //   or { ok:false, error:'unauthenticated'|..., message } (the wrapper then blocks WebRTC)
  EDGE_DECISION: "edge.decision",
  // { report } (shared/edge-reports.js checkPcReport) → {}
  EDGE_PC: "edge.pc",
  // { request: { op: 'open'|'offer'|'answer'|'candidates'|'hangup', ... } } (background/recorded-calls.js)
  //   → { value } or { ok:false, status, message }
  EDGE_RECORD: "edge.record",
});

/** The CONTENT types any frame of a tab may send (not only http(s) documents). */
export const EDGE = Object.freeze([CONTENT.EDGE_DECISION, CONTENT.EDGE_PC, CONTENT.EDGE_RECORD]);

/** Extension page (popup, options) → worker. */
export const PAGE = Object.freeze({
  // {} → { user: { username, displayName } }
  LOGIN: "auth.login",
  // {} → {}
  LOGOUT: "auth.logout",
  // {} → { signedIn, user, connection: 'connected'|'connecting'|'offline',
  //        presence: 'online'|'busy'|'offline', serverUrl }
  STATUS: "status.get",
  // {} → { gateways: [{ id, name }] } (what the server offers)
  GATEWAYS: "gateways.list",
  // { tabId } → { page: { pageId, origin } | null, connections: [ see background/edge.js ] }
  EDGE_CONNECTIONS: "edge.connections",
});

/** Worker → content scripts of a tab. */
export const PUSH = Object.freeze({
  // { email, presence }
  PRESENCE_CHANGED: "presence.changed",
  // {} : settings, sign-in or being in a call changed; ask for page.config again
  CONFIG_CHANGED: "page.config.changed",
  // { to: email } → { ok, error? }: to the Vclick server's top frames only: invite `to` into the
  //   page's active call (content/call-intent.js relayAddToCall)
  ADD_TO_CALL: "call.add.relay",
  // {} → { samples: [checked pc reports, event 'sample'] }: one frame's open connections, now
  EDGE_SAMPLES: "edge.samples",
  // { recordedCallId, reason } → { ok }: the server stopped this frame's recorded call (its
  //   recording failed under `block`, the media server was lost); the wrapper fails the connection
  EDGE_RECORDING_STOPPED: "edge.recording.stopped",
});

/**
 * The port a frame's bridge holds to the worker once the frame made a connection (Secure Edge): it
 * disconnects when the frame is gone, also when its page crashed (background/edge.js frameGone).
 */
export const FRAME_PORT = "edge.frame";

/** Largest presence.lookup batch. */
export const MAX_LOOKUP = 200;
