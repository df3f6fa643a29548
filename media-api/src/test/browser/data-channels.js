// Manual check: do a page's data channels pass through the media server? (media-api/README.md)
// Two RTCPeerConnections in one headless Chromium page (leg e and leg f), joined through Janus
// VideoCall exactly as the Janus adapter joins them (register, call, accept), or through two
// cross-connected KMS WebRtcEndpoints created with useDataChannels (what a relaying Kurento adapter
// would do). Non-trickle: each side's SDP is sent once its gathering completed.
//
//   node data-channels.js janus|kms one|both|same|negotiated
//     one: e creates 'chat', f only listens (the W3C pattern); both: f also creates 'ready';
//     same: both create 'chat'; negotiated: both create 'chat' {negotiated: true, id: 0}
//   env: JANUS_URL (http://127.0.0.1:18288/janus), JANUS_SECRET; KMS_URL (ws://127.0.0.1:18899/kurento);
//        KMS_SCTP_PORT=5000 rewrites a=sctp-port in KMS's own offer; KMS_DATA_CONNECT=1 adds connect(…, DATA);
//        NODE_MODULES (../../../../e2e/node_modules: playwright-core, ws); CHROMIUM (/usr/lib/chromium/chromium)
const path = require('path');
const modules = process.env.NODE_MODULES || path.join(__dirname, '../../../../e2e/node_modules');
const { chromium } = require(path.join(modules, 'playwright-core'));
const WebSocket = require(path.join(modules, 'ws'));
const [mode, scenario] = process.argv.slice(2);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.log(new Date().toISOString().slice(11, 23), ...a);

async function janusBridge() {
  const base = process.env.JANUS_URL || 'http://127.0.0.1:18288/janus',
    secret = process.env.JANUS_SECRET || '';
  let tx = 0;
  const post = async (path, body) => {
    const r = await fetch(base + path, { method: 'POST', body: JSON.stringify({ ...body, transaction: 't' + ++tx, apisecret: secret }) });
    return r.json();
  };
  const session = (await post('', { janus: 'create' })).data.id;
  const events = [];
  let polling = true;
  (async () => {
    while (polling) {
      try {
        const r = await fetch(`${base}/${session}?maxev=10&apisecret=${secret}`);
        for (const e of await r.json()) events.push(e);
      } catch (e) {
        await sleep(100);
      }
    }
  })();
  const waitEvent = async (pred, what) => {
    for (let i = 0; i < 200; i++) {
      const e = events.find(pred);
      if (e) {
        events.splice(events.indexOf(e), 1);
        return e;
      }
      await sleep(50);
    }
    throw new Error('no ' + what);
  };
  const handles = {};
  for (const leg of ['e', 'f']) handles[leg] = (await post('/' + session, { janus: 'attach', plugin: 'janus.plugin.videocall' })).data.id;
  for (const leg of ['e', 'f']) {
    await post(`/${session}/${handles[leg]}`, { janus: 'message', body: { request: 'register', username: 'dc-' + leg + session } });
    await waitEvent((e) => e.sender === handles[leg] && e.plugindata?.data?.result?.event === 'registered', 'registered');
  }
  return {
    async offer(from, sdp) {
      const to = from === 'e' ? 'f' : 'e';
      await post(`/${session}/${handles[from]}`, {
        janus: 'message',
        body: { request: 'call', username: 'dc-' + to + session },
        jsep: { type: 'offer', sdp },
      });
      return (await waitEvent((e) => e.sender === handles[to] && e.jsep, 'incomingcall')).jsep.sdp;
    },
    async answer(from, sdp) {
      const to = from === 'e' ? 'f' : 'e';
      await post(`/${session}/${handles[from]}`, { janus: 'message', body: { request: 'accept' }, jsep: { type: 'answer', sdp } });
      return (await waitEvent((e) => e.sender === handles[to] && e.jsep, 'accepted')).jsep.sdp;
    },
    async close() {
      polling = false;
      await post('/' + session, { janus: 'destroy' });
    },
  };
}

async function kmsBridge() {
  const ws = new WebSocket(process.env.KMS_URL || 'ws://127.0.0.1:18899/kurento');
  await new Promise((r, j) => {
    ws.on('open', r);
    ws.on('error', j);
  });
  let id = 0,
    sessionId;
  const pending = new Map();
  const found = { e: [], f: [] };
  const names = {};
  ws.on('message', (m) => {
    const msg = JSON.parse(m);
    if (msg.method === 'onEvent') {
      const v = msg.params.value;
      if (v.type === 'IceCandidateFound') found[names[v.object]]?.push(v.data.candidate);
      else log('kms event', v.type, names[v.object], JSON.stringify(v.data).slice(0, 200));
      return;
    }
    const p = pending.get(msg.id);
    pending.delete(msg.id);
    if (msg.error) p.j(new Error(JSON.stringify(msg.error)));
    else {
      sessionId = msg.result?.sessionId ?? sessionId;
      p.r(msg.result?.value);
    }
  });
  const rpc = (method, params) =>
    new Promise((r, j) => {
      const i = ++id;
      pending.set(i, { r, j });
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: i, method, params: { ...params, sessionId } }));
    });
  const pipeline = await rpc('create', { type: 'MediaPipeline', constructorParams: {} });
  const ep = {};
  for (const leg of ['e', 'f']) {
    ep[leg] = await rpc('create', { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: pipeline, useDataChannels: true } });
    names[ep[leg]] = leg;
    for (const t of ['IceCandidateFound', 'DataChannelOpened', 'DataChannelClosed', 'MediaFlowInStateChanged', 'Error'])
      await rpc('subscribe', { type: t, object: ep[leg] });
  }
  await rpc('invoke', { object: ep.e, operation: 'connect', operationParams: { sink: ep.f } });
  if (process.env.KMS_DATA_CONNECT) {
    await rpc('invoke', { object: ep.e, operation: 'connect', operationParams: { sink: ep.f, mediaType: 'DATA' } });
    await rpc('invoke', { object: ep.f, operation: 'connect', operationParams: { sink: ep.e, mediaType: 'DATA' } });
  }
  await rpc('invoke', { object: ep.f, operation: 'connect', operationParams: { sink: ep.e } });
  const gatherDone = async (leg) => {
    await rpc('invoke', { object: ep[leg], operation: 'gatherCandidates' });
    await sleep(1500);
  };
  const withCands = async (leg) => rpc('invoke', { object: ep[leg], operation: 'getLocalSessionDescriptor' });
  return {
    ep,
    rpc,
    async offer(from, sdp) {
      const to = from === 'e' ? 'f' : 'e';
      await rpc('invoke', { object: ep[from], operation: 'processOffer', operationParams: { offer: sdp } });
      await gatherDone(from);
      await rpc('invoke', { object: ep[to], operation: 'generateOffer' });
      await gatherDone(to);
      const o = await withCands(to);
      return process.env.KMS_SCTP_PORT ? o.replace(/a=sctp-port:\d+/, 'a=sctp-port:' + process.env.KMS_SCTP_PORT) : o;
    },
    async answer(from, sdp) {
      const to = from === 'e' ? 'f' : 'e';
      await rpc('invoke', { object: ep[from], operation: 'processAnswer', operationParams: { answer: sdp } });
      return withCands(to);
    },
    async close() {
      await rpc('release', { object: pipeline });
      ws.close();
    },
  };
}

(async () => {
  const bridge = mode === 'janus' ? await janusBridge() : await kmsBridge();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/lib/chromium/chromium',
    args: ['--allow-loopback-in-peer-connection', '--no-sandbox'],
  });
  const page = await browser.newPage();
  page.on('console', (m) => log('page:', m.text()));
  await page.evaluate(
    ({ scenario }) => {
      window.got = { e: [], f: [] };
      window.pcs = {};
      window.state = { e: {}, f: {} };
      const watch = (leg, dc) => {
        window.state[leg][dc.label] = dc.readyState;
        const hello = () => {
          window.state[leg][dc.label] = dc.readyState;
          if (dc.label === 'chat' && !dc.timer) {
            let n = 0;
            dc.timer = setInterval(() => dc.readyState === 'open' && dc.send(`hello ${++n} from ${leg}`), 400);
          }
        };
        dc.onopen = hello;
        if (dc.readyState === 'open') hello();
        dc.onclose = () => (window.state[leg][dc.label] = 'closed');
        dc.onmessage = ({ data }) => window.got[leg].push(dc.label + ':' + data);
      };
      for (const leg of ['e', 'f']) {
        const pc = new RTCPeerConnection();
        pc.addTransceiver('audio');
        pc.ondatachannel = ({ channel }) => watch(leg, channel);
        pc.onconnectionstatechange = () => console.log(leg, 'pc', pc.connectionState);
        window.pcs[leg] = pc;
      }
      if (scenario === 'negotiated') {
        for (const leg of ['e', 'f']) watch(leg, window.pcs[leg].createDataChannel('chat', { negotiated: true, id: 0 }));
      } else watch('e', window.pcs.e.createDataChannel('chat'));
      if (scenario === 'both') watch('f', window.pcs.f.createDataChannel('ready'));
      if (scenario === 'same') watch('f', window.pcs.f.createDataChannel('chat'));
    },
    { scenario },
  );
  const local = (leg, kind) =>
    page.evaluate(
      async ({ leg, kind }) => {
        const pc = window.pcs[leg];
        await pc.setLocalDescription(kind === 'offer' ? await pc.createOffer() : await pc.createAnswer());
        while (pc.iceGatheringState !== 'complete') await new Promise((r) => setTimeout(r, 50));
        return pc.localDescription.sdp;
      },
      { leg, kind },
    );
  const remote = (leg, type, sdp) =>
    page.evaluate(({ leg, type, sdp }) => window.pcs[leg].setRemoteDescription({ type, sdp }), { leg, type, sdp });
  const offerE = await local('e', 'offer');
  log(
    'E offer m-lines',
    offerE
      .split('\n')
      .filter((l) => l.startsWith('m='))
      .join(' | '),
  );
  const forF = await bridge.offer('e', offerE);
  log(
    'server offer to F m-lines',
    forF
      .split('\n')
      .filter((l) => l.startsWith('m='))
      .join(' | '),
  );
  await remote('f', 'offer', forF);
  const answerF = await local('f', 'answer');
  log(
    'F answer m-lines',
    answerF
      .split('\n')
      .filter((l) => l.startsWith('m='))
      .join(' | '),
  );
  const forE = await bridge.answer('f', answerF);
  log(
    'server answer to E m-lines',
    forE
      .split('\n')
      .filter((l) => l.startsWith('m='))
      .join(' | '),
  );
  await remote('e', 'answer', forE);
  for (let i = 0; i < 16; i++) {
    await sleep(500);
    const s = await page.evaluate(() => ({
      got: window.got,
      state: window.state,
      pc: { e: window.pcs.e.connectionState, f: window.pcs.f.connectionState },
      sctp: { e: window.pcs.e.sctp?.state, f: window.pcs.f.sctp?.state },
    }));
    if (i % 4 === 3 || (s.got.e.length && s.got.f.length)) log(JSON.stringify(s));
    if (s.got.e.length > 2 && s.got.f.length > 2) break;
  }
  const s = await page.evaluate(() => ({ e: window.got.e.length, f: window.got.f.length }));
  console.log(`RESULT ${mode} ${scenario}: e received ${s.e}, f received ${s.f} message(s)`);
  await browser.close();
  await bridge.close();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
