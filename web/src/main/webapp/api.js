// The app's REST API (same origin, under api/), called with the signed-in user's bearer token.
// Addresses are resolved against this module, so pages under other paths (/call, /admin/edge) reach
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
 * errors are ApiErrors.
 */
export function createApi(keycloak) {
  async function request(method, path, body) {
    await keycloak.updateToken(30);
    const headers = { Authorization: `Bearer ${keycloak.token}`, Accept: "application/json" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    const response = await fetch(apiUrl(path), {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const answer = await response.json().catch(() => null);
    if (!response.ok) {
      throw new ApiError(response.status, answer);
    }
    return answer;
  }
  return {
    get: (path) => request("GET", path),
    post: (path, body) => request("POST", path, body),
    put: (path, body) => request("PUT", path, body),
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
