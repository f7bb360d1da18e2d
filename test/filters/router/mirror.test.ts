// Router mirroring through the emulator (not Envoy): the copy sent with proxy_http_call, the percentage
// rule, and isolation — whatever happens to the mirror call, the main request is neither delayed,
// altered nor failed.
import { afterEach, describe, expect, it } from 'vitest';
import type { TestEnv } from '../../../harness/testing/index.ts';
import { binomialBounds } from './binomial.ts';
import { fnv1a32 } from './fnv1a-reference.ts';
import { builtMissing, loadFilter, requestIds } from './helpers.ts';

let env: TestEnv | null = null;
afterEach(() => { env?.dispose(); env = null; });

const request = (extra: Record<string, string> = {}): [string, string][] => [
  [':method', 'POST'], [':path', '/orders?id=7'], [':authority', 'shop.local:8080'], [':scheme', 'http'],
  ['content-type', 'application/json'], ['x-request-id', 'rid-1'], ...Object.entries(extra),
];
const mirrorRule = (mirror: Record<string, unknown>, action: unknown = { set: 'stable' }) =>
  ({ rules: [{ name: 'orders', ...(action ? { action } : {}), mirror: { cluster: 'shadow', ...mirror } }] });

async function load(config: unknown, options = {}): Promise<TestEnv> {
  env = await loadFilter('router', config, options);
  return env;
}

describe.skipIf(builtMissing('router'))('router mirror', () => {
  it('sends a copy with the -shadow authority, the routed header and the request line, and counts it', async () => {
    const e = await load(mirrorRule({ timeoutMs: 1500 }));
    const s = e.openStream();
    expect(s.sendRequestHeaders([...request({ 'x-asmesh-route': 'evil' })], { endStream: true })).toBe(0);
    expect(s.upstreamRequest?.headers[':authority']).toBe('shop.local:8080');
    const calls = e.httpCalls();
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    expect(call.cluster).toBe('shadow');
    expect(call.timeoutMs).toBe(1500);
    expect(call.headers[':authority']).toBe('shop.local-shadow:8080');
    expect(call.headers[':method']).toBe('POST');
    expect(call.headers[':path']).toBe('/orders?id=7');
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.headers['x-asmesh-route']).toBe('stable');
    expect(call.body).toHaveLength(0);
    expect(e.counter('router.rule.orders.mirror.sent')).toBe(1);
  });

  it('appends -shadow to an authority without port', async () => {
    const e = await load(mirrorRule({}));
    e.openStream().sendRequestHeaders([[':method', 'GET'], [':path', '/'], [':authority', 'shop.local']], { endStream: true });
    expect(e.httpCalls()[0]!.headers[':authority']).toBe('shop.local-shadow');
  });

  it('copies a body within maxBodyBytes, sending when the request ends, without pausing the request', async () => {
    const e = await load(mirrorRule({ maxBodyBytes: 64 }));
    const s = e.openStream();
    expect(s.sendRequestHeaders(request({ 'content-length': '11' }))).toBe(0);
    expect(e.httpCalls()).toHaveLength(0);
    expect(s.sendRequestBody('hello ')).toBe(0);
    expect(s.upstreamRequest?.body).toEqual(new TextEncoder().encode('hello '));
    expect(s.sendRequestBody('world', { endStream: true })).toBe(0);
    const call = e.httpCalls()[0]!;
    expect(new TextDecoder().decode(call.body)).toBe('hello world');
    expect(call.headers['content-length']).toBe('11'); // set by the host from the body (the filter drops the client's)
    expect(new TextDecoder().decode(s.upstreamRequest!.body)).toBe('hello world');
    expect(s.upstreamRequest?.endStream).toBe(true);
  });

  it('sends the copy at the trailers when the request ends with trailers', async () => {
    const e = await load(mirrorRule({ maxBodyBytes: 64 }));
    const s = e.openStream();
    s.sendRequestHeaders(request());
    s.sendRequestBody('abc');
    expect(e.httpCalls()).toHaveLength(0);
    s.sendRequestTrailers({ 'x-checksum': '1' });
    expect(new TextDecoder().decode(e.httpCalls()[0]!.body)).toBe('abc');
  });

  it('skips the copy (and counts it) when the body exceeds maxBodyBytes; the request still flows', async () => {
    const e = await load(mirrorRule({ maxBodyBytes: 4 }));
    const s = e.openStream();
    s.sendRequestHeaders(request());
    s.sendRequestBody('abc');
    s.sendRequestBody('def', { endStream: true });
    expect(e.httpCalls()).toHaveLength(0);
    expect(e.counter('router.rule.orders.mirror.skipped')).toBe(1);
    expect(new TextDecoder().decode(s.upstreamRequest!.body)).toBe('abcdef');
  });

  it('mirrors headers only (no body, no content-length) when maxBodyBytes is 0', async () => {
    const e = await load(mirrorRule({}));
    const s = e.openStream();
    s.sendRequestHeaders(request({ 'content-length': '3' }));
    const call = e.httpCalls()[0]!;
    expect(call.body).toHaveLength(0);
    expect(call.headers['content-length']).toBeUndefined();
    s.sendRequestBody('abc', { endStream: true });
    expect(e.httpCalls()).toHaveLength(1);
  });

  it('mirrors from a mirror-only rule without setting a routing header', async () => {
    const e = await load(mirrorRule({}, null));
    const s = e.openStream();
    s.sendRequestHeaders(request(), { endStream: true });
    expect(s.upstreamRequest?.headers['x-asmesh-route']).toBeUndefined();
    expect(e.httpCalls()[0]!.headers['x-asmesh-route']).toBeUndefined();
  });

  it('mirrors exactly the request ids the documented rule selects (FNV-1a of id + "m" < pct × 10000), within binomial bounds', async () => {
    const e = await load(mirrorRule({ percentage: 12.5 }));
    const ids = requestIds(3000);
    const mirrored: string[] = [];
    for (const id of ids) {
      const s = e.openStream();
      const before = e.httpCalls().length;
      s.sendRequestHeaders([[':method', 'GET'], [':path', '/'], [':authority', 'a'], ['x-request-id', id]], { endStream: true });
      if (e.httpCalls().length > before) mirrored.push(id);
      s.complete();
    }
    const expected = ids.filter((id) => fnv1a32(id + 'm') % 1_000_000 < 125_000);
    expect(mirrored).toEqual(expected);
    const b = binomialBounds(ids.length, 0.125);
    expect(mirrored.length).toBeGreaterThanOrEqual(b.low);
    expect(mirrored.length).toBeLessThanOrEqual(b.high);
  });
});

describe.skipIf(builtMissing('router'))('router mirror isolation', () => {
  it('an unknown mirror cluster (host refuses the call) leaves the request untouched and counts mirror.failed', async () => {
    const e = await load(mirrorRule({}), { clusters: ['backend'] });
    const s = e.openStream();
    expect(s.sendRequestHeaders(request(), { endStream: true })).toBe(0);
    expect(s.upstreamRequest?.headers['x-asmesh-route']).toBe('stable');
    expect(s.localResponse).toBeNull();
    expect(e.counter('router.rule.orders.mirror.failed')).toBe(1);
    s.sendResponseHeaders({ ':status': '200' }, { endStream: true });
    expect(s.downstreamResponse.headers?.[':status']).toBe('200');
    s.complete();
    expect(e.plugin.failed).toBe(false);
  });

  it('a slow mirror (never answered) does not hold the request; its late response after the stream ended is harmless', async () => {
    const e = await load(mirrorRule({}));
    const s = e.openStream();
    expect(s.sendRequestHeaders(request(), { endStream: true })).toBe(0);
    expect(s.paused).toBeNull();
    s.sendResponseHeaders({ ':status': '201' }, { endStream: true });
    expect(s.downstreamResponse.headers?.[':status']).toBe('201');
    s.complete();
    const call = e.httpCalls()[0]!;
    call.respond({ headers: { ':status': '500' }, body: 'shadow broke' });
    expect(e.plugin.failed).toBe(false);
    const next = e.openStream();
    next.sendRequestHeaders(request(), { endStream: true });
    expect(next.upstreamRequest?.headers['x-asmesh-route']).toBe('stable');
  });

  it('a mirror that resets, times out or errors while the request is in flight changes nothing', async () => {
    const e = await load(mirrorRule({ maxBodyBytes: 100, timeoutMs: 10 }));
    const streams = [0, 1, 2].map(() => e.openStream());
    for (const s of streams) s.sendRequestHeaders(request(), { endStream: true });
    const [a, b] = e.httpCalls();
    a!.fail('reset');
    b!.respond({ headers: { ':status': '503' }, body: 'no healthy upstream' });
    e.clock.advance(50); // the third call times out in the host
    for (const s of streams) {
      expect(s.upstreamRequest?.headers['x-asmesh-route']).toBe('stable');
      expect(s.localResponse).toBeNull();
      s.sendResponseHeaders({ ':status': '200' }, { endStream: true });
      expect(s.downstreamResponse.headers?.[':status']).toBe('200');
      s.complete();
    }
    expect(e.plugin.failed).toBe(false);
    expect(e.counter('router.rule.orders.mirror.sent')).toBe(3);
  });
});
