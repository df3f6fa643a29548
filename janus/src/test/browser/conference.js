// Manual bench (janus/README.md): N participants in one headless Chromium page, each publishing a
// fake 640x480 camera and microphone to a Janus VideoRoom and receiving everyone else on one
// multistream subscription, driven with the requests JanusConference sends (joinandconfigure;
// subscriber join with autoupdate:false and streams [{feed, mid}]; start; update). Non-trickle:
// each SDP is sent once its gathering completed. Prints the frames each participant decoded from
// each other one, and Janus' CPU (utime+stime of JANUS_PID) per participant over the measurement.
//
//   node conference.js [participants=3] [seconds=20]
//   env: JANUS_URL, JANUS_SECRET, JANUS_PID; NODE_MODULES (../../../../e2e/node_modules: playwright-core);
//        CHROMIUM (/usr/lib/chromium/chromium)
const fs = require('fs');
const path = require('path');
const modules = process.env.NODE_MODULES || path.join(__dirname, '../../../../e2e/node_modules');
const { chromium } = require(path.join(modules, 'playwright-core'));
const count = Number(process.argv[2] || 3);
const seconds = Number(process.argv[3] || 20);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.log(new Date().toISOString().slice(11, 23), ...a);

async function janus() {
  const base = process.env.JANUS_URL,
    secret = process.env.JANUS_SECRET;
  let tx = 0;
  const post = async (p, body) =>
    (await fetch(base + p, { method: 'POST', body: JSON.stringify({ ...body, transaction: 't' + ++tx, apisecret: secret }) })).json();
  const session = (await post('', { janus: 'create' })).data.id;
  const events = [];
  let polling = true;
  (async () => {
    while (polling) {
      try {
        for (const e of await (await fetch(`${base}/${session}?maxev=10&apisecret=${secret}`)).json()) events.push(e);
      } catch {
        await sleep(100);
      }
    }
  })();
  const event = async (pred, what) => {
    for (let i = 0; i < 400; i++) {
      const e = events.find(pred);
      if (e) {
        events.splice(events.indexOf(e), 1);
        return e;
      }
      await sleep(50);
    }
    throw new Error('no ' + what);
  };
  const attach = async () => (await post('/' + session, { janus: 'attach', plugin: 'janus.plugin.videoroom' })).data.id;
  const message = async (handle, body, jsep) => {
    const r = await post(`/${session}/${handle}`, { janus: 'message', body, jsep });
    if (r.plugindata) return r;
    return event((e) => e.transaction === r.transaction && e.janus === 'event', body.request);
  };
  return {
    attach,
    message,
    event,
    events,
    close: async () => {
      polling = false;
      await post('/' + session, { janus: 'destroy' });
    },
  };
}

const cpu = () => {
  const f = fs.readFileSync(`/proc/${process.env.JANUS_PID}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, clock ticks of 10 ms
};

(async () => {
  const j = await janus();
  const admin = await j.attach();
  const room = (
    await j.message(admin, { request: 'create', is_private: true, publishers: count * 2, audiocodec: 'opus', videocodec: 'vp8,h264' })
  ).plugindata.data.room;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/lib/chromium/chromium',
    args: [
      '--no-sandbox',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  const page = await browser.newPage();
  // getUserMedia needs a secure context: a page of our own on loopback (inside the namespace)
  const site = require('http').createServer((_, res) => res.end('<!doctype html><title>conference</title>'));
  await new Promise((r) => site.listen(0, '127.0.0.1', r));
  await page.goto(`http://127.0.0.1:${site.address().port}/`);
  await page.evaluate(async (count) => {
    window.pub = [];
    window.sub = [];
    window.mids = [];
    for (let i = 0; i < count; i++) {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480, frameRate: 30 } });
      const pc = new RTCPeerConnection();
      for (const t of stream.getTracks()) pc.addTransceiver(t, { direction: 'sendonly' });
      window.pub.push(pc);
      const s = new RTCPeerConnection();
      s.ontrack = ({ track, transceiver }) => {
        const v = document.createElement(track.kind);
        v.srcObject = new MediaStream([track]);
        v.muted = true;
        v.autoplay = true;
        document.body.append(v);
      };
      window.sub.push(s);
    }
  }, count);
  const local = (who, i, kind) =>
    page.evaluate(
      async ({ who, i, kind }) => {
        const pc = window[who][i];
        await pc.setLocalDescription(kind === 'offer' ? await pc.createOffer() : await pc.createAnswer());
        while (pc.iceGatheringState !== 'complete') await new Promise((r) => setTimeout(r, 50));
        return pc.localDescription.sdp;
      },
      { who, i, kind },
    );
  const remote = (who, i, type, sdp) =>
    page.evaluate(({ who, i, type, sdp }) => window[who][i].setRemoteDescription({ type, sdp }), { who, i, type, sdp });

  const feeds = [],
    pubHandles = [];
  for (let i = 0; i < count; i++) {
    const h = await j.attach();
    pubHandles.push(h);
    const joined = await j.message(
      h,
      { request: 'joinandconfigure', room, ptype: 'publisher', display: 'p' + i },
      { type: 'offer', sdp: await local('pub', i, 'offer') },
    );
    if (joined.plugindata.data.error_code) throw new Error(JSON.stringify(joined.plugindata.data));
    feeds.push({ id: joined.plugindata.data.id, streams: joined.plugindata.data.streams });
    await remote('pub', i, 'answer', joined.jsep.sdp);
  }
  for (const h of pubHandles) await j.event((e) => e.sender === h && e.janus === 'webrtcup', 'publisher webrtcup');
  log('publishers up');
  const subHandles = [];
  for (let i = 0; i < count; i++) {
    const h = await j.attach();
    subHandles.push(h);
    const streams = feeds.filter((_, k) => k !== i).flatMap((f) => f.streams.map((s) => ({ feed: f.id, mid: s.mid })));
    const attached = await j.message(h, { request: 'join', room, ptype: 'subscriber', autoupdate: false, streams });
    if (attached.plugindata.data.error_code) throw new Error(JSON.stringify(attached.plugindata.data));
    await remote('sub', i, 'offer', attached.jsep.sdp);
    await j.message(h, { request: 'start' }, { type: 'answer', sdp: await local('sub', i, 'answer') });
  }
  for (const h of subHandles) await j.event((e) => e.sender === h && e.janus === 'webrtcup', 'subscriber webrtcup');
  log('subscribers up; warming up 5 s');
  await sleep(5000);
  const frames = () =>
    page.evaluate(async () =>
      Promise.all(
        window.sub.map(async (s) => {
          const out = [];
          (await s.getStats()).forEach((r) => {
            if (r.type === 'inbound-rtp' && r.kind === 'video')
              out.push({ mid: r.mid, framesDecoded: r.framesDecoded || 0, w: r.frameWidth, h: r.frameHeight });
          });
          return out;
        }),
      ),
    );
  const recordDir = process.env.RECORD_DIR;
  const take = { conferenceId: 'bench', base: `bench-${Date.now()}`, stints: [] };
  if (recordDir) {
    for (let i = 0; i < count; i++) {
      const janusBase = `${recordDir}/${take.base}-p${i}-1`;
      const r = await j.message(pubHandles[i], { request: 'configure', record: true, filename: janusBase });
      if (r.plugindata.data.error_code) throw new Error(JSON.stringify(r.plugindata.data));
      take.stints.push({ participant: 'p' + i, janusBase });
    }
    take.startedAt = Date.now();
  }
  const before = await frames();
  const c0 = cpu(),
    t0 = Date.now();
  await sleep(seconds * 1000);
  const c1 = cpu(),
    t1 = Date.now();
  const after = await frames();
  if (recordDir) {
    for (const h of pubHandles) await j.message(h, { request: 'configure', record: false });
    take.stoppedAt = Date.now();
    fs.writeFileSync(`${recordDir}/take.json`, JSON.stringify(take));
  }
  const share = (100 * (c1 - c0)) / ((t1 - t0) / 1000);
  for (let i = 0; i < count; i++) {
    const per = after[i].map((a) => {
      const b = before[i].find((x) => x.mid === a.mid) || { framesDecoded: 0 };
      return `${a.mid}:${((a.framesDecoded - b.framesDecoded) / ((t1 - t0) / 1000)).toFixed(1)}fps@${a.w}x${a.h}`;
    });
    console.log(`RESULT p${i} decodes ${after[i].length} remote videos: ${per.join(' ')}`);
  }
  console.log(
    `RESULT janus cpu ${share.toFixed(1)} % of a core for ${count} participants = ${(share / count).toFixed(2)} % per participant (${seconds} s, 640x480 fake camera)`,
  );
  await browser.close();
  site.close();
  await j.message(admin, { request: 'destroy', room });
  await j.close();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
