// RTCPeerConnections inside test pages, with the TEST doing the signalling: offers, answers and
// trickled ICE candidates travel page -> node -> other page. Nothing here sleeps: every wait is on
// a browser event, bounded by a deadline that fails the test.

/** Installed into a page by `installHarness`: window.__e2e (runs in the browser, self-contained). */
function harness() {
  if (window.__e2e) return;
  const peers = new Map();
  let seq = 0;

  const peer = (id) => {
    const p = peers.get(id);
    if (!p) throw new Error(`no peer connection #${id} in this page`);
    return p;
  };

  // Resolves when test() is true, re-checked on every `event` of `target`; test() may throw.
  const until = (target, event, test, timeoutMs, what) =>
    new Promise((resolve, reject) => {
      let timer;
      const done = (fn, v) => {
        clearTimeout(timer);
        target.removeEventListener(event, check);
        fn(v);
      };
      const check = () => {
        try {
          if (test()) done(resolve);
        } catch (e) {
          done(reject, e);
        }
      };
      timer = setTimeout(() => done(reject, new Error(`no ${what} after ${timeoutMs} ms`)), timeoutMs);
      target.addEventListener(event, check);
      check();
    });

  const candidateType = (c) => / typ (\w+)/.exec(c)?.[1] ?? 'unknown';

  const attachChannel = (p, channel) => {
    p.channel = channel;
    channel.addEventListener('message', (e) => {
      p.messages.push(String(e.data));
      p.events.dispatchEvent(new Event('message'));
    });
    p.events.dispatchEvent(new Event('channel'));
  };

  window.__e2e = {
    /** A new peer connection; `withChannel` creates the data channel (the offerer does). */
    create(config, withChannel) {
      const id = ++seq;
      const pc = new RTCPeerConnection(config);
      const p = { pc, candidates: [], errors: [], messages: [], pending: [], channel: null, events: new EventTarget() };
      peers.set(id, p);
      pc.addEventListener('icecandidate', (e) => {
        if (!e.candidate) return;
        const c = e.candidate.toJSON();
        p.candidates.push({ type: candidateType(c.candidate), candidate: c.candidate });
        window.__e2eSignal?.({ id, candidate: c });
      });
      pc.addEventListener('icecandidateerror', (e) => {
        p.errors.push({ errorCode: e.errorCode, errorText: e.errorText, url: e.url, address: e.address, port: e.port });
      });
      pc.addEventListener('datachannel', (e) => attachChannel(p, e.channel));
      if (withChannel) attachChannel(p, pc.createDataChannel('e2e'));
      return id;
    },
    async offer(id) {
      const { pc } = peer(id);
      await pc.setLocalDescription(await pc.createOffer());
      return pc.localDescription.toJSON();
    },
    async answer(id, offer) {
      const p = peer(id);
      await p.pc.setRemoteDescription(offer);
      await this.flush(id);
      await p.pc.setLocalDescription(await p.pc.createAnswer());
      return p.pc.localDescription.toJSON();
    },
    async accept(id, answer) {
      await peer(id).pc.setRemoteDescription(answer);
      await this.flush(id);
    },
    /** A candidate of the other side; held until the remote description is set. */
    async addCandidate(id, candidate) {
      const p = peer(id);
      if (!p.pc.remoteDescription) p.pending.push(candidate);
      else await p.pc.addIceCandidate(candidate);
    },
    async flush(id) {
      const p = peer(id);
      const pending = p.pending.splice(0);
      for (const c of pending) await p.pc.addIceCandidate(c);
    },
    /** Waits for connectionState 'connected'; fails at once on 'failed' or 'closed'. */
    async connected(id, timeoutMs) {
      const { pc } = peer(id);
      await until(
        pc,
        'connectionstatechange',
        () => {
          if (pc.connectionState === 'failed' || pc.connectionState === 'closed') {
            throw new Error(`connectionState became ${pc.connectionState} (ICE ${pc.iceConnectionState})`);
          }
          return pc.connectionState === 'connected';
        },
        timeoutMs,
        `connectionState 'connected' (now ${pc.connectionState})`,
      );
      return pc.connectionState;
    },
    /** Waits until ICE gathering is complete; returns what was gathered and every candidate error. */
    async gathered(id, timeoutMs) {
      const p = peer(id);
      await until(p.pc, 'icegatheringstatechange', () => p.pc.iceGatheringState === 'complete', timeoutMs, 'end of ICE gathering');
      return { candidates: p.candidates, errors: p.errors };
    },
    async send(id, text, timeoutMs) {
      const p = peer(id);
      await until(p.events, 'channel', () => p.channel, timeoutMs, 'data channel');
      await until(p.channel, 'open', () => p.channel.readyState === 'open', timeoutMs, 'open data channel');
      p.channel.send(text);
    },
    async received(id, text, timeoutMs) {
      const p = peer(id);
      await until(p.events, 'message', () => p.messages.includes(text), timeoutMs, `message '${text}' (got ${JSON.stringify(p.messages)})`);
      return p.messages;
    },
    /** The selected candidate pair (via the transport stats) with both candidates. */
    async selectedPair(id) {
      const stats = await peer(id).pc.getStats();
      let pairId;
      stats.forEach((r) => {
        if (r.type === 'transport' && r.selectedCandidatePairId) pairId = r.selectedCandidatePairId;
      });
      const pair = pairId && stats.get(pairId);
      if (!pair) return null;
      const pick = (c) =>
        c && {
          candidateType: c.candidateType,
          protocol: c.protocol,
          address: c.address,
          port: c.port,
          relayProtocol: c.relayProtocol,
          url: c.url,
        };
      return { state: pair.state, local: pick(stats.get(pair.localCandidateId)), remote: pick(stats.get(pair.remoteCandidateId)) };
    },
    closeAll() {
      for (const p of peers.values()) p.pc.close();
      peers.clear();
    },
  };
}

/** Pages whose candidates go to another page: page -> handler({id, candidate}). */
const signalHandlers = new WeakMap();

/** Makes window.__e2e available in `page` (call again after a navigation). */
export async function installHarness(page) {
  if (!signalHandlers.has(page)) {
    signalHandlers.set(page, null);
    await page.exposeBinding('__e2eSignal', (_source, msg) => signalHandlers.get(page)?.(msg));
  }
  await page.evaluate(harness);
}

/**
 * Connects an offerer in `a.page` and an answerer in `b.page` (each with its own RTCConfiguration);
 * the offerer opens a data channel. Returns the peer ids once BOTH report 'connected'.
 */
export async function connectPeers(a, b, { timeoutMs = 20_000 } = {}) {
  const aId = await a.page.evaluate((c) => window.__e2e.create(c, true), a.config);
  const bId = await b.page.evaluate((c) => window.__e2e.create(c, false), b.config);
  const failures = [];
  const forward = (to, toId) => (msg) =>
    to.evaluate(([id, c]) => window.__e2e.addCandidate(id, c), [toId, msg.candidate]).catch((e) => failures.push(e));
  signalHandlers.set(a.page, forward(b.page, bId));
  signalHandlers.set(b.page, forward(a.page, aId));

  const offer = await a.page.evaluate((id) => window.__e2e.offer(id), aId);
  const answer = await b.page.evaluate(([id, o]) => window.__e2e.answer(id, o), [bId, offer]);
  await a.page.evaluate(([id, ans]) => window.__e2e.accept(id, ans), [aId, answer]);
  await Promise.all([
    a.page.evaluate(([id, t]) => window.__e2e.connected(id, t), [aId, timeoutMs]),
    b.page.evaluate(([id, t]) => window.__e2e.connected(id, t), [bId, timeoutMs]),
  ]);
  if (failures.length) throw new Error(`relaying a candidate failed: ${failures[0].message}`);
  return { aId, bId };
}

/** Sends `text` on the data channel of peer `fromId` and waits until peer `toId` received it. */
export async function sendAndReceive(from, fromId, to, toId, text, timeoutMs = 10_000) {
  await from.evaluate(([id, t, ms]) => window.__e2e.send(id, t, ms), [fromId, text, timeoutMs]);
  return to.evaluate(([id, t, ms]) => window.__e2e.received(id, t, ms), [toId, text, timeoutMs]);
}

/** The selected candidate pair of a peer: { state, local: {candidateType,...}, remote: {...} }. */
export function selectedPair(page, id) {
  return page.evaluate((i) => window.__e2e.selectedPair(i), id);
}

/** Gathers candidates with `config` (no remote side) and returns { candidates, errors }. */
export async function gatherCandidates(page, config, timeoutMs = 20_000) {
  if (signalHandlers.has(page)) signalHandlers.set(page, null);
  const id = await page.evaluate((c) => window.__e2e.create(c, true), config);
  await page.evaluate((i) => window.__e2e.offer(i), id);
  return page.evaluate(([i, t]) => window.__e2e.gathered(i, t), [id, timeoutMs]);
}

/** Closes every peer connection the harness made in `page`. */
export async function closePeers(page) {
  if (page.isClosed()) return;
  await page.evaluate(() => window.__e2e?.closeAll()).catch(() => {});
}
