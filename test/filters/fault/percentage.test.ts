// Fault percentages: deterministic from x-request-id (the documented FNV-1a rule, so the exact set of
// faulted ids is predictable), random without one; counts checked against binomial 4.5σ bounds.
import { afterEach, describe, expect, it } from 'vitest';
import type { TestEnv } from '../../../harness/testing/index.ts';
import { binomialBounds } from '../router/binomial.ts';
import { fnv1a32 } from '../router/fnv1a-reference.ts';
import { builtMissing, loadFilter, requestIds } from '../router/helpers.ts';

let env: TestEnv | null = null;
afterEach(() => { env?.dispose(); env = null; });

const req = (id?: string): [string, string][] =>
  [[':method', 'GET'], [':path', '/'], [':authority', 'svc'], ...(id === undefined ? [] : [['x-request-id', id] as [string, string]])];

/** Returns which ids got an abort and which a delay. */
function run(e: TestEnv, ids: (string | undefined)[]): { aborted: number[]; delayed: number[] } {
  const aborted: number[] = [], delayed: number[] = [];
  ids.forEach((id, i) => {
    const s = e.openStream();
    s.sendRequestHeaders(req(id), { endStream: true });
    if (s.localResponse) aborted.push(i);
    if (s.paused === 'request') delayed.push(i);
    s.complete();
  });
  return { aborted, delayed };
}

describe.skipIf(builtMissing('fault'))('fault percentages', () => {
  it('aborts exactly the ids FNV-1a(id + "a") mod 1e6 < 0.1 × 10000 selects (0.1 % of 20000, binomial bounds)', async () => {
    env = await loadFilter('fault', { abort: { httpStatus: 503, percentage: 0.1 } });
    const ids = requestIds(20000);
    const { aborted } = run(env, ids);
    const expected = ids.map((id, i) => [id, i] as const).filter(([id]) => fnv1a32(id + 'a') % 1_000_000 < 1000).map(([, i]) => i);
    expect(aborted).toEqual(expected);
    const b = binomialBounds(ids.length, 0.001);
    expect(aborted.length).toBeGreaterThanOrEqual(b.low);
    expect(aborted.length).toBeLessThanOrEqual(b.high);
    expect(env.counter('fault.aborts_injected')).toBe(aborted.length);
  });

  it('delays 10 % of ids and decides delay and abort independently (different salts)', async () => {
    env = await loadFilter('fault', { delay: { fixedDelay: '1s', percentage: 10 }, abort: { httpStatus: 503, percentage: 10 } });
    const ids = requestIds(4000, 'd-');
    const { aborted, delayed } = run(env, ids);
    const expectedDelay = ids.map((id, i) => [id, i] as const).filter(([id]) => fnv1a32(id + 'd') % 1_000_000 < 100_000).map(([, i]) => i);
    expect(delayed).toEqual(expectedDelay);
    const b = binomialBounds(ids.length, 0.1);
    expect(delayed.length).toBeGreaterThanOrEqual(b.low);
    expect(delayed.length).toBeLessThanOrEqual(b.high);
    // Requests not delayed are aborted immediately when their abort decision says so.
    const notDelayed = ids.length - delayed.length;
    const bAbort = binomialBounds(notDelayed, 0.1);
    expect(aborted.length).toBeGreaterThanOrEqual(bAbort.low);
    expect(aborted.length).toBeLessThanOrEqual(bAbort.high);
    const both = delayed.filter((i) => fnv1a32(ids[i]! + 'a') % 1_000_000 < 100_000).length;
    expect(both).toBeGreaterThan(0);
    expect(both).toBeLessThan(delayed.length / 2);
  });

  it('gives the same decision to the same request id every time', async () => {
    env = await loadFilter('fault', { abort: { httpStatus: 503, percentage: 50 } });
    const ids = requestIds(100, 'again-');
    expect(run(env, ids).aborted).toEqual(run(env, ids).aborted);
  });

  it('decides at random without x-request-id (binomial bounds over 3000 requests at 30 %)', async () => {
    env = await loadFilter('fault', { abort: { httpStatus: 503, percentage: 30 } });
    const { aborted } = run(env, Array.from({ length: 3000 }, () => undefined));
    const b = binomialBounds(3000, 0.3);
    expect(aborted.length).toBeGreaterThanOrEqual(b.low);
    expect(aborted.length).toBeLessThanOrEqual(b.high);
  });

  it('accepts Envoy FractionalPercent: 5 / TEN_THOUSAND = 0.05 %', async () => {
    env = await loadFilter('fault', { abort: { httpStatus: 503, percentage: { numerator: 5, denominator: 'TEN_THOUSAND' } } });
    const ids = requestIds(20000, 'f-');
    const expected = ids.map((id, i) => [id, i] as const).filter(([id]) => fnv1a32(id + 'a') % 1_000_000 < 500).map(([, i]) => i);
    expect(run(env, ids).aborted).toEqual(expected);
  });
});
