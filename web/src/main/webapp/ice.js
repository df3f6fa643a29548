// ICE servers for a call: short-lived TURN credentials from the app (POST api/turn/credentials) and
// the relay policy of the client configuration.

import { toEpochMillis } from "./signaling.js";

/**
 * An RTCConfiguration with fresh TURN credentials, and when those expire (epoch ms).
 * `forceRelay` missing from the client configuration counts as true: relay only unless told otherwise.
 */
export async function iceConfiguration(api, clientConfig) {
  const turn = await api.post("turn/credentials");
  return {
    rtc: {
      iceServers: [{ urls: turn.uris, username: turn.username, credential: turn.credential }],
      iceTransportPolicy: clientConfig.forceRelay === false ? "all" : "relay",
    },
    expiresAt: toEpochMillis(turn.expiresAt),
  };
}
