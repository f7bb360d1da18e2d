import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScenario, type Scenario } from '../../harness/dataplane/scenario.ts';
import { builtFilter, engineCases, REPO, skipReasonForFilter } from './engines.ts';

const wasm = builtFilter('metrics');
const statsTags = (JSON.parse(readFileSync(join(REPO, 'filters/metrics/stats-tags.json'), 'utf8')) as { stats_config: { stats_tags: { tag_name: string; regex: string }[] } }).stats_config.stats_tags;

describe.skipIf(!wasm)(`metrics filter end to end${wasm ? '' : ` (skipped: ${skipReasonForFilter('metrics')})`}`, () => {
  describe.each(engineCases())('$title', ({ engine, available }) => {
    let s: Scenario;
    beforeAll(async () => {
      if (!available) return;
      s = await startScenario({
        services: ['v1'],
        filters: [{ name: 'metrics', wasm: wasm!, configuration: { prefix: 'asmesh_' } }],
        routes: [
          { name: 'api', match: { prefix: '/api' }, route: { cluster: 'v1' } },
          { name: 'missing', match: { prefix: '/missing' }, direct_response: { status: 404 } },
        ],
        statsTags,
      }, engine);
      for (let i = 0; i < 3; i++) await s.fetch('/api/x');
      await s.fetch('/missing');
    });
    afterAll(async () => s?.stop());

    it.skipIf(!available)('exposes asmesh_requests_total with labels from stats_tags on /stats/prometheus', async () => {
      const text = await s.prometheus();
      expect(text).toContain('# TYPE asmesh_requests_total counter');
      const line200 = text.split('\n').find((l) => l.startsWith('asmesh_requests_total{') && l.includes('response_code="200"'));
      expect(line200).toMatch(/request_method="GET"/);
      expect(line200).toMatch(/route_name="api"/);
      expect(line200).toMatch(/ 3$/);
      const line404 = text.split('\n').find((l) => l.startsWith('asmesh_requests_total{') && l.includes('response_code="404"'));
      expect(line404).toMatch(/ 1$/);
    });

    it.skipIf(!available)('records the request duration histogram', async () => {
      expect(await s.prometheus()).toMatch(/asmesh_request_duration_milliseconds_count\{[^}]*response_code="200"[^}]*\} 3/);
    });
  });
});
