// The Secure Edge policy through the API (web/EDGE-API.md), as frank (edge-admin): read it, replace
// it, put the shipped one back; and authenticated calls of the edge API as any demo user.

import { USERS, vclickUrl } from './env.js';
import { login } from './keycloak.js';

/** The default settings (and the shipped default rule) of a fresh server. */
export const DEFAULT_SETTINGS = Object.freeze({
  candidateFilter: 'relay-only',
  fakeLocalIp: '192.0.2.1',
  allowedLocalRanges: [],
  blockCamera: false,
  blockMicrophone: false,
  blockScreenCapture: false,
  blockDataChannels: false,
});

/** The policy a fresh server runs (version 0): no rules, default relay with relay-only. */
export const SHIPPED_DEFAULT = Object.freeze({ decision: 'relay', settings: DEFAULT_SETTINGS });

/** Calls the API as `user`; returns { status, json, text, headers }. */
export async function apiAs(user, method, path, body, { accept = 'application/json' } = {}) {
  const token = await login(user.username, user.password);
  const response = await fetch(`${vclickUrl()}/api/${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      accept,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // CSV or an empty body
  }
  return { status: response.status, json, text, headers: response.headers };
}

/** GET or PUT /api/edge/policy as frank; returns the document. */
export async function policy(method = 'GET', body) {
  const { status, json } = await apiAs(USERS.frank, method, 'edge/policy', body);
  if (status !== 200) throw new Error(`${method} /api/edge/policy: HTTP ${status} ${json?.detail ?? ''}`);
  return json;
}

/** Replaces the rules and default of the stored policy (whatever its version). */
export async function setPolicy({ rules = [], defaultRule = SHIPPED_DEFAULT } = {}) {
  const current = await policy();
  return policy('PUT', { version: current.version, default: defaultRule, rules });
}

const isShipped = (doc) => doc.rules.length === 0 && JSON.stringify(doc.default) === JSON.stringify(SHIPPED_DEFAULT);

/** Puts the shipped policy back on top of whatever version is stored (no change when it is in force). */
export async function restoreShippedPolicy() {
  const current = await policy();
  if (!isShipped(current)) await policy('PUT', { version: current.version, default: SHIPPED_DEFAULT, rules: [] });
}

/** A rule for `origins` with `decision` and settings on top of the defaults. */
export function rule(id, origins, decision, settings = {}, extra = {}) {
  return { id, name: id, enabled: true, origins, decision, settings: { ...DEFAULT_SETTINGS, ...settings }, ...extra };
}
