import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScenario, type Scenario } from '../../harness/dataplane/scenario.ts';
import { builtFilter, engineCases, skipReasonForFilter } from './engines.ts';

const wasm = builtFilter('fault');
const config = { delay: { headerDelay: {}, percentage: 100 }, abort: { headerAbort: {}, percentage: 100 } };

describe.skipIf(!wasm)(`fault filter end to end${wasm ? '' : ` (skipped: ${skipReasonForFilter('fault')})`}`, () => {
  describe.each(engineCases())('$title', ({ engine, available }) => {
    let s: Scenario;
    beforeAll(async () => {
      if (!available) return;
      s = await startScenario({ services: ['v1'], filters: [{ name: 'fault', wasm: wasm!, configuration: config }] }, engine);
    });
    afterAll(async () => s?.stop());

    it.skipIf(!available)('delays the request by x-envoy-fault-delay-request milliseconds, measured on the wire', async () => {
      const delayed = await s.fetch('/', { headers: { 'x-envoy-fault-delay-request': '300' } });
      expect(delayed.status).toBe(200);
      expect(delayed.ms).toBeGreaterThanOrEqual(300);
    });

    it.skipIf(!available)('does not delay a request without the header', async () => {
      const plain = await s.fetch('/');
      const delayed = await s.fetch('/', { headers: { 'x-envoy-fault-delay-request': '300' } });
      expect(plain.ms).toBeLessThan(delayed.ms);
    });

    it.skipIf(!available)('aborts with the status from x-envoy-fault-abort-request without reaching the upstream', async () => {
      const before = s.services.v1!.requests.length;
      const r = await s.fetch('/', { headers: { 'x-envoy-fault-abort-request': '503' } });
      expect(r.status).toBe(503);
      expect(r.body).toBe('fault filter abort');
      expect(s.services.v1!.requests.length).toBe(before);
    });
  });
});
