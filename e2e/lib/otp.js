// One-time codes (TOTP, RFC 6238) of the demo users who hold a privileged role (DEMO ONLY: their
// secrets are public, keycloak-realm/demo-otp.mjs). The realm does not accept a code twice
// (otpPolicyCodeReusable false) and accepts the codes of one period either side of now
// (otpPolicyLookAheadWindow 1), so a sign-in takes a code no earlier sign-in took: the codes taken
// are remembered in a file per Keycloak and user, shared with the Java test kit (testkit OtpCodes)
// and every other test process on this machine, under a lock.

import { createHmac } from 'node:crypto';
import { mkdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { DEMO_OTP_USERS, OTP_POLICY, demoOtpSecret } from '../../keycloak-realm/demo-otp.mjs';

const PERIOD_MS = OTP_POLICY.period * 1000;
const LOCK_STALE_MS = 10_000;

/** The RFC 6238 code of `secret` (a Buffer, the HMAC key) for time step `step`. */
export function totp(secret, step, digits = OTP_POLICY.digits) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** True when `username` is a demo user with an OTP device (a privileged role). */
export const hasDemoOtp = (username) => DEMO_OTP_USERS.includes(username);

/** A demo user's code for time step `step` (Unix time / period). */
export const demoCode = (username, step) => totp(Buffer.from(demoOtpSecret(username), 'utf8'), step);

const currentStep = () => Math.floor(Date.now() / PERIOD_MS);

async function withLock(file, action) {
  const lock = `${file}.lock`;
  const deadline = Date.now() + 3 * LOCK_STALE_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      try {
        if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) rmdirSync(lock); // its holder died
      } catch {
        // released meanwhile
      }
      if (Date.now() > deadline) throw new Error(`the one-time-code lock ${lock} is still held`);
      await delay(50);
    }
  }
  try {
    return await action();
  } finally {
    rmdirSync(lock);
  }
}

/**
 * A code of demo user `username` that Keycloak at `keycloakBase` accepts and no sign-in took yet;
 * waits for the next period when the acceptable ones are taken.
 */
export async function nextDemoCode(keycloakBase, username) {
  if (!hasDemoOtp(username)) throw new Error(`${username} has no demo OTP device`);
  const dir = join(tmpdir(), 'vclick-otp');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${keycloakBase.replace(/[^A-Za-z0-9]+/g, '-')}-${username}`);
  for (;;) {
    const step = await withLock(file, () => takeStep(file));
    if (step !== undefined) return demoCode(username, step);
    await delay((currentStep() + 1) * PERIOD_MS - Date.now() + 50); // the next period brings a new code
  }
}

/** Takes (and records in `file`) a step Keycloak accepts now that nobody took, if any. */
function takeStep(file) {
  const now = currentStep();
  let taken = [];
  try {
    taken = readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    // no code taken yet
  }
  // The previous period's code only while it has long enough to reach Keycloak.
  const previousStillGood = (now + 1) * PERIOD_MS - Date.now() > PERIOD_MS / 3;
  const candidates = previousStillGood ? [now, now + 1, now - 1] : [now, now + 1];
  const free = candidates.find((step) => !taken.includes(step));
  if (free !== undefined) writeFileSync(file, `${[...taken.filter((s) => s >= now - 1), free].join('\n')}\n`);
  return free;
}
