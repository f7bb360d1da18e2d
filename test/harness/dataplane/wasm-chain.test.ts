import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScenario, type Scenario } from '../../../harness/dataplane/scenario.ts';
import { compileWat, hasOpenssl, makePki, type TestPki } from './fixtures.ts';

const routesByVersion = [
  { name: 'v2', match: { prefix: '/', headers: [{ name: 'x-version', string_match: { exact: 'v2' } }] }, route: { cluster: 'v2' } },
  { name: 'default', match: { prefix: '/' }, route: { cluster: 'v1' } },
];

describe('emulated data plane with a wasm filter', () => {
  let s: Scenario;
  beforeAll(async () => {
    const wasm = await compileWat('probe-filter');
    s = await startScenario({ services: ['v1', 'v2'], routes: routesByVersion, filters: [{ name: 'probe', wasm }] }, 'emulator');
  });
  afterAll(async () => s?.stop());

  it('re-selects the route after the filter changed request headers', async () => {
    const r = await s.fetch('/', { headers: { 'x-want': 'v2' } });
    expect(r.headers['x-served-by']).toBe('v2');
    expect(r.json<{ headers: Record<string, string> }>().headers['x-version']).toBe('v2');
  });

  it('keeps the original route when the filter changed nothing', async () => {
    expect((await s.fetch('/')).headers['x-served-by']).toBe('v1');
  });

  it('exposes no peer certificate on a plain-text listener', async () => {
    expect((await s.fetch('/')).json<{ headers: Record<string, string> }>().headers['x-peer-uri-san']).toBeUndefined();
  });
});

const noOpenssl = !hasOpenssl();
if (noOpenssl) console.warn('skipping mTLS data plane tests: openssl is not installed (apt-get install openssl)');

describe.skipIf(noOpenssl)('emulated data plane over mTLS', () => {
  let s: Scenario;
  let pki: TestPki;
  let ca: string;
  beforeAll(async () => {
    pki = makePki(mkdtempSync(join(tmpdir(), 'asmesh-pki-')));
    ca = readFileSync(pki.caCert, 'utf8');
    const wasm = await compileWat('probe-filter');
    s = await startScenario({
      services: ['v1', 'v2'],
      routes: routesByVersion,
      filters: [{ name: 'probe', wasm }],
      tls: { certificateChain: pki.serverCert, privateKey: pki.serverKey, trustedCa: pki.caCert, requireClientCertificate: true },
    }, 'emulator');
  });
  afterAll(async () => s?.stop());

  it('gives filters the client certificate URI SAN as connection.uri_san_peer_certificate', async () => {
    const client = pki.client('web', 'frontend');
    const r = await s.fetch('/', { tls: { ca, cert: readFileSync(client.cert, 'utf8'), key: readFileSync(client.key, 'utf8') } });
    expect(r.status).toBe(200);
    expect(r.json<{ headers: Record<string, string> }>().headers['x-peer-uri-san']).toBe('spiffe://cluster.local/ns/web/sa/frontend');
    expect(r.json<{ headers: Record<string, string> }>().headers['x-forwarded-proto']).toBe('https');
  });

  it('refuses a connection without a client certificate when require_client_certificate is set', async () => {
    await expect(s.fetch('/', { tls: { ca } })).rejects.toThrow();
  });

  it('refuses a client certificate from another CA', async () => {
    const rogue = pki.rogueClient();
    await expect(s.fetch('/', { tls: { ca, cert: readFileSync(rogue.cert, 'utf8'), key: readFileSync(rogue.key, 'utf8') } })).rejects.toThrow();
  });
});

describe.skipIf(noOpenssl)('emulated data plane with an optional client certificate', () => {
  let s: Scenario;
  let pki: TestPki;
  let ca: string;
  beforeAll(async () => {
    pki = makePki(mkdtempSync(join(tmpdir(), 'asmesh-pki-')));
    ca = readFileSync(pki.caCert, 'utf8');
    const wasm = await compileWat('probe-filter');
    s = await startScenario({
      services: ['v1'],
      filters: [{ name: 'probe', wasm }],
      tls: { certificateChain: pki.serverCert, privateKey: pki.serverKey, trustedCa: pki.caCert },
    }, 'emulator');
  });
  afterAll(async () => s?.stop());

  it('serves a client without a certificate, with no peer facts for filters', async () => {
    const r = await s.fetch('/', { tls: { ca } });
    expect(r.status).toBe(200);
    expect(r.json<{ headers: Record<string, string> }>().headers['x-peer-uri-san']).toBeUndefined();
  });

  it('still validates a certificate that is presented', async () => {
    const rogue = pki.rogueClient();
    await expect(s.fetch('/', { tls: { ca, cert: readFileSync(rogue.cert, 'utf8'), key: readFileSync(rogue.key, 'utf8') } })).rejects.toThrow();
  });
});
