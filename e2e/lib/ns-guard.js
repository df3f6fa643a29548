// `node ns-guard.js CMD ARGS...`: runs CMD and stops it (SIGTERM, then SIGKILL after 2 s) when this
// process's stdin closes or it gets SIGTERM/SIGINT. lib/netns.js starts daemons inside a network
// namespace through it (`ip netns exec NS node ns-guard.js turnserver ...`) with stdin a pipe from
// the test process: when the test process ends, however it ends, the pipe closes and the daemon
// goes with it. Exits with CMD's exit code (1 when CMD died of a signal it was not sent by us).

import { spawn } from 'node:child_process';

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: node ns-guard.js CMD [ARGS...]');
  process.exit(2);
}
const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), 2000).unref();
};
child.on('error', (e) => {
  console.error(`ns-guard: ${cmd}: ${e.message}`);
  process.exit(127);
});
child.on('exit', (code) => process.exit(code ?? (stopping ? 0 : 1)));
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
