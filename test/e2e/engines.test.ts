import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScenario, type Scenario } from '../../harness/dataplane/scenario.ts';
import { compileWat } from '../harness/dataplane/fixtures.ts';
import { engineCases } from './engines.ts';

// One test body, two engines: the same generated bootstrap on the emulated data plane and on real Envoy.
describe.each(engineCases())('one bootstrap, two engines $title', ({ engine, available }) => {
  let s: Scenario;
  beforeAll(async () => {
    if (!available) return;
    const wasm = await compileWat('probe-filter');
    s = await startScenario({
      services: ['v1', 'v2'],
      filters: [{ name: 'probe', wasm }],
      routes: [
        { name: 'v2', match: { prefix: '/', headers: [{ name: 'x-version', string_match: { exact: 'v2' } }] }, route: { cluster: 'v2' } },
        { name: 'default', match: { prefix: '/' }, route: { cluster: 'v1' } },
      ],
    }, engine);
  });
  afterAll(async () => s?.stop());

  it.skipIf(!available)('routes to v1 by default', async () => {
    expect((await s.fetch('/')).headers['x-served-by']).toBe('v1');
  });

  it.skipIf(!available)('routes to v2 after the wasm filter set x-version (route cache cleared)', async () => {
    expect((await s.fetch('/', { headers: { 'x-want': 'v2' } })).headers['x-served-by']).toBe('v2');
  });

  it.skipIf(!available)('reports readiness and upstream counters on the admin port', async () => {
    expect(await (await fetch(`http://${s.adminAddress}/ready`)).text()).toBe('LIVE\n');
    expect(await s.stat('cluster.v1.upstream_rq_total')).toBeGreaterThanOrEqual(1);
  });
});
