// What the browser benchmarks (edge-wrapper.mjs, recording.mjs) share for their figures: order
// statistics over finite numbers, a tally of labels, the load average and the clock ticks of
// /proc/<pid>/stat.

import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';

/** The finite numbers of `xs`, ascending. */
export const sorted = (xs) => xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);

export const median = (xs) => {
  const s = sorted(xs);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Nearest-rank percentile. */
export const percentile = (xs, p) => {
  const s = sorted(xs);
  return s.length ? s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};

export const mean = (xs) => {
  const s = sorted(xs);
  return s.length ? s.reduce((a, b) => a + b, 0) / s.length : NaN;
};

export const min = (xs) => sorted(xs)[0] ?? NaN;
export const max = (xs) => sorted(xs).at(-1) ?? NaN;

/** "a ×n; b ×m" of a list of labels. */
export const tally = (labels) => {
  const counts = new Map();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].map(([l, n]) => `${l} ×${n}`).join('; ');
};

/** The load averages "1 / 5 / 15 min". */
export const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');

/** Clock ticks a second of /proc/<pid>/stat's times. */
export const TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
  } catch {
    return 100;
  }
})();
