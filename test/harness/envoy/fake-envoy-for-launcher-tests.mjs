#!/usr/bin/env node
// NOT Envoy. A stand-in process used only by the launcher unit tests (like func-e's fake_envoy):
// it accepts Envoy's flags, writes the admin address file, serves /ready and a few stats, and exits
// non-zero with an Envoy-style critical log line when the config file contains "bad_field".
// Behaviour switches (environment): FAKE_ENVOY_IGNORE_SIGTERM=1 (must be SIGKILLed), FAKE_ENVOY_NEVER_READY=1.
import { createServer } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
writeFileSync(process.env.FAKE_ENVOY_ARGS_FILE ?? '/dev/null', JSON.stringify(args));
const config = flag('-c');
const adminPath = flag('--admin-address-path');
const text = config ? readFileSync(config, 'utf8') : '';
const log = (level, msg) => process.stderr.write(`[2026-01-01 00:00:00.000][1][${level}][main] ${msg}\n`);
log('info', 'initializing epoch 0 (fake envoy for launcher tests)');
if (text.includes('bad_field')) {
  log('critical', `error initializing configuration '${config}': Protobuf message (type envoy.config.bootstrap.v3.Bootstrap reason INVALID_ARGUMENT:bad_field: Cannot find field.) has unknown fields`);
  process.exit(1);
}
if (process.env.FAKE_ENVOY_IGNORE_SIGTERM) process.on('SIGTERM', () => log('info', 'ignoring SIGTERM'));
else process.on('SIGTERM', () => { log('warning', 'caught SIGTERM'); process.exit(0); });
const server = createServer((req, res) => {
  if (req.url === '/ready') {
    res.writeHead(process.env.FAKE_ENVOY_NEVER_READY ? 503 : 200).end(process.env.FAKE_ENVOY_NEVER_READY ? 'PRE_INITIALIZING\n' : 'LIVE\n');
  } else if (req.url === '/stats/prometheus') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('# TYPE fake_requests counter\nfake_requests{} 3\n');
  } else if (req.url === '/stats?format=json') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ stats: [{ name: 'wasmcustom.fake_requests', value: 3 }] }));
  } else if (req.url === '/listeners?format=json') {
    res.writeHead(200).end(JSON.stringify({ listener_statuses: [{ name: 'fake', local_address: { socket_address: { address: '127.0.0.1', port_value: 1 } } }] }));
  } else {
    res.writeHead(404).end();
  }
});
server.listen(0, '127.0.0.1', () => {
  if (adminPath) writeFileSync(adminPath, `127.0.0.1:${server.address().port}`);
});
