// The README's example configuration (filters/fault/example.json), loaded as shipped, behaves as the
// README says: only /api/ requests carrying x-fault-test are faulted, 10 % delayed 0.5 s, 0.1 % aborted 503.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestEnv } from '../../../harness/testing/index.ts';
import { fnv1a32 } from '../router/fnv1a-reference.ts';
import { builtMissing, loadFilter, repoRoot, requestIds } from '../router/helpers.ts';

const example = JSON.parse(readFileSync(`${repoRoot}/filters/fault/example.json`, 'utf8'));
let env: TestEnv | null = null;
afterEach(() => { env?.dispose(); env = null; });

describe.skipIf(builtMissing('fault'))('fault example.json', () => {
  it('faults only marked /api/ requests, delaying the documented ids by 0.5 s', async () => {
    env = await loadFilter('fault', example);
    const ids = requestIds(500, 'ex-');
    for (const id of ids) {
      const s = env.openStream();
      s.sendRequestHeaders([[':method', 'GET'], [':path', '/api/x'], [':authority', 'a'], ['x-fault-test', '1'], ['x-request-id', id]], { endStream: true });
      const delayed = fnv1a32(id + 'd') % 1_000_000 < 100_000;
      const aborted = fnv1a32(id + 'a') % 1_000_000 < 1_000;
      if (delayed) {
        expect(s.paused, id).toBe('request');
        env.clock.advance(499);
        expect(s.paused, id).toBe('request');
        env.clock.advance(1);
      }
      if (aborted) expect(s.localResponse?.status, id).toBe(503);
      else expect(s.upstreamRequest, id).not.toBeNull();
      s.complete();
    }
    const unmarked = env.openStream();
    unmarked.sendRequestHeaders([[':method', 'GET'], [':path', '/api/x'], [':authority', 'a'], ['x-request-id', ids.find((id) => fnv1a32(id + 'd') % 1_000_000 < 100_000)!]], { endStream: true });
    expect(unmarked.paused).toBeNull();
    expect(env.gauge('fault.active_faults')).toBe(0);
  });
});
