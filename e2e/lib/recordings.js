// What the recording specs share: the stored recordings as the reviewer (erin) sees them, their
// media, ffprobe's view of a file, SDP look-ups and a polling helper with a deadline.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { apiAs } from './edge-policy.js';
import { USERS, vclickUrl } from './env.js';
import { login } from './keycloak.js';

const { erin } = USERS;

export const portOf = (url) => Number(new URL(url).port);
export const fingerprintOf = (sdp) => /^a=fingerprint:\S+ (\S+)/m.exec(sdp ?? '')?.[1]?.toUpperCase() ?? null;
export const candidateAddresses = (sdp) => [...String(sdp).matchAll(/^a=candidate:\S+ \d+ \S+ \d+ (\S+) /gm)].map((m) => m[1]);

/** Polls `read()` until `check(value)`; fails after `timeout` ms with `what`. */
export async function until(read, check, what, { timeout = 60_000 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await read();
    if (check(last)) return last;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeout} ms (last: ${JSON.stringify(last)?.slice(0, 400)})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The recordings of an origin as erin sees them. */
export async function recordingsOf(origin) {
  const answer = await apiAs(erin, 'GET', `recordings?origin=${encodeURIComponent(origin)}`);
  assert.equal(answer.status, 200, answer.text);
  return answer.json;
}

/** GET a recording's media as `user` (with `headers`); the body as a Buffer. */
export async function media(user, id, { download = false, headers = {} } = {}) {
  const token = await login(user.username, user.password);
  const response = await fetch(`${vclickUrl()}/api/recordings/${id}/media${download ? '?download=1' : ''}`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

/** ffprobe's streams and duration of a file. */
export function probe(file) {
  const out = JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file], { encoding: 'utf8' }),
  );
  return {
    video: out.streams.filter((s) => s.codec_type === 'video').length,
    audio: out.streams.filter((s) => s.codec_type === 'audio').length,
    duration: Number(out.format.duration),
  };
}

/**
 * When each stream of a file starts: its first packet's time in seconds (what a player uses;
 * ffprobe's per-stream start_time is unreliable for a stream that starts late), with its type and
 * title, in stream order.
 */
export function streamStarts(file) {
  const out = JSON.parse(
    execFileSync(
      'ffprobe',
      [
        '-v',
        'error',
        '-show_streams',
        '-show_packets',
        '-show_entries',
        'stream=index,codec_type:stream_tags=title:packet=stream_index,pts_time',
        '-of',
        'json',
        file,
      ],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    ),
  );
  return out.streams.map((s) => {
    const first = out.packets.find((p) => p.stream_index === s.index);
    return { type: s.codec_type, title: s.tags?.title ?? null, start: first ? Number(first.pts_time) : null };
  });
}
