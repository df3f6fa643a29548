// The environment the specs run against. `./vclick test` sets all of it; when running the specs
// by hand, export the same variables (see README.md).

const HELP = {
  VCLICK_URL: 'base URL of the vclick app, e.g. http://127.0.0.1:18080',
  KEYCLOAK_URL: 'base URL of Keycloak, e.g. http://127.0.0.1:18180',
  VCLICK_TURN_SECRET: 'the static-auth-secret coturn was started with',
  TURN_PORT: 'the port coturn listens on, e.g. 13478',
};

/** The value of a required environment variable; throws a clear error when it is missing. */
export function requireEnv(name) {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    const what = HELP[name] ? ` (${HELP[name]})` : '';
    throw new Error(
      `environment variable ${name} is not set${what}: run the specs through ./vclick test, ` + 'or export it yourself (see e2e/README.md)',
    );
  }
  return value.trim();
}

function url(name) {
  const value = requireEnv(name).replace(/\/+$/, '');
  try {
    new URL(value);
  } catch {
    throw new Error(`${name} is not a URL: '${value}'`);
  }
  return value;
}

/** Base URL of the app, without a trailing slash. */
export const vclickUrl = () => url('VCLICK_URL');

/** Base URL of Keycloak, without a trailing slash. */
export const keycloakUrl = () => url('KEYCLOAK_URL');

/** coturn's static-auth-secret. */
export const turnSecret = () => requireEnv('VCLICK_TURN_SECRET');

/** coturn's listening port (on 127.0.0.1). */
export function turnPort() {
  const port = Number(requireEnv('TURN_PORT'));
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`TURN_PORT is not a port number: '${process.env.TURN_PORT}'`);
  }
  return port;
}

/** Keycloak realm and client of the web app. */
export const REALM = 'vclick';
export const WEB_CLIENT = 'vclick-web';

/**
 * Demo users of keycloak-realm/vclick-realm.json. eve has no roles; the others are callers; frank is
 * edge-admin; erin is recording-reviewer; alice is regulated.
 */
export const USERS = {
  alice: { username: 'alice', password: 'alice-Demo-1234', email: 'alice@acme-bank.example', name: 'Alice Archer' },
  bob: { username: 'bob', password: 'bob-Demo-1234', email: 'bob@acme-bank.example', name: 'Bob Baker' },
  carol: { username: 'carol', password: 'carol-Demo-1234', email: 'carol@acme-bank.example', name: 'Carol Chen' },
  dave: { username: 'dave', password: 'dave-Demo-1234', email: 'dave@acme-bank.example', name: 'Dave Dlamini' },
  frank: { username: 'frank', password: 'frank-Demo-1234', email: 'frank@acme-bank.example', name: 'Frank Fischer' },
  erin: { username: 'erin', password: 'erin-Demo-1234', email: 'erin@acme-bank.example', name: 'Erin Evans' },
  eve: { username: 'eve', password: 'eve-Demo-1234', email: 'eve@acme-bank.example', name: 'Eve Ellis' },
};
