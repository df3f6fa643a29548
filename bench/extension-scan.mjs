#!/usr/bin/env node
// What the click-to-call content script costs a big page: the corporate directory test page
// (e2e/sites/directory) with ?rows=5000, loaded in Debian Chromium without and with the built
// extension (a fresh browser and profile per variant, the same switches), several times each.
//
// Prints (medians of --runs loads, after one unrecorded warm-up load per variant):
//   (a) navigation start → load event, and → the page's own "ready" (its dynamic rows landed);
//   (b) the content script's first scan: when it started, its wall time and script time, its
//       slices and icon batches, the longest frame drawing a batch, the icons it made, and when
//       every icon the page announces was there;
//   (c) main-thread blocking (PerformanceObserver 'longtask' and 'long-animation-frame' in the page
//       world), all of it and what came after the page's own script built its table.
// Scan figures come from the 'vclick-scan' performance measures the content script records
// (performance entries are per document, so the page world sees them).
//
// No Vclick server is needed or used: the extension is pointed at http://127.0.0.1:9 (nothing
// listens there), so presence look-ups answer "unknown" and every icon stays grey.
//
//   node bench/extension-scan.mjs [--rows 5000] [--runs 5]     (from the repo root; build the
//                                                                extension first: node extension/build.mjs)

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CHROMIUM, firstPage, openContext } from '../e2e/lib/browser.js';
import { serveStatic } from '../e2e/lib/static-site.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const { values: options } = parseArgs({
  options: {
    rows: { type: 'string', default: '5000' },
    runs: { type: 'string', default: '5' },
    extension: { type: 'string', default: join(repo, 'extension', 'dist') },
    timeout: { type: 'string', default: '120' },
    help: { type: 'boolean', default: false },
  },
});
if (options.help) {
  console.log(`node bench/extension-scan.mjs [--rows N (5000)] [--runs N (5)] [--extension DIR (extension/dist)]
                                 [--timeout SECONDS a load (120)]`);
  process.exit(0);
}
const rows = Number(options.rows);
const runs = Number(options.runs);
const timeoutMs = Number(options.timeout) * 1000;
if (!(rows > 0) || !(runs > 0) || !(timeoutMs > 0)) {
  console.error('--rows, --runs and --timeout must be positive numbers');
  process.exit(2);
}
const extension = resolve(options.extension);
if (!existsSync(join(extension, 'manifest.json')) || !existsSync(join(extension, 'content.js'))) {
  console.error(`no built extension in ${extension}: run node extension/build.mjs first`);
  process.exit(2);
}

// The page's long tasks and long animation frames (a frame whose script and rendering took over
// 50 ms: rendering is where inserting icons into a big table costs), from its first script on.
const LONG_TASKS = () => {
  const observe = (type, into) => {
    window[into] = [];
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          window[into].push({
            start: e.startTime,
            duration: e.duration,
            blocking: e.blockingDuration ?? e.duration,
          });
        }
      }).observe({ type, buffered: true });
    } catch (e) {
      window[into] = null; // not supported: reported as n/a
    }
  };
  observe('longtask', 'benchLongTasks');
  observe('long-animation-frame', 'benchLongFrames');
};

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => (Number.isFinite(x) ? x.toFixed(x < 10 ? 1 : 0) : 'n/a');
const range = (xs) => `${ms(Math.min(...xs))}–${ms(Math.max(...xs))}`;

/** One load of the page; returns its figures. */
async function load(context, url, withExtension) {
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
    await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: timeoutMs });
    const expected = await page.evaluate(() => window.directory.expected({ region: 'GB' }));
    if (withExtension) {
      const wanted = expected.emails + expected.phones;
      await page
        .waitForFunction(
          (n) =>
            document.querySelectorAll('vclick-icon').length >= n &&
            performance.getEntriesByName('vclick-scan').some((e) => e.detail?.reason === 'initial'),
          wanted,
          { timeout: timeoutMs, polling: 50 },
        )
        .catch(() => {
          throw new Error(
            `the content script did not show ${wanted} icons within ${timeoutMs / 1000} s ` +
              '(does the worker answer page.config? is the extension built?)',
          );
        });
    }
    // Let the last idle slices and look-ups finish before reading long tasks.
    await page.waitForTimeout(1000);
    return await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const mark = (name) => performance.getEntriesByName(name)[0]?.startTime;
      const scans = performance.getEntriesByName('vclick-scan').map((e) => ({
        start: e.startTime,
        end: e.startTime + e.duration,
        ...e.detail,
      }));
      return {
        loadMs: nav.loadEventEnd,
        domContentLoadedMs: nav.domContentLoadedEventEnd,
        renderedMs: mark('directory-rendered'),
        readyMs: mark('directory-ready'),
        icons: document.querySelectorAll('vclick-icon').length,
        emailIcons: document.querySelectorAll('vclick-icon[data-kind=email]').length,
        expected: window.directory.expected({ region: 'GB' }),
        scans,
        longTasks: window.benchLongTasks,
        longFrames: window.benchLongFrames,
      };
    });
  } finally {
    await page.close();
  }
}

async function variant(name, url, withExtension) {
  const context = await openContext(withExtension ? { extension } : {});
  try {
    await context.addInitScript(LONG_TASKS);
    if (withExtension) {
      const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
      // The directory's domain is the enterprise's; UK numbers without +44 count; no server.
      await worker.evaluate(() =>
        chrome.storage.local.set({
          settings: {
            emailDomains: ['acme-bank.example'],
            phoneRegion: 'GB',
            serverUrl: 'http://127.0.0.1:9',
          },
        }),
      );
    }
    await firstPage(context); // the persistent context's own first tab, left blank
    process.stderr.write(`${name}: warm-up`);
    await load(context, url, withExtension);
    const results = [];
    for (let i = 0; i < runs; i++) {
      process.stderr.write(` ${i + 1}`);
      results.push(await load(context, url, withExtension));
    }
    process.stderr.write('\n');
    return results;
  } finally {
    await context.close();
  }
}

/** Count, total and longest of the entries of one kind (long tasks or long frames), all and after render. */
function longFigures(entries, renderedMs) {
  if (!entries) return null;
  const after = entries.filter((t) => t.start >= renderedMs);
  const sum = (ts, key) => ts.reduce((s, t) => s + t[key], 0);
  const max = (ts) => Math.max(0, ...ts.map((t) => t.duration));
  return {
    count: entries.length,
    total: sum(entries, 'duration'),
    max: max(entries),
    afterCount: after.length,
    afterTotal: sum(after, 'duration'),
    afterBlocking: sum(after, 'blocking'),
    afterMax: max(after),
  };
}

const site = await serveStatic(join(repo, 'e2e', 'sites', 'directory'));
try {
  const url = `${site.url}/?rows=${rows}`;
  let version = 'unknown';
  try {
    version = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim();
  } catch (e) {
    version = `unknown (${e.message.split('\n')[0]})`;
  }
  const without = await variant('without extension', url, false);
  const withExt = await variant('with extension', url, true);

  console.log(`# Click-to-call content script on the corporate directory page (?rows=${rows})\n`);
  console.log(
    `Machine: ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB; ` +
      `node ${process.version}; ${version} (headless=new).`,
  );
  console.log(
    `Medians of ${runs} loads per variant after one warm-up load; each variant in its own fresh browser ` +
      'and profile, same switches (plus the extension ones).',
  );
  console.log(
    'No Vclick server: the extension points at http://127.0.0.1:9 where nothing listens, so presence is ' +
      '"unknown" (grey icons); the look-ups are still sent to the worker and answered.\n',
  );
  const e = without[0].expected;
  console.log(
    `The page announces ${e.emails} email and ${e.phones} phone contacts (directory.expected()).\n`,
  );

  console.log('## (a) Page load (ms from navigation start)\n');
  console.log('| variant | DOMContentLoaded | load event | page ready (dynamic rows landed) |');
  console.log('|---|---:|---:|---:|');
  for (const [name, results] of [
    ['without extension', without],
    ['with extension', withExt],
  ]) {
    const col = (key) => `${ms(median(results.map((r) => r[key])))} (${range(results.map((r) => r[key]))})`;
    console.log(`| ${name} | ${col('domContentLoadedMs')} | ${col('loadMs')} | ${col('readyMs')} |`);
  }

  console.log('\n## (b) First scan of the content script\n');
  console.log(
    '| run | queued at | wall ms | script ms | slices | longest slice ms | batches | longest frame ms | text nodes searched | icons made | all icons there at | icons / expected |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const firsts = [];
  withExt.forEach((run, i) => {
    const first = run.scans.find((s) => s.reason === 'initial');
    // The scan that brought the icon count to what the page announces (the dynamic rows may land
    // during the first scan or be a scan of their own).
    const wanted = run.expected.emails + run.expected.phones;
    let made = 0;
    let allAt = NaN;
    for (const s of run.scans) {
      made += s.created - s.removed;
      if (made >= wanted) {
        allAt = s.end;
        break;
      }
    }
    firsts.push({ ...first, allAt });
    console.log(
      `| ${i + 1} | ${ms(first.start)} | ${ms(first.end - first.start)} | ${ms(first.busyMs)} | ${first.slices} | ` +
        `${ms(first.longestSliceMs)} | ${first.batches} | ${ms(first.longestFrameMs)} | ${first.texts} | ` +
        `${first.created} | ${ms(allAt)} | ${run.icons} / ${wanted} |`,
    );
  });
  const m = (key) => ms(median(firsts.map((f) => (key === 'wall' ? f.end - f.start : f[key]))));
  console.log(
    `| median | ${m('start')} | ${m('wall')} | ${m('busyMs')} | ${m('slices')} | ${m('longestSliceMs')} | ` +
      `${m('batches')} | ${m('longestFrameMs')} | ${m('texts')} | ${m('created')} | ${m('allAt')} | |`,
  );

  console.log('\n## (c) Main-thread blocking: long tasks and long animation frames (> 50 ms)\n');
  console.log(
    '| variant | kind | count | total ms | longest ms | after the page rendered: count | total ms | blocking ms | longest ms |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const [name, results] of [
    ['without extension', without],
    ['with extension', withExt],
  ]) {
    for (const [kind, key] of [
      ['long tasks', 'longTasks'],
      ['long animation frames', 'longFrames'],
    ]) {
      const f = results.map((r) => longFigures(r[key], r.renderedMs));
      if (f.some((x) => !x)) {
        console.log(`| ${name} | ${kind} | n/a | | | | | | |`);
        continue;
      }
      const med = (k) => ms(median(f.map((x) => x[k])));
      console.log(
        `| ${name} | ${kind} | ${med('count')} | ${med('total')} | ${med('max')} | ${med('afterCount')} | ` +
          `${med('afterTotal')} | ${med('afterBlocking')} | ${med('afterMax')} |`,
      );
    }
  }
  console.log(
    '\n"After the page rendered": entries that started after the page script built its table (its ' +
      "'directory-rendered' mark): the content script's work, the frames that draw its icons, the " +
      'dynamic rows. A long animation frame counts script and rendering (style, layout, paint); its ' +
      '"blocking" part is what delayed input. Chromium does not report every rendering-heavy frame as a long task.',
  );
  const wrong = withExt.filter((r) => r.icons !== r.expected.emails + r.expected.phones);
  if (wrong.length) {
    console.log(`\nWARNING: ${wrong.length} load(s) ended with another icon count than the page announces.`);
    process.exitCode = 1;
  }
} finally {
  await site.close();
}
