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
          throw new Error(
            `${who}: not video from ${videoFrom} and audio from ${audioFrom} parties within ${timeout} ms: ${JSON.stringify(seen)} (conference ${conference ? 'open' : 'absent'}, ${document.body.dataset.conference}; sessions ${JSON.stringify(sessions)})`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    { videoFrom, audioFrom, minFrames, timeout, who },
  );
}

/**
 * Starts measuring, in `page`, the pauses in what it gets from `userId`, two ways:
 *   - seen: the video frames presented on screen from that user (requestVideoFrameCallback on the
 *     visible video element that shows them: the two-party video, then their tile; the element may
 *     change), i.e. the gap as the user sees it, decoding, tile switches and rendering included;
 *     `seen` is the longest time between two callbacks (the page's main thread may be late to call
 *     them: an upper bound), `frozen` between two frames presented with none presented in between
 *     (rVFC's presentedFrames and presentationTime: the same frame stayed on screen that long);
 *   - received: sampled every 100 ms from inbound-rtp on every path (the two-party connection, all
 *     of whose media is that peer's, and the conference's m-lines of that user): a sample "advances"
 *     when any path's decoded video frames (or audio packets) grew.
 * stopFlowMonitor gives the longest time between two advances of each, and when it was.
 */
export function startFlowMonitor(page, userId) {
  return page.evaluate((peer) => {
    const epoch = (t) => Math.round(performance.timeOrigin + t);
    const track = () => ({ last: null, gap: 0, from: null, to: null, count: 0 });
    const advance = (m, now) => {
      if (m.last !== null && now - m.last > m.gap) Object.assign(m, { gap: now - m.last, from: epoch(m.last), to: epoch(now) });
      m.last = now;
      m.count += 1;
    };
    const monitor = {
      samples: 0,
      video: track(),
      audio: track(),
      seen: track(),
      frozen: track(),
      counts: new Map(),
      errors: 0,
      watched: new WeakSet(),
    };

    // Seen: every element that may show the user, watched frame by frame; a frame counts when its element is visible.
    const candidates = () => [
      document.getElementById('remote-video'),
      ...document.querySelectorAll(`#call-grid figure[data-user-id="${CSS.escape(peer)}"] video`),
    ];
    const visible = (video) =>
      video.isConnected &&
      video.srcObject?.getVideoTracks().length > 0 &&
      video.checkVisibility({ opacityProperty: true, visibilityProperty: true });
    const watch = (video) => {
      if (!video || monitor.watched.has(video) || !video.requestVideoFrameCallback) return;
      monitor.watched.add(video);
      let presented = 0;
      const onFrame = (now, { presentedFrames, presentationTime }) => {
        if (monitor.stopped) return;
        if (visible(video)) {
          advance(monitor.seen, now);
          // Only one frame presented since this element's last callback: nothing new was on screen in between.
          if (presentedFrames - presented <= 1) advance(monitor.frozen, presentationTime);
          else Object.assign(monitor.frozen, { last: presentationTime, count: monitor.frozen.count + 1 });
        }
        presented = presentedFrames;
        if (video.isConnected) video.requestVideoFrameCallback(onFrame);
        else monitor.watched.delete(video);
      };
      video.requestVideoFrameCallback(onFrame);
    };
    const rescan = () => candidates().forEach(watch);
    rescan();
    monitor.observer = new MutationObserver(rescan);
    monitor.observer.observe(document.getElementById('call-stage') ?? document.body, { childList: true, subtree: true, attributes: true });

    // Received: inbound-rtp of every path.
    // (getStats of the paths in parallel: under load one call can take hundreds of ms, which the sampling period then adds to every gap.)
    const sample = async () => {
      const paths = [];
      const direct = window.vclickCall?.();
      if (direct) paths.push(['direct', direct, () => true]);
      const conference = window.vclickConference?.();
      for (const [sessionId, pc] of Object.entries(conference?.sessions ?? {})) {
        const owners = conference.sources[sessionId] ?? {};
        paths.push([sessionId, pc, (mid) => owners[mid] === peer]);
      }
      const advanced = { video: false, audio: false };
      const reports = await Promise.all(paths.map(([, pc]) => pc.getStats().catch(() => null)));
      const now = performance.now();
      for (const [i, [name, , ours]] of paths.entries()) {
        reports[i]?.forEach((r) => {
          if (r.type !== 'inbound-rtp' || !ours(r.mid)) return;
          const value = r.kind === 'video' ? (r.framesDecoded ?? 0) : (r.packetsReceived ?? 0);
          const key = `${name}/${r.mid}/${r.kind}`;
          if (value > (monitor.counts.get(key) ?? 0)) advanced[r.kind] = true;
          monitor.counts.set(key, value);
        });
      }
      for (const kind of ['video', 'audio']) if (advanced[kind]) advance(monitor[kind], now);
      if (monitor.sampledAt !== undefined) monitor.longestSampleMs = Math.max(monitor.longestSampleMs ?? 0, now - monitor.sampledAt);
      monitor.sampledAt = now;
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
 * Stops the monitor: {gapMs: {seen, frozen, video, audio}, at: {…: {from, to}} (epoch ms of
 * the longest pause; the pause at the end counts too), samples, longestSampleMs (the resolution of
 * the received figures: the longest time between two samples), framesSeen}.
 */
export function stopFlowMonitor(page) {
  return page.evaluate(() => {
    const monitor = window.vclickFlowMonitor;
    monitor.stopped = true;
    clearInterval(monitor.timer);
    monitor.observer.disconnect();
    const now = performance.now();
    const gapMs = {};
    const at = {};
    for (const kind of ['seen', 'frozen', 'video', 'audio']) {
      const m = monitor[kind];
      const tail = m.last === null ? Infinity : now - m.last;
      gapMs[kind] = Math.round(Math.max(m.gap, tail));
      at[kind] =
        tail > m.gap
          ? { from: m.last === null ? null : Math.round(performance.timeOrigin + m.last), to: null }
          : { from: m.from, to: m.to };
    }
    return {
      gapMs,
      at,
      samples: monitor.samples,
      longestSampleMs: Math.round(monitor.longestSampleMs ?? 0),
      framesSeen: monitor.seen.count,
    };
  });
}

/** The escalation as the page measured it (performance.now() times; see call-controller.js). */
export function escalationOf(page) {
  return page.evaluate(() => window.vclickConference?.()?.escalation ?? null);
}
