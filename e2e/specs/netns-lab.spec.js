// The enterprise network lab of lib/netns.js, without the extension: browser A in the "enterprise"
// namespace, whose firewall drops all UDP but to the border relay, and browser B outside. The test
// does the signalling itself (lib/webrtc.js) on a tiny page of its own, served here on 127.0.0.1 and
// forwarded into both namespaces on the same URL (as are the app and Keycloak).
//   - with the firewall, A and B without ICE servers fail (ICE failed; the firewall counted drops);
//   - with the firewall, A relay-only through the Vclick TURN URIs (DNATed to the border relay),
//     over UDP and over TCP, connects, its local candidate a relay one on the relay's outside
//     address; B in ext reaches the same relay through the same URIs;
//   - without the firewall, the same direct call connects host to host (the failure is the firewall's);
//   - the app's and Keycloak's URLs, and a WebSocket of the test page, work from inside ent;
//   - the lab's Janus (in border) answers on http://127.0.0.1:<port>/janus of the ROOT namespace,
//     where the Vclick server drives it: a VideoCall call from B (in ext) reaches the callee handle
//     as Janus's own offer, whose only candidate is the lab address 10.66.2.1 (never 127.0.0.1).

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { WebSocketServer } from 'ws';
import { firstPage, logPageErrors } from '../lib/browser.js';
import { keycloakUrl, requireEnv, turnPort, turnSecret, vclickUrl } from '../lib/env.js';
import { JANUS_LAB, createEnterpriseLab, janusLabPort } from '../lib/netns.js';
import { mintTurnCredential } from '../lib/turn.js';
import { closePeers, connectPeers, gatherCandidates, installHarness, selectedPair, sendAndReceive } from '../lib/webrtc.js';

const PAGE = '<!doctype html><meta charset="utf-8"><title>netns lab</title><p>netns lab</p>';

/** The test page on 127.0.0.1:<free port>, and a WebSocket echo on /echo. */
async function startSite() {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(PAGE);
  });
  const wss = new WebSocketServer({ server, path: '/echo' });
  wss.on('connection', (ws) => ws.on('message', (m) => ws.send(`echo:${m}`)));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () =>
      new Promise((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

const portOf = (url) => Number(new URL(url).port);

/** A minimal client of Janus's HTTP API (as the Vclick server talks to it): requests and long polls. */
function janusClient(url, secret) {
  let tx = 0;
  const events = []; // received, not yet consumed
  const post = async (path, body) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, transaction: `netns-lab-${++tx}`, apisecret: secret }),
    });
    const json = await res.json();
    if (json.janus === 'error') throw new Error(`Janus ${body.janus}: ${json.error?.code} ${json.error?.reason}`);
    return json;
  };
  /** The first event of session `sid` matching `match`, long-polling for it until `timeoutMs`. */
  const event = async (sid, match, what, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = events.findIndex(match);
      if (i >= 0) return events.splice(i, 1)[0];
      if (Date.now() > deadline) throw new Error(`no ${what} from Janus within ${timeoutMs} ms; got ${JSON.stringify(events)}`);
      const res = await fetch(`${url}/${sid}?maxev=10&rid=${Date.now()}&apisecret=${encodeURIComponent(secret)}`, {
        signal: AbortSignal.timeout(Math.max(1000, deadline - Date.now())),
      }).catch((e) => (e.name === 'TimeoutError' ? null : Promise.reject(e)));
      if (!res) continue;
      const got = await res.json();
      events.push(...(Array.isArray(got) ? got : [got]).filter((e) => e.janus !== 'keepalive'));
    }
  };
  /** The VideoCall result of a plugin event on handle `handle`. */
  const result = (handle, name) => (e) => e.sender === handle && e.plugindata?.data?.result?.event === name;
  return { post, event, result };
}

describe('enterprise network lab (network namespaces, no extension)', { timeout: 180_000 }, () => {
  let site;
  let lab;
  let a; // browser A in ent: { context, page }
  let b; // browser B in ext

  const openIn = async (ns, label) => {
    const context = await lab.openBrowser(ns);
    const page = await firstPage(context);
    logPageErrors(page, label);
    await page.goto(site.url);
    await installHarness(page);
    return { context, page };
  };

  before(async () => {
    site = await startSite();
    lab = await createEnterpriseLab({
      forwardPorts: [portOf(vclickUrl()), portOf(keycloakUrl()), site.port],
      turnPort: turnPort(),
      secret: turnSecret(),
    });
    [a, b] = await Promise.all([openIn('ent', 'A/ent'), openIn('ext', 'B/ext')]);
  });

  after(async () => {
    await lab?.close();
    await site?.close();
  });

  const closeBoth = () => Promise.all([closePeers(a.page), closePeers(b.page)]);

  test('firewall on, no ICE servers: ICE fails, and the firewall dropped UDP', { timeout: 40_000 }, async () => {
    assert.equal(lab.firewall, true);
    const before = await lab.dropCounters();
    try {
      // A offers its enterprise address: the network, not the gathering, stops the call.
      const { candidates } = await gatherCandidates(a.page, { iceServers: [] });
      assert.ok(
        candidates.some((c) => c.type === 'host' && c.candidate.includes(` ${lab.ent.address} `)),
        `A's candidates: ${JSON.stringify(candidates)}`,
      );
      await assert.rejects(
        connectPeers({ page: a.page, config: { iceServers: [] } }, { page: b.page, config: { iceServers: [] } }, { timeoutMs: 30_000 }),
        /connectionState became failed/,
      );
    } finally {
      await closeBoth();
    }
    const now = await lab.dropCounters();
    assert.ok(now.udp.packets > before.udp.packets, `dropped UDP: ${JSON.stringify(before)} -> ${JSON.stringify(now)}`);
  });

  for (const { transport, bRelay } of [
    { transport: 'udp', bRelay: false },
    { transport: 'tcp', bRelay: false },
    { transport: 'udp', bRelay: true },
  ]) {
    const url = `turn:127.0.0.1:${turnPort()}?transport=${transport}`;
    const name = bRelay
      ? `firewall on, A and B (in ext) both relay-only through ${url}: connected relay to relay`
      : `firewall on, A relay-only through ${url}: connected through the border relay`;
    test(name, { timeout: 40_000 }, async () => {
      const { username, credential } = mintTurnCredential({ secret: turnSecret(), user: 'netns-lab' });
      const relayOnly = { iceServers: [{ urls: [url], username, credential }], iceTransportPolicy: 'relay' };
      assert.ok(lab.relay.uris.includes(url));
      try {
        const { aId, bId } = await connectPeers(
          { page: a.page, config: relayOnly },
          { page: b.page, config: bRelay ? relayOnly : { iceServers: [] } },
        );
        const pair = await selectedPair(a.page, aId);
        assert.equal(pair?.local?.candidateType, 'relay', JSON.stringify(pair));
        assert.equal(pair.local.address, lab.relay.outside, JSON.stringify(pair));
        assert.equal(pair.local.relayProtocol, transport, JSON.stringify(pair));
        // A's remote candidate was signalled (a relay needs a permission for it first).
        assert.equal(pair.remote.address, bRelay ? lab.relay.outside : lab.ext.address, JSON.stringify(pair));
        // B sees A only as the relay (a peer-reflexive remote candidate's address is hidden in stats).
        const bPair = await selectedPair(b.page, bId);
        assert.ok(
          bPair?.remote?.address === lab.relay.outside ||
            (bPair?.remote?.candidateType === 'prflx' && bPair.remote.address !== lab.ent.address),
          JSON.stringify(bPair),
        );
        if (bRelay) assert.equal(bPair.local.candidateType, 'relay', JSON.stringify(bPair));
        await sendAndReceive(a.page, aId, b.page, bId, `hello over ${transport}`);
        await sendAndReceive(b.page, bId, a.page, aId, 'hello back');
      } finally {
        await closeBoth();
      }
    });
  }

  test('firewall off: the same direct call connects host to host (so the failure above is the firewall)', { timeout: 40_000 }, async () => {
    await lab.setFirewall(false);
    try {
      const { aId, bId } = await connectPeers({ page: a.page, config: { iceServers: [] } }, { page: b.page, config: { iceServers: [] } });
      // Each side's own end of the selected pair (a remote peer-reflexive address is hidden in stats).
      const [aPair, bPair] = [await selectedPair(a.page, aId), await selectedPair(b.page, bId)];
      assert.deepEqual(
        [aPair?.local?.candidateType, aPair?.local?.address, bPair?.local?.candidateType, bPair?.local?.address],
        ['host', lab.ent.address, 'host', lab.ext.address],
        JSON.stringify({ aPair, bPair }),
      );
      await sendAndReceive(a.page, aId, b.page, bId, 'direct');
    } finally {
      await closeBoth();
      await lab.setFirewall(true);
    }
  });

  test(
    'from inside ent, the app, Keycloak and the test page answer on their 127.0.0.1 URLs (HTTP and WebSocket)',
    { timeout: 40_000 },
    async () => {
      const page = await a.context.newPage();
      try {
        const config = await page.goto(`${vclickUrl()}/api/client-config`);
        assert.equal(config.status(), 200);
        assert.equal((await config.json()).keycloakUrl, keycloakUrl());
        const oidc = await page.goto(`${keycloakUrl()}/realms/vclick/.well-known/openid-configuration`);
        assert.equal(oidc.status(), 200);
        assert.equal((await oidc.json()).issuer, `${keycloakUrl()}/realms/vclick`);
        await page.goto(site.url);
        const echoed = await page.evaluate(
          (url) =>
            new Promise((resolve, reject) => {
              const ws = new WebSocket(url);
              const timer = setTimeout(() => reject(new Error('no echo within 10 s')), 10_000);
              ws.onopen = () => ws.send('ping');
              ws.onerror = () => reject(new Error('WebSocket error'));
              ws.onmessage = (e) => {
                clearTimeout(timer);
                ws.close();
                resolve(e.data);
              };
            }),
          `ws://127.0.0.1:${site.port}/echo`,
        );
        assert.equal(echoed, 'echo:ping');
      } finally {
        await page.close();
      }
    },
  );

  test(
    `Janus in border answers on 127.0.0.1 of the root namespace; VideoCall offers only the lab address ${JANUS_LAB.address}`,
    { timeout: 20_000 },
    async () => {
      const secret = requireEnv('VCLICK_JANUS_API_SECRET');
      const janus = await lab.startJanus({ secret });
      assert.equal(janus.url, `http://127.0.0.1:${janusLabPort()}/janus`);
      const client = janusClient(janus.url, secret);
      let sid;
      try {
        // From the root namespace (this process), as the Vclick server will.
        const info = await (await fetch(`${janus.url}/info`)).json();
        assert.equal(info.janus, 'server_info');
        assert.ok(info.plugins['janus.plugin.videocall'], Object.keys(info.plugins).join(', '));
        // The API secret is required.
        const refused = await (
          await fetch(janus.url, { method: 'POST', body: JSON.stringify({ janus: 'create', transaction: 'no-secret' }) })
        ).json();
        assert.equal(refused.error?.code, 403, JSON.stringify(refused));

        sid = (await client.post('', { janus: 'create' })).data.id;
        const attach = async () => (await client.post(`/${sid}`, { janus: 'attach', plugin: 'janus.plugin.videocall' })).data.id;
        const [ha, hb] = [await attach(), await attach()];
        const names = { a: `lab-a-${process.pid}-${Date.now()}`, b: `lab-b-${process.pid}-${Date.now()}` };
        for (const [h, name] of [
          [ha, names.a],
          [hb, names.b],
        ]) {
          await client.post(`/${sid}/${h}`, { janus: 'message', body: { request: 'register', username: name } });
          await client.event(sid, client.result(h, 'registered'), `'registered' of ${name}`);
        }

        // B, in ext, offers fake camera and microphone (no ICE servers: its host address 10.66.2.2).
        const offer = await b.page.evaluate(async () => {
          const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
          const pc = new RTCPeerConnection({ iceServers: [] });
          window.__janusLab = { pc, stream };
          for (const t of stream.getTracks()) pc.addTrack(t, stream);
          await pc.setLocalDescription(await pc.createOffer());
          await new Promise((resolve) => {
            if (pc.iceGatheringState === 'complete') resolve();
            pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
            setTimeout(resolve, 5000);
          });
          return pc.localDescription.sdp;
        });
        assert.match(offer, new RegExp(` ${lab.ext.address.replaceAll('.', '\\.')} \\d+ typ host`), 'B offers its ext address');

        // B's handle calls A: A's handle gets Janus's own offer (Janus is the man in the middle).
        await client.post(`/${sid}/${hb}`, {
          janus: 'message',
          body: { request: 'call', username: names.a },
          jsep: { type: 'offer', sdp: offer },
        });
        const incoming = await client.event(sid, client.result(ha, 'incomingcall'), `'incomingcall' on ${names.a}`);
        assert.equal(incoming.plugindata.data.result.username, names.b);
        assert.equal(incoming.jsep?.type, 'offer', JSON.stringify(incoming));
        const candidates = incoming.jsep.sdp.split(/\r?\n/).filter((l) => l.startsWith('a=candidate:'));
        const addresses = [...new Set(candidates.map((l) => l.split(' ')[4]))];
        assert.deepEqual(addresses, [janus.address], `Janus's candidates:\n${candidates.join('\n')}`);
        assert.ok(!incoming.jsep.sdp.includes('127.0.0.1'), incoming.jsep.sdp);
        assert.ok(!incoming.jsep.sdp.includes(lab.ext.address), "B's address does not reach A");

        await client.post(`/${sid}/${hb}`, { janus: 'message', body: { request: 'hangup' } });
      } finally {
        await b.page
          .evaluate(() => {
            window.__janusLab?.pc.close();
            for (const t of window.__janusLab?.stream.getTracks() ?? []) t.stop();
            delete window.__janusLab;
          })
          .catch(() => {});
        if (sid) await client.post(`/${sid}`, { janus: 'destroy' }).catch(() => {});
        await lab.stopJanus();
      }
      // Stopped: nothing answers on the root port any more, its folder is gone.
      await assert.rejects(fetch(`${janus.url}/info`), (e) => e.cause?.code === 'ECONNREFUSED');
      assert.equal(lab.janus, undefined);
      assert.ok(!existsSync(janus.dir), janus.dir);
    },
  );
});
