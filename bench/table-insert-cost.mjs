#!/usr/bin/env node
// What one frame costs the 5,000-row directory (e2e/sites/directory ?rows=5000, an auto-layout
// table) when small elements go into some of its cells, by the elements' CSS: the question behind
// the click-to-call icon design (extension/README.md, "Click-to-call on big pages"). No extension:
// the page world inserts icon-like elements (a custom element with an open shadow root and an
// adopted sheet, as the extension's <vclick-icon>) after every link of `--batch` consecutive rows,
// waits for the frame that shows them, and times it (rAF before → rAF after the next one); the
// page's long animation frames (> 50 ms) of the batches are counted too. Variants:
//
//   icon     the extension's icon box: inline-block, 1em (12–20 px), 0.25em margin
//   contain  the same with contain: strict (its inside cannot change anything outside)
//   zero     zero width (it cannot widen a column; the glyph would overflow): the floor
//
//   node bench/table-insert-cost.mjs [--rows 5000] [--batch 300] [--batches 8] [--variants icon,contain,zero]

import { parseArgs } from 'node:util';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstPage, openContext } from '../e2e/lib/browser.js';
import { serveStatic } from '../e2e/lib/static-site.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: options } = parseArgs({
  options: {
    rows: { type: 'string', default: '5000' },
    batch: { type: 'string', default: '300' },
    batches: { type: 'string', default: '8' },
    variants: { type: 'string', default: 'icon,contain,zero' },
  },
});
const rows = Number(options.rows);
const batch = Number(options.batch);
const batches = Number(options.batches);
if (!(rows > 0 && batch > 0 && batches > 0)) {
  console.error('--rows, --batch and --batches must be positive numbers');
  process.exit(2);
}

const BOX = {
  icon: 'display:inline-block;width:1em;height:1em;min-width:12px;min-height:12px;max-width:20px;max-height:20px;margin-left:.25em;vertical-align:-0.15em',
  contain:
    'display:inline-block;width:1em;height:1em;min-width:12px;min-height:12px;max-width:20px;max-height:20px;margin-left:.25em;vertical-align:-0.15em;contain:strict',
  zero: 'display:inline-block;width:0;height:1em;vertical-align:-0.15em;overflow:visible',
};

async function measure(url, variant) {
  const context = await openContext({ contextOptions: { viewport: { width: 1280, height: 720 } } });
  try {
    const page = await firstPage(context);
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => document.body.dataset.ready === '1');
    return await page.evaluate(
      async ({ box, batch, batches }) => {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(`:host{${box}} b{display:block;width:16px;height:16px;border-radius:50%;background:#888}`);
        customElements.define('bench-icon', class extends HTMLElement {});
        const long = [];
        new PerformanceObserver((list) => long.push(...list.getEntries())).observe({ type: 'long-animation-frame' });
        const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
        const all = [...document.querySelectorAll('#people tbody tr')];
        const frames = [];
        const started = performance.now();
        for (let i = 0; i < batches; i++) {
          await frame();
          await new Promise((r) => setTimeout(r, 100));
          await frame();
          const t0 = performance.now();
          for (const row of all.slice(100 + i * batch, 100 + (i + 1) * batch)) {
            for (const link of row.querySelectorAll('a')) {
              const icon = document.createElement('bench-icon');
              const root = icon.attachShadow({ mode: 'open' });
              root.adoptedStyleSheets = [sheet];
              root.append(document.createElement('b'));
              link.after(icon);
            }
          }
          await frame();
          await frame();
          frames.push(performance.now() - t0);
        }
        await new Promise((r) => setTimeout(r, 200));
        const ours = long.filter((e) => e.startTime >= started);
        return { frames, long: ours.length, longMs: ours.reduce((n, e) => n + e.duration, 0) };
      },
      { box: BOX[variant], batch, batches },
    );
  } finally {
    await context.close();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const site = await serveStatic(join(repo, 'e2e', 'sites', 'directory'));
try {
  const url = `${site.url}/index.html?rows=${rows}`;
  console.log(`${rows} rows, ${batches} batches of ${batch} rows' links each; frame = the batch's script and the frame showing it`);
  console.log('| variant | frame ms, median (min–max) | long animation frames / total ms |');
  console.log('|---|---:|---:|');
  for (const variant of options.variants.split(',')) {
    if (!BOX[variant]) throw new Error(`unknown variant ${variant}`);
    const r = await measure(url, variant);
    const f = r.frames.map(Math.round);
    console.log(`| ${variant} | ${Math.round(median(f))} (${Math.min(...f)}–${Math.max(...f)}) | ${r.long} / ${Math.round(r.longMs)} |`);
  }
} finally {
  await site.close();
}
