// Debian Chromium driven by playwright-core (never `npx playwright install`: the system browser is
// the one under test). Every context gets its own browser process and a fresh temporary profile,
// removed when the context closes.

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { withoutSecrets } from './secrets.js';

/** The real binary: /usr/bin/chromium is a shell wrapper that adds flags and prints errors. */
export const CHROMIUM = process.env.VCLICK_CHROMIUM || '/usr/lib/chromium/chromium';

// Chromium keeps only the LAST --disable-features switch, and Playwright passes its own list
// before ours: so ours repeats Playwright's defaults (playwright-core 1.65, chromiumSwitches.ts)
// and adds what the tests need.
const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
];
const VCLICK_DISABLED_FEATURES = [
  // Real host candidates instead of <uuid>.local names.
  'WebRtcHideLocalIpsWithMdns',
  'Translate',
];
export const DISABLED_FEATURES = [...new Set([...PLAYWRIGHT_DISABLED_FEATURES, ...VCLICK_DISABLED_FEATURES])];

const LOOPBACK_CANDIDATES = '--allow-loopback-in-peer-connection';

/** The switches every test browser gets (see design/FINDINGS.md, "Browser side"). */
export function chromiumArgs(extra = []) {
  const extraFeatures = extra.filter((a) => a.startsWith('--disable-features='));
  const features = [...DISABLED_FEATURES, ...extraFeatures.flatMap((a) => a.slice('--disable-features='.length).split(','))].filter(
    Boolean,
  );
  return [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    '--autoplay-policy=no-user-gesture-required',
    // Chromium only offers 127.0.0.1 candidates with this (all our services are on loopback).
    LOOPBACK_CANDIDATES,
    `--disable-features=${[...new Set(features)].join(',')}`,
    ...extra.filter((a) => !a.startsWith('--disable-features=')),
  ];
}

const open = new Set();

/**
 * A new browser context in its own Chromium with a fresh profile.
 *
 * @param {object} [options]
 * @param {string} [options.extension] folder of an unpacked extension to load
 * @param {string[]} [options.args] more Chromium switches (a --disable-features is merged)
 * @param {object} [options.contextOptions] more launchPersistentContext options (viewport, ...)
 * @param {string} [options.executablePath] what Playwright starts instead of CHROMIUM: a wrapper
 *   that ends in `exec CHROMIUM "$@"` (e.g. inside a network namespace, lib/netns.js)
 * @param {boolean} [options.loopbackCandidates] default true: offer 127.0.0.1 candidates (all our
 *   services are on loopback); false for a browser that has a network of its own (lib/netns.js)
 * @returns {Promise<import('playwright-core').BrowserContext>} close() also removes the profile
 */
export async function openContext({
  extension,
  args = [],
  contextOptions = {},
  executablePath = CHROMIUM,
  loopbackCandidates = true,
} = {}) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium, or set VCLICK_CHROMIUM)`);
  }
  if (!existsSync(executablePath)) throw new Error(`no executable at ${executablePath}`);
  const extra = [...args];
  const ignoreDefaultArgs = [];
  if (extension) {
    const dir = resolve(extension);
    if (!existsSync(join(dir, 'manifest.json'))) throw new Error(`no manifest.json in ${dir}`);
    // Playwright passes --disable-extensions by default.
    ignoreDefaultArgs.push('--disable-extensions');
    extra.push(`--disable-extensions-except=${dir}`, `--load-extension=${dir}`);
  }
  const profile = await mkdtemp(join(tmpdir(), 'vclick-e2e-profile-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: chromiumArgs(extra).filter((a) => loopbackCandidates || a !== LOOPBACK_CANDIDATES),
      ignoreDefaultArgs,
      timeout: 30_000,
      env: withoutSecrets(), // web content runs in it: none of the run's secrets
      ...contextOptions,
    });
  } catch (e) {
    await rm(profile, { recursive: true, force: true });
    throw e;
  }
  const close = context.close.bind(context);
  let closing;
  context.close = (opts) => {
    closing ??= (async () => {
      open.delete(context);
      try {
        await close(opts);
      } finally {
        await rm(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
      }
    })();
    return closing;
  };
  open.add(context);
  return context;
}

/** The page of a fresh persistent context (it always opens one). */
export async function firstPage(context) {
  return context.pages()[0] ?? (await context.newPage());
}

/** Closes every context still open (for an `after` hook). */
export async function closeAll() {
  await Promise.allSettled([...open].map((c) => c.close()));
}

/** Forwards the page's console errors and uncaught exceptions to the test output. */
export function logPageErrors(page, label = 'page') {
  page.on('pageerror', (e) => console.error(`[${label}] uncaught: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const where = m.location()?.url;
    console.error(`[${label}] console.error: ${m.text()}${where ? ` (${where})` : ''}`);
  });
}
