import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScenario, type Scenario } from '../../../harness/dataplane/index.ts';

describe('upstream connections of the emulated data plane', () => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await startScenario({ services: ['v1'] }, 'emulator');
  });
  afterAll(async () => scenario?.stop());

  it('reuses one HTTP/1.1 connection per upstream host for sequential requests, as Envoy pools them', async () => {
    for (let i = 0; i < 5; i++) expect((await scenario.fetch(`/r${i}`)).status).toBe(200);
    expect(scenario.services.v1!.requests).toHaveLength(5);
    expect(scenario.services.v1!.connections).toBe(1);
  });
});
