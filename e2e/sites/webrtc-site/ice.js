// The site's own ICE servers, from its URL: ?ice=stun&stun=PORT (default; a STUN server on
// 127.0.0.1:PORT) or ?ice=none (no servers). Only loopback: this test site never contacts
// another machine.

/** The RTCConfiguration for `params`; throws a ConfigError saying what is missing. */
export function iceConfiguration(params) {
  const ice = params.get('ice') ?? 'stun';
  if (ice === 'none') return { iceServers: [] };
  if (ice !== 'stun') throw configError(`unknown ice=${ice} (stun or none)`);
  const port = Number(params.get('stun'));
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw configError('ice=stun needs the STUN port: &stun=PORT (a server on 127.0.0.1)');
  }
  return { iceServers: [{ urls: `stun:127.0.0.1:${port}` }] };
}

function configError(message) {
  const e = new Error(message);
  e.name = 'ConfigError';
  return e;
}

/** Fields of an a=candidate line (or candidate string); null when it is not one. */
export function parseCandidate(line) {
  const m = /(?:^|a=)?candidate:(\S+) (\d+) (\S+) (\d+) (\S+) (\d+) typ (\S+)(.*)$/.exec(line.trim());
  if (!m) return null;
  const rest = m[8];
  return {
    foundation: m[1],
    component: Number(m[2]),
    protocol: m[3].toLowerCase(),
    priority: Number(m[4]),
    address: m[5],
    port: Number(m[6]),
    type: m[7],
    relatedAddress: / raddr (\S+)/.exec(rest)?.[1] ?? null,
    relatedPort: / rport (\d+)/.exec(rest) ? Number(/ rport (\d+)/.exec(rest)[1]) : null,
  };
}
