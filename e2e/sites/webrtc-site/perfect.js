// MeetNow's "perfect negotiation" page: the W3C example (webrtc-pc, "Perfect negotiation
// example") as current sites and libraries write it, on the site's own signaling (/signal). Both
// sides start at once (so their first offers collide: glare), descriptions are implicit
// (setLocalDescription() without an argument), candidates trickle, the polite side rolls back.
// Nothing here knows about Vclick.
//
// perfect.html?room=R&polite=1|0&ice=stun|none&stun=PORT
//   &media=audio|video     what is sent from the start (default audio)
//   &upgrade=1             once connected, this side turns its camera on (a renegotiation round)
//   &data=none|inband|negotiated   a data channel: made by this side (inband, in its first offer),
//                          or pre-agreed on both sides (negotiated: id 0, both pages say so)
//   &restart=1             once connected (and upgraded), this side restarts ICE (restartIce())
//   &iframe=1              the connection comes from a script-made iframe's RTCPeerConnection
//
// For tests: window.pn is plain data (state, errors, rounds, descriptions, data messages) plus
// stats() and hangUp().

import { iceConfiguration } from './ice.js';
import { CLIENT_TYPES, SERVER_TYPES, SIGNAL_PATH } from './protocol.js';

const params = new URLSearchParams(location.search);
const options = {
  room: params.get('room') ?? 'lobby',
  polite: params.get('polite') === '1',
  media: params.get('media') ?? 'audio',
  upgrade: params.get('upgrade') === '1',
  data: params.get('data') ?? 'none',
  restart: params.get('restart') === '1',
  iframe: params.get('iframe') === '1',
};

const statusLine = document.getElementById('status');
const selfVideo = document.getElementById('local');
const remoteVideo = document.getElementById('remote');

const pn = {
  options,
  state: 'waiting',
  errors: [],
  /** Offer/answer rounds completed (signaling back to stable). */
  rounds: 0,
  /** Offers this side ignored (impolite, colliding) and rollbacks it did (polite). */
  ignoredOffers: 0,
  rollbacks: 0,
  /** Candidates of an ignored offer whose rejection came after ignoreOffer was reset (see below). */
  lateCandidateErrors: 0,
  restarted: false,
  /** This side's ICE username fragment before its restartIce() (the round changes it). */
  ufragBeforeRestart: null,
  roundsAtRestart: null,
  upgraded: false,
  signalingState: null,
  connectionState: null,
  iceConnectionState: null,
  localDescription: null,
  remoteDescription: null,
  dataState: null,
  dataMessages: [],
  /** The first 120 steps of the negotiation (what was sent and received, events), for diagnosis. */
  trace: [],
  stats,
  hangUp,
};
window.pn = pn;

const fail = (where, err) => {
  pn.errors.push(`${where}: ${err?.name ?? 'Error'}: ${err?.message ?? err}`);
  console.error(where, err);
};
const trace = (what) => {
  if (pn.trace.length < 120) pn.trace.push(`${Math.round(performance.now())} ${what} [${pc?.signalingState}]`);
};
/** An SDP's media sections as kind:mid (for the trace). */
const sections = (sdp) =>
  String(sdp)
    .split(/\r?\n/)
    .filter((l) => l.startsWith('m=') || l.startsWith('a=mid:'))
    .map((l) => (l.startsWith('m=') ? l.slice(2).split(' ')[0] : `:${l.slice(6)}`))
    .join('')
    .replace(/(audio|video|application)/g, ' $1')
    .trim();
const show = (text) => {
  statusLine.textContent = text;
};

// --- the site's signaling channel --------------------------------------------------------------
const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}${SIGNAL_PATH}`);
const signaler = {
  send: (message) => (
    trace(`send ${message.description?.type ?? (message.candidate ? 'candidate' : 'end-of-candidates')}`),
    ws.send(JSON.stringify({ type: 'signal', ...JSON.parse(JSON.stringify(message)) }))
  ),
  onmessage: null,
};
ws.onopen = () => ws.send(JSON.stringify({ type: CLIENT_TYPES.JOIN, room: options.room, role: options.polite ? 'polite' : 'impolite' }));
ws.onmessage = ({ data }) => {
  const message = JSON.parse(data);
  if (message.type === SERVER_TYPES.JOINED && message.peers.length > 0) start();
  else if (message.type === SERVER_TYPES.PEER_JOINED) start();
  else if (message.type === 'signal') signaler.onmessage?.({ data: message });
  else if (message.type === 'bye') hangUp('remote');
  else if (message.type === SERVER_TYPES.ERROR) fail('signaling', new Error(message.message));
};

// --- the connection ------------------------------------------------------------------------------
function constructor() {
  if (!options.iframe) return RTCPeerConnection;
  const frame = document.createElement('iframe');
  frame.hidden = true;
  document.body.append(frame);
  return frame.contentWindow.RTCPeerConnection;
}

let pc = null;
let started = false;
let channel = null;

function watchChannel(dc) {
  trace(`channel ${dc.label} id=${dc.id} ${dc.readyState}`);
  channel = dc;
  pn.dataState = dc.readyState;
  let greeted = false;
  const greet = () => {
    pn.dataState = dc.readyState;
    if (greeted || dc.readyState !== 'open') return;
    greeted = true;
    trace(`greet on ${dc.id}`);
    dc.send(`hello from the ${options.polite ? 'polite' : 'impolite'} side`);
  };
  // A channel the other side opened may already be open when its datachannel event fires.
  dc.onopen = greet;
  greet();
  dc.onclose = () => {
    pn.dataState = dc.readyState;
  };
  dc.onmessage = ({ data }) => {
    trace(`message on ${dc.id}`);
    pn.dataMessages.push(String(data));
  };
}

async function start() {
  if (started) return;
  started = true;
  pn.state = 'starting';
  show('Connecting…');
  let config;
  try {
    config = iceConfiguration(params);
    pc = new (constructor())(config);
  } catch (e) {
    pn.state = 'failed';
    return fail('constructor', e);
  }
  const polite = options.polite;

  // ---- the W3C example, as written there (plus recording what happened) ----
  pc.ontrack = ({ track, streams }) => {
    track.onunmute = () => {
      if (remoteVideo.srcObject) return;
      remoteVideo.srcObject = streams[0];
    };
  };

  let makingOffer = false;
  pc.onnegotiationneeded = async () => {
    trace('negotiationneeded');
    try {
      makingOffer = true;
      await pc.setLocalDescription();
      signaler.send({ description: pc.localDescription });
    } catch (err) {
      fail('negotiationneeded', err);
    } finally {
      makingOffer = false;
    }
  };
  pc.oniceconnectionstatechange = () => {
    pn.iceConnectionState = pc.iceConnectionState;
    if (pc.iceConnectionState === 'failed') pc.restartIce();
  };
  pc.onicecandidate = ({ candidate }) => signaler.send({ candidate });

  let ignoreOffer = false;
  let isSettingRemoteAnswerPending = false;
  signaler.onmessage = async ({ data: { description, candidate } }) => {
    trace(
      `got ${description?.type ?? (candidate ? 'candidate' : 'end-of-candidates')}${description ? ` ${sections(description.sdp)}` : ''}`,
    );
    try {
      if (description) {
        // An offer may only arrive if we're stable or just about to be (setting the answer).
        const readyForOffer = !makingOffer && (pc.signalingState === 'stable' || isSettingRemoteAnswerPending);
        const offerCollision = description.type === 'offer' && !readyForOffer;
        ignoreOffer = !polite && offerCollision;
        if (ignoreOffer) {
          pn.ignoredOffers++;
          return;
        }
        if (offerCollision) pn.rollbacks++;
        isSettingRemoteAnswerPending = description.type === 'answer';
        await pc.setRemoteDescription(description); // SRD rolls back as needed
        isSettingRemoteAnswerPending = false;
        if (description.type === 'offer') {
          await pc.setLocalDescription();
          signaler.send({ description: pc.localDescription });
        }
      } else if (candidate) {
        try {
          await pc.addIceCandidate(candidate);
        } catch (err) {
          if (!ignoreOffer) throw err;
        }
      }
    } catch (err) {
      // The example's own race: a candidate of an offer this side ignored can fail after the next
      // description already reset ignoreOffer (the browser rejects addIceCandidate a task later).
      if (candidate && pn.ignoredOffers > 0 && err?.name === 'InvalidStateError') pn.lateCandidateErrors++;
      else fail('signal', err);
    }
  };
  // ---- end of the example ----

  let previous = 'stable';
  pc.onsignalingstatechange = () => {
    pn.signalingState = pc.signalingState;
    if (pc.signalingState === 'stable' && previous !== 'stable') pn.rounds++;
    previous = pc.signalingState;
    pn.localDescription = pc.localDescription?.sdp ?? null;
    pn.remoteDescription = pc.remoteDescription?.sdp ?? null;
  };
  pc.onconnectionstatechange = () => {
    pn.connectionState = pc.connectionState;
    if (pc.connectionState === 'connected') {
      pn.state = 'connected';
      show('Connected.');
      afterConnected();
    } else if (pc.connectionState === 'failed') {
      pn.state = 'failed';
      show('The connection failed.');
    }
  };
  pc.ondatachannel = ({ channel: dc }) => watchChannel(dc);

  if (options.data === 'inband') watchChannel(pc.createDataChannel('chat'));
  if (options.data === 'negotiated') watchChannel(pc.createDataChannel('chat', { negotiated: true, id: 0 }));
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: options.media === 'video' });
    for (const track of stream.getTracks()) pc.addTrack(track, stream);
    selfVideo.srcObject = stream;
  } catch (err) {
    pn.state = 'failed';
    fail('getUserMedia', err);
  }
}

let afterDone = false;
async function afterConnected() {
  if (afterDone) return;
  afterDone = true;
  try {
    if (options.upgrade) {
      const camera = await navigator.mediaDevices.getUserMedia({ video: true });
      const [track] = camera.getVideoTracks();
      pc.addTrack(track, selfVideo.srcObject ?? camera);
      pn.upgraded = true;
    }
    if (options.restart) {
      await until(() => pc.signalingState === 'stable' && pc.connectionState === 'connected');
      pn.ufragBeforeRestart = /a=ice-ufrag:(\S+)/.exec(pc.localDescription?.sdp ?? '')?.[1] ?? null;
      pn.roundsAtRestart = pn.rounds;
      pc.restartIce();
      pn.restarted = true;
    }
  } catch (err) {
    fail('after connected', err);
  }
}

/** Resolves when `check()` holds (checked on every signaling or connection change). */
function until(check) {
  return new Promise((resolve) => {
    const test = () => {
      if (!check()) return;
      pc.removeEventListener('signalingstatechange', test);
      pc.removeEventListener('connectionstatechange', test);
      resolve();
    };
    pc.addEventListener('signalingstatechange', test);
    pc.addEventListener('connectionstatechange', test);
    test();
  });
}

async function stats() {
  const out = { framesDecoded: 0, audioPacketsReceived: 0, videoInbound: 0, bytesSent: 0 };
  if (!pc) return out;
  (await pc.getStats()).forEach((s) => {
    if (s.type === 'inbound-rtp' && s.kind === 'video') {
      out.videoInbound++;
      out.framesDecoded += s.framesDecoded ?? 0;
    }
    if (s.type === 'inbound-rtp' && s.kind === 'audio') out.audioPacketsReceived += s.packetsReceived ?? 0;
    if (s.type === 'outbound-rtp') out.bytesSent += s.bytesSent ?? 0;
  });
  return out;
}

function hangUp(reason = 'local') {
  if (pn.state === 'closed') return;
  if (reason === 'local' && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'bye' }));
  channel?.close();
  pc?.close();
  pn.state = 'closed';
  show('Call ended.');
}
