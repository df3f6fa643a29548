// A call with more than two parties in a test browser (web/SIGNALING.md, "Web app contract"):
// window.vclickConference() gives the publish and receive RTCPeerConnections and whose each
// receive m-line is; window.vclickCall() the two-party connection while it lasts. Every wait has a
// deadline; the flow monitor measures the longest pause in a party's media across the escalation.

import { WAIT_MS } from './app.js';

/**
 * Waits until `page` decodes video from `videoFrom` other parties and receives audio from
 * `audioFrom` (counted per user id from the conference's receive sessions); returns
 * {video: {userId: framesDecoded}, audio: {userId: packetsReceived}}.
 */
export function waitForConferenceMedia(page, { videoFrom = 2, audioFrom = 2, minFrames = 1, timeout = WAIT_MS, who = 'page' } = {}) {
  return page.evaluate(
    async ({ videoFrom, audioFrom, minFrames, timeout, who }) => {
      const deadline = Date.now() + timeout;
      let seen = null;
      for (;;) {
        const conference = window.vclickConference?.();
        if (conference) {
          seen = { video: {}, audio: {} };
          for (const [sessionId, pc] of Object.entries(conference.sessions)) {
            const owners = conference.sources[sessionId] ?? {};
            (await pc.getStats()).forEach((r) => {
              if (r.type !== 'inbound-rtp' || !owners[r.mid]) return;
              const user = owners[r.mid];
              if (r.kind === 'video') seen.video[user] = (seen.video[user] ?? 0) + (r.framesDecoded ?? 0);
              if (r.kind === 'audio') seen.audio[user] = (seen.audio[user] ?? 0) + (r.packetsReceived ?? 0);
            });
          }
          const videos = Object.values(seen.video).filter((n) => n >= minFrames).length;
          const audios = Object.values(seen.audio).filter((n) => n > 0).length;
          if (videos >= videoFrom && audios >= audioFrom) return seen;
        }
        if (Date.now() > deadline) {
          // What each receive session negotiated, to tell a missing offer from an unannounced source.
          const sessions = Object.entries(conference?.sessions ?? {}).map(([id, pc]) => ({
            id,
            state: pc.connectionState,
            sources: conference.sources[id],
            transceivers: pc.getTransceivers().map((t) => `${t.mid}:${t.receiver.track.kind}:${t.currentDirection}`),
          }));
          throw new Error(`${who}: not video from ${videoFrom} and audio from ${audioFrom} parties within ${timeout} ms: ${JSON.stringify(seen)} (conference ${conference ? 'open' : 'absent'}, ${document.body.dataset.conference}; sessions ${JSON.stringify(sessions)})`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    { videoFrom, audioFrom, minFrames, timeout, who },
  );
}

/**
 * Starts sampling, every 100 ms, what `page` receives from `userId` on every path: the two-party
 * connection (all its media is that peer's) and the conference's m-lines of that user. A sample
 * "advances" when any path's decoded video frames (or audio packets) grew; stopFlowMonitor gives
 * the longest time between two advances.
 */
export function startFlowMonitor(page, userId) {
  return page.evaluate((peer) => {
    const monitor = { samples: 0, last: { video: null, audio: null }, gap: { video: 0, audio: 0 }, counts: new Map(), errors: 0 };
    const sample = async () => {
      const now = performance.now();
      const paths = [];
      const direct = window.vclickCall?.();
      if (direct) paths.push(['direct', direct, () => true]);
      const conference = window.vclickConference?.();
      for (const [sessionId, pc] of Object.entries(conference?.sessions ?? {})) {
        const owners = conference.sources[sessionId] ?? {};
        paths.push([sessionId, pc, (mid) => owners[mid] === peer]);
      }
      const advanced = { video: false, audio: false };
      for (const [name, pc, ours] of paths) {
        const stats = await pc.getStats().catch(() => null);
        stats?.forEach((r) => {
          if (r.type !== 'inbound-rtp' || !ours(r.mid)) return;
          const value = r.kind === 'video' ? r.framesDecoded ?? 0 : r.packetsReceived ?? 0;
          const key = `${name}/${r.mid}/${r.kind}`;
          if (value > (monitor.counts.get(key) ?? 0)) advanced[r.kind] = true;
          monitor.counts.set(key, value);
        });
      }
      for (const kind of ['video', 'audio']) {
        if (!advanced[kind]) continue;
        if (monitor.last[kind] !== null) monitor.gap[kind] = Math.max(monitor.gap[kind], now - monitor.last[kind]);
        monitor.last[kind] = now;
      }
      monitor.samples += 1;
    };
    let running = false;
    monitor.timer = setInterval(() => {
      if (running) return;
      running = true;
      sample()
        .catch(() => (monitor.errors += 1))
        .finally(() => (running = false));
    }, 100);
    window.vclickFlowMonitor = monitor;
  }, userId);
}

/**
 * Stops the monitor: {gapMs: {video, audio}, samples, sinceLastMs: {video, audio}} (the pause at
 * the end counts too).
 */
export function stopFlowMonitor(page) {
  return page.evaluate(() => {
    const monitor = window.vclickFlowMonitor;
    clearInterval(monitor.timer);
    const now = performance.now();
    const sinceLast = (kind) => (monitor.last[kind] === null ? Infinity : now - monitor.last[kind]);
    return {
      samples: monitor.samples,
      gapMs: {
        video: Math.round(Math.max(monitor.gap.video, sinceLast('video'))),
        audio: Math.round(Math.max(monitor.gap.audio, sinceLast('audio'))),
      },
    };
  });
}

/** The escalation as the page measured it (performance.now() times; see call-controller.js). */
export function escalationOf(page) {
  return page.evaluate(() => window.vclickConference?.()?.escalation ?? null);
}
