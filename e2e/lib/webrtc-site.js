// A "third-party" WebRTC site (e2e/sites/webrtc-site/) with its OWN signaling, not Vclick's: one
// HTTP server on 127.0.0.1 serves the pages and a WebSocket at /signal where two pages meet in a
// room and trade offer, answer and trickled candidates. The Secure Edge specs load it with the
// extension (which wraps RTCPeerConnection in the page); webrtc-site.spec.js checks it without.
//
// The helpers drive the pages through what they publish for tests: window.site (index.html, a
// call) and window.leak (leak.html, an IP-leak test). Every wait polls that state with a deadline.

import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import {
  CLIENT_TYPES,
  ERRORS,
  MAX_MESSAGE_BYTES,
  MAX_ROOM_MEMBERS,
  ROOM_NAME,
  SERVER_TYPES,
  SIGNAL_PATH,
} from '../sites/webrtc-site/protocol.js';
import { listen, send, staticHandler } from './static-site.js';

/** The site's folder. */
export const SITE_DIR = fileURLToPath(new URL('../sites/webrtc-site/', import.meta.url));

const POLL_MS = 100;

/**
 * Starts the site: its static files and its signaling on one origin.
 *
 * @param {{host?: string, port?: number}} [options] port 0 (default) picks a free port
 * @returns {Promise<{origin: string, signalUrl: string, url: (pathAndQuery?: string) => string,
 *   rooms: () => Record<string, string[]>, close: () => Promise<void>}>}
 *   `url('/index.html?room=r')` is absolute; `rooms()` the roles in each room now
 */
export async function startWebrtcSite({ host = '127.0.0.1', port = 0 } = {}) {
  const files = staticHandler(SITE_DIR);
  const server = createServer((request, response) => {
    if (pathOf(request) === SIGNAL_PATH) return send(response, 426, 'a WebSocket endpoint');
    files(request, response);
  });
  const signaling = new SignalingServer();
  server.on('upgrade', (request, socket, head) => {
    if (pathOf(request) !== SIGNAL_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    signaling.upgrade(request, socket, head);
  });
  const origin = await listen(server, { host, port });
  let closing;
  return {
    origin,
    signalUrl: `${origin.replace(/^http/, 'ws')}${SIGNAL_PATH}`,
    url: (pathAndQuery = '/') => new URL(pathAndQuery, `${origin}/`).href,
    rooms: () => signaling.roomsSnapshot(),
    close: () =>
      (closing ??= (async () => {
        await signaling.close();
        await new Promise((done) => {
          server.close(() => done());
          server.closeAllConnections();
        });
      })()),
  };
}

function pathOf(request) {
  try {
    return new URL(request.url, 'http://site').pathname;
  } catch {
    return null;
  }
}

/** Rooms of at most MAX_ROOM_MEMBERS sockets; whatever a member sends goes to the others. */
class SignalingServer {
  #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  /** room name -> Set of members */
  #rooms = new Map();
  #members = new Set();
  #seq = 0;

  upgrade(request, socket, head) {
    this.#wss.handleUpgrade(request, socket, head, (ws) => this.#accept(ws));
  }

  #accept(ws) {
    const member = { ws, id: `p${++this.#seq}`, role: null, room: null };
    this.#members.add(member);
    ws.on('message', (data, isBinary) => this.#onMessage(member, data, isBinary));
    ws.on('close', () => {
      this.#leave(member);
      this.#members.delete(member);
    });
    // A payload over maxPayload closes the socket (1009) and emits 'error': nothing else to do.
    ws.on('error', () => {});
  }

  #onMessage(member, data, isBinary) {
    if (isBinary) return this.#error(member, ERRORS.BAD_MESSAGE, 'binary messages are not supported: send JSON text');
    let msg;
    try {
      msg = JSON.parse(data.toString('utf8'));
    } catch {
      return this.#error(member, ERRORS.BAD_JSON, 'not JSON');
    }
    if (msg === null || typeof msg !== 'object' || Array.isArray(msg) || typeof msg.type !== 'string' || !msg.type) {
      return this.#error(member, ERRORS.BAD_MESSAGE, 'a message is a JSON object with a string "type"');
    }
    if (msg.type === CLIENT_TYPES.JOIN) return this.#join(member, msg);
    if (msg.type === CLIENT_TYPES.LEAVE) {
      if (!member.room) return this.#error(member, ERRORS.NOT_JOINED, 'join a room first');
      return this.#leave(member);
    }
    if (Object.values(SERVER_TYPES).includes(msg.type)) {
      return this.#error(member, ERRORS.BAD_MESSAGE, `"${msg.type}" is sent by the server only`);
    }
    if (!member.room) return this.#error(member, ERRORS.NOT_JOINED, `join a room before sending "${msg.type}"`);
    for (const other of this.#rooms.get(member.room)) {
      if (other !== member) this.#send(other, { ...msg, from: member.id });
    }
  }

  #join(member, { room, role }) {
    if (member.room) return this.#error(member, ERRORS.ALREADY_JOINED, `already in room "${member.room}"`);
    if (typeof room !== 'string' || !ROOM_NAME.test(room)) {
      return this.#error(member, ERRORS.BAD_ROOM, `room must match ${ROOM_NAME}`);
    }
    if (role !== undefined && (typeof role !== 'string' || role.length > 32)) {
      return this.#error(member, ERRORS.BAD_MESSAGE, 'role must be a string of at most 32 characters');
    }
    const members = this.#rooms.get(room) ?? new Set();
    if (members.size >= MAX_ROOM_MEMBERS) {
      return this.#error(member, ERRORS.ROOM_FULL, `room "${room}" already has ${MAX_ROOM_MEMBERS} members`);
    }
    const peers = [...members].map(describe);
    member.room = room;
    member.role = role ?? null;
    members.add(member);
    this.#rooms.set(room, members);
    this.#send(member, { type: SERVER_TYPES.JOINED, room, id: member.id, peers });
    for (const other of members) {
      if (other !== member) this.#send(other, { type: SERVER_TYPES.PEER_JOINED, peer: describe(member) });
    }
  }

  #leave(member) {
    const members = member.room && this.#rooms.get(member.room);
    if (!members) return;
    members.delete(member);
    if (members.size === 0) this.#rooms.delete(member.room);
    for (const other of members) this.#send(other, { type: SERVER_TYPES.PEER_LEFT, peer: describe(member) });
    member.room = null;
    member.role = null;
  }

  #error(member, code, message) {
    this.#send(member, { type: SERVER_TYPES.ERROR, code, message });
  }

  #send(member, msg) {
    if (member.ws.readyState === member.ws.OPEN) member.ws.send(JSON.stringify(msg));
  }

  roomsSnapshot() {
    return Object.fromEntries([...this.#rooms].map(([name, members]) => [name, [...members].map((m) => m.role)]));
  }

  async close() {
    for (const { ws } of this.#members) ws.terminate();
    this.#members.clear();
    this.#rooms.clear();
    await new Promise((done) => this.#wss.close(() => done()));
  }
}

function describe(member) {
  return { id: member.id, role: member.role };
}

// ---------------------------------------------------------------------------------------------
// The pages in a browser.

/** A fresh room name. */
export const newRoom = (prefix = 'room') => `${prefix}-${randomUUID().slice(0, 8)}`;

/**
 * The call page's URL.
 *
 * @param {{url: (p: string) => string}} site from startWebrtcSite
 * @param {object} options
 * @param {string} options.room
 * @param {'caller'|'callee'} options.role
 * @param {'addTrack'|'addTransceiver'} [options.variant] default addTrack
 * @param {boolean} [options.iframe] the RTCPeerConnection from a script-made <iframe>'s window
 * @param {'video'|'audio'|'data'} [options.media] default video (camera + microphone)
 * @param {'stun'|'none'} [options.ice] default stun
 * @param {number} [options.stun] STUN port on 127.0.0.1 (needed with ice 'stun')
 * @param {boolean} [options.autostart] default true; false: call window.site.start()
 * @param {boolean} [options.trickle] default true; false: descriptions go out once gathering is
 *   complete, with every candidate inside, and no candidate is sent on its own
 * @param {boolean} [options.upgrade] the caller turns its camera on once connected (a second
 *   offer/answer round: window.site.renegotiations counts them)
 */
export function callUrl(
  site,
  {
    room,
    role,
    variant = 'addTrack',
    iframe = false,
    media = 'video',
    ice = 'stun',
    stun,
    autostart = true,
    upgrade = false,
    trickle = true,
  },
) {
  if (!room || !role) throw new Error('callUrl needs a room and a role');
  if (ice === 'stun' && !stun) throw new Error("callUrl: ice 'stun' needs the STUN port (options.stun)");
  const query = new URLSearchParams({ room, role, variant, iframe: iframe ? '1' : '0', media, ice });
  if (ice === 'stun') query.set('stun', String(stun));
  query.set('autostart', autostart ? '1' : '0');
  if (upgrade) query.set('upgrade', '1');
  if (!trickle) query.set('trickle', '0');
  return site.url(`/index.html?${query}`);
}

/** Opens the call page in `page` (see callUrl for the options) and waits until window.site exists. */
export async function openCall(page, site, options) {
  const url = callUrl(site, options);
  await page.goto(url);
  await page.waitForFunction(() => typeof window.site?.state === 'string', null, { timeout: 10_000 });
  return url;
}

/** window.site without its functions (plain data). */
export function callState(page) {
  return page.evaluate(() => JSON.parse(JSON.stringify(window.site)));
}

/** window.site.stats(): { pair, framesDecoded, packetsReceived, bytesReceived, bytesSent }. */
export function callStats(page) {
  return page.evaluate(() => window.site.stats());
}

/**
 * Polls `read()` until `check(value)` is truthy; fails after `timeout` ms saying `what` and the last
 * value (through `describeLast`), or at once when `fatal(value)` returns a reason.
 */
async function pollUntil(read, check, what, { timeout, fatal = () => null, describeLast = JSON.stringify }) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    const reason = fatal(value);
    if (reason) throw new Error(`${what}: ${reason} (${describeLast(value)})`);
    if (Date.now() > deadline) throw new Error(`no ${what} after ${timeout} ms (last: ${describeLast(value)})`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

const summary = (s) =>
  JSON.stringify({
    state: s.state,
    error: s.error,
    iceConnectionState: s.iceConnectionState,
    connectionState: s.connectionState,
    localCandidates: s.localCandidates?.length,
    remoteCandidates: s.remoteCandidates?.length,
    dataMessages: s.dataMessages,
  });

/**
 * Polls window.site until `check(state)` holds; returns that state. Fails at once when the call
 * failed or closed and `check` does not accept it (so a test waiting for 'failed' still can).
 *
 * @param {import('playwright-core').Page} page
 * @param {(state: object) => boolean} check gets window.site as plain data
 * @param {string} what for the error message, e.g. "caller connected"
 * @param {{timeout?: number}} [options] default 20 s
 */
export function waitForCall(page, check, what, { timeout = 20_000 } = {}) {
  return pollUntil(() => callState(page), check, what, {
    timeout,
    describeLast: summary,
    fatal: (s) => (s.state === 'failed' || s.state === 'closed' ? `the call is ${s.state}` : null),
  });
}

/** Polls window.site.stats() until `check(stats)` holds; returns those stats. */
export function waitForStats(page, check, what, { timeout = 20_000 } = {}) {
  return pollUntil(() => callStats(page), check, what, { timeout });
}

/** Waits until the call page in `page` is connected. */
export function waitForConnected(page, label = 'page', options) {
  return waitForCall(page, (s) => s.state === 'connected', `${label} connected`, options);
}

/**
 * A call between two pages (each in its own browser): the callee opens first, then the caller, both
 * with the same options; resolves once both are connected. Returns the room.
 */
export async function connectCall(callerPage, calleePage, site, options = {}) {
  const room = options.room ?? newRoom();
  await openCall(calleePage, site, { ...options, room, role: 'callee' });
  await openCall(callerPage, site, { ...options, room, role: 'caller' });
  await Promise.all([waitForConnected(callerPage, 'caller', options), waitForConnected(calleePage, 'callee', options)]);
  return room;
}

/** Ends the call on the page, if it is a call page (for an afterEach). */
export async function hangUp(page) {
  if (page.isClosed()) return;
  await page.evaluate(() => window.site?.hangUp?.()).catch(() => {});
}

/**
 * Opens the IP-leak test page and waits until it is done; returns window.leak.
 *
 * @param {{stun?: number, ice?: 'stun'|'none', timeout?: number}} options
 */
export async function runLeakTest(page, site, { stun, ice = 'stun', timeout = 20_000 } = {}) {
  if (ice === 'stun' && !stun) throw new Error("runLeakTest: ice 'stun' needs the STUN port (options.stun)");
  const query = new URLSearchParams({ ice });
  if (ice === 'stun') query.set('stun', String(stun));
  await page.goto(site.url(`/leak.html?${query}`));
  return pollUntil(
    () => page.evaluate(() => window.leak && JSON.parse(JSON.stringify(window.leak))),
    (leak) => leak?.done,
    'leak test done',
    { timeout },
  );
}

// ---------------------------------------------------------------------------------------------
// The perfect-negotiation page (sites/webrtc-site/perfect.js): the W3C example.

/**
 * Opens perfect.html in `page` and waits until window.pn exists.
 *
 * @param {object} options room, polite (boolean), stun (port) or ice 'none', media ('audio'|'video'),
 *   upgrade, restart, iframe (booleans), data ('none'|'inband'|'negotiated')
 */
export async function openPerfect(
  page,
  site,
  { room, polite, stun, ice = 'stun', media = 'audio', upgrade = false, restart = false, iframe = false, data = 'none' },
) {
  const query = new URLSearchParams({ room, polite: polite ? '1' : '0', ice, media, data });
  if (ice === 'stun') query.set('stun', String(stun));
  if (upgrade) query.set('upgrade', '1');
  if (restart) query.set('restart', '1');
  if (iframe) query.set('iframe', '1');
  await page.goto(site.url(`/perfect.html?${query}`));
  await page.waitForFunction(() => typeof window.pn?.state === 'string', null, { timeout: 10_000 });
}

/** window.pn as plain data. */
export function pnState(page) {
  return page.evaluate(() => JSON.parse(JSON.stringify(window.pn)));
}

/** Polls window.pn until `check(state)`; fails at once when the page recorded an error or failed. */
export function waitForPn(page, check, what, { timeout = 30_000, tolerateErrors = false } = {}) {
  return pollUntil(() => pnState(page), check, what, {
    timeout,
    describeLast: (s) =>
      JSON.stringify({
        state: s.state,
        errors: s.errors,
        rounds: s.rounds,
        signaling: s.signalingState,
        connection: s.connectionState,
        ice: s.iceConnectionState,
        data: s.dataState,
        messages: s.dataMessages,
        trace: s.trace,
      }),
    fatal: (s) => (s.state === 'failed' ? 'the call failed' : !tolerateErrors && s.errors.length ? 'the page logged an error' : null),
  });
}

/** Polls window.pn.stats() until `check(stats)`. */
export function waitForPnStats(page, check, what, { timeout = 30_000 } = {}) {
  return pollUntil(() => page.evaluate(() => window.pn.stats()), check, what, { timeout });
}
