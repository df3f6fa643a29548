// An IP-leak test page like browserleaks.com/webrtc: no camera, no permission prompt. One
// RTCPeerConnection with the STUN server, a data channel and an audio transceiver, an offer, then
// every address the page can read: the ICE candidates (until gathering completes, or 10 s), the
// final local SDP (c=, a=candidate with raddr, a=rtcp) and the local-candidate entries of getStats.
//
// leak.html?ice=stun&stun=PORT (a STUN server on 127.0.0.1) or leak.html?ice=none
// For tests: window.leak (see e2e/README.md); `done` turns true at the end, `error` says why not
// ({ name, message, where: 'config' | 'constructor' | 'createDataChannel' | ... }).

import { iceConfiguration, parseCandidate } from './ice.js';

const GATHER_MS = 10_000;

const leak = {
  done: false,
  error: null,
  /** 'complete' or 'timeout': how gathering ended. */
  gathering: null,
  candidates: [],
  /** icecandidateerror events: [{ errorCode, errorText, url, address, port }]. */
  candidateErrors: [],
  /** Every address found in the candidate strings and in the candidate objects' fields. */
  candidateAddresses: [],
  sdpAddresses: [],
  statsAddresses: [],
  allAddresses: [],
};
window.leak = leak;

const statusLine = document.getElementById('status');
const addressList = document.getElementById('addresses');
const candidateRows = document.querySelector('#candidates tbody');

/** Adds `value` to `list` once; an IPv6 address without the brackets Chromium puts around it. */
const add = (list, value) => {
  const address = typeof value === 'string' ? value.replace(/^\[(.*)\]$/, '$1') : value;
  if (address && !list.includes(address)) list.push(address);
};

function onCandidate(c) {
  const parsed = parseCandidate(c.candidate) ?? {};
  const entry = {
    candidate: c.candidate,
    type: c.type ?? parsed.type ?? null,
    address: c.address ?? parsed.address ?? null,
    port: c.port ?? parsed.port ?? null,
    protocol: c.protocol ?? parsed.protocol ?? null,
    relatedAddress: c.relatedAddress ?? parsed.relatedAddress ?? null,
  };
  leak.candidates.push(entry);
  for (const a of [entry.address, entry.relatedAddress, parsed.address, parsed.relatedAddress]) {
    add(leak.candidateAddresses, a);
  }
  const row = candidateRows.insertRow();
  for (const v of [entry.type, entry.protocol, entry.address, entry.port, entry.relatedAddress ?? '']) {
    row.insertCell().textContent = String(v ?? '');
  }
}

/** Every address in the c=, a=candidate (address and raddr) and a=rtcp lines of `sdp`. */
function addressesInSdp(sdp) {
  const found = [];
  for (const line of sdp.split(/\r?\n/)) {
    const connection = /^c=IN IP[46] (\S+)/.exec(line);
    if (connection) add(found, connection[1]);
    const rtcp = /^a=rtcp:\d+ IN IP[46] (\S+)/.exec(line);
    if (rtcp) add(found, rtcp[1]);
    if (line.startsWith('a=candidate:')) {
      const c = parseCandidate(line);
      if (c) {
        add(found, c.address);
        add(found, c.relatedAddress);
      }
    }
  }
  return found;
}

/** Resolves when gathering is complete, or after GATHER_MS ('timeout'). */
function gathered(pc) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), GATHER_MS);
    pc.onicecandidate = (e) => {
      if (e.candidate?.candidate) onCandidate(e.candidate);
      else if (!e.candidate) {
        clearTimeout(timer);
        resolve('complete');
      }
    };
  });
}

/** The step running now, for `error.where`. */
let stage = 'config';

async function run() {
  const configuration = iceConfiguration(new URLSearchParams(location.search));
  stage = 'constructor';
  const pc = new RTCPeerConnection(configuration);
  try {
    pc.addEventListener('icecandidateerror', (e) => {
      const { errorCode, errorText, url, address, port } = e;
      leak.candidateErrors.push({ errorCode, errorText, url, address, port });
    });
    const gathering = gathered(pc);
    stage = 'createDataChannel';
    pc.createDataChannel('leak');
    stage = 'addTransceiver';
    pc.addTransceiver('audio');
    stage = 'createOffer';
    const offer = await pc.createOffer();
    stage = 'setLocalDescription';
    await pc.setLocalDescription(offer);
    stage = 'gathering';
    leak.gathering = await gathering;
    stage = 'getStats';
    leak.sdpAddresses = addressesInSdp(pc.localDescription?.sdp ?? '');
    (await pc.getStats()).forEach((r) => {
      if (r.type !== 'local-candidate') return;
      add(leak.statsAddresses, r.address ?? r.ip);
      add(leak.statsAddresses, r.relatedAddress);
    });
  } finally {
    pc.close();
  }
  for (const list of [leak.candidateAddresses, leak.sdpAddresses, leak.statsAddresses]) {
    for (const a of list) add(leak.allAddresses, a);
  }
}

run()
  .then(() => {
    for (const a of leak.allAddresses) {
      addressList.append(Object.assign(document.createElement('li'), { textContent: a }));
    }
    statusLine.dataset.state = 'done';
    statusLine.textContent = `Done: ${leak.candidates.length} candidates, ${leak.allAddresses.length} addresses.`;
  })
  .catch((e) => {
    leak.error = { name: e?.name ?? 'Error', message: e?.message ?? String(e), where: stage };
    statusLine.dataset.state = 'failed';
    statusLine.textContent = `The test failed: ${leak.error.name}: ${leak.error.message}`;
  })
  .finally(() => {
    leak.done = true;
  });
