// A real Kurento Media Server (../shared/tools/kurento/kms.sh) inside the lab's border namespace,
// as the recording media server instead of Janus: its only ICE address the lab's outside address
// (like the lab's Janus), its control WebSocket on 127.0.0.1:<port> inside border and, through the
// lab's reverse forwarder, on 127.0.0.1:<port> of the root namespace where the e2e Payara (started
// with vclick.media.server=kurento by ./vclick test) reaches it.
//
// One KMS per state folder; a KMS a crashed run left in that folder is stopped before a new start.

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { JANUS_LAB } from './netns.js';
import { assertNoForeignSecrets, withoutSecrets } from './secrets.js';

const run = promisify(execFile);
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The KMS tool beside the project (CI lays ../shared beside the clone). */
export const KMS_TOOL = resolve(REPO, '..', 'shared', 'tools', 'kurento', 'kms.sh');

/** Which media server the recording specs run against: VCLICK_E2E_MEDIA_SERVER (janus, kurento). */
export const labMediaServer = () => process.env.VCLICK_E2E_MEDIA_SERVER || 'janus';

/** The lab KMS's control port: VCLICK_MEDIA_LAB_PORT (the same root port the lab's Janus uses). */
const kmsPort = () => Number(process.env.VCLICK_MEDIA_LAB_PORT || JANUS_LAB.port);

/**
 * Starts KMS in `lab`'s border namespace. `state` is its folder (kms.sh's --state), `recordings`
 * the folder it records into (created; the e2e Payara's vclick.media.kurento.recordings-dir).
 * Resolves to { url, address, port, recordings, stop() }.
 */
export async function startLabKurento(lab, { state, recordings, rtpPorts = '41100-41199', timeout = 120_000 }) {
  if (!existsSync(KMS_TOOL)) throw new Error(`${KMS_TOOL} is missing: the Kurento recording specs cannot run`);
  const port = kmsPort();
  await stopKms(state);
  mkdirSync(recordings, { recursive: true });
  const [min, max] = rtpPorts.split('-');
  await lab.exec(
    'border',
    'bash',
    [
      KMS_TOOL,
      'start',
      '--state',
      state,
      '--port',
      String(port),
      '--address',
      '127.0.0.1',
      '--interfaces',
      JANUS_LAB.iface,
      '--min-port',
      min,
      '--max-port',
      max,
    ],
    { timeout },
  );
  assertNoForeignSecrets(Number(readFileSync(join(state, 'kms.pid'), 'utf8')), "the lab's KMS");
  const forward = await lab.forwardIntoNamespace('border', port);
  let stopped = false;
  return {
    url: `ws://127.0.0.1:${port}/kurento`,
    address: JANUS_LAB.address,
    port,
    recordings,
    log: join(state, 'kms.log'),
    async stop() {
      if (stopped) return;
      stopped = true;
      await forward.close().catch(() => {});
      await stopKms(state);
    },
  };
}

/** Stops the KMS of `state` (kms.sh stop ends exactly its pid), if any. */
async function stopKms(state) {
  if (!existsSync(join(state, 'kms.pid'))) return;
  await run('bash', [KMS_TOOL, 'stop', '--state', state], { timeout: 20_000, env: withoutSecrets() }).catch(() => {});
}
