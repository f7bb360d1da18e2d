// Fault filter through the emulator (an Envoy-faithful host, not Envoy) with the manual clock:
// aborts (HTTP and gRPC), delays (accuracy, concurrency, the timer stopping when idle), matching,
// header control, maxActiveFaults, and the Envoy-named stats.
import { afterEach, describe, expect, it } from 'vitest';
import type { TestEnv, TestStream } from '../../../harness/testing/index.ts';
import { builtMissing, loadFilter } from '../router/helpers.ts';
import { lcg } from '../router/fuzz.ts';
import { binomialBounds } from '../router/binomial.ts';

let env: TestEnv | null = null;
afterEach(() => { env?.dispose(); env = null; });

const get = (extra: Record<string, string> = {}): [string, string][] =>
  [[':method', 'GET'], [':path', '/api/items'], [':authority', 'svc.local'], [':scheme', 'http'], ...Object.entries(extra)];
const grpc = (extra: Record<string, string> = {}): [string, string][] =>
  [[':method', 'POST'], [':path', '/pkg.Svc/Call'], [':authority', 'svc.local'], [':scheme', 'http'], ['content-type', 'application/grpc'], ['te', 'trailers'], ...Object.entries(extra)];

async function load(config: unknown): Promise<TestEnv> {
  env = await loadFilter('fault', config);
  return env;
}
function open(e: TestEnv, headers: [string, string][], endStream = true): { s: TestStream; status: number | null } {
  const s = e.openStream();
  const status = s.sendRequestHeaders(headers, { endStream });
  return { s, status };
}
const tickPeriod = (e: TestEnv) =>
  (e.plugin.workerVm.contexts.get(e.plugin.rootContextId) as unknown as { tickPeriodMs: number }).tickPeriodMs;

describe.skipIf(builtMissing('fault'))('fault abort', () => {
  it('aborts with the configured HTTP status, Envoy body and details, and never reaches upstream', async () => {
    const e = await load({ abort: { httpStatus: 503, percentage: 100 } });
    const { s, status } = open(e, get());
    expect(status).toBe(4);
    expect(s.upstreamRequest).toBeNull();
    expect(s.localResponse).toMatchObject({ status: 503, body: 'fault filter abort', details: 'fault_filter_abort' });
    expect(s.downstreamResponse.headers?.[':status']).toBe('503');
    expect(e.counter('fault.aborts_injected')).toBe(1);
    expect(e.gauge('fault.active_faults')).toBe(1);
    s.complete();
    expect(e.gauge('fault.active_faults')).toBe(0);
  });

  it('uses a configured body, or none', async () => {
    const e = await load({ abort: { httpStatus: 429, percentage: 100, body: 'slow down' } });
    expect(open(e, get()).s.localResponse).toMatchObject({ status: 429, body: 'slow down' });
    env!.dispose();
    const e2 = await load({ abort: { httpStatus: 500, percentage: 100, body: '' } });
    const r = open(e2, get()).s.localResponse!;
    expect(r.body).toBe('');
    expect(r.headers['content-length']).toBeUndefined();
  });

  it('answers a gRPC request with a trailers-only reply carrying grpc-status', async () => {
    const e = await load({ abort: { grpcStatus: 14, percentage: 100 } });
    const { s } = open(e, grpc());
    expect(s.localResponse).toMatchObject({ status: 200, grpcStatus: 14, details: 'fault_filter_abort' });
    const h = s.downstreamResponse.headers!;
    expect(h[':status']).toBe('200');
    expect(h['grpc-status']).toBe('14');
    expect(h['content-type']).toBe('application/grpc');
    expect(s.downstreamResponse.body).toHaveLength(0);
    expect(s.downstreamResponse.endStream).toBe(true);
  });

  it('maps an HTTP abort of a gRPC request to a gRPC status (host local-reply rules)', async () => {
    const e = await load({ abort: { httpStatus: 503, percentage: 100 } });
    const h = open(e, grpc()).s.downstreamResponse.headers!;
    expect(h[':status']).toBe('200');
    expect(h['grpc-status']).toBe('14'); // 503 → UNAVAILABLE
  });

  it('sends grpcStatus to a plain HTTP request as a 200 reply with the abort body, as Envoy', async () => {
    const e = await load({ abort: { grpcStatus: 7, percentage: 100 } });
    const { s } = open(e, get());
    expect(s.localResponse).toMatchObject({ status: 200, body: 'fault filter abort' });
    expect(s.downstreamResponse.headers?.['grpc-status']).toBeUndefined();
  });

  it('never aborts at percentage 0', async () => {
    const e = await load({ abort: { httpStatus: 503, percentage: 0 } });
    for (let i = 0; i < 50; i++) expect(open(e, get({ 'x-request-id': `r${i}` })).s.localResponse).toBeNull();
    expect(e.counter('fault.aborts_injected') ?? 0).toBe(0);
  });
});

describe.skipIf(builtMissing('fault'))('fault delay', () => {
  it('pauses the request for exactly fixedDelay, then continues it', async () => {
    const e = await load({ delay: { fixedDelay: '0.5s', percentage: 100 } });
    const { s, status } = open(e, get());
    expect(status).toBe(4);
    expect(s.paused).toBe('request');
    expect(e.counter('fault.delays_injected')).toBe(1);
    expect(e.gauge('fault.active_faults')).toBe(1);
    e.clock.advance(499);
    expect(s.paused).toBe('request');
    e.clock.advance(1);
    expect(s.paused).toBeNull();
    expect(s.upstreamRequest?.headers[':path']).toBe('/api/items');
    expect(tickPeriod(e)).toBe(0); // timer stopped when idle
    s.sendResponseHeaders({ ':status': '200' }, { endStream: true });
    s.complete();
    expect(e.gauge('fault.active_faults')).toBe(0);
  });

  it('delivers a body sent during the delay after it ends', async () => {
    const e = await load({ delay: { fixedDelay: '0.1s', percentage: 100 } });
    const { s } = open(e, get(), false);
    s.sendRequestBody('payload', { endStream: true });
    expect(s.upstreamRequest).toBeNull();
    e.clock.advance(100);
    expect(new TextDecoder().decode(s.upstreamRequest!.body)).toBe('payload');
  });

  it('resumes 200 concurrent delays each at its own deadline (1 ms steps)', async () => {
    const e = await load({ delay: { headerDelay: {}, percentage: 100 } });
    const rand = lcg(7);
    const pending: { s: TestStream; deadline: number }[] = [];
    let t = 0;
    for (let i = 0; i < 200; i++) {
      if (rand() < 0.5) { const step = 1 + Math.floor(rand() * 5); e.clock.advance(step); t += step; }
      const ms = 1 + Math.floor(rand() * 300);
      const { s, status } = open(e, get({ 'x-envoy-fault-delay-request': String(ms) }));
      expect(status).toBe(4);
      pending.push({ s, deadline: t + ms });
    }
    // Streams opened before "now" may already be due: check every one against its deadline as time moves.
    const end = Math.max(...pending.map((p) => p.deadline));
    for (;;) {
      for (const p of pending) expect(p.s.upstreamRequest !== null, `deadline ${p.deadline} at t=${t}`).toBe(t >= p.deadline);
      if (t >= end) break;
      e.clock.advance(1);
      t += 1;
    }
    expect(e.counter('fault.delays_injected')).toBe(200);
    expect(tickPeriod(e)).toBe(0);
  });

  it('re-arms the timer for a new nearer deadline', async () => {
    const e = await load({ delay: { headerDelay: {}, percentage: 100 } });
    const far = open(e, get({ 'x-envoy-fault-delay-request': '1000' })).s;
    expect(tickPeriod(e)).toBe(1000);
    e.clock.advance(100);
    const near = open(e, get({ 'x-envoy-fault-delay-request': '50' })).s;
    expect(tickPeriod(e)).toBe(50);
    e.clock.advance(50);
    expect(near.paused).toBeNull();
    expect(far.paused).toBe('request');
    expect(tickPeriod(e)).toBe(850);
    e.clock.advance(849);
    expect(far.paused).toBe('request');
    e.clock.advance(1);
    expect(far.paused).toBeNull();
  });

  it('forgets a delayed request whose client went away, and keeps the others on time', async () => {
    const e = await load({ delay: { fixedDelay: '0.2s', percentage: 100 } });
    const gone = open(e, get()).s;
    const stays = open(e, get()).s;
    gone.complete();
    expect(e.gauge('fault.active_faults')).toBe(1);
    e.clock.advance(200);
    expect(stays.paused).toBeNull();
    expect(e.plugin.failed).toBe(false);
    expect(e.violations()).toEqual([]);
  });

  it('applies the abort after the delay when both are configured (Envoy order), counting one active fault', async () => {
    const e = await load({ delay: { fixedDelay: '0.3s', percentage: 100 }, abort: { httpStatus: 504, percentage: 100 } });
    const { s } = open(e, get());
    expect(s.localResponse).toBeNull();
    expect(e.gauge('fault.active_faults')).toBe(1);
    e.clock.advance(300);
    expect(s.localResponse).toMatchObject({ status: 504, details: 'fault_filter_abort' });
    expect(s.upstreamRequest).toBeNull();
    expect(e.counter('fault.delays_injected')).toBe(1);
    expect(e.counter('fault.aborts_injected')).toBe(1);
    s.complete();
    expect(e.gauge('fault.active_faults')).toBe(0);
  });
});

describe.skipIf(builtMissing('fault'))('fault matching', () => {
  it('faults only requests whose headers, path prefix and method all match', async () => {
    const e = await load({
      abort: { httpStatus: 503, percentage: 100 },
      headers: [{ name: 'x-user', exact: 'tester' }, { name: 'x-skip', absent: true }],
      pathPrefix: '/api/', method: ['GET', 'HEAD'],
    });
    expect(open(e, get({ 'x-user': 'tester' })).s.localResponse?.status).toBe(503);
    expect(open(e, get({ 'x-user': 'other' })).s.localResponse).toBeNull();
    expect(open(e, get({ 'x-user': 'tester', 'x-skip': '1' })).s.localResponse).toBeNull();
    expect(open(e, [...get({ 'x-user': 'tester' }).filter(([k]) => k !== ':path'), [':path', '/web']]).s.localResponse).toBeNull();
    expect(open(e, [...get({ 'x-user': 'tester' }).filter(([k]) => k !== ':method'), [':method', 'POST']]).s.localResponse).toBeNull();
    expect(e.counter('fault.aborts_injected')).toBe(1);
  });
});

describe.skipIf(builtMissing('fault'))('fault header control', () => {
  it('ignores x-envoy-fault-* headers unless header control is enabled', async () => {
    const e = await load({ abort: { httpStatus: 503, percentage: 0 }, delay: { fixedDelay: '1s', percentage: 0 } });
    const { s } = open(e, get({ 'x-envoy-fault-abort-request': '429', 'x-envoy-fault-delay-request': '100', 'x-envoy-fault-abort-request-percentage': '100' }));
    expect(s.localResponse).toBeNull();
    expect(s.paused).toBeNull();
  });

  it('aborts with the status from x-envoy-fault-abort-request', async () => {
    const e = await load({ abort: { headerAbort: {}, percentage: 100 } });
    expect(open(e, get({ 'x-envoy-fault-abort-request': '429' })).s.localResponse?.status).toBe(429);
    expect(open(e, get()).s.localResponse).toBeNull();
  });

  it('ignores an x-envoy-fault-abort-request that is not an HTTP status', async () => {
    const e = await load({ abort: { headerAbort: {}, percentage: 100 } });
    for (const v of ['199', '600', 'abc', '', '-1', '5030000000']) {
      expect(open(e, get({ 'x-envoy-fault-abort-request': v })).s.localResponse, v).toBeNull();
    }
  });

  it('aborts a gRPC request with x-envoy-fault-abort-grpc-request; the HTTP header wins when both are set', async () => {
    const e = await load({ abort: { headerAbort: {}, percentage: 100 } });
    const g = open(e, grpc({ 'x-envoy-fault-abort-grpc-request': '8' })).s;
    expect(g.localResponse).toMatchObject({ status: 200, grpcStatus: 8 });
    expect(g.downstreamResponse.headers?.['grpc-status']).toBe('8');
    const both = open(e, get({ 'x-envoy-fault-abort-request': '500', 'x-envoy-fault-abort-grpc-request': '8' })).s;
    expect(both.localResponse).toMatchObject({ status: 500 });
    expect(open(e, grpc({ 'x-envoy-fault-abort-grpc-request': '17' })).s.localResponse).toBeNull();
  });

  it('lowers (never raises) the abort percentage with x-envoy-fault-abort-request-percentage', async () => {
    const e = await load({ abort: { headerAbort: {}, percentage: 100 } });
    expect(open(e, get({ 'x-envoy-fault-abort-request': '503', 'x-envoy-fault-abort-request-percentage': '0' })).s.localResponse).toBeNull();
    expect(open(e, get({ 'x-envoy-fault-abort-request': '503', 'x-envoy-fault-abort-request-percentage': 'junk' })).s.localResponse?.status).toBe(503);
    env!.dispose();
    const low = await load({ abort: { headerAbort: {}, percentage: 0 } });
    expect(open(low, get({ 'x-envoy-fault-abort-request': '503', 'x-envoy-fault-abort-request-percentage': '100' })).s.localResponse).toBeNull();
  });

  it('delays by x-envoy-fault-delay-request milliseconds, scaled by its percentage header', async () => {
    const e = await load({ delay: { headerDelay: {}, percentage: 100 } });
    const { s } = open(e, get({ 'x-envoy-fault-delay-request': '250' }));
    e.clock.advance(249);
    expect(s.paused).toBe('request');
    e.clock.advance(1);
    expect(s.paused).toBeNull();
    expect(open(e, get({ 'x-envoy-fault-delay-request': '250', 'x-envoy-fault-delay-request-percentage': '0' })).s.paused).toBeNull();
    expect(open(e, get({ 'x-envoy-fault-delay-request': 'soon' })).s.paused).toBeNull();
    expect(open(e, get()).s.paused).toBeNull();
  });

  it('reads the header percentage in units of the configured FractionalPercent denominator (Envoy)', async () => {
    const e = await load({ abort: { headerAbort: {}, percentage: { numerator: 10000, denominator: 'TEN_THOUSAND' } } });
    // 5000 / 10000 = 50 %: deterministic per request id, so compare with a few known ids in both directions
    let aborted = 0;
    for (let i = 0; i < 400; i++) {
      if (open(e, get({ 'x-request-id': `id-${i}`, 'x-envoy-fault-abort-request': '503', 'x-envoy-fault-abort-request-percentage': '5000' })).s.localResponse) aborted++;
    }
    const b = binomialBounds(400, 0.5);
    expect(aborted).toBeGreaterThanOrEqual(b.low);
    expect(aborted).toBeLessThanOrEqual(b.high);
  });
});

describe.skipIf(builtMissing('fault'))('fault maxActiveFaults', () => {
  it('skips faults beyond maxActiveFaults (per VM) and counts faults_overflow', async () => {
    const e = await load({ delay: { fixedDelay: '1s', percentage: 100 }, maxActiveFaults: 2 });
    const a = open(e, get()).s, b = open(e, get()).s, c = open(e, get()).s;
    expect(a.paused).toBe('request');
    expect(b.paused).toBe('request');
    expect(c.paused).toBeNull();
    expect(e.counter('fault.faults_overflow')).toBe(1);
    expect(e.gauge('fault.active_faults')).toBe(2);
    e.clock.advance(1000);
    a.complete();
    const d = open(e, get()).s;
    expect(d.paused).toBe('request');
    expect(e.counter('fault.delays_injected')).toBe(3);
  });

  it('injects nothing with maxActiveFaults 0', async () => {
    const e = await load({ abort: { httpStatus: 503, percentage: 100 }, maxActiveFaults: 0 });
    expect(open(e, get()).s.localResponse).toBeNull();
    expect(e.counter('fault.faults_overflow')).toBe(1);
  });
});

describe.skipIf(builtMissing('fault'))('fault hot path', () => {
  it('reads the request header map once per request', async () => {
    const e = await load({ delay: { headerDelay: {}, percentage: 100 }, abort: { headerAbort: {}, percentage: 50 }, headers: [{ name: 'x-a', present: true }] });
    open(e, get({ 'x-a': '1' })).s.complete();
    e.resetHostcalls();
    open(e, get({ 'x-a': '1', 'x-request-id': 'abc', 'x-envoy-fault-delay-request': '10' }));
    const calls = e.hostcalls();
    expect(calls.proxy_get_header_map_pairs).toBe(1);
    expect(calls.proxy_get_header_map_value ?? 0).toBe(0);
  });
});
