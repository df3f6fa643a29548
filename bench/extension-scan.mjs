#!/usr/bin/env node
// What the click-to-call content script costs a big page: the corporate directory test page
// (e2e/sites/directory) with ?rows=5000, loaded in Debian Chromium without and with the built
// extension (a fresh browser and profile per variant, the same switches), several times each.
//
// Prints (medians of --runs loads, after one unrecorded warm-up load per variant):
//   (a) navigation start → load event, and → the page's own "ready" (its dynamic rows landed);
//   (b) the content script's first scan (it starts at DOMContentLoaded): when it started, its wall
//       time and script time, its slices and icon batches, the longest frame drawing a batch, the
//       matches it found, the icons it made and those it held back (big pages get icons near the
//       viewport only), when the first icon and all the icons of the first viewport were in place
//       (also counted from DOMContentLoaded, with the script time of every scan slice by then),
//       and when every icon the page announces was there (before any scrolling: small pages only);
//   (c) main-thread blocking while loading (PerformanceObserver 'longtask' and
//       'long-animation-frame' in the page world, up to the scroll-through), all of it and what
//       came after the page's own script built its table;
//   (d) a scroll-through: the page scrolled down one viewport height at a time, waiting for idle
//       after each step (icons near the viewport come then), to the bottom; then the collapsed
//       "Escalation contacts" section is opened. The icons there are counted against what the
//       page announces, and the long animation frames of that phase are reported.
// Scan figures come from the 'vclick-scan' performance measures the content script records
// (performance entries are per document, so the page world sees them); icon times from a
// MutationObserver in the page world (the icons are in the page's DOM).
//
// No Vclick server is needed or used: the extension is pointed at http://127.0.0.1:9 (nothing
// listens there), so presence look-ups answer "unknown" and every icon stays grey.
//
//   node bench/extension-scan.mjs [--rows 5000] [--runs 5] [--no-scroll]   (from the repo root;
//                                        build the extension first: node extension/build.mjs)

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CHROMIUM, firstPage, openContext } from '../e2e/lib/browser.js';
import { serveStatic } from '../e2e/lib/static-site.js';
import { cellsOf, contactsIn, peopleUpTo } from '../e2e/sites/directory/people.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const { values: options } = parseArgs({
  options: {
    rows: { type: 'string', default: '5000' },
    runs: { type: 'string', default: '5' },
    extension: { type: 'string', default: join(repo, 'extension', 'dist') },
    timeout: { type: 'string', default: '120' },
    'no-scroll': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (options.help) {
  console.log(`node bench/extension-scan.mjs [--rows N (5000)] [--runs N (5)] [--extension DIR (extension/dist)]
                                 [--timeout SECONDS a load, and a scroll-through (120)] [--no-scroll]`);
  process.exit(0);
}
const scroll = !options['no-scroll'];
const rows = Number(options.rows);
const runs = Number(options.runs);
const timeoutMs = Number(options.timeout) * 1000;
if (!(rows > 0) || !(runs > 0) || !(timeoutMs > 0)) {
  console.error('--rows, --runs and --timeout must be positive numbers');
  process.exit(2);
}
const extension = resolve(options.extension);
/** Row id → the contacts the page shows in it (phone region GB), the dynamic rows included. */
const contactsByRow = new Map(
  peopleUpTo(rows + 20).map((p) => [p.id, cellsOf(p).reduce((n, parts) => n + contactsIn(parts, 'GB').length, 0)]),
);
/** The rows of a benchViewportIcons() that lack icons. */
const incompleteRows = (viewport) => viewport.rows.filter(([id, icons]) => icons !== contactsByRow.get(id));
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
  // When each icon went into the page.
  window.benchIconTimes = [];
  window.benchIconTime = new WeakMap();
  new MutationObserver((records) => {
    const now = performance.now();
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.localName === 'vclick-icon' && !window.benchIconTime.has(node)) {
          window.benchIconTime.set(node, now);
          window.benchIconTimes.push(now);
        }
      }
    }
  }).observe(document, { childList: true, subtree: true });
  /** Resolves when no icon went in for `quietMs` and the page had idle time. */
  window.benchSettle = async (quietMs, maxMs = 60_000) => {
    const end = performance.now() + maxMs;
    let count;
    do {
      count = window.benchIconTimes.length;
      await new Promise((r) => setTimeout(r, quietMs));
      await new Promise((r) => requestIdleCallback(r, { timeout: 1000 }));
    } while (window.benchIconTimes.length !== count && performance.now() < end);
  };
  /**
   * The table rows now in the viewport (at least partly) with their icons: how many rows and icons,
   * when the last of those icons went in, and each row's id and icon count (to check against the
   * contacts it holds).
   */
  window.benchViewportIcons = () => {
    let count = 0;
    let lastAt = NaN;
    const rows = [];
    for (const row of document.querySelectorAll('#people tbody tr')) {
      const r = row.getBoundingClientRect();
      if (r.height === 0 || r.bottom <= 0 || r.top >= innerHeight) continue;
      const icons = row.querySelectorAll('vclick-icon');
      rows.push([row.dataset.id, icons.length]);
      count += icons.length;
      for (const icon of icons) {
        const at = window.benchIconTime.get(icon);
        if (!(at <= lastAt)) lastAt = at;
      }
    }
    return { count, lastAt, rows };
  };
};

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => (Number.isFinite(x) ? x.toFixed(x < 10 ? 1 : 0) : 'n/a');
const range = (xs) => `${ms(Math.min(...xs))}–${ms(Math.max(...xs))}`;

/** One load of the page (and a scroll-through); returns its figures. */
async function load(context, url, withExtension) {
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
    await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: timeoutMs });
    if (withExtension) {
      await page
        .waitForFunction(() => performance.getEntriesByName('vclick-scan').some((e) => e.detail?.reason === 'initial'), null, {
          timeout: timeoutMs,
          polling: 50,
        })
        .catch(() => {
          throw new Error(
            `the content script did not finish its first scan within ${timeoutMs / 1000} s ` +
              '(does the worker answer page.config? is the extension built?)',
          );
        });
    }
    // Let the last idle slices and look-ups finish before reading long tasks.
    await page.evaluate(() => window.benchSettle(1000));
    const loaded = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const mark = (name) => performance.getEntriesByName(name)[0]?.startTime;
      const scans = performance.getEntriesByName('vclick-scan').map((e) => ({
        start: e.startTime,
        end: e.startTime + e.duration,
        ...e.detail,
      }));
      const times = window.benchIconTimes;
      return {
        loadMs: nav.loadEventEnd,
        domContentLoadedMs: nav.domContentLoadedEventEnd,
        renderedMs: mark('directory-rendered'),
        readyMs: mark('directory-ready'),
        icons: document.querySelectorAll('vclick-icon').length,
        iconTimes: times.slice(),
        viewport: window.benchViewportIcons(),
        expected: window.directory.expected({ region: 'GB' }),
        scans,
        scrollStart: performance.now(),
        longTasks: window.benchLongTasks,
        longFrames: window.benchLongFrames,
      };
    });
    if (!scroll) return loaded;
    const scrolled = await scrollThrough(page);
    return { ...loaded, ...scrolled };
  } finally {
    await page.close();
  }
}

/** Scrolls to the bottom a viewport at a time (waiting for idle), opens the collapsed section. */
async function scrollThrough(page) {
  const deadline = Date.now() + timeoutMs;
  let steps = 0;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`the scroll-through took over ${timeoutMs / 1000} s`);
    const atBottom = await page.evaluate(async () => {
      scrollBy(0, innerHeight);
      await window.benchSettle(100);
      return scrollY + innerHeight >= document.documentElement.scrollHeight - 1;
    });
    steps++;
    if (atBottom) break;
  }
  return page.evaluate(
    async ({ steps }) => {
      const scrollEnd = performance.now();
      document.getElementById('escalation').open = true;
      await window.benchSettle(500);
      // Back to the top: what the first viewport shows once everything was visited.
      scrollTo(0, 0);
      await window.benchSettle(500);
      return {
        steps,
        scrollEnd,
        iconsAfterScroll: document.querySelectorAll('vclick-icon').length,
        viewportAfterScroll: window.benchViewportIcons(),
        scansAfterScroll: performance.getEntriesByName('vclick-scan').length,
        longFramesAll: window.benchLongFrames,
      };
    },
    { steps },
  );
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
  console.log(`The page announces ${e.emails} email and ${e.phones} phone contacts (directory.expected()).\n`);

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

  console.log('\n## (b) First scan of the content script, and the icons before any scrolling\n');
  console.log(
    '| run | queued at | wall ms | script ms | slices | longest slice ms | batches | longest frame ms | ' +
      'text nodes searched | matches found | icons made | held back | first icon at | first viewport: rows | icons | ' +
      'all in place at | after DOMContentLoaded | our script ms until then | all icons there at | icons / expected |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const firsts = [];
  const wrong = [];
  withExt.forEach((run, i) => {
    const first = run.scans.find((s) => s.reason === 'initial');
    const wanted = run.expected.emails + run.expected.phones;
    // When the page had every icon it announces (without scrolling: pages below the threshold).
    const allAt = run.iconTimes.length >= wanted ? run.iconTimes[wanted - 1] : NaN;
    const missing = incompleteRows(run.viewport);
    if (missing.length) wrong.push(`run ${i + 1}: ${missing.length} row(s) of the first viewport without all their icons`);
    const f = {
      ...first,
      wall: first.end - first.start,
      firstIconAt: run.iconTimes[0],
      viewportRows: run.viewport.rows.length,
      viewportIcons: run.viewport.count,
      viewportAt: missing.length ? NaN : run.viewport.lastAt,
      allAt,
    };
    // How long after the page's DOMContentLoaded, and how much of our script (every scan slice
    // that started by then) it took.
    f.viewportAfterDcl = f.viewportAt - run.domContentLoadedMs;
    f.scriptUntilViewport = run.scans.filter((s) => s.start <= f.viewportAt).reduce((t, s) => t + s.busyMs, 0);
    firsts.push(f);
    console.log(
      `| ${i + 1} | ${ms(f.start)} | ${ms(f.wall)} | ${ms(f.busyMs)} | ${f.slices} | ` +
        `${ms(f.longestSliceMs)} | ${f.batches} | ${ms(f.longestFrameMs)} | ${f.texts} | ${f.found ?? 'n/a'} | ` +
        `${f.created} | ${f.held ?? 'n/a'} | ${ms(f.firstIconAt)} | ${f.viewportRows} | ${f.viewportIcons} | ${ms(f.viewportAt)} | ` +
        `${ms(f.viewportAfterDcl)} | ${ms(f.scriptUntilViewport)} | ${ms(allAt)} | ${run.icons} / ${wanted} |`,
    );
  });
  const m = (key) => ms(median(firsts.map((f) => f[key])));
  console.log(
    `| median | ${m('start')} | ${m('wall')} | ${m('busyMs')} | ${m('slices')} | ${m('longestSliceMs')} | ` +
      `${m('batches')} | ${m('longestFrameMs')} | ${m('texts')} | ${m('found')} | ${m('created')} | ${m('held')} | ` +
      `${m('firstIconAt')} | ${m('viewportRows')} | ${m('viewportIcons')} | ${m('viewportAt')} | ` +
      `${m('viewportAfterDcl')} | ${m('scriptUntilViewport')} | ${m('allAt')} | |`,
  );
  console.log(
    '\nTimes in ms from navigation start. "First viewport": the table rows inside the viewport (1280×720) ' +
      'once the page settled, their icons (checked against the contacts each row holds), and when the last ' +
      "of those went in, also counted from the page's DOMContentLoaded (the content script starts its first " +
      'scan there), with the script time of every scan slice that started by then. "Held back": matches, ' +
      'and chunks of rows not walked yet, left for when they come near the viewport. "Matches found" ' +
      'counts a match again when the scan met it twice (the dynamic rows land during the scan).',
  );

  console.log('\n## (c) Main-thread blocking while loading: long tasks and long animation frames (> 50 ms)\n');
  console.log('| variant | kind | count | total ms | longest ms | after the page rendered: count | total ms | blocking ms | longest ms |');
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

  if (scroll) {
    console.log('\n## (d) Scroll-through: one viewport height at a time to the bottom, waiting for idle after each step\n');
    console.log(
      '| variant | steps | seconds | icons after / expected | icon scans | ' +
        'long animation frames | total ms | blocking ms | longest ms |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const [name, results, ext] of [
      ['without extension', without, false],
      ['with extension', withExt, true],
    ]) {
      const f = results.map((r) => {
        const frames = r.longFramesAll ? r.longFramesAll.filter((t) => t.start >= r.scrollStart && t.start < r.scrollEnd) : null;
        return {
          steps: r.steps,
          seconds: (r.scrollEnd - r.scrollStart) / 1000,
          icons: r.iconsAfterScroll,
          scans: r.scansAfterScroll - r.scans.length,
          count: frames?.length,
          total: frames?.reduce((a, t) => a + t.duration, 0),
          blocking: frames?.reduce((a, t) => a + t.blocking, 0),
          max: frames ? Math.max(0, ...frames.map((t) => t.duration)) : NaN,
        };
      });
      const med = (k) => ms(median(f.map((x) => x[k])));
      const wanted = results[0].expected.emails + results[0].expected.phones;
      console.log(
        `| ${name} | ${med('steps')} | ${ms(median(f.map((x) => x.seconds)))} | ` +
          `${ext ? `${med('icons')} / ${wanted}` : ''} | ${ext ? med('scans') : ''} | ` +
          `${med('count')} | ${med('total')} | ${med('blocking')} | ${med('max')} |`,
      );
      if (ext) {
        results.forEach((r, i) => {
          if (r.iconsAfterScroll !== wanted) wrong.push(`run ${i + 1}: ${r.iconsAfterScroll} icons after the scroll-through`);
          if (incompleteRows(r.viewportAfterScroll).length)
            wrong.push(`run ${i + 1}: rows of the first viewport without all their icons after the scroll-through`);
        });
      }
    }
    console.log(
      '\n"Icons after": every icon in the page after the scroll-through and opening the collapsed ' +
        '"Escalation contacts" section (then back at the top, every row of the first viewport is checked ' +
        'again); "icon scans": the content script\'s scans meanwhile (each inserting the icons that came near ' +
        'the viewport); long animation frames: those of the scrolling, not of the section opening.',
    );
  } else {
    withExt.forEach((r, i) => {
      const wanted = r.expected.emails + r.expected.phones;
      if (r.icons > wanted) wrong.push(`run ${i + 1}: ${r.icons} icons, more than the ${wanted} announced`);
    });
  }
  if (wrong.length) {
    console.log(`\nWARNING: ${wrong.join('; ')}.`);
    process.exitCode = 1;
  }
} finally {
  await site.close();
}
