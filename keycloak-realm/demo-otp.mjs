// DEMO ONLY: the one-time-code (TOTP) devices of the demo users who hold a privileged role. Their
// secrets are public (they are in this repository, like the demo passwords) and exist for local runs
// and tests only. vclick-realm.json holds no credential but the demo passwords: scripts/keycloak.sh
// imports the realm file with these devices added (`node demo-otp.mjs IN OUT`), the test kit
// (testkit DemoUsers, e2e/lib/otp.js) computes their codes, and ./vclick run's banner prints them
// for an authenticator app (`node demo-otp.mjs --uris`). A real deployment imports neither the demo
// users nor these: its privileged users set up their own device at first sign-in (CONFIGURE_TOTP).

import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The demo users whose roles include requires-otp (recording-reviewer, edge-admin). */
export const DEMO_OTP_USERS = Object.freeze(['erin', 'frank']);

/** The realm's OTP policy (vclick-realm.json otpPolicy*), which the devices follow. */
export const OTP_POLICY = Object.freeze({ algorithm: 'HmacSHA1', digits: 6, period: 30 });

/** A demo user's TOTP secret: Keycloak keys the HMAC with these bytes (UTF-8) as they are. */
export const demoOtpSecret = (username) => `${username}-demo-otp-secret`;

/** RFC 4648 base32 without padding, as authenticator apps read secrets. */
export function base32(bytes) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

/** The otpauth:// URI of a demo user's device (what Keycloak's QR code holds). */
export function demoOtpUri(username, realmName = 'vclick') {
  const secret = base32(Buffer.from(demoOtpSecret(username), 'utf8'));
  const label = encodeURIComponent(`${realmName}:${username}`);
  return `otpauth://totp/${label}?secret=${secret}&digits=${OTP_POLICY.digits}&algorithm=SHA1&issuer=${encodeURIComponent(realmName)}&period=${OTP_POLICY.period}`;
}

/** The realm representation with each demo OTP user's device added to their credentials. */
export function withDemoOtp(realm) {
  const copy = structuredClone(realm);
  for (const username of DEMO_OTP_USERS) {
    const user = copy.users?.find((u) => u.username === username);
    if (!user) throw new Error(`demo OTP user ${username} is not in the realm file`);
    user.credentials = [
      ...(user.credentials ?? []),
      {
        type: 'otp',
        userLabel: 'DEMO authenticator (public secret, keycloak-realm/demo-otp.mjs)',
        secretData: JSON.stringify({ value: demoOtpSecret(username) }),
        credentialData: JSON.stringify({
          subType: 'totp',
          digits: OTP_POLICY.digits,
          counter: 0,
          period: OTP_POLICY.period,
          algorithm: OTP_POLICY.algorithm,
        }),
      },
    ];
  }
  return copy;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const [first, second] = process.argv.slice(2);
  if (first === '--uris') {
    for (const username of DEMO_OTP_USERS) console.log(`${username}  ${demoOtpUri(username)}`);
  } else if (first && second) {
    writeFileSync(second, `${JSON.stringify(withDemoOtp(JSON.parse(readFileSync(first, 'utf8'))), null, 2)}\n`, { mode: 0o600 });
  } else {
    console.error('usage: node demo-otp.mjs REALM.json OUT.json | --uris');
    process.exit(2);
  }
}
