// Scan timing for the benchmark and for anyone profiling a page: each finished scan is a
// performance measure named 'vclick-scan' (visible to the page world too: performance entries
// are per document, not per JavaScript world), with its figures in `detail`. Scans that did
// nothing are not recorded, and at most MAX_MEASURES per page (user timing is never trimmed).

export const MEASURE_NAME = "vclick-scan";
const MAX_MEASURES = 200;

let recorded = 0;

/**
 * @param {Performance} perf
 * @param {object} scan
 * @param {number} scan.start performance.now() when the scan was queued
 * @param {number} scan.end performance.now() when its last slice ended
 * @param {object} scan.detail figures: reason, busyMs, slices, longestSliceMs, created, removed, ...
 */
export function recordScan(perf, { start, end, detail }) {
  if (recorded >= MAX_MEASURES) return;
  if (detail.reason !== "initial" && detail.created === 0 && detail.removed === 0 && detail.busyMs < 1)
    return;
  recorded++;
  try {
    perf.measure(MEASURE_NAME, { start, end, detail });
  } catch (e) {
    console.debug("vclick: cannot record the scan measure", e);
  }
}
