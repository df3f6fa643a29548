// Relay credentials from the app (POST /api/turn/credentials) and two Chromiums that can only talk
// through coturn with them (iceTransportPolicy 'relay'); forged and expired credentials are refused.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { closeAll, firstPage, logPageErrors, openContext } from '../lib/browser.js';
import { USERS, turnPort, turnSecret, vclickUrl } from '../lib/env.js';
import { jwtClaims, login } from '../lib/keycloak.js';
import { forgeCredential, mintTurnCredential, parseTurnUsername, turnPassword, turnUris } from '../lib/turn.js';
import { closePeers, connectPeers, gatherCandidates, installHarness, selectedPair, sendAndReceive } from '../lib/webrtc.js';

const APP = vclickUrl();
const ENDPOINT = `${APP}/api/turn/credentials`;
const SECRET = turnSecret();
const PORT = turnPort();
const TTL = 600;

after(closeAll);

/** POST /api/turn/credentials with an optional bearer token; returns the fetch Response. */
function requestCredentials(token) {
  return fetch(ENDPOINT, {
    method: 'POST',
    headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
}

async function credentialsOf(token) {
  const response = await requestCredentials(token);
  assert.equal(response.status, 200, `POST /api/turn/credentials answered ${response.status}`);
  return response.json();
}

/** RTCConfiguration that can only use the relay. */
const relayOnly = ({ uris, username, credential }) => ({
  iceServers: [{ urls: uris, username, credential }],
  iceTransportPolicy: 'relay',
});

describe('TURN credentials endpoint', () => {
  let alice;
  before(async () => {
    alice = await login(USERS.alice.username, USERS.alice.password);
  });

  test('issues credentials coturn accepts: <expiry>:<subject>, HMAC-SHA1 of the shared secret, 10 minutes', async () => {
    const sentAt = Math.floor(Date.now() / 1000);
    const response = await requestCredentials(alice);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.match(response.headers.get('cache-control') ?? '', /no-store/, 'credentials are never cached');
    const body = await response.json();
    const answeredAt = Math.ceil(Date.now() / 1000);

    assert.deepEqual(Object.keys(body).sort(), ['credential', 'expiresAt', 'ttlSeconds', 'uris', 'username']);
    const { expiry, user } = parseTurnUsername(body.username);
    assert.equal(user, jwtClaims(alice).sub, "the user part is alice's stable subject id");
    assert.equal(body.ttlSeconds, TTL);
    assert.ok(expiry >= sentAt + TTL && expiry <= answeredAt + TTL, `expiry ${expiry} is ${TTL} s after the request`);
    assert.ok(expiry - answeredAt <= 10 * 60, 'expires at most 10 minutes ahead');
    assert.equal(Date.parse(body.expiresAt), expiry * 1000, 'expiresAt is the expiry of the username');
    assert.match(body.expiresAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, 'expiresAt is ISO-8601 UTC');
    assert.equal(body.credential, turnPassword(SECRET, body.username), 'credential = base64(HMAC-SHA1(secret, username))');
    assert.deepEqual(body.uris, turnUris(PORT));
  });

  test('without a token: 401', async () => {
    const response = await requestCredentials();
    assert.equal(response.status, 401);
    const text = await response.text();
    assert.ok(!text.includes('credential"'), 'no credential in the refusal');
  });

  test('with a forged token: 401', async () => {
    const [h, p, s] = alice.split('.');
    const flipped = (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    const response = await requestCredentials(`${h}.${p}.${flipped}`);
    assert.equal(response.status, 401);
  });

  test('eve, who is no caller: 403', async () => {
    const eve = await login(USERS.eve.username, USERS.eve.password);
    const response = await requestCredentials(eve);
    assert.equal(response.status, 403);
  });
});

describe('calls through the TURN relay', () => {
  let a;
  let b;
  before(async () => {
    const contexts = await Promise.all([openContext(), openContext()]);
    [a, b] = await Promise.all(contexts.map((c) => firstPage(c)));
    logPageErrors(a, 'a');
    logPageErrors(b, 'b');
    // Any page of the app will do: the peer connections run in the app's origin.
    await Promise.all([a.goto(`${APP}/`), b.goto(`${APP}/`)]);
    await Promise.all([installHarness(a), installHarness(b)]);
  });
  after(async () => {
    await Promise.all([a && closePeers(a), b && closePeers(b)]);
  });

  test('alice and bob connect relay to relay with the credentials the app issued', async () => {
    const [aliceToken, bobToken] = await Promise.all([
      login(USERS.alice.username, USERS.alice.password),
      login(USERS.bob.username, USERS.bob.password),
    ]);
    const [aliceTurn, bobTurn] = await Promise.all([credentialsOf(aliceToken), credentialsOf(bobToken)]);

    const { aId, bId } = await connectPeers({ page: a, config: relayOnly(aliceTurn) }, { page: b, config: relayOnly(bobTurn) });

    assert.ok((await sendAndReceive(a, aId, b, bId, 'hello bob, alice here')).includes('hello bob, alice here'));
    assert.ok((await sendAndReceive(b, bId, a, aId, 'hello alice, bob here')).includes('hello alice, bob here'));

    for (const [side, page, id] of [
      ['a', a, aId],
      ['b', b, bId],
    ]) {
      const pair = await selectedPair(page, id);
      assert.ok(pair, `${side}: a candidate pair is selected`);
      assert.equal(pair.state, 'succeeded', `${side}: selected pair succeeded`);
      assert.equal(pair.local.candidateType, 'relay', `${side}: local candidate is a relay (${JSON.stringify(pair.local)})`);
      assert.equal(pair.remote.candidateType, 'relay', `${side}: remote candidate is a relay (${JSON.stringify(pair.remote)})`);
      assert.equal(pair.local.address, '127.0.0.1', `${side}: relayed by the coturn on 127.0.0.1`);
      assert.ok(turnUris(PORT).includes(pair.local.url), `${side}: through ${pair.local.url}`);
    }
  });

  /**
   * Gathers with `refused` and asserts coturn said 401 and no relay candidate came; a control run
   * with a valid credential first shows the same page CAN gather a relay candidate.
   */
  async function assertRefused(refused) {
    const valid = mintTurnCredential({ secret: SECRET, user: 'e2e-control' });
    const control = await gatherCandidates(a, relayOnly({ uris: turnUris(PORT), ...valid }));
    assert.ok(
      control.candidates.some((c) => c.type === 'relay'),
      `control: a valid credential gathers a relay candidate (${JSON.stringify(control)})`,
    );

    const result = await gatherCandidates(a, relayOnly({ uris: turnUris(PORT), ...refused }));
    assert.deepEqual(
      result.candidates.filter((c) => c.type === 'relay'),
      [],
      'no relay candidate with a refused credential',
    );
    const unauthorized = result.errors.filter((e) => e.errorCode === 401);
    assert.ok(unauthorized.length > 0, `coturn answered 401 (errors: ${JSON.stringify(result.errors)})`);
    assert.ok(
      unauthorized.every((e) => turnUris(PORT).includes(e.url)),
      'the 401s come from the vclick coturn',
    );
  }

  test('a forged credential (one byte of the HMAC flipped) is refused with 401', async () => {
    const genuine = mintTurnCredential({ secret: SECRET, user: 'e2e-forged' });
    await assertRefused({ username: genuine.username, credential: forgeCredential(genuine.credential) });
  });

  test('an expired credential, correctly signed, is refused with 401', async () => {
    const expired = mintTurnCredential({ secret: SECRET, user: 'e2e-expired', ttlSeconds: -60 });
    assert.ok(expired.expiry < Date.now() / 1000);
    await assertRefused(expired);
  });
});
