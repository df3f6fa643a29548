// The app's REST API (same origin, under api/), called with the signed-in user's bearer token.

/** GET/POST helpers that refresh the token when it expires within 30 s; errors carry the server's detail. */
export function createApi(keycloak) {
  async function request(method, path) {
    await keycloak.updateToken(30);
    const response = await fetch(`api/${path}`, {
      method,
      headers: { Authorization: `Bearer ${keycloak.token}`, Accept: "application/json" },
    });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      throw new Error(body?.detail || `HTTP ${response.status}`);
    }
    return body;
  }
  return {
    get: (path) => request("GET", path),
    post: (path) => request("POST", path),
  };
}

/** The public client configuration (no token needed). */
export async function fetchClientConfig() {
  const response = await fetch("api/client-config", { headers: { Accept: "application/json" } });
  if (!response.ok) {
    throw new Error(`client configuration: HTTP ${response.status}`);
  }
  return response.json();
}
