// The Vclick server as the worker sees it: its public client configuration (identity provider,
// client id, telephony gateways) and authenticated JSON calls to its REST API.
import { loadSettings } from "../shared/settings.js";

const CONFIG_KEY = "serverConfig";

/** The server URL the user (or the admin) chose. */
export async function serverUrl() {
  return (await loadSettings()).values.serverUrl;
}

/**
 * `/api/client-config` of the chosen server, cached in session storage per server URL.
 * @returns {Promise<{keycloakUrl:string, realm:string, extensionClientId:string,
 *   telephonyGateways:{id:string,name:string}[], forceRelay:boolean}>}
 */
export async function clientConfig({ fresh = false } = {}) {
  const url = await serverUrl();
  const { [CONFIG_KEY]: cached } = await chrome.storage.session.get(CONFIG_KEY);
  if (!fresh && cached?.serverUrl === url) return cached.config;
  const config = await getJson(`${url}/api/client-config`);
  if (typeof config?.keycloakUrl !== "string" || typeof config?.realm !== "string") {
    throw new ServerError("bad-config", `${url} did not answer like a Vclick server.`);
  }
  await chrome.storage.session.set({ [CONFIG_KEY]: { serverUrl: url, config } });
  return config;
}

/** POSTs JSON to the API with the user's access token; returns the parsed answer. */
export async function postApi(path, body, accessToken) {
  const url = await serverUrl();
  return getJson(`${url}/api/${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${accessToken}` },
    body: JSON.stringify(body),
  });
}

/**
 * Calls the API and keeps the server's answer whatever its status: { ok, status, json, detail }
 * (detail: an RFC 9457 problem's); status 0 when the server cannot be reached.
 */
export async function callApi(method, path, body, accessToken) {
  const url = `${await serverUrl()}/api/${path}`;
  let response;
  try {
    response = await fetch(url, {
      method,
      cache: "no-store",
      credentials: "omit",
      headers: {
        Authorization: `Bearer ${accessToken}`,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (e) {
    return { ok: false, status: 0, json: null, detail: "The Vclick server cannot be reached." };
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return {
    ok: response.ok,
    status: response.status,
    json: response.ok ? json : null,
    detail: json?.detail ?? null,
  };
}

/** A failure to reach or understand the server, with a sentence for the user. */
export class ServerError extends Error {
  constructor(code, message, status = 0) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

async function getJson(url, init = {}) {
  let response;
  try {
    response = await fetch(url, { ...init, cache: "no-store", credentials: "omit" });
  } catch (e) {
    throw new ServerError("unreachable", `The Vclick server at ${new URL(url).origin} cannot be reached.`);
  }
  if (!response.ok) {
    const code = response.status === 401 ? "unauthenticated" : "http-" + response.status;
    throw new ServerError(code, `The Vclick server answered ${response.status}.`, response.status);
  }
  return response.json();
}
