import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScenario, type Scenario } from '../../harness/dataplane/scenario.ts';
import { builtFilter, engineCases, skipReasonForFilter } from './engines.ts';

const wasm = builtFilter('router');
const config = {
  routingHeader: 'x-asmesh-route',
  rules: [
    { name: 'explicit', match: { headers: [{ name: 'x-version', exact: 'v2' }] }, action: { set: 'v2' } },
    { name: 'mirrored', match: { path: { prefix: '/mirror' } }, action: { set: 'v1' }, mirror: { cluster: 'shadow' } },
    { name: 'mirror-dead', match: { path: { prefix: '/dead-mirror' } }, action: { set: 'v1' }, mirror: { cluster: 'deadshadow', timeoutMs: 200 } },
    { name: 'sticky', match: { headers: [{ name: 'x-user', present: true }] }, action: { split: [{ value: 'v1', weight: 50 }, { value: 'v2', weight: 50 }], stickyBy: { header: 'x-user' } } },
    { name: 'canary', action: { split: [{ value: 'v1', weight: 80 }, { value: 'v2', weight: 20 }] } },
  ],
};
const routes = [
  { name: 'to_v2', match: { prefix: '/', headers: [{ name: 'x-asmesh-route', string_match: { exact: 'v2' } }] }, route: { cluster: 'v2' } },
  { name: 'to_v1', match: { prefix: '/' }, route: { cluster: 'v1' } },
];

describe.skipIf(!wasm)(`router filter end to end${wasm ? '' : ` (skipped: ${skipReasonForFilter('router')})`}`, () => {
  describe.each(engineCases())('$title', ({ engine, available }) => {
    let s: Scenario;
    beforeAll(async () => {
      if (!available) return;
      s = await startScenario({ services: ['v1', 'v2', 'shadow'], deadClusters: { deadshadow: 'refused' }, filters: [{ name: 'router', wasm: wasm!, configuration: config }], routes }, engine);
    });
    afterAll(async () => s?.stop());

    it.skipIf(!available)('sends x-version: v2 to the v2 service', async () => {
      const r = await s.fetch('/', { headers: { 'x-version': 'v2' } });
      expect(r.status).toBe(200);
      expect(r.headers['x-served-by']).toBe('v2');
    });

    it.skipIf(!available)('ignores a routing header sent by the client', async () => {
      const served = new Set<string>();
      for (let i = 0; i < 20; i++) served.add((await s.fetch('/', { headers: { 'x-asmesh-route': 'v2', 'x-user': 'pinned-to-one' } })).headers['x-served-by']!);
      expect(served.size).toBe(1);
    });

    it.skipIf(!available)('splits unkeyed traffic about 80/20 between v1 and v2', async () => {
      let v2 = 0;
      const n = 300;
      for (let i = 0; i < n; i++) if ((await s.fetch('/')).headers['x-served-by'] === 'v2') v2++;
      // Binomial(300, 0.2): mean 60, sd ≈ 7; 30..90 is more than 4 sd either side.
      expect(v2).toBeGreaterThan(30);
      expect(v2).toBeLessThan(90);
    });

    it.skipIf(!available)('keeps a user on one version and spreads users over both', async () => {
      const perUser = new Set<string>();
      for (let i = 0; i < 10; i++) perUser.add((await s.fetch('/', { headers: { 'x-user': 'alice' } })).headers['x-served-by']!);
      expect(perUser.size).toBe(1);
      const versions = new Set<string>();
      for (let u = 0; u < 40; u++) versions.add((await s.fetch('/', { headers: { 'x-user': `user-${u}` } })).headers['x-served-by']!);
      expect(versions).toEqual(new Set(['v1', 'v2']));
    });

    it.skipIf(!available)('mirrors a copy to the shadow service without changing the main response', async () => {
      const before = s.services.shadow!.requests.length;
      const r = await s.fetch('/mirror/items?id=7', { headers: { 'x-trace': 'm1' } });
      expect(r.status).toBe(200);
      expect(r.headers['x-served-by']).toBe('v1');
      const copies = await s.services.shadow!.waitForRequests(before + 1);
      expect(copies[before]!.path).toBe('/mirror/items?id=7');
      expect(copies[before]!.headers['x-trace']).toBe('m1');
    });

    it.skipIf(!available)('answers normally when the mirror target is down', async () => {
      const r = await s.fetch('/dead-mirror');
      expect(r.status).toBe(200);
      expect(r.headers['x-served-by']).toBe('v1');
    });
  });
});
