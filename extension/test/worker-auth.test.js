// Token refresh and sign-out of the worker's auth module, with fake storage and a fake Keycloak.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { fakeStorageArea } from "./fakes.js";

const session = fakeStorageArea();
globalThis.chrome = { storage: { session } };

const requests = [];
let keycloak;
globalThis.fetch = async (url, init) => {
  requests.push({ url, form: Object.fromEntries(new URLSearchParams(init.body)) });
  return keycloak(url, init);
};

const { accessToken, currentSession, signOut } = await import("../src/background/auth.js");

const jwt = (claims) => `h.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.s`;
const json = (status, body) => new Response(JSON.stringify(body), { status });

function signedIn(expiresInMs) {
  session.data.auth = {
    accessToken: "old-access",
    refreshToken: "old-refresh",
    expiresAt: Date.now() + expiresInMs,
    tokenUrl: "http://kc/realms/vclick/protocol/openid-connect/token",
    logoutUrl: "http://kc/realms/vclick/protocol/openid-connect/logout",
    clientId: "vclick-extension",
    user: { id: "u1", username: "bob", displayName: "Bob Baker", email: "bob@acme-bank.example" },
  };
}

beforeEach(() => {
  session.clear();
  requests.length = 0;
  keycloak = () => json(500, {});
});

test("a token valid for more than a minute is used as it is", async () => {
  signedIn(5 * 60_000);
  assert.equal(await accessToken(), "old-access");
  assert.equal(requests.length, 0);
});

test("a token about to expire is refreshed once, even for concurrent callers", async () => {
  signedIn(30_000);
  const fresh = jwt({
    sub: "u1",
    preferred_username: "bob",
    name: "Bob Baker",
    email: "Bob@Acme-Bank.example",
  });
  keycloak = () => json(200, { access_token: fresh, refresh_token: "new-refresh", expires_in: 300 });
  const [a, b] = await Promise.all([accessToken(), accessToken()]);
  assert.equal(a, fresh);
  assert.equal(b, fresh);
  assert.equal(requests.length, 1, "one refresh");
  assert.deepEqual(requests[0].form, {
    grant_type: "refresh_token",
    refresh_token: "old-refresh",
    client_id: "vclick-extension",
  });
  const stored = await currentSession();
  assert.equal(stored.refreshToken, "new-refresh");
  assert.equal(stored.user.email, "bob@acme-bank.example");
  assert.ok(stored.expiresAt > Date.now() + 250_000);
});

test("a refused refresh (session ended in Keycloak) signs out", async () => {
  signedIn(1_000);
  keycloak = () => json(400, { error: "invalid_grant", error_description: "Session not active" });
  assert.equal(await accessToken(), null);
  assert.equal(await currentSession(), null);
});

test("Keycloak unreachable: the session is kept, the caller learns why", async () => {
  signedIn(1_000);
  keycloak = () => {
    throw new TypeError("fetch failed");
  };
  await assert.rejects(accessToken(), (e) => e.code === "unreachable");
  assert.notEqual(await currentSession(), null, "a network blip does not sign out");
});

test("sign-out forgets the tokens and ends the Keycloak session", async () => {
  signedIn(5 * 60_000);
  keycloak = () => new Response(null, { status: 204 });
  await signOut();
  assert.equal(await currentSession(), null);
  assert.equal(requests[0].url, "http://kc/realms/vclick/protocol/openid-connect/logout");
  assert.deepEqual(requests[0].form, { client_id: "vclick-extension", refresh_token: "old-refresh" });
});
