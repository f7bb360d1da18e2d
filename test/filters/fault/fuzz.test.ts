// Never trap on any header content, including hostile x-envoy-fault-* values (see router fuzz test).
import { afterEach, describe, expect, it } from 'vitest';
import type { TestEnv } from '../../../harness/testing/index.ts';
import { hostileHeaders, lcg } from '../router/fuzz.ts';
import { builtMissing, loadFilter } from '../router/helpers.ts';

let env: TestEnv | null = null;
afterEach(() => { env?.dispose(); env = null; });

const interesting = ['x-envoy-fault-abort-request', 'x-envoy-fault-abort-grpc-request', 'x-envoy-fault-abort-request-percentage',
  'x-envoy-fault-delay-request', 'x-envoy-fault-delay-request-percentage', 'x-request-id', 'x-user', 'content-type'];

describe.skipIf(builtMissing('fault'))('fault never traps', () => {
  it('survives 300 requests with hostile headers, header control on, and answers or resumes each', async () => {
    env = await loadFilter('fault', {
      delay: { headerDelay: {}, percentage: 100 }, abort: { headerAbort: {}, percentage: 100 },
      headers: [{ name: 'x-user', contains: 'a', ignoreCase: true }], maxActiveFaults: 1000,
    });
    const rand = lcg(99);
    const streams = [];
    for (let i = 0; i < 300; i++) {
      const s = env.openStream();
      s.sendRequestHeaders(hostileHeaders(rand, Math.floor(rand() * 60), interesting), { endStream: true });
      streams.push(s);
    }
    env.clock.advance(5_000_000_000); // past any u32 millisecond delay
    for (const s of streams) {
      expect(s.paused).toBeNull();
      expect(s.upstreamRequest !== null || s.localResponse !== null).toBe(true);
      s.complete();
    }
    expect(env.plugin.failed).toBe(false);
    expect(env.violations()).toEqual([]);
    expect(env.gauge('fault.active_faults') ?? 0).toBe(0);
  });

  it('survives thousands of headers', async () => {
    env = await loadFilter('fault', { abort: { httpStatus: 503, percentage: 100 }, headers: [{ name: 'x-h-2999', present: true }] });
    const headers: [string, string][] = [[':method', 'GET'], [':path', '/'], [':authority', 'a']];
    for (let i = 0; i < 3000; i++) headers.push([`x-h-${i}`, 'v'.repeat(i % 50)]);
    const s = env.openStream();
    s.sendRequestHeaders(headers, { endStream: true });
    expect(s.upstreamRequest !== null || s.localResponse !== null).toBe(true);
    expect(env.plugin.failed).toBe(false);
  });
});
