// The app's REST API (same origin, under api/), called with the signed-in user's bearer token.
// Addresses are resolved against this module, so pages under other paths (/call, /admin/edge, /edge/calls) reach
// the same api/.

const apiUrl = (path) => new URL(`api/${path}`, import.meta.url);

/** An API error: the server's problem detail as message, with the HTTP status and the whole problem. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
  }
}

/**
 * GET/POST/PUT helpers that refresh the token when it expires within 30 s; a body is sent as JSON;
 * errors are ApiErrors. `blob` GETs a file (CSV export) as a Blob.
 */
export function createApi(keycloak) {
  async function send(method, path, body, accept) {
    await keycloak.updateToken(30);
    const headers = { Authorization: `Bearer ${keycloak.token}`, Accept: accept };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    return fetch(apiUrl(path), {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  }
  async function request(method, path, body) {
    const response = await send(method, path, body, "application/json");
    const answer = await response.json().catch(() => null);
    if (!response.ok) {
      throw new ApiError(response.status, answer);
    }
    return answer;
  }
  /** A GET whose answer is a file (CSV): resolves to a Blob. */
  async function blob(path, accept) {
    const response = await send("GET", path, undefined, accept);
    if (!response.ok) {
      throw new ApiError(response.status, await response.json().catch(() => null));
    }
    return response.blob();
  }
  return {
    get: (path) => request("GET", path),
    post: (path, body) => request("POST", path, body),
    put: (path, body) => request("PUT", path, body),
    blob,
  };
}

/** The public client configuration (no token needed). */
export async function fetchClientConfig() {
  const response = await fetch(apiUrl("client-config"), { headers: { Accept: "application/json" } });
  if (!response.ok) {
    throw new Error(`client configuration: HTTP ${response.status}`);
  }
  return response.json();
}
