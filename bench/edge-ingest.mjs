#!/usr/bin/env node
// Does one user's heavy connection reporting stall everyone else's? (issue 15, "global lock in
// connection ingest"). A benchmark, not a test: it needs a running server (VCLICK_URL, KEYCLOAK_URL
// on 127.0.0.1) and prints figures.
//
//   node bench/edge-ingest.mjs [--page-size 1000] [--heavy 2] [--light 4] [--duration 15]
//
// Carol keeps one page with `page-size` open connections (seeded first, 50 a request): every
// report on it regroups the whole page, the most work one report can make. During `duration`
// seconds, `heavy` clients report on that page back to back (a `closed` of one of its connections
// each time, which regroups it), while `light` clients (alice, bob, dave, round-robin; plain callers, no second factor) report
// the three events of a new connection on a page of their own, back to back. Printed: each kind's
// requests, req/s and latency percentiles. With one lock for every report the light clients wait
// behind the heavy ones; with locks per page they do not. Exit status 1 when any answer was not 200.

import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { login } from '../e2e/lib/keycloak.js';
import { USERS } from '../e2e/lib/env.js';
import { percentile } from './figures.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const PAGE_SIZE = Number(args['page-size'] ?? 1000);
const HEAVY = Number(args.heavy ?? 2);
const LIGHT = Number(args.light ?? 4);
const DURATION_MS = Number(args.duration ?? 15) * 1000;
const url = process.env.VCLICK_URL;
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url ?? '')) {
  console.error('VCLICK_URL must be http://127.0.0.1:PORT');
  process.exit(2);
}
const ORIGIN = `https://bench-${randomUUID().slice(0, 8)}.example`;
let failures = 0;

async function report(token, events) {
  const started = performance.now();
  const response = await fetch(`${url}/api/edge/connections`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
  await response.arrayBuffer();
  if (response.status !== 200) failures++;
  return performance.now() - started;
}

const event = (kind, connectionId, pageId, extra = {}) => ({
  connectionId,
  pageId,
  origin: ORIGIN,
  event: kind,
  at: new Date().toISOString(),
  ...extra,
});

const fingerprint = () =>
  `sha-256 ${Array.from({ length: 32 }, () =>
    Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, '0')
      .toUpperCase(),
  ).join(':')}`;

async function main() {
  const tokens = {};
  for (const name of ['carol', 'alice', 'bob', 'dave']) tokens[name] = await login(name, USERS[name].password);

  const bigPage = randomUUID();
  const open = [];
  for (let seeded = 0; seeded < PAGE_SIZE; seeded += 50) {
    const batch = Array.from({ length: Math.min(50, PAGE_SIZE - seeded) }, () => {
      const id = randomUUID();
      open.push(id);
      return event('created', id, bigPage);
    });
    await report(tokens.carol, batch);
  }

  const deadline = performance.now() + DURATION_MS;
  const heavy = [];
  const light = [];
  const heavyClient = async () => {
    while (performance.now() < deadline && open.length) {
      heavy.push(
        await report(tokens.carol, [event('closed', open.pop(), bigPage, { bytesSent: 1, bytesReceived: 1, endReason: 'closed-by-page' })]),
      );
    }
  };
  const lightUsers = ['alice', 'bob', 'dave'];
  const lightClient = async (i) => {
    const token = tokens[lightUsers[i % lightUsers.length]];
    while (performance.now() < deadline) {
      const id = randomUUID();
      const page = randomUUID();
      light.push(
        await report(token, [
          event('created', id, page),
          event('connected', id, page, {
            localFingerprint: fingerprint(),
            remoteFingerprint: fingerprint(),
            localCandidateType: 'relay',
            remoteCandidateType: 'relay',
            protocol: 'udp',
          }),
          event('closed', id, page, { bytesSent: 10, bytesReceived: 10, endReason: 'closed-by-page' }),
        ]),
      );
    }
  };
  await Promise.all([...Array.from({ length: HEAVY }, heavyClient), ...Array.from({ length: LIGHT }, (_, i) => lightClient(i))]);

  const row = (name, xs) =>
    `| ${name} | ${xs.length} | ${(xs.length / (DURATION_MS / 1000)).toFixed(1)} | ${percentile(xs, 50).toFixed(1)} | ${percentile(xs, 90).toFixed(1)} | ${percentile(xs, 99).toFixed(1)} | ${Math.max(...xs).toFixed(1)} |`;
  console.log(`machine: ${os.cpus().length} CPUs, ${os.cpus()[0]?.model}; node ${process.version}`);
  console.log(`page of ${PAGE_SIZE} open connections; ${HEAVY} heavy and ${LIGHT} light clients for ${DURATION_MS / 1000} s\n`);
  console.log('| clients | requests | req/s | p50 ms | p90 ms | p99 ms | max ms |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  console.log(row(`heavy (carol's page of ${PAGE_SIZE})`, heavy));
  console.log(row('light (own pages)', light));
  if (failures) console.log(`\n${failures} answer(s) were not 200`);
  process.exit(failures ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
