import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScenario, type Scenario } from '../../harness/dataplane/scenario.ts';
import { hasOpenssl, makePki, type TestPki } from '../harness/dataplane/fixtures.ts';
import { builtFilter, engineCases, skipReasonForFilter } from './engines.ts';

const wasm = builtFilter('rbac');
const noOpenssl = !hasOpenssl();
const config = {
  policies: [
    {
      name: 'frontend-reads',
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/web/sa/frontend'] } }], to: [{ operation: { methods: ['GET'], paths: ['/api/*'] } }] }],
    },
  ],
};
const skipped = !wasm ? skipReasonForFilter('rbac') : noOpenssl ? 'openssl not installed (apt-get install openssl)' : '';

describe.skipIf(skipped !== '')(`rbac filter over mTLS end to end${skipped ? ` (skipped: ${skipped})` : ''}`, () => {
  describe.each(engineCases())('$title', ({ engine, available }) => {
    let s: Scenario;
    let pki: TestPki;
    let ca: string;
    const client = (ns: string, sa: string) => {
      const c = pki.client(ns, sa);
      return { ca, cert: readFileSync(c.cert, 'utf8'), key: readFileSync(c.key, 'utf8') };
    };
    beforeAll(async () => {
      if (!available) return;
      pki = makePki(mkdtempSync(join(tmpdir(), 'asmesh-rbac-pki-')));
      ca = readFileSync(pki.caCert, 'utf8');
      s = await startScenario({
        services: ['v1'],
        filters: [{ name: 'rbac', wasm: wasm!, configuration: config }],
        tls: { certificateChain: pki.serverCert, privateKey: pki.serverKey, trustedCa: pki.caCert, requireClientCertificate: true },
      }, engine);
    });
    afterAll(async () => s?.stop());

    it.skipIf(!available)('allows the frontend service account to GET /api/*', async () => {
      const r = await s.fetch('/api/orders', { tls: client('web', 'frontend') });
      expect(r.status).toBe(200);
      expect(r.headers['x-served-by']).toBe('v1');
    });

    it.skipIf(!available)('denies another service account with 403 RBAC: access denied', async () => {
      const before = s.services.v1!.requests.length;
      const r = await s.fetch('/api/orders', { tls: client('web', 'batch') });
      expect(r.status).toBe(403);
      expect(r.body).toBe('RBAC: access denied');
      expect(s.services.v1!.requests.length).toBe(before);
    });

    it.skipIf(!available)('denies the frontend a method the policy does not allow', async () => {
      expect((await s.fetch('/api/orders', { method: 'POST', body: '{}', tls: client('web', 'frontend') })).status).toBe(403);
    });
  });
});
